"""Every resource keeps its URN unless the snapshot is deliberately updated (see CHANGELOG.md).

A moved URN means `pulumi up` deletes a resource and creates a new one; for a secret, a
repository or a log group that loses data. Update with `make snapshots`, and decide the
version bump from the diff.
"""

from __future__ import annotations

import pytest

from offline import snapshot
from tests.harness import PROJECT_DIR, run_stack


@pytest.mark.parametrize("stack", snapshot.STACKS)
def test_urns_match_the_snapshot(stack: str) -> None:
    recorded = snapshot.path_for(PROJECT_DIR, stack).read_text().splitlines()
    current = sorted(r.urn for r in run_stack(stack))
    added, removed = sorted(set(current) - set(recorded)), sorted(set(recorded) - set(current))
    assert not removed, f"resources would be deleted or replaced: {removed}; added: {added}"
    assert not added, f"new resources (a minor version at most): {added}; run `make snapshots`"
