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
import hashlib
import string
import threading
from collections.abc import Callable
from typing import Any

from pulumi.runtime import mocks as pulumi_mocks
from pulumi.runtime import rpc

ACCOUNT_ID = "123456789012"

# Zone names per region, as EC2 lists them for a new account; other regions get three.
REGION_ZONES = {
    "us-east-1": 6,
    "us-west-2": 4,
    "eu-west-1": 3,
    "ap-northeast-1": 3,
}
REGION_ZONE_ID_PREFIX = {"us-east-1": "use1", "us-west-2": "usw2", "eu-west-1": "euw1", "ap-northeast-1": "apne1"}
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
}

Values = dict[str, Any]

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


class UnmockedInvokeError(LookupError):
    """The program called a provider function the offline engine does not answer."""


def _digest(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def _plain(value: Any) -> Any:
    """Strip the wire form of a secret; the mock only needs the value."""
    if isinstance(value, dict) and value.get(rpc._special_sig_key) == rpc._special_secret_sig:
        return value.get("value")
    return value


class AwsMocks(pulumi_mocks.Mocks):
    """Mocks for the aws, auth0 and random providers in one region of one account."""

    def __init__(self, region: str = "us-west-2", account_id: str = ACCOUNT_ID, stack: str = "") -> None:
        self.region = region
        self.account_id = account_id
        # Part of every seed, so two stacks get different ids, as they would in AWS.
        self.stack = stack
        self._lock = threading.Lock()
        self._state_by_id: dict[str, Values] = {}
        self._rules: dict[str, Callable[[str, Values, str], Values]] = {
            "aws:ec2/vpc:Vpc": self._vpc,
            "aws:ec2/subnet:Subnet": self._subnet,
            "aws:ec2/eip:Eip": self._eip,
            "aws:ec2/natGateway:NatGateway": self._nat_gateway,
            "aws:ec2/vpcEndpoint:VpcEndpoint": self._vpc_endpoint,
            "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": self._default_security_group,
            "aws:ec2/internetGatewayAttachment:InternetGatewayAttachment": self._igw_attachment,
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
            "aws:acm/certificate:Certificate": self._certificate,
            "aws:acm/certificateValidation:CertificateValidation": self._certificate_validation,
            "aws:route53/record:Record": self._route53_record,
            "auth0:index/client:Client": self._auth0_client,
            "auth0:index/clientCredentials:ClientCredentials": self._auth0_client_credentials,
            "auth0:index/resourceServer:ResourceServer": self._auth0_resource_server,
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
            prefix = _plain(inputs.get("namePrefix")) or f"{args.name}-"
            inputs["name"] = (prefix + seed[:7])[-limit:] if len(prefix) + 7 > limit else prefix + seed[:7]
        rule = self._rules.get(args.typ)
        computed = rule(args.name, inputs, seed) if rule else self._generic(args.typ, inputs, seed)
        state = {**inputs, **computed}
        resource_id = str(state.pop("id", None) or self._generic(args.typ, inputs, seed)["id"])
        with self._lock:
            self._state_by_id[resource_id] = state
        return resource_id, state

    def call(self, args: pulumi_mocks.MockCallArgs) -> tuple[Values, list[tuple[str, str]] | None]:
        function, a = args.token, args.args
        if function == "aws:index/getAvailabilityZones:getAvailabilityZones":
            count = REGION_ZONES.get(self.region, 3)
            letters = string.ascii_lowercase[:count]
            zone_prefix = REGION_ZONE_ID_PREFIX.get(self.region, self.region.replace("-", "")[:5])
            return {
                "id": self.region,
                "names": [f"{self.region}{c}" for c in letters],
                "zoneIds": [f"{zone_prefix}-az{i + 1}" for i in range(count)],
                "groupNames": [self.region] * count,
                "state": a.get("state"),
            }, []
        if function == "aws:index/getRegion:getRegion":
            return {
                "id": self.region,
                "name": self.region,
                "region": self.region,
                "endpoint": f"ec2.{self.region}.amazonaws.com",
                "description": self.region,
            }, []
        if function == "aws:index/getCallerIdentity:getCallerIdentity":
            return {
                "id": self.account_id,
                "accountId": self.account_id,
                "arn": f"arn:aws:iam::{self.account_id}:user/deployer",
                "userId": "AIDAEXAMPLEDEPLOYER",
            }, []
        if function == "aws:index/getPartition:getPartition":
            return {
                "id": "aws",
                "partition": "aws",
                "dnsSuffix": "amazonaws.com",
                "reverseDnsPrefix": "com.amazonaws",
            }, []
        raise UnmockedInvokeError(
            f"the offline engine has no mock for the provider function {function}; "
            "answer it in a subclass of AwsMocks (or add it to components/testing/mocks.py)"
        )

    # ---- helpers ---------------------------------------------------------------

    def _arn(self, service: str, resource: str, *, regional: bool = True) -> str:
        region = self.region if regional else ""
        return f"arn:aws:{service}:{region}:{self.account_id}:{resource}"

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
        zone_prefix = REGION_ZONE_ID_PREFIX.get(self.region, "zone")
        return {
            "id": subnet_id,
            "arn": self._arn("ec2", f"subnet/{subnet_id}"),
            "availabilityZone": zone,
            "availabilityZoneId": f"{zone_prefix}-az{string.ascii_lowercase.index(zone[-1]) + 1}",
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
        version = f"{seed[:8]}-{seed[8:12]}-{seed[12:16]}-{seed[16:20]}-{seed[20:32]}"
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
            "version": 1,
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

    def _role_policy(self, name: str, inputs: Values, seed: str) -> Values:
        policy_name = inputs.get("name") or f"{name}-{seed[:7]}"
        return {"id": f"{_plain(inputs.get('role'))}:{policy_name}", "name": policy_name}

    def _ecs_cluster(self, name: str, inputs: Values, seed: str) -> Values:
        arn = self._arn("ecs", f"cluster/{inputs['name']}")
        return {"id": arn, "arn": arn}

    def _task_definition(self, name: str, inputs: Values, seed: str) -> Values:
        family = str(inputs.get("family") or name)
        base = self._arn("ecs", f"task-definition/{family}")
        return {"id": family, "arn": f"{base}:1", "arnWithoutRevision": base, "revision": 1}

    def _ecs_service(self, name: str, inputs: Values, seed: str) -> Values:
        cluster_arn = str(_plain(inputs.get("cluster")) or "")
        cluster = cluster_arn.rsplit("/", 1)[-1] or "default"
        arn = self._arn("ecs", f"service/{cluster}/{inputs['name']}")
        return {"id": arn, "arn": arn}

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
        return {"id": _plain(inputs.get("clientId")), "clientSecret": _digest(seed, "secret")}

    def _auth0_resource_server(self, name: str, inputs: Values, seed: str) -> Values:
        return {"id": seed[:24]}

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
