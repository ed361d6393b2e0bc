"""An Application Load Balancer in front of `ip` targets (Fargate tasks), with optional HTTPS on a custom domain."""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple, NotRequired, TypedDict

import pulumi
from pulumi_aws import acm, ec2, lb, route53, vpc

from components import validation as check
from components import web_acl as waf
from components.access_log_bucket import log_prefix
from components.arg_docs import documented_keys
from components.ordering import after
from components.validation import InvalidArgumentError

if TYPE_CHECKING:
    from pulumi_aws import wafv2

COMPONENT = "ApplicationLoadBalancer"

HTTP_PORT = 80
HTTPS_PORT = 443

# AWS's recommended policy (the console's default): TLS 1.3 and 1.2 only, forward-secret ciphers.
TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06"

# Health checks: a new task serves after 2 passing checks (~30 s) and leaves after 3 failing
# ones (~45 s), so one slow response does not pull a task out of service. AWS's defaults
# (30 s interval, 5 to pass) would hold every rolling deployment for 2.5 minutes per task.
HEALTH_CHECK_INTERVAL_SECONDS = 15
HEALTH_CHECK_TIMEOUT_SECONDS = 5
HEALTHY_THRESHOLD = 2
UNHEALTHY_THRESHOLD = 3

DEFAULT_HEALTH_CHECK_PATH = "/healthz"
DEFAULT_HEALTH_CHECK_MATCHER = "200-399"
DEFAULT_DEREGISTRATION_DELAY_SECONDS = 30
DEFAULT_IDLE_TIMEOUT_SECONDS = 60

# ALB quotas per listener rule (neither adjustable): condition values and wildcards.
MAX_PATTERNS_PER_RULE = 5
MAX_WILDCARDS_PER_RULE = 5

# Auto-names are `<logical name>-<7 hex>`; load balancer and target group names stop at 32
# characters, and the longest child suffix here is "-alb".
MAX_NAME_LENGTH = 32 - len("-alb") - len("-0000000")

_NAME = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?")
_PATH_PATTERN = re.compile(r"[/*?][A-Za-z0-9_\-.$/~\"'@:+&*?]{0,127}")
_HEALTH_CHECK_PATH = re.compile(r"/[\x21-\x7e]{0,1023}")
_HOSTED_ZONE_ID = r"Z[A-Z0-9]{1,31}"
_BUCKET_NAME = r"(?!xn--)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]"
_STATUS_CODE = re.compile(r"\d{3}")


@documented_keys
class ApplicationLoadBalancerArgs(TypedDict):
    """Arguments of `ApplicationLoadBalancer`."""

    vpc_id: pulumi.Input[str]
    """The VPC the load balancer, its security group and its target group live in. Required.
    Example: a PublicPrivateVpc's `vpc_id`."""
    subnet_ids: pulumi.Input[Sequence[pulumi.Input[str]]]
    """Subnets the load balancer has a node in: at least two, in different availability zones
    (ELB.13), public ones for an internet-facing load balancer. Required.
    Example: a PublicPrivateVpc's `public_subnet_ids`."""
    internal: bool
    """`true` for an internal load balancer reachable only from inside the VPC, `false` for an
    internet-facing one. Required, so exposure to the internet is always a deliberate choice.
    Example: `true`."""
    target_port: int
    """Port the target group forwards to: the port the targets (Fargate tasks, registered by IP
    address) serve HTTP on, 1 to 65535. A FargateService behind this load balancer must listen on
    it (its `container_port`); the `target_port` output passes it on so the service can check.
    Required. Example: `5000`."""
    ingress_cidr_blocks: NotRequired[Sequence[str]]
    """IPv4 CIDR blocks allowed to reach the listener ports (80, and 443 with a domain).
    Default: `["0.0.0.0/0"]` when internet-facing, `[]` when internal (callers then open the
    security group to specific security groups, such as an API Gateway VPC link's).
    Example: `["203.0.113.0/24"]`."""
    health_check_path: NotRequired[str]
    """Path the load balancer requests on each target to check its health; must start with `/`.
    Default: `"/healthz"`. Example: `"/status"`."""
    health_check_matcher: NotRequired[str]
    """HTTP status codes of a healthy response, 200 to 499: a comma-separated list or one range.
    Default: `"200-399"`. Example: `"200,204"`."""
    deregistration_delay_seconds: NotRequired[int]
    """Seconds a deregistered target keeps finishing in-flight requests before it is removed
    (0 to 3600). Default: `30` (AWS's own default of 300 slows every rolling deployment).
    Example: `5` for a development stack."""
    stickiness_duration_seconds: NotRequired[int]
    """Turns on load-balancer-cookie stickiness: seconds (1 to 604800) a client keeps being sent
    to the same target. Default: off. Example: `86400`."""
    not_found_path_patterns: NotRequired[Sequence[str]]
    """Path patterns the serving listener answers with a plain-text 404 instead of forwarding,
    evaluated before any other rule. ALB syntax: up to 128 characters, `*` and `?` wildcards;
    compared case-sensitively with the path only (not the query string). This is routing, not
    authorization: the client chooses how it spells the path, so a backend must still not trust
    a request because its path falls under these patterns. Default: `[]`.
    Example: `["/api", "/api/*"]`, to keep an API off this load balancer."""
    not_found_path_regexes: NotRequired[Sequence[str]]
    """Regular expressions (ALB regex syntax: no lookarounds, backreferences, atomic groups,
    possessive quantifiers or Unicode classes; at most 128 characters) for more paths the serving
    listener answers with a 404, one rule each, after the `not_found_path_patterns` rules. For
    what wildcards cannot express, such as the percent-encoded spellings of a prefix, which a
    backend that decodes the path would otherwise serve. Default: `[]`. Example:
    `["^/+(a|%61)(p|%70)(i|%69)(/|%2[Ff]|$)"]` (`/api` however its letters are encoded)."""
    domain_name: NotRequired[str]
    """Custom domain served over HTTPS: adds a DNS-validated ACM certificate, an HTTPS listener,
    an HTTP-to-HTTPS redirect and an alias record. At most 64 characters, dots included (ACM's limit
    for a certificate's first name); an internationalised name in its punycode form (`xn--...`).
    Requires `hosted_zone_id`. Default: none (plain HTTP on the load balancer's DNS name).
    Example: `"app.example.com"`."""
    hosted_zone_id: NotRequired[pulumi.Input[str]]
    """Route 53 public hosted zone that serves `domain_name`; the certificate's validation record
    and the alias record go there. Required with `domain_name`. Default: none.
    Example: `"Z0123456789ABCDEFGHIJ"`."""
    alias_record: NotRequired[bool]
    """With `domain_name`, whether to create the alias A record that points the domain at the load
    balancer. Turn it off for a name that only has to match the certificate, such as an internal
    load balancer an API Gateway VPC link reaches by listener ARN (an alias would publish its
    private addresses). Only with `domain_name`. Default: `true`. Example: `false`."""
    access_log_bucket: NotRequired[pulumi.Input[str]]
    """S3 bucket the load balancer writes access logs to (ELB.5): in the same Region, SSE-S3
    encrypted, with a policy that lets ELB log delivery write under `access_log_prefix`, such as an
    AccessLogBucket's `bucket_name`. Default: none (access logs off).
    Example: an AccessLogBucket's `bucket_name`."""
    access_log_prefix: NotRequired[str]
    """Key prefix of this load balancer's access logs in `access_log_bucket` (ELB appends
    `/AWSLogs/<account>/...`): letters, digits, `_`, `.`, `-` in `/`-separated segments, without
    "AWSLogs". Only with `access_log_bucket`. Default: the component's name. Example: `"web"`."""
    web_acl: NotRequired[bool]
    """Put an AWS WAF web ACL in front of the load balancer: a per-IP rate limit and the AWS managed
    rule groups for IP reputation, known bad inputs and common web exploits (see the Cost section).
    Default: `false`. Example: `true` for an internet-facing load balancer on production."""
    web_acl_rate_limit: NotRequired[int]
    """Requests one client IP may send in any 5 minutes before the web ACL blocks it, 10 to
    2,000,000,000. Only with `web_acl`. Default: `2000`. Example: `500`."""
    deletion_protection: NotRequired[bool]
    """Whether AWS refuses to delete the load balancer (ELB.6). Default: `false`.
    Example: `true` on a production stack."""
    idle_timeout_seconds: NotRequired[int]
    """Seconds a connection may stay idle before the load balancer closes it (1 to 4000).
    Default: `60`. Example: `120`."""
    tags: NotRequired[Mapping[str, pulumi.Input[str]]]
    """Tags for every taggable resource created, on top of the provider's default tags.
    Default: `{}`. Example: `{"team": "web"}`."""


@dataclass(frozen=True)
class _Plan:
    """The arguments, checked and with defaults applied."""

    vpc_id: pulumi.Input[str]
    subnet_ids: pulumi.Input[Sequence[pulumi.Input[str]]]
    internal: bool
    target_port: int
    ingress_cidr_blocks: tuple[str, ...]
    health_check_path: str
    health_check_matcher: str
    deregistration_delay_seconds: int
    stickiness_duration_seconds: int | None
    not_found_rules: tuple[tuple[str, ...], ...]
    not_found_regexes: tuple[str, ...]
    domain_name: str | None
    hosted_zone_id: pulumi.Input[str] | None
    alias_record: bool
    access_log_bucket: pulumi.Input[str] | None
    access_log_prefix: str
    web_acl: bool
    web_acl_rate_limit: int
    deletion_protection: bool
    idle_timeout_seconds: int
    tags: dict[str, pulumi.Input[str]]


class ApplicationLoadBalancer(pulumi.ComponentResource):
    """An Application Load Balancer forwarding HTTP(S) to one target group of `ip` targets.

    Built for Fargate services (awsvpc networking registers tasks by IP address). Other
    components connect to it through its `security_group_id`: the group admits only
    `ingress_cidr_blocks` on the listener ports and has no egress rules (the AWS provider removes
    the allow-all egress AWS adds to a new group). What the load balancer forwards to (a
    FargateService, through its `load_balancers`) and what calls an internal load balancer (an
    AuthenticatedHttpApi's VPC link) open the connection themselves, adding the egress rule on one
    group and the matching ingress rule on the other. All rules are separate
    `vpc.SecurityGroupIngressRule` and `vpc.SecurityGroupEgressRule` resources, never inline.

    Hand the next component the values that describe this load balancer's ports together with its
    ARNs: `target_group_arn` with `target_port` to a FargateService, `listener_arn` with
    `listener_port` to an AuthenticatedHttpApi. Each checks them, so a port mismatch fails the
    deployment instead of opening a port nothing listens on.

    Resources:

    * `ec2.SecurityGroup` `<name>-sg`, with one `vpc.SecurityGroupIngressRule`
      `<name>-ingress-<port>-<cidr>` (the CIDR's `/` written `-`) per listener port and allowed
      CIDR block.
    * `lb.LoadBalancer` `<name>-alb`: type `application`, IPv4, invalid header fields dropped
      (ELB.4), desync mitigation `defensive` (ELB.12), deletion protection as asked (ELB.6),
      access logs to `access_log_bucket` under `access_log_prefix` when a bucket is given (ELB.5).
    * `lb.TargetGroup` `<name>-tg`: `ip` targets, HTTP on `target_port`, health checks every
      15 s with a 5 s timeout, healthy after 2 passes, unhealthy after 3 failures;
      load-balancer-cookie stickiness only when asked (otherwise explicitly disabled).
    * `lb.Listener` `<name>-http` on port 80: forwards to the target group, or, with a domain,
      redirects to HTTPS with a 301 (ELB.1).
    * With `domain_name`: `acm.Certificate` `<name>-cert` validated by DNS, its validation
      CNAME `route53.Record` `<name>-validation`, `acm.CertificateValidation`
      `<name>-cert-validation` (which waits until ACM issues the certificate), `lb.Listener`
      `<name>-https` on port 443 with the validated certificate and the TLS policy
      `ELBSecurityPolicy-TLS13-1-2-2021-06`, and (unless `alias_record` is `false`) an alias A
      `route53.Record` `<name>-alias` pointing the domain at the load balancer (evaluating target
      health).
    * With `web_acl`: `wafv2.WebAcl` `<name>-waf` (REGIONAL, default action allow) whose rules are,
      in order, `rate-limit` (blocks a client IP above `web_acl_rate_limit` requests per 5 minutes)
      and the AWS managed rule groups `AWSManagedRulesAmazonIpReputationList`,
      `AWSManagedRulesKnownBadInputsRuleSet` and `AWSManagedRulesCommonRuleSet` with their own
      actions; CloudWatch metrics and sampled requests on for the ACL and every rule; and
      `wafv2.WebAclAssociation` `<name>-waf-association` attaching it to the load balancer.
    * One `lb.ListenerRule` `<name>-not-found-<n>` per group of at most five
      `not_found_path_patterns` (and at most five wildcards, the ALB's per-rule quotas), then
      one per `not_found_path_regexes` entry, on the serving listener at priorities 1 to n,
      answering `404 Not Found` in text/plain.

    Defaults: internet-facing load balancers admit 0.0.0.0/0, internal ones nothing; health
    check `/healthz` expecting 200-399; deregistration delay 30 s; idle timeout 60 s; no
    stickiness; no deletion protection; no 404 rules; plain HTTP (no domain); an alias record
    with a domain; no access logs; no web ACL; no extra tags.

    Names: the load balancer, target group and security group are auto-named
    (`<name>-alb-1a2b3c4`), which keeps Pulumi's create-before-replace working for changes
    AWS can only make by replacement; it is why the component's name is limited to 20 letters,
    digits and hyphens (load balancer and target group names stop at 32 characters).

    Cost (us-west-2, on-demand): $0.0225 per load balancer-hour ($16.43 a month) plus
    $0.008 per LCU-hour, an LCU being the largest of 25 new connections/s, 3,000 active
    connections/min, 1 GB/h processed or 1,000 rule evaluations/s, so traffic drives it;
    a quiet app uses well under 1 LCU (under $6 a month). An internet-facing load balancer
    also holds one public IPv4 address per availability zone at $0.005 an hour each (about
    $3.65 a month per zone). The ACM certificate, its validation record and alias queries
    to the load balancer are free; the hosted zone itself is not created here. Data
    transfer out to the internet is billed at EC2 rates. Access logs cost only their S3
    storage (see AccessLogBucket). The web ACL costs $5.00 a month plus $1.00 per rule or rule
    group (four here: $9.00 a month) and $0.60 per million requests it inspects; the three AWS
    managed groups carry no subscription fee, and the four rules use 927 of the 1,500 capacity
    units (WCUs) included in that price.
    """

    load_balancer_arn: pulumi.Output[str]
    """ARN of the load balancer."""
    load_balancer_arn_suffix: pulumi.Output[str]
    """The end of the load balancer's ARN, `app/<name>/<id>`: the `LoadBalancer` dimension of its
    CloudWatch metrics (alarms on 5XX counts or response times)."""
    dns_name: pulumi.Output[str]
    """DNS name AWS gives the load balancer, e.g. `web-alb-1a2b3c4-123.us-west-2.elb.amazonaws.com`."""
    zone_id: pulumi.Output[str]
    """Route 53 hosted zone id of the load balancer's DNS name, for alias records."""
    security_group_id: pulumi.Output[str]
    """The load balancer's security group: add ingress from clients and egress to targets here."""
    target_group_arn: pulumi.Output[str]
    """ARN of the target group; register the service's tasks here."""
    target_group_arn_suffix: pulumi.Output[str]
    """The end of the target group's ARN, `targetgroup/<name>/<id>`: the `TargetGroup` dimension of
    its CloudWatch metrics (alarms on unhealthy hosts)."""
    target_port: pulumi.Output[int]
    """The port the target group forwards to, `target_port` as given: give it to a FargateService
    with the target group (its `load_balancers` entry's `target_port`), which checks it against its
    `container_port`."""
    listener_arn: pulumi.Output[str]
    """ARN of the listener that serves traffic (HTTPS with a domain, else HTTP). Resolves once
    the 404 rules are attached, so a service registered through it never receives requests
    those rules should have stopped; integrate API Gateway VPC links with this ARN."""
    listener_port: pulumi.Output[int]
    """Port of the listener `listener_arn` names: 443 with `domain_name`, else 80. Give it to an
    AuthenticatedHttpApi with the listener ARN (its `listener_port`): the VPC link may reach the
    load balancer on this port only."""
    http_listener_arn: pulumi.Output[str]
    """ARN of the port 80 listener (the HTTPS redirect when a domain is set)."""
    https_listener_arn: pulumi.Output[str | None]
    """ARN of the port 443 listener with `domain_name`; none without a domain."""
    url: pulumi.Output[str]
    """Base URL of the app: `https://<domain_name>` or `http://<dns_name>`."""
    certificate_arn: pulumi.Output[str | None]
    """ARN of the validated ACM certificate; none without a domain."""
    web_acl_arn: pulumi.Output[str | None]
    """ARN of the WAF web ACL in front of the load balancer; none without `web_acl`."""

    def __init__(
        self, name: str, args: ApplicationLoadBalancerArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        plan = _plan(name, args)
        super().__init__(f"papyrus:index:{COMPONENT}", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)

        security_group = ec2.SecurityGroup(
            f"{name}-sg",
            vpc_id=plan.vpc_id,
            description=f"Application load balancer {name}",
            tags=plan.tags,
            opts=child,
        )
        load_balancer = lb.LoadBalancer(
            f"{name}-alb",
            load_balancer_type="application",
            internal=plan.internal,
            ip_address_type="ipv4",
            subnets=plan.subnet_ids,
            security_groups=[security_group.id],
            drop_invalid_header_fields=True,
            desync_mitigation_mode="defensive",
            enable_deletion_protection=plan.deletion_protection,
            idle_timeout=plan.idle_timeout_seconds,
            access_logs=None
            if plan.access_log_bucket is None
            else {"bucket": plan.access_log_bucket, "prefix": plan.access_log_prefix, "enabled": True},
            tags=plan.tags,
            opts=child,
        )
        web_acl = _web_acl(name, plan, load_balancer, child) if plan.web_acl else None
        target_group = _target_group(name, plan, child)
        listeners = _listeners(name, plan, load_balancer, target_group, child)
        _ingress_rules(name, security_group, listeners.ports, plan, child)
        rules = _not_found_rules(name, listeners.serving, plan, child)

        self.load_balancer_arn = load_balancer.arn
        self.load_balancer_arn_suffix = load_balancer.arn_suffix
        self.dns_name = load_balancer.dns_name
        self.zone_id = load_balancer.zone_id
        self.security_group_id = security_group.id
        self.target_group_arn = target_group.arn
        self.target_group_arn_suffix = target_group.arn_suffix
        self.target_port = pulumi.Output.from_input(plan.target_port)
        self.listener_arn = after(listeners.serving.arn, *(rule.arn for rule in rules))
        self.listener_port = pulumi.Output.from_input(listeners.ports[-1])
        self.http_listener_arn = listeners.http.arn
        self.https_listener_arn = (
            pulumi.Output.from_input(None) if listeners.serving is listeners.http else listeners.serving.arn
        )
        self.url = listeners.url
        self.certificate_arn = listeners.certificate_arn
        self.web_acl_arn = pulumi.Output.from_input(None) if web_acl is None else web_acl.arn
        self.register_outputs(
            {
                "load_balancer_arn": self.load_balancer_arn,
                "load_balancer_arn_suffix": self.load_balancer_arn_suffix,
                "dns_name": self.dns_name,
                "zone_id": self.zone_id,
                "security_group_id": self.security_group_id,
                "target_group_arn": self.target_group_arn,
                "target_group_arn_suffix": self.target_group_arn_suffix,
                "target_port": self.target_port,
                "listener_arn": self.listener_arn,
                "listener_port": self.listener_port,
                "http_listener_arn": self.http_listener_arn,
                "https_listener_arn": self.https_listener_arn,
                "url": self.url,
                "certificate_arn": self.certificate_arn,
                "web_acl_arn": self.web_acl_arn,
            }
        )


# ---- children ----------------------------------------------------------------------------


class _Listeners(NamedTuple):
    http: lb.Listener
    serving: lb.Listener
    """The listener requests are answered on: HTTPS with a domain, else the HTTP one."""
    ports: list[int]
    """The listeners' ports; the serving listener's is the last."""
    url: pulumi.Output[str]
    certificate_arn: pulumi.Output[str | None]


def _listeners(
    name: str,
    plan: _Plan,
    load_balancer: lb.LoadBalancer,
    target_group: lb.TargetGroup,
    opts: pulumi.ResourceOptions,
) -> _Listeners:
    forward = lb.ListenerDefaultActionArgs(type="forward", target_group_arn=target_group.arn)
    # Validation guarantees both or neither; testing both narrows the types.
    if plan.domain_name is None or plan.hosted_zone_id is None:
        http = _http_listener(name, load_balancer, forward, tags=plan.tags, opts=opts)
        url = pulumi.Output.concat("http://", load_balancer.dns_name)
        return _Listeners(http, http, [HTTP_PORT], url, pulumi.Output.from_input(None))

    redirect = lb.ListenerDefaultActionArgs(
        type="redirect",
        redirect=lb.ListenerDefaultActionRedirectArgs(protocol="HTTPS", port=str(HTTPS_PORT), status_code="HTTP_301"),
    )
    http = _http_listener(name, load_balancer, redirect, tags=plan.tags, opts=opts)
    certificate_arn = _validated_certificate(name, plan.domain_name, plan.hosted_zone_id, plan.tags, opts)
    https = _https_listener(name, load_balancer, certificate_arn, forward, tags=plan.tags, opts=opts)
    if plan.alias_record:
        _alias_record(name, plan.domain_name, plan.hosted_zone_id, load_balancer, opts)
    url = pulumi.Output.from_input(f"https://{plan.domain_name}")
    return _Listeners(http, https, [HTTP_PORT, HTTPS_PORT], url, certificate_arn)


def _web_acl(name: str, plan: _Plan, load_balancer: lb.LoadBalancer, opts: pulumi.ResourceOptions) -> "wafv2.WebAcl":
    # Imported here: the WAF SDK takes over a second to import, and most load balancers have no web ACL.
    from pulumi_aws import wafv2  # noqa: PLC0415

    acl = wafv2.WebAcl(
        f"{name}-waf",
        scope="REGIONAL",
        description=f"Rate limit and AWS managed rules in front of load balancer {name}",
        default_action={"allow": {}},
        rules=waf.web_acl_rules(f"{name}-waf", plan.web_acl_rate_limit),
        visibility_config=waf.visibility(f"{name}-waf"),
        tags=plan.tags,
        opts=opts,
    )
    wafv2.WebAclAssociation(
        f"{name}-waf-association",
        resource_arn=load_balancer.arn,
        web_acl_arn=acl.arn,
        opts=opts,
    )
    return acl


def _target_group(name: str, plan: _Plan, opts: pulumi.ResourceOptions) -> lb.TargetGroup:
    # Stickiness is always stated: dropping the block would leave it on in AWS after it was on.
    if plan.stickiness_duration_seconds is None:
        stickiness = lb.TargetGroupStickinessArgs(type="lb_cookie", enabled=False)
    else:
        stickiness = lb.TargetGroupStickinessArgs(
            type="lb_cookie", enabled=True, cookie_duration=plan.stickiness_duration_seconds
        )
    return lb.TargetGroup(
        f"{name}-tg",
        vpc_id=plan.vpc_id,
        target_type="ip",
        port=plan.target_port,
        protocol="HTTP",
        deregistration_delay=plan.deregistration_delay_seconds,
        health_check=lb.TargetGroupHealthCheckArgs(
            enabled=True,
            protocol="HTTP",
            port="traffic-port",
            path=plan.health_check_path,
            matcher=plan.health_check_matcher,
            interval=HEALTH_CHECK_INTERVAL_SECONDS,
            timeout=HEALTH_CHECK_TIMEOUT_SECONDS,
            healthy_threshold=HEALTHY_THRESHOLD,
            unhealthy_threshold=UNHEALTHY_THRESHOLD,
        ),
        stickiness=stickiness,
        tags=plan.tags,
        opts=opts,
    )


def _http_listener(
    name: str,
    load_balancer: lb.LoadBalancer,
    action: lb.ListenerDefaultActionArgs,
    *,
    tags: Mapping[str, pulumi.Input[str]],
    opts: pulumi.ResourceOptions,
) -> lb.Listener:
    return lb.Listener(
        f"{name}-http",
        load_balancer_arn=load_balancer.arn,
        port=HTTP_PORT,
        protocol="HTTP",
        default_actions=[action],
        tags=tags,
        opts=opts,
    )


def _https_listener(
    name: str,
    load_balancer: lb.LoadBalancer,
    certificate_arn: pulumi.Output[str | None],
    action: lb.ListenerDefaultActionArgs,
    *,
    tags: Mapping[str, pulumi.Input[str]],
    opts: pulumi.ResourceOptions,
) -> lb.Listener:
    return lb.Listener(
        f"{name}-https",
        load_balancer_arn=load_balancer.arn,
        port=HTTPS_PORT,
        protocol="HTTPS",
        ssl_policy=TLS_POLICY,
        certificate_arn=certificate_arn,
        default_actions=[action],
        tags=tags,
        opts=opts,
    )


def _validated_certificate(
    name: str,
    domain_name: str,
    zone_id: pulumi.Input[str],
    tags: Mapping[str, pulumi.Input[str]],
    opts: pulumi.ResourceOptions,
) -> pulumi.Output[str | None]:
    """The certificate's ARN, known only once ACM has issued it."""
    certificate = acm.Certificate(
        f"{name}-cert", domain_name=domain_name, validation_method="DNS", tags=tags, opts=opts
    )
    # One domain name, so exactly one validation option; each field is read with apply, and
    # the record itself is declared here, never inside an apply.
    option = certificate.domain_validation_options.apply(lambda options: options[0])
    record = route53.Record(
        f"{name}-validation",
        zone_id=zone_id,
        name=option.apply(lambda o: _present(o.resource_record_name, "resource_record_name")),
        type=option.apply(lambda o: _present(o.resource_record_type, "resource_record_type")),
        records=[option.apply(lambda o: _present(o.resource_record_value, "resource_record_value"))],
        ttl=300,
        # ACM gives every certificate for a domain in an account the same validation record,
        # so a replacement certificate finds its record already there.
        allow_overwrite=True,
        opts=opts,
    )
    validation = acm.CertificateValidation(
        f"{name}-cert-validation",
        certificate_arn=certificate.arn,
        validation_record_fqdns=[record.fqdn],
        opts=opts,
    )
    validated: pulumi.Output[str | None] = validation.certificate_arn
    return validated


def _present(value: str | None, field: str) -> str:
    if not value:
        raise ValueError(f"ACM returned a domain validation option without {field}")
    return value


def _alias_record(
    name: str,
    domain_name: str,
    zone_id: pulumi.Input[str],
    load_balancer: lb.LoadBalancer,
    opts: pulumi.ResourceOptions,
) -> route53.Record:
    return route53.Record(
        f"{name}-alias",
        zone_id=zone_id,
        name=domain_name,
        type="A",
        aliases=[
            route53.RecordAliasArgs(
                name=load_balancer.dns_name, zone_id=load_balancer.zone_id, evaluate_target_health=True
            )
        ],
        opts=opts,
    )


def _ingress_rules(
    name: str, security_group: ec2.SecurityGroup, ports: Sequence[int], plan: _Plan, opts: pulumi.ResourceOptions
) -> list[vpc.SecurityGroupIngressRule]:
    # Named after the CIDR rather than its position, so removing one block leaves the others alone.
    return [
        vpc.SecurityGroupIngressRule(
            f"{name}-ingress-{port}-{cidr.replace('/', '-')}",
            security_group_id=security_group.id,
            ip_protocol="tcp",
            from_port=port,
            to_port=port,
            cidr_ipv4=cidr,
            description=f"{'HTTPS' if port == HTTPS_PORT else 'HTTP'} from {cidr}",
            tags=plan.tags,
            opts=opts,
        )
        for port in ports
        for cidr in plan.ingress_cidr_blocks
    ]


def _not_found_rules(
    name: str, listener: lb.Listener, plan: _Plan, opts: pulumi.ResourceOptions
) -> list[lb.ListenerRule]:
    # Priorities from 1: the block is a security boundary and must win over any rule a caller adds.
    conditions = [lb.ListenerRuleConditionPathPatternArgs(values=list(group)) for group in plan.not_found_rules]
    conditions += [lb.ListenerRuleConditionPathPatternArgs(regex_values=[regex]) for regex in plan.not_found_regexes]
    return [
        lb.ListenerRule(
            f"{name}-not-found-{priority}",
            listener_arn=listener.arn,
            priority=priority,
            conditions=[lb.ListenerRuleConditionArgs(path_pattern=condition)],
            actions=[
                lb.ListenerRuleActionArgs(
                    type="fixed-response",
                    fixed_response=lb.ListenerRuleActionFixedResponseArgs(
                        content_type="text/plain", message_body="Not Found", status_code="404"
                    ),
                )
            ],
            tags=plan.tags,
            opts=opts,
        )
        for priority, condition in enumerate(conditions, start=1)
    ]


# ---- validation -----------------------------------------------------------------------------


def _plan(name: str, args: ApplicationLoadBalancerArgs) -> _Plan:
    """Check every argument and apply the defaults, before anything is registered."""
    at = check.where(COMPONENT, name)
    _check_name(at, name)
    raw = check.typed_dict(at, "args", args, ApplicationLoadBalancerArgs)

    # Required keys are present and not None from here on: typed_dict rejects the rest.
    internal = check.boolean(at, "internal", raw["internal"])
    domain_name, hosted_zone_id = _domain(at, raw.get("domain_name", None), raw.get("hosted_zone_id", None))
    stickiness = raw.get("stickiness_duration_seconds", None)
    alias_record = check.boolean(at, "alias_record", _only_with(at, raw, "alias_record", "domain_name", True))
    access_log_bucket = raw.get("access_log_bucket", None)
    if access_log_bucket is not None:
        access_log_bucket = check.when_known(
            access_log_bucket,
            lambda bucket: check.text(
                at,
                "access_log_bucket",
                bucket,
                pattern=_BUCKET_NAME,
                expected="an S3 bucket name: 3 to 63 lower-case letters, digits, '.' and '-'",
            ),
        )
    prefix = log_prefix(at, "access_log_prefix", _only_with(at, raw, "access_log_prefix", "access_log_bucket", name))
    web_acl = check.boolean(at, "web_acl", raw.get("web_acl", False))
    rate = waf.rate_limit(
        at, "web_acl_rate_limit", _only_with(at, raw, "web_acl_rate_limit", "web_acl", waf.DEFAULT_RATE_LIMIT)
    )
    return _Plan(
        vpc_id=check.aws_id(at, "vpc_id", raw["vpc_id"], "vpc"),
        subnet_ids=_subnet_ids(at, raw["subnet_ids"]),
        internal=internal,
        target_port=check.integer(at, "target_port", raw["target_port"], minimum=1, maximum=65535),
        ingress_cidr_blocks=_cidr_blocks(at, raw.get("ingress_cidr_blocks", [] if internal else ["0.0.0.0/0"])),
        health_check_path=check.text(
            at,
            "health_check_path",
            raw.get("health_check_path", DEFAULT_HEALTH_CHECK_PATH),
            pattern=_HEALTH_CHECK_PATH.pattern,
            expected="a path starting with / of at most 1024 printable characters without spaces, such as /healthz",
        ),
        health_check_matcher=status_matcher(
            at, "health_check_matcher", raw.get("health_check_matcher", DEFAULT_HEALTH_CHECK_MATCHER)
        ),
        deregistration_delay_seconds=check.integer(
            at,
            "deregistration_delay_seconds",
            raw.get("deregistration_delay_seconds", DEFAULT_DEREGISTRATION_DELAY_SECONDS),
            minimum=0,
            maximum=3600,
        ),
        stickiness_duration_seconds=None
        if stickiness is None
        else check.integer(at, "stickiness_duration_seconds", stickiness, minimum=1, maximum=604800),
        not_found_rules=rule_groups(
            path_patterns(at, "not_found_path_patterns", raw.get("not_found_path_patterns", []))
        ),
        not_found_regexes=path_regexes(at, "not_found_path_regexes", raw.get("not_found_path_regexes", [])),
        domain_name=domain_name,
        hosted_zone_id=hosted_zone_id,
        alias_record=alias_record,
        access_log_bucket=access_log_bucket,
        access_log_prefix=prefix,
        web_acl=web_acl,
        web_acl_rate_limit=rate,
        deletion_protection=check.boolean(at, "deletion_protection", raw.get("deletion_protection", False)),
        idle_timeout_seconds=check.integer(
            at,
            "idle_timeout_seconds",
            raw.get("idle_timeout_seconds", DEFAULT_IDLE_TIMEOUT_SECONDS),
            minimum=1,
            maximum=4000,
        ),
        tags=check.tags(at, "tags", raw.get("tags", {})),
    )


def _only_with(at: str, raw: Mapping[str, Any], key: str, needs: str, default: Any) -> Any:
    """`raw[key]`, refused when the argument it refines is unset or off; else `default`."""
    if key not in raw:
        return default
    if not raw.get(needs):
        raise InvalidArgumentError(at, key, raw[key], f"no value unless {needs} is set")
    return raw[key]


def _check_name(at: str, name: str) -> None:
    expected = (
        f"a component name of 1 to {MAX_NAME_LENGTH} letters, digits and hyphens, not starting or ending "
        "with a hyphen, and neither internal nor sg nor starting with internal- or sg- (AWS reserves "
        "those prefixes in load balancer and security group names, which derive from it), such as web"
    )
    if not isinstance(name, str) or len(name) > MAX_NAME_LENGTH or not _NAME.fullmatch(name):
        raise InvalidArgumentError(at, "name", name, expected)
    if f"{name}-alb".startswith("internal-") or f"{name}-sg".startswith("sg-"):
        raise InvalidArgumentError(at, "name", name, expected)


def _subnet_ids(at: str, value: Any) -> pulumi.Input[Sequence[pulumi.Input[str]]]:
    """At least two distinct subnets; counted now when the list is plain, else once it resolves."""

    def checked(subnets: Any) -> list[Any]:
        expected = "at least two subnet ids in different availability zones (ELB.13), such as subnet-0123456789abcdef0"
        if isinstance(subnets, str) or not isinstance(subnets, Sequence) or len(subnets) < 2:
            raise InvalidArgumentError(at, "subnet_ids", subnets, expected)
        plain = [check.aws_id(at, "subnet_ids", s, "subnet") for s in subnets if not isinstance(s, pulumi.Output)]
        if len(set(plain)) < len(plain):
            raise InvalidArgumentError(at, "subnet_ids", subnets, expected)
        return list(subnets)

    result: pulumi.Input[Sequence[pulumi.Input[str]]] = check.when_known(value, checked)
    return result


def _cidr_blocks(at: str, value: Any) -> tuple[str, ...]:
    check.known(at, "ingress_cidr_blocks", value)
    if isinstance(value, str) or not isinstance(value, Sequence):
        raise InvalidArgumentError(
            at, "ingress_cidr_blocks", value, "a list of IPv4 CIDR blocks, such as ['0.0.0.0/0']"
        )
    blocks = tuple(str(check.ipv4_network(at, "ingress_cidr_blocks", v, min_prefix=0, max_prefix=32)) for v in value)
    if len(set(blocks)) < len(blocks):
        raise InvalidArgumentError(at, "ingress_cidr_blocks", value, "distinct IPv4 CIDR blocks")
    return blocks


def _domain(at: str, domain: Any, zone: Any) -> tuple[str | None, pulumi.Input[str] | None]:
    if domain is not None:
        check.certificate_domain(at, "domain_name", domain)
    if zone is not None:
        zone = check.when_known(
            zone,
            lambda z: check.text(
                at,
                "hosted_zone_id",
                z,
                pattern=_HOSTED_ZONE_ID,
                expected="a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ",
            ),
        )
    if domain is not None and zone is None:
        raise InvalidArgumentError(
            at, "hosted_zone_id", None, f"the id of the public hosted zone that serves domain_name={domain!r}"
        )
    if zone is not None and domain is None:
        raise InvalidArgumentError(at, "domain_name", None, "the domain to serve from hosted_zone_id")
    return domain, zone


# ---- pure rules, public for reuse and property tests -----------------------------------------


def status_matcher(at: str, key: str, value: Any) -> str:
    """An ALB health check matcher: HTTP codes 200-499, as `200,202` or as one range `200-299`."""
    expected = "HTTP status codes from 200 to 499: a comma-separated list (200,204) or one range (200-399)"
    check.known(at, key, value)
    if not isinstance(value, str):
        raise InvalidArgumentError(at, key, value, expected)
    parts = value.split("-")
    codes = parts if len(parts) == 2 else value.split(",")
    if not all(_STATUS_CODE.fullmatch(c) and 200 <= int(c) <= 499 for c in codes):
        raise InvalidArgumentError(at, key, value, expected)
    numbers = [int(c) for c in codes]
    if len(parts) == 2 and numbers[0] >= numbers[1]:
        raise InvalidArgumentError(at, key, value, expected + "; a range runs from low to high")
    if len(set(numbers)) < len(numbers):
        raise InvalidArgumentError(at, key, value, expected + " without repeats")
    return value


def path_patterns(at: str, key: str, value: Any) -> tuple[str, ...]:
    """Distinct ALB path patterns, each able to fit in a listener rule."""
    expected = (
        "a list of distinct ALB path patterns: each starts with / (or a wildcard), has at most 128 "
        "characters from A-Z a-z 0-9 _ - . $ / ~ \" ' @ : + & and at most "
        f"{MAX_WILDCARDS_PER_RULE} wildcards (* or ?), such as /api/*"
    )
    check.known(at, key, value)
    if isinstance(value, str) or not isinstance(value, Sequence):
        raise InvalidArgumentError(at, key, value, expected)
    for pattern in value:
        if (
            not isinstance(pattern, str)
            or not _PATH_PATTERN.fullmatch(pattern)
            or wildcards(pattern) > MAX_WILDCARDS_PER_RULE
        ):
            raise InvalidArgumentError(at, key, pattern, expected)
    if len(set(value)) < len(value):
        raise InvalidArgumentError(at, key, value, expected)
    return tuple(value)


# Regex features ALB rule conditions do not support.
_UNSUPPORTED_REGEX = re.compile(r"\(\?[=!<>P]|\\[1-9]|\\[pP]\{|[*+?}]\+")


def path_regexes(at: str, key: str, value: Any) -> tuple[str, ...]:
    """Distinct regular expressions an ALB path condition accepts."""
    expected = (
        "a list of distinct regular expressions of at most 128 characters without lookarounds, "
        "backreferences, atomic groups, possessive quantifiers or Unicode classes, such as ^/+api(/|$)"
    )
    check.known(at, key, value)
    if isinstance(value, str) or not isinstance(value, Sequence) or len(set(value)) < len(value):
        raise InvalidArgumentError(at, key, value, expected)
    for regex in value:
        if not isinstance(regex, str) or not 0 < len(regex) <= 128 or _UNSUPPORTED_REGEX.search(regex):
            raise InvalidArgumentError(at, key, regex, expected)
        try:
            re.compile(regex)
        except re.error:
            raise InvalidArgumentError(at, key, regex, expected) from None
    return tuple(value)


def wildcards(pattern: str) -> int:
    return pattern.count("*") + pattern.count("?")


def rule_groups(patterns: Sequence[str]) -> tuple[tuple[str, ...], ...]:
    """Split patterns, in order, into as few listener rules as the per-rule quotas allow.

    A rule takes at most five condition values and five wildcards. Filling each rule before
    starting the next is optimal for an order-preserving split.
    """
    groups: list[list[str]] = []
    for pattern in patterns:
        current = groups[-1] if groups else None
        if (
            current is None
            or len(current) == MAX_PATTERNS_PER_RULE
            or sum(map(wildcards, current)) + wildcards(pattern) > MAX_WILDCARDS_PER_RULE
        ):
            groups.append([pattern])
        else:
            current.append(pattern)
    return tuple(tuple(group) for group in groups)
