"""offline/cli_yaml.py reads Pulumi's YAML as the Go CLI does (gopkg.in/yaml.v3), not as PyYAML does."""

from __future__ import annotations

import math
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from components.testing.cli_yaml import GoTime, YamlError, config_text, go_json_float, load, resolve

# (plain scalar in a stack file, what the program receives from the CLI, what PyYAML's safe_load makes of it)
CLI_VERSUS_PYYAML = [
    ("yes", "yes", True),
    ("on", "on", True),
    ("no", "no", False),
    ("off", "off", False),
    ("y", "y", "y"),
    ("True", "true", True),
    ("FALSE", "false", False),
    ("2", "2", 2),
    ("2.0", "2", 2.0),
    ("2.5", "2.5", 2.5),
    ("1e3", "1000", "1e3"),
    ("0x10", "16", 16),
    ("0o17", "15", "0o17"),
    ("010", "8", 8),
    ("08", "8", "08"),
    ("0b101", "5", 5),
    ("1_000", "1000", 1000),
    ("+5", "5", 5),
    ("-0", "0", 0),
    (".5", "0.5", 0.5),
    ("1e-7", "1e-7", "1e-7"),
    ("99999999999999999999", "100000000000000000000", 99999999999999999999),
    ("1e400", "1e400", "1e400"),
    ("2024-01-02", "2024-01-02 00:00:00 +0000 UTC", "2024-01-02"),
    ("2024-1-2", "2024-01-02 00:00:00 +0000 UTC", "2024-1-2"),
    ("2024-02-30", "2024-02-30", ValueError),  # PyYAML raises: the old loader's traceback
    ("2001-12-14t21:59:43.10-05:00", "2001-12-14 21:59:43.1 -0500 -0500", "2001-12-14 21:59:43.100000-05:00"),
    ("2001-12-14 21:59:43.10", "2001-12-14 21:59:43.1 +0000 UTC", "2001-12-14 21:59:43.100000"),
    ("v1.2.3", "v1.2.3", "v1.2.3"),
    ("10.10.0.0/16", "10.10.0.0/16", "10.10.0.0/16"),
    ("12:30", "12:30", 750),  # YAML 1.1 reads base-60 numbers; YAML 1.2 and yaml.v3 do not
]


@pytest.mark.parametrize(("scalar", "cli", "pyyaml"), CLI_VERSUS_PYYAML, ids=[c[0] for c in CLI_VERSUS_PYYAML])
def test_plain_scalars_reach_the_program_as_the_cli_renders_them(scalar: str, cli: str, pyyaml: Any) -> None:
    value = load(f"config:\n  papyrus:x: {scalar}\n", "Pulumi.dev.yaml")["config"]["papyrus:x"]
    assert config_text(value) == (cli, False)
    try:
        parsed = yaml.safe_load(f"x: {scalar}")["x"]
    except ValueError:
        parsed = ValueError
    if not isinstance(parsed, (bool, int, float, str, type)):
        parsed = str(parsed)  # dates and times
    assert parsed == pyyaml


@pytest.mark.parametrize("scalar", ["'yes'", '"2.0"', "|\n    2.0", "!!str 010"])
def test_quoted_literal_and_str_tagged_scalars_stay_text(scalar: str) -> None:
    value = load(f"x: {scalar}\n", "f")["x"]
    assert isinstance(value, str)
    assert not isinstance(value, GoTime)


def test_null_and_collections_are_object_values_in_go_json() -> None:
    doc = load("a: ~\nb:\nc: {y: [on, 2.0, null], x: 1.5, 3: z, true: t}\nd: [1, '1']\n", "f")
    assert config_text(doc["a"]) == ("null", True)
    assert config_text(doc["b"]) == ("null", True)
    assert config_text(doc["c"]) == ('{"3":"z","true":"t","x":1.5,"y":["on",2,null]}', True)
    assert config_text(doc["d"]) == ('[1,"1"]', True)


def test_repeated_keys_are_an_error_as_in_yaml_v3() -> None:
    with pytest.raises(YamlError, match=r"mapping key 'papyrus:azCount' at line 3 is already defined at line 2"):
        load("config:\n  papyrus:azCount: 2\n  papyrus:azCount: 3\n", "Pulumi.dev.yaml")


def test_merge_keys_and_anchors_work_as_in_yaml_v3() -> None:
    doc = load("base: &b {x: 1, y: 2}\nc:\n  <<: *b\n  y: 3\n", "f")
    assert doc["c"] == {"x": 1, "y": 3}


def test_syntax_errors_are_one_line() -> None:
    with pytest.raises(YamlError) as caught:
        load("config:\n  a: [1, 2\n", "Pulumi.dev.yaml")
    assert "\n" not in str(caught.value)
    assert str(caught.value).startswith("Pulumi.dev.yaml: ")


@pytest.mark.parametrize("scalar", [".nan", ".inf", "-.Inf"])
def test_values_go_json_cannot_encode_stop_the_cli(scalar: str) -> None:
    with pytest.raises(ValueError, match="unsupported value"):
        config_text(load(f"x: {scalar}\n", "f")["x"])


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (1e21, "1e+21"),
        (1e20, "100000000000000000000"),
        (1.5e-7, "1.5e-7"),
        (1e-6, "0.000001"),
        (-0.0, "-0"),
        (0.1, "0.1"),
    ],
)
def test_floats_print_like_go_json(value: float, text: str) -> None:
    assert go_json_float(value) == text


@settings(max_examples=150, deadline=None)
@given(st.floats(allow_nan=False, allow_infinity=False))
def test_go_json_floats_read_back_as_the_same_number(value: float) -> None:
    assert float(go_json_float(value)) == value


@settings(max_examples=150, deadline=None)
@given(st.integers(min_value=-(1 << 63), max_value=(1 << 63) - 1))
def test_integers_in_int64_resolve_to_themselves(value: int) -> None:
    assert resolve(str(value)) == value


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=1))
def test_any_plain_text_resolves_without_error(text: str) -> None:
    value = resolve(text)
    assert value is None or isinstance(value, (bool, int, float, str))
    if isinstance(value, float) and not math.isfinite(value):
        assert text.lower().lstrip("+-") in (".inf", ".nan")
