"""What an estimate is made of: the plan's resources as the pricers see them, cost lines,
usage rates, and the arithmetic that turns prices into monthly figures.

The arithmetic is plain functions of `Decimal`s, so it is exact and tested on its own;
the pricers (`cost/pricers.py`) only pick the quantities out of a resource's inputs.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
"""The value Pulumi sends for an input that is not known until the update runs."""


class NotEstimatedError(Exception):
    """A resource whose cost cannot be computed from the plan and the table; the reason says why."""


class MissingPriceError(NotEstimatedError):
    def __init__(self, key: str, region: str) -> None:
        super().__init__(f"no {key} price for {region} in cost/prices.yaml")
        self.key = key
        self.region = region


# ---- arithmetic ------------------------------------------------------------------------


def monthly(quantity: Decimal, rate: Decimal) -> Decimal:
    """A month of a unit priced at `rate`, `quantity` units of it: the line's cost."""
    return quantity * rate


def hours_of(count: Decimal | int, hours_per_month: Decimal) -> Decimal:
    """Unit-hours in a month for `count` always-on units (730 hours each)."""
    return Decimal(count) * hours_per_month


def fargate_task_hours(
    desired_count: int, vcpu: Decimal, gb: Decimal, hours_per_month: Decimal
) -> tuple[Decimal, Decimal]:
    """(vCPU-hours, GB-hours) a month for `desired_count` tasks of `vcpu` and `gb` each."""
    return (
        Decimal(desired_count) * vcpu * hours_per_month,
        Decimal(desired_count) * gb * hours_per_month,
    )


# Standard Container Insights on Fargate publishes these custom metrics (namespace
# ECS/ContainerInsights; the metric table of the CloudWatch user guide,
# Container-Insights-metrics-ECS): eight resource metrics (CpuUtilized, CpuReserved,
# MemoryUtilized, MemoryReserved, NetworkRxBytes, NetworkTxBytes, StorageReadBytes,
# StorageWriteBytes) at each of three dimension sets — the cluster, each service, each task
# definition family — plus counts: ServiceCount and TaskCount per cluster; DeploymentCount,
# DesiredTaskCount, PendingTaskCount, RunningTaskCount and TaskSetCount per service.
# ContainerInstanceCount counts EC2 container instances, which a Fargate cluster has none of.
# Metrics are aggregated per dimension set, so the number of tasks does not change the count.
RESOURCE_METRICS = 8
CLUSTER_COUNT_METRICS = 2
SERVICE_COUNT_METRICS = 5


def container_insights_metrics(services: int, task_families: int) -> int:
    """Custom metrics a Fargate cluster with standard Container Insights publishes."""
    cluster = RESOURCE_METRICS + CLUSTER_COUNT_METRICS
    per_service = RESOURCE_METRICS + SERVICE_COUNT_METRICS
    per_family = RESOURCE_METRICS
    return cluster + per_service * services + per_family * task_families


def total(figures: Iterable[Decimal | None]) -> Decimal | None:
    """The sum of monthly figures, or None as soon as one of them is unknown."""
    result = Decimal(0)
    for figure in figures:
        if figure is None:
            return None
        result += figure
    return result


def known_total(figures: Iterable[Decimal | None]) -> Decimal:
    """The sum of the figures that are known."""
    return sum((f for f in figures if f is not None), Decimal(0))


# ---- the plan, as pricers see it --------------------------------------------------------


@dataclass(frozen=True)
class PlanResource:
    """One resource of an offline plan's `graph.json` (or of a Deployment rendered as one)."""

    urn: str
    type: str
    name: str
    custom: bool
    parent: str
    provider: str | None
    inputs: Mapping[str, Any]
    dependencies: tuple[str, ...] = ()
    property_dependencies: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def from_graph(cls, entry: Mapping[str, Any]) -> PlanResource:
        return cls(
            urn=entry["urn"],
            type=entry["type"],
            name=entry["name"],
            custom=bool(entry.get("custom", True)),
            parent=entry.get("parent") or "",
            provider=entry.get("provider"),
            inputs=entry.get("inputs") or {},
            dependencies=tuple(entry.get("dependencies") or ()),
            property_dependencies={k: tuple(v) for k, v in (entry.get("propertyDependencies") or {}).items()},
        )


@dataclass(frozen=True)
class Line:
    """One billed quantity of a resource: e.g. 730 NAT gateway-hours at $0.045."""

    what: str
    quantity: Decimal
    unit: str
    price_key: str
    rate: Decimal

    @property
    def usd(self) -> Decimal:
        return monthly(self.quantity, self.rate)


@dataclass(frozen=True)
class UsageRate:
    """A charge that traffic or data drives, on top of the idle cost; `rate` is None when the
    table has no price for the region."""

    what: str
    price_key: str
    unit: str
    rate: Decimal | None


Status = Literal["priced", "free", "not_estimated"]


@dataclass(frozen=True)
class ResourceCost:
    urn: str
    type: str
    name: str
    region: str
    component: str
    """Logical name of the top-level component (or resource) that holds it."""
    status: Status
    lines: tuple[Line, ...] = ()
    usage: tuple[UsageRate, ...] = ()
    reason: str = ""
    """Why it is free, why it is not estimated, or a note on how it was priced."""

    @property
    def monthly(self) -> Decimal | None:
        if self.status == "not_estimated":
            return None
        return known_total(line.usd for line in self.lines)


def as_list(value: Any) -> Sequence[Any] | None:
    """A list input, or None when it is absent or not known yet."""
    if isinstance(value, list) and UNKNOWN not in value:
        return value
    return None
