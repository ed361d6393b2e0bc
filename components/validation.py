"""Input checks shared by the components and the papyrus settings module.

Every check runs before the first resource is registered and fails with one
`InvalidArgumentError` that names where the value came from, the key, the value
received and what is allowed, in the manner of the AWS CDK's validation errors.
Each check returns the normalised value so callers can write
`cidr = check.ipv4_network(where, "cidr_block", args["cidr_block"])`.
"""

from __future__ import annotations

import inspect
import ipaddress
import re
from collections.abc import Collection, Mapping
from typing import Any, TypeVar

import pulumi

T = TypeVar("T")

# Retention periods CloudWatch Logs accepts (PutRetentionPolicy). 0 ("never expire")
# is deliberately absent: every log group here has a retention.
CLOUDWATCH_RETENTION_DAYS: tuple[int, ...] = (
    1,
    3,
    5,
    7,
    14,
    30,
    60,
    90,
    120,
    150,
    180,
    365,
    400,
    545,
    731,
    1096,
    1827,
    2192,
    2557,
    2922,
    3288,
    3653,
)

_DNS_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


class InvalidArgumentError(pulumi.RunError, ValueError):
    """An argument or config value AWS (or this library) would reject.

    A `pulumi.RunError`, so `pulumi up` prints the message alone rather than a
    traceback; a `ValueError`, so Python callers can catch it as one.
    """

    def __init__(self, where: str, key: str, value: Any, expected: str, *, secret: bool = False) -> None:
        self.where = where
        self.key = key
        self.value = value
        self.expected = expected
        shown = "[secret]" if secret else repr(value)
        super().__init__(f"{where}: invalid {key}={shown}; expected {expected}")


def where(component: str, name: str) -> str:
    """How errors name a component instance: `PublicPrivateVpc 'network'`."""
    return f"{component} {name!r}"


def known(where: str, key: str, value: T) -> T:
    """Reject a value that is only known after deployment.

    Used for arguments that decide how many resources exist or what they are
    called: a preview must be able to show them.
    """
    if isinstance(value, pulumi.Output):
        raise InvalidArgumentError(
            where, key, "<Output>", "a value known at preview time (a plain value, not a resource output)"
        )
    return value


def one_of(where: str, key: str, value: Any, allowed: Collection[T]) -> T:
    known(where, key, value)
    if value not in allowed:
        raise InvalidArgumentError(where, key, value, "one of " + ", ".join(repr(a) for a in allowed))
    result: T = value
    return result


def integer(where: str, key: str, value: Any, *, minimum: int | None = None, maximum: int | None = None) -> int:
    known(where, key, value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidArgumentError(where, key, value, _range_text(minimum, maximum, "an integer"))
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        raise InvalidArgumentError(where, key, value, _range_text(minimum, maximum, "an integer"))
    return value


def _range_text(minimum: int | None, maximum: int | None, noun: str) -> str:
    if minimum is not None and maximum is not None:
        return f"{noun} from {minimum} to {maximum}"
    if minimum is not None:
        return f"{noun} of at least {minimum}"
    if maximum is not None:
        return f"{noun} of at most {maximum}"
    return noun


def boolean(where: str, key: str, value: Any) -> bool:
    known(where, key, value)
    if not isinstance(value, bool):
        raise InvalidArgumentError(where, key, value, "true or false")
    return value


def text(where: str, key: str, value: Any, *, pattern: str | None = None, expected: str = "a non-empty string") -> str:
    known(where, key, value)
    if not isinstance(value, str) or not value or (pattern is not None and not re.fullmatch(pattern, value)):
        raise InvalidArgumentError(where, key, value, expected)
    return value


def ipv4_network(
    where: str, key: str, value: Any, *, min_prefix: int = 16, max_prefix: int = 28
) -> ipaddress.IPv4Network:
    """An IPv4 CIDR that is a network address with a prefix AWS allows for VPCs and subnets."""
    known(where, key, value)
    expected = (
        f"an IPv4 network address in CIDR notation with a prefix from /{min_prefix} to /{max_prefix}, "
        "such as 10.10.0.0/16"
    )
    if not isinstance(value, str) or "/" not in value:
        raise InvalidArgumentError(where, key, value, expected)
    try:
        network = ipaddress.IPv4Network(value, strict=False)
    except ValueError:
        raise InvalidArgumentError(where, key, value, expected) from None
    if not min_prefix <= network.prefixlen <= max_prefix:
        raise InvalidArgumentError(where, key, value, expected)
    if str(network) != value:
        raise InvalidArgumentError(where, key, value, f"{expected} (the network address here is {network})")
    return network


def dns_name(where: str, key: str, value: Any, *, expected: str | None = None) -> str:
    """A fully qualified host or domain name: at least two labels, lower case, no scheme or path."""
    known(where, key, value)
    expected = expected or "a DNS name such as app.example.com (letters, digits and hyphens; no scheme, path or port)"
    if not isinstance(value, str) or len(value) > 253:
        raise InvalidArgumentError(where, key, value, expected)
    labels = value.split(".")
    if len(labels) < 2 or not all(_DNS_LABEL.match(label) for label in labels) or labels[-1].isdigit():
        raise InvalidArgumentError(where, key, value, expected)
    return value


def https_url(where: str, key: str, value: Any) -> str:
    """An absolute https:// URL with a host name (an OIDC issuer, for example)."""
    known(where, key, value)
    expected = "an https:// URL with a host name, such as https://example.us.auth0.com/"
    if not isinstance(value, str) or not value.startswith("https://") or any(c.isspace() for c in value):
        raise InvalidArgumentError(where, key, value, expected)
    host = value[len("https://") :].split("/", 1)[0]
    try:
        dns_name(where, key, host)
    except InvalidArgumentError:
        raise InvalidArgumentError(where, key, value, expected) from None
    return value


def log_retention(where: str, key: str, value: Any) -> int:
    known(where, key, value)
    if isinstance(value, bool) or value not in CLOUDWATCH_RETENTION_DAYS:
        allowed = ", ".join(str(d) for d in CLOUDWATCH_RETENTION_DAYS)
        raise InvalidArgumentError(where, key, value, f"a number of days CloudWatch Logs allows: {allowed}")
    result: int = value
    return result


def string_map(where: str, key: str, value: Any) -> dict[str, Any]:
    known(where, key, value)
    if not isinstance(value, Mapping):
        raise InvalidArgumentError(where, key, value, "a mapping of names to values")
    return dict(value)


def when_known(value: Any, check: Any) -> Any:
    """Check a plain value now, or an output's value once it resolves.

    For inputs that may legitimately come from another resource (an issuer URL
    built from a tenant output, say): plain values fail before any resource is
    registered, outputs fail the deployment as soon as their value is known.
    """
    if isinstance(value, pulumi.Output):
        return value.apply(check)
    return check(value)


def typed_dict(where: str, key: str, value: Any, spec: Any) -> dict[str, Any]:
    """Check a TypedDict argument at run time and return it without unset keys.

    A TypedDict is a plain dict at run time, so a misspelt optional key (`az_count` for
    `availability_zone_count`) would otherwise be ignored and its default used. An
    explicit None counts as unset, which is how other Pulumi languages send an omitted
    input. `key` is "args" for a component's arguments, or the argument holding a nested
    TypedDict (errors then name `cors.allow_origins`, say).
    """
    if not isinstance(value, Mapping):
        raise InvalidArgumentError(where, key, value, f"a mapping of {spec.__name__}")
    declared: frozenset[str] = spec.__required_keys__ | spec.__optional_keys__
    present = {k: v for k, v in value.items() if v is not None}

    def named(name: str) -> str:
        return name if key == "args" else f"{key}.{name}"

    unknown = sorted((k for k in present if k not in declared), key=str)
    if unknown:
        raise InvalidArgumentError(
            where, named(str(unknown[0])), present[unknown[0]], "one of the keys " + ", ".join(sorted(declared))
        )
    missing = sorted(spec.__required_keys__ - set(present))
    if missing:
        raise InvalidArgumentError(where, named(missing[0]), None, "a value (it is required)")
    return present


_AWS_ID_SUFFIX = "(?:[0-9a-f]{8}|[0-9a-f]{17})"


def aws_id(where: str, key: str, value: Any, prefix: str) -> Any:
    """A resource id such as `vpc-0123456789abcdef0` when given as a plain string.

    Ids usually arrive as outputs of the resources that own them, which AWS itself wrote;
    only hand-typed ids are checked, so a typo fails before anything is registered.
    """
    if isinstance(value, pulumi.Output) or inspect.isawaitable(value):
        return value
    return text(
        where, key, value, pattern=f"{prefix}-{_AWS_ID_SUFFIX}", expected=f"an id such as {prefix}-0123456789abcdef0"
    )


def tags(where: str, key: str, value: Any, *, reserved: Collection[str] = ()) -> dict[str, Any]:
    """Resource tags AWS accepts: keys of 1 to 128 characters not starting with `aws:`, string
    values of at most 256 characters (outputs are checked by AWS), none of the `reserved` keys
    the component sets itself."""
    tag_map = string_map(where, key, value)
    for name, tag in tag_map.items():
        if not isinstance(name, str) or not 1 <= len(name) <= 128 or name.lower().startswith("aws:"):
            raise InvalidArgumentError(where, key, name, "tag keys of 1 to 128 characters, not starting with 'aws:'")
        if name in reserved:
            raise InvalidArgumentError(
                where, key, name, "tags other than " + ", ".join(sorted(reserved)) + " (the component sets them)"
            )
        if not isinstance(tag, pulumi.Output) and (not isinstance(tag, str) or len(tag) > 256):
            raise InvalidArgumentError(where, f"{key}[{name!r}]", tag, "a string of at most 256 characters")
    return tag_map
