"""An S3 bucket that Application Load Balancers deliver their access logs to (Security Hub ELB.5).

ALB access logs go to S3 only, and the bucket has to be built for it: Elastic Load Balancing
writes with SSE-S3 only (a KMS-encrypted bucket makes every delivery fail), the bucket policy
must let the log delivery service write, and a general-purpose bucket's defaults (no expiry,
plain HTTP allowed) do not meet the S3 controls of the same standard. `AccessLogBucket` is
that bucket, locked down: the service may write under `<prefix>/AWSLogs/<this account>/`
only, nothing may reach it over plain HTTP, no ACL can make anything public, and logs expire.

One bucket serves several load balancers, each under its own prefix: S3 has no per-bucket
fee, so sharing costs nothing extra and leaves one policy, one expiry rule and one place to
query (Athena reads `s3://<bucket>/<prefix>/AWSLogs/...`).
"""

# No `from __future__ import annotations`: the component analyzer and TypedDict's
# __required_keys__ need the annotations evaluated (NotRequired included).
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NotRequired, TypedDict

import pulumi
from pulumi_aws import s3
from pulumi_aws.get_caller_identity import get_caller_identity_output

from components import validation as check
from components.arg_docs import documented_keys
from components.ordering import after
from components.validation import InvalidArgumentError, where

COMPONENT = "AccessLogBucket"

# The service principal AWS documents for ALB access logs and connection logs in every
# commercial Region. The per-Region ELB account ids (797873946194 in us-west-2) are AWS's
# "legacy policy", still honoured in Regions opened before August 2022 but no longer
# recommended, and never valid in later Regions.
LOG_DELIVERY_PRINCIPAL = "logdelivery.elasticloadbalancing.amazonaws.com"
# ELB writes each log file with SSE-S3; it cannot write to a bucket whose default encryption
# is SSE-KMS, so AES256 is the only choice, not a default.
SSE_ALGORITHM = "AES256"
DEFAULT_EXPIRATION_DAYS = 365
MAX_EXPIRATION_DAYS = 36_500
# Incomplete multipart uploads hold storage without being objects; a day is ample for ELB.
ABORT_INCOMPLETE_UPLOAD_DAYS = 1

# The bucket is auto-named `<name>-bucket-<7 hex>` and bucket names stop at 63 characters.
MAX_NAME_LENGTH = 63 - len("-bucket") - len("-0000000")
_NAME = re.compile(r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?")
# An S3 key prefix ELB accepts: "/"-separated segments of safe characters, without "AWSLogs"
# (ELB appends `/AWSLogs/<account>/...` itself) and without a leading or trailing "/".
_PREFIX = re.compile(r"[A-Za-z0-9_.-]+(?:/[A-Za-z0-9_.-]+)*")
MAX_PREFIX_LENGTH = 200


@documented_keys
class AccessLogBucketArgs(TypedDict):
    """Arguments of `AccessLogBucket`."""

    prefixes: Sequence[str]
    """Key prefixes load balancers write under, one per load balancer (the `prefix` of its access
    logs). The log delivery service may write only `<prefix>/AWSLogs/<this account>/*` for these.
    Each is 1 to 200 characters of letters, digits, `_`, `.`, `-` in `/`-separated segments,
    without "AWSLogs" (ELB adds that part). At least one, no repeats. Required; known at preview.
    Example: `["web", "api"]`."""

    expiration_days: NotRequired[int]
    """Days after which log files are deleted, 1 to 36500. Default: `365` (a year, what
    CloudWatch.16 asks of log groups). Example: `30` for a development stack."""

    protect: NotRequired[bool]
    """Protect the bucket from deletion (the Pulumi `protect` resource option, and no `forceDestroy`,
    so S3 refuses to delete it while it holds logs). When `false` the bucket is deleted with its logs
    on `pulumi destroy`. Default: `false`. Example: `true` on production."""

    tags: NotRequired[Mapping[str, pulumi.Input[str]]]
    """Tags for the bucket, on top of the provider's default tags. Default: none.
    Example: `{"team": "platform"}`."""


@dataclass(frozen=True)
class _Settings:
    prefixes: tuple[str, ...]
    expiration_days: int
    protect: bool
    tags: dict[str, pulumi.Input[str]]


class AccessLogBucket(pulumi.ComponentResource):
    """A private, encrypted, expiring S3 bucket that load balancers write access logs to.

    Children (logical names derive from the component's name `<name>`, 1 to 48 lower-case letters,
    digits and hyphens, since the bucket's own name derives from it):

    * `s3.Bucket` `<name>-bucket`, auto-named `<name>-bucket-<7 hex>`; `forceDestroy` only when
      not protected.
    * `s3.BucketOwnershipControls` `<name>-ownership`: `BucketOwnerEnforced`, which turns ACLs off
      (S3.12), so every log file belongs to the bucket owner.
    * `s3.BucketPublicAccessBlock` `<name>-public-access-block`: all four settings on (S3.8).
    * `s3.BucketServerSideEncryptionConfiguration` `<name>-encryption`: SSE-S3 (`AES256`), the only
      encryption ELB log delivery supports.
    * `s3.BucketLifecycleConfiguration` `<name>-lifecycle`: one rule over the whole bucket that
      deletes objects `expiration_days` after creation and aborts incomplete multipart uploads
      after a day (S3.13).
    * `s3.BucketPolicy` `<name>-policy`: denies every request that is not over TLS
      (`aws:SecureTransport` `false`, S3.5), and allows `logdelivery.elasticloadbalancing.amazonaws.com`
      `s3:PutObject` on exactly `<bucket ARN>/<prefix>/AWSLogs/<account>/*` per prefix, the account
      being the deploying one (so only this account's load balancers can write here).

    The configuration resources are created one after another (ownership, public access block,
    encryption, lifecycle, policy), because S3 rejects concurrent configuration changes to one
    bucket, and `bucket_name` resolves only after all of them exist: a load balancer given that
    name enables its logs only once the bucket accepts them (ELB tests the permission then).

    Defaults: expiry after 365 days, not protected, no tags.

    Cost (us-west-2, per month): S3 Standard storage at $0.023 per GB; ALB logs are gzip files of
    roughly 50 to 100 MB per million requests, kept `expiration_days`. ELB writes a file per load
    balancer node every 5 minutes (8,760 PUT requests per node a month of 730 hours, at $0.005 per
    1,000, some $0.04 a node). Log delivery itself is free, and so is the bucket.
    """

    bucket_name: pulumi.Output[str]
    """The bucket's name, for an ApplicationLoadBalancer's `access_log_bucket`; resolves once the bucket
    policy, encryption, ownership, public access block and lifecycle are in place."""
    bucket_arn: pulumi.Output[str]
    """The bucket's ARN, `arn:aws:s3:::<bucket name>`."""

    def __init__(self, name: str, args: AccessLogBucketArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        settings = _validate(where(COMPONENT, name), name, args)
        super().__init__(f"papyrus:index:{COMPONENT}", name, None, opts)
        stateful = pulumi.ResourceOptions(parent=self, protect=settings.protect)

        bucket = s3.Bucket(
            f"{name}-bucket",
            force_destroy=not settings.protect,
            tags=settings.tags or None,
            opts=stateful,
        )
        ownership = s3.BucketOwnershipControls(
            f"{name}-ownership",
            bucket=bucket.id,
            rule={"object_ownership": "BucketOwnerEnforced"},
            opts=pulumi.ResourceOptions(parent=self),
        )
        public_access = s3.BucketPublicAccessBlock(
            f"{name}-public-access-block",
            bucket=bucket.id,
            block_public_acls=True,
            block_public_policy=True,
            ignore_public_acls=True,
            restrict_public_buckets=True,
            opts=pulumi.ResourceOptions(parent=self, depends_on=[ownership]),
        )
        encryption = s3.BucketServerSideEncryptionConfiguration(
            f"{name}-encryption",
            bucket=bucket.id,
            rules=[{"apply_server_side_encryption_by_default": {"sse_algorithm": SSE_ALGORITHM}}],
            opts=pulumi.ResourceOptions(parent=self, depends_on=[public_access]),
        )
        lifecycle = s3.BucketLifecycleConfiguration(
            f"{name}-lifecycle",
            bucket=bucket.id,
            rules=[
                {
                    "id": "expire-access-logs",
                    "status": "Enabled",
                    # An empty filter is the whole bucket.
                    "filter": {},
                    "expiration": {"days": settings.expiration_days},
                    "abort_incomplete_multipart_upload": {"days_after_initiation": ABORT_INCOMPLETE_UPLOAD_DAYS},
                }
            ],
            opts=pulumi.ResourceOptions(parent=self, depends_on=[encryption]),
        )
        account = get_caller_identity_output(opts=pulumi.InvokeOptions(parent=self)).account_id
        policy = s3.BucketPolicy(
            f"{name}-policy",
            bucket=bucket.id,
            policy=pulumi.Output.all(bucket.arn, account).apply(
                lambda resolved: _json(bucket_policy(resolved[0], resolved[1], settings.prefixes))
            ),
            opts=pulumi.ResourceOptions(parent=self, depends_on=[lifecycle]),
        )

        self.bucket_name = after(bucket.bucket, policy.id, encryption.id, lifecycle.id)
        self.bucket_arn = bucket.arn
        self.register_outputs({"bucket_name": self.bucket_name, "bucket_arn": self.bucket_arn})


def bucket_policy(bucket_arn: str, account_id: str, prefixes: Sequence[str]) -> dict[str, Any]:
    """The bucket policy: TLS only, and ELB log delivery for this account under each prefix."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "DenyInsecureTransport",
                "Effect": "Deny",
                "Principal": "*",
                "Action": "s3:*",
                "Resource": [bucket_arn, f"{bucket_arn}/*"],
                "Condition": {"Bool": {"aws:SecureTransport": "false"}},
            },
            {
                "Sid": "ElbAccessLogDelivery",
                "Effect": "Allow",
                "Principal": {"Service": LOG_DELIVERY_PRINCIPAL},
                "Action": "s3:PutObject",
                "Resource": [f"{bucket_arn}/{prefix}/AWSLogs/{account_id}/*" for prefix in prefixes],
            },
        ],
    }


def _json(document: dict[str, Any]) -> str:
    return json.dumps(document)


# ---- validation -----------------------------------------------------------------------------


def log_prefix(at: str, key: str, value: Any) -> str:
    """An S3 key prefix ELB accepts for access logs (shared with ApplicationLoadBalancer)."""
    check.known(at, key, value)
    if (
        not isinstance(value, str)
        or len(value) > MAX_PREFIX_LENGTH
        or not _PREFIX.fullmatch(value)
        or "AWSLogs" in value
    ):
        raise InvalidArgumentError(
            at,
            key,
            value,
            f"a key prefix of 1 to {MAX_PREFIX_LENGTH} letters, digits, '_', '.' and '-' in '/'-separated "
            "segments, without a leading or trailing '/' and without 'AWSLogs' (ELB adds it), such as web",
        )
    return value


def _validate(at: str, name: str, raw: Any) -> _Settings:
    if not isinstance(name, str) or len(name) > MAX_NAME_LENGTH or not _NAME.fullmatch(name):
        raise InvalidArgumentError(
            at,
            "name",
            name,
            f"1 to {MAX_NAME_LENGTH} lower-case letters, digits and hyphens, not starting or ending with a "
            "hyphen (the bucket's name derives from it), such as access-logs",
        )
    args = check.typed_dict(at, "args", raw, AccessLogBucketArgs)
    prefixes = args["prefixes"]
    check.known(at, "prefixes", prefixes)
    if isinstance(prefixes, str) or not isinstance(prefixes, Sequence) or not prefixes:
        raise InvalidArgumentError(at, "prefixes", prefixes, "a non-empty list of key prefixes, such as ['web']")
    checked = tuple(log_prefix(at, f"prefixes[{i}]", p) for i, p in enumerate(prefixes))
    if len(set(checked)) < len(checked):
        raise InvalidArgumentError(at, "prefixes", list(prefixes), "distinct key prefixes")
    return _Settings(
        prefixes=checked,
        expiration_days=check.integer(
            at,
            "expiration_days",
            args.get("expiration_days", DEFAULT_EXPIRATION_DAYS),
            minimum=1,
            maximum=MAX_EXPIRATION_DAYS,
        ),
        protect=check.boolean(at, "protect", args.get("protect", False)),
        tags=check.tags(at, "tags", args.get("tags", {})),
    )
