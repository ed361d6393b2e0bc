"""Load a stack's configuration the way the Pulumi CLI does, and run its program offline.

Precedence, as in `pulumi preview -s <stack> -c key=value`: the project's declared
defaults and values in `Pulumi.yaml`, then `Pulumi.<stack>.yaml`, then the
overrides. Typed project keys are checked against their declared type and required
when they have no default, with the CLI's wording. Values reach the program as the
CLI hands them over: strings, with objects and arrays as JSON.

Secure values (`secure: v1:...`) cannot be decrypted without the stack's secrets
provider; offline they become a stand-in string that is marked secret, so the
program takes the same branch it would with the real value.
"""

from __future__ import annotations

import json
import runpy
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pulumi.runtime import mocks as pulumi_mocks

from components.testing.engine import Deployment, run
from components.testing.mocks import AwsMocks

_TYPE_CHECKS = {
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: (isinstance(v, int) and not isinstance(v, bool)) or (isinstance(v, str) and _is_int(v)),
    "boolean": lambda v: isinstance(v, bool) or v in ("true", "false"),
    "array": lambda v: isinstance(v, list),
}


def _is_int(text: str) -> bool:
    try:
        int(text)
    except ValueError:
        return False
    return True


class StackConfigError(Exception):
    """The stack's configuration is not what `Pulumi.yaml` declares (the CLI would refuse it too)."""


@dataclass(frozen=True)
class StackConfig:
    project: str
    stack: str
    values: Mapping[str, str]
    """Fully qualified key (`papyrus:vpcCidr`) to the string the program receives."""
    secret_keys: frozenset[str]


def _as_config_string(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value)
    return str(value)


def read_project(project_dir: Path) -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load((project_dir / "Pulumi.yaml").read_text())
    return document


def _qualify(project: str, key: str) -> str:
    return key if ":" in key else f"{project}:{key}"


def load(project_dir: Path, stack: str, overrides: Iterable[str] = ()) -> StackConfig:
    """The configuration `stack` of the project in `project_dir` would run with.

    `overrides` are `key=value` strings, as given to `pulumi preview -c`.
    """
    project_doc = read_project(project_dir)
    project = str(project_doc["name"])
    declared: dict[str, Any] = project_doc.get("config") or {}

    values: dict[str, Any] = {}
    for key, decl in declared.items():
        full = _qualify(project, key)
        if not isinstance(decl, dict):
            values[full] = decl  # shorthand: a default (project key) or a value (provider key)
        elif "value" in decl:
            values[full] = decl["value"]
        elif "default" in decl:
            values[full] = decl["default"]

    stack_file = project_dir / f"Pulumi.{stack}.yaml"
    if not stack_file.exists():
        raise StackConfigError(f"no stack file {stack_file.name} in {project_dir}")
    stack_doc = yaml.safe_load(stack_file.read_text()) or {}
    secret_keys: set[str] = set()
    for key, value in (stack_doc.get("config") or {}).items():
        full = _qualify(project, key)
        if isinstance(value, dict) and set(value) == {"secure"}:
            secret_keys.add(full)
            values[full] = f"offline-stand-in-for-{full}"
        else:
            values[full] = value

    for item in overrides:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise StackConfigError(f"config override {item!r} is not key=value")
        values[_qualify(project, key.strip())] = value

    missing = []
    for key, decl in declared.items():
        if not isinstance(decl, dict) or (":" in key and not key.startswith(f"{project}:")):
            continue  # provider keys carry values only; the CLI does not type them
        full = _qualify(project, key)
        type_name = decl.get("type")
        if full not in values:
            if type_name is not None:
                missing.append(key)
            continue
        check = _TYPE_CHECKS.get(type_name) if type_name else None
        if check is not None and not check(values[full]):
            raise StackConfigError(f"Stack '{stack}' with configuration key '{key}' must be of type '{type_name}'")
        if decl.get("secret"):
            secret_keys.add(full)
    if missing:
        quoted = " and ".join(f"'{m}'" for m in sorted(missing))
        raise StackConfigError(f"Stack '{stack}' is missing configuration value(s) {quoted}")

    return StackConfig(
        project=project,
        stack=stack,
        values={k: _as_config_string(v) for k, v in values.items()},
        secret_keys=frozenset(secret_keys),
    )


def run_program(
    project_dir: Path | str,
    stack: str,
    overrides: Iterable[str] = (),
    *,
    mocks: pulumi_mocks.Mocks | None = None,
) -> Deployment:
    """Run the project's `__main__.py` for `stack` under the mock engine and return what it registered.

    The configuration is the stack's, loaded as the CLI would (`load`), with `overrides` as
    `key=value` strings like `pulumi preview -c`. `mocks` describes the account; by default
    `AwsMocks` for the stack's `aws:region`. Raises `ProgramError` (carrying what was registered)
    when the program fails, `StackConfigError` when the CLI would refuse the configuration.
    """
    project_dir = Path(project_dir)
    config = load(project_dir, stack, overrides)
    if mocks is None:
        mocks = AwsMocks(region=config.values.get("aws:region", "us-west-2"), stack=stack)
    main = project_dir / "__main__.py"
    added = str(project_dir) not in sys.path
    if added:
        # The language host puts the project directory first on sys.path.
        sys.path.insert(0, str(project_dir))
    try:
        return run(
            lambda: runpy.run_path(str(main), run_name="__main__"),
            mocks=mocks,
            project=config.project,
            stack=stack,
            config=config.values,
            secret_keys=config.secret_keys,
        )
    finally:
        if added:
            sys.path.remove(str(project_dir))
