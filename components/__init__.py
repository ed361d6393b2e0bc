"""papyrus-components: Pulumi components for a containerised web app on AWS.

    from components import PublicPrivateVpc, ApplicationLoadBalancer, FargateService, NatStrategy

Importing the package registers nothing and reads no configuration; resources exist only
when a component is constructed inside a Pulumi program. Every component validates its
arguments before registering anything and raises `InvalidArgumentError` (a ValueError)
naming the argument, the value and what is allowed. Closed sets of values are `StrEnum`s
(`NatStrategy.SINGLE`): members are strings, so a plain `"single"` works too at run time, but
type checkers want the member.

Other Pulumi languages use the same components through the component provider in this
directory (`PulumiPlugin.yaml`): `pulumi package add <repository>/components@vX.Y.Z`.
Programs built from the package are tested with `components.testing` (not imported here).
"""

from components.access_log_bucket import AccessLogBucket, AccessLogBucketArgs
from components.app_config import SecureAppConfig, SecureAppConfigArgs
from components.auth0_application import Auth0Application, Auth0ApplicationArgs
from components.fargate_service import (
    CpuArchitecture,
    EgressRule,
    FargateService,
    FargateServiceArgs,
    LoadBalancerTarget,
)
from components.http_api import AuthenticatedHttpApi, AuthenticatedHttpApiArgs, CorsConfig, CorsMethod
from components.load_balancer import ApplicationLoadBalancer, ApplicationLoadBalancerArgs
from components.log_group import ApplicationLogGroup, ApplicationLogGroupArgs
from components.registry import (
    ContainerImageBuild,
    ContainerRegistry,
    ContainerRegistryArgs,
    ImagePlatform,
    ImageTagMutability,
)
from components.validation import InvalidArgumentError
from components.vpc import (
    FlowLogTrafficType,
    GatewayEndpointService,
    NatStrategy,
    PublicPrivateVpc,
    PublicPrivateVpcArgs,
)

__version__ = "1.0.0"

__all__ = [
    "AccessLogBucket",
    "AccessLogBucketArgs",
    "ApplicationLoadBalancer",
    "ApplicationLoadBalancerArgs",
    "ApplicationLogGroup",
    "ApplicationLogGroupArgs",
    "Auth0Application",
    "Auth0ApplicationArgs",
    "AuthenticatedHttpApi",
    "AuthenticatedHttpApiArgs",
    "ContainerImageBuild",
    "ContainerRegistry",
    "ContainerRegistryArgs",
    "CorsConfig",
    "CorsMethod",
    "CpuArchitecture",
    "EgressRule",
    "FargateService",
    "FargateServiceArgs",
    "FlowLogTrafficType",
    "GatewayEndpointService",
    "ImagePlatform",
    "ImageTagMutability",
    "InvalidArgumentError",
    "LoadBalancerTarget",
    "NatStrategy",
    "PublicPrivateVpc",
    "PublicPrivateVpcArgs",
    "SecureAppConfig",
    "SecureAppConfigArgs",
    "__version__",
]
