"""offline/stack.py loads config the way the Pulumi CLI does."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from offline.stack import StackConfigError, load, read_project, run_program
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


def test_stack_files_are_read_as_the_cli_reads_them(tmp_path: Path) -> None:
    """yaml.v3, not YAML 1.1: `yes` stays text, `2.0` is 2, a date is Go's time text."""
    stack = "config:\n  demo:name: 2024-01-02\n  demo:size: 2.0\n  demo:flag: yes\n  demo:tags: {a: on, b: 1.0}\n"
    config = load(_project(tmp_path, PROJECT, stack), "test")
    assert config.values["demo:name"] == "2024-01-02 00:00:00 +0000 UTC"
    assert config.values["demo:size"] == "2"
    assert config.values["demo:flag"] == "yes"
    assert json.loads(config.values["demo:tags"]) == {"a": "on", "b": 1}
    # The CLI refuses `yes` for a boolean; the program's own check says so with the value first.
    assert [str(e) for e in config.deferred] == [
        "stack 'test' config: invalid flag='yes'; expected true or false (Pulumi.yaml declares its type)"
    ]


def test_a_key_twice_in_the_stack_file_is_refused(tmp_path: Path) -> None:
    project = _project(tmp_path, PROJECT, "config:\n  demo:name: x\n  demo:size: 2\n  demo:size: 3\n")
    with pytest.raises(
        StackConfigError,
        match=r"invalid size=3; expected one value per key: Pulumi.test.yaml sets size at lines 3 and 4",
    ) as caught:
        load(project, "test")
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize("stack", ["config:\n  name: x\n", "config:\n  demo:a:b: x\n"])
def test_stack_file_keys_need_a_namespace(tmp_path: Path, stack: str) -> None:
    with pytest.raises(StackConfigError, match="<namespace>:<name>"):
        load(_project(tmp_path, PROJECT, stack), "test")


def test_the_old_config_module_form_of_a_key_is_the_same_key(tmp_path: Path) -> None:
    config = load(_project(tmp_path, PROJECT, "config:\n  demo:config:name: x\n"), "test")
    assert config.values["demo:name"] == "x"


@pytest.mark.parametrize("value", ["~", "[a, b]", "{a: b}"])
def test_objects_for_a_typed_key_are_refused_before_the_program_runs(tmp_path: Path, value: str) -> None:
    project = _project(tmp_path, PROJECT, f"config:\n  demo:name: {value}\n")
    with pytest.raises(StackConfigError, match=r"invalid name=.*; expected text \(Pulumi.yaml declares its type\)"):
        load(project, "test")


def test_nan_has_no_json_form_so_the_cli_stops(tmp_path: Path) -> None:
    project = _project(tmp_path, PROJECT, "config:\n  demo:name: x\n  demo:tags: {a: .nan}\n")
    with pytest.raises(StackConfigError, match=r"invalid tags=.*no JSON form"):
        load(project, "test")


def test_scalars_the_cli_refuses_are_raised_after_a_program_that_accepted_them(tmp_path: Path) -> None:
    project = _project(tmp_path, PROJECT, "config:\n  demo:name: x\n")
    (project / "__main__.py").write_text("import pulumi\npulumi.export('size', pulumi.Config().get('size'))\n")
    with pytest.raises(StackConfigError, match=r"invalid size='two'; expected an integer"):
        run_program(project, "test", ["size=two"])
    assert run_program(project, "test", ["size=+3"]).outputs == {"size": "+3"}  # Go's Atoi takes a sign


def test_secret_overrides_and_nested_ciphertext_are_marked_secret(tmp_path: Path) -> None:
    stack = "config:\n  demo:name: x\n  demo:tags:\n    a: {secure: v1:abc}\n"
    config = load(_project(tmp_path, PROJECT, stack), "test", secret_overrides=["token=t0ken"])
    assert config.secret_keys == {"demo:tags", "demo:token"}
    assert config.values["demo:token"] == "t0ken"
    assert "v1:abc" not in config.values["demo:tags"]


def test_an_optional_secret_is_declared_untyped_with_an_empty_default(tmp_path: Path) -> None:
    """Why Pulumi.yaml declares dbPassword untyped: the CLI applies a default as a plain value, and
    checks `secret: true` on typed keys only, so a typed optional secret would refuse every stack."""
    typed = PROJECT + "  password:\n    type: string\n    secret: true\n    default: ''\n"
    with pytest.raises(StackConfigError, match=r"invalid password=\[secret\]; expected a secret"):
        load(_project(tmp_path, typed, "config:\n  demo:name: x\n"), "test")
    untyped = PROJECT + "  password:\n    secret: true\n    default: ''\n"
    config = load(_project(tmp_path, untyped, "config:\n  demo:name: x\n"), "test")
    assert config.values["demo:password"] == ""
    assert "demo:password" not in config.secret_keys


def test_the_real_project_declares_db_password_as_an_optional_secret() -> None:
    declared = read_project(PROJECT_DIR)["config"]["dbPassword"]
    assert declared == {
        "description": "Database password (`pulumi config set --secret dbPassword`); generated when unset.",
        "secret": True,
        "default": "",
    }
    assert load(PROJECT_DIR, "dev").values["papyrus:dbPassword"] == ""
