"""An estimate as people and tools read it: the text `make plan` prints, the fields
`graph.json` carries (a `monthlyCost` per cloud resource and a `cost` summary), and the
Markdown table of a pull request."""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from cost.estimate import Estimate
from cost.model import ResourceCost
from cost.table import TABLE_PATH, PriceTable

CENT = Decimal("0.01")
JSON_PLACES = Decimal("0.000001")


def money(amount: Decimal) -> str:
    """Dollars to the cent, rounded half up: 16.425 → $16.43."""
    cents = amount.quantize(CENT, rounding=ROUND_HALF_UP)
    sign = "-" if cents < 0 else ""
    return f"{sign}${abs(cents):,.2f}"


def change(amount: Decimal) -> str:
    cents = amount.quantize(CENT, rounding=ROUND_HALF_UP)
    if cents == 0:
        return "$0.00"
    return f"+{money(cents)}" if cents > 0 else money(cents)


def rate(amount: Decimal) -> str:
    """A unit price as the table writes it: $0.0225, $0.40."""
    text = format(amount.normalize(), "f")
    if "." not in text:
        return f"${text}.00"
    whole, frac = text.split(".")
    return f"${whole}.{frac.ljust(2, '0')}"


def as_json_number(amount: Decimal | None) -> float | None:
    if amount is None:
        return None
    return float(amount.quantize(JSON_PLACES, rounding=ROUND_HALF_UP))


# ---- make plan ----------------------------------------------------------------------------


def plan_text(estimate: Estimate, table: PriceTable) -> str:
    """The cost section of the offline plan."""
    header = (
        f"Cost: USD a month before traffic (730 hours, on-demand, {estimate.region}); "
        f"prices from {TABLE_PATH.name}, read {table.last_read.isoformat()}"
    )
    lines = [header]
    for region in estimate.regions_without_prices:
        lines.append(f"    no prices for {region}: cost not estimated")
    shown = [c for c in estimate.components if c.billable]
    width = max([len(f"{c.name} ({_short(c.type)})") for c in shown] + [5])
    for component in shown:
        figure = money(component.monthly) if component.monthly is not None else "not estimated"
        lines.append(f"    {component.name + ' (' + _short(component.type) + ')':<{width}}  {figure:>13}")
    total = estimate.monthly
    total_text = money(total) if total is not None else f"not estimated (priced part {money(estimate.known)})"
    lines.append(f"    {'Total':<{width}}  {total_text:>13}")
    free = sum(1 for r in estimate.resources if r.status == "free")
    lines.append(f"    ({free} resources are free; graph.json gives each resource's figure or reason)")
    # A region without prices is said once above, not once per resource.
    missing = [r for r in estimate.not_estimated if r.region not in estimate.regions_without_prices]
    if missing:
        lines.append("  Not estimated:")
        lines += [f"    {r.name} ({r.type}): {r.reason}" for r in missing]
    usage = estimate.usage
    if usage:
        lines.append("  On top, with traffic:")
        for item in usage:
            price = f"{rate(item.rate)} per {item.unit}" if item.rate is not None else f"no price for {item.region}"
            names = ", ".join(item.resources) if len(item.resources) <= 3 else f"{len(item.resources)} resources"
            lines.append(f"    {price}: {item.what} ({names})")
    return "\n".join(lines)


def _short(type_: str) -> str:
    return type_.rsplit(":", 1)[-1]


# ---- graph.json ---------------------------------------------------------------------------


def resource_json(cost: ResourceCost) -> dict[str, Any]:
    document: dict[str, Any] = {"status": cost.status, "usd": as_json_number(cost.monthly), "region": cost.region}
    if cost.lines:
        document["lines"] = [
            {
                "what": line.what,
                "quantity": as_json_number(line.quantity),
                "unit": line.unit,
                "price": line.price_key,
                "rate": as_json_number(line.rate),
                "usd": as_json_number(line.usd),
            }
            for line in cost.lines
        ]
    if cost.usage:
        document["usage"] = [
            {"what": u.what, "unit": u.unit, "price": u.price_key, "rate": as_json_number(u.rate)} for u in cost.usage
        ]
    if cost.reason:
        document["reason" if cost.status != "priced" else "note"] = cost.reason
    return document


def summary_json(estimate: Estimate, table: PriceTable) -> dict[str, Any]:
    return {
        "currency": table.currency,
        "hoursPerMonth": int(table.hours_per_month),
        "region": estimate.region,
        "prices": f"cost/{TABLE_PATH.name}",
        "pricesRead": table.last_read.isoformat(),
        "monthly": as_json_number(estimate.monthly),
        "knownMonthly": as_json_number(estimate.known),
        "components": [{"name": c.name, "type": c.type, "usd": as_json_number(c.monthly)} for c in estimate.components],
        "regionsWithoutPrices": list(estimate.regions_without_prices),
        "notEstimated": [{"urn": r.urn, "reason": r.reason} for r in estimate.not_estimated],
        "usage": [
            {
                "what": u.what,
                "unit": u.unit,
                "rate": as_json_number(u.rate),
                "region": u.region,
                "resources": list(u.resources),
            }
            for u in estimate.usage
        ],
    }


def annotate(graph: MutableMapping[str, Any], estimate: Estimate, table: PriceTable) -> None:
    """Add each cloud resource's `monthlyCost` and the plan's `cost` summary to a graph document."""
    by_urn = {c.urn: c for c in estimate.resources}
    for entry in graph.get("resources", []):
        cost = by_urn.get(entry.get("urn", ""))
        if cost is not None:
            entry["monthlyCost"] = resource_json(cost)
    graph["cost"] = summary_json(estimate, table)


# ---- pull requests ------------------------------------------------------------------------


def components_of(graph: Mapping[str, Any]) -> dict[str, tuple[str, Decimal | None]] | None:
    """Component name → (type, monthly USD or None) from a graph's `cost` summary, or None when
    the graph carries no cost (a plan made before cost existed)."""
    summary = graph.get("cost")
    if not isinstance(summary, Mapping) or not isinstance(summary.get("components"), list):
        return None
    found: dict[str, tuple[str, Decimal | None]] = {}
    for component in summary["components"]:
        usd = component.get("usd")
        found[str(component["name"])] = (str(component.get("type", "")), None if usd is None else Decimal(str(usd)))
    return found


def total_of(graph: Mapping[str, Any]) -> Decimal | None:
    summary = graph.get("cost") or {}
    usd = summary.get("monthly")
    return None if usd is None else Decimal(str(usd))


def diff_markdown(stack: str, base: Mapping[str, Any] | None, head: Mapping[str, Any]) -> str:
    """Base and head monthly cost per component, and the difference, as Markdown."""
    head_components = components_of(head)
    region = (head.get("cost") or {}).get("region", "")
    title = f"### Cost: {stack}" + (f" ({region})" if region else "") + ", USD a month before traffic"
    if head_components is None:
        return f"{title}\n\nThe head plan carries no cost.\n"
    base_components = components_of(base) if base is not None else None
    lines = [title, ""]
    if base_components is None:
        lines += ["No base cost: the base branch's plan is missing or carries no cost.", ""]
    lines += ["| Component | Base | Head | Change |", "|---|---:|---:|---:|"]
    names = sorted(set(head_components) | set(base_components or {}))
    for name in names:
        type_, head_usd = head_components.get(name, ("", Decimal(0)))
        if base_components is None:
            base_usd: Decimal | None = None
        else:
            base_type, base_usd = base_components.get(name, (type_, Decimal(0)))
            type_ = type_ or base_type
        if head_usd == 0 and (base_usd is None or base_usd == 0):
            continue  # free in both plans (usage only, or nothing billable): no row
        label = f"{name} ({_short(type_)})" if type_ else name
        lines.append(
            f"| {label} | {_cell(base_usd, base_components)} | {_cell(head_usd)} | {_delta(base_usd, head_usd)} |"
        )
    base_total = total_of(base) if base_components is not None and base is not None else None
    head_total = total_of(head)
    lines.append(
        f"| **Total** | {_cell(base_total, base_components, bold=True)} | {_cell(head_total, bold=True)} | "
        f"{_delta(base_total, head_total, bold=True)} |"
    )
    missing = [item["reason"] for item in (head.get("cost") or {}).get("notEstimated", [])]
    if missing:
        lines += ["", "Not estimated in head: " + "; ".join(sorted(set(missing)))]
    return "\n".join(lines) + "\n"


def _cell(usd: Decimal | None, present: object = True, *, bold: bool = False) -> str:
    if present is None:
        return "—"
    text = money(usd) if usd is not None else "not estimated"
    return f"**{text}**" if bold else text


def _delta(base: Decimal | None, head: Decimal | None, *, bold: bool = False) -> str:
    if base is None or head is None:
        return "—"
    text = change(head - base)
    return f"**{text}**" if bold else text
