"""A private ECR repository with scanning, encryption and a lifecycle policy, and the app's image in it.

The source article creates the repository in the console (private, mutable tags, AES-256) and
pushes the image by hand. `ContainerRegistry` keeps those choices available but defaults to the
safer ones AWS's Foundational Security Best Practices check: immutable tags (ECR.2), scan on push
(ECR.1) and a lifecycle policy (ECR.3). It also hands the service its image by digest: built from
a Docker context and pushed in the same `pulumi up`, or an image the app's CI pushed, looked up
at preview, so a first deployment never waits on an empty repository.
"""

# No `from __future__ import annotations`: the component analyzer and TypedDict's
# __required_keys__ need the annotations evaluated (NotRequired included).
import json
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from pathlib import Path
from typing import Any, NotRequired, TypedDict

import pulumi
import pulumi_docker_build as docker_build
from pulumi_aws import ecr
from pulumi_aws.get_caller_identity import get_caller_identity
from pulumi_aws.get_region import get_region

from components import validation as check
from components.app_config import optional_kms_key_arn
from components.arg_docs import documented_keys, documented_values
from components.build_context import build_tag, context_digest
from components.lookups import invoke_options
from components.validation import InvalidArgumentError, where

COMPONENT = "ContainerRegistry"


@documented_values
class ImageTagMutability(StrEnum):
    """Whether a push may move an existing tag of the repository to another image."""

    IMMUTABLE = "IMMUTABLE"
    """A tag always names the image first pushed with it (Security Hub ECR.2; the default)."""
    MUTABLE = "MUTABLE"
    """A push may move a tag, such as `latest`, to a new image."""


@documented_values
class ImagePlatform(StrEnum):
    """The platform an image is built for; it must match the CPU architecture of the tasks that run it."""

    LINUX_AMD64 = "linux/amd64"
    """64-bit x86, for tasks on X86_64 (the default)."""
    LINUX_ARM64 = "linux/arm64"
    """64-bit Arm, for tasks on ARM64 (AWS Graviton)."""


TAG_MUTABILITIES = tuple(mutability.value for mutability in ImageTagMutability)
DEFAULT_TAG_MUTABILITY = ImageTagMutability.IMMUTABLE.value
# An untagged image is usually a tag's previous image after a push; a week leaves time to
# roll back to it by digest.
DEFAULT_UNTAGGED_IMAGE_EXPIRY_DAYS = 7
# Thirty builds back is more history than any rollback needs.
DEFAULT_MAX_TAGGED_IMAGES = 30
# Images this component builds are tagged `build-<32 hex digits of their content>`.
BUILD_TAG_PREFIX = "build-"
# Only build tags expire by count: a release tag the app's CI pushed may be what a service still
# runs (a rollback, a stack that deploys rarely), and ECR cannot know which image is running.
DEFAULT_EXPIRING_TAG_PATTERNS = (f"{BUILD_TAG_PREFIX}*",)
PLATFORMS = tuple(platform.value for platform in ImagePlatform)
DEFAULT_PLATFORM = ImagePlatform.LINUX_AMD64.value

# CreateRepository's pattern and length limits for repositoryName.
_REPOSITORY_NAME = re.compile(r"[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*)*")
_REPOSITORY_NAME_LENGTH = (2, 256)
_IMAGE_TAG = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}")
_IMAGE_DIGEST = re.compile(r"sha256:[0-9a-f]{64}")
# ECR's tagPatternList: tag characters and up to four "*" wildcards.
_TAG_PATTERN = re.compile(r"[A-Za-z0-9_.*-]{1,128}")
_TAG_PATTERN_MAX_WILDCARDS = 4
_BUILD_TARGET = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,127}")
_BUILD_ARG = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# What ECR answers when DescribeImages finds nothing: the image, or the whole repository.
_NOT_FOUND = ("ImageNotFoundException", "RepositoryNotFoundException")


@documented_keys
class ContainerImageBuild(TypedDict):
    """A Docker build of the app's image, pushed to the repository in the same `pulumi up`."""

    context: str
    """The build context: a directory, relative to the working directory of the Pulumi program (its
    project directory) or absolute (safer from other languages, whose calls run in the component
    provider's process; the error for a missing directory names the directory it was relative to).
    Its files (less what `.dockerignore` excludes) and the Dockerfile decide the image's tag, so an
    unchanged context builds and deploys nothing. Required; known at preview. Example: `"../papyrus-app"`."""

    dockerfile: NotRequired[str]
    """The Dockerfile, relative to `context`. Default: `"Dockerfile"`. Example: `"docker/Dockerfile.prod"`."""

    platform: NotRequired[ImagePlatform]
    """The platform to build for: "linux/amd64" or "linux/arm64"; it must match the CPU architecture
    of the tasks that run the image (a FargateService's `cpu_architecture`, X86_64 or ARM64).
    Default: "linux/amd64". Example: "linux/arm64"."""

    target: NotRequired[str]
    """The stage of a multi-stage Dockerfile to build. Default: the last stage. Example: `"runtime"`."""

    build_args: NotRequired[Mapping[str, str]]
    """`ARG` values for the build, plain and known at preview: they are part of the tag and stay
    readable in the image, so never put a secret here. Default: none.
    Example: `{"PYTHON_VERSION": "3.12"}`."""


@documented_keys
class ContainerRegistryArgs(TypedDict):
    """Arguments of `ContainerRegistry`."""

    repository_name: str
    """Name of the private repository: 2 to 256 characters of lower-case letters and digits, separated
    by ".", "_", "__" or hyphens, with "/" between namespace parts (ECR's pattern). It is part of every
    image URL, so it is plain and known at preview. Required. Example: `"papyrus"` or `"papyrus/web"`."""

    image_tag_mutability: NotRequired[ImageTagMutability]
    """"IMMUTABLE" (a tag always names the same image, ECR.2) or "MUTABLE" (a push may move a tag such
    as `latest`). Default: "IMMUTABLE". Example: "MUTABLE" for a dev stack that deploys `latest`."""

    kms_key_arn: NotRequired[pulumi.Input[str]]
    """ARN of a customer-managed KMS key to encrypt images with (encryption type KMS). Encryption cannot
    change after creation: changing this replaces the repository. Default: AES256 (S3-managed keys, no
    KMS charges). Example: `"arn:aws:kms:us-west-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"`,
    usually a KMS key resource's ARN output."""

    scan_on_push: NotRequired[bool]
    """Scan every pushed image for known vulnerabilities with ECR basic scanning (ECR.1). Default: `true`.
    Example: `false` only where the registry uses enhanced scanning configured elsewhere."""

    untagged_image_expiry_days: NotRequired[int]
    """Days after push when untagged images expire (lifecycle rule 1). At least 1. Default: `7`.
    Example: `1` for a dev stack that pushes `latest` many times a day."""

    max_tagged_images: NotRequired[int]
    """How many of the most recently pushed images to keep per `expiring_tag_patterns` entry; older
    ones expire (lifecycle rules 2 and on). At least 1. Default: `30`. Example: `10`."""

    expiring_tag_patterns: NotRequired[Sequence[str]]
    """Tag patterns (ECR's `tagPatternList` syntax: tag characters and up to four `*`) whose images
    expire beyond the `max_tagged_images` most recent, one lifecycle rule each. Images with other
    tags never expire by count, so a release a service runs (or may roll back to) stays; ECR cannot
    tell which image is running, so only tags nobody deploys by hand belong here. Default:
    `["build-*"]`, the tags of images this component builds, of which a service runs the newest
    deployed. Example: `["build-*", "pr-*"]`; `[]` for no count-based expiry."""

    image_build: NotRequired[ContainerImageBuild]
    """Build the app's image from a Docker context and push it here in this run, tagged
    `build-<content hash>`; `image_ref` then names it by digest. Needs Docker (BuildKit) where Pulumi
    runs. At most one of `image_build`, `image_tag` and `image_digest`. Default: no build.
    Example: `{"context": "../papyrus-app", "platform": "linux/arm64"}`."""

    image_tag: NotRequired[str]
    """An image the app's own CI pushed to this repository, by tag: looked up at preview and named by
    its digest in `image_ref`, so a new push of the tag shows in the next preview. If the image (or the
    repository, on a fresh account) does not exist, the component stops before registering anything,
    saying what to push where. Default: none. Example: `"v1.4.2"`."""

    image_digest: NotRequired[str]
    """An image the app's own CI pushed to this repository, by digest `sha256:<64 hex digits>`; checked
    to exist at preview like `image_tag`. Default: none. Example: `"sha256:9f86d0...0f00a08"`."""

    protect: NotRequired[bool]
    """Protect the repository from deletion (the Pulumi `protect` resource option) and keep ECR's
    refusal to delete a repository that still holds images. When `false`, the repository's
    `forceDelete` lets `pulumi destroy` remove it with its images. Default: `false`.
    Example: `true` on production."""

    tags: NotRequired[Mapping[str, pulumi.Input[str]]]
    """Tags for the repository, on top of the provider's default tags. Default: none.
    Example: `{"project": "portfolio"}`."""


@dataclass(frozen=True)
class _Build:
    """A checked `image_build`, with the tag its content decides."""

    context: str
    dockerfile: str
    platform: str
    target: str | None
    build_args: dict[str, str]
    tag: str


@dataclass(frozen=True)
class _Settings:
    """The arguments after validation and defaults."""

    repository_name: str
    image_tag_mutability: str
    kms_key_arn: pulumi.Input[str] | None
    scan_on_push: bool
    untagged_image_expiry_days: int
    max_tagged_images: int
    expiring_tag_patterns: tuple[str, ...]
    protect: bool
    tags: dict[str, pulumi.Input[str]]
    build: _Build | None
    external_tag: str | None
    external_digest: str | None


class ContainerRegistry(pulumi.ComponentResource):
    """A private ECR repository for one application's images.

    Children (logical names derive from the component's name `<name>`):

    * `ecr.Repository` `<name>-repository`: private, named `repository_name`, tag mutability
      `image_tag_mutability` (default IMMUTABLE), encrypted with AES256 or, given `kms_key_arn`,
      with that KMS key, basic scanning on push (default on), `forceDelete` only when not
      protected.
    * `ecr.LifecyclePolicy` `<name>-lifecycle-policy`: rule 1 expires untagged images
      `untagged_image_expiry_days` (default 7) after push; then one rule per
      `expiring_tag_patterns` entry (default `build-*`) keeps the `max_tagged_images` (default 30)
      most recently pushed images with such a tag and expires older ones. Images with any other tag
      (the releases the app's CI pushes) never expire. The rules select disjoint images (untagged,
      tagged), so a kept image is never expired by the untagged rule; there is no "any" rule.
    * With `image_build`: a docker-build `Image` `<name>-image`, built from the context for
      `platform`, pushed to the repository as `<repository_url>:build-<content hash>` with the
      repository's ECR token (`ecr.getAuthorizationToken`), built only by `pulumi up` (not at
      preview) and kept in the repository when the resource goes (the lifecycle policy trims old
      builds; a stack that stops building must not lose the image its service still runs).

    The image the service should run is `image_ref`, always `<repository_url>@sha256:<digest>`:
    a new push (or a changed context) changes it, so it shows in `pulumi preview` and rolls out,
    and a digest never moves under a running service. With `image_tag`/`image_digest` the image is
    looked up at preview with `ecr.getImage` (repository name and tag are plain, so this works
    before anything exists); an image or repository that does not exist stops the component before
    it registers anything, with one error saying what to push where. A mutable tag moved by a push
    leaves the image a service runs untagged until the next `pulumi up`, and untagged images expire
    after `untagged_image_expiry_days`: deploy after each push (or use IMMUTABLE tags).

    Defaults: IMMUTABLE tags, AES256, scan on push, 7 days, 30 builds, no image, not protected, no
    tags. Every argument is checked before anything is registered; `kms_key_arn` (often an output)
    as soon as it is known.

    Cost (us-west-2, per month): storage at $0.10 per GB of compressed image layers (layers
    shared between images are stored once); the lifecycle policy is what keeps this bounded, and
    release tags (never expired) add up release by release. Building costs nothing on AWS.
    Pulls by ECS tasks in the same region transfer free (through a NAT gateway they pay the
    NAT's per-GB processing charge instead). Basic scanning is free. A customer-managed KMS key
    (not created here) adds $1.00 a month plus $0.03 per 10,000 requests.
    """

    repository_url: pulumi.Output[str]
    """Where to push and pull images: `<account>.dkr.ecr.<region>.amazonaws.com/<repository_name>`."""

    repository_arn: pulumi.Output[str]
    """The repository's ARN, for IAM policies (push from CI, pull for the execution role)."""

    repository_name: pulumi.Output[str]
    """The repository's name."""

    registry_id: pulumi.Output[str]
    """The AWS account id of the registry that holds the repository."""

    image_ref: pulumi.Output[str]
    """The image to run, by digest: `<repository_url>@sha256:<digest>` of the build (`image_build`) or
    of the image `image_tag`/`image_digest` names; "" when none of them is given."""

    image_digest: pulumi.Output[str]
    """The image's digest `sha256:<64 hex digits>`; "" when no image is given."""

    image_tag: pulumi.Output[str]
    """The image's tag: `build-<content hash>` for a build, `image_tag` for an external image, "" otherwise."""

    def __init__(self, name: str, args: ContainerRegistryArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        settings = _validate(where(COMPONENT, name), args, opts)
        super().__init__(f"papyrus:index:{COMPONENT}", name, None, opts)

        if settings.kms_key_arn is None:
            encryption: ecr.RepositoryEncryptionConfigurationArgsDict = {"encryption_type": "AES256"}
        else:
            encryption = {"encryption_type": "KMS", "kms_key": settings.kms_key_arn}
        repository = ecr.Repository(
            f"{name}-repository",
            name=settings.repository_name,
            image_tag_mutability=settings.image_tag_mutability,
            encryption_configurations=[encryption],
            image_scanning_configuration={"scan_on_push": settings.scan_on_push},
            force_delete=not settings.protect,
            tags=settings.tags or None,
            opts=pulumi.ResourceOptions(parent=self, protect=settings.protect),
        )
        ecr.LifecyclePolicy(
            f"{name}-lifecycle-policy",
            repository=repository.name,
            policy=json.dumps(
                lifecycle_policy(
                    settings.untagged_image_expiry_days, settings.max_tagged_images, settings.expiring_tag_patterns
                )
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )

        self.repository_url = repository.repository_url
        self.repository_arn = repository.arn
        self.repository_name = repository.name
        self.registry_id = repository.registry_id
        if settings.build is not None:
            image = self._build(name, repository, settings.build)
            self.image_digest = image.digest
            self.image_tag = pulumi.Output.from_input(settings.build.tag)
        else:
            self.image_digest = pulumi.Output.from_input(settings.external_digest or "")
            self.image_tag = pulumi.Output.from_input(settings.external_tag or "")
        has_image = settings.build is not None or settings.external_digest is not None
        self.image_ref = (
            pulumi.Output.concat(repository.repository_url, "@", self.image_digest)
            if has_image
            else pulumi.Output.from_input("")
        )
        self.register_outputs(
            {
                "repository_url": self.repository_url,
                "repository_arn": self.repository_arn,
                "repository_name": self.repository_name,
                "registry_id": self.registry_id,
                "image_ref": self.image_ref,
                "image_digest": self.image_digest,
                "image_tag": self.image_tag,
            }
        )

    def _build(self, name: str, repository: ecr.Repository, build: _Build) -> docker_build.Image:
        token = ecr.get_authorization_token_output(
            registry_id=repository.registry_id, opts=pulumi.InvokeOutputOptions(parent=self)
        )
        return docker_build.Image(
            f"{name}-image",
            context={"location": build.context},
            # The provider reads the Dockerfile path from its own working directory, as the context.
            dockerfile={"location": os.path.join(build.context, build.dockerfile)},
            platforms=[docker_build.Platform(build.platform)],
            target=build.target,
            build_args=build.build_args or None,
            tags=[pulumi.Output.concat(repository.repository_url, ":", build.tag)],
            push=True,
            # `pulumi up` builds once; a preview shows the new tag (and an unknown digest) instead.
            build_on_preview=False,
            registries=[
                {
                    "address": repository.repository_url,
                    "username": token.user_name,
                    "password": pulumi.Output.secret(token.password),
                }
            ],
            opts=pulumi.ResourceOptions(parent=self, retain_on_delete=True),
        )


def lifecycle_policy(
    untagged_image_expiry_days: int,
    max_tagged_images: int,
    expiring_tag_patterns: Sequence[str] = DEFAULT_EXPIRING_TAG_PATTERNS,
) -> dict[str, Any]:
    """The repository's lifecycle policy document.

    ECR evaluates rules from the lowest `rulePriority`; a `tagged` rule must list tags, and an
    image matches a `tagPatternList` only when it has a tag for every pattern in it, so each
    pattern gets its own rule. Rules only expire images (ECR's one action); images no rule
    selects (tags outside the patterns) are kept.
    """
    rules: list[dict[str, Any]] = [
        {
            "rulePriority": 1,
            "description": f"Expire untagged images {untagged_image_expiry_days} days after push",
            "selection": {
                "tagStatus": "untagged",
                "countType": "sinceImagePushed",
                "countUnit": "days",
                "countNumber": untagged_image_expiry_days,
            },
            "action": {"type": "expire"},
        }
    ]
    for priority, pattern in enumerate(expiring_tag_patterns, start=2):
        rules.append(
            {
                "rulePriority": priority,
                "description": f"Keep the {max_tagged_images} most recently pushed images tagged {pattern}",
                "selection": {
                    "tagStatus": "tagged",
                    "tagPatternList": [pattern],
                    "countType": "imageCountMoreThan",
                    "countNumber": max_tagged_images,
                },
                "action": {"type": "expire"},
            }
        )
    return {"rules": rules}


def repository_name(at: str, key: str, value: Any) -> str:
    """A private repository name by ECR's CreateRepository rules."""
    check.known(at, key, value)
    shortest, longest = _REPOSITORY_NAME_LENGTH
    if not isinstance(value, str) or not shortest <= len(value) <= longest or not _REPOSITORY_NAME.fullmatch(value):
        raise InvalidArgumentError(
            at,
            key,
            value,
            f"{shortest} to {longest} lower-case letters and digits, separated by '.', '_', '__' or hyphens, "
            "with '/' between namespace parts, such as papyrus or team-a/papyrus",
        )
    return value


def _validate(at: str, raw: Mapping[str, Any], opts: pulumi.ResourceOptions | None) -> _Settings:
    args = check.typed_dict(at, "args", raw, ContainerRegistryArgs)
    name = repository_name(at, "repository_name", args["repository_name"])
    sources = [key for key in ("image_build", "image_tag", "image_digest") if key in args]
    if len(sources) > 1:
        raise InvalidArgumentError(
            at, sources[1], args[sources[1]], f"no value: {sources[0]} already names the image (give at most one)"
        )
    build = _image_build(at, args["image_build"]) if "image_build" in args else None
    external_tag = _text(
        at,
        "image_tag",
        args.get("image_tag"),
        _IMAGE_TAG,
        "an image tag: 1 to 128 letters, digits, '_', '.' and '-', not starting with '.' or '-', such as v1.4.2",
    )
    external_digest = _text(
        at, "image_digest", args.get("image_digest"), _IMAGE_DIGEST, "an image digest sha256:<64 hex digits>"
    )
    settings = _Settings(
        repository_name=name,
        image_tag_mutability=check.one_of(
            at,
            "image_tag_mutability",
            args.get("image_tag_mutability", DEFAULT_TAG_MUTABILITY),
            TAG_MUTABILITIES,
        ),
        kms_key_arn=optional_kms_key_arn(at, "kms_key_arn", args.get("kms_key_arn")),
        scan_on_push=check.boolean(at, "scan_on_push", args.get("scan_on_push", True)),
        untagged_image_expiry_days=check.integer(
            at,
            "untagged_image_expiry_days",
            args.get("untagged_image_expiry_days", DEFAULT_UNTAGGED_IMAGE_EXPIRY_DAYS),
            minimum=1,
        ),
        max_tagged_images=check.integer(
            at, "max_tagged_images", args.get("max_tagged_images", DEFAULT_MAX_TAGGED_IMAGES), minimum=1
        ),
        expiring_tag_patterns=_tag_patterns(at, args.get("expiring_tag_patterns", list(DEFAULT_EXPIRING_TAG_PATTERNS))),
        protect=check.boolean(at, "protect", args.get("protect", False)),
        tags=check.tags(at, "tags", args.get("tags", {})),
        build=build,
        external_tag=external_tag,
        external_digest=external_digest,
    )
    # Last: the only check that asks AWS, once everything local is known to be right.
    if external_tag is not None or external_digest is not None:
        found = resolve_image(at, name, tag=external_tag, digest=external_digest, opts=opts)
        settings = replace(settings, external_digest=found)
    return settings


def _text(at: str, key: str, value: Any, pattern: re.Pattern[str], expected: str) -> str | None:
    if value is None:
        return None
    check.known(at, key, value)
    if not isinstance(value, str) or not pattern.fullmatch(value):
        raise InvalidArgumentError(at, key, value, expected)
    return value


def _tag_patterns(at: str, value: Any) -> tuple[str, ...]:
    key = "expiring_tag_patterns"
    check.known(at, key, value)
    expected = (
        "a list of distinct ECR tag patterns: 1 to 128 letters, digits, '_', '.', '-' and at most "
        f"{_TAG_PATTERN_MAX_WILDCARDS} '*' wildcards, such as build-*"
    )
    if isinstance(value, str) or not isinstance(value, Sequence):
        raise InvalidArgumentError(at, key, value, expected)
    for pattern in value:
        if (
            not isinstance(pattern, str)
            or not _TAG_PATTERN.fullmatch(pattern)
            or pattern.count("*") > _TAG_PATTERN_MAX_WILDCARDS
        ):
            raise InvalidArgumentError(at, key, pattern, expected)
    if len(set(value)) != len(value):
        raise InvalidArgumentError(at, key, list(value), expected)
    return tuple(value)


def _image_build(at: str, raw: Any) -> _Build:
    args = check.typed_dict(at, "image_build", raw, ContainerImageBuild)
    context = args["context"]
    check.known(at, "image_build.context", context)
    if not isinstance(context, str) or not context or not Path(context).is_dir():
        raise InvalidArgumentError(
            at,
            "image_build.context",
            context,
            f"a directory holding the Docker build context (relative to {os.getcwd()} or absolute)",
        )
    dockerfile = args.get("dockerfile", "Dockerfile")
    check.known(at, "image_build.dockerfile", dockerfile)
    if not isinstance(dockerfile, str) or not dockerfile or not (Path(context) / dockerfile).is_file():
        raise InvalidArgumentError(
            at, "image_build.dockerfile", dockerfile, f"a Dockerfile path relative to the context {context}"
        )
    platform = check.one_of(at, "image_build.platform", args.get("platform", DEFAULT_PLATFORM), PLATFORMS)
    target = _text(
        at,
        "image_build.target",
        args.get("target"),
        _BUILD_TARGET,
        "a build stage name: 1 to 128 letters, digits, '_', '.' and '-', starting with a letter or digit, "
        "such as runtime",
    )
    build_args: dict[str, str] = {}
    for arg, item in check.string_map(at, "image_build.build_args", args.get("build_args", {})).items():
        if not _BUILD_ARG.fullmatch(arg):
            raise InvalidArgumentError(
                at,
                "image_build.build_args",
                arg,
                "ARG names of letters, digits and '_', not starting with a digit, such as PYTHON_VERSION",
            )
        check.known(at, f"image_build.build_args[{arg!r}]", item)
        if not isinstance(item, str):
            raise InvalidArgumentError(at, f"image_build.build_args[{arg!r}]", item, "a string known at preview")
        build_args[arg] = item
    content = context_digest(Path(context), Path(context) / dockerfile)
    tag = build_tag(BUILD_TAG_PREFIX, content, platform=platform, target=target, build_args=build_args)
    return _Build(context, dockerfile, platform, target, build_args, tag)


def resolve_image(
    at: str, repository: str, *, tag: str | None, digest: str | None, opts: pulumi.ResourceOptions | None
) -> str:
    """The digest of an image in `repository` (by tag, or a digest checked to exist), asked of the
    caller's AWS provider at preview. A missing image or repository is one `InvalidArgumentError`
    saying what to push where; any other failure (permissions, throttling) is raised as it is."""
    key, value = ("image_tag", tag) if tag is not None else ("image_digest", digest)
    invoke = invoke_options(opts)
    try:
        found = ecr.get_image(repository_name=repository, image_tag=tag, image_digest=digest, opts=invoke)
    except Exception as error:  # the provider's error carries only a message, matched below
        reason = next((name for name in _NOT_FOUND if name in str(error)), None)
        if reason is None:
            raise
        account = get_caller_identity(opts=invoke).account_id
        region = get_region(opts=invoke).region
        url = f"{account}.dkr.ecr.{region}.amazonaws.com/{repository}"
        image = f"{url}:{tag}" if tag is not None else f"{url}@{digest}"
        if reason == "RepositoryNotFoundException":
            expected = (
                f"an image that exists, but the repository {repository} does not exist yet in account "
                f"{account} ({region}) and is created by this run: build the first image in this run with "
                f"image_build; the app's CI can push {image} afterwards"
            )
        else:
            expected = (
                f"an image that exists: push {image} first (ECR has no such image in {repository}), "
                "or build it in this run with image_build"
            )
        raise InvalidArgumentError(at, key, value, expected) from None
    if not isinstance(found.image_digest, str) or not _IMAGE_DIGEST.fullmatch(found.image_digest):
        raise InvalidArgumentError(at, key, value, f"an image ECR describes by digest (got {found.image_digest!r})")
    return found.image_digest
