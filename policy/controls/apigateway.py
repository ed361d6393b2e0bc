"""API Gateway (v2: HTTP and WebSocket APIs) controls: APIGateway.8, APIGateway.9, and the
private-integration TLS check."""

from collections.abc import Iterator, Mapping
from typing import Any

from pulumi_policy import PolicyResource, ResourceValidationArgs, StackValidationArgs

from .core import CUSTOM, Policy, resource_policy, stack_policy
from .elb import LISTENER_TYPES
from .props import UNKNOWN, get, known
from .stack import refers_to, resources_of

ROUTE = "aws:apigatewayv2/route:Route"
STAGE = "aws:apigatewayv2/stage:Stage"
INTEGRATION = "aws:apigatewayv2/integration:Integration"

TLS_PROTOCOLS = ("HTTPS", "TLS")


def _route_authorized(args: ResourceValidationArgs, _: Mapping[str, Any]) -> Iterator[str]:
    authorization = str(get(args.props, "authorizationType", default="NONE"))
    if authorization.upper() == "NONE":
        route = get(args.props, "routeKey", default="?")
        yield f"route {route!r} has authorizationType NONE: anyone can call it"


def _stage_access_logs(args: ResourceValidationArgs, _: Mapping[str, Any]) -> Iterator[str]:
    settings = get(args.props, "accessLogSettings")
    if not get(settings, "destinationArn") or not get(settings, "format"):
        yield "accessLogSettings (destinationArn and format) is not configured"


def _private_integration_tls(args: StackValidationArgs, _: Mapping[str, Any]) -> Iterator[tuple[PolicyResource, str]]:
    listeners = resources_of(args, LISTENER_TYPES)
    for integration in resources_of(args, [INTEGRATION]):
        if str(known(integration.props, "connectionType", default="INTERNET")).upper() != "VPC_LINK":
            continue
        uri = known(integration.props, "integrationUri")
        target = next((lb for lb in listeners if refers_to(integration, ("integrationUri",), lb, ("id", "arn"))), None)
        if target is None and not (isinstance(uri, str) and ":listener/" in uri):
            continue  # a Cloud Map service or an unknown target: not a load balancer listener
        if target is not None:
            protocol = known(target.props, "protocol")
            if protocol is not UNKNOWN and str(protocol or "HTTP").upper() not in TLS_PROTOCOLS:
                yield (
                    integration,
                    f"the integration reaches listener {target.name} over {protocol or 'HTTP'}: requests and "
                    "their tokens cross the VPC in clear text",
                )
                continue
        if known(integration.props, "tlsConfig", "serverNameToVerify") in (None, ""):
            yield integration, "tlsConfig.serverNameToVerify is not set: the listener's certificate is not checked"


POLICIES: list[Policy] = [
    resource_policy(
        name="apigateway-8-route-authorization",
        control="APIGateway.8",
        title="API Gateway routes should specify an authorization type",
        types=[ROUTE],
        check=_route_authorized,
        remediation="Give the route an authorizer (JWT, Lambda or IAM) and its authorizationType.",
    ),
    resource_policy(
        name="apigateway-9-stage-access-logging",
        control="APIGateway.9",
        title="Access logging should be configured for API Gateway V2 stages",
        types=[STAGE],
        check=_stage_access_logs,
        remediation="Set accessLogSettings with a log group ARN and a format.",
    ),
    stack_policy(
        name="custom-private-integration-tls",
        control=CUSTOM,
        title="A VPC-link integration to a load balancer listener uses TLS and verifies the server name "
        "(papyrus least privilege; not an FSBP control)",
        check=_private_integration_tls,
        remediation="Point the integration at an HTTPS listener and set tlsConfig.serverNameToVerify to the name "
        "on the listener's certificate.",
    ),
]
