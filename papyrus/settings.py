"""The stack configuration, read once and checked whole before any resource exists.

`load()` reads every key `Pulumi.yaml` declares (plus the provider keys the program
depends on) into a frozen `Settings`. The first value AWS or the app would reject
stops the program with one `InvalidArgumentError` naming the key, the value
received and what is allowed — the same message in `pulumi preview`, `pulumi up`
and `make plan`. Defaults live in `Pulumi.yaml` only; a key missing here means the
program runs outside the CLI without the project's defaults, which is an error too.
"""

from __future__ import annotations

import ipaddress
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal

import pulumi

from components import validation as check
from components.cidr_plan import LOAD_BALANCER_MAX_PREFIX, CidrPlanError, plan_subnets
from components.fargate_service import container_user
from components.fargate_sizes import check_task_size
from components.validation import InvalidArgumentError
from papyrus.app_env import RESERVED_ENV_NAMES

NatStrategy = Literal["none", "single", "per_az", "instance", "instance_per_az"]
TagMutability = Literal["MUTABLE", "IMMUTABLE"]
CpuArchitecture = Literal["X86_64", "ARM64"]

NAT_STRATEGIES: tuple[NatStrategy, ...] = ("none", "single", "per_az", "instance", "instance_per_az")
TAG_MUTABILITIES: tuple[TagMutability, ...] = ("MUTABLE", "IMMUTABLE")
CPU_ARCHITECTURES: tuple[CpuArchitecture, ...] = ("X86_64", "ARM64")

_REGION = r"[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d"
# Stack names end up in SSM paths, secret names and resource names.
_STACK = r"[a-z][a-z0-9-]{0,19}"
_IMAGE_TAG = r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}"
_IMAGE_DIGEST = r"sha256:[0-9a-f]{64}"
_ENV_NAME = r"[A-Z_][A-Z0-9_]{0,127}"
_LOOKS_SECRET = re.compile(r"SECRET|PASSWORD|PASSWD|TOKEN|PRIVATE_KEY|API_KEY|CREDENTIAL")
_DB_NAME = r"[A-Za-z_][A-Za-z0-9_]{0,62}"
_DB_USER = r"[A-Za-z][A-Za-z0-9_]{0,62}"
# RDS master password rules: printable ASCII except / @ " and space.
_DB_PASSWORD = r"[!#-.0-?A-~]{8,128}"  # noqa: S105 (a pattern, not a password)
_HOSTED_ZONE_ID = r"Z[A-Z0-9]{1,31}"
_SECURITY_GROUP_ID = r"sg-(?:[0-9a-f]{8}|[0-9a-f]{17})"
# The internal load balancer's certificate is for `<label>.<domainName>`; ACM refuses a first
# domain name longer than 64 characters.
INTERNAL_API_LABEL = "internal-api"
ACM_MAX_DOMAIN_LENGTH = 64


@dataclass(frozen=True)
class DatabaseSettings:
    """Where the app's database is; the password is `Settings.db_password`."""

    host: str
    name: str
    username: str
    port: int = 5432
    cidr: str | None = None
    """The database's IPv4 range: the tasks' only egress on `port` goes there (or to `security_group_id`)."""
    security_group_id: str | None = None
    """The database's security group, when it is in this VPC or a peered one."""


@dataclass(frozen=True)
class Settings:
    """One stack's configuration, validated. See `Pulumi.yaml` for each key's meaning."""

    project: str
    stack: str
    region: str
    auth0_domain: str
    vpc_cidr: str
    az_count: int
    nat_strategy: NatStrategy
    log_retention_days: int
    ecr_tag_mutability: TagMutability
    image_tag: str | None
    """An image the app's CI pushed, by tag; None when the image is built or given by digest."""
    container_port: int
    desired_count: int
    task_cpu: int
    task_memory: int
    app_parameters: Mapping[str, str]
    db: DatabaseSettings
    db_password: pulumi.Output[str] | None
    """The configured database password as a secret, or None to generate one."""
    domain_name: str | None
    hosted_zone_id: str | None
    protect: bool
    image_digest: str | None
    """An image the app's CI pushed, by digest."""
    image_build_context: str | None
    """A Docker build context to build and push the image from in this run."""
    image_dockerfile: str
    """The Dockerfile, relative to the build context."""
    cpu_architecture: CpuArchitecture
    availability_zones: tuple[str, ...] | None
    """Pinned zones (as many as az_count), or None for the region's first standard zones."""
    load_balancer_access_logs: bool
    web_acl: bool
    container_user: str | None
    """The user the app container runs as, or None for the image's own `USER`."""

    @property
    def auth0_issuer(self) -> str:
        """The `iss` claim Auth0 puts in tokens: the tenant URL with its trailing slash."""
        return f"https://{self.auth0_domain}/"

    @property
    def internal_api_domain(self) -> str | None:
        """The name on the internal load balancer's certificate, which API Gateway verifies."""
        return None if self.domain_name is None else f"{INTERNAL_API_LABEL}.{self.domain_name}"


class _Reader:
    """Raw config strings in, checked values out; every error names the config key."""

    def __init__(self, stack: str) -> None:
        self.where = f"stack {stack!r} config"
        self.project = pulumi.Config()
        self.namespaces = {"aws": pulumi.Config("aws"), "auth0": pulumi.Config("auth0")}

    def raw(self, key: str) -> str:
        namespace, _, short = key.rpartition(":")
        config = self.namespaces[namespace] if namespace else self.project
        value = config.get(short)
        if value is None:
            raise InvalidArgumentError(self.where, key, None, "a value (set it in Pulumi.<stack>.yaml)")
        return value

    def optional(self, key: str) -> str | None:
        value = self.project.get(key)
        return value or None

    def integer(self, key: str, *, minimum: int | None = None, maximum: int | None = None) -> int:
        raw = self.raw(key)
        if not re.fullmatch(r"-?\d+", raw.strip()):
            raise InvalidArgumentError(self.where, key, raw, check._range_text(minimum, maximum, "an integer"))
        return check.integer(self.where, key, int(raw), minimum=minimum, maximum=maximum)

    def boolean(self, key: str) -> bool:
        raw = self.raw(key)
        if raw not in ("true", "false"):
            raise InvalidArgumentError(self.where, key, raw, "true or false")
        return raw == "true"

    def array(self, key: str) -> list[Any]:
        raw = self.raw(key)
        try:
            value = json.loads(raw)
        except json.JSONDecodeError:
            value = None
        if not isinstance(value, list):
            raise InvalidArgumentError(self.where, key, raw, "a list (a YAML sequence in the stack file)")
        return value

    def object(self, key: str) -> dict[str, Any]:
        raw = self.raw(key)
        try:
            value = json.loads(raw)
        except json.JSONDecodeError:
            value = None
        if not isinstance(value, dict):
            raise InvalidArgumentError(self.where, key, raw, "an object (a YAML mapping in the stack file)")
        return value


def load() -> Settings:
    """Read and check the current stack's configuration. Call once, before any resource."""
    stack = pulumi.get_stack()
    where = f"stack {stack!r} config"
    if not re.fullmatch(_STACK, stack):
        raise InvalidArgumentError(
            "stack name",
            "stack",
            stack,
            "1 to 20 lower-case letters, digits and hyphens starting with a letter "
            "(it is part of parameter, secret and resource names)",
        )
    read = _Reader(stack)

    region = check.text(
        where, "aws:region", read.raw("aws:region"), pattern=_REGION, expected="an AWS region code such as us-west-2"
    )
    auth0_domain = check.dns_name(
        where,
        "auth0:domain",
        read.raw("auth0:domain"),
        expected="the Auth0 tenant's bare host name, such as papyrus.us.auth0.com (no https://, path or spaces)",
    )
    vpc_cidr = str(check.ipv4_network(where, "vpcCidr", read.raw("vpcCidr")))
    az_count = read.integer("azCount", minimum=2, maximum=6)
    _check_vpc_fits(where, vpc_cidr, az_count)
    nat_strategy = check.one_of(where, "natStrategy", read.raw("natStrategy"), NAT_STRATEGIES)
    if nat_strategy == "none":
        raise InvalidArgumentError(
            where,
            "natStrategy",
            nat_strategy,
            "single, per_az, instance or instance_per_az: papyrus tasks in the private subnets reach ECR, "
            "Secrets Manager, SSM, CloudWatch Logs and Auth0 through NAT",
        )
    log_retention_days = check.log_retention(where, "logRetentionDays", read.integer("logRetentionDays"))
    ecr_tag_mutability = check.one_of(where, "ecrTagMutability", read.raw("ecrTagMutability"), TAG_MUTABILITIES)
    image_tag, image_digest, image_build_context, image_dockerfile = _image_source(where, read)
    if image_tag == "latest" and ecr_tag_mutability == "IMMUTABLE":
        raise InvalidArgumentError(
            where,
            "imageTag",
            image_tag,
            "a release tag: with ecrTagMutability=IMMUTABLE the tag 'latest' can be pushed only once",
        )
    container_port = read.integer("containerPort", minimum=1, maximum=65535)
    desired_count = read.integer("desiredCount", minimum=0, maximum=1000)
    task_cpu, task_memory = check_task_size(
        where, "taskCpu", read.integer("taskCpu"), "taskMemory", read.integer("taskMemory")
    )
    app_parameters = _app_parameters(where, read.object("appParameters"))
    db = _database(where, read.object("db"))
    db_password = _db_password(where, read.optional("dbPassword"))
    domain_name, hosted_zone_id = _custom_domain(where, read.optional("domainName"), read.optional("hostedZoneId"))
    protect = read.boolean("protect")
    cpu_architecture = check.one_of(where, "cpuArchitecture", read.raw("cpuArchitecture"), CPU_ARCHITECTURES)
    availability_zones = _availability_zones(where, region, az_count, read.array("availabilityZones"))
    if protect and domain_name is None:
        raise InvalidArgumentError(
            where,
            "domainName",
            None,
            "a domain served over HTTPS (with hostedZoneId) on a protected stack (protect=true): users sign in "
            "there, and sign-in over plain HTTP would send authorization codes and session cookies in clear text",
        )
    load_balancer_access_logs = read.boolean("loadBalancerAccessLogs")
    web_acl = read.boolean("webAcl")
    raw_user = read.optional("containerUser")
    user = None if raw_user is None else container_user(where, "containerUser", raw_user)

    return Settings(
        project=pulumi.get_project(),
        stack=stack,
        region=region,
        auth0_domain=auth0_domain,
        vpc_cidr=vpc_cidr,
        az_count=az_count,
        nat_strategy=nat_strategy,
        log_retention_days=log_retention_days,
        ecr_tag_mutability=ecr_tag_mutability,
        image_tag=image_tag,
        container_port=container_port,
        desired_count=desired_count,
        task_cpu=task_cpu,
        task_memory=task_memory,
        app_parameters=app_parameters,
        db=db,
        db_password=db_password,
        domain_name=domain_name,
        hosted_zone_id=hosted_zone_id,
        protect=protect,
        image_digest=image_digest,
        image_build_context=image_build_context,
        image_dockerfile=image_dockerfile,
        cpu_architecture=cpu_architecture,
        availability_zones=availability_zones,
        load_balancer_access_logs=load_balancer_access_logs,
        web_acl=web_acl,
        container_user=user,
    )


_IMAGE_SOURCE_KEYS = ("imageBuildContext", "imageTag", "imageDigest")


def _image_source(where: str, read: _Reader) -> tuple[str | None, str | None, str | None, str]:
    """Exactly one of: a build context (built and pushed in this run), a tag or a digest (pushed by
    the app's CI). Each given value is checked first, then that there is exactly one. Returns
    (tag, digest, context, dockerfile)."""
    given = {key: read.optional(key) for key in _IMAGE_SOURCE_KEYS}
    tag, digest, context = given["imageTag"], given["imageDigest"], given["imageBuildContext"]
    if tag is not None:
        check.text(
            where,
            "imageTag",
            tag,
            pattern=_IMAGE_TAG,
            expected="an image tag: 1 to 128 letters, digits, '_', '.' or '-', not starting with '.' or '-'",
        )
    if digest is not None:
        check.text(
            where, "imageDigest", digest, pattern=_IMAGE_DIGEST, expected="an image digest sha256:<64 hex digits>"
        )
    dockerfile = read.optional("imageDockerfile")
    if context is not None:
        if not Path(context).is_dir():
            raise InvalidArgumentError(
                where,
                "imageBuildContext",
                context,
                "a directory holding the app's Docker build context, relative to the project directory "
                f"({Path.cwd()}) or absolute; check the app's source out there first",
            )
        dockerfile = dockerfile or "Dockerfile"
        if not (Path(context) / dockerfile).is_file():
            raise InvalidArgumentError(
                where,
                "imageDockerfile",
                dockerfile,
                f"a Dockerfile in the build context {context} (a path relative to it)",
            )
    elif dockerfile is not None:
        raise InvalidArgumentError(
            where, "imageDockerfile", dockerfile, "no value unless imageBuildContext is set (it is relative to it)"
        )
    chosen = [key for key, value in given.items() if value is not None]
    if not chosen:
        raise InvalidArgumentError(
            where,
            "imageTag",
            None,
            "an image for the service: imageTag or imageDigest (an image the app's CI pushed to the stack's "
            "repository), or imageBuildContext (a Docker build context built and pushed in this run)",
        )
    if len(chosen) > 1:
        raise InvalidArgumentError(
            where,
            chosen[1],
            given[chosen[1]],
            f"no value: {chosen[0]} already names the image (set exactly one of {', '.join(_IMAGE_SOURCE_KEYS)})",
        )
    return tag, digest, context, dockerfile or "Dockerfile"


def _availability_zones(where: str, region: str, az_count: int, zones: list[Any]) -> tuple[str, ...] | None:
    """Pinned zones: standard zone names of the region (`<region><letter>`), distinct, one per azCount."""
    if not zones:
        return None
    for zone in zones:
        check.text(
            where,
            "availabilityZones",
            zone,
            pattern=re.escape(region) + "[a-z]",
            expected=f"standard availability zone names of {region}, such as {region}a",
        )
    if len(set(zones)) != len(zones):
        raise InvalidArgumentError(where, "availabilityZones", zones, "distinct zone names")
    if len(zones) != az_count:
        raise InvalidArgumentError(
            where, "availabilityZones", zones, f"{az_count} zones, as many as azCount={az_count} (or none to not pin)"
        )
    return tuple(zones)


def _public_subnets_hold_a_load_balancer(vpc_cidr: str, az_count: int) -> bool:
    plan = plan_subnets(vpc_cidr, az_count)
    return all(ipaddress.ip_network(cidr).prefixlen <= LOAD_BALANCER_MAX_PREFIX for cidr in plan.public)


def _check_vpc_fits(where: str, vpc_cidr: str, az_count: int) -> None:
    """The planned subnets must exist, and the public ones must be able to hold the web ALB."""
    try:
        if _public_subnets_hold_a_load_balancer(vpc_cidr, az_count):
            return
    except CidrPlanError as exc:
        raise InvalidArgumentError(where, "vpcCidr", vpc_cidr, f"with azCount={az_count}, {exc.expected}") from None
    prefix = ipaddress.ip_network(vpc_cidr).prefixlen
    fits = next(p for p in range(prefix - 1, 15, -1) if _public_subnets_hold_a_load_balancer(f"10.0.0.0/{p}", az_count))
    raise InvalidArgumentError(
        where,
        "vpcCidr",
        vpc_cidr,
        f"a /{fits} or larger with azCount={az_count}: smaller VPCs get /28 public subnets, "
        f"and the web load balancer needs /{LOAD_BALANCER_MAX_PREFIX} or larger",
    )


def _app_parameters(where: str, raw: dict[str, Any]) -> Mapping[str, str]:
    params: dict[str, str] = {}
    for name, value in raw.items():
        key = f"appParameters.{name}"
        check.text(
            where,
            key,
            name,
            pattern=_ENV_NAME,
            expected="an environment variable name: upper-case letters, digits and '_'",
        )
        if name in RESERVED_ENV_NAMES:
            raise InvalidArgumentError(
                where, key, name, "a name the program does not set itself: " + ", ".join(sorted(RESERVED_ENV_NAMES))
            )
        if _LOOKS_SECRET.search(name):
            raise InvalidArgumentError(
                where,
                key,
                name,
                "a non-secret setting (plain parameters are stored unencrypted); keep credentials in Secrets Manager",
            )
        if isinstance(value, bool) or not isinstance(value, (str, int)) or str(value) == "":
            raise InvalidArgumentError(where, key, value, "a non-empty string or integer")
        text = str(value)
        if len(text) > 4096:
            raise InvalidArgumentError(where, key, text[:40] + "...", "at most 4096 characters (SSM Standard tier)")
        params[name] = text
    return MappingProxyType(params)


def _database(where: str, raw: dict[str, Any]) -> DatabaseSettings:
    if "password" in raw:
        raise InvalidArgumentError(
            where,
            "db.password",
            "[secret]",
            "no password here: set it with `pulumi config set --secret dbPassword`, or leave it out to generate one",
        )
    unknown = sorted(set(raw) - {"host", "name", "username", "port", "cidr", "securityGroupId"})
    if unknown:
        raise InvalidArgumentError(
            where,
            f"db.{unknown[0]}",
            raw[unknown[0]],
            "only the keys host, name, username, port, cidr and securityGroupId",
        )
    host = raw.get("host")
    if not (isinstance(host, str) and _is_ipv4(host)):
        check.dns_name(where, "db.host", host, expected="the database's DNS name or IPv4 address")
    name = check.text(
        where,
        "db.name",
        raw.get("name"),
        pattern=_DB_NAME,
        expected="a database name: 1 to 63 letters, digits or '_', not starting with a digit",
    )
    username = check.text(
        where,
        "db.username",
        raw.get("username"),
        pattern=_DB_USER,
        expected="a user name: 1 to 63 letters, digits or '_', starting with a letter",
    )
    port = check.integer(where, "db.port", raw.get("port", 5432), minimum=1, maximum=65535)
    cidr, group = _database_network(where, raw.get("cidr"), raw.get("securityGroupId"))
    return DatabaseSettings(host=str(host), name=name, username=username, port=port, cidr=cidr, security_group_id=group)


def _database_network(where: str, cidr: Any, group: Any) -> tuple[str | None, str | None]:
    """Where the tasks may open the database port: one address range or one security group."""
    if cidr is None and group is None:
        raise InvalidArgumentError(
            where,
            "db.cidr",
            None,
            "the database's IPv4 range such as 10.30.0.0/24 (or db.securityGroupId): the tasks may open "
            "db.port only towards the database, never to 0.0.0.0/0",
        )
    if cidr is not None and group is not None:
        raise InvalidArgumentError(
            where, "db.securityGroupId", group, f"no value when db.cidr is set ({cidr}): give one or the other"
        )
    if cidr is not None:
        cidr = str(check.ipv4_network(where, "db.cidr", cidr, min_prefix=8, max_prefix=32))
    if group is not None:
        group = check.text(
            where,
            "db.securityGroupId",
            group,
            pattern=_SECURITY_GROUP_ID,
            expected="a security group id such as sg-0123456789abcdef0",
        )
    return cidr, group


def _is_ipv4(text: str) -> bool:
    try:
        ipaddress.IPv4Address(text)
    except ValueError:
        return False
    return True


def _db_password(where: str, raw: str | None) -> pulumi.Output[str] | None:
    if raw is None:
        return None
    if not re.fullmatch(_DB_PASSWORD, raw):
        raise InvalidArgumentError(
            where,
            "dbPassword",
            raw,
            "8 to 128 printable ASCII characters other than '/', '@', '\"' and space (the RDS rules)",
            secret=True,
        )
    return pulumi.Output.secret(raw)


def _custom_domain(where: str, domain: str | None, zone: str | None) -> tuple[str | None, str | None]:
    if domain is not None:
        check.dns_name(where, "domainName", domain)
        internal = f"{INTERNAL_API_LABEL}.{domain}"
        if len(internal) > ACM_MAX_DOMAIN_LENGTH:
            limit = ACM_MAX_DOMAIN_LENGTH - len(INTERNAL_API_LABEL) - 1
            raise InvalidArgumentError(
                where,
                "domainName",
                domain,
                f"a domain of at most {limit} characters: the internal load balancer's certificate is for "
                f"{INTERNAL_API_LABEL}.<domainName>, and ACM refuses names over {ACM_MAX_DOMAIN_LENGTH} characters",
            )
    if zone is not None:
        check.text(
            where,
            "hostedZoneId",
            zone,
            pattern=_HOSTED_ZONE_ID,
            expected="a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ",
        )
    if domain is not None and zone is None:
        raise InvalidArgumentError(
            where, "hostedZoneId", None, f"the id of the public hosted zone that serves domainName={domain!r}"
        )
    if zone is not None and domain is None:
        raise InvalidArgumentError(where, "domainName", None, f"the domain to serve from hostedZoneId={zone!r}")
    return domain, zone
