"""Realistic defaults under mocks of your own, for whatever they leave out.

`PublicPrivateVpc` asks AWS which availability zones the region has, reads the account,
partition and region for its flow-log role and, with NAT instances, the current Amazon Linux
image from a public SSM parameter; `ContainerRegistry` looks up an image the app's CI pushed
(`image_tag`, `image_digest`) or gets an ECR token to push one it builds (`image_build`); every
component builds policies and names from the ARNs and ids AWS returns. A test's own
`pulumi.runtime.Mocks` often echoes a resource's inputs and answers every provider function
with `{}`: the VPC then has no zones to plan, and an ARN a policy is built from is `None`.
Wrap such mocks:

    pulumi.runtime.set_mocks(with_aws_defaults(MyMocks(), region="eu-west-1"), preview=False)

Your mocks are asked first, for every resource and every provider function; whatever their
answer leaves out (a missing or `None` attribute, a missing result) is filled in from `AwsMocks`.
Your values win where both have one, and the resource ids stay yours.
"""

from __future__ import annotations

from typing import Any

from pulumi.runtime import mocks as pulumi_mocks

from components.testing.mocks import ACCOUNT_ID, AwsMocks, UnmockedInvokeError

COMPONENT_INVOKES: tuple[str, ...] = (
    "aws:index/getAvailabilityZones:getAvailabilityZones",
    "aws:index/getCallerIdentity:getCallerIdentity",
    "aws:index/getPartition:getPartition",
    "aws:index/getRegion:getRegion",
    "aws:ecr/getAuthorizationToken:getAuthorizationToken",
    "aws:ecr/getImage:getImage",
    "aws:ssm/getParameter:getParameter",
)
"""The provider functions the components call; answer these if you write mocks of your own."""


def _given(values: dict[Any, Any] | None) -> dict[Any, Any]:
    return {k: v for k, v in (values or {}).items() if v is not None}


class _WithAwsDefaults(pulumi_mocks.Mocks):
    def __init__(self, mocks: pulumi_mocks.Mocks, aws: AwsMocks) -> None:
        self.mocks = mocks
        self.aws = aws

    def new_resource(self, args: pulumi_mocks.MockResourceArgs) -> tuple[str | None, dict[Any, Any]]:
        resource_id, state = self.mocks.new_resource(args)
        default_id, defaults = self.aws.new_resource(args)
        return resource_id or default_id, {**defaults, **_given(state)}

    def call(self, args: pulumi_mocks.MockCallArgs) -> tuple[dict[Any, Any], list[tuple[str, str]]]:
        answer = self.mocks.call(args)
        values, failures = (answer, []) if isinstance(answer, dict) else (answer[0], list(answer[1] or []))
        try:
            defaults, _ = self.aws.call(args)
        except UnmockedInvokeError:
            return values, failures
        return {**defaults, **_given(values)}, failures


def with_aws_defaults(
    mocks: pulumi_mocks.Mocks, *, region: str = "us-west-2", account_id: str = ACCOUNT_ID
) -> pulumi_mocks.Mocks:
    """`mocks`, with what they leave out answered by `AwsMocks(region, account_id)`."""
    return _WithAwsDefaults(mocks, AwsMocks(region=region, account_id=account_id))
