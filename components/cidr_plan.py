"""Plan a VPC's subnets: one public and one private subnet per availability zone.

Pure logic with no Pulumi import, so it is tested exhaustively and can be used to
preview a layout (`python -c "from components.cidr_plan import plan_subnets; ..."`).

AWS rules the plan obeys
------------------------
* A VPC and each subnet have a prefix from /16 to /28.
* AWS reserves five addresses in every subnet (network address, VPC router, DNS,
  one for future use, broadcast), so a subnet of size S has S - 5 usable addresses
  (`usable_addresses`).
* An Application Load Balancer needs subnets of at least /27 (it scales out onto
  free addresses there). A public subnet of /28 can hold NAT gateways only.

Layout algorithm
----------------
Input: the VPC CIDR (prefix v) and N availability zones.

1. Sizes. A private subnet gets prefix p, a public one prefix q with q > p: private
   subnets hold the workloads, public ones only load balancers and NAT gateways. For a
   given p, q is p + 2 (a quarter of the size) but never smaller than /27, so a load
   balancer fits; only in the tightest VPCs is it /28 (with p = /27). The planner
   takes the largest p (p > v) that satisfies, in this order of preference:

   a. both tiers use at most half of the VPC, and public subnets are /27 or larger:
      the other half stays free to add zones or tiers later;
   b. both tiers fit in the VPC, and public subnets are /27 or larger;
   c. /27 private and /28 public subnets fit: the smallest pair AWS allows.

   Nothing fits when N x (32 + 16) addresses exceed the VPC: `CidrPlanError` says
   how many addresses (and which prefix) N zones need. So every VPC from /16 down to
   the smallest that can hold N pairs gets a plan, and anything smaller is rejected.

2. Placement. The private subnets come first, in zone order, from the VPC's first
   address; the public subnets follow, in zone order. Each block is a power of two no
   larger than the one before it, so every subnet starts on its own boundary and there
   are no gaps: the free space (`unused`) is all at the end of the VPC.

The plan is a pure function of (VPC CIDR, zone count): the same input always gives the
same subnets, and feeding a plan back in as explicit CIDRs returns it unchanged.
Changing the zone count re-plans the public tier (it follows the private one) and, when
the sizes change, both tiers. To add a zone to a live VPC without moving anything, pass
today's subnets as explicit CIDRs and append the new zone's from `unused`.

Worked example: 10.10.0.0/16 (65,536 addresses)
  x 2 zones: /17+/19 pairs need 81,920 and /18+/20 need 40,960, more than half
  (32,768); /19+/21 need 20,480, so rule (a) picks p = /19, q = /21.
      private 10.10.0.0/19, 10.10.32.0/19       (8,187 usable each)
      public  10.10.64.0/21, 10.10.72.0/21      (2,043 usable each)
      unused  10.10.80.0/20, 10.10.96.0/19, 10.10.128.0/17   (45,056 addresses)
  x 3 zones: /19+/21 pairs need 30,720, within half, so the sizes are the same.
      private 10.10.0.0/19, 10.10.32.0/19, 10.10.64.0/19
      public  10.10.96.0/21, 10.10.104.0/21, 10.10.112.0/21
      unused  10.10.120.0/21, 10.10.128.0/17    (34,816 addresses)

Explicit CIDRs
--------------
`public` and `private` replace the plan with a layout of your own (an existing address
scheme, or zones added in place). Both tiers must be given together: planning one tier
around the other would let an edit to one list move the other tier's subnets. Each
list has exactly one CIDR per zone, in zone order; each CIDR is a network address with
a prefix from /16 to /28 inside the VPC, and no two subnets of either tier overlap.
Their relative sizes are yours to choose.
"""

from __future__ import annotations

import ipaddress
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

MIN_PREFIX = 16
"""The largest VPC or subnet AWS allows (/16)."""
MAX_PREFIX = 28
"""The smallest VPC or subnet AWS allows (/28)."""
RESERVED_ADDRESSES = 5
"""Addresses AWS reserves in every subnet."""
LOAD_BALANCER_MAX_PREFIX = 27
"""The smallest subnet an Application Load Balancer accepts (/27)."""

_SMALLEST_PAIR = (LOAD_BALANCER_MAX_PREFIX, MAX_PREFIX)
_EXAMPLE = "such as 10.10.0.0/16"


class CidrPlanError(ValueError):
    """A planner input AWS would reject, or a VPC too small for the zones asked for.

    `argument` names the input ("cidr_block", "az_count", "public_subnet_cidrs" or
    "private_subnet_cidrs"), `value` is what was received (for a list, the offending
    item when there is one) and `expected` says what is allowed.
    """

    def __init__(self, argument: str, value: Any, expected: str) -> None:
        self.argument = argument
        self.value = value
        self.expected = expected
        super().__init__(f"invalid {argument}={value!r}; expected {expected}")


@dataclass(frozen=True)
class SubnetPlan:
    """One public and one private subnet CIDR per zone, in zone order, and the space left over."""

    public: tuple[str, ...]
    private: tuple[str, ...]
    unused: tuple[str, ...]
    """Ranges of the VPC no subnet covers, in address order, as the fewest CIDR blocks.
    For a planned layout they are all at the end of the VPC."""


def usable_addresses(cidr: str) -> int:
    """Addresses a subnet offers to instances, load balancers and tasks: its size minus the five AWS reserves."""
    network = ipaddress.IPv4Network(cidr)
    if not MIN_PREFIX <= network.prefixlen <= MAX_PREFIX:
        raise ValueError(f"{cidr!r} is not a subnet AWS allows (/{MIN_PREFIX} to /{MAX_PREFIX})")
    return network.num_addresses - RESERVED_ADDRESSES


def plan_subnets(
    vpc_cidr: str,
    az_count: int,
    public: Sequence[str] | None = None,
    private: Sequence[str] | None = None,
) -> SubnetPlan:
    """The subnets of a VPC with `az_count` zones; explicit `public`/`private` CIDRs are checked and kept."""
    vpc = _network("cidr_block", vpc_cidr, f"an IPv4 network address with a prefix from /16 to /28, {_EXAMPLE}")
    if isinstance(az_count, bool) or not isinstance(az_count, int) or az_count < 1:
        raise CidrPlanError("az_count", az_count, "a whole number of availability zones, at least 1")
    if public is None and private is None:
        return _planned(vpc, az_count)
    return _explicit(vpc, az_count, public, private)


# ---- the automatic layout -------------------------------------------------------------


def _public_prefix(private_prefix: int) -> int:
    """A quarter of the private size, but room for a load balancer (/27) unless private is already /27."""
    if private_prefix >= LOAD_BALANCER_MAX_PREFIX:
        return MAX_PREFIX
    return min(private_prefix + 2, LOAD_BALANCER_MAX_PREFIX)


def _tiers_size(az_count: int, private_prefix: int, public_prefix: int) -> int:
    return az_count * ((1 << (32 - private_prefix)) + (1 << (32 - public_prefix)))


def _choose_prefixes(vpc: ipaddress.IPv4Network, az_count: int) -> tuple[int, int]:
    pairs = [(p, _public_prefix(p)) for p in range(vpc.prefixlen + 1, LOAD_BALANCER_MAX_PREFIX)]
    # In order of preference: half the VPC left free, then a VPC filled as needed, then the smallest pair.
    for budget, candidates in (
        (vpc.num_addresses // 2, pairs),
        (vpc.num_addresses, pairs),
        (vpc.num_addresses, [_SMALLEST_PAIR]),
    ):
        for private_prefix, public_prefix in candidates:
            if _tiers_size(az_count, private_prefix, public_prefix) <= budget:
                return private_prefix, public_prefix
    raise _too_small(vpc, az_count)


def _too_small(vpc: ipaddress.IPv4Network, az_count: int) -> CidrPlanError:
    needed = _tiers_size(az_count, *_SMALLEST_PAIR)
    prefix = 32 - math.ceil(math.log2(needed))
    pairs = f"a /{_SMALLEST_PAIR[0]} private and a /{_SMALLEST_PAIR[1]} public subnet per zone"
    if prefix < MIN_PREFIX:
        return CidrPlanError(
            "az_count",
            az_count,
            f"at most {(1 << (32 - MIN_PREFIX)) // _tiers_size(1, *_SMALLEST_PAIR)} zones: {az_count} zones need "
            f"{needed} addresses ({pairs}), more than the largest VPC (/{MIN_PREFIX}) holds",
        )
    return CidrPlanError(
        "cidr_block",
        str(vpc),
        f"a VPC of at least {needed} addresses (a /{prefix} or larger) for {az_count} zones: "
        f"{pairs}, the smallest subnets AWS allows with private larger than public",
    )


def _planned(vpc: ipaddress.IPv4Network, az_count: int) -> SubnetPlan:
    private_prefix, public_prefix = _choose_prefixes(vpc, az_count)
    private = _consecutive(int(vpc.network_address), private_prefix, az_count)
    public = _consecutive(int(private[-1].broadcast_address) + 1, public_prefix, az_count)
    return _plan(vpc, public, private)


def _consecutive(start: int, prefix: int, count: int) -> list[ipaddress.IPv4Network]:
    size = 1 << (32 - prefix)
    return [ipaddress.IPv4Network((start + i * size, prefix)) for i in range(count)]


def _plan(
    vpc: ipaddress.IPv4Network, public: list[ipaddress.IPv4Network], private: list[ipaddress.IPv4Network]
) -> SubnetPlan:
    return SubnetPlan(
        public=tuple(str(n) for n in public),
        private=tuple(str(n) for n in private),
        unused=tuple(str(n) for n in _free_ranges(vpc, [*public, *private])),
    )


def _free_ranges(vpc: ipaddress.IPv4Network, used: list[ipaddress.IPv4Network]) -> list[ipaddress.IPv4Network]:
    free: list[ipaddress.IPv4Network] = []
    cursor = int(vpc.network_address)
    for subnet in sorted(used, key=lambda n: int(n.network_address)):
        start = int(subnet.network_address)
        if start > cursor:
            free.extend(_summarize(cursor, start - 1))
        cursor = max(cursor, int(subnet.broadcast_address) + 1)
    if cursor <= int(vpc.broadcast_address):
        free.extend(_summarize(cursor, int(vpc.broadcast_address)))
    return free


def _summarize(first: int, last: int) -> list[ipaddress.IPv4Network]:
    return list(ipaddress.summarize_address_range(ipaddress.IPv4Address(first), ipaddress.IPv4Address(last)))


# ---- explicit CIDRs ------------------------------------------------------------------------


def _explicit(
    vpc: ipaddress.IPv4Network, az_count: int, public: Sequence[str] | None, private: Sequence[str] | None
) -> SubnetPlan:
    if public is None or private is None:
        given, missing = (
            ("public_subnet_cidrs", "private_subnet_cidrs")
            if private is None
            else ("private_subnet_cidrs", "public_subnet_cidrs")
        )
        raise CidrPlanError(
            missing,
            None,
            f"{az_count} CIDRs, one per zone: with {given} given, both tiers must be explicit "
            "(leave both out to have them planned)",
        )
    public_networks = _tier("public_subnet_cidrs", public, vpc, az_count)
    private_networks = _tier("private_subnet_cidrs", private, vpc, az_count)
    _disjoint(
        [("public_subnet_cidrs", n) for n in public_networks] + [("private_subnet_cidrs", n) for n in private_networks]
    )
    return _plan(vpc, public_networks, private_networks)


def _tier(argument: str, cidrs: Any, vpc: ipaddress.IPv4Network, az_count: int) -> list[ipaddress.IPv4Network]:
    if isinstance(cidrs, (str, bytes)) or not isinstance(cidrs, Sequence):
        raise CidrPlanError(argument, cidrs, f"a list of {az_count} CIDRs, one per zone in zone order")
    if len(cidrs) != az_count:
        raise CidrPlanError(argument, list(cidrs), f"exactly {az_count} CIDRs, one per zone in zone order")
    networks = []
    for cidr in cidrs:
        network = _network(argument, cidr, "subnet CIDRs: IPv4 network addresses with a prefix from /16 to /28")
        if not network.subnet_of(vpc):
            raise CidrPlanError(argument, cidr, f"subnets inside the VPC's range {vpc}")
        networks.append(network)
    return networks


def _disjoint(subnets: list[tuple[str, ipaddress.IPv4Network]]) -> None:
    for i, (argument, network) in enumerate(subnets):
        for other_argument, other in subnets[:i]:
            if network.overlaps(other):
                raise CidrPlanError(
                    argument, str(network), f"subnets that overlap no other subnet ({other} in {other_argument} does)"
                )


def _network(argument: str, value: Any, expected: str) -> ipaddress.IPv4Network:
    if not isinstance(value, str) or "/" not in value:
        raise CidrPlanError(argument, value, expected)
    try:
        network = ipaddress.IPv4Network(value, strict=False)
    except ValueError:
        raise CidrPlanError(argument, value, expected) from None
    if not MIN_PREFIX <= network.prefixlen <= MAX_PREFIX:
        raise CidrPlanError(argument, value, expected)
    if str(network) != value:
        raise CidrPlanError(argument, value, f"{expected} (the network address here is {network})")
    return network
