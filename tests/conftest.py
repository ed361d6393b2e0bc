"""Shared fixtures: see tests/harness.py for the engine helpers.

Tests marked `subprocess` start another Python process that imports the provider SDKs (seconds
each): they are collected first, so `pytest -n 2` starts them on both workers at once instead of
leaving one of them as the last thing a worker does.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.harness import SECRET_PROJECT, write_project


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    items.sort(key=lambda item: item.get_closest_marker("subprocess") is None)


@pytest.fixture
def secret_project(tmp_path: Path) -> Path:
    """`SECRET_PROJECT` written to a fresh directory."""
    return write_project(tmp_path, SECRET_PROJECT)
