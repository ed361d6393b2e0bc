"""Least-privilege egress: nothing goes to the whole internet (0.0.0.0/0 or ::/0) except HTTPS.

Services reached over the internet (AWS APIs, the identity provider) speak HTTPS; anything
else - a database port, SSH, all traffic - goes to a named range or security group.

A NAT device is the exception by its nature: its security group's egress is what it forwards
for the private subnets, so it must reach the internet on whatever they send. A NAT device is
recognised as AWS requires one to be configured: a network interface or instance with the
source/destination check off, whose security group that is.
"""

from collections.abc import Iterator, Mapping
from typing import Any

from pulumi_policy import PolicyResource, StackValidationArgs

from .core import CUSTOM, Policy, stack_policy
from .props import UNKNOWN, as_int, as_list, get, known
from .stack import depends_on, identifiers, resources_of

EGRESS_RULE = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"
SECURITY_GROUP_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule"
SECURITY_GROUP_TYPES = ("aws:ec2/securityGroup:SecurityGroup", "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup")
# Where a NAT device names its security groups, and the switch that makes it forward traffic.
NAT_DEVICES = {
    "aws:ec2/networkInterface:NetworkInterface": "securityGroups",
    "aws:ec2/instance:Instance": "vpcSecurityGroupIds",
}

ANYWHERE = ("0.0.0.0/0", "::/0")
HTTPS = 443


def _describe(protocol: Any, from_port: Any, to_port: Any) -> str:
    protocol = str(protocol).lower()
    if protocol in ("-1", "all"):
        return "all traffic"
    low, high = as_int(from_port), as_int(to_port)
    ports = f"{low}" if low == high else f"{low}-{high}"
    return f"{protocol}/{ports}"


def _https_only(protocol: Any, from_port: Any, to_port: Any) -> bool:
    return str(protocol).lower() in ("tcp", "6") and as_int(from_port) == HTTPS and as_int(to_port) == HTTPS


def _rules(resource: PolicyResource) -> list[tuple[list[str], Any, Any, Any]]:
    """(destinations, protocol, from port, to port) of each egress rule `resource` declares."""
    props = resource.props
    if resource.resource_type == EGRESS_RULE:
        cidrs = [str(c) for c in (get(props, "cidrIpv4"), get(props, "cidrIpv6")) if c]
        return [(cidrs, get(props, "ipProtocol"), get(props, "fromPort"), get(props, "toPort"))]
    if resource.resource_type == SECURITY_GROUP_RULE:
        if str(get(props, "type")) != "egress":
            return []
        cidrs = [str(c) for c in as_list(get(props, "cidrBlocks")) + as_list(get(props, "ipv6CidrBlocks"))]
        return [(cidrs, get(props, "protocol"), get(props, "fromPort"), get(props, "toPort"))]
    rules = []
    for rule in as_list(get(props, "egress")):
        cidrs = [str(c) for c in as_list(get(rule, "cidrBlocks")) + as_list(get(rule, "ipv6CidrBlocks"))]
        rules.append((cidrs, get(rule, "protocol"), get(rule, "fromPort"), get(rule, "toPort")))
    return rules


def _names(dependent: PolicyResource, prop: str, group: PolicyResource) -> bool:
    """True when `dependent`'s list property `prop` (or the group id `prop` names) is `group`."""
    if depends_on(dependent, prop, group):
        return True
    value = known(dependent.props, prop)
    if value is UNKNOWN:
        return False
    return bool({str(v) for v in as_list(value)} & identifiers(group))


def _nat_groups(args: StackValidationArgs) -> list[PolicyResource]:
    """Security groups of NAT devices: interfaces or instances with the source/destination check off."""
    devices = [
        (device, prop)
        for device_type, prop in NAT_DEVICES.items()
        for device in resources_of(args, (device_type,))
        if known(device.props, "sourceDestCheck") is False
    ]
    groups = resources_of(args, SECURITY_GROUP_TYPES)
    return [g for g in groups if any(_names(device, prop, g) for device, prop in devices)]


def _internet_egress(args: StackValidationArgs, _: Mapping[str, Any]) -> Iterator[tuple[PolicyResource, str]]:
    nat_groups = _nat_groups(args)
    for resource in resources_of(args, (EGRESS_RULE, SECURITY_GROUP_RULE, *SECURITY_GROUP_TYPES)):
        if resource.resource_type in SECURITY_GROUP_TYPES:
            of_nat = resource in nat_groups
        else:
            of_nat = any(_names(resource, "securityGroupId", group) for group in nat_groups)
        if of_nat:
            continue
        for cidrs, protocol, from_port, to_port in _rules(resource):
            anywhere = [c for c in cidrs if c in ANYWHERE]
            if anywhere and not _https_only(protocol, from_port, to_port):
                yield (
                    resource,
                    f"egress to {', '.join(anywhere)} on {_describe(protocol, from_port, to_port)}: only tcp/443 "
                    "may go to the whole internet; send the rest to its own range or security group",
                )


POLICIES: list[Policy] = [
    stack_policy(
        name="custom-no-internet-egress-except-https",
        control=CUSTOM,
        title="Security groups send nothing to 0.0.0.0/0 or ::/0 except tcp/443, NAT devices' own groups "
        "excepted (papyrus least privilege; not an FSBP control)",
        check=_internet_egress,
        remediation="Restrict the rule to the destination's CIDR range or security group (the database's range "
        "for its port); keep 0.0.0.0/0 for tcp/443 only.",
    ),
]
