"""The cost of an offline plan: a recorded deployment, estimated in its stack's region."""

from __future__ import annotations

from components.testing.engine import Deployment
from cost.estimate import Estimate, from_graph
from cost.table import PriceTable
from offline import render


def estimate_deployment(deployment: Deployment, region: str, table: PriceTable) -> Estimate:
    """The estimate of a deployment, read as graph.json shows it (secret values masked)."""
    return from_graph(render.graph(deployment), region, table)
