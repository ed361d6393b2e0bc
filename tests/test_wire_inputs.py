"""Mapping wire-shaped inputs onto the Args, in process: exact values, paths and messages."""

# No `from __future__ import annotations`: the analyzer reads the test component's annotations.

import math
from enum import Enum
from typing import Any, NotRequired, TypedDict

import pulumi
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pulumi.output import Unknown
from pulumi.runtime import rpc

from components.provider import PapyrusProvider, hosted_provider
from components.validation import InvalidArgumentError
from components.wire_inputs import EVERY, WireInputError, parse_key, render_path, show

PROVIDER = hosted_provider()


def _map(component: str, inputs: dict[str, Any]) -> dict[str, Any]:
    return PROVIDER.map_inputs(inputs, PROVIDER._component_defs[component])


def _refusal(component: str, inputs: dict[str, Any]) -> str:
    with pytest.raises(WireInputError) as caught:
        _map(component, inputs)
    return str(caught.value)


def test_whole_floats_become_integers_everywhere_an_integer_is_declared() -> None:
    args = _map(
        "FargateService",
        {
            "vpcId": "vpc-1",
            "subnetIds": ["subnet-1"],
            "image": "i",
            "repositoryArn": "a",
            "containerPort": 8080.0,
            "cpu": 256.0,
            "egressTcpPorts": [443.0, 5432.0],
            "logGroupName": "g",
            "logGroupArn": "a",
            "loadBalancers": [{"targetGroupArn": "t", "securityGroupId": "s", "listenerArn": "l", "name": "web"}],
        },
    )
    assert args["container_port"] == 8080
    assert type(args["container_port"]) is int
    assert args["egress_tcp_ports"] == [443, 5432]
    assert all(type(p) is int for p in args["egress_tcp_ports"])
    assert args["load_balancers"] == [
        {"target_group_arn": "t", "security_group_id": "s", "listener_arn": "l", "name": "web"}
    ]


def test_numbers_keep_their_fraction_and_nested_objects_their_python_names() -> None:
    args = _map(
        "AuthenticatedHttpApi",
        {
            "vpcId": "v",
            "subnetIds": ["s"],
            "listenerArn": "l",
            "targetSecurityGroupId": "g",
            "issuer": "https://i/",
            "audiences": ["a"],
            "throttlingRateLimit": 12.5,
            "cors": {"allowOrigins": ["https://a.example.com"], "maxAgeSeconds": 600.0, "allowCredentials": True},
            "tags": {"team-name": "web"},
        },
    )
    assert args["throttling_rate_limit"] == 12.5
    assert args["cors"] == {
        "allow_origins": ["https://a.example.com"],
        "max_age_seconds": 600,
        "allow_credentials": True,
    }
    assert args["tags"] == {"team-name": "web"}, "map keys are the caller's own and keep their spelling"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (8080.5, "invalid targetPort=8080.5; expected an integer (a whole number)"),
        ("8080", "invalid targetPort='8080'; expected an integer"),
        (True, "invalid targetPort=true; expected an integer"),
        (math.inf, "invalid targetPort=inf; expected an integer (a whole number)"),
        ([8080], "invalid targetPort=[8080]; expected an integer"),
    ],
)
def test_an_integer_input_refuses_what_is_not_a_whole_number(value: Any, expected: str) -> None:
    inputs = {"vpcId": "v", "subnetIds": ["s"], "internal": True, "targetPort": value}
    assert _refusal("ApplicationLoadBalancer", inputs) == expected


def test_other_scalar_types_are_checked_too() -> None:
    base = {"vpcId": "v", "subnetIds": ["s"], "targetPort": 80}
    assert _refusal("ApplicationLoadBalancer", {**base, "internal": "yes"}) == (
        "invalid internal='yes'; expected true or false"
    )
    assert _refusal("ApplicationLoadBalancer", {**base, "internal": True, "healthCheckPath": 5}) == (
        "invalid healthCheckPath=5; expected a string"
    )
    assert _refusal("ApplicationLoadBalancer", {**base, "internal": True, "subnetIds": "subnet-1"}) == (
        "invalid subnetIds='subnet-1'; expected a list"
    )
    assert _refusal("ApplicationLoadBalancer", {**base, "internal": True, "tags": ["a"]}) == (
        "invalid tags=['a']; expected a map of names to values"
    )


def test_unknown_keys_name_the_nearest_declared_one_at_every_level() -> None:
    top = _refusal("PublicPrivateVpc", {"cidrBlock": "10.0.0.0/16", "azCount": 2})
    assert top.startswith("invalid azCount=2; expected one of the inputs of PublicPrivateVpc: availabilityZoneCount,")
    nested = _refusal(
        "AuthenticatedHttpApi",
        {
            "vpcId": "v",
            "subnetIds": ["s"],
            "listenerArn": "l",
            "targetSecurityGroupId": "g",
            "issuer": "https://i/",
            "audiences": ["a"],
            "cors": {"allowOrigin": ["https://a.example.com"]},
        },
    )
    assert nested.startswith(
        "invalid cors.allowOrigin=['https://a.example.com']; expected one of the inputs of CorsConfig"
    )
    assert nested.endswith("(did you mean allowOrigins?)")
    far = _refusal("PublicPrivateVpc", {"cidrBlock": "10.0.0.0/16", "zzz": 1})
    assert "did you mean" not in far


def test_a_misspelt_input_never_shows_a_secret_it_holds() -> None:
    secret = {rpc._special_sig_key: rpc._special_secret_sig, "value": "hunter2"}
    base = {"parameterPrefix": "/app/dev", "secretPrefix": "app/dev"}
    wrapped = _refusal("SecureAppConfig", {**base, "securParameters": {"DB_PASSWORD": secret}})
    plain = _refusal("SecureAppConfig", {**base, "securParameters": {"DB_PASSWORD": "hunter2"}})
    assert wrapped.startswith("invalid securParameters=[secret]; expected one of the inputs of SecureAppConfig")
    assert plain.startswith("invalid securParameters={'DB_PASSWORD': ...}; expected one of the inputs")
    assert "hunter2" not in wrapped + plain


def test_an_explicit_null_is_an_omitted_input() -> None:
    assert _map("PublicPrivateVpc", {"cidrBlock": "10.0.0.0/16", "natStrategy": None, "typo": None}) == {
        "cidr_block": "10.0.0.0/16"
    }
    assert _refusal("PublicPrivateVpc", {"cidrBlock": None}) == "missing cidrBlock; expected a value (it is required)"


def test_unknowns_and_outputs_pass_for_the_component_to_judge() -> None:
    unknown = Unknown()  # type: ignore[no-untyped-call]
    args = _map("ApplicationLoadBalancer", {"vpcId": unknown, "subnetIds": ["s"], "internal": True, "targetPort": 80})
    assert args["vpc_id"] is unknown


@pytest.mark.parametrize(
    ("key", "camel"),
    [
        ("container_port", "containerPort"),
        ("load_balancers[0].target_group_arn", "loadBalancers[0].targetGroupArn"),
        ("load_balancers[].name", "loadBalancers[].name"),
        ("environment['GUNICORN_WORKERS']", "environment.GUNICORN_WORKERS"),
        ("tags['team-name']", 'tags["team-name"]'),
        ("egress_tcp_ports[1]", "egressTcpPorts[1]"),
        ("no_such_key", "no_such_key"),
    ],
)
def test_component_error_keys_are_renamed_to_the_schema(key: str, camel: str) -> None:
    definition = PROVIDER._component_defs["FargateService"]
    assert PROVIDER.wire.rename_key(key, definition.inputs, definition.inputs_mapping) == camel


def test_nested_type_keys_and_map_keys_are_told_apart() -> None:
    api = PROVIDER._component_defs["AuthenticatedHttpApi"]
    assert PROVIDER.wire.rename_key("cors.allow_origins[2]", api.inputs, api.inputs_mapping) == "cors.allowOrigins[2]"
    config = PROVIDER._component_defs["SecureAppConfig"]
    # A group's keys are data (`signing_key`), not argument names.
    assert PROVIDER.wire.rename_key("secret_groups['db']['signing_key']", config.inputs, config.inputs_mapping) == (
        "secretGroups.db.signing_key"
    )


def test_a_component_error_is_worded_as_the_caller_wrote_it() -> None:
    error = InvalidArgumentError(
        "FargateService 'app'", "load_balancers[0].listener_arn", None, "a listener ARN, with load_balancers set"
    )
    code, message = PROVIDER.describe_error(error, "papyrus:index:FargateService", "app")
    assert code.name == "INVALID_ARGUMENT"
    assert message == "invalid loadBalancers[0].listenerArn=null; expected a listener ARN, with loadBalancers set"
    secret = InvalidArgumentError("FargateService 'app'", "environment['TOKEN']", "s3cr3t", "no secret", secret=True)
    assert PROVIDER.describe_error(secret, "papyrus:index:FargateService", "app")[1] == (
        "invalid environment.TOKEN=[secret]; expected no secret"
    )
    other = InvalidArgumentError("stack 'dev' config", "vpc_cidr", "x", "a CIDR")
    assert PROVIDER.describe_error(other, "papyrus:index:FargateService", "app")[1] == (
        "stack 'dev' config: invalid vpc_cidr='x'; expected a CIDR"
    )


def test_a_bug_is_one_line_without_a_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    empty: dict[str, int] = {}
    try:
        empty["missing"]
    except KeyError as error:
        code, message = PROVIDER.describe_error(error, "papyrus:index:PublicPrivateVpc", "net")
    assert code.name == "INTERNAL"
    assert message == "PublicPrivateVpc 'net' failed unexpectedly: KeyError: 'missing'"
    assert "Traceback" in capsys.readouterr().err, "the traceback goes to the plugin's log"


def _wrapped(inner: Exception) -> None:
    try:
        raise inner
    except Exception as exc:
        raise ValueError(f"While processing input: 'x' ValueError has risen: {exc}") from exc


def test_a_wrapped_input_error_is_found_behind_the_sdks_messages() -> None:
    inner = WireInputError(("cors", "maxAgeSeconds"), "6", "an integer")
    with pytest.raises(ValueError, match="While processing") as caught:
        _wrapped(inner)
    outer = caught.value
    outer.__cause__ = outer  # the SDK's wait_for_rpcs re-raises an error "from" itself
    assert PROVIDER.describe_error(outer, "papyrus:index:AuthenticatedHttpApi", "api")[1] == str(inner)


# ---- paths ---------------------------------------------------------------------------------

_names = st.from_regex(r"[a-z][a-z0-9_]{0,12}", fullmatch=True)
_segments = st.lists(st.one_of(_names, st.integers(min_value=0, max_value=99)), min_size=1, max_size=5).filter(
    lambda s: isinstance(s[0], str)
)


@given(_segments)
def test_rendered_python_keys_parse_back(segments: list[str | int]) -> None:
    python_key = "".join(
        (f"[{s}]" if isinstance(s, int) else (s if i == 0 else f".{s}")) for i, s in enumerate(segments)
    )
    assert parse_key(python_key) == tuple(segments)
    assert render_path(tuple(segments)) == python_key


def test_paths_render_as_typescript_writes_them() -> None:
    assert render_path(("loadBalancers", EVERY, "name")) == "loadBalancers[].name"
    assert render_path(("tags", "team name")) == 'tags["team name"]'
    assert parse_key("a..b") is None
    assert parse_key("x[") is None


def test_values_are_shown_language_neutrally() -> None:
    assert show(True) == "true"
    assert show(None) == "null"
    assert show(8080.0) == "8080"
    assert show({"a": [1.0, False]}) == "{'a': [1, false]}"


# ---- enums (the analyzer's Enum support) ----------------------------------------------------


class Tier(Enum):
    """A closed set."""

    SMALL = "small"
    LARGE = "large"


class SizedArgs(TypedDict):
    """Arguments of Sized."""

    tier: Tier
    """How big."""
    count: NotRequired[int]
    """How many."""


class Sized(pulumi.ComponentResource):
    """A component with an enum argument."""

    tier: pulumi.Output[str]
    """The tier."""

    def __init__(self, name: str, args: SizedArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("papyrus:index:Sized", name, {}, opts)
        self.tier = pulumi.Output.from_input(args["tier"].value)
        self.register_outputs({"tier": self.tier})


def test_enum_inputs_map_to_their_members_and_refuse_other_values() -> None:
    provider = PapyrusProvider([Sized])
    definition = provider._component_defs["Sized"]
    assert provider.map_inputs({"tier": "large", "count": 2.0}, definition) == {"tier": Tier.LARGE, "count": 2}
    with pytest.raises(WireInputError) as caught:
        provider.map_inputs({"tier": "medium"}, definition)
    assert str(caught.value) == "invalid tier='medium'; expected one of 'small', 'large'"


@given(st.integers(min_value=-(2**53), max_value=2**53))
def test_any_whole_double_is_the_integer_it_stands_for(number: int) -> None:
    args = _map(
        "ApplicationLoadBalancer", {"vpcId": "v", "subnetIds": ["s"], "internal": True, "targetPort": float(number)}
    )
    assert args["target_port"] == number
    assert type(args["target_port"]) is int


@given(st.floats(allow_nan=False, allow_infinity=False).filter(lambda f: not f.is_integer()))
def test_any_fractional_double_is_refused_for_an_integer(number: float) -> None:
    inputs = {"vpcId": "v", "subnetIds": ["s"], "internal": True, "targetPort": number}
    assert _refusal("ApplicationLoadBalancer", inputs).startswith("invalid targetPort=")
