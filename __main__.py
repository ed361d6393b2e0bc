"""papyrus: the production AWS foundation for the papyrus web app, one stack per environment.

    browser ──> web ALB (public) ──────────────────────────────┐
    API client ──JWT──> HTTP API ──VPC link──> api ALB (internal) ──> Fargate service "app"

The whole stack configuration is read and checked first (papyrus/settings.py), so a bad
value stops `pulumi preview` before anything is registered (the zone count, which only AWS
knows, is checked through the provider before any other resource). The Auth0 application's URLs
follow the web load balancer (or the custom domain) in the same run: Auth0 depends on the
load balancer, nothing the load balancer needs depends on Auth0, so there is no cycle.
"""

import pulumi
import pulumi_random as random
from pulumi_aws.provider import Provider

from components import (
    ApplicationLoadBalancer,
    ApplicationLoadBalancerArgs,
    ApplicationLogGroup,
    Auth0Application,
    AuthenticatedHttpApi,
    ContainerRegistry,
    FargateService,
    PublicPrivateVpc,
    SecureAppConfig,
)
from papyrus import app_env
from papyrus import settings as stack_settings

settings = stack_settings.load()
stack = settings.stack

# Every AWS resource goes through this provider (Pulumi.yaml disables the default one),
# so every resource carries these tags. `project=portfolio` is the article's cost tag.
# The forwarded `aws:*` settings (profile, account guards) apply here: the provider reads no
# stack setting by itself.
aws_provider = Provider(
    "aws",
    region=settings.region,
    default_tags={"tags": {"project": "portfolio", "app": settings.project, "stack": stack, "managed-by": "pulumi"}},
    **settings.aws_provider_options,
)
aws_opts = pulumi.ResourceOptions(provider=aws_provider)
# The zone count is the account's; asking needs the provider, and comes before any resource.
stack_settings.check_zone_count(settings, aws_provider)

# ---- network -----------------------------------------------------------------------------
network = PublicPrivateVpc(
    "network",
    {
        "cidr_block": settings.vpc_cidr,
        "availability_zone_count": settings.az_count,
        "nat_strategy": settings.nat_strategy,
        "flow_log_retention_days": settings.log_retention_days,
    },
    aws_opts,
)

# ---- images and logs ---------------------------------------------------------------------
registry = ContainerRegistry(
    "images",
    {
        "repository_name": f"{settings.project}-{stack}",
        "image_tag_mutability": settings.ecr_tag_mutability,
        "protect": settings.protect,
    },
    aws_opts,
)
app_logs = ApplicationLogGroup(
    "app-logs",
    {
        "log_group_name": f"/ecs/{settings.project}/{stack}",
        "retention_in_days": settings.log_retention_days,
        "protect": settings.protect,
    },
    aws_opts,
)

# ---- load balancers ----------------------------------------------------------------------
API_PATH_REGEX = "^/+(a|%61)(p|%70)(i|%69)(/|%2[Ff]|$)"
# Protected stacks serve real users: give in-flight requests time to finish on deploys.
deregistration_delay = 30 if settings.protect else 5
web_args: ApplicationLoadBalancerArgs = {
    "vpc_id": network.vpc_id,
    "subnet_ids": network.public_subnet_ids,
    "internal": False,
    "target_port": settings.container_port,
    # The API is served only through API Gateway, where the JWT is checked. Flask decodes
    # percent-escapes before routing, so /%61pi must be refused too: the regex covers every
    # mix of literal and escaped letters (and the leading slashes Flask would merge).
    "not_found_path_patterns": ["/api", "/api/*"],
    "not_found_path_regexes": [API_PATH_REGEX],
    "deregistration_delay_seconds": deregistration_delay,
    "deletion_protection": settings.protect,
}
if settings.domain_name and settings.hosted_zone_id:  # settings require both or neither
    web_args["domain_name"] = settings.domain_name
    web_args["hosted_zone_id"] = settings.hosted_zone_id
web = ApplicationLoadBalancer("web", web_args, aws_opts)
api = ApplicationLoadBalancer(
    "api",
    {
        "vpc_id": network.vpc_id,
        "subnet_ids": network.private_subnet_ids,
        "internal": True,
        "target_port": settings.container_port,
        "deregistration_delay_seconds": deregistration_delay,
        "deletion_protection": settings.protect,
    },
    aws_opts,
)

# ---- Auth0 ---------------------------------------------------------------------------------
auth0_app = Auth0Application(
    "auth0",
    {
        "tenant_domain": settings.auth0_domain,
        "application_name": f"{settings.project} ({stack})",
        "base_url": web.url,
        "api_identifier": f"urn:{settings.project}:{stack}:api",
    },
)

http_api = AuthenticatedHttpApi(
    "http-api",
    {
        "vpc_id": network.vpc_id,
        "subnet_ids": network.private_subnet_ids,
        "listener_arn": api.listener_arn,
        "target_security_group_id": api.security_group_id,
        "issuer": auth0_app.issuer,
        "audiences": [auth0_app.api_identifier],
        "access_log_retention_days": settings.log_retention_days,
    },
    aws_opts,
)

# ---- app configuration and secrets -------------------------------------------------------
# Generated once and kept in state: later runs reuse them.
stateful = pulumi.ResourceOptions(protect=settings.protect)
db_password = settings.db_password or (
    random.RandomPassword(
        "db-password",
        length=32,
        # RDS refuses '/', '@', '"' and spaces in master passwords.
        override_special="!#$%&*()-_=+[]{}<>:?",
        opts=stateful,
    ).result
)
flask_secret_key = random.RandomPassword("flask-secret-key", length=64, special=False, opts=stateful).result

app_config = SecureAppConfig(
    "app-config",
    {
        "parameter_prefix": f"/{settings.project}/{stack}",
        "secret_prefix": f"{settings.project}/{stack}",
        "parameters": {
            "AUTH0_DOMAIN": auth0_app.tenant_domain,
            "AUTH0_CALLBACK_URL": auth0_app.callback_url,
            "AUTH0_AUDIENCE": auth0_app.api_identifier,
            **settings.app_parameters,
        },
        "secret_groups": {
            "db": {
                "username": settings.db.username,
                "password": db_password,
                "host": settings.db.host,
                "name": settings.db.name,
            },
            "auth0": {
                "client_id": auth0_app.client_id,
                "client_secret": auth0_app.client_secret,
                "domain": auth0_app.tenant_domain,
            },
            "flask": {"secret_key": flask_secret_key},
        },
        "secret_env": {env: f"{group}.{key}" for env, (group, key) in app_env.SECRET_ENV.items()},
        "protect": settings.protect,
    },
    aws_opts,
)

# ---- the service ---------------------------------------------------------------------------
service = FargateService(
    "app",
    {
        "vpc_id": network.vpc_id,
        "subnet_ids": network.private_subnet_ids,
        "image": pulumi.Output.concat(registry.repository_url, ":", settings.image_tag),
        "repository_arn": registry.repository_arn,
        "container_port": settings.container_port,
        "cpu": settings.task_cpu,
        "memory": settings.task_memory,
        "desired_count": settings.desired_count,
        "environment": {"DB_PORT": str(settings.db.port)},
        "secrets": app_config.container_secrets,
        "secrets_read_policy_json": app_config.read_policy_json,
        "log_group_name": app_logs.log_group_name,
        "log_group_arn": app_logs.log_group_arn,
        "load_balancers": [
            {
                "name": "web",
                "target_group_arn": web.target_group_arn,
                "security_group_id": web.security_group_id,
                "listener_arn": web.listener_arn,
            },
            {
                "name": "api",
                "target_group_arn": api.target_group_arn,
                "security_group_id": api.security_group_id,
                "listener_arn": api.listener_arn,
            },
        ],
        "egress_tcp_ports": sorted({443, settings.db.port}),
        "container_insights": settings.protect,
    },
    aws_opts,
)

# ---- what a user needs after `pulumi up` (no secret values) ------------------------------
pulumi.export("webUrl", web.url)
pulumi.export("apiEndpoint", http_api.api_endpoint)
pulumi.export("callbackUrl", auth0_app.callback_url)
pulumi.export("auth0ClientId", auth0_app.client_id)
pulumi.export("apiAudience", auth0_app.api_identifier)
pulumi.export("repositoryUrl", registry.repository_url)
pulumi.export("logGroupName", app_logs.log_group_name)
pulumi.export("webLoadBalancerDnsName", web.dns_name)
pulumi.export("apiLoadBalancerDnsName", api.dns_name)
pulumi.export("vpcId", network.vpc_id)
pulumi.export("publicSubnetIds", network.public_subnet_ids)
pulumi.export("privateSubnetIds", network.private_subnet_ids)
pulumi.export("privateRouteTableIds", network.private_route_table_ids)
pulumi.export("natPublicIps", network.nat_public_ips)
pulumi.export("clusterName", service.cluster_name)
pulumi.export("serviceName", service.service_name)
