"""Views of a recorded deployment: a `pulumi preview`-style tree, the stack outputs,
the whole graph as JSON, and an architecture diagram in Mermaid.

Secret values never leave as text: anything the program marked secret is printed
as `[secret]`, in every view.
"""

from __future__ import annotations

import json
import re
from typing import Any

from components.testing.engine import STACK_TYPE, Deployment, RegisteredResource, Secret
from offline.fingerprint import fingerprint, key_id

SECRET_TEXT = "[secret]"  # noqa: S105 (the mask, not a secret)


def _masked(value: Any) -> Any:
    if isinstance(value, Secret):
        return SECRET_TEXT
    if isinstance(value, dict):
        return {k: _masked(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_masked(v) for v in value]
    return value


def _order(resource: RegisteredResource) -> tuple[int, str, str]:
    rank = 0 if resource.type.startswith("pulumi:providers:") else (1 if not resource.custom else 2)
    return rank, resource.name, resource.type


def tree(deployment: Deployment) -> str:
    """Resources to create, nested under their components, with a count."""
    rows: list[tuple[str, str]] = [(f"{STACK_TYPE}", f"{deployment.project}-{deployment.stack}")]

    def walk(parent_urn: str, prefix: str) -> None:
        children = sorted(deployment.children(parent_urn), key=_order)
        for i, child in enumerate(children):
            last = i == len(children) - 1
            rows.append((f"{prefix}{'└─ ' if last else '├─ '}{child.type}", child.name))
            walk(child.urn, prefix + ("   " if last else "│  "))

    walk(deployment.stack_urn, "")
    width = max(len(t) for t, _ in rows) + 3
    lines = [f"     {'Type':<{width}}Name"]
    lines += [f" +   {t:<{width}}{n}" for t, n in rows]
    components = sum(1 for r in deployment if not r.custom)
    providers = sum(1 for r in deployment if r.type.startswith("pulumi:providers:"))
    cloud = len(deployment) - components - providers
    parts = [_count(cloud, "cloud resource"), _count(components, "component"), _count(providers, "provider")]
    lines += ["", "Resources:", f"    + {len(deployment) + 1} to create ({', '.join(parts)}, 1 stack)"]
    return "\n".join(lines)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def outputs(deployment: Deployment) -> str:
    """The stack outputs; secret ones as `[secret]`."""
    if not deployment.outputs:
        return "Outputs: (none)"
    width = max(len(k) for k in deployment.outputs)
    lines = ["Outputs:"]
    for key in sorted(deployment.outputs):
        shown = SECRET_TEXT if key in deployment.secret_outputs else json.dumps(deployment.outputs[key])
        lines.append(f"    {key:<{width}}: {shown}")
    return "\n".join(lines)


GRAPH_FORMAT_VERSION = 2
"""1: the first graph.json (no version field). 2: sorted keys, `formatVersion`, secret fingerprints."""


def _at(value: Any, path: tuple[str | int, ...]) -> Any:
    for part in path:
        value = value[part]
    return value


def _path_text(path: tuple[str | int, ...]) -> str:
    return ".".join(map(str, path))


def graph(deployment: Deployment, fingerprint_key: bytes | None = None) -> dict[str, Any]:
    """The whole graph as JSON-ready data: types, names, inputs, parents, dependencies, options.

    With `fingerprint_key`, each secret input and secret output also gets a keyed fingerprint
    (offline/fingerprint.py), so a later plan diff can tell that a secret changed; without one
    the fingerprint maps are empty and `fingerprintKeyId` is null.
    """

    def input_fingerprints(r: RegisteredResource) -> dict[str, str]:
        if fingerprint_key is None:
            return {}
        return {_path_text(p): fingerprint(fingerprint_key, _at(r.inputs, p)) for p in r.secret_paths if p}

    return {
        "formatVersion": GRAPH_FORMAT_VERSION,
        "project": deployment.project,
        "stack": deployment.stack,
        "engine": "offline (Pulumi mock runtime); ids, ARNs and DNS names are computed by components/testing/mocks.py",
        "fingerprintKeyId": key_id(fingerprint_key) if fingerprint_key is not None else None,
        "resources": [
            {
                "urn": r.urn,
                "type": r.type,
                "name": r.name,
                "custom": r.custom,
                "parent": r.parent,
                "provider": r.provider or None,
                "protect": r.protect,
                "dependencies": sorted(r.dependencies),
                "propertyDependencies": {k: sorted(v) for k, v in sorted(r.property_dependencies.items()) if v},
                "inputs": _masked(r.marked_inputs()),
                "secretInputs": sorted(_path_text(p) for p in r.secret_paths if p),
                "secretFingerprints": input_fingerprints(r),
            }
            for r in sorted(deployment, key=lambda r: r.urn)
        ],
        "outputs": {
            k: (SECRET_TEXT if k in deployment.secret_outputs else v) for k, v in sorted(deployment.outputs.items())
        },
        "secretOutputFingerprints": {
            k: fingerprint(fingerprint_key, deployment.outputs[k])
            for k in sorted(deployment.secret_outputs)
            if fingerprint_key is not None and k in deployment.outputs
        },
    }


def dump(document: dict[str, Any]) -> str:
    """A graph document (with whatever the plan added: cost, policy findings) as `graph.json`'s
    text: byte-identical for identical input (sorted keys, resources sorted by URN, every
    unordered list sorted, one trailing newline)."""
    return json.dumps(document, indent=2, sort_keys=True) + "\n"


def _node_id(resource: RegisteredResource) -> str:
    return re.sub(r"[^A-Za-z0-9_]", "_", f"{resource.name}_{resource.type.rsplit(':', 1)[-1]}")


def mermaid(deployment: Deployment) -> str:
    """An architecture diagram: each top-level component or resource is a node, and an
    arrow A --> B means something in B takes an input from (or waits for) something in A."""
    top = [
        r
        for r in sorted(deployment.children(deployment.stack_urn), key=_order)
        if not r.type.startswith("pulumi:providers:")
    ]
    owner: dict[str, RegisteredResource] = {}
    for node in top:
        owner[node.urn] = node
        for inner in deployment.descendants(node):
            owner[inner.urn] = node

    lines = ["flowchart LR", f"  %% {deployment.project}-{deployment.stack}, generated by `make plan`"]
    for node in top:
        count = len([d for d in deployment.descendants(node) if d.custom])
        kind = node.type.rsplit(":", 1)[-1]
        detail = f"<br/>{_count(count, 'resource')}" if not node.custom else ""
        shape = ("[", "]") if not node.custom else ("([", "])")
        lines.append(f'  {_node_id(node)}{shape[0]}"{kind}<br/><b>{node.name}</b>{detail}"{shape[1]}')

    edges: set[tuple[str, str]] = set()
    for urn, node in owner.items():
        resource = deployment.by_urn(urn)
        for dep in resource.dependencies:
            source = owner.get(dep)
            if source is not None and source.urn != node.urn:
                edges.add((_node_id(source), _node_id(node)))
    lines += [f"  {a} --> {b}" for a, b in sorted(edges)]
    lines.append("  classDef component fill:#eef5ff,stroke:#3b6fb6")
    components = [_node_id(n) for n in top if not n.custom]
    if components:
        lines.append(f"  class {','.join(components)} component")
    return "\n".join(lines) + "\n"
