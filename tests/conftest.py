"""Shared fixtures: see tests/harness.py for the engine helpers."""
