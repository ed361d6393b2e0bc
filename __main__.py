"""papyrus: the production AWS foundation for the papyrus web app, one stack per environment.

Reads and checks the whole stack configuration first (papyrus/settings.py), so a bad
value stops `pulumi preview` before anything is registered.
"""

import pulumi
from pulumi_aws.provider import Provider

from papyrus import settings as stack_settings

settings = stack_settings.load()

# Every AWS resource goes through this provider (Pulumi.yaml disables the default
# one), so every resource carries these tags. `project=portfolio` is the article's
# cost-allocation tag.
aws_provider = Provider(
    "aws",
    region=settings.region,
    default_tags={
        "tags": {
            "project": "portfolio",
            "app": settings.project,
            "stack": settings.stack,
            "managed-by": "pulumi",
        }
    },
)
aws_opts = pulumi.ResourceOptions(provider=aws_provider)
