"""`python -m deploy_role`: the deploy and preview role policies of each stack.

python -m deploy_role                  # check deploy_role/policies/ against the modules (exit 1 on drift)
python -m deploy_role --write          # regenerate them (`make deploy-role`)
python -m deploy_role trust --stack dev --repository acme/papyrus-infra --account-id 123456789012
python -m deploy_role trust --preview --repository acme/papyrus-infra --account-id 123456789012
python -m deploy_role commands --stack dev --repository acme/papyrus-infra --account-id 123456789012
"""

from __future__ import annotations

import argparse
import re
import shlex
import sys
from pathlib import Path

from deploy_role import policy
from deploy_role.scopes import StackNaming

POLICY_DIR = Path("deploy_role") / "policies"


def stacks(project_dir: Path) -> list[str]:
    """Every committed stack: one per Pulumi.<stack>.yaml."""
    return sorted(p.name.split(".")[1] for p in project_dir.glob("Pulumi.*.yaml"))


def expected_files(project_dir: Path) -> dict[Path, str]:
    """Every file deploy_role/policies/ should hold, by path relative to the project."""
    files: dict[Path, str] = {}
    for stack in stacks(project_dir):
        naming = StackNaming.from_config(project_dir, stack)
        for kind, documents in (
            ("deploy", policy.deploy_policies(naming)),
            ("preview", policy.preview_policies(naming)),
        ):
            for i, document in enumerate(documents, start=1):
                files[POLICY_DIR / stack / f"{kind}-{i}.json"] = policy.to_json(document)
    return files


def _policy_files(project_dir: Path, stack: str, kind: str) -> list[Path]:
    found = (project_dir / POLICY_DIR / stack).glob(f"{kind}-*.json")
    return sorted(found, key=lambda p: int(re.sub(r"\D", "", p.stem) or 0))


def _aws_cli(project_dir: Path, stack: str, repository: str, account_id: str) -> list[str]:
    """The AWS CLI commands that create the stack's deploy role and the shared preview role."""
    project = StackNaming.from_config(project_dir, stack).project
    provider = f"arn:aws:iam::{account_id}:oidc-provider/{policy.GITHUB_OIDC_HOST}"
    lines = [
        "# Once per account: GitHub's OIDC identity provider (skip if it exists).",
        f"aws iam create-open-id-connect-provider --url https://{policy.GITHUB_OIDC_HOST} "
        "--client-id-list sts.amazonaws.com",
        f"# {provider}",
    ]
    for kind, role, subject_args in (
        ("deploy", f"{project}-{stack}-deploy", f"--stack {stack}"),
        ("preview", f"{project}-preview", "--preview"),
    ):
        trust = (
            f".venv/bin/python -m deploy_role trust {subject_args} --repository {repository} --account-id {account_id}"
        )
        once = (
            " Stacks in one account share it: create it once (prd in its own account: AWS_PREVIEW_ROLE_ARN_PRD)."
            if kind == "preview"
            else ""
        )
        lines += [
            "",
            f"# The {kind} role (AWS_{kind.upper()}_ROLE_ARN): trust for GitHub Actions, then its policies.{once}",
            f'aws iam create-role --role-name {role} --assume-role-policy-document "$({trust})"',
        ]
        for i, path in enumerate(_policy_files(project_dir, stack, kind), start=1):
            name = f"{project}-{stack}-{kind}-{i}"
            relative = path.relative_to(project_dir)
            lines += [
                f"aws iam create-policy --policy-name {name} --policy-document file://{shlex.quote(str(relative))}",
                f"aws iam attach-role-policy --role-name {role} --policy-arn arn:aws:iam::{account_id}:policy/{name}",
            ]
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m deploy_role", description=__doc__.split("\n\n")[0])
    parser.add_argument("--project-dir", type=Path, default=Path.cwd(), help="directory holding Pulumi.yaml")
    parser.add_argument("--write", action="store_true", help="regenerate deploy_role/policies/")
    commands = parser.add_subparsers(dest="command")
    trust = commands.add_parser("trust", help="print a role's trust policy for GitHub Actions (OIDC)")
    trust.add_argument("--stack", help="the deploy role of this stack (its GitHub environment)")
    trust.add_argument("--preview", action="store_true", help="the preview role (pull requests) instead")
    for sub in (trust, commands.add_parser("commands", help="print the AWS CLI commands that create the roles")):
        sub.add_argument("--repository", required=True, help="owner/name of the GitHub repository")
        sub.add_argument("--account-id", required=True, help="the AWS account's 12-digit id")
        if sub is not trust:
            sub.add_argument("--stack", required=True, help="the stack whose deploy role to create")
    args = parser.parse_args(argv)
    project_dir = args.project_dir.resolve()

    if args.command is not None:
        if not re.fullmatch(r"\d{12}", args.account_id):
            parser.error(f"--account-id {args.account_id!r} is not a 12-digit AWS account id")
        if not re.fullmatch(r"[\w.-]+/[\w.-]+", args.repository):
            parser.error(f"--repository {args.repository!r} is not owner/name")
    if args.command == "trust":
        if args.preview == bool(args.stack):
            parser.error("give either --stack STACK (a deploy role) or --preview")
        subject = (
            policy.preview_subject(args.repository)
            if args.preview
            else policy.deploy_subject(args.repository, args.stack)
        )
        print(policy.to_json(policy.trust_policy(args.account_id, args.repository, subject)), end="")
        return 0
    if args.command == "commands":
        print("\n".join(_aws_cli(project_dir, args.stack, args.repository, args.account_id)))
        return 0

    expected = expected_files(project_dir)
    present = {p.relative_to(project_dir) for p in (project_dir / POLICY_DIR).glob("*/*.json")}
    if args.write:
        for stale in present - set(expected):
            (project_dir / stale).unlink()
        for path, text in expected.items():
            (project_dir / path).parent.mkdir(parents=True, exist_ok=True)
            (project_dir / path).write_text(text)
            print(f"Wrote {path}")
        return 0
    drift = sorted(str(p) for p in present ^ set(expected)) + sorted(
        str(p) for p, text in expected.items() if p in present and (project_dir / p).read_text() != text
    )
    if drift:
        print(f"out of date: {', '.join(drift)}; run `make deploy-role` and review the diff", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
