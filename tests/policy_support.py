"""Build small recorded stacks by hand and run the policy pack over them, as the offline plan does.

bucket = resource(BUCKET, "logs", {"bucket": "logs"})
block = resource(PUBLIC_ACCESS_BLOCK, "logs-block", {"bucket": "logs"}, refs={"bucket": bucket})
assert flagged("s3-8-bucket-block-public-access", bucket, block) == {"logs"}
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from pulumi_policy import PolicyCustomTimeouts, PolicyResourceOptions, ResourceValidationArgs, ResourceValidationPolicy

from components.testing.engine import STACK_TYPE, Deployment, RegisteredResource
from offline import policy_check
from policy.controls import POLICIES

PROJECT, STACK = "team", "test"
ACCOUNT = "123456789012"


def urn_of(type_: str, name: str) -> str:
    return f"urn:pulumi:{STACK}::{PROJECT}::{type_}::{name}"


def resource(
    type_: str,
    name: str,
    inputs: Mapping[str, Any] | None = None,
    *,
    outputs: Mapping[str, Any] | None = None,
    refs: Mapping[str, RegisteredResource | list[RegisteredResource]] | None = None,
    protect: bool = False,
    id_: str | None = None,
) -> RegisteredResource:
    """A custom resource as the engine recorded it. `refs` are property dependencies (the input
    was computed from those resources' outputs); `outputs` adds computed attributes (an ARN)."""
    property_dependencies = {
        prop: tuple(r.urn for r in (targets if isinstance(targets, list) else [targets]))
        for prop, targets in (refs or {}).items()
    }
    plain_inputs = dict(inputs or {})
    return RegisteredResource(
        urn=urn_of(type_, name),
        type=type_,
        name=name,
        custom=True,
        parent=f"urn:pulumi:{STACK}::{PROJECT}::{STACK_TYPE}::{PROJECT}-{STACK}",
        inputs=plain_inputs,
        secret_paths=frozenset(),
        outputs={**plain_inputs, **(outputs or {})},
        id=id_ or f"{name}-id",
        dependencies=tuple(sorted({u for urns in property_dependencies.values() for u in urns})),
        property_dependencies=property_dependencies,
        provider="",
        protect=protect,
        retain_on_delete=False,
        delete_before_replace=False,
        ignore_changes=(),
        replace_on_changes=(),
        additional_secret_outputs=(),
    )


def doc(*statements: Mapping[str, Any]) -> str:
    """An IAM policy document as the JSON string pulumi-aws takes."""
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def stack(*resources: RegisteredResource) -> Deployment:
    return Deployment(project=PROJECT, stack=STACK, resources=list(resources))


def findings(*resources: RegisteredResource, config: Mapping[str, Any] | None = None) -> list[policy_check.Finding]:
    """Every finding of the pack over these resources (every policy mandatory unless `config` says)."""
    settings = policy_check.resolve_config(config if config is not None else {"all": "mandatory"})
    return policy_check.evaluate(stack(*resources), settings)


def flagged(policy: str, *resources: RegisteredResource, config: Mapping[str, Any] | None = None) -> set[str]:
    """Logical names of the resources `policy` reports."""
    return {f.resource_name for f in findings(*resources, config=config) if f.policy == policy}


def options(protect: bool = False) -> PolicyResourceOptions:
    return PolicyResourceOptions(protect, [], None, [], PolicyCustomTimeouts(0, 0, 0), [], None)


class Reports:
    """A `report_violation` callback that keeps what it is given."""

    def __init__(self) -> None:
        self.messages: list[str] = []
        self.urns: list[str | None] = []

    def __call__(self, message: str, urn: str | None = None) -> None:
        self.messages.append(message)
        self.urns.append(urn)


def validate_resource(
    policy: str, type_: str, props: Mapping[str, Any], config: Mapping[str, Any] | None = None
) -> list[str]:
    """Call one resource policy directly, as pulumi-policy's analyzer does, and return its messages."""
    [found] = [p for p in POLICIES if p.name == policy and isinstance(p, ResourceValidationPolicy)]
    reports = Reports()
    args = ResourceValidationArgs(type_, props, urn_of(type_, "r"), "r", options(), None, dict(config or {}))
    found.validate(args, reports)
    return reports.messages
