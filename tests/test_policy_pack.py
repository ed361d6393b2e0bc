"""The policy pack's machinery: pack config as the CLI resolves it, declared findings, the
arguments the adapter builds (wire form, unknown values), the helpers the controls share, and
the pack's entry point served over gRPC exactly as the Pulumi CLI starts it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pulumi_policy import EnforcementLevel, PolicyResource, StackValidationArgs, StackValidationPolicy
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE, UnknownValueError, unknown_checking_proxy

from offline import policy_check
from policy.controls import DECLARED, PACK_NAME, POLICIES, control_id
from policy.controls.iam_documents import statements, wildcard_match
from policy.controls.props import UNKNOWN, as_int, known
from policy.controls.secretsmanager import rotation_interval_days, valid_reason
from tests.harness import PROJECT_DIR
from tests.policy_support import Reports, findings, flagged, options, resource, validate_resource

POLICY_DIR = PROJECT_DIR / "policy"
BY_NAME = {p.name: p for p in POLICIES}


# ---- naming and metadata -----------------------------------------------------------------------


def test_every_policy_is_named_by_its_control() -> None:
    for policy in POLICIES:
        control = control_id(policy)
        assert policy.description.startswith(f"[{control}] ")
        if control == "custom":
            assert policy.name.startswith("custom-")
            assert "not an FSBP control" in policy.description
            assert policy.framework is None
        else:
            service, number = control.split(".")
            assert policy.name.startswith(f"{service.lower()}-{number}-")
            assert policy.framework is not None
            assert policy.framework.name == "AWS Foundational Security Best Practices"
            assert policy.url == (
                f"https://docs.aws.amazon.com/securityhub/latest/userguide/{service.lower()}-controls.html"
                f"#{service.lower()}-{number}"
            )
    assert len(BY_NAME) == len(POLICIES)


def test_the_controls_the_issue_names_are_all_covered() -> None:
    named = {
        "EC2.2", "EC2.6", "EC2.15", "ELB.1", "ELB.4", "ELB.5", "ELB.6", "ELB.12", "ELB.13", "APIGateway.8",
        "APIGateway.9", "ECR.1", "ECR.2", "ECR.3", "ECS.2", "ECS.4", "ECS.5", "ECS.8", "ECS.9", "ECS.10",
        "ECS.12", "CloudWatch.16", "SecretsManager.1", "SecretsManager.4", "IAM.1", "S3.5", "S3.8",
    }  # fmt: skip
    assert named <= {control_id(p) for p in POLICIES}


# ---- pack config -------------------------------------------------------------------------------


def test_without_config_every_policy_is_advisory_with_schema_defaults() -> None:
    settings = policy_check.resolve_config(None)
    assert {s.level for s in settings.values()} == {EnforcementLevel.ADVISORY}
    assert settings["cloudwatch-16-log-retention"].properties == {"minRetentionTime": 365}
    assert settings["elb-13-multiple-availability-zones"].properties == {"minAvailabilityZones": 2}


def test_all_then_per_policy_entries_as_the_cli_applies_them() -> None:
    settings = policy_check.resolve_config(
        {
            "all": "mandatory",
            "ecr-2-tag-immutability": "advisory",
            "cloudwatch-16-log-retention": {"enforcementLevel": "disabled", "minRetentionTime": 30},
        }
    )
    assert settings["elb-1-http-to-https-redirect"].level == EnforcementLevel.MANDATORY
    assert settings["ecr-2-tag-immutability"].level == EnforcementLevel.ADVISORY
    assert settings["cloudwatch-16-log-retention"].level == EnforcementLevel.DISABLED
    assert settings["cloudwatch-16-log-retention"].properties == {"minRetentionTime": 30}


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({"all": "strict"}, "all: 'strict' is not an enforcement level"),
        ({"elb-1-https": "mandatory"}, "elb-1-https: no such policy"),
        ({"cloudwatch-16-log-retention": {"minRetention": 30}}, "cloudwatch-16-log-retention.minRetention: not a"),
        ({"cloudwatch-16-log-retention": {"minRetentionTime": "30"}}, "expected integer, got '30'"),
        ({"cloudwatch-16-log-retention": {"minRetentionTime": 0}}, "less than the minimum 1"),
        (
            {"ecr-2-tag-immutability": {"declared": {"repo": 3}}},
            "ecr-2-tag-immutability.declared.repo: expected string",
        ),
        ({"ecr-2-tag-immutability": ["advisory"]}, "must be a string or object"),
    ],
)
def test_bad_pack_config_names_the_key(document: dict[str, Any], message: str) -> None:
    with pytest.raises(policy_check.PolicyConfigError, match=message.replace("(", r"\(").replace(".", r"\.")):
        policy_check.resolve_config(document)


@pytest.mark.parametrize("stack", ["dev", "prd"])
def test_committed_configs_load(stack: str) -> None:
    settings = policy_check.load_config(POLICY_DIR / "config" / f"{stack}.json")
    expected = EnforcementLevel.MANDATORY if stack == "prd" else EnforcementLevel.ADVISORY
    assert {s.level for s in settings.values()} == {expected}


def test_parameters_change_what_a_policy_accepts() -> None:
    month = resource("aws:cloudwatch/logGroup:LogGroup", "month", {"retentionInDays": 30})
    assert flagged("cloudwatch-16-log-retention", month) == {"month"}
    config = {"all": "mandatory", "cloudwatch-16-log-retention": {"minRetentionTime": 30}}
    assert flagged("cloudwatch-16-log-retention", month, config=config) == set()


def test_a_declared_finding_is_still_reported_with_its_reason() -> None:
    repo = resource("aws:ecr/repository:Repository", "images", {"imageTagMutability": "MUTABLE"})
    other = resource("aws:ecr/repository:Repository", "other", {"imageTagMutability": "MUTABLE"})
    config = {"all": "advisory", "ecr-2-tag-immutability": {DECLARED: {"images": "dev pushes latest"}}}
    found = {f.resource_name: f for f in findings(repo, other, config=config) if f.control == "ECR.2"}
    assert found["images"].declared == "dev pushes latest"
    assert found["images"].enforcement == "advisory"
    assert found["other"].declared is None
    # What `pulumi preview` prints: the policy's own message carries the reason.
    messages = validate_resource(
        "ecr-2-tag-immutability",
        repo.type,
        policy_check.wire_props(repo.inputs),
        {DECLARED: {"r": "dev pushes latest"}},
    )
    assert messages == [
        "imageTagMutability is MUTABLE: a pushed tag can be moved to another image "
        "(declared for this stack: dev pushes latest)"
    ]


def test_disabled_policies_do_not_run() -> None:
    repo = resource("aws:ecr/repository:Repository", "images")
    assert flagged("ecr-2-tag-immutability", repo, config={"ecr-2-tag-immutability": "disabled"}) == set()


# ---- the arguments the adapter builds -------------------------------------------------------------


def test_props_arrive_in_wire_form_numbers_as_floats() -> None:
    props = policy_check.wire_props({"retentionInDays": 365, "nested": {"ports": [443]}, "flag": True})
    assert props["retentionInDays"] == 365.0
    assert isinstance(props["retentionInDays"], float)
    assert isinstance(props["nested"]["ports"][0], float)
    assert props["flag"] is True
    assert as_int(props["retentionInDays"]) == 365


def test_an_unknown_value_is_left_to_the_sdk_in_resource_policies() -> None:
    """During a preview an unknown input raises; pulumi-policy turns it into an advisory note."""
    props = unknown_checking_proxy({"retentionInDays": UNKNOWN_STRING_VALUE})
    with pytest.raises(UnknownValueError):
        validate_resource("cloudwatch-16-log-retention", "aws:cloudwatch/logGroup:LogGroup", props)


def test_relations_hold_while_ids_are_unknown() -> None:
    """A stack validation in a first preview: the secret's ARN is unknown, the rotation's secretId too,
    but the property dependency still ties them together."""

    def policy_resource(type_: str, name: str, props: dict[str, Any]) -> PolicyResource:
        return PolicyResource(type_, unknown_checking_proxy(props), f"urn:{name}", name, options(), None, None, [], {})

    secret = policy_resource("aws:secretsmanager/secret:Secret", "db", {"arn": UNKNOWN_STRING_VALUE})
    rotation = policy_resource(
        "aws:secretsmanager/secretRotation:SecretRotation",
        "db-rotation",
        {"secretId": UNKNOWN_STRING_VALUE, "rotationRules": {"automaticallyAfterDays": 30.0}},
    )
    assert known(rotation.props, "secretId") is UNKNOWN
    args = StackValidationArgs([secret, rotation], {})
    policy = BY_NAME["secretsmanager-1-rotation-enabled"]
    assert isinstance(policy, StackValidationPolicy)
    reports = Reports()
    policy.validate(args, reports)
    assert reports.urns == ["urn:db"]
    rotation.property_dependencies = {"secretId": [secret]}
    reports = Reports()
    policy.validate(args, reports)
    assert reports.urns == []


# ---- shared helpers ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rules", "days"),
    [
        ({"automaticallyAfterDays": 30.0}, 30),
        ({"scheduleExpression": "rate(10 days)"}, 10),
        ({"scheduleExpression": "rate(48 hours)"}, 2),
        ({"scheduleExpression": "cron(0 8 1 * ? *)"}, 31),
        ({"scheduleExpression": "cron(0 8 1 1,4,7,10 ? *)"}, 93),
        ({"scheduleExpression": "cron(0 8 1 */2 ? *)"}, 62),
        ({"scheduleExpression": "cron(0 8 1 JAN-JUN ? *)"}, 217),
        ({"scheduleExpression": "cron(0 8 1 13 ? *)"}, None),
        ({"scheduleExpression": "weekly"}, None),
        ({}, None),
    ],
)
def test_rotation_interval(rules: dict[str, Any], days: int | None) -> None:
    assert rotation_interval_days(rules) == days


@given(st.sets(st.integers(1, 12), min_size=1))
def test_cron_interval_is_the_longest_gap_between_chosen_months(months: set[int]) -> None:
    ordered = sorted(months)
    gaps = [b - a for a, b in zip(ordered, [*ordered[1:], ordered[0] + 12], strict=True)]
    expression = f"cron(0 0 1 {','.join(map(str, ordered))} ? *)"
    assert rotation_interval_days({"scheduleExpression": expression}) == max(gaps) * 31


@pytest.mark.parametrize(
    ("reason", "valid"),
    [
        ("issued by Auth0: rotate it in the Auth0 dashboard", True),
        ("database outside this stack @ team-db", True),
        ("n/a", False),
        ("none", False),
        ("", False),
        ("rotated by hand, quarterly", False),  # a comma is not allowed in a tag value
        ("x" * 257, False),
    ],
)
def test_rotation_exception_reasons(reason: str, valid: bool) -> None:
    assert valid_reason(reason) is valid


def test_statements_normalise_the_many_spellings_of_iam() -> None:
    parsed = statements(
        json.dumps(
            {
                "Statement": {
                    "Effect": "Deny",
                    "Principal": {"AWS": ["*"]},
                    "Action": "S3:*",
                    "Resource": "arn:aws:s3:::b/*",
                    "Condition": {"Bool": {"aws:SecureTransport": False}},
                }
            }
        )
    )
    [statement] = parsed
    assert statement.denies
    assert statement.anyone
    assert statement.covers_action("s3:GetObject")  # actions compare case-insensitively
    assert statement.condition_values("AWS:SecureTransport") == [("Bool", "false")]
    assert statement.covers_resource("arn:aws:s3:::b/key")
    assert not statement.covers_resource("arn:aws:s3:::b")
    assert statements({"Statement": [{"Effect": "Allow", "NotAction": "iam:*"}]})[0].covers_action("s3:GetObject")
    assert statements(None) == []
    assert statements("") == []
    with pytest.raises(ValueError, match="Expecting"):
        statements("{not json")


@pytest.mark.parametrize(
    ("pattern", "value", "matches"),
    [("team-*", "team-app", True), ("team-?pp", "team-app", True), ("team-[a]", "team-a", False), ("*", "", True)],
)
def test_wildcards_are_iam_wildcards(pattern: str, value: str, matches: bool) -> None:
    assert wildcard_match(pattern, value) is matches


# ---- the pack as the Pulumi CLI runs it -------------------------------------------------------------


def _cli_config(path: Path) -> dict[str, Any]:
    """The resolved config as the CLI sends it in Configure."""
    from pulumi.runtime.proto import analyzer_pb2

    levels = {
        EnforcementLevel.ADVISORY: analyzer_pb2.ADVISORY,
        EnforcementLevel.MANDATORY: analyzer_pb2.MANDATORY,
        EnforcementLevel.REMEDIATE: analyzer_pb2.REMEDIATE,
        EnforcementLevel.DISABLED: analyzer_pb2.DISABLED,
    }
    config = {}
    for name, setting in policy_check.load_config(path).items():
        message = analyzer_pb2.PolicyConfig(enforcementLevel=levels[setting.level])
        message.properties.update(setting.properties)
        config[name] = message
    return config


@pytest.mark.subprocess
def test_the_pack_serves_its_policies_over_grpc_as_the_cli_starts_it() -> None:
    """`pulumi preview --policy-pack policy` runs `python policy/` and talks gRPC to it."""
    import grpc
    from google.protobuf import empty_pb2, struct_pb2
    from pulumi.runtime.proto import analyzer_pb2, analyzer_pb2_grpc

    pack = subprocess.Popen(
        [sys.executable, str(POLICY_DIR)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=PROJECT_DIR
    )
    try:
        assert pack.stdout is not None
        port = int(pack.stdout.readline())
        with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
            analyzer = analyzer_pb2_grpc.AnalyzerStub(channel)
            info = analyzer.GetAnalyzerInfo(empty_pb2.Empty(), timeout=30)
            assert info.name == PACK_NAME
            assert [p.name for p in info.policies] == [p.name for p in POLICIES]
            assert {p.enforcementLevel for p in info.policies} == {analyzer_pb2.ADVISORY}

            analyzer.Configure(
                analyzer_pb2.ConfigureAnalyzerRequest(policyConfig=_cli_config(POLICY_DIR / "config" / "prd.json")),
                timeout=30,
            )
            props = struct_pb2.Struct()
            props.update({"subnets": ["subnet-a", "subnet-b"], "dropInvalidHeaderFields": True})
            response = analyzer.Analyze(
                analyzer_pb2.AnalyzeRequest(
                    type="aws:lb/loadBalancer:LoadBalancer", properties=props, urn="urn:lb", name="web"
                ),
                timeout=30,
            )
            reported = {(d.policyName, d.enforcementLevel) for d in response.diagnostics}
            assert reported == {
                ("elb-5-access-logs", analyzer_pb2.MANDATORY),
                ("elb-6-deletion-protection", analyzer_pb2.MANDATORY),
            }
    finally:
        pack.kill()
        pack.wait(timeout=30)
        if pack.stdout:
            pack.stdout.close()
        if pack.stderr:
            pack.stderr.close()
