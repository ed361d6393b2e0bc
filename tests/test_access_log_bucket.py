"""AccessLogBucket: the S3 bucket load balancers deliver access logs to, and how ALBs use it."""

from __future__ import annotations

import itertools
import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from components.access_log_bucket import (
    LOG_DELIVERY_PRINCIPAL,
    AccessLogBucket,
    AccessLogBucketArgs,
    bucket_policy,
    log_prefix,
)
from components.load_balancer import ApplicationLoadBalancer
from components.testing.engine import Deployment
from components.testing.mocks import ACCOUNT_ID
from components.validation import InvalidArgumentError
from tests.harness import rejects, run_component

BUCKET = "aws:s3/bucket:Bucket"
OWNERSHIP = "aws:s3/bucketOwnershipControls:BucketOwnershipControls"
PUBLIC_ACCESS = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
ENCRYPTION = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
LIFECYCLE = "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration"
POLICY = "aws:s3/bucketPolicy:BucketPolicy"
LB = "aws:lb/loadBalancer:LoadBalancer"


def _deploy(**overrides: Any) -> Deployment:
    args: dict[str, Any] = {"prefixes": ["web", "api"], **overrides}

    def build() -> dict[str, Any]:
        logs = AccessLogBucket("access-logs", args)  # type: ignore[arg-type]  # tests pass loose dicts
        return {"bucket_name": logs.bucket_name, "bucket_arn": logs.bucket_arn}

    return run_component(build)


def _build(name: str, args: AccessLogBucketArgs) -> None:
    AccessLogBucket(name, args)


@pytest.fixture(scope="module")
def deployment() -> Deployment:
    return _deploy()


def test_every_configuration_targets_the_one_bucket(deployment: Deployment) -> None:
    bucket = deployment.one(BUCKET)
    assert bucket.name == "access-logs-bucket"
    assert bucket.outputs["bucket"].startswith("access-logs-bucket-")
    for type_ in (OWNERSHIP, PUBLIC_ACCESS, ENCRYPTION, LIFECYCLE, POLICY):
        assert deployment.one(type_).inputs["bucket"] == bucket.id, type_
    assert deployment.outputs == {"bucket_name": bucket.id, "bucket_arn": f"arn:aws:s3:::{bucket.id}"}


def test_the_bucket_is_private_owner_enforced_sse_s3_and_expiring(deployment: Deployment) -> None:
    assert deployment.one(OWNERSHIP).inputs["rule"] == {"objectOwnership": "BucketOwnerEnforced"}
    block = deployment.one(PUBLIC_ACCESS).inputs
    assert {
        k: block[k] for k in ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")
    } == {
        "blockPublicAcls": True,
        "blockPublicPolicy": True,
        "ignorePublicAcls": True,
        "restrictPublicBuckets": True,
    }
    # SSE-S3: the only default encryption ELB log delivery can write to.
    assert deployment.one(ENCRYPTION).inputs["rules"] == [
        {"applyServerSideEncryptionByDefault": {"sseAlgorithm": "AES256"}}
    ]
    assert deployment.one(LIFECYCLE).inputs["rules"] == [
        {
            "id": "expire-access-logs",
            "status": "Enabled",
            "filter": {},
            "expiration": {"days": 365},
            "abortIncompleteMultipartUpload": {"daysAfterInitiation": 1},
        }
    ]


def test_the_policy_is_tls_only_and_lets_elb_write_this_accounts_prefixes(deployment: Deployment) -> None:
    bucket = deployment.one(BUCKET)
    arn = bucket.outputs["arn"]
    document = json.loads(deployment.one(POLICY).inputs["policy"])
    deny, allow = document["Statement"]
    assert deny == {
        "Sid": "DenyInsecureTransport",
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",
        "Resource": [arn, f"{arn}/*"],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }
    assert allow["Principal"] == {"Service": "logdelivery.elasticloadbalancing.amazonaws.com"}
    assert allow["Action"] == "s3:PutObject"
    assert allow["Resource"] == [f"{arn}/web/AWSLogs/{ACCOUNT_ID}/*", f"{arn}/api/AWSLogs/{ACCOUNT_ID}/*"]
    assert "Condition" not in allow


def test_configuration_is_applied_one_change_at_a_time(deployment: Deployment) -> None:
    """S3 refuses concurrent configuration changes to one bucket: each waits for the previous one."""
    chain = [deployment.one(t) for t in (OWNERSHIP, PUBLIC_ACCESS, ENCRYPTION, LIFECYCLE, POLICY)]
    for earlier, later in itertools.pairwise(chain):
        assert earlier.urn in later.dependencies, later.name


def test_unprotected_buckets_are_destroyable_and_protected_ones_are_not(deployment: Deployment) -> None:
    bucket = deployment.one(BUCKET)
    assert bucket.inputs["forceDestroy"] is True
    assert not bucket.protect
    protected = _deploy(protect=True, expiration_days=30, tags={"team": "web"}).one(BUCKET)
    assert protected.inputs["forceDestroy"] is False
    assert protected.protect
    assert protected.inputs["tags"] == {"team": "web"}


def test_expiry_follows_the_argument() -> None:
    [rule] = _deploy(expiration_days=30).one(LIFECYCLE).inputs["rules"]
    assert rule["expiration"] == {"days": 30}


def test_a_load_balancer_enables_its_logs_only_once_the_bucket_accepts_them() -> None:
    def build() -> dict[str, Any]:
        logs = AccessLogBucket("access-logs", {"prefixes": ["web"]})
        alb = ApplicationLoadBalancer(
            "web",
            {
                "vpc_id": "vpc-0123456789abcdef0",
                "subnet_ids": ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"],
                "internal": False,
                "target_port": 5000,
                "access_log_bucket": logs.bucket_name,
                "access_log_prefix": "web",
            },
        )
        return {"alb": alb.load_balancer_arn}

    deployment = run_component(build)
    alb = deployment.one(LB)
    bucket = deployment.one(BUCKET)
    assert alb.inputs["accessLogs"] == {"bucket": bucket.id, "prefix": "web", "enabled": True}
    # ELB tests its permission when logs are turned on: the policy (and the encryption) come first.
    needed = {deployment.one(t).urn for t in (POLICY, ENCRYPTION, LIFECYCLE)}
    assert needed <= set(alb.property_dependencies["accessLogs"])
    assert needed <= deployment.dependency_closure(alb)


def test_bucket_policy_is_exact_for_any_partition_and_prefixes() -> None:
    document = bucket_policy("arn:aws-us-gov:s3:::logs", "210987654321", ["a/b"])
    assert document["Statement"][1] == {
        "Sid": "ElbAccessLogDelivery",
        "Effect": "Allow",
        "Principal": {"Service": LOG_DELIVERY_PRINCIPAL},
        "Action": "s3:PutObject",
        "Resource": ["arn:aws-us-gov:s3:::logs/a/b/AWSLogs/210987654321/*"],
    }


_SEGMENT = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABC0123456789_.-", min_size=1, max_size=20)


@given(st.lists(_SEGMENT, min_size=1, max_size=5))
def test_any_slash_separated_prefix_without_awslogs_is_accepted(segments: list[str]) -> None:
    prefix = "/".join(segments)
    if "AWSLogs" in prefix:
        return
    assert log_prefix("test", "prefix", prefix) == prefix


@pytest.mark.parametrize(
    ("overrides", "key", "shown"),
    [
        ({"prefixes": []}, "prefixes", "[]"),
        ({"prefixes": "web"}, "prefixes", "'web'"),
        ({"prefixes": ["web", "web"]}, "prefixes", "['web', 'web']"),
        ({"prefixes": ["/web"]}, "prefixes[0]", "'/web'"),
        ({"prefixes": ["web/"]}, "prefixes[0]", "'web/'"),
        ({"prefixes": ["web", "logs/AWSLogs"]}, "prefixes[1]", "'logs/AWSLogs'"),
        ({"prefixes": ["we b"]}, "prefixes[0]", "'we b'"),
        ({"prefixes": ["x" * 201]}, "prefixes[0]", "'xxxx"),
        ({"expiration_days": 0}, "expiration_days", "0"),
        ({"expiration_days": 36501}, "expiration_days", "36501"),
        ({"protect": "yes"}, "protect", "'yes'"),
        ({"expiry_days": 30}, "expiry_days", "30"),
    ],
)
def test_rejects_what_elb_or_s3_would(overrides: dict[str, Any], key: str, shown: str) -> None:
    args: AccessLogBucketArgs = {"prefixes": ["web"], **overrides}  # type: ignore[typeddict-item]
    error = rejects(lambda: _build("access-logs", args))
    assert isinstance(error, InvalidArgumentError)
    assert error.key == key
    assert f"invalid {key}={shown}" in str(error)


@pytest.mark.parametrize("name", ["Access-Logs", "-logs", "logs-", "a" * 49, "logs_bucket"])
def test_rejects_names_a_bucket_cannot_carry(name: str) -> None:
    error = rejects(lambda: _build(name, {"prefixes": ["web"]}))
    assert isinstance(error, InvalidArgumentError)
    assert error.key == "name"
    assert repr(name) in str(error)
    assert "lower-case" in error.expected


def test_the_longest_name_makes_a_63_character_bucket() -> None:
    bucket = run_component(lambda: {"b": AccessLogBucket("a" * 48, {"prefixes": ["web"]}).bucket_name})
    assert len(bucket.outputs["b"]) == 63
