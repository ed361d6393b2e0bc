"""papyrus/config_keys.py: which keys the program accepts, read from Pulumi.yaml and the providers' schemas."""

from __future__ import annotations

import re
from pathlib import Path
from types import ModuleType

import pulumi_auth0
import pulumi_aws
import pytest

from papyrus import config_keys
from papyrus.config_keys import Accepted
from papyrus.settings import READ_PROVIDER_KEYS
from tests.harness import PROJECT_DIR, run_stack

ACCEPTED = Accepted("papyrus", config_keys.declarations(PROJECT_DIR), READ_PROVIDER_KEYS)


def _schema_keys(package: ModuleType) -> set[str]:
    """The settings a provider reads from the stack, from its SDK's config/vars.py."""
    source = (Path(str(package.__file__)).parent / "config" / "vars.py").read_text()
    return set(re.findall(r"__config__\.get\w*\('(\w+)'\)", source))


def test_the_allow_lists_are_the_installed_providers_schemas() -> None:
    """An SDK upgrade that adds a setting fails here, so someone decides whether the program accepts it."""
    assert _schema_keys(pulumi_aws) == config_keys.AWS_PROVIDER_SETTINGS
    assert _schema_keys(pulumi_auth0) == config_keys.AUTH0_PROVIDER_SETTINGS
    assert config_keys.AWS_FORWARDED_SETTINGS <= config_keys.AWS_PROVIDER_SETTINGS
    assert {k.partition(":")[2] for k in config_keys.PROVIDER_SECRETS} <= config_keys.AUTH0_PROVIDER_SETTINGS


def test_declared_read_provider_and_engine_keys_are_accepted() -> None:
    for key in [
        "papyrus:vpcCidr",
        "papyrus:dbPassword",
        "aws:region",
        "aws:profile",
        "aws:allowedAccountIds",
        "auth0:domain",
        "auth0:clientId",
        "auth0:clientSecret",
        "auth0:debug",
        "pulumi:disable-default-providers",
        "pulumi:tags",
    ]:
        assert ACCEPTED.refusal(key) is None, key


@pytest.mark.parametrize(
    ("key", "shown", "nearest"),
    [
        ("papyrus:vpcCIDR", "vpcCIDR", "vpcCidr"),
        ("papyrus:azcount", "azcount", "azCount"),
        ("papyrus:dbpassword", "dbpassword", "dbPassword"),
        ("papyrus:domain_name", "domain_name", "domainName"),
        ("papyrus:desiredcount", "desiredcount", "desiredCount"),
        ("papyrus:logRetention", "logRetention", "logRetentionDays"),
        ("aws:regoin", "aws:regoin", "aws:region"),
        ("auth0:domian", "auth0:domian", "auth0:domain"),
        ("auth0:client_secret", "auth0:client_secret", "auth0:clientSecret"),
        ("aw:region", "aw:region", "aws:region"),
        ("AWS:region", "AWS:region", "aws:region"),
        ("papyrsu:azCount", "papyrsu:azCount", "azCount"),
        ("papyrsu:x", "papyrsu:x", "the namespace papyrus"),
        ("aws:vpcCidr", "aws:vpcCidr", "vpcCidr"),
        ("pulumi-aws:region", "pulumi-aws:region", "aws:region"),
        ("pulumy:tags", "pulumy:tags", None),
        ("papyrus:zzz", "zzz", None),
        ("papyrus:", "papyrus:", None),  # an empty name: the line still names what was written
    ],
)
def test_misspelt_keys_and_namespaces_get_the_nearest_accepted_one(key: str, shown: str, nearest: str | None) -> None:
    refusal = ACCEPTED.refusal(key)
    assert refusal is not None
    assert refusal.key == shown
    if nearest is None:
        assert "did you mean" not in refusal.reason
    else:
        assert refusal.reason.endswith(f"did you mean {nearest}?")


def test_aws_settings_the_program_does_not_pass_on_are_refused_with_the_reason() -> None:
    refusal = ACCEPTED.refusal("aws:accessKey")
    assert refusal is not None
    assert "the default AWS provider is disabled in Pulumi.yaml" in refusal.reason
    assert "aws:accessKey would be ignored" in refusal.reason


def test_a_key_pulumi_yaml_declares_later_is_accepted_with_no_edit(tmp_path: Path) -> None:
    # A key the committed Pulumi.yaml does not declare (availabilityZones, the example this test
    # was written with, has been declared since): refused today, accepted once declared.
    assert ACCEPTED.refusal("papyrus:egressPorts") is not None
    text = (
        PROJECT_DIR / "Pulumi.yaml"
    ).read_text() + "  egressPorts:\n    type: array\n    items:\n      type: integer\n"
    (tmp_path / "Pulumi.yaml").write_text(text)
    accepted = Accepted("papyrus", config_keys.declarations(tmp_path), READ_PROVIDER_KEYS)
    assert accepted.refusal("papyrus:egressPorts") is None
    declared = config_keys.declarations(tmp_path)["papyrus:egressPorts"]
    assert (declared.type, declared.secret, declared.has_default) == ("array", False, False)


def test_forwarded_aws_settings_reach_the_provider() -> None:
    deployment = run_stack(
        "dev", "aws:profile=deploy-dev", 'aws:allowedAccountIds=["123456789012"]', 'aws:sharedConfigFiles=["/c"]'
    )
    provider = deployment.one("pulumi:providers:aws", "aws")
    assert provider.inputs["profile"] == "deploy-dev"
    assert provider.inputs["region"] == "us-west-2"
    assert "123456789012" in str(provider.inputs["allowedAccountIds"])
    assert "/c" in str(provider.inputs["sharedConfigFiles"])
