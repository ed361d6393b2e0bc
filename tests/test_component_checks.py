"""The component-level checks issue 13 added, so other teams' programs get them too: limits AWS only
enforces at deploy time, runtime environment names, credentials in plain values, text AWS and the
engine cannot carry. Each refusal happens before anything is registered and names the argument."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from components import ApplicationLoadBalancer, FargateService, PublicPrivateVpc, SecureAppConfig
from components import validation as check
from components.app_config import READ_POLICY_MAX_CHARACTERS, read_policy_document, read_policy_length_bound
from components.validation import InvalidArgumentError
from tests.harness import rejects, run_component

ACCOUNT = "123456789012"
LOG_GROUP_ARN = f"arn:aws:logs:us-west-2:{ACCOUNT}:log-group:/ecs/app"


def _message(build: Any) -> str:
    error = rejects(build)
    assert isinstance(error, InvalidArgumentError), error
    assert "\n" not in str(error)
    return str(error)


# ---- shared checks ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cidr", "kind"),
    [
        ("0.0.0.0/16", "'this network'"),
        ("127.0.0.0/16", "loopback"),
        ("169.254.0.0/16", "link-local"),
        ("224.0.0.0/16", "multicast"),
        ("239.255.255.240/28", "multicast"),
        ("240.0.0.0/16", "reserved (class E)"),
        ("255.255.255.240/28", "reserved (class E)"),
    ],
)
def test_vpc_ranges_aws_refuses(cidr: str, kind: str) -> None:
    with pytest.raises(InvalidArgumentError, match=re.escape(f"{cidr} is {kind}")):
        check.vpc_cidr("w", "cidr", cidr)


@pytest.mark.parametrize(
    "cidr", ["1.0.0.0/16", "126.255.0.0/16", "128.0.0.0/16", "169.253.0.0/16", "169.255.0.0/16", "223.255.255.240/28"]
)
def test_vpc_ranges_next_to_the_refused_ones_are_accepted(cidr: str) -> None:
    assert str(check.vpc_cidr("w", "cidr", cidr)) == cidr


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=(1 << 32) - 1), st.integers(min_value=16, max_value=28))
def test_a_vpc_range_is_refused_exactly_when_it_touches_a_refused_block(address: int, prefix: int) -> None:
    import ipaddress

    network = ipaddress.IPv4Network((address, prefix), strict=False)
    touches = any(network.overlaps(ipaddress.IPv4Network(block)) for block, _ in check.VPC_REFUSED_RANGES)
    try:
        check.vpc_cidr("w", "cidr", str(network))
    except InvalidArgumentError:
        assert touches
    else:
        assert not touches


def test_certificate_domains_up_to_64_octets() -> None:
    sixty_four = "a" * 52 + ".example.com"
    assert check.certificate_domain("w", "domain_name", sixty_four) == sixty_four
    assert check.certificate_domain("w", "domain_name", "xn--bcher-kva.example") == "xn--bcher-kva.example"
    with pytest.raises(InvalidArgumentError, match=r"at most 64 characters, dots included .* this one has 65"):
        check.certificate_domain("w", "domain_name", "a" + sixty_four)


@pytest.mark.parametrize(
    "name", ["PATH", "HOME", "LD_PRELOAD", "LD_LIBRARY_PATH", "PYTHONPATH", "PYTHONSTARTUP", "AWS_REGION", "ECS_X"]
)
def test_names_the_runtime_reads_are_refused(name: str) -> None:
    with pytest.raises(InvalidArgumentError, match=f"invalid env={name!r}; expected a name the container's runtime"):
        check.app_env_name("w", "env", name)


@pytest.mark.parametrize(
    "name", ["path", "PATHS", "MY_PATH", "HTTP_PROXY", "TZ", "LANG", "GUNICORN_WORKERS", "APP_AWS"]
)
def test_ordinary_names_are_the_apps(name: str) -> None:
    assert check.app_env_name("w", "env", name) == name


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("postgres://app:hunter2@db.example.com:5432/papyrus", "a password in a URL"),
        ("redis://:s3cret@cache:6379", "a password in a URL"),
        ("app:hunter2@db.example.com", "user:password@host"),
        ("key=AKIAIOSFODNN7EXAMPLE", "an AWS access key id"),
        ("ASIAIOSFODNN7EXAMPLE", "an AWS access key id"),
        ("-----BEGIN OPENSSH PRIVATE KEY-----", "a private key"),
        ("-----BEGIN PRIVATE KEY-----", "a private key"),
        ("ghp_" + "a1" * 18, "a GitHub token"),
        ("xoxb-1234567890-abcdef", "a Slack token"),
    ],
)
def test_credentials_in_plain_text_are_recognised(text: str, kind: str) -> None:
    assert kind in (check.credential_in(text) or "")
    with pytest.raises(InvalidArgumentError) as caught:
        check.no_credentials("w", "value", text)
    assert text not in str(caught.value)


@pytest.mark.parametrize(
    "text",
    [
        "https://example.com/path?a=b",
        "https://user@example.com/",
        "mailto:ops@example.com",
        "git@github.com:org/repo.git",
        "12:30",
        "a:b",
        "AKIA-not-a-key",
        "-----BEGIN CERTIFICATE-----",
        "user@example.com",
    ],
)
def test_ordinary_text_is_not_taken_for_a_credential(text: str) -> None:
    assert check.credential_in(text) is None


@pytest.mark.parametrize(("text", "problem"), [("a\0b", "NUL"), ("\ud800", "lone surrogate")])
def test_text_the_engine_cannot_carry(text: str, problem: str) -> None:
    with pytest.raises(InvalidArgumentError, match=problem):
        check.encodable("w", "k", text)


def test_errors_stay_one_short_line_whatever_the_input() -> None:
    error = InvalidArgumentError("w", "name\nwith a newline", "x" * 5000, "more\nlines")
    assert "\n" not in str(error)
    assert "(5000 characters)" in str(error)
    assert "<an integer of about 5001 digits>" in str(InvalidArgumentError("w", "k", 10**5000, "less"))


def test_iam_counts_policy_characters_without_white_space() -> None:
    assert check.policy_characters({"Version": "2012-10-17", "Statement": []}) == len(
        '{"Version":"2012-10-17","Statement":[]}'
    )
    assert check.policy_characters('{ "a" : [ 1 , 2 ] }') == len('{"a":[1,2]}')


# ---- the components -----------------------------------------------------------------------------


def test_the_vpc_refuses_a_range_aws_would_refuse() -> None:
    message = _message(lambda: {"v": PublicPrivateVpc("net", {"cidr_block": "169.254.0.0/16"}).vpc_id})
    assert "PublicPrivateVpc 'net': invalid cidr_block='169.254.0.0/16'" in message


def _alb(**extra: Any) -> Any:
    args = {
        "vpc_id": "vpc-0123456789abcdef0",
        "subnet_ids": ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"],
        "internal": False,
        "target_port": 5000,
        **extra,
    }
    return lambda: {"url": ApplicationLoadBalancer("web", args).url}  # type: ignore[arg-type]


def test_the_load_balancer_refuses_a_certificate_name_acm_would_refuse() -> None:
    domain = "a" * 53 + ".example.com"
    message = _message(_alb(domain_name=domain, hosted_zone_id="Z0123456789ABCDEFGHIJ"))
    assert (
        f"ApplicationLoadBalancer 'web': invalid domain_name={domain!r}; expected a DNS name of at most 64" in message
    )


def test_the_load_balancer_takes_a_64_octet_domain() -> None:
    domain = "a" * 52 + ".example.com"
    deployment = run_component(_alb(domain_name=domain, hosted_zone_id="Z0123456789ABCDEFGHIJ"))
    assert deployment.one("aws:acm/certificate:Certificate").inputs["domainName"] == domain


def _config(parameters: dict[str, Any], **extra: Any) -> Any:
    args = {"parameter_prefix": "/app/dev", "secret_prefix": "app/dev", "parameters": parameters, **extra}
    return lambda: {"policy": SecureAppConfig("cfg", args).read_policy_json}  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("parameters", "key", "expected"),
    [
        ({"T": "x {{ssm:/other}} y"}, "parameters['T']", "without '{{' ... '}}'"),
        ({"T": "{{\n}}"}, "parameters['T']", "without '{{' ... '}}'"),
        ({"PATH": "/bin"}, "parameters", "a name the container's runtime does not read"),
        ({"AWS_PROFILE": "x"}, "parameters", "a name the container's runtime does not read"),
        ({"URL": "postgres://u:pw@db/x"}, "parameters['URL']", "a value without credentials"),
        ({"T": "a\0b"}, "parameters['T']", "without NUL"),
    ],
)
def test_secure_app_config_refuses_what_ssm_or_the_runtime_would_get_wrong(
    parameters: dict[str, str], key: str, expected: str
) -> None:
    message = _message(_config(parameters))
    assert f"SecureAppConfig 'cfg': invalid {key}=" in message
    assert expected in message


def test_secure_parameters_may_hold_credentials_but_not_nested_references() -> None:
    deployment = run_component(_config({"A": "1"}, secure_parameters={"DSN": "postgres://u:pw@db/x"}))
    dsn = deployment.one("aws:ssm/parameter:Parameter", "cfg-param-DSN")
    assert (dsn.inputs["type"], dsn.inputs["value"]) == ("SecureString", "postgres://u:pw@db/x")
    assert dsn.is_secret("value")
    message = _message(_config({"A": "1"}, secure_parameters={"T": "{{x}}"}))
    assert "invalid secure_parameters['T']=[secret]" in message


def _most_parameters() -> int:
    count = 0
    while read_policy_length_bound("/app/dev", [f"P{i:04d}" for i in range(count + 1)], "app/dev", []) <= (
        READ_POLICY_MAX_CHARACTERS
    ):
        count += 1
    return count


def test_the_read_policy_bound_is_exact_and_holds_in_every_partition() -> None:
    most = _most_parameters()
    deployment = run_component(_config({f"P{i:04d}": "1" for i in range(most)}))
    policy = deployment.outputs["policy"]
    assert check.policy_characters(policy) <= READ_POLICY_MAX_CHARACTERS
    message = _message(_config({f"P{i:04d}": "1" for i in range(most + 1)}))
    assert f"invalid parameters='<{most + 1} parameters, 0 secret groups>'; expected fewer or shorter names" in message
    # The bound is the longest the policy can be: ARNs in GovCloud's partition are longer than here.
    arns = {f"P{i}": f"arn:aws-us-gov:ssm:us-isof-south-1:{ACCOUNT}:parameter/app/dev/P{i}" for i in range(3)}
    bound = read_policy_length_bound("/app/dev", [f"P{i}" for i in range(3)], "app/dev", [])
    assert check.policy_characters(read_policy_document({}, arns, None)) == bound


def _service(**extra: Any) -> Any:
    args = {
        "vpc_id": "vpc-0123456789abcdef0",
        "subnet_ids": ["subnet-0123456789abcdef0"],
        "image": f"{ACCOUNT}.dkr.ecr.us-west-2.amazonaws.com/app:v1",
        "repository_arn": f"arn:aws:ecr:us-west-2:{ACCOUNT}:repository/app",
        "container_port": 5000,
        "log_group_name": "/ecs/app",
        "log_group_arn": LOG_GROUP_ARN,
        **extra,
    }
    return lambda: {"name": FargateService("app", args).service_name}  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("environment", "key", "expected"),
    [
        ({"LD_PRELOAD": "/x.so"}, "environment", "a name the container's runtime does not read"),
        ({"PYTHONPATH": "/x"}, "environment", "a name the container's runtime does not read"),
        ({"DSN": "mysql://root:pw@db/x"}, "environment['DSN']", "a value without credentials"),
        ({"K": "\ud800"}, "environment['K']", "valid Unicode"),
    ],
)
def test_fargate_service_refuses_runtime_names_and_credentials_in_its_environment(
    environment: dict[str, str], key: str, expected: str
) -> None:
    message = _message(_service(environment=environment))
    assert f"FargateService 'app': invalid {key}=" in message
    assert expected in message


def test_fargate_service_refuses_a_read_policy_that_leaves_no_room_in_the_role() -> None:
    arns = [f"arn:aws:ssm:us-west-2:{ACCOUNT}:parameter/app/dev/SETTING_{i:04d}" for i in range(200)]
    policy = json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "ssm:*", "Resource": arns}]}
    )
    secrets = [{"name": "X", "valueFrom": arns[0]}]
    message = _message(_service(secrets=secrets, secrets_read_policy_json=policy))
    assert "invalid secrets_read_policy_json='<a policy of" in message
    assert "execution role's inline policies share IAM's 10240" in message
