"""The whole papyrus program (`__main__.py`) for dev, prd and a custom domain, under the mock engine.

Every assertion follows references between resources (ids, ARNs, DNS names the mock
engine computed for one resource, found in another's inputs) rather than names alone.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from pulumi.runtime.mocks import MockCallArgs

from components.testing.engine import Deployment, RegisteredResource
from components.testing.mocks import AwsMocks
from papyrus.app_env import PROGRAM_PARAMETERS, SECRET_ENV
from tests.harness import plaintext_leaks, run_stack, secret_values

DOMAIN = ("domainName=papyrus.example.com", "hostedZoneId=Z0123456789ABCDEFGHIJ")
VARIANTS = {"dev": ("dev",), "prd": ("prd",), "prd-domain": ("prd", *DOMAIN)}


@pytest.fixture(params=list(VARIANTS), scope="module")
def deployment(request: pytest.FixtureRequest) -> Deployment:
    return run_stack(*VARIANTS[request.param])


def dev() -> Deployment:
    return run_stack("dev")


def prd() -> Deployment:
    return run_stack("prd")


def domain() -> Deployment:
    return run_stack("prd", *DOMAIN)


def https(d: Deployment) -> bool:
    """Every protected stack serves over HTTPS: prd as committed (its example domain) and prd with another."""
    return d.stack == "prd"


def base_url(d: Deployment) -> str:
    """Where users sign in: the configured domain over HTTPS, else the web load balancer's DNS name."""
    if d is domain():
        return "https://papyrus.example.com"
    if https(d):
        return "https://app.papyrus.example.com"
    dns_name: str = child(d, "web", "aws:lb/loadBalancer:LoadBalancer").outputs["dnsName"]
    return f"http://{dns_name}"


def child(d: Deployment, component: str, type_: str, name: str | None = None) -> RegisteredResource:
    """The one child of `type_` (named `name`, if given) of the top-level component `component`."""
    parent = next(r for r in d.children(d.stack_urn) if r.name == component and not r.custom)
    found = [r for r in d.descendants(parent) if r.type == type_ and (name is None or r.name == name)]
    assert len(found) == 1, f"{component}: expected one {type_} {name or ''}, found {[r.name for r in found]}"
    return found[0]


def children(d: Deployment, component: str, type_: str) -> list[RegisteredResource]:
    parent = next(r for r in d.children(d.stack_urn) if r.name == component and not r.custom)
    return sorted((r for r in d.descendants(parent) if r.type == type_), key=lambda r: r.name)


def by_input(resources: list[RegisteredResource], key: str, value: Any) -> list[RegisteredResource]:
    return [r for r in resources if r.inputs.get(key) == value]


def secret_document(d: Deployment, group: str) -> dict[str, str]:
    version = child(
        d, "app-config", "aws:secretsmanager/secretVersion:SecretVersion", f"app-config-secret-{group}-version"
    )
    document: dict[str, str] = json.loads(version.inputs["secretString"])
    return document


def container(d: Deployment) -> dict[str, Any]:
    task = child(d, "app", "aws:ecs/taskDefinition:TaskDefinition")
    definitions: list[dict[str, Any]] = json.loads(task.inputs["containerDefinitions"])
    assert len(definitions) == 1
    return definitions[0]


# ---- provider and tags --------------------------------------------------------------------


def test_every_aws_resource_goes_through_the_tagged_provider(deployment: Deployment) -> None:
    provider = deployment.one("pulumi:providers:aws", "aws")
    tags = json.loads(provider.inputs["defaultTags"])["tags"]
    assert tags == {"project": "portfolio", "app": "papyrus", "stack": deployment.stack, "managed-by": "pulumi"}
    assert provider.inputs["region"] == "us-west-2"
    aws_resources = [r for r in deployment if r.custom and r.type.startswith("aws:")]
    assert len(aws_resources) > 60
    assert {r.provider for r in aws_resources} == {provider.urn}


def test_the_graph_is_acyclic_and_parents_exist(deployment: Deployment) -> None:
    urns = {r.urn for r in deployment} | {deployment.stack_urn}
    for r in deployment:
        assert r.parent in urns
        assert set(r.dependencies) <= urns
    _topological_order(deployment)


def _topological_order(d: Deployment) -> list[str]:
    pending = {r.urn: set(r.dependencies) for r in d}
    order: list[str] = []
    while pending:
        ready = [urn for urn, deps in pending.items() if not deps - set(order)]
        assert ready, f"dependency cycle among {sorted(pending)[:5]}"
        order.extend(sorted(ready))
        for urn in ready:
            del pending[urn]
    return order


# ---- network (issue 3) ----------------------------------------------------------------------


@pytest.mark.parametrize(("stack", "zones", "gateways", "instances"), [("dev", 2, 0, 1), ("prd", 3, 3, 0)])
def test_network_follows_the_stack(stack: str, zones: int, gateways: int, instances: int) -> None:
    d = run_stack(stack)
    vpc = child(d, "network", "aws:ec2/vpc:Vpc")
    assert vpc.inputs["cidrBlock"] == {"dev": "10.10.0.0/16", "prd": "10.20.0.0/16"}[stack]
    subnets = children(d, "network", "aws:ec2/subnet:Subnet")
    assert len(subnets) == 2 * zones
    assert {s.inputs["availabilityZone"] for s in subnets} == {f"us-west-2{c}" for c in "abc"[:zones]}
    assert all(s.inputs["vpcId"] == vpc.id for s in subnets)
    nat_gateways = children(d, "network", "aws:ec2/natGateway:NatGateway")
    nat_instances = children(d, "network", "aws:ec2/instance:Instance")
    eips = children(d, "network", "aws:ec2/eip:Eip")
    # dev: one NAT instance and no NAT gateway (issue 14); prd: a NAT gateway per zone.
    assert (len(nat_gateways), len(nat_instances), len(eips)) == (gateways, instances, gateways + instances)
    assert sorted(d.outputs["natPublicIps"]) == sorted(e.outputs["publicIp"] for e in eips)
    assert d.outputs["natInstanceIds"] == [i.id for i in nat_instances]
    assert d.outputs["vpcId"] == vpc.id
    zone_names = [f"us-west-2{c}" for c in "abc"[:zones]]
    for tier in ("public", "private"):
        by_zone = {s.inputs["availabilityZone"]: s.id for s in subnets if s.name.startswith(f"network-{tier}-")}
        assert d.outputs[f"{tier}SubnetIds"] == [by_zone[z] for z in zone_names]
    # Every private route table's default route leaves through a NAT gateway in the same zone (prd)
    # or the network interface of the only NAT instance (dev).
    routes = [r for r in children(d, "network", "aws:ec2/route:Route") if r.name.startswith("network-private-")]
    assert len(routes) == zones
    for route in routes:
        table = d.by_id(route.inputs["routeTableId"])
        assert route.inputs["destinationCidrBlock"] == "0.0.0.0/0"
        if gateways:
            nat = d.by_id(route.inputs["natGatewayId"])
            zone = table.name.rsplit("-", 3)[-3:]
            assert nat.name.endswith("-".join(zone))
        else:
            [instance] = nat_instances
            assert "natGatewayId" not in route.inputs
            assert route.inputs["networkInterfaceId"] == instance.outputs["primaryNetworkInterfaceId"]
            assert instance.inputs["instanceType"] == "t4g.nano"


# ---- configuration, secrets, registry, logs (issue 4) ------------------------------------------


def test_ssm_parameters_exact(deployment: Deployment) -> None:
    stack = deployment.stack
    base = base_url(deployment)
    tenant = {"dev": "papyrus-dev.us.auth0.com", "prd": "papyrus.us.auth0.com"}[stack]
    workers = {"dev": "2", "prd": "4"}[stack]
    params = {
        p.inputs["name"]: (p.inputs["type"], p.inputs["insecureValue"])
        for p in children(deployment, "app-config", "aws:ssm/parameter:Parameter")
    }
    assert params == {
        f"/papyrus/{stack}/AUTH0_DOMAIN": ("String", tenant),
        f"/papyrus/{stack}/AUTH0_CALLBACK_URL": ("String", f"{base}/callback"),
        f"/papyrus/{stack}/AUTH0_AUDIENCE": ("String", f"urn:papyrus:{stack}:api"),
        f"/papyrus/{stack}/GUNICORN_WORKERS": ("String", workers),
        f"/papyrus/{stack}/GUNICORN_THREADS": ("String", "4"),
        f"/papyrus/{stack}/GUNICORN_TIMEOUT": ("String", "60"),
    }


def test_three_grouped_secrets_with_the_articles_keys(deployment: Deployment) -> None:
    stack = deployment.stack
    secrets = children(deployment, "app-config", "aws:secretsmanager/secret:Secret")
    assert sorted(s.inputs["name"] for s in secrets) == [f"papyrus/{stack}/{g}" for g in ("auth0", "db", "flask")]
    client = child(deployment, "auth0", "auth0:index/client:Client")
    credentials = child(deployment, "auth0", "auth0:index/clientCredentials:ClientCredentials")
    generated = {r.name: r.outputs["result"] for r in deployment.of_type("random:index/randomPassword:RandomPassword")}

    db = secret_document(deployment, "db")
    assert db == {
        "username": "papyrus_app",
        "password": generated["db-password"],
        "host": f"papyrus-{stack}.cluster-example.us-west-2.rds.amazonaws.com",
        "name": "papyrus",
    }
    assert secret_document(deployment, "auth0") == {
        "client_id": client.outputs["clientId"],
        "client_secret": credentials.outputs["clientSecret"],
        "domain": {"dev": "papyrus-dev.us.auth0.com", "prd": "papyrus.us.auth0.com"}[stack],
    }
    flask = secret_document(deployment, "flask")
    assert flask == {"secret_key": generated["flask-secret-key"]}
    assert len(flask["secret_key"]) >= 48
    secret_ids = {s.inputs["name"]: s.id for s in secrets}
    for group in ("db", "auth0", "flask"):
        version = child(
            deployment,
            "app-config",
            "aws:secretsmanager/secretVersion:SecretVersion",
            f"app-config-secret-{group}-version",
        )
        assert version.fully_secret("secretString"), version.name
        # Each document is written to its own group's secret, not merely to some secret.
        assert version.inputs["secretId"] == secret_ids[f"papyrus/{stack}/{group}"]


def test_no_secret_value_in_plain_inputs_or_outputs(deployment: Deployment) -> None:
    secrets = secret_values(deployment)
    generated = {r.outputs["result"] for r in deployment.of_type("random:index/randomPassword:RandomPassword")}
    client_secret = child(deployment, "auth0", "auth0:index/clientCredentials:ClientCredentials").outputs[
        "clientSecret"
    ]
    assert generated | {client_secret} <= secrets
    assert plaintext_leaks(deployment) == []
    assert deployment.secret_outputs == frozenset()
    rendered = json.dumps(deployment.outputs)
    assert not any(s in rendered for s in secrets)


def test_a_configured_db_password_is_used_and_stays_secret() -> None:
    d = run_stack("dev", secrets=("dbPassword=Configured-Passw0rd",))
    assert not [r for r in d.of_type("random:index/randomPassword:RandomPassword") if r.name == "db-password"]
    assert secret_document(d, "db")["password"] == "Configured-Passw0rd"
    assert plaintext_leaks(d, {"Configured-Passw0rd"}) == []


def test_generated_secrets_are_stable_across_runs() -> None:
    """Nothing in their inputs changes from run to run, so the state keeps the first values."""
    first = {r.name: r.inputs for r in run_stack("dev").of_type("random:index/randomPassword:RandomPassword")}
    again = {
        r.name: r.inputs
        for r in run_stack("dev", "desiredCount=3").of_type("random:index/randomPassword:RandomPassword")
    }
    assert first == again
    assert all("keepers" not in inputs for inputs in first.values())


def test_container_secrets_come_from_the_app_config(deployment: Deployment) -> None:
    stack = deployment.stack
    secret_arn = {
        s.inputs["name"].rsplit("/", 1)[-1]: s.outputs["arn"]
        for s in children(deployment, "app-config", "aws:secretsmanager/secret:Secret")
    }
    param_arn = {
        p.inputs["name"].rsplit("/", 1)[-1]: p.outputs["arn"]
        for p in children(deployment, "app-config", "aws:ssm/parameter:Parameter")
    }
    expected = {env: f"{secret_arn[group]}:{key}::" for env, (group, key) in SECRET_ENV.items()}
    expected |= {name: arn for name, arn in param_arn.items()}
    app = container(deployment)
    assert {s["name"]: s["valueFrom"] for s in app["secrets"]} == expected
    assert set(PROGRAM_PARAMETERS) <= set(expected)
    # Only the plain DB port is in the environment; every credential arrives through `secrets`.
    assert app["environment"] == [{"name": "DB_PORT", "value": "5432"}]
    assert all(
        arn.startswith(f"arn:aws:ssm:us-west-2:123456789012:parameter/papyrus/{stack}/") for arn in param_arn.values()
    )


def test_execution_role_reads_exactly_these_secrets(deployment: Deployment) -> None:
    policy = json.loads(
        child(deployment, "app", "aws:iam/rolePolicy:RolePolicy", "app-execution-secrets").inputs["policy"]
    )
    granted: dict[str, set[str]] = {}
    for statement in policy["Statement"]:
        assert statement["Effect"] == "Allow"
        resources = statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]]
        actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
        for action in actions:
            granted.setdefault(action, set()).update(resources)
    secrets = {s.outputs["arn"] for s in children(deployment, "app-config", "aws:secretsmanager/secret:Secret")}
    params = {p.outputs["arn"] for p in children(deployment, "app-config", "aws:ssm/parameter:Parameter")}
    assert granted == {"secretsmanager:GetSecretValue": secrets, "ssm:GetParameters": params}
    role = child(deployment, "app", "aws:iam/role:Role", "app-execution")
    task = child(deployment, "app", "aws:ecs/taskDefinition:TaskDefinition")
    assert task.inputs["executionRoleArn"] == role.outputs["arn"]


@pytest.mark.parametrize(("stack", "mutability", "protected"), [("dev", "MUTABLE", False), ("prd", "IMMUTABLE", True)])
def test_registry_and_logs_per_stack(stack: str, mutability: str, protected: bool) -> None:
    d = run_stack(stack)
    repo = child(d, "images", "aws:ecr/repository:Repository")
    assert repo.inputs["name"] == f"papyrus-{stack}"
    assert repo.inputs["imageTagMutability"] == mutability
    assert repo.inputs["imageScanningConfiguration"] == {"scanOnPush": True}
    assert repo.inputs["encryptionConfigurations"] == [{"encryptionType": "AES256"}]
    assert repo.inputs["forceDelete"] is (not protected)
    assert repo.protect is protected
    lifecycle = child(d, "images", "aws:ecr/lifecyclePolicy:LifecyclePolicy")
    assert lifecycle.inputs["repository"] == repo.outputs["name"]
    rules = json.loads(lifecycle.inputs["policy"])["rules"]
    assert [(r["selection"]["tagStatus"], r["action"]["type"]) for r in rules] == [
        ("untagged", "expire"),
        ("tagged", "expire"),
    ]
    assert d.outputs["repositoryUrl"] == repo.outputs["repositoryUrl"]

    logs = child(d, "app-logs", "aws:cloudwatch/logGroup:LogGroup")
    assert logs.inputs["name"] == f"/ecs/papyrus/{stack}"
    assert logs.inputs["retentionInDays"] == {"dev": 1, "prd": 365}[stack]
    assert logs.protect is protected
    assert d.outputs["logGroupName"] == f"/ecs/papyrus/{stack}"


def test_prd_protects_its_stateful_resources_and_dev_does_not() -> None:
    stateful = [
        *prd().of_type("aws:secretsmanager/secret:Secret"),
        *prd().of_type("aws:ssm/parameter:Parameter"),
        *prd().of_type("random:index/randomPassword:RandomPassword"),
        child(prd(), "images", "aws:ecr/repository:Repository"),
        child(prd(), "app-logs", "aws:cloudwatch/logGroup:LogGroup"),
    ]
    assert len(stateful) == 3 + 6 + 2 + 1 + 1
    assert [r.name for r in stateful if not r.protect] == []
    assert [r.name for r in dev() if r.protect] == []
    windows = {s.inputs["recoveryWindowInDays"] for s in prd().of_type("aws:secretsmanager/secret:Secret")}
    assert min(windows) >= 7
    assert {s.inputs["recoveryWindowInDays"] for s in dev().of_type("aws:secretsmanager/secret:Secret")} == {0}


# ---- the request path (issue 5) --------------------------------------------------------------


def test_http_api_reaches_the_internal_listener_through_the_vpc_link(deployment: Deployment) -> None:
    listener = child(deployment, "api", "aws:lb/listener:Listener", "api-https" if https(deployment) else "api-http")
    link = child(deployment, "http-api", "aws:apigatewayv2/vpcLink:VpcLink")
    integration = child(deployment, "http-api", "aws:apigatewayv2/integration:Integration")
    assert integration.inputs["integrationUri"] == listener.outputs["arn"]
    assert ":listener/app/" in integration.inputs["integrationUri"]
    assert integration.inputs["connectionType"] == "VPC_LINK"
    assert integration.inputs["connectionId"] == link.id
    assert link.inputs["subnetIds"] == deployment.outputs["privateSubnetIds"]
    api_alb = child(deployment, "api", "aws:lb/loadBalancer:LoadBalancer")
    assert api_alb.inputs["internal"] is True
    assert api_alb.inputs["subnets"] == deployment.outputs["privateSubnetIds"]


def test_every_api_route_requires_the_auth0_jwt(deployment: Deployment) -> None:
    authorizer = child(deployment, "http-api", "aws:apigatewayv2/authorizer:Authorizer")
    resource_server = child(deployment, "auth0", "auth0:index/resourceServer:ResourceServer")
    tenant = {"dev": "papyrus-dev.us.auth0.com", "prd": "papyrus.us.auth0.com"}[deployment.stack]
    assert authorizer.inputs["authorizerType"] == "JWT"
    assert authorizer.inputs["identitySources"] == ["$request.header.Authorization"]
    assert authorizer.inputs["jwtConfiguration"] == {
        "issuer": f"https://{tenant}/",
        "audiences": [resource_server.inputs["identifier"]],
    }
    routes = children(deployment, "http-api", "aws:apigatewayv2/route:Route")
    assert [r.inputs["routeKey"] for r in routes] == ["ANY /api/{proxy+}"]
    for route in routes:
        assert route.inputs["authorizationType"] == "JWT"
        assert route.inputs["authorizerId"] == authorizer.id
    assert (
        deployment.outputs["apiEndpoint"]
        == child(deployment, "http-api", "aws:apigatewayv2/api:Api").outputs["apiEndpoint"]
    )


def test_internal_alb_admits_only_the_vpc_link(deployment: Deployment) -> None:
    api_sg = child(deployment, "api", "aws:ec2/securityGroup:SecurityGroup")
    link = child(deployment, "http-api", "aws:apigatewayv2/vpcLink:VpcLink")
    [link_sg_id] = link.inputs["securityGroupIds"]
    ingress = by_input(
        deployment.of_type("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"), "securityGroupId", api_sg.id
    )
    assert [
        (r.inputs.get("referencedSecurityGroupId"), r.inputs.get("cidrIpv4"), r.inputs["fromPort"]) for r in ingress
    ] == [(link_sg_id, None, 443 if https(deployment) else 80)]


def test_public_alb_is_open_only_on_its_listener_ports(deployment: Deployment) -> None:
    web_sg = child(deployment, "web", "aws:ec2/securityGroup:SecurityGroup")
    ingress = by_input(
        deployment.of_type("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"), "securityGroupId", web_sg.id
    )
    ports = sorted((r.inputs["fromPort"], r.inputs["toPort"], r.inputs["cidrIpv4"]) for r in ingress)
    expected = [(80, 80, "0.0.0.0/0")] + ([(443, 443, "0.0.0.0/0")] if https(deployment) else [])
    assert ports == expected
    egress = by_input(
        deployment.of_type("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"), "securityGroupId", web_sg.id
    )
    service_sg = child(deployment, "app", "aws:ec2/securityGroup:SecurityGroup")
    assert [(r.inputs["referencedSecurityGroupId"], r.inputs["fromPort"]) for r in egress] == [(service_sg.id, 5000)]


def test_public_listener_answers_api_paths_with_404(deployment: Deployment) -> None:
    serving = child(deployment, "web", "aws:lb/listener:Listener", "web-https" if https(deployment) else "web-http")
    rules = children(deployment, "web", "aws:lb/listenerRule:ListenerRule")
    assert [r.inputs["priority"] for r in rules] == [1, 2]
    for rule in rules:
        assert rule.inputs["listenerArn"] == serving.outputs["arn"]
        [action] = rule.inputs["actions"]
        assert action["type"] == "fixed-response"
        assert action["fixedResponse"]["statusCode"] == "404"
    assert rules[0].inputs["conditions"] == [{"pathPattern": {"values": ["/api", "/api/*"]}}]
    [condition] = rules[1].inputs["conditions"]
    [regex] = condition["pathPattern"]["regexValues"]
    # Every spelling Flask would route to /api, and nothing else.
    for path in ("/api", "/api/", "/api/notes", "/%61pi/notes", "/a%70%69", "//api/x", "/%61%70%69%2Fnotes"):
        assert re.search(regex, path), path
    for path in ("/", "/apiary", "/about", "/API/notes", "/static/api", "/ap", "/%62pi"):
        assert not re.search(regex, path), path
    web_tg = child(deployment, "web", "aws:lb/targetGroup:TargetGroup")
    assert serving.inputs["defaultActions"][0]["targetGroupArn"] == web_tg.outputs["arn"]


def test_service_wiring(deployment: Deployment) -> None:
    service = child(deployment, "app", "aws:ecs/service:Service")
    service_sg = child(deployment, "app", "aws:ec2/securityGroup:SecurityGroup")
    network = service.inputs["networkConfiguration"]
    assert network["subnets"] == deployment.outputs["privateSubnetIds"]
    assert network["assignPublicIp"] is False
    assert network["securityGroups"] == [service_sg.id]

    web_sg = child(deployment, "web", "aws:ec2/securityGroup:SecurityGroup")
    api_sg = child(deployment, "api", "aws:ec2/securityGroup:SecurityGroup")
    ingress = by_input(
        deployment.of_type("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"),
        "securityGroupId",
        service_sg.id,
    )
    assert sorted((r.inputs["referencedSecurityGroupId"], r.inputs["fromPort"]) for r in ingress) == sorted(
        [(web_sg.id, 5000), (api_sg.id, 5000)]
    )

    groups = {child(deployment, lb, "aws:lb/targetGroup:TargetGroup").outputs["arn"] for lb in ("web", "api")}
    assert {e["targetGroupArn"] for e in service.inputs["loadBalancers"]} == groups
    assert {(e["containerName"], e["containerPort"]) for e in service.inputs["loadBalancers"]} == {("app", 5000)}
    # The service waits for both listeners (and the public 404 rule) by reference.
    listeners = {
        child(
            deployment,
            lb,
            "aws:lb/listener:Listener",
            f"{lb}-https" if https(deployment) else f"{lb}-http",
        ).urn
        for lb in ("web", "api")
    }
    assert listeners <= set(service.property_dependencies["loadBalancers"])

    app = container(deployment)
    repo = child(deployment, "images", "aws:ecr/repository:Repository")
    # The stack's release tag (dev: latest), resolved to the digest ECR holds for it.
    tag = {"dev": "latest", "prd": "v1.0.0"}[deployment.stack]
    digest = AwsMocks().call(
        MockCallArgs(
            "aws:ecr/getImage:getImage", {"repositoryName": f"papyrus-{deployment.stack}", "imageTag": tag}, ""
        )
    )[0]["imageDigest"]
    assert app["image"] == f"{repo.outputs['repositoryUrl']}@{digest}" == deployment.outputs["image"]
    assert app["portMappings"][0]["containerPort"] == 5000
    assert app["privileged"] is False
    assert app["readonlyRootFilesystem"] is True
    logs = child(deployment, "app-logs", "aws:cloudwatch/logGroup:LogGroup")
    assert app["logConfiguration"]["logDriver"] == "awslogs"
    assert app["logConfiguration"]["options"]["awslogs-group"] == logs.inputs["name"]
    assert app["logConfiguration"]["options"]["awslogs-region"] == "us-west-2"
    desired = {"dev": 1, "prd": 2}[deployment.stack]
    assert service.inputs["desiredCount"] == desired
    assert service.inputs["deploymentCircuitBreaker"] == {"enable": True, "rollback": True}
    task = child(deployment, "app", "aws:ecs/taskDefinition:TaskDefinition")
    assert (task.inputs["cpu"], task.inputs["memory"]) == {"dev": ("256", "512"), "prd": ("512", "1024")}[
        deployment.stack
    ]


def test_every_log_group_keeps_logs_for_the_configured_days(deployment: Deployment) -> None:
    days = {"dev": 1, "prd": 365}[deployment.stack]
    groups = deployment.of_type("aws:cloudwatch/logGroup:LogGroup")
    assert len(groups) == 3
    assert {g.inputs["retentionInDays"] for g in groups} == {days}


def test_protect_dependent_settings() -> None:
    for d, protected in ((dev(), False), (prd(), True)):
        for lb in ("web", "api"):
            alb = child(d, lb, "aws:lb/loadBalancer:LoadBalancer")
            assert alb.inputs["enableDeletionProtection"] is protected
            assert alb.inputs["dropInvalidHeaderFields"] is True
            assert alb.inputs["desyncMitigationMode"] == "defensive"
            group = child(d, lb, "aws:lb/targetGroup:TargetGroup")
            assert group.inputs["deregistrationDelay"] == (30 if protected else 5)
            assert group.inputs["targetType"] == "ip"
            assert group.inputs["healthCheck"]["path"] == "/healthz"
        cluster = child(d, "app", "aws:ecs/cluster:Cluster")
        assert cluster.inputs["settings"] == [
            {"name": "containerInsights", "value": "enabled" if protected else "disabled"}
        ]


def test_custom_domain_serves_https_with_a_validated_certificate() -> None:
    d = domain()
    cert = child(d, "web", "aws:acm/certificate:Certificate")
    assert cert.inputs["domainName"] == "papyrus.example.com"
    assert cert.inputs["validationMethod"] == "DNS"
    records = {r.name: r for r in children(d, "web", "aws:route53/record:Record")}
    validation, alias = records["web-validation"], records["web-alias"]
    option = cert.outputs["domainValidationOptions"][0]
    assert (validation.inputs["zoneId"], validation.inputs["name"], validation.inputs["records"]) == (
        "Z0123456789ABCDEFGHIJ",
        option["resourceRecordName"],
        [option["resourceRecordValue"]],
    )
    alb = child(d, "web", "aws:lb/loadBalancer:LoadBalancer")
    assert alias.inputs["name"] == "papyrus.example.com"
    assert alias.inputs["aliases"][0]["name"] == alb.outputs["dnsName"]
    https = child(d, "web", "aws:lb/listener:Listener", "web-https")
    assert https.inputs["certificateArn"] == cert.outputs["arn"]
    assert https.inputs["sslPolicy"].startswith("ELBSecurityPolicy-TLS13")
    redirect = child(d, "web", "aws:lb/listener:Listener", "web-http").inputs["defaultActions"][0]
    assert redirect["type"] == "redirect"
    assert (redirect["redirect"]["protocol"], redirect["redirect"]["statusCode"]) == ("HTTPS", "HTTP_301")
    assert d.outputs["webUrl"] == "https://papyrus.example.com"


# ---- Auth0 in the same run (issue 6) ---------------------------------------------------------


def test_auth0_urls_follow_the_web_entry_point(deployment: Deployment) -> None:
    base = base_url(deployment)
    client = child(deployment, "auth0", "auth0:index/client:Client")
    assert client.inputs["callbacks"] == [f"{base}/callback"]
    assert client.inputs["allowedLogoutUrls"] == [f"{base}/logout", base]
    assert client.inputs["webOrigins"] == [base]
    assert client.inputs["appType"] == "regular_web"
    assert client.inputs["oidcConformant"] is True
    assert client.inputs["grantTypes"] == ["authorization_code", "refresh_token"]
    credentials = child(deployment, "auth0", "auth0:index/clientCredentials:ClientCredentials")
    assert credentials.inputs["clientId"] == client.outputs["clientId"]
    assert credentials.inputs["authenticationMethod"] == "client_secret_post"
    api = child(deployment, "auth0", "auth0:index/resourceServer:ResourceServer")
    assert api.inputs["signingAlg"] == "RS256"
    assert deployment.outputs["callbackUrl"] == f"{base}/callback"
    assert deployment.outputs["webUrl"] == base
    assert deployment.outputs["auth0ClientId"] == client.outputs["clientId"]
    assert deployment.outputs["apiAudience"] == api.inputs["identifier"]


def test_auth0_needs_no_second_run() -> None:
    """Nothing the Auth0 application depends on depends on it, so one `pulumi up` creates both,
    and the client's URLs come from the load balancer that already exists in that run."""
    d = dev()
    client = child(d, "auth0", "auth0:index/client:Client")
    upstream = d.dependency_closure(client)
    assert child(d, "web", "aws:lb/loadBalancer:LoadBalancer").urn in upstream
    auth0_urns = {r.urn for r in d if r.type.startswith("auth0:")}
    for urn in upstream:
        assert not (d.dependency_closure(d.by_urn(urn)) & auth0_urns), f"{urn} depends back on Auth0"


def test_stack_outputs_a_user_needs(deployment: Deployment) -> None:
    assert {
        "webUrl",
        "apiEndpoint",
        "callbackUrl",
        "auth0ClientId",
        "apiAudience",
        "repositoryUrl",
        "logGroupName",
        "webLoadBalancerDnsName",
        "apiLoadBalancerDnsName",
    } <= set(deployment.outputs)
    assert deployment.outputs["apiLoadBalancerDnsName"].startswith("internal-")
