"""How one control becomes one pulumi-policy policy.

A control is a check function plus its metadata. Resource checks see one resource and yield
messages; stack checks see the whole stack (for relations: a rotation for a secret, a web ACL
association for a load balancer) and yield (resource, message) pairs. The builders add what
every policy shares:

* the FSBP id in the description (`[ELB.1] ...`) and as the compliance framework reference,
  with a link to the control's page in the Security Hub user guide;
* the `declared` config property: a stack names the findings it knowingly accepts
  (`{"web-http": "dev has no domain, so no certificate"}`), and each such finding carries the
  reason in its message. Declaring a finding does not hide it: on an advisory stack it is
  reported with its reason, and a test compares what a stack declares with what it gets;
* parameters with defaults (CloudWatch.16's 365 days), in the policy's config schema, so
  `pulumi preview --policy-pack-config` can set them and the CLI validates them.
"""

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from pulumi_policy import (
    PolicyComplianceFramework,
    PolicyConfigSchema,
    PolicyResource,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
)

FSBP = "AWS Foundational Security Best Practices"
FSBP_VERSION = "1.0.0"
CUSTOM = "custom"
DECLARED = "declared"

Policy = ResourceValidationPolicy | StackValidationPolicy
ResourceCheck = Callable[[ResourceValidationArgs, Mapping[str, Any]], Iterable[str]]
StackCheck = Callable[[StackValidationArgs, Mapping[str, Any]], Iterable[tuple[PolicyResource, str]]]

_DECLARED_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": {"type": "string"},
    "description": "Findings this stack knowingly accepts: resource logical name to the reason. "
    "They are still reported, with the reason.",
}


def control_page(control_id: str) -> str | None:
    """The control's section of the Security Hub user guide (`ELB.1` -> elb-controls.html#elb-1)."""
    if control_id == CUSTOM:
        return None
    service, number = control_id.split(".")
    return f"https://docs.aws.amazon.com/securityhub/latest/userguide/{service.lower()}-controls.html#{service.lower()}-{number}"


def _service(control: str) -> str:
    return CUSTOM if control == CUSTOM else control.split(".", maxsplit=1)[0].lower()


def _schema(params: Mapping[str, dict[str, Any]] | None) -> PolicyConfigSchema:
    return PolicyConfigSchema(properties={DECLARED: dict(_DECLARED_SCHEMA), **(params or {})})


def _framework(control_id: str) -> PolicyComplianceFramework | None:
    if control_id == CUSTOM:
        return None
    return PolicyComplianceFramework(name=FSBP, version=FSBP_VERSION, reference=control_id)


def _metadata(
    control: str, title: str, remediation: str, params: Mapping[str, dict[str, Any]] | None
) -> dict[str, Any]:
    """What every policy built here carries besides its name and check."""
    return {
        "description": f"[{control}] {title}",
        "config_schema": _schema(params),
        "framework": _framework(control),
        "remediation_steps": remediation,
        "url": control_page(control),
        "tags": [_service(control)],
    }


def declared_suffix(reason: str) -> str:
    """What a declared finding's message ends with."""
    return f" (declared for this stack: {reason})"


def _with_declaration(message: str, resource_name: str, config: Mapping[str, Any]) -> str:
    declared = config.get(DECLARED) or {}
    reason = declared.get(resource_name) if isinstance(declared, Mapping) else None
    return message + declared_suffix(reason) if reason else message


def resource_policy(
    *,
    name: str,
    control: str,
    title: str,
    types: Iterable[str],
    check: ResourceCheck,
    remediation: str,
    params: Mapping[str, dict[str, Any]] | None = None,
) -> ResourceValidationPolicy:
    """A policy that validates each resource of `types` on its own."""
    type_set = frozenset(types)

    def validate(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
        if args.resource_type not in type_set:
            return
        config = args.get_config()
        for message in check(args, config):
            report_violation(_with_declaration(message, args.name, config), None)

    return ResourceValidationPolicy(name=name, validate=validate, **_metadata(control, title, remediation, params))


def stack_policy(
    *,
    name: str,
    control: str,
    title: str,
    check: StackCheck,
    remediation: str,
    params: Mapping[str, dict[str, Any]] | None = None,
) -> StackValidationPolicy:
    """A policy that needs the whole stack (relations between resources)."""

    def validate(args: StackValidationArgs, report_violation: ReportViolation) -> None:
        config = args.get_config()
        for resource, message in check(args, config):
            report_violation(_with_declaration(message, resource.name, config), resource.urn)

    return StackValidationPolicy(name=name, validate=validate, **_metadata(control, title, remediation, params))


def control_id(policy: Policy) -> str:
    """The FSBP id of a policy built here, or `custom`."""
    framework = policy.framework
    return framework.reference if framework is not None and framework.reference else CUSTOM
