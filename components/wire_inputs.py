"""Inputs as another Pulumi language sends them, turned into the Python Args a component takes.

Through the component provider a component's inputs arrive as the engine sends them: keys in
the schema's camelCase, every number a float (protobuf has only doubles), nested objects as
plain mappings, values that come from other resources as outputs. `WireInputs` walks them
against the schema the SDK's analyzer derived from the Args `TypedDict`s and

* renames every key to the Python name (nested `TypedDict`s, lists and maps included);
* turns whole floats into `int` for integer inputs and refuses `8080.5`, a string or a boolean
  where a number belongs (the SDK's own mapping converts and then keeps the float);
* refuses a key the schema does not declare, naming the nearest one (the SDK drops it silently,
  so `natStratgy` would quietly become the default);
* checks values that are outputs once they resolve, keeping them outputs (and secrets secret).

Every refusal is a `WireInputError` naming the input as the caller wrote it (`targetPort`,
`cors.allowOrigins[1]`, `loadBalancers[0].targetGroupArn`), the value and what is allowed.
`WireInputs.rename_key` maps a component's own error key (`load_balancers[0].target_group_arn`)
back to the same spelling, so errors read the same whichever check found them.
"""

from __future__ import annotations

import difflib
import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any, cast

import pulumi
from pulumi.output import Unknown
from pulumi.provider.experimental.analyzer import PropertyDefinition, PropertyType, TypeDefinition
from pulumi.runtime import rpc

from components.validation import keys_only

Path = tuple[str | int, ...]

_IDENTIFIER = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*")
# One segment of a Python-style key: `name`, `[0]`, `['db']` or `["db"]`.
_KEY_SEGMENT = re.compile(r"""\.?(?P<name>[A-Za-z_][A-Za-z0-9_]*)|\[(?P<index>\d*)\]|\[(?P<quoted>'[^']*'|"[^"]*")\]""")
EVERY = -1
"""The index segment of `load_balancers[].name`: every element of the list."""


def render_path(path: Path) -> str:
    """A path as a TypeScript user would write it: `cors.allowOrigins[1]`, `tags["team-name"]`."""
    text = ""
    for segment in path:
        if isinstance(segment, int):
            text += "[]" if segment == EVERY else f"[{segment}]"
        elif _IDENTIFIER.fullmatch(segment):
            text += f".{segment}" if text else segment
        else:
            text += f"[{json.dumps(segment)}]"
    return text


def parse_key(key: str) -> Path | None:
    """The segments of a Python-style key such as `secret_groups['db'].password`, or None."""
    path: list[str | int] = []
    position = 0
    while position < len(key):
        match = _KEY_SEGMENT.match(key, position)
        if match is None or (match.group("name") and position and key[position] != "."):
            return None
        if match.group("name"):
            path.append(match.group("name"))
        elif match.group("index") is not None:
            path.append(int(match.group("index") or EVERY))
        else:
            path.append(match.group("quoted")[1:-1])
        position = match.end()
    return tuple(path) if path else None


def show(value: Any) -> str:  # noqa: PLR0911 (one literal form per kind of value)
    """A value in a message: language-neutral literals, outputs not resolved."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, Enum):
        return show(value.value)
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{show(k)}: {show(v)}" for k, v in value.items()) + "}"
    if isinstance(value, Sequence):
        return "[" + ", ".join(show(v) for v in value) + "]"
    if isinstance(value, pulumi.Output):
        return "<output>"
    if isinstance(value, Unknown):
        return "<unknown>"
    return repr(value)


def _holds_secret(value: Any) -> bool:
    """Whether a wire value is, or contains, a secret."""
    if rpc.is_rpc_secret(value):
        return True
    if isinstance(value, Mapping):
        return any(_holds_secret(v) for v in value.values())
    if isinstance(value, Sequence) and not isinstance(value, str):
        return any(_holds_secret(v) for v in value)
    return False


class WireInputError(pulumi.RunError, ValueError):
    """An input the caller sent that the component's Args cannot take; `key` is as the caller wrote it."""

    def __init__(self, path: Path, value: Any, expected: str, *, secret: bool = False, missing: bool = False) -> None:
        self.path = path
        self.key = render_path(path)
        self.value = value
        self.expected = expected
        if missing:
            message = f"missing {self.key}; expected {expected}"
        else:
            message = f"invalid {self.key}={'[secret]' if secret else show(value)}; expected {expected}"
        super().__init__(message)


@dataclass(frozen=True)
class _Level:
    """The properties declared at one level of an input (a component's Args or a nested type)."""

    owner: str
    properties: Mapping[str, PropertyDefinition]
    to_python: Mapping[str, str]


class WireInputs:
    """Maps wire-shaped inputs onto the Args of the components one package hosts."""

    def __init__(self, types: Mapping[str, TypeDefinition], external_enums: Mapping[str, type[Enum]]) -> None:
        self._types = types
        self._external_enums = external_enums

    # ---- inputs ------------------------------------------------------------------------

    def map_inputs(
        self,
        owner: str,
        inputs: Mapping[str, Any],
        properties: Mapping[str, PropertyDefinition],
        mapping: Mapping[str, str],
    ) -> dict[str, Any]:
        """A component's Args from its wire inputs; raises `WireInputError` naming the first bad input."""
        return self._map_object(inputs, _Level(owner, properties, mapping), ())

    def _map_object(self, value: Any, level: _Level, path: Path, *, secret: bool = False) -> dict[str, Any]:
        if not isinstance(value, Mapping):
            raise WireInputError(path, value, f"an object with the keys of {level.owner}", secret=secret)
        unknown = sorted(str(k) for k, v in value.items() if k not in level.properties and v is not None)
        if unknown:
            key = unknown[0]
            hint = difflib.get_close_matches(key, list(level.properties), n=1, cutoff=0.6)
            expected = f"one of the inputs of {level.owner}: {', '.join(sorted(level.properties))}"
            if hint:
                expected += f" (did you mean {hint[0]}?)"
            given = value[key]
            raise WireInputError((*path, key), keys_only(given), expected, secret=secret or _holds_secret(given))
        mapped: dict[str, Any] = {}
        for name, prop in level.properties.items():
            item = value.get(name)
            if item is None:
                if not prop.optional:
                    raise WireInputError((*path, name), None, "a value (it is required)", missing=True)
                continue
            mapped[level.to_python[name]] = self._map_value(item, prop, (*path, name), secret=secret)
        return mapped

    def _map_value(  # noqa: PLR0911 (one branch per kind of schema type)
        self, value: Any, prop: PropertyDefinition, path: Path, *, secret: bool = False
    ) -> Any:
        if isinstance(value, Unknown):
            return value  # only known after deployment (a preview); the component decides
        if rpc.is_rpc_secret(value):
            inner = self._map_value(rpc.unwrap_rpc_secret(value), prop, path, secret=True)
            return pulumi.Output.secret(inner)
        if isinstance(value, pulumi.Output):
            return self._map_output(value, prop, path)
        if prop.ref:
            return self._map_ref(value, prop.ref, path, secret=secret)
        if prop.type is PropertyType.ARRAY and prop.items is not None:
            if isinstance(value, str) or not isinstance(value, Sequence):
                raise WireInputError(path, value, "a list", secret=secret)
            items = prop.items
            return [self._map_value(v, items, (*path, i), secret=secret) for i, v in enumerate(value)]
        if prop.type is PropertyType.OBJECT and prop.additional_properties is not None:
            if not isinstance(value, Mapping):
                raise WireInputError(path, value, "a map of names to values", secret=secret)
            values = prop.additional_properties
            return {k: self._map_value(v, values, (*path, str(k)), secret=secret) for k, v in value.items()}
        return self._map_scalar(value, prop.type, path, secret=secret)

    def _map_output(self, value: pulumi.Output[Any], prop: PropertyDefinition, path: Path) -> Any:
        if prop.plain:
            # The component refuses outputs where it needs a value at preview, with its own message.
            return value
        # Errors found once the value is known must not show a secret value.
        is_secret: pulumi.Output[bool] = pulumi.Output.from_input(cast(Any, value.is_secret()))
        checked: pulumi.Output[Any] = pulumi.Output.all(value, is_secret).apply(
            lambda pair: self._map_value(pair[0], prop, path, secret=bool(pair[1]))
        )
        return checked

    def _map_ref(self, value: Any, ref: str, path: Path, *, secret: bool) -> Any:
        external = self._external_enums.get(ref)
        type_def = self._types.get(ref.rsplit(":", 1)[-1]) if ref.startswith("#/types/") else None
        enum_type: type[Enum] | None = external
        if type_def is not None and type_def.enum:
            enum_type = cast(type[Enum], type_def.python_type)
        if enum_type is not None:
            allowed = [member.value for member in enum_type]
            wire = int(value) if isinstance(value, float) and value.is_integer() else value
            if isinstance(wire, bool) or wire not in allowed:
                raise WireInputError(path, value, "one of " + ", ".join(show(a) for a in allowed), secret=secret)
            return enum_type(wire)
        if type_def is None:
            return value  # pulumi.json#/Any, assets, resources: nothing to map
        level = _Level(type_def.name, type_def.properties, type_def.properties_mapping)
        return self._map_object(value, level, path, secret=secret)

    @staticmethod
    def _map_scalar(value: Any, kind: PropertyType | None, path: Path, *, secret: bool) -> Any:
        if kind is PropertyType.INTEGER:
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise WireInputError(path, value, "an integer", secret=secret)
            if isinstance(value, float):
                if not (math.isfinite(value) and value.is_integer()):
                    raise WireInputError(path, value, "an integer (a whole number)", secret=secret)
                return int(value)
            return value
        if kind is PropertyType.NUMBER:
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
                raise WireInputError(path, value, "a number", secret=secret)
            return value
        if kind is PropertyType.BOOLEAN and not isinstance(value, bool):
            raise WireInputError(path, value, "true or false", secret=secret)
        if kind is PropertyType.STRING and not isinstance(value, str):
            raise WireInputError(path, value, "a string", secret=secret)
        return value

    # ---- error keys ----------------------------------------------------------------------

    def rename_key(self, key: str, properties: Mapping[str, PropertyDefinition], mapping: Mapping[str, str]) -> str:
        """A component's error key (`load_balancers[0].target_group_arn`) as the caller spells it
        (`loadBalancers[0].targetGroupArn`). Map keys are the caller's own and stay as they are;
        a key this package cannot place is returned unchanged."""
        path = parse_key(key)
        if path is None:
            return key
        renamed: list[str | int] = []
        level: Mapping[str, PropertyDefinition] | None = properties
        to_schema = {py: schema for schema, py in mapping.items()}
        current: PropertyDefinition | None = None
        for segment in path:
            if isinstance(segment, str) and level is not None and segment in to_schema:
                name = to_schema[segment]
                renamed.append(name)
                current = level[name]
                level, to_schema = self._nested(current)
                continue
            renamed.append(segment)
            # An index into a list or a key into a map: descend into the element type.
            if current is not None and current.items is not None and isinstance(segment, int):
                current = current.items
            elif current is not None and current.additional_properties is not None:
                current = current.additional_properties
            else:
                current = None
            level, to_schema = self._nested(current) if current is not None else (None, {})
        return render_path(tuple(renamed))

    def _nested(self, prop: PropertyDefinition) -> tuple[Mapping[str, PropertyDefinition] | None, dict[str, str]]:
        if prop.ref and prop.ref.startswith("#/types/"):
            type_def = self._types.get(prop.ref.rsplit(":", 1)[-1])
            if type_def is not None and not type_def.enum:
                return type_def.properties, {py: schema for schema, py in type_def.properties_mapping.items()}
        return None, {}

    def python_names(self, properties: Mapping[str, PropertyDefinition], mapping: Mapping[str, str]) -> dict[str, str]:
        """Every Python argument name of a component, nested types included, with its schema name."""
        names = {py: schema for schema, py in mapping.items()}
        todo = list(properties.values())
        seen: set[str] = set()
        while todo:
            prop = todo.pop()
            for part in (prop.items, prop.additional_properties):
                if part is not None:
                    todo.append(part)
            if prop.ref and prop.ref not in seen:
                seen.add(prop.ref)
                nested, to_schema = self._nested(prop)
                names.update(to_schema)
                todo.extend((nested or {}).values())
        return names
