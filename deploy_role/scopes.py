"""Where the deploy role may act: each scope is a set of ARNs built from the physical names this
program gives its resources in one stack, plus conditions.

Names the program chooses carry the stack (`papyrus-<stack>` ECR repository, `/papyrus/<stack>/*`
parameters, `papyrus/<stack>/*` secrets, `/ecs/papyrus/<stack>` log group, `papyrus-<stack>-app`
task family). Names Pulumi chooses are the logical name plus a random suffix (`web-alb-1a2b3c4`,
`app-execution-5d6e7f8`), which carries no stack: in an account that holds both dev and prd,
those patterns match both stacks' resources. Give each stack its own account (the README says
so) and they cannot.

`*` is used only where AWS has no resource-level permission for an action (describe and list
calls, creating a certificate, ECR's login token, log delivery), or where the resource is
named by an id AWS generates (EC2, API Gateway); `WILDCARD_REASONS` says why for each, and the
tests refuse any other `*`. Regional `*` statements are held to the stack's region.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from offline.stack import load as load_stack_config

ACCOUNT = "${aws:PrincipalAccount}"
"""The account of the role using the policy: the policy pastes into any account unchanged."""

# The program's components whose children Pulumi auto-names: `<logical name>-<7 hex>`.
LOAD_BALANCER_NAMES = ("web", "api")  # ApplicationLoadBalancer: <name>-alb-*, <name>-tg-*
SERVICE_NAME = "app"  # FargateService: app-cluster-*, app-service-*, roles app-execution-*, app-task-*
NETWORK_NAME = "network"  # PublicPrivateVpc: /vpc/flow-logs/network-*, role network-flow-logs-*
HTTP_API_NAME = "http-api"  # AuthenticatedHttpApi: /aws/vendedlogs/apis/http-api-*
# Roles the program creates, by the service they are passed to.
ECS_TASK_ROLES = (f"{SERVICE_NAME}-execution", f"{SERVICE_NAME}-task")
FLOW_LOG_ROLES = (f"{NETWORK_NAME}-flow-logs",)
EC2_ROLES = (f"{NETWORK_NAME}-nat",)  # the NAT instance's role and instance profile
MANAGED_POLICIES_ATTACHABLE = ("arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",)
# Service-linked roles the services create on first use in an account.
SERVICE_LINKED_ROLES_BY_SERVICE = {
    "ecs.amazonaws.com": "AWSServiceRoleForECS",
    "elasticloadbalancing.amazonaws.com": "AWSServiceRoleForElasticLoadBalancing",
    "ops.apigateway.amazonaws.com": "AWSServiceRoleForAPIGateway",
    "events.amazonaws.com": "AWSServiceRoleForCloudWatchEvents",  # alarms with EC2 actions
}


APIGATEWAY_PATHS = ("/apis", "/apis/*", "/vpclinks", "/vpclinks/*", "/tags/*")


@dataclass(frozen=True)
class StackNaming:
    """What the policy needs to know about one stack."""

    project: str
    stack: str
    region: str
    domain_name: str = ""
    hosted_zone_id: str = ""

    @classmethod
    def from_config(cls, project_dir: Path, stack: str, overrides: tuple[str, ...] = ()) -> StackNaming:
        """From Pulumi.yaml and Pulumi.<stack>.yaml, read as the CLI reads them."""
        config = load_stack_config(project_dir, stack, overrides)
        values = config.values
        return cls(
            project=config.project,
            stack=stack,
            region=values.get("aws:region", "us-west-2"),
            domain_name=values.get(f"{config.project}:domainName", ""),
            hosted_zone_id=values.get(f"{config.project}:hostedZoneId", ""),
        )

    def arn(self, service: str, resource: str, *, region: bool = True, account: str = ACCOUNT) -> str:
        return f"arn:aws:{service}:{self.region if region else ''}:{account}:{resource}"


@dataclass(frozen=True)
class Scope:
    sid: str
    resources: Callable[[StackNaming], list[str]]
    condition: Callable[[StackNaming], Mapping[str, Any] | None] = field(default=lambda n: None)


def _in_region(naming: StackNaming) -> Mapping[str, Any]:
    return {"StringEquals": {"aws:RequestedRegion": naming.region}}


def _everything(naming: StackNaming) -> list[str]:
    return ["*"]


def _load_balancers(n: StackNaming) -> list[str]:
    arns = []
    for name in LOAD_BALANCER_NAMES:
        lb = f"{name}-alb-*"
        arns += [
            n.arn("elasticloadbalancing", f"loadbalancer/app/{lb}/*"),
            n.arn("elasticloadbalancing", f"listener/app/{lb}/*/*"),
            n.arn("elasticloadbalancing", f"listener-rule/app/{lb}/*/*/*"),
            n.arn("elasticloadbalancing", f"targetgroup/{name}-tg-*/*"),
        ]
    return arns


def _log_groups(n: StackNaming) -> list[str]:
    app = f"/ecs/{n.project}/{n.stack}"
    return [
        n.arn("logs", f"log-group:{app}"),
        n.arn("logs", f"log-group:{app}:*"),
        n.arn("logs", f"log-group:/vpc/flow-logs/{NETWORK_NAME}-*"),
        n.arn("logs", f"log-group:/aws/vendedlogs/apis/{HTTP_API_NAME}-*"),
    ]


def _roles(prefixes: tuple[str, ...]) -> Callable[[StackNaming], list[str]]:
    return lambda n: [n.arn("iam", f"role/{p}-*", region=False) for p in prefixes]


def _passed_to(service: str) -> Callable[[StackNaming], Mapping[str, Any]]:
    return lambda n: {"StringEquals": {"iam:PassedToService": service}}


def _service_linked_roles(n: StackNaming) -> list[str]:
    return [
        n.arn("iam", f"role/aws-service-role/{service}/{role}", region=False)
        for service, role in sorted(SERVICE_LINKED_ROLES_BY_SERVICE.items())
    ]


def _record_names(n: StackNaming) -> Mapping[str, Any] | None:
    # With a domain configured, records may only be the domain and names under it (the ACM
    # validation records are `_<token>.<domain>`).
    if not n.domain_name:
        return None
    names = [n.domain_name, f"*.{n.domain_name}"]
    return {"ForAllValues:StringLike": {"route53:ChangeResourceRecordSetsNormalizedRecordNames": names}}


def _hosted_zone(n: StackNaming) -> list[str]:
    return [f"arn:aws:route53:::hostedzone/{n.hosted_zone_id or '*'}"]


EC2 = "ec2"
ELB_ANY = "elb-any"
LOAD_BALANCERS = "load-balancers"
ACM_ANY = "acm-any"
ACM_CERTIFICATES = "acm-certificates"
ROUTE53_RECORDS = "route53-records"
ROUTE53_ZONE = "route53-zone"
ROUTE53_CHANGES = "route53-changes"
S3_BUCKETS = "s3-buckets"
WEB_ACLS = "web-acls"
CLOUDWATCH_ALARMS = "cloudwatch-alarms"
ECR_LOGIN = "ecr-login"
ECR_REPOSITORY = "ecr-repository"
LOGS_ANY = "logs-any"
LOG_GROUPS = "log-groups"
SSM_ANY = "ssm-any"
SSM_PARAMETERS = "ssm-parameters"
SSM_PUBLIC_PARAMETERS = "ssm-public-parameters"
SECRETS = "secrets"
IAM_ROLES = "iam-roles"
IAM_INSTANCE_PROFILES = "iam-instance-profiles"
IAM_ATTACH_MANAGED = "iam-attach-managed"
PASS_ROLE_TO_ECS_TASKS = "pass-role-to-ecs-tasks"  # noqa: S105 (a scope name)
PASS_ROLE_TO_FLOW_LOGS = "pass-role-to-flow-logs"  # noqa: S105 (a scope name)
PASS_ROLE_TO_EC2 = "pass-role-to-ec2"  # noqa: S105 (a scope name)
SERVICE_LINKED_ROLES = "service-linked-roles"
ECS = "ecs"
ECS_ANY = "ecs-any"
APIGATEWAY = "apigateway"
STS = "sts"

SCOPES: Mapping[str, Scope] = {
    STS: Scope("CallerIdentity", _everything),
    EC2: Scope("Network", _everything, _in_region),
    ELB_ANY: Scope("LoadBalancingDescribe", _everything, _in_region),
    LOAD_BALANCERS: Scope("LoadBalancers", _load_balancers),
    ACM_ANY: Scope("CertificateRequest", _everything, _in_region),
    ACM_CERTIFICATES: Scope("Certificates", lambda n: [n.arn("acm", "certificate/*")]),
    ROUTE53_RECORDS: Scope("DnsRecords", _hosted_zone, _record_names),
    ROUTE53_ZONE: Scope("DnsZone", _hosted_zone),
    ROUTE53_CHANGES: Scope("DnsChanges", lambda n: ["arn:aws:route53:::change/*"]),
    S3_BUCKETS: Scope(
        "AccessLogBuckets",
        lambda n: [
            f"arn:aws:s3:::{pattern}"
            for name in (f"{n.project}-{n.stack}-*", "*-access-logs-*")
            for pattern in (name, f"{name}/*")
        ],
    ),
    WEB_ACLS: Scope(
        "WebAcl",
        lambda n: [
            n.arn("wafv2", "regional/webacl/*/*"),
            *[n.arn("elasticloadbalancing", f"loadbalancer/app/{name}-alb-*/*") for name in LOAD_BALANCER_NAMES],
        ],
    ),
    CLOUDWATCH_ALARMS: Scope("Alarms", lambda n: [n.arn("cloudwatch", f"alarm:{NETWORK_NAME}-*")]),
    ECR_LOGIN: Scope("RegistryLogin", _everything, _in_region),
    ECR_REPOSITORY: Scope("Registry", lambda n: [n.arn("ecr", f"repository/{n.project}-{n.stack}")]),
    LOGS_ANY: Scope("LogDelivery", _everything, _in_region),
    LOG_GROUPS: Scope("LogGroups", _log_groups),
    SSM_ANY: Scope("ParametersDescribe", _everything, _in_region),
    SSM_PARAMETERS: Scope("Parameters", lambda n: [n.arn("ssm", f"parameter/{n.project}/{n.stack}/*")]),
    # AWS's public parameters belong to no account of ours (their ARNs leave the account empty).
    SSM_PUBLIC_PARAMETERS: Scope(
        "AmiParameters", lambda n: [n.arn("ssm", "parameter/aws/service/ami-amazon-linux-latest/*", account="*")]
    ),
    SECRETS: Scope("Secrets", lambda n: [n.arn("secretsmanager", f"secret:{n.project}/{n.stack}/*")]),
    IAM_ROLES: Scope("Roles", _roles((*ECS_TASK_ROLES, *FLOW_LOG_ROLES, *EC2_ROLES))),
    IAM_INSTANCE_PROFILES: Scope(
        "InstanceProfiles", lambda n: [n.arn("iam", f"instance-profile/{p}-*", region=False) for p in EC2_ROLES]
    ),
    IAM_ATTACH_MANAGED: Scope(
        "AttachManagedPolicies",
        _roles(EC2_ROLES),
        lambda n: {"ArnEquals": {"iam:PolicyARN": list(MANAGED_POLICIES_ATTACHABLE)}},
    ),
    PASS_ROLE_TO_ECS_TASKS: Scope("PassRolesToEcsTasks", _roles(ECS_TASK_ROLES), _passed_to("ecs-tasks.amazonaws.com")),
    PASS_ROLE_TO_FLOW_LOGS: Scope(
        "PassRoleToFlowLogs", _roles(FLOW_LOG_ROLES), _passed_to("vpc-flow-logs.amazonaws.com")
    ),
    PASS_ROLE_TO_EC2: Scope("PassRoleToEc2", _roles(EC2_ROLES), _passed_to("ec2.amazonaws.com")),
    SERVICE_LINKED_ROLES: Scope(
        "ServiceLinkedRoles",
        _service_linked_roles,
        lambda n: {"StringEquals": {"iam:AWSServiceName": sorted(SERVICE_LINKED_ROLES_BY_SERVICE)}},
    ),
    ECS: Scope(
        "Ecs",
        lambda n: [
            n.arn("ecs", f"cluster/{SERVICE_NAME}-cluster-*"),
            n.arn("ecs", f"service/{SERVICE_NAME}-cluster-*/{SERVICE_NAME}-service-*"),
            n.arn("ecs", f"task-definition/{n.project}-{n.stack}-{SERVICE_NAME}:*"),
        ],
    ),
    ECS_ANY: Scope("EcsTaskDefinitions", _everything, _in_region),
    APIGATEWAY: Scope(
        "HttpApi",
        lambda n: [n.arn("apigateway", path, account="") for path in APIGATEWAY_PATHS],
    ),
}

WILDCARD_REASONS: Mapping[str, str] = {
    "ec2": "EC2 resources are named by ids AWS generates (vpc-…, subnet-…), and its Describe calls take no ARN; "
    "held to the stack's region",
    "elasticloadbalancing:Describe*": "describe calls take no ARN",
    "elasticloadbalancing:SetWebAcl": "takes no ARN (WAF calls it when the web ACL is associated)",
    "acm:RequestCertificate": "takes no ARN: the certificate does not exist yet",
    "acm:ImportCertificate": "scoped to certificate ARNs for re-imports; a first import has no ARN yet",
    "ecr:GetAuthorizationToken": "the registry login token takes no ARN",
    "logs:": "log delivery and resource-policy calls take no ARN (API Gateway access logs need them); "
    "DescribeLogGroups lists every group",
    "ssm:DescribeParameters": "takes no ARN",
    "ecs:DescribeTaskDefinition": "takes no ARN",
    "ecs:DeregisterTaskDefinition": "takes no ARN",
    "sts:GetCallerIdentity": "takes no ARN (and STS answers it whatever a policy says)",
}
