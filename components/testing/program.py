"""Run one component, or a whole program, under the mock engine and check what it did.

    deployment = run_component(lambda: {"ids": PublicPrivateVpc("net", {...}).private_subnet_ids})
    vpc = deployment.one("aws:ec2/vpc:Vpc")
    error = rejects(lambda: PublicPrivateVpc("net", {"cidr_block": "10.0.0.1/16"}))

    deployment = run_program("infra/", "dev", ["vpcCidr=10.30.0.0/20"])   # Pulumi.yaml + Pulumi.dev.yaml
    error = program_rejects("infra/", "dev", ["vpcCidr=10.0.0.0/8"])

Everything returned is what the engine received: resource inputs in the provider's camelCase,
secret markers, parents, dependencies and options. Values a build function returns become stack
outputs (secrets kept secret), so tests assert on awaited values rather than inside an `apply`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import pulumi
from pulumi.runtime import mocks as pulumi_mocks

from components.testing.engine import Deployment, ProgramError, run
from components.testing.mocks import AwsMocks
from components.testing.stack import run_program

Build = Callable[[], Mapping[str, Any] | None]
"""A function that creates resources; a mapping it returns becomes the stack outputs."""


def run_component(
    build: Build,
    *,
    stack: str = "test",
    project: str = "test",
    region: str = "us-west-2",
    config: Mapping[str, str] | None = None,
    secret_keys: Iterable[str] = (),
    mocks: pulumi_mocks.Mocks | None = None,
) -> Deployment:
    """Run `build` as a one-off program and return what it registered.

    `config` holds fully qualified keys (`shop:domain`) with string values; `aws:region` is set
    from `region`. `mocks` describes the account (missing images, another account id);
    default: `AwsMocks(region)`. Raises `ProgramError` when `build` fails.
    """

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
        secret_keys=tuple(secret_keys),
    )


def nothing_registered(error: ProgramError) -> BaseException:
    """The error a program stopped with, after checking it registered nothing before stopping."""
    registered = [f"{r.type} {r.name}" for r in error.deployment]
    if registered:
        raise AssertionError(f"rejected only after registering {registered}: {error.error}")
    return error.error


def rejects(build: Build, **kwargs: Any) -> BaseException:
    """Run `build` (as `run_component`), expect it to fail before registering anything, and
    return the error it raised."""
    try:
        run_component(build, **kwargs)
    except ProgramError as exc:
        return nothing_registered(exc)
    raise AssertionError("expected the input to be rejected, but the program ran")


def program_rejects(
    project_dir: Path | str,
    stack: str,
    overrides: Iterable[str] = (),
    secret_overrides: Iterable[str] = (),
    *,
    mocks: pulumi_mocks.Mocks | None = None,
) -> BaseException:
    """Run a project's program (as `run_program`), expect it to stop before registering anything,
    and return the error."""
    overrides = tuple(overrides)
    try:
        run_program(project_dir, stack, overrides, secret_overrides, mocks=mocks)
    except ProgramError as exc:
        return nothing_registered(exc)
    raise AssertionError(f"expected stack {stack} with {list(overrides)} to be rejected, but the program ran")
