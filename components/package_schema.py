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

The docstrings are written once, for every language's reader: values as JSON writes them
(`true`, `["s3"]`), no Python-only syntax. Only the names of arguments and outputs differ
between languages, as in pulumi-aws and awsx, whose schemas render each name in each
language's spelling: the docstrings name them in backticks as Python spells them
(`nat_strategy`, which `help()` and editors show Python users), and `schema_names` rewrites
every such name to the schema's (`natStrategy`, what TypeScript, YAML and the generated SDKs'
docs show). A backticked snake_case word that is not one of the package's names stays as it
is, and the schema test refuses it.

No input or output refers to another package's types (ids and ARNs are strings), so the SDKs
need no provider SDK besides the Pulumi SDK, which each generator adds itself.
"""

import inspect
import re
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
    "registry, grouped SSM and Secrets Manager configuration, log groups, Application Load Balancers "
    "with their access-log bucket, an API Gateway HTTP API behind a JWT authorizer, a Fargate service and "
    "an Auth0 application."
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
    """Dedent every description, drop the copies the analyzer puts on list items and map values,
    and the empty ones it gives enum members without a docstring."""
    if isinstance(node, list):
        return [_clean_descriptions(item) for item in node]
    if not isinstance(node, dict):
        return node
    cleaned: dict[str, Any] = {}
    own = inspect.cleandoc(node["description"]) if isinstance(node.get("description"), str) else None
    for key, value in node.items():
        if key == "description" and value is None:
            continue  # an enum member without a docstring: the schema wants a string or nothing
        if key == "description" and isinstance(value, str):
            if own != parent_description:
                cleaned[key] = own
        elif key in ("items", "additionalProperties"):
            cleaned[key] = _clean_descriptions(value, own)
        else:
            cleaned[key] = _clean_descriptions(value)
    return cleaned


_CODE_SPAN = re.compile(r"`[^`\n]+`")
_SNAKE_WORD = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")


def schema_names(description: str, names: Mapping[str, str]) -> str:
    """`description` with every Python name of `names` inside a code span in its schema spelling:
    `nat_strategy` becomes `natStrategy`, `network.public_subnet_ids` becomes
    `network.publicSubnetIds`, `{"allow_origins": ["*"]}` becomes `{"allowOrigins": ["*"]}`.
    Text outside code spans, and snake_case words that are not names of the package, are left
    as they are."""

    def rename(span: re.Match[str]) -> str:
        return _SNAKE_WORD.sub(lambda word: names.get(word.group(0), word.group(0)), span.group(0))

    return _CODE_SPAN.sub(rename, description)


def _rename_descriptions(node: Any, names: Mapping[str, str]) -> Any:
    if isinstance(node, list):
        return [_rename_descriptions(item, names) for item in node]
    if not isinstance(node, dict):
        return node
    return {
        key: schema_names(value, names)
        if key == "description" and isinstance(value, str)
        else _rename_descriptions(value, names)
        for key, value in node.items()
    }


def extend(
    document: Mapping[str, Any],
    *,
    type_classes: Mapping[str, type],
    components: Mapping[str, type[pulumi.ComponentResource]],
    names: Mapping[str, str],
    pulumi_requirement: str,
) -> dict[str, Any]:
    """The generated schema with metadata, language sections and clean descriptions.

    `type_classes` maps each type's name to its Python class (its description is the class
    docstring as written, without the list `documented_keys` appends for `help()`);
    `components` maps each resource's name to its class, whose `_secret_outputs` (Python names)
    are marked secret; `names` maps every Python name of an input, output or type property to
    its schema name, for `schema_names`.
    """
    schema: dict[str, Any] = _clean_descriptions(dict(document))
    schema.update(METADATA)
    schema["language"] = language_sections(pulumi_requirement)
    for token, spec in schema.get("types", {}).items():
        cls = type_classes.get(token.rsplit(":", 1)[-1])
        if cls is not None:
            spec["description"] = summary(cls)
    for token, spec in schema.get("resources", {}).items():
        component = components.get(token.rsplit(":", 1)[-1])
        for python_name in getattr(component, "_secret_outputs", ()):
            schema_name = camel_case(python_name)
            if schema_name in spec.get("properties", {}):
                spec["properties"][schema_name]["secret"] = True
    renamed: dict[str, Any] = _rename_descriptions(schema, names)
    return renamed
