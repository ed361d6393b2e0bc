"""`python -m offline`: the offline plan. Runs the real program under Pulumi's mock
runtime for one stack and prints what `pulumi preview` would create, with no cloud
credentials and no Pulumi CLI.

    python -m offline --stack prd
    python -m offline --stack dev --config vpcCidr=10.0.0.0/8     # like `pulumi preview -c`
    python -m offline --stack dev --json graph.json --mermaid architecture.mmd
    python -m offline --stack dev --compare build/base-plan/dev/graph.json   # what changes against it

Exit status: 0 when the program ran, 1 when it stopped (the error is printed on one
line; nothing was registered if it stopped on validation), 2 for a stack
configuration the CLI itself would refuse or a --compare file that is not a plan.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path

import pulumi

from components.testing.engine import ProgramError
from offline import diff, fingerprint, render
from offline.stack import StackConfigError, run_program


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
    parser.add_argument("--project-dir", type=Path, default=Path.cwd(), help="directory holding Pulumi.yaml")
    parser.add_argument("--json", type=Path, metavar="FILE", help="write the whole graph as JSON")
    parser.add_argument("--mermaid", type=Path, metavar="FILE", help="write an architecture diagram (Mermaid)")
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
    project_dir = args.project_dir.resolve()
    base_graph = None
    if args.compare:
        # Read before the program runs: --compare may name the very file --json is about to replace.
        try:
            base_graph = diff.load(args.compare)
        except diff.PlanFormatError as exc:
            print(f"error: --compare: {exc}", file=sys.stderr)
            return 2
    try:
        deployment = run_program(project_dir, args.stack, args.config)
    except StackConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except ProgramError as exc:
        if not isinstance(exc.error, (pulumi.RunError, ValueError)):
            raise exc.error from None  # a bug, not bad input: show the traceback
        print(f"error: {exc.error}", file=sys.stderr)
        return 1

    print(f"Offline plan: {deployment.project}/{deployment.stack} (Pulumi mock runtime; no credentials, no Pulumi CLI)")
    print("Graph, names and inputs are the program's; ids, ARNs and DNS names are computed offline.\n")
    print(render.tree(deployment))
    print()
    print(render.outputs(deployment))

    key = None
    if args.json or base_graph is not None:
        try:
            key = fingerprint.load_or_create_key(fingerprint.key_file(project_dir, args.fingerprint_key))
        except (OSError, ValueError) as exc:
            print(f"error: fingerprint key: {exc}", file=sys.stderr)
            return 2
    written = []
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(render.graph_json(deployment, key), encoding="utf-8")
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
    return 0


if __name__ == "__main__":
    sys.exit(main())
