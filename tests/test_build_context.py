"""components/build_context.py: which files a Docker build sees, and the hash that tags the image."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from components.build_context import (
    IgnorePattern,
    build_tag,
    context_digest,
    context_files,
    is_ignored,
    parse_dockerignore,
)


def _tree(root: Path, files: dict[str, str]) -> Path:
    for relative, content in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content)
    return root


def _seen(root: Path, dockerfile: str = "Dockerfile") -> list[str]:
    return [relative for relative, _ in context_files(root, root / dockerfile)]


def test_parse_drops_comments_and_blank_lines_and_cleans_paths() -> None:
    text = "# comment\n\n  /node_modules/ \n!./keep//me.txt\n./\n*.log\n"
    assert parse_dockerignore(text) == [
        IgnorePattern("node_modules", exception=False),
        IgnorePattern("keep/me.txt", exception=True),
        IgnorePattern("*.log", exception=False),
    ]


@pytest.mark.parametrize(
    ("pattern", "path", "matched"),
    [
        ("*.log", "debug.log", True),
        ("*.log", "logs/debug.log", False),  # "*" stays within one directory, as in Docker
        ("**/*.log", "logs/debug.log", True),
        ("**/*.log", "debug.log", True),  # "**/" may stand for no directory at all
        ("src/**/test", "src/test", True),
        ("src/**/test", "src/a/b/test", True),
        ("src/**", "src/a/b.py", True),
        ("node_modules", "node_modules/left-pad/index.js", True),  # a directory covers its contents
        ("node_modules", "app/node_modules/x.js", False),  # patterns start at the context root
        ("?.txt", "a.txt", True),
        ("?.txt", "ab.txt", False),
        ("[a-c].txt", "b.txt", True),
        ("[!a-c].txt", "b.txt", False),
        ("[!a-c].txt", "d.txt", True),
        ("a\\*b", "a*b", True),
        ("a\\*b", "axb", False),
        ("docs", "docs.md", False),
    ],
)
def test_patterns_match_as_docker_matches_them(pattern: str, path: str, matched: bool) -> None:
    [parsed] = parse_dockerignore(pattern)
    assert parsed.matches(path) is matched


def test_the_last_matching_pattern_decides() -> None:
    patterns = parse_dockerignore("docs\n!docs/README.md\n")
    assert is_ignored("docs/guide.md", patterns)
    assert not is_ignored("docs/README.md", patterns)
    assert not is_ignored("src/app.py", patterns)
    assert is_ignored("docs/README.md", parse_dockerignore("!docs/README.md\ndocs\n"))


def test_the_context_is_what_dockerignore_leaves(tmp_path: Path) -> None:
    root = _tree(
        tmp_path,
        {
            "Dockerfile": "FROM scratch\n",
            ".dockerignore": ".git\n**/*.pyc\ndocs\n!docs/keep.md\n",
            ".git/HEAD": "ref\n",
            "app/main.py": "print()\n",
            "app/main.pyc": "bytes\n",
            "docs/drop.md": "x\n",
            "docs/keep.md": "y\n",
        },
    )
    assert _seen(root) == [".dockerignore", "Dockerfile", "app/main.py", "docs/keep.md"]


def test_a_dockerfile_specific_ignore_file_wins(tmp_path: Path) -> None:
    root = _tree(
        tmp_path,
        {
            "build/Dockerfile.prod": "FROM scratch\n",
            "build/Dockerfile.prod.dockerignore": "tests\n",
            ".dockerignore": "app\n",
            "app/main.py": "print()\n",
            "tests/test_main.py": "assert True\n",
        },
    )
    assert "tests/test_main.py" not in _seen(root, "build/Dockerfile.prod")
    assert "app/main.py" in _seen(root, "build/Dockerfile.prod")


def test_the_digest_follows_content_names_modes_and_the_dockerfile(tmp_path: Path) -> None:
    files = {"Dockerfile": "FROM scratch\nCOPY run.sh /\n", "run.sh": "echo hi\n", ".dockerignore": "*.log\n"}
    base = _tree(tmp_path / "base", files)
    digest = context_digest(base, base / "Dockerfile")

    assert context_digest(base, base / "Dockerfile") == digest
    (base / "noise.log").write_text("ignored\n")
    assert context_digest(base, base / "Dockerfile") == digest

    variants = {
        "content": {**files, "run.sh": "echo bye\n"},
        "name": {k if k != "run.sh" else "start.sh": v for k, v in files.items()},
        "dockerfile": {**files, "Dockerfile": "FROM busybox\nCOPY run.sh /\n"},
        "new file": {**files, "extra.txt": "x\n"},
    }
    for label, variant in variants.items():
        other = _tree(tmp_path / label.replace(" ", "-"), variant)
        assert context_digest(other, other / "Dockerfile") != digest, label

    executable = _tree(tmp_path / "exec", files)
    os.chmod(executable / "run.sh", 0o700)
    assert context_digest(executable, executable / "Dockerfile") != digest


def test_a_symbolic_link_counts_by_its_target_and_is_not_followed(tmp_path: Path) -> None:
    root = _tree(tmp_path / "one", {"Dockerfile": "FROM scratch\n", "real.txt": "a\n"})
    (root / "link.txt").symlink_to("real.txt")
    digest = context_digest(root, root / "Dockerfile")
    (root / "real.txt").write_text("b\n")
    (root / "link.txt").unlink()
    (root / "link.txt").symlink_to("real.txt")
    changed_target_content = context_digest(root, root / "Dockerfile")
    assert changed_target_content != digest  # real.txt itself changed
    (root / "link.txt").unlink()
    (root / "link.txt").symlink_to("other.txt")
    assert context_digest(root, root / "Dockerfile") != changed_target_content


_NAMES = st.text(alphabet="abcxyz", min_size=1, max_size=4)


@settings(max_examples=25, deadline=None)
@given(st.dictionaries(st.lists(_NAMES, min_size=1, max_size=3).map("/".join), st.text(max_size=20), max_size=6))
def test_the_digest_does_not_depend_on_the_order_files_were_written(
    tmp_path_factory: pytest.TempPathFactory, files: dict[str, str]
) -> None:
    # A path may not be both a file and a directory.
    names = sorted(files)
    files = {n: c for n, c in files.items() if not any(o.startswith(n + "/") for o in names)}
    forward, backward = tmp_path_factory.mktemp("forward"), tmp_path_factory.mktemp("backward")
    for root, order in ((forward, sorted(files)), (backward, sorted(files, reverse=True))):
        _tree(root, {"Dockerfile": "FROM scratch\n"})
        _tree(root, {name: files[name] for name in order})
    assert context_digest(forward, forward / "Dockerfile") == context_digest(backward, backward / "Dockerfile")


@settings(max_examples=200)
@given(st.lists(_NAMES, min_size=1, max_size=4).map("/".join))
def test_a_pattern_naming_a_path_covers_it_and_everything_below(path: str) -> None:
    [pattern] = parse_dockerignore(path)
    assert pattern.matches(path)
    assert pattern.matches(f"{path}/below/file.txt")
    assert not pattern.matches(f"{path}x")


def test_the_tag_follows_every_build_input() -> None:
    base = {"platform": "linux/amd64", "target": None, "build_args": {"A": "1"}}
    tag = build_tag("build-", "c" * 64, **base)  # type: ignore[arg-type]
    assert tag.startswith("build-")
    assert len(tag) == len("build-") + 32
    assert build_tag("build-", "c" * 64, **{**base, "build_args": {"A": "1"}}) == tag  # type: ignore[arg-type]
    for changed in (
        {"platform": "linux/arm64"},
        {"target": "runtime"},
        {"build_args": {"A": "2"}},
    ):
        assert build_tag("build-", "c" * 64, **{**base, **changed}) != tag  # type: ignore[arg-type]
    assert build_tag("build-", "d" * 64, **base) != tag  # type: ignore[arg-type]
