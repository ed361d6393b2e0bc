"""An Auth0 regular web application and API whose URLs follow the app's base URL.

The source article registers the Auth0 application's callback, logout and web origin
URLs by hand once the app is running, then redeploys. Here they are computed from a
base URL input (usually built from the load balancer's DNS name, or a custom domain)
in the same `pulumi up`: the Auth0 client depends on the load balancer, and nothing
the load balancer needs depends on the client, so there is no cycle and no second run.
"""

# No `from __future__ import annotations`: the component analyzer reads these annotations evaluated.

import ipaddress
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, NotRequired, TypedDict
from urllib.parse import urlsplit

import pulumi
import pulumi_auth0 as auth0

from components import validation as check
from components.arg_docs import documented_keys
from components.validation import InvalidArgumentError, where

COMPONENT = "Auth0Application"

DEFAULT_CALLBACK_PATH = "/callback"
DEFAULT_LOGOUT_PATH = "/logout"

# Access tokens cannot be revoked once issued, so keep them short: the web app holds a
# rotating refresh token and gets a new one quietly. Auth0's own default is 86,400 s.
DEFAULT_ACCESS_TOKEN_LIFETIME_SECONDS = 3_600
# A token that expires within a minute is refreshed on almost every request.
MIN_ACCESS_TOKEN_LIFETIME_SECONDS = 60
# The largest value Auth0 accepts for an API's token lifetime (30 days).
MAX_ACCESS_TOKEN_LIFETIME_SECONDS = 2_592_000
# Auth0's default for implicit/hybrid-flow tokens; it must not exceed the token lifetime.
BROWSER_FLOW_TOKEN_LIFETIME_SECONDS = 7_200

# The ID token is read once, at sign-in; Flask keeps its own session afterwards.
ID_TOKEN_LIFETIME_SECONDS = 3_600
# A signed-in user must authenticate again after 30 days (Auth0's default absolute
# lifetime for rotating refresh tokens) or after 15 days without using the app.
REFRESH_TOKEN_LIFETIME_SECONDS = 2_592_000
REFRESH_TOKEN_IDLE_LIFETIME_SECONDS = 1_296_000

# Limits of Auth0's Management API (POST /api/v2/resource-servers and /clients).
MAX_API_IDENTIFIER_LENGTH = 600
MAX_API_NAME_LENGTH = 200

GRANT_TYPES = ("authorization_code", "refresh_token")

# Management API scopes the Auth0 provider's machine-to-machine client needs for what this
# component manages (terraform-provider-auth0's calls: clients CRUD, the client's credentials list,
# resource servers CRUD), plus read:client_keys to read the client secret back: without it Auth0
# answers with an empty secret instead of an error.
REQUIRED_MANAGEMENT_SCOPES = (
    "create:clients",
    "read:clients",
    "update:clients",
    "delete:clients",
    "read:client_keys",
    "read:client_credentials",
    "create:resource_servers",
    "read:resource_servers",
    "update:resource_servers",
    "delete:resource_servers",
)

_DEFAULT_PORTS = {"http": 80, "https": 443}
# An absolute URI: a scheme, a colon, then anything but whitespace (RFC 3986 §3.1).
_ABSOLUTE_URI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:\S+")
# A URL path of RFC 3986 path characters (pchar and "/"), starting with "/".
_URL_PATH = re.compile(r"/(?:[A-Za-z0-9._~!$&'()*+,;=:@/-]|%[0-9A-Fa-f]{2})*")


@documented_keys
class Auth0ApplicationArgs(TypedDict):
    """Arguments of `Auth0Application`."""

    tenant_domain: str
    """The Auth0 tenant's bare host name, the same value as the provider's `auth0:domain`. Tokens
    carry `iss` = `https://<tenant_domain>/`. No scheme, path, port or spaces. Required; known at
    preview. Example: `"papyrus.us.auth0.com"`."""

    application_name: pulumi.Input[str]
    """Display name of the Auth0 application on the login page and in the dashboard. Must not be
    blank or contain `<` or `>`. Required. Example: `"papyrus (prd)"`."""

    base_url: pulumi.Input[str]
    """Where users reach the app: an absolute http:// or https:// URL with a host (a DNS name or an
    IPv4 address) and optionally a port, but no path, query or fragment. A trailing slash is dropped,
    as are the scheme's default port and upper case in the scheme and host. Usually an output, such as
    an ApplicationLoadBalancer's `url`; checked once known. Required.
    Example: `"https://papyrus.example.com"`."""

    callback_path: NotRequired[str]
    """Path of the app's OAuth callback route; the allowed callback URL is `<base_url><callback_path>`.
    Starts with "/"; no spaces, query or fragment. Default: `"/callback"`. Example: `"/auth/callback"`."""

    logout_path: NotRequired[str]
    """Path of the app's logout route; the allowed logout URLs are `<base_url><logout_path>` and
    `<base_url>`. Starts with "/"; no spaces, query or fragment. Default: `"/logout"`.
    Example: `"/auth/logout"`."""

    api_identifier: str
    """Identifier of the Auth0 API (resource server): the `aud` claim of its access tokens and the
    audience a JWT authorizer accepts. An absolute URI of at most 600 characters without whitespace.
    Auth0 cannot change it once created, so it is plain and known at preview. Required.
    Example: `"urn:papyrus:prd:api"` or `"https://api.papyrus.example.com"`."""

    api_name: NotRequired[pulumi.Input[str]]
    """Display name of the Auth0 API. At most 200 characters, not blank, no `<` or `>`. Default:
    `application_name` followed by " API". Example: `"papyrus (prd) API"`."""

    access_token_lifetime_seconds: NotRequired[int]
    """How long access tokens for the API stay valid, from 60 to 2,592,000 seconds (Auth0's maximum,
    30 days). Default: `3600` (one hour; the web app renews tokens with its refresh token).
    Example: `900`."""


@dataclass(frozen=True)
class _Settings:
    """The arguments after validation and defaults."""

    tenant_domain: str
    application_name: pulumi.Input[str]
    base_url: pulumi.Input[str]
    callback_path: str
    logout_path: str
    api_identifier: str
    api_name: pulumi.Input[str]
    access_token_lifetime_seconds: int


class Auth0Application(pulumi.ComponentResource):
    """An Auth0 regular web application with its client secret, and the Auth0 API it calls.

    Children (logical names derive from the component's name `<name>`):

    * `auth0.Client` `<name>-client`: a first-party, OIDC-conformant regular web application
      (the Flask app signs users in with the authorization code flow and renews tokens with
      refresh tokens; no implicit, password or client-credentials grant). Allowed callback URL
      `<base_url><callback_path>`, allowed logout URLs `<base_url><logout_path>` and `<base_url>`,
      allowed web origin `<base_url>`. ID tokens are RS256-signed and live 3600 s. Refresh tokens
      rotate (reuse of an old one revokes the family, leeway 0 s) and expire 2,592,000 s (30 days)
      after sign-in or 1,296,000 s (15 days) after last use. Cross-origin authentication is off
      (the app uses Universal Login) and organizations are denied.
    * `auth0.ClientCredentials` `<name>-credentials`: the client authenticates to the token
      endpoint with its secret in the request body (method "client_secret_post"). It holds the
      client secret (provider v3); the provider marks it secret and so does this component's
      `client_secret` output.
    * `auth0.ResourceServer` `<name>-api`: the API with identifier `api_identifier` (the audience),
      RS256-signed access tokens valid for `access_token_lifetime_seconds` (default 3600; tokens
      from implicit/hybrid flows at most 7200), refresh tokens allowed ("offline_access"), and no
      consent screen for first-party applications such as this one.

    Defaults: `callback_path` "/callback", `logout_path` "/logout", `api_name` the
    `application_name` followed by " API", `access_token_lifetime_seconds` 3600. Every argument is checked
    before anything is registered; `base_url`, `application_name` and `api_name` may be outputs
    (the base URL usually is) and are then checked as soon as their values are known.

    The Auth0 provider's machine-to-machine client needs these Management API scopes:
    create:clients, read:clients, update:clients, delete:clients, read:client_keys,
    read:client_credentials, create:resource_servers, read:resource_servers,
    update:resource_servers and delete:resource_servers. Without read:client_keys (or
    read:client_credentials) Auth0 returns an empty client secret instead of an error;
    `client_secret` then fails the update with an error naming the missing scopes, before anything
    stores or uses the empty value.
    With a custom domain on the Auth0 tenant, tokens carry that domain as `iss`; pass it as
    `tenant_domain`.

    Cost: Auth0 does not charge per application or API, and nothing here runs on AWS ($0 a month
    in us-west-2). What costs money is the tenant's plan, priced by monthly active users: the free
    plan covers up to 25,000 of them, paid plans are priced in MAU bands. The application uses no
    client-credentials (machine-to-machine) tokens, so it does not draw on that quota.
    """

    # Marked secret in the package schema too, so other languages' SDKs type it as a secret.
    _secret_outputs: ClassVar[tuple[str, ...]] = ("client_secret",)

    client_id: pulumi.Output[str]
    """The Auth0 application's client id (not secret), such as for the app's AUTH0_CLIENT_ID."""

    client_secret: pulumi.Output[str]
    """The Auth0 application's client secret, always a Pulumi secret. Never empty: when Auth0 returns
    an empty secret (the provider's client lacks the read:client_keys scope), resolving it fails the
    update with an error that names the missing Management API scopes."""

    api_identifier: pulumi.Output[str]
    """The Auth0 API's identifier: the audience a JWT authorizer accepts. Resolves once the API exists."""

    issuer: pulumi.Output[str]
    """The `iss` claim of the tenant's tokens, `https://<tenant_domain>/` with Auth0's trailing slash."""

    tenant_domain: pulumi.Output[str]
    """The tenant's host name, such as for the app's AUTH0_DOMAIN."""

    base_url: pulumi.Output[str]
    """The normalised base URL: the allowed web origin and second allowed logout URL."""

    callback_url: pulumi.Output[str]
    """The allowed callback URL, `<base_url><callback_path>`, such as for the app's AUTH0_CALLBACK_URL."""

    logout_url: pulumi.Output[str]
    """The allowed logout URL, `<base_url><logout_path>`."""

    def __init__(self, name: str, args: Auth0ApplicationArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        settings = _validate(where(COMPONENT, name), args)
        super().__init__(f"papyrus:index:{COMPONENT}", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)

        base_url = pulumi.Output.from_input(settings.base_url)
        callback_url = pulumi.Output.concat(base_url, settings.callback_path)
        logout_url = pulumi.Output.concat(base_url, settings.logout_path)

        client = auth0.Client(
            f"{name}-client",
            name=settings.application_name,
            description="Managed by Pulumi: changes made in the Auth0 dashboard are overwritten.",
            app_type="regular_web",
            is_first_party=True,
            oidc_conformant=True,
            grant_types=list(GRANT_TYPES),
            callbacks=[callback_url],
            allowed_logout_urls=[logout_url, base_url],
            web_origins=[base_url],
            cross_origin_auth=False,
            organization_usage="deny",
            jwt_configuration={"alg": "RS256", "lifetime_in_seconds": ID_TOKEN_LIFETIME_SECONDS},
            refresh_token={
                "rotation_type": "rotating",
                "expiration_type": "expiring",
                "leeway": 0,
                "token_lifetime": REFRESH_TOKEN_LIFETIME_SECONDS,
                "infinite_token_lifetime": False,
                "idle_token_lifetime": REFRESH_TOKEN_IDLE_LIFETIME_SECONDS,
                "infinite_idle_token_lifetime": False,
            },
            opts=child,
        )
        credentials = auth0.ClientCredentials(
            f"{name}-credentials",
            client_id=client.client_id,
            authentication_method="client_secret_post",
            opts=child,
        )
        api = auth0.ResourceServer(
            f"{name}-api",
            identifier=settings.api_identifier,
            name=settings.api_name,
            signing_alg="RS256",
            token_lifetime=settings.access_token_lifetime_seconds,
            token_lifetime_for_web=min(settings.access_token_lifetime_seconds, BROWSER_FLOW_TOKEN_LIFETIME_SECONDS),
            allow_offline_access=True,
            skip_consent_for_verifiable_first_party_clients=True,
            opts=child,
        )

        self.client_id = client.client_id
        at = where(COMPONENT, name)
        self.client_secret = pulumi.Output.secret(
            pulumi.Output.all(client.client_id, credentials.client_secret).apply(
                lambda resolved: require_client_secret(at, resolved[0], resolved[1])
            )
        )
        self.api_identifier = api.identifier
        self.issuer = pulumi.Output.from_input(f"https://{settings.tenant_domain}/")
        self.tenant_domain = pulumi.Output.from_input(settings.tenant_domain)
        self.base_url = base_url
        self.callback_url = callback_url
        self.logout_url = logout_url
        self.register_outputs(
            {
                "client_id": self.client_id,
                "client_secret": self.client_secret,
                "api_identifier": self.api_identifier,
                "issuer": self.issuer,
                "tenant_domain": self.tenant_domain,
                "base_url": self.base_url,
                "callback_url": self.callback_url,
                "logout_url": self.logout_url,
            }
        )


class MissingAuth0ScopesError(pulumi.RunError):
    """Auth0 answered with an empty client secret: the provider's Management API client lacks scopes.

    A `pulumi.RunError`, so `pulumi up` prints the message alone rather than a traceback.
    """


def require_client_secret(at: str, client_id: Any, secret: Any) -> str:
    """The client secret Auth0 returned, or `MissingAuth0ScopesError` when it is empty.

    Auth0 leaves `client_secret` empty instead of refusing the read when the caller lacks
    `read:client_keys`; the deployment would succeed and every sign-in fail.
    """
    if isinstance(secret, str) and secret:
        return secret
    raise MissingAuth0ScopesError(
        f"{at}: Auth0 returned an empty client secret for the application {client_id}: the Auth0 "
        "provider's machine-to-machine client lacks the Management API scope read:client_keys (or "
        "read:client_credentials). Authorise it for the Auth0 Management API with the scopes "
        f"{', '.join(REQUIRED_MANAGEMENT_SCOPES)}, then run `pulumi up --refresh` so the secret is read again"
    )


_TENANT_EXPECTED = "the Auth0 tenant's bare host name, such as papyrus.us.auth0.com (no scheme, path, port or spaces)"


def _validate(at: str, raw: Mapping[str, Any]) -> _Settings:
    args = check.typed_dict(at, "args", raw, Auth0ApplicationArgs)
    application_name = check.when_known(args["application_name"], _name_check(at, "application_name", None))
    api_name = args.get("api_name")
    if api_name is None:
        # Derived from the application name, so it must meet the API's length limit too.
        api_name = _default_api_name(args["application_name"])
    return _Settings(
        tenant_domain=check.dns_name(at, "tenant_domain", args["tenant_domain"], expected=_TENANT_EXPECTED),
        application_name=application_name,
        base_url=check.when_known(args["base_url"], lambda value: normalise_base_url(at, "base_url", value)),
        callback_path=url_path(at, "callback_path", args.get("callback_path", DEFAULT_CALLBACK_PATH)),
        logout_path=url_path(at, "logout_path", args.get("logout_path", DEFAULT_LOGOUT_PATH)),
        api_identifier=api_identifier(at, "api_identifier", args["api_identifier"]),
        api_name=check.when_known(api_name, _name_check(at, "api_name", MAX_API_NAME_LENGTH)),
        access_token_lifetime_seconds=check.integer(
            at,
            "access_token_lifetime_seconds",
            args.get("access_token_lifetime_seconds", DEFAULT_ACCESS_TOKEN_LIFETIME_SECONDS),
            minimum=MIN_ACCESS_TOKEN_LIFETIME_SECONDS,
            maximum=MAX_ACCESS_TOKEN_LIFETIME_SECONDS,
        ),
    )


def _default_api_name(application_name: pulumi.Input[str]) -> pulumi.Input[str]:
    if isinstance(application_name, str):
        return f"{application_name} API"
    return pulumi.Output.concat(application_name, " API")


def _name_check(at: str, key: str, max_length: int | None) -> Callable[[Any], str]:
    def checked(value: Any) -> str:
        return display_name(at, key, value, max_length=max_length)

    return checked


def display_name(at: str, key: str, value: Any, *, max_length: int | None = None) -> str:
    """A name Auth0 shows to people: not blank, no `<` or `>`, optionally length-limited."""
    limit = f" of at most {max_length} characters" if max_length is not None else ""
    expected = f"a non-blank name{limit} without < or >"
    if (
        not isinstance(value, str)
        or not value.strip()
        or "<" in value
        or ">" in value
        or (max_length is not None and len(value) > max_length)
    ):
        raise InvalidArgumentError(at, key, value, expected)
    return value


def url_path(at: str, key: str, value: Any) -> str:
    """A path appended to the base URL: starts with "/", RFC 3986 path characters only."""
    check.known(at, key, value)
    if not isinstance(value, str) or not _URL_PATH.fullmatch(value):
        raise InvalidArgumentError(
            at, key, value, 'a URL path starting with "/" without spaces, query or fragment, such as /callback'
        )
    return value


def api_identifier(at: str, key: str, value: Any) -> str:
    """An Auth0 API identifier: an absolute URI (https://... or urn:...), 1 to 600 characters."""
    check.known(at, key, value)
    if not isinstance(value, str) or len(value) > MAX_API_IDENTIFIER_LENGTH or not _ABSOLUTE_URI.fullmatch(value):
        raise InvalidArgumentError(
            at,
            key,
            value,
            f"an absolute URI of at most {MAX_API_IDENTIFIER_LENGTH} characters without whitespace, "
            "such as https://api.example.com or urn:papyrus:prd:api",
        )
    return value


def normalise_base_url(at: str, key: str, value: Any) -> str:
    """An app's base URL in the form Auth0 and browsers compare: `scheme://host[:port]`.

    Accepts http(s) URLs with a DNS name or IPv4 host, an optional port and at most a
    trailing slash; lower-cases scheme and host and drops the scheme's default port,
    because a browser's `Origin` header never carries them and Auth0 compares exactly.
    """
    expected = (
        "an absolute http:// or https:// URL with a host name and no path, query or fragment, "
        "such as https://papyrus.example.com or http://web-1234.us-west-2.elb.amazonaws.com"
    )
    if not isinstance(value, str) or any(c.isspace() for c in value) or "?" in value or "#" in value:
        raise InvalidArgumentError(at, key, value, expected)
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError:
        raise InvalidArgumentError(at, key, value, expected) from None
    if (
        parts.scheme not in _DEFAULT_PORTS
        or not value.lower().startswith(f"{parts.scheme}://")
        or parts.path not in ("", "/")
        or "@" in parts.netloc
        or port == 0
        or not _is_host(parts.hostname)
    ):
        raise InvalidArgumentError(at, key, value, expected)
    shown_port = "" if port is None or port == _DEFAULT_PORTS[parts.scheme] else f":{port}"
    return f"{parts.scheme}://{parts.hostname}{shown_port}"


def _is_host(host: str | None) -> bool:
    if not host:
        return False
    try:
        ipaddress.IPv4Address(host)
    except ValueError:
        pass
    else:
        return True
    try:
        check.dns_name("", "host", host)
    except InvalidArgumentError:
        return False
    return True
