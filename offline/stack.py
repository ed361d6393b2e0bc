"""Stack configuration loading moved to `components.testing.stack`, which the package ships so that
consumers' tests load their stacks the same way; re-exported for the offline plan's modules."""

from components.testing.stack import StackConfig, StackConfigError, load, read_project, run_program

__all__ = ["StackConfig", "StackConfigError", "load", "read_project", "run_program"]
