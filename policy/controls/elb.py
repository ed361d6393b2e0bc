"""Elastic Load Balancing controls: ELB.1, ELB.4, ELB.5, ELB.6, ELB.12, ELB.13.

pulumi-aws has two tokens for the same v2 load balancer resources (`aws:lb/...` and the older
`aws:alb/...` alias); both are checked. `loadBalancerType` defaults to `application`.
"""

from collections.abc import Iterator, Mapping
from typing import Any

from pulumi_policy import PolicyResource, ResourceValidationArgs, StackValidationArgs

from .core import Policy, resource_policy, stack_policy
from .props import UNKNOWN, as_bool, as_int, as_list, get, known
from .stack import referrers, refers_to, resources_of

LOAD_BALANCER_TYPES = ("aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer")
CLASSIC_LOAD_BALANCER = "aws:elb/loadBalancer:LoadBalancer"
LISTENER_TYPES = ("aws:lb/listener:Listener", "aws:alb/listener:Listener")
LISTENER_RULE_TYPES = ("aws:lb/listenerRule:ListenerRule", "aws:alb/listenerRule:ListenerRule")

APPLICATION = "application"
DESYNC_MODES = ("defensive", "strictest")


def kind(props: Mapping[str, Any]) -> str:
    """`application`, `network` or `gateway` (the provider's default is application)."""
    return str(get(props, "loadBalancerType", default=APPLICATION))


def internet_facing(props: Mapping[str, Any]) -> bool:
    """Load balancers are internet-facing unless `internal` is set."""
    return not as_bool(get(props, "internal"), default=False)


def _listener_load_balancer(args: StackValidationArgs, listener: PolicyResource) -> PolicyResource | None:
    for lb in resources_of(args, LOAD_BALANCER_TYPES):
        if refers_to(listener, ("loadBalancerArn",), lb, ("id", "arn")):
            return lb
    return None


def _is_http_listener_of_alb(args: StackValidationArgs, listener: PolicyResource) -> bool:
    lb = _listener_load_balancer(args, listener)
    if lb is not None:
        on_alb: bool | None = kind(lb.props) == APPLICATION
    else:
        arn = known(listener.props, "loadBalancerArn")
        on_alb = (":loadbalancer/app/" in arn) if isinstance(arn, str) else None
    protocol = known(listener.props, "protocol")
    if protocol is UNKNOWN:
        return False
    if protocol is None:
        # The provider defaults an ALB listener's protocol to HTTP.
        return on_alb is True
    return str(protocol).upper() == "HTTP"


def _redirects_to_https(action: Any) -> bool:
    return get(action, "type") == "redirect" and str(get(action, "redirect", "protocol", default="")).upper() == "HTTPS"


def _http_redirects_to_https(args: StackValidationArgs, _: Mapping[str, Any]) -> Iterator[tuple[PolicyResource, str]]:
    for listener in resources_of(args, LISTENER_TYPES):
        if not _is_http_listener_of_alb(args, listener):
            continue
        actions = as_list(known(listener.props, "defaultActions"))
        served = [str(get(a, "type")) for a in actions if get(a, "type") in ("forward", "fixed-response")]
        if served or not any(_redirects_to_https(a) for a in actions):
            what = f"answers with {served[0]}" if served else "does not redirect to HTTPS"
            yield listener, f"HTTP listener {what}: requests, cookies and tokens cross the network in clear text"
        for rule in referrers(args, LISTENER_RULE_TYPES, ("listenerArn",), listener, ("id", "arn")):
            if any(get(a, "type") == "forward" for a in as_list(known(rule.props, "actions"))):
                yield rule, f"rule on HTTP listener {listener.name} forwards instead of redirecting to HTTPS"


def _application(args: ResourceValidationArgs) -> bool:
    return kind(args.props) == APPLICATION


def _drop_invalid_headers(args: ResourceValidationArgs, _: Mapping[str, Any]) -> Iterator[str]:
    if _application(args) and not as_bool(get(args.props, "dropInvalidHeaderFields"), default=False):
        yield "dropInvalidHeaderFields is not true: headers that are not valid HTTP reach the targets"


def _access_logs(args: ResourceValidationArgs, _: Mapping[str, Any]) -> Iterator[str]:
    logs = get(args.props, "accessLogs")
    if args.resource_type == CLASSIC_LOAD_BALANCER:
        # A classic load balancer's access_logs block is enabled unless it says otherwise.
        if not get(logs, "bucket") or not as_bool(get(logs, "enabled"), default=True):
            yield "access logs are not enabled (accessLogs with a bucket)"
    elif _application(args) and not (get(logs, "bucket") and as_bool(get(logs, "enabled"), default=False)):
        yield "access logs are not enabled (accessLogs.enabled with a bucket)"


def _deletion_protection(args: ResourceValidationArgs, _: Mapping[str, Any]) -> Iterator[str]:
    if not as_bool(get(args.props, "enableDeletionProtection"), default=False):
        yield "enableDeletionProtection is not true: one mistaken change or destroy deletes the load balancer"


def _desync_mitigation(args: ResourceValidationArgs, _: Mapping[str, Any]) -> Iterator[str]:
    mode = str(get(args.props, "desyncMitigationMode", default="defensive"))
    if _application(args) and mode not in DESYNC_MODES:
        yield f"desyncMitigationMode is {mode!r}; it must be defensive or strictest"


def _multiple_zones(args: ResourceValidationArgs, config: Mapping[str, Any]) -> Iterator[str]:
    minimum = as_int(config.get("minAvailabilityZones")) or 2
    # One subnet per Availability Zone is all a load balancer accepts.
    count = len(as_list(get(args.props, "subnets"))) + len(as_list(get(args.props, "subnetMappings")))
    if count < minimum:
        yield f"spans {count} Availability Zone(s); at least {minimum} required"


POLICIES: list[Policy] = [
    stack_policy(
        name="elb-1-http-to-https-redirect",
        control="ELB.1",
        title="Application Load Balancer should be configured to redirect all HTTP requests to HTTPS",
        check=_http_redirects_to_https,
        remediation="Give the load balancer an HTTPS listener and make every HTTP listener's default action a "
        "redirect with protocol HTTPS; rules on HTTP listeners must not forward.",
    ),
    resource_policy(
        name="elb-4-drop-invalid-headers",
        control="ELB.4",
        title="Application Load Balancer should be configured to drop invalid HTTP headers",
        types=LOAD_BALANCER_TYPES,
        check=_drop_invalid_headers,
        remediation="Set dropInvalidHeaderFields to true.",
    ),
    resource_policy(
        name="elb-5-access-logs",
        control="ELB.5",
        title="Application and Classic Load Balancers logging should be enabled",
        types=(*LOAD_BALANCER_TYPES, CLASSIC_LOAD_BALANCER),
        check=_access_logs,
        remediation="Set accessLogs {bucket, enabled: true} with a bucket the regional log delivery can write to.",
    ),
    resource_policy(
        name="elb-6-deletion-protection",
        control="ELB.6",
        title="Application, Gateway, and Network Load Balancers should have deletion protection enabled",
        types=LOAD_BALANCER_TYPES,
        check=_deletion_protection,
        remediation="Set enableDeletionProtection to true.",
    ),
    resource_policy(
        name="elb-12-desync-mitigation",
        control="ELB.12",
        title="Application Load Balancer should be configured with defensive or strictest desync mitigation mode",
        types=LOAD_BALANCER_TYPES,
        check=_desync_mitigation,
        remediation="Leave desyncMitigationMode at its default (defensive) or set strictest.",
    ),
    resource_policy(
        name="elb-13-multiple-availability-zones",
        control="ELB.13",
        title="Application, Network and Gateway Load Balancers should span multiple Availability Zones",
        types=LOAD_BALANCER_TYPES,
        check=_multiple_zones,
        remediation="Give the load balancer subnets in at least two Availability Zones.",
        params={"minAvailabilityZones": {"type": "integer", "minimum": 1, "default": 2}},
    ),
]
