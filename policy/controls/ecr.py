"""Amazon ECR controls: ECR.1, ECR.2, ECR.3."""

from collections.abc import Iterator, Mapping
from typing import Any

from pulumi_policy import PolicyResource, ResourceValidationArgs, StackValidationArgs

from .core import Policy, resource_policy, stack_policy
from .iam_documents import wildcard_match
from .props import as_bool, as_list, get, known
from .stack import referrers, resources_of

REPOSITORY = "aws:ecr/repository:Repository"
LIFECYCLE_POLICY = "aws:ecr/lifecyclePolicy:LifecyclePolicy"
REGISTRY_SCANNING = "aws:ecr/registryScanningConfiguration:RegistryScanningConfiguration"

SCANNING_FREQUENCIES = ("SCAN_ON_PUSH", "CONTINUOUS_SCAN")


def _registry_scans(args: StackValidationArgs, repository_name: str) -> bool:
    """A registry-level scanning rule that covers the repository (account-wide, so no relation)."""
    for config in resources_of(args, [REGISTRY_SCANNING]):
        for rule in as_list(known(config.props, "rules")):
            if str(get(rule, "scanFrequency")) not in SCANNING_FREQUENCIES:
                continue
            for repository_filter in as_list(get(rule, "repositoryFilters")):
                pattern = str(get(repository_filter, "filter", default=""))
                if str(get(repository_filter, "filterType", default="WILDCARD")) == "WILDCARD" and wildcard_match(
                    pattern, repository_name
                ):
                    return True
    return False


def _image_scanning(args: StackValidationArgs, _: Mapping[str, Any]) -> Iterator[tuple[PolicyResource, str]]:
    for repository in resources_of(args, [REPOSITORY]):
        if as_bool(known(repository.props, "imageScanningConfiguration", "scanOnPush"), default=False):
            continue
        name = known(repository.props, "name")
        if isinstance(name, str) and _registry_scans(args, name):
            continue
        yield repository, "images are not scanned: scanOnPush is off and no registry scanning rule covers it"


def _tag_immutability(args: ResourceValidationArgs, _: Mapping[str, Any]) -> Iterator[str]:
    mutability = str(get(args.props, "imageTagMutability", default="MUTABLE"))
    if mutability != "IMMUTABLE":
        yield f"imageTagMutability is {mutability}: a pushed tag can be moved to another image"


def _lifecycle_policy(args: StackValidationArgs, _: Mapping[str, Any]) -> Iterator[tuple[PolicyResource, str]]:
    for repository in resources_of(args, [REPOSITORY]):
        if not referrers(args, [LIFECYCLE_POLICY], ("repository",), repository, ("id", "name")):
            yield repository, "the repository has no lifecycle policy: images accumulate without limit"


POLICIES: list[Policy] = [
    stack_policy(
        name="ecr-1-image-scanning",
        control="ECR.1",
        title="ECR private repositories should have image scanning configured",
        check=_image_scanning,
        remediation="Set imageScanningConfiguration.scanOnPush to true, or add a registry scanning rule "
        "(SCAN_ON_PUSH or CONTINUOUS_SCAN) whose filter matches the repository.",
    ),
    resource_policy(
        name="ecr-2-tag-immutability",
        control="ECR.2",
        title="ECR private repositories should have tag immutability configured",
        types=[REPOSITORY],
        check=_tag_immutability,
        remediation="Set imageTagMutability to IMMUTABLE and deploy by digest or by a new tag per release.",
    ),
    stack_policy(
        name="ecr-3-lifecycle-policy",
        control="ECR.3",
        title="ECR repositories should have at least one lifecycle policy configured",
        check=_lifecycle_policy,
        remediation="Add an aws.ecr.LifecyclePolicy for the repository.",
    ),
]
