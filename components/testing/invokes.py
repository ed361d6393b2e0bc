"""Answers to the provider functions the components call, for mocks that do not give them.

`PublicPrivateVpc` asks AWS which availability zones the region has, and reads the account,
partition and region for its flow-log role. A test's own `pulumi.runtime.Mocks` often answers
every call with `{}`; the zone list is then missing and the VPC cannot be planned. Wrap such mocks:

    pulumi.runtime.set_mocks(with_aws_invokes(MyMocks(), region="eu-west-1"))

Resources still go to your mocks; each provider function call goes to them first, and what
they leave out is filled in from `AwsMocks` (your answer wins where both have a value).
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
)
"""The provider functions the components call; answer these if you write mocks of your own."""


class _WithAwsInvokes(pulumi_mocks.Mocks):
    def __init__(self, mocks: pulumi_mocks.Mocks, aws: AwsMocks) -> None:
        self.mocks = mocks
        self.aws = aws

    def new_resource(self, args: pulumi_mocks.MockResourceArgs) -> tuple[str | None, dict[Any, Any]]:
        return self.mocks.new_resource(args)

    def call(self, args: pulumi_mocks.MockCallArgs) -> tuple[dict[Any, Any], list[tuple[str, str]] | None]:
        answer = self.mocks.call(args)
        values, failures = (answer, None) if isinstance(answer, dict) else answer
        try:
            defaults, _ = self.aws.call(args)
        except UnmockedInvokeError:
            return values, failures
        return {**defaults, **{k: v for k, v in (values or {}).items() if v is not None}}, failures


def with_aws_invokes(
    mocks: pulumi_mocks.Mocks, *, region: str = "us-west-2", account_id: str = ACCOUNT_ID
) -> pulumi_mocks.Mocks:
    """`mocks`, with the provider functions `AwsMocks` knows answered where `mocks` leaves them out."""
    return _WithAwsInvokes(mocks, AwsMocks(region=region, account_id=account_id))
