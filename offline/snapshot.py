"""Resource URN snapshots: the identity of every resource in a stack's graph.

A URN is what Pulumi matches old state against; a change of logical name, type or
parent gives a new URN, which `pulumi up` carries out as delete-and-create. The
snapshots in tests/snapshots/ make every such change visible in review:

    python -m offline.snapshot --write     # `make snapshots`, after an intended change
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from offline.stack import run_program

STACKS = ("dev", "prd")
SNAPSHOT_DIR = Path("tests") / "snapshots"


def urns(project_dir: Path, stack: str) -> list[str]:
    """The URNs the stack's program registers, sorted."""
    return sorted(r.urn for r in run_program(project_dir, stack))


def path_for(project_dir: Path, stack: str) -> Path:
    return project_dir / SNAPSHOT_DIR / f"urns-{stack}.txt"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true", help="rewrite the snapshots from the current program")
    parser.add_argument("--project-dir", type=Path, default=Path.cwd())
    args = parser.parse_args(argv)
    for stack in STACKS:
        current = "\n".join(urns(args.project_dir, stack)) + "\n"
        target = path_for(args.project_dir, stack)
        if args.write:
            target.write_text(current)
            print(f"Wrote {target}")
        elif target.read_text() != current:
            print(f"{target} is out of date: run `make snapshots` and review the diff", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
