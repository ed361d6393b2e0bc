"""What a stack costs: the price table, the classification of every resource type, and
the arithmetic from a plan's resources to a monthly figure per resource, per component
and in total, plus the usage rates that traffic adds.

    python -m offline --stack dev            # prints the cost after the plan
    python -m cost.diff BASE_GRAPH HEAD_GRAPH  # Markdown: base, head and the difference

Modules: `table` (cost/prices.yaml, with a source for every figure), `catalog` (billable
or free, per resource type), `pricers` (quantities from a resource's inputs), `model`
(the arithmetic), `estimate` (a whole plan), `report` (text, Markdown and graph.json),
`plan` (a recorded deployment), `diff` (pull requests), `readme` (the README's table).
"""
