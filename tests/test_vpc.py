"""PublicPrivateVpc under the mock engine: topology, routing, security defaults and bad input."""

from __future__ import annotations

import functools
import json
from typing import Any

import pulumi
import pytest
from pulumi.provider.experimental.component import ComponentProvider
from pulumi.runtime import mocks as pulumi_mocks
from pulumi_aws import ec2, lb
from pulumi_aws.provider import Provider

from components.testing.engine import Deployment, RegisteredResource, run
from components.testing.mocks import AwsMocks
from components.validation import InvalidArgumentError
from components.vpc import (
    FlowLogTrafficType,
    GatewayEndpointService,
    NatStrategy,
    PublicPrivateVpc,
    PublicPrivateVpcArgs,
)
from tests.harness import rejects, run_component

VPC = "aws:ec2/vpc:Vpc"
SUBNET = "aws:ec2/subnet:Subnet"
IGW = "aws:ec2/internetGateway:InternetGateway"
ATTACHMENT = "aws:ec2/internetGatewayAttachment:InternetGatewayAttachment"
EIP = "aws:ec2/eip:Eip"
NAT = "aws:ec2/natGateway:NatGateway"
TABLE = "aws:ec2/routeTable:RouteTable"
ROUTE = "aws:ec2/route:Route"
ASSOCIATION = "aws:ec2/routeTableAssociation:RouteTableAssociation"
ENDPOINT = "aws:ec2/vpcEndpoint:VpcEndpoint"
LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
ROLE = "aws:iam/role:Role"
ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy"
FLOW_LOG = "aws:ec2/flowLog:FlowLog"
DEFAULT_SG = "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup"
COMPONENT = "papyrus:index:PublicPrivateVpc"

OUTPUTS = (
    "vpc_id",
    "cidr_block",
    "availability_zones",
    "public_subnet_ids",
    "private_subnet_ids",
    "public_subnet_cidrs",
    "private_subnet_cidrs",
    "public_route_table_id",
    "private_route_table_ids",
    "nat_gateway_ids",
    "nat_instance_ids",
    "nat_public_ips",
    "default_security_group_id",
    "flow_log_group_name",
    "flow_log_group_arn",
)
STRATEGIES = ("none", "single", "per_az")
ZONES = ("us-west-2a", "us-west-2b", "us-west-2c")
# The planner's layout for 10.10.0.0/16 (components/cidr_plan.py's worked example).
PRIVATE_CIDRS = ("10.10.0.0/19", "10.10.32.0/19", "10.10.64.0/19")
PUBLIC_CIDRS = {2: ("10.10.64.0/21", "10.10.72.0/21"), 3: ("10.10.96.0/21", "10.10.104.0/21", "10.10.112.0/21")}
LAYOUTS = [pytest.param(s, n, id=f"{s}-{n}az") for s in STRATEGIES for n in (2, 3)]


def _exports(vpc: PublicPrivateVpc) -> dict[str, Any]:
    return {key: getattr(vpc, key) for key in OUTPUTS}


@functools.cache
def _deployment(strategy: str, zones: int) -> Deployment:
    """One run per layout, shared by the tests of this module (treat it as read-only)."""
    args: PublicPrivateVpcArgs = {
        "cidr_block": "10.10.0.0/16",
        "availability_zone_count": zones,
        "nat_strategy": NatStrategy(strategy),
        "tags": {"team": "platform"},
    }
    return run_component(lambda: _exports(PublicPrivateVpc("net", args)))


def _ids(deployment: Deployment, output: str) -> list[RegisteredResource]:
    return [deployment.by_id(i) for i in deployment.outputs[output]]


def _zone(deployment: Deployment, subnet_id: str) -> str:
    zone: str = deployment.by_id(subnet_id).inputs["availabilityZone"]
    return zone


def _table_of(deployment: Deployment, subnet: RegisteredResource) -> RegisteredResource:
    [association] = [a for a in deployment.of_type(ASSOCIATION) if a.inputs["subnetId"] == subnet.id]
    return deployment.by_id(association.inputs["routeTableId"])


def _default_routes(deployment: Deployment, table: RegisteredResource) -> list[RegisteredResource]:
    return [
        r
        for r in deployment.of_type(ROUTE)
        if r.inputs["routeTableId"] == table.id and r.inputs.get("destinationCidrBlock") == "0.0.0.0/0"
    ]


# ---- topology, per strategy and zone count ------------------------------------------------------


@pytest.mark.parametrize(("strategy", "zones"), LAYOUTS)
def test_one_public_and_one_private_subnet_per_zone(strategy: str, zones: int) -> None:
    deployment = _deployment(strategy, zones)
    vpc = deployment.one(VPC)
    public, private = _ids(deployment, "public_subnet_ids"), _ids(deployment, "private_subnet_ids")

    assert len(deployment.of_type(SUBNET)) == 2 * zones
    assert deployment.outputs["availability_zones"] == list(ZONES[:zones])
    for tier, subnets, cidrs in (("public", public, PUBLIC_CIDRS[zones]), ("private", private, PRIVATE_CIDRS[:zones])):
        assert [s.inputs["availabilityZone"] for s in subnets] == list(ZONES[:zones])
        assert [s.inputs["cidrBlock"] for s in subnets] == list(cidrs)
        # The CIDR outputs are the subnets' own ranges, in the same zone order as their ids.
        assert deployment.outputs[f"{tier}_subnet_cidrs"] == [s.outputs["cidrBlock"] for s in subnets]
        for subnet, zone in zip(subnets, ZONES, strict=False):
            assert subnet.inputs["vpcId"] == vpc.id
            assert subnet.inputs["tags"] == {"team": "platform", "tier": tier, "Name": f"net-{tier}-{zone}"}


@pytest.mark.parametrize(("strategy", "zones"), LAYOUTS)
def test_no_subnet_assigns_public_ips(strategy: str, zones: int) -> None:
    subnets = _deployment(strategy, zones).of_type(SUBNET)
    assert [s.inputs["mapPublicIpOnLaunch"] for s in subnets] == [False] * len(subnets)


@pytest.mark.parametrize(("strategy", "zones"), LAYOUTS)
def test_public_subnets_route_to_the_attached_internet_gateway(strategy: str, zones: int) -> None:
    deployment = _deployment(strategy, zones)
    vpc, gateway, attachment = deployment.one(VPC), deployment.one(IGW), deployment.one(ATTACHMENT)
    table = deployment.by_id(deployment.outputs["public_route_table_id"])

    assert (attachment.inputs["vpcId"], attachment.inputs["internetGatewayId"]) == (vpc.id, gateway.id)
    assert table.inputs["vpcId"] == vpc.id
    assert {_table_of(deployment, s).id for s in _ids(deployment, "public_subnet_ids")} == {table.id}
    [route] = _default_routes(deployment, table)
    assert route.inputs["gatewayId"] == gateway.id
    assert attachment.urn in route.dependencies


@pytest.mark.parametrize(("strategy", "zones"), LAYOUTS)
def test_private_subnets_default_route(strategy: str, zones: int) -> None:
    deployment = _deployment(strategy, zones)
    nats = _ids(deployment, "nat_gateway_ids")
    tables = _ids(deployment, "private_route_table_ids")
    private = _ids(deployment, "private_subnet_ids")

    assert [_table_of(deployment, s) for s in private] == tables
    for subnet, table in zip(private, tables, strict=True):
        routes = _default_routes(deployment, table)
        if strategy == "none":
            assert routes == []
            continue
        [route] = routes
        nat = deployment.by_id(route.inputs["natGatewayId"])
        if strategy == "per_az":
            assert _zone(deployment, nat.inputs["subnetId"]) == subnet.inputs["availabilityZone"]
        else:
            assert nat == nats[0]
    assert all("gatewayId" not in r.inputs for t in tables for r in _default_routes(deployment, t))


@pytest.mark.parametrize(("strategy", "zones"), LAYOUTS)
def test_each_nat_gateway_sits_in_a_public_subnet_with_its_own_elastic_ip(strategy: str, zones: int) -> None:
    deployment = _deployment(strategy, zones)
    nats = _ids(deployment, "nat_gateway_ids")
    public_ids = deployment.outputs["public_subnet_ids"]
    attachment = deployment.one(ATTACHMENT)

    expected_zones = {"none": (), "single": ZONES[:1], "per_az": ZONES[:zones]}[strategy]
    assert len(deployment.of_type(NAT)) == len(nats) == len(expected_zones)
    assert [_zone(deployment, n.inputs["subnetId"]) for n in nats] == list(expected_zones)
    assert all(n.inputs["subnetId"] in public_ids for n in nats)
    eips = [deployment.by_id(n.inputs["allocationId"]) for n in nats]
    assert [e.type for e in eips] == [EIP] * len(nats)
    assert len({e.id for e in eips}) == len(deployment.of_type(EIP)) == len(nats)
    assert all(e.inputs["domain"] == "vpc" for e in eips)
    assert deployment.outputs["nat_public_ips"] == [e.outputs["publicIp"] for e in eips]
    for nat in nats:
        assert nat.inputs["connectivityType"] == "public"
        assert attachment.urn in nat.dependencies


@pytest.mark.parametrize(("strategy", "zones"), LAYOUTS)
def test_gateway_endpoints_sit_on_exactly_the_private_route_tables(strategy: str, zones: int) -> None:
    deployment = _deployment(strategy, zones)
    vpc = deployment.one(VPC)
    private_tables = deployment.outputs["private_route_table_ids"]
    endpoints = deployment.of_type(ENDPOINT)

    assert len(private_tables) == zones
    assert sorted(e.inputs["serviceName"] for e in endpoints) == [
        "com.amazonaws.us-west-2.dynamodb",
        "com.amazonaws.us-west-2.s3",
    ]
    for endpoint in endpoints:
        assert endpoint.inputs["vpcEndpointType"] == "Gateway"
        assert endpoint.inputs["vpcId"] == vpc.id
        assert endpoint.inputs["routeTableIds"] == private_tables


# ---- flow logs, default security group, VPC and children ------------------------------------------


@functools.cache
def _consumers(strategy: str) -> Deployment:
    """A load balancer on the public subnet ids and a security group on the private ones, as another
    team would build them: without knowing what the subnets need before they can be used."""

    def build() -> dict[str, Any]:
        vpc = PublicPrivateVpc(
            "net", {"cidr_block": "10.10.0.0/16", "availability_zone_count": 2, "nat_strategy": NatStrategy(strategy)}
        )
        lb.LoadBalancer("public-lb", internal=False, subnets=vpc.public_subnet_ids)
        ec2.NetworkInterface("private-eni", subnet_id=vpc.private_subnet_ids.apply(lambda ids: ids[0]))
        return _exports(vpc)

    return run_component(build)


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_public_subnet_ids_carry_the_gateway_attachment_and_public_routes(strategy: str) -> None:
    deployment = _consumers(strategy)
    closure = deployment.dependency_closure(deployment.one("aws:lb/loadBalancer:LoadBalancer"))
    needed = [deployment.one(ATTACHMENT), deployment.one(ROUTE, "net-public-default")]
    needed += [a for a in deployment.of_type(ASSOCIATION) if a.name.startswith("net-public-")]
    assert {r.urn for r in needed} <= closure
    assert len(needed) == 4
    # The values are still the subnet ids, in zone order.
    assert [_zone(deployment, i) for i in deployment.outputs["public_subnet_ids"]] == list(ZONES[:2])


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_private_subnet_ids_carry_the_default_routes_and_gateway_endpoints(strategy: str) -> None:
    deployment = _consumers(strategy)
    closure = deployment.dependency_closure(deployment.one("aws:ec2/networkInterface:NetworkInterface"))
    routes = [r for r in deployment.of_type(ROUTE) if r.name.startswith("net-private-")]
    assert len(routes) == {"none": 0, "single": 2, "per_az": 2}[strategy]
    needed = [*routes, *deployment.of_type(ENDPOINT)]
    needed += [a for a in deployment.of_type(ASSOCIATION) if a.name.startswith("net-private-")]
    assert {r.urn for r in needed} <= closure
    assert len(deployment.of_type(ENDPOINT)) == 2
    assert [_zone(deployment, i) for i in deployment.outputs["private_subnet_ids"]] == list(ZONES[:2])


def test_flow_log_on_the_vpc_writes_to_its_log_group_with_its_role() -> None:
    deployment = _deployment("per_az", 3)
    vpc, group, role = deployment.one(VPC), deployment.one(LOG_GROUP), deployment.one(ROLE)
    policy, flow_log = deployment.one(ROLE_POLICY), deployment.one(FLOW_LOG)

    assert flow_log.inputs["vpcId"] == vpc.id
    assert flow_log.inputs["trafficType"] == "ALL"
    assert flow_log.inputs["logDestinationType"] == "cloud-watch-logs"
    assert flow_log.inputs["logDestination"] == group.outputs["arn"]
    assert flow_log.inputs["iamRoleArn"] == role.outputs["arn"]
    assert policy.urn in flow_log.dependencies
    assert group.inputs["retentionInDays"] == 365
    assert group.inputs["namePrefix"] == "/vpc/flow-logs/net-"
    assert deployment.outputs["flow_log_group_name"] == group.outputs["name"]
    assert deployment.outputs["flow_log_group_arn"] == group.outputs["arn"]
    assert policy.inputs["role"] == role.id
    # Unprotected by default, and said so explicitly (the provider leaves it on otherwise).
    assert group.inputs["deletionProtectionEnabled"] is False
    assert [r.name for r in deployment if r.protect] == []


def test_flow_log_role_trust_and_permissions_are_exact() -> None:
    deployment = _deployment("per_az", 3)
    role, policy, group = deployment.one(ROLE), deployment.one(ROLE_POLICY), deployment.one(LOG_GROUP)
    group_arn = group.outputs["arn"]

    assert json.loads(role.inputs["assumeRolePolicy"]) == {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "vpc-flow-logs.amazonaws.com"},
                "Action": "sts:AssumeRole",
                "Condition": {
                    "StringEquals": {"aws:SourceAccount": "123456789012"},
                    "ArnLike": {"aws:SourceArn": "arn:aws:ec2:us-west-2:123456789012:vpc-flow-log/*"},
                },
            }
        ],
    }
    assert json.loads(policy.inputs["policy"]) == {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
                "Resource": [group_arn, f"{group_arn}:log-stream:*"],
            }
        ],
    }


def test_default_security_group_is_taken_over_with_no_rules() -> None:
    deployment = _deployment("single", 2)
    vpc, group = deployment.one(VPC), deployment.one(DEFAULT_SG)

    assert group.inputs["vpcId"] == vpc.id
    assert (group.inputs["ingress"], group.inputs["egress"]) == ([], [])
    assert deployment.outputs["default_security_group_id"] == group.id == vpc.outputs["defaultSecurityGroupId"]


def test_vpc_resolves_dns_and_outputs_its_range() -> None:
    deployment = _deployment("single", 2)
    vpc = deployment.one(VPC)

    assert vpc.inputs["cidrBlock"] == deployment.outputs["cidr_block"] == "10.10.0.0/16"
    assert (vpc.inputs["enableDnsSupport"], vpc.inputs["enableDnsHostnames"]) == (True, True)
    assert deployment.outputs["vpc_id"] == vpc.id


def test_every_child_is_parented_named_after_the_component_and_tagged() -> None:
    deployment = _deployment("per_az", 2)
    component = deployment.one(COMPONENT)
    children = [r for r in deployment if r.custom]

    assert deployment.descendants(component) == deployment.children(component) == children
    assert all(r.name.startswith("net-") for r in children)
    tagged = [r for r in children if "tags" in r.inputs]
    assert {r.type for r in children} - {r.type for r in tagged} == {ATTACHMENT, ROUTE, ASSOCIATION, ROLE_POLICY}
    for resource in tagged:
        assert resource.inputs["tags"]["team"] == "platform"
        assert resource.inputs["tags"]["Name"].startswith("net")
    assert {r.inputs["tags"]["Name"] for r in deployment.of_type(NAT)} == {"net-nat-us-west-2a", "net-nat-us-west-2b"}


# ---- options ------------------------------------------------------------------------------------------


def test_explicit_zones_cidrs_elastic_ips_and_flow_log_settings_are_used() -> None:
    args: PublicPrivateVpcArgs = {
        "cidr_block": "10.30.0.0/16",
        "availability_zone_names": ["us-west-2c", "us-west-2d"],
        "nat_strategy": NatStrategy.SINGLE,
        "nat_eip_allocation_ids": ["eipalloc-0123456789abcdef0"],
        "public_subnet_cidrs": ["10.30.0.0/24", "10.30.1.0/24"],
        "private_subnet_cidrs": ["10.30.16.0/20", "10.30.32.0/20"],
        "flow_log_retention_days": 30,
        "flow_log_traffic_type": FlowLogTrafficType.REJECT,
        "protect_flow_logs": True,
        "gateway_endpoints": [GatewayEndpointService.S3],
    }
    deployment = run_component(lambda: _exports(PublicPrivateVpc("edge", args)))

    assert deployment.outputs["availability_zones"] == ["us-west-2c", "us-west-2d"]
    public, private = _ids(deployment, "public_subnet_ids"), _ids(deployment, "private_subnet_ids")
    assert [(s.inputs["availabilityZone"], s.inputs["cidrBlock"]) for s in public] == [
        ("us-west-2c", "10.30.0.0/24"),
        ("us-west-2d", "10.30.1.0/24"),
    ]
    assert [s.inputs["cidrBlock"] for s in private] == ["10.30.16.0/20", "10.30.32.0/20"]
    assert deployment.of_type(EIP) == []
    [nat] = deployment.of_type(NAT)
    assert nat.inputs["allocationId"] == "eipalloc-0123456789abcdef0"
    assert nat.inputs["subnetId"] == public[0].id
    [endpoint] = deployment.of_type(ENDPOINT)
    assert endpoint.inputs["serviceName"] == "com.amazonaws.us-west-2.s3"
    assert deployment.one(LOG_GROUP).inputs["retentionInDays"] == 30
    assert deployment.one(FLOW_LOG).inputs["trafficType"] == "REJECT"
    # protect_flow_logs protects the log group twice, and nothing else.
    assert deployment.one(LOG_GROUP).inputs["deletionProtectionEnabled"] is True
    assert [r.type for r in deployment if r.protect] == [LOG_GROUP]


def test_caller_elastic_ips_go_to_the_nat_gateway_of_their_zone() -> None:
    allocations = [f"eipalloc-0123456789abcdef{i}" for i in range(3)]
    args: PublicPrivateVpcArgs = {
        "cidr_block": "10.10.0.0/16",
        "availability_zone_count": 3,
        "nat_strategy": NatStrategy.PER_AZ,
        "nat_eip_allocation_ids": allocations,
    }
    deployment = run_component(lambda: _exports(PublicPrivateVpc("net", args)))

    nats = _ids(deployment, "nat_gateway_ids")
    assert deployment.of_type(EIP) == []
    assert [(_zone(deployment, n.inputs["subnetId"]), n.inputs["allocationId"]) for n in nats] == list(
        zip(ZONES, allocations, strict=True)
    )


def test_no_gateway_endpoints_when_asked_for_none() -> None:
    args: PublicPrivateVpcArgs = {"cidr_block": "10.10.0.0/24", "availability_zone_count": 2, "gateway_endpoints": []}
    deployment = run_component(lambda: _exports(PublicPrivateVpc("net", args)))
    assert deployment.of_type(ENDPOINT) == []
    assert [s.inputs["cidrBlock"] for s in _ids(deployment, "public_subnet_ids")] == [
        "10.10.0.128/27",
        "10.10.0.160/27",
    ]


def test_a_local_zone_the_account_opted_into_is_never_used() -> None:
    """EC2 lists an enabled Local Zone with the standard ones, and its name sorts first."""
    mocks = AwsMocks(region="us-west-2")
    offered = mocks.call(
        pulumi_mocks.MockCallArgs("aws:index/getAvailabilityZones:getAvailabilityZones", {"state": "available"}, "")
    )[0]["names"]
    assert offered[0] == "us-west-2-lax-1a"

    deployment = _deployment("per_az", 3)
    assert deployment.outputs["availability_zones"] == list(ZONES)
    zones = {r.inputs["availabilityZone"] for r in deployment.of_type(SUBNET)}
    assert zones == set(ZONES)
    assert not any("lax" in r.name for r in deployment)


def test_the_zone_lookup_asks_for_standard_zones_only() -> None:
    mocks = AwsMocks(region="us-west-2")
    run(
        lambda: PublicPrivateVpc("net", {"cidr_block": "10.10.0.0/16", "availability_zone_count": 2}),
        mocks=mocks,
        project="test",
        stack="test",
        config={"aws:region": "us-west-2"},
    )
    [lookup] = [i.args for i in mocks.invokes if i.token.endswith("getAvailabilityZones")]
    assert lookup["state"] == "available"
    assert lookup["filters"] == [
        {"name": "opt-in-status", "values": ["opt-in-not-required"]},
        {"name": "zone-type", "values": ["availability-zone"]},
    ]


def test_the_callers_provider_serves_the_zone_lookup_and_every_child() -> None:
    mocks = AwsMocks(region="us-east-1")

    def program() -> None:
        provider = Provider("east", region="us-east-1")
        vpc = PublicPrivateVpc(
            "net",
            {"cidr_block": "10.10.0.0/16", "availability_zone_count": 6, "nat_strategy": NatStrategy.SINGLE},
            pulumi.ResourceOptions(provider=provider),
        )
        pulumi.export("zones", vpc.availability_zones)

    deployment = run(program, mocks=mocks, project="test", stack="test", config={"aws:region": "us-east-1"})

    provider = deployment.one("pulumi:providers:aws", "east")
    assert deployment.outputs["zones"] == [f"us-east-1{c}" for c in "abcdef"]
    assert {r.provider for r in deployment if r.custom and r.type.startswith("aws:")} == {provider.urn}
    assert {i.token for i in mocks.invokes} == {
        "aws:index/getAvailabilityZones:getAvailabilityZones",
        "aws:index/getRegion:getRegion",
        "aws:index/getCallerIdentity:getCallerIdentity",
        "aws:index/getPartition:getPartition",
    }
    assert all(i.provider.startswith(f"{provider.urn}::") for i in mocks.invokes)
    [endpoint, _] = deployment.of_type(ENDPOINT)
    assert endpoint.inputs["serviceName"] == "com.amazonaws.us-east-1.dynamodb"


@pytest.mark.parametrize("form", ["list", "mapping"])
def test_the_zone_lookup_finds_the_aws_provider_among_the_callers_providers(form: str) -> None:
    """`providers=` (a list, or a map by package) reaches the lookup made before the component exists."""
    mocks = AwsMocks(region="us-east-1")

    def program() -> None:
        provider = Provider("east", region="us-east-1")
        providers: Any = [provider] if form == "list" else {"aws": provider}
        PublicPrivateVpc(
            "net",
            {"cidr_block": "10.10.0.0/24", "availability_zone_count": 2, "nat_strategy": NatStrategy.NONE},
            pulumi.ResourceOptions(providers=providers),
        )

    deployment = run(program, mocks=mocks, project="test", stack="test", config={"aws:region": "us-east-1"})
    provider = deployment.one("pulumi:providers:aws", "east")
    [reference] = [i.provider for i in mocks.invokes if i.token.endswith("getAvailabilityZones")]
    assert reference.startswith(f"{provider.urn}::")


def test_the_package_schema_describes_every_argument_and_output() -> None:
    """Other languages get the component through this schema; it needs evaluated annotations."""
    document = ComponentProvider([PublicPrivateVpc], "papyrus", version="0.0.0").schema
    assert document is not None
    schema = json.loads(document)
    resource = schema["resources"][COMPONENT]

    def camel(key: str) -> str:
        head, *rest = key.split("_")
        return head + "".join(part.title() for part in rest)

    assert resource["requiredInputs"] == ["cidrBlock"]
    assert set(resource["inputProperties"]) == {camel(k) for k in PublicPrivateVpcArgs.__annotations__}
    assert set(resource["properties"]) == set(resource["required"]) == {camel(k) for k in OUTPUTS}
    for prop in (*resource["inputProperties"].values(), *resource["properties"].values()):
        assert prop["description"]
    # Arguments that decide what exists are plain; the Elastic IPs may come from other resources.
    assert resource["inputProperties"]["cidrBlock"]["plain"] is True
    assert "plain" not in resource["inputProperties"]["natEipAllocationIds"]["items"]


# ---- bad input ---------------------------------------------------------------------------------------------

BASE: PublicPrivateVpcArgs = {"cidr_block": "10.10.0.0/16", "availability_zone_count": 2}


def _rejected(args: Any, name: str = "net") -> BaseException:
    """The error constructing the component raised, checked to have come before any registration."""

    def build() -> None:
        PublicPrivateVpc(name, args)

    return rejects(build)


@pytest.mark.parametrize(
    ("overrides", "key", "value"),
    [
        pytest.param({"cidr_block": "10.10.0.1/16"}, "cidr_block", "10.10.0.1/16", id="cidr-not-a-network-address"),
        pytest.param({"cidr_block": "10.0.0.0/15"}, "cidr_block", "10.0.0.0/15", id="cidr-too-big"),
        pytest.param({"cidr_block": "10.0.0.0/29"}, "cidr_block", "10.0.0.0/29", id="cidr-too-small-for-aws"),
        pytest.param({"cidr_block": "ten-dot-ten"}, "cidr_block", "ten-dot-ten", id="cidr-garbage"),
        pytest.param({"cidr_block": None}, "cidr_block", None, id="cidr-missing"),
        pytest.param({"cidr_block": "10.0.0.0/26"}, "cidr_block", "10.0.0.0/26", id="vpc-too-small-for-the-zones"),
        pytest.param({"availability_zone_count": 1}, "availability_zone_count", 1, id="one-zone"),
        pytest.param({"availability_zone_count": 5}, "availability_zone_count", 5, id="more-zones-than-the-region"),
        pytest.param({"availability_zone_count": "2"}, "availability_zone_count", "2", id="zone-count-not-a-number"),
        pytest.param(
            {"availability_zone_names": ["us-west-2a", "us-west-2b", "us-west-2c"]},
            "availability_zone_count",
            2,
            id="zone-names-disagree-with-count",
        ),
        pytest.param(
            {"availability_zone_names": ["us-west-2a", "us-west-2a"], "availability_zone_count": 2},
            "availability_zone_names",
            ["us-west-2a", "us-west-2a"],
            id="zone-names-repeat",
        ),
        pytest.param(
            {"availability_zone_names": ["us-west-2a", "US West 2b"]},
            "availability_zone_names",
            "US West 2b",
            id="zone-name-malformed",
        ),
        pytest.param(
            {"availability_zone_names": ["us-west-2a", "us-west-2z"]},
            "availability_zone_names",
            "us-west-2z",
            id="zone-the-region-lacks",
        ),
        pytest.param(
            {"availability_zone_names": ["us-west-2a", "us-east-1b"]},
            "availability_zone_names",
            "us-east-1b",
            id="zone-of-another-region",
        ),
        pytest.param({"nat_strategy": "per-az"}, "nat_strategy", "per-az", id="unknown-strategy"),
        pytest.param({"nat_strategy": "NONE"}, "nat_strategy", "NONE", id="strategy-is-case-sensitive"),
        pytest.param(
            {
                "public_subnet_cidrs": ["10.10.0.0/24", "10.11.0.0/24"],
                "private_subnet_cidrs": ["10.10.16.0/20", "10.10.32.0/20"],
            },
            "public_subnet_cidrs",
            "10.11.0.0/24",
            id="subnet-outside-the-vpc",
        ),
        pytest.param(
            {
                "public_subnet_cidrs": ["10.10.0.0/24", "10.10.1.0/24"],
                "private_subnet_cidrs": ["10.10.0.0/20", "10.10.32.0/20"],
            },
            "private_subnet_cidrs",
            "10.10.0.0/20",
            id="subnets-overlap",
        ),
        pytest.param(
            {
                "public_subnet_cidrs": ["10.10.0.0/29", "10.10.1.0/24"],
                "private_subnet_cidrs": ["10.10.16.0/20", "10.10.32.0/20"],
            },
            "public_subnet_cidrs",
            "10.10.0.0/29",
            id="subnet-too-small",
        ),
        pytest.param(
            {"public_subnet_cidrs": ["10.10.0.0/24"], "private_subnet_cidrs": ["10.10.16.0/20", "10.10.32.0/20"]},
            "public_subnet_cidrs",
            ["10.10.0.0/24"],
            id="subnet-count-not-one-per-zone",
        ),
        pytest.param(
            {"private_subnet_cidrs": ["10.10.16.0/20", "10.10.32.0/20"]},
            "public_subnet_cidrs",
            None,
            id="only-one-tier-explicit",
        ),
        pytest.param(
            {
                "nat_strategy": "single",
                "nat_eip_allocation_ids": ["eipalloc-0123456789abcdef0", "eipalloc-0123456789abcdef1"],
            },
            "nat_eip_allocation_ids",
            ["eipalloc-0123456789abcdef0", "eipalloc-0123456789abcdef1"],
            id="two-eips-for-single",
        ),
        pytest.param(
            {"nat_strategy": "none", "nat_eip_allocation_ids": ["eipalloc-0123456789abcdef0"]},
            "nat_eip_allocation_ids",
            ["eipalloc-0123456789abcdef0"],
            id="an-eip-for-none",
        ),
        pytest.param(
            {"nat_strategy": "per_az", "nat_eip_allocation_ids": ["eipalloc-0123456789abcdef0"]},
            "nat_eip_allocation_ids",
            ["eipalloc-0123456789abcdef0"],
            id="too-few-eips-for-per-az",
        ),
        pytest.param(
            {"nat_strategy": "single", "nat_eip_allocation_ids": ["203.0.113.10"]},
            "nat_eip_allocation_ids",
            "203.0.113.10",
            id="an-address-not-an-allocation-id",
        ),
        pytest.param({"flow_log_retention_days": 2}, "flow_log_retention_days", 2, id="retention-cloudwatch-lacks"),
        pytest.param({"flow_log_retention_days": 0}, "flow_log_retention_days", 0, id="retention-forever"),
        pytest.param({"flow_log_traffic_type": "all"}, "flow_log_traffic_type", "all", id="traffic-type"),
        pytest.param({"protect_flow_logs": "true"}, "protect_flow_logs", "true", id="protect-not-a-boolean"),
        pytest.param({"gateway_endpoints": ["s3", "sqs"]}, "gateway_endpoints", "sqs", id="endpoint-not-a-gateway-one"),
        pytest.param({"gateway_endpoints": ["s3", "s3"]}, "gateway_endpoints", ["s3", "s3"], id="endpoint-twice"),
        pytest.param({"gateway_endpoints": "s3"}, "gateway_endpoints", "s3", id="endpoints-not-a-list"),
        pytest.param({"tags": {"Name": "mine"}}, "tags", "Name", id="name-tag-reserved"),
        pytest.param({"tags": {"aws:owner": "me"}}, "tags", "aws:owner", id="aws-tag-prefix"),
        pytest.param({"az_count": 2}, "az_count", 2, id="unknown-argument"),
    ],
)
def test_bad_input_is_rejected_before_anything_registers(overrides: dict[str, Any], key: str, value: Any) -> None:
    args: Any = {**BASE, **overrides}
    error = _rejected(args)

    assert isinstance(error, InvalidArgumentError)
    assert (error.key, error.value) == (key, value)
    assert str(error).startswith(f"PublicPrivateVpc 'net': invalid {key}={value!r}; expected ")


def test_a_value_known_only_after_deployment_is_rejected_where_it_decides_the_layout() -> None:
    def build() -> None:
        # Created inside the program: an output belongs to the run's event loop.
        args: Any = {"cidr_block": pulumi.Output.from_input("10.10.0.0/16")}
        PublicPrivateVpc("net", args)

    error = rejects(build)
    assert isinstance(error, InvalidArgumentError)
    assert (error.key, error.value) == ("cidr_block", "<Output>")
    assert "known at preview" in str(error)


def test_the_error_for_too_many_zones_lists_the_regions_zones() -> None:
    error = _rejected({"cidr_block": "10.10.0.0/16", "availability_zone_count": 5})
    assert "at most 4, the zones available in this region (us-west-2a, us-west-2b, us-west-2c, us-west-2d)" in str(
        error
    )


def test_a_pinned_zone_the_region_lacks_is_named_with_the_regions_zones() -> None:
    error = _rejected({"cidr_block": "10.10.0.0/16", "availability_zone_names": ["us-west-2a", "us-west-2e"]})
    assert str(error) == (
        "PublicPrivateVpc 'net': invalid availability_zone_names='us-west-2e'; "
        "expected standard availability zones of this region: us-west-2a, us-west-2b, us-west-2c, us-west-2d"
    )


def test_a_pinned_local_zone_is_refused_before_anything_registers() -> None:
    """A Local Zone exists in the region, but it has no NAT gateway, Fargate or VPC link."""
    error = _rejected({"cidr_block": "10.10.0.0/16", "availability_zone_names": ["us-west-2-lax-1a", "us-west-2a"]})
    assert isinstance(error, InvalidArgumentError)
    assert (error.key, error.value) == ("availability_zone_names", "us-west-2-lax-1a")


def test_a_vpc_too_small_for_the_zones_says_how_many_addresses_are_needed() -> None:
    error = _rejected({"cidr_block": "10.0.0.0/25", "availability_zone_count": 3})
    assert "at least 144 addresses (a /24 or larger) for 3 zones" in str(error)


@pytest.mark.parametrize("name", ["", "my network", "x" * 41, "-net"])
def test_a_component_name_aws_cannot_carry_is_rejected(name: str) -> None:
    error = _rejected(BASE, name)
    assert isinstance(error, InvalidArgumentError)
    assert (error.key, error.value) == ("name", name)


@pytest.mark.parametrize("name", ["sg", "sg-net"])
def test_a_name_starting_with_sg_is_rejected_only_where_it_names_a_security_group(name: str) -> None:
    """The NAT instances' group is auto-named `<name>-nat-instance-...`; AWS refuses group names
    starting with sg-. Gateways need no group, so the name stays valid there."""
    error = _rejected({**BASE, "nat_strategy": NatStrategy.INSTANCE}, name)
    assert isinstance(error, InvalidArgumentError)
    assert (error.key, error.value) == ("name", name)
    assert "nat_strategy='instance'" in error.expected
    args: PublicPrivateVpcArgs = {**BASE, "nat_strategy": NatStrategy.NONE, "gateway_endpoints": []}
    deployment = run_component(lambda: _exports(PublicPrivateVpc(name, args)))
    assert deployment.one(VPC).name == f"{name}-vpc"


def test_the_longest_name_fits_every_auto_named_child() -> None:
    """40 characters: the NAT instances' role `<name>-nat-instance-<7 hex>` stays within IAM's 64."""
    name = "n" * 40
    args: PublicPrivateVpcArgs = {**BASE, "nat_strategy": NatStrategy.INSTANCE, "gateway_endpoints": []}
    deployment = run_component(lambda: _exports(PublicPrivateVpc(name, args)))
    assert max(len(r.outputs["name"]) for r in deployment.of_type(ROLE)) == 61
