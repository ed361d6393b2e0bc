"""Reading resource properties as the policy engine hands them over.

The one place that knows the shape of `args.props`: the Pulumi engine passes the
provider's property names (camelCase, as pulumi-aws's schema spells them: `dropInvalidHeaderFields`,
`accessLogs.enabled`), pulumi-policy's Python SDK does not translate them, and numbers arrive
as floats (the wire has only doubles). Mappings and lists are pulumi-policy proxies that raise
`UnknownValueError` when a value is not known yet (a preview before the resource it comes from
exists); the SDK turns that into an advisory "can't run during preview" note, so resource
policies let it propagate. Stack policies use `known`, which returns `UNKNOWN` instead, where
one unknown value must not hide the findings about every other resource.
"""

import json
from collections.abc import Mapping, Sequence
from typing import Any, Final

from pulumi_policy.proxy import UnknownValueError


class _Unknown:
    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN: Final = _Unknown()
"""A value the engine does not know yet (see `known`)."""


def get(node: Any, *path: str | int, default: Any = None) -> Any:
    """The value at `path` (camelCase keys, list indexes), or `default` when absent or null."""
    for part in path:
        if isinstance(part, int):
            if not is_list(node) or not -len(node) <= part < len(node):
                return default
            node = node[part]
        else:
            if not isinstance(node, Mapping) or part not in node:
                return default
            node = node[part]
        if node is None:
            return default
    return node


def known(node: Any, *path: str | int, default: Any = None) -> Any:
    """Like `get`, but `UNKNOWN` where the engine does not know the value yet."""
    try:
        return plain(get(node, *path, default=default))
    except UnknownValueError:
        return UNKNOWN


def is_list(value: Any) -> bool:
    """A JSON array (a pulumi-policy list proxy counts; a string does not)."""
    return isinstance(value, Sequence) and not isinstance(value, (str, bytes))


def as_list(value: Any) -> list[Any]:
    """IAM-style "one or many": None is [], a scalar or mapping is [it], a list is itself."""
    if value is None:
        return []
    if is_list(value):
        return list(value)
    return [value]


def plain(value: Any) -> Any:
    """Proxies turned into dicts and lists (reading every value, so unknowns raise here)."""
    if isinstance(value, Mapping):
        return {str(k): plain(value[k]) for k in value}
    if is_list(value):
        return [plain(v) for v in value]
    return value


def as_bool(value: Any, default: bool) -> bool:
    """A boolean property; some providers send "true"/"false" strings."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    return default


def as_int(value: Any) -> int | None:
    """A whole number from a float (the wire form), an int or a numeric string."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)) and float(value).is_integer():
        return int(value)
    if isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            return None
    return None


def json_document(value: Any) -> Any:
    """A JSON document property (an IAM policy, container definitions): pulumi-aws takes a
    string, a TypeScript program may send the object itself. None when absent; raises
    ValueError when the string is not JSON (the provider would refuse it too)."""
    if value is None:
        return None
    if isinstance(value, str):
        if not value.strip():
            return None
        return json.loads(value)
    return plain(value)
