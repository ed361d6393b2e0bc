"""Start the component provider as the Pulumi CLI starts it, and play the engine around it.

For a `PulumiPlugin.yaml` with `runtime: python` the CLI's Python language host runs
`python <plugin directory> <engine address>` in the consumer's project directory and reads the
provider's port from the first line of its stdout. `ProviderHost` does the same with
`components/`, then talks to it over gRPC as the engine does: `GetPluginInfo`, `GetSchema`,
`Configure`, and one `Construct` per component, with inputs on the wire as a TypeScript program's
engine sends them (camelCase keys, every number a double, values from other resources as output
values with their dependencies, secrets and unknowns marked).

The engine side is two gRPC services in this process: an `Engine` that keeps the provider's log
messages, and a `ResourceMonitor` that registers what the provider's components create, answering
with `components.testing`'s `AwsMocks` and recording every call with its `RecordingMonitor`, as
the mock engine of the rest of the suite does.
"""

from __future__ import annotations

import os
import queue
import subprocess
import sys
import tempfile
import threading
from collections.abc import Mapping, Sequence
from concurrent import futures
from typing import IO, Any

import grpc
from google.protobuf import empty_pb2, struct_pb2
from pulumi.runtime import rpc
from pulumi.runtime.proto import (
    engine_pb2,
    engine_pb2_grpc,
    provider_pb2,
    provider_pb2_grpc,
    resource_pb2,
    resource_pb2_grpc,
)
from pulumi.runtime.sync_await import _ensure_event_loop

from components.testing.engine import STACK_TYPE, Deployment, RecordingMonitor, _unmark
from components.testing.mocks import AwsMocks
from tests.harness import PROJECT_DIR

PLUGIN_DIR = PROJECT_DIR / "components"
PROJECT = "consumer"
STACK = "dev"
STACK_URN = f"urn:pulumi:{STACK}::{PROJECT}::{STACK_TYPE}::{PROJECT}-{STACK}"
PACKAGE = "papyrus"

STARTUP_SECONDS = 90.0
CALL_SECONDS = 60.0


def output_value(value: Any = None, *dependencies: str, secret: bool = False, known: bool = True) -> dict[str, Any]:
    """An output of another resource as the engine forwards it to a provider that accepts outputs."""
    wire: dict[str, Any] = {rpc._special_sig_key: rpc._special_output_value_sig, "dependencies": list(dependencies)}
    if known:
        wire["value"] = value
    if secret:
        wire["secret"] = True
    return wire


def secret(value: Any) -> dict[str, Any]:
    """A secret plain value on the wire."""
    return {rpc._special_sig_key: rpc._special_secret_sig, "value": value}


class _Engine(engine_pb2_grpc.EngineServicer):
    def __init__(self) -> None:
        self.logs: list[tuple[int, str, str]] = []
        self.root = ""

    def Log(self, request: Any, context: Any) -> Any:  # noqa: N802 (gRPC method names)
        self.logs.append((request.severity, request.message, request.urn))
        return empty_pb2.Empty()

    def GetRootResource(self, request: Any, context: Any) -> Any:  # noqa: N802
        return engine_pb2.GetRootResourceResponse(urn=self.root)

    def SetRootResource(self, request: Any, context: Any) -> Any:  # noqa: N802
        self.root = request.urn
        return engine_pb2.SetRootResourceResponse()


class _Monitor(resource_pb2_grpc.ResourceMonitorServicer):
    def __init__(self, mocks: AwsMocks) -> None:
        self.recording = RecordingMonitor(mocks, project=PROJECT, stack=STACK)
        self.outputs: dict[str, dict[str, Any]] = {}
        self.invokes: list[tuple[str, dict[str, Any]]] = []
        self._lock = threading.Lock()

    def GetDeploymentInfo(self, request: Any, context: Any) -> Any:  # noqa: N802 (gRPC method names)
        return self.recording.GetDeploymentInfo(request)  # type: ignore[no-untyped-call]

    def SupportsFeature(self, request: Any, context: Any) -> Any:  # noqa: N802
        answer = self.recording.SupportsFeature(request)  # type: ignore[no-untyped-call]
        return resource_pb2.SupportsFeatureResponse(hasSupport=answer.hasSupport)

    def Invoke(self, request: Any, context: Any) -> Any:  # noqa: N802
        _ensure_event_loop()  # type: ignore[no-untyped-call]
        with self._lock:
            self.invokes.append((request.tok, rpc.deserialize_properties(request.args)))
        return self.recording.Invoke(request)

    def RegisterResource(self, request: Any, context: Any) -> Any:  # noqa: N802
        return self.recording.RegisterResource(request)

    def RegisterResourceOutputs(self, request: Any, context: Any) -> Any:  # noqa: N802
        _ensure_event_loop()  # type: ignore[no-untyped-call]
        outputs = _unmark(rpc.deserialize_properties(request.outputs, keep_unknowns=True), (), set())
        with self._lock:
            self.outputs[request.urn] = outputs
        return empty_pb2.Empty()

    def RegisterPackage(self, request: Any, context: Any) -> Any:  # noqa: N802
        return self.recording.RegisterPackage(request)  # type: ignore[no-untyped-call]

    def SignalAndWaitForShutdown(self, request: Any, context: Any) -> Any:  # noqa: N802
        return empty_pb2.Empty()


class ProviderHost:
    """The component provider in its own process, with this process playing the engine."""

    def __init__(self, *, region: str = "us-west-2") -> None:
        self.region = region
        self.mocks = AwsMocks(region=region, stack=STACK)
        self.engine = _Engine()
        self.monitor = _Monitor(self.mocks)
        self._server: grpc.Server | None = None
        self._process: subprocess.Popen[bytes] | None = None
        self._channel: grpc.Channel | None = None
        self._stderr: IO[bytes] | None = None
        self._workdir: tempfile.TemporaryDirectory[str] | None = None
        self.address = ""

    # ---- lifecycle ----------------------------------------------------------------------

    def start(self) -> ProviderHost:
        self._server = grpc.server(futures.ThreadPoolExecutor(max_workers=8, thread_name_prefix="test-engine"))
        engine_pb2_grpc.add_EngineServicer_to_server(self.engine, self._server)
        resource_pb2_grpc.add_ResourceMonitorServicer_to_server(self.monitor, self._server)
        self.address = f"127.0.0.1:{self._server.add_insecure_port('127.0.0.1:0')}"
        self._server.start()
        # The consumer's project directory: the CLI runs the plugin there, not in components/.
        self._workdir = tempfile.TemporaryDirectory(prefix="papyrus-consumer-")
        self._stderr = tempfile.TemporaryFile()  # noqa: SIM115 (closed in stop())
        env = {k: v for k, v in os.environ.items() if not k.startswith("PULUMI_")}
        env["PYTHONWARNINGS"] = "ignore::DeprecationWarning"
        self._process = subprocess.Popen(
            [sys.executable, str(PLUGIN_DIR), self.address],
            cwd=self._workdir.name,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            env=env,
        )
        port = self._first_line(self._process, STARTUP_SECONDS)
        self._channel = grpc.insecure_channel(f"127.0.0.1:{port}")
        grpc.channel_ready_future(self._channel).result(timeout=CALL_SECONDS)
        self.provider = provider_pb2_grpc.ResourceProviderStub(self._channel)
        return self

    def _first_line(self, process: subprocess.Popen[bytes], timeout: float) -> int:
        """The port the provider prints; stdout is drained afterwards so the plugin never blocks."""
        lines: queue.Queue[bytes] = queue.Queue()
        stdout = process.stdout
        assert stdout is not None

        def pump() -> None:
            for line in iter(stdout.readline, b""):
                lines.put(line)
            lines.put(b"")

        threading.Thread(target=pump, name="provider-stdout", daemon=True).start()
        try:
            line = lines.get(timeout=timeout)
        except queue.Empty:
            raise RuntimeError(f"the provider printed no port within {timeout:.0f} s: {self.stderr()}") from None
        if not line.strip().isdigit():
            raise RuntimeError(f"the provider printed {line!r} instead of a port: {self.stderr()}")
        return int(line)

    def stderr(self) -> str:
        if self._stderr is None:
            return ""
        self._stderr.seek(0)
        return self._stderr.read().decode(errors="replace")

    def stop(self) -> None:
        """End the provider process, the channel and the engine's server; safe to call twice."""
        if self._channel is not None:
            self._channel.close()
            self._channel = None
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait(timeout=10)
        if self._process is not None and self._process.stdout is not None:
            self._process.stdout.close()
        self._process = None
        if self._server is not None:
            self._server.stop(grace=None).wait(timeout=10)
            self._server = None
        if self._stderr is not None:
            self._stderr.close()
            self._stderr = None
        if self._workdir is not None:
            self._workdir.cleanup()
            self._workdir = None

    def __enter__(self) -> ProviderHost:
        try:
            return self.start()
        except BaseException:
            self.stop()  # a provider that never printed its port must not outlive the test
            raise

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ---- the engine's calls -------------------------------------------------------------

    def configure(self) -> Any:
        request = provider_pb2.ConfigureRequest(
            variables={"aws:region": self.region}, acceptSecrets=True, acceptResources=True
        )
        return self.provider.Configure(request, timeout=CALL_SECONDS)

    def construct(
        self,
        component: str,
        name: str,
        inputs: Mapping[str, Any],
        *,
        dependencies: Mapping[str, Sequence[str]] | None = None,
        dry_run: bool = False,
        parent: str = STACK_URN,
    ) -> Any:
        """`Construct` `papyrus:index:<component>`; raises `grpc.RpcError` when the provider refuses."""
        wire_inputs = struct_pb2.Struct()
        wire_inputs.update(dict(inputs))  # every number becomes a double, as on the real wire
        request = provider_pb2.ConstructRequest(
            project=PROJECT,
            stack=STACK,
            organization="organization",
            config={"aws:region": self.region},
            dryRun=dry_run,
            monitorEndpoint=self.address,
            type=f"{PACKAGE}:index:{component}",
            name=name,
            parent=parent,
            inputs=wire_inputs,
            inputDependencies={
                key: provider_pb2.ConstructRequest.PropertyDependencies(urns=list(urns))
                for key, urns in (dependencies or {}).items()
            },
            accepts_output_values=True,
        )
        return self.provider.Construct(request, timeout=CALL_SECONDS)

    def deployment(self) -> Deployment:
        """Everything the provider registered so far."""
        return Deployment(project=PROJECT, stack=STACK, resources=list(self.monitor.recording.recorded))


def state_of(response: Any) -> tuple[dict[str, Any], frozenset[tuple[str | int, ...]]]:
    """A `ConstructResponse`'s state as plain Python, and the paths that were secret."""
    _ensure_event_loop()  # type: ignore[no-untyped-call]
    secrets: set[tuple[str | int, ...]] = set()
    state = _unmark(rpc.deserialize_properties(response.state, keep_unknowns=True), (), secrets)
    return state, frozenset(secrets)
