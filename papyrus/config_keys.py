"""Which configuration keys the papyrus program accepts, and the nearest one to a typo.

The program reads every key it is given (`pulumi.runtime.config`, which the Python language
host fills from the stack's whole configuration) and refuses the ones it would ignore:

* project keys (`papyrus:*`) that `Pulumi.yaml` does not declare, read at run time from the
  project directory, so a key another change declares is accepted with no edit here;
* provider keys outside a precise allow-list per provider namespace, decided from the
  providers' configuration schemas (`pulumi_aws/config/vars.py`, `pulumi_auth0/config/vars.py`);
* any other namespace. `pulumi:*` keys belong to the engine and pass.

A misspelt key or namespace gets the nearest accepted one as a suggestion (difflib).
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ENGINE_NAMESPACE = "pulumi"

# Every setting of the AWS provider's schema (pulumi_aws/config/vars.py, pulumi-aws 7.51).
AWS_PROVIDER_SETTINGS: frozenset[str] = frozenset(
    {
        "accessKey",
        "allowedAccountIds",
        "assumeRoleWithWebIdentity",
        "assumeRoles",
        "customCaBundle",
        "defaultTags",
        "ec2MetadataServiceEndpoint",
        "ec2MetadataServiceEndpointMode",
        "endpoints",
        "forbiddenAccountIds",
        "httpProxy",
        "httpsProxy",
        "ignoreTags",
        "insecure",
        "maxRetries",
        "noProxy",
        "profile",
        "region",
        "retryMode",
        "s3UsEast1RegionalEndpoint",
        "s3UsePathStyle",
        "secretKey",
        "sharedConfigFiles",
        "sharedCredentialsFiles",
        "skipCredentialsValidation",
        "skipMetadataApiCheck",
        "skipRegionValidation",
        "skipRequestingAccountId",
        "stsRegion",
        "tagPolicyCompliance",
        "token",
        "tokenBucketRateLimiterCapacity",
        "useDualstackEndpoint",
        "useFipsEndpoint",
        "userAgents",
    }
)
# Pulumi.yaml disables the default AWS provider (so no resource escapes the default tags) and
# the program builds its own, which reads no stack configuration by itself: an `aws:*` setting
# works only if the program passes it on. These are the ones it passes (papyrus/settings.py);
# every other AWS setting would be ignored, so it is refused with that reason.
AWS_FORWARDED_SETTINGS: frozenset[str] = frozenset(
    {"region", "profile", "sharedConfigFiles", "sharedCredentialsFiles", "allowedAccountIds", "forbiddenAccountIds"}
)
# The Auth0 resources use the default Auth0 provider, which reads all of its settings from the
# stack (pulumi_auth0/config/vars.py, pulumi-auth0 3.55).
AUTH0_PROVIDER_SETTINGS: frozenset[str] = frozenset(
    {
        "apiToken",
        "audience",
        "cliLogin",
        "clientAssertionPrivateKey",
        "clientAssertionSigningAlg",
        "clientId",
        "clientSecret",
        "customDomainHeader",
        "debug",
        "domain",
        "dynamicCredentials",
    }
)
PROVIDER_SETTINGS: Mapping[str, frozenset[str]] = {
    "aws": AWS_FORWARDED_SETTINGS,
    "auth0": AUTH0_PROVIDER_SETTINGS,
}
# Provider settings that are credentials: a plain value would sit unencrypted in the stack file.
PROVIDER_SECRETS: frozenset[str] = frozenset(
    {"auth0:clientSecret", "auth0:apiToken", "auth0:clientAssertionPrivateKey"}
)


@dataclass(frozen=True)
class Declaration:
    """One key of `Pulumi.yaml`'s `config` block."""

    key: str
    """As declared: `vpcCidr` for a project key, `aws:region` for a provider key."""
    type: str | None
    secret: bool
    has_default: bool


def declarations(project_dir: Path) -> dict[str, Declaration]:
    """The keys `Pulumi.yaml` in `project_dir` declares, by their fully qualified name."""
    path = (project_dir / "Pulumi.yaml").resolve()
    stat = path.stat()
    return dict(_declarations(path, stat.st_mtime_ns, stat.st_size))


@functools.lru_cache(maxsize=8)
def _declarations(path: Path, _mtime_ns: int, _size: int) -> dict[str, Declaration]:
    """Parsed once per version of the file (the tests run the program hundreds of times)."""
    document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    project = str(document["name"])
    found: dict[str, Declaration] = {}
    for key, decl in (document.get("config") or {}).items():
        body: Mapping[str, Any] = decl if isinstance(decl, Mapping) else {"default": decl}
        full = key if ":" in key else f"{project}:{key}"
        found[full] = Declaration(
            key=key,
            type=body.get("type"),
            secret=bool(body.get("secret")),
            has_default="default" in body or "value" in body,
        )
    return found


@dataclass(frozen=True)
class Refusal:
    """Why a configuration key is not accepted, with the nearest accepted key when there is one."""

    key: str
    reason: str
    suggestion: str | None = None
    """The nearest accepted key, as people write it."""


def shown(project: str, full_key: str) -> str:
    """A key as people write it: project keys without their namespace (unless the name is empty:
    `papyrus:` is shown whole, never as an empty key)."""
    namespace, _, name = full_key.partition(":")
    return name if namespace == project and name else full_key


class Accepted:
    """The configuration keys one project accepts."""

    def __init__(self, project: str, declared: Iterable[str], read_provider_keys: Iterable[str] = ()) -> None:
        self.project = project
        self.keys = frozenset(declared) | frozenset(read_provider_keys)
        self.namespaces = frozenset({project, *PROVIDER_SETTINGS})

    def accepts(self, full_key: str) -> bool:
        namespace, _, name = full_key.partition(":")
        if namespace == ENGINE_NAMESPACE or full_key in self.keys:
            return True
        return name in PROVIDER_SETTINGS.get(namespace, frozenset())

    def refusal(self, full_key: str) -> Refusal | None:
        """None when `full_key` is accepted, else what to tell the user."""
        if self.accepts(full_key):
            return None
        namespace, _, name = full_key.partition(":")
        key = shown(self.project, full_key)
        suggestion = self.nearest(full_key)
        hint = f"; did you mean {suggestion}?" if suggestion else ""
        if namespace == "aws" and name in AWS_PROVIDER_SETTINGS:
            forwarded = ", ".join(f"aws:{s}" for s in sorted(AWS_FORWARDED_SETTINGS))
            return Refusal(
                key,
                f"an AWS setting the program passes to its provider ({forwarded}): the default AWS provider "
                f"is disabled in Pulumi.yaml and the program's own reads no stack setting by itself, so {key} "
                "would be ignored; use the AWS_* environment variables or an AWS profile",
            )
        if namespace == self.project:
            return Refusal(key, f"a key Pulumi.yaml declares (an undeclared key is ignored){hint}", suggestion)
        if namespace in PROVIDER_SETTINGS:
            return Refusal(key, f"a setting of the {namespace} provider this program reads{hint}", suggestion)
        namespaces = ", ".join(sorted([*self.namespaces, ENGINE_NAMESPACE]))
        return Refusal(key, f"a key in a namespace this program reads ({namespaces}){hint}", suggestion)

    def nearest(self, full_key: str) -> str | None:
        """The accepted key (or namespace) closest to a misspelt one, as people write it."""
        namespace, _, name = full_key.partition(":")
        if namespace not in self.namespaces and namespace != ENGINE_NAMESPACE:
            # Not the engine's namespace: it accepts any key, so a near miss there proves nothing.
            close = closest(namespace, self.namespaces)
            if close is None:
                return self._nearest_key(full_key)
            if self.accepts(f"{close}:{name}"):
                return shown(self.project, f"{close}:{name}")
            return self._nearest_key(f"{close}:{name}") or f"the namespace {close}"
        return self._nearest_key(full_key)

    def _nearest_key(self, full_key: str) -> str | None:
        """Names compare within their namespace; a name that belongs to another namespace
        exactly (`aws:vpcCidr` for `vpcCidr`) is suggested there."""
        namespace, _, name = full_key.partition(":")
        names: dict[str, list[str]] = {}
        for key in self.keys:
            key_namespace, _, key_name = key.partition(":")
            if key_namespace != ENGINE_NAMESPACE:
                names.setdefault(key_namespace, []).append(key_name)
        for provider, settings in PROVIDER_SETTINGS.items():
            names.setdefault(provider, []).extend(settings)
        close = closest(name, names.get(namespace, []))
        if close is not None:
            return shown(self.project, f"{namespace}:{close}")
        for other, other_names in sorted(names.items()):
            exact = [n for n in other_names if _normalised(n) == _normalised(name)]
            if exact:
                return shown(self.project, f"{other}:{exact[0]}")
        return None


def _normalised(text: str) -> str:
    """Compare keys without case and separators: `domain_name` is `domainName` mistyped."""
    return re.sub(r"[^a-z0-9:]", "", text.lower())


def closest(word: str, candidates: Iterable[str]) -> str | None:
    by_form: dict[str, str] = {}
    for candidate in sorted(candidates):
        by_form.setdefault(_normalised(candidate), candidate)
    form = _normalised(word)
    if form in by_form:
        return by_form[form]
    match = difflib.get_close_matches(form, list(by_form), n=1, cutoff=0.6)
    return by_form[match[0]] if match else None
