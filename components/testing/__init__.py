"""Test a program built from these components without the Pulumi CLI or cloud credentials.

Everything runs under Pulumi's own mock runtime (`pulumi.runtime.set_mocks`): the real program
and components, with every resource registration recorded instead of sent to AWS. `AwsMocks`
answers with realistic ids, ARNs and DNS names (`vpc-…`, `arn:aws:elasticloadbalancing:…`) and
the provider functions the components call, so code that parses them runs for real.

One component, or a few, from a test::

    from components import PublicPrivateVpc
    from components.testing import rejects, run_component

    def test_network() -> None:
        deployment = run_component(
            lambda: {"subnets": PublicPrivateVpc("net", {"cidr_block": "10.30.0.0/20"}).private_subnet_ids}
        )
        assert deployment.one("aws:ec2/vpc:Vpc").inputs["cidrBlock"] == "10.30.0.0/20"
        assert len(deployment.outputs["subnets"]) == 3

    def test_bad_cidr_is_refused() -> None:
        error = rejects(lambda: PublicPrivateVpc("net", {"cidr_block": "10.30.0.1/20"}))
        assert "cidr_block" in str(error)

A whole program, with its `Pulumi.yaml` and `Pulumi.<stack>.yaml`::

    deployment = run_program("path/to/project", "dev", ["imageTag=v2"])   # overrides as `-c`
    assert plaintext_leaks(deployment) == []
    error = program_rejects("path/to/project", "dev", ["vpcCidr=10.0.0.0/8"])

A `Deployment` holds every resource as the engine received it (`RegisteredResource`: type,
name, parent, inputs in the provider's camelCase, secret paths, dependencies, options) and the
stack outputs. Mock ids are unique per resource, so `route.inputs["natGatewayId"] == nat.id`
proves which NAT gateway a route uses. Assert on what `build` returns (`deployment.outputs`),
never inside an `apply`.

Already have `pulumi.runtime.Mocks` of your own? Wrap them with `with_aws_defaults`: what they
leave out (the provider functions the components call, `COMPONENT_INVOKES`, and the ARNs and
DNS names AWS computes) is answered by `AwsMocks`; a mock answering `{}` leaves
`PublicPrivateVpc` without availability zones. Subclass `AwsMocks` to describe another account
or add a rule.

Importing this module registers nothing; `components` itself never imports it.
"""

from components.testing.defaults import COMPONENT_INVOKES, with_aws_defaults
from components.testing.engine import Deployment, ProgramError, RegisteredResource, Secret, run
from components.testing.leaks import plaintext_leaks, secret_values
from components.testing.mocks import ACCOUNT_ID, AwsMocks, Invoke, UnmockedInvokeError
from components.testing.program import Build, program_rejects, rejects, run_component
from components.testing.stack import StackConfigError, run_program

__all__ = [
    "ACCOUNT_ID",
    "COMPONENT_INVOKES",
    "AwsMocks",
    "Build",
    "Deployment",
    "Invoke",
    "ProgramError",
    "RegisteredResource",
    "Secret",
    "StackConfigError",
    "UnmockedInvokeError",
    "plaintext_leaks",
    "program_rejects",
    "rejects",
    "run",
    "run_component",
    "run_program",
    "secret_values",
    "with_aws_defaults",
]
