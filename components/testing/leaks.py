"""Where secret values ended up: `plaintext_leaks(deployment)` is empty when every value the
program marked secret stayed secret in every resource input and stack output."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from components.testing.engine import Deployment


def _walk(value: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _walk(v, f"{path}.{k}" if path else str(k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _walk(v, f"{path}[{i}]")
    else:
        yield path, value


def _at(value: Any, path: tuple[str | int, ...]) -> Any:
    for part in path:
        value = value[part]
    return value


def secret_values(deployment: Deployment, *, min_length: int = 8) -> set[str]:
    """Every string the program or the engine treats as secret, long enough to search for."""
    found: set[str] = set()

    def collect(value: Any) -> None:
        for _, leaf in _walk(value):
            if isinstance(leaf, str) and len(leaf) >= min_length:
                found.add(leaf)

    for r in deployment:
        for path in r.secret_paths:
            collect(_at(r.inputs, path))
        for key in r.additional_secret_outputs:
            if key in r.outputs:
                collect(r.outputs[key])
    for key in deployment.secret_outputs:
        collect(deployment.outputs[key])
    return found


def plaintext_leaks(deployment: Deployment, secrets: set[str] | None = None) -> list[str]:
    """Where a secret value appears in a non-secret resource input or stack output
    (`<type> <name>.<input path>` or `output <name>`); empty when every secret stayed secret."""
    secrets = secret_values(deployment) if secrets is None else secrets
    leaks: list[str] = []

    def scan(where: str, value: Any) -> None:
        for path, leaf in _walk(value):
            if isinstance(leaf, str):
                leaks.extend(f"{where}.{path}" for s in secrets if s in leaf)

    for r in deployment:
        plain = {k: v for k, v in r.inputs.items() if not r.is_secret(k)}
        scan(f"{r.type} {r.name}", plain)
    for key, value in deployment.outputs.items():
        if key not in deployment.secret_outputs:
            scan(f"output {key}", value)
    return leaks
