"""What changed between two offline plans: the resources a `pulumi up` would create, update
(with the input keys that changed) and delete, matched by URN as `pulumi preview --diff`
matches old state, and the stack outputs that changed.

Pure functions over two parsed `graph.json` documents. Secret values never reach this module:
the graph holds `[secret]` in their place, and whether a secret changed is decided by comparing
the keyed fingerprints next to them (offline/fingerprint.py), which are never shown.

Only `inputs` (and the secret fingerprints) decide an update, as for Pulumi: other per-resource
fields — dependencies, options, anything a later tool adds such as a cost figure — do not.
Whether the provider carries an update out in place or by replacement is the provider's call
and is not known offline.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

SECRET_TEXT = "[secret]"  # noqa: S105 (the mask, not a secret)
MAX_CHANGES_SHOWN = 25
MAX_VALUE_CHARS = 160


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()
"""Stands for the side of a change where the value does not exist (an added or removed key)."""

KeyPath = tuple[str, ...]
"""A path into inputs or outputs: dict keys and list indices, as strings."""


class PlanFormatError(ValueError):
    """A file that is not an offline plan's graph.json."""


@dataclass(frozen=True)
class Change:
    """One changed value: `path` into the inputs (or outputs), old and new (MISSING when absent)."""

    path: KeyPath
    old: Any
    new: Any
    secret: bool = False

    @property
    def key(self) -> str:
        """The top-level input key the change is under."""
        return self.path[0]

    @property
    def path_text(self) -> str:
        text = ""
        for part in self.path:
            text += f"[{part}]" if part.isdigit() and text else (f".{part}" if text else part)
        return text


Kind = Literal["create", "update", "delete"]


@dataclass(frozen=True)
class ResourceChange:
    urn: str
    type: str
    name: str
    kind: Kind
    changes: tuple[Change, ...] = ()

    @property
    def keys(self) -> tuple[str, ...]:
        """The changed top-level input keys, sorted."""
        return tuple(sorted({c.key for c in self.changes}))


@dataclass(frozen=True)
class PlanDiff:
    creates: tuple[ResourceChange, ...]
    updates: tuple[ResourceChange, ...]
    deletes: tuple[ResourceChange, ...]
    unchanged: int
    output_changes: tuple[Change, ...] = ()
    secrets_compared: bool = True
    """False when the plans' fingerprints cannot be compared (different keys, or a plan without
    them): a changed secret would then go unnoticed, and the rendering says so."""
    notes: tuple[str, ...] = field(default=())

    @property
    def empty(self) -> bool:
        return not (self.creates or self.updates or self.deletes or self.output_changes)

    def summary(self) -> str:
        """`Changes: 1 to create, 2 to update, 0 to delete, 95 unchanged`."""
        return (
            f"Changes: {len(self.creates)} to create, {len(self.updates)} to update, "
            f"{len(self.deletes)} to delete, {self.unchanged} unchanged"
        )


# ---- reading --------------------------------------------------------------------------------


def validate(document: Any, where: str) -> dict[str, Any]:
    """`document` if it has the shape every graph.json format shares, else PlanFormatError."""
    if not isinstance(document, dict) or not isinstance(document.get("resources"), list):
        raise PlanFormatError(f"{where} is not an offline plan graph (no 'resources' list)")
    seen: set[str] = set()
    for i, resource in enumerate(document["resources"]):
        if not isinstance(resource, dict):
            raise PlanFormatError(f"{where}: resources[{i}] is not an object")
        for key in ("urn", "type", "name"):
            if not isinstance(resource.get(key), str):
                raise PlanFormatError(f"{where}: resources[{i}] has no string '{key}'")
        if not isinstance(resource.get("inputs", {}), dict):
            raise PlanFormatError(f"{where}: resources[{i}] ({resource['urn']}) has inputs that are not an object")
        if resource["urn"] in seen:
            raise PlanFormatError(f"{where}: URN {resource['urn']} appears twice")
        seen.add(resource["urn"])
    if not isinstance(document.get("outputs", {}), dict):
        raise PlanFormatError(f"{where}: 'outputs' is not an object")
    return document


def load(path: Path) -> dict[str, Any]:
    """Read and check a graph.json."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PlanFormatError(f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise PlanFormatError(f"{path} is not JSON: {exc.msg} at line {exc.lineno}") from None
    return validate(document, str(path))


# ---- comparing ------------------------------------------------------------------------------


def _same(a: Any, b: Any) -> bool:
    # Strict: 1, 1.0 and true are different inputs to a provider, as are key orders that are not.
    return json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)


def _as_json_container(value: Any) -> Any:
    """The parsed value when `value` is a string holding a JSON object or array (policies,
    container definitions), so the diff can point inside it; otherwise MISSING."""
    if isinstance(value, str) and value[:1] in ("{", "["):
        try:
            parsed = json.loads(value)
        except ValueError:
            return MISSING
        if isinstance(parsed, (dict, list)):
            return parsed
    return MISSING


def _walk(old: Any, new: Any, path: KeyPath) -> Iterator[tuple[KeyPath, Any, Any]]:
    """Leaf-level differences between `old` and `new`."""
    if old is not MISSING and new is not MISSING and _same(old, new):
        return
    if isinstance(old, dict) and isinstance(new, dict):
        for key in sorted(old.keys() | new.keys()):
            yield from _walk(old.get(key, MISSING), new.get(key, MISSING), (*path, str(key)))
        return
    if isinstance(old, list) and isinstance(new, list):
        for i in range(max(len(old), len(new))):
            yield from _walk(old[i] if i < len(old) else MISSING, new[i] if i < len(new) else MISSING, (*path, str(i)))
        return
    old_parsed, new_parsed = _as_json_container(old), _as_json_container(new)
    if old_parsed is not MISSING and new_parsed is not MISSING and path:
        yield from _walk(old_parsed, new_parsed, path)
        return
    yield path, old, new


def _secret_paths(resource: Mapping[str, Any]) -> set[KeyPath]:
    return {tuple(p.split(".")) for p in resource.get("secretInputs") or () if isinstance(p, str) and p}


def _under(path: KeyPath, roots: set[KeyPath]) -> bool:
    """True when `path` is one of `roots`, inside one, or contains one."""
    return any(path[: len(r)] == r or r[: len(path)] == path for r in roots)


def _changes(
    old: Mapping[str, Any],
    new: Mapping[str, Any],
    secret_paths: set[KeyPath],
    fingerprints: tuple[Mapping[str, Any], Mapping[str, Any]] | None,
) -> tuple[Change, ...]:
    """Changed values; `fingerprints` (old, new) when the two sides' secrets can be compared."""
    found: dict[KeyPath, Change] = {}
    for path, a, b in _walk(dict(old), dict(new), ()):
        found[path] = Change(path, a, b, secret=_under(path, secret_paths))
    if fingerprints is not None:
        old_fingerprints, new_fingerprints = fingerprints
        for text in sorted(old_fingerprints.keys() | new_fingerprints.keys()):
            path = tuple(text.split("."))
            if old_fingerprints.get(text) == new_fingerprints.get(text) or _under(path, set(found)):
                continue  # unchanged, or already reported through the masked values
            old_value = SECRET_TEXT if text in old_fingerprints else MISSING
            new_value = SECRET_TEXT if text in new_fingerprints else MISSING
            found[path] = Change(path, old_value, new_value, secret=True)
    return tuple(found[p] for p in sorted(found))


def _fingerprints(document: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = document.get(key)
    return value if isinstance(value, dict) else {}


def diff(base: Mapping[str, Any], head: Mapping[str, Any]) -> PlanDiff:
    """What applying `head` to a stack that is at `base` would do."""
    base_key, head_key = base.get("fingerprintKeyId"), head.get("fingerprintKeyId")
    compare_secrets = bool(base_key) and base_key == head_key
    before = {r["urn"]: r for r in base["resources"]}
    after = {r["urn"]: r for r in head["resources"]}

    def entry(r: Mapping[str, Any], kind: Kind, changes: tuple[Change, ...] = ()) -> ResourceChange:
        return ResourceChange(urn=r["urn"], type=r["type"], name=r["name"], kind=kind, changes=changes)

    creates = tuple(entry(after[u], "create") for u in sorted(after.keys() - before.keys()))
    deletes = tuple(entry(before[u], "delete") for u in sorted(before.keys() - after.keys()))
    updates: list[ResourceChange] = []
    unchanged = 0
    for urn in sorted(before.keys() & after.keys()):
        old, new = before[urn], after[urn]
        changes = _changes(
            old.get("inputs") or {},
            new.get("inputs") or {},
            _secret_paths(old) | _secret_paths(new),
            (_fingerprints(old, "secretFingerprints"), _fingerprints(new, "secretFingerprints"))
            if compare_secrets
            else None,
        )
        if changes:
            updates.append(entry(new, "update", changes))
        else:
            unchanged += 1

    old_outputs, new_outputs = base.get("outputs") or {}, head.get("outputs") or {}
    secret_outputs: set[KeyPath] = {
        (str(k),) for outputs in (old_outputs, new_outputs) for k, value in outputs.items() if value == SECRET_TEXT
    }
    output_changes = _changes(
        old_outputs,
        new_outputs,
        secret_outputs,
        (_fingerprints(base, "secretOutputFingerprints"), _fingerprints(head, "secretOutputFingerprints"))
        if compare_secrets
        else None,
    )
    has_secrets = any(r.get("secretInputs") for document in (base, head) for r in document["resources"]) or bool(
        secret_outputs
    )
    notes: list[str] = []
    if has_secrets and not compare_secrets:
        notes.append(
            "Note: secret values were not compared: the two plans carry no fingerprints made with the same key "
            "(offline/fingerprint.py), so a changed secret shows only through the inputs that depend on it."
        )
    return PlanDiff(
        creates=creates,
        updates=tuple(updates),
        deletes=deletes,
        unchanged=unchanged,
        output_changes=output_changes,
        secrets_compared=compare_secrets,
        notes=tuple(notes),
    )


# ---- showing --------------------------------------------------------------------------------


def _show(value: Any, secret: bool) -> str:
    if secret:
        return SECRET_TEXT
    text = json.dumps(value, sort_keys=True, ensure_ascii=False)
    if len(text) > MAX_VALUE_CHARS:
        keep = MAX_VALUE_CHARS // 2 - 2
        text = f"{text[:keep]} … {text[-keep:]}"
    return text


def change_line(change: Change) -> str:
    """`~ desiredCount: 1 => 2`, `+ tags.Name: "web"`, `- path: "/old"`; secrets as [secret]."""
    if change.old is MISSING:
        return f"+ {change.path_text}: {_show(change.new, change.secret)}"
    if change.new is MISSING:
        return f"- {change.path_text}: {_show(change.old, change.secret)}"
    return f"~ {change.path_text}: {_show(change.old, change.secret)} => {_show(change.new, change.secret)}"


def render(plan_diff: PlanDiff) -> str:
    """The diff as `pulumi preview --diff` readers expect it: one line per resource (`+` create,
    `~` update with its changed keys and values, `-` delete), the changed outputs, the notes and
    a summary line of counts."""
    rows = [*plan_diff.creates, *plan_diff.updates, *plan_diff.deletes]
    rows.sort(key=lambda r: (r.urn, r.kind))
    marks = {"create": "+", "update": "~", "delete": "-"}
    width = max((len(r.type) for r in rows), default=0)
    lines: list[str] = []
    for row in rows:
        keys = f"  [{', '.join(row.keys)}]" if row.kind == "update" else ""
        lines.append(f"{marks[row.kind]} {row.type:<{width}}  {row.name}{keys}")
        for change in row.changes[:MAX_CHANGES_SHOWN]:
            lines.append(f"      {change_line(change)}")
        if len(row.changes) > MAX_CHANGES_SHOWN:
            lines.append(f"      … and {len(row.changes) - MAX_CHANGES_SHOWN} more changes")
    if plan_diff.output_changes:
        lines.append("Outputs:")
        lines.extend(f"    {change_line(c)}" for c in plan_diff.output_changes)
    if not rows and not plan_diff.output_changes:
        lines.append("No changes.")
    lines.extend(plan_diff.notes)
    lines.append(plan_diff.summary())
    return "\n".join(lines)
