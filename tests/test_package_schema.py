"""The package schema as other languages' users meet it: metadata, SDK names, descriptions, enums.

Each check is a function tested on a small bad example first, so a check that passes on the
schema is known to be able to fail.

The docstrings name arguments and outputs in backticks as Python spells them (`nat_strategy`);
the schema shows each in its schema spelling (`natStrategy`, `components.package_schema`). The
description checks read the schema, so a Python name the renaming does not reach (outside
backticks, or not a name of the package) still fails them.
"""

from __future__ import annotations

import ast
import re
import tomllib
from collections import Counter
from collections.abc import Iterator
from typing import Any

from packaging.requirements import Requirement

import components
from components import package_schema, provider
from tests.harness import PROJECT_DIR

SCHEMA = provider.schema()
PYPROJECT = tomllib.loads((PROJECT_DIR / "pyproject.toml").read_text())


def descriptions(node: Any, where: str = "") -> Iterator[tuple[str, str]]:
    """Every description in a schema document, with where it is."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "description" and isinstance(value, str):
                yield where, value
            else:
                yield from descriptions(value, f"{where}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from descriptions(value, f"{where}/{index}")


# ---- metadata and language sections ----------------------------------------------------------


def missing_metadata(schema: dict[str, Any]) -> list[str]:
    wanted = ("displayName", "description", "keywords", "homepage", "repository", "license", "publisher")
    missing = [key for key in wanted if not schema.get(key)]
    missing += [k for k in ("kind/component", "category/cloud") if k not in schema.get("keywords", [])]
    return missing


LANGUAGE_NAMES = {"nodejs": "packageName", "go": "importBasePath", "csharp": "rootNamespace", "python": "packageName"}


def empty_language_sections(schema: dict[str, Any]) -> list[str]:
    """Languages whose section does not name the generated SDK (`respectSchemaVersion` alone is empty)."""
    sections = schema.get("language", {})
    return [lang for lang, key in LANGUAGE_NAMES.items() if not sections.get(lang, {}).get(key)]


def test_the_checks_catch_a_bare_schema() -> None:
    bare = {"name": "x", "language": {lang: {"respectSchemaVersion": True} for lang in LANGUAGE_NAMES}}
    assert set(missing_metadata(bare)) >= {"description", "license", "repository", "keywords", "kind/component"}
    assert empty_language_sections(bare) == list(LANGUAGE_NAMES)


def test_the_package_has_metadata() -> None:
    assert missing_metadata(SCHEMA) == []
    assert SCHEMA["license"] == PYPROJECT["project"]["license"]
    assert SCHEMA["repository"] == PYPROJECT["project"]["urls"]["Repository"]
    assert SCHEMA["version"] == components.__version__


def test_every_language_names_its_sdk() -> None:
    assert empty_language_sections(SCHEMA) == []
    language = SCHEMA["language"]
    assert re.fullmatch(r"@[a-z0-9-]+/[a-z0-9-]+", language["nodejs"]["packageName"])
    assert language["go"]["importBasePath"].startswith("github.com/")
    assert re.fullmatch(r"[A-Z][A-Za-z]*", language["csharp"]["rootNamespace"])
    assert language["python"]["packageName"] != "components", "the generated SDK must not shadow the real package"
    # The generated Python SDK needs the same Pulumi SDK range the package itself declares.
    pulumi_range = next(
        Requirement(r).specifier for r in PYPROJECT["project"]["dependencies"] if Requirement(r).name == "pulumi"
    )
    assert Requirement(f"pulumi{language['python']['requires']['pulumi']}").specifier == pulumi_range


# ---- descriptions ----------------------------------------------------------------------------


def python_names() -> set[str]:
    """Every multi-word Python argument name of the package (`availability_zone_count`)."""
    names: set[str] = set()
    for definition in provider.hosted_provider()._component_defs.values():
        names |= {py for py in definition.inputs_mapping.values() if "_" in py}
        names |= {py for py in definition.outputs_mapping.values() if "_" in py}
    for type_def in provider.hosted_provider()._type_defs.values():
        names |= {py for py in type_def.properties_mapping.values() if "_" in py}
    return names


_PYTHON_SYNTAX = {
    "a snake_case name in backticks": re.compile(r"`[^`\n]*\b[a-z][a-z0-9]*_[a-z0-9_]+\b[^`\n]*`"),
    "a Python constant": re.compile(r"\b(True|False|None)\b"),
    "the Python Output API": re.compile(r"\bOutput\.(concat|all|format|from_input|secret)\b|\bpulumi\.Output\b"),
    "an RST table": re.compile(r"^\s*={3,}", re.MULTILINE),
}


def python_syntax(description: str, names: set[str]) -> list[str]:
    """What in a description only a Python reader understands."""
    found = [what for what, pattern in _PYTHON_SYNTAX.items() if pattern.search(description)]
    found += [f"the Python argument name {n}" for n in sorted(names) if re.search(rf"\b{n}\b", description)]
    return found


def indented_as_code(description: str) -> list[str]:
    """Lines Markdown would render as a code block: indented four spaces, outside a fenced block.
    RST tables are left to `python_syntax`, which reports each one."""
    lines, fenced, in_table = [], False, False
    for line in description.splitlines():
        if line.lstrip().startswith("```"):
            fenced = not fenced
        elif re.fullmatch(r"\s*={3,}(\s+={3,})*\s*", line):
            in_table = True
        elif in_table and not line.strip():
            in_table = False
        elif not fenced and not in_table and re.match(r" {4,}\S", line):
            lines.append(line)
    return lines


def test_the_description_checks_catch_python_and_rst() -> None:
    names = {"availability_zone_count"}
    assert python_syntax("Default `True`; see `nat_strategy`.", names) == [
        "a snake_case name in backticks",
        "a Python constant",
    ]
    assert python_syntax("Example: `Output.concat(a, b)`", names) == ["the Python Output API"]
    assert python_syntax("  ====  ====\n  a     b\n  ====  ====", names) == ["an RST table"]
    assert python_syntax("when availability_zone_count is given", names) == [
        "the Python argument name availability_zone_count"
    ]
    assert python_syntax('Default: `true`. Example: `["s3"]` with `availabilityZoneCount`.', names) == []
    assert indented_as_code("First.\n\n    second paragraph") == ["    second paragraph"]
    assert indented_as_code("```\n    code\n```") == []
    table = "  ====  ====\n  a     b\n        c\n  ====  ====\n\n    after"
    assert indented_as_code(table) == ["    after"]


def test_descriptions_are_markdown_paragraphs_not_code_blocks() -> None:
    found = {where: lines for where, text in descriptions(SCHEMA) if (lines := indented_as_code(text))}
    assert found == {}


def test_descriptions_are_language_neutral() -> None:
    names = python_names()
    found = {where: what for where, text in descriptions(SCHEMA) if (what := python_syntax(text, names))}
    assert found == {}


# ---- closed sets, outputs --------------------------------------------------------------------

# Every closed set an input takes, by schema property (`Type.property`), with the values the wire
# carries. A component checks each with `validation.one_of`; the schema must say it with an enum.
CLOSED_SETS: dict[str, set[str]] = {
    "PublicPrivateVpc.natStrategy": {"none", "single", "per_az", "instance", "instance_per_az"},
    "PublicPrivateVpc.flowLogTrafficType": {"ALL", "ACCEPT", "REJECT"},
    "PublicPrivateVpc.gatewayEndpoints": {"s3", "dynamodb"},
    "ContainerRegistry.imageTagMutability": {"IMMUTABLE", "MUTABLE"},
    "ContainerImageBuild.platform": {"linux/amd64", "linux/arm64"},
    "FargateService.cpuArchitecture": {"X86_64", "ARM64"},
    "CorsConfig.allowMethods": {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "*"},
}


def _property(schema: dict[str, Any], dotted: str) -> dict[str, Any]:
    owner, name = dotted.split(".")
    token = f"papyrus:index:{owner}"
    if token in schema["resources"]:
        prop: dict[str, Any] = schema["resources"][token]["inputProperties"][name]
    else:
        prop = schema["types"][token]["properties"][name]
    return prop


def enum_values(schema: dict[str, Any], prop: dict[str, Any]) -> set[Any] | None:
    """The values of the enum a property (or its list items) refers to, or None without one."""
    target = prop.get("items", prop)
    ref = target.get("$ref", "")
    if not ref.startswith("#/types/"):
        return None
    enum = schema["types"].get(ref.removeprefix("#/types/"), {}).get("enum")
    return {member["value"] for member in enum} if enum else None


def test_the_enum_check_tells_an_enum_from_a_string() -> None:
    schema = {
        "types": {"p:index:Mode": {"type": "string", "enum": [{"value": "a"}, {"value": "b"}]}},
    }
    assert enum_values(schema, {"$ref": "#/types/p:index:Mode"}) == {"a", "b"}
    assert enum_values(schema, {"type": "array", "items": {"$ref": "#/types/p:index:Mode"}}) == {"a", "b"}
    assert enum_values(schema, {"type": "string"}) is None


def test_every_closed_set_check_is_listed() -> None:
    """A new `one_of` check in a component module needs its entry in CLOSED_SETS (and an enum)."""
    sites: Counter[str] = Counter()
    for module in sorted((PROJECT_DIR / "components").glob("*.py")):
        for node in ast.walk(ast.parse(module.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) == "one_of":
                sites[module.stem] += 1
    sites.pop("validation", None)
    owners = {**{c.__name__: c for c in provider.HOSTED_COMPONENTS}}
    owners |= {n: t.python_type for n, t in provider.hosted_provider()._type_defs.items()}
    listed = Counter(owners[entry.split(".")[0]].__module__.rsplit(".", 1)[-1] for entry in CLOSED_SETS)
    assert sites <= listed, f"one_of checks without a CLOSED_SETS entry: {sites - listed}"
    for entry in CLOSED_SETS:
        assert _property(SCHEMA, entry), entry


def test_every_closed_set_is_an_enum() -> None:
    wrong = {
        entry: enum_values(SCHEMA, _property(SCHEMA, entry))
        for entry, values in CLOSED_SETS.items()
        if enum_values(SCHEMA, _property(SCHEMA, entry)) != values
    }
    assert wrong == {}


def unmarked_secrets(schema: dict[str, Any]) -> list[str]:
    """Outputs whose description says they are a Pulumi secret but whose schema does not."""
    return [
        f"{token.rsplit(':', 1)[-1]}.{name}"
        for token, resource in schema["resources"].items()
        for name, prop in resource.get("properties", {}).items()
        if re.search(r"\bPulumi secret\b", prop.get("description", "")) and not prop.get("secret")
    ]


def test_the_secret_check_reads_the_description() -> None:
    key: dict[str, Any] = {"type": "string", "description": "A Pulumi secret."}
    schema = {"resources": {"p:index:A": {"properties": {"key": key}}}}
    assert unmarked_secrets(schema) == ["A.key"]
    key["secret"] = True
    assert unmarked_secrets(schema) == []


def test_secret_outputs_are_marked_secret() -> None:
    assert unmarked_secrets(SCHEMA) == []


def untyped_outputs(schema: dict[str, Any]) -> list[str]:
    """Outputs a generated SDK could only type as `any`."""
    found = []
    for token, resource in schema["resources"].items():
        for name, prop in resource.get("properties", {}).items():
            todo = [prop]
            while todo:
                spec = todo.pop()
                ref = spec.get("$ref")
                if ref is not None:
                    if not ref.startswith("#/types/") or ref.removeprefix("#/types/") not in schema.get("types", {}):
                        found.append(f"{token.rsplit(':', 1)[-1]}.{name}")
                elif spec.get("type") == "array" and "items" in spec:
                    todo.append(spec["items"])
                elif spec.get("type") == "object" and "additionalProperties" in spec:
                    todo.append(spec["additionalProperties"])
                elif spec.get("type") not in {"string", "integer", "number", "boolean"}:
                    found.append(f"{token.rsplit(':', 1)[-1]}.{name}")
    return found


def test_the_untyped_check_catches_any_and_bare_objects() -> None:
    schema = {
        "resources": {
            "p:index:A": {
                "properties": {
                    "any": {"$ref": "pulumi.json#/Any"},
                    "bare": {"type": "object"},
                    "list": {"type": "array", "items": {"type": "object"}},
                    "fine": {"type": "object", "additionalProperties": {"type": "string"}},
                }
            }
        }
    }
    assert untyped_outputs(schema) == ["A.any", "A.bare", "A.list"]


def test_no_output_is_untyped() -> None:
    assert untyped_outputs(SCHEMA) == []


# ---- every input documents its default and an example ----------------------------------------


def undocumented_inputs(schema: dict[str, Any]) -> list[str]:
    """Inputs (and properties of input types) whose description lacks an example, or a default
    when they are optional: the two things a caller looks up first."""
    owners = [
        (token, r["inputProperties"], set(r.get("requiredInputs", []))) for token, r in schema["resources"].items()
    ]
    owners += [
        (token, t["properties"], set(t.get("required", [])))
        for token, t in schema.get("types", {}).items()
        if t.get("type") == "object"
    ]
    found = []
    for token, properties, required in owners:
        for name, prop in properties.items():
            text = prop.get("description", "")
            wanted = ["Example"] + ([] if name in required else ["Default"])
            found += [f"{token.rsplit(':', 1)[-1]}.{name}: {word}" for word in wanted if word not in text]
    return found


def test_the_documentation_check_wants_a_default_and_an_example() -> None:
    schema = {
        "resources": {
            "p:index:A": {
                "inputProperties": {
                    "size": {"description": "How big. Default: `1`. Example: `2`."},
                    "name": {"description": "What it is called. Required."},
                    "mode": {"description": 'How. Example: `"fast"`.'},
                },
                "requiredInputs": ["name"],
            }
        }
    }
    assert undocumented_inputs(schema) == ["A.name: Example", "A.mode: Default"]


def test_every_input_documents_its_default_and_an_example() -> None:
    assert undocumented_inputs(SCHEMA) == []


# ---- names in each language's spelling ---------------------------------------------------------


def test_code_spans_name_arguments_as_the_schema_spells_them() -> None:
    names = {"nat_strategy": "natStrategy", "public_subnet_ids": "publicSubnetIds", "allow_origins": "allowOrigins"}
    text = 'See `nat_strategy`, `network.public_subnet_ids` and `{"allow_origins": ["*"]}`; nat_strategy stays.'
    assert package_schema.schema_names(text, names) == (
        'See `natStrategy`, `network.publicSubnetIds` and `{"allowOrigins": ["*"]}`; nat_strategy stays.'
    )
    # A snake_case word that is not one of the package's names is left for the checks to refuse.
    assert package_schema.schema_names("`force_delete`", names) == "`force_delete`"
    assert python_syntax(package_schema.schema_names("`force_delete`", names), set(names)) == [
        "a snake_case name in backticks"
    ]


def test_python_readers_keep_the_python_names() -> None:
    """`help()` and editors show the docstrings as written: Python names for Python callers."""
    assert "`nat_strategy`" in (components.PublicPrivateVpc.__doc__ or "")
    assert "`natStrategy`" in SCHEMA["resources"]["papyrus:index:PublicPrivateVpc"]["description"]
    assert "nat_eip_allocation_ids: Sequence[Input[str]] (optional)" in (components.PublicPrivateVpcArgs.__doc__ or "")


def test_every_enum_and_its_values_are_described() -> None:
    enums = {token: spec for token, spec in SCHEMA["types"].items() if "enum" in spec}
    assert {token.rsplit(":", 1)[-1] for token in enums} >= {
        "NatStrategy",
        "FlowLogTrafficType",
        "GatewayEndpointService",
        "ImageTagMutability",
        "ImagePlatform",
        "CpuArchitecture",
        "CorsMethod",
    }
    for token, spec in enums.items():
        assert spec["description"], token
        assert "Values:" not in spec["description"], "the schema lists the values itself"
        assert all(isinstance(member.get("description", ""), str) for member in spec["enum"]), token
    nat = SCHEMA["types"]["papyrus:index:NatStrategy"]["enum"]
    assert all(member["description"] for member in nat)
    # help() shows each value with its description.
    assert "INSTANCE_PER_AZ = 'instance_per_az'" in (components.NatStrategy.__doc__ or "")


def test_every_component_describes_its_resources_defaults_and_cost() -> None:
    for token, resource in SCHEMA["resources"].items():
        text = resource["description"]
        assert "Cost" in text, f"{token}: a Cost section"
        assert "Defaults:" in text or "Default" in text, f"{token}: its defaults"
        assert re.search(r"`[a-z0-9]+\.[A-Z]\w+` `<name>-", text), f"{token}: the resources it creates"
