"""CloudWatch Logs controls: CloudWatch.16 and log group protection."""

from collections.abc import Iterator, Mapping
from typing import Any

from pulumi_policy import ResourceValidationArgs

from .core import CUSTOM, Policy, resource_policy
from .props import as_bool, as_int, get

LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"


def _retention(args: ResourceValidationArgs, config: Mapping[str, Any]) -> Iterator[str]:
    minimum = as_int(config.get("minRetentionTime")) or 365
    days = as_int(get(args.props, "retentionInDays"))
    # Unset or 0 means the events never expire, which meets any minimum.
    if days and days < minimum:
        yield f"retentionInDays is {days}; at least {minimum} required (or 0: never expire)"


def _protected(args: ResourceValidationArgs, _: Mapping[str, Any]) -> Iterator[str]:
    if not (args.opts.protect or as_bool(get(args.props, "deletionProtectionEnabled"), default=False)):
        yield "the log group can be deleted with the stack: neither protect nor deletionProtectionEnabled is set"


POLICIES: list[Policy] = [
    resource_policy(
        name="cloudwatch-16-log-retention",
        control="CloudWatch.16",
        title="CloudWatch log groups should be retained for a specified time period (365 days by default)",
        types=[LOG_GROUP],
        check=_retention,
        remediation="Set retentionInDays to 365 or more (a value CloudWatch allows), or 0 to keep events forever.",
        params={"minRetentionTime": {"type": "integer", "minimum": 1, "default": 365}},
    ),
    resource_policy(
        name="custom-log-group-protected",
        control=CUSTOM,
        title="CloudWatch log groups are protected from deletion (papyrus; not an FSBP control)",
        types=[LOG_GROUP],
        check=_protected,
        remediation="Create the log group with the protect resource option or deletionProtectionEnabled: true.",
    ),
]
