"""The component package other teams consume: pip metadata, the plugin, and the schema that
`pulumi package add` would generate SDKs from (built in process by the SDK's analyzer)."""

from __future__ import annotations

import re
import tomllib
import typing
from typing import Any

import pulumi
import pytest
from packaging.requirements import Requirement
from packaging.version import Version

import components
from components import provider
from tests.harness import PROJECT_DIR

SCHEMA = provider.schema()
RESOURCES: dict[str, Any] = SCHEMA["resources"]
TYPES: dict[str, Any] = SCHEMA["types"]


def test_every_public_component_is_hosted_under_the_papyrus_package() -> None:
    exported = {
        name
        for name in components.__all__
        if isinstance(getattr(components, name), type)
        and issubclass(getattr(components, name), pulumi.ComponentResource)
    }
    assert SCHEMA["name"] == "papyrus"
    assert SCHEMA["version"] == components.__version__
    assert set(RESOURCES) == {f"papyrus:index:{c.__name__}" for c in provider.HOSTED_COMPONENTS}
    assert {c.__name__ for c in provider.HOSTED_COMPONENTS} == exported


@pytest.mark.parametrize("component", provider.HOSTED_COMPONENTS, ids=lambda c: c.__name__)
def test_component_schema_is_complete(component: type[pulumi.ComponentResource]) -> None:
    resource = RESOURCES[f"papyrus:index:{component.__name__}"]
    assert resource["isComponent"] is True
    assert resource.get("description"), "the class docstring becomes the schema description"
    args_type = typing.get_type_hints(component.__init__, include_extras=True)["args"]
    required_keys = {_camel(k) for k in args_type.__required_keys__}
    optional_keys = {_camel(k) for k in args_type.__optional_keys__}

    inputs = resource["inputProperties"]
    assert set(inputs) == required_keys | optional_keys
    assert set(resource.get("requiredInputs", [])) == required_keys
    for name, spec in inputs.items():
        assert spec.get("description"), f"{component.__name__}.{name} has no description"
        _assert_typed(spec, f"{component.__name__}.{name}")

    outputs = resource["properties"]
    assert outputs, f"{component.__name__} has no outputs"
    for name, spec in outputs.items():
        assert spec.get("description"), f"output {component.__name__}.{name} has no description"
        _assert_typed(spec, f"output {component.__name__}.{name}")


def test_no_empty_object_types() -> None:
    for token, spec in TYPES.items():
        if "enum" in spec:
            assert spec["type"] == "string", f"{token}: an enum of strings"
            assert spec["enum"], f"{token} has no values"
            continue
        assert spec["type"] == "object"
        assert spec.get("properties"), f"{token} has no properties"
        for name, prop in spec["properties"].items():
            _assert_typed(prop, f"{token}.{name}")


def _assert_typed(spec: dict[str, Any], where: str) -> None:
    if "$ref" in spec:
        ref = spec["$ref"]
        assert ref.startswith("#/types/papyrus:index:"), f"{where}: unexpected reference {ref}"
        assert ref.removeprefix("#/types/") in TYPES, f"{where}: dangling reference {ref}"
        return
    assert spec.get("type") in {"string", "integer", "number", "boolean", "array", "object"}, where
    if spec["type"] == "array":
        _assert_typed(spec["items"], f"{where}[]")
    if spec["type"] == "object":
        assert "additionalProperties" in spec, f"{where}: an untyped object"
        _assert_typed(spec["additionalProperties"], f"{where}{{}}")


def _camel(snake: str) -> str:
    head, *rest = snake.split("_")
    return head + "".join(part.title() for part in rest)


def test_pip_metadata_and_plugin_pins_agree() -> None:
    pyproject = tomllib.loads((PROJECT_DIR / "pyproject.toml").read_text())
    assert pyproject["project"]["version"] == components.__version__
    assert pyproject["tool"]["hatch"]["build"]["targets"]["wheel"]["packages"] == ["components"]
    assert (PROJECT_DIR / "components" / "py.typed").exists()
    plugin_pins = dict(
        line.strip().split("==")
        for line in (PROJECT_DIR / "components" / "requirements.txt").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    )
    locked = {p["name"]: p["version"] for p in tomllib.loads((PROJECT_DIR / "uv.lock").read_text())["package"]}
    ranges = {Requirement(r).name: Requirement(r).specifier for r in pyproject["project"]["dependencies"]}
    # The plugin runs exactly what this repository tests with; consumers get ranges that admit it.
    assert set(plugin_pins) == set(ranges)
    for name, version in plugin_pins.items():
        assert version == locked[name], name
        assert ranges[name].contains(version), (name, version, ranges[name])
        assert not any(spec.operator == "==" for spec in ranges[name]), f"{name}: consumers need a range"


def test_plugin_manifest_runs_the_provider_host() -> None:
    import yaml

    manifest = yaml.safe_load((PROJECT_DIR / "components" / "PulumiPlugin.yaml").read_text())
    assert manifest["runtime"]["name"] == "python"
    main = (PROJECT_DIR / "components" / "__main__.py").read_text()
    assert "serve()" in main


def test_changelog_covers_the_current_version() -> None:
    changelog = (PROJECT_DIR / "CHANGELOG.md").read_text()
    assert f"## [{components.__version__}]" in changelog
    for component in provider.HOSTED_COMPONENTS:
        assert f"`{component.__name__}`" in changelog


RELEASE_HEADING = re.compile(r"^## \[(?P<version>[^\]]+)\](?: — (?P<date>\S+))?\s*$", re.MULTILINE)


def released_versions(changelog: str) -> list[tuple[str, str | None]]:
    """(version, date) of every `## [x.y.z] — date` heading, newest first, `Unreleased` left out."""
    return [
        (m.group("version"), m.group("date"))
        for m in RELEASE_HEADING.finditer(changelog)
        if m.group("version") != "Unreleased"
    ]


def test_the_version_is_the_changelogs_newest_release() -> None:
    """The release workflow tags `v<version>` from pyproject.toml; the changelog must describe it."""
    changelog = (PROJECT_DIR / "CHANGELOG.md").read_text()
    releases = released_versions(changelog)
    assert releases, "no released version in CHANGELOG.md"
    newest, date = releases[0]
    assert newest == components.__version__, f"CHANGELOG.md's newest release is {newest}"
    assert date is not None, f"{newest} needs a release date"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", date), f"{newest} needs an ISO date"
    assert changelog.index("## [Unreleased]") < changelog.index(f"## [{newest}]"), "Unreleased stays on top"
    versions = [Version(v) for v, _ in releases]
    assert versions == sorted(versions, reverse=True), "releases are listed newest first"
    assert len(set(versions)) == len(versions), "each version is released once"


def test_the_release_check_reads_headings_as_written() -> None:
    sample = "# Changelog\n\n## [Unreleased]\n\n## [2.0.0] — 2027-01-02\n\n## [1.0.0] — 2026-12-01\n"
    assert released_versions(sample) == [("2.0.0", "2027-01-02"), ("1.0.0", "2026-12-01")]


def test_modules_with_typed_dicts_keep_annotations_evaluated() -> None:
    """With `from __future__ import annotations`, TypedDict counts NotRequired keys as required
    and the component analyzer cannot read the types: optional arguments would silently become
    required in every language."""
    for module in sorted((PROJECT_DIR / "components").glob("*.py")):
        source = module.read_text()
        if "(TypedDict" in source:
            assert "\nfrom __future__ import annotations" not in source, module.name


PIN_DOCUMENTS = (
    "README.md",
    "CHANGELOG.md",
    "components/README.md",
    "examples/orders-api/pyproject.toml",
    "examples/orders-api-ts/Pulumi.yaml",
    "examples/orders-api-ts/README.md",
)


def test_every_pin_in_the_docs_names_the_current_release_tag() -> None:
    """The tag release.yml makes is `v<version>`; every instruction to pin one names it."""
    from components.package_schema import REPOSITORY

    pins = []
    for document in PIN_DOCUMENTS:
        text = (PROJECT_DIR / document).read_text()
        if document == "CHANGELOG.md":
            text = text[: text.index("## Versioning policy")]  # old entries may name old tags
        pins += [(document, m) for m in re.findall(r"(?:@|tag = \")v(\d+\.\d+\.\d+)", text)]
        for url in re.findall(r"https://github\.com/[^/\s]+/papyrus-infra", text):
            assert url == REPOSITORY, f"{document} names {url}, the package says {REPOSITORY}"
    assert {document for document, _ in pins} >= {"README.md", "components/README.md"}
    assert {version for _, version in pins} == {components.__version__}, pins
