"""`python -m offline`: the offline plan. Runs the real program under Pulumi's mock
runtime for one stack and prints what `pulumi preview` would create, with no cloud
credentials and no Pulumi CLI.

    python -m offline --stack prd
    python -m offline --stack dev --config vpcCidr=10.0.0.0/8     # like `pulumi preview -c`
    python -m offline --stack dev --json graph.json --mermaid architecture.mmd
    python -m offline --configs "imageTag=v2 appParameters='{\"GREETING\": \"hi there\"}'"

Exit status: 0 when the program ran, 1 when it stopped on its configuration — one line
naming the key and the value, whether the program or the CLI's own rules refused it;
nothing was registered — and 2 for a usage error.
"""

from __future__ import annotations

import argparse
import json
import shlex
import sys
import warnings
from pathlib import Path

import pulumi

from components.testing.engine import ProgramError
from offline import render
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
    args = parser.parse_args(argv)

    warnings.filterwarnings("ignore", category=DeprecationWarning, module=r"pulumi_aws(\.|$)")
    project_dir = args.project_dir.resolve()
    try:
        overrides = [*args.config, *shlex.split(args.configs)]
    except ValueError as exc:  # an unbalanced quote
        print(f"error: --configs {args.configs!r}: {exc}", file=sys.stderr)
        return 1
    try:
        deployment = run_program(project_dir, args.stack, overrides, args.config_secret)
    except StackConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
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

    written = []
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(render.graph(deployment), indent=2, sort_keys=False) + "\n")
        written.append(str(args.json))
    if args.mermaid:
        args.mermaid.parent.mkdir(parents=True, exist_ok=True)
        args.mermaid.write_text(render.mermaid(deployment))
        written.append(str(args.mermaid))
    if written:
        print("\nWrote " + ", ".join(written))
    return 0


if __name__ == "__main__":
    sys.exit(main())
