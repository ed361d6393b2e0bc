"""The Pulumi component provider: which components other Pulumi languages get, and how.

`pulumi package add <repository>/components@v<version>` runs this directory as a plugin
(`PulumiPlugin.yaml`, `__main__.py`): Pulumi starts `python components <engine address>`, reads
the port it prints, asks for the schema (from which it generates the consumer's SDK) and sends
every `new papyrus.PublicPrivateVpc(...)` of the consumer's program here as a `Construct` call.

`PapyrusProvider` is the SDK's `ComponentProvider` (schema from the components' annotations and
docstrings) with three differences:

* inputs are mapped by `components.wire_inputs`: whole floats become integers, `8080.5`, a string
  for a number and misspelt keys are refused (the SDK converts integers and then keeps the
  float, and drops unknown keys silently);
* the schema gets package metadata, language sections and clean descriptions
  (`components.package_schema`);
* every failure reaches the engine as one line, with the status `INVALID_ARGUMENT` for bad input:
  `invalid targetPort=8080.5; expected an integer (a whole number)`. The engine prints it after the
  resource it belongs to (`papyrus:index:ApplicationLoadBalancer resource 'web' has a problem:
  ...`). Keys are the schema's, as the caller wrote them, whether the mapping or the component's
  own validation found the problem; no traceback (the SDK's servicer answers
  `Unexpected <class 'Exception'>` plus one). A plain message rather than the `InputPropertiesError`
  details the engine also understands: the engine prints those as a second, indented line after an
  empty message, which says less in more lines.

    python -m components.provider --schema build/schema/papyrus.json   # `make schema`
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import functools
import json
import re
import sys
import traceback
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import grpc
import pulumi
from pulumi.provider.experimental.analyzer import ComponentDefinition
from pulumi.provider.experimental.component import ComponentProvider
from pulumi.provider.provider import ConstructResult
from pulumi.provider.server import ProviderServicer
from pulumi.runtime._grpc_settings import _GRPC_CHANNEL_OPTIONS
from pulumi.runtime.proto import provider_pb2_grpc

import components
from components import package_schema
from components.validation import InvalidArgumentError, where
from components.wire_inputs import WireInputError, WireInputs, show

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

# The Pulumi SDK range the generated Python SDK needs: the package's own (pyproject.toml).
PULUMI_REQUIREMENT = ">=3.272.0,<4"

_SNAKE_NAME = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")


class PapyrusProvider(ComponentProvider):
    """The SDK's component provider with strict input mapping, one-line errors and a full schema."""

    def __init__(self, hosted: Sequence[type[pulumi.ComponentResource]] = HOSTED_COMPONENTS) -> None:
        super().__init__(list(hosted), PACKAGE_NAME, version=components.__version__)
        self.wire = WireInputs(self._type_defs, self._external_enum_types)
        generated = json.loads(self.schema or "{}")
        extended = package_schema.extend(
            generated,
            type_classes={name: t.python_type for name, t in self._type_defs.items()},
            components=self._components,
            names=self.schema_names(),
            pulumi_requirement=PULUMI_REQUIREMENT,
        )
        self.schema = json.dumps(extended)

    def schema_names(self) -> dict[str, str]:
        """Every Python name of an input, output or type property, with its schema name."""
        names: dict[str, str] = {}
        for definition in self._component_defs.values():
            for mapping in (definition.inputs_mapping, definition.outputs_mapping):
                names.update({py: schema for schema, py in mapping.items()})
        for type_def in self._type_defs.values():
            names.update({py: schema for schema, py in type_def.properties_mapping.items()})
        return names

    def map_inputs(self, inputs: Mapping[str, Any], component_def: ComponentDefinition) -> dict[str, Any]:
        return self.wire.map_inputs(component_def.name, inputs, component_def.inputs, component_def.inputs_mapping)

    def construct(
        self,
        name: str,
        resource_type: str,
        inputs: Mapping[str, Any],
        options: pulumi.ResourceOptions | None = None,
    ) -> ConstructResult:
        component_name = self._component_name(resource_type)
        component_def = self._component_defs[component_name]
        args = self.map_inputs(inputs, component_def)
        # Unlike the SDK's construct, errors are not wrapped: `describe_error` needs them as raised.
        component: Any = self._components[component_name]  # each takes (name, args, opts)
        instance = component(name, args, options)
        return ConstructResult(instance.urn, self.get_state(instance, component_def))

    def _component_name(self, resource_type: str) -> str:
        package, _, component_name = resource_type.rpartition(":index:")
        if package != PACKAGE_NAME or component_name not in self._components:
            hosted = ", ".join(f"{PACKAGE_NAME}:index:{c}" for c in sorted(self._components))
            raise WireInputError(("type",), resource_type, f"a resource type this package hosts: {hosted}")
        return component_name

    def describe_error(self, error: BaseException, resource_type: str, name: str) -> tuple[grpc.StatusCode, str]:
        """The status and the one-line message the engine gets for a failed `Construct`."""
        cause = _find_cause(error)
        if isinstance(cause, WireInputError):
            return grpc.StatusCode.INVALID_ARGUMENT, _one_line(str(cause))
        component_name = resource_type.rpartition(":")[2]
        component_def = self._component_defs.get(component_name)
        if isinstance(cause, InvalidArgumentError) and component_def is not None:
            return grpc.StatusCode.INVALID_ARGUMENT, self._caller_terms(cause, component_def, name)
        if isinstance(error, pulumi.RunError):
            return grpc.StatusCode.UNKNOWN, _one_line(str(error))
        # A bug rather than bad input: one line for the user, the traceback for whoever reads
        # the plugin's stderr (the engine's verbose log).
        traceback.print_exception(error, file=sys.stderr)
        detail = f"{type(error).__name__}: {error}"
        return grpc.StatusCode.INTERNAL, _one_line(f"{component_name} {name!r} failed unexpectedly: {detail}")

    def _caller_terms(self, error: InvalidArgumentError, component_def: ComponentDefinition, name: str) -> str:
        """A component's own validation error, worded as the caller wrote the input."""
        message = str(error)
        head = f"{error.where}: invalid {error.key}="
        tail = f"; expected {error.expected}"
        if not (message.startswith(head) and message.endswith(tail)):
            return _one_line(message)
        shown = message[len(head) : len(message) - len(tail)]
        if shown == repr(error.value):  # not a secret: show it as other languages write it
            shown = show(error.value)
        key = self.wire.rename_key(error.key, component_def.inputs, component_def.inputs_mapping)
        schema_names = self.wire.python_names(component_def.inputs, component_def.inputs_mapping)
        expected = _SNAKE_NAME.sub(lambda m: schema_names.get(m.group(0), m.group(0)), error.expected)
        # The engine already names the component instance; a different `where` stays.
        prefix = "" if error.where == where(component_def.name, name) else f"{error.where}: "
        return _one_line(f"{prefix}invalid {key}={shown}; expected {expected}")


def _find_cause(error: BaseException) -> BaseException:
    """The input error behind `error` if one is among its causes and contexts, else `error` itself.

    The SDK re-raises failures of resource registrations wrapped ("While processing resource
    ...") and may overwrite `__cause__` on the way, so both links are followed.
    """
    seen: set[int] = set()
    todo: list[BaseException] = [error]
    while todo:
        current = todo.pop(0)
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, (WireInputError, InvalidArgumentError)):
            return current
        todo.extend(e for e in (current.__cause__, current.__context__) if e is not None)
    return error


def _one_line(message: str) -> str:
    return " ".join(message.split())


class _Servicer(ProviderServicer):
    """The SDK's gRPC servicer, but a failed `Construct` answers with `describe_error`'s one line."""

    provider: PapyrusProvider

    async def Construct(self, request: Any, context: Any) -> Any:  # noqa: N802 (gRPC method name)
        try:
            return await self._construct(request, context)
        except Exception as error:  # noqa: BLE001 every failure becomes one status for the engine
            code, message = self.provider.describe_error(error, request.type, request.name)
        await context.abort(code, message)


@functools.cache
def hosted_provider() -> PapyrusProvider:
    """The provider of this package's components, built once per process (the analysis reads every
    component's source)."""
    return PapyrusProvider()


def schema() -> dict[str, Any]:
    """The package schema, built in process exactly as the provider host builds it."""
    document: dict[str, Any] = json.loads(hosted_provider().schema or "{}")
    return document


def serve(argv: Sequence[str] | None = None) -> None:
    """Host the components for the Pulumi engine: `python components <engine address> [flags]`.

    As the SDK's `component_provider_host`: listen on a free local port, print it (the engine
    reads the first line of stdout), serve until the engine goes away.
    """
    parser = argparse.ArgumentParser(description="papyrus component provider (gRPC server)")
    parser.add_argument("engine", help="Pulumi engine address")
    known, _ = parser.parse_known_args(list(sys.argv[1:] if argv is None else argv))
    provider = PapyrusProvider()

    async def run() -> None:
        server = grpc.aio.server(options=_GRPC_CHANNEL_OPTIONS)
        servicer = _Servicer(provider, list(argv or sys.argv[1:]), engine_address=known.engine)
        provider_pb2_grpc.add_ResourceProviderServicer_to_server(servicer, server)
        port = server.add_insecure_port(address="127.0.0.1:0")
        await server.start()
        sys.stdout.buffer.write(f"{port}\n".encode())
        sys.stdout.buffer.flush()
        await server.wait_for_termination()

    with contextlib.suppress(KeyboardInterrupt):  # the engine stops plugins with a signal
        asyncio.run(run())


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
