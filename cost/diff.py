"""`python -m cost.diff BASE_GRAPH HEAD_GRAPH`: the monthly cost of a pull request's base and
head plans per component, and the difference, as Markdown (the pull-request workflow appends
it to the job summary).

    python -m cost.diff build/base-plan/dev/graph.json build/plan/dev/graph.json --stack dev

A base graph that is missing, unreadable or made before plans carried cost gives "no base
cost" rather than an error: the first pull request after this feature has no base figure.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from cost.report import diff_markdown


def _read(path: Path) -> dict[str, Any] | None:
    try:
        document = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    return document if isinstance(document, dict) else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m cost.diff", description=__doc__.split("\n\n")[0])
    parser.add_argument("base", type=Path, help="the base branch's graph.json (may be missing)")
    parser.add_argument("head", type=Path, help="the pull request's graph.json")
    parser.add_argument("--stack", help="stack name for the heading (default: the head graph's)")
    args = parser.parse_args(argv)
    head = _read(args.head)
    if head is None:
        print(f"error: cannot read the head plan {args.head}", file=sys.stderr)
        return 1
    stack = args.stack or str(head.get("stack", ""))
    sys.stdout.write(diff_markdown(stack, _read(args.base), head))
    return 0


if __name__ == "__main__":
    sys.exit(main())
