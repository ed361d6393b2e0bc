"""AWS WAF: WAF.10, and a web ACL on every internet-facing Application Load Balancer.

FSBP has no control that requires WAF on a load balancer. Security Hub's closest is ELB.16
("Application Load Balancers should be associated with an AWS WAF web ACL", AWS Config rule
`alb-waf-enabled`), which belongs to the NIST SP 800-53 standard and checks every ALB. This
pack's policy is scoped to internet-facing ALBs and named as its own check: an internal ALB
reached only through a VPC link or from inside the VPC is not where web traffic arrives (and
an HTTP API, which fronts it here, cannot take a web ACL).
"""

import json
from collections.abc import Iterator, Mapping
from typing import Any

from pulumi_policy import PolicyResource, StackValidationArgs

from .core import CUSTOM, Policy, stack_policy
from .elb import APPLICATION, LOAD_BALANCER_TYPES, internet_facing, kind
from .props import UNKNOWN, as_list, known
from .stack import referrers, resources_of

WEB_ACL = "aws:wafv2/webAcl:WebAcl"
WEB_ACL_RULE_TYPES = (
    "aws:wafv2/webAclRule:WebAclRule",
    "aws:wafv2/webAclRuleGroupAssociation:WebAclRuleGroupAssociation",
)
ASSOCIATION_TYPES = (
    "aws:wafv2/webAclAssociation:WebAclAssociation",
    "aws:wafregional/webAclAssociation:WebAclAssociation",
)


def _rule_json_rules(value: Any) -> int:
    if not isinstance(value, str) or not value.strip():
        return 0
    try:
        parsed = json.loads(value)
    except ValueError:
        return 0
    return len(parsed) if isinstance(parsed, list) else 0


def _web_acl_not_empty(args: StackValidationArgs, _: Mapping[str, Any]) -> Iterator[tuple[PolicyResource, str]]:
    for acl in resources_of(args, [WEB_ACL]):
        rules = known(acl.props, "rules")
        rule_json = known(acl.props, "ruleJson")
        if rules is UNKNOWN or rule_json is UNKNOWN:
            continue
        if as_list(rules) or _rule_json_rules(rule_json):
            continue
        if referrers(args, WEB_ACL_RULE_TYPES, ("webAclArn",), acl, ("arn", "id")):
            continue
        yield acl, "the web ACL has no rule or rule group: every request gets its default action unexamined"


def _internet_facing_alb_waf(args: StackValidationArgs, _: Mapping[str, Any]) -> Iterator[tuple[PolicyResource, str]]:
    for lb in resources_of(args, LOAD_BALANCER_TYPES):
        props = {"loadBalancerType": known(lb.props, "loadBalancerType"), "internal": known(lb.props, "internal")}
        if UNKNOWN in props.values() or kind(props) != APPLICATION or not internet_facing(props):
            continue
        if not referrers(args, ASSOCIATION_TYPES, ("resourceArn",), lb, ("id", "arn")):
            yield lb, "the internet-facing load balancer has no AWS WAF web ACL associated"


POLICIES: list[Policy] = [
    stack_policy(
        name="waf-10-web-acl-not-empty",
        control="WAF.10",
        title="AWS WAF web ACLs should have at least one rule or rule group",
        check=_web_acl_not_empty,
        remediation="Add rules to the web ACL (AWS managed rule groups, a rate-based rule).",
    ),
    stack_policy(
        name="custom-alb-waf-internet-facing",
        control=CUSTOM,
        title="Internet-facing Application Load Balancers should be associated with an AWS WAF web ACL "
        "(Security Hub ELB.16 / Config alb-waf-enabled, scoped to internet-facing ALBs; not an FSBP control)",
        check=_internet_facing_alb_waf,
        remediation="Create an aws.wafv2.WebAcl (scope REGIONAL) with managed rule groups and a rate limit, and an "
        "aws.wafv2.WebAclAssociation with the load balancer's ARN.",
    ),
]
