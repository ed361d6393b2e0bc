"""The AWS Foundational Security Best Practices controls, and papyrus's least-privilege checks,
as pulumi-policy policies: one policy per control, named by its FSBP id, applying to every
resource of its type in any stack.

`POLICIES` is the pack (`policy/__main__.py` serves it to the Pulumi CLI; the offline plan
evaluates the same objects). Nothing here imports anything but pulumi-policy and the standard
library, so the pack runs in its own small virtualenv (`policy/requirements.txt`).
"""

from pulumi_policy import EnforcementLevel

from . import apigateway, cloudwatch, ec2, ecr, ecs, elb, iam, network, s3, secretsmanager, waf
from .core import CUSTOM, DECLARED, FSBP, Policy, control_id

PACK_NAME = "papyrus-aws-fsbp"
DEFAULT_ENFORCEMENT = EnforcementLevel.ADVISORY
"""Without pack config every policy is advisory; protected stacks make them mandatory in their config file."""

POLICIES: list[Policy] = [
    *ec2.POLICIES,
    *elb.POLICIES,
    *apigateway.POLICIES,
    *ecr.POLICIES,
    *ecs.POLICIES,
    *cloudwatch.POLICIES,
    *secretsmanager.POLICIES,
    *iam.POLICIES,
    *s3.POLICIES,
    *waf.POLICIES,
    *network.POLICIES,
]

__all__ = ["CUSTOM", "DECLARED", "DEFAULT_ENFORCEMENT", "FSBP", "PACK_NAME", "POLICIES", "Policy", "control_id"]
