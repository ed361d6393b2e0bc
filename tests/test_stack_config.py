"""offline/stack.py loads config the way the Pulumi CLI does."""

from __future__ import annotations

from pathlib import Path

import pytest

from offline.stack import StackConfigError, load
from tests.harness import PROJECT_DIR


def _project(tmp_path: Path, project_yaml: str, stack_yaml: str) -> Path:
    (tmp_path / "Pulumi.yaml").write_text(project_yaml)
    (tmp_path / "Pulumi.test.yaml").write_text(stack_yaml)
    return tmp_path


PROJECT = """
name: demo
runtime: python
config:
  aws:region:
    value: eu-west-1
  size:
    type: integer
    default: 2
  name:
    type: string
  flag:
    type: boolean
    default: false
  tags:
    description: an object
    default: {a: "1"}
"""


def test_precedence_defaults_stack_file_overrides(tmp_path: Path) -> None:
    project = _project(tmp_path, PROJECT, "config:\n  demo:name: x\n  demo:size: 3\n")
    config = load(project, "test", ["flag=true", "aws:region=us-east-1"])
    assert config.values == {
        "aws:region": "us-east-1",
        "demo:size": "3",
        "demo:name": "x",
        "demo:flag": "true",
        "demo:tags": '{"a":"1"}',  # compact, as Go's encoding/json writes it
    }


def test_typed_key_without_default_is_required(tmp_path: Path) -> None:
    project = _project(tmp_path, PROJECT, "config: {}\n")
    with pytest.raises(StackConfigError, match=r"invalid name=None; expected a value in Pulumi.test.yaml"):
        load(project, "test")


def test_secure_values_become_marked_stand_ins(tmp_path: Path) -> None:
    project = _project(tmp_path, PROJECT, "config:\n  demo:name: x\n  demo:token:\n    secure: v1:abc\n")
    config = load(project, "test")
    assert "demo:token" in config.secret_keys
    assert "v1:abc" not in config.values["demo:token"]


def test_malformed_override(tmp_path: Path) -> None:
    project = _project(tmp_path, PROJECT, "config:\n  demo:name: x\n")
    with pytest.raises(StackConfigError, match="not key=value"):
        load(project, "test", ["justakey"])


def test_missing_stack_file() -> None:
    with pytest.raises(StackConfigError, match=r"Pulumi\.staging\.yaml"):
        load(PROJECT_DIR, "staging")
