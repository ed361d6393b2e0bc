"""Run the real program, or one component, under the offline engine and inspect the result.

    deployment = run_component(lambda: {"ids": PublicPrivateVpc("net", {...}).private_subnet_ids})
    vpc = deployment.one("aws:ec2/vpc:Vpc")
    error = rejects(lambda: PublicPrivateVpc("net", {"cidr_block": "10.0.0.1/16"}))

Everything returned is what the engine received: resource inputs in the provider's
camelCase, secret markers, parents, dependencies and options. Values a build
function returns become stack outputs (secrets kept secret), so tests assert on
awaited values rather than inside an `apply`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pulumi

from components.testing.engine import Deployment, ProgramError, RegisteredResource, run
from components.testing.mocks import AwsMocks
from offline.stack import run_program

PROJECT_DIR = Path(__file__).resolve().parents[1]

Build = Callable[[], Mapping[str, Any] | None]


def run_component(
    build: Build,
    *,
    stack: str = "test",
    project: str = "test",
    region: str = "us-west-2",
    config: Mapping[str, str] | None = None,
    secret_keys: tuple[str, ...] = (),
    mocks: AwsMocks | None = None,
) -> Deployment:
    """Run `build` as a one-off program; a returned mapping becomes the stack outputs. `mocks`
    describes the account (missing images, an empty Auth0 secret); default: `AwsMocks(region)`."""

    def program() -> None:
        exported = build()
        for key, value in (exported or {}).items():
            pulumi.export(key, value)

    return run(
        program,
        mocks=mocks or AwsMocks(region=region),
        project=project,
        stack=stack,
        config={"aws:region": region, **(config or {})},
        secret_keys=secret_keys,
    )


def _nothing_registered(exc: ProgramError) -> BaseException:
    registered = [f"{r.type} {r.name}" for r in exc.deployment]
    assert not registered, f"rejected only after registering {registered}: {exc.error}"
    return exc.error


def rejects(build: Build, **kwargs: Any) -> BaseException:
    """Run `build`, expect it to fail before registering anything, and return the error."""
    try:
        run_component(build, **kwargs)
    except ProgramError as exc:
        return _nothing_registered(exc)
    raise AssertionError("expected the input to be rejected, but the program ran")


@functools.cache
def run_stack(
    stack: str, *overrides: str, project_dir: Path = PROJECT_DIR, secrets: tuple[str, ...] = ()
) -> Deployment:
    """The whole program for `stack` (Pulumi.<stack>.yaml plus `key=value` overrides, and `secrets`
    as if set with `pulumi config set --secret`). Cached: treat the result as read-only."""
    return run_program(project_dir, stack, overrides, secrets)


def run_stack_in(account: AwsMocks, stack: str, *overrides: str, project_dir: Path = PROJECT_DIR) -> Deployment:
    """The whole program against an account `account` describes (missing images, an Auth0 secret);
    not cached, so two calls are two independent runs. `account.stack` must be `stack`."""
    assert account.stack == stack, "the mocks' stack seeds every id: give AwsMocks(stack=<the stack>)"
    return run_program(project_dir, stack, overrides, mocks=account)


def stack_rejects(
    stack: str, *overrides: str, project_dir: Path = PROJECT_DIR, secrets: tuple[str, ...] = ()
) -> BaseException:
    """Run the program, expect it to stop before registering anything, return the error."""
    try:
        run_program(project_dir, stack, overrides, secrets)
    except ProgramError as exc:
        return _nothing_registered(exc)
    raise AssertionError(f"expected stack {stack} with {overrides} to be rejected, but the program ran")


def _walk(value: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _walk(v, f"{path}.{k}" if path else str(k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _walk(v, f"{path}[{i}]")
    else:
        yield path, value


def _at(value: Any, path: tuple[str | int, ...]) -> Any:
    for part in path:
        value = value[part]
    return value


def secret_values(deployment: Deployment, *, min_length: int = 8) -> set[str]:
    """Every string the program or the engine treats as secret, long enough to search for."""
    found: set[str] = set()

    def collect(value: Any) -> None:
        for _, leaf in _walk(value):
            if isinstance(leaf, str) and len(leaf) >= min_length:
                found.add(leaf)

    for r in deployment:
        for path in r.secret_paths:
            collect(_at(r.inputs, path))
        for key in r.additional_secret_outputs:
            if key in r.outputs:
                collect(r.outputs[key])
    for key in deployment.secret_outputs:
        collect(deployment.outputs[key])
    return found


def plaintext_leaks(deployment: Deployment, secrets: set[str] | None = None) -> list[str]:
    """Where a secret value appears in a non-secret resource input or stack output."""
    secrets = secret_values(deployment) if secrets is None else secrets
    leaks: list[str] = []

    def scan(where: str, value: Any) -> None:
        for path, leaf in _walk(value):
            if isinstance(leaf, str):
                leaks.extend(f"{where}.{path}" for s in secrets if s in leaf)

    for r in deployment:
        plain = {k: v for k, v in r.inputs.items() if not r.is_secret(k)}
        scan(f"{r.type} {r.name}", plain)
    for key, value in deployment.outputs.items():
        if key not in deployment.secret_outputs:
            scan(f"output {key}", value)
    return leaks


def input_refs(deployment: Deployment, resource: RegisteredResource, prop: str) -> set[str]:
    """URNs the input `prop` of `resource` was computed from (its property dependencies)."""
    return set(resource.property_dependencies.get(prop, ()))
