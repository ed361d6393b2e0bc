"""The policy documents: one statement per scope, holding every action the mapped types need
there, packed into managed policies that fit IAM's size limit.

IAM counts a managed policy's characters without white space and allows 6,144; a role takes 10
managed policies by default. The deploy policy is split across as few documents as fit; a
statement too big for one document is split by its actions.
"""

from __future__ import annotations

import fnmatch
import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

from deploy_role.permissions import INVOKE_GRANTS, RESOURCE_GRANTS, SECRET_READS, Grant
from deploy_role.scopes import SCOPES, StackNaming

VERSION = "2012-10-17"
MANAGED_POLICY_MAX_CHARS = 6144
MANAGED_POLICIES_PER_ROLE = 10
GITHUB_OIDC_HOST = "token.actions.githubusercontent.com"

Document = dict[str, Any]


def all_grants() -> list[Grant]:
    return [g for grants in (*RESOURCE_GRANTS.values(), *INVOKE_GRANTS.values()) for g in grants]


def _without_covered(actions: Iterable[str]) -> list[str]:
    """Sorted, without actions a wildcard in the same list already grants."""
    unique = set(actions)
    wildcards = [a for a in unique if "*" in a]
    return sorted(a for a in unique if a in wildcards or not any(fnmatch.fnmatchcase(a, w) for w in wildcards))


def statements(naming: StackNaming, grants: Iterable[Grant], *, read_only: bool = False) -> list[Document]:
    """One statement per scope (in SCOPES order) with the union of the grants' actions there.

    `read_only` keeps only the grants' read actions and drops SECRET_READS: the preview role.
    """
    by_scope: dict[str, set[str]] = {}
    for grant in grants:
        actions: tuple[str, ...] = grant.read if read_only else grant.actions()
        by_scope.setdefault(grant.scope, set()).update(a for a in actions if not (read_only and a in SECRET_READS))
    unknown = sorted(set(by_scope) - set(SCOPES))
    if unknown:
        raise KeyError(f"grants name scopes that scopes.py does not define: {unknown}")
    result: list[Document] = []
    for key, scope in SCOPES.items():
        allowed = _without_covered(by_scope.get(key, ()))
        if not allowed:
            continue
        statement: Document = {"Sid": scope.sid, "Effect": "Allow", "Action": allowed}
        statement["Resource"] = scope.resources(naming)
        condition = scope.condition(naming)
        if condition:
            statement["Condition"] = condition
        result.append(statement)
    return result


def document(statement_list: list[Document]) -> Document:
    return {"Version": VERSION, "Statement": statement_list}


def size(policy: Mapping[str, Any]) -> int:
    """Characters IAM counts against the limit: the JSON without white space."""
    return len(re.sub(r"\s", "", json.dumps(policy)))


def _fit(statement: Document, limit: int) -> list[Document]:
    """The statement, split by its actions into parts (Sid1, Sid2, …) that each fit a document."""
    if size(document([statement])) <= limit:
        return [statement]
    actions: list[str] = statement["Action"]
    parts = 2
    while True:
        chunk = -(-len(actions) // parts)
        pieces = [
            {**statement, "Sid": f"{statement['Sid']}{i + 1}", "Action": actions[i * chunk : (i + 1) * chunk]}
            for i in range(parts)
            if actions[i * chunk : (i + 1) * chunk]
        ]
        if all(size(document([p])) <= limit for p in pieces):
            return pieces
        if chunk == 1:
            raise ValueError(f"statement {statement['Sid']} does not fit a {limit}-character policy even alone")
        parts += 1


def pack(statement_list: list[Document], limit: int = MANAGED_POLICY_MAX_CHARS) -> list[Document]:
    """Policy documents of at most `limit` characters, each statement in the first with room."""
    packed: list[list[Document]] = []
    for statement in statement_list:
        for piece in _fit(statement, limit):
            for bucket in packed:
                if size(document([*bucket, piece])) <= limit:
                    bucket.append(piece)
                    break
            else:
                packed.append([piece])
    return [document(bucket) for bucket in packed]


def deploy_policies(naming: StackNaming) -> list[Document]:
    """What the role that runs `pulumi up` needs, as managed policies."""
    return pack(statements(naming, all_grants()))


def preview_policies(naming: StackNaming) -> list[Document]:
    """What the role that runs `pulumi preview` (and `--refresh`) needs: reads only, no secret values."""
    return pack(statements(naming, all_grants(), read_only=True))


def trust_policy(account_id: str, repository: str, subject: str) -> Document:
    """Lets GitHub Actions runs of `repository` whose OIDC token has `subject` assume the role."""
    return document(
        [
            {
                "Sid": "GitHubActions",
                "Effect": "Allow",
                "Principal": {"Federated": f"arn:aws:iam::{account_id}:oidc-provider/{GITHUB_OIDC_HOST}"},
                "Action": "sts:AssumeRoleWithWebIdentity",
                "Condition": {
                    "StringEquals": {f"{GITHUB_OIDC_HOST}:aud": "sts.amazonaws.com", f"{GITHUB_OIDC_HOST}:sub": subject}
                },
            }
        ]
    )


def deploy_subject(repository: str, stack: str) -> str:
    """The deploy workflow's job runs in the GitHub environment named after the stack."""
    return f"repo:{repository}:environment:{stack}"


def preview_subject(repository: str) -> str:
    """The pull-request workflow's preview job (same-repository pull requests only)."""
    return f"repo:{repository}:pull_request"


def to_json(policy: Mapping[str, Any]) -> str:
    return json.dumps(policy, indent=2) + "\n"
