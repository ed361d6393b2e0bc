"""components/validation.py: the shared checks every component and the settings module use."""

# No `from __future__ import annotations`: TypedDict would then count NotRequired keys as required.
from typing import NotRequired, TypedDict

import pulumi
import pytest
from hypothesis import given
from hypothesis import strategies as st

from components import validation as check
from components.validation import CLOUDWATCH_RETENTION_DAYS, InvalidArgumentError
from components.vpc import NAT_STRATEGIES, NatStrategy
from tests.harness import rejects


class _Args(TypedDict):
    name: str
    size: NotRequired[int]


def test_errors_name_where_key_value_and_what_is_allowed() -> None:
    error = InvalidArgumentError("Thing 'x'", "size", 7, "an even number")
    assert str(error) == "Thing 'x': invalid size=7; expected an even number"
    assert isinstance(error, ValueError)
    assert isinstance(error, pulumi.RunError)
    hidden = InvalidArgumentError("Thing 'x'", "password", "hunter2", "longer", secret=True)
    assert "hunter2" not in str(hidden)


def test_a_misspelt_map_argument_shows_its_keys_but_not_its_values() -> None:
    """A misspelt `secure_parameters` or `secret_groups` holds secrets: the error goes to the log."""
    with pytest.raises(InvalidArgumentError) as caught:
        check.typed_dict("w", "args", {"name": "a", "sise": {"DB_PASSWORD": "hunter2"}}, _Args)
    assert str(caught.value).startswith("w: invalid sise={'DB_PASSWORD': ...}; expected one of the keys name, size")
    assert "hunter2" not in str(caught.value)


def test_typed_dict_drops_unset_keys_and_names_unknown_or_missing_ones() -> None:
    assert check.typed_dict("w", "args", {"name": "a", "size": None}, _Args) == {"name": "a"}
    with pytest.raises(InvalidArgumentError, match=r"invalid sise=3; expected one of the keys name, size"):
        check.typed_dict("w", "args", {"name": "a", "sise": 3}, _Args)
    with pytest.raises(InvalidArgumentError, match=r"invalid name=None; expected a value"):
        check.typed_dict("w", "args", {"size": 3}, _Args)
    with pytest.raises(InvalidArgumentError, match=r"invalid cors\.name=None"):
        check.typed_dict("w", "cors", {}, _Args)
    with pytest.raises(InvalidArgumentError, match=r"invalid args=\[\]"):
        check.typed_dict("w", "args", [], _Args)


@pytest.mark.parametrize("value", ["10.0.0.0/16", "172.16.0.0/28", "192.168.4.0/24"])
def test_ipv4_network_accepts_network_addresses_in_range(value: str) -> None:
    assert str(check.ipv4_network("w", "cidr", value)) == value


@pytest.mark.parametrize(
    ("value", "hint"),
    [
        ("10.0.0.1/16", "the network address here is 10.0.0.0/16"),
        ("10.0.0.0/15", "/16 to /28"),
        ("10.0.0.0/29", "/16 to /28"),
        ("10.0.0.0", "CIDR notation"),
        ("banana/16", "CIDR"),
        (16, "CIDR"),
    ],
)
def test_ipv4_network_rejects(value: object, hint: str) -> None:
    with pytest.raises(InvalidArgumentError, match=hint):
        check.ipv4_network("w", "cidr", value)


@given(st.ip_addresses(v=4), st.integers(min_value=16, max_value=28))
def test_ipv4_network_accepts_exactly_the_normalised_form(address: object, prefix: int) -> None:
    import ipaddress

    network = ipaddress.IPv4Network(f"{address}/{prefix}", strict=False)
    assert check.ipv4_network("w", "cidr", str(network)) == network
    if str(address) != str(network.network_address):
        with pytest.raises(InvalidArgumentError):
            check.ipv4_network("w", "cidr", f"{address}/{prefix}")


@pytest.mark.parametrize("value", ["a.example.com", "papyrus.us.auth0.com", "x-1.y"])
def test_dns_names(value: str) -> None:
    assert check.dns_name("w", "host", value) == value


@pytest.mark.parametrize(
    "value",
    [
        "localhost",
        "https://a.example.com",
        "a.example.com/",
        "a example.com",
        "-a.example.com",
        "A.example.com",
        "a..example.com",
        "1.2.3.4",
        "a." + "b" * 64 + ".com",
    ],
)
def test_dns_names_rejected(value: str) -> None:
    with pytest.raises(InvalidArgumentError, match="host"):
        check.dns_name("w", "host", value)


def test_a_dns_name_in_upper_case_is_told_the_allowed_set() -> None:
    """Upper case is refused, so the message may not promise "letters" unqualified."""
    with pytest.raises(InvalidArgumentError, match="of lower-case letters, digits and hyphens"):
        check.dns_name("w", "host", "App.example.com")


def test_https_urls() -> None:
    assert check.https_url("w", "issuer", "https://t.us.auth0.com/") == "https://t.us.auth0.com/"
    for bad in ("http://t.us.auth0.com/", "https://", "https://localhost/", "https://a b.com/"):
        with pytest.raises(InvalidArgumentError, match="https://"):
            check.https_url("w", "issuer", bad)


def test_log_retention_allows_only_cloudwatch_values() -> None:
    assert [check.log_retention("w", "days", d) for d in CLOUDWATCH_RETENTION_DAYS] == list(CLOUDWATCH_RETENTION_DAYS)
    for bad in (0, 2, 366, True, "30"):
        with pytest.raises(InvalidArgumentError, match="CloudWatch"):
            check.log_retention("w", "days", bad)


def test_integers_refuse_booleans_and_report_the_range() -> None:
    assert check.integer("w", "n", 5, minimum=1, maximum=9) == 5
    with pytest.raises(InvalidArgumentError, match="an integer from 1 to 9"):
        check.integer("w", "n", True, minimum=1, maximum=9)
    with pytest.raises(InvalidArgumentError, match="at least 1"):
        check.integer("w", "n", 0, minimum=1)


def test_plain_only_arguments_refuse_outputs() -> None:
    def build() -> None:
        check.known("w", "count", pulumi.Output.from_input(3))

    error = rejects(build)
    assert isinstance(error, InvalidArgumentError)
    assert "known at preview time" in str(error)


def test_tags_follow_aws_rules_and_reserved_keys() -> None:
    assert check.tags("w", "tags", {"team": "web", "cost-centre": "42"}) == {"team": "web", "cost-centre": "42"}
    for bad, named in (({"aws:x": "1"}, "'aws:x'"), ({"k" * 129: "1"}, "k" * 129), ({"team": "v" * 257}, "v" * 257)):
        with pytest.raises(InvalidArgumentError, match=named):
            check.tags("w", "tags", bad)
    with pytest.raises(InvalidArgumentError, match="tags other than Name"):
        check.tags("w", "tags", {"Name": "mine"}, reserved=("Name",))


@pytest.mark.parametrize("value", ["vpc-0123abcd", "vpc-0123456789abcdef0"])
def test_aws_ids_have_8_or_17_hex_digits(value: str) -> None:
    assert check.aws_id("w", "vpc_id", value, "vpc") == value


@pytest.mark.parametrize("value", ["vpc-123", "vpc-0123456789abcdef", "subnet-0123abcd", "vpc-0123ABCD", 7])
def test_malformed_aws_ids_are_named(value: object) -> None:
    with pytest.raises(InvalidArgumentError, match=r"invalid vpc_id=.*an id such as vpc-0123456789abcdef0"):
        check.aws_id("w", "vpc_id", value, "vpc")


def test_one_of_takes_enum_members_and_plain_strings_and_returns_the_string() -> None:
    for given_value in (NatStrategy.INSTANCE_PER_AZ, "instance_per_az"):
        value = check.one_of("PublicPrivateVpc 'net'", "nat_strategy", given_value, NAT_STRATEGIES)
        assert value == "instance_per_az"
        assert type(value) is str, "stored, logged and compared as the string itself"
    with pytest.raises(InvalidArgumentError) as caught:
        check.one_of("PublicPrivateVpc 'net'", "nat_strategy", "dual", NAT_STRATEGIES)
    assert str(caught.value) == (
        "PublicPrivateVpc 'net': invalid nat_strategy='dual'; expected one of "
        "'none', 'single', 'per_az', 'instance', 'instance_per_az'"
    )
