"""ApplicationLoadBalancer: what it registers, how the pieces reference each other, what it rejects."""

import itertools
from typing import Any

import pulumi
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pulumi_aws import ec2, ssm

from components.load_balancer import (
    MAX_PATTERNS_PER_RULE,
    MAX_WILDCARDS_PER_RULE,
    TLS_POLICY,
    ApplicationLoadBalancer,
    ApplicationLoadBalancerArgs,
    path_patterns,
    path_regexes,
    rule_groups,
    status_matcher,
    wildcards,
)
from components.testing.engine import Deployment, ProgramError, RegisteredResource
from components.validation import InvalidArgumentError
from tests.harness import rejects, run_component

VPC_ID = "vpc-0123456789abcdef0"
SUBNETS = ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"]
DOMAIN = "app.example.com"
ZONE = "Z0123456789ABCDEFGHIJ"

LB = "aws:lb/loadBalancer:LoadBalancer"
TG = "aws:lb/targetGroup:TargetGroup"
LISTENER = "aws:lb/listener:Listener"
RULE = "aws:lb/listenerRule:ListenerRule"
SG = "aws:ec2/securityGroup:SecurityGroup"
INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"
CERT = "aws:acm/certificate:Certificate"
CERT_VALIDATION = "aws:acm/certificateValidation:CertificateValidation"
RECORD = "aws:route53/record:Record"
WEB_ACL = "aws:wafv2/webAcl:WebAcl"
WEB_ACL_ASSOCIATION = "aws:wafv2/webAclAssociation:WebAclAssociation"

OUTPUTS = (
    "load_balancer_arn",
    "load_balancer_arn_suffix",
    "dns_name",
    "zone_id",
    "security_group_id",
    "target_group_arn",
    "target_group_arn_suffix",
    "target_port",
    "listener_arn",
    "listener_port",
    "http_listener_arn",
    "https_listener_arn",
    "url",
    "certificate_arn",
    "web_acl_arn",
)


def _args(**overrides: Any) -> ApplicationLoadBalancerArgs:
    args: dict[str, Any] = {"vpc_id": VPC_ID, "subnet_ids": SUBNETS, "internal": False, "target_port": 5000}
    args.update(overrides)
    return args  # type: ignore[return-value]  # deliberately loose: tests pass bad values too


def _deploy(name: str = "web", **overrides: Any) -> Deployment:
    def build() -> dict[str, Any]:
        alb = ApplicationLoadBalancer(name, _args(**overrides))
        return {key: getattr(alb, key) for key in OUTPUTS}

    return run_component(build)


def _listener(deployment: Deployment, port: int) -> RegisteredResource:
    found = [r for r in deployment.of_type(LISTENER) if r.inputs["port"] == port]
    assert len(found) == 1, [r.inputs["port"] for r in deployment.of_type(LISTENER)]
    return found[0]


def _ingress(deployment: Deployment) -> set[tuple[int, int, str, str]]:
    sg = deployment.one(SG)
    rules = deployment.of_type(INGRESS)
    assert all(r.inputs["securityGroupId"] == sg.id for r in rules)
    return {(r.inputs["fromPort"], r.inputs["toPort"], r.inputs["ipProtocol"], r.inputs["cidrIpv4"]) for r in rules}


# ---- scheme, security group, load balancer settings ----------------------------------------


def test_internet_facing_admits_the_world_on_port_80_only_and_opens_no_egress() -> None:
    deployment = _deploy()

    alb = deployment.one(LB)
    sg = deployment.one(SG)
    assert alb.inputs["internal"] is False
    assert alb.inputs["subnets"] == SUBNETS
    assert alb.inputs["securityGroups"] == [sg.id]
    assert alb.property_dependencies["securityGroups"] == (sg.urn,)
    assert sg.inputs["vpcId"] == VPC_ID
    # Rules are separate resources only: inline blocks would fight with the ones other components add.
    assert "ingress" not in sg.inputs
    assert "egress" not in sg.inputs
    assert _ingress(deployment) == {(80, 80, "tcp", "0.0.0.0/0")}
    assert deployment.of_type(EGRESS) == []


def test_internal_load_balancer_has_no_ingress_rules_of_its_own() -> None:
    deployment = _deploy(internal=True)

    assert deployment.one(LB).inputs["internal"] is True
    assert deployment.of_type(INGRESS) == []
    assert deployment.of_type(EGRESS) == []


def test_ingress_covers_every_listener_port_from_exactly_the_given_blocks() -> None:
    blocks = ["203.0.113.0/24", "198.51.100.7/32"]
    deployment = _deploy(ingress_cidr_blocks=blocks, domain_name=DOMAIN, hosted_zone_id=ZONE)

    assert _ingress(deployment) == {(port, port, "tcp", cidr) for port in (80, 443) for cidr in blocks}
    assert deployment.of_type(EGRESS) == []


def test_internal_load_balancer_can_admit_given_blocks() -> None:
    deployment = _deploy(internal=True, ingress_cidr_blocks=["10.10.0.0/16"])

    assert _ingress(deployment) == {(80, 80, "tcp", "10.10.0.0/16")}


def test_load_balancer_is_an_ipv4_alb_with_the_foundational_security_settings() -> None:
    alb = _deploy().one(LB)

    assert alb.inputs["loadBalancerType"] == "application"
    assert alb.inputs["ipAddressType"] == "ipv4"
    assert alb.inputs["dropInvalidHeaderFields"] is True  # ELB.4
    assert alb.inputs["desyncMitigationMode"] == "defensive"  # ELB.12
    assert alb.inputs["enableDeletionProtection"] is False  # ELB.6 is the caller's call
    assert alb.inputs["idleTimeout"] == 60
    # Auto-named: a fixed name would block create-before-replace.
    assert alb.outputs["name"].startswith("web-alb-")
    assert len(alb.outputs["name"]) <= 32


def test_deletion_protection_and_idle_timeout_are_passed_through() -> None:
    alb = _deploy(deletion_protection=True, idle_timeout_seconds=120).one(LB)

    assert alb.inputs["enableDeletionProtection"] is True
    assert alb.inputs["idleTimeout"] == 120


def test_every_child_belongs_to_the_component_and_is_named_after_it() -> None:
    deployment = _deploy(
        "public", domain_name=DOMAIN, hosted_zone_id=ZONE, not_found_path_patterns=["/api/*"], tags={"team": "web"}
    )

    component = deployment.one("papyrus:index:ApplicationLoadBalancer", "public")
    children = deployment.children(component)
    assert {r.urn for r in children} == {r.urn for r in deployment} - {component.urn}
    assert all(r.name.startswith("public-") for r in children)
    taggable = [r for r in children if r.type not in {RECORD, CERT_VALIDATION}]
    assert taggable
    assert all(r.inputs["tags"] == {"team": "web"} for r in taggable)


# ---- target group ------------------------------------------------------------------------------


def test_target_group_defaults() -> None:
    tg = _deploy().one(TG)

    assert tg.inputs["targetType"] == "ip"
    assert tg.inputs["port"] == 5000
    assert tg.inputs["protocol"] == "HTTP"
    assert tg.inputs["vpcId"] == VPC_ID
    assert tg.inputs["deregistrationDelay"] == 30
    assert tg.inputs["healthCheck"] == {
        "enabled": True,
        "protocol": "HTTP",
        "port": "traffic-port",
        "path": "/healthz",
        "matcher": "200-399",
        "interval": 15,
        "timeout": 5,
        "healthyThreshold": 2,
        "unhealthyThreshold": 3,
    }
    # Stated off, not left out: an omitted block would leave earlier stickiness on in AWS.
    assert tg.inputs["stickiness"] == {"type": "lb_cookie", "enabled": False}


def test_target_group_takes_the_given_health_check_delay_and_stickiness() -> None:
    tg = _deploy(
        target_port=8080,
        health_check_path="/status?deep=1",
        health_check_matcher="200,204",
        deregistration_delay_seconds=0,
        stickiness_duration_seconds=3600,
    ).one(TG)

    assert tg.inputs["port"] == 8080
    assert tg.inputs["healthCheck"]["path"] == "/status?deep=1"
    assert tg.inputs["healthCheck"]["matcher"] == "200,204"
    assert tg.inputs["deregistrationDelay"] == 0
    assert tg.inputs["stickiness"] == {"type": "lb_cookie", "enabled": True, "cookieDuration": 3600}


# ---- listeners and the 404 rules ---------------------------------------------------------------


def test_http_listener_forwards_to_this_target_group() -> None:
    deployment = _deploy()

    alb, tg, http = deployment.one(LB), deployment.one(TG), _listener(deployment, 80)
    assert len(deployment.of_type(LISTENER)) == 1
    assert http.inputs["protocol"] == "HTTP"
    assert http.inputs["loadBalancerArn"] == alb.id
    assert http.property_dependencies["loadBalancerArn"] == (alb.urn,)
    assert http.inputs["defaultActions"] == [{"type": "forward", "targetGroupArn": tg.id}]
    assert http.property_dependencies["defaultActions"] == (tg.urn,)


def test_not_found_patterns_answer_404_on_the_http_listener_without_a_domain() -> None:
    deployment = _deploy(not_found_path_patterns=["/api/*"])

    http = _listener(deployment, 80)
    rule = deployment.one(RULE)
    assert rule.inputs["listenerArn"] == http.id
    assert rule.property_dependencies["listenerArn"] == (http.urn,)
    assert rule.inputs["priority"] == 1
    assert rule.inputs["conditions"] == [{"pathPattern": {"values": ["/api/*"]}}]
    assert rule.inputs["actions"] == [
        {
            "type": "fixed-response",
            "fixedResponse": {"contentType": "text/plain", "messageBody": "Not Found", "statusCode": "404"},
        }
    ]


def test_not_found_regexes_follow_the_pattern_rules_one_rule_each() -> None:
    regexes = ["^/+(a|%61)(p|%70)(i|%69)(/|%2[Ff]|$)", "^/internal(/|$)"]
    deployment = _deploy(not_found_path_patterns=["/api", "/api/*"], not_found_path_regexes=regexes)

    http = _listener(deployment, 80)
    rules = sorted(deployment.of_type(RULE), key=lambda r: r.inputs["priority"])
    assert [r.inputs["priority"] for r in rules] == [1, 2, 3]
    assert [r.inputs["conditions"] for r in rules] == [
        [{"pathPattern": {"values": ["/api", "/api/*"]}}],
        [{"pathPattern": {"regexValues": [regexes[0]]}}],
        [{"pathPattern": {"regexValues": [regexes[1]]}}],
    ]
    assert {r.inputs["listenerArn"] for r in rules} == {http.id}
    assert {r.inputs["actions"][0]["fixedResponse"]["statusCode"] for r in rules} == {"404"}


@pytest.mark.parametrize(
    "regex",
    ["^/(?=api)", "^/(?!web)", "(?<=x)api", "^/(a)\\1", "^/(?>api)", "^/a++", "^/\\p{L}", "^/(", "", "a" * 129],
)
def test_regexes_alb_does_not_support_are_rejected(regex: str) -> None:
    with pytest.raises(InvalidArgumentError, match="not_found_path_regexes"):
        path_regexes("w", "not_found_path_regexes", [regex])


def test_duplicate_regexes_are_rejected_before_anything_is_registered() -> None:
    def build() -> None:
        ApplicationLoadBalancer("web", _args(not_found_path_regexes=["^/a$", "^/a$"]))

    error = rejects(build)
    assert "not_found_path_regexes" in str(error)


def test_no_rules_without_not_found_patterns() -> None:
    assert _deploy().of_type(RULE) == []


def test_patterns_beyond_one_rule_s_quota_are_split_across_rules_in_priority_order() -> None:
    patterns = [f"/v{i}/*" for i in range(7)]
    deployment = _deploy(not_found_path_patterns=patterns)

    rules = sorted(deployment.of_type(RULE), key=lambda r: r.inputs["priority"])
    http = _listener(deployment, 80)
    assert [r.inputs["priority"] for r in rules] == [1, 2]
    assert [r.inputs["conditions"][0]["pathPattern"]["values"] for r in rules] == [patterns[:5], patterns[5:]]
    assert all(r.inputs["listenerArn"] == http.id for r in rules)


def test_listener_arn_output_carries_the_404_rules_as_dependencies() -> None:
    def build() -> None:
        alb = ApplicationLoadBalancer("web", _args(not_found_path_patterns=["/api/*"]))
        # Stands in for an ECS service or API integration that consumes the listener ARN.
        ssm.Parameter("consumer", type="String", value=alb.listener_arn)

    deployment = run_component(build)

    consumer = deployment.one("aws:ssm/parameter:Parameter")
    http, rule = _listener(deployment, 80), deployment.one(RULE)
    assert consumer.inputs["value"] == http.id
    assert set(consumer.property_dependencies["value"]) == {http.urn, rule.urn}


# ---- custom domain ------------------------------------------------------------------------------


def test_domain_gets_a_dns_validated_certificate_in_the_given_zone() -> None:
    deployment = _deploy(domain_name=DOMAIN, hosted_zone_id=ZONE)

    cert = deployment.one(CERT)
    record = deployment.one(RECORD, "web-validation")
    validation = deployment.one(CERT_VALIDATION)
    option = cert.outputs["domainValidationOptions"][0]
    assert cert.inputs["domainName"] == DOMAIN
    assert cert.inputs["validationMethod"] == "DNS"
    assert record.inputs["zoneId"] == ZONE
    assert record.inputs["name"] == option["resourceRecordName"]
    assert record.inputs["type"] == option["resourceRecordType"] == "CNAME"
    assert record.inputs["records"] == [option["resourceRecordValue"]]
    assert record.property_dependencies["name"] == (cert.urn,)
    assert validation.inputs["certificateArn"] == cert.id
    assert validation.property_dependencies["certificateArn"] == (cert.urn,)
    assert validation.inputs["validationRecordFqdns"] == [record.outputs["fqdn"]]
    assert validation.property_dependencies["validationRecordFqdns"] == (record.urn,)


def test_domain_serves_https_with_the_validated_certificate_and_redirects_http() -> None:
    deployment = _deploy(domain_name=DOMAIN, hosted_zone_id=ZONE, not_found_path_patterns=["/api/*"])

    alb, tg = deployment.one(LB), deployment.one(TG)
    cert, validation = deployment.one(CERT), deployment.one(CERT_VALIDATION)
    http, https = _listener(deployment, 80), _listener(deployment, 443)
    assert https.inputs["protocol"] == "HTTPS"
    assert https.inputs["sslPolicy"] == TLS_POLICY == "ELBSecurityPolicy-TLS13-1-2-2021-06"
    assert https.inputs["loadBalancerArn"] == alb.id
    assert https.inputs["certificateArn"] == cert.id
    # Taken from the validation, so the listener waits until ACM has issued the certificate.
    assert https.property_dependencies["certificateArn"] == (validation.urn,)
    assert https.inputs["defaultActions"] == [{"type": "forward", "targetGroupArn": tg.id}]
    assert http.inputs["defaultActions"] == [
        {"type": "redirect", "redirect": {"protocol": "HTTPS", "port": "443", "statusCode": "HTTP_301"}}
    ]
    rule = deployment.one(RULE)
    assert rule.inputs["listenerArn"] == https.id
    assert rule.property_dependencies["listenerArn"] == (https.urn,)


def test_domain_gets_an_alias_record_to_the_load_balancer() -> None:
    deployment = _deploy(domain_name=DOMAIN, hosted_zone_id=ZONE)

    alb = deployment.one(LB)
    alias = deployment.one(RECORD, "web-alias")
    assert alias.inputs["zoneId"] == ZONE
    assert alias.inputs["name"] == DOMAIN
    assert alias.inputs["type"] == "A"
    assert alias.inputs["aliases"] == [
        {"name": alb.outputs["dnsName"], "zoneId": alb.outputs["zoneId"], "evaluateTargetHealth": True}
    ]
    assert alias.property_dependencies["aliases"] == (alb.urn,)


def test_alias_record_can_be_left_out_while_the_certificate_stays() -> None:
    deployment = _deploy(internal=True, domain_name=DOMAIN, hosted_zone_id=ZONE, alias_record=False)

    assert [r.name for r in deployment.of_type(RECORD)] == ["web-validation"]
    assert deployment.one(CERT).inputs["domainName"] == DOMAIN
    assert _listener(deployment, 443).inputs["protocol"] == "HTTPS"
    assert deployment.outputs["url"] == f"https://{DOMAIN}"


def test_hosted_zone_id_may_be_an_output() -> None:
    def build() -> None:
        zone = pulumi.Output.from_input(ZONE)
        ApplicationLoadBalancer("web", _args(domain_name=DOMAIN, hosted_zone_id=zone))

    deployment = run_component(build)
    assert {r.inputs["zoneId"] for r in deployment.of_type(RECORD)} == {ZONE}


# ---- outputs --------------------------------------------------------------------------------------


def test_outputs_without_a_domain() -> None:
    deployment = _deploy(not_found_path_patterns=["/api/*"])

    alb, tg, sg, http = deployment.one(LB), deployment.one(TG), deployment.one(SG), _listener(deployment, 80)
    assert deployment.outputs == {
        "load_balancer_arn": alb.id,
        "load_balancer_arn_suffix": alb.outputs["arnSuffix"],
        "dns_name": alb.outputs["dnsName"],
        "zone_id": alb.outputs["zoneId"],
        "security_group_id": sg.id,
        "target_group_arn": tg.id,
        "target_group_arn_suffix": tg.outputs["arnSuffix"],
        "target_port": 5000,
        "listener_arn": http.id,
        "listener_port": 80,
        "http_listener_arn": http.id,
        "url": "http://" + alb.outputs["dnsName"],
    }  # https_listener_arn, certificate_arn and web_acl_arn are None: Pulumi records no output for None.
    # The suffixes are the CloudWatch dimensions: the ends of the ARNs.
    assert alb.id.endswith(":loadbalancer/" + deployment.outputs["load_balancer_arn_suffix"])
    assert tg.id.endswith(":" + deployment.outputs["target_group_arn_suffix"])
    assert deployment.outputs["target_port"] == tg.inputs["port"]
    assert deployment.outputs["listener_port"] == http.inputs["port"]


def test_outputs_with_a_domain() -> None:
    deployment = _deploy(domain_name=DOMAIN, hosted_zone_id=ZONE)

    http, https, cert = _listener(deployment, 80), _listener(deployment, 443), deployment.one(CERT)
    assert deployment.outputs["url"] == "https://app.example.com"
    assert deployment.outputs["listener_arn"] == https.id
    assert deployment.outputs["listener_port"] == https.inputs["port"] == 443
    assert deployment.outputs["http_listener_arn"] == http.id
    assert deployment.outputs["https_listener_arn"] == https.id
    assert deployment.outputs["certificate_arn"] == cert.id


# ---- access logs and web ACL --------------------------------------------------------------------


def test_no_access_logs_and_no_web_acl_by_default() -> None:
    deployment = _deploy()
    assert "accessLogs" not in deployment.one(LB).inputs
    assert deployment.of_type(WEB_ACL) == []
    assert deployment.of_type(WEB_ACL_ASSOCIATION) == []


def test_access_logs_go_to_the_bucket_under_the_component_name_or_the_given_prefix() -> None:
    assert _deploy(access_log_bucket="papyrus-logs").one(LB).inputs["accessLogs"] == {
        "bucket": "papyrus-logs",
        "prefix": "web",
        "enabled": True,
    }
    logs = _deploy(access_log_bucket="papyrus-logs", access_log_prefix="alb/web").one(LB).inputs["accessLogs"]
    assert logs["prefix"] == "alb/web"


def test_web_acl_rate_limits_and_applies_the_aws_managed_rule_groups_to_this_load_balancer() -> None:
    deployment = _deploy(web_acl=True)

    acl = deployment.one(WEB_ACL)
    association = deployment.one(WEB_ACL_ASSOCIATION)
    alb = deployment.one(LB)
    assert association.inputs == {"resourceArn": alb.outputs["arn"], "webAclArn": acl.outputs["arn"]}
    assert deployment.outputs["web_acl_arn"] == acl.outputs["arn"]
    assert acl.inputs["scope"] == "REGIONAL"
    assert acl.inputs["defaultAction"] == {"allow": {}}
    assert acl.inputs["visibilityConfig"] == {
        "cloudwatchMetricsEnabled": True,
        "metricName": "web-waf",
        "sampledRequestsEnabled": True,
    }
    rules = acl.inputs["rules"]
    assert [(r["priority"], r["name"]) for r in rules] == [
        (0, "rate-limit"),
        (1, "ip-reputation"),
        (2, "known-bad-inputs"),
        (3, "common"),
    ]
    assert rules[0]["action"] == {"block": {}}
    assert rules[0]["statement"] == {
        "rateBasedStatement": {"limit": 2000, "aggregateKeyType": "IP", "evaluationWindowSec": 300}
    }
    assert [r["statement"]["managedRuleGroupStatement"] for r in rules[1:]] == [
        {"vendorName": "AWS", "name": "AWSManagedRulesAmazonIpReputationList"},
        {"vendorName": "AWS", "name": "AWSManagedRulesKnownBadInputsRuleSet"},
        {"vendorName": "AWS", "name": "AWSManagedRulesCommonRuleSet"},
    ]
    # Managed groups keep their own block actions; nothing is left in count mode.
    assert all(r["overrideAction"] == {"none": {}} for r in rules[1:])
    for rule in rules:
        assert rule["visibilityConfig"] == {
            "cloudwatchMetricsEnabled": True,
            "metricName": f"web-waf-{rule['name']}",
            "sampledRequestsEnabled": True,
        }
    # Within the 1,500 WCUs the base price includes.
    assert acl.outputs["capacity"] == 927


def test_web_acl_rate_limit_is_configurable() -> None:
    [rate, *_] = _deploy(web_acl=True, web_acl_rate_limit=500).one(WEB_ACL).inputs["rules"]
    assert rate["statement"]["rateBasedStatement"]["limit"] == 500


@pytest.mark.parametrize(
    ("overrides", "key", "shown"),
    [
        ({"alias_record": False}, "alias_record", "False"),
        ({"access_log_prefix": "web"}, "access_log_prefix", "'web'"),
        ({"web_acl_rate_limit": 500}, "web_acl_rate_limit", "500"),
        ({"web_acl": False, "web_acl_rate_limit": 500}, "web_acl_rate_limit", "500"),
        ({"access_log_bucket": "Papyrus_Logs"}, "access_log_bucket", "'Papyrus_Logs'"),
        ({"access_log_bucket": "logs", "access_log_prefix": "AWSLogs"}, "access_log_prefix", "'AWSLogs'"),
        ({"access_log_bucket": "logs", "access_log_prefix": "/web"}, "access_log_prefix", "'/web'"),
        ({"web_acl": True, "web_acl_rate_limit": 9}, "web_acl_rate_limit", "9"),
        ({"web_acl": True, "web_acl_rate_limit": 2_000_000_001}, "web_acl_rate_limit", "2000000001"),
        ({"web_acl": "yes"}, "web_acl", "'yes'"),
    ],
)
def test_rejects_logging_and_firewall_settings_naming_them(overrides: dict[str, Any], key: str, shown: str) -> None:
    message = _rejected(**overrides)
    assert f"invalid {key}={shown};" in message


def test_a_refinement_without_its_argument_says_which_argument_it_needs() -> None:
    assert "no value unless domain_name is set" in _rejected(alias_record=True)
    assert "no value unless web_acl is set" in _rejected(web_acl_rate_limit=100)


# ---- subnets --------------------------------------------------------------------------------------


def test_subnets_may_be_outputs_of_other_resources() -> None:
    def build() -> None:
        vpc = ec2.Vpc("net", cidr_block="10.0.0.0/16")
        subnets = [
            ec2.Subnet(f"net-{zone}", vpc_id=vpc.id, cidr_block=f"10.0.{i}.0/24", availability_zone=f"us-west-2{zone}")
            for i, zone in enumerate("ab")
        ]
        ApplicationLoadBalancer("web", _args(vpc_id=vpc.id, subnet_ids=[s.id for s in subnets]))

    deployment = run_component(build)

    alb = deployment.one(LB)
    subnets = deployment.of_type("aws:ec2/subnet:Subnet")
    assert alb.inputs["subnets"] == [s.id for s in subnets]
    assert set(alb.property_dependencies["subnets"]) == {s.urn for s in subnets}
    assert deployment.one(SG).inputs["vpcId"] == deployment.one("aws:ec2/vpc:Vpc").id


def test_a_subnet_list_output_is_counted_once_it_resolves() -> None:
    def build() -> None:
        ApplicationLoadBalancer("web", _args(subnet_ids=pulumi.Output.from_input(SUBNETS[:1])))

    with pytest.raises(ProgramError) as caught:
        run_component(build)
    assert isinstance(caught.value.error, InvalidArgumentError)
    assert caught.value.error.key == "subnet_ids"
    assert "subnet_ids=['subnet-0123456789abcdef0']" in str(caught.value.error)


# ---- rejections --------------------------------------------------------------------------------------


def _rejected(name: str = "web", **overrides: Any) -> str:
    def build() -> None:
        ApplicationLoadBalancer(name, _args(**overrides))

    error = rejects(build)
    assert isinstance(error, InvalidArgumentError), error
    return str(error)


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("subnet_ids", SUBNETS[:1]),
        ("subnet_ids", [SUBNETS[0], SUBNETS[0]]),
        ("subnet_ids", "subnet-0123456789abcdef0"),
        ("vpc_id", "vpc-123"),
        ("target_port", 0),
        ("target_port", 65536),
        ("target_port", True),
        ("health_check_matcher", "199"),
        ("health_check_matcher", "500"),
        ("health_check_matcher", "200-"),
        ("health_check_matcher", "399-200"),
        ("health_check_matcher", "200,300-399"),
        ("health_check_matcher", "200,200"),
        ("health_check_path", "healthz"),
        ("health_check_path", "/health check"),
        ("ingress_cidr_blocks", ["0.0.0.0/0", "0.0.0.0/0"]),
        ("ingress_cidr_blocks", "0.0.0.0/0"),
        ("deregistration_delay_seconds", -1),
        ("deregistration_delay_seconds", 3601),
        ("stickiness_duration_seconds", 0),
        ("stickiness_duration_seconds", 604801),
        ("idle_timeout_seconds", 0),
        ("idle_timeout_seconds", 4001),
        ("deletion_protection", "yes"),
        ("internal", "false"),
    ],
)
def test_rejects_bad_values_naming_argument_and_value(key: str, value: Any) -> None:
    message = _rejected(**{key: value})
    assert f"invalid {key}={value!r};" in message


def test_rejects_a_malformed_subnet_id_naming_it() -> None:
    message = _rejected(subnet_ids=[SUBNETS[0], "subnet-2"])
    assert "invalid subnet_ids='subnet-2';" in message


@pytest.mark.parametrize("cidr", ["10.0.0.1/16", "2001:db8::/32", "10.0.0.0", "any"])
def test_rejects_a_bad_cidr_block_naming_it(cidr: str) -> None:
    message = _rejected(ingress_cidr_blocks=["203.0.113.0/24", cidr])
    assert f"invalid ingress_cidr_blocks={cidr!r};" in message


def test_rejects_a_reserved_tag_key_naming_it() -> None:
    message = _rejected(tags={"team": "web", "aws:owner": "me"})
    assert "invalid tags='aws:owner';" in message


@pytest.mark.parametrize("pattern", ["api/*", "/a b", "/" + "a" * 128, "/a*b*c*d*e*f?", "/api/[x]"])
def test_rejects_bad_path_patterns_naming_the_pattern(pattern: str) -> None:
    message = _rejected(not_found_path_patterns=["/ok/*", pattern])
    assert f"invalid not_found_path_patterns={pattern!r}" in message


def test_rejects_a_repeated_path_pattern() -> None:
    message = _rejected(not_found_path_patterns=["/api/*", "/api/*"])
    assert "invalid not_found_path_patterns=['/api/*', '/api/*']" in message


@pytest.mark.parametrize("domain", ["https://app.example.com", "App.Example.com", "localhost", "app.example.com/"])
def test_rejects_an_invalid_domain_name(domain: str) -> None:
    message = _rejected(domain_name=domain, hosted_zone_id=ZONE)
    assert f"invalid domain_name={domain!r}" in message


def test_rejects_a_domain_without_a_hosted_zone() -> None:
    message = _rejected(domain_name=DOMAIN)
    assert "invalid hosted_zone_id=None" in message
    assert repr(DOMAIN) in message


def test_rejects_a_hosted_zone_without_a_domain() -> None:
    message = _rejected(hosted_zone_id=ZONE)
    assert "invalid domain_name=None" in message


def test_rejects_a_malformed_hosted_zone_id() -> None:
    message = _rejected(domain_name=DOMAIN, hosted_zone_id="example.com")
    assert "invalid hosted_zone_id='example.com'" in message


def test_rejects_missing_required_arguments() -> None:
    def build() -> None:
        args: Any = {"vpc_id": VPC_ID, "subnet_ids": SUBNETS, "target_port": 5000}
        ApplicationLoadBalancer("web", args)

    error = rejects(build)
    assert "invalid internal=None" in str(error)


def test_rejects_an_unknown_argument() -> None:
    message = _rejected(health_check_pth="/healthz")
    assert "invalid health_check_pth='/healthz'" in message


@pytest.mark.parametrize("name", ["a" * 21, "web_app", "-web", "internal", "sg", "sg-web"])
def test_rejects_names_aws_would_refuse_for_the_auto_named_children(name: str) -> None:
    message = _rejected(name)
    assert f"invalid name={name!r}" in message


def test_accepts_the_longest_name_within_aws_s_32_character_limit() -> None:
    deployment = _deploy("a" * 20)
    assert all(len(deployment.one(t).outputs["name"]) <= 32 for t in (LB, TG))


# ---- pure rules --------------------------------------------------------------------------------------


@pytest.mark.parametrize("matcher", ["200", "200-399", "200,204", "200,201,302", "200-499", "404"])
def test_status_matcher_accepts_lists_and_ranges(matcher: str) -> None:
    assert status_matcher("t", "m", matcher) == matcher


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(min_value=200, max_value=499), min_size=1, max_size=8, unique=True))
def test_status_matcher_accepts_any_list_of_distinct_codes_in_range(codes: list[int]) -> None:
    matcher = ",".join(map(str, codes))
    assert status_matcher("t", "m", matcher) == matcher


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=100, max_value=999), st.integers(min_value=100, max_value=999))
def test_status_matcher_accepts_a_range_only_inside_200_to_499_and_ascending(low: int, high: int) -> None:
    matcher = f"{low}-{high}"
    if 200 <= low < high <= 499:
        assert status_matcher("t", "m", matcher) == matcher
    else:
        with pytest.raises(InvalidArgumentError, match="invalid m="):
            status_matcher("t", "m", matcher)


_PATTERN = st.text(alphabet="/abc*?", min_size=1, max_size=12).map(lambda s: "/" + s)


@settings(max_examples=200, deadline=None)
@given(st.lists(_PATTERN, max_size=20))
def test_rule_groups_keep_order_and_fill_each_rule_within_the_quotas(patterns: list[str]) -> None:
    patterns = [p for p in dict.fromkeys(patterns) if wildcards(p) <= MAX_WILDCARDS_PER_RULE]
    groups = rule_groups(patterns)

    assert [p for group in groups for p in group] == patterns
    for group in groups:
        assert 1 <= len(group) <= MAX_PATTERNS_PER_RULE
        assert sum(map(wildcards, group)) <= MAX_WILDCARDS_PER_RULE
    for before, after in itertools.pairwise(groups):
        # The next rule starts only when its first pattern could not join the one before.
        assert (
            len(before) == MAX_PATTERNS_PER_RULE
            or sum(map(wildcards, before)) + wildcards(after[0]) > MAX_WILDCARDS_PER_RULE
        )


def test_rule_groups_split_on_the_wildcard_quota_before_the_value_quota() -> None:
    assert rule_groups(["/a/*/*", "/b/*/*", "/c/*", "/d", "/e/*"]) == (
        ("/a/*/*", "/b/*/*", "/c/*", "/d"),
        ("/e/*",),
    )


def test_path_patterns_accept_what_alb_documents() -> None:
    documented = ["/img/*", "/img/*/pics", "*.jpg", "/a-b_c.d$e~f'g\"h@i:j+k&l?"]
    assert path_patterns("t", "p", documented) == tuple(documented)
