"""ApplicationLogGroup: retention, encryption and protection of an app's log group."""

from __future__ import annotations

from typing import Any, cast

import pytest
from pulumi_aws import kms

from components.log_group import ApplicationLogGroup, ApplicationLogGroupArgs
from components.testing.engine import ProgramError
from components.validation import InvalidArgumentError
from tests.harness import rejects, run_component

LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"


def _build(args: ApplicationLogGroupArgs) -> dict[str, Any]:
    logs = ApplicationLogGroup("app-logs", args)
    return {"name": logs.log_group_name, "arn": logs.log_group_arn}


def test_the_articles_log_group() -> None:
    deployment = run_component(
        lambda: _build({"log_group_name": "/ecs/papyrus", "retention_in_days": 1, "tags": {"project": "portfolio"}})
    )

    component = deployment.one("papyrus:index:ApplicationLogGroup")
    group = deployment.one(LOG_GROUP)
    assert group.name == "app-logs-log-group"
    assert group.parent == component.urn
    assert group.inputs == {
        "name": "/ecs/papyrus",
        "logGroupClass": "STANDARD",
        "retentionInDays": 1,
        "deletionProtectionEnabled": False,
        "tags": {"project": "portfolio"},
    }
    assert not group.protect
    assert deployment.outputs == {
        "name": "/ecs/papyrus",
        "arn": "arn:aws:logs:us-west-2:123456789012:log-group:/ecs/papyrus",
    }
    assert [r.type for r in deployment] == ["papyrus:index:ApplicationLogGroup", LOG_GROUP]


def test_protect_turns_on_both_protections() -> None:
    deployment = run_component(
        lambda: _build({"log_group_name": "/ecs/papyrus", "retention_in_days": 30, "protect": True})
    )

    group = deployment.one(LOG_GROUP)
    assert group.protect
    assert group.inputs["deletionProtectionEnabled"] is True
    assert group.inputs["retentionInDays"] == 30


def test_a_kms_key_output_encrypts_the_log_events() -> None:
    def build() -> dict[str, Any]:
        key = kms.Key("logs-key", description="log encryption")
        return _build({"log_group_name": "/ecs/papyrus", "retention_in_days": 7, "kms_key_arn": key.arn})

    deployment = run_component(build)

    key = deployment.one("aws:kms/key:Key")
    group = deployment.one(LOG_GROUP)
    assert group.inputs["kmsKeyId"] == key.outputs["arn"]
    assert group.property_dependencies["kmsKeyId"] == (key.urn,)


@pytest.mark.parametrize(
    ("args", "key", "shown"),
    [
        ({"log_group_name": "", "retention_in_days": 1}, "log_group_name", "''"),
        ({"log_group_name": "/ecs/papyrus app", "retention_in_days": 1}, "log_group_name", "'/ecs/papyrus app'"),
        ({"log_group_name": "/ecs/" + "a" * 508, "retention_in_days": 1}, "log_group_name", "'/ecs/aaaa"),
        ({"log_group_name": "aws/ecs/papyrus", "retention_in_days": 1}, "log_group_name", "'aws/ecs/papyrus'"),
        ({"log_group_name": "/ecs/papyrus", "retention_in_days": 2}, "retention_in_days", "2"),
        ({"log_group_name": "/ecs/papyrus", "retention_in_days": 0}, "retention_in_days", "0"),
        ({"log_group_name": "/ecs/papyrus", "retention_in_days": True}, "retention_in_days", "True"),
        (
            {"log_group_name": "/ecs/papyrus", "retention_in_days": 1, "kms_key_arn": "alias/logs"},
            "kms_key_arn",
            "'alias/logs'",
        ),
        ({"log_group_name": "/ecs/papyrus", "retention_in_days": 1, "protect": "yes"}, "protect", "'yes'"),
        ({"log_group_name": "/ecs/papyrus", "retention_in_days": 1, "tags": ["a"]}, "tags", "['a']"),
        ({"log_group_name": "/ecs/papyrus", "retention_in_days": 1, "retention": 7}, "retention", "7"),
        ({"log_group_name": "/ecs/papyrus"}, "retention_in_days", "None"),
    ],
)
def test_rejects_what_cloudwatch_would(args: dict[str, Any], key: str, shown: str) -> None:
    def build() -> None:
        ApplicationLogGroup("app-logs", cast(ApplicationLogGroupArgs, args))

    error = rejects(build)

    message = str(error)
    assert message.startswith("ApplicationLogGroup 'app-logs': ")
    assert f"invalid {key}={shown}" in message


def test_accepts_every_character_cloudwatch_allows() -> None:
    deployment = run_component(
        lambda: _build({"log_group_name": "/aws-like/Team_1/app.v2/#main-", "retention_in_days": 3653})
    )
    assert deployment.one(LOG_GROUP).inputs["name"] == "/aws-like/Team_1/app.v2/#main-"


def test_a_kms_key_output_is_checked_once_known() -> None:
    def build() -> None:
        key_id = kms.Key("logs-key").id
        ApplicationLogGroup(
            "app-logs", {"log_group_name": "/ecs/papyrus", "retention_in_days": 1, "kms_key_arn": key_id}
        )

    with pytest.raises(ProgramError) as caught:
        run_component(build)
    assert isinstance(caught.value.error, InvalidArgumentError)
    assert "invalid kms_key_arn='key-" in str(caught.value.error)
    # The key id is an output, so the failure comes once it resolves, before the log group exists.
    assert LOG_GROUP not in [r.type for r in caught.value.deployment]
