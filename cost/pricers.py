"""How each billable resource type is priced from its inputs.

A pricer reads the quantities out of one resource's inputs (and, where the bill depends on
another resource, out of that one: a service's task size lives on its task definition), and
returns idle lines (what the resource costs a month with no traffic) and usage rates (what
traffic, data or requests add). It raises `NotEstimatedError` when the inputs describe something
the table cannot price; it never guesses.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from cost.model import (
    UNKNOWN,
    Line,
    MissingPriceError,
    NotEstimatedError,
    PlanResource,
    UsageRate,
    as_list,
    container_insights_metrics,
    fargate_task_hours,
    hours_of,
)
from cost.table import PriceTable

# The standard Amazon Linux AMIs map an 8 GiB gp3 root volume; an instance that does not
# say otherwise gets that.
DEFAULT_ROOT_VOLUME_GIB = 8
DEFAULT_ROOT_VOLUME_TYPE = "gp3"
# gp3 includes 3,000 IOPS and 125 MB/s; more is billed on top (not in the table).
GP3_INCLUDED_IOPS = 3000
GP3_INCLUDED_THROUGHPUT = 125
# Fargate includes 20 GiB of ephemeral storage per task.
FARGATE_INCLUDED_STORAGE_GIB = 20
# AWS managed rule groups with a subscription or per-request fee of their own.
PAID_MANAGED_RULE_GROUPS = frozenset(
    {
        "AWSManagedRulesBotControlRuleSet",
        "AWSManagedRulesATPRuleSet",
        "AWSManagedRulesACFPRuleSet",
        "AWSManagedRulesAntiDDoSRuleSet",
    }
)


@dataclass(frozen=True)
class Priced:
    lines: tuple[Line, ...] = ()
    usage: tuple[UsageRate, ...] = ()
    note: str = ""


class Context:
    """What a pricer may ask: prices in the resource's region, and the rest of the plan."""

    def __init__(self, table: PriceTable, region: str, plan: Plan) -> None:
        self.table = table
        self.region = region
        self.plan = plan
        self.hours = table.hours_per_month

    def rate(self, key: str) -> Decimal:
        price = self.table.get(key, self.region)
        if price is None:
            raise MissingPriceError(key, self.region)
        return price.usd

    def line(self, what: str, quantity: Decimal, key: str) -> Line:
        return Line(what=what, quantity=quantity, unit=self.table.unit(key), price_key=key, rate=self.rate(key))

    def hourly(self, what: str, count: Decimal | int, key: str) -> Line:
        """`count` units billed every hour of the month."""
        return self.line(what, hours_of(count, self.hours), key)

    def usage(self, what: str, key: str) -> UsageRate:
        price = self.table.get(key, self.region)
        return UsageRate(what=what, price_key=key, unit=self.table.unit(key), rate=price.usd if price else None)


class Plan:
    """Look-ups across the plan's resources."""

    def __init__(self, resources: Sequence[PlanResource]) -> None:
        self.resources = list(resources)
        self._by_urn = {r.urn: r for r in self.resources}

    def get(self, urn: str) -> PlanResource | None:
        return self._by_urn.get(urn)

    def of_type(self, type_: str) -> list[PlanResource]:
        return [r for r in self.resources if r.type == type_]

    def referenced(self, resource: PlanResource, prop: str, type_: str) -> list[PlanResource]:
        """Resources of `type_` that `resource`'s input `prop` takes a value from."""
        urns = resource.property_dependencies.get(prop, ())
        found = [self._by_urn[u] for u in urns if u in self._by_urn and self._by_urn[u].type == type_]
        return found

    def depends_on(self, resource: PlanResource, target: PlanResource) -> bool:
        if target.urn in resource.dependencies:
            return True
        return any(target.urn in urns for urns in resource.property_dependencies.values())


Pricer = Callable[[PlanResource, Context], Priced]


# ---- helpers ------------------------------------------------------------------------------


def _number(value: Any, what: str) -> Decimal:
    if value is None or value == UNKNOWN or isinstance(value, bool):
        raise NotEstimatedError(f"{what} is not known")
    try:
        return Decimal(str(value))
    except ArithmeticError:
        raise NotEstimatedError(f"{what} {value!r} is not a number") from None


def _count(value: Any, what: str, default: int | None = None) -> int:
    if value is None and default is not None:
        return default
    number = _number(value, what)
    if number != number.to_integral_value() or number < 0:
        raise NotEstimatedError(f"{what} {value!r} is not a count")
    return int(number)


def _truthy(value: Any) -> bool:
    return value is True or value == "true"


# ---- network ------------------------------------------------------------------------------


def nat_gateway(r: PlanResource, ctx: Context) -> Priced:
    # Public and private NAT gateways bill the same hours; the Elastic IP is its own resource.
    return Priced(
        lines=(ctx.hourly("NAT gateway hours", 1, "nat_gateway_hour"),),
        usage=(ctx.usage("data processed by the NAT gateway", "nat_gateway_gb"),),
    )


def eip(r: PlanResource, ctx: Context) -> Priced:
    # Since February 2024 every public IPv4 address is billed, attached or idle.
    return Priced(lines=(ctx.hourly("public IPv4 address hours", 1, "public_ipv4_hour"),))


def vpc_endpoint(r: PlanResource, ctx: Context) -> Priced:
    kind = str(r.inputs.get("vpcEndpointType") or "Gateway")
    if kind == "Gateway":
        return Priced(note="gateway endpoints (S3, DynamoDB) have no hourly or data charge")
    if kind != "Interface":
        raise NotEstimatedError(f"{kind} VPC endpoints are not in the price table")
    subnets = as_list(r.inputs.get("subnetIds"))
    zones = len(subnets) if subnets is not None else len(r.property_dependencies.get("subnetIds", ()))
    if zones == 0:
        raise NotEstimatedError("interface endpoint without known subnets")
    return Priced(
        lines=(ctx.hourly(f"interface endpoint hours ({zones} zones)", zones, "vpc_interface_endpoint_hour"),),
        usage=(ctx.usage("data processed by the interface endpoint", "vpc_interface_endpoint_gb"),),
    )


def ec2_instance(r: PlanResource, ctx: Context) -> Priced:
    instance_type = r.inputs.get("instanceType")
    if not isinstance(instance_type, str) or instance_type == UNKNOWN:
        raise NotEstimatedError("instance type is not known")
    if r.inputs.get("tenancy") not in (None, "default"):
        raise NotEstimatedError(f"tenancy {r.inputs.get('tenancy')!r} is not in the price table")
    # Linux on-demand: the AMIs this project launches are Amazon Linux (no licence fee).
    lines = [ctx.hourly(f"{instance_type} instance hours (Linux, on-demand)", 1, f"ec2_instance_hour:{instance_type}")]
    root = r.inputs.get("rootBlockDevice") or {}
    lines.append(_ebs_line("root volume", root.get("volumeSize"), root.get("volumeType"), root, ctx, default_size=True))
    for device in as_list(r.inputs.get("ebsBlockDevices")) or []:
        name = device.get("deviceName", "EBS volume")
        lines.append(_ebs_line(f"volume {name}", device.get("volumeSize"), device.get("volumeType"), device, ctx))
    if _truthy(r.inputs.get("associatePublicIpAddress")) and not _has_elastic_ip(r, ctx):
        lines.append(ctx.hourly("public IPv4 address hours", 1, "public_ipv4_hour"))
    usage = [ctx.usage("data sent to the internet", "data_transfer_out_gb")]
    credits = (r.inputs.get("creditSpecification") or {}).get("cpuCredits")
    note = ""
    if instance_type.startswith(("t3", "t4g")) and credits != "standard":
        note = "burstable in unlimited mode: sustained CPU above the baseline adds surplus-credit charges"
    return Priced(lines=tuple(lines), usage=tuple(usage), note=note)


def _has_elastic_ip(instance: PlanResource, ctx: Context) -> bool:
    holders = ctx.plan.of_type("aws:ec2/eip:Eip") + ctx.plan.of_type("aws:ec2/eipAssociation:EipAssociation")
    return any(ctx.plan.depends_on(h, instance) for h in holders)


def _ebs_line(what: str, size: Any, volume_type: Any, spec: Any, ctx: Context, *, default_size: bool = False) -> Line:
    gib = _number(DEFAULT_ROOT_VOLUME_GIB if size is None and default_size else size, f"{what} size")
    kind = str(volume_type or DEFAULT_ROOT_VOLUME_TYPE)
    if kind == "gp3":
        if (
            _number(spec.get("iops") or GP3_INCLUDED_IOPS, "iops") > GP3_INCLUDED_IOPS
            or _number(spec.get("throughput") or GP3_INCLUDED_THROUGHPUT, "throughput") > GP3_INCLUDED_THROUGHPUT
        ):
            raise NotEstimatedError(f"{what}: gp3 IOPS or throughput above the included baseline is not in the table")
    elif kind not in ("gp2",):
        raise NotEstimatedError(f"{what}: EBS volume type {kind} is not in the price table")
    return ctx.line(f"{what}: {gib} GiB {kind}", gib, f"ebs_{kind}_gb_month")


def ebs_volume(r: PlanResource, ctx: Context) -> Priced:
    return Priced(lines=(_ebs_line("EBS volume", r.inputs.get("size"), r.inputs.get("type"), r.inputs, ctx),))


# ---- load balancing -----------------------------------------------------------------------


def load_balancer(r: PlanResource, ctx: Context) -> Priced:
    kind = str(r.inputs.get("loadBalancerType") or "application")
    if kind != "application":
        raise NotEstimatedError(f"{kind} load balancers are not in the price table")
    lines = [ctx.hourly("load balancer hours", 1, "alb_hour")]
    reserved = (r.inputs.get("minimumLoadBalancerCapacity") or {}).get("capacityUnits")
    if reserved:
        # Reserved capacity is billed whether or not traffic uses it: a floor the owner chose.
        units = _number(reserved, "minimumLoadBalancerCapacity.capacityUnits")
        lines.append(ctx.hourly(f"reserved capacity: {units} LCU-hours per hour", units, "alb_lcu_hour"))
    internal = _truthy(r.inputs.get("internal"))
    ip_type = str(r.inputs.get("ipAddressType") or "ipv4")
    if not internal and ip_type != "dualstack-without-public-ipv4":
        zones = _load_balancer_zones(r)
        lines.append(ctx.hourly(f"public IPv4 addresses ({zones}, one per zone)", zones, "public_ipv4_hour"))
    usage = (ctx.usage("load balancer capacity units (LCU) used", "alb_lcu_hour"),)
    return Priced(
        lines=tuple(lines),
        usage=usage,
        note="LCUs are billed as used: an idle load balancer uses about none, so only reserved capacity is idle cost",
    )


def _load_balancer_zones(r: PlanResource) -> int:
    for prop in ("subnets", "subnetMappings"):
        known = as_list(r.inputs.get(prop))
        if known:
            return len(known)
    # A list that is not known yet: count the subnets the plan feeds into it.
    for prop in ("subnets", "subnetMappings"):
        feeding = r.property_dependencies.get(prop, ())
        if feeding:
            return len(feeding)
    raise NotEstimatedError("the load balancer's subnets are not known")


# ---- containers ---------------------------------------------------------------------------


def ecs_service(r: PlanResource, ctx: Context) -> Priced:
    if r.inputs.get("capacityProviderStrategies"):
        raise NotEstimatedError("capacity provider strategies (Fargate Spot) are not in the price table")
    launch_type = str(r.inputs.get("launchType") or "EC2")
    if launch_type != "FARGATE":
        raise NotEstimatedError(f"launch type {launch_type}: tasks run on instances priced elsewhere")
    # Pulumi leaves desiredCount at 0 when it is not given (and DAEMON services do not set it).
    if r.inputs.get("schedulingStrategy") == "DAEMON":
        raise NotEstimatedError("DAEMON services run one task per container instance, not priced here")
    desired = _count(r.inputs.get("desiredCount"), "desiredCount", default=0)
    task = _task_definition(r, ctx)
    vcpu = _number(task.inputs.get("cpu"), "task cpu") / 1024
    gib = _number(task.inputs.get("memory"), "task memory") / 1024
    platform = task.inputs.get("runtimePlatform") or {}
    if str(platform.get("operatingSystemFamily") or "LINUX") != "LINUX":
        raise NotEstimatedError(f"{platform.get('operatingSystemFamily')} tasks are not in the price table")
    arch = {"X86_64": "x86", "ARM64": "arm"}.get(str(platform.get("cpuArchitecture") or "X86_64"))
    if arch is None:
        raise NotEstimatedError(f"CPU architecture {platform.get('cpuArchitecture')!r} is not in the price table")
    vcpu_hours, gb_hours = fargate_task_hours(desired, vcpu, gib, ctx.hours)
    size = f"{desired} × {vcpu} vCPU/{gib} GB {platform.get('cpuArchitecture') or 'X86_64'}"
    lines = [
        ctx.line(f"vCPU-hours ({size})", vcpu_hours, f"fargate_linux_{arch}_vcpu_hour"),
        ctx.line(f"GB-hours ({size})", gb_hours, f"fargate_linux_{arch}_gb_hour"),
    ]
    storage = (task.inputs.get("ephemeralStorage") or {}).get("sizeInGib")
    if storage is not None and _number(storage, "ephemeralStorage.sizeInGib") > FARGATE_INCLUDED_STORAGE_GIB:
        extra = _number(storage, "ephemeralStorage.sizeInGib") - FARGATE_INCLUDED_STORAGE_GIB
        lines.append(
            ctx.hourly(
                f"ephemeral storage beyond 20 GiB ({extra} GiB × {desired})", extra * desired, "fargate_storage_gb_hour"
            )
        )
    network = r.inputs.get("networkConfiguration") or {}
    if _truthy(network.get("assignPublicIp")):
        lines.append(ctx.hourly(f"public IPv4 addresses ({desired}, one per task)", desired, "public_ipv4_hour"))
    return Priced(lines=tuple(lines), note=f"task size from {task.name}")


def _task_definition(service: PlanResource, ctx: Context) -> PlanResource:
    found = ctx.plan.referenced(service, "taskDefinition", "aws:ecs/taskDefinition:TaskDefinition")
    if not found:
        found = [
            d
            for urn in service.dependencies
            if (d := ctx.plan.get(urn)) is not None and d.type == "aws:ecs/taskDefinition:TaskDefinition"
        ]
    if len(found) != 1:
        raise NotEstimatedError("the service's task definition is not in the plan")
    return found[0]


def ecs_cluster(r: PlanResource, ctx: Context) -> Priced:
    settings = as_list(r.inputs.get("settings")) or []
    insights = next((s.get("value") for s in settings if s.get("name") == "containerInsights"), "disabled")
    if insights == "disabled":
        return Priced(note="clusters are free; Container Insights is off")
    if insights != "enabled":
        raise NotEstimatedError(f"Container Insights {insights!r} is billed per observation, not in the price table")
    services = [
        s for s in ctx.plan.of_type("aws:ecs/service:Service") if r.urn in s.property_dependencies.get("cluster", ())
    ]
    families = set()
    for service in services:
        try:
            families.add(str(_task_definition(service, ctx).inputs.get("family")))
        except NotEstimatedError:
            raise NotEstimatedError(
                f"Container Insights: the task definition of {service.name} is not in the plan"
            ) from None
    metrics = container_insights_metrics(len(services), len(families))
    return Priced(
        lines=(
            ctx.line(
                f"Container Insights metrics ({len(services)} services, {len(families)} task families)",
                Decimal(metrics),
                "cloudwatch_metric_month",
            ),
        ),
        usage=(ctx.usage("Container Insights performance log events ingested", "logs_ingest_gb"),),
        note="metrics = 10 per cluster + 13 per service + 8 per task family (standard Container Insights)",
    )


def ecr_repository(r: PlanResource, ctx: Context) -> Priced:
    return Priced(usage=(ctx.usage("image layers stored", "ecr_storage_gb_month"),))


# ---- configuration, logs, monitoring ------------------------------------------------------


def secret(r: PlanResource, ctx: Context) -> Priced:
    replicas = len(as_list(r.inputs.get("replicas")) or [])
    copies = 1 + replicas
    what = "secret-months" if not replicas else f"secret-months (1 + {replicas} replicas)"
    return Priced(
        lines=(ctx.line(what, Decimal(copies), "secretsmanager_secret_month"),),
        usage=(ctx.usage("Secrets Manager API calls", "secretsmanager_api_10k"),),
    )


def ssm_parameter(r: PlanResource, ctx: Context) -> Priced:
    tier = str(r.inputs.get("tier") or "Standard")
    if tier == "Advanced":
        return Priced(lines=(ctx.line("advanced parameter-months", Decimal(1), "ssm_advanced_parameter_month"),))
    if tier == "Intelligent-Tiering":
        return Priced(note="Intelligent-Tiering stays Standard (free) while the value fits Standard's limits")
    return Priced(note="Standard parameters and their standard throughput are free")


def log_group(r: PlanResource, ctx: Context) -> Priced:
    log_class = str(r.inputs.get("logGroupClass") or "STANDARD")
    if log_class != "STANDARD":
        raise NotEstimatedError(f"log group class {log_class} is not in the price table")
    retention = r.inputs.get("retentionInDays")
    kept = f"kept {retention} day{'' if str(retention) == '1' else 's'}" if retention else "kept forever"
    return Priced(
        usage=(
            ctx.usage("log data ingested", "logs_ingest_gb"),
            ctx.usage(f"log data stored ({kept})", "logs_storage_gb_month"),
        )
    )


def metric_alarm(r: PlanResource, ctx: Context) -> Priced:
    queries = as_list(r.inputs.get("metricQueries")) or []
    metrics = sum(1 for q in queries if q.get("metric") is not None) or 1
    period = r.inputs.get("period")
    high_resolution = period is not None and _number(period, "period") < 60
    key = "cloudwatch_alarm_high_resolution_month" if high_resolution else "cloudwatch_alarm_standard_month"
    what = "high-resolution alarm metric-months" if high_resolution else "standard alarm metric-months"
    return Priced(lines=(ctx.line(what, Decimal(metrics), key),))


def kms_key(r: PlanResource, ctx: Context) -> Priced:
    return Priced(
        lines=(ctx.line("customer managed key-months", Decimal(1), "kms_key_month"),),
        usage=(ctx.usage("KMS requests", "kms_requests_10k"),),
    )


# ---- API, web protection, storage, certificates -------------------------------------------


def http_api(r: PlanResource, ctx: Context) -> Priced:
    protocol = str(r.inputs.get("protocolType") or "HTTP")
    if protocol != "HTTP":
        raise NotEstimatedError(f"{protocol} APIs are not in the price table")
    return Priced(usage=(ctx.usage("HTTP API requests", "apigw_http_million_requests"),))


def web_acl(r: PlanResource, ctx: Context) -> Priced:
    rules = as_list(r.inputs.get("rules"))
    if rules is None and isinstance(r.inputs.get("ruleJson"), str):
        try:
            parsed = json.loads(r.inputs["ruleJson"])
        except ValueError:
            raise NotEstimatedError("ruleJson is not JSON") from None
        rules = parsed if isinstance(parsed, list) else None
    if rules is None:
        rules = []
    paid = sorted(_managed_groups(rules) & PAID_MANAGED_RULE_GROUPS)
    if paid:
        raise NotEstimatedError(
            f"managed rule groups with their own fees are not in the price table: {', '.join(paid)}"
        )
    lines = [ctx.line("web ACL-months", Decimal(1), "waf_web_acl_month")]
    if rules:
        # Every rule in the ACL is billed, and a rule group it references counts as one rule.
        lines.append(
            ctx.line(f"rule-months ({len(rules)} rules and rule groups)", Decimal(len(rules)), "waf_rule_month")
        )
    return Priced(lines=tuple(lines), usage=(ctx.usage("web requests inspected", "waf_million_requests"),))


def _managed_groups(value: Any) -> set[str]:
    found: set[str] = set()
    if isinstance(value, dict):
        for key, item in value.items():
            if key in ("managedRuleGroupStatement", "ManagedRuleGroupStatement") and isinstance(item, dict):
                found.add(str(item.get("name") or item.get("Name")))
            found |= _managed_groups(item)
    elif isinstance(value, list):
        for item in value:
            found |= _managed_groups(item)
    return found


def s3_bucket(r: PlanResource, ctx: Context) -> Priced:
    return Priced(usage=(ctx.usage("objects stored (S3 Standard)", "s3_standard_gb_month"),))


def acm_certificate(r: PlanResource, ctx: Context) -> Priced:
    if r.inputs.get("certificateAuthorityArn"):
        raise NotEstimatedError("private certificates (AWS Private CA) are not in the price table")
    return Priced(note="public ACM certificates are free")


__all__ = ["Context", "Plan", "Priced", "Pricer"]
