"""components.ordering.after: a value read through its prerequisites carries their dependencies."""

from __future__ import annotations

from typing import Any

import pulumi
from pulumi_aws import ec2

from components.ordering import after
from tests.harness import run_component


def test_plain_values_stay_plain_without_an_output_to_wait_for() -> None:
    assert after("vpc-0123456789abcdef0") == "vpc-0123456789abcdef0"
    assert after(5000, 5000, "plain") == 5000


def test_a_resource_built_on_the_value_waits_for_every_prerequisite() -> None:
    def build() -> dict[str, Any]:
        vpc = ec2.Vpc("vpc", cidr_block="10.0.0.0/16")
        gateway = ec2.InternetGateway("igw")
        table = ec2.RouteTable("table", vpc_id=after(vpc.id, gateway.id, "plain"))
        return {"vpc": after(pulumi.Output.from_input("x"), table.id)}

    deployment = run_component(build)
    vpc, gateway, table = (
        deployment.one(t)
        for t in ("aws:ec2/vpc:Vpc", "aws:ec2/internetGateway:InternetGateway", "aws:ec2/routeTable:RouteTable")
    )
    assert table.inputs["vpcId"] == vpc.id
    assert set(table.property_dependencies["vpcId"]) == {vpc.urn, gateway.urn}
    assert deployment.outputs == {"vpc": "x"}
