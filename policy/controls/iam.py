"""IAM: IAM.1, and the least-privilege checks for ECS roles (the trust policy names the source
account; log-writing grants name their log group in the form AWS documents)."""

import re
from collections.abc import Iterator, Mapping
from typing import Any

from pulumi_policy import PolicyResource, ResourceValidationArgs, StackValidationArgs

from .core import CUSTOM, Policy, resource_policy, stack_policy
from .iam_documents import Statement, statements
from .props import UNKNOWN, as_list, get, known
from .stack import referrers, refers_to, resources_of

POLICY = "aws:iam/policy:Policy"
ROLE = "aws:iam/role:Role"
ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy"
ROLE_POLICY_ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"

ECS_TASKS = "ecs-tasks.amazonaws.com"
LOG_WRITE_ACTIONS = ("logs:CreateLogStream", "logs:PutLogEvents")
# arn:aws:logs:<region>:<account>:log-group:<name>:* - one named group and its streams (the
# form AWS documents for the awslogs driver), or the group's own ARN without the suffix.
LOG_GROUP_RESOURCE = re.compile(r"arn:[a-z-]+:logs:[a-z0-9-]+:\d{12}:log-group:[^:*?]+(:\*)?")
_ECS_SOURCE_ARN = re.compile(r"arn:[a-z-]+:ecs:[^:]*:\d{12}:.*")


def _admin_access(args: ResourceValidationArgs, _: Mapping[str, Any]) -> Iterator[str]:
    try:
        document = statements(get(args.props, "policy"))
    except ValueError:
        return
    if any(s.allows and "*" in s.actions and "*" in s.resources for s in document):
        yield 'the policy allows Action "*" on Resource "*" (full administrative access)'


def _trusts_ecs_tasks(statement: Statement) -> bool:
    return (
        statement.allows and ECS_TASKS in statement.service_principals() and statement.covers_action("sts:AssumeRole")
    )


def _source_pinned(statement: Statement) -> bool:
    accounts = [v for op, v in statement.condition_values("aws:SourceAccount") if "Not" not in op]
    arns = [v for op, v in statement.condition_values("aws:SourceArn") if "Not" not in op]
    return any(re.fullmatch(r"\d{12}", v) for v in accounts) or any(_ECS_SOURCE_ARN.fullmatch(v) for v in arns)


def _ecs_trust_source_account(args: ResourceValidationArgs, _: Mapping[str, Any]) -> Iterator[str]:
    try:
        document = statements(get(args.props, "assumeRolePolicy"))
    except ValueError:
        return
    if any(_trusts_ecs_tasks(s) and not _source_pinned(s) for s in document):
        yield (
            f"the trust policy lets {ECS_TASKS} assume the role without an aws:SourceAccount (or aws:SourceArn) "
            "condition: another account's tasks could act as this role (confused deputy)"
        )


def _ecs_roles(args: StackValidationArgs) -> list[PolicyResource]:
    roles = []
    for role in resources_of(args, [ROLE]):
        trust = known(role.props, "assumeRolePolicy")
        if trust is UNKNOWN:
            continue
        try:
            if any(_trusts_ecs_tasks(s) for s in statements(trust)):
                roles.append(role)
        except ValueError:
            continue
    return roles


def _role_documents(args: StackValidationArgs, role: PolicyResource) -> Iterator[tuple[PolicyResource, Any]]:
    """Every identity policy document of `role` the stack defines: inline, RolePolicy, attached Policy."""
    for inline in as_list(known(role.props, "inlinePolicies")):
        yield role, get(inline, "policy")
    for policy in referrers(args, [ROLE_POLICY], ("role",), role, ("id", "name")):
        yield policy, known(policy.props, "policy")
    managed = resources_of(args, [POLICY])
    for attachment in referrers(args, [ROLE_POLICY_ATTACHMENT], ("role",), role, ("id", "name")):
        for policy in managed:
            if refers_to(attachment, ("policyArn",), policy, ("id", "arn")):
                yield policy, known(policy.props, "policy")


def _awslogs_grant_form(args: StackValidationArgs, _: Mapping[str, Any]) -> Iterator[tuple[PolicyResource, str]]:
    for role in _ecs_roles(args):
        for holder, document in _role_documents(args, role):
            if document is UNKNOWN or document is None:
                continue
            try:
                parsed = statements(document)
            except ValueError:
                continue
            for statement in parsed:
                if not (statement.allows and any(statement.covers_action(a) for a in LOG_WRITE_ACTIONS)):
                    continue
                wrong = [r for r in statement.resources if not LOG_GROUP_RESOURCE.fullmatch(r)]
                if wrong or statement.not_resources:
                    shown = ", ".join(wrong) or "NotResource"
                    yield (
                        holder,
                        f"{role.name} may write logs to {shown}: name each log group as "
                        "arn:<partition>:logs:<region>:<account>:log-group:<name>:*",
                    )


POLICIES: list[Policy] = [
    resource_policy(
        name="iam-1-no-full-admin-policy",
        control="IAM.1",
        title='IAM policies should not allow full "*" administrative privileges',
        types=[POLICY],
        check=_admin_access,
        remediation="Grant the actions and resources the principal needs instead of Action * on Resource *.",
    ),
    resource_policy(
        name="custom-ecs-trust-source-account",
        control=CUSTOM,
        title="Roles that ECS tasks assume pin aws:SourceAccount in their trust policy "
        "(papyrus least privilege; not an FSBP control)",
        types=[ROLE],
        check=_ecs_trust_source_account,
        remediation='Add "Condition": {"StringEquals": {"aws:SourceAccount": "<account id>"}} to the trust statement.',
    ),
    stack_policy(
        name="custom-awslogs-grant-log-group",
        control=CUSTOM,
        title="ECS roles write logs only to named log groups, in the resource form AWS documents "
        "(log-group:<name>:*; papyrus least privilege; not an FSBP control)",
        check=_awslogs_grant_form,
        remediation="Grant logs:CreateLogStream and logs:PutLogEvents on "
        "arn:<partition>:logs:<region>:<account>:log-group:<name>:* for each log group the task writes to.",
    ),
]
