"""Offline engine: runs a Pulumi program under Pulumi's mock runtime and records its resource graph.

Used by the test suite and by `make plan`; needs no cloud credentials and no Pulumi CLI.
"""
