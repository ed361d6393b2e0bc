"""Run the real program, or one component, under the offline engine and inspect the result.

The helpers are the package's public testing API (`components.testing`, shipped in the wheel,
what the examples and other teams use); this module adds this repository's own project
directory and a cache for whole-program runs.

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
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from components.testing import (
    AwsMocks,
    Deployment,
    RegisteredResource,
    plaintext_leaks,
    program_rejects,
    rejects,
    run_component,
    run_program,
    secret_values,
)
from components.testing.engine import run
from components.testing.stack import load as load_stack_config
from papyrus import settings as stack_settings
from papyrus.settings import Settings

__all__ = [
    "PROJECT_DIR",
    "SECRET_PROJECT",
    "input_refs",
    "load_settings",
    "plaintext_leaks",
    "read_workflow",
    "rejects",
    "run_component",
    "run_stack",
    "run_stack_in",
    "secret_values",
    "stack_rejects",
    "write_project",
]

PROJECT_DIR = Path(__file__).resolve().parents[1]


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
    return program_rejects(project_dir, stack, overrides, secrets)


def input_refs(deployment: Deployment, resource: RegisteredResource, prop: str) -> set[str]:
    """URNs the input `prop` of `resource` was computed from (its property dependencies)."""
    return set(resource.property_dependencies.get(prop, ()))


def load_settings(stack: str, *overrides: str, secrets: tuple[str, ...] = ()) -> Settings:
    """`papyrus.settings.load()` alone, under the engine, with the configuration the CLI would hand
    over for `stack` and the overrides (it raises what the CLI itself would refuse)."""
    config = load_stack_config(PROJECT_DIR, stack, overrides, secrets)
    captured: dict[str, Settings] = {}
    run(
        lambda: captured.setdefault("settings", stack_settings.load()),
        mocks=AwsMocks(region=config.values.get("aws:region", "us-west-2")),
        project=config.project,
        stack=stack,
        config=config.values,
        secret_keys=config.secret_keys,
    )
    if config.deferred:
        raise config.deferred[0]
    return captured["settings"]


# A small project of its own (one component, a secret and a generated password): what the offline
# plan does with any program, apart from papyrus.
SECRET_PROJECT = {
    "Pulumi.yaml": "name: demo\nruntime: python\nconfig:\n  aws:region:\n    value: us-west-2\n",
    "Pulumi.test.yaml": "config: {}\n",
    "__main__.py": """
import pulumi
import pulumi_random as random
from pulumi_aws import secretsmanager

class Box(pulumi.ComponentResource):
    def __init__(self, name):
        super().__init__("demo:index:Box", name, None, None)
        self.secret = secretsmanager.Secret(f"{name}-secret", name="demo/test",
                                            opts=pulumi.ResourceOptions(parent=self))
        self.register_outputs({})

box = Box("box")
password = random.RandomPassword("password", length=32)
secretsmanager.SecretVersion("version", secret_id=box.secret.id, secret_string=password.result)
pulumi.export("password", password.result)
pulumi.export("secretArn", box.secret.arn)
""",
}


def write_project(directory: Path, files: Mapping[str, str]) -> Path:
    """A project of `files` (name -> text) in `directory`."""
    for name, text in files.items():
        (directory / name).write_text(text)
    return directory


def read_workflow(name: str) -> dict[str, Any]:
    """`.github/workflows/<name>` as GitHub reads it (YAML 1.1 would read the bare key `on` as true)."""
    document: dict[Any, Any] = yaml.safe_load((PROJECT_DIR / ".github" / "workflows" / name).read_text())
    document["on"] = document.pop(True)
    return document
