"""The pull request's offline plan diff: what merging it would create, update and delete in
each stack, for the job summary. Needs no credentials, so it runs for forks too.

    python -m offline.pr_summary base-plans --checkout base          # the base's own `make plan`
    python -m offline.pr_summary summary >> "$GITHUB_STEP_SUMMARY"    # markdown, per stack

The base branch's plans come from the base checkout's *own* `make plan` (its Makefile, its
lock, its engine), copied to `build/base-plan/<stack>/graph.json`. Running this branch's engine
on the base tree instead would be wrong: the engine lives in the `components` package, a process
imports one `components`, so the base program would run against this branch's components and
providers. A base whose plan cannot be made (it predates `graph.json`, or its `make plan`
fails before writing one) leaves `build/base-plan/<stack>/unavailable.txt` saying why, and the
summary says so; a plan that fails on a mandatory policy finding has written its graph, which counts.
Both sides fingerprint secrets with one key (`OFFLINE_PLAN_KEY_FILE`), so a changed secret shows
as `[secret] => [secret]` once the base writes fingerprints too.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from offline import diff, fingerprint

STACKS = ("dev", "prd")
BASE_PLAN_DIR = Path("build") / "base-plan"
HEAD_PLAN_DIR = Path("build") / "plan"
UNAVAILABLE = "unavailable.txt"
MAKE_TIMEOUT_SECONDS = 900


def graph_path(plan_dir: Path, stack: str) -> Path:
    return plan_dir / stack / "graph.json"


def make_base_plans(checkout: Path, out: Path, stacks: Sequence[str], key_file: Path) -> list[str]:
    """Run `make plan STACK=<stack>` in `checkout` and copy each graph to `out/<stack>/graph.json`;
    where there is none, write `out/<stack>/unavailable.txt`. Returns one status line per stack."""
    fingerprint.load_or_create_key(key_file)  # both sides must fingerprint with the same key
    env = {**os.environ, fingerprint.KEY_FILE_ENV: str(key_file.resolve())}
    status = []
    for stack in stacks:
        target = out / stack
        if target.exists():
            shutil.rmtree(target)
        target.mkdir(parents=True)
        produced = graph_path(checkout / HEAD_PLAN_DIR, stack)
        produced.unlink(missing_ok=True)  # only a graph this run writes is the base's plan
        try:
            result = subprocess.run(  # noqa: S603 (a fixed argv; the checkout is the base branch)
                ["make", "-C", str(checkout), "plan", f"STACK={stack}"],  # noqa: S607 (make from PATH, as CI runs it)
                env=env,
                capture_output=True,
                text=True,
                timeout=MAKE_TIMEOUT_SECONDS,
                check=False,
            )
            code: int | str = result.returncode
            tail = "\n".join((result.stderr or result.stdout).strip().splitlines()[-5:])
        except (OSError, subprocess.TimeoutExpired) as exc:
            code, tail = "not run", str(exc)
        if produced.exists():
            # A plan that stops on a mandatory policy finding (exit 3; make exits 2) has written
            # its graph first: the base's resources and cost are known, so they are compared.
            shutil.copyfile(produced, graph_path(out, stack))
            failed = (
                "" if code == 0 else f" (its `make plan` exited {code} after writing it: a mandatory policy finding)"
            )
            status.append(f"{stack}: base plan written to {graph_path(out, stack)}{failed}")
            continue
        reason = (
            f"the base's `make plan STACK={stack}` exited {code}"
            if code != 0
            else f"the base's `make plan STACK={stack}` wrote no {HEAD_PLAN_DIR}/{stack}/graph.json "
            "(it predates graph.json)"
        )
        (target / UNAVAILABLE).write_text(reason + ("\n\n" + tail if tail and code != 0 else "") + "\n")
        status.append(f"{stack}: no base plan ({reason})")
    return status


def _fence(text: str, info: str = "") -> str:
    """A code fence longer than any run of backticks in `text`, so the text cannot end it."""
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    marks = "`" * max(3, longest + 1)
    return f"{marks}{info}\n{text}\n{marks}"


def stack_section(stack: str, base_dir: Path, head_dir: Path, base_label: str) -> tuple[str, bool]:
    """The markdown for one stack, and whether the head plan was there to compare."""
    title = f"### Offline plan diff: {stack}"
    head_file = graph_path(head_dir, stack)
    try:
        head = diff.load(head_file)
    except diff.PlanFormatError as exc:
        return f"{title}\n\n**No plan for this pull request:** {exc}. Run `make plan STACK={stack}` first.\n", False

    base_file = graph_path(base_dir, stack)
    if not base_file.exists():
        why_file = base_dir / stack / UNAVAILABLE
        why = why_file.read_text().strip() if why_file.exists() else f"{base_file} does not exist"
        first, _, rest = why.partition("\n\n")
        body = (
            f"{title}\n\nNo plan of the base branch ({base_label}) to compare with: {first}. "
            "A base that predates `graph.json`, or whose plan fails, has nothing to compare; "
            f"this pull request's plan of {len(head['resources'])} resources is in the job's `make plan` step.\n"
        )
        if rest:
            body += "\n" + _fence(rest) + "\n"
        return body, True
    try:
        base = diff.load(base_file)
    except diff.PlanFormatError as exc:
        return f"{title}\n\nThe base branch's plan cannot be read: {exc}\n", True

    result = diff.diff(base, head)
    counts = result.summary().removeprefix("Changes: ")
    lead = (
        f"{title}\n\n**{counts}** — this pull request against {base_label}, "
        "from the offline plans (no cloud credentials; matched by URN, secrets masked)."
    )
    if result.empty:
        notes = "".join(f"\n\n{note}" for note in result.notes)
        return f"{lead}\n\nNo resource or output changes.{notes}\n", True
    return f"{lead}\n\n{_fence(diff.render(result), 'diff')}\n", True


def summary(stacks: Sequence[str], base_dir: Path, head_dir: Path, base_label: str) -> tuple[str, bool]:
    """The whole markdown, and False when a head plan was missing."""
    sections = [stack_section(stack, base_dir, head_dir, base_label) for stack in stacks]
    return "\n".join(text for text, _ in sections), all(ok for _, ok in sections)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m offline.pr_summary", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)

    base = commands.add_parser("base-plans", help="make the base checkout's own plans into build/base-plan/")
    base.add_argument("--checkout", type=Path, default=Path("base"), help="the base branch's checkout (default: base)")
    base.add_argument("--out", type=Path, default=BASE_PLAN_DIR, help=f"where the graphs go (default: {BASE_PLAN_DIR})")
    base.add_argument("--stacks", nargs="+", default=list(STACKS), help="stacks (default: dev prd)")
    base.add_argument(
        "--fingerprint-key", type=Path, help="key file both sides fingerprint secrets with (default: this plan's)"
    )

    show = commands.add_parser("summary", help="print the markdown diff of the base plans against this branch's")
    show.add_argument("--base", type=Path, default=BASE_PLAN_DIR, help=f"base plans (default: {BASE_PLAN_DIR})")
    show.add_argument(
        "--head", type=Path, default=HEAD_PLAN_DIR, help=f"this branch's plans (default: {HEAD_PLAN_DIR})"
    )
    show.add_argument("--stacks", nargs="+", default=list(STACKS), help="stacks (default: dev prd)")
    show.add_argument("--base-label", default="the base branch", help="how to name the base (a branch or commit)")
    args = parser.parse_args(argv)

    if args.command == "base-plans":
        key_file = fingerprint.key_file(Path.cwd(), args.fingerprint_key)
        for line in make_base_plans(args.checkout, args.out, args.stacks, key_file):
            print(line)
        return 0
    text, complete = summary(args.stacks, args.base, args.head, args.base_label)
    print(text)
    return 0 if complete else 1


if __name__ == "__main__":
    sys.exit(main())
