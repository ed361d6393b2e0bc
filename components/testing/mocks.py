"""Realistic computed values for the offline engine.

Every id, ARN and DNS name is derived from the resource's type and logical name, so
a run is deterministic (plans diff cleanly in pull requests) and each resource gets
its own values (a test can tell which subnet a route points at by comparing ids).
Formats follow what AWS and Auth0 return, so code that parses them (a listener ARN,
an ECR URL) is exercised for real. Addresses come from the documentation ranges.

Resource types without a rule here still get a unique id and ARN. Provider function
calls (invokes) are different: an unknown one raises, because a silent empty answer
would let a component build on data that a real run would never return.
"""

from __future__ import annotations

import base64
import fnmatch
import hashlib
import ipaddress
import json
import re
import string
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import grpc
from pulumi.runtime import mocks as pulumi_mocks
from pulumi.runtime import rpc

ACCOUNT_ID = "123456789012"

# Standard zones per region as EC2 lists them for a new account: (zone letter, zone id number).
# The letters are not always consecutive: Tokyo offers new accounts ap-northeast-1a, 1c and 1d
# (1b is closed to them, and its zone id apne1-az3 with it). Other regions get a, b and c.
REGION_ZONES: dict[str, tuple[tuple[str, int], ...]] = {
    "us-east-1": tuple((letter, i + 1) for i, letter in enumerate("abcdef")),
    "us-west-2": tuple((letter, i + 1) for i, letter in enumerate("abcd")),
    "eu-west-1": (("a", 1), ("b", 2), ("c", 3)),
    "ap-northeast-1": (("a", 4), ("c", 1), ("d", 2)),
}
_DEFAULT_ZONES = (("a", 1), ("b", 2), ("c", 3))
REGION_ZONE_ID_PREFIX = {"us-east-1": "use1", "us-west-2": "usw2", "eu-west-1": "euw1", "ap-northeast-1": "apne1"}


@dataclass(frozen=True)
class Zone:
    """One zone as DescribeAvailabilityZones describes it."""

    name: str
    zone_id: str
    region: str
    group: str
    zone_type: str = "availability-zone"
    opt_in_status: str = "opt-in-not-required"
    state: str = "available"

    def matches(self, filter_name: str, values: Iterable[str]) -> bool:
        """EC2's filter semantics: any value matches, `*` and `?` are wildcards."""
        field = {
            "zone-name": self.name,
            "zone-id": self.zone_id,
            "group-name": self.group,
            "zone-type": self.zone_type,
            "opt-in-status": self.opt_in_status,
            "state": self.state,
            "region-name": self.region,
        }.get(filter_name)
        if field is None:
            raise ValueError(f"InvalidParameterValue: The filter '{filter_name}' is invalid")
        return any(fnmatch.fnmatchcase(field, value) for value in values)


# Zones enabled by opting in, per region: as a new account sees them after enabling the Los
# Angeles Local Zone. Names sort before the standard zones ("us-west-2-lax-1a" < "us-west-2a").
LOCAL_ZONES: dict[str, tuple[Zone, ...]] = {
    "us-west-2": (
        Zone("us-west-2-lax-1a", "usw2-lax1-az1", "us-west-2", "us-west-2-lax-1", "local-zone", "opted-in"),
        Zone("us-west-2-den-1a", "usw2-den1-az1", "us-west-2", "us-west-2-den-1", "local-zone", "not-opted-in"),
    ),
}

# Route 53 hosted zone ids of S3 website endpoints, which S3 reports as a bucket's hostedZoneId.
S3_ZONE_IDS = {"us-east-1": "Z3AQBSTGFYJSTF", "us-west-2": "Z3BJ6K6RIION7M", "ap-northeast-1": "Z2M4EHUR26P7ZW"}
# Route 53 hosted zone ids of Application Load Balancers, per region.
ALB_ZONE_IDS = {"us-east-1": "Z35SXDOTRQ7X7K", "us-west-2": "Z1H1FL5HABSF5", "ap-northeast-1": "Z14GRHDCWA56QT"}

# Types whose provider fills in `name` when the program leaves it out (auto-naming),
# with the longest name AWS accepts.
AUTONAMED: dict[str, int] = {
    "aws:cloudwatch/logGroup:LogGroup": 512,
    "aws:iam/role:Role": 64,
    "aws:iam/policy:Policy": 128,
    "aws:ec2/securityGroup:SecurityGroup": 255,
    "aws:lb/loadBalancer:LoadBalancer": 32,
    "aws:lb/targetGroup:TargetGroup": 32,
    "aws:ecs/cluster:Cluster": 255,
    "aws:ecs/service:Service": 255,
    "aws:ecr/repository:Repository": 256,
    "aws:secretsmanager/secret:Secret": 512,
    "aws:ssm/parameter:Parameter": 2048,
    "aws:apigatewayv2/api:Api": 128,
    "aws:apigatewayv2/vpcLink:VpcLink": 128,
    "aws:apigatewayv2/authorizer:Authorizer": 128,
    "aws:iam/instanceProfile:InstanceProfile": 128,
    "aws:cloudwatch/metricAlarm:MetricAlarm": 255,
    "aws:wafv2/webAcl:WebAcl": 128,
}

Values = dict[str, Any]

# Public SSM parameters the offline engine answers (aws:ssm/getParameter), by name: the AMI an
# image parameter points at gets a deterministic id per region. Any other name fails loudly.
PUBLIC_AMI_PARAMETERS = frozenset(
    {
        "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64",
        "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64",
        "/aws/service/ami-amazon-linux-latest/al2023-ami-minimal-kernel-default-arm64",
        "/aws/service/ami-amazon-linux-latest/al2023-ami-minimal-kernel-default-x86_64",
    }
)

# Id formats of types that need nothing else computed: (prefix, hex digits, ARN resource type).
ID_FORMATS: dict[str, tuple[str, int, str | None]] = {
    "aws:ec2/securityGroup:SecurityGroup": ("sg-", 17, "security-group"),
    "aws:ec2/routeTable:RouteTable": ("rtb-", 17, "route-table"),
    "aws:ec2/internetGateway:InternetGateway": ("igw-", 17, "internet-gateway"),
    "aws:ec2/routeTableAssociation:RouteTableAssociation": ("rtbassoc-", 17, None),
    "aws:ec2/route:Route": ("r-rtb-", 17, None),
    "aws:ec2/flowLog:FlowLog": ("fl-", 17, "vpc-flow-log"),
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": ("sgr-", 17, "security-group-rule"),
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": ("sgr-", 17, "security-group-rule"),
    "aws:apigatewayv2/vpcLink:VpcLink": ("", 6, None),
    "aws:apigatewayv2/integration:Integration": ("", 7, None),
    "aws:apigatewayv2/authorizer:Authorizer": ("", 6, None),
    "aws:apigatewayv2/route:Route": ("", 7, None),
}


# Web ACL capacity units (WCUs) of the AWS managed rule groups, as AWS lists them.
MANAGED_RULE_GROUP_WCUS = {
    "AWSManagedRulesCommonRuleSet": 700,
    "AWSManagedRulesKnownBadInputsRuleSet": 200,
    "AWSManagedRulesAmazonIpReputationList": 25,
    "AWSManagedRulesAnonymousIpList": 50,
    "AWSManagedRulesSQLiRuleSet": 200,
}


def _web_acl_rule_capacity(rule: Any) -> int:
    statement = (rule or {}).get("statement") or {}
    managed = statement.get("managedRuleGroupStatement")
    if managed:
        return MANAGED_RULE_GROUP_WCUS.get(str(managed.get("name")), 100)
    # A rate-based rule without a scope-down statement costs 2 WCUs.
    return 2 if "rateBasedStatement" in statement else 1


# What EC2 accepts in security group names and descriptions and in rule descriptions (VPC):
# "a-z, A-Z, 0-9, spaces, and ._-:/()#,@[]+=&;{}!$*", up to 255 characters. No quotes.
_EC2_DESCRIPTION = re.compile(r"[A-Za-z0-9 ._\-:/()#,@\[\]+=&;{}!$*]{0,255}")
_SECURITY_GROUP_RULES = (
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
)


def _refuse_what_ec2_refuses(typ: str, inputs: Values) -> None:
    """EC2's refusals of security group names and descriptions, which only a deployment would meet."""
    if typ == "aws:ec2/securityGroup:SecurityGroup":
        name = str(_plain(inputs.get("name")) or "")
        if name.startswith("sg-") or not _EC2_DESCRIPTION.fullmatch(name):
            raise ValueError(f"InvalidParameterValue: Invalid security group name {name!r}: it may not start with sg-")
        fields = ("description",)
    elif typ in _SECURITY_GROUP_RULES:
        fields = ("description",)
    else:
        return
    for field in fields:
        text = _plain(inputs.get(field))
        if isinstance(text, str) and not _EC2_DESCRIPTION.fullmatch(text):
            raise ValueError(
                f"InvalidParameterValue: Invalid {field} {text!r}. Valid descriptions are strings less than 256 "
                "characters from the following set: a-zA-Z0-9. _-:/()#,@[]+=&;{}!$*"
            )


@dataclass(frozen=True)
class Invoke:
    """One provider function call `AwsMocks` answered (see `AwsMocks.invokes`)."""

    token: str
    args: Values
    provider: str
    """The provider reference the call went to (`<provider urn>::<id>`), or "" for the default."""
    answer: Values


class UnmockedInvokeError(LookupError):
    """The program called a provider function the offline engine does not answer."""


def _digest(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def _host_in(cidr: str, seed: str) -> str:
    """A host address of `cidr` past the five AWS reserves, picked by `seed`."""
    network = ipaddress.ip_network(cidr, strict=False)
    usable = max(network.num_addresses - 5, 1)
    return str(network.network_address + 4 + int(seed[:8], 16) % usable)


def _plain(value: Any) -> Any:
    """Strip the wire form of a secret; the mock only needs the value."""
    if isinstance(value, dict) and value.get(rpc._special_sig_key) == rpc._special_secret_sig:
        return value.get("value")
    return value


class AwsApiError(grpc.RpcError):  # type: ignore[misc]  # grpc ships no type information
    """A provider function AWS refused, as the engine reports it to the program: a gRPC error whose
    details carry the AWS provider's message. The SDK turns it into an ordinary exception the
    program can catch ("invoke of <token> failed: ..."), as it does in a real run; an exception of
    any other type would count as a broken connection to the engine and end the program."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def code(self) -> grpc.StatusCode:
        return grpc.StatusCode.UNKNOWN

    def details(self) -> str:
        return self.message


class AwsMocks(pulumi_mocks.Mocks):
    """Mocks for the aws, auth0, docker-build and random providers in one region of one account.

    Knobs that let a test describe the account the program runs against:

    * `missing_images`: ECR images that `ecr.getImage` does not find, each `"<repository>:<tag>"`,
      `"<repository>@sha256:<digest>"` or a bare `"<repository>"` for a repository that does not
      exist yet (a fresh account). The call then fails with the error AWS gives
      (`ImageNotFoundException` / `RepositoryNotFoundException`). Default: none, so every image a
      committed stack names exists and the stack plans.
    * `image_digests`: the digest `ecr.getImage` returns for `"<repository>:<tag>"`, to simulate a new
      push of a tag. Default: a digest derived from the repository and tag.
    * `auth0_client_secret`: what `auth0.ClientCredentials` returns as `clientSecret`; "" is what
      Auth0 answers when the provider's client lacks `read:client_keys`. Default: a value derived
      from the resource.
    """

    def __init__(
        self,
        region: str = "us-west-2",
        account_id: str = ACCOUNT_ID,
        stack: str = "",
        *,
        missing_images: Iterable[str] = (),
        image_digests: Mapping[str, str] | None = None,
        auth0_client_secret: str | None = None,
    ) -> None:
        self.region = region
        self.account_id = account_id
        # Part of every seed, so two stacks get different ids, as they would in AWS.
        self.stack = stack
        self.missing_images = frozenset(missing_images)
        self.image_digests = dict(image_digests or {})
        self.auth0_client_secret = auth0_client_secret
        self._lock = threading.Lock()
        self._state_by_id: dict[str, Values] = {}
        self.invokes: list[Invoke] = []
        """Every provider function call answered, in order: which provider it went to, with what."""
        self._rules: dict[str, Callable[[str, Values, str], Values]] = {
            "aws:ec2/vpc:Vpc": self._vpc,
            "aws:ec2/subnet:Subnet": self._subnet,
            "aws:ec2/eip:Eip": self._eip,
            "aws:ec2/natGateway:NatGateway": self._nat_gateway,
            "aws:ec2/vpcEndpoint:VpcEndpoint": self._vpc_endpoint,
            "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": self._default_security_group,
            "aws:ec2/internetGatewayAttachment:InternetGatewayAttachment": self._igw_attachment,
            "aws:ec2/networkInterface:NetworkInterface": self._network_interface,
            "aws:ec2/eipAssociation:EipAssociation": self._eip_association,
            "aws:ec2/instance:Instance": self._instance,
            "aws:iam/instanceProfile:InstanceProfile": self._instance_profile,
            "aws:iam/rolePolicyAttachment:RolePolicyAttachment": self._role_policy_attachment,
            "aws:cloudwatch/metricAlarm:MetricAlarm": self._metric_alarm,
            "aws:lb/loadBalancer:LoadBalancer": self._load_balancer,
            "aws:lb/targetGroup:TargetGroup": self._target_group,
            "aws:lb/listener:Listener": self._listener,
            "aws:lb/listenerRule:ListenerRule": self._listener_rule,
            "aws:ecr/repository:Repository": self._ecr_repository,
            "aws:secretsmanager/secret:Secret": self._secret,
            "aws:secretsmanager/secretVersion:SecretVersion": self._secret_version,
            "aws:ssm/parameter:Parameter": self._ssm_parameter,
            "aws:cloudwatch/logGroup:LogGroup": self._log_group,
            "aws:iam/role:Role": self._iam_role,
            "aws:iam/policy:Policy": self._iam_policy,
            "aws:iam/rolePolicy:RolePolicy": self._role_policy,
            "aws:ecs/cluster:Cluster": self._ecs_cluster,
            "aws:ecs/taskDefinition:TaskDefinition": self._task_definition,
            "aws:ecs/service:Service": self._ecs_service,
            "aws:apigatewayv2/api:Api": self._http_api,
            "aws:apigatewayv2/stage:Stage": self._api_stage,
            "aws:s3/bucket:Bucket": self._s3_bucket,
            # Bucket configurations keep generic ids: the provider names them after the bucket, but
            # ids here stay unique per resource so references can be traced (Deployment.by_id).
            "aws:wafv2/webAcl:WebAcl": self._web_acl,
            "aws:wafv2/webAclAssociation:WebAclAssociation": self._web_acl_association,
            "aws:acm/certificate:Certificate": self._certificate,
            "aws:acm/certificateValidation:CertificateValidation": self._certificate_validation,
            "aws:route53/record:Record": self._route53_record,
            "auth0:index/client:Client": self._auth0_client,
            "auth0:index/clientCredentials:ClientCredentials": self._auth0_client_credentials,
            "auth0:index/resourceServer:ResourceServer": self._auth0_resource_server,
            "docker-build:index:Image": self._docker_image,
            "random:index/randomPassword:RandomPassword": self._random_string,
            "random:index/randomString:RandomString": self._random_string,
            "random:index/randomId:RandomId": self._random_id,
        }

    # ---- the Mocks interface -------------------------------------------------

    def new_resource(self, args: pulumi_mocks.MockResourceArgs) -> tuple[str, Values]:
        inputs: Values = dict(args.inputs)
        if args.typ.startswith("pulumi:providers:"):
            return _digest(self.stack, args.typ, args.name)[:36], inputs
        seed = _digest(self.stack, args.typ, args.name)
        limit = AUTONAMED.get(args.typ)
        if limit is not None and not inputs.get("name"):
            given_prefix = _plain(inputs.get("namePrefix"))
            prefix = given_prefix or f"{args.name}-"
            if not given_prefix and len(prefix) + 7 > limit:
                # Pulumi's auto-naming refuses rather than cut the name (the provider's own message).
                raise ValueError(
                    f"could not make instance of '{args.typ}': name '{prefix}' plus 7 random chars is "
                    f"longer than maximum length {limit}"
                )
            inputs["name"] = (prefix + seed[:7])[-limit:]
        _refuse_what_ec2_refuses(args.typ, inputs)
        rule = self._rules.get(args.typ)
        computed = rule(args.name, inputs, seed) if rule else self._generic(args.typ, inputs, seed)
        state = {**inputs, **computed}
        resource_id = str(state.pop("id", None) or self._generic(args.typ, inputs, seed)["id"])
        with self._lock:
            self._state_by_id[resource_id] = state
        return resource_id, state

    def call(self, args: pulumi_mocks.MockCallArgs) -> tuple[Values, list[tuple[str, str]] | None]:
        invokes: dict[str, Callable[[Values], Values]] = {
            "aws:index/getAvailabilityZones:getAvailabilityZones": self._availability_zones,
            "aws:index/getRegion:getRegion": self._region,
            "aws:index/getCallerIdentity:getCallerIdentity": self._caller_identity,
            "aws:index/getPartition:getPartition": self._partition,
            "aws:ecr/getImage:getImage": self._ecr_image,
            "aws:ecr/getAuthorizationToken:getAuthorizationToken": self._ecr_authorization_token,
            "aws:ssm/getParameter:getParameter": self._public_parameter,
        }
        answer = invokes.get(args.token)
        if answer is None:
            raise UnmockedInvokeError(
                f"the offline engine has no mock for the provider function {args.token}; "
                "answer it in a subclass of AwsMocks (or add it to components/testing/mocks.py)"
            )
        result = answer(args.args)
        with self._lock:
            self.invokes.append(Invoke(args.token, dict(args.args), args.provider, result))
        return result, []

    # ---- provider functions ----------------------------------------------------

    def zones(self) -> tuple[Zone, ...]:
        """Every zone of the region, standard and Local, sorted by name as EC2 lists them."""
        zone_prefix = REGION_ZONE_ID_PREFIX.get(self.region, self.region.replace("-", "")[:5])
        standard = [
            Zone(f"{self.region}{letter}", f"{zone_prefix}-az{number}", self.region, self.region)
            for letter, number in REGION_ZONES.get(self.region, _DEFAULT_ZONES)
        ]
        return tuple(sorted([*standard, *LOCAL_ZONES.get(self.region, ())], key=lambda z: z.name))

    def _availability_zones(self, a: Values) -> Values:
        """DescribeAvailabilityZones: without all_availability_zones only zones the account may use
        (opt-in not required, or opted in) — Local Zones the account enabled included."""
        zones = list(self.zones())
        if not a.get("allAvailabilityZones"):
            zones = [z for z in zones if z.opt_in_status in ("opt-in-not-required", "opted-in")]
        if a.get("state"):
            zones = [z for z in zones if z.state == a["state"]]
        for item in a.get("filters") or []:
            zones = [z for z in zones if z.matches(str(item["name"]), [str(v) for v in item["values"]])]
        excluded_names = set(a.get("excludeNames") or [])
        excluded_ids = set(a.get("excludeZoneIds") or [])
        zones = [z for z in zones if z.name not in excluded_names and z.zone_id not in excluded_ids]
        return {
            "id": self.region,
            "names": [z.name for z in zones],
            "zoneIds": [z.zone_id for z in zones],
            "groupNames": sorted({z.group for z in zones}),
            "state": a.get("state"),
            "allAvailabilityZones": a.get("allAvailabilityZones"),
            "filters": a.get("filters"),
        }

    def _image_digest(self, repository: str, tag: str) -> str:
        return self.image_digests.get(f"{repository}:{tag}") or "sha256:" + _digest(self.account_id, repository, tag)

    def _ecr_image(self, a: Values) -> Values:
        """DescribeImages for one tag or digest, failing as AWS does for a missing image or repository."""
        repository = str(a.get("repositoryName") or "")
        registry = str(a.get("registryId") or self.account_id)
        tag, digest = a.get("imageTag"), a.get("imageDigest")
        if repository in self.missing_images:
            raise AwsApiError(
                "invocation of aws:ecr/getImage:getImage returned an error: invoking aws:ecr/getImage:getImage: "
                "1 error occurred:\n\t* reading ECR Images: "
                f"RepositoryNotFoundException: The repository with name '{repository}' does not exist "
                f"in the registry with id '{registry}'"
            )
        if tag is not None:
            found = f"{repository}:{tag}" not in self.missing_images
            digest = self._image_digest(repository, str(tag))
        else:
            found = digest is not None and f"{repository}@{digest}" not in self.missing_images
        if not found:
            image_id = f"{{imageDigest:'{digest if tag is None else 'null'}', imageTag:'{tag or 'null'}'}}"
            raise AwsApiError(
                "invocation of aws:ecr/getImage:getImage returned an error: invoking aws:ecr/getImage:getImage: "
                "1 error occurred:\n\t* reading ECR Images: "
                f"ImageNotFoundException: The image with imageId {image_id} does not exist within the "
                f"repository with name '{repository}' in the registry with id '{registry}'"
            )
        return {
            "id": digest,
            "imageDigest": digest,
            "imageTag": tag,
            "imageTags": [tag] if tag is not None else [],
            "imagePushedAt": 1_767_225_600,
            "imageSizeInBytes": 52_428_800,
            "imageUri": f"{registry}.dkr.ecr.{self.region}.amazonaws.com/{repository}@{digest}",
            "registryId": registry,
            "repositoryName": repository,
            "region": self.region,
        }

    def _ecr_authorization_token(self, a: Values) -> Values:
        """GetAuthorizationToken: user AWS and a 12-hour password, base64 "AWS:<password>" as the token."""
        registry = str(a.get("registryId") or self.account_id)
        password = "eyJwYXlsb2FkIjoi" + _digest(self.stack, registry, "ecr-token")
        token = base64.b64encode(f"AWS:{password}".encode()).decode()
        return {
            "id": self.region,
            "registryId": registry,
            "userName": "AWS",
            "password": {rpc._special_sig_key: rpc._special_secret_sig, "value": password},
            "authorizationToken": {rpc._special_sig_key: rpc._special_secret_sig, "value": token},
            "proxyEndpoint": f"https://{registry}.dkr.ecr.{self.region}.amazonaws.com",
            "expiresAt": "2026-01-01T12:00:00Z",
            "region": self.region,
        }

    def _region(self, a: Values) -> Values:
        return {
            "id": self.region,
            "name": self.region,
            "region": self.region,
            "endpoint": f"ec2.{self.region}.amazonaws.com",
            "description": self.region,
        }

    def _caller_identity(self, a: Values) -> Values:
        return {
            "id": self.account_id,
            "accountId": self.account_id,
            "arn": f"arn:{self.partition}:iam::{self.account_id}:user/deployer",
            "userId": "AIDAEXAMPLEDEPLOYER",
        }

    @property
    def partition(self) -> str:
        """The partition of the mocks' region, as its ARNs name it: GovCloud and China have their own."""
        if self.region.startswith("us-gov-"):
            return "aws-us-gov"
        return "aws-cn" if self.region.startswith("cn-") else "aws"

    def _partition(self, a: Values) -> Values:
        china = self.partition == "aws-cn"
        return {
            "id": self.partition,
            "partition": self.partition,
            "dnsSuffix": "amazonaws.com.cn" if china else "amazonaws.com",
            "reverseDnsPrefix": "cn.com.amazonaws" if china else "com.amazonaws",
        }

    def _public_parameter(self, a: Values) -> Values:
        name = str(a.get("name"))
        if name not in PUBLIC_AMI_PARAMETERS:
            raise UnmockedInvokeError(
                f"the offline engine answers aws:ssm/getParameter only for AWS's public AMI parameters "
                f"({', '.join(sorted(PUBLIC_AMI_PARAMETERS))}), not {name!r}"
            )
        image = f"ami-{_digest(self.region, name)[:17]}"
        return {
            "id": name,
            "name": name,
            # Public parameters belong to AWS: no account in the ARN.
            "arn": f"arn:{self.partition}:ssm:{self.region}::parameter{name}",
            "type": "String",
            "value": image,
            "insecureValue": image,
            "version": 100,
            "withDecryption": True,
        }

    # ---- helpers ---------------------------------------------------------------

    def _arn(self, service: str, resource: str, *, regional: bool = True) -> str:
        region = self.region if regional else ""
        return f"arn:{self.partition}:{service}:{region}:{self.account_id}:{resource}"

    def _state_of(self, resource_id: Any) -> Values:
        with self._lock:
            return self._state_by_id.get(str(_plain(resource_id)), {})

    def _generic(self, typ: str, inputs: Values, seed: str) -> Values:
        service = typ.split(":")[1].split("/", maxsplit=1)[0] if ":" in typ else "resource"
        if typ in ID_FORMATS:
            prefix, digits, arn_type = ID_FORMATS[typ]
            resource_id = prefix + seed[:digits]
            computed: Values = {"id": resource_id}
            if arn_type is not None:
                computed["arn"] = self._arn(service, f"{arn_type}/{resource_id}")
            return computed
        kind = typ.rsplit(":", 1)[-1].lower()
        return {"id": f"{kind}-{seed[:17]}", "arn": self._arn(service, f"{kind}/{seed[:17]}")}

    # ---- EC2 -------------------------------------------------------------------

    def _vpc(self, name: str, inputs: Values, seed: str) -> Values:
        vpc_id = f"vpc-{seed[:17]}"
        return {
            "id": vpc_id,
            "arn": self._arn("ec2", f"vpc/{vpc_id}"),
            "defaultSecurityGroupId": f"sg-{seed[17:34]}",
            "defaultNetworkAclId": f"acl-{seed[17:34]}",
            "defaultRouteTableId": f"rtb-{seed[17:34]}",
            "mainRouteTableId": f"rtb-{seed[17:34]}",
            "ownerId": self.account_id,
        }

    def _subnet(self, name: str, inputs: Values, seed: str) -> Values:
        subnet_id = f"subnet-{seed[:17]}"
        zone = str(inputs.get("availabilityZone") or f"{self.region}a")
        zone_ids = {z.name: z.zone_id for z in self.zones()}
        return {
            "id": subnet_id,
            "arn": self._arn("ec2", f"subnet/{subnet_id}"),
            "availabilityZone": zone,
            # Not refused here: mocks of a consumer's own (with_aws_defaults) may answer for zones
            # of a region these mocks were not told about. PublicPrivateVpc checks zones itself.
            "availabilityZoneId": zone_ids.get(zone, ""),
            "ownerId": self.account_id,
        }

    def _eip(self, name: str, inputs: Values, seed: str) -> Values:
        allocation = f"eipalloc-{seed[:17]}"
        address = f"198.51.100.{int(seed[:4], 16) % 254 + 1}"
        return {
            "id": allocation,
            "allocationId": allocation,
            "publicIp": address,
            "publicDns": f"ec2-{address.replace('.', '-')}.{self.region}.compute.amazonaws.com",
            "arn": self._arn("ec2", f"elastic-ip/{allocation}"),
        }

    def _nat_gateway(self, name: str, inputs: Values, seed: str) -> Values:
        eip = self._state_of(inputs.get("allocationId"))
        return {
            "id": f"nat-{seed[:17]}",
            "publicIp": eip.get("publicIp", ""),
            "networkInterfaceId": f"eni-{seed[17:34]}",
            "privateIp": f"10.255.{int(seed[:2], 16)}.10",
        }

    def _vpc_endpoint(self, name: str, inputs: Values, seed: str) -> Values:
        endpoint_id = f"vpce-{seed[:17]}"
        return {
            "id": endpoint_id,
            "arn": self._arn("ec2", f"vpc-endpoint/{endpoint_id}"),
            "prefixListId": f"pl-{seed[17:25]}",
            "state": "available",
        }

    def _default_security_group(self, name: str, inputs: Values, seed: str) -> Values:
        group_id = self._state_of(inputs.get("vpcId")).get("defaultSecurityGroupId") or f"sg-{seed[:17]}"
        return {"id": group_id, "arn": self._arn("ec2", f"security-group/{group_id}"), "name": "default"}

    def _igw_attachment(self, name: str, inputs: Values, seed: str) -> Values:
        return {"id": f"{_plain(inputs.get('internetGatewayId'))}:{_plain(inputs.get('vpcId'))}"}

    def _network_interface(self, name: str, inputs: Values, seed: str) -> Values:
        interface_id = f"eni-{seed[:17]}"
        subnet = self._state_of(inputs.get("subnetId"))
        private_ip = _host_in(str(subnet.get("cidrBlock") or "10.255.0.0/24"), seed)
        zone = str(subnet.get("availabilityZone") or f"{self.region}a")
        return {
            "id": interface_id,
            "arn": self._arn("ec2", f"network-interface/{interface_id}"),
            "privateIp": private_ip,
            "privateIps": [private_ip],
            "privateDnsName": f"ip-{private_ip.replace('.', '-')}.{self.region}.compute.internal",
            "macAddress": ":".join(["0a", *(seed[i : i + 2] for i in range(0, 10, 2))]),
            "ownerId": self.account_id,
            "interfaceType": "interface",
            "availabilityZone": zone,
        }

    def _eip_association(self, name: str, inputs: Values, seed: str) -> Values:
        allocation = str(_plain(inputs.get("allocationId")) or "")
        # An address allocated outside the program gets a deterministic one of its own.
        fallback = f"203.0.113.{int(_digest(allocation)[:4], 16) % 254 + 1}"
        address = self._state_of(allocation).get("publicIp") or fallback
        interface = self._state_of(inputs.get("networkInterfaceId"))
        return {
            "id": f"eipassoc-{seed[:17]}",
            "publicIp": address,
            "privateIpAddress": interface.get("privateIp", ""),
        }

    def _instance(self, name: str, inputs: Values, seed: str) -> Values:
        instance_id = f"i-{seed[:17]}"
        primary = _plain(inputs.get("primaryNetworkInterface")) or {}
        interface_id = str(_plain(primary.get("networkInterfaceId")) or f"eni-{seed[17:34]}")
        interface = self._state_of(interface_id)
        private_ip = str(interface.get("privateIp") or f"10.255.{int(seed[:2], 16)}.{int(seed[2:4], 16) % 250 + 4}")
        public_ip = self._public_ip_of_interface(interface_id)
        return {
            "id": instance_id,
            "arn": self._arn("ec2", f"instance/{instance_id}"),
            "primaryNetworkInterfaceId": interface_id,
            "privateIp": private_ip,
            "privateDns": f"ip-{private_ip.replace('.', '-')}.{self.region}.compute.internal",
            "publicIp": public_ip,
            "publicDns": f"ec2-{public_ip.replace('.', '-')}.{self.region}.compute.amazonaws.com" if public_ip else "",
            "availabilityZone": interface.get("availabilityZone") or f"{self.region}a",
            "subnetId": interface.get("subnetId", ""),
            "instanceState": "running",
            "keyName": "",
        }

    def _public_ip_of_interface(self, interface_id: str) -> str:
        """The Elastic IP associated with a network interface earlier in the run, if any."""
        with self._lock:
            states = list(self._state_by_id.values())
        for state in states:
            if _plain(state.get("networkInterfaceId")) == interface_id and state.get("publicIp"):
                return str(state["publicIp"])
        return ""

    # ---- load balancing ----------------------------------------------------------

    def _load_balancer(self, name: str, inputs: Values, seed: str) -> Values:
        lb_name = str(inputs["name"])
        suffix = f"app/{lb_name}/{seed[:16]}"
        internal = "internal-" if inputs.get("internal") else ""
        return {
            "id": self._arn("elasticloadbalancing", f"loadbalancer/{suffix}"),
            "arn": self._arn("elasticloadbalancing", f"loadbalancer/{suffix}"),
            "arnSuffix": suffix,
            "dnsName": f"{internal}{lb_name}-{int(seed[:8], 16) % 10**10}.{self.region}.elb.amazonaws.com",
            "zoneId": ALB_ZONE_IDS.get(self.region, "Z1H1FL5HABSF5"),
        }

    def _target_group(self, name: str, inputs: Values, seed: str) -> Values:
        arn = self._arn("elasticloadbalancing", f"targetgroup/{inputs['name']}/{seed[:16]}")
        return {"id": arn, "arn": arn, "arnSuffix": arn.split(":")[-1]}

    def _listener(self, name: str, inputs: Values, seed: str) -> Values:
        lb_arn = str(_plain(inputs.get("loadBalancerArn")) or "")
        lb_part = lb_arn.split(":loadbalancer/", 1)[-1] if ":loadbalancer/" in lb_arn else f"app/lb/{seed[16:32]}"
        arn = self._arn("elasticloadbalancing", f"listener/{lb_part}/{seed[:16]}")
        return {"id": arn, "arn": arn}

    def _listener_rule(self, name: str, inputs: Values, seed: str) -> Values:
        listener_arn = str(_plain(inputs.get("listenerArn")) or "")
        listener_part = listener_arn.split(":listener/", 1)[-1] if ":listener/" in listener_arn else "app/lb/x/y"
        arn = self._arn("elasticloadbalancing", f"listener-rule/{listener_part}/{seed[:16]}")
        return {"id": arn, "arn": arn}

    # ---- containers, config, logs, IAM ----------------------------------------------

    def _ecr_repository(self, name: str, inputs: Values, seed: str) -> Values:
        repo = str(inputs["name"])
        return {
            "id": repo,
            "arn": self._arn("ecr", f"repository/{repo}"),
            "registryId": self.account_id,
            "repositoryUrl": f"{self.account_id}.dkr.ecr.{self.region}.amazonaws.com/{repo}",
        }

    def _secret(self, name: str, inputs: Values, seed: str) -> Values:
        arn = self._arn("secretsmanager", f"secret:{inputs['name']}-{seed[:6]}")
        return {"id": arn, "arn": arn}

    def _secret_version(self, name: str, inputs: Values, seed: str) -> Values:
        # AWS gives every new version a fresh id; a new document makes a new version. Derived from the
        # document (one-way, salted with the seed) so the id changes exactly when the content does.
        content = _digest(seed, str(_plain(inputs.get("secretString"))), str(_plain(inputs.get("secretBinary"))))
        version = f"{content[:8]}-{content[8:12]}-{content[12:16]}-{content[16:20]}-{content[20:32]}"
        secret_arn = str(_plain(inputs.get("secretId")))
        return {
            "id": f"{secret_arn}|{version}",
            "arn": secret_arn,
            "versionId": version,
            "versionStages": ["AWSCURRENT"],
        }

    def _ssm_parameter(self, name: str, inputs: Values, seed: str) -> Values:
        param = str(inputs["name"])
        return {
            "id": param,
            "arn": self._arn("ssm", f"parameter/{param.lstrip('/')}"),
            # SSM counts versions up from 1 with every new value; here the number follows the value,
            # so it changes exactly when the value does (one-way: a value cannot be read back from it).
            "version": 1
            + int(_digest(seed, str(_plain(inputs.get("value") or inputs.get("insecureValue"))))[:8], 16) % 99_999,
            "tier": inputs.get("tier") or "Standard",
        }

    def _log_group(self, name: str, inputs: Values, seed: str) -> Values:
        group = str(inputs["name"])
        return {"id": group, "arn": self._arn("logs", f"log-group:{group}")}

    def _iam_role(self, name: str, inputs: Values, seed: str) -> Values:
        role = str(inputs["name"])
        path = str(inputs.get("path") or "/")
        return {
            "id": role,
            "arn": self._arn("iam", f"role{path}{role}", regional=False),
            "uniqueId": "AROA" + seed[:17].upper(),
        }

    def _iam_policy(self, name: str, inputs: Values, seed: str) -> Values:
        arn = self._arn("iam", f"policy/{inputs['name']}", regional=False)
        return {"id": arn, "arn": arn, "policyId": "ANPA" + seed[:17].upper()}

    def _instance_profile(self, name: str, inputs: Values, seed: str) -> Values:
        profile = str(inputs["name"])
        path = str(inputs.get("path") or "/")
        return {
            "id": profile,
            "arn": self._arn("iam", f"instance-profile{path}{profile}", regional=False),
            "uniqueId": "AIPA" + seed[:17].upper(),
            "createDate": "2026-01-01T00:00:00Z",
        }

    def _role_policy_attachment(self, name: str, inputs: Values, seed: str) -> Values:
        # The provider's id: the role name, a dash and a creation timestamp.
        return {"id": f"{_plain(inputs.get('role'))}-20260101000000{int(seed[:8], 16) % 10**12:012d}"}

    def _metric_alarm(self, name: str, inputs: Values, seed: str) -> Values:
        alarm = str(inputs["name"])
        return {"id": alarm, "arn": self._arn("cloudwatch", f"alarm:{alarm}")}

    def _role_policy(self, name: str, inputs: Values, seed: str) -> Values:
        policy_name = inputs.get("name") or f"{name}-{seed[:7]}"
        return {"id": f"{_plain(inputs.get('role'))}:{policy_name}", "name": policy_name}

    def _ecs_cluster(self, name: str, inputs: Values, seed: str) -> Values:
        arn = self._arn("ecs", f"cluster/{inputs['name']}")
        return {"id": arn, "arn": arn}

    def _task_definition(self, name: str, inputs: Values, seed: str) -> Values:
        family = str(inputs.get("family") or name)
        base = self._arn("ecs", f"task-definition/{family}")
        # Every registration is a new revision; here the number follows the definition, so a changed
        # definition gets a new ARN (and the service that names it changes with it), an unchanged one not.
        content = _digest(seed, json.dumps(inputs, sort_keys=True, default=str))
        revision = 1 + int(content[:8], 16) % 9_999
        return {"id": family, "arn": f"{base}:{revision}", "arnWithoutRevision": base, "revision": revision}

    def _ecs_service(self, name: str, inputs: Values, seed: str) -> Values:
        cluster_arn = str(_plain(inputs.get("cluster")) or "")
        cluster = cluster_arn.rsplit("/", 1)[-1] or "default"
        arn = self._arn("ecs", f"service/{cluster}/{inputs['name']}")
        return {"id": arn, "arn": arn}

    # ---- S3 and WAF -------------------------------------------------------------------

    def _s3_bucket(self, name: str, inputs: Values, seed: str) -> Values:
        # Auto-naming fills `bucket` (not `name`): the logical name, a hyphen and 7 random
        # characters, or `bucketPrefix` and 26 digits; lower case, at most 63 characters.
        prefix = _plain(inputs.get("bucketPrefix"))
        if not _plain(inputs.get("bucket")) and not prefix and len(name) + 8 > 63:
            raise ValueError(
                f"could not make instance of 'aws:s3/bucket:Bucket': name '{name}-' plus 7 random chars is "
                "longer than maximum length 63"
            )
        bucket = str(
            _plain(inputs.get("bucket"))
            or (f"{prefix}{int(seed[:22], 16) % 10**26:026d}" if prefix else f"{name}-{seed[:7]}")
        ).lower()[:63]
        return {
            "id": bucket,
            "bucket": bucket,
            "arn": f"arn:{self.partition}:s3:::{bucket}",
            "bucketDomainName": f"{bucket}.s3.amazonaws.com",
            "bucketRegionalDomainName": f"{bucket}.s3.{self.region}.amazonaws.com",
            "hostedZoneId": S3_ZONE_IDS.get(self.region, "Z3BJ6K6RIION7M"),
            "region": self.region,
        }

    def _web_acl_association(self, name: str, inputs: Values, seed: str) -> Values:
        return {"id": f"{_plain(inputs.get('webAclArn'))},{_plain(inputs.get('resourceArn'))}"}

    def _web_acl(self, name: str, inputs: Values, seed: str) -> Values:
        acl_id = f"{seed[:8]}-{seed[8:12]}-{seed[12:16]}-{seed[16:20]}-{seed[20:32]}"
        scope = "global" if inputs.get("scope") == "CLOUDFRONT" else "regional"
        return {
            "id": acl_id,
            "arn": self._arn("wafv2", f"{scope}/webacl/{inputs['name']}/{acl_id}"),
            "capacity": sum(_web_acl_rule_capacity(rule) for rule in inputs.get("rules") or []),
            "lockToken": f"{seed[32:40]}-{seed[40:44]}-{seed[44:48]}-{seed[48:52]}-{seed[52:64]}",
        }

    # ---- API Gateway, ACM, Route 53 ---------------------------------------------------

    def _http_api(self, name: str, inputs: Values, seed: str) -> Values:
        api_id = seed[:10]
        return {
            "id": api_id,
            "apiEndpoint": f"https://{api_id}.execute-api.{self.region}.amazonaws.com",
            "executionArn": self._arn("execute-api", api_id),
            "arn": self._arn("apigateway", f"/apis/{api_id}"),
        }

    def _api_stage(self, name: str, inputs: Values, seed: str) -> Values:
        api_id = str(_plain(inputs.get("apiId")))
        stage = str(inputs.get("name") or name)
        path = "" if stage == "$default" else stage
        return {
            "id": stage,
            "invokeUrl": f"https://{api_id}.execute-api.{self.region}.amazonaws.com/{path}",
            "arn": self._arn("apigateway", f"/apis/{api_id}/stages/{stage}"),
            "executionArn": self._arn("execute-api", f"{api_id}/{stage}"),
        }

    def _certificate(self, name: str, inputs: Values, seed: str) -> Values:
        names = [str(inputs.get("domainName"))] + [str(n) for n in inputs.get("subjectAlternativeNames") or []]
        options = [
            {
                "domainName": domain,
                "resourceRecordName": f"_{_digest(domain)[:32]}.{domain}.",
                "resourceRecordType": "CNAME",
                "resourceRecordValue": f"_{_digest(domain, 'v')[:32]}.{_digest(domain, 'w')[:10]}.acm-validations.aws.",
            }
            for domain in names
        ]
        arn = self._arn("acm", f"certificate/{seed[:8]}-{seed[8:12]}-{seed[12:16]}-{seed[16:20]}-{seed[20:32]}")
        return {"id": arn, "arn": arn, "domainValidationOptions": options, "status": "PENDING_VALIDATION"}

    def _certificate_validation(self, name: str, inputs: Values, seed: str) -> Values:
        return {"id": "2026-01-01 00:00:00 +0000 UTC"}

    def _route53_record(self, name: str, inputs: Values, seed: str) -> Values:
        record = str(_plain(inputs.get("name"))).rstrip(".")
        return {"id": f"{_plain(inputs.get('zoneId'))}_{record}_{inputs.get('type')}", "fqdn": record}

    # ---- Auth0 and random -----------------------------------------------------------------

    def _auth0_client(self, name: str, inputs: Values, seed: str) -> Values:
        client_id = "".join(c for c in _digest(seed, "client") if c.isalnum())[:32]
        return {"id": client_id, "clientId": client_id}

    def _auth0_client_credentials(self, name: str, inputs: Values, seed: str) -> Values:
        secret = _digest(seed, "secret") if self.auth0_client_secret is None else self.auth0_client_secret
        return {"id": _plain(inputs.get("clientId")), "clientSecret": secret}

    def _auth0_resource_server(self, name: str, inputs: Values, seed: str) -> Values:
        return {"id": seed[:24]}

    # ---- docker-build ---------------------------------------------------------------------

    def _docker_image(self, name: str, inputs: Values, seed: str) -> Values:
        """A build pushed to its tags. The digest follows what decides the image: platforms, target,
        build arguments, an inline Dockerfile and the tags (a papyrus build's tag carries the hash of
        its context's content), not where the context sits on disk; so a changed context changes it."""
        build = {
            key: _plain(inputs.get(key))
            for key in ("context", "dockerfile", "platforms", "target", "buildArgs", "tags")
        }
        decided = {**build, "context": None, "dockerfile": (build["dockerfile"] or {}).get("inline")}
        content = _digest(json.dumps(decided, sort_keys=True, default=str))
        digest = f"sha256:{content}" if inputs.get("push") or inputs.get("exports") else ""
        tags = [str(t) for t in inputs.get("tags") or []]
        return {
            "id": tags[0] if tags else f"sha256:{content}",
            "contextHash": _digest(
                "context",
                json.dumps([build["context"], build["dockerfile"], build["tags"]], sort_keys=True, default=str),
            ),
            "digest": digest,
            "ref": f"{tags[0]}@{digest}" if tags and digest else (tags[0] if tags else ""),
        }

    def _random_string(self, name: str, inputs: Values, seed: str) -> Values:
        length = int(inputs.get("length") or 16)
        alphabet = ""
        if inputs.get("lower", True):
            alphabet += string.ascii_lowercase
        if inputs.get("upper", True):
            alphabet += string.ascii_uppercase
        if inputs.get("numeric", True):
            alphabet += string.digits
        if inputs.get("special", True):
            alphabet += str(inputs.get("overrideSpecial") or "!@#$%&*()-_=+[]{}<>:?")
        stream = b"".join(hashlib.sha256(f"{seed}:{i}".encode()).digest() for i in range(length // 32 + 1))
        result = "".join(alphabet[b % len(alphabet)] for b in stream[:length])
        return {"id": "none", "result": result}

    def _random_id(self, name: str, inputs: Values, seed: str) -> Values:
        size = int(inputs.get("byteLength") or 8)
        raw = bytes.fromhex(seed[: size * 2])
        return {
            "id": base64.urlsafe_b64encode(raw).decode().rstrip("="),
            "hex": raw.hex(),
            "dec": str(int.from_bytes(raw, "big")),
            "b64Std": base64.b64encode(raw).decode(),
            "b64Url": base64.urlsafe_b64encode(raw).decode().rstrip("="),
        }
