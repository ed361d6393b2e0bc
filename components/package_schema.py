"""What the package schema says beyond what the SDK's analyzer reads from the code.

The analyzer derives resources, inputs, outputs and types from the components' annotations and
docstrings. A consumer's SDK also needs a name in each language, and the package page needs
metadata; the descriptions need the docstrings' indentation removed (Markdown would render an
indented continuation paragraph as a code block). `extend` adds all of that to the generated
schema. The names follow what `pulumi package add` does with them:

* nodejs: `packageName` is the npm name the generated SDK gets and `package add` links
  (`import * as papyrus from "@papyrus/components"`); the default would be `@pulumi/papyrus`.
* Go: `importBasePath` is the generated module's import path (`package add` points a `replace`
  directive at the local copy).
* C#: `rootNamespace` + `namespaces` give `Papyrus.Components.PublicPrivateVpc` instead of
  `Pulumi.Papyrus.PublicPrivateVpc`.
* Python: `packageName` of the generated SDK. Python programs normally install the
  `papyrus-components` distribution instead and import `components`; the generated SDK is
  named apart so both can coexist.

No input or output refers to another package's types (ids and ARNs are strings), so the SDKs
need no provider SDK besides the Pulumi SDK, which each generator adds itself.
"""

import inspect
from collections.abc import Mapping
from typing import Any

import pulumi
from pulumi.provider.experimental.util import camel_case

from components.arg_docs import summary

REPOSITORY = "https://github.com/papyrus/papyrus-infra"
"""Where the package lives; `pulumi package add <REPOSITORY>/components@v<version>` installs it."""

NODEJS_PACKAGE = "@papyrus/components"
GO_IMPORT_BASE_PATH = "github.com/papyrus/papyrus-infra/sdk/go/papyrus"
CSHARP_ROOT_NAMESPACE = "Papyrus"
PYTHON_PACKAGE = "papyrus_components_sdk"

DESCRIPTION = (
    "Components for a containerised web app on AWS: a VPC with public and private subnets, an ECR "
    "registry, grouped SSM and Secrets Manager configuration, log groups, Application Load Balancers, "
    "an API Gateway HTTP API behind a JWT authorizer, a Fargate service and an Auth0 application."
)

METADATA: dict[str, Any] = {
    "displayName": "Papyrus Components",
    "description": DESCRIPTION,
    "keywords": ["pulumi", "aws", "ecs", "fargate", "vpc", "auth0", "kind/component", "category/cloud"],
    "homepage": f"{REPOSITORY}/tree/main/components",
    "repository": REPOSITORY,
    "license": "Apache-2.0",
    "publisher": "Papyrus",
}


def language_sections(pulumi_requirement: str) -> dict[str, dict[str, Any]]:
    """The per-language SDK settings; `pulumi_requirement` is the Pulumi SDK range for Python."""
    readme = f"{DESCRIPTION}\n\nInstall with `pulumi package add {REPOSITORY}/components@<tag>`."
    return {
        "nodejs": {
            "packageName": NODEJS_PACKAGE,
            "packageDescription": DESCRIPTION,
            "readme": readme,
            "respectSchemaVersion": True,
        },
        "go": {
            "importBasePath": GO_IMPORT_BASE_PATH,
            "generateResourceContainerTypes": True,
            "respectSchemaVersion": True,
        },
        "csharp": {
            "rootNamespace": CSHARP_ROOT_NAMESPACE,
            "namespaces": {"papyrus": "Components"},
            "packageReferences": {"Pulumi": "3.*"},
            "respectSchemaVersion": True,
        },
        "python": {
            "packageName": PYTHON_PACKAGE,
            "readme": readme,
            "requires": {"pulumi": pulumi_requirement},
            "pyproject": {"enabled": True},
            "respectSchemaVersion": True,
        },
        "java": {
            "basePackage": "io.papyrus",
            "respectSchemaVersion": True,
        },
    }


def _clean_descriptions(node: Any, parent_description: str | None = None) -> Any:
    """Dedent every description and drop the copies the analyzer puts on list items and map values."""
    if isinstance(node, list):
        return [_clean_descriptions(item) for item in node]
    if not isinstance(node, dict):
        return node
    cleaned: dict[str, Any] = {}
    own = inspect.cleandoc(node["description"]) if isinstance(node.get("description"), str) else None
    for key, value in node.items():
        if key == "description" and isinstance(value, str):
            if own != parent_description:
                cleaned[key] = own
        elif key in ("items", "additionalProperties"):
            cleaned[key] = _clean_descriptions(value, own)
        else:
            cleaned[key] = _clean_descriptions(value)
    return cleaned


def extend(
    document: Mapping[str, Any],
    *,
    type_classes: Mapping[str, type],
    components: Mapping[str, type[pulumi.ComponentResource]],
    pulumi_requirement: str,
) -> dict[str, Any]:
    """The generated schema with metadata, language sections and clean descriptions.

    `type_classes` maps each object type's name to its Python class (its description is the class
    docstring as written, without the key list `documented_keys` appends for `help()`);
    `components` maps each resource's name to its class, whose `_secret_outputs` (Python names)
    are marked secret.
    """
    schema: dict[str, Any] = _clean_descriptions(dict(document))
    schema.update(METADATA)
    schema["language"] = language_sections(pulumi_requirement)
    for token, spec in schema.get("types", {}).items():
        cls = type_classes.get(token.rsplit(":", 1)[-1])
        if cls is not None and spec.get("type") == "object":
            spec["description"] = summary(cls)
    for token, spec in schema.get("resources", {}).items():
        component = components.get(token.rsplit(":", 1)[-1])
        for python_name in getattr(component, "_secret_outputs", ()):
            schema_name = camel_case(python_name)
            if schema_name in spec.get("properties", {}):
                spec["properties"][schema_name]["secret"] = True
    return schema
