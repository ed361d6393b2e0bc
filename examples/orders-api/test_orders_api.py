"""The orders-api example runs under the mock engine like the main program, and is wired right.

Only `components.testing`, which the papyrus-components wheel ships, is used: this is how
another team tests a program built from the package (tests/test_consumer_path.py runs this file
in a virtualenv that has nothing but the wheel and pytest).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from components.testing import Deployment, plaintext_leaks, program_rejects, run_program

EXAMPLE = Path(__file__).resolve().parent


@pytest.fixture(scope="module")
def deployment() -> Deployment:
    return run_program(EXAMPLE, "dev")


def test_it_builds_its_own_network_api_and_service(deployment: Deployment) -> None:
    types = {r.type for r in deployment if not r.custom}
    assert types == {
        "papyrus:index:PublicPrivateVpc",
        "papyrus:index:ContainerRegistry",
        "papyrus:index:ApplicationLogGroup",
        "papyrus:index:SecureAppConfig",
        "papyrus:index:ApplicationLoadBalancer",
        "papyrus:index:AuthenticatedHttpApi",
        "papyrus:index:FargateService",
    }
    assert deployment.one("aws:ec2/vpc:Vpc").inputs["cidrBlock"] == "10.30.0.0/20"
    assert len(deployment.of_type("aws:ec2/natGateway:NatGateway")) == 1
    assert deployment.one("aws:lb/loadBalancer:LoadBalancer").inputs["internal"] is True
    provider = deployment.one("pulumi:providers:aws")
    assert {r.provider for r in deployment if r.custom and r.type.startswith("aws:")} == {provider.urn}


def test_only_the_health_route_skips_the_jwt(deployment: Deployment) -> None:
    authorizer = deployment.one("aws:apigatewayv2/authorizer:Authorizer")
    assert authorizer.inputs["jwtConfiguration"] == {
        "issuer": "https://orders-dev.eu.auth0.com/",
        "audiences": ["https://orders.example.com/api"],
    }
    routes = {r.inputs["routeKey"]: r for r in deployment.of_type("aws:apigatewayv2/route:Route")}
    assert set(routes) == {"GET /orders", "POST /orders", "GET /orders/{id}", "GET /health"}
    for key, route in routes.items():
        if key == "GET /health":
            assert route.inputs["authorizationType"] == "NONE"
        else:
            assert (route.inputs["authorizationType"], route.inputs["authorizerId"]) == ("JWT", authorizer.id)
    listener = deployment.one("aws:lb/listener:Listener")
    integration = deployment.one("aws:apigatewayv2/integration:Integration")
    assert integration.inputs["integrationUri"] == listener.outputs["arn"]
    # The VPC link's rules open the listener's own port, handed over with its ARN.
    link_group = deployment.one("aws:ec2/securityGroup:SecurityGroup", "orders-api-vpc-link-sg")
    [egress] = [
        r
        for r in deployment.of_type("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule")
        if r.inputs["securityGroupId"] == link_group.id
    ]
    assert egress.inputs["fromPort"] == egress.inputs["toPort"] == listener.inputs["port"]


def test_the_alarm_watches_this_load_balancer_and_target_group(deployment: Deployment) -> None:
    alarm = deployment.one("aws:cloudwatch/metricAlarm:MetricAlarm")
    assert alarm.inputs["dimensions"] == {
        "LoadBalancer": deployment.one("aws:lb/loadBalancer:LoadBalancer").outputs["arnSuffix"],
        "TargetGroup": deployment.one("aws:lb/targetGroup:TargetGroup").outputs["arnSuffix"],
    }
    role = deployment.one("aws:iam/role:Role", "orders-task")
    assert deployment.outputs["taskRoleName"] == role.outputs["name"]


def test_the_service_gets_its_secret_through_value_from(deployment: Deployment) -> None:
    secret = deployment.one("aws:secretsmanager/secret:Secret")
    assert secret.inputs["name"] == "orders-api/dev/app"
    task = deployment.one("aws:ecs/taskDefinition:TaskDefinition")
    [app] = json.loads(task.inputs["containerDefinitions"])
    assert {s["name"]: s["valueFrom"] for s in app["secrets"]}[
        "SIGNING_KEY"
    ] == f"{secret.outputs['arn']}:signing_key::"
    assert app["portMappings"][0]["containerPort"] == 8080
    assert app["image"].endswith("/orders-api-dev:2026.11.1")
    assert plaintext_leaks(deployment) == []
    assert deployment.outputs["apiEndpoint"].startswith("https://")


def test_bad_example_config_is_refused_before_anything_exists() -> None:
    error = program_rejects(EXAMPLE, "dev", ["jwtIssuer=http://orders-dev.eu.auth0.com/"])
    assert str(error).startswith("stack 'dev' config: invalid jwtIssuer='http://orders-dev.eu.auth0.com/'")
    error = program_rejects(EXAMPLE, "dev", ["vpcCidr=10.30.0.0/12"])
    assert "vpcCidr='10.30.0.0/12'" in str(error)
