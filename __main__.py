"""papyrus: the production AWS foundation for the papyrus web app, one stack per environment.

    browser ──> web ALB (public) ──────────────────────────────┐
    API client ──JWT──> HTTP API ──VPC link──> api ALB (internal) ──> Fargate service "app"

The whole stack configuration is read and checked first (papyrus/settings.py), so a bad
value stops `pulumi preview` before anything is registered (the zone count, which only AWS
knows, is checked through the provider before any other resource). The Auth0 application's URLs
follow the web load balancer (or the custom domain) in the same run: Auth0 depends on the
load balancer, nothing the load balancer needs depends on Auth0, so there is no cycle.

The first `pulumi up` of an empty account ends with the app serving: the registry comes first
and hands the service its image by digest (built and pushed in this run, or the app's own push
looked up at preview, stopping with one error when it is missing), and every ordering AWS needs
travels with the outputs the components pass on (subnet ids, secrets). Later runs roll every
parameter and secret change out to the tasks, keyed on versions, and leave the rest alone.

With a domain (required on protected stacks) both hops are HTTPS: browsers reach the web
load balancer on `https://<domainName>`, and API Gateway reaches the internal one over the
VPC link on 443, verifying its certificate for `internal-api.<domainName>`; a JWT never
travels in clear text. Port 80 only redirects.
"""

import pulumi
import pulumi_random as random
from pulumi_aws.provider import Provider

from components import (
    AccessLogBucket,
    ApplicationLoadBalancer,
    ApplicationLoadBalancerArgs,
    ApplicationLogGroup,
    Auth0Application,
    AuthenticatedHttpApi,
    AuthenticatedHttpApiArgs,
    ContainerRegistry,
    EgressRule,
    FargateService,
    FargateServiceArgs,
    PublicPrivateVpc,
    PublicPrivateVpcArgs,
    SecureAppConfig,
)
from components.validation import InvalidArgumentError
from papyrus import app_env, image_source
from papyrus import settings as stack_settings
from papyrus.settings import INTERNAL_API_LABEL

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

# ---- the image, first: a missing one stops the run before any cloud resource exists --------
try:
    registry = ContainerRegistry(
        "images",
        {
            **image_source.registry_image_args(settings),
            "image_tag_mutability": settings.ecr_tag_mutability,
            "protect": settings.protect,
        },
        aws_opts,
    )
except InvalidArgumentError as error:
    raise image_source.as_config_error(error, settings) from None

# ---- network -----------------------------------------------------------------------------
network_args: PublicPrivateVpcArgs = {
    "cidr_block": settings.vpc_cidr,
    "availability_zone_count": settings.az_count,
    "nat_strategy": settings.nat_strategy,
    "flow_log_retention_days": settings.log_retention_days,
    "protect_flow_logs": settings.protect,
}
if settings.availability_zones is not None:
    network_args["availability_zone_names"] = list(settings.availability_zones)
network = PublicPrivateVpc("network", network_args, aws_opts)

# ---- logs --------------------------------------------------------------------------------
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
# One bucket for both load balancers, each under its own prefix: S3 charges no per-bucket fee,
# and one bucket is one policy, one expiry rule and one place to query.
access_logs = (
    AccessLogBucket(
        "alb-logs",
        {
            "prefixes": ["web", "api"],
            "expiration_days": settings.log_retention_days,
            "protect": settings.protect,
        },
        aws_opts,
    )
    if settings.load_balancer_access_logs
    else None
)
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
    "web_acl": settings.web_acl,
}
api_args: ApplicationLoadBalancerArgs = {
    "vpc_id": network.vpc_id,
    "subnet_ids": network.private_subnet_ids,
    "internal": True,
    "target_port": settings.container_port,
    "deregistration_delay_seconds": deregistration_delay,
    "deletion_protection": settings.protect,
}
if settings.domain_name and settings.hosted_zone_id:  # settings require both or neither
    web_args["domain_name"] = settings.domain_name
    web_args["hosted_zone_id"] = settings.hosted_zone_id
    # The internal load balancer gets its own certificate, validated in the same zone. The name
    # needs no DNS record: API Gateway reaches the listener by ARN and only verifies the name.
    api_args["domain_name"] = f"{INTERNAL_API_LABEL}.{settings.domain_name}"
    api_args["hosted_zone_id"] = settings.hosted_zone_id
    api_args["alias_record"] = False
if access_logs is not None:
    web_args["access_log_bucket"] = access_logs.bucket_name
    web_args["access_log_prefix"] = "web"
    api_args["access_log_bucket"] = access_logs.bucket_name
    api_args["access_log_prefix"] = "api"
web = ApplicationLoadBalancer("web", web_args, aws_opts)
api = ApplicationLoadBalancer("api", api_args, aws_opts)

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

http_api_args: AuthenticatedHttpApiArgs = {
    "vpc_id": network.vpc_id,
    "subnet_ids": network.private_subnet_ids,
    "listener_arn": api.listener_arn,
    "listener_port": api.listener_port,
    "target_security_group_id": api.security_group_id,
    "issuer": auth0_app.issuer,
    "audiences": [auth0_app.api_identifier],
    "access_log_retention_days": settings.log_retention_days,
    "protect_access_logs": settings.protect,
}
if settings.internal_api_domain is not None:
    # The internal listener is HTTPS: the link speaks TLS to 443 and verifies the certificate's
    # name, so the JWT it forwards is never in clear text.
    http_api_args["tls_server_name"] = settings.internal_api_domain
http_api = AuthenticatedHttpApi("http-api", http_api_args, aws_opts)

# ---- app configuration and secrets -------------------------------------------------------
ROTATION_EXCEPTIONS = {
    "db": "The database lives outside this stack: its owner rotates the password and updates dbPassword",
    "auth0": "Auth0 rotates client secrets only through its Management API: rotate in Auth0 then run pulumi up",
    "flask": "Rotating the Flask secret key signs every user out: rotate by replacing flask-secret-key on purpose",
}
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
        # Nothing here is rotated by Secrets Manager; each group says why (SecretsManager.1/.4).
        "rotation_exceptions": ROTATION_EXCEPTIONS,
        "protect": settings.protect,
    },
    aws_opts,
)

# ---- the service ---------------------------------------------------------------------------
# The database port opens towards the database only; everything else leaves on 443.
db_egress: EgressRule = {"name": "db", "port": settings.db.port}
if settings.db.cidr is not None:
    db_egress["cidr_block"] = settings.db.cidr
if settings.db.security_group_id is not None:
    db_egress["security_group_id"] = settings.db.security_group_id
service_args: FargateServiceArgs = {
    "vpc_id": network.vpc_id,
    "subnet_ids": network.private_subnet_ids,
    # `<repository>@sha256:...`: a new image is a new task definition, a pushed tag never moves
    # under running tasks.
    "image": registry.image_ref,
    "repository_arn": registry.repository_arn,
    "container_port": settings.container_port,
    "cpu": settings.task_cpu,
    "memory": settings.task_memory,
    "cpu_architecture": settings.cpu_architecture,
    "desired_count": settings.desired_count,
    "environment": {"DB_PORT": str(settings.db.port)},
    "secrets": app_config.container_secrets,
    "secrets_read_policy_json": app_config.read_policy_json,
    # ECS reads parameters and secrets when a task starts: a new version of any of them (a new
    # domain's callback URL, an edited appParameters value, a rotated Auth0 secret) redeploys.
    "redeploy_triggers": app_config.versions,
    "log_group_name": app_logs.log_group_name,
    "log_group_arn": app_logs.log_group_arn,
    "egress_rules": [db_egress],
    "load_balancers": [
        {
            "name": "web",
            "target_group_arn": web.target_group_arn,
            "security_group_id": web.security_group_id,
            "listener_arn": web.listener_arn,
            "target_port": web.target_port,
        },
        {
            "name": "api",
            "target_group_arn": api.target_group_arn,
            "security_group_id": api.security_group_id,
            "listener_arn": api.listener_arn,
            "target_port": api.target_port,
        },
    ],
    "egress_tcp_ports": [443],
    "container_insights": settings.protect,
}
if settings.container_user is not None:
    service_args["user"] = settings.container_user
service = FargateService("app", service_args, aws_opts)

# ---- what a user needs after `pulumi up` (no secret values) ------------------------------
pulumi.export("webUrl", web.url)
pulumi.export("apiEndpoint", http_api.api_endpoint)
pulumi.export("callbackUrl", auth0_app.callback_url)
pulumi.export("auth0ClientId", auth0_app.client_id)
pulumi.export("apiAudience", auth0_app.api_identifier)
pulumi.export("repositoryUrl", registry.repository_url)
pulumi.export("image", registry.image_ref)
pulumi.export("logGroupName", app_logs.log_group_name)
pulumi.export("webLoadBalancerDnsName", web.dns_name)
pulumi.export("apiLoadBalancerDnsName", api.dns_name)
pulumi.export("vpcId", network.vpc_id)
pulumi.export("publicSubnetIds", network.public_subnet_ids)
pulumi.export("privateSubnetIds", network.private_subnet_ids)
pulumi.export("privateRouteTableIds", network.private_route_table_ids)
pulumi.export("natPublicIps", network.nat_public_ips)
pulumi.export("natInstanceIds", network.nat_instance_ids)
pulumi.export("clusterName", service.cluster_name)
pulumi.export("serviceName", service.service_name)
