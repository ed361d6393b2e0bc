"""The Pulumi component provider: which components other Pulumi languages get, and their schema.

`pulumi package add <repository>/components@<tag>` runs this directory as a plugin
(`PulumiPlugin.yaml`, `__main__.py`); the SDK's component analyzer reads the type
annotations and docstrings of each component's Args and outputs to build the package
schema, from which Pulumi generates an SDK in the consumer's language.

    python -m components.provider --schema build/schema/papyrus.json   # `make schema`
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import pulumi
from pulumi.provider.experimental.component import ComponentProvider
from pulumi.provider.experimental.host import component_provider_host

import components

PACKAGE_NAME = "papyrus"

HOSTED_COMPONENTS: tuple[type[pulumi.ComponentResource], ...] = (
    components.PublicPrivateVpc,
    components.ContainerRegistry,
    components.SecureAppConfig,
    components.ApplicationLogGroup,
    components.ApplicationLoadBalancer,
    components.AccessLogBucket,
    components.AuthenticatedHttpApi,
    components.FargateService,
    components.Auth0Application,
)


def schema() -> dict[str, Any]:
    """The package schema, built in process exactly as the provider host builds it."""
    provider = ComponentProvider(list(HOSTED_COMPONENTS), PACKAGE_NAME, version=components.__version__)
    if provider.schema is None:
        raise RuntimeError("the component analyzer produced no schema")
    document: dict[str, Any] = json.loads(provider.schema)
    return document


def serve() -> None:
    """Host the components for the Pulumi engine (called with the engine's arguments)."""
    component_provider_host(list(HOSTED_COMPONENTS), PACKAGE_NAME, version=components.__version__)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write the papyrus component package schema.")
    parser.add_argument("--schema", type=Path, required=True, metavar="FILE")
    args = parser.parse_args(argv)
    args.schema.parent.mkdir(parents=True, exist_ok=True)
    args.schema.write_text(json.dumps(schema(), indent=2, sort_keys=True) + "\n")
    print(f"Wrote {args.schema}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
