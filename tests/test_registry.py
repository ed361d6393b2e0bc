"""ContainerRegistry: the repository's settings, its lifecycle policy and its name rules."""

from __future__ import annotations

import json
from typing import Any, cast

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pulumi_aws import kms

from components.registry import ContainerRegistry, ContainerRegistryArgs, lifecycle_policy, repository_name
from components.validation import InvalidArgumentError
from tests.harness import rejects, run_component

REPOSITORY = "aws:ecr/repository:Repository"
LIFECYCLE = "aws:ecr/lifecyclePolicy:LifecyclePolicy"
URL = "123456789012.dkr.ecr.us-west-2.amazonaws.com/papyrus"

DEFAULT_POLICY = {
    "rules": [
        {
            "rulePriority": 1,
            "description": "Expire untagged images 7 days after push",
            "selection": {
                "tagStatus": "untagged",
                "countType": "sinceImagePushed",
                "countUnit": "days",
                "countNumber": 7,
            },
            "action": {"type": "expire"},
        },
        {
            "rulePriority": 2,
            "description": "Keep the 30 most recently pushed tagged images",
            "selection": {
                "tagStatus": "tagged",
                "tagPatternList": ["*"],
                "countType": "imageCountMoreThan",
                "countNumber": 30,
            },
            "action": {"type": "expire"},
        },
    ]
}


def _build(args: ContainerRegistryArgs) -> dict[str, Any]:
    registry = ContainerRegistry("images", args)
    return {
        "url": registry.repository_url,
        "arn": registry.repository_arn,
        "name": registry.repository_name,
        "registry": registry.registry_id,
    }


def test_defaults_are_the_secure_choices() -> None:
    deployment = run_component(lambda: _build({"repository_name": "papyrus"}))

    component = deployment.one("papyrus:index:ContainerRegistry")
    repository = deployment.one(REPOSITORY)
    policy = deployment.one(LIFECYCLE)
    assert (repository.name, policy.name) == ("images-repository", "images-lifecycle-policy")
    assert repository.parent == policy.parent == component.urn
    assert repository.inputs == {
        "name": "papyrus",
        "imageTagMutability": "IMMUTABLE",
        "encryptionConfigurations": [{"encryptionType": "AES256"}],
        "imageScanningConfiguration": {"scanOnPush": True},
        "forceDelete": True,
    }
    assert not repository.protect
    # The policy names the repository through its output, so it is created after it.
    assert policy.inputs["repository"] == repository.outputs["name"]
    assert policy.property_dependencies["repository"] == (repository.urn,)
    assert json.loads(policy.inputs["policy"]) == DEFAULT_POLICY
    assert deployment.outputs == {
        "url": URL,
        "arn": "arn:aws:ecr:us-west-2:123456789012:repository/papyrus",
        "name": "papyrus",
        "registry": "123456789012",
    }


def test_the_articles_dev_repository_is_mutable_and_aes256() -> None:
    deployment = run_component(
        lambda: _build(
            {
                "repository_name": "papyrus",
                "image_tag_mutability": "MUTABLE",
                "untagged_image_expiry_days": 1,
                "max_tagged_images": 5,
                "tags": {"project": "portfolio"},
            }
        )
    )

    repository = deployment.one(REPOSITORY)
    assert repository.inputs["imageTagMutability"] == "MUTABLE"
    assert repository.inputs["encryptionConfigurations"] == [{"encryptionType": "AES256"}]
    assert repository.inputs["tags"] == {"project": "portfolio"}
    rules = json.loads(deployment.one(LIFECYCLE).inputs["policy"])["rules"]
    assert [(r["selection"]["tagStatus"], r["selection"]["countNumber"]) for r in rules] == [
        ("untagged", 1),
        ("tagged", 5),
    ]


def test_protect_keeps_the_images() -> None:
    deployment = run_component(lambda: _build({"repository_name": "papyrus", "protect": True}))

    repository = deployment.one(REPOSITORY)
    assert repository.protect
    assert repository.inputs["forceDelete"] is False
    # The lifecycle policy holds no data; leaving it unprotected lets it be edited or replaced.
    assert not deployment.one(LIFECYCLE).protect


def test_a_kms_key_switches_encryption_to_kms() -> None:
    def build() -> dict[str, Any]:
        key = kms.Key("images-key", description="image encryption")
        return _build({"repository_name": "team-a/papyrus", "kms_key_arn": key.arn})

    deployment = run_component(build)

    key = deployment.one("aws:kms/key:Key")
    repository = deployment.one(REPOSITORY)
    assert repository.inputs["encryptionConfigurations"] == [{"encryptionType": "KMS", "kmsKey": key.outputs["arn"]}]
    assert key.urn in repository.property_dependencies["encryptionConfigurations"]
    assert deployment.outputs["url"] == "123456789012.dkr.ecr.us-west-2.amazonaws.com/team-a/papyrus"


def test_scan_on_push_can_be_left_to_registry_level_scanning() -> None:
    deployment = run_component(lambda: _build({"repository_name": "papyrus", "scan_on_push": False}))
    assert deployment.one(REPOSITORY).inputs["imageScanningConfiguration"] == {"scanOnPush": False}


def test_lifecycle_policy_document() -> None:
    assert lifecycle_policy(7, 30) == DEFAULT_POLICY


@settings(max_examples=100)
@given(st.integers(min_value=1, max_value=10_000), st.integers(min_value=1, max_value=10_000))
def test_lifecycle_policy_follows_ecr_rules(days: int, images: int) -> None:
    rules = lifecycle_policy(days, images)["rules"]
    priorities = [r["rulePriority"] for r in rules]
    assert len(set(priorities)) == len(priorities)
    for rule in rules:
        selection = rule["selection"]
        assert rule["action"] == {"type": "expire"}
        # ECR: "tagged" needs a tag list, "untagged" must not have one, and "any" would have to be last.
        assert selection["tagStatus"] in ("tagged", "untagged")
        assert ("tagPatternList" in selection) == (selection["tagStatus"] == "tagged")
        assert ("countUnit" in selection) == (selection["countType"] == "sinceImagePushed")
        assert selection["countNumber"] >= 1
    assert {r["selection"]["countNumber"] for r in rules} <= {days, images}


@pytest.mark.parametrize(
    "name",
    ["ab", "papyrus", "team-a/papyrus", "a.b_c__d--e/f-g", "0app", "a" * 256, "x/y/z"],
)
def test_accepts_ecr_repository_names(name: str) -> None:
    assert repository_name("here", "repository_name", name) == name


@pytest.mark.parametrize(
    "name",
    ["a", "Papyrus", "papyrus/", "/papyrus", "team a/papyrus", "a..b", "a___b", "-ab", "ab-", "a//b", "a" * 257],
)
def test_rejects_names_outside_ecrs_pattern(name: str) -> None:
    with pytest.raises(InvalidArgumentError) as caught:
        repository_name("here", "repository_name", name)
    assert f"invalid repository_name={name!r}" in str(caught.value)


@pytest.mark.parametrize(
    ("args", "key", "shown"),
    [
        ({"repository_name": "Papyrus"}, "repository_name", "'Papyrus'"),
        ({"repository_name": "papyrus_"}, "repository_name", "'papyrus_'"),
        ({"repository_name": "papyrus", "image_tag_mutability": "mutable"}, "image_tag_mutability", "'mutable'"),
        (
            {"repository_name": "papyrus", "image_tag_mutability": "IMMUTABLE_WITH_EXCLUSION"},
            "image_tag_mutability",
            "'IMMUTABLE_WITH_EXCLUSION'",
        ),
        ({"repository_name": "papyrus", "untagged_image_expiry_days": 0}, "untagged_image_expiry_days", "0"),
        ({"repository_name": "papyrus", "max_tagged_images": 0}, "max_tagged_images", "0"),
        ({"repository_name": "papyrus", "max_tagged_images": 2.5}, "max_tagged_images", "2.5"),
        ({"repository_name": "papyrus", "scan_on_push": "true"}, "scan_on_push", "'true'"),
        ({"repository_name": "papyrus", "protect": 1}, "protect", "1"),
        ({"repository_name": "papyrus", "kms_key_arn": "alias/aws/ecr"}, "kms_key_arn", "'alias/aws/ecr'"),
        ({"repository_name": "papyrus", "force_delete": True}, "force_delete", "True"),
        ({"repository_name": "papyrus", "tags": "project=portfolio"}, "tags", "'project=portfolio'"),
        ({}, "repository_name", "None"),
    ],
)
def test_rejects_bad_arguments_before_registering_anything(args: dict[str, Any], key: str, shown: str) -> None:
    def build() -> None:
        ContainerRegistry("images", cast(ContainerRegistryArgs, args))

    error = rejects(build)

    message = str(error)
    assert message.startswith("ContainerRegistry 'images': ")
    assert f"invalid {key}={shown}" in message
