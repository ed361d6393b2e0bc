"""`python -m offline`: the offline plan. Runs the real program under Pulumi's mock
runtime for one stack and prints what `pulumi preview` would create, with no cloud
credentials and no Pulumi CLI, and what it would cost a month (cost/).

    python -m offline --stack prd
    python -m offline --stack dev --config vpcCidr=10.0.0.0/8     # like `pulumi preview -c`
    python -m offline --stack dev --json graph.json --mermaid architecture.mmd
    python -m offline --stack dev --compare build/base-plan/dev/graph.json   # what changes against it
    python -m offline --configs "imageTag=v2 appParameters='{\"GREETING\": \"hi there\"}'"

Exit status: 0 when the program ran, 1 when it stopped on its configuration — one line
naming the key and the value, whether the program or the CLI's own rules refused it;
nothing was registered — 2 for a usage error (a --compare file that is not a plan, a policy
pack config that cannot be read), 3 when the policy pack (policy/) reports a mandatory
violation. The pack is evaluated with policy/config/<stack>.json when that file exists (as
`pulumi preview --policy-pack policy --policy-pack-config ...` would be).
"""

from __future__ import annotations

import argparse
import shlex
import sys
import warnings
from pathlib import Path

import pulumi

from components.testing.engine import ProgramError
from cost import report as cost_report
from cost import table as cost_table
from cost.plan import estimate_deployment
from offline import diff, fingerprint, policy_check, render
from offline.stack import StackConfigError, load, run_program


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m offline", description=__doc__.split("\n\n")[0])
    parser.add_argument("--stack", default="dev", help="stack name; reads Pulumi.<stack>.yaml (default: dev)")
    parser.add_argument(
        "--config",
        "-c",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="override a config value, as `pulumi preview -c` (repeatable)",
    )
    parser.add_argument(
        "--configs",
        default="",
        metavar="'KEY=VALUE ...'",
        help="several overrides in one argument, split like a shell command line (quote values with spaces); "
        "what `make plan CONFIG=...` passes",
    )
    parser.add_argument(
        "--config-secret",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="a value as if set with `pulumi config set --secret` (repeatable)",
    )
    parser.add_argument("--project-dir", type=Path, default=Path.cwd(), help="directory holding Pulumi.yaml")
    parser.add_argument("--json", type=Path, metavar="FILE", help="write the whole graph as JSON")
    parser.add_argument("--mermaid", type=Path, metavar="FILE", help="write an architecture diagram (Mermaid)")
    parser.add_argument(
        "--policy-config",
        type=Path,
        metavar="FILE",
        help="policy pack config (default: policy/config/<stack>.json in the project, when it exists)",
    )
    parser.add_argument(
        "--compare",
        type=Path,
        metavar="FILE",
        help="an earlier plan's graph.json: print what would be created, updated and deleted against it",
    )
    parser.add_argument(
        "--fingerprint-key",
        type=Path,
        metavar="FILE",
        help="key for the secret fingerprints in --json (default: $OFFLINE_PLAN_KEY_FILE, else build/.plan-key "
        "in the project directory; created when missing)",
    )
    args = parser.parse_args(argv)

    warnings.filterwarnings("ignore", category=DeprecationWarning, module=r"pulumi_aws(\.|$)")
    try:
        return _plan(args)
    except _StopError as stop:
        print(f"error: {stop}", file=sys.stderr)
        return stop.status


class _StopError(Exception):
    """The plan stops with one line on stderr and this exit status."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def _plan(args: argparse.Namespace) -> int:
    project_dir = args.project_dir.resolve()
    policy_config = args.policy_config or project_dir / "policy" / "config" / f"{args.stack}.json"
    if args.policy_config is None and not policy_config.exists():
        policy_config = None
    try:
        policy_settings = policy_check.load_config(policy_config)
    except (OSError, policy_check.PolicyConfigError) as exc:
        raise _StopError(2, f"policy pack config: {exc}") from None
    base_graph = None
    if args.compare:
        # Read before the program runs: --compare may name the very file --json is about to replace.
        try:
            base_graph = diff.load(args.compare)
        except diff.PlanFormatError as exc:
            raise _StopError(2, f"--compare: {exc}") from None
    try:
        overrides = [*args.config, *shlex.split(args.configs)]
    except ValueError as exc:  # an unbalanced quote
        raise _StopError(1, f"--configs {args.configs!r}: {exc}") from None
    try:
        deployment = run_program(project_dir, args.stack, overrides, args.config_secret)
    except StackConfigError as exc:
        raise _StopError(1, str(exc)) from None
    except ProgramError as exc:
        if not isinstance(exc.error, (pulumi.RunError, ValueError)):
            raise exc.error from None  # a bug, not bad input: show the traceback
        raise _StopError(1, str(exc.error)) from None

    print(f"Offline plan: {deployment.project}/{deployment.stack} (Pulumi mock runtime; no credentials, no Pulumi CLI)")
    print("Graph, names and inputs are the program's; ids, ARNs and DNS names are computed offline.\n")
    print(render.tree(deployment))
    print()
    print(render.outputs(deployment))
    # The default provider's region, as the CLI would configure it.
    config = load(project_dir, args.stack, overrides, args.config_secret)
    prices = cost_table.load()
    estimate = estimate_deployment(deployment, config.values.get("aws:region", "us-west-2"), prices)
    print()
    print(cost_report.plan_text(estimate, prices))
    findings = policy_check.evaluate(deployment, policy_settings)
    shown_config = _relative(policy_config, project_dir)
    print()
    print(policy_check.summary(findings, shown_config))

    key = None
    if args.json or base_graph is not None:
        try:
            key = fingerprint.load_or_create_key(fingerprint.key_file(project_dir, args.fingerprint_key))
        except (OSError, ValueError) as exc:
            raise _StopError(2, f"fingerprint key: {exc}") from None
    written = []
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        document = render.graph(deployment, key)
        document["policy"] = policy_check.as_json(findings, shown_config)
        cost_report.annotate(document, estimate, prices)
        args.json.write_text(render.dump(document), encoding="utf-8")
        written.append(str(args.json))
    if args.mermaid:
        args.mermaid.parent.mkdir(parents=True, exist_ok=True)
        args.mermaid.write_text(render.mermaid(deployment))
        written.append(str(args.mermaid))
    if written:
        print("\nWrote " + ", ".join(written))
    if base_graph is not None:
        # Secrets compare only when the base was fingerprinted with this same key.
        head_graph = render.graph(deployment, key)
        print(f"\nChanges against {args.compare} (matched by URN; secrets as {render.SECRET_TEXT}):")
        print(diff.render(diff.diff(base_graph, head_graph)))
    return 3 if any(f.enforcement == "mandatory" for f in findings) else 0


def _relative(path: Path | None, base: Path) -> str | None:
    if path is None:
        return None
    resolved = path.resolve()
    return str(resolved.relative_to(base)) if resolved.is_relative_to(base) else str(path)


if __name__ == "__main__":
    sys.exit(main())
