"""Connections between security groups, opened on both sides.

Groups here carry no inline rules and no default egress, so a connection from group A
to group B on a port needs two rules: egress on A to B, and ingress on B from A. Both
are separate `pulumi_aws.vpc` rule resources (inline `ingress=`/`egress=` blocks would
fight with them), created together so neither side is ever forgotten.
"""

from collections.abc import Mapping

import pulumi
from pulumi_aws import vpc


def allow_tcp(
    *,
    source_group_id: pulumi.Input[str],
    target_group_id: pulumi.Input[str],
    port: pulumi.Input[int],
    egress_name: str,
    ingress_name: str,
    description: str,
    tags: Mapping[str, pulumi.Input[str]] | None,
    opts: pulumi.ResourceOptions,
) -> tuple[vpc.SecurityGroupEgressRule, vpc.SecurityGroupIngressRule]:
    """Let `source_group_id` reach `target_group_id` on TCP `port`, and nothing more."""
    egress = vpc.SecurityGroupEgressRule(
        egress_name,
        security_group_id=source_group_id,
        referenced_security_group_id=target_group_id,
        ip_protocol="tcp",
        from_port=port,
        to_port=port,
        description=description,
        tags=tags,
        opts=opts,
    )
    ingress = vpc.SecurityGroupIngressRule(
        ingress_name,
        security_group_id=target_group_id,
        referenced_security_group_id=source_group_id,
        ip_protocol="tcp",
        from_port=port,
        to_port=port,
        description=description,
        tags=tags,
        opts=opts,
    )
    return egress, ingress
