"""Amazon VPC / EC2 controls: EC2.2, EC2.6, EC2.15."""

from collections.abc import Iterator, Mapping
from typing import Any

from pulumi_policy import PolicyResource, ResourceValidationArgs, StackValidationArgs

from .core import Policy, resource_policy, stack_policy
from .props import as_bool, get, is_list, known
from .stack import referrers, resources_of

VPC_TYPES = ("aws:ec2/vpc:Vpc", "aws:ec2/defaultVpc:DefaultVpc")
DEFAULT_SECURITY_GROUP = "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup"
SECURITY_GROUP_RULE_TYPES = (
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
    "aws:ec2/securityGroupRule:SecurityGroupRule",
)
FLOW_LOG = "aws:ec2/flowLog:FlowLog"
SUBNET_TYPES = ("aws:ec2/subnet:Subnet", "aws:ec2/defaultSubnet:DefaultSubnet")

# Capturing ALL traffic records the rejected packets the control asks for.
FLOW_LOG_TRAFFIC_TYPES = ("REJECT", "ALL")


def _default_security_group_closed(
    args: StackValidationArgs, _: Mapping[str, Any]
) -> Iterator[tuple[PolicyResource, str]]:
    adopted = resources_of(args, [DEFAULT_SECURITY_GROUP])
    for vpc in resources_of(args, VPC_TYPES):
        if not referrers(args, [DEFAULT_SECURITY_GROUP], ("vpcId",), vpc):
            yield (
                vpc,
                "the VPC's default security group keeps AWS's default rules (all traffic between its "
                "members, all egress); adopt it with aws.ec2.DefaultSecurityGroup and no rules",
            )
    for group in adopted:
        for direction in ("ingress", "egress"):
            rules = known(group.props, direction)
            if is_list(rules) and rules:
                yield group, f"the default security group has {len(rules)} {direction} rule(s); it must have none"
        for rule in referrers(args, SECURITY_GROUP_RULE_TYPES, ("securityGroupId",), group):
            yield rule, f"rule adds traffic to the default security group {group.name}, which must allow none"


def _flow_logs_enabled(args: StackValidationArgs, _: Mapping[str, Any]) -> Iterator[tuple[PolicyResource, str]]:
    for vpc in resources_of(args, VPC_TYPES):
        logs = referrers(args, [FLOW_LOG], ("vpcId",), vpc)
        types = {str(known(log.props, "trafficType", default="")).upper() for log in logs}
        if not logs:
            yield vpc, "the VPC has no flow log"
        elif not types & set(FLOW_LOG_TRAFFIC_TYPES):
            yield vpc, f"the VPC's flow logs capture {sorted(types)}, not rejected traffic (REJECT or ALL)"


def _subnet_no_public_ip(args: ResourceValidationArgs, _: Mapping[str, Any]) -> Iterator[str]:
    if as_bool(get(args.props, "mapPublicIpOnLaunch"), default=False):
        yield "mapPublicIpOnLaunch is true: instances launched here get a public IPv4 address"


POLICIES: list[Policy] = [
    stack_policy(
        name="ec2-2-default-security-group-closed",
        control="EC2.2",
        title="VPC default security groups should not allow inbound or outbound traffic",
        check=_default_security_group_closed,
        remediation="Adopt each VPC's default security group with aws.ec2.DefaultSecurityGroup and no "
        "ingress or egress rules; give resources their own security groups.",
    ),
    stack_policy(
        name="ec2-6-vpc-flow-logging",
        control="EC2.6",
        title="VPC flow logging should be enabled in all VPCs (traffic type REJECT or ALL)",
        check=_flow_logs_enabled,
        remediation="Add an aws.ec2.FlowLog for the VPC with trafficType REJECT or ALL.",
    ),
    resource_policy(
        name="ec2-15-subnet-no-auto-public-ip",
        control="EC2.15",
        title="VPC subnets should not automatically assign public IP addresses",
        types=SUBNET_TYPES,
        check=_subnet_no_public_ip,
        remediation="Set mapPublicIpOnLaunch to false; give public addresses explicitly where needed.",
    ),
]
