"""Every component through the component provider, as a TypeScript program reaches it.

The provider runs in its own process, started as the Pulumi CLI starts a source-based plugin
(`tests/provider_host.py`); this test plays the engine. Inputs are what the engine sends for a
TypeScript program: camelCase keys, numbers as doubles (`8080` arrives as `8080.0`), values from
other components as output values with their dependencies, secrets marked. The provider starts
once for the module (it imports pulumi_aws, a few seconds).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import grpc
import pytest
from google.protobuf import empty_pb2
from pulumi.provider.experimental.util import camel_case
from pulumi.runtime.proto import provider_pb2

import components
from components import provider as provider_module
from components.testing.engine import Deployment, RegisteredResource
from tests.provider_host import STACK_URN, ProviderHost, output_value, state_of

# One provider host per module, on one worker (the host imports every provider SDK: seconds).
pytestmark = [pytest.mark.subprocess, pytest.mark.xdist_group("provider-host")]

SCHEMA = provider_module.schema()

# One program's worth of components, named apart from the error cases below.
NETWORK, REGISTRY, LOGS, CONFIG, LOG_BUCKET, BACKEND, API, SERVICE, AUTH = (
    "orders-net",
    "orders-images",
    "orders-logs",
    "orders-config",
    "orders-alb-logs",
    "orders-backend",
    "orders-api",
    "orders-svc",
    "orders-auth",
)


@pytest.fixture(scope="module")
def host() -> Iterator[ProviderHost]:
    with ProviderHost() as running:
        running.configure()
        yield running


class Program:
    """What `pulumi up` of a small TypeScript program built from the package would construct."""

    def __init__(self, host: ProviderHost) -> None:
        self.host = host
        self.urns: dict[str, str] = {}
        self.states: dict[str, dict[str, Any]] = {}
        self.secret_paths: dict[str, frozenset[tuple[str | int, ...]]] = {}

    def new(self, component: str, name: str, inputs: dict[str, Any]) -> dict[str, Any]:
        dependencies = {
            key: sorted({urn for urn in _dependencies(value)}) for key, value in inputs.items() if _dependencies(value)
        }
        response = self.host.construct(component, name, inputs, dependencies=dependencies)
        self.urns[name] = response.urn
        self.states[name], self.secret_paths[name] = state_of(response)
        return self.states[name]

    def out(self, name: str, key: str, *, secret: bool = False) -> dict[str, Any]:
        """Output `key` of component `name`, as the engine forwards it to the next component."""
        return output_value(self.states[name][key], self.urns[name], secret=secret)


def _dependencies(value: Any) -> set[str]:
    if isinstance(value, dict):
        found = set(value.get("dependencies", ())) if "dependencies" in value else set()
        for item in value.values():
            found |= _dependencies(item)
        return found
    if isinstance(value, list):
        return set().union(*(_dependencies(item) for item in value)) if value else set()
    return set()


@pytest.fixture(scope="module")
def program(host: ProviderHost) -> Program:
    p = Program(host)
    p.new(
        "PublicPrivateVpc",
        NETWORK,
        {"cidrBlock": "10.30.0.0/20", "availabilityZoneCount": 2, "natStrategy": "single", "tags": {"team": "orders"}},
    )
    p.new(
        "ContainerRegistry",
        REGISTRY,
        {"repositoryName": "orders-api", "maxTaggedImages": 30, "imageTagMutability": "MUTABLE"},
    )
    p.new("ApplicationLogGroup", LOGS, {"logGroupName": "/ecs/orders-api", "retentionInDays": 14})
    p.new(
        "SecureAppConfig",
        CONFIG,
        {
            "parameterPrefix": "/orders-api/dev",
            "secretPrefix": "orders-api/dev",
            "parameters": {"LOG_LEVEL": "info"},
            "secretGroups": {"app": {"signing_key": output_value("s3cr3t-signing-key", secret=True)}},
            "secretEnv": {"SIGNING_KEY": "app.signing_key"},
        },
    )
    p.new("AccessLogBucket", LOG_BUCKET, {"prefixes": ["orders"], "expirationDays": 90})
    p.new(
        "ApplicationLoadBalancer",
        BACKEND,
        {
            "vpcId": p.out(NETWORK, "vpcId"),
            "subnetIds": p.out(NETWORK, "privateSubnetIds"),
            "internal": True,
            "targetPort": 8080,
            "healthCheckPath": "/health",
            "deregistrationDelaySeconds": 30,
            "accessLogBucket": p.out(LOG_BUCKET, "bucketName"),
            "accessLogPrefix": "orders",
        },
    )
    p.new(
        "AuthenticatedHttpApi",
        API,
        {
            "vpcId": p.out(NETWORK, "vpcId"),
            "subnetIds": p.out(NETWORK, "privateSubnetIds"),
            "listenerArn": p.out(BACKEND, "listenerArn"),
            "listenerPort": p.out(BACKEND, "listenerPort"),
            "targetSecurityGroupId": p.out(BACKEND, "securityGroupId"),
            "issuer": "https://orders-dev.eu.auth0.com/",
            "audiences": ["https://orders.example.com/api"],
            "routes": ["GET /orders", "POST /orders", "GET /health", "OPTIONS /orders"],
            "publicRoutes": ["GET /health", "OPTIONS /orders"],
            "cors": {
                "allowOrigins": ["https://shop.example.com"],
                "allowMethods": ["GET", "POST"],
                "maxAgeSeconds": 600,
            },
            "throttlingRateLimit": 25.5,
            "throttlingBurstLimit": 50,
        },
    )
    image = f"{p.states[REGISTRY]['repositoryUrl']}:2026.11.1"
    p.new(
        "FargateService",
        SERVICE,
        {
            "vpcId": p.out(NETWORK, "vpcId"),
            "subnetIds": p.out(NETWORK, "privateSubnetIds"),
            "image": output_value(image, p.urns[REGISTRY]),
            "repositoryArn": p.out(REGISTRY, "repositoryArn"),
            "containerPort": 8080,
            "cpu": 512,
            "memory": 1024,
            "cpuArchitecture": "ARM64",
            "desiredCount": 2,
            "egressTcpPorts": [443, 5432],
            "secrets": p.out(CONFIG, "containerSecrets"),
            "secretsReadPolicyJson": p.out(CONFIG, "readPolicyJson"),
            "logGroupName": p.out(LOGS, "logGroupName"),
            "logGroupArn": p.out(LOGS, "logGroupArn"),
            "loadBalancers": [
                {
                    "name": "orders",
                    "targetGroupArn": p.out(BACKEND, "targetGroupArn"),
                    "securityGroupId": p.out(BACKEND, "securityGroupId"),
                    "listenerArn": p.out(BACKEND, "listenerArn"),
                    "targetPort": p.out(BACKEND, "targetPort"),
                }
            ],
        },
    )
    p.new(
        "Auth0Application",
        AUTH,
        {
            "applicationName": "orders",
            "tenantDomain": "orders-dev.eu.auth0.com",
            "apiIdentifier": "https://orders.example.com/api",
            "baseUrl": output_value("https://shop.example.com"),
            "accessTokenLifetimeSeconds": 3600,
        },
    )
    return p


def _component(deployment: Deployment, name: str) -> RegisteredResource:
    [component] = [r for r in deployment if not r.custom and r.name == name]
    return component


def _child(deployment: Deployment, parent: RegisteredResource, type_: str) -> RegisteredResource:
    [child] = [r for r in deployment.descendants(parent) if r.type == type_]
    return child


# ---- the plugin as the engine meets it ----------------------------------------------------


def test_the_plugin_serves_the_schema_it_was_built_with(host: ProviderHost) -> None:
    info = host.provider.GetPluginInfo(empty_pb2.Empty(), timeout=30)
    assert info.version == components.__version__
    served = json.loads(host.provider.GetSchema(provider_pb2.GetSchemaRequest(version=0), timeout=30).schema)
    assert served == SCHEMA


@pytest.mark.parametrize("component", provider_module.HOSTED_COMPONENTS, ids=lambda c: c.__name__)
def test_every_component_constructs_with_its_documented_outputs(
    program: Program, host: ProviderHost, component: type[Any]
) -> None:
    name = {
        "PublicPrivateVpc": NETWORK,
        "ContainerRegistry": REGISTRY,
        "ApplicationLogGroup": LOGS,
        "SecureAppConfig": CONFIG,
        "AccessLogBucket": LOG_BUCKET,
        "ApplicationLoadBalancer": BACKEND,
        "AuthenticatedHttpApi": API,
        "FargateService": SERVICE,
        "Auth0Application": AUTH,
    }[component.__name__]
    resource = SCHEMA["resources"][f"papyrus:index:{component.__name__}"]
    state = program.states[name]
    assert set(resource.get("required", [])) <= set(state), f"{component.__name__} left required outputs unset"
    assert set(state) <= set(resource["properties"]), "the state carries only declared outputs"
    deployment = host.deployment()
    registered = _component(deployment, name)
    assert registered.type == f"papyrus:index:{component.__name__}"
    assert registered.urn == program.urns[name]
    assert registered.parent == STACK_URN
    children = deployment.descendants(registered)
    assert children, "a component registers its resources"
    assert all(c.custom or c.type.startswith("papyrus:") for c in children)
    # The state the caller gets is what the component registered as its outputs, in camelCase.
    registered_outputs = host.monitor.outputs[registered.urn]
    assert {camel_case(k) for k, v in registered_outputs.items() if v is not None} == set(state)


def test_integer_inputs_arrive_as_integers(program: Program, host: ProviderHost) -> None:
    deployment = host.deployment()
    backend = _component(deployment, BACKEND)
    target_group = _child(deployment, backend, "aws:lb/targetGroup:TargetGroup")
    assert target_group.inputs["port"] == 8080
    assert target_group.inputs["deregistrationDelay"] == 30
    service = _component(deployment, SERVICE)
    task = _child(deployment, service, "aws:ecs/taskDefinition:TaskDefinition")
    assert (task.inputs["cpu"], task.inputs["memory"]) == ("512", "1024")
    [container] = json.loads(task.inputs["containerDefinitions"])
    assert container["portMappings"][0]["containerPort"] == 8080
    assert isinstance(container["portMappings"][0]["containerPort"], int)
    ecs_service = _child(deployment, service, "aws:ecs/service:Service")
    assert ecs_service.inputs["desiredCount"] == 2
    network = _component(deployment, NETWORK)
    assert len([c for c in deployment.descendants(network) if c.type == "aws:ec2/subnet:Subnet"]) == 4
    assert program.states[NETWORK]["availabilityZones"] == ["us-west-2a", "us-west-2b"]


def test_numbers_and_nested_objects_map_to_the_python_args(program: Program, host: ProviderHost) -> None:
    deployment = host.deployment()
    api = _component(deployment, API)
    stage = _child(deployment, api, "aws:apigatewayv2/stage:Stage")
    assert stage.inputs["defaultRouteSettings"]["throttlingRateLimit"] == 25.5
    assert stage.inputs["defaultRouteSettings"]["throttlingBurstLimit"] == 50
    http_api = _child(deployment, api, "aws:apigatewayv2/api:Api")
    assert http_api.inputs["corsConfiguration"]["allowOrigins"] == ["https://shop.example.com"]
    assert http_api.inputs["corsConfiguration"]["maxAge"] == 600


def test_outputs_of_one_component_wire_into_the_next(program: Program, host: ProviderHost) -> None:
    deployment = host.deployment()
    service = _component(deployment, SERVICE)
    ecs_service = _child(deployment, service, "aws:ecs/service:Service")
    [target] = ecs_service.inputs["loadBalancers"]
    assert target["targetGroupArn"] == program.states[BACKEND]["targetGroupArn"]
    assert target["containerPort"] == 8080
    assert ecs_service.inputs["networkConfiguration"]["subnets"] == program.states[NETWORK]["privateSubnetIds"]
    # The ALB's security group admits the tasks' port only from itself, wired by reference.
    backend = _component(deployment, BACKEND)
    integration = _child(deployment, _component(deployment, API), "aws:apigatewayv2/integration:Integration")
    assert integration.inputs["integrationUri"] == program.states[BACKEND]["listenerArn"]
    assert _child(deployment, backend, "aws:lb/loadBalancer:LoadBalancer").inputs["internal"] is True
    # The ports travel with the ARNs: the VPC link reaches the listener's port, the tasks the target group's.
    assert (program.states[BACKEND]["listenerPort"], program.states[BACKEND]["targetPort"]) == (80, 8080)
    api = _component(deployment, API)
    link_rules = [r for r in deployment.descendants(api) if r.type.startswith("aws:vpc/securityGroup")]
    assert {(r.inputs["fromPort"], r.inputs["toPort"]) for r in link_rules} == {(80, 80)}
    # The access log bucket's name reaches the load balancer.
    load_balancer = _child(deployment, backend, "aws:lb/loadBalancer:LoadBalancer")
    assert load_balancer.inputs["accessLogs"]["bucket"] == program.states[LOG_BUCKET]["bucketName"]
    assert load_balancer.inputs["accessLogs"]["prefix"] == "orders"


def test_enums_arrive_as_the_strings_typescript_sends(program: Program, host: ProviderHost) -> None:
    deployment = host.deployment()
    network = _component(deployment, NETWORK)
    assert len([r for r in deployment.descendants(network) if r.type == "aws:ec2/natGateway:NatGateway"]) == 1
    repository = _child(deployment, _component(deployment, REGISTRY), "aws:ecr/repository:Repository")
    assert repository.inputs["imageTagMutability"] == "MUTABLE"
    task = _child(deployment, _component(deployment, SERVICE), "aws:ecs/taskDefinition:TaskDefinition")
    assert task.inputs["runtimePlatform"]["cpuArchitecture"] == "ARM64"
    http_api = _child(deployment, _component(deployment, API), "aws:apigatewayv2/api:Api")
    assert http_api.inputs["corsConfiguration"]["allowMethods"] == ["GET", "POST"]


def test_secrets_stay_secret_through_the_provider(program: Program, host: ProviderHost) -> None:
    deployment = host.deployment()
    config = _component(deployment, CONFIG)
    version = _child(deployment, config, "aws:secretsmanager/secretVersion:SecretVersion")
    assert version.fully_secret("secretString")
    assert json.loads(version.inputs["secretString"]) == {"signing_key": "s3cr3t-signing-key"}
    auth = program.states[AUTH]
    assert auth["clientSecret"]
    assert ("clientSecret",) in program.secret_paths[AUTH]
    for resource in deployment:
        plain = {k: v for k, v in resource.inputs.items() if not resource.is_secret(k)}
        assert "s3cr3t-signing-key" not in json.dumps(plain), resource.urn


def test_a_preview_with_unknown_outputs_constructs(host: ProviderHost) -> None:
    response = host.construct(
        "ApplicationLoadBalancer",
        "preview-backend",
        {
            "vpcId": output_value(known=False),
            "subnetIds": output_value(known=False),
            "internal": True,
            "targetPort": 8080,
        },
        dry_run=True,
    )
    state, _ = state_of(response)
    assert response.urn.endswith("::preview-backend")
    deployment = host.deployment()
    target_group = _child(deployment, _component(deployment, "preview-backend"), "aws:lb/targetGroup:TargetGroup")
    assert target_group.inputs["port"] == 8080
    assert "securityGroupId" in state


# ---- refusals: one line, the caller's key, the value, what is allowed ------------------------


def _refused(
    host: ProviderHost, component: str, name: str, inputs: dict[str, Any], *, checked_when_known: bool = False
) -> str:
    with pytest.raises(grpc.RpcError) as caught:
        host.construct(component, name, inputs)
    error: Any = caught.value
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT, error.details()
    message: str = error.details()
    assert "\n" not in message
    assert "Traceback" not in message
    assert "Unexpected" not in message
    if not checked_when_known:  # an output's value is checked once known, after registrations began
        assert not [r for r in host.deployment() if r.name == name], "refused before registering anything"
    return message


VPC = {"cidrBlock": "10.40.0.0/20"}
SERVICE_INPUTS = {
    "vpcId": "vpc-0123456789abcdef0",
    "subnetIds": ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"],
    "image": "123456789012.dkr.ecr.us-west-2.amazonaws.com/orders:1",
    "repositoryArn": "arn:aws:ecr:us-west-2:123456789012:repository/orders",
    "containerPort": 8080,
    "logGroupName": "/ecs/orders",
    "logGroupArn": "arn:aws:logs:us-west-2:123456789012:log-group:/ecs/orders",
}
TARGET = {
    "targetGroupArn": "arn:aws:elasticloadbalancing:us-west-2:123456789012:targetgroup/orders/0123456789abcdef",
    "securityGroupId": "sg-0123456789abcdef0",
    "listenerArn": "arn:aws:elasticloadbalancing:us-west-2:123456789012:listener/app/a/0123456789abcdef/fedcba98",
}
HTTP_API_TARGET = {
    "listenerArn": "arn:aws:elasticloadbalancing:us-west-2:123456789012:listener/app/a/0123456789abcdef/fedcba98",
    "targetSecurityGroupId": "sg-0123456789abcdef0",
    "issuer": "https://orders-dev.eu.auth0.com/",
    "audiences": ["orders"],
}
ALB = {
    "vpcId": "vpc-0123456789abcdef0",
    "subnetIds": ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"],
    "internal": True,
    "targetPort": 8080,
}


def test_an_unknown_key_is_refused_with_the_nearest_one(host: ProviderHost) -> None:
    message = _refused(host, "PublicPrivateVpc", "typo-net", {**VPC, "natStratgy": "single"})
    assert message.startswith("invalid natStratgy='single'; expected one of the inputs of PublicPrivateVpc: ")
    assert message.endswith("(did you mean natStrategy?)")
    nested = _refused(
        host,
        "FargateService",
        "typo-svc",
        {**SERVICE_INPUTS, "loadBalancers": [{**TARGET, "nmae": "web"}]},
    )
    assert nested.startswith("invalid loadBalancers[0].nmae='web'; expected one of the inputs of LoadBalancerTarget")
    assert nested.endswith("(did you mean name?)")


def test_a_non_integral_number_is_refused(host: ProviderHost) -> None:
    message = _refused(host, "ApplicationLoadBalancer", "half-port", {**ALB, "targetPort": 8080.5})
    assert message == "invalid targetPort=8080.5; expected an integer (a whole number)"


def test_a_string_for_a_number_is_refused(host: ProviderHost) -> None:
    message = _refused(host, "ApplicationLoadBalancer", "text-port", {**ALB, "targetPort": "8080"})
    assert message == "invalid targetPort='8080'; expected an integer"
    rate = _refused(
        host,
        "AuthenticatedHttpApi",
        "text-rate",
        {
            "vpcId": "vpc-0123456789abcdef0",
            "subnetIds": ["subnet-0123456789abcdef0"],
            **HTTP_API_TARGET,
            "cors": {"allowOrigins": ["https://shop.example.com"], "maxAgeSeconds": "600"},
        },
    )
    assert rate == "invalid cors.maxAgeSeconds='600'; expected an integer"


def test_a_value_outside_an_enum_is_refused_with_the_allowed_values(host: ProviderHost) -> None:
    message = _refused(host, "PublicPrivateVpc", "dual-net", {**VPC, "natStrategy": "dual"})
    assert message == (
        "invalid natStrategy='dual'; expected one of 'none', 'single', 'per_az', 'instance', 'instance_per_az'"
    )
    case = _refused(host, "FargateService", "arm-svc", {**SERVICE_INPUTS, "cpuArchitecture": "arm64"})
    assert case == "invalid cpuArchitecture='arm64'; expected one of 'X86_64', 'ARM64'"
    nested = _refused(
        host,
        "AuthenticatedHttpApi",
        "fetch-api",
        {
            "vpcId": "vpc-0123456789abcdef0",
            "subnetIds": ["subnet-0123456789abcdef0"],
            **HTTP_API_TARGET,
            "cors": {"allowOrigins": ["*"], "allowMethods": ["GET", "FETCH"]},
        },
    )
    assert nested == (
        "invalid cors.allowMethods[1]='FETCH'; expected one of 'GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', "
        "'OPTIONS', '*'"
    )


def test_a_target_group_port_other_than_the_container_port_names_both_keys(host: ProviderHost) -> None:
    message = _refused(
        host, "FargateService", "port-svc", {**SERVICE_INPUTS, "loadBalancers": [{**TARGET, "targetPort": 80}]}
    )
    assert message.startswith("invalid loadBalancers[0].targetPort=80; expected containerPort, 8080: ")


def test_a_missing_required_input_is_named(host: ProviderHost) -> None:
    assert _refused(host, "PublicPrivateVpc", "no-cidr", {"natStrategy": "single"}) == (
        "missing cidrBlock; expected a value (it is required)"
    )


def test_the_components_own_checks_name_the_callers_keys(host: ProviderHost) -> None:
    message = _refused(host, "PublicPrivateVpc", "wide-net", {"cidrBlock": "10.0.0.0/8", "availabilityZoneCount": 2})
    assert message.startswith("invalid cidrBlock='10.0.0.0/8'; expected an IPv4 network address")
    zones = _refused(host, "PublicPrivateVpc", "one-zone", {**VPC, "availabilityZoneCount": 1})
    assert zones.startswith("invalid availabilityZoneCount=1; expected")
    cors = _refused(
        host,
        "AuthenticatedHttpApi",
        "bad-origin",
        {
            "vpcId": "vpc-0123456789abcdef0",
            "subnetIds": ["subnet-0123456789abcdef0"],
            **HTTP_API_TARGET,
            "cors": {"allowOrigins": ["https://shop.example.com/path"]},
        },
    )
    assert cors.startswith("invalid cors.allowOrigins[0]='https://shop.example.com/path'; expected")
    groups = _refused(
        host,
        "SecureAppConfig",
        "bad-group",
        {"parameterPrefix": "/orders/dev", "secretPrefix": "orders/dev", "secretGroups": {"bad group": {"k": "v"}}},
    )
    assert groups.startswith("invalid secretGroups='bad group'; expected group names of")
    both = _refused(
        host,
        "SecureAppConfig",
        "no-entries",
        {"parameterPrefix": "/orders/dev", "secretPrefix": "orders/dev"},
    )
    # Names in what is allowed are the caller's too.
    assert both == "invalid parameters={}; expected at least one entry in parameters, secureParameters or secretGroups"
    target = _refused(
        host, "FargateService", "bad-target", {**SERVICE_INPUTS, "loadBalancers": [{**TARGET, "targetGroupArn": "x"}]}
    )
    assert target == "invalid loadBalancers[0].targetGroupArn='x'; expected a target group ARN"


def test_a_check_of_a_resolved_output_is_one_line_too(host: ProviderHost) -> None:
    message = _refused(
        host,
        "Auth0Application",
        "ftp-auth",
        {
            "applicationName": "orders",
            "tenantDomain": "orders-dev.eu.auth0.com",
            "apiIdentifier": "https://orders.example.com/api",
            "baseUrl": output_value("ftp://shop.example.com"),
        },
        checked_when_known=True,
    )
    assert message.startswith("invalid baseUrl='ftp://shop.example.com'; expected")


def test_a_secret_value_is_never_shown_in_an_error(host: ProviderHost) -> None:
    message = _refused(
        host,
        "SecureAppConfig",
        "secret-param",
        {
            "parameterPrefix": "/orders/dev",
            "secretPrefix": "orders/dev",
            "secretGroups": {"app": {"token": output_value(42, secret=True)}},
        },
        checked_when_known=True,
    )
    assert "42" not in message
    assert "[secret]" in message
    assert message.startswith("invalid secretGroups.app.token=[secret]; expected a string")


def test_an_unknown_component_type_is_refused(host: ProviderHost) -> None:
    message = _refused(host, "Vpc", "no-such", {})
    assert message.startswith("invalid type='papyrus:index:Vpc'; expected a resource type this package hosts")
