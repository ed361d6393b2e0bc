"""Secrets Manager controls: SecretsManager.1 and SecretsManager.4.

Rotation is a relation: an `aws.secretsmanager.SecretRotation` whose `secretId` names the
secret. Where AWS cannot rotate a value (a key an external service issued, a password of a
database outside the stack), the secret says so itself with the tag `rotation-exception`,
whose value is the reason: a short sentence in the characters AWS allows in tag values
(letters, digits, spaces and `_ . : / = + - @`). Such a secret passes SecretsManager.1 and
SecretsManager.4 does not apply to it; the reason is in the stack, next to the secret, where a
reviewer sees it.
"""

import itertools
import re
from collections.abc import Iterator, Mapping
from typing import Any

from pulumi_policy import PolicyResource, StackValidationArgs

from .core import Policy, stack_policy
from .props import UNKNOWN, as_int, get, known
from .stack import referrers, resources_of

SECRET = "aws:secretsmanager/secret:Secret"  # noqa: S105 (a type token)
ROTATION = "aws:secretsmanager/secretRotation:SecretRotation"
EXCEPTION_TAG = "rotation-exception"

_REASON = re.compile(r"[A-Za-z0-9 _.:/=+\-@]{1,256}")
_WORD = re.compile(r"[A-Za-z]{2,}")
_MONTHS = {
    m: i + 1 for i, m in enumerate(["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"])
}


def exception_reason(secret: PolicyResource) -> str | None:
    """The secret's declared rotation exception (the tag value), or None."""
    for prop in ("tags", "tagsAll"):
        value = known(secret.props, prop, EXCEPTION_TAG)
        if value is not None and value is not UNKNOWN:
            return str(value)
    return None


def valid_reason(reason: str) -> bool:
    """A reason is a sentence of at least two words in the characters tag values allow."""
    return _REASON.fullmatch(reason) is not None and len(_WORD.findall(reason)) >= 2


def _rotations(args: StackValidationArgs, secret: PolicyResource) -> list[PolicyResource]:
    return referrers(args, [ROTATION], ("secretId",), secret, ("id", "arn", "name"))


def _month_values(field: str) -> set[int]:
    months: set[int] = set()
    for part in field.upper().split(","):
        spec, _, step_text = part.partition("/")
        step = int(step_text) if step_text.isdigit() else 1
        if spec in ("*", "?"):
            low, high = 1, 12
        elif "-" in spec:
            first, last = spec.split("-", 1)
            low, high = _MONTHS.get(first) or int(first), _MONTHS.get(last) or int(last)
        else:
            low = _MONTHS.get(spec) or int(spec)
            high = 12 if step_text else low
        months.update(range(low, high + 1, step))
    return months


def _cron_interval_days(expression: str) -> int | None:
    fields = expression.split()
    if len(fields) != 6:
        return None
    try:
        months = sorted(_month_values(fields[3]))
    except ValueError:
        return None
    if not months or not all(1 <= m <= 12 for m in months):
        return None
    gaps = [b - a for a, b in itertools.pairwise(months)] + [months[0] + 12 - months[-1]]
    return max(gaps) * 31


def rotation_interval_days(rules: Any) -> int | None:
    """The longest time between two rotations the rules allow, in days (months count 31);
    None when the rules cannot be read."""
    days = as_int(get(rules, "automaticallyAfterDays"))
    if days:
        return days
    expression = str(get(rules, "scheduleExpression", default="")).strip()
    rate = re.fullmatch(r"rate\((\d+)\s+(hours?|days?)\)", expression)
    if rate:
        amount = int(rate.group(1))
        return max(1, amount // 24) if rate.group(2).startswith("hour") else amount
    cron = re.fullmatch(r"cron\((.+)\)", expression)
    return _cron_interval_days(cron.group(1)) if cron else None


def _rotation_enabled(args: StackValidationArgs, _: Mapping[str, Any]) -> Iterator[tuple[PolicyResource, str]]:
    for secret in resources_of(args, [SECRET]):
        if _rotations(args, secret):
            continue
        reason = exception_reason(secret)
        if reason is None:
            yield secret, f"the secret is never rotated: add a SecretRotation, or a {EXCEPTION_TAG} tag saying why not"
        elif not valid_reason(reason):
            yield (
                secret,
                f"the {EXCEPTION_TAG} tag {reason!r} is not a reason: write a short sentence "
                "(letters, digits, spaces and _ . : / = + - @)",
            )


def _rotated_within(args: StackValidationArgs, config: Mapping[str, Any]) -> Iterator[tuple[PolicyResource, str]]:
    maximum = as_int(config.get("maxDaysSinceRotation")) or 90
    for secret in resources_of(args, [SECRET]):
        rotations = _rotations(args, secret)
        if not rotations:
            reason = exception_reason(secret)
            if reason is None or not valid_reason(reason):
                yield secret, f"the secret is never rotated; it must be rotated at least every {maximum} days"
            continue
        for rotation in rotations:
            rules = known(rotation.props, "rotationRules")
            if rules is UNKNOWN:
                continue
            interval = rotation_interval_days(rules)
            if interval is None:
                yield rotation, "rotationRules give no readable interval (automaticallyAfterDays or a schedule)"
            elif interval > maximum:
                yield rotation, f"rotation runs up to {interval} days apart; at most {maximum} allowed"


POLICIES: list[Policy] = [
    stack_policy(
        name="secretsmanager-1-rotation-enabled",
        control="SecretsManager.1",
        title="Secrets Manager secrets should have automatic rotation enabled "
        f"(or a declared reason in the {EXCEPTION_TAG} tag)",
        check=_rotation_enabled,
        remediation=f"Add an aws.secretsmanager.SecretRotation for the secret, or tag it {EXCEPTION_TAG}=<reason> "
        "when AWS cannot rotate the value.",
    ),
    stack_policy(
        name="secretsmanager-4-rotation-period",
        control="SecretsManager.4",
        title="Secrets Manager secrets should be rotated within a specified number of days (90 by default)",
        check=_rotated_within,
        remediation="Rotate at least every maxDaysSinceRotation days (rotationRules.automaticallyAfterDays or a "
        "schedule expression).",
        params={"maxDaysSinceRotation": {"type": "integer", "minimum": 1, "default": 90}},
    ),
]
