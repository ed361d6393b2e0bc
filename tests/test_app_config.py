"""SecureAppConfig: SSM parameters, grouped JSON secrets, ECS secret references and the read policy."""

from __future__ import annotations

import json
from typing import Any

import pulumi
import pulumi_auth0 as auth0
import pulumi_random as random
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pulumi_aws import ecs, iam, kms

from components.app_config import (
    SECRET_MAX_DESCRIPTION_LENGTH,
    SSM_MAX_NAME_LENGTH,
    SecureAppConfig,
    SecureAppConfigArgs,
    read_policy_document,
    rotation_exception,
    secret_description,
    secret_group_name,
    secret_name_prefix,
    ssm_parameter_prefix,
)
from components.testing.engine import Deployment, ProgramError, RegisteredResource
from components.validation import InvalidArgumentError
from tests.harness import plaintext_leaks, rejects, run_component, secret_values

PARAMETER = "aws:ssm/parameter:Parameter"
SECRET = "aws:secretsmanager/secret:Secret"
VERSION = "aws:secretsmanager/secretVersion:SecretVersion"

PARAMETERS = {
    "AUTH0_DOMAIN": "papyrus.us.auth0.com",
    "AUTH0_CALLBACK_URL": "http://web-123.us-west-2.elb.amazonaws.com/callback",
    "GUNICORN_WORKERS": "2",
}
SECURE_PARAMETERS = {"SENTRY_DSN": "https://0f3c1d2e9b@o42.ingest.sentry.io/7"}
GROUPS = {
    "db": {
        "username": "papyrus_app",
        "password": "correct-horse-battery-staple",
        "host": "db.internal.example.com",
        "name": "papyrus",
    },
    "auth0": {
        "client_id": "AbCdEfGh0123456789",
        "client_secret": "auth0-client-secret-7f9c2ba4e88f",
        "domain": "papyrus.us.auth0.com",
    },
    "flask": {"secret_key": "flask-session-signing-key-5d41402abc4b2a76"},
}
SECRET_ENV = {
    "DB_USER": "db.username",
    "DB_PASSWORD": "db.password",
    "DB_HOST": "db.host",
    "DB_NAME": "db.name",
    "AUTH0_CLIENT_ID": "auth0.client_id",
    "AUTH0_CLIENT_SECRET": "auth0.client_secret",
    "FLASK_SECRET_KEY": "flask.secret_key",
}
# The values a leak check must never find outside a secret (the plain settings may appear anywhere).
SENSITIVE = {
    SECURE_PARAMETERS["SENTRY_DSN"],
    GROUPS["db"]["password"],
    GROUPS["auth0"]["client_secret"],
    GROUPS["flask"]["secret_key"],
}


def _papyrus(**overrides: Any) -> SecureAppConfigArgs:
    args: dict[str, Any] = {
        "parameter_prefix": "/papyrus/dev",
        "secret_prefix": "papyrus/dev",
        "parameters": PARAMETERS,
        "secure_parameters": SECURE_PARAMETERS,
        "secret_groups": GROUPS,
        "secret_env": SECRET_ENV,
        "tags": {"project": "portfolio"},
    }
    args.update(overrides)
    return args  # type: ignore[return-value]


def _exported(config: SecureAppConfig) -> dict[str, Any]:
    return {
        "parameter_names": config.parameter_names,
        "parameter_arns": config.parameter_arns,
        "secret_names": config.secret_names,
        "secret_arns": config.secret_arns,
        "container_secrets": config.container_secrets,
        "policy": config.read_policy_json,
        "versions": config.versions,
    }


def _run(args: SecureAppConfigArgs) -> Deployment:
    return run_component(lambda: _exported(SecureAppConfig("app-config", args)))


def _parameter(deployment: Deployment, key: str) -> RegisteredResource:
    return deployment.one(PARAMETER, f"app-config-param-{key}")


def _secret(deployment: Deployment, group: str) -> RegisteredResource:
    return deployment.one(SECRET, f"app-config-secret-{group}")


def _version(deployment: Deployment, group: str) -> RegisteredResource:
    return deployment.one(VERSION, f"app-config-secret-{group}-version")


@pytest.fixture(scope="module")
def papyrus() -> Deployment:
    return _run(_papyrus())


# ---- SSM parameters ----------------------------------------------------------------------------


def test_plain_settings_are_ssm_strings(papyrus: Deployment) -> None:
    component = papyrus.one("papyrus:index:SecureAppConfig")
    for key, value in PARAMETERS.items():
        parameter = _parameter(papyrus, key)
        assert parameter.parent == component.urn
        assert parameter.inputs == {
            "name": f"/papyrus/dev/{key}",
            "type": "String",
            "tier": "Standard",
            "insecureValue": value,
            "tags": {"project": "portfolio"},
        }
        assert not parameter.secret_paths
        assert not parameter.protect


def test_sensitive_settings_are_secret_secure_strings(papyrus: Deployment) -> None:
    parameter = _parameter(papyrus, "SENTRY_DSN")
    assert parameter.inputs == {
        "name": "/papyrus/dev/SENTRY_DSN",
        "type": "SecureString",
        "tier": "Standard",
        "value": SECURE_PARAMETERS["SENTRY_DSN"],
        "tags": {"project": "portfolio"},
    }
    assert parameter.fully_secret("value")
    assert [r.inputs["name"] for r in papyrus.of_type(PARAMETER)] == [
        "/papyrus/dev/AUTH0_CALLBACK_URL",
        "/papyrus/dev/AUTH0_DOMAIN",
        "/papyrus/dev/GUNICORN_WORKERS",
        "/papyrus/dev/SENTRY_DSN",
    ]


# ---- Secrets Manager -------------------------------------------------------------------------------


def test_one_secret_per_group_deleted_immediately_when_unprotected(papyrus: Deployment) -> None:
    assert [s.inputs["name"] for s in papyrus.of_type(SECRET)] == [
        "papyrus/dev/auth0",
        "papyrus/dev/db",
        "papyrus/dev/flask",
    ]
    db = _secret(papyrus, "db")
    assert db.inputs == {
        "name": "papyrus/dev/db",
        "description": "db settings as one JSON document with keys: host, name, password, username",
        "recoveryWindowInDays": 0,
        "tags": {"project": "portfolio"},
    }
    assert not db.protect
    assert not db.is_secret("description")


def test_rotation_exceptions_tag_exactly_the_groups_they_name() -> None:
    reasons = {
        "flask": "Rotating the Flask secret key signs every user out",
        "auth0": "Auth0 rotation needs the Management API: auth0.com/docs @ v2",
    }
    deployment = _run(_papyrus(rotation_exceptions=reasons))

    assert _secret(deployment, "flask").inputs["tags"] == {
        "project": "portfolio",
        "rotation-exception": reasons["flask"],
    }
    assert _secret(deployment, "auth0").inputs["tags"]["rotation-exception"] == reasons["auth0"]
    assert _secret(deployment, "db").inputs["tags"] == {"project": "portfolio"}
    # Only secrets carry the declaration: parameters are not rotated by Secrets Manager at all.
    assert all("rotation-exception" not in (p.inputs.get("tags") or {}) for p in deployment.of_type(PARAMETER))


def test_a_rotation_exception_needs_no_other_tags() -> None:
    deployment = _run(_papyrus(tags={}, rotation_exceptions={"db": "The database lives outside this stack"}))
    assert _secret(deployment, "db").inputs["tags"] == {"rotation-exception": "The database lives outside this stack"}
    assert "tags" not in _secret(deployment, "flask").inputs


@given(st.text(alphabet="abcXYZ019 _.:/=+-@", min_size=1, max_size=256))
def test_any_reason_in_the_tag_value_alphabet_is_accepted(reason: str) -> None:
    if reason != reason.strip(" "):
        return
    assert rotation_exception("test", "reason", reason) == reason


def test_each_version_holds_its_groups_json_as_a_secret(papyrus: Deployment) -> None:
    assert len(papyrus.of_type(VERSION)) == 3
    for group, values in GROUPS.items():
        secret = _secret(papyrus, group)
        version = _version(papyrus, group)
        assert version.inputs["secretId"] == secret.id
        assert version.property_dependencies["secretId"] == (secret.urn,)
        assert version.fully_secret("secretString")
        assert json.loads(version.inputs["secretString"]) == values
        # Sorted keys: reordering a config map does not write a new version.
        assert list(json.loads(version.inputs["secretString"])) == sorted(values)
        assert not version.protect


def test_no_secret_value_appears_outside_a_secret(papyrus: Deployment) -> None:
    # The leak check can only find what it knows: every sensitive value is inside a marked secret.
    known = secret_values(papyrus)
    assert all(any(value in s for s in known) for value in SENSITIVE)
    assert plaintext_leaks(papyrus) == []
    assert plaintext_leaks(papyrus, SENSITIVE) == []
    assert papyrus.secret_outputs == frozenset()


def test_generated_and_borrowed_secrets_stay_secret() -> None:
    def build() -> dict[str, Any]:
        password = random.RandomPassword("db-password", length=32, special=False)
        signing_key = random.RandomPassword("flask-key", length=64, special=False)
        client = auth0.Client("web", name="papyrus", app_type="regular_web")
        credentials = auth0.ClientCredentials("web-credentials", client_id=client.client_id)
        config = SecureAppConfig(
            "app-config",
            _papyrus(
                secure_parameters=None,
                secret_groups={
                    "db": {**GROUPS["db"], "password": password.result},
                    "auth0": {
                        **GROUPS["auth0"],
                        "client_id": client.client_id,
                        "client_secret": credentials.client_secret,
                    },
                    "flask": {"secret_key": signing_key.result},
                },
            ),
        )
        return _exported(config)

    deployment = run_component(build)

    password = deployment.one("random:index/randomPassword:RandomPassword", "db-password")
    signing_key = deployment.one("random:index/randomPassword:RandomPassword", "flask-key")
    credentials = deployment.one("auth0:index/clientCredentials:ClientCredentials")
    client_secret = credentials.outputs["clientSecret"]
    generated = {password.outputs["result"], signing_key.outputs["result"], client_secret}
    versions = {group: _version(deployment, group) for group in GROUPS}
    assert json.loads(versions["db"].inputs["secretString"])["password"] == password.outputs["result"]
    assert json.loads(versions["flask"].inputs["secretString"]) == {"secret_key": signing_key.outputs["result"]}
    assert json.loads(versions["auth0"].inputs["secretString"])["client_secret"] == client_secret
    assert password.urn in versions["db"].property_dependencies["secretString"]
    assert signing_key.urn in versions["flask"].property_dependencies["secretString"]
    assert credentials.urn in versions["auth0"].property_dependencies["secretString"]
    assert all(version.fully_secret("secretString") for version in versions.values())
    assert generated <= secret_values(deployment)
    assert plaintext_leaks(deployment) == []
    assert plaintext_leaks(deployment, generated) == []


# ---- outputs -----------------------------------------------------------------------------------------


def test_names_and_arns_are_those_of_the_created_resources(papyrus: Deployment) -> None:
    outputs = papyrus.outputs
    keys = [*PARAMETERS, *SECURE_PARAMETERS]
    assert outputs["parameter_names"] == {key: f"/papyrus/dev/{key}" for key in keys}
    assert outputs["parameter_arns"] == {key: _parameter(papyrus, key).outputs["arn"] for key in keys}
    assert (
        outputs["parameter_arns"]["AUTH0_DOMAIN"]
        == "arn:aws:ssm:us-west-2:123456789012:parameter/papyrus/dev/AUTH0_DOMAIN"
    )
    assert outputs["secret_names"] == {group: f"papyrus/dev/{group}" for group in GROUPS}
    assert outputs["secret_arns"] == {group: _secret(papyrus, group).outputs["arn"] for group in GROUPS}
    assert outputs["secret_arns"]["db"].startswith(
        "arn:aws:secretsmanager:us-west-2:123456789012:secret:papyrus/dev/db-"
    )


def test_container_secrets_reference_every_value_by_arn(papyrus: Deployment) -> None:
    parameter_arn = {key: _parameter(papyrus, key).outputs["arn"] for key in [*PARAMETERS, *SECURE_PARAMETERS]}
    secret_arn = {group: _secret(papyrus, group).outputs["arn"] for group in GROUPS}
    expected = [{"name": key, "valueFrom": arn} for key, arn in parameter_arn.items()] + [
        {"name": env, "valueFrom": f"{secret_arn[ref.split('.')[0]]}:{ref.split('.')[1]}::"}
        for env, ref in SECRET_ENV.items()
    ]

    entries = papyrus.outputs["container_secrets"]
    assert entries == sorted(expected, key=lambda entry: entry["name"])
    # Spelled out once, in the form ECS parses: <secret-arn>:<json-key>:<version-stage>:<version-id>.
    assert {"name": "DB_PASSWORD", "valueFrom": f"{secret_arn['db']}:password::"} in entries
    assert {"name": "GUNICORN_WORKERS", "valueFrom": parameter_arn["GUNICORN_WORKERS"]} in entries


def test_read_policy_names_exactly_these_arns(papyrus: Deployment) -> None:
    policy = json.loads(papyrus.outputs["policy"])

    assert policy == {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "ReadSecrets",
                "Effect": "Allow",
                "Action": ["secretsmanager:GetSecretValue"],
                "Resource": sorted(s.outputs["arn"] for s in papyrus.of_type(SECRET)),
            },
            {
                "Sid": "ReadParameters",
                "Effect": "Allow",
                "Action": ["ssm:GetParameters"],
                "Resource": sorted(p.outputs["arn"] for p in papyrus.of_type(PARAMETER)),
            },
        ],
    }
    assert "*" not in papyrus.outputs["policy"]


def test_versions_name_every_parameter_and_secret_version(papyrus: Deployment) -> None:
    expected = {f"parameter:{key}": str(_parameter(papyrus, key).outputs["version"]) for key in PARAMETERS}
    expected |= {f"parameter:{key}": str(_parameter(papyrus, key).outputs["version"]) for key in SECURE_PARAMETERS}
    expected |= {f"secret:{group}": _version(papyrus, group).outputs["versionId"] for group in GROUPS}
    assert papyrus.outputs["versions"] == expected
    assert "versions" not in papyrus.secret_outputs
    # Versions only: no value, plain or secret, shows through them.
    shown = json.dumps(papyrus.outputs["versions"])
    assert not any(value in shown for value in SENSITIVE | {PARAMETERS["AUTH0_CALLBACK_URL"]})


def test_versions_change_exactly_where_a_value_changes(papyrus: Deployment) -> None:
    again = _run(_papyrus())
    assert again.outputs["versions"] == papyrus.outputs["versions"]

    groups = {**GROUPS, "db": {**GROUPS["db"], "password": "a-new-password-for-the-db"}}
    parameters = {**PARAMETERS, "GUNICORN_WORKERS": "4"}
    changed = _run(_papyrus(secret_groups=groups, parameters=parameters)).outputs["versions"]
    moved = {key for key, version in changed.items() if papyrus.outputs["versions"][key] != version}
    assert moved == {"secret:db", "parameter:GUNICORN_WORKERS"}


def test_what_a_task_definition_reads_waits_for_every_value() -> None:
    """ECS fetches secrets when a task starts: a secret without an AWSCURRENT version fails it."""

    def build() -> None:
        config = SecureAppConfig("app-config", _papyrus())
        iam.Policy("reader", policy=config.read_policy_json)
        ecs.TaskDefinition(
            "task",
            family="app",
            container_definitions=pulumi.Output.json_dumps(
                [{"name": "app", "image": "app", "secrets": config.container_secrets}]
            ),
        )

    deployment = run_component(build)
    values = [*deployment.of_type(VERSION), *deployment.of_type(PARAMETER)]
    assert len(values) == len(GROUPS) + len(PARAMETERS) + len(SECURE_PARAMETERS)
    for consumer in (deployment.one("aws:ecs/taskDefinition:TaskDefinition"), deployment.one("aws:iam/policy:Policy")):
        assert {v.urn for v in values} <= deployment.dependency_closure(consumer)


def test_read_policy_document_leaves_out_services_with_nothing_to_read() -> None:
    assert read_policy_document({}, {"A": "arn:p"}, None) == {
        "Version": "2012-10-17",
        "Statement": [
            {"Sid": "ReadParameters", "Effect": "Allow", "Action": ["ssm:GetParameters"], "Resource": ["arn:p"]}
        ],
    }


def test_value_from_matches_the_container_secrets(papyrus: Deployment) -> None:
    def build() -> dict[str, Any]:
        config = SecureAppConfig("app-config", _papyrus())
        return {"password": config.value_from("db.password"), "domain": config.value_from("AUTH0_DOMAIN")}

    deployment = run_component(build)

    entries = {e["name"]: e["valueFrom"] for e in papyrus.outputs["container_secrets"]}
    assert deployment.outputs == {"password": entries["DB_PASSWORD"], "domain": entries["AUTH0_DOMAIN"]}


def test_value_from_refuses_an_unknown_reference() -> None:
    errors: list[BaseException] = []

    def build() -> None:
        config = SecureAppConfig("app-config", _papyrus())
        try:
            config.value_from("db.port")
        except InvalidArgumentError as error:
            errors.append(error)

    run_component(build)
    assert len(errors) == 1
    assert "invalid reference='db.port'" in str(errors[0])
    assert "db.password" in str(errors[0])


def test_a_secret_description_lists_the_keys_while_secrets_manager_allows_it() -> None:
    assert (
        secret_description("db", ["username", "host"]) == "db settings as one JSON document with keys: host, username"
    )
    many = [f"key_{i:03}_with_a_long_name" for i in range(100)]
    assert secret_description("big", many) == "big settings as one JSON document with 100 keys"
    # 70 keys still fit: the list is kept whole.
    fits = secret_description("big", many[:70])
    assert len(fits) <= SECRET_MAX_DESCRIPTION_LENGTH
    assert fits.endswith(", key_069_with_a_long_name")
    assert len(f"big settings as one JSON document with keys: {', '.join(many)}") > SECRET_MAX_DESCRIPTION_LENGTH


# ---- KMS and protection --------------------------------------------------------------------------------


def test_a_customer_managed_key_encrypts_and_is_granted() -> None:
    def build() -> dict[str, Any]:
        key = kms.Key("config-key", description="app config")
        return _exported(SecureAppConfig("app-config", _papyrus(kms_key_arn=key.arn)))

    deployment = run_component(build)

    key = deployment.one("aws:kms/key:Key")
    key_arn = key.outputs["arn"]
    assert _parameter(deployment, "SENTRY_DSN").inputs["keyId"] == key_arn
    assert _parameter(deployment, "SENTRY_DSN").property_dependencies["keyId"] == (key.urn,)
    # Plain String parameters are not encrypted, so they do not name the key.
    assert "keyId" not in _parameter(deployment, "AUTH0_DOMAIN").inputs
    for group in GROUPS:
        assert _secret(deployment, group).inputs["kmsKeyId"] == key_arn
    statements = json.loads(deployment.outputs["policy"])["Statement"]
    assert statements[-1] == {
        "Sid": "DecryptWithAppKey",
        "Effect": "Allow",
        "Action": ["kms:Decrypt"],
        "Resource": [key_arn],
    }
    assert [s["Sid"] for s in statements] == ["ReadSecrets", "ReadParameters", "DecryptWithAppKey"]


def test_a_key_with_nothing_encrypted_is_not_granted() -> None:
    key_arn = "arn:aws:kms:us-west-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    deployment = _run(
        {
            "parameter_prefix": "/papyrus/dev",
            "secret_prefix": "papyrus/dev",
            "parameters": PARAMETERS,
            "kms_key_arn": key_arn,
        }
    )

    assert [s["Sid"] for s in json.loads(deployment.outputs["policy"])["Statement"]] == ["ReadParameters"]
    assert deployment.of_type(SECRET) == []
    assert [e["name"] for e in deployment.outputs["container_secrets"]] == sorted(PARAMETERS)


def test_protect_guards_parameters_and_secrets_with_a_recovery_window() -> None:
    deployment = _run(_papyrus(protect=True))

    assert all(p.protect for p in deployment.of_type(PARAMETER))
    assert all(s.protect for s in deployment.of_type(SECRET))
    assert all(s.inputs["recoveryWindowInDays"] == 30 for s in deployment.of_type(SECRET))
    # A changed value replaces the version; the secret's protection already guards its deletion.
    assert not any(v.protect for v in deployment.of_type(VERSION))


# ---- rejected input ---------------------------------------------------------------------------------------


def _rejection(args: SecureAppConfigArgs) -> str:
    def build() -> None:
        SecureAppConfig("app-config", args)

    message = str(rejects(build))
    assert message.startswith("SecureAppConfig 'app-config': ")
    return message


_BAD_PARAMETER_PREFIXES = [
    ("papyrus/dev", "'papyrus/dev'"),  # SSM needs a leading slash once a name has a hierarchy
    ("/papyrus/dev/", "'/papyrus/dev/'"),
    ("/papyrus//dev", "'/papyrus//dev'"),
    ("/papyrus dev", "'/papyrus dev'"),
    ("/papyrus/d€v", "'/papyrus/d€v'"),
    ("/aws/papyrus", "'/aws/papyrus'"),
    ("/AWSome/papyrus", "'/AWSome/papyrus'"),
    ("/Ssm-params", "'/Ssm-params'"),
    ("/l1/l2/l3/l4/l5/l6/l7/l8/l9/l10/l11/l12/l13/l14/l15", "'/l1/l2/l3/l4/l5/l6/l7/l8/l9/l10/l11/l12/l13/l14/l15'"),
    ("/" + "p" * SSM_MAX_NAME_LENGTH, "'/pppp"),
]


@pytest.mark.parametrize(("prefix", "shown"), _BAD_PARAMETER_PREFIXES)
def test_parameter_prefix_rules(prefix: str, shown: str) -> None:
    with pytest.raises(InvalidArgumentError) as caught:
        ssm_parameter_prefix("here", "parameter_prefix", prefix)
    assert f"invalid parameter_prefix={shown}" in str(caught.value)


# One case per rule through the engine: characters, reserved start, depth, length.
@pytest.mark.parametrize(("prefix", "shown"), [_BAD_PARAMETER_PREFIXES[i] for i in (0, 3, 5, 8, 9)])
def test_rejects_parameter_prefixes_ssm_would(prefix: str, shown: str) -> None:
    assert f"invalid parameter_prefix={shown}" in _rejection(_papyrus(parameter_prefix=prefix))


def test_the_deepest_and_longest_names_within_ssms_limits_are_accepted() -> None:
    deep = "/l1/l2/l3/l4/l5/l6/l7/l8/l9/l10/l11/l12/l13/l14"
    assert ssm_parameter_prefix("here", "parameter_prefix", deep) == deep
    longest = "/" + "p" * (SSM_MAX_NAME_LENGTH - 4)
    deployment = _run({"parameter_prefix": longest, "secret_prefix": "papyrus/dev", "parameters": {"AB": "x"}})
    assert len(_parameter(deployment, "AB").inputs["name"]) == SSM_MAX_NAME_LENGTH


def test_rejects_a_name_that_makes_the_full_ssm_name_too_long() -> None:
    name = "N" * (SSM_MAX_NAME_LENGTH - len("/papyrus/dev/") + 1)
    message = _rejection(_papyrus(parameters={name: "x"}))
    assert f"invalid parameters={name!r}" in message
    assert f"within {SSM_MAX_NAME_LENGTH} characters" in message


_BAD_SECRET_PREFIXES = [
    ("", "''"),
    ("papyrus/dev/", "'papyrus/dev/'"),
    ("papyrus dev", "'papyrus dev'"),
    ("papyrus:dev", "'papyrus:dev'"),
    ("p" * 511, "'pppp"),
]


@pytest.mark.parametrize(("prefix", "shown"), _BAD_SECRET_PREFIXES)
def test_secret_prefix_rules(prefix: str, shown: str) -> None:
    with pytest.raises(InvalidArgumentError) as caught:
        secret_name_prefix("here", "secret_prefix", prefix)
    assert f"invalid secret_prefix={shown}" in str(caught.value)


@pytest.mark.parametrize(("prefix", "shown"), [_BAD_SECRET_PREFIXES[i] for i in (1, 3, 4)])
def test_rejects_secret_prefixes_secrets_manager_would(prefix: str, shown: str) -> None:
    assert f"invalid secret_prefix={shown}" in _rejection(_papyrus(secret_prefix=prefix))


@pytest.mark.parametrize(
    ("overrides", "key", "shown"),
    [
        # A group name that makes the secret name end like Secrets Manager's ARN suffix.
        ({"secret_groups": {"db-backup": {"a": "b"}}, "secret_env": {}}, "secret_groups", "'db-backup'"),
        ({"secret_groups": {"db/main": {"a": "b"}}, "secret_env": {}}, "secret_groups", "'db/main'"),
        ({"secret_groups": {"db.main": {"a": "b"}}, "secret_env": {}}, "secret_groups", "'db.main'"),
        ({"secret_groups": {"": {"a": "b"}}, "secret_env": {}}, "secret_groups", "''"),
        # 505 + "/" + 8 characters: over Secrets Manager's 512.
        (
            {"secret_prefix": "p" * 505, "secret_groups": {"database": {"a": "b"}}, "secret_env": {}},
            "secret_groups",
            "'database'",
        ),
        ({"secret_groups": {"db": {}}, "secret_env": {}}, "secret_groups['db']", "{}"),
        ({"secret_groups": {"db": {"port:5432": "x"}}, "secret_env": {}}, "secret_groups['db']", "'port:5432'"),
        ({"secret_groups": {"db": {"": "x"}}, "secret_env": {}}, "secret_groups['db']", "''"),
        ({"secret_groups": {"db": {"port": 5432}}, "secret_env": {}}, "secret_groups['db']['port']", "[secret]"),
        ({"secret_groups": {"db": {"blob": "x" * 65_530}}, "secret_env": {}}, "secret_groups['db']", "'<a JSON"),
        ({"secret_groups": ["db"]}, "secret_groups", "['db']"),
        ({"parameters": {"auth0-domain": "x"}}, "parameters", "'auth0-domain'"),
        ({"parameters": {"2FA_ISSUER": "x"}}, "parameters", "'2FA_ISSUER'"),
        ({"parameters": {"GUNICORN_WORKERS": 2}}, "parameters['GUNICORN_WORKERS']", "2"),
        ({"parameters": {"EMPTY": ""}}, "parameters['EMPTY']", "''"),
        ({"parameters": {"BIG": "x" * 4097}}, "parameters['BIG']", "'<4097 characters>'"),
        ({"secure_parameters": {"TOKEN": 12345678}}, "secure_parameters['TOKEN']", "[secret]"),
        ({"secure_parameters": {"AUTH0_DOMAIN": "x"}}, "secure_parameters", "'AUTH0_DOMAIN'"),
        ({"secret_env": {"AUTH0_DOMAIN": "auth0.domain"}}, "secret_env", "'AUTH0_DOMAIN'"),
        ({"secret_env": {"SENTRY_DSN": "db.host"}}, "secret_env", "'SENTRY_DSN'"),
        ({"secret_env": {"DB-PASSWORD": "db.password"}}, "secret_env", "'DB-PASSWORD'"),
        ({"secret_env": {"DB_PORT": "db.port"}}, "secret_env['DB_PORT']", "'db.port'"),
        ({"secret_env": {"CACHE_URL": "cache.url"}}, "secret_env['CACHE_URL']", "'cache.url'"),
        ({"secret_env": {"DB_PASSWORD": "password"}}, "secret_env['DB_PASSWORD']", "'password'"),
        ({"kms_key_arn": "alias/app-config"}, "kms_key_arn", "'alias/app-config'"),
        ({"kms_key_arn": "1234abcd-12ab-34cd-56ef-1234567890ab"}, "kms_key_arn", "'1234abcd-12ab"),
        ({"protect": "false"}, "protect", "'false'"),
        ({"tags": [("project", "portfolio")]}, "tags", "[('project', 'portfolio')]"),
        ({"parameter_prefix": None}, "parameter_prefix", "None"),
        ({"secret_groups_": {}}, "secret_groups_", "{}"),
        ({"rotation_exceptions": {"cache": "Not ours"}}, "rotation_exceptions", "'cache'"),
        ({"rotation_exceptions": {"db": ""}}, "rotation_exceptions['db']", "''"),
        ({"rotation_exceptions": {"db": "Owned, elsewhere"}}, "rotation_exceptions['db']", "'Owned, elsewhere'"),
        ({"rotation_exceptions": {"db": " padded"}}, "rotation_exceptions['db']", "' padded'"),
        ({"rotation_exceptions": {"db": "x" * 257}}, "rotation_exceptions['db']", "'xxxx"),
        ({"rotation_exceptions": {"db": 42}}, "rotation_exceptions['db']", "42"),
        ({"rotation_exceptions": ["db"]}, "rotation_exceptions", "['db']"),
        ({"tags": {"rotation-exception": "sneaky"}}, "tags", "'rotation-exception'"),
        (
            {"parameters": None, "secure_parameters": None, "secret_groups": None, "secret_env": None},
            "parameters",
            "{}",
        ),
    ],
)
def test_rejects_bad_arguments_before_registering_anything(overrides: dict[str, Any], key: str, shown: str) -> None:
    assert f"invalid {key}={shown}" in _rejection(_papyrus(**overrides))


def test_a_secret_output_in_the_plain_parameters_fails_before_the_parameter_exists() -> None:
    def build() -> None:
        SecureAppConfig(
            "app-config",
            _papyrus(parameters={**PARAMETERS, "DB_PASSWORD": pulumi.Output.secret("hunter2-hunter2")}),
        )

    with pytest.raises(ProgramError) as caught:
        run_component(build)

    message = str(caught.value.error)
    assert "SecureAppConfig 'app-config': invalid parameters['DB_PASSWORD']=[secret]" in message
    assert "secure_parameters or secret_groups" in message
    assert "hunter2" not in message
    assert "app-config-param-DB_PASSWORD" not in [r.name for r in caught.value.deployment]


def test_a_secret_output_is_welcome_in_the_secure_parameters() -> None:
    deployment = run_component(
        lambda: _exported(
            SecureAppConfig(
                "app-config",
                _papyrus(secure_parameters={"SENTRY_DSN": pulumi.Output.secret(SECURE_PARAMETERS["SENTRY_DSN"])}),
            )
        )
    )

    parameter = _parameter(deployment, "SENTRY_DSN")
    assert parameter.inputs["type"] == "SecureString"
    assert parameter.fully_secret("value")
    assert plaintext_leaks(deployment, {SECURE_PARAMETERS["SENTRY_DSN"]}) == []


def test_plain_outputs_in_the_parameters_keep_their_dependencies() -> None:
    def build() -> dict[str, Any]:
        key = kms.Key("other", description="only here for its id")
        return _exported(SecureAppConfig("app-config", _papyrus(parameters={"KEY_ID": key.id})))

    deployment = run_component(build)

    key = deployment.one("aws:kms/key:Key")
    parameter = _parameter(deployment, "KEY_ID")
    assert parameter.inputs["insecureValue"] == key.id
    assert parameter.property_dependencies["insecureValue"] == (key.urn,)
    assert not parameter.secret_paths


def test_a_rejected_secret_value_is_not_printed() -> None:
    message = _rejection(_papyrus(secure_parameters={"TOKEN": ["hunter2-hunter2"]}))
    assert "hunter2" not in message


def test_an_output_value_is_checked_once_known() -> None:
    def build() -> None:
        token = random.RandomString("too-long", length=4097, special=False)
        SecureAppConfig(
            "app-config",
            {
                "parameter_prefix": "/papyrus/dev",
                "secret_prefix": "papyrus/dev",
                "secure_parameters": {"TOKEN": token.result},
            },
        )

    with pytest.raises(ProgramError) as caught:
        run_component(build)

    error = caught.value.error
    assert isinstance(error, InvalidArgumentError)
    assert "invalid secure_parameters['TOKEN']='<4097 characters>'" in str(error)
    # The value resolves first; the parameter that would have held it is never registered.
    assert "app-config-param-TOKEN" not in [r.name for r in caught.value.deployment]


# ---- name rules as properties -------------------------------------------------------------------------------

_SEGMENT = st.text(
    alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-", min_size=1, max_size=12
)


@settings(max_examples=200)
@given(st.lists(_SEGMENT, min_size=1, max_size=14))
def test_ssm_prefixes_follow_the_reserved_word_rule(segments: list[str]) -> None:
    prefix = "/" + "/".join(segments)
    reserved = prefix[1:4].lower() in ("aws", "ssm")

    if reserved:
        with pytest.raises(InvalidArgumentError):
            ssm_parameter_prefix("here", "parameter_prefix", prefix)
    else:
        assert ssm_parameter_prefix("here", "parameter_prefix", prefix) == prefix
        with pytest.raises(InvalidArgumentError):
            ssm_parameter_prefix("here", "parameter_prefix", "/aws" + prefix)


@settings(max_examples=200)
@given(
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=10),
    st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", min_size=6, max_size=6),
)
def test_group_names_never_end_like_an_arn_suffix(stem: str, suffix: str) -> None:
    with pytest.raises(InvalidArgumentError, match="six letters or digits") as caught:
        secret_group_name("here", "secret_groups", f"{stem}-{suffix}", "papyrus/dev")
    assert f"invalid secret_groups={stem + '-' + suffix!r}" in str(caught.value)
    # One character more or less is not the suffix's shape.
    assert secret_group_name("here", "secret_groups", f"{stem}-{suffix}x", "papyrus/dev") == f"{stem}-{suffix}x"
    assert secret_group_name("here", "secret_groups", f"{stem}-{suffix[1:]}", "papyrus/dev") == f"{stem}-{suffix[1:]}"
