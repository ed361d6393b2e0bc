"""ContainerRegistry: the repository's settings, its lifecycle policy and its name rules."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, cast

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pulumi.runtime.mocks import MockCallArgs
from pulumi_aws import kms

from components.registry import (
    ContainerRegistry,
    ContainerRegistryArgs,
    ImageTagMutability,
    lifecycle_policy,
    repository_name,
)
from components.testing.engine import Deployment, ProgramError
from components.testing.mocks import AwsApiError, AwsMocks
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
            "description": "Keep the 30 most recently pushed images tagged build-*",
            "selection": {
                "tagStatus": "tagged",
                "tagPatternList": ["build-*"],
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
                "image_tag_mutability": ImageTagMutability.MUTABLE,
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
        ({"repository_name": "papyrus", "expiring_tag_patterns": "build-*"}, "expiring_tag_patterns", "'build-*'"),
        (
            {"repository_name": "papyrus", "expiring_tag_patterns": ["a*b*c*d*e*"]},
            "expiring_tag_patterns",
            "'a*b*c*d*e*'",
        ),
        (
            {"repository_name": "papyrus", "expiring_tag_patterns": ["v1", "v1"]},
            "expiring_tag_patterns",
            "['v1', 'v1']",
        ),
        ({"repository_name": "papyrus", "expiring_tag_patterns": ["build/*"]}, "expiring_tag_patterns", "'build/*'"),
        ({"repository_name": "papyrus", "image_tag": "-bad"}, "image_tag", "'-bad'"),
        ({"repository_name": "papyrus", "image_tag": "v1:2"}, "image_tag", "'v1:2'"),
        ({"repository_name": "papyrus", "image_digest": "sha256:abc"}, "image_digest", "'sha256:abc'"),
        (
            {"repository_name": "papyrus", "image_tag": "v1", "image_digest": "sha256:" + "a" * 64},
            "image_digest",
            "'sha256:" + "a" * 64 + "'",
        ),
        (
            {"repository_name": "papyrus", "image_build": {"context": "/no/such/dir"}},
            "image_build.context",
            "'/no/such/dir'",
        ),
        ({"repository_name": "papyrus", "image_build": {}}, "image_build.context", "None"),
        (
            {"repository_name": "papyrus", "image_build": {"context": ".", "dockerfile": "Nope"}},
            "image_build.dockerfile",
            "'Nope'",
        ),
    ],
)
def test_rejects_bad_arguments_before_registering_anything(args: dict[str, Any], key: str, shown: str) -> None:
    def build() -> None:
        ContainerRegistry("images", cast(ContainerRegistryArgs, args))

    error = rejects(build)

    message = str(error)
    assert message.startswith("ContainerRegistry 'images': ")
    assert f"invalid {key}={shown}" in message


@pytest.mark.parametrize(
    ("args", "allowed"),
    [
        ({"image_tag": "-bad"}, "letters, digits, '_', '.' and '-', not starting with '.' or '-'"),
        ({"image_build": {"target": "-x"}}, "letters, digits, '_', '.' and '-', starting with a letter"),
        ({"image_build": {"build_args": {"2X": "1"}}}, "letters, digits and '_', not starting with a digit"),
    ],
)
def test_refusals_of_names_state_the_characters_allowed(tmp_path: Path, args: dict[str, Any], allowed: str) -> None:
    if "image_build" in args:
        args = {"image_build": {"context": str(_app(tmp_path)), **args["image_build"]}}
    error = rejects(lambda: _build(cast(ContainerRegistryArgs, {"repository_name": "papyrus", **args})))
    assert isinstance(error, InvalidArgumentError)
    assert allowed in error.expected


# ---- the image the service runs ---------------------------------------------------------------------------

IMAGE = "docker-build:index:Image"
APP_DOCKERFILE = 'FROM python:3.12-slim\nCOPY app.py /srv/\nCMD ["python", "/srv/app.py"]\n'


def _app(root: Path, source: str = "print('hello')\n") -> Path:
    """A small Docker build context: a Dockerfile, the app, and what .dockerignore leaves out."""
    context = root / "app"
    context.mkdir(parents=True, exist_ok=True)
    (context / "Dockerfile").write_text(APP_DOCKERFILE)
    (context / "app.py").write_text(source)
    (context / ".dockerignore").write_text(".git\n*.log\n")
    (context / ".git").mkdir(exist_ok=True)
    (context / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    return context


def _with_image(args: ContainerRegistryArgs) -> dict[str, Any]:
    registry = ContainerRegistry("images", args)
    return {
        "url": registry.repository_url,
        "ref": registry.image_ref,
        "digest": registry.image_digest,
        "tag": registry.image_tag,
    }


def _built(context: Path, **build: Any) -> Deployment:
    args = {"repository_name": "papyrus", "image_build": {"context": str(context), **build}}
    return run_component(lambda: _with_image(cast(ContainerRegistryArgs, args)))


def test_a_build_context_is_built_and_pushed_to_this_repository_by_digest(tmp_path: Path) -> None:
    deployment = _built(_app(tmp_path))
    image = deployment.one(IMAGE)
    repository = deployment.one(REPOSITORY)
    tag = deployment.outputs["tag"]

    assert image.name == "images-image"
    assert image.parent == deployment.one("papyrus:index:ContainerRegistry").urn
    assert re.fullmatch(r"build-[0-9a-f]{32}", tag)
    assert image.inputs["tags"] == [f"{URL}:{tag}"]
    assert image.inputs["push"] is True
    assert image.inputs["buildOnPreview"] is False
    assert image.inputs["platforms"] == ["linux/amd64"]
    assert image.inputs["context"] == {"location": str(tmp_path / "app")}
    assert image.inputs["dockerfile"] == {"location": str(tmp_path / "app" / "Dockerfile")}
    assert image.retain_on_delete
    # Pushed with the repository's own ECR token; the password never shows.
    [registry] = image.inputs["registries"]
    assert registry["address"] == repository.outputs["repositoryUrl"]
    assert registry["username"] == "AWS"
    assert image.is_secret("registries")
    assert image.urn not in {r.urn for r in deployment if r.type == REPOSITORY}
    assert repository.urn in deployment.dependency_closure(image)
    # What the service runs: the pushed digest in this repository, never a tag.
    digest = image.outputs["digest"]
    assert re.fullmatch(r"sha256:[0-9a-f]{64}", digest)
    assert deployment.outputs["ref"] == f"{URL}@{digest}"
    assert deployment.outputs["digest"] == digest


def test_the_build_follows_platform_target_and_arguments(tmp_path: Path) -> None:
    deployment = _built(
        _app(tmp_path), platform="linux/arm64", target="runtime", dockerfile="Dockerfile", build_args={"V": "1"}
    )
    image = deployment.one(IMAGE).inputs
    assert image["platforms"] == ["linux/arm64"]
    assert image["target"] == "runtime"
    assert image["buildArgs"] == {"V": "1"}
    assert deployment.outputs["tag"] != _built(_app(tmp_path / "other")).outputs["tag"]


def test_the_tag_and_digest_follow_the_content_and_nothing_else(tmp_path: Path) -> None:
    first = _built(_app(tmp_path / "one"))
    same = _built(_app(tmp_path / "two"))
    changed = _built(_app(tmp_path / "three", source="print('hello, world')\n"))
    (tmp_path / "two" / "app" / "debug.log").write_text("ignored by .dockerignore\n")
    ignored = _built(tmp_path / "two" / "app")

    assert same.outputs["tag"] == first.outputs["tag"] == ignored.outputs["tag"]
    assert changed.outputs["tag"] != first.outputs["tag"]
    assert changed.outputs["digest"] != first.outputs["digest"]
    assert same.one(IMAGE).inputs["tags"] == first.one(IMAGE).inputs["tags"]


def test_an_external_tag_is_resolved_to_its_digest_at_preview() -> None:
    digest = "sha256:" + "4" * 64
    deployment = run_component(
        lambda: _with_image({"repository_name": "papyrus", "image_tag": "v1.4.2"}),
        mocks=AwsMocks(image_digests={"papyrus:v1.4.2": digest}),
    )
    assert deployment.outputs["ref"] == f"{URL}@{digest}"
    assert deployment.outputs["tag"] == "v1.4.2"
    assert deployment.of_type(IMAGE) == []


def test_a_new_push_of_the_tag_changes_the_reference() -> None:
    def ref(digest: str) -> str:
        deployment = run_component(
            lambda: _with_image({"repository_name": "papyrus", "image_tag": "latest"}),
            mocks=AwsMocks(image_digests={"papyrus:latest": digest}),
        )
        return str(deployment.outputs["ref"])

    assert ref("sha256:" + "1" * 64) != ref("sha256:" + "2" * 64)


def test_an_external_digest_is_checked_to_exist() -> None:
    digest = "sha256:" + "9" * 64
    deployment = run_component(lambda: _with_image({"repository_name": "papyrus", "image_digest": digest}))
    assert deployment.outputs["ref"] == f"{URL}@{digest}"

    error = rejects(
        lambda: _with_image({"repository_name": "papyrus", "image_digest": digest}),
        mocks=AwsMocks(missing_images=[f"papyrus@{digest}"]),
    )
    assert f"invalid image_digest={digest!r}; expected an image that exists: push {URL}@{digest} first" in str(error)


def test_a_missing_tag_stops_before_anything_registers_saying_what_to_push_where() -> None:
    error = rejects(
        lambda: _with_image({"repository_name": "papyrus", "image_tag": "v9.9.9"}),
        mocks=AwsMocks(missing_images=["papyrus:v9.9.9"]),
    )
    assert isinstance(error, InvalidArgumentError)
    assert str(error) == (
        "ContainerRegistry 'images': invalid image_tag='v9.9.9'; expected an image that exists: "
        f"push {URL}:v9.9.9 first (ECR has no such image in papyrus), or build it in this run with image_build"
    )


def test_a_repository_that_does_not_exist_yet_asks_for_a_build() -> None:
    error = rejects(
        lambda: _with_image({"repository_name": "papyrus", "image_tag": "v1.0.0"}),
        mocks=AwsMocks(missing_images=["papyrus"]),
    )
    assert str(error) == (
        "ContainerRegistry 'images': invalid image_tag='v1.0.0'; expected an image that exists, but the "
        "repository papyrus does not exist yet in account 123456789012 (us-west-2) and is created by this run: "
        f"build the first image in this run with image_build; the app's CI can push {URL}:v1.0.0 afterwards"
    )


def test_other_lookup_failures_are_not_dressed_up_as_a_missing_image() -> None:
    class Denied(AwsMocks):
        def call(self, args: MockCallArgs) -> tuple[dict[str, Any], list[tuple[str, str]] | None]:
            if args.token == "aws:ecr/getImage:getImage":
                raise AwsApiError("reading ECR Images: AccessDeniedException: not authorized to ecr:DescribeImages")
            return super().call(args)

    with pytest.raises(ProgramError) as caught:
        run_component(lambda: _with_image({"repository_name": "papyrus", "image_tag": "v1"}), mocks=Denied())
    assert "AccessDeniedException" in str(caught.value.error)
    assert not isinstance(caught.value.error, InvalidArgumentError)


def test_no_image_source_means_no_image() -> None:
    deployment = run_component(lambda: _with_image({"repository_name": "papyrus"}))
    assert (deployment.outputs["ref"], deployment.outputs["digest"], deployment.outputs["tag"]) == ("", "", "")
    assert deployment.of_type(IMAGE) == []


@pytest.mark.parametrize(
    ("build", "key", "shown"),
    [
        ({"platform": "linux/386"}, "image_build.platform", "'linux/386'"),
        ({"cache": True}, "image_build.cache", "True"),
        ({"target": "-x"}, "image_build.target", "'-x'"),
        ({"build_args": {"2X": "1"}}, "image_build.build_args", "'2X'"),
        ({"build_args": {"V": 1}}, "image_build.build_args['V']", "1"),
    ],
)
def test_bad_build_arguments_are_rejected(tmp_path: Path, build: dict[str, Any], key: str, shown: str) -> None:
    args = {"repository_name": "papyrus", "image_build": {"context": str(_app(tmp_path)), **build}}
    error = rejects(lambda: _with_image(cast(ContainerRegistryArgs, args)))
    assert f"invalid {key}={shown}" in str(error)


def test_expiring_tag_patterns_get_a_rule_each_and_other_tags_never_expire() -> None:
    rules = lifecycle_policy(7, 10, ["build-*", "pr-*"])["rules"]
    assert [(r["rulePriority"], r["selection"].get("tagPatternList")) for r in rules] == [
        (1, None),
        (2, ["build-*"]),
        (3, ["pr-*"]),
    ]
    assert lifecycle_policy(7, 10, [])["rules"] == rules[:1]
    deployment = run_component(lambda: _build({"repository_name": "papyrus", "expiring_tag_patterns": []}))
    assert len(json.loads(deployment.one(LIFECYCLE).inputs["policy"])["rules"]) == 1
