"""Shared fixtures: see tests/harness.py for the engine helpers.

Tests marked `subprocess` start another Python process that imports the provider SDKs (seconds
each): they are collected first, so `pytest -n 2` starts them on both workers at once instead of
leaving one of them as the last thing a worker does.
"""

from __future__ import annotations

import pytest


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    items.sort(key=lambda item: item.get_closest_marker("subprocess") is None)
