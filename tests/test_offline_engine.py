"""The offline engine records what the real engine would receive, including secrets."""

from __future__ import annotations

from typing import Any

import pulumi
import pulumi_random as random
import pytest
from pulumi_aws import ec2, secretsmanager, vpc

from components.testing.engine import ProgramError
from components.testing.mocks import AwsMocks, UnmockedInvokeError
from tests.harness import plaintext_leaks, rejects, run_component, secret_values


class _Pair(pulumi.ComponentResource):
    def __init__(self, name: str, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("test:index:Pair", name, None, opts)
        self.vpc = ec2.Vpc(f"{name}-vpc", cidr_block="10.0.0.0/16", opts=pulumi.ResourceOptions(parent=self))
        self.subnet = ec2.Subnet(
            f"{name}-subnet",
            vpc_id=self.vpc.id,
            cidr_block="10.0.0.0/24",
            availability_zone="us-west-2b",
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.register_outputs({})


def test_records_parent_inputs_and_references() -> None:
    deployment = run_component(lambda: {"subnet": _Pair("p").subnet.id})

    component = deployment.one("test:index:Pair")
    vpc = deployment.one("aws:ec2/vpc:Vpc")
    subnet = deployment.one("aws:ec2/subnet:Subnet")
    assert component.custom is False
    assert component.parent == deployment.stack_urn
    assert vpc.parent == component.urn == subnet.parent
    assert vpc.id.startswith("vpc-")
    assert subnet.inputs["vpcId"] == vpc.id
    assert subnet.property_dependencies["vpcId"] == (vpc.urn,)
    assert vpc.urn in subnet.dependencies
    assert deployment.outputs == {"subnet": subnet.id}
    assert subnet.outputs["availabilityZoneId"] == "usw2-az2"


def test_secret_inputs_and_additional_secret_outputs_are_secret() -> None:
    def build() -> dict[str, object]:
        password = random.RandomPassword("pw", length=24, special=False)
        secret = secretsmanager.Secret("s", name="app/dev/db")
        secretsmanager.SecretVersion(
            "v",
            secret_id=secret.id,
            secret_string=pulumi.Output.json_dumps({"user": "app", "password": password.result}),
        )
        return {"password": password.result, "secretName": secret.name}

    deployment = run_component(build)

    password = deployment.one("random:index/randomPassword:RandomPassword")
    version = deployment.one("aws:secretsmanager/secretVersion:SecretVersion")
    result = password.outputs["result"]
    assert len(result) == 24
    assert result.isalnum()
    # The stock mock monitor would return `result` in plaintext; the engine marks it like the real one.
    assert "result" in password.additional_secret_outputs
    assert deployment.secret_outputs == {"password"}
    assert deployment.outputs["password"] == result
    assert version.fully_secret("secretString")
    assert not version.is_secret("secretId")
    assert result in secret_values(deployment)
    assert plaintext_leaks(deployment) == []


def test_plaintext_leaks_finds_a_secret_copied_into_a_plain_input() -> None:
    def build() -> None:
        password = random.RandomPassword("pw", length=20)
        # Unwrapping the secret on purpose: the copy is no longer marked.
        leaked = pulumi.Output.unsecret(password.result)
        ec2.Vpc("vpc", cidr_block="10.0.0.0/16", tags={"oops": leaked})

    deployment = run_component(build)
    assert plaintext_leaks(deployment) == ["aws:ec2/vpc:Vpc vpc.tags.oops"]


def test_a_failing_program_reports_what_it_had_registered() -> None:
    def build() -> None:
        ec2.Vpc("first", cidr_block="10.0.0.0/16")
        raise ValueError("boom")

    with pytest.raises(ProgramError) as caught:
        run_component(build)
    assert isinstance(caught.value.error, ValueError)
    assert [r.name for r in caught.value.deployment] == ["first"]


def test_rejects_fails_when_something_was_registered_first() -> None:
    def build() -> None:
        ec2.Vpc("first", cidr_block="10.0.0.0/16")
        raise ValueError("late")

    with pytest.raises(AssertionError, match="after registering"):
        rejects(build)


def test_runs_are_isolated() -> None:
    first = run_component(lambda: {"id": ec2.Vpc("a", cidr_block="10.0.0.0/16").id})
    second = run_component(lambda: {"id": ec2.Vpc("b", cidr_block="10.1.0.0/16").id})
    assert [r.name for r in first] == ["a"]
    assert [r.name for r in second] == ["b"]
    assert first.outputs["id"] != second.outputs["id"]


def test_a_run_that_failed_inside_an_apply_does_not_break_the_next() -> None:
    def fails_late() -> None:
        ec2.Vpc("v", cidr_block=pulumi.Output.from_input("10.0.0.0/16").apply(_raise))

    with pytest.raises(ProgramError, match="late failure"):
        run_component(fails_late)
    assert [r.name for r in run_component(lambda: {"id": ec2.Vpc("ok", cidr_block="10.0.0.0/16").id})] == ["ok"]


def _raise(value: str) -> str:
    raise ValueError("late failure")


def test_auto_names_past_aws_limits_fail_as_the_provider_does() -> None:
    """Pulumi auto-names `<logical name>-<7 random>` and refuses, rather than cuts, a longer name:
    a component that lets its name grow past a child's limit must fail here as it would in AWS."""
    from pulumi_aws import iam

    policy = '{"Version": "2012-10-17", "Statement": []}'
    fits = run_component(lambda: {"name": iam.Role("r" * 56, assume_role_policy=policy).name})
    assert len(fits.outputs["name"]) == 64
    with pytest.raises(ProgramError, match=r"plus 7 random chars is longer than maximum length 64"):
        run_component(lambda: {"name": iam.Role("r" * 57, assume_role_policy=policy).name})
    from pulumi_aws import s3

    assert len(run_component(lambda: {"name": s3.Bucket("b" * 55).bucket}).outputs["name"]) == 63
    with pytest.raises(ProgramError, match=r"plus 7 random chars is longer than maximum length 63"):
        run_component(lambda: {"name": s3.Bucket("b" * 56).bucket})


@pytest.mark.parametrize(
    ("build", "refusal"),
    [
        (lambda: ec2.SecurityGroup("sg-web", vpc_id="vpc-0123456789abcdef0"), "Invalid security group name"),
        (lambda: ec2.SecurityGroup("web", description="the app's tasks"), "Invalid description"),
        (
            lambda: vpc.SecurityGroupEgressRule(
                "out", security_group_id="sg-0123456789abcdef0", ip_protocol="-1", description="it's open"
            ),
            "Invalid description",
        ),
    ],
)
def test_security_group_names_and_descriptions_ec2_refuses_fail(build: Any, refusal: str) -> None:
    """EC2 takes a-z, A-Z, 0-9, spaces and ._-:/()#,@[]+=&;{}!$* there (no quotes), and no group
    name starting with sg-: refused only at deployment, after other resources exist."""
    with pytest.raises(ProgramError, match=refusal):
        run_component(build)
    group = run_component(lambda: {"id": ec2.SecurityGroup("web", description="Tasks: tcp/443 (HTTPS) & more").id})
    assert group.outputs["id"].startswith("sg-")


def test_unknown_invokes_fail_loudly() -> None:
    from pulumi.runtime.mocks import MockCallArgs

    with pytest.raises(UnmockedInvokeError, match="aws:ec2/getVpc:getVpc"):
        AwsMocks().call(MockCallArgs("aws:ec2/getVpc:getVpc", {}, ""))


def test_availability_zones_follow_the_region() -> None:
    from pulumi_aws.get_availability_zones import get_availability_zones

    deployment = run_component(lambda: {"zones": get_availability_zones(state="available").names}, region="us-east-1")
    assert deployment.outputs["zones"] == [f"us-east-1{c}" for c in "abcdef"]


def test_tokyo_offers_a_new_account_zones_a_c_and_d() -> None:
    """ap-northeast-1b is closed to new accounts: EC2 does not list it, and a stack that pins
    a, b and c would be refused (PublicPrivateVpc checks pinned zones against this lookup)."""
    from pulumi_aws.get_availability_zones import get_availability_zones

    def build() -> dict[str, object]:
        subnet = ec2.Subnet(
            "s", vpc_id="vpc-0123456789abcdef0", cidr_block="10.0.0.0/24", availability_zone="ap-northeast-1d"
        )
        return {"zones": get_availability_zones(state="available").names, "zone_id": subnet.availability_zone_id}

    deployment = run_component(build, region="ap-northeast-1")
    assert deployment.outputs == {
        "zones": ["ap-northeast-1a", "ap-northeast-1c", "ap-northeast-1d"],
        "zone_id": "apne1-az2",
    }


def test_a_project_run_does_not_leak_its_root_directory_into_the_next_run() -> None:
    """Settings read Pulumi.yaml from the root directory: a run of another project (an example)
    must not make the next program see that project's declarations."""
    from components.testing.stack import run_program
    from tests.harness import PROJECT_DIR

    run_program(PROJECT_DIR / "examples" / "orders-api", "dev")
    seen: list[object] = []

    def program() -> None:
        seen.append(pulumi.get_root_directory())

    run_component(program)
    assert seen == [None]
