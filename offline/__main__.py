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

    try:
        overrides = [*args.config, *shlex.split(args.configs)]
    except ValueError as exc:  # an unbalanced quote: refused before the seconds the SDKs take to import
        print(f"error: --configs {args.configs!r}: {exc}", file=sys.stderr)
        return 1

    warnings.filterwarnings("ignore", category=DeprecationWarning, module=r"pulumi_aws(\.|$)")
    # The plan imports the provider SDKs (seconds); a usage error above answers without them.
    from offline import plan  # noqa: PLC0415

    try:
        return plan.run(args, overrides)
    except plan.StopError as stop:
        print(f"error: {stop}", file=sys.stderr)
        return stop.status


if __name__ == "__main__":
    sys.exit(main())
