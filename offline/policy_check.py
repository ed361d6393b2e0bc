"""The policy pack inside the offline plan: the same policy objects `pulumi preview --policy-pack
policy` runs, called with the arguments the Pulumi CLI would give them.

* Resource policies get a `ResourceValidationArgs` per recorded resource: its type token, its
  inputs in the provider's camelCase, passed through the wire form the engine uses (a protobuf
  Struct, so numbers are floats) and pulumi-policy's own deserializer and unknown-checking
  proxy; its URN, logical name, options (protect, parent ...) and explicit provider.
* Stack policies get one `StackValidationArgs` with every resource: its outputs (inputs plus
  what the provider computed, as after `pulumi up`), parent, dependencies and property
  dependencies linked to the other `PolicyResource`s.
* Pack config is resolved as the CLI resolves `--policy-pack-config`: the pack's default
  enforcement and each schema's defaults, then `"all"`, then per-policy entries. Unlike the
  CLI, an unknown policy or property name is an error here, so a typo in a committed config
  file fails the tests instead of silently changing nothing.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from google.protobuf import json_format, struct_pb2
from pulumi_policy import (
    EnforcementLevel,
    PolicyCustomTimeouts,
    PolicyProviderResource,
    PolicyResource,
    PolicyResourceOptions,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
)
from pulumi_policy.deserialize import deserialize_properties
from pulumi_policy.proxy import unknown_checking_proxy

from components.testing.engine import Deployment, RegisteredResource
from policy.controls import DECLARED, DEFAULT_ENFORCEMENT, PACK_NAME, POLICIES, Policy, control_id
from policy.controls.core import declared_suffix

PROVIDER_PREFIX = "pulumi:providers:"


class PolicyConfigError(Exception):
    """The pack config is not what the pack accepts (the CLI would refuse most of it too)."""


@dataclass(frozen=True)
class PolicySettings:
    level: EnforcementLevel
    properties: Mapping[str, Any]


@dataclass(frozen=True)
class Finding:
    policy: str
    control: str
    """FSBP id (`ELB.1`) or `custom`."""
    enforcement: str
    """`mandatory` or `advisory`."""
    urn: str
    resource_type: str
    resource_name: str
    message: str
    """What the policy reported (without the declared reason, which is `declared`)."""
    declared: str | None
    """The reason the stack's config gives for accepting this finding, if it declares it."""

    def as_json(self) -> dict[str, Any]:
        return {
            "policy": self.policy,
            "control": self.control,
            "enforcement": self.enforcement,
            "urn": self.urn,
            "type": self.resource_type,
            "name": self.resource_name,
            "message": self.message,
            "declared": self.declared,
        }


# ---- pack config ------------------------------------------------------------------------------

_TYPES: dict[str, Callable[[Any], bool]] = {
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "string": lambda v: isinstance(v, str),
    "boolean": lambda v: isinstance(v, bool),
    "array": lambda v: isinstance(v, list),
    "object": lambda v: isinstance(v, dict),
}


def _check_value(where: str, value: Any, schema: Mapping[str, Any]) -> None:
    expected = schema.get("type")
    if isinstance(expected, str) and not _TYPES[expected](value):
        raise PolicyConfigError(f"{where}: expected {expected}, got {value!r}")
    if "minimum" in schema and isinstance(value, (int, float)) and value < schema["minimum"]:
        raise PolicyConfigError(f"{where}: {value!r} is less than the minimum {schema['minimum']}")
    if isinstance(value, list) and isinstance(schema.get("items"), Mapping):
        for i, item in enumerate(value):
            _check_value(f"{where}[{i}]", item, schema["items"])
    if isinstance(value, dict) and isinstance(schema.get("additionalProperties"), Mapping):
        for key, item in value.items():
            _check_value(f"{where}.{key}", item, schema["additionalProperties"])


def _level(where: str, value: Any) -> EnforcementLevel:
    try:
        return EnforcementLevel(value)
    except ValueError:
        allowed = ", ".join(level.value for level in EnforcementLevel)
        raise PolicyConfigError(f"{where}: {value!r} is not an enforcement level ({allowed})") from None


def resolve_config(
    document: Mapping[str, Any] | None, policies: Iterable[Policy] = POLICIES
) -> dict[str, PolicySettings]:
    """Per-policy enforcement level and properties for a `--policy-pack-config` document."""
    by_name = {p.name: p for p in policies}
    levels: dict[str, EnforcementLevel] = {}
    properties: dict[str, dict[str, Any]] = {}
    for name, policy in by_name.items():
        levels[name] = policy.enforcement_level or DEFAULT_ENFORCEMENT
        schema = policy.config_schema.properties if policy.config_schema else {}
        properties[name] = {k: v["default"] for k, v in schema.items() if "default" in v}

    document = dict(document or {})
    if "all" in document:
        all_level = _level("all", document.pop("all"))
        levels = dict.fromkeys(levels, all_level)
    for name, given in document.items():
        if name not in by_name:
            raise PolicyConfigError(f"{name}: no such policy in {PACK_NAME}")
        if isinstance(given, str):
            levels[name] = _level(name, given)
            continue
        if not isinstance(given, dict):
            raise PolicyConfigError(f"{name}: {given!r} is not a valid value; must be a string or object")
        entry = dict(given)
        if "enforcementLevel" in entry:
            levels[name] = _level(f"{name}.enforcementLevel", entry.pop("enforcementLevel"))
        config_schema = by_name[name].config_schema
        accepted = config_schema.properties if config_schema else {}
        for key, value in entry.items():
            if key not in accepted:
                names = ", ".join(sorted(accepted))
                raise PolicyConfigError(f"{name}.{key}: not a property of this policy (it has: {names})")
            _check_value(f"{name}.{key}", value, accepted[key])
            properties[name][key] = value
    return {name: PolicySettings(levels[name], properties[name]) for name in by_name}


def load_config(path: Path | None) -> dict[str, PolicySettings]:
    """Resolve the config file at `path` (None: the pack's defaults)."""
    if path is None:
        return resolve_config(None)
    try:
        document = json.loads(path.read_text())
    except ValueError as exc:
        raise PolicyConfigError(f"{path}: not JSON ({exc})") from None
    if not isinstance(document, dict):
        raise PolicyConfigError(f"{path}: must be a JSON object of policy names")
    return resolve_config(document)


# ---- arguments, as the engine builds them ------------------------------------------------------


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    return str(value)


def wire_props(values: Mapping[str, Any]) -> Mapping[str, Any]:
    """Properties as pulumi-policy receives them: through a protobuf Struct, its deserializer
    and its unknown-checking proxy."""
    struct = struct_pb2.Struct()
    struct.update(_jsonable(dict(values)))
    proxied: Mapping[str, Any] = unknown_checking_proxy(deserialize_properties(json_format.MessageToDict(struct)))
    return proxied


def _options(resource: RegisteredResource) -> PolicyResourceOptions:
    return PolicyResourceOptions(
        protect=resource.protect,
        ignore_changes=list(resource.ignore_changes),
        delete_before_replace=resource.delete_before_replace or None,
        aliases=[],
        custom_timeouts=PolicyCustomTimeouts(0, 0, 0),
        additional_secret_outputs=list(resource.additional_secret_outputs),
        parent=resource.parent or None,
    )


@dataclass
class _Graph:
    deployment: Deployment

    def __post_init__(self) -> None:
        self.resources = [r for r in self.deployment]
        self.by_urn = {r.urn: r for r in self.resources}
        self.inputs = {r.urn: wire_props(r.inputs) for r in self.resources}

    def provider(self, resource: RegisteredResource) -> PolicyProviderResource | None:
        provider = self.by_urn.get(resource.provider)
        if provider is None:
            return None
        return PolicyProviderResource(provider.type, self.inputs[provider.urn], provider.urn, provider.name)

    def stack_resources(self) -> list[PolicyResource]:
        built: dict[str, PolicyResource] = {}
        for r in self.resources:
            outputs = {**r.outputs, "id": r.id} if r.custom and r.id else dict(r.outputs)
            built[r.urn] = PolicyResource(
                r.type, wire_props(outputs), r.urn, r.name, _options(r), self.provider(r), None, [], {}
            )
        for r in self.resources:
            resource = built[r.urn]
            resource.parent = built.get(r.parent)
            resource.dependencies = [built[u] for u in r.dependencies if u in built]
            resource.property_dependencies = {
                prop: [built[u] for u in urns if u in built] for prop, urns in r.property_dependencies.items()
            }
        return list(built.values())


def evaluate(deployment: Deployment, settings: Mapping[str, PolicySettings] | None = None) -> list[Finding]:
    """Every violation the pack reports for `deployment`, sorted: mandatory first, then by control."""
    settings = settings if settings is not None else resolve_config(None)
    graph = _Graph(deployment)
    findings: list[Finding] = []

    def collector(policy: Policy, level: EnforcementLevel, default: RegisteredResource | None) -> Any:
        declared = settings[policy.name].properties.get(DECLARED) or {}

        def report(message: str, urn: str | None = None) -> None:
            resource = graph.by_urn.get(urn or "") or default
            name = resource.name if resource else f"{deployment.project}-{deployment.stack}"
            reason = declared.get(name)
            if reason and message.endswith(declared_suffix(reason)):
                message = message[: -len(declared_suffix(reason))]
            findings.append(
                Finding(
                    policy=policy.name,
                    control=control_id(policy),
                    enforcement="mandatory"
                    if level in (EnforcementLevel.MANDATORY, EnforcementLevel.REMEDIATE)
                    else "advisory",
                    urn=resource.urn if resource else deployment.stack_urn,
                    resource_type=resource.type if resource else "pulumi:pulumi:Stack",
                    resource_name=name,
                    message=message,
                    declared=reason,
                )
            )

        return report

    stack_view: list[PolicyResource] | None = None
    for policy in POLICIES:
        level = settings[policy.name].level
        if level == EnforcementLevel.DISABLED:
            continue
        config = dict(settings[policy.name].properties)
        if isinstance(policy, ResourceValidationPolicy):
            for r in graph.resources:
                if r.type.startswith(PROVIDER_PREFIX):
                    continue
                args = ResourceValidationArgs(
                    r.type, graph.inputs[r.urn], r.urn, r.name, _options(r), graph.provider(r), config
                )
                policy.validate(args, collector(policy, level, r))
        else:
            if stack_view is None:
                stack_view = graph.stack_resources()
            policy.validate(StackValidationArgs(stack_view, config), collector(policy, level, None))
    rank = {"mandatory": 0, "advisory": 1}
    return sorted(findings, key=lambda f: (rank[f.enforcement], f.control, f.policy, f.resource_name, f.message))


# ---- views -------------------------------------------------------------------------------------


def summary(findings: list[Finding], config: str | None) -> str:
    """The findings as the plan prints them."""
    source = f"config {config}" if config else "no pack config: every policy advisory"
    header = f"Policy pack {PACK_NAME} ({len(POLICIES)} policies, {source})"
    if not findings:
        return f"{header}: no violations"
    mandatory = sum(1 for f in findings if f.enforcement == "mandatory")
    declared = sum(1 for f in findings if f.declared)
    lines = [
        f"{header}: {len(findings)} violation(s), {mandatory} mandatory, "
        f"{len(findings) - mandatory} advisory ({declared} declared)"
    ]
    for f in findings:
        lines.append(f"  {f.enforcement:<9} {f.control:<16} {f.resource_name} ({f.resource_type})  {f.policy}")
        lines.append(f"      {f.message}")
        if f.declared:
            lines.append(f"      declared: {f.declared}")
        elif f.enforcement == "advisory":
            lines.append("      not declared in the pack config")
    return "\n".join(lines)


def as_json(findings: list[Finding], config: str | None) -> dict[str, Any]:
    return {"pack": PACK_NAME, "config": config, "findings": [f.as_json() for f in findings]}
