"""Read Pulumi's YAML files the way the `pulumi` CLI does, not the way PyYAML does.

The CLI is Go: it parses `Pulumi.yaml` and `Pulumi.<stack>.yaml` with gopkg.in/yaml.v3 and hands
each config value to the program as text (`sdk/go/common/resource/config/object.go`). PyYAML's
`safe_load` follows YAML 1.1 instead, so the two disagree on plain scalars that people type:

| In the stack file | yaml.v3, as the program receives it | PyYAML 1.1            |
|-------------------|-------------------------------------|-----------------------|
| `yes`, `on`, `no` | the text `yes`, `on`, `no`          | True, True, False     |
| `2.0`             | `2` (Go prints the float 2 as 2)    | `2.0`                 |
| `2024-01-02`      | `2024-01-02 00:00:00 +0000 UTC`     | a date, `2024-01-02`  |
| `1e3`             | `1000`                              | the text `1e3`        |
| `~` or nothing    | `null` (an object value)            | None                  |
| a key twice       | an error                            | the last one wins     |

`load` parses with PyYAML's scanner and composer (the syntax is the same) and resolves every
plain scalar with yaml.v3's rules (`resolve.go`); `config_text` renders a value as Pulumi's
`object.MarshalString` does. Times are rendered as on a machine whose local zone is UTC.
"""

from __future__ import annotations

import datetime
import json
import math
import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import yaml
from yaml import composer, nodes, parser, reader, resolver, scanner


class YamlError(ValueError):
    """The file is not YAML the CLI would load; the message says where."""


class DuplicateKeyError(YamlError):
    """A mapping sets one key twice (yaml.v3 refuses; PyYAML would keep the last)."""

    def __init__(self, source: str, key: Any, value: Any, line: int, first_line: int) -> None:
        self.key = key
        self.value = value
        self.line = line
        self.first_line = first_line
        super().__init__(f"{source}: mapping key {key!r} at line {line} is already defined at line {first_line}")


class GoTime(str):
    """A YAML timestamp, held as Go's `time.Time.String()` prints it (what the program receives)."""


class Secure(str):
    """A `secure: v1:...` value: ciphertext only the stack's secrets provider can decrypt."""


_IMPLICIT = "!implicit"  # the tag of an untagged scalar, so explicit tags stay distinguishable


class _Resolver(resolver.BaseResolver):
    DEFAULT_SCALAR_TAG = _IMPLICIT  # type: ignore[misc]  # the stubs call it Final; PyYAML reads it per class


class _Loader(reader.Reader, scanner.Scanner, parser.Parser, composer.Composer, _Resolver):
    """PyYAML's syntax layers with no YAML 1.1 type resolution."""

    def __init__(self, stream: str) -> None:
        reader.Reader.__init__(self, stream)
        scanner.Scanner.__init__(self)
        parser.Parser.__init__(self)
        composer.Composer.__init__(self)
        _Resolver.__init__(self)


def load(text: str, source: str) -> Any:
    """The document in `text` as yaml.v3 decodes it into Go's `any`."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.YAMLError as exc:
        raise YamlError(f"{source}: {_one_line(str(exc))}") from None
    finally:
        loader.dispose()
    return None if node is None else _construct(node, source)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _construct(node: nodes.Node, source: str) -> Any:
    if isinstance(node, nodes.ScalarNode):
        return _scalar(node, source)
    if isinstance(node, nodes.SequenceNode):
        return [_construct(item, source) for item in node.value]
    if isinstance(node, nodes.MappingNode):
        return _mapping(node, source)
    raise YamlError(f"{source}: unsupported node at line {node.start_mark.line + 1}")


def _mapping(node: nodes.MappingNode, source: str) -> dict[Any, Any]:
    result: dict[Any, Any] = {}
    seen: dict[Any, int] = {}
    merged: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        if isinstance(key_node, nodes.ScalarNode) and key_node.tag == _IMPLICIT and key_node.value == "<<":
            for merge in _merge_sources(value_node, source):
                for k, v in merge.items():
                    merged.setdefault(k, v)
            continue
        key = _construct(key_node, source)
        if isinstance(key, (dict, list)):
            raise YamlError(f"{source}: a mapping key at line {key_node.start_mark.line + 1} is not a scalar")
        line = key_node.start_mark.line + 1
        if key in seen:  # yaml.v3: "mapping key ... already defined at line N"
            value = _construct(value_node, source)
            raise DuplicateKeyError(source, key, value, line, seen[key])
        seen[key] = line
        result[key] = _construct(value_node, source)
    for k, v in merged.items():
        result.setdefault(k, v)
    return result


def _merge_sources(node: nodes.Node, source: str) -> Iterator[dict[Any, Any]]:
    value = _construct(node, source)
    for item in value if isinstance(value, list) else [value]:
        if not isinstance(item, dict):
            raise YamlError(f"{source}: a merge (<<) at line {node.start_mark.line + 1} needs a mapping")
        yield item


def _scalar(node: nodes.ScalarNode, source: str) -> Any:
    tag = node.tag
    if tag in ("tag:yaml.org,2002:str", "!") or (tag == _IMPLICIT and node.style):
        return node.value  # quoted, literal or folded, or explicitly a string
    resolved = resolve(node.value)
    if tag == _IMPLICIT:
        return resolved
    expected = {
        "tag:yaml.org,2002:int": int,
        "tag:yaml.org,2002:bool": bool,
        "tag:yaml.org,2002:null": type(None),
        "tag:yaml.org,2002:timestamp": GoTime,
    }
    if tag == "tag:yaml.org,2002:float" and isinstance(resolved, (int, float)) and not isinstance(resolved, bool):
        return float(resolved)
    wanted = expected.get(tag)
    if wanted is not None and type(resolved) is wanted:
        return resolved
    line = node.start_mark.line + 1
    if wanted is None and tag != "tag:yaml.org,2002:float":
        return node.value  # an application tag: yaml.v3 keeps the text
    raise YamlError(f"{source}: cannot decode {node.value!r} at line {line} as {tag.rsplit(':', 1)[-1]}")


# ---- yaml.v3's resolve.go ----------------------------------------------------------------------

_RESOLVE_MAP: dict[str, Any] = {
    **dict.fromkeys(("true", "True", "TRUE"), True),
    **dict.fromkeys(("false", "False", "FALSE"), False),
    **dict.fromkeys(("", "~", "null", "Null", "NULL"), None),
    **dict.fromkeys((".nan", ".NaN", ".NAN"), math.nan),
    **dict.fromkeys((".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"), math.inf),
    **dict.fromkeys(("-.inf", "-.Inf", "-.INF"), -math.inf),
}
_YAML_STYLE_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
_INT64 = (-(1 << 63), (1 << 63) - 1)
_UINT64_MAX = (1 << 64) - 1
_DIGITS = {2: "01", 8: "01234567", 10: "0123456789", 16: "0123456789abcdefABCDEF"}


def resolve(text: str) -> Any:  # noqa: PLR0911 (one return per rule of resolve.go)
    """A plain scalar's value by yaml.v3's rules: YAML 1.2 booleans (only true/false in three
    spellings), Go's base-0 integers (0x, 0o, 0b and a leading 0 for octal; `_` ignored), floats,
    timestamps, and everything else text."""
    if text in _RESOLVE_MAP:
        return _RESOLVE_MAP[text]
    hint = text[0]
    if hint == ".":
        return _go_float(text) if _YAML_STYLE_FLOAT.fullmatch(text) else text
    if not (hint.isascii() and (hint.isdigit() or hint in "+-")):
        return text
    stamp = _timestamp(text)
    if stamp is not None:
        return stamp
    plain = text.replace("_", "")
    number = _go_parse_int(plain, signed=True)
    if number is None:
        number = _go_parse_int(plain, signed=False)
    if number is not None:
        return number
    if _YAML_STYLE_FLOAT.fullmatch(plain):
        value = _go_float(plain)
        if isinstance(value, float):
            return value
    return text


def _go_float(text: str) -> float | str:
    """strconv.ParseFloat of a decimal literal: a value past float64's range is an error (text stays text)."""
    value = float(text)
    return text if math.isinf(value) else value


def _go_parse_int(text: str, *, signed: bool) -> int | None:
    """strconv.ParseInt(text, 0, 64) (signed) or ParseUint(text, 0, 64), None when either would fail."""
    body, negative = text, False
    if signed and body[:1] in ("+", "-"):
        negative, body = body[0] == "-", body[1:]
    base = 10
    if len(body) > 1 and body[0] == "0":
        prefix = body[1].lower()
        base, body = {"x": (16, body[2:]), "o": (8, body[2:]), "b": (2, body[2:])}.get(prefix, (8, body[1:]))
    if not body or any(c not in _DIGITS[base] for c in body):
        return None
    value = int(body, base)
    if negative:
        value = -value
    low, high = _INT64 if signed else (0, _UINT64_MAX)
    return value if low <= value <= high else None


# yaml.v3 tries these layouts (Go's reference time 2006-01-02 15:04:05) on plain scalars that start
# with four digits and a dash; the first two need a zone, the third has none.
_STAMP = re.compile(
    r"(?P<y>[0-9]{4})-(?P<mo>[0-9]{1,2})-(?P<d>[0-9]{1,2})"
    r"(?:(?P<sep>[Tt ])(?P<h>[0-9]{1,2}):(?P<mi>[0-9]{1,2}):(?P<s>[0-9]{1,2})(?P<frac>\.[0-9]+)?"
    r"(?P<zone>Z|[+-][0-9]{2}:[0-9]{2})?)?"
)


def _timestamp(text: str) -> GoTime | None:
    found = _STAMP.fullmatch(text)
    if found is None:
        return None
    if found["sep"] is not None and (found["sep"] == " ") == (found["zone"] is not None):
        return None  # 'T' layouts need a zone, the space layout takes none
    try:
        moment = datetime.datetime(
            int(found["y"]), int(found["mo"]), int(found["d"]), int(found["h"] or 0), int(found["mi"] or 0),
            int(found["s"] or 0),
        )  # fmt: skip
    except ValueError:
        return None
    fraction = (found["frac"] or "").rstrip("0").rstrip(".")
    if len(fraction) > 10:  # nanoseconds at most
        return None
    zone = found["zone"]
    if zone is None or zone == "Z" or zone[1:] == "00:00":
        offset = "+0000 UTC"
    else:
        numeric = zone.replace(":", "")
        offset = f"{numeric} {numeric}"  # a fixed zone without a name prints its offset twice
    return GoTime(f"{moment:%Y-%m-%d %H:%M:%S}{fraction} {offset}")


# ---- Pulumi's config.object: how a value reaches the program ------------------------------------


def config_text(value: Any) -> tuple[str, bool]:
    """(the text the program receives, whether the CLI treats it as an object) for one config value.

    Raises ValueError for what Go's JSON encoder refuses (NaN and infinities), which stops the CLI.
    """
    if isinstance(value, bool):
        return ("true" if value else "false"), False
    if isinstance(value, int):
        return str(value), False
    if isinstance(value, float):
        return go_json_float(value), False
    if isinstance(value, str):
        return str(value), False
    return json.dumps(_json_ready(value), ensure_ascii=False, separators=(",", ":"), sort_keys=True), True


def _json_ready(value: Any) -> Any:
    if isinstance(value, dict):
        return {go_key(k): _json_ready(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_ready(v) for v in value]
    if isinstance(value, float):
        text = go_json_float(value)  # Go writes 2.0 as 2, which reads back as an integer
        return int(text) if re.fullmatch(r"-?[0-9]+", text) else value
    if isinstance(value, str):
        return str(value)
    return value


def go_json_float(value: float) -> str:
    """A float64 as Go's encoding/json writes it: shortest digits, exponent only outside [1e-6, 1e21)."""
    if math.isnan(value) or math.isinf(value):
        raise ValueError(f"json: unsupported value: {value}")
    digits = Decimal(repr(value))  # the shortest digits that read back as `value`, as Go's
    magnitude = abs(value)
    if magnitude != 0 and (magnitude < 1e-6 or magnitude >= 1e21):
        return re.sub(r"e-0([0-9])$", r"e-\1", _exponent_form(digits))  # Go writes e-7, not e-07
    return _positional(digits)


def _exponent_form(digits: Decimal) -> str:
    exponent = digits.adjusted()
    mantissa = digits.scaleb(-exponent).normalize()
    return f"{mantissa}e{'+' if exponent >= 0 else '-'}{abs(exponent):02d}"


def _positional(digits: Decimal) -> str:
    text = format(digits, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def go_key(key: Any) -> str:
    """A non-string mapping key as Pulumi stringifies it (Go's %v)."""
    if isinstance(key, bool):
        return "true" if key else "false"
    if key is None:
        return "<nil>"
    if isinstance(key, float):
        return _go_g(key)
    return str(key)


def _go_g(value: float) -> str:
    """Go's %v of a float64: %g with the shortest digits, an exponent from 1e+06 up or below 1e-04."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    digits = Decimal(repr(value))
    exponent = digits.adjusted()
    return _exponent_form(digits) if value != 0 and (exponent < -4 or exponent >= 6) else _positional(digits)
