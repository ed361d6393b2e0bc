"""Every resource type the program, the components and the examples can create: billable
(with the pricer that reads its quantities) or free (with the reason).

A type that is in neither list is not estimated, and `tests/test_cost_plans.py` fails on it
for the committed stacks, so a new resource type cannot slip past the table. Components
(`papyrus:index:*`, not cloud resources) cost the sum of what they hold.
"""

from __future__ import annotations

from dataclasses import dataclass

from cost import pricers
from cost.pricers import Pricer


@dataclass(frozen=True)
class Billable:
    bills: str
    """What AWS charges for, in a few words."""
    pricer: Pricer


@dataclass(frozen=True)
class Free:
    reason: str


Entry = Billable | Free

BILLABLE: dict[str, Billable] = {
    "aws:ec2/natGateway:NatGateway": Billable("NAT gateway hours; data processed (usage)", pricers.nat_gateway),
    "aws:ec2/eip:Eip": Billable("public IPv4 address hours", pricers.eip),
    "aws:ec2/vpcEndpoint:VpcEndpoint": Billable(
        "interface endpoints: hours per zone and data processed; gateway endpoints are free", pricers.vpc_endpoint
    ),
    "aws:ec2/instance:Instance": Billable(
        "instance hours, EBS volumes, an auto-assigned public IPv4 address", pricers.ec2_instance
    ),
    "aws:ebs/volume:Volume": Billable("EBS GB-months", pricers.ebs_volume),
    "aws:lb/loadBalancer:LoadBalancer": Billable(
        "load balancer hours, reserved LCUs, one public IPv4 address per zone when internet-facing; LCUs used (usage)",
        pricers.load_balancer,
    ),
    "aws:ecs/service:Service": Billable(
        "Fargate vCPU- and GB-hours of desiredCount tasks by CPU architecture", pricers.ecs_service
    ),
    "aws:ecs/cluster:Cluster": Billable("Container Insights metrics when enabled", pricers.ecs_cluster),
    "aws:ecr/repository:Repository": Billable("image storage (usage)", pricers.ecr_repository),
    "aws:secretsmanager/secret:Secret": Billable(
        "secret-months (replicas each count); API calls (usage)", pricers.secret
    ),
    "aws:ssm/parameter:Parameter": Billable("Advanced parameters only; Standard is free", pricers.ssm_parameter),
    "aws:cloudwatch/logGroup:LogGroup": Billable("log ingestion and storage (usage)", pricers.log_group),
    "aws:cloudwatch/metricAlarm:MetricAlarm": Billable("alarm metric-months", pricers.metric_alarm),
    "aws:kms/key:Key": Billable("customer managed key-months; requests (usage)", pricers.kms_key),
    "aws:apigatewayv2/api:Api": Billable("HTTP API requests (usage)", pricers.http_api),
    "aws:wafv2/webAcl:WebAcl": Billable(
        "web ACL-months, rule-months (a rule group counts as one rule); requests inspected (usage)", pricers.web_acl
    ),
    "aws:s3/bucket:Bucket": Billable("storage and requests (usage)", pricers.s3_bucket),
    "aws:s3/bucketV2:BucketV2": Billable("storage and requests (usage)", pricers.s3_bucket),
    "aws:acm/certificate:Certificate": Billable(
        "private CA certificates only; public ones are free", pricers.acm_certificate
    ),
}

_S3_SETTING = "a setting of its bucket; the bucket carries the storage and request charges"
_SG = "security groups and their rules are free"
_IAM = "IAM is free"

FREE: dict[str, Free] = {
    # network
    "aws:ec2/vpc:Vpc": Free("the VPC itself is free"),
    "aws:ec2/subnet:Subnet": Free("subnets are free"),
    "aws:ec2/internetGateway:InternetGateway": Free(
        "internet gateways have no hourly charge (data transfer is billed)"
    ),
    "aws:ec2/internetGatewayAttachment:InternetGatewayAttachment": Free("an attachment is free"),
    "aws:ec2/routeTable:RouteTable": Free("route tables are free"),
    "aws:ec2/route:Route": Free("routes are free"),
    "aws:ec2/routeTableAssociation:RouteTableAssociation": Free("route table associations are free"),
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": Free(_SG),
    "aws:ec2/securityGroup:SecurityGroup": Free(_SG),
    "aws:ec2/securityGroupRule:SecurityGroupRule": Free(_SG),
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": Free(_SG),
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": Free(_SG),
    "aws:ec2/flowLog:FlowLog": Free("flow log records are billed as ingestion on the destination log group"),
    "aws:ec2/networkInterface:NetworkInterface": Free(
        "network interfaces are free; a public address on one is billed on its Elastic IP"
    ),
    "aws:ec2/networkInterfaceAttachment:NetworkInterfaceAttachment": Free("an attachment is free"),
    "aws:ec2/eipAssociation:EipAssociation": Free("the association is free; the Elastic IP is billed"),
    "aws:ec2/volumeAttachment:VolumeAttachment": Free("the attachment is free; the volume is billed"),
    "aws:ec2/launchTemplate:LaunchTemplate": Free("launch templates are free; the instances they launch are billed"),
    "aws:ec2/keyPair:KeyPair": Free("key pairs are free"),
    # load balancing
    "aws:lb/listener:Listener": Free("listeners are part of the load balancer's hourly charge"),
    "aws:lb/listenerRule:ListenerRule": Free("rules are free (evaluations beyond 10 per request count towards LCUs)"),
    "aws:lb/targetGroup:TargetGroup": Free("target groups are free"),
    "aws:lb/targetGroupAttachment:TargetGroupAttachment": Free("target registrations are free"),
    "aws:lb/listenerCertificate:ListenerCertificate": Free(
        "extra certificates on a listener are free (ACM public certificates)"
    ),
    # containers
    "aws:ecs/taskDefinition:TaskDefinition": Free("task definitions are free; the service's tasks are billed"),
    "aws:ecr/lifecyclePolicy:LifecyclePolicy": Free("lifecycle policies are free (they lower storage)"),
    "aws:ecr/repositoryPolicy:RepositoryPolicy": Free("repository policies are free"),
    "docker-build:index:Image": Free("built on the machine running Pulumi; its layers are billed as ECR storage"),
    "docker-build:index:Index": Free("a manifest list in the registry; billed as ECR storage"),
    # identity and access
    "aws:iam/role:Role": Free(_IAM),
    "aws:iam/rolePolicy:RolePolicy": Free(_IAM),
    "aws:iam/policy:Policy": Free(_IAM),
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": Free(_IAM),
    "aws:iam/instanceProfile:InstanceProfile": Free(_IAM),
    "aws:kms/alias:Alias": Free("aliases are free; the key is billed"),
    # configuration and logs
    "aws:secretsmanager/secretVersion:SecretVersion": Free("versions are included in the secret's monthly charge"),
    "aws:secretsmanager/secretPolicy:SecretPolicy": Free("resource policies are free"),
    "aws:cloudwatch/logResourcePolicy:LogResourcePolicy": Free("resource policies are free"),
    "aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter": Free("billed at its destination"),
    # API
    "aws:apigatewayv2/stage:Stage": Free("stages are free; the API's requests are billed"),
    "aws:apigatewayv2/route:Route": Free("routes are free"),
    "aws:apigatewayv2/integration:Integration": Free("integrations are free"),
    "aws:apigatewayv2/authorizer:Authorizer": Free("JWT authorizers are free"),
    "aws:apigatewayv2/vpcLink:VpcLink": Free("VPC links of HTTP APIs have no charge"),
    # web protection
    "aws:wafv2/webAclAssociation:WebAclAssociation": Free("the association is free; the web ACL is billed"),
    "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration": Free("billed as logs at the destination"),
    "aws:wafv2/ruleGroup:RuleGroup": Free("billed as one rule of each web ACL that references it"),
    "aws:wafv2/ipSet:IpSet": Free("IP sets are free"),
    # storage
    "aws:s3/bucketPolicy:BucketPolicy": Free(_S3_SETTING),
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": Free(_S3_SETTING),
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": Free(_S3_SETTING),
    "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2": Free(_S3_SETTING),
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": Free(_S3_SETTING),
    "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2": Free(_S3_SETTING),
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": Free(_S3_SETTING),
    "aws:s3/bucketVersioning:BucketVersioning": Free(_S3_SETTING),
    "aws:s3/bucketVersioningV2:BucketVersioningV2": Free(_S3_SETTING),
    "aws:s3/bucketAcl:BucketAcl": Free(_S3_SETTING),
    "aws:s3/bucketAclV2:BucketAclV2": Free(_S3_SETTING),
    "aws:s3/bucketLogging:BucketLogging": Free(_S3_SETTING),
    "aws:s3/bucketLoggingV2:BucketLoggingV2": Free(_S3_SETTING),
    # DNS and certificates
    "aws:acm/certificateValidation:CertificateValidation": Free("a wait for validation, not a resource AWS bills"),
    "aws:route53/record:Record": Free(
        "records are free and alias queries to AWS resources are free; the hosted zone is not created here"
    ),
    # outside AWS
    "auth0:index/client:Client": Free("Auth0 bills its plan by monthly active users, not per application"),
    "auth0:index/clientCredentials:ClientCredentials": Free("part of the Auth0 application"),
    "auth0:index/resourceServer:ResourceServer": Free("Auth0 does not bill per API"),
    "random:index/randomPassword:RandomPassword": Free("computed by Pulumi, stored in state"),
    "random:index/randomString:RandomString": Free("computed by Pulumi, stored in state"),
    "random:index/randomId:RandomId": Free("computed by Pulumi, stored in state"),
}

PROVIDER_PREFIX = "pulumi:providers:"


def classify(type_: str, *, custom: bool = True) -> Entry | None:
    """The catalog's entry for a resource type, or None when it is not classified."""
    if not custom:
        return Free("a component: it costs what it holds")
    if type_.startswith(PROVIDER_PREFIX):
        return Free("provider configuration, not a cloud resource")
    return BILLABLE.get(type_) or FREE.get(type_)
