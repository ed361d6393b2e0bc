"""The policy pack against resources declared with the real pulumi-aws SDK (under the mock
engine), so every property name a policy reads is the one pulumi-aws 7 sends: a hardened
access-log bucket, load balancer, web ACL and rotated secret pass the whole pack, and taking
away one piece of the hardening trips exactly the controls that piece satisfies."""

from __future__ import annotations

from typing import Any

import pulumi
import pytest
from pulumi_aws import lb, s3, secretsmanager, wafv2

from offline import policy_check
from tests.harness import run_component

PIECES = ("block", "tls", "lifecycle", "access-logs", "waf", "rotation")


def hardened(without: str | None) -> dict[str, Any]:
    bucket = s3.Bucket("alb-logs", bucket="team-alb-logs")
    if without != "block":
        s3.BucketPublicAccessBlock(
            "alb-logs",
            bucket=bucket.id,
            block_public_acls=True,
            block_public_policy=True,
            ignore_public_acls=True,
            restrict_public_buckets=True,
        )
    s3.BucketOwnershipControls("alb-logs", bucket=bucket.id, rule={"object_ownership": "BucketOwnerEnforced"})
    if without != "lifecycle":
        s3.BucketLifecycleConfiguration(
            "alb-logs",
            bucket=bucket.id,
            rules=[{"id": "expire", "status": "Enabled", "expiration": {"days": 365}, "filter": {}}],
        )
    statements: list[Any] = [
        {
            "Effect": "Allow",
            "Principal": {"AWS": "arn:aws:iam::797873946194:root"},  # the regional ELB log delivery account
            "Action": "s3:PutObject",
            "Resource": pulumi.Output.concat(bucket.arn, "/AWSLogs/123456789012/*"),
        }
    ]
    if without != "tls":
        statements.append(
            {
                "Effect": "Deny",
                "Principal": "*",
                "Action": "s3:*",
                "Resource": [bucket.arn, pulumi.Output.concat(bucket.arn, "/*")],
                "Condition": {"Bool": {"aws:SecureTransport": "false"}},
            }
        )
    s3.BucketPolicy(
        "alb-logs",
        bucket=bucket.id,
        policy=pulumi.Output.json_dumps({"Version": "2012-10-17", "Statement": statements}),
    )
    alb = lb.LoadBalancer(
        "web",
        subnets=["subnet-a", "subnet-b"],
        drop_invalid_header_fields=True,
        enable_deletion_protection=True,
        access_logs={"bucket": bucket.bucket, "enabled": without != "access-logs"},
    )
    acl = wafv2.WebAcl(
        "web",
        scope="REGIONAL",
        default_action=wafv2.WebAclDefaultActionArgs(allow=wafv2.WebAclDefaultActionAllowArgs()),
        visibility_config=wafv2.WebAclVisibilityConfigArgs(
            cloudwatch_metrics_enabled=True, metric_name="web", sampled_requests_enabled=True
        ),
        rules=[
            wafv2.WebAclRuleArgs(
                name="common",
                priority=0,
                # The generated empty-block class has an untyped __init__.
                override_action=wafv2.WebAclRuleOverrideActionArgs(none=wafv2.WebAclRuleOverrideActionNoneArgs()),  # type: ignore[no-untyped-call]
                statement=wafv2.WebAclRuleStatementArgs(
                    managed_rule_group_statement=wafv2.WebAclRuleStatementManagedRuleGroupStatementArgs(
                        name="AWSManagedRulesCommonRuleSet", vendor_name="AWS"
                    )
                ),
                visibility_config=wafv2.WebAclRuleVisibilityConfigArgs(
                    cloudwatch_metrics_enabled=True, metric_name="common", sampled_requests_enabled=True
                ),
            )
        ],
    )
    if without != "waf":
        wafv2.WebAclAssociation("web", resource_arn=alb.arn, web_acl_arn=acl.arn)
    secret = secretsmanager.Secret("db", name="team/db")
    if without != "rotation":
        secretsmanager.SecretRotation(
            "db",
            secret_id=secret.id,
            rotation_lambda_arn="arn:aws:lambda:us-west-2:123456789012:function:rotate",
            rotation_rules={"automatically_after_days": 30},
        )
    secretsmanager.Secret(
        "flask", name="team/flask", tags={"rotation-exception": "a signing key: rotating it signs every user out"}
    )
    return {}


EXPECTED = {
    None: set(),
    "block": {("S3.8", "alb-logs")},
    "tls": {("S3.5", "alb-logs")},
    "lifecycle": {("S3.13", "alb-logs")},
    # Without access logs the load balancer fails ELB.5, and the bucket no longer receives logs,
    # so it needs server access logging of its own.
    "access-logs": {("ELB.5", "web"), ("S3.9", "alb-logs")},
    "waf": {("custom", "web")},
    "rotation": {("SecretsManager.1", "db"), ("SecretsManager.4", "db")},
}


@pytest.mark.parametrize("without", list(EXPECTED), ids=[str(k) for k in EXPECTED])
def test_each_piece_of_hardening_satisfies_its_controls(without: str | None) -> None:
    deployment = run_component(lambda: hardened(without))
    found = policy_check.evaluate(deployment, policy_check.resolve_config({"all": "mandatory"}))
    assert {(f.control, f.resource_name) for f in found} == EXPECTED[without]
