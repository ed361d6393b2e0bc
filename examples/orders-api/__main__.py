"""orders-api: a second team's JSON API, built only from papyrus-components.

    API client ──JWT──> HTTP API ──VPC link──> internal ALB ──> Fargate service (private subnets)

No public load balancer and no Auth0 resources of its own: the API trusts an existing
identity provider (jwtIssuer / jwtAudience), and GET /health is its only public route.
"""

import pulumi
import pulumi_random as random
from pulumi_aws import cloudwatch
from pulumi_aws.provider import Provider

from components import (
    ApplicationLoadBalancer,
    ApplicationLogGroup,
    AuthenticatedHttpApi,
    ContainerRegistry,
    FargateService,
    NatStrategy,
    PublicPrivateVpc,
    SecureAppConfig,
)
from components import validation as check

# Check every config value before registering anything, with the library's own checks,
# so a bad value stops `pulumi preview` with one error naming the key.
config = pulumi.Config()
stack = pulumi.get_stack()
where = f"stack {stack!r} config"
vpc_cidr = str(check.ipv4_network(where, "vpcCidr", config.require("vpcCidr")))
jwt_issuer = check.https_url(where, "jwtIssuer", config.require("jwtIssuer"))
jwt_audience = check.text(
    where,
    "jwtAudience",
    config.require("jwtAudience"),
    pattern=r"\S{1,600}",
    expected="the audience the JWTs carry, without spaces",
)
image_tag = check.text(
    where, "imageTag", config.require("imageTag"), pattern=r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}", expected="an image tag"
)
desired_count = check.integer(where, "desiredCount", config.require_int("desiredCount"), minimum=0, maximum=100)
port = 8080

aws_provider = Provider(
    "aws",
    region=pulumi.Config("aws").require("region"),
    default_tags={"tags": {"app": "orders-api", "stack": stack, "managed-by": "pulumi"}},
)
aws_opts = pulumi.ResourceOptions(provider=aws_provider)

network = PublicPrivateVpc(
    "network",
    {"cidr_block": vpc_cidr, "availability_zone_count": 2, "nat_strategy": NatStrategy.SINGLE},
    aws_opts,
)
registry = ContainerRegistry("images", {"repository_name": f"orders-api-{stack}"}, aws_opts)
logs = ApplicationLogGroup("logs", {"log_group_name": f"/ecs/orders-api/{stack}", "retention_in_days": 14}, aws_opts)

signing_key = random.RandomPassword("signing-key", length=48, special=False)
app_config = SecureAppConfig(
    "config",
    {
        "parameter_prefix": f"/orders-api/{stack}",
        "secret_prefix": f"orders-api/{stack}",
        "parameters": {"LOG_LEVEL": "info"},
        "secret_groups": {"app": {"signing_key": signing_key.result}},
        "secret_env": {"SIGNING_KEY": "app.signing_key"},
    },
    aws_opts,
)

backend = ApplicationLoadBalancer(
    "orders",
    {
        "vpc_id": network.vpc_id,
        "subnet_ids": network.private_subnet_ids,
        "internal": True,
        "target_port": port,
        "health_check_path": "/health",
    },
    aws_opts,
)
api = AuthenticatedHttpApi(
    "orders-api",
    {
        "vpc_id": network.vpc_id,
        "subnet_ids": network.private_subnet_ids,
        # The listener and its port, together: the VPC link may reach the load balancer on that port only.
        "listener_arn": backend.listener_arn,
        "listener_port": backend.listener_port,
        "target_security_group_id": backend.security_group_id,
        "issuer": jwt_issuer,
        "audiences": [jwt_audience],
        "routes": ["GET /orders", "POST /orders", "GET /orders/{id}", "GET /health"],
        "public_routes": ["GET /health"],
    },
    aws_opts,
)
service = FargateService(
    "orders",
    {
        "vpc_id": network.vpc_id,
        "subnet_ids": network.private_subnet_ids,
        "image": pulumi.Output.concat(registry.repository_url, ":", image_tag),
        "repository_arn": registry.repository_arn,
        "container_port": port,
        "desired_count": desired_count,
        "secrets": app_config.container_secrets,
        "secrets_read_policy_json": app_config.read_policy_json,
        "log_group_name": logs.log_group_name,
        "log_group_arn": logs.log_group_arn,
        "load_balancers": [
            {
                "name": "orders",
                "target_group_arn": backend.target_group_arn,
                "security_group_id": backend.security_group_id,
                "listener_arn": backend.listener_arn,
                # Checked against container_port: a mismatch fails before any rule opens a port.
                "target_port": backend.target_port,
            }
        ],
    },
    aws_opts,
)

# What a team adds next: an alarm on the service's 5XX answers, by the load balancer's metric dimensions.
cloudwatch.MetricAlarm(
    "orders-5xx",
    namespace="AWS/ApplicationELB",
    metric_name="HTTPCode_Target_5XX_Count",
    dimensions={"LoadBalancer": backend.load_balancer_arn_suffix, "TargetGroup": backend.target_group_arn_suffix},
    statistic="Sum",
    period=300,
    evaluation_periods=1,
    threshold=10,
    comparison_operator="GreaterThanThreshold",
    treat_missing_data="notBreaching",
    opts=aws_opts,
)

pulumi.export("apiEndpoint", api.api_endpoint)
pulumi.export("taskRoleName", service.task_role_name)
pulumi.export("repositoryUrl", registry.repository_url)
