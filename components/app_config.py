"""An app's configuration split by sensitivity: SSM parameters and grouped JSON secrets.

The source article moves a `.env` file into AWS by hand: plain settings become SSM
Parameter Store `String` parameters, and the sensitive ones are grouped into three JSON
secrets in Secrets Manager (db, auth0, flask) because each secret costs $0.40 a month.
`SecureAppConfig` does the same from code and hands the container exactly what it needs:
ECS `secrets` entries (`valueFrom` a parameter ARN or `<secret-arn>:<json-key>::`) and an
IAM policy document that reads exactly these ARNs and nothing else.
"""

# No `from __future__ import annotations`: the component analyzer and TypedDict's
# __required_keys__ need the annotations evaluated (NotRequired included).
import asyncio
import json
import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any, NotRequired, TypedDict, TypeVar, cast

import pulumi
from pulumi_aws import secretsmanager, ssm

from components import validation as check
from components.arg_docs import documented_keys
from components.ordering import after
from components.validation import InvalidArgumentError, where

COMPONENT = "SecureAppConfig"

T = TypeVar("T")

# PutParameter counts the ARN before the name ("arn:aws:ssm:us-east-2:111122223333:parameter/")
# against its 1011-character limit. Reserve the longest such prefix (partition "aws-us-gov",
# a 14-character region name, a 12-digit account) so a name valid here is valid in every region.
SSM_NAME_LIMIT = 1011
SSM_ARN_PREFIX_RESERVE = len("arn:") + len("aws-us-gov") + len(":ssm:") + 14 + len(":123456789012:parameter/")
SSM_MAX_NAME_LENGTH = SSM_NAME_LIMIT - SSM_ARN_PREFIX_RESERVE + 1  # + the leading "/" the ARN drops
SSM_MAX_LEVELS = 15
# Standard-tier parameters (free) hold at most 4096 characters; SSM rejects an empty value.
SSM_MAX_VALUE_LENGTH = 4096
SECRET_MAX_NAME_LENGTH = 512
SECRET_MAX_VALUE_BYTES = 65_536
SECRET_MAX_DESCRIPTION_LENGTH = 2048
# IAM counts a role's inline policies together (10,240 characters without white space). The read
# policy names every parameter and secret ARN exactly, so it grows with the settings; it may use
# 8,192 of them, which leaves 2,048 for the role's other inline policy (FargateService's image pull
# and log writing needs under 1,500 even with the longest names AWS allows). At about 85 characters
# per parameter ARN that is room for some 90 settings. Exact ARNs are kept (a path wildcard would
# fit any number, but would also grant every other parameter under the prefix).
READ_POLICY_MAX_CHARACTERS = 8_192
# ARNs at their longest, for a bound that holds in every region: partition "aws-us-gov", a
# region name of 15 characters ("us-isof-south-1"), a 12-digit account, and the "-" and six
# characters Secrets Manager appends to a secret's name.
_LONGEST_ARN_PREFIX = "arn:aws-us-gov:{service}:us-isof-south-1:123456789012:"
_SECRET_ARN_SUFFIX = "-AbCdEf"  # noqa: S105 (the shape of an ARN suffix, not a secret)
# PutParameter refuses a value that nests a parameter reference: "{{" ... "}}" anywhere in it.
_NESTED_PARAMETER = re.compile(r"\{\{.*\}\}", re.DOTALL)
# Days a deleted secret can still be restored when the stack protects its resources (the
# most Secrets Manager allows); unprotected stacks delete immediately so a name can be reused.
PROTECTED_RECOVERY_WINDOW_DAYS = 30
# The tag that declares why a secret is not rotated (SecretsManager.1/.4), read by the policy pack.
ROTATION_EXCEPTION_TAG = "rotation-exception"

_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_SSM_PATH = re.compile(r"(?:/[A-Za-z0-9_.-]+)+")
_SSM_RESERVED_START = re.compile(r"/?(?:aws|ssm)", re.IGNORECASE)
_SECRET_NAME = re.compile(r"[A-Za-z0-9/_+=.@-]+")
# Group names end a secret name and start a "group.key" reference: no "/" and no ".".
_GROUP_NAME = re.compile(r"[A-Za-z0-9_+=@-]+")
# Secrets Manager appends "-" and six random letters or digits to a secret's ARN; a name that
# already ends like that makes partial-ARN lookups ambiguous, which AWS warns against.
_ARN_SUFFIX_LOOKALIKE = re.compile(r"-[A-Za-z0-9]{6}$")
# ECS reads `<secret-arn>:<json-key>:<stage>:<version>`, so a key cannot contain ":".
_JSON_KEY = re.compile(r"[A-Za-z0-9_.-]+")
# Tag values: letters, digits, spaces and _ . : / = + - @ (AWS's set), at most 256 characters.
_ROTATION_REASON = re.compile(r"[A-Za-z0-9_.:/=+\-@](?:[A-Za-z0-9 _.:/=+\-@]{0,254}[A-Za-z0-9_.:/=+\-@])?")
_KMS_KEY_ARN = re.compile(r"arn:aws(?:-[a-z]+)*:kms:[a-z0-9-]+:[0-9]{12}:key/[A-Za-z0-9-]+")


@documented_keys
class SecureAppConfigArgs(TypedDict):
    """Arguments of `SecureAppConfig`."""

    parameter_prefix: str
    """Path under which every SSM parameter is created as `<parameter_prefix>/<NAME>`. Starts with "/",
    segments of letters, digits, `_`, `.` and `-`, no trailing "/", at most 14 levels, and must not start
    with "aws" or "ssm" in any case (AWS reserves them). Required; known at preview.
    Example: `"/papyrus/dev"`."""

    secret_prefix: str
    """Prefix of every Secrets Manager secret's name, `<secret_prefix>/<group>`. ASCII letters, digits
    and `/_+=.@-`, no trailing "/". Required; known at preview. Example: `"papyrus/dev"`."""

    parameters: NotRequired[Mapping[str, pulumi.Input[str]]]
    """Plain settings, NAME → value, each an SSM `String` parameter `<parameter_prefix>/<NAME>` whose value
    shows in previews. NAME is also the container's environment variable, so it must match
    `[A-Za-z_][A-Za-z0-9_]*` and not be one the container's runtime reads (`PATH`, `HOME`, `LD_*`,
    `PYTHON*`, `AWS_*`, `ECS_*`, ...). Values are 1 to 4096 characters (standard tier) without `{{...}}`
    (SSM refuses nested parameter references). A value that is a Pulumi secret, or that carries a
    recognisable credential (a URL with a password, an AWS access key id, a private key), fails: SSM
    would store it unencrypted. Default: none.
    Example: `{"AUTH0_DOMAIN": "papyrus.us.auth0.com", "GUNICORN_WORKERS": "2"}`."""

    secure_parameters: NotRequired[Mapping[str, pulumi.Input[str]]]
    """Sensitive settings, NAME → value, each an SSM `SecureString` parameter encrypted with `kms_key_arn`
    (or the AWS-managed `aws/ssm` key); values are kept Pulumi secrets. Same NAME and value rules as
    `parameters`, and a NAME may appear in only one of the two maps. Default: none.
    Example: `{"SENTRY_DSN": "https://key@o1.ingest.sentry.io/1"}`, the value a secret read from the
    stack's configuration."""

    secret_groups: NotRequired[Mapping[str, Mapping[str, pulumi.Input[str]]]]
    """Grouped secrets, group → {JSON key: value}: one Secrets Manager secret `<secret_prefix>/<group>`
    per group whose value is the group's JSON document (keys sorted), always a Pulumi secret. Values may
    be outputs of other resources. Group names use letters, digits and `_+=@-`, and may not end the
    secret's name in a hyphen and six letters or digits (`db-config`: AWS advises against it, partial
    ARNs would be ambiguous); a group needs at least one key; keys use letters, digits, `_`, `.` and
    `-`. Default: none. Example:
    `{"db": {"username": "app", "password": "<generated>"}, "flask": {"key": "<generated>"}}`, where
    each `<generated>` is a random password resource's secret result."""

    secret_env: NotRequired[Mapping[str, str]]
    """Container environment variables read from secret groups, ENV → "group.key". ENV must match
    `[A-Za-z_][A-Za-z0-9_]*` and differ from every parameter NAME (those are exposed under their own
    NAME). Default: none. Example: `{"DB_PASSWORD": "db.password", "FLASK_SECRET_KEY": "flask.key"}`."""

    rotation_exceptions: NotRequired[Mapping[str, str]]
    """Why a secret group is not rotated, group → reason. This component does not rotate secrets; a
    group listed here gets the tag `rotation-exception=<reason>`, which is how Security Hub's
    SecretsManager.1/.4 exceptions are declared where the papyrus policy pack (and a reviewer) reads
    them. A reason is 1 to 256 letters, digits, spaces and `_ . : / = + - @` (what a tag value
    allows), not starting or ending with a space; every group must be one of `secret_groups`.
    Default: none (each unrotated group then fails SecretsManager.1 in the policy pack).
    Example: `{"flask": "Rotating the Flask secret key signs every user out"}`."""

    kms_key_arn: NotRequired[pulumi.Input[str]]
    """ARN of a customer-managed KMS key (not an alias) that encrypts the SecureString parameters and the
    secrets; the read policy then also grants `kms:Decrypt` on exactly this key. Default: the AWS-managed
    keys `aws/ssm` and `aws/secretsmanager`, which need no grant.
    Example: `"arn:aws:kms:us-west-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"`."""

    protect: NotRequired[bool]
    """Protect the parameters and secrets from deletion (the Pulumi `protect` resource option) and
    give deleted secrets a 30-day recovery window. When `false`, secrets are deleted immediately
    (recovery window 0) so a re-created stack can reuse their names. Default: `false`.
    Example: `true` on production."""

    tags: NotRequired[Mapping[str, pulumi.Input[str]]]
    """Tags for every parameter and secret, on top of the provider's default tags. Never put a secret
    in a tag. Default: none. Example: `{"project": "portfolio"}`."""


@dataclass(frozen=True)
class _Settings:
    """The arguments after validation and defaults."""

    parameter_prefix: str
    secret_prefix: str
    parameters: dict[str, pulumi.Input[str]]
    secure_parameters: dict[str, pulumi.Input[str]]
    secret_groups: dict[str, dict[str, pulumi.Input[str]]]
    secret_env: dict[str, tuple[str, str]]
    rotation_exceptions: dict[str, str]
    kms_key_arn: pulumi.Input[str] | None
    protect: bool
    tags: dict[str, pulumi.Input[str]]


class SecureAppConfig(pulumi.ComponentResource):
    """An app's settings in SSM Parameter Store and its secrets grouped as JSON in Secrets Manager.

    Children (logical names derive from the component's name `<name>`):

    * `ssm.Parameter` `<name>-param-<NAME>` per `parameters` entry: type `String`, standard tier,
      name `<parameter_prefix>/<NAME>`, value in `insecureValue` so previews show changes to
      plain settings.
    * `ssm.Parameter` `<name>-param-<NAME>` per `secure_parameters` entry: type `SecureString`,
      standard tier, encrypted with `kms_key_arn` (default: `aws/ssm`), value a Pulumi secret.
    * `secretsmanager.Secret` `<name>-secret-<group>` per `secret_groups` entry, named
      `<secret_prefix>/<group>`, encrypted with `kms_key_arn` (default: `aws/secretsmanager`),
      with a description listing its JSON keys (never values; only their number when the list
      would pass Secrets Manager's 2048-character limit) and, for a group in
      `rotation_exceptions`, the tag `rotation-exception=<reason>`. No secret is rotated.
    * `secretsmanager.SecretVersion` `<name>-secret-<group>-version` holding the group's JSON
      document (keys sorted, so reordering a map changes nothing); always a Pulumi secret, even
      when every value in the group is plain.

    `container_secrets` and `read_policy_json` resolve only after every parameter and secret
    version exists (a task definition built on them cannot start tasks against a secret without
    a value), and `versions` changes whenever a value does, for a FargateService's
    `redeploy_triggers`.

    Defaults: no parameters, secrets or env mappings (at least one parameter or group is
    required); AWS-managed KMS keys; `protect` `false`, which deletes secrets without a recovery
    window; no extra tags. With `protect` the parameters and secrets are Pulumi-protected and a
    deleted secret stays restorable for 30 days; secret versions are not protected, because a
    changed value replaces the version and deleting the secret already needs its protection lifted.

    Parameters are created without `overwrite`: one that already exists (made by hand, as in
    the article) must be imported or deleted first, instead of being silently taken over.
    Every argument is checked before anything is registered; values that are outputs are
    checked (length, document size, key ARN, and that a plain `String` parameter's value is not
    a Pulumi secret) as soon as they are known.

    Cost (us-west-2, per month): each secret $0.40 (prorated) plus $0.05 per 10,000 API calls
    (every task start reads each referenced secret). Grouping is the saving: papyrus's three
    groups cost $1.20 where one secret per variable (eight) would cost $3.20. Standard-tier
    SSM parameters and their API calls are free. Decrypting with the AWS-managed keys costs
    only KMS requests beyond the 20,000 a month free tier, $0.03 per 10,000; a customer-managed
    key (not created here) adds $1.00 a month.
    """

    parameter_names: pulumi.Output[dict[str, str]]
    """Full SSM name per NAME (plain and secure), such as
    `{"AUTH0_DOMAIN": "/papyrus/dev/AUTH0_DOMAIN"}`."""

    parameter_arns: pulumi.Output[dict[str, str]]
    """SSM parameter ARN per NAME (plain and secure)."""

    secret_names: pulumi.Output[dict[str, str]]
    """Secrets Manager name per group, such as `{"db": "papyrus/dev/db"}`."""

    secret_arns: pulumi.Output[dict[str, str]]
    """Secrets Manager ARN (with AWS's random suffix) per group."""

    container_secrets: pulumi.Output[list[dict[str, str]]]
    """ECS container `secrets` entries sorted by name: `{"name": NAME, "valueFrom": <parameter-arn>}`
    for every parameter and secure parameter, `{"name": ENV, "valueFrom": "<secret-arn>:<json-key>::"}`
    for every `secret_env` entry. No values, only references. Resolves only once every parameter and
    every secret version exists, so a task definition built on it waits for all of them."""

    read_policy_json: pulumi.Output[str]
    """IAM policy document for the task execution role: `secretsmanager:GetSecretValue` on exactly
    these secrets, `ssm:GetParameters` on exactly these parameters and, with `kms_key_arn` and
    something encrypted, `kms:Decrypt` on exactly that key. Never a wildcard. Like
    `container_secrets`, it resolves only once every parameter and secret version exists. At most
    8,192 characters as IAM counts them (arguments that could make it longer in any region are
    refused), so it fits a role's 10,240-character inline policy total beside one more policy of up
    to 2,048."""

    versions: pulumi.Output[dict[str, str]]
    """The current version of every value, `{"parameter:<NAME>": <SSM version>, "secret:<group>":
    <Secrets Manager version id>}`: it changes exactly when a parameter's value or a group's
    document changes, and reveals nothing about either. ECS reads secrets only when a task starts,
    so pass it to a FargateService's `redeploy_triggers` to roll a change out to running tasks."""

    def __init__(self, name: str, args: SecureAppConfigArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        at = where(COMPONENT, name)
        settings = _validate(at, args)
        super().__init__(f"papyrus:index:{COMPONENT}", name, None, opts)
        self._where = at
        child = pulumi.ResourceOptions(parent=self, protect=settings.protect)

        parameters = {
            key: ssm.Parameter(
                f"{name}-param-{key}",
                name=f"{settings.parameter_prefix}/{key}",
                type="String",
                tier="Standard",
                insecure_value=value,
                tags=settings.tags or None,
                opts=child,
            )
            for key, value in sorted(settings.parameters.items())
        }
        parameters |= {
            key: ssm.Parameter(
                f"{name}-param-{key}",
                name=f"{settings.parameter_prefix}/{key}",
                type="SecureString",
                tier="Standard",
                value=pulumi.Output.secret(value),
                key_id=settings.kms_key_arn,
                tags=settings.tags or None,
                opts=child,
            )
            for key, value in sorted(settings.secure_parameters.items())
        }
        secrets = {
            group: secretsmanager.Secret(
                f"{name}-secret-{group}",
                name=f"{settings.secret_prefix}/{group}",
                description=secret_description(group, values),
                kms_key_id=settings.kms_key_arn,
                recovery_window_in_days=PROTECTED_RECOVERY_WINDOW_DAYS if settings.protect else 0,
                tags=_secret_tags(settings, group),
                opts=child,
            )
            for group, values in sorted(settings.secret_groups.items())
        }
        versions = {
            group: secretsmanager.SecretVersion(
                f"{name}-secret-{group}-version",
                secret_id=secret.id,
                secret_string=_secret_document(at, group, settings.secret_groups[group]),
                opts=pulumi.ResourceOptions(parent=self),
            )
            for group, secret in secrets.items()
        }

        # Versions, not values: each changes when (and only when) its parameter's value or its
        # secret's document does, and none of them reveals anything about the value.
        version_of: dict[str, pulumi.Output[str]] = {
            f"parameter:{key}": p.version.apply(str) for key, p in parameters.items()
        }
        version_of |= {f"secret:{group}": v.version_id for group, v in versions.items()}
        self._versions = list(version_of.values())
        self._parameter_arns = {key: p.arn for key, p in parameters.items()}
        self._secret_arns = {group: s.arn for group, s in secrets.items()}
        self._secret_keys = {group: frozenset(values) for group, values in settings.secret_groups.items()}

        self.parameter_names = _output_dict({key: p.name for key, p in parameters.items()})
        self.parameter_arns = _output_dict(self._parameter_arns)
        self.secret_names = _output_dict({group: s.name for group, s in secrets.items()})
        self.secret_arns = _output_dict(self._secret_arns)
        self.versions = _output_dict(version_of)
        # Both resolve only once every parameter has its value and every secret its AWSCURRENT
        # version: a task definition built on them is registered after that, so no task can start
        # against a secret that has no value yet (GetSecretValue would fail).
        self.container_secrets = after(self._container_secrets(settings.secret_env), *self._versions)
        self.read_policy_json = after(
            _read_policy_json(
                self.secret_arns,
                self.parameter_arns,
                settings.kms_key_arn if settings.secure_parameters or settings.secret_groups else None,
            ),
            *self._versions,
        )
        self.register_outputs(
            {
                "parameter_names": self.parameter_names,
                "parameter_arns": self.parameter_arns,
                "secret_names": self.secret_names,
                "secret_arns": self.secret_arns,
                "container_secrets": self.container_secrets,
                "read_policy_json": self.read_policy_json,
                "versions": self.versions,
            }
        )

    def value_from(self, reference: str) -> pulumi.Output[str]:
        """The ECS `valueFrom` for a parameter NAME or a "group.key" secret reference.

        For Python programs that assemble their own container `secrets` list, e.g.
        `{"name": "DATABASE_PASSWORD", "valueFrom": config.value_from("db.password")}`.
        """
        if reference in self._parameter_arns:
            return self._parameter_arns[reference]
        group, key = _split_reference(self._where, "reference", reference, self._secret_keys)
        return pulumi.Output.concat(self._secret_arns[group], f":{key}::")

    def _container_secrets(self, secret_env: Mapping[str, tuple[str, str]]) -> pulumi.Output[list[dict[str, str]]]:
        sources: dict[str, pulumi.Output[str]] = dict(self._parameter_arns)
        for env, (group, key) in secret_env.items():
            sources[env] = pulumi.Output.concat(self._secret_arns[group], f":{key}::")
        names = sorted(sources)
        return pulumi.Output.all(*(sources[n] for n in names)).apply(
            lambda arns: [{"name": n, "valueFrom": str(arn)} for n, arn in zip(names, arns, strict=True)]
        )


def _secret_tags(settings: _Settings, group: str) -> dict[str, pulumi.Input[str]] | None:
    reason = settings.rotation_exceptions.get(group)
    tags = dict(settings.tags) if reason is None else {**settings.tags, ROTATION_EXCEPTION_TAG: reason}
    return tags or None


def rotation_exception(at: str, key: str, value: Any) -> str:
    """A reason a secret is not rotated, as a tag value: 1 to 256 characters AWS allows in tag
    values, not starting or ending with a space (shared with the policy pack's contract)."""
    check.known(at, key, value)
    if not isinstance(value, str) or not _ROTATION_REASON.fullmatch(value):
        raise InvalidArgumentError(
            at,
            key,
            value,
            "a reason of 1 to 256 letters, digits, spaces and _ . : / = + - @, not starting or ending with a space, "
            "such as 'Rotation needs the Auth0 Management API'",
        )
    return value


def read_policy_document(
    secret_arns: Mapping[str, str], parameter_arns: Mapping[str, str], kms_key_arn: str | None
) -> dict[str, Any]:
    """The execution role's read policy: exact ARNs only, one statement per service that has any.

    IAM rejects a statement with an empty `Resource`, so a service with nothing to read
    gets no statement rather than an empty one.
    """
    statements: list[dict[str, Any]] = []
    if secret_arns:
        statements.append(_allow("ReadSecrets", "secretsmanager:GetSecretValue", secret_arns.values()))
    if parameter_arns:
        statements.append(_allow("ReadParameters", "ssm:GetParameters", parameter_arns.values()))
    if kms_key_arn is not None:
        statements.append(_allow("DecryptWithAppKey", "kms:Decrypt", [kms_key_arn]))
    return {"Version": "2012-10-17", "Statement": statements}


def _allow(sid: str, action: str, resources: Any) -> dict[str, Any]:
    return {"Sid": sid, "Effect": "Allow", "Action": [action], "Resource": sorted(resources)}


def _read_policy_json(
    secret_arns: pulumi.Output[dict[str, str]],
    parameter_arns: pulumi.Output[dict[str, str]],
    kms_key_arn: pulumi.Input[str] | None,
) -> pulumi.Output[str]:
    return pulumi.Output.all(secret_arns, parameter_arns, kms_key_arn).apply(
        lambda resolved: json.dumps(read_policy_document(resolved[0], resolved[1], resolved[2]))
    )


def _output_dict(values: Mapping[str, pulumi.Output[str]]) -> pulumi.Output[dict[str, str]]:
    # Output.all() without arguments resolves to a list, so an empty map is its own case.
    if not values:
        empty: dict[str, str] = {}
        return pulumi.Output.from_input(empty)
    return pulumi.Output.all(**values).apply(lambda resolved: {k: str(v) for k, v in resolved.items()})


def secret_description(group: str, keys: Collection[str]) -> str:
    """A secret's description: its JSON keys, so a reader knows what it holds without reading it."""
    listed = f"{group} settings as one JSON document with keys: {', '.join(sorted(keys))}"
    if len(listed) <= SECRET_MAX_DESCRIPTION_LENGTH:
        return listed
    return f"{group} settings as one JSON document with {len(keys)} keys"


def secret_document(at: str, group: str, values: Mapping[str, str]) -> str:
    """A group's secret value: its JSON object with sorted keys, within Secrets Manager's 64 KiB."""
    document = json.dumps(dict(values), sort_keys=True)
    size = len(document.encode())
    if size > SECRET_MAX_VALUE_BYTES:
        raise InvalidArgumentError(
            at,
            f"secret_groups[{group!r}]",
            f"<a JSON document of {size} bytes>",
            f"a JSON document of at most {SECRET_MAX_VALUE_BYTES} bytes (Secrets Manager's limit)",
        )
    return document


def _secret_document(at: str, group: str, values: Mapping[str, pulumi.Input[str]]) -> pulumi.Output[str]:
    # Secret whatever its inputs: a group of plain values is still the app's secret.
    document = pulumi.Output.all(**values).apply(
        lambda resolved: secret_document(at, group, {k: str(v) for k, v in resolved.items()})
    )
    return pulumi.Output.secret(document)


# ---- validation ----------------------------------------------------------------------------


def _validate(at: str, raw: Mapping[str, Any]) -> _Settings:
    args = check.typed_dict(at, "args", raw, SecureAppConfigArgs)
    parameter_prefix = ssm_parameter_prefix(at, "parameter_prefix", args["parameter_prefix"])
    secret_prefix = secret_name_prefix(at, "secret_prefix", args["secret_prefix"])
    parameters = _parameter_map(at, "parameters", args.get("parameters", {}), parameter_prefix, secure=False)
    secure_parameters = _parameter_map(
        at, "secure_parameters", args.get("secure_parameters", {}), parameter_prefix, secure=True
    )
    for key in secure_parameters:
        if key in parameters:
            raise InvalidArgumentError(
                at, "secure_parameters", key, "names not already used by parameters (each NAME is one SSM parameter)"
            )
    secret_groups = _secret_groups(at, args.get("secret_groups", {}), secret_prefix)
    if not parameters and not secure_parameters and not secret_groups:
        raise InvalidArgumentError(
            at, "parameters", {}, "at least one entry in parameters, secure_parameters or secret_groups"
        )
    secret_env = _secret_env(at, args.get("secret_env", {}), secret_groups, {*parameters, *secure_parameters})
    exceptions: dict[str, str] = {}
    for group, reason in check.string_map(at, "rotation_exceptions", args.get("rotation_exceptions", {})).items():
        if group not in secret_groups:
            raise InvalidArgumentError(
                at,
                "rotation_exceptions",
                group,
                "a group of secret_groups: " + (", ".join(sorted(secret_groups)) or "none are given"),
            )
        exceptions[group] = rotation_exception(at, f"rotation_exceptions[{group!r}]", reason)
    kms_key_arn = optional_kms_key_arn(at, "kms_key_arn", args.get("kms_key_arn"))
    length = read_policy_length_bound(
        parameter_prefix,
        [*parameters, *secure_parameters],
        secret_prefix,
        list(secret_groups),
        kms_key=kms_key_arn is not None,
    )
    if length > READ_POLICY_MAX_CHARACTERS:
        raise InvalidArgumentError(
            at,
            "parameters",
            f"<{len(parameters) + len(secure_parameters)} parameters, {len(secret_groups)} secret groups>",
            f"fewer or shorter names: read_policy_json, which names every ARN, would need up to {length} characters, "
            f"more than the {READ_POLICY_MAX_CHARACTERS} it may use of IAM's "
            f"{check.IAM_ROLE_INLINE_POLICIES_MAX_CHARACTERS}-character limit for a role's inline policies "
            "(group settings into a secret group, or shorten the prefix)",
        )
    return _Settings(
        parameter_prefix=parameter_prefix,
        secret_prefix=secret_prefix,
        parameters=parameters,
        secure_parameters=secure_parameters,
        secret_groups=secret_groups,
        secret_env=secret_env,
        rotation_exceptions=exceptions,
        kms_key_arn=kms_key_arn,
        protect=check.boolean(at, "protect", args.get("protect", False)),
        tags=check.tags(at, "tags", args.get("tags", {}), reserved=(ROTATION_EXCEPTION_TAG,)),
    )


def ssm_parameter_prefix(at: str, key: str, value: Any) -> str:
    """A hierarchy path every parameter name can start with, by SSM's naming rules."""
    check.known(at, key, value)
    expected = (
        'an SSM path such as /papyrus/dev: starts with "/", segments of letters, digits, "_", "." and "-", '
        f"no trailing slash, at most {SSM_MAX_LEVELS - 1} levels, "
        f"at most {SSM_MAX_NAME_LENGTH - 2} characters, not starting with aws or ssm in any case"
    )
    if (
        not isinstance(value, str)
        or not _SSM_PATH.fullmatch(value)
        or _SSM_RESERVED_START.match(value)
        or value.count("/") > SSM_MAX_LEVELS - 1
        or len(value) > SSM_MAX_NAME_LENGTH - 2
    ):
        raise InvalidArgumentError(at, key, value, expected)
    return value


def secret_name_prefix(at: str, key: str, value: Any) -> str:
    """The start of every secret name: Secrets Manager's characters, room for "/<group>"."""
    check.known(at, key, value)
    if (
        not isinstance(value, str)
        or not _SECRET_NAME.fullmatch(value)
        or value.endswith("/")
        or len(value) > SECRET_MAX_NAME_LENGTH - 2
    ):
        raise InvalidArgumentError(
            at,
            key,
            value,
            "a secret name prefix such as papyrus/dev: ASCII letters, digits and /_+=.@-, "
            f"no trailing slash, at most {SECRET_MAX_NAME_LENGTH - 2} characters",
        )
    return value


def env_name(at: str, key: str, value: Any) -> str:
    """A name a container gets as an environment variable, and one its runtime does not read itself
    (`PATH`, `LD_PRELOAD`, `AWS_*`, ...: `validation.app_env_name`)."""
    if not isinstance(value, str) or not _ENV_NAME.fullmatch(value):
        raise InvalidArgumentError(
            at, key, value, "an environment variable name matching [A-Za-z_][A-Za-z0-9_]*, such as AUTH0_DOMAIN"
        )
    return check.app_env_name(at, key, value)


def _parameter_map(at: str, key: str, value: Any, prefix: str, *, secure: bool) -> dict[str, pulumi.Input[str]]:
    checked: dict[str, pulumi.Input[str]] = {}
    for name, parameter_value in check.string_map(at, key, value).items():
        env_name(at, key, name)
        full_name = f"{prefix}/{name}"
        if len(full_name) > SSM_MAX_NAME_LENGTH:
            raise InvalidArgumentError(
                at,
                key,
                name,
                f"a NAME short enough for <parameter_prefix>/<NAME> to stay within {SSM_MAX_NAME_LENGTH} characters "
                f"(SSM's {SSM_NAME_LIMIT}, less the parameter ARN's prefix)",
            )
        shown = f"{key}[{name!r}]"
        value_checked = check.when_known(parameter_value, _ssm_value_check(at, shown, secret=secure))
        checked[name] = value_checked if secure else refuse_secret(at, shown, value_checked)
    return checked


def _ssm_value_check(at: str, key: str, *, secret: bool) -> Callable[[Any], str]:
    def checked(value: Any) -> str:
        if not isinstance(value, str):
            raise InvalidArgumentError(
                at, key, value, "a string (SSM stores text; write numbers as strings, such as '2')", secret=secret
            )
        ssm_value(at, key, value, secret=secret)
        if not secret:
            check.no_credentials(at, key, value)
        return value

    return checked


def ssm_value(at: str, key: str, value: str, *, secret: bool = False) -> str:
    """A value PutParameter stores in a standard-tier parameter (shared with the papyrus settings)."""
    if not 1 <= len(value) <= SSM_MAX_VALUE_LENGTH:
        shown = value if not value else f"<{len(value)} characters>"
        raise InvalidArgumentError(
            at, key, shown, f"from 1 to {SSM_MAX_VALUE_LENGTH} characters (a standard-tier parameter)"
        )
    check.encodable(at, key, value, secret=secret)
    if _NESTED_PARAMETER.search(value):
        raise InvalidArgumentError(
            at,
            key,
            value,
            "a value without '{{' ... '}}': SSM refuses values that nest a parameter reference",
            secret=secret,
        )
    return value


def read_policy_length_bound(
    parameter_prefix: str,
    parameter_names: Collection[str],
    secret_prefix: str,
    group_names: Collection[str],
    *,
    kms_key: bool = False,
) -> int:
    """The most characters IAM can count for `read_policy_json` with these names, in any region
    and partition (the ARNs are not known until deployment, but their length is bounded)."""
    parameters = {
        name: _LONGEST_ARN_PREFIX.format(service="ssm") + f"parameter{parameter_prefix}/{name}"
        for name in parameter_names
    }
    secrets = {
        group: _LONGEST_ARN_PREFIX.format(service="secretsmanager")
        + f"secret:{secret_prefix}/{group}{_SECRET_ARN_SUFFIX}"
        for group in group_names
    }
    # A key ARN is at most `arn:<partition>:kms:<region>:<account>:key/` and a 36-character key id.
    key = _LONGEST_ARN_PREFIX.format(service="kms") + "key/" + "0" * 36 if kms_key else None
    return check.policy_characters(read_policy_document(secrets, parameters, key))


def _secret_groups(at: str, value: Any, prefix: str) -> dict[str, dict[str, pulumi.Input[str]]]:
    groups: dict[str, dict[str, pulumi.Input[str]]] = {}
    for group, members in check.string_map(at, "secret_groups", value).items():
        secret_group_name(at, "secret_groups", group, prefix)
        entries = check.string_map(at, f"secret_groups[{group!r}]", members)
        if not entries:
            raise InvalidArgumentError(at, f"secret_groups[{group!r}]", {}, "at least one JSON key")
        for json_key, member in entries.items():
            if not isinstance(json_key, str) or not _JSON_KEY.fullmatch(json_key):
                raise InvalidArgumentError(
                    at,
                    f"secret_groups[{group!r}]",
                    json_key,
                    'JSON keys of letters, digits, "_", "." and "-" (ECS separates valueFrom parts with ":")',
                )
            if not isinstance(member, (str, pulumi.Output)):
                raise InvalidArgumentError(
                    at, f"secret_groups[{group!r}][{json_key!r}]", member, "a string or an output", secret=True
                )
        if all(isinstance(member, str) for member in entries.values()):
            secret_document(at, group, entries)
        groups[group] = entries
    return groups


def secret_group_name(at: str, key: str, group: Any, prefix: str) -> str:
    """A group whose secret, `<prefix>/<group>`, has a name Secrets Manager accepts unambiguously."""
    if not isinstance(group, str) or not _GROUP_NAME.fullmatch(group):
        raise InvalidArgumentError(at, key, group, "group names of ASCII letters, digits and _+=@- (no / or .)")
    name = f"{prefix}/{group}"
    if len(name) > SECRET_MAX_NAME_LENGTH:
        raise InvalidArgumentError(
            at, key, group, f"a group name that keeps {prefix}/<group> within {SECRET_MAX_NAME_LENGTH} characters"
        )
    if _ARN_SUFFIX_LOOKALIKE.search(name):
        raise InvalidArgumentError(
            at,
            key,
            group,
            f"a secret name ({name}) that does not end with a hyphen and six letters or digits, "
            "which Secrets Manager's ARN suffix would be confused with",
        )
    return group


def _secret_env(
    at: str, value: Any, groups: Mapping[str, Mapping[str, Any]], parameter_names: set[str]
) -> dict[str, tuple[str, str]]:
    mapping: dict[str, tuple[str, str]] = {}
    keys = {group: frozenset(members) for group, members in groups.items()}
    for env, reference in check.string_map(at, "secret_env", value).items():
        env_name(at, "secret_env", env)
        if env in parameter_names:
            raise InvalidArgumentError(
                at,
                "secret_env",
                env,
                "environment variable names not already used by parameters or secure_parameters",
            )
        mapping[env] = _split_reference(at, f"secret_env[{env!r}]", reference, keys)
    return mapping


def _split_reference(at: str, key: str, reference: Any, keys: Mapping[str, frozenset[str]]) -> tuple[str, str]:
    """ "group.key" → (group, key), for a group and key this component holds."""
    known = ", ".join(f"{g}.{k}" for g in sorted(keys) for k in sorted(keys[g])) or "none"
    if not isinstance(reference, str) or "." not in reference:
        raise InvalidArgumentError(at, key, reference, f'a "group.key" reference to a secret value: {known}')
    group, json_key = reference.split(".", 1)
    if json_key not in keys.get(group, ()):
        raise InvalidArgumentError(at, key, reference, f"a key of a secret group: {known}")
    return group, json_key


def refuse_secret(at: str, key: str, value: T) -> T:
    """`value`, failing the deployment once it resolves if it is a Pulumi secret.

    For inputs AWS stores and shows in plain text (an SSM `String` parameter, a container's
    `environment`): a secret there would be readable by anyone who may describe the resource,
    whatever Pulumi's state encryption does. Shared with the FargateService module.
    """
    if not isinstance(value, pulumi.Output):
        return value
    output: pulumi.Output[Any] = value

    async def plain() -> bool:
        if await output.is_secret():
            raise InvalidArgumentError(
                at,
                key,
                None,
                "a value that is not a Pulumi secret (AWS keeps this one in plain text); "
                "pass secrets through secure_parameters or secret_groups and the container's secrets",
                secret=True,
            )
        return True

    # Secrecy is known only asynchronously, so the check joins the value as a second output: the
    # value's dependencies and (absent) secrecy carry over, and nothing reads it before the check.
    checked: pulumi.Output[bool] = pulumi.Output.from_input(asyncio.ensure_future(plain()))
    guarded = pulumi.Output.all(output, checked).apply(lambda resolved: resolved[0])
    return cast(T, guarded)


def optional_kms_key_arn(at: str, key: str, value: Any) -> pulumi.Input[str] | None:
    """An optional KMS key ARN, checked now or, for another resource's output, once known
    (shared with the registry and log group modules).

    An alias or a bare key id is refused: IAM grants `kms:Decrypt` on key ARNs only.
    """
    if value is None:
        return None

    def checked(arn: Any) -> str:
        if not isinstance(arn, str) or not _KMS_KEY_ARN.fullmatch(arn):
            raise InvalidArgumentError(
                at,
                key,
                arn,
                "a KMS key ARN such as arn:aws:kms:us-west-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab "
                "(not an alias or key id)",
            )
        return arn

    result: pulumi.Input[str] = check.when_known(value, checked)
    return result
