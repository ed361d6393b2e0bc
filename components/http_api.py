"""An API Gateway HTTP API in front of an internal Application Load Balancer, behind a JWT authorizer.

Pulumi has no HTTP API component; SST's `ApiGatewayV2` and the CDK's `HttpApi` are the
models, and this one closes the traps users of both hit when the backend is a private ALB:

* API Gateway integrates with an ALB **listener** ARN, not the load balancer's ARN (the one
  most code has at hand). A load balancer ARN is rejected here, with a message that says
  which ARN to pass.
* The VPC link needs a security group of its own: reusing the load balancer's, the
  service's or the VPC's default group would let everything else in that group through
  wherever the link is let through. The link's group has one rule, egress to the load
  balancer's group on the listener port, and the load balancer's group gets the matching
  ingress rule, so the internal ALB can admit the API and nothing else.
* A named stage (`/prod`) is part of the URL and reaches the backend as a path prefix
  unless every route rewrites it. The stage here is `$default`, which has no prefix:
  `GET https://<api>/api/users` arrives at the ALB as `GET /api/users`.
"""

# No `from __future__ import annotations`: TypedDict could then not tell NotRequired keys
# from required ones, and neither could the SDK's component analyzer.
import hashlib
import json
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, NotRequired, TypedDict

import pulumi
from pulumi_aws import apigatewayv2, cloudwatch, ec2

from components import validation as check
from components.arg_docs import documented_keys, documented_values
from components.security_group_rules import allow_tcp
from components.validation import InvalidArgumentError

COMPONENT = "AuthenticatedHttpApi"

DEFAULT_ROUTES: tuple[str, ...] = ("ANY /api/{proxy+}",)
DEFAULT_LISTENER_PORT = 80
DEFAULT_TLS_LISTENER_PORT = 443
DEFAULT_ACCESS_LOG_RETENTION_DAYS = 30
DEFAULT_THROTTLING_BURST_LIMIT = 100
DEFAULT_THROTTLING_RATE_LIMIT = 50.0
# Default per-account, per-region API Gateway quotas: a stage cannot serve more than these.
MAX_THROTTLING_BURST_LIMIT = 5000
MAX_THROTTLING_RATE_LIMIT = 10000.0

IDENTITY_SOURCE = "$request.header.Authorization"
DEFAULT_STAGE = "$default"
DEFAULT_ROUTE = "$default"
ROUTE_METHODS: tuple[str, ...] = ("ANY", "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")

# What each access log line records. Every value is a quoted string so the format is
# valid JSON before and after substitution (API Gateway requires $context.requestId).
# Deliberately absent: headers, query strings and JWT claims, which can carry tokens and
# personal data.
ACCESS_LOG_FIELDS: dict[str, str] = {
    "requestId": "$context.requestId",
    "ip": "$context.identity.sourceIp",
    "requestTime": "$context.requestTime",
    "httpMethod": "$context.httpMethod",
    "path": "$context.path",
    "routeKey": "$context.routeKey",
    "status": "$context.status",
    "protocol": "$context.protocol",
    "responseLength": "$context.responseLength",
    "responseLatency": "$context.responseLatency",
    "integrationStatus": "$context.integrationStatus",
    "integrationLatency": "$context.integrationLatency",
    "integrationErrorMessage": "$context.integrationErrorMessage",
    "authorizerError": "$context.authorizer.error",
}
ACCESS_LOG_FORMAT = json.dumps(ACCESS_LOG_FIELDS, separators=(",", ":"))

DEFAULT_CORS_METHODS: tuple[str, ...] = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")
# A JWT travels in the Authorization header, which browsers send cross-origin only when
# the preflight response allows it.
DEFAULT_CORS_HEADERS: tuple[str, ...] = ("authorization", "content-type")
DEFAULT_CORS_MAX_AGE_SECONDS = 300


@documented_values
class CorsMethod(StrEnum):
    """An HTTP method a cross-origin request may use, or `*` for any."""

    GET = "GET"
    HEAD = "HEAD"
    POST = "POST"
    PUT = "PUT"
    PATCH = "PATCH"
    DELETE = "DELETE"
    OPTIONS = "OPTIONS"
    ANY = "*"
    """Any method; not allowed with credentials, where browsers read it as a method named `*`."""


CORS_METHODS: tuple[str, ...] = tuple(method.value for method in CorsMethod)

_NAME = r"(?!sg(?:-|$))[A-Za-z0-9][A-Za-z0-9._-]{0,99}"
_ROUTE_EXPECTED = "a route key: '$default', or '<METHOD> <path>' such as 'ANY /api/{proxy+}' or 'GET /pets/{id}'"
_LITERAL_SEGMENT = re.compile(r"[A-Za-z0-9._~:@-]+")
_PARAM_SEGMENT = re.compile(r"\{([A-Za-z0-9._-]+)(\+?)\}")
_LISTENER_ARN = re.compile(
    r"arn:aws(?:-[a-z]+)*:elasticloadbalancing:[a-z]{2}(?:-[a-z]+)+-\d+:\d{12}:"
    r"listener/app/(?!-)[A-Za-z0-9-]{1,32}(?<!-)/[0-9a-f]{16}/[0-9a-f]{16}"
)
_LISTENER_EXPECTED = (
    "the ARN of an Application Load Balancer listener, "
    "arn:aws:elasticloadbalancing:<region>:<account>:listener/app/<lb-name>/<lb-id>/<listener-id>"
)
# Header field names are RFC 9110 tokens.
_HEADER_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
_ORIGIN = re.compile(r"(https?)://([a-z0-9.-]+)(?::(\d{1,5}))?")


@documented_keys
class CorsConfig(TypedDict):
    """Cross-origin resource sharing for browsers calling the API from another origin.

    API Gateway answers a preflight `OPTIONS` request itself only when no route matches it.
    An `ANY` route and the `$default` route do match it, and a browser sends preflights
    without the JWT, so such a route with the authorizer would answer every preflight 401.
    With CORS set, each authorized `ANY <path>` route therefore needs a public
    `OPTIONS <path>` route, and an authorized `$default` a public `OPTIONS /{proxy+}`; the
    backend must answer those with a 2xx, and API Gateway adds the CORS headers. The
    component rejects a route list that lacks them.
    """

    allow_origins: Sequence[pulumi.Input[str]]
    """Origins allowed to call the API: `scheme://host[:port]` with no path or trailing slash,
    or `["*"]` alone. Required. Example: `["https://app.example.com", "http://localhost:3000"]`."""
    allow_methods: NotRequired[Sequence[CorsMethod]]
    """Methods a cross-origin request may use: GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS or `*`.
    Default: `["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"]`. Example: `["GET", "POST"]`."""
    allow_headers: NotRequired[Sequence[str]]
    """Request headers a cross-origin request may send. Default: `["authorization", "content-type"]`
    (the JWT travels in `Authorization`). Example: `["authorization", "content-type", "x-request-id"]`."""
    expose_headers: NotRequired[Sequence[str]]
    """Response headers browser scripts may read. Default: none. Example: `["x-request-id"]`."""
    max_age_seconds: NotRequired[int]
    """How long browsers cache a preflight answer, -1 (not at all) to 86400 seconds. Default: `300`.
    Example: `600`."""
    allow_credentials: NotRequired[bool]
    """Whether browsers may send cookies or TLS client certificates (a script-set `Authorization`
    header does not need this). Not allowed with origin `*`, nor with `*` methods or headers, which
    browsers do not treat as wildcards on credentialed requests. Default: `false`. Example: `true`."""


@documented_keys
class AuthenticatedHttpApiArgs(TypedDict):
    """Arguments of `AuthenticatedHttpApi`."""

    vpc_id: pulumi.Input[str]
    """VPC of the load balancer; the VPC link's security group is created in it. Required.
    Example: a PublicPrivateVpc's `vpc_id`."""
    subnet_ids: pulumi.Input[Sequence[pulumi.Input[str]]]
    """Subnets the VPC link's network interfaces are placed in: the private subnets, one per
    availability zone the load balancer uses. Required. Example: a PublicPrivateVpc's
    `private_subnet_ids`."""
    listener_arn: pulumi.Input[str]
    """ARN of the internal ALB's listener that requests are sent to (not the load balancer's ARN).
    Required. Example: an internal ApplicationLoadBalancer's `listener_arn`."""
    target_security_group_id: pulumi.Input[str]
    """The load balancer's security group: it gets an ingress rule from the VPC link's group on
    `listener_port`, and the link's group gets egress to it. Required.
    Example: an internal ApplicationLoadBalancer's `security_group_id`."""
    listener_port: NotRequired[pulumi.Input[int]]
    """The port of the listener `listener_arn` names, 1 to 65535: the only port the VPC link may
    reach on the load balancer. Give the ApplicationLoadBalancer's `listener_port` output with its
    `listener_arn`, so the two always describe the same listener. Default: 443 with
    `tls_server_name`, else 80. Example: an internal ApplicationLoadBalancer's `listener_port`."""
    tls_server_name: NotRequired[pulumi.Input[str]]
    """Host name on the listener's certificate. With it, API Gateway speaks HTTPS to the listener,
    sends this name for SNI and verifies the certificate against it, so the JWT it forwards never
    crosses the VPC in clear text; the listener must then be an HTTPS listener whose certificate
    (from a public CA, such as ACM) covers this name. Without it, the listener must be plain HTTP.
    Default: none (HTTP). Example: `"internal-api.app.example.com"`."""
    issuer: pulumi.Input[str]
    """JWT issuer the authorizer trusts (the token's `iss` claim, exactly): an `https://` URL.
    Required. Example: `"https://papyrus.us.auth0.com/"` (Auth0 issuers end with a slash)."""
    audiences: Sequence[pulumi.Input[str]]
    """Accepted values of the token's `aud` claim; at least one, none empty. Required.
    Example: `["https://api.papyrus.example"]` (the Auth0 API identifier)."""
    routes: NotRequired[Sequence[str]]
    """Route keys sent to the load balancer: `$default`, or `<METHOD> <path>` with METHOD one of
    ANY, GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS and a path of literal segments, `{name}`
    parameters and at most one greedy `{name+}` as the last segment. With `cors`, an authorized
    `ANY` or `$default` route needs a public `OPTIONS` twin (see `cors`). Default:
    `["ANY /api/{proxy+}"]`. Example: `["ANY /api/{proxy+}", "GET /healthz"]`."""
    public_routes: NotRequired[Sequence[str]]
    """Route keys from `routes` that do not require a JWT; every other route does. Each one makes
    Security Hub's APIGateway.8 fail for that route, so list only what must be anonymous.
    Default: none. Example: `["GET /healthz"]`."""
    cors: NotRequired[CorsConfig]
    """Cross-origin settings for browser clients on other origins. Browsers send preflights
    without the JWT, so each authorized `ANY <path>` route then needs `OPTIONS <path>` in both
    `routes` and `public_routes` (`OPTIONS /{proxy+}` for `$default`). Default: none (API Gateway
    adds no CORS headers). Example: `{"allow_origins": ["https://app.example.com"]}` with `routes`
    `["ANY /api/{proxy+}", "OPTIONS /api/{proxy+}"]` and `public_routes` `["OPTIONS /api/{proxy+}"]`."""
    access_log_retention_days: NotRequired[int]
    """Days CloudWatch keeps the access logs; one of the values CloudWatch allows. Default: `30`.
    Example: `365`."""
    protect_access_logs: NotRequired[bool]
    """Protect the access log group from deletion, twice: the Pulumi `protect` resource option, and
    CloudWatch's own deletion protection. Default: `false`. Example: `true` on production."""
    throttling_burst_limit: NotRequired[int]
    """Requests the stage accepts in a burst above the steady rate (token bucket size), 1 to 5000
    (the default account quota). Default: `100`. Example: `500`."""
    throttling_rate_limit: NotRequired[float]
    """Steady-state requests per second the stage accepts, above 0 and up to 10000 (the default
    account quota). Caps both backend load and the request bill. Default: `50`. Example: `200`."""
    tags: NotRequired[Mapping[str, pulumi.Input[str]]]
    """Tags for every taggable resource created (the API, stage, VPC link, security group and its
    rules, log group). Default: none. Example: `{"team": "platform"}`."""


@dataclass(frozen=True)
class RouteKey:
    """A parsed route key; `method` is empty for `$default`."""

    key: str
    method: str
    path: str

    @property
    def normalised(self) -> str:
        """The route as API Gateway matches it: parameter names do not matter."""
        if not self.method:
            return self.key
        path = _PARAM_SEGMENT.sub(lambda m: "{+}" if m.group(2) else "{}", self.path)
        return f"{self.method} {path}"


def parse_route_key(where: str, key: str, route: Any) -> RouteKey:
    """Check one route key the way API Gateway reads it and return its parts."""
    check.known(where, key, route)
    if route == DEFAULT_ROUTE:
        return RouteKey(DEFAULT_ROUTE, "", "")
    if not isinstance(route, str) or route.count(" ") != 1 or any(c.isspace() and c != " " for c in route):
        raise InvalidArgumentError(where, key, route, _ROUTE_EXPECTED)
    method, path = route.split(" ")
    if method not in ROUTE_METHODS:
        raise InvalidArgumentError(
            where, key, route, f"{_ROUTE_EXPECTED}; the method one of {', '.join(ROUTE_METHODS)}"
        )
    _check_route_path(where, key, route, path)
    return RouteKey(route, method, path)


def _check_route_path(where: str, key: str, route: str, path: str) -> None:
    if path == "/":
        return
    if not path.startswith("/") or path.endswith("/") or "//" in path:
        raise InvalidArgumentError(
            where, key, route, f"{_ROUTE_EXPECTED}; a path starting with '/', with no empty segment or trailing '/'"
        )
    segments = path[1:].split("/")
    names: list[str] = []
    for position, segment in enumerate(segments, start=1):
        param = _PARAM_SEGMENT.fullmatch(segment)
        if param is None:
            if not _LITERAL_SEGMENT.fullmatch(segment):
                raise InvalidArgumentError(
                    where,
                    key,
                    route,
                    f"{_ROUTE_EXPECTED}; segment {segment!r} is neither literal "
                    "(letters, digits and . _ ~ : @ -) nor a parameter {name} or {name+}",
                )
            continue
        if param.group(2) and position != len(segments):
            raise InvalidArgumentError(
                where, key, route, f"{_ROUTE_EXPECTED}; a greedy parameter {segment} must be the last segment"
            )
        names.append(param.group(1))
    if len(names) != len(set(names)):
        raise InvalidArgumentError(where, key, route, f"{_ROUTE_EXPECTED}; each path parameter named once")


def check_routes(where: str, routes: Any) -> list[RouteKey]:
    """Route keys, each valid, none repeated (even under other parameter names)."""
    check.known(where, "routes", routes)
    if isinstance(routes, str) or not isinstance(routes, Sequence) or not routes:
        raise InvalidArgumentError(
            where, "routes", routes, "a non-empty list of route keys, such as ['ANY /api/{proxy+}']"
        )
    parsed: list[RouteKey] = []
    seen: dict[str, str] = {}
    for index, route in enumerate(routes):
        route_key = parse_route_key(where, f"routes[{index}]", route)
        earlier = seen.get(route_key.normalised)
        if earlier is not None:
            same = "the same route" if earlier == route else f"the same route as {earlier!r} (parameter names differ)"
            raise InvalidArgumentError(where, f"routes[{index}]", route, f"each route once; this is {same}")
        seen[route_key.normalised] = route
        parsed.append(route_key)
    return parsed


def check_public_routes(where: str, value: Any, routes: Sequence[RouteKey]) -> frozenset[str]:
    """Public route keys: a subset of `routes`, written exactly as there."""
    check.known(where, "public_routes", value)
    if isinstance(value, str) or not isinstance(value, Sequence):
        raise InvalidArgumentError(where, "public_routes", value, "a list of route keys taken from routes")
    declared = [r.key for r in routes]
    for index, route in enumerate(value):
        if route not in declared:
            raise InvalidArgumentError(
                where, f"public_routes[{index}]", route, "a route key listed in routes: " + ", ".join(declared)
            )
    return frozenset(value)


def check_preflight_routes(where: str, routes: Sequence[RouteKey], public_routes: frozenset[str]) -> None:
    """With CORS on, every authorized route that also matches `OPTIONS` needs a public `OPTIONS` twin.

    API Gateway answers a preflight itself only when no route matches it; an `ANY` route or
    `$default` does, and the browser's preflight carries no JWT, so the authorizer would
    answer it 401 and the browser would never send the real request.
    """
    public_options = {r.normalised for r in routes if r.method == "OPTIONS" and r.key in public_routes}
    for index, route in enumerate(routes):
        if route.key in public_routes or route.method not in ("", "ANY"):
            continue
        path = route.path or "/{proxy+}"
        twin = parse_route_key(where, f"routes[{index}]", f"OPTIONS {path}")
        if twin.normalised not in public_options:
            raise InvalidArgumentError(
                where,
                f"routes[{index}]",
                route.key,
                f"a public {twin.key!r} route beside it when cors is set (listed in routes and "
                "public_routes): browsers send CORS preflights without the JWT, and this route would "
                "answer them 401",
            )


def route_resource_suffix(route: str) -> str:
    """The part of a route's logical name that comes from its key.

    Readable (method and path words) and unique (a digest of the exact key), so two keys
    that read alike (`GET /a-b`, `GET /a/b`) never share a name and adding a route never
    renames another.
    """
    if route == DEFAULT_ROUTE:
        words = "default"
    else:
        method, path = route.split(" ", 1)
        words = "-".join(w for w in [method.lower(), *re.split(r"[^a-z0-9]+", path.lower())] if w)
    digest = hashlib.sha256(route.encode()).hexdigest()[:8]
    return f"{words[:48].rstrip('-')}-{digest}"


def check_name(where: str, name: Any) -> str:
    """A component name AWS accepts at the start of its children's generated names.

    The API, VPC link and authorizer are auto-named `<name>-<suffix>-<7 hex>` (AWS allows 128
    characters), the security group `<name>-vpc-link-sg-<7 hex>` (AWS refuses names starting
    with `sg-`), and the name appears in the rules' descriptions (a restricted character set).
    """
    return check.text(
        where,
        "name",
        name,
        pattern=_NAME,
        expected="1 to 100 letters, digits, '.', '_' or '-', starting with a letter or digit, and neither sg "
        "nor starting with sg- (it starts the generated names of the API, VPC link and security group), "
        "such as http-api",
    )


def check_listener_arn(where: str, value: Any) -> str:
    """An ALB listener ARN; a load balancer's own ARN gets a message that names the fix."""
    check.known(where, "listener_arn", value)
    if isinstance(value, str) and _LISTENER_ARN.fullmatch(value):
        return value
    if isinstance(value, str) and ":loadbalancer/" in value:
        raise InvalidArgumentError(
            where,
            "listener_arn",
            value,
            f"{_LISTENER_EXPECTED}; this is a load balancer's ARN: pass the ARN of one of its listeners "
            "(an HTTP API private integration sends requests to a listener)",
        )
    raise InvalidArgumentError(where, "listener_arn", value, _LISTENER_EXPECTED)


def check_origin(where: str, key: str, value: Any) -> str:
    """A CORS origin as browsers send it: `scheme://host[:port]`, nothing after."""
    check.known(where, key, value)
    expected = "an origin such as https://app.example.com or http://localhost:3000 (no path, no trailing slash)"
    match = _ORIGIN.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        raise InvalidArgumentError(where, key, value, expected)
    host, port = match.group(2), match.group(3)
    if port is not None and not 1 <= int(port) <= 65535:
        raise InvalidArgumentError(where, key, value, expected)
    if host != "localhost" and not _is_ipv4(host):
        try:
            check.dns_name(where, key, host)
        except InvalidArgumentError:
            raise InvalidArgumentError(where, key, value, expected) from None
    origin: str = value
    return origin


def _is_ipv4(host: str) -> bool:
    parts = host.split(".")
    return len(parts) == 4 and all(p.isdigit() and int(p) <= 255 for p in parts)


@dataclass(frozen=True)
class _Settings:
    """Every argument, checked, with defaults applied."""

    vpc_id: pulumi.Input[str]
    subnet_ids: pulumi.Input[Sequence[pulumi.Input[str]]]
    listener_arn: pulumi.Input[str]
    target_security_group_id: pulumi.Input[str]
    listener_port: pulumi.Input[int]
    tls_server_name: pulumi.Input[str] | None
    issuer: pulumi.Input[str]
    audiences: list[pulumi.Input[str]]
    routes: list[RouteKey]
    public_routes: frozenset[str]
    cors: apigatewayv2.ApiCorsConfigurationArgsDict | None
    access_log_retention_days: int
    protect_access_logs: bool
    throttling_burst_limit: int
    throttling_rate_limit: float
    tags: dict[str, pulumi.Input[str]] | None


def _validate(name: str, raw: Any) -> _Settings:
    where = check.where(COMPONENT, name)
    check_name(where, name)
    # Required keys are present and not None from here on: typed_dict rejects the rest.
    args = check.typed_dict(where, "args", raw, AuthenticatedHttpApiArgs)
    routes = check_routes(where, args.get("routes", list(DEFAULT_ROUTES)))
    public_routes = check_public_routes(where, args.get("public_routes", []), routes)
    cors = check_cors(where, args["cors"]) if "cors" in args else None
    if cors is not None:
        check_preflight_routes(where, routes, public_routes)
    tls_server_name = args.get("tls_server_name")
    if tls_server_name is not None:
        tls_server_name = check.when_known(
            tls_server_name,
            lambda host: check.dns_name(
                where,
                "tls_server_name",
                host,
                expected="the host name on the listener's certificate, such as internal-api.app.example.com",
            ),
        )
    default_port = DEFAULT_TLS_LISTENER_PORT if tls_server_name is not None else DEFAULT_LISTENER_PORT
    return _Settings(
        vpc_id=check.aws_id(where, "vpc_id", args["vpc_id"], "vpc"),
        subnet_ids=_subnet_ids(where, args["subnet_ids"]),
        listener_arn=check.when_known(args["listener_arn"], lambda arn: check_listener_arn(where, arn)),
        target_security_group_id=check.aws_id(
            where, "target_security_group_id", args["target_security_group_id"], "sg"
        ),
        listener_port=check.when_known(
            args.get("listener_port", default_port),
            lambda port: check.integer(where, "listener_port", port, minimum=1, maximum=65535),
        ),
        tls_server_name=tls_server_name,
        issuer=check.when_known(args["issuer"], lambda url: check.https_url(where, "issuer", url)),
        audiences=_audiences(where, args["audiences"]),
        routes=routes,
        public_routes=public_routes,
        cors=cors,
        access_log_retention_days=check.log_retention(
            where, "access_log_retention_days", args.get("access_log_retention_days", DEFAULT_ACCESS_LOG_RETENTION_DAYS)
        ),
        protect_access_logs=check.boolean(where, "protect_access_logs", args.get("protect_access_logs", False)),
        throttling_burst_limit=_burst_limit(where, args.get("throttling_burst_limit", DEFAULT_THROTTLING_BURST_LIMIT)),
        throttling_rate_limit=_rate_limit(where, args.get("throttling_rate_limit", DEFAULT_THROTTLING_RATE_LIMIT)),
        tags=check.tags(where, "tags", args.get("tags", {})) or None,
    )


def _subnet_ids(where: str, value: Any) -> pulumi.Input[Sequence[pulumi.Input[str]]]:
    def check_list(ids: Any) -> list[pulumi.Input[str]]:
        if isinstance(ids, str) or not isinstance(ids, Sequence) or not ids:
            raise InvalidArgumentError(where, "subnet_ids", ids, "a non-empty list of subnet ids")
        checked = [check.aws_id(where, f"subnet_ids[{i}]", s, "subnet") for i, s in enumerate(ids)]
        plain = [s for s in checked if isinstance(s, str)]
        if len(plain) != len(set(plain)):
            raise InvalidArgumentError(where, "subnet_ids", ids, "each subnet once")
        return checked

    result: pulumi.Input[Sequence[pulumi.Input[str]]] = check.when_known(value, check_list)
    return result


def _non_empty_text(where: str, key: str) -> Callable[[Any], str]:
    def check_text(value: Any) -> str:
        if not isinstance(value, str) or not value.strip() or value != value.strip():
            raise InvalidArgumentError(where, key, value, "a non-empty string without surrounding spaces")
        return value

    return check_text


def _audiences(where: str, value: Any) -> list[pulumi.Input[str]]:
    check.known(where, "audiences", value)
    if isinstance(value, str) or not isinstance(value, Sequence) or not value:
        raise InvalidArgumentError(
            where, "audiences", value, "a non-empty list of audiences, such as ['https://api.example.com']"
        )
    return [check.when_known(a, _non_empty_text(where, f"audiences[{i}]")) for i, a in enumerate(value)]


def _header_names(where: str, key: str, value: Any) -> list[str]:
    check.known(where, key, value)
    if isinstance(value, str) or not isinstance(value, Sequence):
        raise InvalidArgumentError(where, key, value, "a list of header names such as ['authorization']")
    for index, header in enumerate(value):
        if not isinstance(header, str) or not _HEADER_NAME.fullmatch(header):
            raise InvalidArgumentError(where, f"{key}[{index}]", header, "an HTTP header name, or '*'")
    return list(value)


def _cors_methods(where: str, value: Any) -> list[str]:
    key = "cors.allow_methods"
    check.known(where, key, value)
    if isinstance(value, str) or not isinstance(value, Sequence) or not value:
        raise InvalidArgumentError(where, key, value, "a non-empty list of methods such as ['GET', 'POST']")
    return [check.one_of(where, f"{key}[{index}]", method, CORS_METHODS) for index, method in enumerate(value)]


def _cors_origins(where: str, value: Any) -> list[pulumi.Input[str]]:
    key = "cors.allow_origins"
    check.known(where, key, value)
    if isinstance(value, str) or not isinstance(value, Sequence) or not value:
        raise InvalidArgumentError(where, key, value, "a non-empty list of origins such as ['https://app.example.com']")
    if "*" in value and len(value) > 1:
        raise InvalidArgumentError(where, key, value, "either ['*'] alone or a list of origins")
    if list(value) == ["*"]:
        return ["*"]
    return [check.when_known(o, _origin_check(where, f"{key}[{i}]")) for i, o in enumerate(value)]


def _origin_check(where: str, key: str) -> Callable[[Any], str]:
    return lambda origin: check_origin(where, key, origin)


def check_cors(where: str, value: Any) -> apigatewayv2.ApiCorsConfigurationArgsDict:
    """The API's `corsConfiguration`, checked as API Gateway and browsers read it."""
    config = check.typed_dict(where, "cors", value, CorsConfig)
    origins = _cors_origins(where, config["allow_origins"])
    methods = _cors_methods(where, config.get("allow_methods", list(DEFAULT_CORS_METHODS)))
    headers = _header_names(where, "cors.allow_headers", config.get("allow_headers", list(DEFAULT_CORS_HEADERS)))
    exposed = _header_names(where, "cors.expose_headers", config.get("expose_headers", []))
    max_age = check.integer(
        where,
        "cors.max_age_seconds",
        config.get("max_age_seconds", DEFAULT_CORS_MAX_AGE_SECONDS),
        minimum=-1,
        maximum=86400,
    )
    credentials = check.boolean(where, "cors.allow_credentials", config.get("allow_credentials", False))
    if credentials:
        # Browsers refuse a credentialed response that allows origin '*' and read '*' in
        # the method and header lists literally, so these combinations never work.
        for key, listed in (
            ("cors.allow_origins", origins),
            ("cors.allow_methods", methods),
            ("cors.allow_headers", headers),
            ("cors.expose_headers", exposed),
        ):
            if "*" in listed:
                raise InvalidArgumentError(
                    where, key, listed, "explicit values (no '*') when cors.allow_credentials is true"
                )
    cors: apigatewayv2.ApiCorsConfigurationArgsDict = {
        "allow_origins": origins,
        "allow_methods": methods,
        "allow_headers": headers,
        "max_age": max_age,
        "allow_credentials": credentials,
    }
    if exposed:
        cors["expose_headers"] = exposed
    return cors


def _burst_limit(where: str, value: Any) -> int:
    return check.integer(where, "throttling_burst_limit", value, minimum=1, maximum=MAX_THROTTLING_BURST_LIMIT)


def _rate_limit(where: str, value: Any) -> float:
    check.known(where, "throttling_rate_limit", value)
    is_number = isinstance(value, int | float) and not isinstance(value, bool)
    if not is_number or not math.isfinite(value) or not 0 < value <= MAX_THROTTLING_RATE_LIMIT:
        raise InvalidArgumentError(
            where,
            "throttling_rate_limit",
            value,
            f"requests per second above 0 and at most {MAX_THROTTLING_RATE_LIMIT:g} (the default account quota)",
        )
    return float(value)


def _log_group_prefix(name: str) -> str:
    # /aws/vendedlogs/ keeps the CloudWatch Logs resource policy that API Gateway's log delivery
    # writes under its 5120-character limit. check_name admits only characters log group
    # names allow.
    return f"/aws/vendedlogs/apis/{name}-"


class AuthenticatedHttpApi(pulumi.ComponentResource):
    """An HTTP API that requires a JWT and forwards to an internal ALB listener through a VPC link.

    Creates, all children of this component and named after it (so the name is 1 to 100
    letters, digits, '.', '_' or '-', and neither `sg` nor starting with `sg-`, which AWS keeps
    for security group ids):

    * `apigatewayv2.Api` `<name>-http-api`: protocol HTTP; the `execute-api` endpoint stays
      enabled, since without a custom domain it is the only way in (with one, disable it so
      the domain is the single entry point); CORS only when `cors` is given.
    * `ec2.SecurityGroup` `<name>-vpc-link-sg`: the VPC link's own group, no inline rules. The
      AWS provider removes the allow-all egress rule AWS adds to new groups, so the group's only
      rule is the first of this pair:
    * `vpc.SecurityGroupEgressRule` `<name>-vpc-link-egress`: TCP `listener_port` to the load
      balancer's group, and
    * `vpc.SecurityGroupIngressRule` `<name>-target-ingress`: on the load balancer's group,
      TCP `listener_port` from the link's group. Separate rule resources, never inline blocks,
      so other components can add rules to the same groups without fighting over them.
    * `apigatewayv2.VpcLink` `<name>-vpc-link`: in `subnet_ids` with that group.
    * `apigatewayv2.Integration` `<name>-integration`: HTTP_PROXY, method ANY, over the VPC
      link to `listener_arn`, payload format 1.0; the request path is passed unchanged; with
      `tls_server_name`, HTTPS to the listener, verifying that name (the integration's
      `tlsConfig`).
    * `apigatewayv2.Authorizer` `<name>-jwt`: JWT from `$request.header.Authorization`
      (a `Bearer` prefix is accepted), checked against `issuer` and `audiences`.
    * `apigatewayv2.Route` `<name>-route-<words>-<digest>` per route key: target the
      integration; authorization JWT with the authorizer unless listed in `public_routes`
      (NONE). The name comes from the key alone, so adding a route never renames another.
    * `cloudwatch.LogGroup` `<name>-access-logs`: named `/aws/vendedlogs/apis/<name>-…`,
      retention `access_log_retention_days`, protected (Pulumi and CloudWatch deletion
      protection) when `protect_access_logs` is.
    * `apigatewayv2.Stage` `<name>-stage`: `$default` (no path prefix reaches the backend),
      auto-deploy, JSON access logs to the log group, default route throttling; created after
      the routes so its first deployment has them. Each access log line records the request id,
      source IP, request time, method, path, route key, status, protocol, response length and
      latency, the integration's status, latency and error message, and the authorizer's error;
      never headers, query strings or JWT claims, which can carry tokens and personal data.

    Defaults: routes `["ANY /api/{proxy+}"]`, all requiring a JWT; plain HTTP to listener port 80
    (HTTPS to 443 with `tls_server_name`); access logs kept 30 days, not protected; throttling
    50 requests/s with bursts of 100; no CORS; no tags.

    Enabling access logs needs `logs:CreateLogDelivery`, `logs:PutResourcePolicy`,
    `logs:UpdateLogDelivery`, `logs:DeleteLogDelivery`, `logs:GetLogDelivery`,
    `logs:ListLogDeliveries` and `logs:DescribeResourcePolicies` for whoever deploys.

    Cost (us-west-2, monthly): the HTTP API is $1.00 per million requests (first 300 million;
    each 512 KB of a request or response counts as one), so the default throttle caps the
    worst case at about $130 (50 requests/s all month). The VPC link, security group,
    authorizer, routes and stage cost nothing. Access logs are $0.50 per GB ingested (a line
    is ~400 bytes, ~$0.20 per million requests) plus $0.03 per GB-month stored for the
    retention period. Data sent to clients is billed as EC2 data transfer out ($0.09/GB after
    the first 100 GB).
    """

    api_id: pulumi.Output[str]
    """The HTTP API's id."""
    api_endpoint: pulumi.Output[str]
    """Base URL of the API, `https://<api-id>.execute-api.<region>.amazonaws.com` (the `$default`
    stage adds no path)."""
    stage_url: pulumi.Output[str]
    """Invoke URL of the `$default` stage: `api_endpoint` with a trailing slash."""
    stage_name: pulumi.Output[str]
    """Name of the stage, `$default`: the `Stage` dimension of the API's CloudWatch metrics (with
    `api_id` as `ApiId`)."""
    execution_arn: pulumi.Output[str]
    """The API's execution ARN, `arn:aws:execute-api:<region>:<account>:<api-id>`: append
    `/<stage>/<METHOD>/<path>` for the resource of an IAM `execute-api:Invoke` statement or of a
    Lambda permission's source ARN."""
    vpc_link_id: pulumi.Output[str]
    """Id of the VPC link the integration uses."""
    vpc_link_security_group_id: pulumi.Output[str]
    """The VPC link's security group; the load balancer's group admits it on `listener_port`."""
    authorizer_id: pulumi.Output[str]
    """Id of the JWT authorizer every non-public route uses."""
    access_log_group_name: pulumi.Output[str]
    """Name of the CloudWatch log group receiving the stage's access logs."""

    def __init__(self, name: str, args: AuthenticatedHttpApiArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        settings = _validate(name, args)
        super().__init__(f"papyrus:index:{COMPONENT}", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)

        api = apigatewayv2.Api(
            f"{name}-http-api",
            protocol_type="HTTP",
            description=f"{name}: JWT-protected API in front of an internal load balancer",
            disable_execute_api_endpoint=False,
            cors_configuration=settings.cors,
            tags=settings.tags,
            opts=child,
        )
        link_group = _vpc_link_security_group(name, settings, child)
        link = apigatewayv2.VpcLink(
            f"{name}-vpc-link",
            subnet_ids=settings.subnet_ids,
            security_group_ids=[link_group.id],
            tags=settings.tags,
            opts=child,
        )
        integration = apigatewayv2.Integration(
            f"{name}-integration",
            api_id=api.id,
            description="Internal load balancer listener, through the VPC link",
            integration_type="HTTP_PROXY",
            integration_method="ANY",
            connection_type="VPC_LINK",
            connection_id=link.id,
            integration_uri=settings.listener_arn,
            payload_format_version="1.0",
            tls_config=None
            if settings.tls_server_name is None
            else {"server_name_to_verify": settings.tls_server_name},
            opts=child,
        )
        authorizer = apigatewayv2.Authorizer(
            f"{name}-jwt",
            api_id=api.id,
            authorizer_type="JWT",
            identity_sources=[IDENTITY_SOURCE],
            jwt_configuration={"issuer": settings.issuer, "audiences": settings.audiences},
            opts=child,
        )
        routes = [
            _route(
                name,
                route=route,
                public=route.key in settings.public_routes,
                api=api,
                integration=integration,
                authorizer=authorizer,
                child=child,
            )
            for route in settings.routes
        ]
        log_group = cloudwatch.LogGroup(
            f"{name}-access-logs",
            name_prefix=_log_group_prefix(name),
            retention_in_days=settings.access_log_retention_days,
            deletion_protection_enabled=settings.protect_access_logs,
            tags=settings.tags,
            opts=pulumi.ResourceOptions(parent=self, protect=settings.protect_access_logs),
        )
        stage = apigatewayv2.Stage(
            f"{name}-stage",
            api_id=api.id,
            name=DEFAULT_STAGE,
            auto_deploy=True,
            access_log_settings={"destination_arn": log_group.arn, "format": ACCESS_LOG_FORMAT},
            default_route_settings={
                "throttling_burst_limit": settings.throttling_burst_limit,
                "throttling_rate_limit": settings.throttling_rate_limit,
            },
            tags=settings.tags,
            # Auto-deploy deploys when the stage is created: with the routes in place first,
            # that deployment already serves them.
            opts=pulumi.ResourceOptions(parent=self, depends_on=routes),
        )

        self.api_id = api.id
        self.api_endpoint = api.api_endpoint
        self.stage_url = stage.invoke_url
        self.stage_name = stage.name
        self.execution_arn = api.execution_arn
        self.vpc_link_id = link.id
        self.vpc_link_security_group_id = link_group.id
        self.authorizer_id = authorizer.id
        self.access_log_group_name = log_group.name
        self.register_outputs(
            {
                "api_id": self.api_id,
                "api_endpoint": self.api_endpoint,
                "stage_url": self.stage_url,
                "stage_name": self.stage_name,
                "execution_arn": self.execution_arn,
                "vpc_link_id": self.vpc_link_id,
                "vpc_link_security_group_id": self.vpc_link_security_group_id,
                "authorizer_id": self.authorizer_id,
                "access_log_group_name": self.access_log_group_name,
            }
        )


def _vpc_link_security_group(name: str, settings: _Settings, child: pulumi.ResourceOptions) -> ec2.SecurityGroup:
    """The link's own group, and the rule pair that lets it reach the load balancer and nothing else."""
    group = ec2.SecurityGroup(
        f"{name}-vpc-link-sg",
        vpc_id=settings.vpc_id,
        description="API Gateway VPC link: egress only to the target load balancer",
        tags=settings.tags,
        opts=child,
    )
    allow_tcp(
        source_group_id=group.id,
        target_group_id=settings.target_security_group_id,
        port=settings.listener_port,
        egress_name=f"{name}-vpc-link-egress",
        ingress_name=f"{name}-target-ingress",
        description=f"API Gateway VPC link of {name} to the load balancer listener",
        tags=settings.tags,
        opts=child,
    )
    return group


def _route(
    name: str,
    *,
    route: RouteKey,
    public: bool,
    api: apigatewayv2.Api,
    integration: apigatewayv2.Integration,
    authorizer: apigatewayv2.Authorizer,
    child: pulumi.ResourceOptions,
) -> apigatewayv2.Route:
    return apigatewayv2.Route(
        f"{name}-route-{route_resource_suffix(route.key)}",
        api_id=api.id,
        route_key=route.key,
        target=pulumi.Output.concat("integrations/", integration.id),
        authorization_type="NONE" if public else "JWT",
        authorizer_id=None if public else authorizer.id,
        opts=child,
    )
