"""Issue 12: the whole program's production security posture, on awaited inputs.

prd as committed (its marked example domain) and prd with another domain must both sign users
in over HTTPS only, keep the JWT encrypted on the internal hop, log load balancer access to a
locked-down bucket, put a web ACL in front of the public load balancer, keep and protect every
log group for a year, and open nothing to 0.0.0.0/0 but tcp/443. A protected stack without a
domain is refused before anything registers.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from components.testing.engine import Deployment, RegisteredResource
from components.testing.mocks import ACCOUNT_ID
from tests.harness import run_stack, stack_rejects

OTHER_DOMAIN = ("domainName=papyrus.example.com", "hostedZoneId=Z0123456789ABCDEFGHIJ")
PROTECTED = {"prd": ("prd",), "prd-domain": ("prd", *OTHER_DOMAIN)}
DOMAINS = {"prd": "app.papyrus.example.com", "prd-domain": "papyrus.example.com"}
ZONES = {"prd": "Z00EXAMPLEREPLACEME00", "prd-domain": "Z0123456789ABCDEFGHIJ"}
# The contract with the policy pack: a rotation exception is a short sentence of tag-value characters.
ROTATION_REASON = re.compile(r"[A-Za-z0-9_.:/=+\-@](?:[A-Za-z0-9 _.:/=+\-@]{0,254}[A-Za-z0-9_.:/=+\-@])?")

LISTENER = "aws:lb/listener:Listener"
LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"


@pytest.fixture(params=list(PROTECTED), scope="module")
def variant(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="module")
def protected(variant: str) -> Deployment:
    return run_stack(*PROTECTED[variant])


def component(d: Deployment, name: str) -> RegisteredResource:
    return next(r for r in d.children(d.stack_urn) if r.name == name and not r.custom)


def child(d: Deployment, parent: str, type_: str, name: str | None = None) -> RegisteredResource:
    found = [r for r in d.descendants(component(d, parent)) if r.type == type_ and name in (None, r.name)]
    assert len(found) == 1, f"{parent}: {type_} {name}: {[r.name for r in found]}"
    return found[0]


# ---- 1. HTTPS wherever a user signs in --------------------------------------------------------


def test_users_sign_in_over_https_only(protected: Deployment, variant: str) -> None:
    base = f"https://{DOMAINS[variant]}"
    client = child(protected, "auth0", "auth0:index/client:Client")
    assert client.inputs["callbacks"] == [f"{base}/callback"]
    assert client.inputs["allowedLogoutUrls"] == [f"{base}/logout", base]
    assert client.inputs["webOrigins"] == [base]
    callback = child(protected, "app-config", "aws:ssm/parameter:Parameter", "app-config-param-AUTH0_CALLBACK_URL")
    assert callback.inputs["insecureValue"] == f"{base}/callback"
    assert protected.outputs["webUrl"] == base
    assert protected.outputs["callbackUrl"] == f"{base}/callback"


def test_plain_http_listeners_only_redirect_on_both_load_balancers(protected: Deployment) -> None:
    for alb in ("web", "api"):
        http = child(protected, alb, LISTENER, f"{alb}-http")
        assert http.inputs["port"] == 80
        assert http.inputs["defaultActions"] == [
            {"type": "redirect", "redirect": {"protocol": "HTTPS", "port": "443", "statusCode": "HTTP_301"}}
        ]


def test_the_internal_hop_is_https_with_the_server_name_verified(protected: Deployment, variant: str) -> None:
    internal_name = f"internal-api.{DOMAINS[variant]}"
    https = child(protected, "api", LISTENER, "api-https")
    cert = child(protected, "api", "aws:acm/certificate:Certificate")
    validation = child(protected, "api", "aws:route53/record:Record", "api-validation")
    assert (https.inputs["port"], https.inputs["protocol"]) == (443, "HTTPS")
    assert https.inputs["sslPolicy"] == "ELBSecurityPolicy-TLS13-1-2-2021-06"
    assert https.inputs["certificateArn"] == cert.outputs["arn"]
    assert (cert.inputs["domainName"], cert.inputs["validationMethod"]) == (internal_name, "DNS")
    assert validation.inputs["zoneId"] == ZONES[variant]
    # No alias: the internal name only has to match the certificate; the link targets the listener.
    assert [r.name for r in protected.descendants(component(protected, "api")) if r.name == "api-alias"] == []
    # Health checks still reach the container over plain HTTP inside the VPC.
    target_group = child(protected, "api", "aws:lb/targetGroup:TargetGroup")
    assert (target_group.inputs["protocol"], target_group.inputs["healthCheck"]["protocol"]) == ("HTTP", "HTTP")

    integration = child(protected, "http-api", "aws:apigatewayv2/integration:Integration")
    assert integration.inputs["integrationUri"] == https.outputs["arn"]
    assert integration.inputs["tlsConfig"] == {"serverNameToVerify": internal_name}


def test_the_vpc_link_reaches_the_internal_load_balancer_on_443_only(protected: Deployment) -> None:
    link_group = child(protected, "http-api", "aws:ec2/securityGroup:SecurityGroup")
    api_group = child(protected, "api", "aws:ec2/securityGroup:SecurityGroup")
    egress = [r for r in protected.of_type(EGRESS) if r.inputs["securityGroupId"] == link_group.id]
    ingress = [
        r
        for r in protected.of_type("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
        if r.inputs["securityGroupId"] == api_group.id
    ]
    assert [(r.inputs["referencedSecurityGroupId"], r.inputs["fromPort"], r.inputs["toPort"]) for r in egress] == [
        (api_group.id, 443, 443)
    ]
    assert [(r.inputs["referencedSecurityGroupId"], r.inputs["fromPort"], r.inputs["toPort"]) for r in ingress] == [
        (link_group.id, 443, 443)
    ]


def test_a_protected_stack_without_https_is_refused_before_anything_registers() -> None:
    error = stack_rejects("prd", "domainName=", "hostedZoneId=")
    message = str(error)
    assert message.startswith("stack 'prd' config: invalid domainName=None; expected a domain served over HTTPS")
    assert "protect=true" in message
    assert "\n" not in message


def test_dev_without_a_domain_stays_on_plain_http() -> None:
    dev = run_stack("dev")
    assert dev.outputs["webUrl"].startswith("http://")
    assert "tlsConfig" not in child(dev, "http-api", "aws:apigatewayv2/integration:Integration").inputs
    assert [r.inputs["port"] for r in dev.of_type(LISTENER)] == [80, 80]


# ---- 2. load balancer access logs (ELB.5) -----------------------------------------------------------


def test_both_load_balancers_log_to_the_locked_down_bucket(protected: Deployment) -> None:
    bucket = child(protected, "alb-logs", "aws:s3/bucket:Bucket")
    for alb, prefix in (("web", "web"), ("api", "api")):
        load_balancer = child(protected, alb, "aws:lb/loadBalancer:LoadBalancer")
        assert load_balancer.inputs["accessLogs"] == {"bucket": bucket.id, "prefix": prefix, "enabled": True}
    assert bucket.protect
    assert bucket.inputs["forceDestroy"] is False

    arn = bucket.outputs["arn"]
    policy = json.loads(child(protected, "alb-logs", "aws:s3/bucketPolicy:BucketPolicy").inputs["policy"])
    deny, allow = policy["Statement"]
    assert (deny["Effect"], deny["Principal"], deny["Action"]) == ("Deny", "*", "s3:*")
    assert deny["Resource"] == [arn, f"{arn}/*"]
    assert deny["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    assert allow["Principal"] == {"Service": "logdelivery.elasticloadbalancing.amazonaws.com"}
    assert allow["Action"] == "s3:PutObject"
    assert allow["Resource"] == [f"{arn}/web/AWSLogs/{ACCOUNT_ID}/*", f"{arn}/api/AWSLogs/{ACCOUNT_ID}/*"]

    block = child(protected, "alb-logs", "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock").inputs
    assert all(
        block[k] is True for k in ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")
    )
    ownership = child(protected, "alb-logs", "aws:s3/bucketOwnershipControls:BucketOwnershipControls")
    assert ownership.inputs["rule"] == {"objectOwnership": "BucketOwnerEnforced"}
    encryption = child(
        protected,
        "alb-logs",
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    )
    assert encryption.inputs["rules"] == [{"applyServerSideEncryptionByDefault": {"sseAlgorithm": "AES256"}}]
    [rule] = child(protected, "alb-logs", "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration").inputs[
        "rules"
    ]
    assert (rule["status"], rule["filter"], rule["expiration"]) == ("Enabled", {}, {"days": 365})


def test_dev_keeps_no_access_logs() -> None:
    dev = run_stack("dev")
    assert dev.of_type("aws:s3/bucket:Bucket") == []
    assert all("accessLogs" not in r.inputs for r in dev.of_type("aws:lb/loadBalancer:LoadBalancer"))


# ---- 3. the web ACL on the public load balancer --------------------------------------------------


def test_the_public_load_balancer_sits_behind_the_web_acl(protected: Deployment) -> None:
    acl = child(protected, "web", "aws:wafv2/webAcl:WebAcl")
    association = child(protected, "web", "aws:wafv2/webAclAssociation:WebAclAssociation")
    web_alb = child(protected, "web", "aws:lb/loadBalancer:LoadBalancer")
    assert association.inputs == {"resourceArn": web_alb.outputs["arn"], "webAclArn": acl.outputs["arn"]}
    groups = [r["statement"].get("managedRuleGroupStatement", {}).get("name") for r in acl.inputs["rules"]]
    assert groups == [
        None,
        "AWSManagedRulesAmazonIpReputationList",
        "AWSManagedRulesKnownBadInputsRuleSet",
        "AWSManagedRulesCommonRuleSet",
    ]
    assert acl.inputs["rules"][0]["statement"]["rateBasedStatement"]["limit"] == 2000
    # HTTP APIs cannot take a web ACL; the internal load balancer is reached only through the API.
    assert [r.name for r in protected.of_type("aws:wafv2/webAcl:WebAcl")] == ["web-waf"]
    assert run_stack("dev").of_type("aws:wafv2/webAcl:WebAcl") == []


# ---- 4. CloudWatch.16 and protected log groups ------------------------------------------------


def test_every_log_group_keeps_a_year_and_is_protected(protected: Deployment) -> None:
    groups = {r.name: r for r in protected.of_type(LOG_GROUP)}
    assert set(groups) == {"app-logs-log-group", "http-api-access-logs", "network-flow-logs"}
    for group in groups.values():
        assert group.inputs["retentionInDays"] >= 365, group.name
        assert group.protect, group.name
        assert group.inputs["deletionProtectionEnabled"] is True, group.name


# ---- 5. least privilege --------------------------------------------------------------------------


def test_nothing_leaves_for_the_whole_internet_but_https(protected: Deployment) -> None:
    to_anywhere = [r for r in protected.of_type(EGRESS) if r.inputs.get("cidrIpv4") == "0.0.0.0/0"]
    assert to_anywhere
    assert {(r.inputs["ipProtocol"], r.inputs["fromPort"], r.inputs["toPort"]) for r in to_anywhere} == {
        ("tcp", 443, 443)
    }
    assert all(r.inputs["ipProtocol"] != "-1" for r in protected.of_type(EGRESS))
    assert not [r for r in protected.of_type(EGRESS) if r.inputs.get("cidrIpv6") == "::/0"]


def test_the_database_port_opens_towards_the_database_only(protected: Deployment) -> None:
    tasks = child(protected, "app", "aws:ec2/securityGroup:SecurityGroup")
    db = child(protected, "app", EGRESS, "app-egress-to-db")
    assert db.inputs["securityGroupId"] == tasks.id
    assert (db.inputs["cidrIpv4"], db.inputs["fromPort"], db.inputs["toPort"]) == ("10.21.0.0/24", 5432, 5432)
    assert {r.inputs["fromPort"] for r in protected.of_type(EGRESS) if r.inputs["securityGroupId"] == tasks.id} == {
        443,
        5432,
    }


def test_both_task_roles_trust_only_this_accounts_tasks(protected: Deployment) -> None:
    for role in ("app-execution", "app-task"):
        trust = json.loads(child(protected, "app", "aws:iam/role:Role", role).inputs["assumeRolePolicy"])
        [statement] = trust["Statement"]
        assert statement["Principal"] == {"Service": "ecs-tasks.amazonaws.com"}
        assert statement["Condition"] == {"StringEquals": {"aws:SourceAccount": ACCOUNT_ID}}


def test_the_execution_role_writes_logs_in_the_form_the_ecs_documentation_uses(protected: Deployment) -> None:
    logs = child(protected, "app-logs", LOG_GROUP)
    policy = json.loads(
        child(protected, "app", "aws:iam/rolePolicy:RolePolicy", "app-execution-pull-and-log").inputs["policy"]
    )
    [write] = [s for s in policy["Statement"] if s["Sid"] == "WriteLogs"]
    assert write["Resource"] == f"{logs.outputs['arn']}:*"
    assert write["Resource"] == f"arn:aws:logs:us-west-2:{ACCOUNT_ID}:log-group:/ecs/papyrus/prd:*"


def _container(d: Deployment) -> dict[str, Any]:
    task = child(d, "app", "aws:ecs/taskDefinition:TaskDefinition")
    [definition] = json.loads(task.inputs["containerDefinitions"])
    result: dict[str, Any] = definition
    return result


def test_the_container_drops_every_capability_and_runs_as_a_non_root_user(protected: Deployment) -> None:
    container = _container(protected)
    assert container["linuxParameters"] == {"capabilities": {"drop": ["ALL"]}}
    assert container["privileged"] is False
    assert container["user"] == "1000:1000"  # Pulumi.prd.yaml's containerUser


def test_without_container_user_the_image_decides() -> None:
    assert "user" not in _container(run_stack("dev"))


def test_a_configured_user_and_database_group_reach_the_task_and_its_egress() -> None:
    db = {
        "host": "papyrus-prd.cluster-example.us-west-2.rds.amazonaws.com",
        "name": "papyrus",
        "username": "papyrus_app",
        "securityGroupId": "sg-0123456789abcdef0",
    }
    d = run_stack("prd", "containerUser=app", f"db={json.dumps(db)}")
    assert _container(d)["user"] == "app"
    rule = child(d, "app", EGRESS, "app-egress-to-db")
    assert rule.inputs["referencedSecurityGroupId"] == "sg-0123456789abcdef0"
    assert "cidrIpv4" not in rule.inputs


# ---- 6. rotation stated, not silent ----------------------------------------------------------------


def test_every_secret_states_why_it_is_not_rotated(protected: Deployment) -> None:
    secrets = {r.inputs["name"].rsplit("/", 1)[-1]: r for r in protected.of_type("aws:secretsmanager/secret:Secret")}
    assert set(secrets) == {"db", "auth0", "flask"}
    assert not protected.of_type("aws:secretsmanager/secretRotation:SecretRotation")
    reasons = {group: secret.inputs["tags"]["rotation-exception"] for group, secret in secrets.items()}
    for reason in reasons.values():
        assert ROTATION_REASON.fullmatch(reason), reason
    assert "outside this stack" in reasons["db"]
    assert "Management API" in reasons["auth0"]
    assert "signs every user out" in reasons["flask"]
