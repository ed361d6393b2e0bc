"""Auth0Application: URLs computed from the base URL, the client, its secret, the API and bad input."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, cast

import pulumi
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pulumi_aws import lb, ssm

from components.auth0_application import (
    REQUIRED_MANAGEMENT_SCOPES,
    Auth0Application,
    Auth0ApplicationArgs,
    MissingAuth0ScopesError,
    api_identifier,
    normalise_base_url,
    url_path,
)
from components.testing.engine import Deployment, ProgramError, RegisteredResource
from components.testing.mocks import AwsMocks
from components.validation import InvalidArgumentError
from tests.harness import plaintext_leaks, rejects, run_component, secret_values

COMPONENT = "papyrus:index:Auth0Application"
CLIENT = "auth0:index/client:Client"
CREDENTIALS = "auth0:index/clientCredentials:ClientCredentials"
API = "auth0:index/resourceServer:ResourceServer"
LOAD_BALANCER = "aws:lb/loadBalancer:LoadBalancer"
PARAMETER = "aws:ssm/parameter:Parameter"

TENANT = "papyrus.us.auth0.com"
DOMAIN_BASE = "https://papyrus.example.com"
OUTPUTS = (
    "client_id",
    "client_secret",
    "api_identifier",
    "issuer",
    "tenant_domain",
    "base_url",
    "callback_url",
    "logout_url",
)


def _args(**overrides: Any) -> Auth0ApplicationArgs:
    args: dict[str, Any] = {
        "tenant_domain": TENANT,
        "application_name": "papyrus (dev)",
        "base_url": DOMAIN_BASE,
        "api_identifier": "urn:papyrus:dev:api",
        **overrides,
    }
    return cast(Auth0ApplicationArgs, args)


def _exports(app: Auth0Application) -> dict[str, Any]:
    return {key: getattr(app, key) for key in OUTPUTS}


def _construct(**overrides: Any) -> Callable[[], dict[str, Any]]:
    return lambda: _exports(Auth0Application("auth", _args(**overrides)))


def _deploy(**overrides: Any) -> Deployment:
    return run_component(_construct(**overrides))


def _alb() -> lb.LoadBalancer:
    return lb.LoadBalancer(
        "web",
        name="papyrus-web",
        load_balancer_type="application",
        subnets=["subnet-0a", "subnet-0b"],
    )


# ---- URLs -----------------------------------------------------------------------------


def test_urls_follow_the_load_balancer_dns_name_output() -> None:
    def build() -> dict[str, Any]:
        alb = _alb()
        app = Auth0Application("auth", _args(base_url=pulumi.Output.concat("http://", alb.dns_name)))
        return _exports(app)

    deployment = run_component(build)

    alb = deployment.one(LOAD_BALANCER)
    client = deployment.one(CLIENT)
    base = f"http://{alb.outputs['dnsName']}"
    assert base.endswith(".us-west-2.elb.amazonaws.com")
    assert client.inputs["callbacks"] == [f"{base}/callback"]
    assert client.inputs["allowedLogoutUrls"] == [f"{base}/logout", base]
    assert client.inputs["webOrigins"] == [base]
    for prop in ("callbacks", "allowedLogoutUrls", "webOrigins"):
        assert client.property_dependencies[prop] == (alb.urn,)
    assert deployment.outputs["base_url"] == base
    assert deployment.outputs["callback_url"] == f"{base}/callback"
    assert deployment.outputs["logout_url"] == f"{base}/logout"


@pytest.mark.parametrize("as_output", [False, True], ids=["plain", "output"])
@pytest.mark.parametrize("given_base", [DOMAIN_BASE, f"{DOMAIN_BASE}/"], ids=["bare", "trailing-slash"])
def test_urls_follow_an_https_domain(given_base: str, as_output: bool) -> None:
    def build() -> dict[str, Any]:
        base_url = pulumi.Output.from_input(given_base) if as_output else given_base
        return _exports(Auth0Application("auth", _args(base_url=base_url)))

    deployment = run_component(build)

    client = deployment.one(CLIENT)
    assert client.inputs["callbacks"] == ["https://papyrus.example.com/callback"]
    assert client.inputs["allowedLogoutUrls"] == ["https://papyrus.example.com/logout", "https://papyrus.example.com"]
    assert client.inputs["webOrigins"] == ["https://papyrus.example.com"]
    assert deployment.outputs["base_url"] == "https://papyrus.example.com"
    assert deployment.outputs["callback_url"] == "https://papyrus.example.com/callback"
    assert deployment.outputs["logout_url"] == "https://papyrus.example.com/logout"


def test_custom_paths_are_appended_to_the_base_url() -> None:
    deployment = _deploy(
        base_url="http://203.0.113.10:5000/", callback_path="/auth/callback", logout_path="/auth/logout"
    )

    client = deployment.one(CLIENT)
    assert client.inputs["callbacks"] == ["http://203.0.113.10:5000/auth/callback"]
    assert client.inputs["allowedLogoutUrls"] == ["http://203.0.113.10:5000/auth/logout", "http://203.0.113.10:5000"]
    assert client.inputs["webOrigins"] == ["http://203.0.113.10:5000"]
    assert deployment.outputs["callback_url"] == "http://203.0.113.10:5000/auth/callback"


def test_consumers_of_the_urls_depend_on_the_load_balancer_and_of_the_audience_on_the_api() -> None:
    """What the program builds from these outputs waits for the right resource and no other."""

    def build() -> None:
        app = Auth0Application("auth", _args(base_url=pulumi.Output.concat("http://", _alb().dns_name)))
        ssm.Parameter("callback", name="/papyrus/dev/AUTH0_CALLBACK_URL", type="String", value=app.callback_url)
        ssm.Parameter("audience", name="/papyrus/dev/AUDIENCE", type="String", value=app.api_identifier)

    deployment = run_component(build)

    callback = deployment.one(PARAMETER, "callback")
    audience = deployment.one(PARAMETER, "audience")
    assert callback.property_dependencies["value"] == (deployment.one(LOAD_BALANCER).urn,)
    assert audience.property_dependencies["value"] == (deployment.one(API).urn,)
    assert audience.inputs["value"] == "urn:papyrus:dev:api"


# ---- the client, its credentials and the API --------------------------------------------


def test_client_is_an_oidc_conformant_regular_web_application() -> None:
    client = _deploy().one(CLIENT)

    assert client.inputs["name"] == "papyrus (dev)"
    assert client.inputs["appType"] == "regular_web"
    assert client.inputs["oidcConformant"] is True
    assert client.inputs["isFirstParty"] is True
    assert client.inputs["grantTypes"] == ["authorization_code", "refresh_token"]
    assert client.inputs["jwtConfiguration"] == {"alg": "RS256", "lifetimeInSeconds": 3600}
    assert client.inputs["crossOriginAuth"] is False
    assert client.inputs["organizationUsage"] == "deny"
    assert client.inputs["refreshToken"] == {
        "rotationType": "rotating",
        "expirationType": "expiring",
        "leeway": 0,
        "tokenLifetime": 2_592_000,
        "infiniteTokenLifetime": False,
        "idleTokenLifetime": 1_296_000,
        "infiniteIdleTokenLifetime": False,
    }
    # The secret belongs to ClientCredentials in provider v3; nothing secret goes into the client.
    assert client.secret_paths == frozenset()


def test_credentials_use_client_secret_post_for_this_client() -> None:
    deployment = _deploy()

    client = deployment.one(CLIENT)
    credentials = deployment.one(CREDENTIALS)
    assert credentials.inputs == {"clientId": client.id, "authenticationMethod": "client_secret_post"}
    assert credentials.property_dependencies["clientId"] == (client.urn,)
    assert "clientSecret" in credentials.additional_secret_outputs


@pytest.mark.parametrize(
    ("lifetime", "expected", "browser_flows"),
    [(None, 3600, 3600), (900, 900, 900), (86_400, 86_400, 7200), (2_592_000, 2_592_000, 7200)],
)
def test_api_signs_rs256_tokens_for_its_identifier(lifetime: int | None, expected: int, browser_flows: int) -> None:
    overrides = {} if lifetime is None else {"access_token_lifetime_seconds": lifetime}
    api = _deploy(**overrides).one(API)

    assert api.inputs == {
        "identifier": "urn:papyrus:dev:api",
        "name": "papyrus (dev) API",
        "signingAlg": "RS256",
        "tokenLifetime": expected,
        "tokenLifetimeForWeb": browser_flows,
        "allowOfflineAccess": True,
        "skipConsentForVerifiableFirstPartyClients": True,
    }


def test_names_may_be_outputs_and_the_api_name_may_be_set() -> None:
    def build() -> None:
        stage = pulumi.Output.from_input("prd")
        Auth0Application(
            "auth",
            _args(
                application_name=pulumi.Output.concat("papyrus (", stage, ")"),
                api_name="papyrus public API",
                api_identifier="https://api.papyrus.example.com",
            ),
        )

    deployment = run_component(build)

    assert deployment.one(CLIENT).inputs["name"] == "papyrus (prd)"
    assert deployment.one(API).inputs["name"] == "papyrus public API"
    assert deployment.one(API).inputs["identifier"] == "https://api.papyrus.example.com"


def test_children_are_parented_and_named_after_the_component() -> None:
    deployment = _deploy()

    component = deployment.one(COMPONENT)
    assert component.name == "auth"
    assert component.parent == deployment.stack_urn
    children = {(r.type, r.name) for r in deployment.children(component)}
    assert children == {(CLIENT, "auth-client"), (CREDENTIALS, "auth-credentials"), (API, "auth-api")}
    assert len(deployment) == 4


# ---- outputs and secrets ------------------------------------------------------------------


def test_outputs_name_the_created_client_api_and_tenant() -> None:
    deployment = _deploy()

    client = deployment.one(CLIENT)
    credentials = deployment.one(CREDENTIALS)
    assert deployment.outputs["client_id"] == client.id == client.outputs["clientId"]
    assert len(deployment.outputs["client_id"]) == 32
    assert deployment.outputs["client_secret"] == credentials.outputs["clientSecret"]
    # Read from the API resource, so whatever consumes the audience waits for the API to exist.
    assert deployment.outputs["api_identifier"] == deployment.one(API).outputs["identifier"] == "urn:papyrus:dev:api"
    assert deployment.outputs["issuer"] == f"https://{TENANT}/"
    assert deployment.outputs["issuer"].endswith("/")
    assert deployment.outputs["tenant_domain"] == TENANT


def test_the_client_secret_is_secret_everywhere() -> None:
    deployment = _deploy()

    secret = deployment.one(CREDENTIALS).outputs["clientSecret"]
    assert deployment.secret_outputs == {"client_secret"}
    assert secret in secret_values(deployment)
    assert plaintext_leaks(deployment) == []


# ---- bad input --------------------------------------------------------------------------------

LONG_IDENTIFIER = "https://api.example.com/" + "a" * 577

BAD_ARGUMENTS: list[tuple[str, Any]] = [
    ("tenant_domain", "https://papyrus.us.auth0.com"),
    ("tenant_domain", "papyrus.us.auth0.com/"),
    ("tenant_domain", "papyrus.us.auth0.com/authorize"),
    ("tenant_domain", "papyrus.us.auth0.com:443"),
    ("tenant_domain", "papyrus .us.auth0.com"),
    ("tenant_domain", ""),
    ("base_url", "papyrus.example.com"),
    ("base_url", "https://papyrus.example.com/app"),
    ("base_url", "ftp://papyrus.example.com"),
    ("base_url", "https://papyrus.example.com/?next=/"),
    ("base_url", "https://papyrus.example.com#top"),
    ("base_url", "https://user@papyrus.example.com"),
    ("base_url", "https://papyrus.example.com:0"),
    ("base_url", "https:papyrus.example.com"),
    ("base_url", "https://"),
    ("base_url", "https://papyrus example.com"),
    ("callback_path", "callback"),
    ("callback_path", "/call back"),
    ("callback_path", "/callback?next=/"),
    ("callback_path", ""),
    ("logout_path", "logout"),
    ("logout_path", "/logout#bye"),
    ("api_identifier", "https://api example.com"),
    ("api_identifier", ""),
    ("api_identifier", "papyrus-api"),
    ("api_identifier", LONG_IDENTIFIER),
    ("access_token_lifetime_seconds", 0),
    ("access_token_lifetime_seconds", 59),
    ("access_token_lifetime_seconds", 2_592_001),
    ("access_token_lifetime_seconds", "3600"),
    ("access_token_lifetime_seconds", True),
    ("application_name", "<script>"),
    ("application_name", "   "),
    ("api_name", "a" * 201),
    ("api_name", "papyrus <API>"),
    ("callbackPath", "/callback"),
]


def test_an_empty_client_secret_stops_the_update_naming_the_missing_scopes() -> None:
    """Auth0 answers "" when the provider's client lacks read:client_keys; nothing may store it."""

    def build() -> dict[str, Any]:
        app = Auth0Application("auth0", _args())
        ssm.Parameter("secret-consumer", name="/x/AUTH0_CLIENT_SECRET", type="SecureString", value=app.client_secret)
        return _exports(app)

    with pytest.raises(ProgramError) as caught:
        run_component(build, mocks=AwsMocks(auth0_client_secret=""))

    error = caught.value.error
    assert isinstance(error, MissingAuth0ScopesError)
    assert str(error).startswith("Auth0Application 'auth0': Auth0 returned an empty client secret for the application ")
    for scope in REQUIRED_MANAGEMENT_SCOPES:
        assert scope in str(error)
    assert "pulumi up --refresh" in str(error)
    assert "\n" not in str(error)
    # The consumer of the secret was never registered with an empty value.
    assert "secret-consumer" not in [r.name for r in caught.value.deployment]


def test_a_client_secret_auth0_returns_passes_through_unchanged() -> None:
    deployment = run_component(
        lambda: _exports(Auth0Application("auth0", _args())), mocks=AwsMocks(auth0_client_secret="s3cr3t-from-auth0")
    )
    assert deployment.outputs["client_secret"] == "s3cr3t-from-auth0"
    assert "client_secret" in deployment.secret_outputs


def test_the_required_scopes_cover_every_call_the_provider_makes_for_these_resources() -> None:
    """create/read/update/delete of clients and resource servers, the credentials list, and the secret."""
    for verb in ("create", "read", "update", "delete"):
        assert f"{verb}:clients" in REQUIRED_MANAGEMENT_SCOPES
        assert f"{verb}:resource_servers" in REQUIRED_MANAGEMENT_SCOPES
    assert {"read:client_keys", "read:client_credentials"} <= set(REQUIRED_MANAGEMENT_SCOPES)
    assert len(set(REQUIRED_MANAGEMENT_SCOPES)) == len(REQUIRED_MANAGEMENT_SCOPES) == 10


def test_the_documentation_lists_the_required_scopes() -> None:
    """Other languages' users read the scopes in the package docs, not in the Python constant."""
    listed = set(re.findall(r"\b(?:create|read|update|delete):[a-z_]+", Auth0Application.__doc__ or ""))
    assert listed == set(REQUIRED_MANAGEMENT_SCOPES)


@pytest.mark.parametrize(("key", "value"), BAD_ARGUMENTS)
def test_bad_arguments_are_rejected_before_anything_is_registered(key: str, value: Any) -> None:
    error = rejects(_construct(**{key: value}))

    assert isinstance(error, InvalidArgumentError)
    assert error.key == key
    assert f"Auth0Application 'auth': invalid {key}={value!r}" in str(error)


def test_a_derived_api_name_over_the_limit_is_rejected() -> None:
    long_name = "p" * 197
    error = rejects(_construct(application_name=long_name))

    assert isinstance(error, InvalidArgumentError)
    assert f"invalid api_name={long_name + ' API'!r}" in str(error)
    assert "at most 200 characters" in str(error)


def test_a_missing_required_argument_is_rejected() -> None:
    args = dict(_args())
    del args["api_identifier"]
    error = rejects(lambda: _exports(Auth0Application("auth", cast(Auth0ApplicationArgs, args))))

    assert isinstance(error, InvalidArgumentError)
    assert "invalid api_identifier=None" in str(error)


def test_tenant_domain_must_be_known_at_preview() -> None:
    error = rejects(lambda: _exports(Auth0Application("auth", _args(tenant_domain=pulumi.Output.from_input(TENANT)))))

    assert isinstance(error, InvalidArgumentError)
    assert "invalid tenant_domain='<Output>'" in str(error)


def test_a_bad_base_url_output_fails_before_the_client_is_registered() -> None:
    def build() -> None:
        Auth0Application("auth", _args(base_url=pulumi.Output.from_input("ftp://files.example.com")))

    with pytest.raises(ProgramError) as caught:
        run_component(build)

    assert isinstance(caught.value.error, InvalidArgumentError)
    assert "invalid base_url='ftp://files.example.com'" in str(caught.value.error)
    registered: list[RegisteredResource] = list(caught.value.deployment)
    assert CLIENT not in {r.type for r in registered}


# ---- pure checks --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given_url", "normalised"),
    [
        ("https://papyrus.example.com", "https://papyrus.example.com"),
        ("https://papyrus.example.com/", "https://papyrus.example.com"),
        ("HTTPS://Papyrus.Example.COM/", "https://papyrus.example.com"),
        ("https://papyrus.example.com:443", "https://papyrus.example.com"),
        ("http://web-1.us-west-2.elb.amazonaws.com:80/", "http://web-1.us-west-2.elb.amazonaws.com"),
        ("http://papyrus.example.com:443", "http://papyrus.example.com:443"),
        ("http://203.0.113.10:5000", "http://203.0.113.10:5000"),
    ],
)
def test_base_urls_are_normalised_as_browsers_send_origins(given_url: str, normalised: str) -> None:
    assert normalise_base_url("here", "base_url", given_url) == normalised


_LABEL = st.from_regex(r"[a-z0-9]([a-z0-9-]{0,20}[a-z0-9])?", fullmatch=True)
_HOSTS = st.builds(
    lambda labels, tld: ".".join([*labels, tld]),
    st.lists(_LABEL, min_size=1, max_size=3),
    st.from_regex(r"[a-z]{2,6}", fullmatch=True),
)


@settings(max_examples=200, deadline=None)
@given(
    scheme=st.sampled_from(["http", "https"]),
    host=_HOSTS,
    port=st.none() | st.integers(min_value=1, max_value=65535),
    slash=st.booleans(),
    path=st.from_regex(r"/[a-z0-9/]{1,12}", fullmatch=True),
)
def test_any_http_origin_normalises_to_itself_and_rejects_a_path(
    scheme: str, host: str, port: int | None, slash: bool, path: str
) -> None:
    netloc = host if port is None else f"{host}:{port}"
    url = f"{scheme}://{netloc}"
    default = {"http": 80, "https": 443}[scheme]
    expected = url if port not in (None, default) else f"{scheme}://{host}"

    normalised = normalise_base_url("here", "base_url", url + ("/" if slash else ""))

    assert normalised == expected
    assert normalise_base_url("here", "base_url", normalised) == normalised
    with pytest.raises(InvalidArgumentError) as caught:
        normalise_base_url("here", "base_url", url + path)
    assert f"invalid base_url={url + path!r}" in str(caught.value)


@pytest.mark.parametrize("path", ["/", "/callback", "/auth/callback", "/a-b_c.d~e", "/%7Euser/cb"])
def test_url_paths_accept_rfc3986_paths(path: str) -> None:
    assert url_path("here", "callback_path", path) == path


@pytest.mark.parametrize(
    "identifier", ["urn:papyrus:prd:api", "https://api.example.com", "https://api.example.com/v1", "x" + ":a" * 299]
)
def test_api_identifiers_accept_absolute_uris_up_to_600_characters(identifier: str) -> None:
    assert len(identifier) <= 600
    assert api_identifier("here", "api_identifier", identifier) == identifier
