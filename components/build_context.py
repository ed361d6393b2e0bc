"""What a Docker build context holds, as one hash known before anything is built.

An image built in the same `pulumi up` needs a tag before it exists, and the tag must follow the
content: a new tag for a new image (an IMMUTABLE repository refuses to move a tag, and a new tag
is what shows the change in `pulumi preview`), the same tag for the same content (so nothing is
rebuilt or redeployed when nothing changed). The build provider's own context hash is an output
of the image resource, so it cannot name that resource's tag; this module computes the hash from
the files instead, the way the provider and Docker select them:

* every regular file and symbolic link under the context, by its path relative to the context,
  whether it is executable, and its content (a link by its target, not followed);
* minus what `.dockerignore` excludes: `<Dockerfile>.dockerignore` next to the Dockerfile when it
  exists, otherwise `<context>/.dockerignore`, with Docker's pattern rules (`*`, `?`, `[...]`,
  `**` for any number of directories, `!` to re-include, the last matching pattern deciding, a
  match on a directory covering everything in it);
* plus the Dockerfile's content, wherever it is.

Directories themselves, timestamps and owners are left out: they do not decide the image.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

_CHUNK = 1 << 20


@dataclass(frozen=True)
class IgnorePattern:
    """One `.dockerignore` line: a path pattern, possibly an exception (`!pattern`)."""

    pattern: str
    exception: bool

    def matches(self, path: str) -> bool:
        """True when `path` (slash-separated, relative to the context) or one of its parent
        directories matches the pattern, as Docker's pattern matcher decides."""
        regex = _compile(self.pattern)
        parts = path.split("/")
        return any(regex.fullmatch("/".join(parts[:end])) for end in range(len(parts), 0, -1))


def parse_dockerignore(text: str) -> list[IgnorePattern]:
    """The patterns of a `.dockerignore` file, in order: comments and blank lines dropped, each
    pattern cleaned like a path (`./a//b/` is `a/b`, a leading `/` is the context root)."""
    patterns: list[IgnorePattern] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        exception = line.startswith("!")
        if exception:
            line = line[1:].strip()
        cleaned = _clean(line)
        if cleaned:
            patterns.append(IgnorePattern(cleaned, exception))
    return patterns


def is_ignored(path: str, patterns: Sequence[IgnorePattern]) -> bool:
    """Whether `path` is left out of the context: the last pattern that matches decides."""
    ignored = False
    for pattern in patterns:
        if pattern.matches(path):
            ignored = not pattern.exception
    return ignored


def _clean(pattern: str) -> str:
    """Go's filepath.Clean on a slash path, without the leading slash Docker strips."""
    parts: list[str] = []
    for part in pattern.split("/"):
        if part in ("", "."):
            continue
        if part == ".." and parts and parts[-1] != "..":
            parts.pop()
            continue
        parts.append(part)
    return "/".join(parts)


@cache
def _compile(pattern: str) -> re.Pattern[str]:
    """Docker's pattern syntax as a regular expression over slash-separated relative paths."""
    out: list[str] = []
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "*" and pattern[i + 1 : i + 2] == "*":
            i += 2
            if pattern[i : i + 1] == "/":
                # `**/` is any number of whole directories, none included.
                out.append("(?:.*/)?")
                i += 1
            else:
                out.append(".*")
            continue
        if char == "*":
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        elif char == "[":
            end = pattern.find("]", i + 2)
            if end == -1:
                out.append(re.escape(char))
            else:
                body = pattern[i + 1 : end]
                if body.startswith(("!", "^")):
                    body = "^" + body[1:]
                out.append(f"[{body}]")
                i = end
        elif char == "\\" and i + 1 < len(pattern):
            i += 1
            out.append(re.escape(pattern[i]))
        else:
            out.append(re.escape(char))
        i += 1
    return re.compile("".join(out), re.DOTALL)


def ignore_file(context: Path, dockerfile: Path) -> Path | None:
    """The ignore file Docker reads for this build, or None."""
    for candidate in (dockerfile.with_name(dockerfile.name + ".dockerignore"), context / ".dockerignore"):
        if candidate.is_file():
            return candidate
    return None


def context_files(context: Path, dockerfile: Path) -> Iterator[tuple[str, Path]]:
    """(relative path, path) of every file the build can see, in sorted order."""
    found = ignore_file(context, dockerfile)
    patterns = parse_dockerignore(found.read_text(errors="replace")) if found else []
    for root, dirs, files in os.walk(context, followlinks=False):
        dirs.sort()
        relative_root = Path(root).relative_to(context).as_posix()
        prefix = "" if relative_root == "." else f"{relative_root}/"
        # A directory a pattern excludes may still hold a re-included file (`!dir/keep`), so
        # directories are only pruned when no exception could apply below them.
        if not any(p.exception for p in patterns):
            dirs[:] = [d for d in dirs if not is_ignored(prefix + d, patterns)]
        for name in sorted(files):
            relative = prefix + name
            if not is_ignored(relative, patterns):
                yield relative, Path(root) / name


def context_digest(context: Path, dockerfile: Path) -> str:
    """The SHA-256 (hex) of everything in the context that can decide the image."""
    digest = hashlib.sha256()
    digest.update(b"dockerfile\0")
    digest.update(_file_digest(dockerfile).encode())
    for relative, path in context_files(context, dockerfile):
        info = path.lstat()
        if stat.S_ISLNK(info.st_mode):
            kind, content = "link", hashlib.sha256(os.readlink(path).encode()).hexdigest()
        elif stat.S_ISREG(info.st_mode):
            kind = "exec" if info.st_mode & 0o111 else "file"
            content = _file_digest(path)
        else:
            continue  # sockets, pipes and devices never reach an image
        digest.update(f"\n{relative}\0{kind}\0{content}".encode())
    return digest.hexdigest()


def _file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def build_tag(
    prefix: str,
    context_hash: str,
    *,
    platform: str,
    target: str | None,
    build_args: Mapping[str, str],
) -> str:
    """The tag of a build: `prefix` and 32 hex digits of everything that decides the image."""
    decided = json.dumps(
        {
            "context": context_hash,
            "platform": platform,
            "target": target,
            "build_args": dict(sorted(build_args.items())),
        },
        sort_keys=True,
    )
    return prefix + hashlib.sha256(decided.encode()).hexdigest()[:32]
