"""The CloudWatch log group an application's containers write to.

Small on purpose: it is the one place in the library that insists every application log
group has a retention CloudWatch allows and that protected stacks cannot lose their logs.
"""

# No `from __future__ import annotations`: the component analyzer and TypedDict's
# __required_keys__ need the annotations evaluated (NotRequired included).
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, NotRequired, TypedDict

import pulumi
from pulumi_aws import cloudwatch

from components import validation as check
from components.app_config import optional_kms_key_arn
from components.arg_docs import documented_keys
from components.validation import InvalidArgumentError, where

COMPONENT = "ApplicationLogGroup"

# CreateLogGroup: 1 to 512 characters of this set; the "aws/" prefix is AWS's own.
_LOG_GROUP_NAME = re.compile(r"[.\-_/#A-Za-z0-9]{1,512}")
_RESERVED_PREFIX = "aws/"


@documented_keys
class ApplicationLogGroupArgs(TypedDict):
    """Arguments of `ApplicationLogGroup`."""

    log_group_name: str
    """Name of the log group: 1 to 512 characters of letters, digits and `.-_/#`, not starting with
    "aws/" (reserved for AWS). Plain and known at preview, because task definitions name it. Required.
    Example: `"/ecs/papyrus"`."""

    retention_in_days: int
    """How long CloudWatch keeps log events, one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365,
    400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653 days. "Never expire" is not offered.
    Required. Example: `1` for a demo stack, `30` for production."""

    kms_key_arn: NotRequired[pulumi.Input[str]]
    """ARN of a customer-managed KMS key to encrypt the log events with; its key policy must allow the
    `logs.<region>.amazonaws.com` service principal. Default: CloudWatch Logs' own encryption.
    Example: `"arn:aws:kms:us-west-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"`."""

    protect: NotRequired[bool]
    """Protect the log group from deletion, twice: the Pulumi `protect` resource option, and
    CloudWatch's own deletion protection, which also stops a console or CLI delete. Default: `false`.
    Example: `true` on production."""

    tags: NotRequired[Mapping[str, pulumi.Input[str]]]
    """Tags for the log group, on top of the provider's default tags. Default: none.
    Example: `{"project": "portfolio"}`."""


@dataclass(frozen=True)
class _Settings:
    """The arguments after validation and defaults."""

    log_group_name: str
    retention_in_days: int
    kms_key_arn: pulumi.Input[str] | None
    protect: bool
    tags: dict[str, pulumi.Input[str]]


class ApplicationLogGroup(pulumi.ComponentResource):
    """A CloudWatch Logs log group for an application's containers.

    Children (logical names derive from the component's name `<name>`):

    * `cloudwatch.LogGroup` `<name>-log-group`: named `log_group_name`, standard log class
      (Infrequent Access is cheaper to ingest but offers only a subset of its features), retention
      `retention_in_days`, encrypted with `kms_key_arn` when given, CloudWatch
      deletion protection on exactly when `protect` is (set explicitly either way, because
      the provider only turns it off when told to).

    Defaults: CloudWatch-managed encryption, not protected, no tags. Every argument is checked
    before anything is registered; `kms_key_arn` (often an output) as soon as it is known.

    Cost (us-west-2, per month): $0.50 per GB ingested and $0.03 per GB stored (compressed),
    so the app's log volume drives it and the retention bounds the storage part; querying with
    Logs Insights adds $0.005 per GB scanned. A customer-managed KMS key (not created here)
    adds $1.00 a month plus request charges.
    """

    log_group_name: pulumi.Output[str]
    """The log group's name, for a task definition's `awslogs-group` option."""

    log_group_arn: pulumi.Output[str]
    """The log group's ARN, for IAM policies."""

    def __init__(self, name: str, args: ApplicationLogGroupArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        settings = _validate(where(COMPONENT, name), args)
        super().__init__(f"papyrus:index:{COMPONENT}", name, None, opts)

        log_group = cloudwatch.LogGroup(
            f"{name}-log-group",
            name=settings.log_group_name,
            log_group_class="STANDARD",
            retention_in_days=settings.retention_in_days,
            kms_key_id=settings.kms_key_arn,
            deletion_protection_enabled=settings.protect,
            tags=settings.tags or None,
            opts=pulumi.ResourceOptions(parent=self, protect=settings.protect),
        )

        self.log_group_name = log_group.name
        self.log_group_arn = log_group.arn
        self.register_outputs({"log_group_name": self.log_group_name, "log_group_arn": self.log_group_arn})


def log_group_name(at: str, key: str, value: Any) -> str:
    """A log group name by CloudWatch Logs' CreateLogGroup rules."""
    check.known(at, key, value)
    if not isinstance(value, str) or not _LOG_GROUP_NAME.fullmatch(value) or value.startswith(_RESERVED_PREFIX):
        raise InvalidArgumentError(
            at,
            key,
            value,
            "1 to 512 characters of letters, digits and . - _ / #, not starting with aws/, such as /ecs/papyrus",
        )
    return value


def _validate(at: str, raw: Mapping[str, Any]) -> _Settings:
    args = check.typed_dict(at, "args", raw, ApplicationLogGroupArgs)
    return _Settings(
        log_group_name=log_group_name(at, "log_group_name", args["log_group_name"]),
        retention_in_days=check.log_retention(at, "retention_in_days", args["retention_in_days"]),
        kms_key_arn=optional_kms_key_arn(at, "kms_key_arn", args.get("kms_key_arn")),
        protect=check.boolean(at, "protect", args.get("protect", False)),
        tags=check.tags(at, "tags", args.get("tags", {})),
    )
