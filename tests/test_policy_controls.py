"""Every policy of the pack with stacks that pass it and stacks that violate it.

Each case is a small recorded stack built by hand (tests/policy_support.py) and evaluated by
the same adapter the offline plan uses, with every policy mandatory. A passing stack includes
resources the control does not apply to (a network load balancer for ELB.4, an internal
load balancer for the WAF check ...), so a false positive fails the case too.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pytest

from components.testing.engine import RegisteredResource
from policy.controls import POLICIES
from tests.policy_support import ACCOUNT, doc, flagged, resource

LB = "aws:lb/loadBalancer:LoadBalancer"
ALB_ALIAS = "aws:alb/loadBalancer:LoadBalancer"
CLASSIC = "aws:elb/loadBalancer:LoadBalancer"
LISTENER = "aws:lb/listener:Listener"
LISTENER_RULE = "aws:lb/listenerRule:ListenerRule"
VPC = "aws:ec2/vpc:Vpc"
DEFAULT_SG = "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup"
INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"
SG = "aws:ec2/securityGroup:SecurityGroup"
SG_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule"
FLOW_LOG = "aws:ec2/flowLog:FlowLog"
SUBNET = "aws:ec2/subnet:Subnet"
ROUTE = "aws:apigatewayv2/route:Route"
STAGE = "aws:apigatewayv2/stage:Stage"
INTEGRATION = "aws:apigatewayv2/integration:Integration"
REPOSITORY = "aws:ecr/repository:Repository"
LIFECYCLE_POLICY = "aws:ecr/lifecyclePolicy:LifecyclePolicy"
REGISTRY_SCANNING = "aws:ecr/registryScanningConfiguration:RegistryScanningConfiguration"
SERVICE = "aws:ecs/service:Service"
TASK = "aws:ecs/taskDefinition:TaskDefinition"
CLUSTER = "aws:ecs/cluster:Cluster"
LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
SECRET = "aws:secretsmanager/secret:Secret"
ROTATION = "aws:secretsmanager/secretRotation:SecretRotation"
IAM_POLICY = "aws:iam/policy:Policy"
ROLE = "aws:iam/role:Role"
ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy"
ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
BUCKET = "aws:s3/bucket:Bucket"
BUCKET_POLICY = "aws:s3/bucketPolicy:BucketPolicy"
BLOCK = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
ACCOUNT_BLOCK = "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock"
OWNERSHIP = "aws:s3/bucketOwnershipControls:BucketOwnershipControls"
BUCKET_ACL = "aws:s3/bucketAcl:BucketAcl"
BUCKET_LOGGING = "aws:s3/bucketLogging:BucketLogging"
LIFECYCLE = "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration"
VERSIONING = "aws:s3/bucketVersioning:BucketVersioning"
WEB_ACL = "aws:wafv2/webAcl:WebAcl"
WEB_ACL_RULE = "aws:wafv2/webAclRule:WebAclRule"
WAF_ASSOCIATION = "aws:wafv2/webAclAssociation:WebAclAssociation"

ALB_ARN = f"arn:aws:elasticloadbalancing:us-west-2:{ACCOUNT}:loadbalancer/app/web/0123456789abcdef"
OTHER_LISTENER = (
    f"arn:aws:elasticloadbalancing:us-west-2:{ACCOUNT}:listener/app/other/0123456789abcdef/0123456789abcdef"
)
TWO_SUBNETS = {"subnets": ["subnet-a", "subnet-b"]}


@dataclass(frozen=True)
class Case:
    policy: str
    passing: list[RegisteredResource]
    violating: list[RegisteredResource]
    flagged: set[str]


def container(**fields: object) -> str:
    import json

    base: dict[str, object] = {
        "name": "app",
        "image": "repo@sha256:" + "0" * 64,
        "readonlyRootFilesystem": True,
        "user": "1000:1000",
        "linuxParameters": {"capabilities": {"drop": ["ALL"]}},
        "logConfiguration": {"logDriver": "awslogs", "options": {"awslogs-group": "/ecs/app"}},
    }
    base.update(fields)
    return json.dumps([{k: v for k, v in base.items() if v is not None}])


def task(name: str, **fields: object) -> RegisteredResource:
    return resource(TASK, name, {"family": name, "containerDefinitions": container(**fields)})


def alb(name: str, **inputs: object) -> RegisteredResource:
    return resource(LB, name, {**TWO_SUBNETS, **inputs}, outputs={"arn": f"{ALB_ARN}-{name}"})


def listener(
    name: str, lb: RegisteredResource, protocol: str | None, *actions: Mapping[str, object]
) -> RegisteredResource:
    inputs: dict[str, object] = {"loadBalancerArn": lb.outputs["arn"], "defaultActions": [dict(a) for a in actions]}
    if protocol:
        inputs["protocol"] = protocol
    return resource(
        LISTENER, name, inputs, refs={"loadBalancerArn": lb}, outputs={"arn": f"{lb.outputs['arn']}/{name}"}
    )


FORWARD = {"type": "forward", "targetGroupArn": "arn:tg"}
TO_HTTPS = {"type": "redirect", "redirect": {"protocol": "HTTPS", "port": "443", "statusCode": "HTTP_301"}}
KEEP_PROTOCOL = {"type": "redirect", "redirect": {"port": "8080", "statusCode": "HTTP_301"}}
NOT_FOUND = {"type": "fixed-response", "fixedResponse": {"statusCode": "404", "contentType": "text/plain"}}


def bucket(name: str, **inputs: object) -> RegisteredResource:
    return resource(BUCKET, name, {"bucket": name, **inputs}, outputs={"arn": f"arn:aws:s3:::{name}"}, id_=name)


def setting(type_: str, name: str, target: RegisteredResource, **inputs: object) -> RegisteredResource:
    return resource(type_, name, {"bucket": target.id, **inputs}, refs={"bucket": target})


def bucket_policy(name: str, target: RegisteredResource, *statements: Mapping[str, object]) -> RegisteredResource:
    return setting(BUCKET_POLICY, name, target, policy=doc(*statements))


def tls_only(target: RegisteredResource) -> dict[str, object]:
    arn = target.outputs["arn"]
    return {
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",
        "Resource": [arn, f"{arn}/*"],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }


ALL_BLOCKED = {
    "blockPublicAcls": True,
    "blockPublicPolicy": True,
    "ignorePublicAcls": True,
    "restrictPublicBuckets": True,
}


def ecs_trust(**condition: object) -> str:
    statement: dict[str, object] = {
        "Effect": "Allow",
        "Principal": {"Service": "ecs-tasks.amazonaws.com"},
        "Action": "sts:AssumeRole",
    }
    if condition:
        statement["Condition"] = condition
    return doc(statement)


def log_grant(*resources: str) -> str:
    return doc(
        {"Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"], "Resource": list(resources)}
    )


def _cases() -> list[Case]:
    cases: list[Case] = []

    # ---- EC2 --------------------------------------------------------------------------------
    vpc, bare_vpc = resource(VPC, "net"), resource(VPC, "bare")
    closed = resource(DEFAULT_SG, "net-default", {"vpcId": vpc.id, "ingress": [], "egress": []}, refs={"vpcId": vpc})
    open_group = resource(
        DEFAULT_SG,
        "bare-default",
        {"vpcId": bare_vpc.id, "ingress": [{"protocol": "-1", "self": True, "fromPort": 0, "toPort": 0}]},
        refs={"vpcId": bare_vpc},
    )
    rule_on_default = resource(
        INGRESS, "to-default", {"securityGroupId": closed.id, "ipProtocol": "-1"}, refs={"securityGroupId": closed}
    )
    cases.append(
        Case(
            "ec2-2-default-security-group-closed",
            passing=[vpc, closed],
            violating=[vpc, closed, rule_on_default, bare_vpc, resource(VPC, "unadopted"), open_group],
            flagged={"to-default", "bare-default", "unadopted"},
        )
    )
    cases.append(
        Case(
            "ec2-6-vpc-flow-logging",
            passing=[
                vpc,
                resource(FLOW_LOG, "net-all", {"vpcId": vpc.id, "trafficType": "ALL"}, refs={"vpcId": vpc}),
                bare_vpc,
                resource(FLOW_LOG, "bare-reject", {"vpcId": "bare-id", "trafficType": "REJECT"}),
            ],
            violating=[
                vpc,
                bare_vpc,
                resource(FLOW_LOG, "bare-accept", {"vpcId": bare_vpc.id, "trafficType": "ACCEPT"}),
            ],
            flagged={"net", "bare"},
        )
    )
    cases.append(
        Case(
            "ec2-15-subnet-no-auto-public-ip",
            passing=[resource(SUBNET, "private", {"mapPublicIpOnLaunch": False}), resource(SUBNET, "unset")],
            violating=[resource(SUBNET, "public", {"mapPublicIpOnLaunch": True})],
            flagged={"public"},
        )
    )

    # ---- ELB --------------------------------------------------------------------------------
    web, internal = alb("web"), alb("api", internal=True)
    nlb = resource(LB, "nlb", {**TWO_SUBNETS, "loadBalancerType": "network"}, outputs={"arn": "arn:nlb"})
    https = listener("web-https", web, "HTTPS", FORWARD)
    redirect = listener("web-http", web, "HTTP", TO_HTTPS)
    not_found = resource(
        LISTENER_RULE, "web-http-404", {"listenerArn": "x", "actions": [NOT_FOUND]}, refs={"listenerArn": redirect}
    )
    cases.append(
        Case(
            "elb-1-http-to-https-redirect",
            passing=[web, https, redirect, not_found, nlb, listener("nlb-tcp", nlb, "TCP", FORWARD)],
            violating=[
                web,
                redirect,
                resource(
                    LISTENER_RULE,
                    "web-http-app",
                    {"listenerArn": "x", "actions": [FORWARD]},
                    refs={"listenerArn": redirect},
                ),
                internal,
                listener("api-http", internal, "HTTP", FORWARD),
                listener("api-default-protocol", internal, None, FORWARD),
                listener("web-8080", web, "HTTP", KEEP_PROTOCOL),
            ],
            flagged={"web-http-app", "api-http", "api-default-protocol", "web-8080"},
        )
    )
    cases.append(
        Case(
            "elb-4-drop-invalid-headers",
            passing=[alb("good", dropInvalidHeaderFields=True), nlb],
            violating=[alb("default"), resource(ALB_ALIAS, "alias", {**TWO_SUBNETS, "dropInvalidHeaderFields": False})],
            flagged={"default", "alias"},
        )
    )
    cases.append(
        Case(
            "elb-5-access-logs",
            passing=[
                alb("logged", accessLogs={"bucket": "logs", "enabled": True}),
                resource(CLASSIC, "classic", {"accessLogs": {"bucket": "logs"}}),
                nlb,
            ],
            violating=[
                alb("none"),
                alb("bucket-only", accessLogs={"bucket": "logs"}),
                resource(CLASSIC, "classic-off", {"accessLogs": {"bucket": "logs", "enabled": False}}),
            ],
            flagged={"none", "bucket-only", "classic-off"},
        )
    )
    cases.append(
        Case(
            "elb-6-deletion-protection",
            passing=[alb("protected", enableDeletionProtection=True)],
            violating=[alb("alb"), nlb],
            flagged={"alb", "nlb"},
        )
    )
    cases.append(
        Case(
            "elb-12-desync-mitigation",
            passing=[alb("default"), alb("strict", desyncMitigationMode="strictest")],
            violating=[alb("monitor", desyncMitigationMode="monitor")],
            flagged={"monitor"},
        )
    )
    cases.append(
        Case(
            "elb-13-multiple-availability-zones",
            passing=[alb("two"), resource(LB, "mapped", {"subnetMappings": [{"subnetId": "a"}, {"subnetId": "b"}]})],
            violating=[resource(LB, "one", {"subnets": ["subnet-a"]})],
            flagged={"one"},
        )
    )

    # ---- API Gateway ------------------------------------------------------------------------
    cases.append(
        Case(
            "apigateway-8-route-authorization",
            passing=[resource(ROUTE, "jwt", {"routeKey": "GET /x", "authorizationType": "JWT"})],
            violating=[
                resource(ROUTE, "open", {"routeKey": "GET /x"}),
                resource(ROUTE, "none", {"routeKey": "ANY /y", "authorizationType": "NONE"}),
            ],
            flagged={"open", "none"},
        )
    )
    cases.append(
        Case(
            "apigateway-9-stage-access-logging",
            passing=[resource(STAGE, "logged", {"accessLogSettings": {"destinationArn": "arn:lg", "format": "{}"}})],
            violating=[resource(STAGE, "silent", {"name": "$default"})],
            flagged={"silent"},
        )
    )
    api_https = listener("api-https", internal, "HTTPS", FORWARD)
    api_http = listener("api-http", internal, "HTTP", FORWARD)
    cases.append(
        Case(
            "custom-private-integration-tls",
            passing=[
                internal,
                api_https,
                resource(
                    INTEGRATION,
                    "verified",
                    {
                        "connectionType": "VPC_LINK",
                        "integrationUri": "x",
                        "tlsConfig": {"serverNameToVerify": "api.example.com"},
                    },
                    refs={"integrationUri": api_https},
                ),
                resource(INTEGRATION, "lambda", {"integrationUri": "arn:aws:lambda:us-west-2:1:function:f"}),
            ],
            violating=[
                internal,
                api_http,
                api_https,
                resource(
                    INTEGRATION,
                    "clear",
                    {"connectionType": "VPC_LINK", "integrationUri": "x"},
                    refs={"integrationUri": api_http},
                ),
                resource(
                    INTEGRATION,
                    "unverified",
                    {"connectionType": "VPC_LINK", "integrationUri": "x"},
                    refs={"integrationUri": api_https},
                ),
                resource(INTEGRATION, "elsewhere", {"connectionType": "VPC_LINK", "integrationUri": OTHER_LISTENER}),
            ],
            flagged={"clear", "unverified", "elsewhere"},
        )
    )

    # ---- ECR --------------------------------------------------------------------------------
    scanned = resource(REPOSITORY, "scanned", {"name": "scanned", "imageScanningConfiguration": {"scanOnPush": True}})
    covered = resource(REPOSITORY, "covered", {"name": "team-app"})
    registry_rule = resource(
        REGISTRY_SCANNING,
        "registry",
        {
            "scanType": "ENHANCED",
            "rules": [
                {
                    "scanFrequency": "CONTINUOUS_SCAN",
                    "repositoryFilters": [{"filter": "team-*", "filterType": "WILDCARD"}],
                }
            ],
        },
    )
    cases.append(
        Case(
            "ecr-1-image-scanning",
            passing=[scanned, covered, registry_rule],
            violating=[
                covered,
                resource(REPOSITORY, "off", {"name": "off", "imageScanningConfiguration": {"scanOnPush": False}}),
            ],
            flagged={"covered", "off"},
        )
    )
    cases.append(
        Case(
            "ecr-2-tag-immutability",
            passing=[resource(REPOSITORY, "immutable", {"imageTagMutability": "IMMUTABLE"})],
            violating=[
                resource(REPOSITORY, "default"),
                resource(REPOSITORY, "mutable", {"imageTagMutability": "MUTABLE"}),
            ],
            flagged={"default", "mutable"},
        )
    )
    cases.append(
        Case(
            "ecr-3-lifecycle-policy",
            passing=[
                scanned,
                resource(LIFECYCLE_POLICY, "scanned-lifecycle", {"repository": "scanned", "policy": "{}"}),
            ],
            violating=[scanned, resource(LIFECYCLE_POLICY, "other-lifecycle", {"repository": "other", "policy": "{}"})],
            flagged={"scanned"},
        )
    )

    # ---- ECS --------------------------------------------------------------------------------
    cases.append(
        Case(
            "ecs-2-no-public-ip",
            passing=[resource(SERVICE, "private", {"networkConfiguration": {"assignPublicIp": False}})],
            violating=[resource(SERVICE, "public", {"networkConfiguration": {"assignPublicIp": True}})],
            flagged={"public"},
        )
    )
    cases.append(
        Case("ecs-4-non-privileged", [task("plain", privileged=False)], [task("root", privileged=True)], {"root"})
    )
    cases.append(
        Case(
            "ecs-5-read-only-root-filesystem",
            [task("read-only")],
            [task("writable", readonlyRootFilesystem=None), task("explicit", readonlyRootFilesystem=False)],
            {"writable", "explicit"},
        )
    )
    cases.append(
        Case(
            "ecs-8-no-secrets-in-environment",
            [task("ok", environment=[{"name": "DB_PORT", "value": "5432"}])],
            [task("leaky", environment=[{"name": "AWS_SECRET_ACCESS_KEY", "value": "x"}])],
            {"leaky"},
        )
    )
    cases.append(
        Case("ecs-9-logging-configuration", [task("logged")], [task("silent", logConfiguration=None)], {"silent"})
    )
    windows = resource(
        TASK,
        "windows",
        {
            "runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE"},
            "containerDefinitions": container(user=None, linuxParameters=None),
        },
        outputs={"arn": "arn:aws:ecs:us-west-2:1:task-definition/windows:1"},
    )
    cases.append(
        Case(
            "ecs-10-fargate-latest-platform",
            passing=[
                resource(SERVICE, "unset", {"launchType": "FARGATE"}),
                resource(SERVICE, "pinned", {"launchType": "FARGATE", "platformVersion": "1.4.0"}),
                resource(SERVICE, "ec2", {"launchType": "EC2", "platformVersion": "1.3.0"}),
                windows,
                resource(
                    SERVICE,
                    "win",
                    {"launchType": "FARGATE", "platformVersion": "1.0.0", "taskDefinition": "x"},
                    refs={"taskDefinition": windows},
                ),
            ],
            violating=[
                resource(SERVICE, "old", {"launchType": "FARGATE", "platformVersion": "1.3.0"}),
                resource(
                    SERVICE,
                    "spot",
                    {"platformVersion": "1.3.0", "capacityProviderStrategies": [{"capacityProvider": "FARGATE_SPOT"}]},
                ),
            ],
            flagged={"old", "spot"},
        )
    )
    cases.append(
        Case(
            "ecs-12-container-insights",
            passing=[
                resource(CLUSTER, "on", {"settings": [{"name": "containerInsights", "value": "enabled"}]}),
                resource(CLUSTER, "enhanced", {"settings": [{"name": "containerInsights", "value": "enhanced"}]}),
            ],
            violating=[
                resource(CLUSTER, "unset"),
                resource(CLUSTER, "off", {"settings": [{"name": "containerInsights", "value": "disabled"}]}),
            ],
            flagged={"unset", "off"},
        )
    )
    cases.append(
        Case(
            "custom-ecs-capabilities-dropped",
            [task("dropped"), windows],
            [
                task("default-caps", linuxParameters=None),
                task("some", linuxParameters={"capabilities": {"drop": ["NET_RAW"]}}),
            ],
            {"default-caps", "some"},
        )
    )
    cases.append(
        Case(
            "custom-ecs-non-root-user",
            [task("uid"), task("named", user="app"), windows],
            [task("image-user", user=None), task("root", user="root"), task("zero", user="0:0")],
            {"image-user", "root", "zero"},
        )
    )

    # ---- CloudWatch -------------------------------------------------------------------------
    cases.append(
        Case(
            "cloudwatch-16-log-retention",
            passing=[
                resource(LOG_GROUP, "year", {"retentionInDays": 365}),
                resource(LOG_GROUP, "forever"),
                resource(LOG_GROUP, "zero", {"retentionInDays": 0}),
            ],
            violating=[resource(LOG_GROUP, "month", {"retentionInDays": 30})],
            flagged={"month"},
        )
    )
    cases.append(
        Case(
            "custom-log-group-protected",
            passing=[
                resource(LOG_GROUP, "protected", protect=True),
                resource(LOG_GROUP, "aws-protected", {"deletionProtectionEnabled": True}),
            ],
            violating=[resource(LOG_GROUP, "loose", {"deletionProtectionEnabled": False})],
            flagged={"loose"},
        )
    )

    # ---- Secrets Manager --------------------------------------------------------------------
    rotated = resource(SECRET, "rotated", {"name": "team/db"}, outputs={"arn": "arn:secret:team/db-abc"})
    rotation = resource(
        ROTATION,
        "rotated-rotation",
        {"secretId": "x", "rotationRules": {"automaticallyAfterDays": 30}},
        refs={"secretId": rotated},
    )
    excepted = resource(
        SECRET,
        "excepted",
        {
            "name": "team/key",
            "tags": {"rotation-exception": "issued by the identity provider: rotate it there and redeploy"},
        },
    )
    bare = resource(SECRET, "bare", {"name": "team/bare"})
    cases.append(
        Case(
            "secretsmanager-1-rotation-enabled",
            passing=[rotated, rotation, excepted],
            violating=[bare, resource(SECRET, "shrug", {"tags": {"rotation-exception": "n/a"}})],
            flagged={"bare", "shrug"},
        )
    )
    cases.append(
        Case(
            "secretsmanager-4-rotation-period",
            passing=[
                rotated,
                rotation,
                excepted,
                resource(
                    ROTATION,
                    "by-name",
                    {"secretId": "team/db", "rotationRules": {"scheduleExpression": "rate(10 days)"}},
                ),
            ],
            violating=[
                rotated,
                bare,
                resource(
                    ROTATION,
                    "slow",
                    {"secretId": "arn:secret:team/db-abc", "rotationRules": {"automaticallyAfterDays": 120}},
                ),
            ],
            flagged={"bare", "slow"},
        )
    )

    # ---- IAM --------------------------------------------------------------------------------
    cases.append(
        Case(
            "iam-1-no-full-admin-policy",
            passing=[
                resource(
                    IAM_POLICY,
                    "reader",
                    {"policy": doc({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"})},
                ),
                resource(IAM_POLICY, "deny-all", {"policy": doc({"Effect": "Deny", "Action": "*", "Resource": "*"})}),
            ],
            violating=[
                resource(IAM_POLICY, "admin", {"policy": doc({"Effect": "Allow", "Action": ["*"], "Resource": "*"})})
            ],
            flagged={"admin"},
        )
    )
    pinned = {"StringEquals": {"aws:SourceAccount": ACCOUNT}}
    cases.append(
        Case(
            "custom-ecs-trust-source-account",
            passing=[
                resource(ROLE, "task", {"assumeRolePolicy": ecs_trust(**pinned)}),
                resource(
                    ROLE,
                    "by-arn",
                    {"assumeRolePolicy": ecs_trust(ArnLike={"aws:SourceArn": f"arn:aws:ecs:us-west-2:{ACCOUNT}:*"})},
                ),
                resource(
                    ROLE,
                    "lambda",
                    {
                        "assumeRolePolicy": doc(
                            {
                                "Effect": "Allow",
                                "Action": "sts:AssumeRole",
                                "Principal": {"Service": "lambda.amazonaws.com"},
                            }
                        )
                    },
                ),
            ],
            violating=[
                resource(ROLE, "execution", {"assumeRolePolicy": ecs_trust()}),
                resource(ROLE, "wildcard", {"assumeRolePolicy": ecs_trust(StringLike={"aws:SourceAccount": "*"})}),
            ],
            flagged={"execution", "wildcard"},
        )
    )
    execution = resource(ROLE, "execution", {"assumeRolePolicy": ecs_trust(**pinned)}, outputs={"name": "execution-1"})
    flow_role = resource(
        ROLE,
        "flow-logs",
        {
            "assumeRolePolicy": doc(
                {"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"Service": "vpc-flow-logs.amazonaws.com"}}
            )
        },
    )
    group_form = f"arn:aws:logs:us-west-2:{ACCOUNT}:log-group:/ecs/app:*"
    stream_form = f"arn:aws:logs:us-west-2:{ACCOUNT}:log-group:/ecs/app:log-stream:*"
    managed = resource(
        IAM_POLICY,
        "broad-logs",
        {"policy": log_grant("*")},
        outputs={"arn": f"arn:aws:iam::{ACCOUNT}:policy/broad-logs"},
    )
    cases.append(
        Case(
            "custom-awslogs-grant-log-group",
            passing=[
                execution,
                resource(
                    ROLE_POLICY,
                    "execution-logs",
                    {"role": "execution-1", "policy": log_grant(group_form, group_form[:-2])},
                ),
                flow_role,
                resource(
                    ROLE_POLICY, "flow-logs", {"role": "x", "policy": log_grant(stream_form)}, refs={"role": flow_role}
                ),
            ],
            violating=[
                execution,
                resource(
                    ROLE_POLICY,
                    "execution-streams",
                    {"role": "x", "policy": log_grant(stream_form)},
                    refs={"role": execution},
                ),
                resource(
                    ROLE_POLICY,
                    "execution-any-group",
                    {
                        "role": "execution-1",
                        "policy": log_grant(f"arn:aws:logs:us-west-2:{ACCOUNT}:log-group:/ecs/*:*"),
                    },
                ),
                managed,
                resource(ATTACHMENT, "execution-broad", {"role": "execution-1", "policyArn": managed.outputs["arn"]}),
            ],
            flagged={"execution-streams", "execution-any-group", "broad-logs"},
        )
    )

    # ---- S3 ---------------------------------------------------------------------------------
    cases.append(
        Case(
            "s3-1-account-block-public-access",
            passing=[resource(ACCOUNT_BLOCK, "account", ALL_BLOCKED)],
            violating=[resource(ACCOUNT_BLOCK, "account", {**ALL_BLOCKED, "restrictPublicBuckets": False})],
            flagged={"account"},
        )
    )
    logs = bucket("logs")
    public_read = {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::logs/*"}
    delivery = {
        "Effect": "Allow",
        "Principal": {"Service": "logdelivery.elasticloadbalancing.amazonaws.com"},
        "Action": "s3:PutObject",
        "Resource": f"arn:aws:s3:::logs/AWSLogs/{ACCOUNT}/*",
    }
    cases.append(
        Case(
            "s3-2-no-public-read",
            passing=[
                logs,
                bucket_policy(
                    "logs-policy",
                    logs,
                    delivery,
                    {**public_read, "Condition": {"StringEquals": {"aws:SourceAccount": ACCOUNT}}},
                ),
                bucket("site"),
                bucket_policy("site-policy", bucket("site"), {**public_read, "Resource": "arn:aws:s3:::site/*"}),
                setting(BLOCK, "site-block", bucket("site"), **ALL_BLOCKED),
            ],
            violating=[logs, bucket_policy("logs-policy", logs, public_read), bucket("legacy", acl="public-read")],
            flagged={"logs", "legacy"},
        )
    )
    public_write = {
        "Effect": "Allow",
        "Principal": {"AWS": "*"},
        "Action": "s3:PutObject",
        "Resource": "arn:aws:s3:::logs/*",
    }
    cases.append(
        Case(
            "s3-3-no-public-write",
            passing=[logs, bucket_policy("logs-policy", logs, delivery, public_read)],
            violating=[
                logs,
                bucket_policy("logs-policy", logs, public_write),
                bucket(
                    "dropbox",
                    grants=[
                        {
                            "type": "Group",
                            "uri": "http://acs.amazonaws.com/groups/global/AllUsers",
                            "permissions": ["WRITE"],
                        }
                    ],
                ),
            ],
            flagged={"logs", "dropbox"},
        )
    )
    cases.append(
        Case(
            "s3-5-ssl-requests-only",
            passing=[logs, bucket_policy("logs-policy", logs, delivery, tls_only(logs))],
            violating=[
                logs,
                bucket_policy(
                    "logs-policy", logs, {**tls_only(logs), "Condition": {"Bool": {"aws:SecureTransport": "true"}}}
                ),
                bucket("unguarded"),
                bucket("objects-only"),
                bucket_policy(
                    "objects-only-policy",
                    bucket("objects-only"),
                    {**tls_only(bucket("objects-only")), "Resource": "arn:aws:s3:::objects-only/*"},
                ),
            ],
            flagged={"logs", "unguarded", "objects-only"},
        )
    )
    other_account = {
        "Effect": "Allow",
        "Principal": {"AWS": "arn:aws:iam::210987654321:root"},
        "Action": "s3:*",
        "Resource": ["arn:aws:s3:::logs", "arn:aws:s3:::logs/*"],
    }
    cases.append(
        Case(
            "s3-6-no-sensitive-actions-for-other-accounts",
            passing=[
                bucket_policy(
                    "logs-policy", logs, delivery, {**other_account, "Action": ["s3:GetObject", "s3:PutObject"]}
                )
            ],
            violating=[bucket_policy("logs-policy", logs, other_account)],
            flagged={"logs-policy"},
        )
    )
    cases.append(
        Case(
            "s3-8-bucket-block-public-access",
            passing=[logs, setting(BLOCK, "logs-block", logs, **ALL_BLOCKED)],
            violating=[
                logs,
                setting(BLOCK, "logs-block", logs, **{**ALL_BLOCKED, "ignorePublicAcls": False}),
                bucket("open"),
            ],
            flagged={"logs", "open"},
        )
    )
    alb_logs = bucket("alb-logs")
    cases.append(
        Case(
            "s3-9-server-access-logging",
            passing=[
                bucket("data"),
                setting(BUCKET_LOGGING, "data-logging", bucket("data"), targetBucket="alb-logs", targetPrefix="s3/"),
                alb_logs,
                resource(
                    LB,
                    "web",
                    {**TWO_SUBNETS, "accessLogs": {"bucket": "x", "enabled": True}},
                    refs={"accessLogs": alb_logs},
                ),
            ],
            violating=[bucket("data"), alb_logs],
            flagged={"data", "alb-logs"},
        )
    )
    versioned = bucket("versioned")
    cases.append(
        Case(
            "s3-10-versioned-bucket-lifecycle",
            passing=[
                versioned,
                setting(VERSIONING, "versioned-versioning", versioned, versioningConfiguration={"status": "Enabled"}),
                setting(LIFECYCLE, "versioned-lifecycle", versioned, rules=[{"id": "x", "status": "Enabled"}]),
                bucket("unversioned"),
            ],
            violating=[
                versioned,
                setting(VERSIONING, "versioned-versioning", versioned, versioningConfiguration={"status": "Enabled"}),
                bucket("inline", versioning={"enabled": True}),
            ],
            flagged={"versioned", "inline"},
        )
    )
    cases.append(
        Case(
            "s3-12-no-acls",
            passing=[
                logs,
                setting(OWNERSHIP, "logs-ownership", logs, rule={"objectOwnership": "BucketOwnerEnforced"}),
                setting(BUCKET_ACL, "logs-acl", logs, acl="log-delivery-write"),
                bucket("plain"),
            ],
            violating=[
                logs,
                setting(BUCKET_ACL, "logs-acl", logs, acl="log-delivery-write"),
                bucket("granted", grants=[{"type": "CanonicalUser", "id": "other", "permissions": ["READ"]}]),
            ],
            flagged={"logs", "granted"},
        )
    )
    cases.append(
        Case(
            "s3-13-lifecycle-configuration",
            passing=[
                logs,
                setting(
                    LIFECYCLE,
                    "logs-lifecycle",
                    logs,
                    rules=[{"id": "expire", "status": "Enabled", "expiration": {"days": 365}}],
                ),
            ],
            violating=[
                logs,
                setting(LIFECYCLE, "logs-lifecycle", logs, rules=[{"id": "off", "status": "Disabled"}]),
                bucket("forever"),
            ],
            flagged={"logs", "forever"},
        )
    )

    # ---- WAF --------------------------------------------------------------------------------
    acl = resource(WEB_ACL, "acl", {"rules": [{"name": "common", "priority": 0}]}, outputs={"arn": "arn:waf:acl"})
    empty = resource(WEB_ACL, "empty", {"rules": []}, outputs={"arn": "arn:waf:empty"})
    cases.append(
        Case(
            "waf-10-web-acl-not-empty",
            passing=[
                acl,
                empty,
                resource(WEB_ACL_RULE, "empty-rule", {"webAclArn": "arn:waf:empty", "name": "r"}),
                resource(WEB_ACL, "json", {"ruleJson": '[{"Name": "rate"}]'}),
            ],
            violating=[empty, resource(WEB_ACL, "bare")],
            flagged={"empty", "bare"},
        )
    )
    cases.append(
        Case(
            "custom-alb-waf-internet-facing",
            passing=[
                web,
                acl,
                resource(
                    WAF_ASSOCIATION,
                    "web-waf",
                    {"resourceArn": "x", "webAclArn": "arn:waf:acl"},
                    refs={"resourceArn": web},
                ),
                internal,
                nlb,
            ],
            violating=[web, internal, alb("public", internal=False)],
            flagged={"web", "public"},
        )
    )

    # ---- network ----------------------------------------------------------------------------
    cases.append(
        Case(
            "custom-no-internet-egress-except-https",
            passing=[
                resource(
                    EGRESS, "https", {"ipProtocol": "tcp", "fromPort": 443, "toPort": 443, "cidrIpv4": "0.0.0.0/0"}
                ),
                resource(
                    EGRESS, "db", {"ipProtocol": "tcp", "fromPort": 5432, "toPort": 5432, "cidrIpv4": "10.20.0.0/16"}
                ),
                resource(
                    SG_RULE,
                    "ingress-80",
                    {"type": "ingress", "protocol": "tcp", "fromPort": 80, "toPort": 80, "cidrBlocks": ["0.0.0.0/0"]},
                ),
                resource(
                    SG,
                    "inline-https",
                    {"egress": [{"protocol": "tcp", "fromPort": 443, "toPort": 443, "cidrBlocks": ["0.0.0.0/0"]}]},
                ),
            ],
            violating=[
                resource(
                    EGRESS,
                    "db-anywhere",
                    {"ipProtocol": "tcp", "fromPort": 5432, "toPort": 5432, "cidrIpv4": "0.0.0.0/0"},
                ),
                resource(EGRESS, "all-v6", {"ipProtocol": "-1", "cidrIpv6": "::/0"}),
                resource(
                    SG_RULE,
                    "egress-80",
                    {"type": "egress", "protocol": "tcp", "fromPort": 80, "toPort": 80, "cidrBlocks": ["0.0.0.0/0"]},
                ),
                resource(
                    SG,
                    "inline-all",
                    {"egress": [{"protocol": "-1", "fromPort": 0, "toPort": 0, "cidrBlocks": ["0.0.0.0/0"]}]},
                ),
                # An interface that still checks source and destination is no NAT device.
                *_nat_device("not-a-nat", source_dest_check=True),
            ],
            flagged={"db-anywhere", "all-v6", "egress-80", "inline-all", "not-a-nat-all"},
        )
    )
    # A NAT device forwards what the private subnets send: its own group's egress is exempt,
    # whether the group is named by reference (a preview) or by its id (a literal list).
    cases[-1].passing.extend([*_nat_device("nat"), *_nat_device("nat-literal", by_reference=False)])
    return cases


def _nat_device(name: str, *, source_dest_check: bool = False, by_reference: bool = True) -> list[RegisteredResource]:
    group = resource(SG, f"{name}-sg", {"description": "NAT"}, id_=f"sg-{name}")
    interface = resource(
        "aws:ec2/networkInterface:NetworkInterface",
        name,
        {"sourceDestCheck": source_dest_check, "securityGroups": [f"sg-{name}"]},
        refs={"securityGroups": group} if by_reference else None,
    )
    rule = resource(
        EGRESS,
        f"{name}-all",
        {"ipProtocol": "-1", "cidrIpv4": "0.0.0.0/0", "securityGroupId": f"sg-{name}"},
        refs={"securityGroupId": group} if by_reference else None,
    )
    return [group, interface, rule]


CASES = _cases()


def test_every_policy_has_a_case() -> None:
    assert sorted({c.policy for c in CASES}) == sorted(p.name for p in POLICIES)


@pytest.mark.parametrize("case", CASES, ids=[c.policy for c in CASES])
def test_passing_stack_has_no_finding(case: Case) -> None:
    assert flagged(case.policy, *case.passing) == set()


@pytest.mark.parametrize("case", CASES, ids=[c.policy for c in CASES])
def test_violating_stack_is_reported_on_the_right_resources(case: Case) -> None:
    assert flagged(case.policy, *case.violating) == case.flagged
