"""Least-privilege egress: nothing goes to the whole internet (0.0.0.0/0 or ::/0) except HTTPS.

Services reached over the internet (AWS APIs, the identity provider) speak HTTPS; anything
else - a database port, SSH, all traffic - goes to a named range or security group.
"""

from collections.abc import Iterator, Mapping
from typing import Any

from pulumi_policy import ResourceValidationArgs

from .core import CUSTOM, Policy, resource_policy
from .props import as_int, as_list, get

EGRESS_RULE = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"
SECURITY_GROUP_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule"
SECURITY_GROUP_TYPES = ("aws:ec2/securityGroup:SecurityGroup", "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup")

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


def _internet_egress(args: ResourceValidationArgs, _: Mapping[str, Any]) -> Iterator[str]:
    props = args.props
    rules: list[tuple[list[str], Any, Any, Any]] = []
    if args.resource_type == EGRESS_RULE:
        cidrs = [str(c) for c in (get(props, "cidrIpv4"), get(props, "cidrIpv6")) if c]
        rules.append((cidrs, get(props, "ipProtocol"), get(props, "fromPort"), get(props, "toPort")))
    elif args.resource_type == SECURITY_GROUP_RULE:
        if str(get(props, "type")) != "egress":
            return
        cidrs = [str(c) for c in as_list(get(props, "cidrBlocks")) + as_list(get(props, "ipv6CidrBlocks"))]
        rules.append((cidrs, get(props, "protocol"), get(props, "fromPort"), get(props, "toPort")))
    else:
        for rule in as_list(get(props, "egress")):
            cidrs = [str(c) for c in as_list(get(rule, "cidrBlocks")) + as_list(get(rule, "ipv6CidrBlocks"))]
            rules.append((cidrs, get(rule, "protocol"), get(rule, "fromPort"), get(rule, "toPort")))
    for cidrs, protocol, from_port, to_port in rules:
        anywhere = [c for c in cidrs if c in ANYWHERE]
        if anywhere and not _https_only(protocol, from_port, to_port):
            yield (
                f"egress to {', '.join(anywhere)} on {_describe(protocol, from_port, to_port)}: only tcp/443 may go "
                "to the whole internet; send the rest to its own range or security group"
            )


POLICIES: list[Policy] = [
    resource_policy(
        name="custom-no-internet-egress-except-https",
        control=CUSTOM,
        title="Security groups send nothing to 0.0.0.0/0 or ::/0 except tcp/443 "
        "(papyrus least privilege; not an FSBP control)",
        types=(EGRESS_RULE, SECURITY_GROUP_RULE, *SECURITY_GROUP_TYPES),
        check=_internet_egress,
        remediation="Restrict the rule to the destination's CIDR range or security group (the database's range "
        "for its port); keep 0.0.0.0/0 for tcp/443 only.",
    ),
]
