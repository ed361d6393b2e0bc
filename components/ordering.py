"""Ordering that travels with an output: a value that resolves only once other resources exist.

A consumer of a component usually has only its outputs, not the resources behind them, so it
cannot list them in `depends_on`. An output read *through* its prerequisites carries their
dependencies: whatever is built on it waits for them without its author knowing (a service on
subnet ids waits for the routes, a load balancer on a bucket name waits for the bucket policy).
"""

import inspect
from typing import Any, TypeVar, overload

import pulumi

T = TypeVar("T")


@overload
def after(value: pulumi.Output[T], *prerequisites: pulumi.Input[Any]) -> pulumi.Output[T]: ...


@overload
def after(value: pulumi.Input[T], *prerequisites: pulumi.Input[Any]) -> pulumi.Input[T]: ...


def after(value: Any, *prerequisites: pulumi.Input[Any]) -> Any:
    """`value`, resolved only once every prerequisite has, and carrying their dependencies.

    `value` itself when no prerequisite is eventual (nothing to wait for), so a plain argument
    stays plain and shows as such in a preview.
    """
    if not any(isinstance(p, pulumi.Output) or inspect.isawaitable(p) for p in prerequisites):
        return value
    return pulumi.Output.all(value, *prerequisites).apply(lambda resolved: resolved[0])
