"""The committed price table, what the loader refuses, and the cost section of `make plan`."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from components.nat_instance import INSTANCE_TYPES
from cost.table import PriceTableError, load, parse
from offline.__main__ import main as plan_main
from tests.harness import write_project

REQUIRED_REGIONS = ("us-west-2", "us-east-1", "ap-northeast-1")


def test_committed_table_has_a_source_for_every_figure() -> None:
    table = load()
    assert table.hours_per_month == 730
    assert set(REQUIRED_REGIONS) <= table.regions
    for price in table.prices.values():
        assert price.sources, price.key
        for source in price.sources:
            assert source.url.startswith("https://")
            assert source.says
            assert source.read <= datetime.date(2026, 12, 31)


# Prices the table declares but no source read for any region: a resource that needs one is
# reported as not estimated (the header of cost/prices.yaml says why each is missing).
KNOWN_GAPS = {"ssm_advanced_parameter_month"}


def test_every_price_is_there_for_every_required_region() -> None:
    table = load()
    missing = sorted(
        (key, region)
        for key in table.units
        if key not in KNOWN_GAPS
        for region in REQUIRED_REGIONS
        if table.get(key, region) is None
    )
    assert missing == []
    assert all(not any(table.get(key, r) for r in table.regions) for key in KNOWN_GAPS)
    assert table.get("alb_hour", "us-west-2").usd == Decimal("0.0225")  # type: ignore[union-attr]
    assert table.get("alb_hour", "ap-northeast-1").usd == Decimal("0.0243")  # type: ignore[union-attr]
    assert table.get("alb_hour", "eu-west-1") is None


def test_every_nat_instance_type_the_vpc_accepts_is_priced() -> None:
    # components/nat_instance.py's list is the contract: a type added there needs its prices here.
    table = load()
    missing = [
        (instance_type, region)
        for instance_type in INSTANCE_TYPES
        for region in REQUIRED_REGIONS
        if table.get(f"ec2_instance_hour:{instance_type}", region) is None
    ]
    assert missing == []
    assert table.get("ec2_instance_hour:t4g.nano", "ap-northeast-1").usd == Decimal("0.0054")  # type: ignore[union-attr]


def test_figures_from_a_bundle_unit_show_the_multiplication() -> None:
    # AWS's maps price per request; the table's units are bundles of them.
    table = load()
    for key, bundle in (
        ("secretsmanager_api_10k", 10_000),
        ("kms_requests_10k", 10_000),
        ("apigw_http_million_requests", 1_000_000),
        ("waf_million_requests", 1_000_000),
    ):
        for region in REQUIRED_REGIONS:
            price = table.get(key, region)
            assert price is not None
            per_request = price.note.split(" x ")[1].split(" per request")[0]
            assert price.note.startswith(f"{bundle:,} x ")
            assert Decimal(per_request) * bundle == price.usd, (key, region)


GOOD: dict[str, Any] = {
    "hours_per_month": 730,
    "sources": {"page": {"url": "https://example.com/p", "read": "2026-12-01", "via": "x", "says": "$1"}},
    "prices": {"thing_hour": {"unit": "hour", "regions": {"us-west-2": {"usd": "1.00", "sources": ["page"]}}}},
}


def _with(path: tuple[str, ...], value: Any) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(json.dumps(GOOD))
    target = document
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    return document


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (("prices", "thing_hour", "regions", "us-west-2", "usd"), 1.0, "quoted strings"),
        (("prices", "thing_hour", "regions", "us-west-2", "usd"), "-1", "not a price"),
        (("prices", "thing_hour", "regions", "us-west-2", "usd"), "cheap", "not a number"),
        (("prices", "thing_hour", "regions", "us-west-2", "sources"), [], "at least one source"),
        (("prices", "thing_hour", "regions", "us-west-2", "sources"), ["nowhere"], "unknown sources"),
        (("prices", "thing_hour", "regions", "us-west-2", "000 x 0.000005 per request"), None, "unknown fields"),
        (("sources", "page", "url"), "http://example.com", "https://"),
        (("sources", "page", "read"), "yesterday", "YYYY-MM-DD"),
        (("sources", "other"), {"url": "https://e.com", "read": "2026-12-01", "via": "x", "says": "y"}, "cited by no"),
    ],
)
def test_malformed_tables_are_refused(path: tuple[str, ...], value: Any, message: str) -> None:
    assert parse(GOOD).get("thing_hour", "us-west-2") is not None
    with pytest.raises(PriceTableError, match=message):
        parse(_with(path, value))


NAT_PROJECT = {
    "Pulumi.yaml": "name: demo\nruntime: python\nconfig:\n  aws:region:\n    value: us-west-2\n",
    "Pulumi.test.yaml": "config: {}\n",
    "__main__.py": """
import pulumi
from pulumi_aws import ec2

class Egress(pulumi.ComponentResource):
    def __init__(self, name):
        super().__init__("demo:index:Egress", name, None, None)
        eip = ec2.Eip(f"{name}-eip", domain="vpc", opts=pulumi.ResourceOptions(parent=self))
        ec2.NatGateway(f"{name}-nat", subnet_id="subnet-0123", allocation_id=eip.id,
                       opts=pulumi.ResourceOptions(parent=self))
        self.register_outputs({})

Egress("egress")
""",
}


def test_make_plan_prints_the_cost_and_writes_it_to_the_graph(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_project(tmp_path, NAT_PROJECT)
    graph_file = tmp_path / "graph.json"
    assert plan_main(["--project-dir", str(tmp_path), "--stack", "test", "--json", str(graph_file)]) == 0
    out = capsys.readouterr().out
    assert "Cost: USD a month before traffic (730 hours, on-demand, us-west-2)" in out
    rows = {line.strip().split("  ")[0]: line.split()[-1] for line in out.splitlines() if line.startswith("    ")}
    assert rows["egress (Egress)"] == "$36.50"  # 730 x 0.045 + 730 x 0.005
    assert rows["Total"] == "$36.50"
    assert "$0.045 per GB processed: data processed by the NAT gateway (egress-nat)" in out
    graph = json.loads(graph_file.read_text())
    assert graph["cost"]["monthly"] == 36.5
    assert {r["name"]: r["monthlyCost"]["usd"] for r in graph["resources"] if r["custom"]} == {
        "egress-eip": 3.65,
        "egress-nat": 32.85,
    }


def test_make_plan_reports_a_region_without_prices(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_project(tmp_path, NAT_PROJECT)
    assert plan_main(["--project-dir", str(tmp_path), "--stack", "test", "--config", "aws:region=eu-west-1"]) == 0
    out = capsys.readouterr().out
    assert "no prices for eu-west-1: cost not estimated" in out
    assert any(line.split() == ["Total", "not", "estimated", "(priced", "part", "$0.00)"] for line in out.splitlines())
