"""IAM policy documents (identity policies, trust policies, bucket policies) as data.

AWS accepts many spellings of the same statement: `Action` as a string or a list, `Principal`
as `"*"`, `{"AWS": "*"}` or a list of ARNs, condition values as strings, booleans or lists.
`statements` normalises them once so the controls compare like with like. Action and resource
patterns use IAM's wildcards (`*`, `?`), and actions compare case-insensitively, as IAM does.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .props import as_list, json_document

WILDCARD = "*"


@dataclass(frozen=True)
class Statement:
    effect: str
    actions: tuple[str, ...] = ()
    not_actions: tuple[str, ...] = ()
    resources: tuple[str, ...] = ()
    not_resources: tuple[str, ...] = ()
    principals: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Principal type ("AWS", "Service", "Federated", "CanonicalUser") to values; `"*"` is {"*": ("*",)}."""
    not_principal: bool = False
    conditions: Mapping[str, Mapping[str, tuple[str, ...]]] = field(default_factory=dict)
    """Operator (`StringEquals`, `Bool` ...) to condition key (lower-cased) to values as strings."""

    @property
    def allows(self) -> bool:
        return self.effect == "Allow"

    @property
    def denies(self) -> bool:
        return self.effect == "Deny"

    def covers_action(self, action: str) -> bool:
        """True when the statement applies to `action` (Action patterns, or not in NotAction)."""
        if self.not_actions:
            return not any(wildcard_match(pattern, action, case=False) for pattern in self.not_actions)
        return any(wildcard_match(pattern, action, case=False) for pattern in self.actions)

    def covers_resource(self, resource: str) -> bool:
        if self.not_resources:
            return not any(wildcard_match(pattern, resource, case=True) for pattern in self.not_resources)
        return any(wildcard_match(pattern, resource, case=True) for pattern in self.resources)

    @property
    def anyone(self) -> bool:
        """The principal is everyone (`"*"` or `{"AWS": "*"}`), which is what makes a grant public."""
        if self.not_principal:
            return True
        return WILDCARD in self.principals.get(WILDCARD, ()) or WILDCARD in self.principals.get("AWS", ())

    def service_principals(self) -> tuple[str, ...]:
        return self.principals.get("Service", ())

    def condition_values(self, key: str) -> list[tuple[str, str]]:
        """(operator, value) pairs of every condition on `key` (case-insensitive key)."""
        wanted = key.lower()
        return [
            (operator, value)
            for operator, keys in self.conditions.items()
            for condition_key, values in keys.items()
            if condition_key == wanted
            for value in values
        ]


def wildcard_match(pattern: str, value: str, *, case: bool = True) -> bool:
    """IAM-style wildcards: `*` any run of characters, `?` one character; nothing else is special."""
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.fullmatch(regex, value, 0 if case else re.IGNORECASE) is not None


def _strings(value: Any) -> tuple[str, ...]:
    out = []
    for item in as_list(value):
        if isinstance(item, bool):
            out.append("true" if item else "false")
        elif item is not None:
            out.append(str(item))
    return tuple(out)


def _principals(value: Any) -> dict[str, tuple[str, ...]]:
    if value is None:
        return {}
    if isinstance(value, str):
        return {WILDCARD: (value,)} if value == WILDCARD else {"AWS": (value,)}
    if isinstance(value, Mapping):
        return {str(kind): _strings(values) for kind, values in value.items()}
    return {}


def _conditions(value: Any) -> dict[str, dict[str, tuple[str, ...]]]:
    if not isinstance(value, Mapping):
        return {}
    return {
        str(operator): {str(key).lower(): _strings(values) for key, values in keys.items()}
        for operator, keys in value.items()
        if isinstance(keys, Mapping)
    }


def statements(document: Any) -> list[Statement]:
    """The statements of a policy document (a JSON string or the object); [] when absent.

    Raises ValueError for a string that is not JSON."""
    parsed = json_document(document)
    if not isinstance(parsed, Mapping):
        return []
    out = []
    for raw in as_list(parsed.get("Statement")):
        if not isinstance(raw, Mapping):
            continue
        principal = raw.get("NotPrincipal") if "NotPrincipal" in raw else raw.get("Principal")
        out.append(
            Statement(
                effect=str(raw.get("Effect", "")),
                actions=_strings(raw.get("Action")),
                not_actions=_strings(raw.get("NotAction")),
                resources=_strings(raw.get("Resource")),
                not_resources=_strings(raw.get("NotResource")),
                principals=_principals(principal),
                not_principal="NotPrincipal" in raw,
                conditions=_conditions(raw.get("Condition")),
            )
        )
    return out


def account_of(principal: str) -> str | None:
    """The account id an AWS principal names (`123456789012`, `arn:aws:iam::123456789012:root`)."""
    if re.fullmatch(r"\d{12}", principal):
        return principal
    match = re.match(r"arn:[^:]+:(?:iam|sts)::(\d{12}):", principal)
    return match.group(1) if match else None
