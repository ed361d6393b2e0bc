"""The cost arithmetic on its own: exact values worked by hand, and properties that hold for
any plan (a total is the sum of its components, tasks scale linearly, a region without
prices never yields a number)."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from cost.estimate import estimate
from cost.model import (
    PlanResource,
    container_insights_metrics,
    fargate_task_hours,
    hours_of,
    known_total,
    monthly,
    total,
)
from cost.report import change, money, rate
from cost.table import load

TABLE = load()
HOURS = Decimal(730)
STACK = "urn:pulumi:t::p::pulumi:pulumi:Stack::p-t"


def test_exact_monthly_figures_worked_by_hand() -> None:
    # 730 x 0.0225 = 16.425: one load balancer-month.
    assert monthly(hours_of(1, HOURS), Decimal("0.0225")) == Decimal("16.425")
    # 730 x 0.045 = 32.85: one NAT gateway-month; 3 x 730 x 0.005 = 10.95: three public IPv4 addresses.
    assert monthly(hours_of(1, HOURS), Decimal("0.045")) == Decimal("32.85")
    assert monthly(hours_of(3, HOURS), Decimal("0.005")) == Decimal("10.95")
    # 2 tasks x 0.5 vCPU x 730 = 730 vCPU-hours; 2 x 1 GB x 730 = 1,460 GB-hours.
    assert fargate_task_hours(2, Decimal("0.5"), Decimal(1), HOURS) == (Decimal(730), Decimal(1460))
    # 730 x 0.04048 = 29.5504 and 1,460 x 0.004445 = 6.4897.
    assert monthly(Decimal(730), Decimal("0.04048")) == Decimal("29.5504")
    assert monthly(Decimal(1460), Decimal("0.004445")) == Decimal("6.4897")


def test_container_insights_metric_count() -> None:
    # 10 for the cluster (8 resource metrics + ServiceCount, TaskCount), 13 per service (8 + 5
    # counts), 8 per task family: one service of one family is 10 + 13 + 8 = 31 metrics.
    assert container_insights_metrics(0, 0) == 10
    assert container_insights_metrics(1, 1) == 31
    assert container_insights_metrics(3, 2) == 10 + 39 + 16


def test_money_rounds_half_up_to_the_cent() -> None:
    assert money(Decimal("16.425")) == "$16.43"
    assert money(Decimal("9.010025")) == "$9.01"
    assert money(Decimal("1234.5")) == "$1,234.50"
    assert change(Decimal("-29.04")) == "-$29.04"
    assert change(Decimal("36.5")) == "+$36.50"
    assert change(Decimal("0.004")) == "$0.00"
    assert rate(Decimal("0.0225")) == "$0.0225"
    assert rate(Decimal("0.40")) == "$0.40"
    assert rate(Decimal("5")) == "$5.00"


def test_total_is_unknown_as_soon_as_one_figure_is() -> None:
    assert total([Decimal(1), Decimal(2)]) == Decimal(3)
    assert total([Decimal(1), None, Decimal(2)]) is None
    assert known_total([Decimal(1), None, Decimal(2)]) == Decimal(3)
    assert total([]) == Decimal(0)


# ---- properties over generated plans ------------------------------------------------------


def _resource(
    urn: str, type_: str, inputs: Mapping[str, Any], parent: str = STACK, **deps: tuple[str, ...]
) -> PlanResource:
    return PlanResource(
        urn=urn,
        type=type_,
        name=urn.rsplit("::", 1)[-1],
        custom=True,
        parent=parent,
        provider=None,
        inputs=dict(inputs),
        property_dependencies=dict(deps),
    )


def _component(name: str) -> PlanResource:
    return PlanResource(
        urn=f"urn:pulumi:t::p::papyrus:index:Box::{name}",
        type="papyrus:index:Box",
        name=name,
        custom=False,
        parent=STACK,
        provider=None,
        inputs={},
    )


def _service_plan(desired: int, cpu: int, memory: int, arch: str = "X86_64") -> list[PlanResource]:
    task = _resource(
        "urn:t::task",
        "aws:ecs/taskDefinition:TaskDefinition",
        {"cpu": str(cpu), "memory": str(memory), "family": "f", "runtimePlatform": {"cpuArchitecture": arch}},
    )
    service = _resource(
        "urn:t::service",
        "aws:ecs/service:Service",
        {"launchType": "FARGATE", "desiredCount": desired},
        taskDefinition=(task.urn,),
    )
    return [task, service]


SIZES = st.sampled_from([(256, 512), (256, 2048), (512, 1024), (1024, 3072), (2048, 8192), (4096, 30720)])


@given(desired=st.integers(min_value=0, max_value=50), size=SIZES, arch=st.sampled_from(["X86_64", "ARM64"]))
@settings(max_examples=40, deadline=None)
def test_fargate_cost_scales_linearly_with_desired_count(desired: int, size: tuple[int, int], arch: str) -> None:
    one = estimate(_service_plan(1, *size, arch), "us-east-1", TABLE).monthly
    many = estimate(_service_plan(desired, *size, arch), "us-east-1", TABLE).monthly
    assert one is not None
    assert many == one * desired


NAT: tuple[str, dict[str, Any]] = ("aws:ec2/natGateway:NatGateway", {})
EIP: tuple[str, dict[str, Any]] = ("aws:ec2/eip:Eip", {"domain": "vpc"})
SECRET: tuple[str, dict[str, Any]] = ("aws:secretsmanager/secret:Secret", {})
ALB: tuple[str, dict[str, Any]] = (
    "aws:lb/loadBalancer:LoadBalancer",
    {"internal": False, "subnets": ["subnet-a", "subnet-b"]},
)
INTERNAL_ALB: tuple[str, dict[str, Any]] = (
    "aws:lb/loadBalancer:LoadBalancer",
    {"internal": True, "subnets": ["subnet-a", "subnet-b"]},
)
FREE: tuple[str, dict[str, Any]] = ("aws:ec2/subnet:Subnet", {})
KINDS = st.sampled_from([NAT, EIP, SECRET, ALB, INTERNAL_ALB, FREE])
PLANS = st.lists(st.tuples(st.sampled_from(["a", "b", "c"]), KINDS), min_size=1, max_size=12)


def _plan(spec: list[tuple[str, tuple[str, dict[str, Any]]]]) -> list[PlanResource]:
    resources: list[PlanResource] = [_component(name) for name in "abc"]
    for i, (owner, (type_, inputs)) in enumerate(spec):
        resources.append(
            _resource(f"urn:t::r{i}", type_, inputs, parent=f"urn:pulumi:t::p::papyrus:index:Box::{owner}")
        )
    return resources


@given(spec=PLANS, region=st.sampled_from(["us-east-1", "us-west-2", "ap-northeast-1"]))
@settings(max_examples=60, deadline=None)
def test_total_is_the_sum_of_components_and_of_resources(
    spec: list[tuple[str, tuple[str, dict[str, Any]]]], region: str
) -> None:
    result = estimate(_plan(spec), region, TABLE)
    assert result.monthly == total(c.monthly for c in result.components)
    assert result.monthly == total(r.monthly for r in result.resources)
    assert result.known == sum((c.known for c in result.components), Decimal(0))
    for component in result.components:
        if component.monthly is not None:
            assert component.monthly == sum((line.usd for r in component.resources for line in r.lines), Decimal(0))
    assert result.monthly is not None  # every kind above is priced in all three regions


@given(spec=PLANS, region=st.sampled_from(["eu-west-1", "sa-east-1", "mars-north-1"]))
@settings(max_examples=60, deadline=None)
def test_a_region_without_prices_never_yields_a_number(
    spec: list[tuple[str, tuple[str, dict[str, Any]]]], region: str
) -> None:
    result = estimate(_plan(spec), region, TABLE)
    billable = [r for r in result.resources if r.type != "aws:ec2/subnet:Subnet"]
    if billable:
        assert result.monthly is None
        assert result.regions_without_prices == (region,)
        assert all(r.monthly is None for r in billable)
    else:
        assert result.monthly == 0
