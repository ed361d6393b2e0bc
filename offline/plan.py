"""The offline plan itself: run the program, print the tree, outputs, cost and policy findings, write
graph.json and the diagram, compare with an earlier plan (`python -m offline` parses the
arguments and calls `run`)."""

from __future__ import annotations

import argparse
from pathlib import Path

import pulumi

from components.testing.engine import ProgramError
from cost import report as cost_report
from cost import table as cost_table
from cost.plan import estimate_deployment
from offline import diff, fingerprint, policy_check, render
from offline.stack import StackConfigError, load, run_program


class StopError(Exception):
    """The plan stops with one line on stderr and this exit status."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def run(args: argparse.Namespace, overrides: list[str]) -> int:
    """The plan for parsed arguments and the overrides they name; raises `StopError` to stop in one line."""
    project_dir = args.project_dir.resolve()
    policy_config = args.policy_config or project_dir / "policy" / "config" / f"{args.stack}.json"
    if args.policy_config is None and not policy_config.exists():
        policy_config = None
    try:
        policy_settings = policy_check.load_config(policy_config)
    except (OSError, policy_check.PolicyConfigError) as exc:
        raise StopError(2, f"policy pack config: {exc}") from None
    base_graph = None
    if args.compare:
        # Read before the program runs: --compare may name the very file --json is about to replace.
        try:
            base_graph = diff.load(args.compare)
        except diff.PlanFormatError as exc:
            raise StopError(2, f"--compare: {exc}") from None
    try:
        deployment = run_program(project_dir, args.stack, overrides, args.config_secret)
    except StackConfigError as exc:
        raise StopError(1, str(exc)) from None
    except ProgramError as exc:
        if not isinstance(exc.error, (pulumi.RunError, ValueError)):
            raise exc.error from None  # a bug, not bad input: show the traceback
        raise StopError(1, str(exc.error)) from None

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
            raise StopError(2, f"fingerprint key: {exc}") from None
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
