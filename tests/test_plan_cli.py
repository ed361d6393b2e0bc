"""The offline plan (`make plan`): the tree, the outputs, the JSON graph, the diagram, the errors."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from offline.__main__ import main
from tests.harness import PROJECT_DIR


def test_plan_prints_tree_outputs_and_writes_graph(
    secret_project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    graph_file, diagram_file = tmp_path / "out" / "graph.json", tmp_path / "out" / "arch.mmd"
    code = main(
        [
            "--project-dir",
            str(secret_project),
            "--stack",
            "test",
            "--json",
            str(graph_file),
            "--mermaid",
            str(diagram_file),
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    lines = out.splitlines()
    assert any(line.split()[-2:] == ["pulumi:pulumi:Stack", "demo-test"] for line in lines)
    assert any("└─ aws:secretsmanager/secret:Secret" in line and line.endswith("box-secret") for line in lines)
    assert "+ 5 to create (3 cloud resources, 1 component, 0 providers, 1 stack)" in out
    assert 'secretArn: "arn:aws:secretsmanager:us-west-2:123456789012:secret:demo/test-' in out
    assert "password : [secret]" in out

    graph = json.loads(graph_file.read_text())
    by_name = {r["name"]: r for r in graph["resources"]}
    version = by_name["version"]
    assert version["inputs"]["secretString"] == "[secret]"
    assert version["secretInputs"] == ["secretString"]
    assert by_name["box-secret"]["parent"] == by_name["box"]["urn"]
    assert set(version["dependencies"]) == {by_name["box-secret"]["urn"], by_name["password"]["urn"]}
    assert graph["outputs"]["password"] == "[secret]"

    diagram = diagram_file.read_text()
    assert diagram.startswith("flowchart LR\n")
    assert "box_Box --> version_SecretVersion" in diagram
    assert "password_RandomPassword --> version_SecretVersion" in diagram


def test_plan_never_prints_a_secret_value(
    secret_project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from offline.stack import run_program

    real_password = run_program(secret_project, "test").outputs["password"]
    graph_file = tmp_path / "graph.json"
    assert main(["--project-dir", str(secret_project), "--stack", "test", "--json", str(graph_file)]) == 0
    assert real_password not in capsys.readouterr().out
    assert real_password not in graph_file.read_text()


def test_bad_config_is_one_line_and_exit_1(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["--project-dir", str(PROJECT_DIR), "--stack", "dev", "--config", "vpcCidr=10.0.0.0/8"])
    captured = capsys.readouterr()
    assert code == 1
    assert captured.out == ""
    assert captured.err.count("\n") == 1
    assert captured.err.startswith("error: stack 'dev' config: invalid vpcCidr='10.0.0.0/8'")


def test_config_the_cli_would_refuse_is_one_line_with_the_value_and_exit_1(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--project-dir", str(PROJECT_DIR), "--stack", "dev", "-c", "azCount=two"]) == 1
    captured = capsys.readouterr()
    assert captured.err == "error: stack 'dev' config: invalid azCount='two'; expected an integer from 2 to 6\n"


def test_configs_are_split_like_a_shell_line(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["--project-dir", str(PROJECT_DIR), "--stack", "dev", "--configs", "azCount=3 'imageTag=a b'"])
    assert code == 1
    assert "invalid imageTag='a b'" in capsys.readouterr().err
    assert main(["--project-dir", str(PROJECT_DIR), "--configs", "imageTag='unbalanced"]) == 1
    assert capsys.readouterr().err.count("\n") == 1


def test_the_readme_error_examples_are_what_the_plan_prints(capsys: pytest.CaptureFixture[str]) -> None:
    readme = (PROJECT_DIR / "README.md").read_text()
    examples = re.findall(r'^\$ make plan CONFIG="([^"]*)"\n(error: .*)$', readme, re.M)
    assert len(examples) >= 4
    for config, line in examples:
        assert main(["--project-dir", str(PROJECT_DIR), "--stack", "dev", "--configs", config]) == 1
        assert capsys.readouterr().err == line + "\n", config
