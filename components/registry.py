"""A private ECR repository with scanning, encryption and a lifecycle policy.

The source article creates the repository in the console (private, mutable tags, AES-256).
`ContainerRegistry` keeps those choices available but defaults to the safer ones AWS's
Foundational Security Best Practices check: immutable tags (ECR.2), scan on push (ECR.1) and
a lifecycle policy (ECR.3), so untagged layers and old releases do not pile up storage cost.
"""

# No `from __future__ import annotations`: the component analyzer and TypedDict's
# __required_keys__ need the annotations evaluated (NotRequired included).
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, NotRequired, TypedDict

import pulumi
from pulumi_aws import ecr

from components import validation as check
from components.app_config import optional_kms_key_arn
from components.arg_docs import documented_keys
from components.validation import InvalidArgumentError, where

COMPONENT = "ContainerRegistry"

TAG_MUTABILITIES = ("IMMUTABLE", "MUTABLE")
DEFAULT_TAG_MUTABILITY = "IMMUTABLE"
# An untagged image is usually a tag's previous image after a push; a week leaves time to
# roll back to it by digest.
DEFAULT_UNTAGGED_IMAGE_EXPIRY_DAYS = 7
# Thirty releases back is more history than any rollback needs.
DEFAULT_MAX_TAGGED_IMAGES = 30

# CreateRepository's pattern and length limits for repositoryName.
_REPOSITORY_NAME = re.compile(r"[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*)*")
_REPOSITORY_NAME_LENGTH = (2, 256)


@documented_keys
class ContainerRegistryArgs(TypedDict):
    """Arguments of `ContainerRegistry`."""

    repository_name: str
    """Name of the private repository: 2 to 256 characters of lower-case letters and digits, separated
    by ".", "_", "__" or hyphens, with "/" between namespace parts (ECR's pattern). It is part of every
    image URL, so it is plain and known at preview. Required. Example: "papyrus" or "papyrus/web"."""

    image_tag_mutability: NotRequired[str]
    """"IMMUTABLE" (a tag always names the same image, ECR.2) or "MUTABLE" (a push may move a tag such
    as `latest`). Default "IMMUTABLE". Example: "MUTABLE" for a dev stack that deploys `latest`."""

    kms_key_arn: NotRequired[pulumi.Input[str]]
    """ARN of a customer-managed KMS key to encrypt images with (encryption type KMS). Encryption cannot
    change after creation: changing this replaces the repository. Default: AES256 (S3-managed keys, no
    KMS charges). Example: key.arn."""

    scan_on_push: NotRequired[bool]
    """Scan every pushed image for known vulnerabilities with ECR basic scanning (ECR.1). Default true.
    Example: false only where the registry uses enhanced scanning configured elsewhere."""

    untagged_image_expiry_days: NotRequired[int]
    """Days after push when untagged images expire (lifecycle rule 1). At least 1. Default 7.
    Example: 1 for a dev stack that pushes `latest` many times a day."""

    max_tagged_images: NotRequired[int]
    """How many of the most recently pushed tagged images to keep; older tagged images expire
    (lifecycle rule 2) even while a service still runs one, so keep this above the number of pushes
    between a release and the oldest one you may roll back to. At least 1. Default 30. Example: 10."""

    protect: NotRequired[bool]
    """Protect the repository from deletion (Pulumi `protect`) and keep ECR's refusal to delete a
    repository that still holds images. When false, `force_delete` lets `pulumi destroy` remove it
    with its images. Default false. Example: true on production."""

    tags: NotRequired[Mapping[str, pulumi.Input[str]]]
    """Tags for the repository, on top of the provider's default tags. Default: none.
    Example: {"project": "portfolio"}."""


@dataclass(frozen=True)
class _Settings:
    """The arguments after validation and defaults."""

    repository_name: str
    image_tag_mutability: str
    kms_key_arn: pulumi.Input[str] | None
    scan_on_push: bool
    untagged_image_expiry_days: int
    max_tagged_images: int
    protect: bool
    tags: dict[str, pulumi.Input[str]]


class ContainerRegistry(pulumi.ComponentResource):
    """A private ECR repository for one application's images.

    Children (logical names derive from the component's name `<name>`):

    * `ecr.Repository` `<name>-repository`: private, named `repository_name`, tag mutability
      `image_tag_mutability` (default IMMUTABLE), encrypted with AES256 or, given `kms_key_arn`,
      with that KMS key, basic scanning on push (default on), `force_delete` only when not
      protected.
    * `ecr.LifecyclePolicy` `<name>-lifecycle-policy`: rule 1 expires untagged images
      `untagged_image_expiry_days` (default 7) after push; rule 2 keeps the
      `max_tagged_images` (default 30) most recently pushed tagged images and expires older ones.
      The rules select disjoint images (untagged, tagged), so a kept release is never expired
      by the untagged rule; there is no "any" rule, which ECR would require to come last.

    Defaults: IMMUTABLE tags, AES256, scan on push, 7 days, 30 images, not protected, no tags.
    Every argument is checked before anything is registered; `kms_key_arn` (often an output)
    as soon as it is known.

    Cost (us-west-2, per month): storage at $0.10 per GB of compressed image layers (layers
    shared between images are stored once); the lifecycle policy is what keeps this bounded.
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

    def __init__(self, name: str, args: ContainerRegistryArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        settings = _validate(where(COMPONENT, name), args)
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
            policy=json.dumps(lifecycle_policy(settings.untagged_image_expiry_days, settings.max_tagged_images)),
            opts=pulumi.ResourceOptions(parent=self),
        )

        self.repository_url = repository.repository_url
        self.repository_arn = repository.arn
        self.repository_name = repository.name
        self.registry_id = repository.registry_id
        self.register_outputs(
            {
                "repository_url": self.repository_url,
                "repository_arn": self.repository_arn,
                "repository_name": self.repository_name,
                "registry_id": self.registry_id,
            }
        )


def lifecycle_policy(untagged_image_expiry_days: int, max_tagged_images: int) -> dict[str, Any]:
    """The repository's lifecycle policy document.

    ECR evaluates rules from the lowest `rulePriority`; a `tagged` rule must list tags, and
    the pattern "*" matches every tag. Rules only expire images (ECR's one action).
    """
    return {
        "rules": [
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
            },
            {
                "rulePriority": 2,
                "description": f"Keep the {max_tagged_images} most recently pushed tagged images",
                "selection": {
                    "tagStatus": "tagged",
                    "tagPatternList": ["*"],
                    "countType": "imageCountMoreThan",
                    "countNumber": max_tagged_images,
                },
                "action": {"type": "expire"},
            },
        ]
    }


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


def _validate(at: str, raw: Mapping[str, Any]) -> _Settings:
    args = check.typed_dict(at, "args", raw, ContainerRegistryArgs)
    return _Settings(
        repository_name=repository_name(at, "repository_name", args["repository_name"]),
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
        protect=check.boolean(at, "protect", args.get("protect", False)),
        tags=check.tags(at, "tags", args.get("tags", {})),
    )
