"""The pull request's plan diff (offline/pr_summary.py) on two committed plans, the base's own
`make plan`, and the workflow steps that run them."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from offline import pr_summary
from tests.harness import read_workflow

PLANS = Path(__file__).parent / "data" / "plans"

EXPECTED_DEV = """### Offline plan diff: dev

**1 to create, 2 to update, 1 to delete, 2 unchanged** — this pull request against `main`, \
from the offline plans (no cloud credentials; matched by URN, secrets masked).

```diff
- aws:cloudwatch/logGroup:LogGroup  app-logs-log-group
+ aws:ecr/repository:Repository     images-repository
~ aws:ecs/service:Service           app-service  [desiredCount]
      ~ desiredCount: 1 => 2
~ aws:ssm/parameter:Parameter       app-config-param-GUNICORN_WORKERS  [insecureValue]
      ~ insecureValue: "2" => "3"
Note: secret values were not compared: the two plans carry no fingerprints made with the same key \
(offline/fingerprint.py), so a changed secret shows only through the inputs that depend on it.
Changes: 1 to create, 2 to update, 1 to delete, 2 unchanged
```
"""

EXPECTED_PRD = """### Offline plan diff: prd

No plan of the base branch (`main`) to compare with: the base's `make plan STACK=prd` exited 2. \
A base that predates `graph.json`, or whose plan fails, has nothing to compare; this pull request's \
plan of 4 resources is in the job's `make plan` step.

```
make: *** No rule to make target 'plan'.  Stop.
```
"""


def test_summary_of_the_committed_plans(capsys: pytest.CaptureFixture[str]) -> None:
    # The base plan is in the first graph format (what main wrote before fingerprints); the
    # pull request's in the current one: the diff still matches by URN, and says that the
    # secret document it cannot compare (app-config-secret-db-version) was not compared.
    argv = ["summary", "--base", str(PLANS / "base"), "--head", str(PLANS / "head"), "--base-label", "`main`"]
    assert pr_summary.main(argv) == 0
    assert capsys.readouterr().out == EXPECTED_DEV + "\n" + EXPECTED_PRD + "\n"


def test_the_same_plans_with_fingerprints_on_both_sides_show_the_changed_secret(tmp_path: Path) -> None:
    head = json.loads((PLANS / "head" / "dev" / "graph.json").read_text())
    base = json.loads(json.dumps(head))
    (version,) = (r for r in base["resources"] if r["name"] == "app-config-secret-db-version")
    version["secretFingerprints"]["secretString"] = "0" * 64
    for side, document in (("base", base), ("head", head)):
        (tmp_path / side / "dev").mkdir(parents=True)
        (tmp_path / side / "dev" / "graph.json").write_text(json.dumps(document))
    text, complete = pr_summary.summary(["dev"], tmp_path / "base", tmp_path / "head", "main")
    assert complete
    assert "~ aws:secretsmanager/secretVersion:SecretVersion  app-config-secret-db-version  [secretString]" in text
    assert "~ secretString: [secret] => [secret]" in text
    assert "0" * 64 not in text
    assert "**0 to create, 1 to update, 0 to delete, 4 unchanged**" in text


def test_a_missing_head_plan_fails_the_step(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["summary", "--base", str(PLANS / "base"), "--head", str(tmp_path), "--stacks", "dev"]
    assert pr_summary.main(argv) == 1
    assert "**No plan for this pull request:** cannot read" in capsys.readouterr().out


def test_identical_plans_say_no_changes(tmp_path: Path) -> None:
    text, _ = pr_summary.summary(["dev"], PLANS / "head", PLANS / "head", "main")
    assert "**0 to create, 0 to update, 0 to delete, 5 unchanged**" in text
    assert text.endswith("No resource or output changes.\n")


def test_text_from_the_plans_cannot_close_the_code_fence() -> None:
    fenced = pr_summary._fence('~ description: "```\\n# injected" => "x"', "diff")
    assert fenced.startswith("````diff\n")
    assert fenced.endswith("\n````")


FAKE_BASE_MAKEFILE = """\
plan:
\t@if [ "$(STACK)" = dev ]; then mkdir -p build/plan/dev && \\
\t  printf '{"resources": [], "outputs": {}, "keyFile": "%s"}' "$$OFFLINE_PLAN_KEY_FILE" > build/plan/dev/graph.json; \\
\telif [ "$(STACK)" = old ]; then echo "plan without a graph"; \\
\telif [ "$(STACK)" = gated ]; then mkdir -p build/plan/gated && \\
\t  echo '{"resources": []}' > build/plan/gated/graph.json; echo "mandatory finding" >&2; exit 3; \\
\telse echo "error: something broke" >&2; exit 2; fi
"""


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_base_plans_run_the_base_checkouts_own_make_plan(tmp_path: Path) -> None:
    checkout = tmp_path / "base"
    checkout.mkdir()
    (checkout / "Makefile").write_text(FAKE_BASE_MAKEFILE)
    out, key_file = tmp_path / "build" / "base-plan", tmp_path / "build" / ".plan-key"

    # A graph left from an earlier run is not this run's plan.
    (checkout / "build" / "plan" / "prd").mkdir(parents=True)
    (checkout / "build" / "plan" / "prd" / "graph.json").write_text('{"resources": []}')

    status = pr_summary.make_base_plans(checkout, out, ["dev", "prd", "old", "gated"], key_file)

    graph: dict[str, Any] = json.loads((out / "dev" / "graph.json").read_text())
    assert graph["keyFile"] == str(key_file.resolve())  # both sides fingerprint with one key
    assert key_file.exists()
    reason, _, output = (out / "prd" / "unavailable.txt").read_text().partition("\n\n")
    assert reason == "the base's `make plan STACK=prd` exited 2"
    assert output.startswith("error: something broke\n")  # then make's own last words
    assert not (out / "prd" / "graph.json").exists()
    assert (out / "old" / "unavailable.txt").read_text() == (
        "the base's `make plan STACK=old` wrote no build/plan/old/graph.json (it predates graph.json)\n"
    )
    # A plan that stops on a mandatory policy finding has written its graph: it is compared.
    assert json.loads((out / "gated" / "graph.json").read_text()) == {"resources": []}
    assert not (out / "gated" / "unavailable.txt").exists()
    assert status == [
        f"dev: base plan written to {out / 'dev' / 'graph.json'}",
        "prd: no base plan (the base's `make plan STACK=prd` exited 2)",
        "old: no base plan (the base's `make plan STACK=old` wrote no build/plan/old/graph.json "
        "(it predates graph.json))",
        f"gated: base plan written to {out / 'gated' / 'graph.json'} (its `make plan` exited 2 after writing it: "
        "a mandatory policy finding)",
    ]


def _test_job() -> list[dict[str, Any]]:
    steps: list[dict[str, Any]] = read_workflow("pull-request.yml")["jobs"]["test"]["steps"]
    return steps


def test_the_pull_request_workflow_diffs_the_base_plans_against_its_own() -> None:
    steps = _test_job()
    runs = [step.get("run", "") for step in steps]
    position = {text: next(i for i, r in enumerate(runs) if text in r) for text in ("make test", "make plan STACK=dev")}
    base_checkout = next(i for i, s in enumerate(steps) if s.get("with", {}).get("path") == "base")
    assert steps[base_checkout]["with"] == {
        "ref": "${{ github.event.pull_request.base.sha }}",
        "path": "base",
        "persist-credentials": False,
    }
    # The base arrives after `make test` lints this tree, and its plans after the head's.
    assert position["make test"] < base_checkout
    assert position["make plan STACK=dev"] < base_checkout
    base_plans = runs.index(".venv/bin/python -m offline.pr_summary base-plans --checkout base --out build/base-plan")
    summary = next(i for i, r in enumerate(runs) if "offline.pr_summary summary" in r)
    assert base_checkout < base_plans < summary
    assert "--base build/base-plan --head build/plan" in runs[summary]
    assert '>> "$GITHUB_STEP_SUMMARY"' in runs[summary]
    assert "secrets." not in json.dumps(steps)  # nothing a fork lacks


FAKE_MAKE = """#!/bin/sh
echo "$@" >> "$CALLS"
case "$*" in *STACK=dev*) exit "$DEV_STATUS";; *) exit 2;; esac
"""


@pytest.mark.parametrize("dev_status", [0, 2])
def test_both_stacks_are_planned_and_the_summaries_written_when_a_plan_fails(tmp_path: Path, dev_status: int) -> None:
    # make exits 2 when the prd plan stops on a mandatory policy finding (its exit 3): the job
    # fails, but prd is still planned after a failing dev, and the diff and cost are still written.
    steps = _test_job()
    plans = next(s for s in steps if s.get("id") == "plans")
    fake = tmp_path / "bin" / "make"
    fake.parent.mkdir()
    fake.write_text(FAKE_MAKE)
    fake.chmod(0o755)
    env = {**os.environ, "PATH": f"{fake.parent}:{os.environ['PATH']}", "CALLS": str(tmp_path / "calls")}
    env["DEV_STATUS"] = str(dev_status)
    # GitHub runs `run:` scripts with `bash -e {0}`.
    result = subprocess.run(["bash", "-e", "-c", plans["run"]], env=env, cwd=tmp_path, check=False, timeout=30)
    assert result.returncode != 0
    assert (tmp_path / "calls").read_text().splitlines() == ["plan STACK=dev", "plan STACK=prd"]
    later = steps[steps.index(plans) + 1 :]
    assert later, "the diff and cost steps follow the plans"
    for step in later:
        assert step.get("if") == "${{ !cancelled() && steps.plans.outcome != 'skipped' }}", step.get("name")
