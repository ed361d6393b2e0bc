"""FargateService under the mock engine: wiring by reference, the task document, IAM, bad input."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

import pulumi
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pulumi_aws import cloudwatch, ec2, ecr, lb, ssm

from components.fargate_service import (
    FargateService,
    FargateServiceArgs,
    LoadBalancerTarget,
    container_user,
    task_family,
)
from components.fargate_sizes import FARGATE_TASK_SIZES, check_task_size
from components.testing.engine import Deployment, ProgramError
from components.validation import InvalidArgumentError
from tests.harness import input_refs, plaintext_leaks, rejects, run_component

SERVICE = "papyrus:index:FargateService"
DROP = object()
"""An override that leaves the argument out, so its default applies."""
SG = "aws:ec2/securityGroup:SecurityGroup"
INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"
ROLE = "aws:iam/role:Role"
ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy"
TASK_DEFINITION = "aws:ecs/taskDefinition:TaskDefinition"
ECS_SERVICE = "aws:ecs/service:Service"
CLUSTER = "aws:ecs/cluster:Cluster"

ACCOUNT = "123456789012"
REPOSITORY_ARN = f"arn:aws:ecr:us-west-2:{ACCOUNT}:repository/papyrus"
IMAGE = f"{ACCOUNT}.dkr.ecr.us-west-2.amazonaws.com/papyrus:v1.2.0"
LOG_GROUP = "/ecs/papyrus"
LOG_GROUP_ARN = f"arn:aws:logs:us-west-2:{ACCOUNT}:log-group:{LOG_GROUP}"
DB_SECRET = f"arn:aws:secretsmanager:us-west-2:{ACCOUNT}:secret:papyrus/test/db-AbCdEf"
SECRETS = [
    {"name": "DB_PASSWORD", "valueFrom": f"{DB_SECRET}:password::"},
    {"name": "DB_USER", "valueFrom": f"{DB_SECRET}:username::"},
]
SECRETS_POLICY = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": [DB_SECRET]}],
    }
)


def plain_args(**overrides: Any) -> FargateServiceArgs:
    """Arguments made only of plain values, so every check runs before registration."""
    args: dict[str, Any] = {
        "vpc_id": "vpc-0123456789abcdef0",
        "subnet_ids": ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"],
        "image": IMAGE,
        "repository_arn": REPOSITORY_ARN,
        "container_port": 5000,
        "log_group_name": LOG_GROUP,
        "log_group_arn": LOG_GROUP_ARN,
    }
    args.update(overrides)
    return args  # type: ignore[return-value]  # tests also pass what the type forbids


class Edge:
    """What the service is wired to, built as real resources so their mock ids can be compared."""

    def __init__(self) -> None:
        self.vpc = ec2.Vpc("net", cidr_block="10.10.0.0/16")
        self.subnets = [ec2.Subnet(f"private-{i}", vpc_id=self.vpc.id, cidr_block=f"10.10.{i}.0/24") for i in range(2)]
        self.repository = ecr.Repository("registry", name="papyrus")
        self.logs = cloudwatch.LogGroup("logs", name=LOG_GROUP, retention_in_days=1)
        self.lbs = {key: self._alb(key) for key in ("web", "api")}

    def _alb(self, key: str) -> dict[str, Any]:
        group = ec2.SecurityGroup(f"{key}-alb-sg", vpc_id=self.vpc.id)
        alb = lb.LoadBalancer(f"{key}-alb", name=key, security_groups=[group.id])
        target_group = lb.TargetGroup(
            f"{key}-tg", name=key, port=5000, protocol="HTTP", target_type="ip", vpc_id=self.vpc.id
        )
        listener = lb.Listener(
            f"{key}-http",
            load_balancer_arn=alb.arn,
            port=80,
            default_actions=[{"type": "forward", "target_group_arn": target_group.arn}],
        )
        return {"sg": group, "tg": target_group, "listener": listener}

    def targets(self) -> list[LoadBalancerTarget]:
        return [
            {
                "name": key,
                "target_group_arn": parts["tg"].arn,
                "security_group_id": parts["sg"].id,
                "listener_arn": parts["listener"].arn,
                # What the ApplicationLoadBalancer's `target_port` output gives: the target group's port.
                "target_port": parts["tg"].port.apply(lambda port: int(port or 0)),
            }
            for key, parts in self.lbs.items()
        ]

    def args(self, **overrides: Any) -> FargateServiceArgs:
        args: dict[str, Any] = {
            "vpc_id": self.vpc.id,
            "subnet_ids": [s.id for s in self.subnets],
            "image": pulumi.Output.concat(self.repository.repository_url, ":v1.2.0"),
            "repository_arn": self.repository.arn,
            "container_port": 5000,
            "log_group_name": self.logs.name,
            "log_group_arn": self.logs.arn,
            "environment": {"GUNICORN_WORKERS": "2", "AUTH0_DOMAIN": "papyrus.us.auth0.com"},
            "secrets": SECRETS,
            "secrets_read_policy_json": SECRETS_POLICY,
            "load_balancers": self.targets(),
            "egress_tcp_ports": [443, 5432],
        }
        args.update(overrides)
        return {k: v for k, v in args.items() if v is not DROP}  # type: ignore[return-value]


def _outputs(service: FargateService) -> dict[str, Any]:
    return {
        "cluster_arn": service.cluster_arn,
        "cluster_name": service.cluster_name,
        "service_name": service.service_name,
        "service_arn": service.service_arn,
        "task_definition_arn": service.task_definition_arn,
        "task_definition_family": service.task_definition_family,
        "security_group_id": service.security_group_id,
        "execution_role_arn": service.execution_role_arn,
        "execution_role_name": service.execution_role_name,
        "task_role_arn": service.task_role_arn,
        "task_role_name": service.task_role_name,
    }


def deploy(**overrides: Any) -> Deployment:
    """Run the component against a fresh `Edge`; a callable override is called inside the program
    (outputs can only be made there)."""

    def build() -> Mapping[str, Any]:
        edge = Edge()
        made = {key: value() if callable(value) else value for key, value in overrides.items()}
        return _outputs(FargateService("app", edge.args(**made)))

    return run_component(build)


@pytest.fixture(scope="module")
def wired() -> Deployment:
    return deploy()


def container(deployment: Deployment) -> dict[str, Any]:
    definitions = json.loads(deployment.one(TASK_DEFINITION).inputs["containerDefinitions"])
    assert len(definitions) == 1
    result: dict[str, Any] = definitions[0]
    return result


def policy(deployment: Deployment, name: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(deployment.one(ROLE_POLICY, name).inputs["policy"])
    return document


def rules(deployment: Deployment, type_: str, group_id: str) -> set[tuple[Any, ...]]:
    return {
        (
            r.inputs.get("referencedSecurityGroupId"),
            r.inputs.get("cidrIpv4"),
            r.inputs["ipProtocol"],
            r.inputs["fromPort"],
            r.inputs["toPort"],
        )
        for r in deployment.of_type(type_)
        if r.inputs["securityGroupId"] == group_id
    }


# ---- network wiring ---------------------------------------------------------------------------


def test_tasks_run_in_the_given_subnets_with_no_public_ip_behind_the_component_group(wired: Deployment) -> None:
    service = wired.one(ECS_SERVICE)
    group = wired.one(SG, "app-sg")
    network = service.inputs["networkConfiguration"]
    assert network["subnets"] == [s.id for s in wired.of_type("aws:ec2/subnet:Subnet")]
    assert network["assignPublicIp"] is False
    assert network["securityGroups"] == [group.id]
    assert group.inputs["vpcId"] == wired.one("aws:ec2/vpc:Vpc").id
    assert group.parent == wired.one(SERVICE).urn
    # Rules live in separate resources only: inline blocks would fight them.
    assert "ingress" not in group.inputs
    assert "egress" not in group.inputs
    assert wired.outputs["security_group_id"] == group.id


def test_tasks_admit_only_the_load_balancer_groups_on_the_container_port(wired: Deployment) -> None:
    group = wired.one(SG, "app-sg")
    web, api = wired.one(SG, "web-alb-sg"), wired.one(SG, "api-alb-sg")
    assert rules(wired, INGRESS, group.id) == {
        (web.id, None, "tcp", 5000, 5000),
        (api.id, None, "tcp", 5000, 5000),
    }
    assert [r.name for r in wired.of_type(INGRESS)] == ["app-from-api", "app-from-web"]


def test_tasks_egress_only_on_the_given_ports(wired: Deployment) -> None:
    group = wired.one(SG, "app-sg")
    assert rules(wired, EGRESS, group.id) == {
        (None, "0.0.0.0/0", "tcp", 443, 443),
        (None, "0.0.0.0/0", "tcp", 5432, 5432),
    }


def test_each_load_balancer_group_may_reach_the_tasks_on_the_container_port(wired: Deployment) -> None:
    group = wired.one(SG, "app-sg")
    for key in ("web", "api"):
        lb_group = wired.one(SG, f"{key}-alb-sg")
        assert rules(wired, EGRESS, lb_group.id) == {(group.id, None, "tcp", 5000, 5000)}
        assert wired.one(EGRESS, f"app-{key}-to-tasks").inputs["securityGroupId"] == lb_group.id


def test_the_default_egress_is_https_only() -> None:
    deployment = deploy(egress_tcp_ports=DROP, load_balancers=DROP)
    group = deployment.one(SG, "app-sg")
    assert [r.name for r in deployment.of_type(EGRESS)] == ["app-egress-tcp-443"]
    assert rules(deployment, EGRESS, group.id) == {(None, "0.0.0.0/0", "tcp", 443, 443)}
    assert deployment.of_type(INGRESS) == []


def test_egress_rules_reach_a_database_range_or_group_on_its_port_only() -> None:
    def database_group() -> Any:
        return ec2.SecurityGroup("db-sg", vpc_id="vpc-0123456789abcdef0")

    deployment = deploy(
        egress_tcp_ports=DROP,
        load_balancers=DROP,
        egress_rules=lambda: [
            {"name": "db", "port": 5432, "cidr_block": "10.30.0.0/16"},
            {"name": "cache", "port": 6379, "security_group_id": database_group().id},
        ],
    )
    group = deployment.one(SG, "app-sg")
    cache = deployment.one(SG, "db-sg")
    assert rules(deployment, EGRESS, group.id) == {
        (None, "0.0.0.0/0", "tcp", 443, 443),
        (None, "10.30.0.0/16", "tcp", 5432, 5432),
        (cache.id, None, "tcp", 6379, 6379),
    }
    to_cache = deployment.one(EGRESS, "app-egress-to-cache")
    assert to_cache.property_dependencies["referencedSecurityGroupId"] == (cache.urn,)
    assert deployment.one(EGRESS, "app-egress-to-db").inputs["description"] == "Tasks to db on tcp/5432"
    # The destination's own group is not touched: its owner admits the tasks.
    assert rules(deployment, INGRESS, cache.id) == set()
    # The service starts only once its egress exists, like every other rule of its group.
    service = deployment.one(ECS_SERVICE)
    assert {to_cache.urn, deployment.one(EGRESS, "app-egress-to-db").urn} <= set(service.dependencies)


def test_the_container_runs_as_the_given_user_and_may_keep_its_capabilities() -> None:
    definition = container(deploy(user="1000:1000", drop_all_capabilities=False))
    assert definition["user"] == "1000:1000"
    assert "linuxParameters" not in definition


def test_without_a_user_the_image_decides(wired: Deployment) -> None:
    assert "user" not in container(wired)


@pytest.mark.parametrize("user", ["1000", "1000:1000", "app", "app:app", "www-data:33", "node.js_1"])
def test_container_users_ecs_accepts(user: str) -> None:
    assert container_user("test", "user", user) == user


# ---- the service ------------------------------------------------------------------------------


def test_the_service_registers_the_container_in_each_target_group(wired: Deployment) -> None:
    service = wired.one(ECS_SERVICE)
    assert service.inputs["loadBalancers"] == [
        {
            "targetGroupArn": wired.one("aws:lb/targetGroup:TargetGroup", key).id,
            "containerName": "app",
            "containerPort": 5000,
        }
        for key in ("web-tg", "api-tg")
    ]


def test_the_service_starts_after_the_listeners_rules_and_execution_policies(wired: Deployment) -> None:
    service = wired.one(ECS_SERVICE)
    listeners = {r.urn for r in wired.of_type("aws:lb/listener:Listener")}
    assert len(listeners) == 2
    assert listeners <= input_refs(wired, service, "loadBalancers")
    waits_for = set(service.dependencies)
    assert {r.urn for r in wired.of_type(INGRESS)} <= waits_for
    assert {r.urn for r in wired.of_type(EGRESS)} <= waits_for
    assert {r.urn for r in wired.of_type(ROLE_POLICY)} <= waits_for


def test_the_service_rolls_back_failed_deployments_on_a_pinned_platform(wired: Deployment) -> None:
    service = wired.one(ECS_SERVICE).inputs
    assert service["deploymentCircuitBreaker"] == {"enable": True, "rollback": True}
    assert service["launchType"] == "FARGATE"
    assert service["platformVersion"] == "1.4.0"
    assert service["desiredCount"] == 1
    assert service["healthCheckGracePeriodSeconds"] == 60
    assert service["propagateTags"] == "SERVICE"
    assert service["enableEcsManagedTags"] is True
    assert service["waitForSteadyState"] is True
    assert service["cluster"] == wired.one(CLUSTER).id
    assert service["taskDefinition"] == wired.one(TASK_DEFINITION).outputs["arn"]


def test_desired_count_grace_period_and_steady_state_follow_the_arguments() -> None:
    deployment = deploy(desired_count=3, health_check_grace_period_seconds=180, wait_for_steady_state=False)
    service = deployment.one(ECS_SERVICE).inputs
    assert service["desiredCount"] == 3
    assert service["healthCheckGracePeriodSeconds"] == 180
    assert service["waitForSteadyState"] is False


def test_a_service_without_load_balancers_has_no_grace_period_and_no_ingress() -> None:
    deployment = deploy(load_balancers=[], desired_count=0)
    service = deployment.one(ECS_SERVICE).inputs
    assert "loadBalancers" not in service
    assert "healthCheckGracePeriodSeconds" not in service
    assert service["desiredCount"] == 0
    assert deployment.of_type(INGRESS) == []


def test_without_triggers_the_service_is_not_forced_to_redeploy(wired: Deployment) -> None:
    service = wired.one(ECS_SERVICE).inputs
    assert "triggers" not in service
    assert "forceNewDeployment" not in service


def test_redeploy_triggers_start_a_deployment_when_they_change() -> None:
    """What SecureAppConfig.versions hands over: versions, never values, and an output."""

    def versions() -> pulumi.Output[dict[str, str]]:
        parameter = ssm.Parameter("setting", name="/papyrus/test/GUNICORN_WORKERS", type="String", insecure_value="2")
        return pulumi.Output.all(parameter.version).apply(lambda v: {"parameter:GUNICORN_WORKERS": str(v[0])})

    deployment = deploy(redeploy_triggers=versions)
    service = deployment.one(ECS_SERVICE)
    parameter = deployment.one("aws:ssm/parameter:Parameter")
    assert service.inputs["forceNewDeployment"] is True
    assert service.inputs["triggers"] == {"parameter:GUNICORN_WORKERS": str(parameter.outputs["version"])}
    assert parameter.urn in input_refs(deployment, service, "triggers")

    plain = deploy(redeploy_triggers={"secret:db": "v-1"}).one(ECS_SERVICE).inputs
    assert plain["triggers"] == {"secret:db": "v-1"}


@pytest.mark.parametrize(("architecture", "expected"), [("ARM64", "ARM64"), ("X86_64", "X86_64")])
def test_the_task_runs_on_the_chosen_cpu_architecture(architecture: str, expected: str) -> None:
    task = deploy(cpu_architecture=architecture).one(TASK_DEFINITION).inputs
    assert task["runtimePlatform"] == {"operatingSystemFamily": "LINUX", "cpuArchitecture": expected}


@pytest.mark.parametrize(("enabled", "value"), [(True, "enabled"), (False, "disabled")])
def test_container_insights(enabled: bool, value: str) -> None:
    deployment = deploy(container_insights=enabled)
    assert deployment.one(CLUSTER).inputs["settings"] == [{"name": "containerInsights", "value": value}]


def test_container_insights_is_on_by_default(wired: Deployment) -> None:
    assert wired.one(CLUSTER).inputs["settings"] == [{"name": "containerInsights", "value": "enabled"}]


# ---- the task definition ------------------------------------------------------------------------


def test_the_task_definition_is_a_fargate_linux_task_with_both_roles(wired: Deployment) -> None:
    task = wired.one(TASK_DEFINITION).inputs
    assert task["requiresCompatibilities"] == ["FARGATE"]
    assert task["networkMode"] == "awsvpc"
    assert (task["cpu"], task["memory"]) == ("256", "512")
    assert task["runtimePlatform"] == {"operatingSystemFamily": "LINUX", "cpuArchitecture": "X86_64"}
    assert task["family"] == "test-test-app"
    assert task["executionRoleArn"] == wired.one(ROLE, "app-execution").outputs["arn"]
    assert task["taskRoleArn"] == wired.one(ROLE, "app-task").outputs["arn"]
    assert task["executionRoleArn"] != task["taskRoleArn"]
    assert task["volumes"] == [{"name": "tmp"}]


def test_the_container_definition(wired: Deployment) -> None:
    assert container(wired) == {
        "name": "app",
        "image": IMAGE,
        "essential": True,
        "portMappings": [{"containerPort": 5000, "hostPort": 5000, "protocol": "tcp"}],
        "environment": [
            {"name": "AUTH0_DOMAIN", "value": "papyrus.us.auth0.com"},
            {"name": "GUNICORN_WORKERS", "value": "2"},
        ],
        "secrets": SECRETS,
        "logConfiguration": {
            "logDriver": "awslogs",
            "options": {"awslogs-group": LOG_GROUP, "awslogs-region": "us-west-2", "awslogs-stream-prefix": "app"},
        },
        "privileged": False,
        "readonlyRootFilesystem": True,
        "mountPoints": [{"sourceVolume": "tmp", "containerPath": "/tmp", "readOnly": False}],  # noqa: S108
        "linuxParameters": {"capabilities": {"drop": ["ALL"]}},
        "stopTimeout": 30,
    }


def test_the_container_follows_name_size_prefix_and_writable_root() -> None:
    deployment = deploy(
        container_name="web",
        cpu=512,
        memory=2048,
        log_stream_prefix="papyrus",
        readonly_root_filesystem=False,
        environment={},
        secrets=[],
    )
    definition = container(deployment)
    task = deployment.one(TASK_DEFINITION).inputs
    assert (task["cpu"], task["memory"]) == ("512", "2048")
    assert "volumes" not in task
    assert definition["name"] == "web"
    assert definition["readonlyRootFilesystem"] is False
    assert "mountPoints" not in definition
    assert "environment" not in definition
    assert definition["secrets"] == []
    assert definition["logConfiguration"]["options"]["awslogs-stream-prefix"] == "papyrus"
    assert {lb_["containerName"] for lb_ in deployment.one(ECS_SERVICE).inputs["loadBalancers"]} == {"web"}


def test_the_region_comes_from_the_log_group_arn() -> None:
    deployment = run_component(
        lambda: _outputs(
            FargateService(
                "app",
                plain_args(
                    image=IMAGE.replace("us-west-2", "eu-west-1"),
                    repository_arn=REPOSITORY_ARN.replace("us-west-2", "eu-west-1"),
                    log_group_arn=LOG_GROUP_ARN.replace("us-west-2", "eu-west-1"),
                ),
            )
        )
    )
    assert container(deployment)["logConfiguration"]["options"]["awslogs-region"] == "eu-west-1"


def test_plain_settings_stay_readable_in_the_plan(wired: Deployment) -> None:
    assert not wired.one(TASK_DEFINITION).is_secret("containerDefinitions")


def test_secret_derived_container_definitions_stay_secret() -> None:
    deployment = deploy(secrets=lambda: pulumi.Output.secret(SECRETS))
    task = deployment.one(TASK_DEFINITION)
    assert task.fully_secret("containerDefinitions")
    assert container(deployment)["secrets"] == SECRETS
    # The valueFrom ARNs are secret here, so any plain copy of them would be reported.
    assert plaintext_leaks(deployment) == []


# ---- IAM --------------------------------------------------------------------------------------------


def test_both_roles_trust_only_ecs_tasks_of_this_account(wired: Deployment) -> None:
    ecs_tasks = {"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole"}
    for role in ("app-execution", "app-task"):
        trust = json.loads(wired.one(ROLE, role).inputs["assumeRolePolicy"])
        assert trust["Statement"] == [{**ecs_tasks, "Condition": {"StringEquals": {"aws:SourceAccount": ACCOUNT}}}]


def test_the_execution_role_pulls_from_one_repository_and_writes_to_one_log_group(wired: Deployment) -> None:
    role = wired.one(ROLE, "app-execution")
    attached = [p for p in wired.of_type(ROLE_POLICY) if p.inputs["role"] == role.id]
    assert {p.name for p in attached} == {"app-execution-pull-and-log", "app-execution-secrets"}
    repository = wired.one("aws:ecr/repository:Repository")
    logs = wired.one("aws:cloudwatch/logGroup:LogGroup")
    statements = policy(wired, "app-execution-pull-and-log")["Statement"]
    assert [(s["Effect"], s["Action"], s["Resource"]) for s in statements] == [
        ("Allow", "ecr:GetAuthorizationToken", "*"),
        (
            "Allow",
            ["ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"],
            repository.outputs["arn"],
        ),
        # The ECS documentation's form: the log group's ARN with ":*", which covers its streams.
        ("Allow", ["logs:CreateLogStream", "logs:PutLogEvents"], logs.outputs["arn"] + ":*"),
    ]


def test_the_secrets_policy_is_attached_verbatim(wired: Deployment) -> None:
    assert wired.one(ROLE_POLICY, "app-execution-secrets").inputs["policy"] == SECRETS_POLICY


def test_without_secrets_the_execution_role_gets_no_secret_access() -> None:
    deployment = deploy(secrets=DROP, secrets_read_policy_json=DROP)
    assert [p.name for p in deployment.of_type(ROLE_POLICY)] == ["app-execution-pull-and-log"]
    assert "secrets" not in container(deployment)


def test_the_task_role_has_no_permissions(wired: Deployment) -> None:
    task_role = wired.one(ROLE, "app-task")
    assert [p.name for p in wired.of_type(ROLE_POLICY) if p.inputs["role"] == task_role.id] == []
    assert not wired.of_type("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
    assert "managedPolicyArns" not in task_role.inputs
    assert "inlinePolicies" not in task_role.inputs


# ---- component shape ----------------------------------------------------------------------------


def test_outputs_name_the_created_resources(wired: Deployment) -> None:
    cluster, service = wired.one(CLUSTER), wired.one(ECS_SERVICE)
    assert wired.outputs == {
        "cluster_arn": cluster.outputs["arn"],
        "cluster_name": cluster.outputs["name"],
        "service_name": service.outputs["name"],
        "service_arn": service.outputs["arn"],
        "task_definition_arn": wired.one(TASK_DEFINITION).outputs["arn"],
        "task_definition_family": wired.one(TASK_DEFINITION).outputs["family"],
        "security_group_id": wired.one(SG, "app-sg").id,
        "execution_role_arn": wired.one(ROLE, "app-execution").outputs["arn"],
        "execution_role_name": wired.one(ROLE, "app-execution").outputs["name"],
        "task_role_arn": wired.one(ROLE, "app-task").outputs["arn"],
        "task_role_name": wired.one(ROLE, "app-task").outputs["name"],
    }
    # The role names are the ends of the role ARNs, and the two roles differ.
    for role in ("execution", "task"):
        assert wired.outputs[f"{role}_role_arn"].endswith(":role/" + wired.outputs[f"{role}_role_name"])
    assert wired.outputs["execution_role_name"] != wired.outputs["task_role_name"]
    assert wired.outputs["task_definition_arn"].split("/")[-1].startswith(wired.outputs["task_definition_family"] + ":")


def test_every_child_is_parented_named_after_the_component_and_tagged() -> None:
    deployment = deploy(tags={"team": "web"})
    component = deployment.one(SERVICE)
    children = deployment.children(component)
    assert len(children) == 14
    assert all(c.name.startswith("app-") for c in children)
    assert all(c.inputs.get("tags") == {"team": "web"} for c in children if c.type != ROLE_POLICY)


# ---- bad input ----------------------------------------------------------------------------------

_ELB = f"arn:aws:elasticloadbalancing:us-west-2:{ACCOUNT}"
_TARGET_FOR_CLASH = {
    "target_group_arn": f"{_ELB}:targetgroup/web/0123456789abcdef",
    "security_group_id": "sg-0123456789abcdef0",
    "listener_arn": f"{_ELB}:listener/app/web/0123456789abcdef/0123456789abcdef",
}

REJECTED: list[tuple[dict[str, Any], str, object]] = [
    ({"cpu": 256, "memory": 4096}, "memory", 4096),
    ({"cpu": 300}, "cpu", 300),
    # Equal to a table entry, but ECS would receive "512.0".
    ({"cpu": 512.0, "memory": 1024}, "cpu", 512.0),
    ({"cpu": 512, "memory": 1024.0}, "memory", 1024.0),
    ({"cpu": 8192, "memory": 18432}, "memory", 18432),
    ({"container_port": 0}, "container_port", 0),
    ({"container_port": 65536}, "container_port", 65536),
    ({"desired_count": -1}, "desired_count", -1),
    ({"environment": {"GUNICORN-WORKERS": "2"}}, "environment", "GUNICORN-WORKERS"),
    ({"environment": {"2FAST": "yes"}}, "environment", "2FAST"),
    (
        {"environment": {"DB_PASSWORD": "hunter22"}, "secrets": SECRETS, "secrets_read_policy_json": SECRETS_POLICY},
        "secrets",
        "DB_PASSWORD",
    ),
    ({"secrets": [SECRETS[0], SECRETS[0]], "secrets_read_policy_json": SECRETS_POLICY}, "secrets", "DB_PASSWORD"),
    (
        {"secrets": [{**SECRETS[0], "name": "DB-PASSWORD"}], "secrets_read_policy_json": SECRETS_POLICY},
        "secrets",
        "DB-PASSWORD",
    ),
    ({"environment": {"WORKERS": 2}}, "environment['WORKERS']", 2),
    ({"secrets": SECRETS}, "secrets_read_policy_json", None),
    ({"secrets": SECRETS, "secrets_read_policy_json": "not json"}, "secrets_read_policy_json", "not json"),
    ({"image": ""}, "image", ""),
    ({"image": "public.ecr.aws/nginx/nginx:1.27"}, "image", "public.ecr.aws/nginx/nginx:1.27"),
    ({"image": IMAGE.replace("papyrus:", "other:")}, "image", IMAGE.replace("papyrus:", "other:")),
    ({"repository_arn": IMAGE}, "repository_arn", IMAGE),
    ({"egress_tcp_ports": [0]}, "egress_tcp_ports", 0),
    ({"egress_tcp_ports": [443, 70000]}, "egress_tcp_ports", 70000),
    ({"egress_tcp_ports": []}, "egress_tcp_ports", []),
    ({"egress_tcp_ports": [443, 443]}, "egress_tcp_ports", [443]),
    ({"egress_tcp_ports": ["443"]}, "egress_tcp_ports", "443"),
    ({"health_check_grace_period_seconds": 30}, "health_check_grace_period_seconds", 30),
    ({"log_group_arn": LOG_GROUP_ARN + ":*"}, "log_group_arn", LOG_GROUP_ARN + ":*"),
    ({"log_group_name": "/ecs/other"}, "log_group_arn", LOG_GROUP_ARN),
    ({"log_stream_prefix": "app:web"}, "log_stream_prefix", "app:web"),
    ({"container_name": "my app"}, "container_name", "my app"),
    ({"subnet_ids": []}, "subnet_ids", []),
    ({"subnet_ids": ["subnet-0123456789abcdef0"] * 2}, "subnet_ids", ["subnet-0123456789abcdef0"] * 2),
    ({"vpc_id": "papyrus-vpc"}, "vpc_id", "papyrus-vpc"),
    ({"readonly_root_filesystem": "yes"}, "readonly_root_filesystem", "yes"),
    ({"container_insights": 1}, "container_insights", 1),
    ({"tags": {"aws:team": "web"}}, "tags", "aws:team"),
    ({"desiredCount": 2}, "desiredCount", 2),
    ({"cpu_architecture": "arm64"}, "cpu_architecture", "arm64"),
    ({"cpu_architecture": "AARCH64"}, "cpu_architecture", "AARCH64"),
    ({"redeploy_triggers": {"secret:db": 3}}, "redeploy_triggers['secret:db']", 3),
    ({"redeploy_triggers": ["secret:db"]}, "redeploy_triggers", ["secret:db"]),
    ({"user": "root"}, "user", "root"),
    ({"user": "0"}, "user", "0"),
    ({"user": "0:0"}, "user", "0:0"),
    ({"user": "root:app"}, "user", "root:app"),
    ({"user": "app user"}, "user", "app user"),
    ({"user": "app:"}, "user", "app:"),
    ({"user": 1000}, "user", 1000),
    ({"drop_all_capabilities": "yes"}, "drop_all_capabilities", "yes"),
    ({"egress_rules": [{"name": "db", "port": 5432}]}, "egress_rules[0]", {"name": "db", "port": 5432}),
    (
        {
            "egress_rules": [
                {"name": "db", "port": 5432, "cidr_block": "10.0.0.0/16", "security_group_id": "sg-0123456789abcdef0"}
            ]
        },
        "egress_rules[0]",
        {"name": "db", "port": 5432, "cidr_block": "10.0.0.0/16", "security_group_id": "sg-0123456789abcdef0"},
    ),
    (
        {"egress_rules": [{"name": "db", "port": 5432, "cidr_block": "0.0.0.0/0"}]},
        "egress_rules[0].cidr_block",
        "0.0.0.0/0",
    ),
    (
        {"egress_rules": [{"name": "db", "port": 5432, "cidr_block": "10.0.0.1/16"}]},
        "egress_rules[0].cidr_block",
        "10.0.0.1/16",
    ),
    ({"egress_rules": [{"name": "db", "port": 0, "cidr_block": "10.0.0.0/16"}]}, "egress_rules[0].port", 0),
    ({"egress_rules": [{"name": "DB", "port": 5432, "cidr_block": "10.0.0.0/16"}]}, "egress_rules[0].name", "DB"),
    (
        {"egress_rules": [{"name": "db", "port": 5432, "security_group_id": "db-sg"}]},
        "egress_rules[0].security_group_id",
        "db-sg",
    ),
    ({"egress_rules": [{"name": "db", "port": 5432, "cidr": "10.0.0.0/16"}]}, "egress_rules[0].cidr", "10.0.0.0/16"),
    (
        {
            "egress_rules": [
                {"name": "db", "port": 5432, "cidr_block": "10.0.0.0/16"},
                {"name": "db", "port": 5433, "cidr_block": "10.1.0.0/16"},
            ]
        },
        "egress_rules[].name",
        ["db"],
    ),
    (
        {
            "egress_rules": [{"name": "tasks", "port": 5432, "cidr_block": "10.0.0.0/16"}],
            "load_balancers": [{**_TARGET_FOR_CLASH, "name": "egress"}],
        },
        "egress_rules[].name",
        ["egress-to-tasks"],
    ),
]

_TARGET = {
    "target_group_arn": f"{_ELB}:targetgroup/web/0123456789abcdef",
    "security_group_id": "sg-0123456789abcdef0",
    "listener_arn": f"{_ELB}:listener/app/web/0123456789abcdef/0123456789abcdef",
}
_LB_ARN = f"{_ELB}:loadbalancer/app/web/0123456789abcdef"
_OTHER_TG = _TARGET["target_group_arn"].replace("/web/", "/api/")

REJECTED_TARGETS: list[tuple[list[dict[str, Any]], str, object]] = [
    ([{**_TARGET, "listener_arn": _LB_ARN}], "load_balancers[0].listener_arn", _LB_ARN),
    ([{**_TARGET, "target_group_arn": _LB_ARN}], "load_balancers[0].target_group_arn", _LB_ARN),
    ([{**_TARGET, "security_group_id": "web-alb"}], "load_balancers[0].security_group_id", "web-alb"),
    ([{**_TARGET, "name": "Web"}], "load_balancers[0].name", "Web"),
    ([{**_TARGET, "target_port": 8080}], "load_balancers[0].target_port", 8080),
    ([{**_TARGET, "target_port": 0}], "load_balancers[0].target_port", 0),
    ([{k: v for k, v in _TARGET.items() if k != "listener_arn"}], "load_balancers[0].listener_arn", None),
    (
        [{**_TARGET, "name": "web"}, {**_TARGET, "name": "api", "target_group_arn": _OTHER_TG}],
        "load_balancers[].security_group_id",
        [_TARGET["security_group_id"]],
    ),
    (
        [_TARGET, {**_TARGET, "name": "lb0", "security_group_id": "sg-0123456789abcdef1"}],
        "load_balancers[].name",
        ["lb0"],
    ),
]


def _rejection(overrides: Mapping[str, Any]) -> str:
    error = rejects(lambda: _outputs(FargateService("app", plain_args(**overrides))))
    return str(error)


@pytest.mark.parametrize(("overrides", "key", "value"), REJECTED)
def test_bad_arguments_are_rejected_before_anything_is_registered(
    overrides: dict[str, Any], key: str, value: object
) -> None:
    message = _rejection(overrides)
    assert message.startswith("FargateService 'app': ")
    assert f"invalid {key}={value!r}" in message


@pytest.mark.parametrize(("targets", "key", "value"), REJECTED_TARGETS)
def test_bad_load_balancer_targets_are_rejected(targets: list[dict[str, Any]], key: str, value: object) -> None:
    assert f"invalid {key}={value!r}" in _rejection({"load_balancers": targets})


def test_plain_arguments_are_passed_through_unchanged() -> None:
    deployment = run_component(lambda: _outputs(FargateService("app", plain_args(load_balancers=[_TARGET]))))
    service = deployment.one(ECS_SERVICE)
    group = deployment.one(SG, "app-sg")
    assert service.inputs["loadBalancers"] == [
        {"targetGroupArn": _TARGET["target_group_arn"], "containerName": "app", "containerPort": 5000}
    ]
    assert service.inputs["networkConfiguration"]["subnets"] == plain_args()["subnet_ids"]
    assert group.inputs["vpcId"] == "vpc-0123456789abcdef0"
    assert rules(deployment, INGRESS, group.id) == {(_TARGET["security_group_id"], None, "tcp", 5000, 5000)}
    assert rules(deployment, EGRESS, _TARGET["security_group_id"]) == {(group.id, None, "tcp", 5000, 5000)}
    assert container(deployment)["image"] == IMAGE
    assert policy(deployment, "app-execution-pull-and-log")["Statement"][1]["Resource"] == REPOSITORY_ARN


def test_a_target_port_other_than_the_container_port_names_both() -> None:
    message = _rejection({"load_balancers": [{**_TARGET, "target_port": 8080}]})
    assert message == (
        "FargateService 'app': invalid load_balancers[0].target_port=8080; expected container_port, 5000: "
        "ECS registers the tasks on container_port, and the load balancer may reach them only there "
        "(use one port for both)"
    )
    # The same port passes, and changes nothing about what is created.
    same = run_component(
        lambda: _outputs(FargateService("app", plain_args(load_balancers=[{**_TARGET, "target_port": 5000}])))
    )
    assert same.one(ECS_SERVICE).inputs["loadBalancers"][0]["containerPort"] == 5000


def test_a_target_port_output_that_differs_fails_before_the_rules_and_the_service() -> None:
    def build() -> None:
        edge = Edge()
        web, api = edge.targets()
        # The api load balancer's target group forwards to 8080, but the container listens on 5000.
        FargateService("app", edge.args(load_balancers=[web, {**api, "target_port": pulumi.Output.from_input(8080)}]))

    with pytest.raises(ProgramError) as caught:
        run_component(build)
    assert "FargateService 'app': invalid load_balancers[1].target_port=8080; expected container_port, 5000" in str(
        caught.value.error
    )
    deployment = caught.value.deployment
    assert not deployment.of_type(ECS_SERVICE)
    assert not [r for r in deployment.of_type(INGRESS) + deployment.of_type(EGRESS) if "api" in r.name]


def test_output_values_are_checked_once_they_resolve() -> None:
    def build() -> None:
        edge = Edge()
        web = edge.targets()[0]
        # One load balancer group listed twice would create the same rule twice.
        FargateService(
            "app", edge.args(load_balancers=[web, {**edge.targets()[1], "security_group_id": web["security_group_id"]}])
        )

    with pytest.raises(ProgramError) as caught:
        run_component(build)
    assert "invalid load_balancers[].security_group_id=" in str(caught.value.error)


def test_a_secret_value_in_the_environment_fails_before_the_task_definition_exists() -> None:
    def build() -> None:
        edge = Edge()
        FargateService("app", edge.args(environment={"DB_PASSWORD": pulumi.Output.secret("hunter2-hunter2")}))

    with pytest.raises(ProgramError) as caught:
        run_component(build)
    message = str(caught.value.error)
    assert "FargateService 'app': invalid environment['DB_PASSWORD']=[secret]" in message
    assert "hunter2" not in message
    assert TASK_DEFINITION not in {r.type for r in caught.value.deployment}


def test_a_plain_output_in_the_environment_keeps_its_dependency() -> None:
    def build() -> None:
        edge = Edge()
        FargateService("app", edge.args(environment={"LOG_GROUP": edge.logs.name}))

    deployment = run_component(build)
    task = deployment.one(TASK_DEFINITION)
    assert container(deployment)["environment"] == [{"name": "LOG_GROUP", "value": LOG_GROUP}]
    assert deployment.one("aws:cloudwatch/logGroup:LogGroup").urn in task.property_dependencies["containerDefinitions"]
    assert not task.is_secret("containerDefinitions")


def test_a_secret_named_like_an_environment_variable_is_caught_when_the_secrets_resolve() -> None:
    def build() -> None:
        edge = Edge()
        FargateService("app", edge.args(environment={"DB_USER": "papyrus"}, secrets=pulumi.Output.from_input(SECRETS)))

    with pytest.raises(ProgramError) as caught:
        run_component(build)
    assert "invalid secrets='DB_USER'" in str(caught.value.error)


# ---- pure logic --------------------------------------------------------------------------------


def test_task_family_joins_project_stack_and_name() -> None:
    assert task_family("papyrus", "prd", "app") == "papyrus-prd-app"
    assert task_family("my.project", "dev", "web app") == "my-project-dev-web-app"


@settings(max_examples=200)
@given(st.text(min_size=1, max_size=100), st.text(min_size=1, max_size=100), st.text(min_size=1, max_size=300))
def test_task_family_is_always_a_valid_family(project: str, stack: str, name: str) -> None:
    family = task_family(project, stack, name)
    assert re.fullmatch(r"[A-Za-z0-9_-]{1,255}", family)


# The Fargate task size table (Linux), written out as AWS lists it: CPU units to memory in GiB.
_AWS_TABLE = {
    256: [0.5, 1, 2],
    512: list(range(1, 5)),
    1024: list(range(2, 9)),
    2048: list(range(4, 17)),
    4096: list(range(8, 31)),
    8192: list(range(16, 61, 4)),
    16384: list(range(32, 121, 8)),
}


def test_the_task_size_table_is_fargates() -> None:
    assert {cpu: [m / 1024 for m in memory] for cpu, memory in FARGATE_TASK_SIZES.items()} == _AWS_TABLE


@settings(max_examples=200)
@given(st.sampled_from(sorted(FARGATE_TASK_SIZES)), st.integers(min_value=256, max_value=131_072))
def test_a_task_size_is_accepted_exactly_when_fargate_offers_it(cpu: int, memory: int) -> None:
    offered = memory in FARGATE_TASK_SIZES[cpu]
    if offered:
        assert check_task_size("here", "cpu", cpu, "memory", memory) == (cpu, memory)
    else:
        with pytest.raises(InvalidArgumentError, match=f"invalid memory={memory}; expected with cpu={cpu}, "):
            check_task_size("here", "cpu", cpu, "memory", memory)


# ---- the component's name ----------------------------------------------------------------------


@pytest.mark.parametrize("name", ["a" * 47, "sg", "sg-web", "web app", "app.web", ""])
def test_names_aws_would_refuse_in_a_child_name_are_rejected(name: str) -> None:
    """The execution role is auto-named `<name>-execution-<7 hex>` (IAM: 64 characters at most),
    the cluster and service `<name>-cluster-...` (ECS: letters, digits, - and _), the security
    group `<name>-sg-...` (AWS refuses names starting with sg-)."""
    error = rejects(lambda: _outputs(FargateService(name, plain_args())))
    assert isinstance(error, InvalidArgumentError)
    assert error.key == "name"
    assert f"invalid name={name!r}" in str(error)


def test_the_longest_name_fits_every_child() -> None:
    name = "a" * 46
    deployment = run_component(lambda: _outputs(FargateService(name, plain_args())))
    assert max(len(r.outputs["name"]) for r in deployment.of_type(ROLE)) == 64
