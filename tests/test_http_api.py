"""AuthenticatedHttpApi: the request path API Gateway → VPC link → internal ALB listener, behind a JWT."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any, cast

import pulumi
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pulumi_aws import ec2, lb
from pulumi_aws.provider import Provider

from components.http_api import (
    ACCESS_LOG_FIELDS,
    ROUTE_METHODS,
    AuthenticatedHttpApi,
    AuthenticatedHttpApiArgs,
    check_cors,
    check_listener_arn,
    check_preflight_routes,
    check_routes,
    parse_route_key,
    route_resource_suffix,
)
from components.testing.engine import Deployment, ProgramError
from components.validation import InvalidArgumentError
from tests.harness import rejects, run_component

API = "papyrus:index:AuthenticatedHttpApi"
HTTP_API = "aws:apigatewayv2/api:Api"
VPC_LINK = "aws:apigatewayv2/vpcLink:VpcLink"
INTEGRATION = "aws:apigatewayv2/integration:Integration"
AUTHORIZER = "aws:apigatewayv2/authorizer:Authorizer"
ROUTE = "aws:apigatewayv2/route:Route"
STAGE = "aws:apigatewayv2/stage:Stage"
LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
SECURITY_GROUP = "aws:ec2/securityGroup:SecurityGroup"
EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"
INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"

ISSUER = "https://papyrus.us.auth0.com/"
AUDIENCE = "https://api.papyrus.example"
LISTENER_ARN = (
    "arn:aws:elasticloadbalancing:us-west-2:123456789012:listener/app/papyrus-api/0123456789abcdef/fedcba9876543210"
)
LB_ARN = "arn:aws:elasticloadbalancing:us-west-2:123456789012:loadbalancer/app/papyrus-api/0123456789abcdef"

# Plain values, for tests about one setting; wiring tests use real upstream resources.
PLAIN: dict[str, Any] = {
    "vpc_id": "vpc-0a1b2c3d4e5f60718",
    "subnet_ids": ["subnet-0a1b2c3d4e5f60718", "subnet-1b2c3d4e5f6071829"],
    "listener_arn": LISTENER_ARN,
    "target_security_group_id": "sg-0a1b2c3d4e5f60718",
    "issuer": ISSUER,
    "audiences": [AUDIENCE],
}


def _api(args: Mapping[str, Any], opts: pulumi.ResourceOptions | None = None) -> AuthenticatedHttpApi:
    return AuthenticatedHttpApi("api", cast(AuthenticatedHttpApiArgs, dict(args)), opts)


def _outputs(api: AuthenticatedHttpApi) -> dict[str, Any]:
    return {
        "api_id": api.api_id,
        "api_endpoint": api.api_endpoint,
        "stage_url": api.stage_url,
        "stage_name": api.stage_name,
        "execution_arn": api.execution_arn,
        "vpc_link_id": api.vpc_link_id,
        "vpc_link_security_group_id": api.vpc_link_security_group_id,
        "authorizer_id": api.authorizer_id,
        "access_log_group_name": api.access_log_group_name,
    }


class _InternalAlb:
    """What the load balancer component hands over: private subnets, an ALB, its group and listener."""

    def __init__(self, opts: pulumi.ResourceOptions | None = None) -> None:
        self.vpc = ec2.Vpc("net", cidr_block="10.0.0.0/16", opts=opts)
        self.subnets = [
            ec2.Subnet(
                f"private-{zone}",
                vpc_id=self.vpc.id,
                cidr_block=f"10.0.{i}.0/24",
                availability_zone=f"us-west-2{zone}",
                opts=opts,
            )
            for i, zone in enumerate("ab")
        ]
        self.security_group = ec2.SecurityGroup("alb", vpc_id=self.vpc.id, description="internal alb", opts=opts)
        self.alb = lb.LoadBalancer(
            "alb",
            internal=True,
            load_balancer_type="application",
            subnets=[s.id for s in self.subnets],
            security_groups=[self.security_group.id],
            opts=opts,
        )
        self.listener = lb.Listener(
            "alb-http",
            load_balancer_arn=self.alb.arn,
            port=80,
            protocol="HTTP",
            default_actions=[
                {"type": "fixed-response", "fixed_response": {"content_type": "text/plain", "status_code": "404"}}
            ],
            opts=opts,
        )

    def args(self) -> dict[str, Any]:
        return {
            "vpc_id": self.vpc.id,
            "subnet_ids": [s.id for s in self.subnets],
            "listener_arn": self.listener.arn,
            "target_security_group_id": self.security_group.id,
            "issuer": ISSUER,
            "audiences": [AUDIENCE],
        }


@pytest.fixture(scope="module")
def wired() -> Deployment:
    """The component with defaults, wired to real upstream resources through an explicit provider."""

    def build() -> dict[str, Any]:
        provider = Provider("aws", region="us-west-2")
        upstream = _InternalAlb(pulumi.ResourceOptions(provider=provider))
        return _outputs(_api(upstream.args(), pulumi.ResourceOptions(provider=provider)))

    return run_component(build)


# ---- wiring, by reference ------------------------------------------------------------------


def test_every_child_belongs_to_the_component_and_uses_the_callers_provider(wired: Deployment) -> None:
    component = wired.one(API)
    provider = wired.one("pulumi:providers:aws")
    children = wired.children(component)
    assert component.custom is False
    assert sorted(r.type for r in children) == sorted(
        [HTTP_API, SECURITY_GROUP, EGRESS, INGRESS, VPC_LINK, INTEGRATION, AUTHORIZER, ROUTE, LOG_GROUP, STAGE]
    )
    assert wired.descendants(component) == children
    # Pulumi.yaml disables the default provider: every child must reach the one passed in.
    assert {r.provider for r in children} == {provider.urn}
    assert all(r.name.startswith("api-") for r in children)


def test_integration_proxies_to_the_listener_over_the_vpc_link(wired: Deployment) -> None:
    integration = wired.one(INTEGRATION)
    listener = wired.one("aws:lb/listener:Listener", "alb-http")
    link = wired.one(VPC_LINK)
    api = wired.one(HTTP_API)

    assert integration.inputs["integrationUri"] == listener.id
    assert integration.property_dependencies["integrationUri"] == (listener.urn,)
    assert ":listener/app/" in integration.inputs["integrationUri"]
    assert integration.inputs["connectionId"] == link.id
    assert integration.property_dependencies["connectionId"] == (link.urn,)
    assert integration.inputs["apiId"] == api.id
    assert {k: integration.inputs[k] for k in ("integrationType", "integrationMethod", "connectionType")} == {
        "integrationType": "HTTP_PROXY",
        "integrationMethod": "ANY",
        "connectionType": "VPC_LINK",
    }
    assert integration.inputs["payloadFormatVersion"] == "1.0"


def test_vpc_link_sits_in_the_given_subnets_with_its_own_security_group(wired: Deployment) -> None:
    link = wired.one(VPC_LINK)
    subnets = [wired.one("aws:ec2/subnet:Subnet", f"private-{z}") for z in "ab"]
    link_group = wired.one(SECURITY_GROUP, "api-vpc-link-sg")
    alb_group = wired.one(SECURITY_GROUP, "alb")

    assert link.inputs["subnetIds"] == [s.id for s in subnets]
    assert set(link.property_dependencies["subnetIds"]) == {s.urn for s in subnets}
    assert link.inputs["securityGroupIds"] == [link_group.id]
    assert link_group.id != alb_group.id
    assert link_group.inputs["vpcId"] == wired.one("aws:ec2/vpc:Vpc", "net").id


def test_link_group_reaches_only_the_load_balancer_group_which_admits_only_it(wired: Deployment) -> None:
    link_group = wired.one(SECURITY_GROUP, "api-vpc-link-sg")
    alb_group = wired.one(SECURITY_GROUP, "alb")
    rules = wired.of_type(EGRESS) + wired.of_type(INGRESS)

    # Inline blocks would fight the separate rules other components add to the same groups.
    assert "ingress" not in link_group.inputs
    assert "egress" not in link_group.inputs
    on_link_group = [r for r in rules if r.inputs["securityGroupId"] == link_group.id]
    assert [r.type for r in on_link_group] == [EGRESS]
    (egress,) = on_link_group
    assert egress.inputs["referencedSecurityGroupId"] == alb_group.id
    assert egress.property_dependencies["referencedSecurityGroupId"] == (alb_group.urn,)
    assert (egress.inputs["ipProtocol"], egress.inputs["fromPort"], egress.inputs["toPort"]) == ("tcp", 80, 80)
    assert "cidrIpv4" not in egress.inputs

    on_alb_group = [r for r in rules if r.inputs["securityGroupId"] == alb_group.id]
    assert [r.type for r in on_alb_group] == [INGRESS]
    (ingress,) = on_alb_group
    assert ingress.inputs["referencedSecurityGroupId"] == link_group.id
    assert ingress.property_dependencies["referencedSecurityGroupId"] == (link_group.urn,)
    assert (ingress.inputs["ipProtocol"], ingress.inputs["fromPort"], ingress.inputs["toPort"]) == ("tcp", 80, 80)


def test_default_route_sends_the_api_prefix_to_the_integration_with_a_jwt(wired: Deployment) -> None:
    (route,) = wired.of_type(ROUTE)
    integration = wired.one(INTEGRATION)
    authorizer = wired.one(AUTHORIZER)

    assert route.inputs["routeKey"] == "ANY /api/{proxy+}"
    assert route.inputs["target"] == f"integrations/{integration.id}"
    assert route.inputs["authorizationType"] == "JWT"
    assert route.inputs["authorizerId"] == authorizer.id
    assert route.inputs["apiId"] == wired.one(HTTP_API).id


def test_authorizer_validates_the_bearer_token_against_issuer_and_audiences(wired: Deployment) -> None:
    authorizer = wired.one(AUTHORIZER)
    assert authorizer.inputs["apiId"] == wired.one(HTTP_API).id
    assert authorizer.inputs["authorizerType"] == "JWT"
    assert authorizer.inputs["identitySources"] == ["$request.header.Authorization"]
    assert authorizer.inputs["jwtConfiguration"] == {"issuer": ISSUER, "audiences": [AUDIENCE]}


def test_stage_is_default_auto_deployed_access_logged_and_throttled(wired: Deployment) -> None:
    stage = wired.one(STAGE)
    log_group = wired.one(LOG_GROUP)

    assert stage.inputs["apiId"] == wired.one(HTTP_API).id
    # `$default` has no path prefix, so /api/... reaches the ALB as /api/...
    assert stage.inputs["name"] == "$default"
    assert stage.inputs["autoDeploy"] is True
    logs = stage.inputs["accessLogSettings"]
    assert logs["destinationArn"] == log_group.outputs["arn"]
    assert stage.property_dependencies["accessLogSettings"] == (log_group.urn,)
    assert stage.inputs["defaultRouteSettings"] == {"throttlingBurstLimit": 100, "throttlingRateLimit": 50}
    # Its first auto-deployment must already contain the routes.
    assert {r.urn for r in wired.of_type(ROUTE)} <= set(stage.dependencies)


def test_access_log_format_is_json_naming_the_request_route_status_and_errors(wired: Deployment) -> None:
    line = json.loads(wired.one(STAGE).inputs["accessLogSettings"]["format"])
    assert line == ACCESS_LOG_FIELDS
    assert {
        "requestId": "$context.requestId",
        "ip": "$context.identity.sourceIp",
        "requestTime": "$context.requestTime",
        "httpMethod": "$context.httpMethod",
        "routeKey": "$context.routeKey",
        "status": "$context.status",
        "protocol": "$context.protocol",
        "responseLength": "$context.responseLength",
        "integrationErrorMessage": "$context.integrationErrorMessage",
        "authorizerError": "$context.authorizer.error",
    }.items() <= line.items()
    assert not any("header" in v or "claims" in v for v in line.values()), "tokens must not reach the logs"


def test_access_log_group_keeps_logs_thirty_days_under_the_vended_logs_prefix(wired: Deployment) -> None:
    log_group = wired.one(LOG_GROUP)
    assert log_group.inputs["retentionInDays"] == 30
    assert log_group.inputs["namePrefix"] == "/aws/vendedlogs/apis/api-"


def test_api_is_http_with_its_endpoint_and_no_cors_by_default(wired: Deployment) -> None:
    api = wired.one(HTTP_API)
    assert api.inputs["protocolType"] == "HTTP"
    assert api.inputs["disableExecuteApiEndpoint"] is False
    assert "corsConfiguration" not in api.inputs


def test_outputs_are_the_created_resources(wired: Deployment) -> None:
    api = wired.one(HTTP_API)
    stage = wired.one(STAGE)
    assert wired.outputs == {
        "api_id": api.id,
        "api_endpoint": api.outputs["apiEndpoint"],
        "stage_url": stage.outputs["invokeUrl"],
        "stage_name": "$default",
        "execution_arn": api.outputs["executionArn"],
        "vpc_link_id": wired.one(VPC_LINK).id,
        "vpc_link_security_group_id": wired.one(SECURITY_GROUP, "api-vpc-link-sg").id,
        "authorizer_id": wired.one(AUTHORIZER).id,
        "access_log_group_name": wired.one(LOG_GROUP).outputs["name"],
    }
    assert wired.outputs["stage_url"] == wired.outputs["api_endpoint"] + "/"
    assert stage.inputs["name"] == wired.outputs["stage_name"]
    assert wired.outputs["execution_arn"].endswith(f":execute-api:us-west-2:123456789012:{api.id}")


# ---- routes --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def routed() -> Deployment:
    return run_component(
        lambda: _outputs(
            _api(
                {
                    **PLAIN,
                    "routes": ["ANY /api/{proxy+}", "GET /healthz", "$default"],
                    "public_routes": ["GET /healthz"],
                }
            )
        )
    )


def test_every_route_targets_the_integration_and_only_public_ones_skip_the_jwt(routed: Deployment) -> None:
    integration = routed.one(INTEGRATION)
    authorizer = routed.one(AUTHORIZER)
    routes = {r.inputs["routeKey"]: r for r in routed.of_type(ROUTE)}

    assert set(routes) == {"ANY /api/{proxy+}", "GET /healthz", "$default"}
    for route in routes.values():
        assert route.inputs["target"] == f"integrations/{integration.id}"
        assert route.property_dependencies["target"] == (integration.urn,)
    for key in ("ANY /api/{proxy+}", "$default"):
        assert routes[key].inputs["authorizationType"] == "JWT"
        assert routes[key].inputs["authorizerId"] == authorizer.id
    assert routes["GET /healthz"].inputs["authorizationType"] == "NONE"
    assert "authorizerId" not in routes["GET /healthz"].inputs


def test_adding_routes_never_renames_an_existing_route(wired: Deployment, routed: Deployment) -> None:
    (alone,) = wired.of_type(ROUTE)
    among = next(r for r in routed.of_type(ROUTE) if r.inputs["routeKey"] == alone.inputs["routeKey"])
    assert alone.name == among.name == f"api-route-{route_resource_suffix('ANY /api/{proxy+}')}"


# ---- settings ------------------------------------------------------------------------------


def test_port_retention_throttling_and_tags_reach_the_resources() -> None:
    tags = {"team": "platform", "cost-centre": "42"}
    deployment = run_component(
        lambda: _outputs(
            _api(
                {
                    **PLAIN,
                    "listener_port": 8080,
                    "access_log_retention_days": 7,
                    "throttling_burst_limit": 500,
                    "throttling_rate_limit": 200.5,
                    "tags": tags,
                }
            )
        )
    )

    for rule in deployment.of_type(EGRESS) + deployment.of_type(INGRESS):
        assert (rule.inputs["fromPort"], rule.inputs["toPort"]) == (8080, 8080)
    assert deployment.one(LOG_GROUP).inputs["retentionInDays"] == 7
    assert deployment.one(STAGE).inputs["defaultRouteSettings"] == {
        "throttlingBurstLimit": 500,
        "throttlingRateLimit": 200.5,
    }
    taggable = [HTTP_API, SECURITY_GROUP, EGRESS, INGRESS, VPC_LINK, LOG_GROUP, STAGE]
    assert {t: deployment.one(t).inputs["tags"] for t in taggable} == dict.fromkeys(taggable, tags)


def test_without_a_tls_server_name_the_integration_speaks_http_and_logs_are_unprotected(wired: Deployment) -> None:
    assert "tlsConfig" not in wired.one(INTEGRATION).inputs
    group = wired.one(LOG_GROUP)
    assert group.inputs["deletionProtectionEnabled"] is False
    assert not group.protect


def test_a_tls_server_name_makes_the_link_speak_https_to_443_and_verify_the_certificate() -> None:
    deployment = run_component(lambda: _outputs(_api({**PLAIN, "tls_server_name": "internal-api.example.com"})))

    integration = deployment.one(INTEGRATION)
    assert integration.inputs["tlsConfig"] == {"serverNameToVerify": "internal-api.example.com"}
    # The VPC link may reach the load balancer on 443 only, and the load balancer admits it there only.
    rules = deployment.of_type(EGRESS) + deployment.of_type(INGRESS)
    assert len(rules) == 2
    assert {(r.inputs["fromPort"], r.inputs["toPort"]) for r in rules} == {(443, 443)}


def test_a_tls_server_name_may_come_from_an_output_and_keeps_an_explicit_port() -> None:
    def build() -> dict[str, Any]:
        name = pulumi.Output.from_input("internal-api.example.com")
        return _outputs(_api({**PLAIN, "tls_server_name": name, "listener_port": 8443}))

    deployment = run_component(build)
    assert deployment.one(INTEGRATION).inputs["tlsConfig"] == {"serverNameToVerify": "internal-api.example.com"}
    assert {r.inputs["fromPort"] for r in deployment.of_type(EGRESS) + deployment.of_type(INGRESS)} == {8443}


def test_protect_access_logs_turns_on_both_protections() -> None:
    deployment = run_component(lambda: _outputs(_api({**PLAIN, "protect_access_logs": True})))
    group = deployment.one(LOG_GROUP)
    assert group.protect
    assert group.inputs["deletionProtectionEnabled"] is True
    # Only the log group holds history worth protecting.
    assert [r.name for r in deployment if r.protect] == [group.name]


# With CORS, the authorized ANY route needs a public OPTIONS twin for the browser's preflight.
CORS_ROUTES: dict[str, Any] = {
    "routes": ["ANY /api/{proxy+}", "OPTIONS /api/{proxy+}"],
    "public_routes": ["OPTIONS /api/{proxy+}"],
}


def test_cors_maps_to_the_api_with_defaults_filled_in() -> None:
    def build() -> dict[str, Any]:
        origin_from_output = pulumi.Output.from_input("http://localhost:3000")
        cors = {"allow_origins": ["https://app.example.com", origin_from_output]}
        return _outputs(_api({**PLAIN, **CORS_ROUTES, "cors": cors}))

    deployment = run_component(build)
    routes = {r.inputs["routeKey"]: r for r in deployment.of_type(ROUTE)}
    assert routes["ANY /api/{proxy+}"].inputs["authorizationType"] == "JWT"
    assert routes["OPTIONS /api/{proxy+}"].inputs["authorizationType"] == "NONE"
    assert deployment.one(HTTP_API).inputs["corsConfiguration"] == {
        "allowOrigins": ["https://app.example.com", "http://localhost:3000"],
        "allowMethods": ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"],
        "allowHeaders": ["authorization", "content-type"],
        "maxAge": 300,
        "allowCredentials": False,
    }


def test_cors_settings_given_explicitly_are_passed_as_given() -> None:
    cors = {
        "allow_origins": ["https://app.example.com:8443"],
        "allow_methods": ["GET", "POST"],
        "allow_headers": ["authorization", "x-request-id"],
        "expose_headers": ["x-request-id"],
        "max_age_seconds": -1,
        "allow_credentials": True,
    }
    deployment = run_component(lambda: _outputs(_api({**PLAIN, **CORS_ROUTES, "cors": cors})))
    assert deployment.one(HTTP_API).inputs["corsConfiguration"] == {
        "allowOrigins": ["https://app.example.com:8443"],
        "allowMethods": ["GET", "POST"],
        "allowHeaders": ["authorization", "x-request-id"],
        "exposeHeaders": ["x-request-id"],
        "maxAge": -1,
        "allowCredentials": True,
    }


# ---- values only known after deployment ------------------------------------------------------


def test_subnets_given_as_one_output_list_reach_the_vpc_link() -> None:
    # A VPC component exports its private subnets as one Output[list[str]].
    subnets = ["subnet-0a1b2c3d4e5f60718", "subnet-1b2c3d4e5f6071829"]

    def build() -> dict[str, Any]:
        return _outputs(_api({**PLAIN, "subnet_ids": pulumi.Output.from_input(subnets)}))

    assert run_component(build).one(VPC_LINK).inputs["subnetIds"] == subnets


def test_a_load_balancer_arn_from_an_output_fails_the_deployment_once_known() -> None:
    def build() -> dict[str, Any]:
        upstream = _InternalAlb()
        return _outputs(_api({**upstream.args(), "listener_arn": upstream.alb.arn}))

    with pytest.raises(ProgramError) as caught:
        run_component(build)
    message = str(caught.value.error)
    alb = caught.value.deployment.one("aws:lb/loadBalancer:LoadBalancer")
    assert f"AuthenticatedHttpApi 'api': invalid listener_arn={alb.id!r}" in message
    assert "pass the ARN of one of its listeners" in message
    assert not caught.value.deployment.of_type(INTEGRATION)


def test_the_listener_port_may_come_from_the_load_balancers_output() -> None:
    deployment = run_component(lambda: _outputs(_api({**PLAIN, "listener_port": pulumi.Output.from_input(8443)})))
    assert {
        (r.inputs["fromPort"], r.inputs["toPort"]) for r in deployment.of_type(EGRESS) + deployment.of_type(INGRESS)
    } == {(8443, 8443)}


def test_a_listener_port_from_an_output_is_checked_once_known() -> None:
    with pytest.raises(ProgramError) as caught:
        run_component(lambda: _outputs(_api({**PLAIN, "listener_port": pulumi.Output.from_input(0)})))
    assert "AuthenticatedHttpApi 'api': invalid listener_port=0; expected an integer from 1 to 65535" in str(
        caught.value.error
    )
    assert not caught.value.deployment.of_type(EGRESS)
    assert not caught.value.deployment.of_type(INGRESS)


def test_an_issuer_from_an_output_is_checked_once_known() -> None:
    with pytest.raises(ProgramError) as caught:
        run_component(lambda: _outputs(_api({**PLAIN, "issuer": pulumi.Output.from_input("http://tenant.auth0.com/")})))
    assert "AuthenticatedHttpApi 'api': invalid issuer='http://tenant.auth0.com/'" in str(caught.value.error)
    assert not caught.value.deployment.of_type(AUTHORIZER)


# ---- rejected before anything is registered ----------------------------------------------------
# One case per argument runs the component (each run costs ~0.1 s); the many ways a route
# key, listener ARN or CORS setting can be wrong are covered on the checks themselves below.

_REJECTED: list[tuple[str, dict[str, Any], str, Any]] = [
    ("malformed route", {"routes": ["GET /ok", "GET pets"]}, "routes[1]", "GET pets"),
    ("no routes", {"routes": []}, "routes", []),
    ("duplicate route", {"routes": ["GET /pets", "GET /pets"]}, "routes[1]", "GET /pets"),
    ("same route, other names", {"routes": ["GET /p/{id}", "GET /p/{petId}"]}, "routes[1]", "GET /p/{petId}"),
    ("public route not in routes", {"public_routes": ["GET /healthz"]}, "public_routes[0]", "GET /healthz"),
    ("issuer over http", {"issuer": "http://papyrus.us.auth0.com/"}, "issuer", "http://papyrus.us.auth0.com/"),
    ("issuer missing", {"issuer": None}, "issuer", None),
    ("empty audiences", {"audiences": []}, "audiences", []),
    ("empty audience", {"audiences": [AUDIENCE, ""]}, "audiences[1]", ""),
    ("load balancer ARN", {"listener_arn": LB_ARN}, "listener_arn", LB_ARN),
    ("garbage listener ARN", {"listener_arn": "listener-1"}, "listener_arn", "listener-1"),
    ("port out of range", {"listener_port": 65536}, "listener_port", 65536),
    ("port not an integer", {"listener_port": 80.5}, "listener_port", 80.5),
    ("vpc id", {"vpc_id": "default"}, "vpc_id", "default"),
    ("no subnets", {"subnet_ids": []}, "subnet_ids", []),
    ("subnet id", {"subnet_ids": ["subnet-0a1b2c3d", "10.0.1.0/24"]}, "subnet_ids[1]", "10.0.1.0/24"),
    ("security group id", {"target_security_group_id": "alb-sg"}, "target_security_group_id", "alb-sg"),
    ("retention CloudWatch refuses", {"access_log_retention_days": 2}, "access_log_retention_days", 2),
    ("burst over quota", {"throttling_burst_limit": 5001}, "throttling_burst_limit", 5001),
    ("rate zero", {"throttling_rate_limit": 0}, "throttling_rate_limit", 0),
    ("rate not a number", {"throttling_rate_limit": float("nan")}, "throttling_rate_limit", float("nan")),
    (
        "any origin with credentials",
        {"cors": {"allow_origins": ["*"], "allow_credentials": True}},
        "cors.allow_origins",
        ["*"],
    ),
    (
        "cors without a public preflight route",
        {"cors": {"allow_origins": ["https://app.example.com"]}},
        "routes[0]",
        "ANY /api/{proxy+}",
    ),
    ("misspelt argument", {"route": ["GET /pets"]}, "route", ["GET /pets"]),
    (
        "tls server name with a scheme",
        {"tls_server_name": "https://a.example.com"},
        "tls_server_name",
        "https://a.example.com",
    ),
    ("tls server name one label", {"tls_server_name": "localhost"}, "tls_server_name", "localhost"),
    ("protect not a boolean", {"protect_access_logs": "yes"}, "protect_access_logs", "yes"),
    ("reserved tag key", {"tags": {"aws:team": "x"}}, "tags", "aws:team"),
]


@pytest.mark.parametrize(
    ("overrides", "key", "bad"), [case[1:] for case in _REJECTED], ids=[case[0] for case in _REJECTED]
)
def test_bad_arguments_are_rejected_before_anything_is_registered(
    overrides: dict[str, Any], key: str, bad: Any
) -> None:
    def build() -> None:
        _api({**PLAIN, **overrides})

    error = rejects(build)
    assert isinstance(error, InvalidArgumentError)
    assert f"AuthenticatedHttpApi 'api': invalid {key}={bad!r}" in str(error)


@pytest.mark.parametrize("name", ["", "sg", "sg-api", "my api", "-api", "a" * 101, "apí"])
def test_a_name_aws_cannot_carry_in_the_childrens_names_is_rejected(name: str) -> None:
    def build() -> None:
        AuthenticatedHttpApi(name, cast(AuthenticatedHttpApiArgs, dict(PLAIN)))

    error = rejects(build)
    assert isinstance(error, InvalidArgumentError)
    assert (error.key, error.value) == ("name", name)


def test_load_balancer_arn_message_says_to_pass_the_listener() -> None:
    with pytest.raises(InvalidArgumentError, match="this is a load balancer's ARN: pass the ARN of one of its"):
        check_listener_arn("test", LB_ARN)


@pytest.mark.parametrize(
    "arn",
    [
        "arn:aws:elasticloadbalancing:us-west-2:123456789012:targetgroup/api/0123456789abcdef",
        LISTENER_ARN.replace(":listener/", ":listener-rule/") + "/0011223344556677",
        LISTENER_ARN.replace("/app/", "/net/"),
        LISTENER_ARN.replace("123456789012", "1234"),
        LISTENER_ARN + "/",
        LISTENER_ARN.upper(),
        " " + LISTENER_ARN,
    ],
)
def test_anything_but_an_alb_listener_arn_is_rejected(arn: str) -> None:
    with pytest.raises(InvalidArgumentError) as caught:
        check_listener_arn("test", arn)
    assert f"invalid listener_arn={arn!r}" in str(caught.value)


@pytest.mark.parametrize(
    "arn", [LISTENER_ARN, LISTENER_ARN.replace("arn:aws:", "arn:aws-us-gov:").replace("us-west-2", "us-gov-west-1")]
)
def test_alb_listener_arns_are_accepted(arn: str) -> None:
    assert check_listener_arn("test", arn) == arn


_BAD_ROUTES: list[tuple[str, str, str]] = [
    ("no path", "GET", "'$default', or '<METHOD> <path>'"),
    ("lower-case method", "get /pets", "the method one of ANY, GET"),
    ("unknown method", "FETCH /pets", "the method one of ANY, GET"),
    ("path without slash", "GET pets", "a path starting with '/'"),
    ("trailing slash", "GET /pets/", "no empty segment or trailing '/'"),
    ("empty segment", "GET /pets//toys", "no empty segment or trailing '/'"),
    ("two spaces", "GET  /pets", "'<METHOD> <path>'"),
    ("tab", "GET\t/pets", "'<METHOD> <path>'"),
    ("space in path", "GET /pet s", "'<METHOD> <path>'"),
    ("greedy not last", "ANY /{proxy+}/x", "a greedy parameter {proxy+} must be the last segment"),
    ("unnamed parameter", "GET /pets/{}", "neither literal"),
    ("query string", "GET /pets?x=1", "neither literal"),
    ("parameter named twice", "GET /a/{id}/b/{id}", "each path parameter named once"),
    ("empty", "", "'$default', or '<METHOD> <path>'"),
]


@pytest.mark.parametrize(("route", "reason"), [c[1:] for c in _BAD_ROUTES], ids=[c[0] for c in _BAD_ROUTES])
def test_malformed_route_keys_are_rejected_with_the_rule_they_break(route: str, reason: str) -> None:
    with pytest.raises(InvalidArgumentError) as caught:
        parse_route_key("test", "routes[0]", route)
    assert f"invalid routes[0]={route!r}" in str(caught.value)
    assert reason in str(caught.value)


@pytest.mark.parametrize(
    ("routes", "key", "bad"),
    [
        (["$default", "$default"], "routes[1]", "$default"),
        (["ANY /api/{proxy+}", "ANY /api/{rest+}"], "routes[1]", "ANY /api/{rest+}"),
        ("ANY /api/{proxy+}", "routes", "ANY /api/{proxy+}"),
    ],
)
def test_route_lists_must_be_lists_of_distinct_routes(routes: Any, key: str, bad: Any) -> None:
    with pytest.raises(InvalidArgumentError) as caught:
        check_routes("test", routes)
    assert f"invalid {key}={bad!r}" in str(caught.value)


def test_routes_that_differ_only_by_method_are_distinct() -> None:
    parsed = check_routes("test", ["ANY /pets", "GET /pets", "GET /pets/{id}", "$default"])
    assert [r.key for r in parsed] == ["ANY /pets", "GET /pets", "GET /pets/{id}", "$default"]


@pytest.mark.parametrize(
    ("routes", "public", "missing"),
    [
        pytest.param(["ANY /api/{proxy+}"], [], "OPTIONS /api/{proxy+}", id="authorized-any"),
        pytest.param(["$default"], [], "OPTIONS /{proxy+}", id="authorized-default"),
        pytest.param(["ANY /api/{proxy+}", "OPTIONS /api/{proxy+}"], [], "OPTIONS /api/{proxy+}", id="twin-not-public"),
        pytest.param(
            ["ANY /api/{proxy+}", "OPTIONS /{proxy+}"],
            ["OPTIONS /{proxy+}"],
            "OPTIONS /api/{proxy+}",
            id="a-shorter-path-loses-to-the-any-route",
        ),
    ],
)
def test_cors_needs_a_public_preflight_route_beside_each_authorized_catch_all(
    routes: list[str], public: list[str], missing: str
) -> None:
    parsed = check_routes("test", routes)
    with pytest.raises(InvalidArgumentError) as caught:
        check_preflight_routes("test", parsed, frozenset(public))
    assert f"invalid routes[0]={routes[0]!r}" in str(caught.value)
    assert f"a public {missing!r} route" in str(caught.value)


@pytest.mark.parametrize(
    ("routes", "public"),
    [
        pytest.param(["GET /pets", "POST /pets/{id}"], [], id="explicit-methods-get-automatic-preflights"),
        pytest.param(["ANY /api/{proxy+}"], ["ANY /api/{proxy+}"], id="public-any"),
        pytest.param(
            ["ANY /api/{proxy+}", "OPTIONS /api/{rest+}"], ["OPTIONS /api/{rest+}"], id="twin-under-another-name"
        ),
        pytest.param(["$default", "OPTIONS /{proxy+}"], ["OPTIONS /{proxy+}"], id="default-with-twin"),
    ],
)
def test_routes_that_let_preflights_through_pass_the_cors_check(routes: list[str], public: list[str]) -> None:
    check_preflight_routes("test", check_routes("test", routes), frozenset(public))


_CORS_REJECTED: list[tuple[str, dict[str, Any], str, Any]] = [
    (
        "any method with credentials",
        {"allow_origins": ["https://a.example.com"], "allow_methods": ["*"], "allow_credentials": True},
        "cors.allow_methods",
        ["*"],
    ),
    (
        "any header with credentials",
        {"allow_origins": ["https://a.example.com"], "allow_headers": ["*"], "allow_credentials": True},
        "cors.allow_headers",
        ["*"],
    ),
    (
        "origin with trailing slash",
        {"allow_origins": ["https://app.example.com/"]},
        "cors.allow_origins[0]",
        "https://app.example.com/",
    ),
    ("origin without scheme", {"allow_origins": ["app.example.com"]}, "cors.allow_origins[0]", "app.example.com"),
    ("origin not http", {"allow_origins": ["ftp://example.com"]}, "cors.allow_origins[0]", "ftp://example.com"),
    (
        "origin port",
        {"allow_origins": ["https://example.com:70000"]},
        "cors.allow_origins[0]",
        "https://example.com:70000",
    ),
    ("origin host", {"allow_origins": ["https://exa_mple.com"]}, "cors.allow_origins[0]", "https://exa_mple.com"),
    (
        "wildcard among origins",
        {"allow_origins": ["*", "https://a.example.com"]},
        "cors.allow_origins",
        ["*", "https://a.example.com"],
    ),
    ("no origins", {"allow_origins": []}, "cors.allow_origins", []),
    ("origins missing", {"allow_methods": ["GET"]}, "cors.allow_origins", None),
    ("unknown method", {"allow_origins": ["*"], "allow_methods": ["FETCH"]}, "cors.allow_methods[0]", "FETCH"),
    ("no methods", {"allow_origins": ["*"], "allow_methods": []}, "cors.allow_methods", []),
    ("bad header", {"allow_origins": ["*"], "allow_headers": ["x header"]}, "cors.allow_headers[0]", "x header"),
    ("max age too long", {"allow_origins": ["*"], "max_age_seconds": 86401}, "cors.max_age_seconds", 86401),
    ("credentials not boolean", {"allow_origins": ["*"], "allow_credentials": "yes"}, "cors.allow_credentials", "yes"),
    ("misspelt cors key", {"allow_origin": ["*"]}, "cors.allow_origin", ["*"]),
]


@pytest.mark.parametrize(
    ("cors", "key", "bad"), [case[1:] for case in _CORS_REJECTED], ids=[case[0] for case in _CORS_REJECTED]
)
def test_cors_settings_browsers_or_api_gateway_refuse_are_rejected(cors: dict[str, Any], key: str, bad: Any) -> None:
    with pytest.raises(InvalidArgumentError) as caught:
        check_cors("test", cors)
    assert f"invalid {key}={bad!r}" in str(caught.value)


def test_cors_accepts_any_origin_without_credentials_and_local_addresses() -> None:
    assert check_cors("test", {"allow_origins": ["*"], "allow_methods": ["*"]})["allow_origins"] == ["*"]
    origins = ["http://localhost:3000", "http://127.0.0.1:8080", "https://app.example.com"]
    assert check_cors("test", {"allow_origins": origins})["allow_origins"] == origins


# ---- route keys, as pure functions ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("route", "method", "path", "normalised"),
    [
        ("$default", "", "", "$default"),
        ("GET /", "GET", "/", "GET /"),
        ("ANY /api/{proxy+}", "ANY", "/api/{proxy+}", "ANY /api/{+}"),
        ("DELETE /pets/{petId}/toys/{toy_id}", "DELETE", "/pets/{petId}/toys/{toy_id}", "DELETE /pets/{}/toys/{}"),
        ("POST /v1/users:batch", "POST", "/v1/users:batch", "POST /v1/users:batch"),
    ],
)
def test_route_keys_parse_into_method_path_and_matching_form(
    route: str, method: str, path: str, normalised: str
) -> None:
    parsed = parse_route_key("test", "route", route)
    assert (parsed.key, parsed.method, parsed.path, parsed.normalised) == (route, method, path, normalised)


def test_route_resource_names_read_like_the_route() -> None:
    assert re.fullmatch(r"any-api-proxy-[0-9a-f]{8}", route_resource_suffix("ANY /api/{proxy+}"))
    assert re.fullmatch(r"default-[0-9a-f]{8}", route_resource_suffix("$default"))
    assert re.fullmatch(r"get-[0-9a-f]{8}", route_resource_suffix("GET /"))
    # Same words, different routes: the digest keeps them apart.
    assert route_resource_suffix("GET /a-b") != route_resource_suffix("GET /a/b")


_segment = st.one_of(
    st.from_regex(r"[a-z0-9][a-z0-9._-]{0,6}", fullmatch=True),
    st.from_regex(r"\{[a-z][A-Za-z0-9]{0,5}\}", fullmatch=True),
)


@st.composite
def _route_keys(draw: st.DrawFn) -> str:
    method = draw(st.sampled_from(ROUTE_METHODS))
    segments = draw(st.lists(_segment, max_size=4, unique=True))
    if draw(st.booleans()):
        # An underscore keeps it apart from the generated parameter names.
        segments.append("{tail_path+}")
    return f"{method} /" + "/".join(segments)


@settings(max_examples=200, deadline=None)
@given(_route_keys())
def test_well_formed_route_keys_are_accepted_and_keep_their_parts(route: str) -> None:
    parsed = parse_route_key("test", "route", route)
    assert f"{parsed.method} {parsed.path}" == route
    assert "{" not in parsed.normalised.replace("{}", "").replace("{+}", "")


@settings(max_examples=100, deadline=None)
@given(st.lists(_route_keys(), min_size=2, max_size=6, unique=True))
def test_distinct_routes_get_distinct_safe_resource_names(routes: list[str]) -> None:
    suffixes = [route_resource_suffix(r) for r in routes]
    assert len(set(suffixes)) == len(routes)
    assert all(re.fullmatch(r"[a-z0-9-]+", s) for s in suffixes)


@settings(max_examples=200, deadline=None)
@given(_route_keys(), st.sampled_from([" ", "\t", "\n", "/", "//"]))
def test_route_keys_with_stray_whitespace_or_slashes_are_rejected(route: str, stray: str) -> None:
    with pytest.raises(InvalidArgumentError, match="routes"):
        parse_route_key("test", "routes[0]", route + stray)


def test_the_longest_name_fits_every_auto_named_child() -> None:
    """100 characters: the API and VPC link (128) and the link's security group (255) auto-name after it."""
    name = "a" * 100
    deployment = run_component(lambda: _outputs(AuthenticatedHttpApi(name, cast(AuthenticatedHttpApiArgs, PLAIN))))
    assert deployment.one(API).name == name
    assert len(deployment.one(VPC_LINK).outputs["name"]) == len(f"{name}-vpc-link-") + 7
