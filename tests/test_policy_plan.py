"""The policy pack inside `make plan` (python -m offline): findings printed, written to graph.json,
the stack's pack config picked up, and the exit status 3 on a mandatory violation."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from offline.__main__ import main

# The project's only secret has no rotation and no declared exception: SecretsManager.1 and .4.
ROTATION_POLICIES = {"secretsmanager-1-rotation-enabled", "secretsmanager-4-rotation-period"}


def test_findings_are_printed_and_written_advisory_without_config(
    secret_project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    graph_file = tmp_path / "graph.json"
    assert main(["--project-dir", str(secret_project), "--stack", "test", "--json", str(graph_file)]) == 0
    out = capsys.readouterr().out
    assert "Policy pack papyrus-aws-fsbp (44 policies, no pack config: every policy advisory): 2 violation(s)" in out
    assert "  advisory  SecretsManager.1 box-secret (aws:secretsmanager/secret:Secret)" in out
    assert "not declared in the pack config" in out

    policy = json.loads(graph_file.read_text())["policy"]
    assert policy["config"] is None
    assert {f["policy"] for f in policy["findings"]} == ROTATION_POLICIES
    assert {f["name"] for f in policy["findings"]} == {"box-secret"}
    assert {f["enforcement"] for f in policy["findings"]} == {"advisory"}


def test_the_stacks_pack_config_is_used_and_a_mandatory_violation_fails_the_plan(
    secret_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (secret_project / "policy" / "config").mkdir(parents=True)
    (secret_project / "policy" / "config" / "test.json").write_text('{"all": "mandatory"}')
    assert main(["--project-dir", str(secret_project), "--stack", "test"]) == 3
    out = capsys.readouterr().out
    assert "(44 policies, config policy/config/test.json): 2 violation(s), 2 mandatory, 0 advisory" in out
    assert "  mandatory SecretsManager.4 box-secret" in out


def test_declared_findings_keep_the_plan_green(
    secret_project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "team.json"
    reason = "the value is issued elsewhere and rotated there"
    config.write_text(
        json.dumps({"all": "advisory", **{p: {"declared": {"box-secret": reason}} for p in ROTATION_POLICIES}})
    )
    assert main(["--project-dir", str(secret_project), "--stack", "test", "--policy-config", str(config)]) == 0
    out = capsys.readouterr().out
    assert out.count(f"declared: {reason}") == 2
    assert "(2 declared)" in out


def test_a_bad_pack_config_is_refused_before_the_program_runs(
    secret_project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "bad.json"
    config.write_text('{"elb-1-redirect": "mandatory"}')
    assert main(["--project-dir", str(secret_project), "--stack", "test", "--policy-config", str(config)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == "error: policy pack config: elb-1-redirect: no such policy in papyrus-aws-fsbp\n"
