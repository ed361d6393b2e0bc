"""Keyed fingerprints of secret values, so two offline plans can tell whether a secret changed
without either plan holding the secret or anything an outsider could test a guess against.

`graph.json` masks every secret as `[secret]`; that alone would hide a changed secret document
from the plan diff. Next to each mask the graph keeps HMAC-SHA256(key, value), where the key is
a random 32-byte file that never leaves the machine (default `build/.plan-key`, mode 0600,
created on first use; `OFFLINE_PLAN_KEY_FILE` or `--fingerprint-key` point elsewhere). Plans
written with the same key compare their secrets; plans written with different keys (or by an
engine that predates fingerprints) do not, and the diff says so. A fingerprint is never
printed: the diff only says *that* a secret changed.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import secrets
import tempfile
from pathlib import Path
from typing import Any

KEY_FILE_ENV = "OFFLINE_PLAN_KEY_FILE"
DEFAULT_KEY_FILE = Path("build") / ".plan-key"
KEY_BYTES = 32


def key_file(project_dir: Path, explicit: Path | None = None) -> Path:
    """Where the key lives: the explicit path, else $OFFLINE_PLAN_KEY_FILE, else the project's build/."""
    if explicit is not None:
        return explicit
    from_env = os.environ.get(KEY_FILE_ENV)
    return Path(from_env) if from_env else project_dir / DEFAULT_KEY_FILE


def load_or_create_key(path: Path) -> bytes:
    """The key in `path`, created (readable by its owner only) when the file does not exist.

    Plans run side by side (`pytest -n 2`, two stacks in CI) may create it at once: the key is
    written to a private temporary file first and linked into place, so a reader never sees a
    half-written key, and the first link wins."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-")  # mode 0600
        try:
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_hex(KEY_BYTES) + "\n")
            with contextlib.suppress(FileExistsError):  # another plan created it first; read theirs
                os.link(temporary, path)
        finally:
            os.unlink(temporary)
    text = path.read_text().strip()
    try:
        key = bytes.fromhex(text)
    except ValueError:
        key = b""
    if len(key) != KEY_BYTES:
        raise ValueError(f"{path} is not a plan fingerprint key ({KEY_BYTES} bytes in hex); delete it for a new one")
    return key


def key_id(key: bytes) -> str:
    """Names the key without revealing it: plans with the same id can compare fingerprints."""
    return hmac.new(key, b"papyrus offline plan key id", hashlib.sha256).hexdigest()[:16]


def fingerprint(key: bytes, value: Any) -> str:
    """HMAC-SHA256 of the value's canonical JSON."""
    canonical = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hmac.new(key, canonical.encode(), hashlib.sha256).hexdigest()
