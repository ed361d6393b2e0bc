"""Run a Pulumi program under Pulumi's own mock runtime and record the resource graph.

`pulumi.runtime.set_mocks` runs the real program and components in process: every
`RegisterResource` call reaches a monitor instead of the engine. `RecordingMonitor`
keeps what a reviewer (or a test) needs from each call — type, logical name,
parent, inputs with their secret markers, dependencies, options — and closes two
gaps between the stock mock monitor and the real engine:

* `additionalSecretOutputs` is honoured: the engine marks those output properties
  secret (for example `RandomPassword.result`); the stock monitor returns them in
  plaintext, which would let a test miss a leaked secret.
* Stack outputs are captured from `RegisterResourceOutputs`, with their secrets.
"""

from __future__ import annotations

import asyncio
import contextvars
import gc
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from pulumi.runtime import mocks as pulumi_mocks
from pulumi.runtime import rpc
from pulumi.runtime.config import set_all_config
from pulumi.runtime.proto import resource_pb2
from pulumi.runtime.settings import ROOT, SETTINGS
from pulumi.runtime.stack import run_in_stack
from pulumi.runtime.sync_await import _ensure_event_loop, _sync_await

STACK_TYPE = "pulumi:pulumi:Stack"


@dataclass(frozen=True)
class Secret:
    """A value the program marked secret; `str()` never shows it."""

    value: Any

    def __str__(self) -> str:
        return "[secret]"

    def __repr__(self) -> str:
        return "Secret([secret])"


def _unmark(value: Any, path: tuple[str | int, ...], secrets: set[tuple[str | int, ...]]) -> Any:
    """Turn the wire form into plain Python, remembering where secrets were."""
    if isinstance(value, dict):
        if value.get(rpc._special_sig_key) == rpc._special_secret_sig:
            secrets.add(path)
            return _unmark(value.get("value"), path, secrets)
        return {k: _unmark(v, (*path, k), secrets) for k, v in value.items()}
    if isinstance(value, list):
        return [_unmark(v, (*path, i), secrets) for i, v in enumerate(value)]
    if isinstance(value, float) and value.is_integer():
        # The wire format has only doubles; every number AWS takes here is whole.
        return int(value)
    return value


def _mark(value: Any, path: tuple[str | int, ...], secrets: set[tuple[str | int, ...]]) -> Any:
    """Plain Python with `Secret` wrappers at the recorded paths."""
    if path in secrets:
        return Secret(_mark(value, (*path, "\0"), secrets))
    if isinstance(value, dict):
        return {k: _mark(v, (*path, k), secrets) for k, v in value.items()}
    if isinstance(value, list):
        return [_mark(v, (*path, i), secrets) for i, v in enumerate(value)]
    return value


def _urn_of(provider_ref: str) -> str:
    """A provider reference is `<urn>::<id>`; keep the URN."""
    return provider_ref.rsplit("::", 1)[0] if provider_ref else ""


@dataclass(frozen=True)
class RegisteredResource:
    """One `RegisterResource` call, as the engine would have received it."""

    urn: str
    type: str
    name: str
    custom: bool
    parent: str
    """URN of the parent resource (the stack for top-level resources)."""
    inputs: dict[str, Any]
    """Inputs as plain Python, secrets unwrapped. Keys are the provider's camelCase names."""
    secret_paths: frozenset[tuple[str | int, ...]]
    """Paths into `inputs` whose value the program marked secret."""
    outputs: dict[str, Any]
    """What the mock returned (inputs plus computed attributes), secrets unwrapped."""
    id: str
    dependencies: tuple[str, ...]
    property_dependencies: Mapping[str, tuple[str, ...]]
    provider: str
    """URN of the explicit provider, or "" for the default provider."""
    protect: bool
    retain_on_delete: bool
    delete_before_replace: bool
    ignore_changes: tuple[str, ...]
    replace_on_changes: tuple[str, ...]
    additional_secret_outputs: tuple[str, ...]

    def is_secret(self, prop: str) -> bool:
        """True when the input `prop` (or any part of it) is a secret."""
        return any(path[0] == prop for path in self.secret_paths if path)

    def fully_secret(self, prop: str) -> bool:
        """True when the whole value of input `prop` is a secret."""
        return (prop,) in self.secret_paths

    def marked_inputs(self) -> dict[str, Any]:
        """Inputs with `Secret` wrappers where the program marked secrets."""
        marked: dict[str, Any] = _mark(self.inputs, (), set(self.secret_paths))
        return marked


@dataclass
class Deployment:
    """Everything one run of a program registered."""

    project: str
    stack: str
    resources: list[RegisteredResource] = field(default_factory=list)
    outputs: dict[str, Any] = field(default_factory=dict)
    secret_outputs: frozenset[str] = frozenset()
    """Stack output names whose value is (or contains) a secret."""
    invokes: tuple[str, ...] = ()
    """Tokens of the provider functions the program called (`aws:index/getRegion:getRegion`), sorted, each once."""

    def __iter__(self) -> Iterator[RegisteredResource]:
        return iter(self.resources)

    def __len__(self) -> int:
        return len(self.resources)

    @property
    def stack_urn(self) -> str:
        return f"urn:pulumi:{self.stack}::{self.project}::{STACK_TYPE}::{self.project}-{self.stack}"

    def of_type(self, type_: str) -> list[RegisteredResource]:
        """Resources of one type token, sorted by logical name."""
        return sorted((r for r in self.resources if r.type == type_), key=lambda r: r.name)

    def one(self, type_: str, name: str | None = None) -> RegisteredResource:
        """The single resource of `type_` (and `name`, if given); fails loudly otherwise."""
        found = [r for r in self.of_type(type_) if name is None or r.name == name]
        if len(found) != 1:
            names = [r.name for r in self.of_type(type_)]
            raise LookupError(f"expected one {type_} named {name!r}, found {len(found)} among {names}")
        return found[0]

    def by_urn(self, urn: str) -> RegisteredResource:
        for r in self.resources:
            if r.urn == urn:
                return r
        raise LookupError(f"no resource with URN {urn}")

    def by_id(self, id_: str) -> RegisteredResource:
        """The resource whose physical id is `id_` (mock ids are unique per resource)."""
        found = [r for r in self.resources if r.custom and r.id == id_]
        if len(found) != 1:
            raise LookupError(f"expected one resource with id {id_!r}, found {len(found)}")
        return found[0]

    def children(self, parent: RegisteredResource | str) -> list[RegisteredResource]:
        urn = parent if isinstance(parent, str) else parent.urn
        return [r for r in self.resources if r.parent == urn]

    def descendants(self, parent: RegisteredResource | str) -> list[RegisteredResource]:
        out: list[RegisteredResource] = []
        for child in self.children(parent):
            out.append(child)
            out.extend(self.descendants(child))
        return out

    def dependency_closure(self, resource: RegisteredResource) -> set[str]:
        """URNs `resource` depends on, directly or transitively; depending on a component counts as
        depending on everything inside it, as it does for the engine."""
        seen: set[str] = set()
        todo = list(resource.dependencies)
        while todo:
            urn = todo.pop()
            if urn in seen:
                continue
            seen.add(urn)
            dep = self.by_urn(urn)
            todo.extend(dep.dependencies)
            # Depending on a component means depending on everything inside it.
            todo.extend(child.urn for child in self.children(dep))
        return seen


class RecordingMonitor(pulumi_mocks.MockMonitor):
    """A mock resource monitor that records every registration (thread-safe)."""

    def __init__(self, mocks: pulumi_mocks.Mocks, *, project: str | None = None, stack: str | None = None) -> None:
        super().__init__(mocks)
        # URNs name the project and stack; given here, they need not come from the SDK's settings
        # (a monitor serving another process over gRPC has none).
        self._project = project
        self._stack = stack
        self._lock = threading.Lock()
        self.recorded: list[RegisteredResource] = []
        self.stack_outputs: dict[str, Any] = {}
        self.stack_secret_outputs: set[str] = set()
        self.invoked: set[str] = set()

    def make_urn(self, parent: str, type_: str, name: str) -> str:
        if self._project is None or self._stack is None:
            urn: str = super().make_urn(parent, type_, name)
            return urn
        parent_type = parent.split("::")[2] if parent else STACK_TYPE
        if parent_type != STACK_TYPE:  # as the engine does: children of the stack are unqualified
            type_ = f"{parent_type}${type_}"
        return f"urn:pulumi:{self._stack}::{self._project}::{type_}::{name}"

    def RegisterResource(self, request: Any) -> Any:  # noqa: N802 (gRPC method name)
        if request.type == STACK_TYPE:
            return super().RegisterResource(request)  # type: ignore[no-untyped-call]

        _ensure_event_loop()  # type: ignore[no-untyped-call]  # deserialising resource refs needs a loop
        secrets: set[tuple[str | int, ...]] = set()
        wire_inputs = rpc.deserialize_properties(request.object, keep_unknowns=True)
        inputs = _unmark(wire_inputs, (), secrets)
        urn = self.make_urn(request.parent, request.type, request.name)

        id_, state = self.mocks.new_resource(
            pulumi_mocks.MockResourceArgs(
                typ=request.type,
                name=request.name,
                inputs=wire_inputs,
                provider=request.provider,
                resource_id=request.importId,
                custom=request.custom or False,
            )
        )
        id_ = id_ or ""
        # The real engine marks these outputs secret whatever the provider returns.
        for key in request.additionalSecretOutputs:
            if key in state and not _is_wire_secret(state[key]):
                state[key] = {rpc._special_sig_key: rpc._special_secret_sig, "value": state[key]}

        recorded = RegisteredResource(
            urn=urn,
            type=request.type,
            name=request.name,
            custom=bool(request.custom),
            parent=request.parent,
            inputs=inputs,
            secret_paths=frozenset(secrets),
            outputs=_unmark(state, (), set()),
            id=id_,
            dependencies=tuple(request.dependencies),
            property_dependencies={k: tuple(v.urns) for k, v in request.propertyDependencies.items()},
            provider=_urn_of(request.provider),
            protect=bool(request.protect),
            retain_on_delete=bool(request.retainOnDelete),
            delete_before_replace=bool(request.deleteBeforeReplace),
            ignore_changes=tuple(request.ignoreChanges),
            replace_on_changes=tuple(request.replaceOnChanges),
            additional_secret_outputs=tuple(request.additionalSecretOutputs),
        )
        with self._lock:
            self.recorded.append(recorded)

        state_proto = _sync_await(rpc.serialize_properties(state, {}))
        self.resources[urn] = pulumi_mocks.MockMonitor.ResourceRegistration(urn, id_, state)
        return resource_pb2.RegisterResourceResponse(urn=urn, id=id_, object=state_proto)

    def Invoke(self, request: Any) -> Any:  # noqa: N802 (gRPC method name)
        with self._lock:
            self.invoked.add(request.tok)
        return super().Invoke(request)  # type: ignore[no-untyped-call]

    def RegisterResourceOutputs(self, request: Any) -> Any:  # noqa: N802
        if f"::{STACK_TYPE}::" in request.urn:
            secrets: set[tuple[str | int, ...]] = set()
            outputs = _unmark(rpc.deserialize_properties(request.outputs, keep_unknowns=True), (), secrets)
            with self._lock:
                self.stack_outputs = outputs
                self.stack_secret_outputs = {str(path[0]) for path in secrets if path}
        return super().RegisterResourceOutputs(request)  # type: ignore[no-untyped-call]


class _WorkerLoops:
    """Event loops of the executor threads that carry the SDK's calls to the monitor.

    The SDK needs a loop in each of those threads and would create one it never closes;
    creating them here lets the engine close them when the run ends.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loops: list[asyncio.AbstractEventLoop] = []

    def give_thread_a_loop(self) -> None:
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        with self._lock:
            self._loops.append(loop)

    def close(self) -> None:
        with self._lock:
            for loop in self._loops:
                loop.close()
            self._loops.clear()


def _finalise() -> None:
    """Collect this run's garbage now, then exempt what survives from later collections.

    Collecting here (not at some later point) matters on Python 3.11.7: a finaliser that
    runs inside `ast.parse` (pytest's assertion rewriting, the component analyzer) makes it
    fail with "AST constructor recursion depth mismatch" (CPython gh-106905, fixed in
    3.11.8). Freezing the survivors — mostly the provider SDKs' modules — keeps each
    collection to the objects of one run, which makes runs about three times faster.
    """
    gc.collect()
    gc.freeze()


def _drain(loop: asyncio.AbstractEventLoop) -> None:
    """Cancel what a failed run left pending, so no task outlives its loop."""
    pending = [task for task in asyncio.all_tasks(loop) if not task.done()]
    for task in pending:
        task.cancel()
    if pending:
        loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))


class ProgramError(Exception):
    """The program failed; `error` is what it raised, `deployment` what it had registered by then."""

    def __init__(self, error: BaseException, deployment: Deployment) -> None:
        super().__init__(str(error))
        self.error = error
        self.deployment = deployment


def _is_wire_secret(value: Any) -> bool:
    return isinstance(value, dict) and value.get(rpc._special_sig_key) == rpc._special_secret_sig


def run(
    program: Callable[[], Any],
    *,
    mocks: pulumi_mocks.Mocks,
    project: str,
    stack: str,
    config: Mapping[str, str] | None = None,
    secret_keys: Iterable[str] = (),
) -> Deployment:
    """Run `program` as the body of a stack `project`-`stack` and return what it registered.

    `config` holds fully qualified keys (`papyrus:vpcCidr`, `aws:region`) with string
    values, as the CLI hands them to a program. Each call runs in a fresh context and
    event loop, so runs do not leak resources, config or the root stack into each other.
    When the program raises, `ProgramError` carries the exception and what had been
    registered before it.
    """

    def isolated() -> Deployment:
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        workers = _WorkerLoops()
        loop.set_default_executor(
            ThreadPoolExecutor(thread_name_prefix="offline-engine", initializer=workers.give_thread_a_loop)
        )
        monitor = RecordingMonitor(mocks)
        # set_mocks registers a root stack of its own unless one exists; run_in_stack
        # registers the real one, so keep set_mocks from making a second.
        ROOT.set(object())  # type: ignore[arg-type]
        pulumi_mocks.set_mocks(mocks, project=project, stack=stack, preview=False, monitor=monitor)
        ROOT.set(None)
        # The SDK's pending-output set defaults to one object shared by every context; a run
        # that failed inside an apply would leave tasks of its closed loop there for the next.
        SETTINGS.outputs = set()
        # The root directory is process-wide too: a program run from a project directory (see
        # stack.run_program) sets it, and a later run without one must not see that project.
        SETTINGS.root_directory = None
        set_all_config(dict(config or {}), list(secret_keys))
        error: BaseException | None = None
        try:
            loop.run_until_complete(run_in_stack(program))
        except Exception as exc:  # noqa: BLE001 re-raised below with the partial graph
            error = exc
        finally:
            _drain(loop)
            loop.run_until_complete(loop.shutdown_default_executor())
            workers.close()
            asyncio.set_event_loop(None)
            loop.close()
            _finalise()
        deployment = Deployment(
            project=project,
            stack=stack,
            resources=list(monitor.recorded),
            outputs=dict(monitor.stack_outputs),
            secret_outputs=frozenset(monitor.stack_secret_outputs),
            invokes=tuple(sorted(monitor.invoked)),
        )
        if error is not None:
            raise ProgramError(error, deployment) from error
        return deployment

    return contextvars.Context().run(isolated)
