"""papyrus/settings.py: every key's accepted values and every class of rejected value.

Settings are loaded the way `pulumi preview` would hand them over: Pulumi.yaml
defaults, then the real stack file, then `key=value` overrides.
"""

from __future__ import annotations

import ipaddress
import json
import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from components.testing.engine import ProgramError, run
from components.testing.mocks import AwsMocks
from components.validation import InvalidArgumentError
from offline.stack import load as load_stack_config
from papyrus import settings as stack_settings
from papyrus.settings import Settings
from tests.harness import PROJECT_DIR, load_settings, run_component


def load(stack: str = "dev", *overrides: str) -> Settings:
    return load_settings(stack, *overrides)


def rejected(*overrides: str, stack: str = "dev") -> InvalidArgumentError:
    """Load with raw overrides injected after the CLI's own type checks, so the settings
    module's checks are the ones under test (the CLI refuses a non-integer azCount itself)."""
    config = load_stack_config(PROJECT_DIR, stack)
    values = dict(config.values)
    for item in overrides:
        key, _, value = item.partition("=")
        values[key if ":" in key else f"papyrus:{key}"] = value
    with pytest.raises(ProgramError) as caught:
        run(
            stack_settings.load,
            mocks=AwsMocks(),
            project=config.project,
            stack=stack,
            config=values,
            secret_keys=config.secret_keys,
        )
    assert isinstance(caught.value.error, InvalidArgumentError)
    return caught.value.error


def test_dev_stack_values() -> None:
    s = load("dev")
    assert (s.project, s.stack, s.region) == ("papyrus", "dev", "us-west-2")
    assert s.auth0_domain == "papyrus-dev.us.auth0.com"
    assert (s.vpc_cidr, s.az_count, s.nat_strategy) == ("10.10.0.0/16", 2, "instance")
    assert (s.log_retention_days, s.ecr_tag_mutability, s.image_tag) == (1, "MUTABLE", "latest")
    assert (s.container_port, s.desired_count, s.task_cpu, s.task_memory) == (5000, 1, 256, 512)
    assert dict(s.app_parameters) == {"GUNICORN_WORKERS": "2", "GUNICORN_THREADS": "4", "GUNICORN_TIMEOUT": "60"}
    assert s.db == stack_settings.DatabaseSettings(
        host="papyrus-dev.cluster-example.us-west-2.rds.amazonaws.com",
        name="papyrus",
        username="papyrus_app",
        cidr="10.11.0.0/24",
    )
    assert s.db_password is None
    assert (s.domain_name, s.hosted_zone_id, s.protect) == (None, None, False)
    assert s.internal_api_domain is None
    assert (s.load_balancer_access_logs, s.web_acl, s.container_user) == (False, False, None)


def test_prd_stack_values() -> None:
    s = load("prd")
    assert (s.vpc_cidr, s.az_count, s.nat_strategy) == ("10.20.0.0/16", 3, "per_az")
    assert (s.log_retention_days, s.ecr_tag_mutability, s.image_tag) == (365, "IMMUTABLE", "v1.0.0")
    assert (s.desired_count, s.task_cpu, s.task_memory, s.protect) == (2, 512, 1024, True)
    assert s.app_parameters["GUNICORN_WORKERS"] == "4"
    # The committed example domain: HTTPS on both load balancers.
    assert (s.domain_name, s.hosted_zone_id) == ("app.papyrus.example.com", "Z00EXAMPLEREPLACEME00")
    assert s.internal_api_domain == "internal-api.app.papyrus.example.com"
    assert (s.load_balancer_access_logs, s.web_acl, s.container_user) == (True, True, "1000:1000")
    assert (s.db.cidr, s.db.security_group_id) == ("10.21.0.0/24", None)


def test_settings_are_immutable() -> None:
    s = load("dev")
    with pytest.raises(AttributeError):
        s.az_count = 5  # type: ignore[misc]
    with pytest.raises(TypeError):
        s.app_parameters["NEW"] = "x"  # type: ignore[index]


@pytest.mark.parametrize(
    ("override", "attribute", "expected"),
    [
        ("vpcCidr=10.0.0.0/24", "vpc_cidr", "10.0.0.0/24"),
        ("azCount=6", "az_count", 6),
        ("natStrategy=per_az", "nat_strategy", "per_az"),
        ("logRetentionDays=3653", "log_retention_days", 3653),
        ("natStrategy=single", "nat_strategy", "single"),
        ("natStrategy=instance", "nat_strategy", "instance"),
        ("natStrategy=instance_per_az", "nat_strategy", "instance_per_az"),
        ("imageTag=v2.3.4-rc.1_build", "image_tag", "v2.3.4-rc.1_build"),
        ("containerPort=65535", "container_port", 65535),
        ("desiredCount=0", "desired_count", 0),
        ("protect=false", "protect", False),
        ("loadBalancerAccessLogs=true", "load_balancer_access_logs", True),
        ("webAcl=true", "web_acl", True),
        ("containerUser=1000:1000", "container_user", "1000:1000"),
        ("containerUser=app", "container_user", "app"),
        ("containerUser=", "container_user", None),
        ("aws:region=eu-west-1", "region", "eu-west-1"),
        ("aws:region=us-gov-west-1", "region", "us-gov-west-1"),
    ],
)
def test_accepted_values(override: str, attribute: str, expected: Any) -> None:
    assert getattr(load("dev", override), attribute) == expected


def test_a_protected_stack_with_a_domain() -> None:
    s = load("dev", "protect=true", "domainName=app.example.com", "hostedZoneId=Z0123456789ABCDEFGHIJ")
    assert (s.protect, s.domain_name, s.internal_api_domain) == (
        True,
        "app.example.com",
        "internal-api.app.example.com",
    )


def test_the_longest_domain_whose_internal_name_acm_accepts() -> None:
    domain = "a" * 47 + ".com"  # 51 characters: internal-api.<domain> is exactly 64
    s = load("dev", f"domainName={domain}", "hostedZoneId=Z0123456789ABCDEFGHIJ")
    assert s.internal_api_domain is not None
    assert len(s.internal_api_domain) == 64


def test_the_database_may_be_named_by_its_security_group() -> None:
    db = '{"host": "db.example.com", "name": "p", "username": "a", "securityGroupId": "sg-0123456789abcdef0"}'
    s = load("dev", f"db={db}")
    assert (s.db.cidr, s.db.security_group_id) == (None, "sg-0123456789abcdef0")


def test_immutable_tags_with_a_release_tag() -> None:
    s = load("dev", "ecrTagMutability=IMMUTABLE", "imageTag=v1.2.3")
    assert (s.ecr_tag_mutability, s.image_tag) == ("IMMUTABLE", "v1.2.3")


def test_fargate_sizes_accept_every_documented_pair_edge() -> None:
    assert (load("dev", "taskCpu=4096", "taskMemory=30720").task_memory) == 30720
    assert (load("dev", "taskCpu=16384", "taskMemory=122880").task_cpu) == 16384


def test_db_password_is_validated_and_kept_secret() -> None:
    def build() -> dict[str, Any]:
        s = stack_settings.load()
        assert s.db_password is not None
        return {"password": s.db_password}

    deployment = run_component(
        build,
        stack="dev",
        project="papyrus",
        config=_dev_config("dbPassword=Sup3r-Secret_value"),
        secret_keys=("papyrus:dbPassword",),
    )
    assert deployment.outputs["password"] == "Sup3r-Secret_value"
    assert deployment.secret_outputs == {"password"}


def _dev_config(*overrides: str) -> dict[str, str]:
    return dict(load_stack_config(PROJECT_DIR, "dev", overrides).values)


def test_db_port_defaults_to_postgres_and_can_be_set() -> None:
    assert load("dev").db.port == 5432
    db = '{"host": "10.1.2.3", "name": "papyrus", "username": "app", "port": 6432, "cidr": "10.1.2.3/32"}'
    assert load("dev", f"db={db}").db == stack_settings.DatabaseSettings(
        "10.1.2.3", "papyrus", "app", 6432, cidr="10.1.2.3/32"
    )


def test_custom_domain_pair() -> None:
    s = load("dev", "domainName=app.example.com", "hostedZoneId=Z0123456789ABCDEFGHIJ")
    assert (s.domain_name, s.hosted_zone_id) == ("app.example.com", "Z0123456789ABCDEFGHIJ")


def test_app_parameters_accept_integers_as_strings() -> None:
    s = load("dev", 'appParameters={"GUNICORN_WORKERS": 3, "FEATURE_X": "on"}')
    assert dict(s.app_parameters) == {"GUNICORN_WORKERS": "3", "FEATURE_X": "on"}


# Every rejected class: (override, key named in the error, value shown in the error).
REJECTIONS = [
    ("aws:region=us-west", "aws:region", "'us-west'"),
    ("aws:region=US-WEST-2", "aws:region", "'US-WEST-2'"),
    ("auth0:domain=https://papyrus.us.auth0.com", "auth0:domain", "https://papyrus.us.auth0.com"),
    ("auth0:domain=papyrus.us.auth0.com/", "auth0:domain", "papyrus.us.auth0.com/"),
    ("auth0:domain=papyrus us.auth0.com", "auth0:domain", "papyrus us.auth0.com"),
    ("auth0:domain=localhost", "auth0:domain", "'localhost'"),
    ("vpcCidr=10.0.0.0/8", "vpcCidr", "10.0.0.0/8"),
    ("vpcCidr=10.0.0.0/29", "vpcCidr", "10.0.0.0/29"),
    ("vpcCidr=10.10.0.1/16", "vpcCidr", "10.10.0.1/16"),
    ("vpcCidr=not-a-cidr", "vpcCidr", "not-a-cidr"),
    ("vpcCidr=10.10.0.0", "vpcCidr", "'10.10.0.0'"),
    ("vpcCidr=300.10.0.0/16", "vpcCidr", "300.10.0.0/16"),
    ("azCount=1", "azCount", "1"),
    ("azCount=7", "azCount", "7"),
    ("azCount=two", "azCount", "'two'"),
    ("natStrategy=multi", "natStrategy", "'multi'"),
    ("natStrategy=none", "natStrategy", "'none'"),
    ("vpcCidr=10.0.0.0/26", "vpcCidr", "10.0.0.0/26"),
    ("natStrategy=PER_AZ", "natStrategy", "'PER_AZ'"),
    ("natStrategy=instance-per-az", "natStrategy", "'instance-per-az'"),
    ("logRetentionDays=2", "logRetentionDays", "2"),
    ("logRetentionDays=0", "logRetentionDays", "0"),
    ("ecrTagMutability=mutable", "ecrTagMutability", "'mutable'"),
    ("imageTag=.hidden", "imageTag", "'.hidden'"),
    ("imageTag=" + "a" * 129, "imageTag", "a" * 129),
    ("imageTag=has space", "imageTag", "has space"),
    ("containerPort=0", "containerPort", "0"),
    ("containerPort=65536", "containerPort", "65536"),
    ("containerPort=50.5", "containerPort", "50.5"),
    ("desiredCount=-1", "desiredCount", "-1"),
    ("taskCpu=300", "taskCpu", "300"),
    ("taskMemory=4096", "taskMemory", "4096"),
    ("appParameters=[1, 2]", "appParameters", "[1, 2]"),
    ('appParameters={"lower": "x"}', "appParameters.lower", "'lower'"),
    ('appParameters={"AUTH0_DOMAIN": "x"}', "appParameters.AUTH0_DOMAIN", "'AUTH0_DOMAIN'"),
    ('appParameters={"SMTP_PASSWORD": "x"}', "appParameters.SMTP_PASSWORD", "'SMTP_PASSWORD'"),
    ('appParameters={"X": ""}', "appParameters.X", "''"),
    ('appParameters={"X": {"nested": 1}}', "appParameters.X", "{'nested': 1}"),
    ('db={"host": "db.example.com", "name": "papyrus"}', "db.username", "None"),
    ('db={"host": "db", "name": "papyrus", "username": "app"}', "db.host", "'db'"),
    ('db={"host": "db.example.com", "name": "9x", "username": "app"}', "db.name", "'9x'"),
    ('db={"host": "db.example.com", "name": "p", "username": "_app"}', "db.username", "'_app'"),
    ('db={"host": "db.example.com", "name": "p", "username": "a", "sslmode": "require"}', "db.sslmode", "'require'"),
    ('db={"host": "db.example.com", "name": "p", "username": "a", "port": 0}', "db.port", "0"),
    ('db={"host": "db.example.com", "name": "p", "username": "a", "port": "5432"}', "db.port", "'5432'"),
    ("db=plain", "db", "'plain'"),
    ("domainName=app.example.com", "hostedZoneId", "None"),
    ("hostedZoneId=Z0123456789ABCDEFGHIJ", "domainName", "None"),
    ("domainName=https://app.example.com", "domainName", "https://app.example.com"),
    ("domainName=app_example.com", "domainName", "app_example.com"),
    ("protect=yes", "protect", "'yes'"),
    ("imageTag=", "imageTag", "None"),
    ("imageDigest=sha256:" + "a" * 64, "imageDigest", "'sha256:" + "a" * 64 + "'"),
    ("imageBuildContext=/no/such/app", "imageBuildContext", "'/no/such/app'"),
    ("imageDockerfile=Dockerfile.prod", "imageDockerfile", "'Dockerfile.prod'"),
    ("cpuArchitecture=arm64", "cpuArchitecture", "'arm64'"),
    ("cpuArchitecture=AMD64", "cpuArchitecture", "'AMD64'"),
    ('availabilityZones=["us-west-2a"]', "availabilityZones", "['us-west-2a']"),
    ('availabilityZones=["us-west-2a", "us-west-2a"]', "availabilityZones", "['us-west-2a', 'us-west-2a']"),
    ('availabilityZones=["us-west-2a", "us-east-1b"]', "availabilityZones", "'us-east-1b'"),
    ('availabilityZones=["us-west-2a", "us-west-2-lax-1a"]', "availabilityZones", "'us-west-2-lax-1a'"),
    ("availabilityZones=us-west-2a", "availabilityZones", "'us-west-2a'"),
    # A protected stack signs users in over HTTPS only.
    ("protect=true", "domainName", "None"),
    ("domainName=" + "a" * 48 + ".com", "domainName", "a" * 48 + ".com"),
    ('db={"host": "db.example.com", "name": "p", "username": "a"}', "db.cidr", "None"),
    ('db={"host": "db.example.com", "name": "p", "username": "a", "cidr": "0.0.0.0/0"}', "db.cidr", "0.0.0.0/0"),
    ('db={"host": "db.example.com", "name": "p", "username": "a", "cidr": "10.0.0.1/24"}', "db.cidr", "10.0.0.1/24"),
    (
        'db={"host": "db.example.com", "name": "p", "username": "a", "cidr": "10.0.0.0/24", '
        '"securityGroupId": "sg-0123456789abcdef0"}',
        "db.securityGroupId",
        "sg-0123456789abcdef0",
    ),
    (
        'db={"host": "db.example.com", "name": "p", "username": "a", "securityGroupId": "db-sg"}',
        "db.securityGroupId",
        "'db-sg'",
    ),
    ("loadBalancerAccessLogs=on", "loadBalancerAccessLogs", "'on'"),
    ("webAcl=1", "webAcl", "'1'"),
    ("containerUser=root", "containerUser", "'root'"),
    ("containerUser=0:0", "containerUser", "'0:0'"),
    ("containerUser=app user", "containerUser", "'app user'"),
    ("dbPassword=plain-text-password", "dbPassword", "[secret]"),
]


@pytest.mark.parametrize(("override", "key", "shown"), REJECTIONS, ids=[r[0][:40] for r in REJECTIONS])
def test_rejected_values_name_the_key_and_value(override: str, key: str, shown: str) -> None:
    error = rejected(override)
    assert error.key == key
    message = str(error)
    assert message.startswith("stack 'dev' config: invalid ")
    assert key in message
    assert shown in message
    assert "expected" in message
    assert "\n" not in message


@pytest.mark.parametrize("given", ["none", "NAT"])
def test_a_refused_nat_strategy_names_exactly_the_strategies_the_program_accepts(given: str) -> None:
    # `none` is one of the component's strategies but not the program's: it must not be offered.
    error = rejected(f"natStrategy={given}")
    assert (error.key, error.value) == ("natStrategy", given)
    assert error.expected.startswith("one of 'single', 'per_az', 'instance', 'instance_per_az'")
    for strategy in ("single", "per_az", "instance", "instance_per_az"):
        assert load("dev", f"natStrategy={strategy}").nat_strategy == strategy


def test_vpc_too_small_for_the_zones_says_what_it_needs() -> None:
    error = rejected("vpcCidr=10.0.0.0/25", "azCount=3")
    assert error.key == "vpcCidr"
    assert "azCount=3" in str(error)
    assert "addresses" in str(error)


def test_vpc_whose_public_subnets_cannot_hold_the_load_balancer() -> None:
    error = rejected("vpcCidr=10.0.0.0/25", "azCount=2")
    assert error.key == "vpcCidr"
    assert "a /24 or larger with azCount=2" in str(error)


def test_a_build_context_replaces_the_tag(tmp_path: Any) -> None:
    (tmp_path / "Dockerfile.prod").write_text("FROM scratch\n")
    s = load("dev", f"imageBuildContext={tmp_path}", "imageTag=", "imageDockerfile=Dockerfile.prod")
    assert (s.image_build_context, s.image_dockerfile, s.image_tag, s.image_digest) == (
        str(tmp_path),
        "Dockerfile.prod",
        None,
        None,
    )
    error = rejected(f"imageBuildContext={tmp_path}", "imageDockerfile=Dockerfile.prod")
    assert (error.key, error.value) == ("imageTag", "latest")
    assert "imageBuildContext already names the image" in str(error)
    error = rejected(f"imageBuildContext={tmp_path}", "imageTag=")
    assert (error.key, error.value) == ("imageDockerfile", "Dockerfile")
    assert f"a Dockerfile in the build context {tmp_path}" in str(error)


def test_an_image_by_digest() -> None:
    digest = "sha256:" + "b" * 64
    s = load("dev", "imageTag=", f"imageDigest={digest}")
    assert (s.image_tag, s.image_digest, s.image_build_context) == (None, digest, None)
    assert rejected("imageTag=", "imageDigest=sha256:abc").key == "imageDigest"


def test_zones_are_pinned_on_prd_and_follow_az_count() -> None:
    assert load("prd").availability_zones == ("us-west-2a", "us-west-2b", "us-west-2c")
    assert load("dev").availability_zones is None
    # The CLI hands an array over as JSON text (set in the stack file, or with `pulumi config set --path`).
    config = load_stack_config(PROJECT_DIR, "dev")
    values = {**config.values, "papyrus:availabilityZones": '["us-west-2b", "us-west-2c"]'}
    captured: dict[str, Settings] = {}
    run(
        lambda: captured.setdefault("s", stack_settings.load()),
        mocks=AwsMocks(),
        project="papyrus",
        stack="dev",
        config=values,
    )
    assert captured["s"].availability_zones == ("us-west-2b", "us-west-2c")
    error = rejected("azCount=2", stack="prd")
    assert error.key == "availabilityZones"
    assert "as many as azCount=2" in str(error)


def test_cpu_architecture() -> None:
    assert load("dev").cpu_architecture == "X86_64"
    assert load("dev", "cpuArchitecture=ARM64").cpu_architecture == "ARM64"


def test_immutable_tags_refuse_latest() -> None:
    error = rejected("imageTag=latest", stack="prd")
    assert error.key == "imageTag"
    assert "IMMUTABLE" in str(error)


def test_db_password_rules_never_echo_the_value() -> None:
    error = rejected("dbPassword=short")
    assert error.key == "dbPassword"
    assert "short" not in str(error)
    assert "[secret]" in str(error)


def test_db_password_in_the_db_object_is_refused() -> None:
    error = rejected('db={"host": "db.example.com", "name": "p", "username": "a", "password": "hunter2hunter2"}')
    assert error.key == "db.password"
    assert "hunter2" not in str(error)
    assert "dbPassword" in str(error)


def test_a_missing_key_is_named() -> None:
    config = load_stack_config(PROJECT_DIR, "dev")
    values = {k: v for k, v in config.values.items() if k != "auth0:domain"}
    with pytest.raises(ProgramError) as caught:
        run(stack_settings.load, mocks=AwsMocks(), project="papyrus", stack="dev", config=values)
    assert isinstance(caught.value.error, InvalidArgumentError)
    assert caught.value.error.key == "auth0:domain"


def test_stack_names_must_be_usable_in_resource_names() -> None:
    config = load_stack_config(PROJECT_DIR, "dev")
    with pytest.raises(ProgramError) as caught:
        run(stack_settings.load, mocks=AwsMocks(), project="papyrus", stack="Dev_1", config=config.values)
    assert isinstance(caught.value.error, InvalidArgumentError)
    assert "'Dev_1'" in str(caught.value.error)


def test_every_declared_key_is_read() -> None:
    """A key declared in Pulumi.yaml but never read would be a silent no-op for users."""
    import inspect

    import yaml

    declared = yaml.safe_load((PROJECT_DIR / "Pulumi.yaml").read_text())["config"]
    source = inspect.getsource(stack_settings)
    for key in declared:
        if key.startswith("pulumi:"):
            continue
        assert f'"{key}"' in source, f"{key} is declared in Pulumi.yaml but settings.py never reads it"


def test_rejection_table_covers_every_key() -> None:
    import yaml

    project_keys = {k for k in yaml.safe_load((PROJECT_DIR / "Pulumi.yaml").read_text())["config"] if ":" not in k}
    tested = {r[1].split(".")[0] for r in REJECTIONS}
    assert project_keys - tested == set()
    assert {"aws:region", "auth0:domain"} <= tested


def test_object_values_round_trip_as_json() -> None:
    # The CLI hands objects to the program as JSON text; make sure ours does the same.
    values = load_stack_config(PROJECT_DIR, "dev").values
    assert json.loads(values["papyrus:db"])["name"] == "papyrus"


# ---- advice that is exact ------------------------------------------------------------------


@pytest.mark.parametrize("az_count", range(2, 7))
def test_the_vpc_size_advised_is_exactly_the_smallest_accepted(az_count: int) -> None:
    """For every prefix AWS allows: accepted exactly up to the advised size, and the advice names it."""
    smallest = stack_settings.smallest_vpc_prefix(az_count)
    assert smallest is not None
    for prefix in range(16, 29):
        cidr = f"10.0.0.0/{prefix}"
        if prefix <= smallest:
            stack_settings._check_vpc_fits("w", cidr, az_count)
            continue
        with pytest.raises(InvalidArgumentError, match=rf"expected a /{smallest} or larger with azCount={az_count}:"):
            stack_settings._check_vpc_fits("w", cidr, az_count)
    assert [stack_settings.smallest_vpc_prefix(n) for n in range(2, 7)] == [24, 23, 23, 23, 22]


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=0, max_value=(1 << 32) - 1), st.integers(16, 28), st.integers(2, 6))
def test_whether_a_vpc_fits_depends_on_its_size_only(address: int, prefix: int, az_count: int) -> None:
    network = str(ipaddress.IPv4Network((address, prefix), strict=False))
    try:
        stack_settings._check_vpc_fits("w", network, az_count)
    except InvalidArgumentError as error:
        advised = int(re.search(r"a /(\d+) or larger", str(error))[1])  # type: ignore[index]
        stack_settings._check_vpc_fits("w", f"10.0.0.0/{advised}", az_count)  # the advice is accepted
        assert not stack_settings.vpc_holds(prefix, az_count)
    else:
        assert stack_settings.vpc_holds(prefix, az_count)


# ---- regions -------------------------------------------------------------------------------


def test_every_region_pulumi_aws_knows_is_served_or_refused_with_its_reason() -> None:
    served = {r for r in stack_settings.AWS_REGIONS if stack_settings._unserved(r) is None}
    assert {"us-west-2", "us-east-1", "eu-west-1", "ap-northeast-1", "us-gov-west-1"} <= served
    refused = stack_settings.AWS_REGIONS - served
    assert {"us-gov-east-1", "cn-north-1", "cn-northwest-1", "us-iso-east-1", "us-isob-east-1", "eusc-de-east-1"} <= (
        refused
    )
    for region in sorted(refused):
        error = rejected(f"aws:region={region}")
        assert f"{region} is in " in str(error)
        assert ", ".join(sorted(served)) in str(error)  # the allowed set, exactly


def test_a_region_that_does_not_exist_gets_the_nearest_one() -> None:
    assert str(rejected("aws:region=us-west-9")).endswith("did you mean us-west-2?")
    assert str(rejected("aws:region=eu-wset-1")).endswith("did you mean eu-west-1?")


# ---- secrets, hygiene, the database --------------------------------------------------------


@pytest.mark.parametrize(
    "key", ["dbPassword", "auth0:clientSecret", "auth0:apiToken", "auth0:clientAssertionPrivateKey"]
)
def test_credentials_must_be_set_as_secrets(key: str) -> None:
    error = rejected(f"{key}=Plain-Value-123")
    assert error.key == key
    assert "Plain-Value-123" not in str(error)
    assert f"pulumi config set --secret {key}" in str(error)


def test_a_misspelt_credential_is_not_echoed() -> None:
    error = rejected("auth0:clientSecrte=hunter2-hunter2")
    assert "hunter2" not in str(error)
    assert str(error).endswith("did you mean auth0:clientSecret?")


@pytest.mark.parametrize(
    ("host", "accepted"),
    [
        ("10.0.0.1", True),
        ("192.168.1.10", True),
        ("100.64.0.1", True),
        ("db.internal.example.com", True),
        ("0.0.0.0", False),  # noqa: S104
        ("0.1.2.3", False),
        ("127.0.0.53", False),
        ("169.254.170.2", False),
        ("239.1.1.1", False),
        ("255.255.255.255", False),
        ("localhost.localdomain", False),
        ("db.localhost", False),
    ],
)
def test_database_hosts_the_tasks_can_reach(host: str, accepted: bool) -> None:
    db = json.dumps({"host": host, "name": "papyrus", "username": "app", "cidr": "10.11.0.0/24"})
    if accepted:
        assert load("dev", f"db={db}").db.host == host
    else:
        assert rejected(f"db={db}").key == "db.host"


def test_every_text_value_is_checked_for_nul_and_lone_surrogates() -> None:
    assert rejected("imageTag=v1\0").key == "imageTag"
    assert rejected("auth0:domain=\udc80.example.com").key == "auth0:domain"
    assert rejected('appParameters={"A": {"\\u0000": 1}}').key == "appParameters.A.\0"


def test_the_integer_rule_is_the_clis() -> None:
    """Go's strconv.Atoi: a sign and ASCII digits. No spaces, no underscores, no other digits."""
    assert load("dev", "azCount=+3").az_count == 3
    for raw in [" 3", "3 ", "3_0", "٣", "0x3", "3.0", "", "+", "99999999999999999999"]:
        assert rejected(f"azCount={raw}").key == "azCount", raw
