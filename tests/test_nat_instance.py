"""PublicPrivateVpc's NAT instance strategies ("instance", "instance_per_az") and their pure parts.

Component tests assert on awaited inputs and on references (mock ids are unique per resource);
the boot script, image parameter, instance types and alarm actions get exact tests.
"""

from __future__ import annotations

import functools
import ipaddress
import json
import re
import shutil
import subprocess
from typing import Any

import pulumi
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pulumi.runtime import mocks as pulumi_mocks
from pulumi_aws.provider import Provider

from components import nat_instance
from components.testing.engine import Deployment, RegisteredResource, run
from components.testing.mocks import AwsMocks, UnmockedInvokeError
from components.validation import InvalidArgumentError
from components.vpc import NatStrategy, PublicPrivateVpc, PublicPrivateVpcArgs
from tests.harness import rejects, run_component

INSTANCE = "aws:ec2/instance:Instance"
INTERFACE = "aws:ec2/networkInterface:NetworkInterface"
EIP = "aws:ec2/eip:Eip"
ASSOCIATION = "aws:ec2/eipAssociation:EipAssociation"
NAT_GATEWAY = "aws:ec2/natGateway:NatGateway"
SUBNET = "aws:ec2/subnet:Subnet"
ROUTE = "aws:ec2/route:Route"
TABLE_ASSOCIATION = "aws:ec2/routeTableAssociation:RouteTableAssociation"
IGW_ATTACHMENT = "aws:ec2/internetGatewayAttachment:InternetGatewayAttachment"
GROUP = "aws:ec2/securityGroup:SecurityGroup"
INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"
ROLE = "aws:iam/role:Role"
POLICY_ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
PROFILE = "aws:iam/instanceProfile:InstanceProfile"
ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"
GET_PARAMETER = "aws:ssm/getParameter:getParameter"

ZONES = ("us-west-2a", "us-west-2b", "us-west-2c")
# The planner's private subnets for 10.10.0.0/16 (components/cidr_plan.py's worked example).
PRIVATE_CIDRS = ("10.10.0.0/19", "10.10.32.0/19", "10.10.64.0/19")
LAYOUTS = [pytest.param(s, n, id=f"{s}-{n}az") for s in ("instance", "instance_per_az") for n in (2, 3)]
OUTPUTS = ("nat_instance_ids", "nat_gateway_ids", "nat_public_ips", "private_subnet_ids", "public_subnet_ids")


@functools.cache
def _run(strategy: str, zones: int) -> tuple[Deployment, AwsMocks]:
    """One run per layout, shared by this module's tests (treat it as read-only)."""
    args: PublicPrivateVpcArgs = {
        "cidr_block": "10.10.0.0/16",
        "availability_zone_count": zones,
        "nat_strategy": NatStrategy(strategy),
    }
    mocks = AwsMocks(region="us-west-2")

    def program() -> None:
        vpc = PublicPrivateVpc("net", args)
        for key in OUTPUTS:
            pulumi.export(key, getattr(vpc, key))

    deployment = run(program, mocks=mocks, project="test", stack="test", config={"aws:region": "us-west-2"})
    return deployment, mocks


def _deployment(strategy: str, zones: int) -> Deployment:
    return _run(strategy, zones)[0]


def _instances(d: Deployment) -> list[RegisteredResource]:
    return [d.by_id(i) for i in d.outputs["nat_instance_ids"]]


def _zone_of_subnet(d: Deployment, subnet_id: str) -> str:
    zone: str = d.by_id(subnet_id).inputs["availabilityZone"]
    return zone


def _interface_of(d: Deployment, instance: RegisteredResource) -> RegisteredResource:
    return d.by_id(instance.inputs["primaryNetworkInterface"]["networkInterfaceId"])


def _default_route_of(d: Deployment, private_subnet_id: str) -> RegisteredResource:
    [association] = [a for a in d.of_type(TABLE_ASSOCIATION) if a.inputs["subnetId"] == private_subnet_id]
    [route] = [
        r
        for r in d.of_type(ROUTE)
        if r.inputs["routeTableId"] == association.inputs["routeTableId"]
        and r.inputs["destinationCidrBlock"] == "0.0.0.0/0"
    ]
    return route


# ---- routing: which instance each zone's private subnet leaves through -------------------------------


@pytest.mark.parametrize(("strategy", "zones"), LAYOUTS)
def test_private_default_routes_target_the_nat_instances_network_interface(strategy: str, zones: int) -> None:
    d = _deployment(strategy, zones)
    instances = _instances(d)
    nat_zones = ZONES[:1] if strategy == "instance" else ZONES[:zones]

    assert d.of_type(NAT_GATEWAY) == []
    assert d.outputs["nat_gateway_ids"] == []
    assert len(d.of_type(INSTANCE)) == len(instances) == len(nat_zones)
    assert [_zone_of_subnet(d, _interface_of(d, i).inputs["subnetId"]) for i in instances] == list(nat_zones)
    for subnet_id, zone in zip(d.outputs["private_subnet_ids"], ZONES, strict=False):
        route = _default_route_of(d, subnet_id)
        assert "natGatewayId" not in route.inputs
        assert "gatewayId" not in route.inputs
        [target] = [
            i for i in instances if i.outputs["primaryNetworkInterfaceId"] == route.inputs["networkInterfaceId"]
        ]
        # instance_per_az: the zone's own instance; instance: the only one, in the first zone.
        assert target == (instances[0] if strategy == "instance" else instances[ZONES.index(zone)])
        assert route.inputs["networkInterfaceId"] == _interface_of(d, target).id
        # The route names the instance's interface once the instance holds it, not before.
        assert target.urn in d.dependency_closure(route)


def test_switching_gateway_and_instance_strategies_keeps_the_route_names() -> None:
    """The default routes are updated in place (ReplaceRoute), never deleted and recreated."""
    instance = _deployment("instance", 2)
    gateway = run_component(
        lambda: {"ids": PublicPrivateVpc("net", {"cidr_block": "10.10.0.0/16", "availability_zone_count": 2}).vpc_id}
    )
    assert sorted(r.name for r in gateway.of_type(ROUTE)) == sorted(r.name for r in instance.of_type(ROUTE))


# ---- the instance itself --------------------------------------------------------------------------------


@pytest.mark.parametrize(("strategy", "zones"), LAYOUTS)
def test_each_instance_forwards_from_its_zones_public_subnet_with_imdsv2_and_no_key(strategy: str, zones: int) -> None:
    d = _deployment(strategy, zones)
    group = d.one(GROUP)
    profile = d.one(PROFILE)
    public_ids = d.outputs["public_subnet_ids"]

    for instance in _instances(d):
        interface = _interface_of(d, instance)
        zone = _zone_of_subnet(d, interface.inputs["subnetId"])
        assert interface.inputs["subnetId"] == public_ids[ZONES.index(zone)]
        # Forwarding other hosts' packets: the check is off on the interface the instance runs on.
        assert interface.inputs["sourceDestCheck"] is False
        assert interface.inputs["securityGroups"] == [group.id]
        assert instance.inputs["primaryNetworkInterface"] == {
            "networkInterfaceId": interface.id,
            "deleteOnTermination": False,
        }
        # Set on the interface; the instance-level flag conflicts with a given primary interface.
        assert "sourceDestCheck" not in instance.inputs
        assert instance.inputs["metadataOptions"] == {
            "httpEndpoint": "enabled",
            "httpTokens": "required",
            "httpPutResponseHopLimit": 1,
        }
        assert "keyName" not in instance.inputs
        assert instance.inputs["rootBlockDevice"] == {
            "volumeType": "gp3",
            "volumeSize": 8,
            "encrypted": True,
            "deleteOnTermination": True,
            "tags": {"Name": instance.name},
        }
        assert instance.inputs["instanceType"] == "t4g.nano"
        assert instance.inputs["creditSpecification"] == {"cpuCredits": "standard"}
        assert instance.inputs["iamInstanceProfile"] == profile.outputs["name"]
        assert instance.name == f"net-nat-instance-{zone}"


def test_the_ami_comes_from_the_public_ssm_parameter() -> None:
    d, mocks = _run("instance_per_az", 3)
    [lookup] = [i for i in mocks.invokes if i.token == GET_PARAMETER]
    arguments, answer = lookup.args, lookup.answer

    assert arguments["name"] == "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64"
    assert re.fullmatch(r"ami-[0-9a-f]{17}", answer["insecureValue"])
    assert [i.inputs["ami"] for i in _instances(d)] == [answer["insecureValue"]] * 3
    # A public id: plans show it rather than [secret].
    assert not any(i.is_secret("ami") for i in _instances(d))


def test_the_image_lookup_goes_through_the_components_provider() -> None:
    """The lookup goes to the AWS provider the caller gave the component, as every child does."""
    mocks = AwsMocks(region="us-west-2")

    def program() -> None:
        provider = Provider("east", region="us-east-1")
        vpc = PublicPrivateVpc(
            "net",
            {"cidr_block": "10.10.0.0/16", "availability_zone_count": 2, "nat_strategy": NatStrategy.INSTANCE},
            pulumi.ResourceOptions(provider=provider),
        )
        pulumi.export("ids", vpc.nat_instance_ids)

    d = run(program, mocks=mocks, project="test", stack="test", config={"aws:region": "us-west-2"})
    provider = d.one("pulumi:providers:aws", "east")
    [lookup] = [i for i in mocks.invokes if i.token == GET_PARAMETER]
    reference, answer = lookup.provider, lookup.answer
    assert reference.startswith(f"{provider.urn}::")
    [instance] = d.of_type(INSTANCE)
    assert (instance.provider, instance.inputs["ami"]) == (provider.urn, answer["insecureValue"])


def test_a_newer_ami_never_replaces_a_running_instance_and_a_replacement_frees_the_interface_first() -> None:
    d = _deployment("instance", 2)
    [instance] = _instances(d)
    assert instance.ignore_changes == ("ami",)
    assert instance.delete_before_replace is True
    # A changed boot script only takes effect on a new instance, so it replaces the instance.
    assert instance.inputs["userDataReplaceOnChange"] is True


def test_the_boot_script_forwards_and_masquerades_the_private_subnets() -> None:
    d = _deployment("instance_per_az", 3)
    for instance in _instances(d):
        script = instance.inputs["userData"]
        assert script == nat_instance.user_data(PRIVATE_CIDRS)
        assert "net.ipv4.ip_forward = 1" in script
        assert 'ip saddr { 10.10.0.0/19, 10.10.32.0/19, 10.10.64.0/19 } oifname "$nic" masquerade' in script


@pytest.mark.parametrize(("strategy", "zones"), LAYOUTS)
def test_recovery_alarms_recover_on_a_host_failure_and_reboot_on_an_os_failure(strategy: str, zones: int) -> None:
    d = _deployment(strategy, zones)
    alarms = d.of_type(ALARM)
    assert len(alarms) == 2 * len(_instances(d))

    for instance in _instances(d):
        assert instance.inputs["maintenanceOptions"] == {"autoRecovery": "default"}
        mine = {a.name.rsplit("-", 1)[-1]: a for a in alarms if a.inputs["dimensions"] == {"InstanceId": instance.id}}
        assert set(mine) == {"recover", "reboot"}
        common = {
            "namespace": "AWS/EC2",
            "statistic": "Maximum",
            "period": 60,
            "threshold": 1,
            "comparisonOperator": "GreaterThanOrEqualToThreshold",
        }
        for action, metric, minutes in (
            ("recover", "StatusCheckFailed_System", 2),
            ("reboot", "StatusCheckFailed_Instance", 3),
        ):
            alarm = mine[action]
            assert {k: alarm.inputs[k] for k in common} == common
            assert alarm.inputs["metricName"] == metric
            assert alarm.inputs["evaluationPeriods"] == minutes
            assert alarm.inputs["alarmActions"] == [f"arn:aws:automate:us-west-2:ec2:{action}"]
            assert alarm.name == f"{instance.name}-{action}"


# ---- security group, role, addresses ----------------------------------------------------------------------


@pytest.mark.parametrize(("strategy", "zones"), LAYOUTS)
def test_the_security_group_admits_only_the_private_subnets(strategy: str, zones: int) -> None:
    d = _deployment(strategy, zones)
    group = d.one(GROUP)
    vpc = d.one("aws:ec2/vpc:Vpc")
    ingress, egress = d.of_type(INGRESS), d.of_type(EGRESS)

    assert group.inputs["vpcId"] == vpc.id
    assert set(group.inputs) & {"ingress", "egress"} == set()
    assert all(r.inputs["securityGroupId"] == group.id for r in (*ingress, *egress))
    private = [d.by_id(i).inputs["cidrBlock"] for i in d.outputs["private_subnet_ids"]]
    assert private == list(PRIVATE_CIDRS[:zones])
    assert sorted((r.inputs["cidrIpv4"], r.inputs["ipProtocol"]) for r in ingress) == [(c, "-1") for c in private]
    # Nothing else gets in: no port 22, no public range, no other group.
    assert all(
        set(r.inputs) & {"fromPort", "toPort", "referencedSecurityGroupId", "prefixListId"} == set() for r in ingress
    )
    assert [(r.inputs["cidrIpv4"], r.inputs["ipProtocol"]) for r in egress] == [("0.0.0.0/0", "-1")]


def test_the_instance_role_only_lets_ssm_manage_the_instance() -> None:
    d = _deployment("instance", 2)
    role, attachment, profile = d.one(ROLE, "net-nat-instance"), d.one(POLICY_ATTACHMENT), d.one(PROFILE)

    assert json.loads(role.inputs["assumeRolePolicy"]) == {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}],
    }
    assert attachment.inputs == {
        "role": role.outputs["name"],
        "policyArn": "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
    }
    assert profile.inputs["role"] == role.outputs["name"]
    assert re.fullmatch(
        r"arn:aws:iam::123456789012:instance-profile/net-nat-instance-[0-9a-f]{7}", profile.outputs["arn"]
    )
    [instance] = _instances(d)
    # Registered with Systems Manager from its first boot.
    assert attachment.urn in instance.dependencies


@pytest.mark.parametrize(("strategy", "zones"), LAYOUTS)
def test_each_instance_has_its_own_elastic_ip_there_before_it_boots(strategy: str, zones: int) -> None:
    d = _deployment(strategy, zones)
    attachment = d.one(IGW_ATTACHMENT)
    instances = _instances(d)
    eips = d.of_type(EIP)
    assert len(eips) == len(d.of_type(ASSOCIATION)) == len(instances)

    addresses = []
    for instance in instances:
        interface = _interface_of(d, instance)
        [association] = [a for a in d.of_type(ASSOCIATION) if a.inputs["networkInterfaceId"] == interface.id]
        eip = d.by_id(association.inputs["allocationId"])
        assert (eip.type, eip.inputs["domain"], eip.name) == (EIP, "vpc", instance.name)
        # Associated once the gateway is attached; the boot script installs packages, so the
        # address is on the interface before the instance starts.
        assert attachment.urn in association.dependencies
        assert association.urn in instance.dependencies
        assert instance.outputs["publicIp"] == eip.outputs["publicIp"]
        addresses.append(eip.outputs["publicIp"])
    assert d.outputs["nat_public_ips"] == addresses
    assert len(set(addresses)) == len(addresses)


def test_caller_elastic_ips_go_to_the_nat_instance_of_their_zone() -> None:
    allocations = ["eipalloc-0123456789abcdef0", "eipalloc-0123456789abcdef1"]
    args: PublicPrivateVpcArgs = {
        "cidr_block": "10.10.0.0/16",
        "availability_zone_count": 2,
        "nat_strategy": NatStrategy.INSTANCE_PER_AZ,
        "nat_eip_allocation_ids": allocations,
    }
    d = run_component(lambda: {"ids": PublicPrivateVpc("net", args).nat_instance_ids})

    assert d.of_type(EIP) == []
    pairs = []
    for instance in (d.by_id(i) for i in d.outputs["ids"]):
        interface = _interface_of(d, instance)
        [association] = [a for a in d.of_type(ASSOCIATION) if a.inputs["networkInterfaceId"] == interface.id]
        pairs.append((_zone_of_subnet(d, interface.inputs["subnetId"]), association.inputs["allocationId"]))
    assert pairs == list(zip(ZONES, allocations, strict=False))


@pytest.mark.parametrize(
    ("instance_type", "credits"),
    [("t4g.small", {"cpuCredits": "standard"}), ("c7gn.large", None), ("m7g.16xlarge", None)],
)
def test_the_instance_type_is_the_callers(instance_type: str, credits: dict[str, str] | None) -> None:
    args: PublicPrivateVpcArgs = {
        "cidr_block": "10.10.0.0/16",
        "availability_zone_count": 2,
        "nat_strategy": NatStrategy.INSTANCE,
        "nat_instance_type": instance_type,
    }
    d = run_component(lambda: {"ids": PublicPrivateVpc("net", args).nat_instance_ids})
    [instance] = d.of_type(INSTANCE)
    assert instance.inputs["instanceType"] == instance_type
    # Only burstable types take a credit specification.
    assert instance.inputs.get("creditSpecification") == credits


def test_gateway_strategies_run_no_instance_and_ask_for_no_image() -> None:
    d, mocks = _run("single", 2)
    assert d.outputs["nat_instance_ids"] == []
    assert {r.type for r in d} & {INSTANCE, INTERFACE, ASSOCIATION, PROFILE, ALARM, GROUP} == set()
    assert GET_PARAMETER not in {i.token for i in mocks.invokes}


def test_every_nat_instance_child_is_parented_named_after_the_component_and_tagged() -> None:
    d = _deployment("instance_per_az", 2)
    component = d.one("papyrus:index:PublicPrivateVpc")
    kinds = {INSTANCE, INTERFACE, EIP, ASSOCIATION, GROUP, INGRESS, EGRESS, ROLE, POLICY_ATTACHMENT, PROFILE, ALARM}
    mine = [r for r in d if r.type in kinds and r.name.startswith("net-nat-instance")]

    # Per zone: instance, interface, Elastic IP, association, two alarms; an ingress rule per private
    # subnet; shared: group, egress rule, role, policy attachment, instance profile.
    assert len(mine) == 2 * 6 + 2 + 5
    assert all(r.parent == component.urn for r in mine)
    untagged = {r.type for r in mine if "tags" not in r.inputs}
    # The only types here that take no tags.
    assert untagged == {ASSOCIATION, POLICY_ATTACHMENT}
    assert all(r.inputs["tags"] == {"Name": r.name} for r in mine if "tags" in r.inputs)


# ---- bad input --------------------------------------------------------------------------------------------

BASE: dict[str, Any] = {"cidr_block": "10.10.0.0/16", "availability_zone_count": 2}


@pytest.mark.parametrize(
    ("overrides", "key", "value"),
    [
        pytest.param({"nat_strategy": "instances"}, "nat_strategy", "instances", id="unknown-strategy"),
        pytest.param({"nat_strategy": "Instance"}, "nat_strategy", "Instance", id="strategy-case"),
        pytest.param(
            {"nat_strategy": "instance", "nat_instance_type": "t3.nano"}, "nat_instance_type", "t3.nano", id="x86"
        ),
        pytest.param(
            {"nat_strategy": "instance", "nat_instance_type": "t4g.huge"}, "nat_instance_type", "t4g.huge", id="size"
        ),
        pytest.param(
            {"nat_strategy": "instance", "nat_instance_type": "c6gd.large"},
            "nat_instance_type",
            "c6gd.large",
            id="instance-store-rules-out-recovery",
        ),
        pytest.param(
            {"nat_strategy": "instance_per_az", "nat_instance_type": "T4G.NANO"},
            "nat_instance_type",
            "T4G.NANO",
            id="case",
        ),
        pytest.param({"nat_strategy": "instance", "nat_instance_type": 5}, "nat_instance_type", 5, id="not-a-string"),
        pytest.param(
            {"nat_strategy": "per_az", "nat_instance_type": "t4g.nano"},
            "nat_instance_type",
            "t4g.nano",
            id="type-without-instances",
        ),
        pytest.param(
            {"nat_strategy": "instance_per_az", "nat_eip_allocation_ids": ["eipalloc-0123456789abcdef0"]},
            "nat_eip_allocation_ids",
            ["eipalloc-0123456789abcdef0"],
            id="too-few-eips-for-instance-per-az",
        ),
        pytest.param(
            {
                "nat_strategy": NatStrategy.INSTANCE,
                "nat_eip_allocation_ids": ["eipalloc-0123456789abcdef0", "eipalloc-0123456789abcdef1"],
            },
            "nat_eip_allocation_ids",
            ["eipalloc-0123456789abcdef0", "eipalloc-0123456789abcdef1"],
            id="two-eips-for-one-instance",
        ),
    ],
)
def test_bad_nat_instance_input_is_rejected_before_anything_registers(
    overrides: dict[str, Any], key: str, value: Any
) -> None:
    args: Any = {**BASE, **overrides}

    def build() -> None:
        PublicPrivateVpc("net", args)

    error = rejects(build)
    assert isinstance(error, InvalidArgumentError)
    assert (error.key, error.value) == (key, value)
    assert str(error).startswith(f"PublicPrivateVpc 'net': invalid {key}={value!r}; expected ")


def _error(**overrides: Any) -> str:
    args: Any = {**BASE, **overrides}

    def build() -> None:
        PublicPrivateVpc("net", args)

    return str(rejects(build))


def test_the_errors_say_what_is_allowed() -> None:
    assert _error(nat_strategy="instance", nat_instance_type="t3.nano").endswith(
        "expected an arm64 (Graviton) type the Amazon Linux arm64 image runs on: "
        "t4g.{nano,micro,small,medium,large,xlarge,2xlarge} or "
        "{c6g,c6gn,c7g,c7gn,m6g,m7g}.{medium,large,xlarge,2xlarge,4xlarge,8xlarge,12xlarge,16xlarge}"
    )
    assert _error(nat_strategy="single", nat_instance_type="t4g.nano").endswith(
        "expected no value with nat_strategy='single': "
        "only the strategies 'instance' and 'instance_per_az' run NAT instances"
    )
    assert _error(nat_strategy="instance_per_az", nat_eip_allocation_ids=[]).endswith(
        "expected 2 allocation ids: one per NAT instance with nat_strategy='instance_per_az'"
    )
    assert _error(nat_strategy="instance_nat").endswith(
        "expected one of 'none', 'single', 'per_az', 'instance', 'instance_per_az'"
    )


# ---- pure parts: image parameter, instance types, alarm actions, boot script -------------------------------


def test_the_image_parameter_is_al2023_standard_arm64() -> None:
    assert nat_instance.AMI_PARAMETER == "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64"


def test_the_mock_answers_only_public_ami_parameters() -> None:
    _, mocks = _run("instance", 2)
    [lookup] = [i for i in mocks.invokes if i.token == GET_PARAMETER]
    answer = lookup.answer
    assert answer["arn"] == f"arn:aws:ssm:us-west-2::parameter{nat_instance.AMI_PARAMETER}"
    assert (answer["type"], answer["value"]) == ("String", answer["insecureValue"])
    with pytest.raises(UnmockedInvokeError, match="/papyrus/dev/anything"):
        AwsMocks().call(pulumi_mocks.MockCallArgs(GET_PARAMETER, {"name": "/papyrus/dev/anything"}, ""))


@pytest.mark.parametrize(
    ("instance_type", "supported"),
    [
        ("t4g.nano", True),
        ("t4g.2xlarge", True),
        ("c6gn.medium", True),
        ("c7gn.16xlarge", True),
        ("m6g.large", True),
        ("t4g.metal", False),
        ("c7g.metal", False),
        ("c6gd.large", False),
        ("m7gd.large", False),
        ("t3a.nano", False),
        ("t4g.nano ", False),
        ("t4g", False),
        ("", False),
        (None, False),
    ],
)
def test_supported_instance_types(instance_type: Any, supported: bool) -> None:
    assert nat_instance.is_supported_instance_type(instance_type) is supported


def test_every_supported_type_is_a_graviton_type_without_instance_store() -> None:
    assert nat_instance.DEFAULT_INSTANCE_TYPE == "t4g.nano"
    assert nat_instance.DEFAULT_INSTANCE_TYPE in nat_instance.INSTANCE_TYPES
    assert len(nat_instance.INSTANCE_TYPES) == len(set(nat_instance.INSTANCE_TYPES)) == 7 + 6 * 8
    for instance_type in nat_instance.INSTANCE_TYPES:
        family, _ = instance_type.split(".")
        assert re.fullmatch(r"[a-z]\d+gn?", family), instance_type
        assert nat_instance.is_burstable(instance_type) is family.startswith("t")


def test_alarm_actions_are_the_ec2_automate_arns() -> None:
    assert nat_instance.alarm_action_arn("aws", "us-west-2", "recover") == "arn:aws:automate:us-west-2:ec2:recover"
    assert (
        nat_instance.alarm_action_arn("aws-cn", "cn-north-1", "reboot") == "arn:aws-cn:automate:cn-north-1:ec2:reboot"
    )
    with pytest.raises(ValueError, match="terminate"):
        nat_instance.alarm_action_arn("aws", "us-west-2", "terminate")


SCRIPT = nat_instance.user_data(["10.10.0.0/19", "10.10.32.0/19"])


def _block(script: str, start: str, end: str) -> str:
    """The lines of `script` from the one equal to `start` to the next one equal to `end`."""
    lines = script.splitlines()
    first = lines.index(start)
    return "\n".join(lines[first : lines.index(end, first + 1) + 1])


def test_the_boot_script_stops_at_the_first_failure() -> None:
    assert SCRIPT.splitlines()[:3] == [
        "#!/bin/bash",
        "# NAT instance of a papyrus PublicPrivateVpc: forward and masquerade the private subnets' traffic.",
        "set -euo pipefail",
    ]


def test_the_boot_script_persists_forwarding() -> None:
    assert _block(SCRIPT, "cat > /etc/sysctl.d/90-papyrus-nat.conf <<'EOF'", "EOF") == (
        "cat > /etc/sysctl.d/90-papyrus-nat.conf <<'EOF'\n"
        "net.ipv4.ip_forward = 1\n"
        "net.ipv4.conf.all.send_redirects = 0\n"
        "EOF"
    )
    assert "sysctl --load /etc/sysctl.d/90-papyrus-nat.conf" in SCRIPT.splitlines()


def test_the_boot_script_masquerades_the_private_subnets_on_the_primary_interface() -> None:
    assert "nic=\"$(ip -4 route show default | awk '{print $5; exit}')\"" in SCRIPT.splitlines()
    assert _block(SCRIPT, "cat > /etc/nftables/papyrus-nat.nft <<EOF", "EOF") == "\n".join(
        [
            "cat > /etc/nftables/papyrus-nat.nft <<EOF",
            "table ip papyrus_nat",
            "delete table ip papyrus_nat",
            "table ip papyrus_nat {",
            "  chain postrouting {",
            "    type nat hook postrouting priority srcnat; policy accept;",
            '    ip saddr { 10.10.0.0/19, 10.10.32.0/19 } oifname "$nic" masquerade',
            "  }",
            "}",
            "EOF",
        ]
    )


def test_the_boot_script_loads_the_rules_at_every_boot() -> None:
    assert _block(SCRIPT, "cat > /etc/systemd/system/papyrus-nat.service <<EOF", "EOF") == "\n".join(
        [
            "cat > /etc/systemd/system/papyrus-nat.service <<EOF",
            "[Unit]",
            "Description=papyrus NAT: masquerade the private subnets",
            "After=network-online.target",
            "Wants=network-online.target",
            "",
            "[Service]",
            "Type=oneshot",
            "RemainAfterExit=yes",
            "ExecStart=$nft_bin -f /etc/nftables/papyrus-nat.nft",
            "ExecStop=$nft_bin delete table ip papyrus_nat",
            "",
            "[Install]",
            "WantedBy=multi-user.target",
            "EOF",
        ]
    )
    assert SCRIPT.splitlines()[-2:] == ["systemctl enable --now papyrus-nat.service", "nft list table ip papyrus_nat"]


def test_the_boot_script_installs_nftables_only_when_missing_with_swap_for_dnf() -> None:
    install = _block(SCRIPT, "if ! command -v nft >/dev/null 2>&1; then", "fi")
    assert "dnf install -y nftables && break" in install
    assert install.index("swapon /var/papyrus-nat.swap") < install.index("dnf install")
    assert install.index("dnf install") < install.index("swapoff /var/papyrus-nat.swap")
    assert install.splitlines()[-2:] == ["  command -v nft >/dev/null", "fi"]


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_the_boot_script_is_valid_bash() -> None:
    subprocess.run(["bash", "-n"], input=SCRIPT, text=True, check=True)


@pytest.mark.parametrize("cidrs", [[], ["10.10.0.0/33"], ["fd00::/64"], ["10.10.0.1/19"], ["x"]])
def test_the_boot_script_needs_ipv4_networks(cidrs: list[str]) -> None:
    with pytest.raises(ValueError, match="IPv4 networks"):
        nat_instance.user_data(cidrs)


NETWORKS = st.builds(
    lambda a, p: str(ipaddress.ip_network(f"{a}/{p}", strict=False)), st.ip_addresses(v=4), st.integers(16, 28)
)


@settings(max_examples=100, deadline=None)
@given(st.lists(NETWORKS, min_size=1, max_size=6))
def test_the_boot_script_translates_exactly_the_given_ranges(cidrs: list[str]) -> None:
    script = nat_instance.user_data(cidrs)
    [rule] = [line.strip() for line in script.splitlines() if line.strip().startswith("ip saddr")]
    assert rule == f'ip saddr {{ {", ".join(cidrs)} }} oifname "$nic" masquerade'
    # EC2 refuses user data over 16 KB.
    assert len(script.encode()) < 16 * 1024


def test_arns_follow_the_regions_partition() -> None:
    """In GovCloud (which the papyrus program serves) AWS's ARNs start arn:aws-us-gov: the managed
    policy, the alarm actions and the flow-log trust come from the partition lookup, not a literal."""
    region = "us-gov-west-1"
    args: PublicPrivateVpcArgs = {
        "cidr_block": "10.10.0.0/16",
        "availability_zone_count": 2,
        "nat_strategy": NatStrategy.INSTANCE,
        "gateway_endpoints": [],
    }
    d = run_component(lambda: {"ids": PublicPrivateVpc("net", args).nat_instance_ids}, region=region)
    assert d.one(POLICY_ATTACHMENT).inputs["policyArn"] == (
        "arn:aws-us-gov:iam::aws:policy/AmazonSSMManagedInstanceCore"
    )
    assert sorted(a.inputs["alarmActions"][0] for a in d.of_type(ALARM)) == [
        f"arn:aws-us-gov:automate:{region}:ec2:{action}" for action in ("reboot", "recover")
    ]
    trust = json.loads(d.one(ROLE, "net-flow-logs").inputs["assumeRolePolicy"])
    source = trust["Statement"][0]["Condition"]["ArnLike"]["aws:SourceArn"]
    assert source == f"arn:aws-us-gov:ec2:{region}:123456789012:vpc-flow-log/*"
