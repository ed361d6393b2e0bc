"""Amazon ECS controls: ECS.2, ECS.4, ECS.5, ECS.8, ECS.9, ECS.10, ECS.12, and the container
hardening checks (capabilities dropped, a non-root user).

A task definition's containers are a JSON document (`containerDefinitions`) in ECS's own
camelCase (`readonlyRootFilesystem`, `logConfiguration.logDriver`); each container is judged
and named in the message.
"""

import re
from collections.abc import Iterator, Mapping
from typing import Any

from pulumi_policy import PolicyResource, ResourceValidationArgs, StackValidationArgs

from .core import CUSTOM, Policy, resource_policy, stack_policy
from .props import UNKNOWN, as_bool, as_list, get, json_document, known
from .stack import refers_to, resources_of

SERVICE = "aws:ecs/service:Service"
TASK_DEFINITION = "aws:ecs/taskDefinition:TaskDefinition"
CLUSTER = "aws:ecs/cluster:Cluster"

DEFAULT_SECRET_KEYS = ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "ECS_ENGINE_AUTH_DATA"]
FARGATE_PROVIDERS = ("FARGATE", "FARGATE_SPOT")
CONTAINER_INSIGHTS_ON = ("enabled", "enhanced")
ROOT_USER = re.compile(r"^(root|0)(:.*)?$")


def containers(props: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The container definitions of a task definition ([] when absent or not JSON, which the
    provider refuses anyway)."""
    try:
        document = json_document(get(props, "containerDefinitions"))
    except ValueError:
        return []
    return [c for c in as_list(document) if isinstance(c, Mapping)]


def _label(container: Mapping[str, Any]) -> str:
    return f"container {get(container, 'name', default='?')!r}"


def _windows(props: Mapping[str, Any]) -> bool:
    return str(get(props, "runtimePlatform", "operatingSystemFamily", default="LINUX")).upper().startswith("WINDOWS")


def _no_public_ip(args: ResourceValidationArgs, _: Mapping[str, Any]) -> Iterator[str]:
    if as_bool(get(args.props, "networkConfiguration", "assignPublicIp"), default=False):
        yield "networkConfiguration.assignPublicIp is true: every task gets a public IP address"


def _non_privileged(args: ResourceValidationArgs, _: Mapping[str, Any]) -> Iterator[str]:
    for container in containers(args.props):
        if as_bool(get(container, "privileged"), default=False):
            yield f"{_label(container)} runs privileged (root on the host)"


def _read_only_root(args: ResourceValidationArgs, _: Mapping[str, Any]) -> Iterator[str]:
    for container in containers(args.props):
        # ECS's default is a writable root filesystem.
        if not as_bool(get(container, "readonlyRootFilesystem"), default=False):
            yield f"{_label(container)} has a writable root filesystem (readonlyRootFilesystem is not true)"


def _no_environment_secrets(args: ResourceValidationArgs, config: Mapping[str, Any]) -> Iterator[str]:
    secret_keys = {str(k) for k in as_list(config.get("secretKeys"))} or set(DEFAULT_SECRET_KEYS)
    for container in containers(args.props):
        for variable in as_list(get(container, "environment")):
            name = str(get(variable, "name", default=""))
            if name in secret_keys:
                yield f"{_label(container)} passes {name} as a plain environment variable; use secrets/valueFrom"


def _logging_configured(args: ResourceValidationArgs, _: Mapping[str, Any]) -> Iterator[str]:
    for container in containers(args.props):
        if not get(container, "logConfiguration", "logDriver"):
            yield f"{_label(container)} has no logConfiguration.logDriver: its output is lost"


def _uses_fargate(service: PolicyResource) -> bool:
    if str(known(service.props, "launchType", default="")).upper() == "FARGATE":
        return True
    strategies = as_list(known(service.props, "capacityProviderStrategies"))
    return any(str(get(s, "capacityProvider", default="")).upper() in FARGATE_PROVIDERS for s in strategies)


def _latest_platform(args: StackValidationArgs, config: Mapping[str, Any]) -> Iterator[tuple[PolicyResource, str]]:
    latest_linux = str(config.get("latestLinuxVersion") or "1.4.0")
    latest_windows = str(config.get("latestWindowsVersion") or "1.0.0")
    task_definitions = resources_of(args, [TASK_DEFINITION])
    for service in resources_of(args, [SERVICE]):
        if not _uses_fargate(service):
            continue
        version = known(service.props, "platformVersion", default="LATEST")
        if version is UNKNOWN or str(version).upper() == "LATEST":
            continue
        task = next(
            (
                t
                for t in task_definitions
                if refers_to(service, ("taskDefinition",), t, ("arn", "arnWithoutRevision", "family", "id"))
            ),
            None,
        )
        latest = latest_windows if task is not None and _windows(task.props) else latest_linux
        if str(version) != latest:
            yield service, f"platformVersion is {version}; the latest Fargate platform version is {latest} (or LATEST)"


def _container_insights(args: ResourceValidationArgs, _: Mapping[str, Any]) -> Iterator[str]:
    settings = {str(get(s, "name")): str(get(s, "value")) for s in as_list(get(args.props, "settings"))}
    if settings.get("containerInsights") not in CONTAINER_INSIGHTS_ON:
        yield "Container Insights is not enabled (settings containerInsights: enabled or enhanced)"


def _capabilities_dropped(args: ResourceValidationArgs, _: Mapping[str, Any]) -> Iterator[str]:
    if _windows(args.props):
        return
    for container in containers(args.props):
        dropped = {str(c).upper() for c in as_list(get(container, "linuxParameters", "capabilities", "drop"))}
        if "ALL" not in dropped:
            yield f"{_label(container)} keeps the default Linux capabilities (capabilities.drop lacks ALL)"


def _non_root_user(args: ResourceValidationArgs, _: Mapping[str, Any]) -> Iterator[str]:
    if _windows(args.props):
        return
    for container in containers(args.props):
        user = get(container, "user")
        if not user:
            yield f"{_label(container)} sets no user: it runs as whatever the image says, root by default"
        elif ROOT_USER.match(str(user)):
            yield f"{_label(container)} runs as root (user {user!r})"


POLICIES: list[Policy] = [
    resource_policy(
        name="ecs-2-no-public-ip",
        control="ECS.2",
        title="ECS services should not have public IP addresses assigned to them automatically",
        types=[SERVICE],
        check=_no_public_ip,
        remediation="Set networkConfiguration.assignPublicIp to false and reach the internet through NAT.",
    ),
    resource_policy(
        name="ecs-4-non-privileged",
        control="ECS.4",
        title="ECS containers should run as non-privileged",
        types=[TASK_DEFINITION],
        check=_non_privileged,
        remediation="Remove privileged: true from the container definition.",
    ),
    resource_policy(
        name="ecs-5-read-only-root-filesystem",
        control="ECS.5",
        title="ECS containers should be limited to read-only access to root filesystems",
        types=[TASK_DEFINITION],
        check=_read_only_root,
        remediation="Set readonlyRootFilesystem to true; mount a volume where the app must write.",
    ),
    resource_policy(
        name="ecs-8-no-secrets-in-environment",
        control="ECS.8",
        title="Secrets should not be passed as container environment variables",
        types=[TASK_DEFINITION],
        check=_no_environment_secrets,
        remediation="Pass credentials through secrets (valueFrom a Secrets Manager or SSM ARN) or a task role.",
        params={
            "secretKeys": {"type": "array", "items": {"type": "string"}, "default": DEFAULT_SECRET_KEYS},
        },
    ),
    resource_policy(
        name="ecs-9-logging-configuration",
        control="ECS.9",
        title="ECS task definitions should have a logging configuration",
        types=[TASK_DEFINITION],
        check=_logging_configured,
        remediation="Give every container a logConfiguration (awslogs to a CloudWatch log group).",
    ),
    stack_policy(
        name="ecs-10-fargate-latest-platform",
        control="ECS.10",
        title="ECS Fargate services should run on the latest Fargate platform version",
        check=_latest_platform,
        remediation="Leave platformVersion unset (LATEST) or set the latest version.",
        params={
            "latestLinuxVersion": {"type": "string", "default": "1.4.0"},
            "latestWindowsVersion": {"type": "string", "default": "1.0.0"},
        },
    ),
    resource_policy(
        name="ecs-12-container-insights",
        control="ECS.12",
        title="ECS clusters should use Container Insights",
        types=[CLUSTER],
        check=_container_insights,
        remediation="Add the cluster setting containerInsights with value enabled (or enhanced).",
    ),
    resource_policy(
        name="custom-ecs-capabilities-dropped",
        control=CUSTOM,
        title="ECS containers drop all Linux capabilities (papyrus least privilege; not an FSBP control)",
        types=[TASK_DEFINITION],
        check=_capabilities_dropped,
        remediation='Set linuxParameters.capabilities.drop to ["ALL"] (Fargate allows adding back only SYS_PTRACE).',
    ),
    resource_policy(
        name="custom-ecs-non-root-user",
        control=CUSTOM,
        title="ECS containers run as a non-root user (papyrus least privilege; not an FSBP control)",
        types=[TASK_DEFINITION],
        check=_non_root_user,
        remediation='Set the container\'s user to a non-root uid:gid (for example "1000:1000") the image can run as.',
    ),
]
