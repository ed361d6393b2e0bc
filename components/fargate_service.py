"""FargateService: one container behind zero or more load balancers, on ECS Fargate in private subnets.

The component owns everything between "an image in ECR" and "tasks answering a target
group": the cluster, the task definition, two IAM roles, the task security group with
both sides of every load-balancer connection, and the ECS service. It follows the shape
of awsx's `FargateService` and the CDK's `ApplicationLoadBalancedFargateService`, with
the defaults tightened to AWS Foundational Security Best Practices (ECS.2, ECS.4, ECS.5,
ECS.9, ECS.12).
"""

# No `from __future__ import annotations` here: TypedDict could then not tell NotRequired keys
# from required ones, and the key checks below rely on __required_keys__.
import inspect
import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, NotRequired, TypedDict, TypeVar, cast

import pulumi
from pulumi_aws import ec2, ecs, iam, vpc

from components import validation as check
from components.app_config import READ_POLICY_MAX_CHARACTERS, env_name, refuse_secret
from components.arg_docs import documented_keys, documented_values
from components.fargate_sizes import check_task_size
from components.ordering import after
from components.registry import ImagePlatform
from components.security_group_rules import allow_tcp
from components.validation import InvalidArgumentError, where

T = TypeVar("T")
U = TypeVar("U")

COMPONENT = "FargateService"

# Fargate's current Linux platform version; LATEST would let AWS change the runtime
# under a running service on its next deployment, so the version is pinned.
PLATFORM_VERSION = "1.4.0"
# Seconds between SIGTERM and SIGKILL. Fargate's default and gunicorn's default
# graceful_timeout are both 30 s; written out so a reviewer sees it (Fargate allows up to 120).
STOP_TIMEOUT_SECONDS = 30
# The writable scratch volume that a read-only root filesystem needs: gunicorn keeps
# its worker heartbeat files in /tmp.
SCRATCH_VOLUME = "tmp"
SCRATCH_PATH = "/tmp"  # noqa: S108 (the container's own /tmp, backed by task storage)


@documented_values
class CpuArchitecture(StrEnum):
    """The CPU architecture Fargate runs the tasks on; the image must be built for it."""

    X86_64 = "X86_64"
    """64-bit x86 (the default); images built for linux/amd64."""
    ARM64 = "ARM64"
    """64-bit Arm (AWS Graviton), about 20% cheaper per vCPU-hour and GB-hour; images built for
    linux/arm64."""


CPU_ARCHITECTURES = tuple(architecture.value for architecture in CpuArchitecture)
DEFAULT_CPU_ARCHITECTURE = CpuArchitecture.X86_64.value
# The image platform each task architecture runs (what a build for it must target).
IMAGE_PLATFORMS: dict[CpuArchitecture, ImagePlatform] = {
    CpuArchitecture.X86_64: ImagePlatform.LINUX_AMD64,
    CpuArchitecture.ARM64: ImagePlatform.LINUX_ARM64,
}

# A user or group: a name (letters, digits, _ . -; POSIX login names stop at 32) or a numeric id.
_USER = re.compile(r"(?:\d{1,10}|[A-Za-z_][A-Za-z0-9_.-]{0,31})(?::(?:\d{1,10}|[A-Za-z_][A-Za-z0-9_.-]{0,31}))?")
# ECS container names: letters, digits, hyphens and underscores, up to 255.
_CONTAINER_NAME = r"[A-Za-z0-9_-]{1,255}"
_TARGET_KEY = r"[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?"
# What ECS accepts in `image`, plus '@' for digests.
_IMAGE = r"[A-Za-z0-9_.:/#@-]{1,255}"
_LOG_GROUP_NAME = r"[A-Za-z0-9_./#-]{1,512}"
_PARTITION = r"aws(?:-cn|-us-gov|-iso[a-z]?)?"
_REGION = r"[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d"
_LOG_GROUP_ARN = re.compile(
    rf"arn:{_PARTITION}:logs:(?P<region>{_REGION}):(?P<account>\d{{12}}):"
    rf"log-group:(?P<name>{_LOG_GROUP_NAME})"
)
_REPOSITORY_ARN = re.compile(
    rf"arn:{_PARTITION}:ecr:(?P<region>{_REGION}):(?P<account>\d{{12}}):repository/(?P<name>[a-z0-9][a-z0-9._/-]{{1,255}})"
)
_ECR_IMAGE = re.compile(
    rf"(?P<account>\d{{12}})\.dkr\.ecr\.(?P<region>{_REGION})\.amazonaws\.com(?:\.cn)?/"
    r"(?P<name>[a-z0-9][a-z0-9._/-]*?)(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}|@sha256:[0-9a-f]{64})"
)
_TARGET_GROUP_ARN = (
    rf"arn:{_PARTITION}:elasticloadbalancing:{_REGION}:\d{{12}}:targetgroup/[A-Za-z0-9-]{{1,32}}/[0-9a-f]+"
)
_LISTENER_ARN = (
    rf"arn:{_PARTITION}:elasticloadbalancing:{_REGION}:\d{{12}}:listener/(?:app|net)/[^/]+/[0-9a-f]+/[0-9a-f]+"
)
# The component's name starts its children's auto-names (`<name>-execution-<7 hex>`, ...): IAM
# role names stop at 64 characters, ECS cluster and service names take letters, digits, hyphens
# and underscores only, and AWS refuses security group names starting with "sg-".
MAX_NAME_LENGTH = 64 - len("-execution") - len("-0000000")
_NAME = rf"(?!sg(?:-|$))[A-Za-z0-9_-]{{1,{MAX_NAME_LENGTH}}}"
# ECS accepts up to 16 subnets in an awsvpc network configuration.
_MAX_SUBNETS = 16
# ECS's HealthCheckGracePeriodSeconds is an int32.
_MAX_GRACE_SECONDS = 2_147_483_647
# A log stream is "<prefix>/<container name>/<32-character task id>", at most 512 characters.
_MAX_STREAM_NAME = 512


@documented_keys
class LoadBalancerTarget(TypedDict):
    """One target group the service registers its tasks in, and how to reach it."""

    target_group_arn: pulumi.Input[str]
    """ARN of an `ip` target group on the container port. Required.
    Example: an ApplicationLoadBalancer's `target_group_arn`."""
    security_group_id: pulumi.Input[str]
    """The load balancer's security group: the only source the tasks admit on the container port,
    and the group that gets an egress rule to the tasks. Required.
    Example: an ApplicationLoadBalancer's `security_group_id`."""
    listener_arn: pulumi.Input[str]
    """A listener that forwards to the target group. The service is created after it, because ECS
    rejects a target group no listener uses yet. Required.
    Example: an ApplicationLoadBalancer's `listener_arn`."""
    target_port: NotRequired[pulumi.Input[int]]
    """The port the target group forwards to, to check against `container_port` (ECS registers the
    tasks on `container_port`, and the load balancer may reach them only there): a mismatch fails
    before the security group rules and the service are created. Give the ApplicationLoadBalancer's
    `target_port` output with its `target_group_arn`. Default: not checked.
    Example: an ApplicationLoadBalancer's `target_port`."""
    name: NotRequired[str]
    """A short key for this registration, used in the logical names of its two security group rules
    so that reordering `load_balancers` replaces nothing: 1-32 lower-case letters, digits and
    hyphens. Default: its position, `lb0`, `lb1`, ... Example: `"web"`."""


@documented_keys
class EgressRule(TypedDict):
    """One more destination the tasks may open TCP connections to, such as their database."""

    name: str
    """A short key for the rule, used in its logical name `<service>-egress-to-<name>`: 1-32
    lower-case letters, digits and hyphens. Required. Example: `"db"`."""
    port: int
    """The destination TCP port, 1 to 65535. Required. Example: `5432`."""
    cidr_block: NotRequired[str]
    """The destination's IPv4 range, a network address from /8 to /32 (never 0.0.0.0/0: ports open to
    anywhere belong in `egress_tcp_ports`). Give exactly one of `cidr_block` and `security_group_id`.
    Default: none (give `security_group_id` instead). Example: `"10.30.0.0/16"` (the database VPC's
    range)."""
    security_group_id: NotRequired[pulumi.Input[str]]
    """The destination's security group, in this VPC or a peered one. Only the tasks' egress rule is
    created here: the destination's group must admit the tasks' group (the service's
    `security_group_id` output) itself. Give exactly one of `cidr_block` and `security_group_id`.
    Default: none (give `cidr_block` instead). Example: `"sg-0123456789abcdef0"`."""


@documented_keys
class FargateServiceArgs(TypedDict):
    """Arguments of `FargateService`."""

    vpc_id: pulumi.Input[str]
    """The VPC of the subnets; the task security group is created in it. Required.
    Example: a PublicPrivateVpc's `vpc_id`."""
    subnet_ids: pulumi.Input[Sequence[pulumi.Input[str]]]
    """Private subnets (1 to 16) the tasks run in; they never get a public IP, so these subnets need
    a route to a NAT gateway (or VPC endpoints) to reach ECR. Required.
    Example: a PublicPrivateVpc's `private_subnet_ids`."""
    image: pulumi.Input[str]
    """The image the container runs, in the repository `repository_arn` names: `<repository URL>:<tag>`
    or `<repository URL>@sha256:<digest>`. Required.
    Example: `"123456789012.dkr.ecr.us-west-2.amazonaws.com/papyrus:v1.2.0"`, or a ContainerRegistry's
    `image_ref`."""
    repository_arn: pulumi.Input[str]
    """ARN of the ECR repository holding `image`; the execution role may pull from this repository
    only. Required. Example: a ContainerRegistry's `repository_arn`."""
    container_name: NotRequired[str]
    """Name of the container (letters, digits, `-`, `_`; up to 255). Default: `"app"`. Example: `"web"`."""
    container_port: int
    """The TCP port the container listens on (1-65535); target groups must use the same port.
    Required. Example: `5000`."""
    cpu: NotRequired[int]
    """Task CPU units; with `memory`, one of the sizes Fargate offers. Default: `256` (0.25 vCPU).
    Example: `512`."""
    memory: NotRequired[int]
    """Task memory in MiB; with `cpu`, one of the sizes Fargate offers. Default: `512`. Example: `1024`."""
    cpu_architecture: NotRequired[CpuArchitecture]
    """CPU architecture of the tasks, `"X86_64"` or `"ARM64"` (Graviton, about 20% cheaper per vCPU and
    GB-hour); the image must be built for it (`linux/amd64` or `linux/arm64`). Default: `"X86_64"`.
    Example: `"ARM64"`."""
    desired_count: NotRequired[int]
    """How many tasks run (0 or more). Default: `1`. Example: `2`."""
    environment: NotRequired[Mapping[str, pulumi.Input[str]]]
    """Non-secret settings, passed as the container's `environment` (sorted by name). Names are POSIX
    variable names, not ones the container's runtime reads (`PATH`, `HOME`, `LD_*`, `PYTHON*`, `AWS_*`,
    `ECS_*`, ...), and may not repeat a name in `secrets`. A value that is a Pulumi secret, or that carries
    a recognisable credential (a URL with a password, an AWS access key id, a private key), fails: ECS
    shows the environment in plain text (use `secrets`). Default: none.
    Example: `{"GUNICORN_WORKERS": "2"}`."""
    secrets: NotRequired[pulumi.Input[Sequence[Mapping[str, str]]]]
    """The container's `secrets`: `{"name": ..., "valueFrom": <Secrets Manager or SSM ARN>}` entries,
    as a SecureAppConfig's `container_secrets` output lists them. Requires `secrets_read_policy_json`.
    Default: none. Example: a SecureAppConfig's `container_secrets`."""
    secrets_read_policy_json: NotRequired[pulumi.Input[str]]
    """An IAM policy document granting read of exactly the `secrets` ARNs; attached verbatim to the
    execution role, which gets no other secret access. At most 8,192 characters as IAM counts them (the
    role's inline policies share 10,240). Default: none. Example: a SecureAppConfig's `read_policy_json`."""
    redeploy_triggers: NotRequired[pulumi.Input[Mapping[str, pulumi.Input[str]]]]
    """Values whose change starts a new deployment of the service in the same `pulumi up` (ECS reads
    `secrets` only when a task starts, so a new parameter value or secret version never reaches running
    tasks by itself). Give versions, never secret values: they are stored in plain text on the service.
    Unchanged values change nothing; with triggers set, any other update of the service (a new
    desired count, say) also starts a new deployment. Default: none (only a new task definition
    deploys). Example: a SecureAppConfig's `versions`."""
    log_group_name: pulumi.Input[str]
    """The CloudWatch Logs group the `awslogs` driver writes to. Required.
    Example: an ApplicationLogGroup's `log_group_name`."""
    log_group_arn: pulumi.Input[str]
    """ARN of that log group (without a trailing `:*`); the execution role may write only to its
    streams, and the `awslogs-region` and the roles' `aws:SourceAccount` come from it. Required.
    Example: an ApplicationLogGroup's `log_group_arn`."""
    log_stream_prefix: NotRequired[str]
    """`awslogs-stream-prefix`: streams are named `<prefix>/<container>/<task id>`. Default: the
    container name. Example: `"papyrus"`."""
    load_balancers: NotRequired[Sequence[LoadBalancerTarget]]
    """Target groups to register the tasks in; each one's security group may reach the tasks on
    `container_port`, and nothing else may. Default: none (a service nothing can call).
    Example: `[{"name": "web", "target_group_arn": "<ARN>", "listener_arn": "<ARN>", "security_group_id": "<id>"}]`,
    each value the ApplicationLoadBalancer's output of the same name, and its `target_port` too."""
    egress_tcp_ports: NotRequired[Sequence[int]]
    """TCP ports the tasks may connect to anywhere (0.0.0.0/0, through the NAT gateway); at least one,
    no repeats. Default: `[443]` (ECR, Secrets Manager, SSM, CloudWatch Logs, Auth0). Keep other
    ports off this list and give their destinations in `egress_rules`. Example: `[443]`."""
    egress_rules: NotRequired[Sequence[EgressRule]]
    """Destinations the tasks may reach on one TCP port each, by address range or security group,
    such as the database. Default: none. Example:
    `[{"name": "db", "port": 5432, "cidr_block": "10.30.0.0/16"}]`."""
    container_insights: NotRequired[bool]
    """Turn on CloudWatch Container Insights for the cluster (ECS.12); see the Cost section.
    Default: `true`. Example: `false` for a development stack."""
    health_check_grace_period_seconds: NotRequired[int]
    """Seconds ECS ignores failing load balancer health checks after a task starts; only with
    `load_balancers`. Default: `60`. Example: `120`."""
    readonly_root_filesystem: NotRequired[bool]
    """Mount the container's root filesystem read-only (ECS.5), with a writable scratch volume at
    /tmp. Default: `true`. Example: `false` for an app that writes outside /tmp."""
    user: NotRequired[str]
    """The user (and optionally group) the container's process runs as, overriding the image's
    `USER`: `uid`, `uid:gid`, `user` or `user:group`, never root (0). A name must exist in the image's
    /etc/passwd and a group in /etc/group, or the task fails to start; a numeric uid needs no entry.
    Fargate creates the /tmp scratch volume owned by root with mode 0755, so a non-root process can
    write /tmp only if the image declares `VOLUME ["/tmp"]` on a /tmp that user may write (Fargate
    then copies its ownership and mode). Default: the image's own user. Example: `"1000:1000"`."""
    drop_all_capabilities: NotRequired[bool]
    """Drop every Linux capability from the container (`linuxParameters.capabilities.drop: ["ALL"]`),
    so even a process running as root cannot change file ownership, bind ports below 1024 or
    trace other processes. Default: `true`. Example: `false` for an image whose entrypoint switches
    users (setuid/setgid need their capabilities)."""
    wait_for_steady_state: NotRequired[bool]
    """Make `pulumi up` wait until the deployment is steady, so a rollout the circuit breaker rolls
    back fails the update instead of passing silently. Default: `true`. Example: `false`."""
    tags: NotRequired[Mapping[str, pulumi.Input[str]]]
    """Tags for every resource the component creates; tasks inherit the service's. Default: none.
    Example: `{"team": "web"}`."""


# Frozen dataclasses, not NamedTuples: Output.from_input turns tuples that pass through an
# output into plain tuples, but leaves other objects whole.
@dataclass(frozen=True)
class _LogGroup:
    region: str
    account: str
    name: str
    arn: str


@dataclass(frozen=True)
class _Target:
    key: str
    target_group_arn: pulumi.Input[str]
    security_group_id: pulumi.Input[str]
    listener_arn: pulumi.Input[str]


@dataclass(frozen=True)
class _Egress:
    key: str
    port: int
    cidr_block: str | None
    security_group_id: pulumi.Input[str] | None


@dataclass(frozen=True)
class _Plan:
    """Every argument, checked, with its default applied."""

    vpc_id: pulumi.Input[str]
    subnet_ids: pulumi.Input[Sequence[pulumi.Input[str]]]
    image: pulumi.Input[str]
    repository_arn: pulumi.Input[str]
    container_name: str
    container_port: int
    cpu: int
    memory: int
    cpu_architecture: str
    desired_count: int
    environment: dict[str, pulumi.Input[str]]
    secrets: pulumi.Input[list[dict[str, str]]] | None
    secrets_read_policy_json: pulumi.Input[str] | None
    redeploy_triggers: pulumi.Input[dict[str, str]] | None
    log_group: pulumi.Input[_LogGroup]
    log_stream_prefix: str
    targets: list[_Target]
    egress_tcp_ports: list[int]
    egress_rules: list[_Egress]
    container_insights: bool
    health_check_grace_period_seconds: int | None
    readonly_root_filesystem: bool
    user: str | None
    drop_all_capabilities: bool
    wait_for_steady_state: bool
    tags: dict[str, pulumi.Input[str]] | None


class FargateService(pulumi.ComponentResource):
    """An ECS service on Fargate running one container from ECR in private subnets.

    Creates (logical names start with the component's name `<name>`, 1 to 46 letters, digits,
    hyphens or underscores, not `sg` nor starting with `sg-`: the cluster, service, roles and
    security group are auto-named from it):

    * `ecs.Cluster` `<name>-cluster`, with Container Insights `enabled` or `disabled`.
    * `iam.Role` `<name>-execution`, the task execution role, trusted by `ecs-tasks.amazonaws.com`
      only for tasks of the log group's account (`aws:SourceAccount`), with the inline policy
      `iam.RolePolicy` `<name>-execution-pull-and-log`: `ecr:GetAuthorizationToken` on `*`, image pull
      from exactly `repository_arn`, `logs:CreateLogStream`/`PutLogEvents` on exactly
      `<log_group_arn>:*` (the log group's streams, in the form the ECS documentation uses); and,
      when given, `iam.RolePolicy` `<name>-execution-secrets` holding `secrets_read_policy_json`
      verbatim.
    * `iam.Role` `<name>-task`, the role the application runs as: same trust, no permissions (attach
      what the app needs to the role named by the `task_role_name` output).
    * `ecs.TaskDefinition` `<name>-task` (family `<project>-<stack>-<name>`): FARGATE, awsvpc,
      LINUX on `cpu_architecture` (X86_64 or ARM64), one essential container with the image, a TCP
      port mapping on `container_port`, `environment` (sorted) and `secrets`, the `awslogs` driver
      (group, region, stream prefix), `privileged` `false`, every Linux capability dropped and `user`
      (by default), a read-only root filesystem with a scratch volume at /tmp (by default) and a
      30-second stop timeout.
    * `ec2.SecurityGroup` `<name>-sg` for the tasks, without inline rules (and, as the AWS provider
      creates every group, without AWS's default allow-all egress), plus separate rules:
      `vpc.SecurityGroupEgressRule` `<name>-egress-tcp-<port>` to 0.0.0.0/0 per `egress_tcp_ports`
      entry; `vpc.SecurityGroupEgressRule` `<name>-egress-to-<key>` per `egress_rules` entry, to its
      CIDR block or security group on its port; per load balancer `<key>`,
      `vpc.SecurityGroupIngressRule` `<name>-from-<key>` (tasks admit the load balancer's group
      on `container_port`) and `vpc.SecurityGroupEgressRule`
      `<name>-<key>-to-tasks` (the load balancer's group may reach the tasks on that port), both
      created only once the entry's `target_port`, when given, is known to be `container_port`.
    * `ecs.Service` `<name>-service`: FARGATE platform 1.4.0, the given subnets, the task security
      group, no public IP (ECS.2), one `load_balancers` entry per target group, the deployment circuit
      breaker with rollback, ECS-managed tags and the service's tags propagated to its tasks, and
      created only after the listeners, the security group rules and the execution role's policies
      exist (a task started earlier could not pull its image, write logs or pass its first health
      check); with `redeploy_triggers`, the service's `triggers` and `forceNewDeployment`, so a changed
      trigger value starts a new deployment in the same update.

    Defaults: container `app`, 256 CPU units and 512 MiB, X86_64, 1 task, egress on tcp/443 only,
    Container Insights on, a 60-second health check grace period (with load balancers), a read-only
    root filesystem, all capabilities dropped, the image's own user, `pulumi up` waiting for a steady
    deployment, the container name as log stream prefix; no load balancers, egress rules,
    environment, secrets or tags. Plain arguments are checked before anything is registered, outputs
    as soon as they resolve (an `environment` value that is a Pulumi secret fails the deployment: ECS
    would show it in plain text).

    Cost (us-west-2, on-demand, 730 hours a month):

    * Fargate Linux/x86: $0.04048 per vCPU-hour and $0.004445 per GB-hour, so each running task of
      the default size (0.25 vCPU, 0.5 GB) costs about $9.01 a month ($7.39 CPU + $1.62 memory); the
      bill scales with `desired_count` times `cpu` and `memory`. Linux/ARM (`cpu_architecture` "ARM64") is
      20% less: $0.03238 per vCPU-hour and $0.00356 per GB-hour, about $7.21 a month for the default
      size. The first 20 GiB of task storage are free.
    * Container Insights bills its metrics as CloudWatch custom metrics ($0.30 per metric-month for
      the first 10,000): 10 per cluster, 13 per service and 8 per task family, so this component's
      one service costs 31 metrics, $9.30 a month, however many tasks run. Its performance log
      events are billed as log ingestion ($0.50 per GB).
    * No public IPv4 addresses: the tasks' IPs are private, which avoids $3.65 per task-month.
    * Every task start pulls the whole image through the NAT gateway ($0.045 per GB processed):
      keep images small, or add ECR interface endpoints when deployments are frequent.
    * The cluster, task definitions, IAM roles, security groups and rules cost nothing; log
      ingestion is billed to the log group, which this component does not create.
    """

    cluster_arn: pulumi.Output[str]
    """ARN of the ECS cluster."""
    cluster_name: pulumi.Output[str]
    """Name of the ECS cluster."""
    service_name: pulumi.Output[str]
    """Name of the ECS service."""
    service_arn: pulumi.Output[str]
    """ARN of the ECS service."""
    task_definition_arn: pulumi.Output[str]
    """ARN (with revision) of the task definition the service runs."""
    task_definition_family: pulumi.Output[str]
    """Family of the task definition, `<project>-<stack>-<name>`: run one-off tasks (a database
    migration) with the latest revision by this name."""
    security_group_id: pulumi.Output[str]
    """The tasks' security group: add ingress rules from other sources here (a bastion, say), or admit
    it in a database's security group."""
    execution_role_arn: pulumi.Output[str]
    """ARN of the task execution role (image pull, logs, secrets)."""
    execution_role_name: pulumi.Output[str]
    """Name of the task execution role, for attaching a policy (more secrets, a KMS key to decrypt
    them)."""
    task_role_arn: pulumi.Output[str]
    """ARN of the role the application's AWS SDK calls use; it has no permissions until you attach some."""
    task_role_name: pulumi.Output[str]
    """Name of the role the application runs as: attach the policies the application needs to it."""

    def __init__(self, name: str, args: FargateServiceArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        at = where(COMPONENT, name)
        check.text(
            at,
            "name",
            name,
            pattern=_NAME,
            expected=f"1 to {MAX_NAME_LENGTH} letters, digits, hyphens or underscores, neither sg nor starting "
            "with sg- (it starts the names of the cluster, service, roles and security group), such as app",
        )
        plan = _plan(at, args)
        super().__init__(f"papyrus:index:{COMPONENT}", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)

        cluster = ecs.Cluster(
            f"{name}-cluster",
            settings=[{"name": "containerInsights", "value": "enabled" if plan.container_insights else "disabled"}],
            tags=plan.tags,
            opts=child,
        )
        execution_role, execution_policies = self._execution_role(name, plan, child)
        task_role = iam.Role(
            f"{name}-task",
            description="Role the application in the task runs as",
            assume_role_policy=_trust_policy(plan.log_group),
            tags=plan.tags,
            opts=child,
        )
        task_definition = ecs.TaskDefinition(
            f"{name}-task",
            family=task_family(pulumi.get_project(), pulumi.get_stack(), name),
            requires_compatibilities=["FARGATE"],
            network_mode="awsvpc",
            cpu=str(plan.cpu),
            memory=str(plan.memory),
            runtime_platform={"operating_system_family": "LINUX", "cpu_architecture": plan.cpu_architecture},
            execution_role_arn=execution_role.arn,
            task_role_arn=task_role.arn,
            # json_dumps keeps the document secret whenever any value in it is.
            container_definitions=pulumi.Output.json_dumps([_container_definition(plan)]),
            volumes=[{"name": SCRATCH_VOLUME}] if plan.readonly_root_filesystem else None,
            tags=plan.tags,
            opts=child,
        )
        security_group, rules = self._security_group(name, plan, child)
        service = ecs.Service(
            f"{name}-service",
            cluster=cluster.arn,
            task_definition=task_definition.arn,
            launch_type="FARGATE",
            platform_version=PLATFORM_VERSION,
            desired_count=plan.desired_count,
            network_configuration={
                "subnets": plan.subnet_ids,
                "security_groups": [security_group.id],
                "assign_public_ip": False,
            },
            load_balancers=[
                {
                    # Read through the listener so the service waits for it: the listener ARN usually
                    # comes from another component's output, not a resource to list in depends_on.
                    "target_group_arn": after(t.target_group_arn, t.listener_arn),
                    "container_name": plan.container_name,
                    "container_port": plan.container_port,
                }
                for t in plan.targets
            ]
            or None,
            health_check_grace_period_seconds=plan.health_check_grace_period_seconds,
            deployment_circuit_breaker={"enable": True, "rollback": True},
            propagate_tags="SERVICE",
            enable_ecs_managed_tags=True,
            wait_for_steady_state=plan.wait_for_steady_state,
            # A changed trigger is an in-place update that ECS carries out as a new deployment.
            force_new_deployment=True if plan.redeploy_triggers is not None else None,
            triggers=plan.redeploy_triggers,
            tags=plan.tags,
            opts=pulumi.ResourceOptions(parent=self, depends_on=[*rules, *execution_policies]),
        )

        self.cluster_arn = cluster.arn
        self.cluster_name = cluster.name
        self.service_name = service.name
        self.service_arn = service.arn
        self.task_definition_arn = task_definition.arn
        self.task_definition_family = task_definition.family
        self.security_group_id = security_group.id
        self.execution_role_arn = execution_role.arn
        self.execution_role_name = execution_role.name
        self.task_role_arn = task_role.arn
        self.task_role_name = task_role.name
        self.register_outputs(
            {
                "cluster_arn": self.cluster_arn,
                "cluster_name": self.cluster_name,
                "service_name": self.service_name,
                "service_arn": self.service_arn,
                "task_definition_arn": self.task_definition_arn,
                "task_definition_family": self.task_definition_family,
                "security_group_id": self.security_group_id,
                "execution_role_arn": self.execution_role_arn,
                "execution_role_name": self.execution_role_name,
                "task_role_arn": self.task_role_arn,
                "task_role_name": self.task_role_name,
            }
        )

    def _execution_role(
        self, name: str, plan: _Plan, child: pulumi.ResourceOptions
    ) -> tuple[iam.Role, list[iam.RolePolicy]]:
        role = iam.Role(
            f"{name}-execution",
            description="Lets ECS pull the image, write the logs and read the secrets of the task",
            assume_role_policy=_trust_policy(plan.log_group),
            tags=plan.tags,
            opts=child,
        )
        policies = [
            iam.RolePolicy(
                f"{name}-execution-pull-and-log",
                role=role.id,
                policy=pulumi.Output.json_dumps(_pull_and_log_policy(plan.repository_arn, plan.log_group)),
                opts=child,
            )
        ]
        if plan.secrets_read_policy_json is not None:
            policies.append(
                iam.RolePolicy(
                    f"{name}-execution-secrets",
                    role=role.id,
                    policy=plan.secrets_read_policy_json,
                    opts=child,
                )
            )
        return role, policies

    def _security_group(
        self, name: str, plan: _Plan, child: pulumi.ResourceOptions
    ) -> tuple[ec2.SecurityGroup, list[pulumi.Resource]]:
        group = ec2.SecurityGroup(
            f"{name}-sg",
            description="Fargate service tasks",
            vpc_id=plan.vpc_id,
            tags=plan.tags,
            opts=child,
        )
        rules: list[pulumi.Resource] = [
            vpc.SecurityGroupEgressRule(
                f"{name}-egress-tcp-{port}",
                description=f"Tasks to anywhere on tcp/{port}",
                security_group_id=group.id,
                cidr_ipv4="0.0.0.0/0",
                ip_protocol="tcp",
                from_port=port,
                to_port=port,
                tags=plan.tags,
                opts=child,
            )
            for port in plan.egress_tcp_ports
        ]
        rules.extend(
            vpc.SecurityGroupEgressRule(
                f"{name}-egress-to-{egress.key}",
                description=f"Tasks to {egress.key} on tcp/{egress.port}",
                security_group_id=group.id,
                cidr_ipv4=egress.cidr_block,
                referenced_security_group_id=egress.security_group_id,
                ip_protocol="tcp",
                from_port=egress.port,
                to_port=egress.port,
                tags=plan.tags,
                opts=child,
            )
            for egress in plan.egress_rules
        )
        port = plan.container_port
        for target in plan.targets:
            # The load balancer's group has no egress of its own: open both sides.
            rules.extend(
                allow_tcp(
                    source_group_id=target.security_group_id,
                    target_group_id=group.id,
                    port=port,
                    egress_name=f"{name}-{target.key}-to-tasks",
                    ingress_name=f"{name}-from-{target.key}",
                    description=f"Load balancer {target.key} to the tasks on tcp/{port}",
                    tags=plan.tags,
                    opts=child,
                )
            )
        return group, rules


# ---- documents ----------------------------------------------------------------------------


def task_family(project: str, stack: str, name: str) -> str:
    """The task definition family: unique per stack (families are shared by the whole account and
    region, so two stacks must not register revisions in one), and within ECS's rule of up to 255
    letters, digits, hyphens and underscores."""
    family = re.sub(r"[^A-Za-z0-9_-]", "-", f"{project}-{stack}-{name}")
    return family[:255]


def _container_definition(plan: _Plan) -> dict[str, Any]:
    definition: dict[str, Any] = {
        "name": plan.container_name,
        "image": plan.image,
        "essential": True,
        # ECS sets hostPort to containerPort in awsvpc mode; stating it keeps the stored document
        # equal to what ECS returns.
        "portMappings": [{"containerPort": plan.container_port, "hostPort": plan.container_port, "protocol": "tcp"}],
        "logConfiguration": {
            "logDriver": "awslogs",
            "options": {
                "awslogs-group": _derive(plan.log_group, lambda g: g.name),
                "awslogs-region": _derive(plan.log_group, lambda g: g.region),
                "awslogs-stream-prefix": plan.log_stream_prefix,
            },
        },
        "privileged": False,
        "readonlyRootFilesystem": plan.readonly_root_filesystem,
        "stopTimeout": STOP_TIMEOUT_SECONDS,
    }
    # Left out when there is nothing to say: an absent key and [] mean the same to ECS, and the
    # plan stays short.
    if plan.environment:
        definition["environment"] = [{"name": key, "value": plan.environment[key]} for key in sorted(plan.environment)]
    if plan.secrets is not None:
        definition["secrets"] = plan.secrets
    if plan.readonly_root_filesystem:
        definition["mountPoints"] = [{"sourceVolume": SCRATCH_VOLUME, "containerPath": SCRATCH_PATH, "readOnly": False}]
    if plan.drop_all_capabilities:
        definition["linuxParameters"] = {"capabilities": {"drop": ["ALL"]}}
    if plan.user is not None:
        definition["user"] = plan.user
    return definition


def _trust_policy(log_group: pulumi.Input[_LogGroup]) -> pulumi.Output[str]:
    """ECS tasks may assume the role, only those of the log group's account (`aws:SourceAccount`).

    The account comes from the log group ARN (awslogs cannot write across accounts, so it is
    the tasks' account): no get_caller_identity call. The ECS documentation recommends the
    condition against the confused deputy problem; it applies to the execution role as much as
    to the task role, since both are assumed by the same `ecs-tasks.amazonaws.com` principal on
    behalf of a task of this account.
    """
    statement: dict[str, Any] = {
        "Effect": "Allow",
        "Principal": {"Service": "ecs-tasks.amazonaws.com"},
        "Action": "sts:AssumeRole",
        "Condition": {"StringEquals": {"aws:SourceAccount": _derive(log_group, lambda g: g.account)}},
    }
    return pulumi.Output.json_dumps({"Version": "2012-10-17", "Statement": [statement]})


def _pull_and_log_policy(repository_arn: pulumi.Input[str], log_group: pulumi.Input[_LogGroup]) -> dict[str, Any]:
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "EcrLogin",
                "Effect": "Allow",
                # AWS offers no resource-level permission for GetAuthorizationToken: "*" is the only form.
                "Action": "ecr:GetAuthorizationToken",
                "Resource": "*",
            },
            {
                "Sid": "PullImage",
                "Effect": "Allow",
                "Action": ["ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"],
                "Resource": repository_arn,
            },
            {
                "Sid": "WriteLogs",
                "Effect": "Allow",
                "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
                # `<log group ARN>:*` covers the group's streams (CreateLogStream) and the
                # events written to them (PutLogEvents): the form the ECS documentation uses.
                "Resource": _derive(log_group, lambda g: f"{g.arn}:*"),
            },
        ],
    }


# ---- Input plumbing ------------------------------------------------------------------------


def _is_eventual(value: Any) -> bool:
    return isinstance(value, pulumi.Output) or inspect.isawaitable(value)


def _derive(value: pulumi.Input[T], fn: Callable[[T], U]) -> pulumi.Input[U]:
    """`fn(value)` now for a plain value, or once an output resolves (so plain input stays plain)."""
    if _is_eventual(value):
        return pulumi.Output.from_input(value).apply(fn)
    return fn(cast(T, value))


def _derive_all(values: Sequence[pulumi.Input[Any]], fn: Callable[..., U]) -> pulumi.Input[U]:
    """`fn(*values)` now when every value is plain, otherwise once all of them resolve."""
    if any(_is_eventual(v) for v in values):
        return pulumi.Output.all(*values).apply(lambda resolved: fn(*resolved))
    return fn(*values)


# ---- checks -----------------------------------------------------------------------------------


def _plan(at: str, raw: FargateServiceArgs) -> _Plan:
    """Check every argument, before anything is registered; outputs are checked once they resolve."""
    args = check.typed_dict(at, "args", raw, FargateServiceArgs)
    container_name = check.text(
        at,
        "container_name",
        args.get("container_name", "app"),
        pattern=_CONTAINER_NAME,
        expected="1 to 255 letters, digits, hyphens or underscores",
    )
    cpu, memory = _task_size(at, args.get("cpu", 256), args.get("memory", 512))
    environment = _environment(at, args.get("environment", {}))
    secrets = args.get("secrets")
    secrets_policy = args.get("secrets_read_policy_json")
    if (
        secrets is not None
        and (_is_eventual(secrets) or len(cast(Sequence[Any], secrets)) > 0)
        and secrets_policy is None
    ):
        raise InvalidArgumentError(
            at, "secrets_read_policy_json", None, "a policy document granting read of the secrets (secrets are given)"
        )
    container_port = check.integer(at, "container_port", args["container_port"], minimum=1, maximum=65535)
    targets = _targets(at, args.get("load_balancers", []), container_port)
    log_group = _derive_all([args["log_group_name"], args["log_group_arn"]], lambda n, a: _log_group(at, n, a))
    return _Plan(
        vpc_id=check.aws_id(at, "vpc_id", args["vpc_id"], "vpc"),
        subnet_ids=_derive(args["subnet_ids"], lambda ids: _subnets(at, ids)),
        image=_derive_all([args["image"], args["repository_arn"]], lambda i, r: _image(at, i, r)),
        repository_arn=_derive(args["repository_arn"], lambda r: _repository_arn(at, r).arn),
        container_name=container_name,
        container_port=container_port,
        cpu=cpu,
        memory=memory,
        cpu_architecture=check.one_of(
            at, "cpu_architecture", args.get("cpu_architecture", DEFAULT_CPU_ARCHITECTURE), CPU_ARCHITECTURES
        ),
        desired_count=check.integer(at, "desired_count", args.get("desired_count", 1), minimum=0),
        environment=environment,
        secrets=None if secrets is None else _derive(secrets, lambda s: _secrets(at, s, environment)),
        secrets_read_policy_json=(
            None if secrets_policy is None else _derive(secrets_policy, lambda p: _policy_document(at, p))
        ),
        redeploy_triggers=_triggers(at, args.get("redeploy_triggers")),
        log_group=log_group,
        log_stream_prefix=_stream_prefix(at, args.get("log_stream_prefix", container_name), container_name),
        targets=targets,
        egress_tcp_ports=_ports(at, args.get("egress_tcp_ports", [443])),
        egress_rules=_egress_rules(at, args.get("egress_rules", []), targets),
        container_insights=check.boolean(at, "container_insights", args.get("container_insights", True)),
        health_check_grace_period_seconds=_grace_period(at, args, has_targets=bool(targets)),
        readonly_root_filesystem=check.boolean(
            at, "readonly_root_filesystem", args.get("readonly_root_filesystem", True)
        ),
        user=None if "user" not in args else container_user(at, "user", args["user"]),
        drop_all_capabilities=check.boolean(at, "drop_all_capabilities", args.get("drop_all_capabilities", True)),
        wait_for_steady_state=check.boolean(at, "wait_for_steady_state", args.get("wait_for_steady_state", True)),
        tags=check.tags(at, "tags", args.get("tags", {})) or None,
    )


def _task_size(at: str, cpu: Any, memory: Any) -> tuple[int, int]:
    check.known(at, "cpu", cpu)
    check.known(at, "memory", memory)
    return check_task_size(at, "cpu", cpu, "memory", memory)


def _subnets(at: str, value: Any) -> list[Any]:
    expected = f"1 to {_MAX_SUBNETS} distinct subnet ids such as subnet-0123456789abcdef0"
    if isinstance(value, str) or not isinstance(value, Sequence) or not 1 <= len(value) <= _MAX_SUBNETS:
        raise InvalidArgumentError(at, "subnet_ids", value, expected)
    for item in value:
        check.aws_id(at, "subnet_ids", item, "subnet")
    plain = [item for item in value if isinstance(item, str)]
    if len(set(plain)) != len(plain):
        raise InvalidArgumentError(at, "subnet_ids", list(value), expected)
    return list(value)


def _environment(at: str, value: Any) -> dict[str, pulumi.Input[str]]:
    environment: dict[str, pulumi.Input[str]] = {}
    for key, item in check.string_map(at, "environment", value).items():
        env_name(at, "environment", key)
        shown = f"environment[{key!r}]"
        if not isinstance(item, str) and not _is_eventual(item):
            raise InvalidArgumentError(at, shown, item, "a string")
        checked = check.when_known(item, lambda text, shown=shown: _plain_text(at, shown, text))
        environment[key] = refuse_secret(at, shown, checked)
    return environment


def _plain_text(at: str, key: str, value: Any) -> Any:
    """An environment value ECS can carry and shows in plain text: no NUL, no credential."""
    if isinstance(value, str):
        check.encodable(at, key, value)
        check.no_credentials(at, key, value)
    return value


def _secrets(at: str, value: Any, environment: Mapping[str, Any]) -> list[dict[str, str]]:
    expected = "a list of {'name': <variable name>, 'valueFrom': <secret or parameter ARN>} entries"
    if isinstance(value, str) or not isinstance(value, Sequence):
        raise InvalidArgumentError(at, "secrets", value, expected)
    entries: list[dict[str, str]] = []
    for entry in value:
        if not isinstance(entry, Mapping) or set(entry) != {"name", "valueFrom"}:
            raise InvalidArgumentError(at, "secrets", entry, expected)
        name, value_from = entry["name"], entry["valueFrom"]
        env_name(at, "secrets", name)
        if not isinstance(value_from, str) or not value_from.strip():
            raise InvalidArgumentError(at, f"secrets[{name!r}].valueFrom", value_from, "a secret or parameter ARN")
        if name in environment:
            raise InvalidArgumentError(
                at, "secrets", name, "names not also in environment (a variable comes from one place only)"
            )
        if any(e["name"] == name for e in entries):
            raise InvalidArgumentError(at, "secrets", name, "each name once")
        entries.append({"name": name, "valueFrom": value_from})
    return entries


def _triggers(at: str, value: Any) -> pulumi.Input[dict[str, str]] | None:
    """A map of names to strings, checked now or once it resolves; None when not given."""
    if value is None:
        return None

    def checked(resolved: Any) -> dict[str, str]:
        expected = "a map of names to strings, such as SecureAppConfig.versions"
        if not isinstance(resolved, Mapping):
            raise InvalidArgumentError(at, "redeploy_triggers", resolved, expected)
        for key, item in resolved.items():
            if not isinstance(key, str) or not key or not isinstance(item, str):
                raise InvalidArgumentError(at, f"redeploy_triggers[{key!r}]", item, expected)
        return dict(resolved)

    if _is_eventual(value):
        return pulumi.Output.from_input(value).apply(checked)
    if isinstance(value, Mapping) and any(_is_eventual(v) for v in value.values()):
        return pulumi.Output.all(**value).apply(checked)
    return checked(value)


def _policy_document(at: str, value: Any) -> str:
    expected = "an IAM policy document: a JSON object with a Statement"
    try:
        document = json.loads(value) if isinstance(value, str) else None
    except json.JSONDecodeError:
        document = None
    if not isinstance(document, dict) or "Statement" not in document:
        raise InvalidArgumentError(at, "secrets_read_policy_json", value, expected)
    length = check.policy_characters(cast(str, value))
    if length > READ_POLICY_MAX_CHARACTERS:
        raise InvalidArgumentError(
            at,
            "secrets_read_policy_json",
            f"<a policy of {length} characters>",
            f"a policy of at most {READ_POLICY_MAX_CHARACTERS} characters without white space: the execution "
            f"role's inline policies share IAM's {check.IAM_ROLE_INLINE_POLICIES_MAX_CHARACTERS}",
        )
    return cast(str, value)


@dataclass(frozen=True)
class _Repository:
    region: str
    account: str
    name: str
    arn: str


def _repository_arn(at: str, value: Any) -> _Repository:
    found = _REPOSITORY_ARN.fullmatch(value) if isinstance(value, str) else None
    if found is None:
        raise InvalidArgumentError(
            at,
            "repository_arn",
            value,
            "an ECR repository ARN such as arn:aws:ecr:us-west-2:123456789012:repository/app",
        )
    return _Repository(found["region"], found["account"], found["name"], value)


def _image(at: str, image: Any, repository_arn: Any) -> str:
    repository = _repository_arn(at, repository_arn)
    registry = f"{repository.account}.dkr.ecr.{repository.region}.amazonaws.com"
    expected = f"an image of the repository {repository.name}: {registry}/{repository.name}:<tag> or @sha256:<digest>"
    if not isinstance(image, str) or not re.fullmatch(_IMAGE, image):
        raise InvalidArgumentError(at, "image", image, expected)
    found = _ECR_IMAGE.fullmatch(image)
    # The execution role may pull from `repository_arn` only: an image elsewhere would fail every task.
    if found is None or (found["account"], found["region"], found["name"]) != (
        repository.account,
        repository.region,
        repository.name,
    ):
        raise InvalidArgumentError(at, "image", image, expected)
    return image


def _log_group(at: str, name: Any, arn: Any) -> _LogGroup:
    if not isinstance(name, str) or not re.fullmatch(_LOG_GROUP_NAME, name):
        raise InvalidArgumentError(
            at, "log_group_name", name, "a log group name: 1 to 512 letters, digits and _ . / # -"
        )
    found = _LOG_GROUP_ARN.fullmatch(arn) if isinstance(arn, str) else None
    if found is None:
        raise InvalidArgumentError(
            at,
            "log_group_arn",
            arn,
            "a log group ARN without ':*', such as arn:aws:logs:us-west-2:123456789012:log-group:/ecs/app",
        )
    if found["name"] != name:
        raise InvalidArgumentError(at, "log_group_arn", arn, f"the ARN of the log group log_group_name={name!r}")
    return _LogGroup(found["region"], found["account"], name, arn)


def _stream_prefix(at: str, value: Any, container_name: str) -> str:
    # Stream names may not contain ':' or '*', and the whole "<prefix>/<container>/<task id>" fits 512.
    longest = _MAX_STREAM_NAME - len(container_name) - 34
    return check.text(
        at,
        "log_stream_prefix",
        value,
        pattern=rf"[^:*]{{1,{max(longest, 1)}}}",
        expected=f"1 to {longest} characters without ':' or '*'",
    )


def _targets(at: str, value: Any, container_port: int) -> list[_Target]:
    check.known(at, "load_balancers", value)
    if isinstance(value, str) or not isinstance(value, Sequence):
        raise InvalidArgumentError(at, "load_balancers", value, "a list of load balancer targets")
    targets: list[_Target] = []
    for index, item in enumerate(value):
        key = f"load_balancers[{index}]"
        raw = check.typed_dict(at, key, item, LoadBalancerTarget)
        port = _same_port(at, f"{key}.target_port", raw.get("target_port"), container_port)
        targets.append(
            _Target(
                key=check.text(
                    at,
                    f"{key}.name",
                    raw.get("name", f"lb{index}"),
                    pattern=_TARGET_KEY,
                    expected="1 to 32 lower-case letters, digits and hyphens, such as web",
                ),
                target_group_arn=check.when_known(
                    raw["target_group_arn"],
                    _arn_check(at, f"{key}.target_group_arn", _TARGET_GROUP_ARN, "a target group ARN"),
                ),
                security_group_id=check.aws_id(at, f"{key}.security_group_id", raw["security_group_id"], "sg"),
                listener_arn=check.when_known(
                    raw["listener_arn"],
                    _arn_check(at, f"{key}.listener_arn", _LISTENER_ARN, "a listener ARN (not a load balancer ARN)"),
                ),
            )
        )
        if port is not None and _is_eventual(port):
            # Known only later: the rules and the registration read their values through the
            # check, so a mismatch fails them instead of opening a port nothing serves.
            target = targets[-1]
            targets[-1] = _Target(
                target.key,
                after(target.target_group_arn, port),
                after(target.security_group_id, port),
                target.listener_arn,
            )
    _distinct(at, "load_balancers[].name", [t.key for t in targets])
    return _distinct_targets(at, targets)


def _same_port(at: str, key: str, value: Any, container_port: int) -> pulumi.Input[int] | None:
    """A target group's port, which must be `container_port`: checked now when plain, once known
    when an output (the caller then reads the target's values through the returned output)."""
    if value is None:
        return None

    def checked(port: Any) -> int:
        checked_port = check.integer(at, key, port, minimum=1, maximum=65535)
        if checked_port != container_port:
            raise InvalidArgumentError(
                at,
                key,
                checked_port,
                f"container_port, {container_port}: ECS registers the tasks on container_port, and the load "
                "balancer may reach them only there (use one port for both)",
            )
        return checked_port

    result: pulumi.Input[int] = check.when_known(value, checked)
    return result


def _arn_check(at: str, key: str, pattern: str, expected: str) -> Callable[[Any], str]:
    def run(value: Any) -> str:
        if not isinstance(value, str) or not re.fullmatch(pattern, value):
            raise InvalidArgumentError(at, key, value, expected)
        return value

    return run


def _distinct(at: str, key: str, values: Sequence[Any]) -> list[Any]:
    repeated = sorted({v for v in values if list(values).count(v) > 1})
    if repeated:
        raise InvalidArgumentError(at, key, repeated, "each value once")
    return list(values)


def _distinct_targets(at: str, targets: list[_Target]) -> list[_Target]:
    """Two entries with one security group would create the same rule twice, which AWS rejects;
    the same target group twice ECS rejects. Outputs are compared once they resolve, and every
    rule and registration reads its value through that comparison, so none is created first."""
    groups = _distinct_all(at, "load_balancers[].security_group_id", [t.security_group_id for t in targets])
    target_groups = _distinct_all(at, "load_balancers[].target_group_arn", [t.target_group_arn for t in targets])
    return [_Target(t.key, target_groups[i], groups[i], t.listener_arn) for i, t in enumerate(targets)]


def _distinct_all(at: str, key: str, values: list[pulumi.Input[str]]) -> list[pulumi.Input[str]]:
    if not any(_is_eventual(v) for v in values):
        return _distinct(at, key, values)
    checked = pulumi.Output.all(*values).apply(lambda resolved: _distinct(at, key, resolved))
    return [_item(checked, i) for i in range(len(values))]


def _item(values: pulumi.Output[list[Any]], index: int) -> pulumi.Output[str]:
    return values.apply(lambda resolved: cast(str, resolved[index]))


def _ports(at: str, value: Any) -> list[int]:
    check.known(at, "egress_tcp_ports", value)
    expected = "a non-empty list of distinct TCP ports from 1 to 65535 (tasks need at least 443 to pull their image)"
    if isinstance(value, str) or not isinstance(value, Sequence) or not value:
        raise InvalidArgumentError(at, "egress_tcp_ports", value, expected)
    ports = [check.integer(at, "egress_tcp_ports", port, minimum=1, maximum=65535) for port in value]
    return _distinct(at, "egress_tcp_ports", ports)


def _egress_rules(at: str, value: Any, targets: Sequence[_Target]) -> list[_Egress]:
    check.known(at, "egress_rules", value)
    if isinstance(value, str) or not isinstance(value, Sequence):
        raise InvalidArgumentError(at, "egress_rules", value, "a list of egress rules")
    rules: list[_Egress] = []
    for index, item in enumerate(value):
        key = f"egress_rules[{index}]"
        raw = check.typed_dict(at, key, item, EgressRule)
        name = check.text(
            at,
            f"{key}.name",
            raw["name"],
            pattern=_TARGET_KEY,
            expected="1 to 32 lower-case letters, digits and hyphens, such as db",
        )
        port = check.integer(at, f"{key}.port", raw["port"], minimum=1, maximum=65535)
        has_cidr, has_group = "cidr_block" in raw, "security_group_id" in raw
        if has_cidr == has_group:
            raise InvalidArgumentError(
                at, key, dict(raw), "exactly one of cidr_block and security_group_id as the destination"
            )
        cidr = (
            str(check.ipv4_network(at, f"{key}.cidr_block", raw["cidr_block"], min_prefix=8, max_prefix=32))
            if has_cidr
            else None
        )
        group = check.aws_id(at, f"{key}.security_group_id", raw["security_group_id"], "sg") if has_group else None
        rules.append(_Egress(name, port, cidr, group))
    _distinct(at, "egress_rules[].name", [r.key for r in rules])
    # Logical names share one namespace with the load balancer rules: `<lb>-to-tasks` could
    # otherwise equal `egress-to-<rule>`.
    clashing = {f"egress-to-{r.key}" for r in rules} & {f"{t.key}-to-tasks" for t in targets}
    if clashing:
        raise InvalidArgumentError(
            at, "egress_rules[].name", sorted(clashing), "names whose rule names differ from the load balancers'"
        )
    return rules


def container_user(at: str, key: str, value: Any) -> str:
    """A container `user` ECS accepts that is not root: uid, uid:gid, user or user:group."""
    check.known(at, key, value)
    expected = (
        "a non-root user: uid, uid:gid, user or user:group (names of letters, digits, '_', '.' and '-', "
        "up to 32 characters), not root or 0, such as 1000:1000"
    )
    if not isinstance(value, str) or not _USER.fullmatch(value):
        raise InvalidArgumentError(at, key, value, expected)
    user = value.split(":", 1)[0]
    if user == "root" or (user.isdigit() and int(user) == 0):
        raise InvalidArgumentError(at, key, value, expected + " (leave it unset to keep the image's own user)")
    return value


def _grace_period(at: str, args: Mapping[str, Any], *, has_targets: bool) -> int | None:
    if "health_check_grace_period_seconds" not in args:
        return 60 if has_targets else None
    value = args["health_check_grace_period_seconds"]
    if not has_targets:
        # ECS refuses a grace period on a service without load balancers.
        raise InvalidArgumentError(
            at, "health_check_grace_period_seconds", value, "no value unless load_balancers are given"
        )
    return check.integer(at, "health_check_grace_period_seconds", value, minimum=0, maximum=_MAX_GRACE_SECONDS)
