"""Load a stack's configuration the way the Pulumi CLI does, and run its program offline.

Precedence, as in `pulumi preview -s <stack> -c key=value`: the project's declared
defaults and values in `Pulumi.yaml`, then `Pulumi.<stack>.yaml`, then the overrides.
Both files are read as the CLI reads them (gopkg.in/yaml.v3, see `components/testing/cli_yaml.py`:
`yes` is text, `2.0` is `2`, a repeated key is an error), and values reach the program as
the CLI hands them over: text, with objects and arrays as JSON.

The CLI's own checks (sdk/go/common/workspace/project.go, pkg/workspace/config.go) are
applied too, but every refusal is one line that names the key and the value it received, in
the program's format, and `python -m offline` exits 1 for all of them:

* keys the project declares without a default and the stack does not set are missing;
* a YAML mapping, list or null given to a key declared `type: string|integer|boolean` is
  refused before the program runs (the program would only see its JSON text);
* text the CLI refuses for `type: integer` or `type: boolean` (`2.5`, `two`, `yes`) goes to the
  program first, whose checks name the allowed range (`expected an integer from 2 to 6`);
  if the program accepted such a value, the CLI's refusal is raised after it;
* a `secret: true` typed key must be set as a secret.

Secure values (`secure: v1:...`) cannot be decrypted without the stack's secrets provider;
offline they become a stand-in string that is marked secret, so the program takes the same
branch it would with the real value. `secret_overrides` play `pulumi config set --secret`.
"""

from __future__ import annotations

import difflib
import functools
import json
import re
import runpy
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pulumi.runtime import mocks as pulumi_mocks
from pulumi.runtime.settings import SETTINGS

from components.testing import cli_yaml
from components.testing.engine import Deployment, run
from components.testing.mocks import AwsMocks

_STRICT_TYPES = ("string", "integer", "boolean")
# Go's strconv.Atoi, which the CLI uses for `type: integer`: a sign, ASCII digits, within int64.
_ATOI = re.compile(r"[+-]?[0-9]+")


class StackConfigError(ValueError):
    """A configuration the Pulumi CLI would refuse, in one line naming the key and the value."""

    def __init__(self, stack: str, key: str | None, value: Any, expected: str, *, secret: bool = False) -> None:
        self.key = key
        self.value = value
        self.expected = expected
        if key is None:
            super().__init__(f"stack {stack!r} config: {expected}" if stack else expected)
        else:
            shown = "[secret]" if secret else repr(value)
            if len(shown) > 200:
                shown = shown[:180] + f"... ({len(shown)} characters)"
            super().__init__(f"stack {stack!r} config: invalid {_escaped(key)}={shown}; expected {expected}")


def _escaped(text: str) -> str:
    return text if text.isprintable() else text.encode("unicode_escape", errors="backslashreplace").decode("ascii")


@dataclass(frozen=True)
class StackConfig:
    project: str
    stack: str
    values: Mapping[str, str]
    """Fully qualified key (`papyrus:vpcCidr`) to the string the program receives."""
    secret_keys: frozenset[str]
    deferred: tuple[StackConfigError, ...] = ()
    """Values the CLI refuses but the program sees as plain text, whose own checks say more
    (`run_program` raises the first of these if the program accepted it)."""


@dataclass(frozen=True)
class _Value:
    text: str
    is_object: bool
    content: Any
    """What the CLI type-checks: the text, or for an object value its parsed JSON."""
    secret: bool


def _read_yaml(path: Path) -> Any:
    """A Pulumi YAML file as the CLI reads it; parsed once per version of the file. Read-only."""
    stat = path.stat()
    return _parsed(path.resolve(), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=32)
def _parsed(path: Path, _mtime_ns: int, _size: int) -> Any:
    return cli_yaml.load(path.read_text(encoding="utf-8"), path.name)


def read_project(project_dir: Path) -> dict[str, Any]:
    """`Pulumi.yaml` as the CLI reads it."""
    path = project_dir / "Pulumi.yaml"
    try:
        document = _read_yaml(path)
    except FileNotFoundError:
        raise StackConfigError("", None, None, f"no Pulumi.yaml in {project_dir}") from None
    except (cli_yaml.YamlError, UnicodeDecodeError) as exc:
        raise StackConfigError("", None, None, f"Pulumi.yaml cannot be read: {exc}") from None
    if not isinstance(document, dict) or "name" not in document:
        raise StackConfigError("", None, None, f"{path.name} has no project name")
    return document


def _qualify(project: str, key: str) -> str:
    return key if ":" in key else f"{project}:{key}"


def _parse_key(stack: str, raw: str, where: str) -> str:
    """config.ParseKey: `<namespace>:<name>`, or the old `<namespace>:config:<name>`."""
    parts = raw.split(":")
    if len(parts) == 3 and parts[1] == "config" and parts[0] and parts[2]:
        return f"{parts[0]}:{parts[2]}"
    if len(parts) != 2:
        raise StackConfigError(
            stack, raw, None, f"a configuration key of the form <namespace>:<name> ({where} cannot use this one)"
        )
    return raw


def _value(stack: str, key: str, raw: Any) -> _Value:
    plain = _stand_in(key, raw)
    secret = _has_secure(plain)
    try:
        text, is_object = cli_yaml.config_text(plain)
    except ValueError:
        raise StackConfigError(
            stack, key, raw, "a value Pulumi can store (a YAML .nan or .inf has no JSON form, so the CLI stops)"
        ) from None
    content: Any = json.loads(text) if is_object else text
    return _Value(text=text, is_object=is_object, content=content, secret=secret)


def _has_secure(value: Any) -> bool:
    if isinstance(value, cli_yaml.Secure):
        return True
    if isinstance(value, dict):
        return any(_has_secure(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_secure(v) for v in value)
    return False


def _stand_in(key: str, value: Any) -> Any:
    """Ciphertext becomes a marked stand-in: the real value needs the stack's secrets provider."""
    if isinstance(value, dict):
        if set(value) == {"secure"} and isinstance(value["secure"], str):
            return cli_yaml.Secure(f"offline-stand-in-for-{key}")
        return {k: _stand_in(key, v) for k, v in value.items()}
    if isinstance(value, list):
        return [_stand_in(key, v) for v in value]
    return value


def _project_default(decl: Any) -> tuple[bool, Any]:
    """(declared with a default or value, that value) for one `config:` entry of Pulumi.yaml."""
    if not isinstance(decl, dict):
        return decl is not None, decl  # shorthand: the entry is the default itself
    for field in ("value", "default"):
        if decl.get(field) is not None:
            return True, decl[field]
    return False, None


def load(
    project_dir: Path,
    stack: str,
    overrides: Iterable[str] = (),
    secret_overrides: Iterable[str] = (),
) -> StackConfig:
    """The configuration `stack` of the project in `project_dir` would run with.

    `overrides` are `key=value` strings, as given to `pulumi preview -c`; `secret_overrides`
    the same for values set with `pulumi config set --secret`.
    """
    project_doc = read_project(project_dir)
    project = str(project_doc["name"])
    declared: dict[str, Any] = project_doc.get("config") or {}
    if not isinstance(declared, dict):
        raise StackConfigError(stack, None, None, "Pulumi.yaml's config is not a mapping")

    values: dict[str, _Value] = {}
    for key, decl in declared.items():
        present, default = _project_default(decl)
        if present:
            full = _qualify(project, str(key))
            values[full] = _value(stack, str(key), default)

    stack_file = project_dir / f"Pulumi.{stack}.yaml"
    if not stack_file.exists():
        raise StackConfigError(stack, None, None, f"no stack file {stack_file.name} in {project_dir}")
    try:
        stack_doc = _read_yaml(stack_file) or {}
    except cli_yaml.DuplicateKeyError as exc:
        key = _shown(project, cli_yaml.go_key(exc.key))
        raise StackConfigError(
            stack,
            key,
            exc.value,
            f"one value per key: {stack_file.name} sets {key} at lines {exc.first_line} and {exc.line} "
            "(the CLI refuses the file)",
        ) from None
    except cli_yaml.YamlError as exc:
        raise StackConfigError(stack, None, None, str(exc)) from None
    except UnicodeDecodeError:
        raise StackConfigError(stack, None, None, f"{stack_file.name} is not UTF-8 text") from None
    stack_config = stack_doc.get("config") if isinstance(stack_doc, dict) else None
    if not isinstance(stack_config, dict):
        stack_config = {} if stack_config is None else stack_config
        if not isinstance(stack_config, dict):
            raise StackConfigError(stack, None, None, f"{stack_file.name}: config is not a mapping")
    for raw_key, value in stack_config.items():
        key = _parse_key(stack, cli_yaml.go_key(raw_key), stack_file.name)
        values[key] = _value(stack, _shown(project, key), value)

    for secret, items in ((False, overrides), (True, secret_overrides)):
        for item in items:
            raw_key, sep, text = item.partition("=")
            if not sep or not raw_key:
                raise StackConfigError(stack, None, None, f"config override {item!r} is not key=value")
            key = _parse_key(stack, _qualify(project, raw_key), "-c")
            values[key] = _Value(text=text, is_object=False, content=text, secret=secret)

    deferred = _check_declared_types(stack, project, declared, values)
    return StackConfig(
        project=project,
        stack=stack,
        values={k: v.text for k, v in values.items()},
        secret_keys=frozenset(k for k, v in values.items() if v.secret),
        deferred=tuple(deferred),
    )


def _shown(project: str, full: str) -> str:
    namespace, _, name = full.partition(":")
    return name if namespace == project else full


def _check_declared_types(
    stack: str, project: str, declared: Mapping[str, Any], values: Mapping[str, _Value]
) -> list[StackConfigError]:
    missing: list[str] = []
    deferred: list[StackConfigError] = []
    for key, decl in sorted(declared.items()):
        full = _qualify(project, str(key))
        if full.partition(":")[0] != project:
            continue  # provider keys carry values only; the CLI does not type them
        value = values.get(full)
        if value is None:
            missing.append(str(key))
            continue
        body = decl if isinstance(decl, dict) else {}
        type_name = body.get("type")
        if type_name is None:
            continue
        if body.get("secret") and not value.secret:
            raise StackConfigError(
                stack, str(key), value.text, f"a secret: set it with `pulumi config set --secret {key}`", secret=True
            )
        if value.secret or _cli_accepts(type_name, body.get("items"), value.content):
            continue  # a secret's stand-in is not its value: the CLI checks the decrypted one
        refusal = StackConfigError(
            stack,
            str(key),
            value.content,
            f"{_type_text(type_name, body.get('items'))} (Pulumi.yaml declares its type)"
            + (
                f"; a list goes in Pulumi.{stack}.yaml, or `pulumi config set --path '{key}[0]' <value>`"
                if type_name == "array"
                else ""
            ),
            secret=value.secret,
        )
        if type_name in _STRICT_TYPES and value.is_object:
            raise refusal  # the program would see only JSON text: refuse before it runs
        if type_name == "array" and not value.is_object:
            # Text for a list (`-c key=[...]`): the program gets the same JSON text a list in the
            # stack file gives it, so it could not tell; the CLI refuses before it runs.
            raise refusal
        deferred.append(refusal)
    if missing:
        undeclared = [_shown(project, k) for k in values if k.partition(":")[0] == project]
        undeclared = [k for k in undeclared if k not in declared]
        near = difflib.get_close_matches(missing[0].lower(), [k.lower() for k in undeclared], n=1)
        hint = f" ({undeclared[[k.lower() for k in undeclared].index(near[0])]} is set: a typo?)" if near else ""
        raise StackConfigError(
            stack,
            missing[0],
            None,
            f"a value in Pulumi.{stack}.yaml: Pulumi.yaml declares {missing[0]} without a default{hint}",
        )
    return deferred


def _cli_accepts(type_name: str, items: Any, content: Any) -> bool:
    """workspace.ValidateConfigValue."""
    if type_name == "array":
        return (
            isinstance(items, dict)
            and isinstance(content, list)
            and all(_cli_accepts(str(items.get("type")), items.get("items"), item) for item in content)
        )
    accepts = _SIMPLE_TYPE_RULES.get(type_name)
    return accepts is not None and accepts(content)


def _integer_rule(content: Any) -> bool:
    if isinstance(content, bool):
        return False
    if isinstance(content, int) or (isinstance(content, float) and content.is_integer()):
        return True
    return isinstance(content, str) and bool(_ATOI.fullmatch(content)) and _in_int64(content)


_SIMPLE_TYPE_RULES: dict[str, Callable[[Any], bool]] = {
    "string": lambda content: isinstance(content, str),
    "integer": _integer_rule,
    "boolean": lambda content: isinstance(content, bool) or content in ("true", "false"),
    "object": lambda content: isinstance(content, dict),
}


def _in_int64(text: str) -> bool:
    digits = text.lstrip("+-")
    return len(digits.lstrip("0")) <= 19 and -(1 << 63) <= int(text) < (1 << 63)


def _type_text(type_name: str, items: Any) -> str:
    if type_name == "array" and isinstance(items, dict):
        return f"a list of {_type_text(str(items.get('type')), items.get('items'))} values"
    return {"string": "text", "integer": "an integer", "boolean": "true or false", "object": "an object"}.get(
        type_name, type_name
    )


def run_program(
    project_dir: Path | str,
    stack: str,
    overrides: Iterable[str] = (),
    secret_overrides: Iterable[str] = (),
    *,
    mocks: pulumi_mocks.Mocks | None = None,
) -> Deployment:
    """Run the project's `__main__.py` for `stack` under the mock engine and return what it registered.

    The configuration is the stack's, loaded as the CLI would (`load`), with `overrides` as
    `key=value` strings like `pulumi preview -c` and `secret_overrides` as values set with
    `pulumi config set --secret`. `mocks` describes the account (images that are missing, an
    Auth0 tenant that withholds secrets); by default `AwsMocks` for the stack's `aws:region`, where
    every image the stack names exists. Raises `ProgramError` (carrying what was registered) when
    the program fails, `StackConfigError` when the CLI would refuse the configuration.
    """
    project_dir = Path(project_dir)
    config = load(project_dir, stack, overrides, secret_overrides)
    mocks = mocks or AwsMocks(region=config.values.get("aws:region", "us-west-2"), stack=stack)
    main = project_dir / "__main__.py"
    added = str(project_dir) not in sys.path
    if added:
        # The language host puts the project directory first on sys.path.
        sys.path.insert(0, str(project_dir))

    def program() -> None:
        # The language host tells the program where Pulumi.yaml is (pulumi.get_root_directory()).
        SETTINGS.root_directory = str(project_dir)
        runpy.run_path(str(main), run_name="__main__")

    try:
        deployment = run(
            program,
            mocks=mocks,
            project=config.project,
            stack=stack,
            config=config.values,
            secret_keys=config.secret_keys,
        )
    finally:
        if added:
            sys.path.remove(str(project_dir))
    if config.deferred:
        raise config.deferred[0]
    return deployment
