"""The AWS WAF web ACL that `ApplicationLoadBalancer` puts in front of a load balancer.

HTTP APIs cannot take a web ACL, so the internet-facing load balancer is where a WAF goes.
The rules are the ones AWS recommends as a baseline for any web application, all free of
subscription fees: three AWS managed rule groups and a per-IP rate limit. Everything here is
plain data, so the rule set has exact-value tests and the policy pack can read it.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from components.validation import InvalidArgumentError

if TYPE_CHECKING:
    # The WAF SDK takes over a second to import; only the annotations here name it.
    from pulumi_aws import wafv2

# (rule name, managed rule group), in evaluation order after the rate limit. The IP reputation
# list is cheapest (25 WCUs) and drops known-bad sources before anything inspects their bodies.
MANAGED_RULE_GROUPS: tuple[tuple[str, str], ...] = (
    ("ip-reputation", "AWSManagedRulesAmazonIpReputationList"),
    ("known-bad-inputs", "AWSManagedRulesKnownBadInputsRuleSet"),
    ("common", "AWSManagedRulesCommonRuleSet"),
)
RATE_LIMIT_RULE = "rate-limit"
# Requests one client IP may send in any 5-minute window before it is blocked (until its rate
# falls below the limit again): about 6.7 requests a second, well above a person using a web app.
DEFAULT_RATE_LIMIT = 2000
MIN_RATE_LIMIT = 10
MAX_RATE_LIMIT = 2_000_000_000
RATE_LIMIT_WINDOW_SECONDS = 300

# CloudWatch metric names WAF accepts: letters, digits, hyphens and underscores, 1 to 128.
_METRIC_NAME = re.compile(r"[A-Za-z0-9_-]{1,128}")


def rate_limit(at: str, key: str, value: Any) -> int:
    """A rate-based rule's limit: requests per client IP per 5 minutes."""
    if isinstance(value, bool) or not isinstance(value, int) or not MIN_RATE_LIMIT <= value <= MAX_RATE_LIMIT:
        raise InvalidArgumentError(
            at,
            key,
            value,
            f"an integer from {MIN_RATE_LIMIT} to {MAX_RATE_LIMIT}: requests one client IP may send per 5 minutes",
        )
    return value


def visibility(metric_name: str) -> wafv2.WebAclVisibilityConfigArgsDict:
    """CloudWatch metrics and sampled requests on, under `metric_name` (WAF.12)."""
    if not _METRIC_NAME.fullmatch(metric_name):
        raise ValueError(f"not a WAF metric name: {metric_name!r}")
    return {"cloudwatch_metrics_enabled": True, "metric_name": metric_name, "sampled_requests_enabled": True}


def web_acl_rules(metric_prefix: str, limit: int) -> list[wafv2.WebAclRuleArgsDict]:
    """The web ACL's rules: the rate limit first, then the managed rule groups (priorities 0..3).

    Managed groups keep their own actions (`override_action: none`), so they block what AWS
    designed them to block; the rate-based rule blocks a client IP above `limit` requests
    in any 5-minute window.
    """
    rules: list[wafv2.WebAclRuleArgsDict] = [
        {
            "name": RATE_LIMIT_RULE,
            "priority": 0,
            "action": {"block": {}},
            "statement": {
                "rate_based_statement": {
                    "limit": limit,
                    "aggregate_key_type": "IP",
                    "evaluation_window_sec": RATE_LIMIT_WINDOW_SECONDS,
                }
            },
            "visibility_config": visibility(f"{metric_prefix}-{RATE_LIMIT_RULE}"),
        }
    ]
    for priority, (rule, group) in enumerate(MANAGED_RULE_GROUPS, start=1):
        rules.append(
            {
                "name": rule,
                "priority": priority,
                "override_action": {"none": {}},
                "statement": {"managed_rule_group_statement": {"vendor_name": "AWS", "name": group}},
                "visibility_config": visibility(f"{metric_prefix}-{rule}"),
            }
        )
    return rules
