"""The papyrus policy pack (pulumi-policy, Python): see `policy/controls` and the README."""
