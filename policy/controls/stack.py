"""Relations between resources in a stack validation.

A relation ("this rotation is for that secret") is recognised two ways, so it holds in a
preview and against already-deployed values alike:

* the dependent's property was computed from the target (pulumi records property
  dependencies: `SecretRotation.secretId` built from `secret.id` depends on the secret), which
  works while ids and ARNs are still unknown;
* the property's known value equals one of the target's identifiers (its id, ARN, name),
  which covers values written out literally or taken from a lookup.
"""

from collections.abc import Iterable
from typing import Any

from pulumi_policy import PolicyResource, StackValidationArgs

from .props import UNKNOWN, known

IDENTIFIER_PROPS = ("id", "arn", "name", "bucket")


def resources_of(args: StackValidationArgs, types: Iterable[str]) -> list[PolicyResource]:
    """The stack's resources of the given type tokens, in the engine's order."""
    wanted = frozenset(types)
    return [r for r in args.resources if r.resource_type in wanted]


def identifiers(resource: PolicyResource, props: Iterable[str] = IDENTIFIER_PROPS) -> set[str]:
    """Known string identifiers of `resource` (id, ARN, name ...)."""
    found: set[str] = set()
    for prop in props:
        value = known(resource.props, prop)
        if isinstance(value, str) and value:
            found.add(value)
    return found


def depends_on(dependent: PolicyResource, prop: str, target: PolicyResource) -> bool:
    """True when `dependent`'s top-level property `prop` was computed from `target`."""
    return any(dep.urn == target.urn for dep in dependent.property_dependencies.get(prop, []))


def refers_to(
    dependent: PolicyResource,
    path: tuple[str | int, ...],
    target: PolicyResource,
    target_props: Iterable[str] = IDENTIFIER_PROPS,
) -> bool:
    """True when the property at `path` of `dependent` names `target` (see the module docstring).

    A value that holds an ARN suffix (`arn:aws:s3:::bucket/*`) does not count; ids match whole.
    """
    top = path[0]
    if isinstance(top, str) and depends_on(dependent, top, target):
        return True
    value: Any = known(dependent.props, *path)
    if value is UNKNOWN or not isinstance(value, str) or not value:
        return False
    return value in identifiers(target, target_props)


def referrers(
    args: StackValidationArgs,
    types: Iterable[str],
    path: tuple[str | int, ...],
    target: PolicyResource,
    target_props: Iterable[str] = IDENTIFIER_PROPS,
) -> list[PolicyResource]:
    """Resources of `types` whose property at `path` names `target`."""
    return [r for r in resources_of(args, types) if refers_to(r, path, target, target_props)]
