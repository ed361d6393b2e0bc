"""The subnet planner: exact layouts, input checks, and properties over random VPCs."""

from __future__ import annotations

import ipaddress
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from components.cidr_plan import CidrPlanError, SubnetPlan, plan_subnets, usable_addresses

# ---- exact layouts ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("vpc", "zones", "private", "public", "unused"),
    [
        pytest.param(
            "10.10.0.0/16",
            2,
            ("10.10.0.0/19", "10.10.32.0/19"),
            ("10.10.64.0/21", "10.10.72.0/21"),
            ("10.10.80.0/20", "10.10.96.0/19", "10.10.128.0/17"),
            id="16x2-half-free",
        ),
        pytest.param(
            "10.10.0.0/16",
            3,
            ("10.10.0.0/19", "10.10.32.0/19", "10.10.64.0/19"),
            ("10.10.96.0/21", "10.10.104.0/21", "10.10.112.0/21"),
            ("10.10.120.0/21", "10.10.128.0/17"),
            id="16x3-half-free",
        ),
        pytest.param(
            "10.20.0.0/16",
            6,
            tuple(f"10.20.{16 * i}.0/20" for i in range(6)),
            tuple(f"10.20.{96 + 4 * i}.0/22" for i in range(6)),
            ("10.20.120.0/21", "10.20.128.0/17"),
            id="16x6",
        ),
        pytest.param(
            "172.16.0.0/20",
            4,
            ("172.16.0.0/24", "172.16.1.0/24", "172.16.2.0/24", "172.16.3.0/24"),
            ("172.16.4.0/26", "172.16.4.64/26", "172.16.4.128/26", "172.16.4.192/26"),
            ("172.16.5.0/24", "172.16.6.0/23", "172.16.8.0/21"),
            id="20x4",
        ),
        pytest.param(
            "10.0.0.0/24",
            2,
            ("10.0.0.0/26", "10.0.0.64/26"),
            ("10.0.0.128/27", "10.0.0.160/27"),
            ("10.0.0.192/26",),
            id="24x2-fills-beyond-half-to-keep-public-at-27",
        ),
        pytest.param(
            "10.0.0.0/23",
            3,
            ("10.0.0.0/25", "10.0.0.128/25", "10.0.1.0/25"),
            ("10.0.1.128/27", "10.0.1.160/27", "10.0.1.192/27"),
            ("10.0.1.224/27",),
            id="23x3",
        ),
        pytest.param(
            "10.0.0.0/24",
            3,
            ("10.0.0.0/27", "10.0.0.32/27", "10.0.0.64/27"),
            ("10.0.0.96/28", "10.0.0.112/28", "10.0.0.128/28"),
            ("10.0.0.144/28", "10.0.0.160/27", "10.0.0.192/26"),
            id="24x3-smallest-that-fits",
        ),
        pytest.param(
            "192.168.7.128/25",
            2,
            ("192.168.7.128/27", "192.168.7.160/27"),
            ("192.168.7.192/28", "192.168.7.208/28"),
            ("192.168.7.224/27",),
            id="25x2-smallest-that-fits",
        ),
    ],
)
def test_layouts(
    vpc: str, zones: int, private: tuple[str, ...], public: tuple[str, ...], unused: tuple[str, ...]
) -> None:
    assert plan_subnets(vpc, zones) == SubnetPlan(public=public, private=private, unused=unused)


@pytest.mark.parametrize(
    ("vpc", "zones", "needed", "prefix"),
    [
        ("10.0.0.0/26", 2, 96, "/25"),
        ("10.0.0.0/25", 3, 144, "/24"),
        ("10.0.0.0/28", 2, 96, "/25"),
        ("10.0.0.0/24", 6, 288, "/23"),
    ],
)
def test_a_vpc_one_size_too_small_says_how_many_addresses_are_needed(
    vpc: str, zones: int, needed: int, prefix: str
) -> None:
    with pytest.raises(CidrPlanError) as caught:
        plan_subnets(vpc, zones)
    error = caught.value
    assert (error.argument, error.value) == ("cidr_block", vpc)
    assert f"at least {needed} addresses (a {prefix} or larger) for {zones} zones" in error.expected
    assert str(error) == f"invalid cidr_block={vpc!r}; expected {error.expected}"


def test_more_zones_than_any_vpc_holds_blames_the_zone_count() -> None:
    with pytest.raises(CidrPlanError) as caught:
        plan_subnets("10.0.0.0/16", 1366)
    assert (caught.value.argument, caught.value.value) == ("az_count", 1366)
    assert "at most 1365 zones" in caught.value.expected


def test_usable_addresses_subtract_the_five_aws_reserves() -> None:
    assert usable_addresses("10.0.0.0/16") == 65531
    assert usable_addresses("10.10.0.0/19") == 8187
    assert usable_addresses("10.0.0.0/24") == 251
    assert usable_addresses("10.0.0.0/28") == 11
    with pytest.raises(ValueError, match="/16 to /28"):
        usable_addresses("10.0.0.0/29")


# ---- bad VPC and zone count -------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "hint"),
    [
        ("10.10.0.1/16", "the network address here is 10.10.0.0/16"),
        ("10.0.0.0/15", "/16 to /28"),
        ("10.0.0.0/29", "/16 to /28"),
        ("not-a-cidr", "/16 to /28"),
        ("10.0.0.0", "/16 to /28"),
        ("300.0.0.0/16", "/16 to /28"),
        (16, "/16 to /28"),
    ],
)
def test_a_bad_vpc_cidr_is_rejected(value: Any, hint: str) -> None:
    with pytest.raises(CidrPlanError) as caught:
        plan_subnets(value, 2)
    assert (caught.value.argument, caught.value.value) == ("cidr_block", value)
    assert hint in str(caught.value)
    assert f"cidr_block={value!r}" in str(caught.value)


@pytest.mark.parametrize("value", [0, -1, True, 2.0, "2"])
def test_a_bad_zone_count_is_rejected(value: Any) -> None:
    with pytest.raises(CidrPlanError) as caught:
        plan_subnets("10.0.0.0/16", value)
    assert (caught.value.argument, caught.value.value) == ("az_count", value)
    assert f"az_count={value!r}" in str(caught.value)


# ---- explicit CIDRs -----------------------------------------------------------------------

PUBLIC = ["10.0.0.0/24", "10.0.1.0/24"]
PRIVATE = ["10.0.16.0/20", "10.0.32.0/20"]


def test_explicit_cidrs_are_kept_and_the_gaps_reported() -> None:
    plan = plan_subnets("10.0.0.0/16", 2, PUBLIC, PRIVATE)
    assert plan.public == tuple(PUBLIC)
    assert plan.private == tuple(PRIVATE)
    assert plan.unused == ("10.0.2.0/23", "10.0.4.0/22", "10.0.8.0/21", "10.0.48.0/20", "10.0.64.0/18", "10.0.128.0/17")


def test_explicit_tiers_may_be_sized_freely() -> None:
    plan = plan_subnets("10.0.0.0/16", 2, ["10.0.0.0/20", "10.0.16.0/20"], ["10.0.32.0/24", "10.0.33.0/24"])
    assert plan.public == ("10.0.0.0/20", "10.0.16.0/20")


@pytest.mark.parametrize(
    ("public", "private", "argument", "value", "hint"),
    [
        pytest.param(PUBLIC, None, "private_subnet_cidrs", None, "both tiers must be explicit", id="only-public"),
        pytest.param(None, PRIVATE, "public_subnet_cidrs", None, "both tiers must be explicit", id="only-private"),
        pytest.param(
            ["10.0.0.0/24", "10.1.0.0/24"], PRIVATE, "public_subnet_cidrs", "10.1.0.0/24", "inside", id="outside"
        ),
        pytest.param(
            PUBLIC, ["10.0.16.0/20", "10.0.16.0/21"], "private_subnet_cidrs", "10.0.16.0/21", "overlap", id="overlap"
        ),
        pytest.param(
            PUBLIC,
            ["10.0.0.128/25", "10.0.32.0/20"],
            "private_subnet_cidrs",
            "10.0.0.128/25",
            "overlap",
            id="overlap-across-tiers",
        ),
        pytest.param(
            PUBLIC,
            ["10.0.0.0/24", "10.0.32.0/20"],
            "private_subnet_cidrs",
            "10.0.0.0/24",
            "10.0.0.0/24 in public_subnet_cidrs",
            id="duplicate-across-tiers",
        ),
        pytest.param(
            ["10.0.0.0/29", "10.0.1.0/24"], PRIVATE, "public_subnet_cidrs", "10.0.0.0/29", "/16 to /28", id="too-small"
        ),
        pytest.param(
            ["10.0.0.0/15", "10.0.1.0/24"], PRIVATE, "public_subnet_cidrs", "10.0.0.0/15", "/16 to /28", id="too-big"
        ),
        pytest.param(
            ["10.0.0.1/24", "10.0.1.0/24"],
            PRIVATE,
            "public_subnet_cidrs",
            "10.0.0.1/24",
            "network address here is 10.0.0.0/24",
            id="not-a-network-address",
        ),
        pytest.param(["garbage", "10.0.1.0/24"], PRIVATE, "public_subnet_cidrs", "garbage", "/16 to /28", id="garbage"),
        pytest.param([None, "10.0.1.0/24"], PRIVATE, "public_subnet_cidrs", None, "/16 to /28", id="not-a-string"),
        pytest.param(["10.0.0.0/24"], PRIVATE, "public_subnet_cidrs", ["10.0.0.0/24"], "exactly 2", id="too-few"),
        pytest.param(
            PUBLIC,
            [*PRIVATE, "10.0.48.0/20"],
            "private_subnet_cidrs",
            [*PRIVATE, "10.0.48.0/20"],
            "exactly 2",
            id="too-many",
        ),
        pytest.param(
            "10.0.0.0/24", PRIVATE, "public_subnet_cidrs", "10.0.0.0/24", "a list of 2", id="a-string-not-a-list"
        ),
    ],
)
def test_bad_explicit_cidrs_are_rejected(public: Any, private: Any, argument: str, value: Any, hint: str) -> None:
    with pytest.raises(CidrPlanError) as caught:
        plan_subnets("10.0.0.0/16", 2, public, private)
    error = caught.value
    assert (error.argument, error.value) == (argument, value)
    assert f"{argument}={value!r}" in str(error)
    assert hint in error.expected


# ---- properties over random VPCs ------------------------------------------------------------


@st.composite
def vpcs(draw: st.DrawFn) -> ipaddress.IPv4Network:
    prefix = draw(st.integers(min_value=16, max_value=28))
    address = draw(st.integers(min_value=0, max_value=2**32 - 1))
    return ipaddress.IPv4Network((address >> (32 - prefix) << (32 - prefix), prefix))


def _networks(cidrs: tuple[str, ...]) -> list[ipaddress.IPv4Network]:
    return [ipaddress.IPv4Network(c) for c in cidrs]


@settings(max_examples=200, deadline=None)
@given(vpc=vpcs(), zones=st.integers(min_value=2, max_value=6))
def test_every_vpc_that_can_hold_the_zones_gets_a_sound_plan(vpc: ipaddress.IPv4Network, zones: int) -> None:
    # The smallest pair AWS allows with private larger than public: /27 + /28.
    fits = zones * (32 + 16) <= vpc.num_addresses
    if not fits:
        with pytest.raises(CidrPlanError) as caught:
            plan_subnets(str(vpc), zones)
        assert caught.value.argument == "cidr_block"
        assert f"at least {zones * 48} addresses" in caught.value.expected
        return

    plan = plan_subnets(str(vpc), zones)
    public, private, unused = _networks(plan.public), _networks(plan.private), _networks(plan.unused)
    subnets = [*private, *public]

    assert (len(public), len(private)) == (zones, zones)
    assert all(s.subnet_of(vpc) and 16 <= s.prefixlen <= 28 for s in subnets)
    assert all(not a.overlaps(b) for i, a in enumerate(subnets + unused) for b in (subnets + unused)[:i])
    assert sum(n.num_addresses for n in subnets + unused) == vpc.num_addresses
    assert len({s.prefixlen for s in private}) == 1
    assert len({s.prefixlen for s in public}) == 1
    assert private[0].num_addresses > public[0].num_addresses
    for subnet in subnets:
        assert usable_addresses(str(subnet)) == subnet.num_addresses - 5
    # The free space is all at the end, in one run.
    last_used = max(int(s.broadcast_address) for s in subnets)
    assert all(int(u.network_address) > last_used for u in unused)
    # Public subnets can host a load balancer (/27) whenever a /26 + /27 pair per zone fits.
    if zones * (64 + 32) <= vpc.num_addresses:
        assert public[0].prefixlen <= 27


@settings(max_examples=200, deadline=None)
@given(vpc=vpcs(), zones=st.integers(min_value=2, max_value=6))
def test_plans_are_stable_and_re_feeding_a_plan_changes_nothing(vpc: ipaddress.IPv4Network, zones: int) -> None:
    try:
        plan = plan_subnets(str(vpc), zones)
    except CidrPlanError:
        return
    assert plan_subnets(str(vpc), zones) == plan
    assert plan_subnets(str(vpc), zones, None, None) == plan
    assert plan_subnets(str(vpc), zones, list(plan.public), list(plan.private)) == plan
