"""The cost of a whole plan: every cloud resource priced (or marked free, or not estimated),
rolled up to the top-level components, with the usage rates that come on top.

A resource is priced in its own region: its `region` input (pulumi-aws 7 takes one per
resource), else its explicit provider's `region`, else the stack's `aws:region`. A region
the table has no prices for at all is reported, and nothing billable in it gets a figure.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from cost.catalog import Billable, classify
from cost.model import (
    UNKNOWN,
    MissingPriceError,
    NotEstimatedError,
    PlanResource,
    ResourceCost,
    Status,
    UsageRate,
    known_total,
    total,
)
from cost.pricers import Context, Plan, Priced
from cost.table import PriceTable


@dataclass(frozen=True)
class ComponentCost:
    name: str
    type: str
    resources: tuple[ResourceCost, ...]

    @property
    def monthly(self) -> Decimal | None:
        return total(r.monthly for r in self.resources)

    @property
    def known(self) -> Decimal:
        return known_total(r.monthly for r in self.resources)

    @property
    def billable(self) -> bool:
        return any(r.status != "free" for r in self.resources)


@dataclass(frozen=True)
class UsageLine:
    """One usage rate and the resources it applies to."""

    what: str
    unit: str
    rate: Decimal | None
    region: str
    resources: tuple[str, ...]


@dataclass(frozen=True)
class Estimate:
    region: str
    """The stack's default region (`aws:region`)."""
    resources: tuple[ResourceCost, ...]
    components: tuple[ComponentCost, ...]
    regions_without_prices: tuple[str, ...]

    @property
    def monthly(self) -> Decimal | None:
        """The idle monthly cost, or None when any billable resource could not be estimated."""
        return total(r.monthly for r in self.resources)

    @property
    def known(self) -> Decimal:
        return known_total(r.monthly for r in self.resources)

    @property
    def not_estimated(self) -> tuple[ResourceCost, ...]:
        return tuple(r for r in self.resources if r.status == "not_estimated")

    @property
    def usage(self) -> tuple[UsageLine, ...]:
        grouped: dict[tuple[str, str, Decimal | None, str], list[str]] = {}
        for resource in self.resources:
            for rate in resource.usage:
                grouped.setdefault(_usage_key(rate, resource.region), []).append(resource.name)
        return tuple(
            UsageLine(what=what, unit=unit, rate=rate, region=region, resources=tuple(sorted(names)))
            for (what, unit, rate, region), names in sorted(grouped.items(), key=lambda kv: (kv[0][0], kv[0][3]))
        )


def _usage_key(rate: UsageRate, region: str) -> tuple[str, str, Decimal | None, str]:
    return (rate.what, rate.unit, rate.rate, region)


def resource_region(resource: PlanResource, by_urn: Mapping[str, PlanResource], default_region: str) -> str:
    own = resource.inputs.get("region")
    if isinstance(own, str) and own and own != UNKNOWN:
        return own
    if resource.provider:
        provider = by_urn.get(resource.provider.rsplit("::", 1)[0] if "::" in resource.provider else resource.provider)
        region = provider.inputs.get("region") if provider else None
        if isinstance(region, str) and region and region != UNKNOWN:
            return region
    return default_region


def _top(resource: PlanResource, by_urn: Mapping[str, PlanResource]) -> PlanResource:
    top = resource
    seen = {top.urn}
    while top.parent in by_urn and top.parent not in seen:
        top = by_urn[top.parent]
        seen.add(top.urn)
    return top


def no_prices(region: str) -> str:
    return f"no prices for {region}: cost not estimated"


def price_resource(resource: PlanResource, table: PriceTable, region: str, plan: Plan, component: str) -> ResourceCost:
    """One resource's cost (pure apart from reading the plan and the table)."""

    def result(status: Status, reason: str, priced: Priced | None = None) -> ResourceCost:
        return ResourceCost(
            urn=resource.urn,
            type=resource.type,
            name=resource.name,
            region=region,
            component=component,
            status=status,
            lines=priced.lines if priced else (),
            usage=priced.usage if priced else (),
            reason=reason,
        )

    entry = classify(resource.type, custom=resource.custom)
    if entry is None:
        return result("not_estimated", f"{resource.type} is not classified in cost/catalog.py")
    if not isinstance(entry, Billable):
        return result("free", entry.reason)
    try:
        priced = entry.pricer(resource, Context(table, region, plan))
    except MissingPriceError as exc:
        return result("not_estimated", str(exc) if table.has_region(region) else no_prices(region))
    except NotEstimatedError as exc:
        return result("not_estimated", str(exc))
    if not priced.lines and not priced.usage:
        return result("free", priced.note)
    return result("priced", priced.note, priced)


def estimate(resources: Sequence[PlanResource], default_region: str, table: PriceTable) -> Estimate:
    """The cost of every cloud resource of a plan, and of each top-level component."""
    by_urn = {r.urn: r for r in resources}
    plan = Plan(resources)
    costs: list[ResourceCost] = []
    groups: dict[str, tuple[PlanResource, list[ResourceCost]]] = {}
    for resource in sorted(resources, key=lambda r: r.urn):
        if not resource.custom:
            continue
        top = _top(resource, by_urn)
        region = resource_region(resource, by_urn, default_region)
        cost = price_resource(resource, table, region, plan, top.name)
        costs.append(cost)
        groups.setdefault(top.urn, (top, []))[1].append(cost)
    components = tuple(
        ComponentCost(name=top.name, type=top.type, resources=tuple(members))
        for top, members in sorted(groups.values(), key=lambda g: (g[0].name, g[0].type))
    )
    missing = sorted({c.region for c in costs if c.status == "not_estimated" and c.reason == no_prices(c.region)})
    return Estimate(
        region=default_region, resources=tuple(costs), components=components, regions_without_prices=tuple(missing)
    )


def from_graph(graph: Mapping[str, Any], default_region: str, table: PriceTable) -> Estimate:
    """The estimate of an offline plan's graph (the `graph.json` document)."""
    return estimate([PlanResource.from_graph(r) for r in graph.get("resources", [])], default_region, table)
