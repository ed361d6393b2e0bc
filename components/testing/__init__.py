"""Test a program built from these components without the Pulumi CLI or cloud credentials.

`run` executes a program under Pulumi's own mock runtime (`pulumi.runtime.set_mocks`) and
returns a `Deployment`: every resource as the engine would receive it (type, logical
name, parent, inputs with their secret markers, dependencies, options). `AwsMocks`
answers with realistic ids, ARNs and DNS names and the provider functions the components
call, so code that parses them runs for real.

    from components.testing import AwsMocks, run

    deployment = run(my_program, mocks=AwsMocks(region="us-west-2"), project="shop", stack="dev")
    vpc = deployment.one("aws:ec2/vpc:Vpc")

Importing this module registers nothing; it is not imported by `components` itself.
"""

from components.testing.engine import Deployment, ProgramError, RegisteredResource, Secret, run
from components.testing.mocks import ACCOUNT_ID, AwsMocks, UnmockedInvokeError

__all__ = [
    "ACCOUNT_ID",
    "AwsMocks",
    "Deployment",
    "ProgramError",
    "RegisteredResource",
    "Secret",
    "UnmockedInvokeError",
    "run",
]
