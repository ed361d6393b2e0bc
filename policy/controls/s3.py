"""Amazon S3 controls that apply to a bucket a stack creates (an access-log bucket, for one):
S3.1, S3.2, S3.3, S3.5, S3.6, S3.8, S3.9, S3.10, S3.12, S3.13.

Not here, and why: S3.4 (default encryption) is retired, since S3 encrypts every new object;
S3.17 (SSE-KMS) is not an FSBP control, and ALB log delivery accepts only SSE-S3 anyway; S3.7,
S3.14, S3.15 and S3.20 (replication, versioning, object lock, MFA delete) are not FSBP controls;
S3.11 (event notifications to SNS, SQS, Lambda or EventBridge), which the FSBP list of 2023
included, asks for a notification consumer rather than a protection of the bucket and is left
out; S3.19 and S3.24 are about access points, which no stack here creates.

A bucket's settings are separate resources in pulumi-aws 7 (`BucketPolicy`,
`BucketPublicAccessBlock`, `BucketOwnershipControls`, `BucketLifecycleConfiguration` ...),
each naming the bucket in its `bucket` property, so most of these are stack validations.
The deprecated inline arguments of `aws.s3.Bucket` (`policy`, `acl`, `grants`, `logging`,
`versioning`, `lifecycleRules`) count too.
"""

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from pulumi_policy import PolicyResource, ResourceValidationArgs, StackValidationArgs

from .core import Policy, resource_policy, stack_policy
from .elb import CLASSIC_LOAD_BALANCER, LOAD_BALANCER_TYPES
from .iam_documents import Statement, account_of, statements
from .props import UNKNOWN, as_bool, as_list, get, known
from .stack import depends_on, referrers, refers_to, resources_of

BUCKET_TYPES = ("aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2")
BUCKET_POLICY = "aws:s3/bucketPolicy:BucketPolicy"
PUBLIC_ACCESS_BLOCK = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
ACCOUNT_PUBLIC_ACCESS_BLOCK = "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock"
OWNERSHIP_CONTROLS = "aws:s3/bucketOwnershipControls:BucketOwnershipControls"
ACL_TYPES = ("aws:s3/bucketAcl:BucketAcl", "aws:s3/bucketAclV2:BucketAclV2")
LOGGING_TYPES = ("aws:s3/bucketLogging:BucketLogging", "aws:s3/bucketLoggingV2:BucketLoggingV2")
LIFECYCLE_TYPES = (
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2",
)
VERSIONING_TYPES = ("aws:s3/bucketVersioning:BucketVersioning", "aws:s3/bucketVersioningV2:BucketVersioningV2")
FLOW_LOG = "aws:ec2/flowLog:FlowLog"

BUCKET_ID = ("id", "bucket")
BLOCK_SETTINGS = ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")
READ_ACTIONS = ("s3:GetObject", "s3:GetObjectVersion", "s3:ListBucket", "s3:ListBucketVersions")
WRITE_ACTIONS = ("s3:PutObject", "s3:DeleteObject", "s3:PutObjectAcl", "s3:PutBucketAcl", "s3:PutBucketPolicy")
DEFAULT_BLACKLISTED_ACTIONS = [
    "s3:DeleteBucketPolicy",
    "s3:PutBucketAcl",
    "s3:PutBucketPolicy",
    "s3:PutEncryptionConfiguration",
    "s3:PutObjectAcl",
]
ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers"
AUTHENTICATED_USERS = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"
PUBLIC_CANNED_ACLS = {"public-read": {"read"}, "public-read-write": {"read", "write"}, "authenticated-read": {"read"}}
# Condition keys with a fixed value make a grant to "*" non-public (S3's definition of public).
RESTRICTING_KEYS = {
    "aws:sourcearn",
    "aws:sourcevpc",
    "aws:sourcevpce",
    "aws:sourceowner",
    "aws:sourceaccount",
    "aws:principalorgid",
    "aws:principalaccount",
    "aws:principalarn",
    "aws:userid",
    "aws:sourceip",
    "s3:dataaccesspointarn",
    "s3:dataaccesspointaccount",
}


def _bucket_settings(args: StackValidationArgs, types: Iterable[str], bucket: PolicyResource) -> list[PolicyResource]:
    return referrers(args, types, ("bucket",), bucket, BUCKET_ID)


def _documents(args: StackValidationArgs, bucket: PolicyResource) -> list[list[Statement]]:
    """The bucket's policy documents that are known (a BucketPolicy, or the inline `policy`)."""
    sources = [(p, "policy") for p in _bucket_settings(args, [BUCKET_POLICY], bucket)] + [(bucket, "policy")]
    documents = []
    for resource, prop in sources:
        document = known(resource.props, prop)
        if document is None or document is UNKNOWN:
            continue
        try:
            documents.append(statements(document))
        except ValueError:
            continue
    return documents


def _block(args: StackValidationArgs, bucket: PolicyResource) -> dict[str, bool]:
    settings = dict.fromkeys(BLOCK_SETTINGS, False)
    for block in _bucket_settings(args, [PUBLIC_ACCESS_BLOCK], bucket):
        for setting in BLOCK_SETTINGS:
            settings[setting] |= as_bool(known(block.props, setting), default=False)
    return settings


def _acls_disabled(args: StackValidationArgs, bucket: PolicyResource) -> bool:
    """BucketOwnerEnforced turns ACLs off (S3's default for buckets created since April 2023)."""
    controls = _bucket_settings(args, [OWNERSHIP_CONTROLS], bucket)
    return any(str(known(c.props, "rule", "objectOwnership")) == "BucketOwnerEnforced" for c in controls)


def _fixed(statement: Statement) -> bool:
    for operator, keys in statement.conditions.items():
        if "Not" in operator:
            continue
        for key, values in keys.items():
            if key in RESTRICTING_KEYS and values and not any("*" in v or v in ("0.0.0.0/0", "::/0") for v in values):
                return True
    return False


def _public_grants(statement: Statement, actions: Iterable[str]) -> bool:
    return (
        statement.allows
        and statement.anyone
        and not _fixed(statement)
        and any(statement.covers_action(a) for a in actions)
    )


def _acl_access(args: StackValidationArgs, bucket: PolicyResource) -> set[str]:
    """ "read"/"write" that ACLs grant to everyone or to any AWS user."""
    access: set[str] = set()
    acls: list[Any] = [known(bucket.props, "acl")]
    grants: list[tuple[Any, Any]] = [
        (get(g, "uri"), p) for g in as_list(known(bucket.props, "grants")) for p in as_list(get(g, "permissions"))
    ]
    for acl in _bucket_settings(args, ACL_TYPES, bucket):
        acls.append(known(acl.props, "acl"))
        for grant in as_list(known(acl.props, "accessControlPolicy", "grants")):
            grants.append((get(grant, "grantee", "uri"), get(grant, "permission")))
    for acl in acls:
        if isinstance(acl, str):
            access |= PUBLIC_CANNED_ACLS.get(acl, set())
    for uri, permission in grants:
        if uri in (ALL_USERS, AUTHENTICATED_USERS):
            if str(permission) in ("READ", "FULL_CONTROL"):
                access.add("read")
            if str(permission) in ("WRITE", "FULL_CONTROL"):
                access.add("write")
    return access


def _public(args: StackValidationArgs, access: str, actions: Iterable[str]) -> Iterator[tuple[PolicyResource, str]]:
    for bucket in resources_of(args, BUCKET_TYPES):
        block = _block(args, bucket)
        reasons = []
        if not (block["restrictPublicBuckets"] or block["blockPublicPolicy"]) and any(
            _public_grants(s, actions) for document in _documents(args, bucket) for s in document
        ):
            reasons.append(f"its bucket policy allows public {access} (Principal * without a fixed condition)")
        acls_off = block["ignorePublicAcls"] or block["blockPublicAcls"] or _acls_disabled(args, bucket)
        if not acls_off and access in _acl_access(args, bucket):
            reasons.append(f"an ACL grants {access} to everyone or to all AWS users")
        for reason in reasons:
            yield bucket, reason


def _public_read(args: StackValidationArgs, _: Mapping[str, Any]) -> Iterator[tuple[PolicyResource, str]]:
    yield from _public(args, "read", READ_ACTIONS)


def _public_write(args: StackValidationArgs, _: Mapping[str, Any]) -> Iterator[tuple[PolicyResource, str]]:
    yield from _public(args, "write", WRITE_ACTIONS)


def _denies_plain_http(statement: Statement, bucket_arn: Any) -> bool:
    insecure = any(
        operator in ("Bool", "BoolIfExists") and value.lower() == "false"
        for operator, value in statement.condition_values("aws:SecureTransport")
    )
    if not (statement.denies and statement.anyone and insecure and statement.covers_action("s3:*")):
        return False
    if isinstance(bucket_arn, str) and bucket_arn:
        return statement.covers_resource(bucket_arn) and statement.covers_resource(f"{bucket_arn}/*")
    return True


def _ssl_only(args: StackValidationArgs, _: Mapping[str, Any]) -> Iterator[tuple[PolicyResource, str]]:
    for bucket in resources_of(args, BUCKET_TYPES):
        arn = known(bucket.props, "arn")
        if not any(_denies_plain_http(s, arn) for document in _documents(args, bucket) for s in document):
            yield (
                bucket,
                "no bucket policy statement denies s3:* to everyone on the bucket and its objects when "
                "aws:SecureTransport is false",
            )


def _other_accounts(args: ResourceValidationArgs, config: Mapping[str, Any]) -> Iterator[str]:
    blacklisted = [str(a) for a in as_list(config.get("blacklistedActionPatterns"))] or DEFAULT_BLACKLISTED_ACTIONS
    trusted = {str(a) for a in as_list(config.get("trustedAccountIds"))}
    try:
        document = statements(get(args.props, "policy"))
    except ValueError:
        return
    for statement in document:
        if not statement.allows:
            continue
        principals = list(statement.principals.get("AWS", ())) + list(statement.principals.get("*", ()))
        others = [p for p in principals if p == "*" or account_of(p) not in trusted]
        actions = [a for a in blacklisted if statement.covers_action(a)]
        if others and actions:
            yield f"the bucket policy allows {', '.join(actions)} to {', '.join(sorted(set(others)))}"


def _account_block(args: ResourceValidationArgs, _: Mapping[str, Any]) -> Iterator[str]:
    off = [s for s in BLOCK_SETTINGS if not as_bool(get(args.props, s), default=False)]
    if off:
        yield f"account-level block public access is off for {', '.join(off)}"


def _bucket_block(args: StackValidationArgs, _: Mapping[str, Any]) -> Iterator[tuple[PolicyResource, str]]:
    for bucket in resources_of(args, BUCKET_TYPES):
        block = _block(args, bucket)
        off = [s for s in BLOCK_SETTINGS if not block[s]]
        if off:
            yield bucket, f"bucket-level block public access is off for {', '.join(off)}"


def _log_destinations(args: StackValidationArgs, bucket: PolicyResource) -> bool:
    """Whether the bucket receives logs (S3 server access logs, load balancer logs, flow logs)."""
    if referrers(args, LOGGING_TYPES, ("targetBucket",), bucket, BUCKET_ID) or referrers(
        args, BUCKET_TYPES, ("logging", "targetBucket"), bucket, BUCKET_ID
    ):
        return True
    for lb in resources_of(args, (*LOAD_BALANCER_TYPES, CLASSIC_LOAD_BALANCER)):
        # v2 load balancers deliver a log only when it is enabled; a classic one unless disabled.
        enabled_by_default = lb.resource_type == CLASSIC_LOAD_BALANCER
        for prop in ("accessLogs", "connectionLogs", "healthCheckLogs"):
            enabled = as_bool(known(lb.props, prop, "enabled"), default=enabled_by_default)
            if enabled and refers_to(lb, (prop, "bucket"), bucket, BUCKET_ID):
                return True
    arn = known(bucket.props, "arn")
    for flow_log in resources_of(args, [FLOW_LOG]):
        destination = known(flow_log.props, "logDestination")
        if depends_on(flow_log, "logDestination", bucket) or (
            isinstance(arn, str) and isinstance(destination, str) and destination.split("/")[0] == arn
        ):
            return True
    return False


def _server_access_logging(args: StackValidationArgs, _: Mapping[str, Any]) -> Iterator[tuple[PolicyResource, str]]:
    for bucket in resources_of(args, BUCKET_TYPES):
        logged = _bucket_settings(args, LOGGING_TYPES, bucket) or known(bucket.props, "logging", "targetBucket")
        # AWS advises suppressing this finding for a logging target bucket; a bucket that only
        # receives logs is treated the same (logging it would need yet another bucket).
        if not logged and not _log_destinations(args, bucket):
            yield bucket, "server access logging is not enabled (aws.s3.BucketLogging)"


def _lifecycle(args: StackValidationArgs, bucket: PolicyResource) -> bool:
    for configuration in _bucket_settings(args, LIFECYCLE_TYPES, bucket):
        if any(str(get(r, "status")) == "Enabled" for r in as_list(known(configuration.props, "rules"))):
            return True
    return any(as_bool(get(r, "enabled"), default=False) for r in as_list(known(bucket.props, "lifecycleRules")))


def _versioned(args: StackValidationArgs, bucket: PolicyResource) -> bool:
    for versioning in _bucket_settings(args, VERSIONING_TYPES, bucket):
        if str(known(versioning.props, "versioningConfiguration", "status")) == "Enabled":
            return True
    return as_bool(known(bucket.props, "versioning", "enabled"), default=False)


def _versioned_lifecycle(args: StackValidationArgs, _: Mapping[str, Any]) -> Iterator[tuple[PolicyResource, str]]:
    for bucket in resources_of(args, BUCKET_TYPES):
        if _versioned(args, bucket) and not _lifecycle(args, bucket):
            yield bucket, "the bucket keeps every version but has no enabled lifecycle rule"


def _lifecycle_configured(args: StackValidationArgs, _: Mapping[str, Any]) -> Iterator[tuple[PolicyResource, str]]:
    for bucket in resources_of(args, BUCKET_TYPES):
        if not _lifecycle(args, bucket):
            yield bucket, "the bucket has no enabled lifecycle rule (aws.s3.BucketLifecycleConfiguration)"


def _acls_not_used(args: StackValidationArgs, _: Mapping[str, Any]) -> Iterator[tuple[PolicyResource, str]]:
    for bucket in resources_of(args, BUCKET_TYPES):
        if _acls_disabled(args, bucket):
            continue
        used = [a for a in [known(bucket.props, "acl")] if isinstance(a, str) and a != "private"]
        if as_list(known(bucket.props, "grants")):
            used.append("grants")
        for acl in _bucket_settings(args, ACL_TYPES, bucket):
            canned = known(acl.props, "acl")
            if isinstance(canned, str) and canned != "private":
                used.append(canned)
            owner = known(acl.props, "accessControlPolicy", "owner", "id")
            grantees = [get(g, "grantee") for g in as_list(known(acl.props, "accessControlPolicy", "grants"))]
            if any(get(g, "id") != owner for g in grantees):
                used.append("grants")
        if used:
            acls = ", ".join(sorted(set(used)))
            yield bucket, f"access is managed with ACLs ({acls}); disable them with BucketOwnerEnforced"


POLICIES: list[Policy] = [
    resource_policy(
        name="s3-1-account-block-public-access",
        control="S3.1",
        title="S3 general purpose buckets should have block public access settings enabled (account level)",
        types=[ACCOUNT_PUBLIC_ACCESS_BLOCK],
        check=_account_block,
        remediation="Set all four settings of aws.s3.AccountPublicAccessBlock to true.",
    ),
    stack_policy(
        name="s3-2-no-public-read",
        control="S3.2",
        title="S3 general purpose buckets should block public read access",
        check=_public_read,
        remediation="Remove public grants from the bucket policy and ACLs, and block public access on the bucket.",
    ),
    stack_policy(
        name="s3-3-no-public-write",
        control="S3.3",
        title="S3 general purpose buckets should block public write access",
        check=_public_write,
        remediation="Remove public grants from the bucket policy and ACLs, and block public access on the bucket.",
    ),
    stack_policy(
        name="s3-5-ssl-requests-only",
        control="S3.5",
        title="S3 general purpose buckets should require requests to use SSL",
        check=_ssl_only,
        remediation='Add a bucket policy statement: Effect Deny, Principal "*", Action "s3:*", Resource the bucket '
        'and bucket/*, Condition {"Bool": {"aws:SecureTransport": "false"}}.',
    ),
    resource_policy(
        name="s3-6-no-sensitive-actions-for-other-accounts",
        control="S3.6",
        title="S3 general purpose bucket policies should restrict access to other AWS accounts",
        types=[BUCKET_POLICY, *BUCKET_TYPES],
        check=_other_accounts,
        remediation="Do not grant policy, ACL or encryption changes to principals of other accounts.",
        params={
            "blacklistedActionPatterns": {
                "type": "array",
                "items": {"type": "string"},
                "default": DEFAULT_BLACKLISTED_ACTIONS,
            },
            "trustedAccountIds": {"type": "array", "items": {"type": "string"}, "default": []},
        },
    ),
    stack_policy(
        name="s3-8-bucket-block-public-access",
        control="S3.8",
        title="S3 general purpose buckets should block public access (bucket level)",
        check=_bucket_block,
        remediation="Add an aws.s3.BucketPublicAccessBlock for the bucket with all four settings true.",
    ),
    stack_policy(
        name="s3-9-server-access-logging",
        control="S3.9",
        title="S3 general purpose buckets should have server access logging enabled (buckets that receive "
        "logs are exempt, as AWS advises for the logging target)",
        check=_server_access_logging,
        remediation="Add an aws.s3.BucketLogging that delivers the bucket's access logs to a log bucket.",
    ),
    stack_policy(
        name="s3-10-versioned-bucket-lifecycle",
        control="S3.10",
        title="S3 general purpose buckets with versioning enabled should have Lifecycle configurations",
        check=_versioned_lifecycle,
        remediation="Add an aws.s3.BucketLifecycleConfiguration with an enabled rule that expires noncurrent versions.",
    ),
    stack_policy(
        name="s3-12-no-acls",
        control="S3.12",
        title="ACLs should not be used to manage user access to S3 general purpose buckets",
        check=_acls_not_used,
        remediation="Set aws.s3.BucketOwnershipControls objectOwnership to BucketOwnerEnforced and grant access "
        "with the bucket policy.",
    ),
    stack_policy(
        name="s3-13-lifecycle-configuration",
        control="S3.13",
        title="S3 general purpose buckets should have Lifecycle configurations",
        check=_lifecycle_configured,
        remediation="Add an aws.s3.BucketLifecycleConfiguration with at least one enabled rule.",
    ),
]
