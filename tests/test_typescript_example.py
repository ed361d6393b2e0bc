"""examples/orders-api-ts speaks the package's schema: the names `tsc` would check against the SDK.

The pull-request workflow generates the TypeScript SDK (`pulumi install`, which needs the Pulumi
CLI) and type-checks the program with `tsc --noEmit`. Here, without the CLI, the program's
component arguments and outputs are read from its source and checked against the schema the SDK
is generated from, so a renamed argument fails before CI.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
import yaml

from components import provider
from tests.harness import PROJECT_DIR

EXAMPLE = PROJECT_DIR / "examples" / "orders-api-ts"
SCHEMA = provider.schema()


def _matching(text: str, start: int) -> int:
    """Index just past the bracket that closes the one at `start` (strings, templates and line
    comments skipped)."""
    pairs = {"{": "}", "[": "]", "(": ")"}
    stack = [pairs[text[start]]]
    i = start + 1
    while stack:
        char = text[i]
        if text.startswith("//", i):
            i = text.index("\n", i)
            continue
        if char in "\"'`":
            i = text.index(char, i + 1) + 1
            continue
        if char in pairs:
            stack.append(pairs[char])
        elif char == stack[-1]:
            stack.pop()
        i += 1
    return i


# A key of an object literal, after the separating comma and any white space or line comments.
_KEY = re.compile(r"(?:\s|//[^\n]*)*,?(?:\s|//[^\n]*)*([A-Za-z_$][\w$]*|\"[^\"]+\")\s*:\s*")


def object_keys(literal: str) -> dict[str, str]:
    """The top-level keys of a TypeScript object literal `{ a: 1, b: { c: 2 } }`, with their values."""
    keys: dict[str, str] = {}
    i = 1
    while i < len(literal) - 1:
        match = _KEY.match(literal, i)
        if match is None:
            break
        value_start = j = match.end()
        while j < len(literal) - 1 and literal[j] not in ",}":
            if literal[j] in "\"'`":
                j = literal.index(literal[j], j + 1) + 1
            elif literal[j] in "{[(":
                j = _matching(literal, j)
            else:
                j += 1
        keys[match.group(1).strip('"')] = literal[value_start:j].strip()
        i = j
    return keys


def components_used(source: str) -> list[tuple[str, str, dict[str, str]]]:
    """(variable, component, arguments) of every `const v = new papyrus.X("name", {...}, opts)`."""
    found = []
    for match in re.finditer(r"const (\w+) = new papyrus\.(\w+)\(\s*\"[^\"]+\",\s*", source):
        brace = match.end()
        assert source[brace] == "{", f"{match.group(2)}: arguments must be an object literal"
        found.append((match.group(1), match.group(2), object_keys(source[brace : _matching(source, brace)])))
    return found


def test_the_reader_reads_typescript_object_literals() -> None:
    assert object_keys("{\n    // the port's key\n    a: 1,\n    // and another's\n    b: 2 }") == {"a": "1", "b": "2"}
    assert object_keys('{ a: 1, "b-c": { d: [1, 2] }, e: f(`x${y}`, {g: 1}) }') == {
        "a": "1",
        "b-c": "{ d: [1, 2] }",
        "e": "f(`x${y}`, {g: 1})",
    }
    source = 'const net = new papyrus.PublicPrivateVpc("network", { cidrBlock: "10.0.0.0/16" }, opts);'
    assert components_used(source) == [("net", "PublicPrivateVpc", {"cidrBlock": '"10.0.0.0/16"'})]


SOURCE = (EXAMPLE / "index.ts").read_text()
USED = components_used(SOURCE)


def test_the_example_builds_the_same_api_as_the_python_one() -> None:
    assert [component for _, component, _ in USED] == [
        "PublicPrivateVpc",
        "ContainerRegistry",
        "ApplicationLogGroup",
        "SecureAppConfig",
        "ApplicationLoadBalancer",
        "AuthenticatedHttpApi",
        "FargateService",
    ]


@pytest.mark.parametrize(("variable", "component", "arguments"), USED, ids=[c for _, c, _ in USED])
def test_every_argument_is_an_input_of_the_schema(variable: str, component: str, arguments: dict[str, str]) -> None:
    resource: dict[str, Any] = SCHEMA["resources"][f"papyrus:index:{component}"]
    declared = resource["inputProperties"]
    assert set(arguments) <= set(declared), f"{component}: not inputs: {set(arguments) - set(declared)}"
    assert set(resource.get("requiredInputs", [])) <= set(arguments), f"{component}: a required input is missing"
    for name, value in arguments.items():
        ref = declared[name].get("items", declared[name]).get("$ref", "")
        enum = SCHEMA["types"].get(ref.removeprefix("#/types/"), {}).get("enum")
        if enum and value.startswith('"'):
            # tsc accepts only the enum's values as string literals.
            assert json.loads(value) in {member["value"] for member in enum}, f"{component}.{name}: {value}"
        if ref.startswith("#/types/") and value.startswith("["):
            nested = SCHEMA["types"][ref.removeprefix("#/types/")]
            for element in re.findall(r"\{[^{}]*\}", value):
                keys = set(object_keys(element))
                assert keys <= set(nested["properties"]), f"{component}.{name}: {keys - set(nested['properties'])}"
                assert set(nested.get("required", [])) <= keys


def test_every_output_read_is_an_output_of_the_schema() -> None:
    outputs = {
        variable: set(SCHEMA["resources"][f"papyrus:index:{component}"]["properties"])
        for variable, component, _ in USED
    }
    reads = re.findall(rf"\b({'|'.join(outputs)})\.(\w+)\b", SOURCE)
    assert reads, "the example reads component outputs"
    for variable, output in reads:
        assert output in outputs[variable], f"{variable}.{output} is not an output"


def test_the_project_installs_the_package_and_its_sdk() -> None:
    project = yaml.safe_load((EXAMPLE / "Pulumi.yaml").read_text())
    assert (EXAMPLE / project["packages"]["papyrus"]).resolve() == PROJECT_DIR / "components"
    assert project["runtime"]["name"] == "nodejs"
    package = json.loads((EXAMPLE / "package.json").read_text())
    sdk = SCHEMA["language"]["nodejs"]["packageName"]
    assert package["dependencies"][sdk] == "file:sdks/papyrus", "pulumi install links the generated SDK here"
    assert f'from "{sdk}"' in SOURCE
    for name, version in {**package["dependencies"], **package["devDependencies"]}.items():
        assert version == "file:sdks/papyrus" or re.fullmatch(r"\d+\.\d+\.\d+", version), f"{name} is pinned"
    python_config = yaml.safe_load((PROJECT_DIR / "examples" / "orders-api" / "Pulumi.yaml").read_text())["config"]
    assert project["config"] == python_config, "both examples take the same configuration"
