"""What each Pulumi resource type and provider function needs from IAM.

A type maps to `Grant`s: a scope (scopes.py turns it into ARNs and conditions) and the actions
the provider calls to create, read (refresh, and after every create or update), update and
delete it, tags included: the program's provider sets default tags on every taggable resource.
The lists follow what pulumi-aws 7 (Terraform provider v6) calls, checked against AWS's service
authorization reference (tests/test_deploy_role.py); where a service's describe calls cannot
be scoped and are read-only, `<service>:Describe*` stands for the dozen the provider makes.

A type that calls no AWS API (Auth0, random) maps to no grant; a type
that is not here at all fails the coverage test, with its name.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from deploy_role import scopes as s


@dataclass(frozen=True)
class Grant:
    scope: str
    create: tuple[str, ...] = ()
    read: tuple[str, ...] = ()
    update: tuple[str, ...] = ()
    delete: tuple[str, ...] = ()

    def actions(self) -> tuple[str, ...]:
        return (*self.create, *self.read, *self.update, *self.delete)


EC2_READ = ("ec2:Describe*",)
EC2_TAGS = ("ec2:CreateTags", "ec2:DeleteTags")
ELB_READ = ("elasticloadbalancing:Describe*",)
ELB_TAGS = ("elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags")
ECS_TAGS = ("ecs:TagResource", "ecs:UntagResource", "ecs:ListTagsForResource")
ECR_TAGS = ("ecr:TagResource", "ecr:UntagResource", "ecr:ListTagsForResource")
LOGS_TAGS = ("logs:TagResource", "logs:UntagResource", "logs:ListTagsForResource")
SSM_TAGS = ("ssm:AddTagsToResource", "ssm:RemoveTagsFromResource", "ssm:ListTagsForResource")
SECRETS_TAGS = ("secretsmanager:TagResource", "secretsmanager:UntagResource")
IAM_ROLE_TAGS = ("iam:TagRole", "iam:UntagRole", "iam:ListRoleTags")
ACM_TAGS = ("acm:AddTagsToCertificate", "acm:RemoveTagsFromCertificate", "acm:ListTagsForCertificate")
WAF_TAGS = ("wafv2:TagResource", "wafv2:UntagResource", "wafv2:ListTagsForResource")
CLOUDWATCH_TAGS = ("cloudwatch:TagResource", "cloudwatch:UntagResource", "cloudwatch:ListTagsForResource")
S3_BUCKET_READ = (
    "s3:ListBucket",
    "s3:GetBucketAcl",
    "s3:GetBucketCORS",
    "s3:GetBucketLocation",
    "s3:GetBucketLogging",
    "s3:GetBucketObjectLockConfiguration",
    "s3:GetBucketOwnershipControls",
    "s3:GetBucketPolicy",
    "s3:GetBucketPublicAccessBlock",
    "s3:GetBucketRequestPayment",
    "s3:GetBucketTagging",
    "s3:GetBucketVersioning",
    "s3:GetBucketWebsite",
    "s3:GetAccelerateConfiguration",
    "s3:GetEncryptionConfiguration",
    "s3:GetLifecycleConfiguration",
    "s3:GetReplicationConfiguration",
)
ECR_PUSH = (
    "ecr:BatchCheckLayerAvailability",
    "ecr:InitiateLayerUpload",
    "ecr:UploadLayerPart",
    "ecr:CompleteLayerUpload",
    "ecr:PutImage",
    "ecr:BatchGetImage",
    "ecr:GetDownloadUrlForLayer",  # layers of a cache-from image in the same repository
    "ecr:DescribeImages",
)
APIGATEWAY_CRUD = Grant(
    s.APIGATEWAY,
    create=("apigateway:POST",),
    read=("apigateway:GET",),
    update=("apigateway:PATCH", "apigateway:PUT", "apigateway:POST", "apigateway:DELETE"),  # tags: POST/DELETE
    delete=("apigateway:DELETE",),
)


def _ec2(create: tuple[str, ...], update: tuple[str, ...] = (), delete: tuple[str, ...] = ()) -> tuple[Grant, ...]:
    return (
        Grant(s.EC2, create=(*create, "ec2:CreateTags"), read=EC2_READ, update=(*update, *EC2_TAGS), delete=delete),
    )


def _s3_config(put: str, get: str) -> tuple[Grant, ...]:
    # S3 deletes a bucket configuration with the same permission that writes it.
    return (Grant(s.S3_BUCKETS, create=(put,), read=(get,), update=(put,), delete=(put,)),)


RESOURCE_GRANTS: Mapping[str, tuple[Grant, ...]] = {
    # ---- providers and resources with no AWS API ---------------------------------------------
    # The AWS provider asks STS who it is when it starts (pulumi-aws validates credentials).
    "pulumi:providers:aws": (Grant(s.STS, read=("sts:GetCallerIdentity",)),),
    "pulumi:providers:auth0": (),
    "pulumi:providers:random": (),
    "pulumi:providers:docker-build": (),
    "auth0:index/client:Client": (),
    "auth0:index/clientCredentials:ClientCredentials": (),
    "auth0:index/resourceServer:ResourceServer": (),
    "auth0:index/resourceServerScopes:ResourceServerScopes": (),
    "random:index/randomPassword:RandomPassword": (),
    "random:index/randomString:RandomString": (),
    "random:index/randomId:RandomId": (),
    # ---- network (PublicPrivateVpc) ------------------------------------------------------------
    "aws:ec2/vpc:Vpc": _ec2(
        ("ec2:CreateVpc", "ec2:ModifyVpcAttribute"), ("ec2:ModifyVpcAttribute",), ("ec2:DeleteVpc",)
    ),
    "aws:ec2/subnet:Subnet": _ec2(
        ("ec2:CreateSubnet", "ec2:ModifySubnetAttribute"), ("ec2:ModifySubnetAttribute",), ("ec2:DeleteSubnet",)
    ),
    "aws:ec2/internetGateway:InternetGateway": _ec2(
        ("ec2:CreateInternetGateway",), delete=("ec2:DeleteInternetGateway", "ec2:DetachInternetGateway")
    ),
    "aws:ec2/internetGatewayAttachment:InternetGatewayAttachment": (
        Grant(s.EC2, create=("ec2:AttachInternetGateway",), read=EC2_READ, delete=("ec2:DetachInternetGateway",)),
    ),
    "aws:ec2/eip:Eip": _ec2(
        ("ec2:AllocateAddress",),
        ("ec2:AssociateAddress", "ec2:DisassociateAddress"),
        ("ec2:ReleaseAddress", "ec2:DisassociateAddress"),
    ),
    "aws:ec2/eipAssociation:EipAssociation": (
        Grant(s.EC2, create=("ec2:AssociateAddress",), read=EC2_READ, delete=("ec2:DisassociateAddress",)),
    ),
    "aws:ec2/natGateway:NatGateway": _ec2(("ec2:CreateNatGateway",), delete=("ec2:DeleteNatGateway",)),
    "aws:ec2/routeTable:RouteTable": _ec2(("ec2:CreateRouteTable",), delete=("ec2:DeleteRouteTable",)),
    "aws:ec2/route:Route": (
        Grant(
            s.EC2,
            create=("ec2:CreateRoute",),
            read=EC2_READ,
            update=("ec2:ReplaceRoute",),
            delete=("ec2:DeleteRoute",),
        ),
    ),
    "aws:ec2/routeTableAssociation:RouteTableAssociation": (
        Grant(
            s.EC2,
            create=("ec2:AssociateRouteTable",),
            read=EC2_READ,
            update=("ec2:ReplaceRouteTableAssociation",),
            delete=("ec2:DisassociateRouteTable",),
        ),
    ),
    "aws:ec2/vpcEndpoint:VpcEndpoint": _ec2(
        ("ec2:CreateVpcEndpoint",), ("ec2:ModifyVpcEndpoint",), ("ec2:DeleteVpcEndpoints",)
    ),
    # The default security group is adopted, not created: its rules are revoked, never deleted.
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": _ec2(
        ("ec2:RevokeSecurityGroupIngress", "ec2:RevokeSecurityGroupEgress"),
        (
            "ec2:AuthorizeSecurityGroupIngress",
            "ec2:AuthorizeSecurityGroupEgress",
            "ec2:RevokeSecurityGroupIngress",
            "ec2:RevokeSecurityGroupEgress",
        ),
    ),
    # A new group starts with an allow-all egress rule, which the provider revokes.
    "aws:ec2/securityGroup:SecurityGroup": _ec2(
        ("ec2:CreateSecurityGroup", "ec2:RevokeSecurityGroupEgress"),
        (
            "ec2:AuthorizeSecurityGroupIngress",
            "ec2:AuthorizeSecurityGroupEgress",
            "ec2:RevokeSecurityGroupIngress",
            "ec2:RevokeSecurityGroupEgress",
            "ec2:UpdateSecurityGroupRuleDescriptionsIngress",
            "ec2:UpdateSecurityGroupRuleDescriptionsEgress",
        ),
        ("ec2:DeleteSecurityGroup",),
    ),
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": _ec2(
        ("ec2:AuthorizeSecurityGroupIngress",), ("ec2:ModifySecurityGroupRules",), ("ec2:RevokeSecurityGroupIngress",)
    ),
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": _ec2(
        ("ec2:AuthorizeSecurityGroupEgress",), ("ec2:ModifySecurityGroupRules",), ("ec2:RevokeSecurityGroupEgress",)
    ),
    "aws:ec2/flowLog:FlowLog": (
        *_ec2(("ec2:CreateFlowLogs",), delete=("ec2:DeleteFlowLogs",)),
        Grant(s.PASS_ROLE_TO_FLOW_LOGS, create=("iam:PassRole",)),
    ),
    # ---- NAT instance (natStrategy instance) -----------------------------------------------------
    "aws:ec2/instance:Instance": (
        *_ec2(
            ("ec2:RunInstances", "ec2:ModifyInstanceAttribute"),  # source/destination check off
            (
                "ec2:ModifyInstanceAttribute",
                "ec2:ModifyInstanceMetadataOptions",
                "ec2:ModifyInstanceCreditSpecification",
                "ec2:StopInstances",  # a new instance type needs a stop and a start
                "ec2:StartInstances",
                "ec2:AssociateIamInstanceProfile",
                "ec2:ReplaceIamInstanceProfileAssociation",
                "ec2:DisassociateIamInstanceProfile",
            ),
            ("ec2:TerminateInstances",),
        ),
        Grant(s.PASS_ROLE_TO_EC2, create=("iam:PassRole",), update=("iam:PassRole",)),
    ),
    "aws:ec2/networkInterface:NetworkInterface": _ec2(
        ("ec2:CreateNetworkInterface", "ec2:ModifyNetworkInterfaceAttribute"),
        (
            "ec2:ModifyNetworkInterfaceAttribute",
            "ec2:AssignPrivateIpAddresses",
            "ec2:UnassignPrivateIpAddresses",
            "ec2:AttachNetworkInterface",
            "ec2:DetachNetworkInterface",
        ),
        ("ec2:DeleteNetworkInterface", "ec2:DetachNetworkInterface"),
    ),
    "aws:ec2/networkInterfaceAttachment:NetworkInterfaceAttachment": (
        Grant(s.EC2, create=("ec2:AttachNetworkInterface",), read=EC2_READ, delete=("ec2:DetachNetworkInterface",)),
    ),
    "aws:iam/instanceProfile:InstanceProfile": (
        Grant(
            s.IAM_INSTANCE_PROFILES,
            create=("iam:CreateInstanceProfile", "iam:AddRoleToInstanceProfile", "iam:TagInstanceProfile"),
            read=("iam:GetInstanceProfile", "iam:ListInstanceProfileTags"),
            update=(
                "iam:AddRoleToInstanceProfile",
                "iam:RemoveRoleFromInstanceProfile",
                "iam:TagInstanceProfile",
                "iam:UntagInstanceProfile",
            ),
            delete=("iam:RemoveRoleFromInstanceProfile", "iam:DeleteInstanceProfile"),
        ),
        Grant(s.PASS_ROLE_TO_EC2, create=("iam:PassRole",), update=("iam:PassRole",)),
    ),
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": (
        Grant(s.IAM_ATTACH_MANAGED, create=("iam:AttachRolePolicy",), delete=("iam:DetachRolePolicy",)),
        Grant(s.IAM_ROLES, read=("iam:ListAttachedRolePolicies",)),
    ),
    "aws:cloudwatch/metricAlarm:MetricAlarm": (
        Grant(
            s.CLOUDWATCH_ALARMS,
            create=("cloudwatch:PutMetricAlarm", "cloudwatch:TagResource"),
            read=("cloudwatch:DescribeAlarms", "cloudwatch:ListTagsForResource"),
            update=("cloudwatch:PutMetricAlarm", *CLOUDWATCH_TAGS),
            delete=("cloudwatch:DeleteAlarms",),
        ),
        # An alarm that recovers or reboots an EC2 instance creates CloudWatch's service-linked role.
        Grant(s.SERVICE_LINKED_ROLES, create=("iam:CreateServiceLinkedRole",)),
    ),
    # ---- load balancers (ApplicationLoadBalancer) ---------------------------------------------
    "aws:lb/loadBalancer:LoadBalancer": (
        Grant(
            s.LOAD_BALANCERS,
            # Attributes (deletion protection, header handling, access logs) are set right after create.
            create=(
                "elasticloadbalancing:CreateLoadBalancer",
                "elasticloadbalancing:AddTags",
                "elasticloadbalancing:ModifyLoadBalancerAttributes",
            ),
            update=(
                "elasticloadbalancing:ModifyLoadBalancerAttributes",
                "elasticloadbalancing:SetSecurityGroups",
                "elasticloadbalancing:SetSubnets",
                "elasticloadbalancing:SetIpAddressType",
                *ELB_TAGS,
            ),
            delete=("elasticloadbalancing:DeleteLoadBalancer",),
        ),
        Grant(s.ELB_ANY, read=ELB_READ),
        Grant(s.SERVICE_LINKED_ROLES, create=("iam:CreateServiceLinkedRole",)),
    ),
    "aws:lb/targetGroup:TargetGroup": (
        Grant(
            s.LOAD_BALANCERS,
            create=(
                "elasticloadbalancing:CreateTargetGroup",
                "elasticloadbalancing:ModifyTargetGroupAttributes",
                "elasticloadbalancing:AddTags",
            ),
            update=(
                "elasticloadbalancing:ModifyTargetGroup",
                "elasticloadbalancing:ModifyTargetGroupAttributes",
                *ELB_TAGS,
            ),
            delete=("elasticloadbalancing:DeleteTargetGroup",),
        ),
        Grant(s.ELB_ANY, read=ELB_READ),
    ),
    "aws:lb/listener:Listener": (
        Grant(
            s.LOAD_BALANCERS,
            create=("elasticloadbalancing:CreateListener", "elasticloadbalancing:AddTags"),
            update=(
                "elasticloadbalancing:ModifyListener",
                "elasticloadbalancing:ModifyListenerAttributes",
                "elasticloadbalancing:AddListenerCertificates",
                "elasticloadbalancing:RemoveListenerCertificates",
                *ELB_TAGS,
            ),
            delete=("elasticloadbalancing:DeleteListener",),
        ),
        Grant(s.ELB_ANY, read=ELB_READ),
    ),
    "aws:lb/listenerRule:ListenerRule": (
        Grant(
            s.LOAD_BALANCERS,
            create=("elasticloadbalancing:CreateRule", "elasticloadbalancing:AddTags"),
            update=("elasticloadbalancing:ModifyRule", "elasticloadbalancing:SetRulePriorities", *ELB_TAGS),
            delete=("elasticloadbalancing:DeleteRule",),
        ),
        Grant(s.ELB_ANY, read=ELB_READ),
    ),
    "aws:lb/listenerCertificate:ListenerCertificate": (
        Grant(
            s.LOAD_BALANCERS,
            create=("elasticloadbalancing:AddListenerCertificates",),
            delete=("elasticloadbalancing:RemoveListenerCertificates",),
        ),
        Grant(s.ELB_ANY, read=ELB_READ),
    ),
    "aws:acm/certificate:Certificate": (
        Grant(s.ACM_ANY, create=("acm:RequestCertificate", "acm:ImportCertificate")),
        Grant(
            s.ACM_CERTIFICATES,
            create=("acm:AddTagsToCertificate",),
            read=("acm:DescribeCertificate", "acm:GetCertificate", "acm:ListTagsForCertificate"),
            update=("acm:ImportCertificate", "acm:UpdateCertificateOptions", *ACM_TAGS),
            delete=("acm:DeleteCertificate",),
        ),
    ),
    "aws:acm/certificateValidation:CertificateValidation": (
        Grant(s.ACM_CERTIFICATES, create=("acm:DescribeCertificate",), read=("acm:DescribeCertificate",)),
    ),
    "aws:route53/record:Record": (
        Grant(
            s.ROUTE53_RECORDS,
            create=("route53:ChangeResourceRecordSets",),
            update=("route53:ChangeResourceRecordSets",),
            delete=("route53:ChangeResourceRecordSets",),
        ),
        Grant(s.ROUTE53_ZONE, read=("route53:GetHostedZone", "route53:ListResourceRecordSets")),
        Grant(s.ROUTE53_CHANGES, create=("route53:GetChange",), update=("route53:GetChange",)),
    ),
    # ---- access logs bucket and web ACL --------------------------------------------------------
    "aws:s3/bucket:Bucket": (
        Grant(
            s.S3_BUCKETS,
            create=("s3:CreateBucket", "s3:PutBucketTagging"),
            read=S3_BUCKET_READ,
            update=("s3:PutBucketTagging",),
            # forceDestroy empties the bucket first: the log objects go with it.
            delete=("s3:DeleteBucket", "s3:ListBucketVersions", "s3:DeleteObject", "s3:DeleteObjectVersion"),
        ),
    ),
    "aws:s3/bucketPolicy:BucketPolicy": (
        Grant(
            s.S3_BUCKETS,
            create=("s3:PutBucketPolicy",),
            read=("s3:GetBucketPolicy",),
            update=("s3:PutBucketPolicy",),
            delete=("s3:DeleteBucketPolicy",),
        ),
    ),
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": _s3_config(
        "s3:PutBucketPublicAccessBlock", "s3:GetBucketPublicAccessBlock"
    ),
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": _s3_config(
        "s3:PutBucketOwnershipControls", "s3:GetBucketOwnershipControls"
    ),
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": _s3_config(
        "s3:PutEncryptionConfiguration", "s3:GetEncryptionConfiguration"
    ),
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": _s3_config(
        "s3:PutLifecycleConfiguration", "s3:GetLifecycleConfiguration"
    ),
    "aws:s3/bucketVersioning:BucketVersioning": _s3_config("s3:PutBucketVersioning", "s3:GetBucketVersioning"),
    "aws:wafv2/webAcl:WebAcl": (
        Grant(
            s.WEB_ACLS,
            create=("wafv2:CreateWebACL", "wafv2:TagResource"),
            read=("wafv2:GetWebACL", "wafv2:ListTagsForResource"),
            update=("wafv2:UpdateWebACL", *WAF_TAGS),
            delete=("wafv2:DeleteWebACL", "wafv2:GetWebACL"),
        ),
    ),
    "aws:wafv2/webAclAssociation:WebAclAssociation": (
        Grant(
            s.WEB_ACLS,
            create=("wafv2:AssociateWebACL",),
            read=("wafv2:GetWebACLForResource",),
            delete=("wafv2:DisassociateWebACL",),
        ),
        # WAF asks Elastic Load Balancing to attach the ACL on the caller's behalf.
        Grant(
            s.WEB_ACLS,
            create=("elasticloadbalancing:CreateWebACLAssociation",),
            read=("elasticloadbalancing:GetLoadBalancerWebACL",),
            delete=("elasticloadbalancing:DeleteWebACLAssociation",),
        ),
        Grant(s.ELB_ANY, create=("elasticloadbalancing:SetWebAcl",), delete=("elasticloadbalancing:SetWebAcl",)),
    ),
    # ---- images and logs (ContainerRegistry, ApplicationLogGroup) ------------------------------
    "aws:ecr/repository:Repository": (
        Grant(
            s.ECR_REPOSITORY,
            create=("ecr:CreateRepository", "ecr:TagResource"),
            read=("ecr:DescribeRepositories", "ecr:ListTagsForResource"),
            update=("ecr:PutImageTagMutability", "ecr:PutImageScanningConfiguration", *ECR_TAGS),
            delete=("ecr:DeleteRepository",),
        ),
    ),
    "aws:ecr/lifecyclePolicy:LifecyclePolicy": (
        Grant(
            s.ECR_REPOSITORY,
            create=("ecr:PutLifecyclePolicy",),
            read=("ecr:GetLifecyclePolicy",),
            update=("ecr:PutLifecyclePolicy",),
            delete=("ecr:DeleteLifecyclePolicy",),
        ),
    ),
    # The image build pushes to the stack's repository; docker-build leaves pushed images in place.
    "docker-build:index:Image": (
        Grant(s.ECR_LOGIN, create=("ecr:GetAuthorizationToken",), read=("ecr:GetAuthorizationToken",)),
        Grant(s.ECR_REPOSITORY, create=ECR_PUSH, read=("ecr:DescribeImages", "ecr:BatchGetImage"), update=ECR_PUSH),
    ),
    "docker-build:index:Index": (
        Grant(s.ECR_LOGIN, create=("ecr:GetAuthorizationToken",), read=("ecr:GetAuthorizationToken",)),
        Grant(s.ECR_REPOSITORY, create=ECR_PUSH, read=("ecr:DescribeImages", "ecr:BatchGetImage"), update=ECR_PUSH),
    ),
    "aws:cloudwatch/logGroup:LogGroup": (
        Grant(
            s.LOG_GROUPS,
            create=("logs:CreateLogGroup", "logs:PutRetentionPolicy", "logs:TagResource"),
            read=("logs:ListTagsForResource",),
            update=(
                "logs:PutRetentionPolicy",
                "logs:DeleteRetentionPolicy",
                "logs:PutLogGroupDeletionProtection",
                *LOGS_TAGS,
            ),
            delete=("logs:DeleteLogGroup",),
        ),
        Grant(s.LOGS_ANY, read=("logs:DescribeLogGroups",)),
    ),
    # ---- app configuration and secrets (SecureAppConfig) ---------------------------------------
    "aws:ssm/parameter:Parameter": (
        Grant(
            s.SSM_PARAMETERS,
            create=("ssm:PutParameter", "ssm:AddTagsToResource"),
            read=("ssm:GetParameter", "ssm:GetParameters", "ssm:ListTagsForResource"),
            update=("ssm:PutParameter", *SSM_TAGS),
            delete=("ssm:DeleteParameter",),
        ),
        Grant(s.SSM_ANY, read=("ssm:DescribeParameters",)),
    ),
    "aws:secretsmanager/secret:Secret": (
        Grant(
            s.SECRETS,
            create=("secretsmanager:CreateSecret", "secretsmanager:TagResource"),
            read=("secretsmanager:DescribeSecret", "secretsmanager:GetResourcePolicy"),
            update=("secretsmanager:UpdateSecret", *SECRETS_TAGS),
            delete=("secretsmanager:DeleteSecret",),
        ),
    ),
    "aws:secretsmanager/secretVersion:SecretVersion": (
        Grant(
            s.SECRETS,
            create=("secretsmanager:PutSecretValue",),
            # Reading a version back reads its value: the preview role leaves this out (SECRET_READS).
            read=(
                "secretsmanager:GetSecretValue",
                "secretsmanager:DescribeSecret",
                "secretsmanager:ListSecretVersionIds",
            ),
            update=("secretsmanager:PutSecretValue", "secretsmanager:UpdateSecretVersionStage"),
            delete=("secretsmanager:UpdateSecretVersionStage",),
        ),
    ),
    # ---- IAM roles (FargateService, flow logs) -------------------------------------------------
    "aws:iam/role:Role": (
        Grant(
            s.IAM_ROLES,
            create=("iam:CreateRole", "iam:TagRole"),
            read=("iam:GetRole", "iam:ListRolePolicies", "iam:ListAttachedRolePolicies", "iam:ListRoleTags"),
            update=("iam:UpdateRole", "iam:UpdateRoleDescription", "iam:UpdateAssumeRolePolicy", *IAM_ROLE_TAGS),
            delete=("iam:DeleteRole", "iam:ListInstanceProfilesForRole"),
        ),
    ),
    "aws:iam/rolePolicy:RolePolicy": (
        Grant(
            s.IAM_ROLES,
            create=("iam:PutRolePolicy",),
            read=("iam:GetRolePolicy",),
            update=("iam:PutRolePolicy",),
            delete=("iam:DeleteRolePolicy",),
        ),
    ),
    # ---- the service (FargateService) ----------------------------------------------------------
    "aws:ecs/cluster:Cluster": (
        Grant(
            s.ECS,
            create=("ecs:CreateCluster", "ecs:TagResource"),
            read=("ecs:DescribeClusters", "ecs:ListTagsForResource"),
            update=("ecs:UpdateCluster", "ecs:UpdateClusterSettings", "ecs:PutClusterCapacityProviders", *ECS_TAGS),
            delete=("ecs:DeleteCluster",),
        ),
        Grant(s.SERVICE_LINKED_ROLES, create=("iam:CreateServiceLinkedRole",)),
    ),
    "aws:ecs/taskDefinition:TaskDefinition": (
        Grant(s.ECS, create=("ecs:RegisterTaskDefinition", "ecs:TagResource"), read=("ecs:ListTagsForResource",)),
        # Describe and deregister take no resource ARN: AWS allows only "*".
        Grant(s.ECS_ANY, read=("ecs:DescribeTaskDefinition",), delete=("ecs:DeregisterTaskDefinition",)),
        Grant(s.PASS_ROLE_TO_ECS_TASKS, create=("iam:PassRole",)),
    ),
    "aws:ecs/service:Service": (
        Grant(
            s.ECS,
            create=("ecs:CreateService", "ecs:TagResource"),
            read=("ecs:DescribeServices", "ecs:ListTagsForResource"),
            update=("ecs:UpdateService", *ECS_TAGS),
            delete=("ecs:UpdateService", "ecs:DeleteService"),  # scaled to zero, then deleted
        ),
        Grant(s.SERVICE_LINKED_ROLES, create=("iam:CreateServiceLinkedRole",)),
    ),
    # ---- the HTTP API (AuthenticatedHttpApi) ---------------------------------------------------
    "aws:apigatewayv2/api:Api": (APIGATEWAY_CRUD,),
    "aws:apigatewayv2/authorizer:Authorizer": (APIGATEWAY_CRUD,),
    "aws:apigatewayv2/integration:Integration": (APIGATEWAY_CRUD,),
    "aws:apigatewayv2/route:Route": (APIGATEWAY_CRUD,),
    "aws:apigatewayv2/vpcLink:VpcLink": (
        APIGATEWAY_CRUD,
        Grant(s.SERVICE_LINKED_ROLES, create=("iam:CreateServiceLinkedRole",)),
    ),
    # Access logs to CloudWatch Logs go through log delivery, which the caller sets up
    # (API Gateway developer guide, "Configure logging for HTTP APIs").
    "aws:apigatewayv2/stage:Stage": (
        APIGATEWAY_CRUD,
        Grant(
            s.LOGS_ANY,
            create=(
                "logs:CreateLogDelivery",
                "logs:GetLogDelivery",
                "logs:UpdateLogDelivery",
                "logs:ListLogDeliveries",
                "logs:PutResourcePolicy",
                "logs:DescribeResourcePolicies",
                "logs:DescribeLogGroups",
            ),
            read=("logs:GetLogDelivery", "logs:ListLogDeliveries"),
            update=(
                "logs:CreateLogDelivery",
                "logs:GetLogDelivery",
                "logs:UpdateLogDelivery",
                "logs:DeleteLogDelivery",
                "logs:ListLogDeliveries",
                "logs:PutResourcePolicy",
                "logs:DescribeResourcePolicies",
                "logs:DescribeLogGroups",
            ),
            delete=("logs:DeleteLogDelivery", "logs:GetLogDelivery", "logs:ListLogDeliveries"),
        ),
    ),
}

INVOKE_GRANTS: Mapping[str, tuple[Grant, ...]] = {
    "aws:index/getAvailabilityZones:getAvailabilityZones": (Grant(s.EC2, read=("ec2:DescribeAvailabilityZones",)),),
    # STS answers GetCallerIdentity whatever the policy says; listed so the policy shows every call.
    "aws:index/getCallerIdentity:getCallerIdentity": (Grant(s.STS, read=("sts:GetCallerIdentity",)),),
    "aws:index/getRegion:getRegion": (),  # from the provider's configuration
    "aws:index/getPartition:getPartition": (),
    "aws:iam/getPolicyDocument:getPolicyDocument": (),  # rendered by the provider, no API call
    "aws:elb/getServiceAccount:getServiceAccount": (),  # a table in the provider
    # The NAT instance's AMI: Amazon's public parameter for the latest Amazon Linux.
    "aws:ssm/getParameter:getParameter": (Grant(s.SSM_PUBLIC_PARAMETERS, read=("ssm:GetParameter",)),),
    "aws:ec2/getAmi:getAmi": (Grant(s.EC2, read=("ec2:DescribeImages",)),),
    # The image from the app's CI, resolved to its digest at preview.
    "aws:ecr/getImage:getImage": (Grant(s.ECR_REPOSITORY, read=("ecr:DescribeImages",)),),
    "aws:ecr/getAuthorizationToken:getAuthorizationToken": (Grant(s.ECR_LOGIN, read=("ecr:GetAuthorizationToken",)),),
    "aws:ecr/getRepository:getRepository": (
        Grant(s.ECR_REPOSITORY, read=("ecr:DescribeRepositories", "ecr:ListTagsForResource")),
    ),
}

SECRET_READS = frozenset({"secretsmanager:GetSecretValue", "kms:Decrypt"})
"""Reads that return secret values. The preview role never gets them: a pull request's code runs
with that role, and `pulumi preview` (without --refresh) does not read secret versions."""
