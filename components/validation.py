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
import json
import re
from collections.abc import Collection, Mapping
from enum import Enum
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
        shown = "[secret]" if secret else _shown(value)
        if not expected.isprintable():  # expectations quote values; keep the error on one line
            expected = expected.encode("unicode_escape", errors="backslashreplace").decode("ascii")
        super().__init__(f"{where}: invalid {_shown_key(key)}={shown}; expected {expected}")


# An error is one line a person reads: a value of thousands of characters is cut, with its size
# (past the longest names and values the components take, which are shown whole).
_MAX_SHOWN = 1024


def _shown_key(key: str) -> str:
    """A key as written, unless it holds characters that would break the line (a map key is input too)."""
    if key.isprintable() and len(key) <= _MAX_SHOWN:
        return key
    escaped = key.encode("unicode_escape", errors="backslashreplace").decode("ascii")
    return escaped if len(escaped) <= _MAX_SHOWN else f"{escaped[: _MAX_SHOWN - 20]}... ({len(key)} characters)"


def _shown(value: Any) -> str:
    try:
        text = repr(value)
    except ValueError:  # an int too long for Python to print (sys.get_int_max_str_digits)
        return f"<an integer of about {value.bit_length() * 30103 // 100000 + 1} digits>"
    if len(text) <= _MAX_SHOWN:
        return text
    size = f"{len(value)} characters" if isinstance(value, str) else f"{len(text)} characters as text"
    return f"{text[: _MAX_SHOWN - 24]}... ({size})"


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
    """`value` if it is among `allowed`, as a plain value: an enum member (the components' choices
    are `StrEnum`s, and the provider passes their members) gives its value, so what is stored,
    logged and compared downstream is the string itself."""
    known(where, key, value)
    plain = value.value if isinstance(value, Enum) else value
    if plain not in allowed:
        raise InvalidArgumentError(where, key, plain, "one of " + ", ".join(repr(a) for a in allowed))
    result: T = plain
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
    expected = expected or (
        "a DNS name such as app.example.com (two or more labels of lower-case letters, digits and hyphens; "
        "no scheme, path or port)"
    )
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
            where,
            named(str(unknown[0])),
            keys_only(present[unknown[0]]),
            "one of the keys " + ", ".join(sorted(declared)),
        )
    missing = sorted(spec.__required_keys__ - set(present))
    if missing:
        raise InvalidArgumentError(where, named(missing[0]), None, "a value (it is required)")
    return present


class _Elided:
    def __repr__(self) -> str:
        return "..."


def keys_only(value: Any) -> Any:
    """A misspelt argument's value as an error shows it: a map by its keys, values elided. A
    misspelt `secure_parameters` or `secret_groups` holds secrets, and the error reaches the log."""
    if isinstance(value, Mapping):
        return {key: _Elided() for key in value}
    return value


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


def encodable(where: str, key: str, value: str, *, secret: bool = False) -> str:
    """Text AWS can store and the engine can send: no NUL character, no lone surrogate.

    A lone surrogate (from a `\\ud800` JSON escape, say) cannot be encoded as UTF-8, so the
    engine's gRPC call fails mid-deployment, after other resources exist; NUL ends strings in
    the C code below most AWS APIs and in environment variables.
    """
    if "\0" in value:
        raise InvalidArgumentError(where, key, value, "text without NUL characters", secret=secret)
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidArgumentError(
            where, key, value, "text that is valid Unicode (no lone surrogate such as \\ud800)", secret=secret
        ) from None
    return value


# Names the container's runtime reads before or instead of the app: the dynamic loader (LD_*),
# the shell and libc (PATH, HOME, IFS, ENV, BASH_ENV, GCONV_PATH, ...), the Python interpreter
# (PYTHON*), TLS trust stores, the AWS SDKs' credential chain and ECS's own endpoints (AWS_*,
# ECS_*). A plain setting with one of these names changes which code runs or which credentials
# it uses, so it is refused; ordinary names (and proxies, TZ, LANG) stay the app's to choose.
RUNTIME_ENV_NAMES: frozenset[str] = frozenset(
    {
        "PATH",
        "HOME",
        "USER",
        "LOGNAME",
        "SHELL",
        "HOSTNAME",
        "PWD",
        "OLDPWD",
        "IFS",
        "ENV",
        "BASH_ENV",
        "SHELLOPTS",
        "BASHOPTS",
        "PS4",
        "GCONV_PATH",
        "LOCPATH",
        "NLSPATH",
        "HOSTALIASES",
        "RESOLV_HOST_CONF",
        "LOCALDOMAIN",
        "RES_OPTIONS",
        "SSL_CERT_FILE",
        "SSL_CERT_DIR",
        "REQUESTS_CA_BUNDLE",
        "CURL_CA_BUNDLE",
    }
)
RUNTIME_ENV_PREFIXES: tuple[str, ...] = ("LD_", "PYTHON", "AWS_", "ECS_", "MALLOC_", "GLIBC_", "BASH_FUNC_")


def app_env_name(where: str, key: str, name: str) -> str:
    """An environment variable name that is the app's to set, not its runtime's (exact case:
    the runtime reads `PATH`, never `path`)."""
    if name in RUNTIME_ENV_NAMES or name.startswith(RUNTIME_ENV_PREFIXES):
        raise InvalidArgumentError(
            where,
            key,
            name,
            "a name the container's runtime does not read itself: not "
            + ", ".join(sorted(RUNTIME_ENV_NAMES))
            + ", nor one starting with "
            + ", ".join(RUNTIME_ENV_PREFIXES),
        )
    return name


# Credentials with a format of their own, which a plain (unencrypted, previewed) value must not carry.
_CREDENTIALS: tuple[tuple[str, re.Pattern[str]], ...] = (
    # userinfo with a password: scheme://user:password@host (or ://:password@), or a bare
    # user:password@host; URIs whose "x:y@z" is not a password (mailto:, sip:, ...) are not flagged.
    ("a password in a URL (user:password@host)", re.compile(r"://[^\s/@:]*:[^\s/@]+@")),
    (
        "a password in a user:password@host pair",
        re.compile(r"(?:^|\s)(?!(?:mailto|sips?|tel|urn|data|news):)[^\s:@/]+:[^\s:@/]+@[A-Za-z0-9][A-Za-z0-9.-]*"),
    ),
    ("an AWS access key id", re.compile(r"(?<![A-Z0-9])(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}(?![A-Z0-9])")),
    ("a private key", re.compile(r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----")),
    ("a GitHub token", re.compile(r"(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})")),
    ("a Slack token", re.compile(r"(?<![A-Za-z0-9])xox[abposr]-[A-Za-z0-9-]{10,}")),
)


def credential_in(text: str) -> str | None:
    """What kind of credential `text` carries, or None."""
    for kind, pattern in _CREDENTIALS:
        if pattern.search(text):
            return kind
    return None


def no_credentials(where: str, key: str, value: str) -> str:
    """A plain value (stored and shown unencrypted) that carries no recognisable credential."""
    kind = credential_in(value)
    if kind is not None:
        raise InvalidArgumentError(
            where,
            key,
            None,
            f"a value without credentials (this one holds {kind} and would be stored and shown in plain text); "
            "pass it as a secret instead",
            secret=True,
        )
    return value


# Ranges CreateVpc refuses, or that cannot carry unicast traffic in a VPC: "this network"
# (0.0.0.0/8), loopback, link-local (also where instance and task metadata live), multicast
# and the reserved class E block (with the limited broadcast address). 172.17.0.0/16 is accepted:
# AWS allows it and only warns that Docker-bridge based services (Cloud9, SageMaker) clash with it,
# none of which these components build (Fargate's awsvpc mode gives tasks VPC addresses).
VPC_REFUSED_RANGES: tuple[tuple[str, str], ...] = (
    ("0.0.0.0/8", "'this network'"),
    ("127.0.0.0/8", "loopback"),
    ("169.254.0.0/16", "link-local"),
    ("224.0.0.0/4", "multicast"),
    ("240.0.0.0/4", "reserved (class E)"),
)


def vpc_cidr(where: str, key: str, value: Any) -> ipaddress.IPv4Network:
    """A VPC CIDR AWS accepts: a network address from /16 to /28 outside the ranges VPCs cannot use."""
    network = ipv4_network(where, key, value)
    for refused, what in VPC_REFUSED_RANGES:
        if network.overlaps(ipaddress.IPv4Network(refused)):
            ranges = ", ".join(f"{cidr} ({kind})" for cidr, kind in VPC_REFUSED_RANGES)
            raise InvalidArgumentError(
                where,
                key,
                value,
                f"a range VPCs can use, such as one of RFC 1918's (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16): "
                f"{value} is {what}; refused are {ranges}",
            )
    return network


# ACM: "The first domain name you enter cannot exceed 64 octets, including periods."
CERTIFICATE_DOMAIN_MAX_OCTETS = 64


def certificate_domain(where: str, key: str, value: Any) -> str:
    """A DNS name ACM issues a certificate for as its first (subject) name."""
    domain = dns_name(where, key, value)
    if len(domain.encode()) > CERTIFICATE_DOMAIN_MAX_OCTETS:
        raise InvalidArgumentError(
            where,
            key,
            value,
            f"a DNS name of at most {CERTIFICATE_DOMAIN_MAX_OCTETS} characters, dots included "
            f"(ACM's limit for a certificate's first name; this one has {len(domain)})",
        )
    return domain


# IAM: the inline policies of one role share 10,240 characters, white space not counted.
IAM_ROLE_INLINE_POLICIES_MAX_CHARACTERS = 10_240


def policy_characters(document: Any) -> int:
    """How many characters IAM counts for a policy document (its JSON without white space)."""
    text = document if isinstance(document, str) else json.dumps(document, separators=(",", ":"))
    return sum(1 for c in text if not c.isspace())
