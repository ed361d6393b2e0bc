"""The stack configuration, read once and checked whole before any resource exists.

`load()` first refuses every key the program would ignore (an undeclared or misspelt key,
`papyrus/config_keys.py`), then reads every key `Pulumi.yaml` declares (plus the provider
keys the program depends on) into a frozen `Settings`. The first value AWS or the app would
reject stops the program with one `InvalidArgumentError` naming the key, the value received
and what is allowed — the same message in `pulumi preview`, `pulumi up` and `make plan`.
No input, however strange (NUL characters, lone surrogates, numbers of thousands of digits,
JSON nested thousands deep), gets past a check as a traceback. Defaults live in
`Pulumi.yaml` only; a key missing here means the program runs outside the CLI without the
project's defaults, which is an error too.

The framework is generic: a key added to `Pulumi.yaml` is accepted, typed values are read
with the CLI's own rules (`_Reader.integer`, `_Reader.boolean`), every text is checked for
what AWS and the engine cannot carry, and a key declared `secret: true` must be set with
`pulumi config set --secret`.
"""

from __future__ import annotations

import ipaddress
import json
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pulumi
from pulumi.runtime import config as runtime_config
from pulumi_aws._enums import Region
from pulumi_aws.get_availability_zones import get_availability_zones

from components import validation as check
from components.app_config import READ_POLICY_MAX_CHARACTERS, read_policy_length_bound, ssm_value
from components.cidr_plan import LOAD_BALANCER_MAX_PREFIX, MAX_PREFIX, MIN_PREFIX, CidrPlanError, plan_subnets
from components.fargate_service import CpuArchitecture, container_user
from components.fargate_sizes import check_task_size
from components.registry import ImageTagMutability
from components.validation import InvalidArgumentError
from components.vpc import STANDARD_ZONE_FILTERS, NatStrategy
from papyrus import config_keys
from papyrus.app_env import PROGRAM_PARAMETERS, RESERVED_ENV_NAMES, SECRET_ENV

PROJECT_DIR = Path(__file__).resolve().parents[1]
"""Where Pulumi.yaml is when the engine does not say (the language host passes its root directory)."""

# The components' own choices: each config value becomes the member the component takes.
# `none` is the component's but not the program's: the tasks need egress (see `load`).
NAT_STRATEGIES: tuple[str, ...] = tuple(strategy.value for strategy in NatStrategy if strategy is not NatStrategy.NONE)
TAG_MUTABILITIES: tuple[str, ...] = tuple(mutability.value for mutability in ImageTagMutability)
CPU_ARCHITECTURES: tuple[str, ...] = tuple(architecture.value for architecture in CpuArchitecture)

# Every region pulumi-aws knows (its `Region` enum), and the ones this program can serve.
AWS_REGIONS: frozenset[str] = frozenset(str(region.value) for region in Region)
# Why a region of another partition (or a partition's region) cannot run this program.
_UNSERVED_PARTITIONS: tuple[tuple[str, str], ...] = (
    (
        "-iso",
        "an air-gapped ISO partition: the Auth0 tenant cannot be reached and ECR serves images from other host names",
    ),
    (
        "cn-",
        "the AWS China partition: a separate account, and an ICP recordal before a load balancer may serve the "
        "web app on ports 80 and 443",
    ),
    (
        "eusc-",
        "the AWS European Sovereign Cloud: its own accounts and host names (amazonaws.eu), which the "
        "program's image and endpoint names do not use",
    ),
)
_UNSERVED_REGIONS = {
    "us-gov-east-1": "AWS GovCloud (US-East), where API Gateway HTTP APIs have no private integration (VPC link), "
    "and the API reaches its internal load balancer through one",
}
# Stack names end up in SSM paths, secret names and resource names.
_STACK = r"[a-z][a-z0-9-]{0,19}"
_IMAGE_TAG = r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}"
_IMAGE_DIGEST = r"sha256:[0-9a-f]{64}"
_ENV_NAME = r"[A-Z_][A-Z0-9_]{0,127}"
_LOOKS_SECRET = re.compile(r"SECRET|PASSWORD|PASSWD|TOKEN|PRIVATE_KEY|API_KEY|CREDENTIAL")
_NAMED_LIKE_CREDENTIAL = re.compile(r"(?i)pass|secret|token|key|credential|private")
# The CLI's integer rule (Go's strconv.Atoi): an optional sign and ASCII digits, within int64.
_GO_INT = re.compile(r"[+-]?[0-9]{1,19}")
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
_ACCOUNT_ID = r"[0-9]{12}"
_PROFILE = r"[^\s\[\]]+"


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
    ecr_tag_mutability: ImageTagMutability
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
    aws_provider_options: Mapping[str, Any]
    """The `aws:*` settings the program's AWS provider takes besides the region (profile, shared files,
    allowed or forbidden account ids), as `pulumi_aws.Provider` keyword arguments."""

    @property
    def internal_api_domain(self) -> str | None:
        """The name on the internal load balancer's certificate, which API Gateway verifies."""
        return None if self.domain_name is None else f"{INTERNAL_API_LABEL}.{self.domain_name}"


class _Reader:
    """Raw config strings in, checked values out; every error names the config key as people write it."""

    def __init__(self, stack: str, project: str, declared: Mapping[str, config_keys.Declaration]) -> None:
        self.where = f"stack {stack!r} config"
        self.project = project
        self.declared = declared

    def full(self, key: str) -> str:
        return key if ":" in key else f"{self.project}:{key}"

    def is_secret(self, key: str) -> bool:
        return runtime_config.is_config_secret(self.full(key))

    def get(self, key: str) -> str | None:
        """The value as the CLI hands it over, or None; text AWS and the engine cannot carry is refused."""
        namespace, _, name = self.full(key).partition(":")
        value = pulumi.Config(namespace).get(name)
        if value is None:
            return None
        if not isinstance(value, str):  # the CLI always passes text; anything else is a caller's bug
            raise InvalidArgumentError(self.where, key, value, "a string, as the Pulumi CLI passes config values")
        check.encodable(self.where, key, value, secret=self.is_secret(key))
        return value

    def raw(self, key: str) -> str:
        value = self.get(key)
        if value is None:
            raise InvalidArgumentError(self.where, key, None, "a value (set it in Pulumi.<stack>.yaml)")
        return value

    def optional(self, key: str) -> str | None:
        return self.get(key) or None

    def _typed(self, key: str, type_name: str) -> None:
        declared = self.declared.get(self.full(key))
        if declared is not None and declared.type not in (None, type_name):
            raise TypeError(f"settings read {key} as {type_name}, but Pulumi.yaml declares it {declared.type}")

    def integer(self, key: str, *, minimum: int | None = None, maximum: int | None = None) -> int:
        """An integer by the CLI's rule for `type: integer` (an optional sign and ASCII digits), in range."""
        self._typed(key, "integer")
        raw = self.raw(key)
        expected = check._range_text(minimum, maximum, "an integer")
        if not _GO_INT.fullmatch(raw):
            raise InvalidArgumentError(self.where, key, raw, expected)
        return check.integer(self.where, key, int(raw), minimum=minimum, maximum=maximum)

    def boolean(self, key: str) -> bool:
        """`true` or `false`, the CLI's rule for `type: boolean` (YAML's yes/on are text to it)."""
        self._typed(key, "boolean")
        raw = self.raw(key)
        if raw not in ("true", "false"):
            raise InvalidArgumentError(self.where, key, raw, "true or false")
        return raw == "true"

    def json(self, key: str, raw: str, expected: str) -> Any:
        """JSON as the CLI passes objects and arrays, every string in it checked like a value."""
        try:
            value = json.loads(raw)
        except (ValueError, RecursionError):  # bad JSON, an int past Python's digit limit, deep nesting
            raise InvalidArgumentError(self.where, key, raw, expected) from None
        for path, text in _strings(value):
            check.encodable(self.where, f"{key}{path}", text, secret=self.is_secret(key))
        return value

    def object(self, key: str) -> dict[str, Any]:
        self._typed(key, "object")
        expected = "an object (a YAML mapping in the stack file, JSON with -c)"
        value = self.json(key, self.raw(key), expected)
        if not isinstance(value, dict):
            raise InvalidArgumentError(self.where, key, self.raw(key), expected)
        return value

    def string_list(self, key: str, *, pattern: str, expected: str) -> list[str] | None:
        """An optional list of strings (a YAML sequence in the stack file, a JSON array with -c); an empty
        list is None. Text that is not a list (an empty `-c key=` included) is refused, as the CLI does."""
        raw = self.get(key)
        if raw is None:
            return None
        value = self.json(key, raw, expected)
        if not isinstance(value, list):
            raise InvalidArgumentError(self.where, key, raw, expected)
        if not value:  # an empty list is the declared default: nothing given
            return None
        for item in value:
            check.text(self.where, key, item, pattern=pattern, expected=expected)
        return value

    def secret(self, key: str) -> str | None:
        """An optional value that must be a Pulumi secret: a plain one sits unencrypted in the stack file."""
        value = self.optional(key)
        if value is not None and not self.is_secret(key):
            raise InvalidArgumentError(
                self.where,
                key,
                value,
                f"a secret: set it with `pulumi config set --secret {key}` "
                "(a plain value is stored unencrypted in the stack file and shown in previews)",
                secret=True,
            )
        return value


def _strings(value: Any) -> Iterator[tuple[str, str]]:
    """Every string in a JSON value (keys included) with its path, without recursion (JSON may nest deep)."""
    todo: list[tuple[str, Any]] = [("", value)]
    while todo:
        path, item = todo.pop()
        if isinstance(item, str):
            yield path, item
        elif isinstance(item, dict):
            for k, v in item.items():
                yield f"{path}.{k}", k
                todo.append((f"{path}.{k}", v))
        elif isinstance(item, list):
            todo.extend((f"{path}[{i}]", v) for i, v in enumerate(item))


def project_directory() -> Path:
    """The directory of Pulumi.yaml: the engine's root directory, or this program's own."""
    root = pulumi.get_root_directory()
    if isinstance(root, str) and (Path(root) / "Pulumi.yaml").is_file():
        return Path(root)
    return PROJECT_DIR


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
    project = pulumi.get_project()
    declared = config_keys.declarations(project_directory())
    read = _Reader(stack, project, declared)
    _refuse_ignored_keys(read, declared)
    _require_secrets(read, declared)

    region = _region(where, read.raw("aws:region"))
    auth0_domain = check.dns_name(
        where,
        "auth0:domain",
        read.raw("auth0:domain"),
        expected="the Auth0 tenant's bare host name, such as papyrus.us.auth0.com (no https://, path or spaces)",
    )
    vpc_cidr = str(check.vpc_cidr(where, "vpcCidr", read.raw("vpcCidr")))
    az_count = read.integer("azCount", minimum=2, maximum=6)
    _check_vpc_fits(where, vpc_cidr, az_count)
    raw_nat_strategy = read.raw("natStrategy")
    if raw_nat_strategy == NatStrategy.NONE.value:
        raise InvalidArgumentError(
            where,
            "natStrategy",
            raw_nat_strategy,
            "one of "
            + ", ".join(repr(s) for s in NAT_STRATEGIES)
            + ": papyrus tasks in the private subnets reach ECR, "
            "Secrets Manager, SSM, CloudWatch Logs and Auth0 through NAT",
        )
    nat_strategy = NatStrategy(check.one_of(where, "natStrategy", raw_nat_strategy, NAT_STRATEGIES))
    log_retention_days = check.log_retention(where, "logRetentionDays", read.integer("logRetentionDays"))
    ecr_tag_mutability = ImageTagMutability(
        check.one_of(where, "ecrTagMutability", read.raw("ecrTagMutability"), TAG_MUTABILITIES)
    )
    image_tag, image_digest, image_build_context, image_dockerfile = _image_source(where, read)
    if image_tag == "latest" and ecr_tag_mutability is ImageTagMutability.IMMUTABLE:
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
    _check_read_policy_fits(where, project, stack, app_parameters)
    db = _database(where, read.object("db"))
    db_password = _db_password(where, read.secret("dbPassword"))
    domain_name, hosted_zone_id = _custom_domain(where, read.optional("domainName"), read.optional("hostedZoneId"))
    protect = read.boolean("protect")
    cpu_architecture = CpuArchitecture(
        check.one_of(where, "cpuArchitecture", read.raw("cpuArchitecture"), CPU_ARCHITECTURES)
    )
    zones_expected = f"standard availability zone names of {region}, such as [{region}a, {region}b]"
    pinned = read.string_list("availabilityZones", pattern=re.escape(region) + "[a-z]", expected=zones_expected)
    availability_zones = _availability_zones(where, az_count, pinned or [])
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
    aws_provider_options = _aws_provider_options(read)

    return Settings(
        project=project,
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
        aws_provider_options=MappingProxyType(aws_provider_options),
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
        if not _is(Path.is_dir, context):
            raise InvalidArgumentError(
                where,
                "imageBuildContext",
                context,
                "a directory holding the app's Docker build context, relative to the project directory "
                f"({Path.cwd()}) or absolute; check the app's source out there first",
            )
        dockerfile = dockerfile or "Dockerfile"
        if not _is(Path.is_file, Path(context) / dockerfile):
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


def _is(test: Callable[[Path], bool], path: str | Path) -> bool:
    """`test` on `path`, False for a path the file system cannot even look up (too long, say)."""
    try:
        return test(Path(path))
    except (OSError, ValueError):
        return False


def _availability_zones(where: str, az_count: int, zones: list[str]) -> tuple[str, ...] | None:
    """Pinned zones (each already a standard zone name of the region): distinct, one per azCount."""
    if not zones:
        return None
    if len(set(zones)) != len(zones):
        raise InvalidArgumentError(where, "availabilityZones", zones, "distinct zone names")
    if len(zones) != az_count:
        raise InvalidArgumentError(
            where, "availabilityZones", zones, f"{az_count} zones, as many as azCount={az_count} (or none to not pin)"
        )
    return tuple(zones)


# Provider keys the program reads itself although Pulumi.yaml cannot declare them (a provider
# key there takes one project-wide `value`, and the Auth0 tenant differs per stack).
READ_PROVIDER_KEYS: tuple[str, ...] = ("auth0:domain",)


def given_keys() -> set[str]:
    """Every configuration key the program was given: the language host hands the whole stack
    configuration to `pulumi.runtime.config` (and PULUMI_CONFIG when run another way)."""
    return set(runtime_config.CONFIG.get()) | set(runtime_config.get_config_env())


def _refuse_ignored_keys(read: _Reader, declared: Mapping[str, config_keys.Declaration]) -> None:
    accepted = config_keys.Accepted(read.project, declared, READ_PROVIDER_KEYS)
    for full in sorted(given_keys()):
        refusal = accepted.refusal(full)
        if refusal is None:
            continue
        value = runtime_config.get_config(full)
        # A misspelt credential is still a credential: hide values of keys named like one, or near one.
        names = [full.partition(":")[2], (refusal.suggestion or "").rpartition(":")[2]]
        hidden = read.is_secret(full) or any(_NAMED_LIKE_CREDENTIAL.search(name) for name in names)
        raise InvalidArgumentError(read.where, refusal.key, value, refusal.reason, secret=hidden)


def _require_secrets(read: _Reader, declared: Mapping[str, config_keys.Declaration]) -> None:
    """Keys that hold credentials (declared `secret: true`, or a provider's) must be Pulumi secrets.

    The CLI checks `secret: true` only on typed keys, and Pulumi.yaml cannot give an optional
    secret a type (a typed key without a default is required, and a default is a plain value the
    CLI would then refuse), so the program checks all of them."""
    secret_keys = {d.key for d in declared.values() if d.secret} | {
        config_keys.shown(read.project, k) for k in config_keys.PROVIDER_SECRETS
    }
    for key in sorted(secret_keys):
        read.secret(key)


def _region(where: str, region: str) -> str:
    served = sorted(r for r in AWS_REGIONS if _unserved(r) is None)
    if region in AWS_REGIONS:
        reason = _unserved(region)
        if reason is None:
            return region
        raise InvalidArgumentError(
            where,
            "aws:region",
            region,
            f"a region this program can serve ({', '.join(served)}): {region} is in {reason}",
        )
    close = config_keys.closest(region, AWS_REGIONS)
    hint = f"; did you mean {close}?" if close else ""
    raise InvalidArgumentError(where, "aws:region", region, f"an AWS region code: {', '.join(served)}{hint}")


def _unserved(region: str) -> str | None:
    if region in _UNSERVED_REGIONS:
        return _UNSERVED_REGIONS[region]
    for marker, reason in _UNSERVED_PARTITIONS:
        if region.startswith(marker) or (marker.startswith("-") and marker in region):
            return reason
    return None


def check_zone_count(settings: Settings, provider: pulumi.ProviderResource) -> None:
    """Stop when `azCount` asks for more zones than the account has available in the region.

    Zones are an account's view of a region, so this asks AWS, through the program's provider:
    Pulumi.yaml disables the default one, and an invoke needs a registered provider (the mock
    runtime would answer without one, the engine would not). Call it right after the provider,
    before any other resource; the provider itself creates nothing in AWS.
    """
    # The same question PublicPrivateVpc asks: standard zones only (no Local or Wavelength Zones).
    zones = get_availability_zones(
        state="available", filters=STANDARD_ZONE_FILTERS, opts=pulumi.InvokeOptions(provider=provider)
    ).names
    if settings.az_count > len(zones):
        raise InvalidArgumentError(
            f"stack {settings.stack!r} config",
            "azCount",
            settings.az_count,
            f"at most {len(zones)}, the availability zones this account has in {settings.region} "
            f"({', '.join(sorted(zones))})",
        )


def vpc_holds(prefix: int, az_count: int) -> bool:
    """Whether a VPC of this prefix gets a subnet plan for `az_count` zones whose public subnets
    can hold the web load balancer. Depends on the prefix only, not on the address."""
    try:
        plan = plan_subnets(f"10.0.0.0/{prefix}", az_count)
    except CidrPlanError:
        return False
    return all(ipaddress.ip_network(cidr).prefixlen <= LOAD_BALANCER_MAX_PREFIX for cidr in plan.public)


def smallest_vpc_prefix(az_count: int) -> int | None:
    """The longest prefix (the smallest VPC) `vpc_holds` accepts for `az_count` zones, or None."""
    fits = [p for p in range(MIN_PREFIX, MAX_PREFIX + 1) if vpc_holds(p, az_count)]
    return max(fits, default=None)


def _check_vpc_fits(where: str, vpc_cidr: str, az_count: int) -> None:
    """The planned subnets must exist, and the public ones must be able to hold the web ALB.

    The advice comes from the same predicate that decides, so the size it names is accepted."""
    prefix = ipaddress.ip_network(vpc_cidr).prefixlen
    if vpc_holds(prefix, az_count):
        return
    fits = smallest_vpc_prefix(az_count)
    if fits is None:  # more zones than a /16 can hold; azCount's own range keeps this unreachable
        raise InvalidArgumentError(where, "azCount", az_count, "fewer zones: not even a /16 VPC holds them")
    raise InvalidArgumentError(
        where,
        "vpcCidr",
        vpc_cidr,
        f"a /{fits} or larger with azCount={az_count}: each zone needs a private subnet and a public one "
        f"of at least /{LOAD_BALANCER_MAX_PREFIX} for the web load balancer ({1 << (32 - fits)} addresses "
        f"in all with the planner's layout)",
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
        check.app_env_name(where, key, name)
        if _LOOKS_SECRET.search(name):
            raise InvalidArgumentError(
                where,
                key,
                name,
                "a non-secret setting (plain parameters are stored unencrypted); keep credentials in Secrets Manager",
            )
        if isinstance(value, bool) or not isinstance(value, (str, int)) or value == "":
            raise InvalidArgumentError(
                where, key, value, "a non-empty string or integer (quote anything else in the stack file)"
            )
        text = value if isinstance(value, str) else _integer_text(where, key, value)
        ssm_value(where, key, text)
        check.no_credentials(where, key, text)
        params[name] = text
    return MappingProxyType(params)


def _integer_text(where: str, key: str, value: int) -> str:
    try:
        return str(value)
    except ValueError:  # more digits than Python prints (sys.get_int_max_str_digits)
        raise InvalidArgumentError(where, key, value, "a non-empty string or integer of at most 4096 digits") from None


def _check_read_policy_fits(where: str, project: str, stack: str, app_parameters: Mapping[str, str]) -> None:
    """The execution role's read policy names every parameter ARN; IAM caps a role's inline policies.

    The same bound SecureAppConfig applies (and with the same names the program gives it), checked
    here so that too many settings stop the program before the first resource, not halfway."""
    names = [*PROGRAM_PARAMETERS, *app_parameters]
    groups = sorted({group for group, _ in SECRET_ENV.values()})
    length = read_policy_length_bound(f"/{project}/{stack}", names, f"{project}/{stack}", groups)
    if length > READ_POLICY_MAX_CHARACTERS:
        raise InvalidArgumentError(
            where,
            "appParameters",
            f"<{len(app_parameters)} settings>",
            f"fewer or shorter setting names: the task execution role's read policy would need {length} "
            f"characters, more than the {READ_POLICY_MAX_CHARACTERS} it may use of IAM's "
            f"{check.IAM_ROLE_INLINE_POLICIES_MAX_CHARACTERS}-character limit for a role's inline policies",
        )


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
    host = _database_host(where, raw.get("host"))
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
    return DatabaseSettings(host=host, name=name, username=username, port=port, cidr=cidr, security_group_id=group)


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


_UNUSABLE_HOSTS: tuple[tuple[str, str], ...] = (
    ("0.0.0.0/8", "'this network' (0.0.0.0 means any address to a server, no address to a client)"),
    ("127.0.0.0/8", "loopback: inside a task that is the task itself"),
    ("169.254.0.0/16", "link-local: the task metadata endpoint lives there, no database"),
    ("224.0.0.0/4", "multicast"),
    ("240.0.0.0/4", "reserved (class E) or broadcast"),
)


def _database_host(where: str, host: Any) -> str:
    """A database the tasks can reach: a DNS name, or a unicast IPv4 address other than loopback."""
    expected = "the database's DNS name or IPv4 address, reachable from the tasks"
    if isinstance(host, str) and _is_ipv4(host):
        address = ipaddress.IPv4Address(host)
        for cidr, what in _UNUSABLE_HOSTS:
            if address in ipaddress.IPv4Network(cidr):
                raise InvalidArgumentError(where, "db.host", host, f"{expected}: {host} is {what}")
        return host
    name = check.dns_name(where, "db.host", host, expected=expected)
    labels = name.split(".")
    if "localhost" in (labels[0], labels[-1]):  # RFC 6761: localhost names resolve to loopback
        raise InvalidArgumentError(where, "db.host", host, f"{expected}: {host} is loopback")
    return name


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
        check.certificate_domain(where, "domainName", domain)
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


def _aws_provider_options(read: _Reader) -> dict[str, Any]:
    """The forwarded `aws:*` settings (config_keys.AWS_FORWARDED_SETTINGS) as Provider arguments."""
    options: dict[str, Any] = {}
    profile = read.optional("aws:profile")
    if profile is not None:
        options["profile"] = check.text(
            read.where, "aws:profile", profile, pattern=_PROFILE, expected="an AWS profile name (no spaces or brackets)"
        )
    for key, argument in (
        ("sharedConfigFiles", "shared_config_files"),
        ("sharedCredentialsFiles", "shared_credentials_files"),
    ):
        files = read.string_list(
            f"aws:{key}", pattern=r"[^\n]+", expected="a list of file paths (a YAML sequence in the stack file)"
        )
        if files is not None:
            options[argument] = files
    expected = "a list of 12-digit AWS account ids, each quoted (a YAML sequence of strings)"
    for key, argument in (
        ("allowedAccountIds", "allowed_account_ids"),
        ("forbiddenAccountIds", "forbidden_account_ids"),
    ):
        accounts = read.string_list(f"aws:{key}", pattern=_ACCOUNT_ID, expected=expected)
        if accounts is not None:
            options[argument] = accounts
    if "allowed_account_ids" in options and "forbidden_account_ids" in options:
        raise InvalidArgumentError(
            read.where,
            "aws:forbiddenAccountIds",
            options["forbidden_account_ids"],
            "no value when aws:allowedAccountIds is set (the AWS provider takes one or the other)",
        )
    return options
