"""PublicPrivateVpc: a VPC with a public and a private subnet in each availability zone."""

# No `from __future__ import annotations`: the SDK's component analyzer (and TypedDict's
# NotRequired handling) read these annotations evaluated, to build the package schema.
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, NotRequired, TypedDict

import pulumi
from pulumi_aws import cloudwatch, ec2, iam, ssm
from pulumi_aws import vpc as aws_vpc
from pulumi_aws._inputs import GetAvailabilityZonesFilterArgsDict
from pulumi_aws.get_availability_zones import get_availability_zones
from pulumi_aws.get_caller_identity import get_caller_identity_output
from pulumi_aws.get_partition import get_partition_output
from pulumi_aws.get_region import get_region_output

from components import nat_instance
from components import validation as check
from components.arg_docs import documented_keys, documented_values
from components.cidr_plan import CidrPlanError, SubnetPlan, plan_subnets
from components.lookups import invoke_options
from components.ordering import after
from components.validation import InvalidArgumentError

COMPONENT = "PublicPrivateVpc"
TYPE_TOKEN = f"papyrus:index:{COMPONENT}"


@documented_values
class NatStrategy(StrEnum):
    """How the private subnets reach the internet: NAT gateways, NAT instances, or not at all.
    See the Cost section of PublicPrivateVpc for the trade-offs."""

    NONE = "none"
    """No NAT and no default route: the private subnets reach only the VPC and, through the
    gateway endpoints, S3 and DynamoDB."""
    SINGLE = "single"
    """One NAT gateway, in the first zone, for every zone: an outage of that zone cuts egress for all."""
    PER_AZ = "per_az"
    """A NAT gateway in every zone: a zone outage cuts only that zone's egress (the default)."""
    INSTANCE = "instance"
    """One NAT instance, in the first zone, for every zone: a small EC2 instance you patch, about a
    fifth of a gateway's price, minutes of outage when it fails."""
    INSTANCE_PER_AZ = "instance_per_az"
    """A NAT instance in every zone."""


@documented_values
class FlowLogTrafficType(StrEnum):
    """Which traffic a VPC flow log records."""

    ALL = "ALL"
    """Accepted and rejected traffic (the default)."""
    ACCEPT = "ACCEPT"
    """Only traffic the security groups and network ACLs accepted."""
    REJECT = "REJECT"
    """Only traffic they rejected."""


@documented_values
class GatewayEndpointService(StrEnum):
    """An AWS service the private subnets can reach through a free gateway endpoint, off the NAT."""

    S3 = "s3"
    """Amazon S3 (which also serves ECR's image layers)."""
    DYNAMODB = "dynamodb"
    """Amazon DynamoDB."""


NAT_STRATEGIES = tuple(strategy.value for strategy in NatStrategy)
# Strategies whose NAT devices are EC2 instances this component runs (components/nat_instance.py).
NAT_INSTANCE_STRATEGIES = (NatStrategy.INSTANCE.value, NatStrategy.INSTANCE_PER_AZ.value)
FLOW_LOG_TRAFFIC_TYPES = tuple(traffic.value for traffic in FlowLogTrafficType)
GATEWAY_ENDPOINT_SERVICES = tuple(service.value for service in GatewayEndpointService)
DEFAULT_AZ_COUNT = 3
DEFAULT_NAT_STRATEGY = NatStrategy.PER_AZ.value
# AWS Config's cw-loggroup-retention-period-check passes at 365 days by default: a year
# of network history for incident investigation.
DEFAULT_FLOW_LOG_RETENTION_DAYS = 365
MIN_AZ_COUNT = 2

_ANYWHERE = "0.0.0.0/0"
# The name prefixes child logical names, Name tags, the log group path and (with
# Pulumi's 8-character suffix) the IAM role name, which AWS caps at 64 characters.
_NAME = r"[A-Za-z0-9][A-Za-z0-9._-]{0,39}"
_ZONE_NAME = r"[a-z]{2}(-[a-z0-9]+)+[a-z]"
_ALLOCATION_ID = r"eipalloc-[0-9a-f]{8,17}"


@documented_keys
class PublicPrivateVpcArgs(TypedDict):
    """Arguments of `PublicPrivateVpc`; only `cidr_block` is required."""

    cidr_block: str
    """The VPC's IPv4 range: a network address with a prefix from /16 to /28, outside the ranges a VPC
    cannot use (0.0.0.0/8, loopback 127.0.0.0/8, link-local 169.254.0.0/16, multicast 224.0.0.0/4,
    reserved 240.0.0.0/4). Required, no default. Example: `"10.10.0.0/16"`."""
    availability_zone_count: NotRequired[int]
    """How many availability zones get a public and a private subnet: at least 2 (a load balancer
    needs two) and at most the zones the region has. The first standard availability zones in name
    order are used (never Local or Wavelength Zones, even when the account opted into them).
    Default: 3, or the number of `availability_zone_names` when those are given. Example: `2`."""
    availability_zone_names: NotRequired[Sequence[str]]
    """Exact zones to use, in order, instead of the first available ones; each must be a standard
    availability zone of the region (any state; not a Local or Wavelength Zone), and if
    `availability_zone_count` is also given the two must agree. Pin them in long-lived stacks: the
    choice is made on every preview, and a zone that stops being "available" would otherwise re-plan
    the network. Default: the region's first `availability_zone_count` available zones.
    Example: `["us-west-2a", "us-west-2b"]`."""
    nat_strategy: NotRequired[NatStrategy]
    """How private subnets reach the internet: "per_az" (a NAT gateway in every zone; a zone outage
    cuts only that zone), "single" (one NAT gateway in the first zone for all), "instance" (one NAT
    instance in the first zone for all: a small EC2 instance you patch, about a fifth of a gateway's
    price, minutes of outage when it fails), "instance_per_az" (a NAT instance in every zone) or
    "none" (no default route: private subnets reach only the VPC and, through the gateway endpoints,
    S3 and DynamoDB). See the Cost section for the trade-offs. Default: "per_az".
    Example: "instance"."""
    nat_eip_allocation_ids: NotRequired[Sequence[pulumi.Input[str]]]
    """Elastic IP allocation ids for the NAT gateways or instances, one per NAT device in zone order
    (0 for "none", 1 for "single" and "instance", one per zone for "per_az" and "instance_per_az"), to
    keep egress addresses that partners allow-list. Default: the component allocates one Elastic IP per
    NAT device. Example: `["eipalloc-0123456789abcdef0"]`."""
    nat_instance_type: NotRequired[str]
    """EC2 instance type of the NAT instances; only with `nat_strategy` "instance" or
    "instance_per_az". An arm64 (Graviton) type, since the image is Amazon Linux 2023 for arm64:
    t4g.nano to t4g.2xlarge, or c6g, c6gn, c7g, c7gn, m6g or m7g from medium to 16xlarge (the "gn"
    types for sustained bandwidth). Default: `"t4g.nano"` (up to 5 Gbps in bursts, 32 Mbps
    sustained). Example: `"t4g.small"`."""
    public_subnet_cidrs: NotRequired[Sequence[str]]
    """Explicit public subnet CIDRs, one per zone in zone order; give `private_subnet_cidrs` too.
    Default: planned by the component (see the class description; for 10.10.0.0/16 and 2 zones:
    10.10.64.0/21, 10.10.72.0/21). Example: `["10.10.64.0/21", "10.10.72.0/21"]`."""
    private_subnet_cidrs: NotRequired[Sequence[str]]
    """Explicit private subnet CIDRs, one per zone in zone order; give `public_subnet_cidrs` too.
    Default: planned by the component (for 10.10.0.0/16 and 2 zones: 10.10.0.0/19, 10.10.32.0/19).
    Example: `["10.10.0.0/19", "10.10.32.0/19"]`."""
    flow_log_retention_days: NotRequired[int]
    """Days CloudWatch Logs keeps the VPC flow logs; one of the values CloudWatch allows.
    Default: `365`. Example: `30`."""
    flow_log_traffic_type: NotRequired[FlowLogTrafficType]
    """Which traffic the flow log records: "ALL", "ACCEPT" or "REJECT". Default: "ALL".
    Example: "REJECT"."""
    protect_flow_logs: NotRequired[bool]
    """Protect the flow-log group from deletion, twice: the Pulumi `protect` resource option, and
    CloudWatch's own deletion protection. Default: `false`. Example: `true` on production."""
    gateway_endpoints: NotRequired[Sequence[GatewayEndpointService]]
    """Services that get a free gateway endpoint on the private route tables, keeping that traffic
    off the NAT gateways: "s3" and/or "dynamodb" (`[]` for none). Default: `["s3", "dynamodb"]`.
    Example: `["s3"]`."""
    tags: NotRequired[Mapping[str, pulumi.Input[str]]]
    """Tags added to every child resource that takes tags. "Name" is reserved: the component names
    each resource after its tier and zone. Default: none. Example: `{"team": "platform"}`."""


@dataclass(frozen=True)
class _Settings:
    """The arguments once checked, with defaults applied."""

    cidr_block: str
    zones: tuple[str, ...]
    plan: SubnetPlan
    nat_strategy: str
    eip_allocation_ids: tuple[pulumi.Input[str], ...] | None
    nat_instance_type: str | None
    flow_log_retention_days: int
    flow_log_traffic_type: str
    protect_flow_logs: bool
    gateway_endpoints: tuple[str, ...]
    tags: dict[str, pulumi.Input[str]]

    @property
    def nat_zones(self) -> tuple[str, ...]:
        """Zones that get a NAT device (gateway or instance), in zone order."""
        return self.zones[: _nat_device_count(self.nat_strategy, len(self.zones))]

    @property
    def nat_instances(self) -> bool:
        """Whether the NAT devices are EC2 instances rather than NAT gateways."""
        return self.nat_strategy in NAT_INSTANCE_STRATEGIES


@dataclass(frozen=True)
class _NatDevice:
    """A NAT gateway or NAT instance: what its zone's private default route targets and what the
    outputs report. Exactly one of the route targets is set."""

    resource: pulumi.CustomResource
    public_ip: pulumi.Output[str]
    nat_gateway_id: pulumi.Output[str] | None = None
    network_interface_id: pulumi.Output[str] | None = None


class PublicPrivateVpc(pulumi.ComponentResource):
    """A VPC with a public and a private subnet in each availability zone, private by default.

    Public subnets hold only load balancers and NAT gateways or instances; workloads go in the private
    subnets. Unless given explicitly, subnet CIDRs are planned from `cidr_block`: private subnets
    larger than public ones, and free space left at the end of the range for later subnets.

    Resources (logical names start with the component's name `<name>`; `<az>` is a zone name):

    * `ec2.Vpc` `<name>-vpc`: DNS support and DNS hostnames on (needed for private DNS of
      interface endpoints and for resolving AWS service names).
    * `ec2.Subnet` `<name>-public-<az>` and `<name>-private-<az>`, one of each per zone, neither of
      which auto-assigns public IPs (Security Hub EC2.15), tagged with `Name` and `tier`. Planned
      public subnets are /27 or larger, so load balancers fit, except in a VPC too small for that,
      where they are /28 and hold NAT gateways only.
    * `ec2.InternetGateway` `<name>-igw` and `ec2.InternetGatewayAttachment` `<name>-igw-attachment`.
    * `ec2.RouteTable` `<name>-public` with `ec2.Route` `<name>-public-default` (0.0.0.0/0 to the
      internet gateway, after it is attached) and an `ec2.RouteTableAssociation` `<name>-public-<az>`
      for every public subnet.
    * Per NAT gateway (the first zone for "single", every zone for "per_az"): `ec2.Eip`
      `<name>-nat-<az>` (unless `nat_eip_allocation_ids` are given) and `ec2.NatGateway`
      `<name>-nat-<az>` in that zone's public subnet, created after the internet gateway is attached.
    * For NAT instances ("instance": the first zone; "instance_per_az": every zone), shared by them:
      `ec2.SecurityGroup` `<name>-nat-instance` (auto-named after it, so the component's name may
      then not be `sg` nor start with `sg-`, which AWS refuses in group names) whose only ingress is
      all traffic from the private subnets' ranges (`vpc.SecurityGroupIngressRule`
      `<name>-nat-instance-from-<az>`, one per private subnet; no port 22 from anywhere else) and
      whose egress is anything to anywhere
      (`vpc.SecurityGroupEgressRule` `<name>-nat-instance-to-internet`), as a NAT's must be;
      `iam.Role` `<name>-nat-instance` that only EC2 can assume, with the managed
      AmazonSSMManagedInstanceCore policy (`iam.RolePolicyAttachment` `<name>-nat-instance-ssm`: SSM
      Session Manager is the way in, there is no SSH key) and `iam.InstanceProfile`
      `<name>-nat-instance`. The image is the current Amazon Linux 2023 arm64 AMI, read from AWS's
      public SSM parameter
      `/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64` through the component's
      AWS provider.
    * Per NAT instance zone: `ec2.NetworkInterface` `<name>-nat-instance-<az>` in the zone's public
      subnet with the security group and the source/destination check off (it forwards other hosts'
      packets); `ec2.Eip` `<name>-nat-instance-<az>` (unless `nat_eip_allocation_ids` are given) and
      `ec2.EipAssociation` `<name>-nat-instance-<az>` putting the address on that interface once the
      internet gateway is attached; `ec2.Instance` `<name>-nat-instance-<az>` launched on that
      interface after the address is there (its boot script installs packages), with IMDSv2 required
      (hop limit 1), no key pair, an encrypted 8 GiB gp3 root volume, standard CPU credits on t4g (no
      surplus charges), simplified automatic recovery, and a boot script that turns on forwarding and
      masquerades the private subnets' traffic, persisted across reboots;
      `cloudwatch.MetricAlarm` `<name>-nat-instance-<az>-recover` (StatusCheckFailed_System for 2
      minutes: EC2 recovers the instance onto healthy hardware, same id, interface and addresses) and
      `<name>-nat-instance-<az>-reboot` (StatusCheckFailed_Instance for 3 minutes: EC2 reboots it).
    * NAT instance lifecycle: the image id is read on every run but ignored once the instance exists
      (the `ignoreChanges` resource option on `ami`), so a new AMI release never replaces a running
      NAT by surprise. To roll the image (and after changing the boot script, which replaces the
      instance), run `pulumi up --replace <the instance's URN>`: the instance is deleted before its
      successor starts (they share the interface), so egress stops for the two or three minutes of a
      boot; the interface, its addresses and the routes stay. Patches in between:
      `sudo dnf upgrade --releasever=latest` over a Session Manager session, or roll the image.
    * Per zone, whatever the strategy: `ec2.RouteTable` `<name>-private-<az>` associated with that
      zone's private subnet (`ec2.RouteTableAssociation` `<name>-private-<az>`) and, unless the
      strategy is "none", `ec2.Route` `<name>-private-<az>-default` (0.0.0.0/0 to the zone's own NAT
      gateway for "per_az", to the single one for "single"; to the network interface of the zone's
      own NAT instance for "instance_per_az", of the single one for "instance"). One table per zone
      even for "single" and "none", so changing the strategy only adds, moves or removes default
      routes.
    * `ec2.VpcEndpoint` `<name>-s3` and `<name>-dynamodb`: gateway endpoints on exactly the private
      route tables, with the default (full-access) endpoint policy, so ECR image layers (served from
      S3) and DynamoDB traffic bypass the NAT gateways.
    * `cloudwatch.LogGroup` `<name>-flow-logs` (named `/vpc/flow-logs/<name>-<suffix>`) with a
      retention, protected (Pulumi and CloudWatch deletion protection) when `protect_flow_logs` is;
      `iam.Role` `<name>-flow-logs` that only the VPC Flow Logs service of this account and region
      can assume (`aws:SourceAccount` and `aws:SourceArn` conditions); `iam.RolePolicy`
      `<name>-flow-logs` allowing `logs:CreateLogStream`, `logs:PutLogEvents` and
      `logs:DescribeLogStreams` on that log group and its streams only; and `ec2.FlowLog`
      `<name>-flow-logs` on the VPC (Security Hub EC2.6).
    * `ec2.DefaultSecurityGroup` `<name>-default`: takes over the VPC's default security group and
      removes all its rules (Security Hub EC2.2), so nothing that falls back to it is reachable.

    Ordering travels with the outputs: `public_subnet_ids` carries the gateway attachment and the
    public routes, `private_subnet_ids` the private routes and the gateway endpoints, so consumers
    wait for them without listing them as dependencies.

    Defaults: 3 zones (the region's first available standard zones); `nat_strategy` "per_az" with a
    new Elastic IP per NAT gateway (per NAT instance, of type t4g.nano, for the instance
    strategies); subnets planned from `cidr_block`; flow logs of ALL traffic kept 365 days, not
    protected; gateway endpoints for S3 and DynamoDB; no extra tags.

    Cost (us-west-2, per month of 730 hours; the VPC, subnets, route tables, internet gateway,
    gateway endpoints and IAM are free):

    * A NAT gateway costs $0.045/hour ($32.85) plus $0.045 per GB it processes; its Elastic IP is a
      public IPv4 address at $0.005/hour ($3.65): $36.50 per gateway before traffic. "single" also
      pays $0.01/GB each way for traffic that crosses zones to reach the gateway, and a zone outage
      there cuts egress for every zone. Traffic to S3 and DynamoDB goes through the free gateway
      endpoints, not the NAT gateways.
    * A NAT instance (t4g.nano) costs $0.0042/hour ($3.07), its 8 GiB gp3 root volume $0.64, its
      Elastic IP $3.65 and its two status-check alarms $0.20: $7.56 per instance, and no charge per
      GB processed (data transfer out to the internet, $0.09/GB after the first 100 GB, is the same
      for both). Larger types cost more per hour (t4g.small, $0.0168: $16.75 per instance).
    * Flow logs: CloudWatch Logs vended-log ingestion at $0.50 per GB plus $0.03 per GB-month stored;
      volume follows the VPC's traffic (connections, not bytes) and `flow_log_traffic_type`, storage
      follows `flow_log_retention_days`.

    Monthly NAT cost per `nat_strategy`, before traffic:

    | NAT strategy    | 2 zones | 3 zones |
    |-----------------|---------|---------|
    | none            | $0      | $0      |
    | single          | $36.50  | $36.50  |
    | per_az          | $73.00  | $109.50 |
    | instance        | $7.56   | $7.56   |
    | instance_per_az | $15.11  | $22.67  |

    What the saving costs, side by side (the comparison the source article draws):

    | Concern      | NAT gateway                 | NAT instance                                                   |
    |--------------|-----------------------------|----------------------------------------------------------------|
    | Price        | $36.50/month + $0.045/GB    | $7.56/month (t4g.nano), nothing per GB                         |
    | Availability | redundant in its zone       | one instance: minutes to recover a host; zone outages need you |
    | Bandwidth    | 5 Gbps, scaling to 100 Gbps | t4g.nano bursts to 5 Gbps, sustains 32 Mbps; c7gn for more     |
    | Maintenance  | none                        | yours: OS patches, image rolls with minutes of outage          |
    | Security     | network ACLs                | a group admitting only the private subnets, plus network ACLs  |
    | Port forward | not supported               | possible (not configured here)                                 |

    Choose an instance where egress is light and a few minutes without it are acceptable (dev,
    pre-production); keep gateways where egress is heavy or an outage costs more than $29/month.
    """

    vpc_id: pulumi.Output[str]
    """The VPC's id."""
    cidr_block: pulumi.Output[str]
    """The VPC's IPv4 range."""
    availability_zones: pulumi.Output[list[str]]
    """The zones used, in order; the subnet, route table and NAT lists follow this order."""
    public_subnet_ids: pulumi.Output[list[str]]
    """Public subnet ids in zone order: for internet-facing load balancers. Resolves once the internet
    gateway is attached and the public default route and associations exist, so a resource built on
    it (an internet-facing load balancer) is created after them."""
    private_subnet_ids: pulumi.Output[list[str]]
    """Private subnet ids in zone order: for tasks, internal load balancers and VPC links. Resolves
    once the private route table associations, default routes (to the NAT gateways) and gateway
    endpoints exist, so a service built on it starts only when it can pull images and read secrets."""
    public_subnet_cidrs: pulumi.Output[list[str]]
    """Public subnet IPv4 ranges in zone order, as planned or given."""
    private_subnet_cidrs: pulumi.Output[list[str]]
    """Private subnet IPv4 ranges in zone order: what a database's security group or network ACL
    outside this stack admits the tasks and VPC links from."""
    public_route_table_id: pulumi.Output[str]
    """The public route table's id (0.0.0.0/0 to the internet gateway)."""
    private_route_table_ids: pulumi.Output[list[str]]
    """Private route table ids in zone order, one per zone whatever the NAT strategy."""
    nat_gateway_ids: pulumi.Output[list[str]]
    """NAT gateway ids in zone order: one for "single", one per zone for "per_az", none otherwise."""
    nat_instance_ids: pulumi.Output[list[str]]
    """NAT instance ids in zone order: one for "instance", one per zone for "instance_per_az", none
    otherwise. Open a shell on one with `aws ssm start-session --target <id>`."""
    nat_public_ips: pulumi.Output[list[str]]
    """Public IPv4 addresses the private subnets' internet traffic comes from, in zone order of the
    NAT gateways or instances."""
    default_security_group_id: pulumi.Output[str]
    """The VPC's default security group, emptied of rules."""
    flow_log_group_name: pulumi.Output[str]
    """The CloudWatch log group that receives the VPC flow logs."""
    flow_log_group_arn: pulumi.Output[str]
    """ARN of that log group, for a subscription filter or a reader's IAM policy."""

    def __init__(self, name: str, args: PublicPrivateVpcArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        settings = _settings(name, args, opts)
        super().__init__(TYPE_TOKEN, name, None, opts)
        self._prefix = name
        self._settings = settings

        vpc = ec2.Vpc(
            f"{name}-vpc",
            cidr_block=settings.cidr_block,
            enable_dns_support=True,
            enable_dns_hostnames=True,
            tags=self._tags(name),
            opts=self._child(),
        )
        public_subnets = self._subnets(vpc, "public", settings.plan.public)
        private_subnets = self._subnets(vpc, "private", settings.plan.private)
        attachment, public_table, public_routing = self._public_routing(vpc, public_subnets)
        # Asked of the component's own AWS provider, so a provider for another region is honoured.
        region = get_region_output(opts=pulumi.InvokeOptions(parent=self)).region
        if settings.nat_instances:
            nat_devices = self._nat_instances(vpc, public_subnets, attachment, region)
        else:
            nat_devices = self._nat_gateways(public_subnets, attachment)
        private_tables, private_routing = self._private_routing(vpc, private_subnets, nat_devices)
        endpoints = self._gateway_endpoints(vpc, private_tables, region)
        log_group = self._flow_logs(vpc, region)
        default_group = ec2.DefaultSecurityGroup(
            f"{name}-default",
            vpc_id=vpc.id,
            # Empty lists, not omitted ones: the provider then revokes every rule the group has.
            ingress=[],
            egress=[],
            tags=self._tags(f"{name}-default"),
            opts=self._child(),
        )

        self.vpc_id = vpc.id
        self.cidr_block = vpc.cidr_block
        self.availability_zones = pulumi.Output.from_input(list(settings.zones))
        # The subnet ids consumers get resolve only once the subnets can be used: public ones after
        # the gateway is attached and routed (ELB refuses an internet-facing load balancer in a VPC
        # without an attached gateway), private ones after their default routes and the gateway
        # endpoints (tasks pull images and read secrets through them). Whatever is built on these
        # outputs waits for that, without its author having to know.
        self.public_subnet_ids = after(_ids(public_subnets), *(r.id for r in [attachment, *public_routing]))
        self.private_subnet_ids = after(_ids(private_subnets), *(r.id for r in [*private_routing, *endpoints]))
        self.public_subnet_cidrs = pulumi.Output.all(*(s.cidr_block for s in public_subnets))
        self.private_subnet_cidrs = pulumi.Output.all(*(s.cidr_block for s in private_subnets))
        self.public_route_table_id = public_table.id
        self.private_route_table_ids = pulumi.Output.all(*(t.id for t in private_tables))
        self.nat_gateway_ids = pulumi.Output.all(
            *(n.resource.id for n in nat_devices.values() if isinstance(n.resource, ec2.NatGateway))
        )
        self.nat_instance_ids = pulumi.Output.all(
            *(n.resource.id for n in nat_devices.values() if isinstance(n.resource, ec2.Instance))
        )
        self.nat_public_ips = pulumi.Output.all(*(n.public_ip for n in nat_devices.values()))
        self.default_security_group_id = default_group.id
        self.flow_log_group_name = log_group.name
        self.flow_log_group_arn = log_group.arn
        self.register_outputs(
            {
                "vpc_id": self.vpc_id,
                "cidr_block": self.cidr_block,
                "availability_zones": self.availability_zones,
                "public_subnet_ids": self.public_subnet_ids,
                "private_subnet_ids": self.private_subnet_ids,
                "public_subnet_cidrs": self.public_subnet_cidrs,
                "private_subnet_cidrs": self.private_subnet_cidrs,
                "public_route_table_id": self.public_route_table_id,
                "private_route_table_ids": self.private_route_table_ids,
                "nat_gateway_ids": self.nat_gateway_ids,
                "nat_instance_ids": self.nat_instance_ids,
                "nat_public_ips": self.nat_public_ips,
                "default_security_group_id": self.default_security_group_id,
                "flow_log_group_name": self.flow_log_group_name,
                "flow_log_group_arn": self.flow_log_group_arn,
            }
        )

    # ---- children ---------------------------------------------------------------------

    def _child(self, *, depends_on: Sequence[pulumi.Resource] = ()) -> pulumi.ResourceOptions:
        return pulumi.ResourceOptions(parent=self, depends_on=list(depends_on))

    def _tags(self, label: str, **extra: str) -> dict[str, pulumi.Input[str]]:
        return {**self._settings.tags, **extra, "Name": label}

    def _subnets(self, vpc: ec2.Vpc, tier: str, cidrs: Sequence[str]) -> list[ec2.Subnet]:
        return [
            ec2.Subnet(
                f"{self._prefix}-{tier}-{zone}",
                vpc_id=vpc.id,
                cidr_block=cidr,
                availability_zone=zone,
                # Public subnets too: only load balancers and NAT gateways or instances live there,
                # and none needs the subnet to hand out addresses (ALBs get theirs, NATs Elastic IPs).
                map_public_ip_on_launch=False,
                tags=self._tags(f"{self._prefix}-{tier}-{zone}", tier=tier),
                opts=self._child(),
            )
            for zone, cidr in zip(self._settings.zones, cidrs, strict=True)
        ]

    def _public_routing(
        self, vpc: ec2.Vpc, subnets: list[ec2.Subnet]
    ) -> tuple[ec2.InternetGatewayAttachment, ec2.RouteTable, list[pulumi.CustomResource]]:
        """The gateway attachment, the public table and what routes the subnets (route, associations)."""
        name = self._prefix
        gateway = ec2.InternetGateway(f"{name}-igw", tags=self._tags(f"{name}-igw"), opts=self._child())
        attachment = ec2.InternetGatewayAttachment(
            f"{name}-igw-attachment", internet_gateway_id=gateway.id, vpc_id=vpc.id, opts=self._child()
        )
        table = ec2.RouteTable(
            f"{name}-public", vpc_id=vpc.id, tags=self._tags(f"{name}-public", tier="public"), opts=self._child()
        )
        route = ec2.Route(
            f"{name}-public-default",
            route_table_id=table.id,
            destination_cidr_block=_ANYWHERE,
            gateway_id=gateway.id,
            # A route to a detached gateway is refused; on destroy, the route goes first.
            opts=self._child(depends_on=[attachment]),
        )
        routing: list[pulumi.CustomResource] = [route]
        for zone, subnet in zip(self._settings.zones, subnets, strict=True):
            routing.append(
                ec2.RouteTableAssociation(
                    f"{name}-public-{zone}", subnet_id=subnet.id, route_table_id=table.id, opts=self._child()
                )
            )
        return attachment, table, routing

    def _nat_gateways(
        self, public_subnets: list[ec2.Subnet], attachment: ec2.InternetGatewayAttachment
    ) -> dict[str, _NatDevice]:
        """NAT gateways by zone, in zone order."""
        settings, name = self._settings, self._prefix
        subnet_by_zone = dict(zip(settings.zones, public_subnets, strict=True))
        gateways: dict[str, _NatDevice] = {}
        for index, zone in enumerate(settings.nat_zones):
            allocation_id: pulumi.Input[str]
            if settings.eip_allocation_ids is not None:
                allocation_id = settings.eip_allocation_ids[index]
            else:
                allocation_id = ec2.Eip(
                    f"{name}-nat-{zone}", domain="vpc", tags=self._tags(f"{name}-nat-{zone}"), opts=self._child()
                ).allocation_id
            gateway = ec2.NatGateway(
                f"{name}-nat-{zone}",
                allocation_id=allocation_id,
                subnet_id=subnet_by_zone[zone].id,
                connectivity_type="public",
                tags=self._tags(f"{name}-nat-{zone}"),
                # A public NAT gateway fails to create in a VPC without an attached internet gateway.
                opts=self._child(depends_on=[attachment]),
            )
            gateways[zone] = _NatDevice(resource=gateway, public_ip=gateway.public_ip, nat_gateway_id=gateway.id)
        return gateways

    def _nat_instances(
        self,
        vpc: ec2.Vpc,
        public_subnets: list[ec2.Subnet],
        attachment: ec2.InternetGatewayAttachment,
        region: pulumi.Output[str],
    ) -> dict[str, _NatDevice]:
        """NAT instances by zone, in zone order (the class docstring lists what each one is made of)."""
        settings, name = self._settings, self._prefix
        label = f"{name}-nat-instance"
        instance_type = settings.nat_instance_type or nat_instance.DEFAULT_INSTANCE_TYPE
        invoke = pulumi.InvokeOptions(parent=self)
        partition = get_partition_output(opts=invoke).partition
        # The current image, read on every run; running instances ignore it (ignore_changes below).
        # insecure_value: an AMI id is public, and `value` would make every plan show it as secret.
        image_id = ssm.get_parameter_output(name=nat_instance.AMI_PARAMETER, opts=invoke).insecure_value

        group = ec2.SecurityGroup(
            label,
            vpc_id=vpc.id,
            description=f"NAT instances of {name}: everything from the private subnets, out to anywhere",
            tags=self._tags(label),
            opts=self._child(),
        )
        # Whole private subnets, every protocol: whatever a task sends to the internet comes through.
        for zone, cidr in zip(settings.zones, settings.plan.private, strict=True):
            aws_vpc.SecurityGroupIngressRule(
                f"{label}-from-{zone}",
                security_group_id=group.id,
                cidr_ipv4=cidr,
                ip_protocol="-1",
                description=f"Traffic to translate, from the private subnet in {zone}",
                tags=self._tags(f"{label}-from-{zone}"),
                opts=self._child(),
            )
        aws_vpc.SecurityGroupEgressRule(
            f"{label}-to-internet",
            security_group_id=group.id,
            cidr_ipv4=_ANYWHERE,
            ip_protocol="-1",
            # EC2 takes only letters, digits, spaces and ._-:/()#,@[]+=&;{}!$* in a description: no quotes.
            description="Translated traffic, and the instance itself (Session Manager, packages), to anywhere",
            tags=self._tags(f"{label}-to-internet"),
            opts=self._child(),
        )
        role = iam.Role(
            label,
            description=f"Lets the NAT instances of {name} register with Systems Manager (Session Manager)",
            assume_role_policy=pulumi.Output.json_dumps(_ec2_trust_policy()),
            tags=self._tags(label),
            opts=self._child(),
        )
        attachment_ssm = iam.RolePolicyAttachment(
            f"{label}-ssm",
            role=role.name,
            policy_arn=pulumi.Output.concat("arn:", partition, ":iam::aws:policy/AmazonSSMManagedInstanceCore"),
            opts=self._child(),
        )
        profile = iam.InstanceProfile(label, role=role.name, tags=self._tags(label), opts=self._child())
        boot_script = nat_instance.user_data(settings.plan.private)
        burstable = nat_instance.is_burstable(instance_type)

        subnet_by_zone = dict(zip(settings.zones, public_subnets, strict=True))
        devices: dict[str, _NatDevice] = {}
        for index, zone in enumerate(settings.nat_zones):
            zone_label = f"{label}-{zone}"
            # The interface outlives instances: a replaced instance gets the same private address,
            # Elastic IP and routes.
            interface = ec2.NetworkInterface(
                zone_label,
                subnet_id=subnet_by_zone[zone].id,
                security_groups=[group.id],
                # A NAT forwards packets neither from nor to itself.
                source_dest_check=False,
                description=f"NAT instance of {name} in {zone}",
                tags=self._tags(zone_label),
                opts=self._child(),
            )
            allocation_id: pulumi.Input[str]
            if settings.eip_allocation_ids is not None:
                allocation_id = settings.eip_allocation_ids[index]
            else:
                allocation_id = ec2.Eip(
                    zone_label, domain="vpc", tags=self._tags(zone_label), opts=self._child()
                ).allocation_id
            association = ec2.EipAssociation(
                zone_label,
                allocation_id=allocation_id,
                network_interface_id=interface.id,
                # An address cannot be associated in a VPC without an attached internet gateway.
                opts=self._child(depends_on=[attachment]),
            )
            instance = ec2.Instance(
                zone_label,
                ami=image_id,
                instance_type=instance_type,
                iam_instance_profile=profile.name,
                primary_network_interface={"network_interface_id": interface.id, "delete_on_termination": False},
                user_data=boot_script,
                # The script runs on first boot only: a changed script needs a new instance to take effect.
                user_data_replace_on_change=True,
                metadata_options={
                    "http_endpoint": "enabled",
                    "http_tokens": "required",
                    "http_put_response_hop_limit": 1,
                },
                root_block_device={
                    "volume_type": nat_instance.ROOT_VOLUME_TYPE,
                    "volume_size": nat_instance.ROOT_VOLUME_GIB,
                    "encrypted": True,
                    "delete_on_termination": True,
                    "tags": self._tags(zone_label),
                },
                maintenance_options={"auto_recovery": "default"},
                # Standard credits: a busy month costs the same, the CPU slows to its baseline instead.
                credit_specification={"cpu_credits": "standard"} if burstable else None,
                tags=self._tags(zone_label),
                opts=pulumi.ResourceOptions(
                    parent=self,
                    # The boot script installs packages: the Elastic IP must be there at first boot,
                    # and SSM registration needs the instance profile's policy.
                    depends_on=[association, attachment_ssm],
                    # A newer AMI must not replace a running NAT by surprise; roll it with --replace.
                    ignore_changes=["ami"],
                    # The successor needs the interface the instance holds.
                    delete_before_replace=True,
                ),
            )
            self._recovery_alarms(zone_label, instance, partition, region)
            devices[zone] = _NatDevice(
                resource=instance,
                public_ip=association.public_ip,
                network_interface_id=instance.primary_network_interface_id,
            )
        return devices

    def _recovery_alarms(
        self, label: str, instance: ec2.Instance, partition: pulumi.Output[str], region: pulumi.Output[str]
    ) -> None:
        """Recover the instance when its host fails; reboot it when its OS stops answering."""
        checks = (
            ("recover", "StatusCheckFailed_System", nat_instance.SYSTEM_CHECK_FAILED_MINUTES, "its host failed"),
            ("reboot", "StatusCheckFailed_Instance", nat_instance.INSTANCE_CHECK_FAILED_MINUTES, "it stops answering"),
        )
        for suffix, metric, minutes, what in checks:
            cloudwatch.MetricAlarm(
                f"{label}-{suffix}",
                alarm_description=f"{suffix.capitalize()}s the NAT instance {label} when {what}",
                namespace="AWS/EC2",
                metric_name=metric,
                dimensions={"InstanceId": instance.id},
                statistic="Maximum",
                period=nat_instance.STATUS_CHECK_PERIOD_SECONDS,
                evaluation_periods=minutes,
                threshold=1,
                comparison_operator="GreaterThanOrEqualToThreshold",
                alarm_actions=[_alarm_action(partition, region, suffix)],
                tags=self._tags(f"{label}-{suffix}"),
                opts=self._child(),
            )

    def _private_routing(
        self, vpc: ec2.Vpc, subnets: list[ec2.Subnet], nat_devices: dict[str, _NatDevice]
    ) -> tuple[list[ec2.RouteTable], list[pulumi.CustomResource]]:
        """The private tables in zone order, and what routes the subnets (associations, default routes)."""
        settings, name = self._settings, self._prefix
        tables = []
        routing: list[pulumi.CustomResource] = []
        for zone, subnet in zip(settings.zones, subnets, strict=True):
            table = ec2.RouteTable(
                f"{name}-private-{zone}",
                vpc_id=vpc.id,
                tags=self._tags(f"{name}-private-{zone}", tier="private"),
                opts=self._child(),
            )
            routing.append(
                ec2.RouteTableAssociation(
                    f"{name}-private-{zone}", subnet_id=subnet.id, route_table_id=table.id, opts=self._child()
                )
            )
            # per_az: the zone's own NAT, so a zone outage stays in that zone; single: the only one.
            nat = nat_devices.get(zone) or next(iter(nat_devices.values()), None)
            if nat is not None:
                routing.append(
                    ec2.Route(
                        f"{name}-private-{zone}-default",
                        route_table_id=table.id,
                        destination_cidr_block=_ANYWHERE,
                        nat_gateway_id=nat.nat_gateway_id,
                        network_interface_id=nat.network_interface_id,
                        opts=self._child(),
                    )
                )
            tables.append(table)
        return tables, routing

    def _gateway_endpoints(
        self, vpc: ec2.Vpc, private_tables: list[ec2.RouteTable], region: pulumi.Output[str]
    ) -> list[ec2.VpcEndpoint]:
        return [
            ec2.VpcEndpoint(
                f"{self._prefix}-{service}",
                vpc_id=vpc.id,
                service_name=pulumi.Output.concat("com.amazonaws.", region, ".", service),
                vpc_endpoint_type="Gateway",
                # Private tables only: public subnets hold no workloads that call S3 or DynamoDB.
                route_table_ids=[t.id for t in private_tables],
                tags=self._tags(f"{self._prefix}-{service}"),
                opts=self._child(),
            )
            for service in self._settings.gateway_endpoints
        ]

    def _flow_logs(self, vpc: ec2.Vpc, region: pulumi.Output[str]) -> cloudwatch.LogGroup:
        settings, name = self._settings, self._prefix
        label = f"{name}-flow-logs"
        log_group = cloudwatch.LogGroup(
            label,
            name_prefix=f"/vpc/flow-logs/{name}-",
            retention_in_days=settings.flow_log_retention_days,
            deletion_protection_enabled=settings.protect_flow_logs,
            tags=self._tags(label),
            opts=pulumi.ResourceOptions(parent=self, protect=settings.protect_flow_logs),
        )
        role = iam.Role(
            label,
            description=f"Lets VPC Flow Logs write the flow logs of {name} to its log group",
            assume_role_policy=pulumi.Output.json_dumps(_flow_logs_trust_policy(self, region)),
            tags=self._tags(label),
            opts=self._child(),
        )
        policy = iam.RolePolicy(
            label,
            role=role.id,
            policy=pulumi.Output.json_dumps(_flow_logs_permissions(log_group.arn)),
            opts=self._child(),
        )
        ec2.FlowLog(
            label,
            vpc_id=vpc.id,
            traffic_type=settings.flow_log_traffic_type,
            log_destination_type="cloud-watch-logs",
            log_destination=log_group.arn,
            iam_role_arn=role.arn,
            tags=self._tags(label),
            # The service checks the role's permissions when the flow log is created.
            opts=self._child(depends_on=[policy]),
        )
        return log_group


def _ids(subnets: Sequence[ec2.Subnet]) -> pulumi.Output[list[str]]:
    return pulumi.Output.all(*(s.id for s in subnets))


def _flow_logs_trust_policy(parent: pulumi.Resource, region: pulumi.Output[str]) -> dict[str, Any]:
    """Only the VPC Flow Logs service, acting for a flow log of this account and region, may assume the role."""
    invoke = pulumi.InvokeOptions(parent=parent)
    account = get_caller_identity_output(opts=invoke).account_id
    partition = get_partition_output(opts=invoke).partition
    # The flow log's id is unknown until it exists, and it needs the role first: hence the wildcard.
    flow_logs = pulumi.Output.concat("arn:", partition, ":ec2:", region, ":", account, ":vpc-flow-log/*")
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "vpc-flow-logs.amazonaws.com"},
                "Action": "sts:AssumeRole",
                "Condition": {
                    "StringEquals": {"aws:SourceAccount": account},
                    "ArnLike": {"aws:SourceArn": flow_logs},
                },
            }
        ],
    }


def _alarm_action(partition: pulumi.Output[str], region: pulumi.Output[str], action: str) -> pulumi.Output[str]:
    return pulumi.Output.all(partition, region).apply(
        lambda values: nat_instance.alarm_action_arn(values[0], values[1], action)
    )


def _ec2_trust_policy() -> dict[str, Any]:
    """Only EC2, for an instance given the instance profile, may assume the NAT instances' role."""
    return {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}],
    }


def _flow_logs_permissions(log_group_arn: pulumi.Output[str]) -> dict[str, Any]:
    """Write access to one log group. No logs:CreateLogGroup or logs:DescribeLogGroups: the group
    exists before the flow log does, so the service never needs to find or create one."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
                "Resource": [log_group_arn, pulumi.Output.concat(log_group_arn, ":log-stream:*")],
            }
        ],
    }


# ---- argument checks (all before the component registers) ---------------------------------


def _settings(name: str, args: PublicPrivateVpcArgs, opts: pulumi.ResourceOptions | None) -> _Settings:
    where = check.where(COMPONENT, name)
    check.text(
        where,
        "name",
        name,
        pattern=_NAME,
        expected="1 to 40 letters, digits, '.', '_' or '-', starting with a letter or digit "
        "(it starts child resource names, the log group path and the IAM role name)",
    )
    raw = check.typed_dict(where, "args", args, PublicPrivateVpcArgs)

    cidr_block = str(check.vpc_cidr(where, "cidr_block", raw.get("cidr_block")))
    nat_strategy = check.one_of(where, "nat_strategy", raw.get("nat_strategy", DEFAULT_NAT_STRATEGY), NAT_STRATEGIES)
    if nat_strategy in NAT_INSTANCE_STRATEGIES and re.match(r"sg(?:-|$)", name):
        raise InvalidArgumentError(
            where,
            "name",
            name,
            f"a name that is neither sg nor starts with sg- with nat_strategy={nat_strategy!r}: the NAT "
            "instances' security group is named after it, and AWS refuses group names starting with sg-",
        )
    names = _zone_names(where, raw.get("availability_zone_names"))
    count = _zone_count(where, raw.get("availability_zone_count"), names)
    eips = _eip_allocation_ids(where, raw.get("nat_eip_allocation_ids"), nat_strategy, count)
    nat_instance_type = _nat_instance_type(where, raw.get("nat_instance_type"), nat_strategy)
    retention = check.log_retention(
        where, "flow_log_retention_days", raw.get("flow_log_retention_days", DEFAULT_FLOW_LOG_RETENTION_DAYS)
    )
    traffic_type = check.one_of(
        where, "flow_log_traffic_type", raw.get("flow_log_traffic_type", "ALL"), FLOW_LOG_TRAFFIC_TYPES
    )
    endpoints = _gateway_endpoints(where, raw.get("gateway_endpoints", GATEWAY_ENDPOINT_SERVICES))
    tags = check.tags(where, "tags", raw.get("tags", {}), reserved=("Name",))
    plan = _plan(where, cidr_block, count, raw.get("public_subnet_cidrs"), raw.get("private_subnet_cidrs"))
    # Last: the only checks that ask AWS, and only once everything local is known to be right.
    if names is not None:
        zones = _existing_zones(where, names, opts)
    else:
        zones = _available_zones(where, count, "availability_zone_count" in raw, opts)
    return _Settings(
        cidr_block=cidr_block,
        zones=zones,
        plan=plan,
        nat_strategy=nat_strategy,
        eip_allocation_ids=eips,
        nat_instance_type=nat_instance_type,
        flow_log_retention_days=retention,
        flow_log_traffic_type=traffic_type,
        protect_flow_logs=check.boolean(where, "protect_flow_logs", raw.get("protect_flow_logs", False)),
        gateway_endpoints=endpoints,
        tags=tags,
    )


def _plain_list(where: str, key: str, value: Any, expected: str) -> list[Any]:
    """A list argument whose length is known at preview (its items may still be outputs where allowed)."""
    check.known(where, key, value)
    if isinstance(value, (str, bytes)) or not isinstance(value, Sequence):
        raise InvalidArgumentError(where, key, value, expected)
    return list(value)


def _zone_names(where: str, value: Any) -> tuple[str, ...] | None:
    if value is None:
        return None
    expected = f"a list of at least {MIN_AZ_COUNT} distinct availability zone names such as 'us-west-2a'"
    names = _plain_list(where, "availability_zone_names", value, expected)
    for zone in names:
        check.text(where, "availability_zone_names", zone, pattern=_ZONE_NAME, expected=expected)
    if len(names) < MIN_AZ_COUNT or len(set(names)) != len(names):
        raise InvalidArgumentError(where, "availability_zone_names", names, expected)
    return tuple(names)


def _zone_count(where: str, value: Any, names: tuple[str, ...] | None) -> int:
    if value is None:
        return len(names) if names is not None else DEFAULT_AZ_COUNT
    count = check.integer(where, "availability_zone_count", value, minimum=MIN_AZ_COUNT)
    if names is not None and count != len(names):
        raise InvalidArgumentError(
            where, "availability_zone_count", count, f"{len(names)}, the number of availability_zone_names given"
        )
    return count


def _eip_allocation_ids(
    where: str, value: Any, nat_strategy: str, az_count: int
) -> tuple[pulumi.Input[str], ...] | None:
    if value is None:
        return None
    key = "nat_eip_allocation_ids"
    ids = _plain_list(where, key, value, "a list of Elastic IP allocation ids such as 'eipalloc-0123456789abcdef0'")
    needed = _nat_device_count(nat_strategy, az_count)
    if len(ids) != needed:
        shown = [i if isinstance(i, str) else "<Output>" for i in ids]
        device = "NAT instance" if nat_strategy in NAT_INSTANCE_STRATEGIES else "NAT gateway"
        raise InvalidArgumentError(
            where, key, shown, f"{needed} allocation ids: one per {device} with nat_strategy={nat_strategy!r}"
        )

    def allocation_id(item: Any) -> str:
        return check.text(
            where,
            key,
            item,
            pattern=_ALLOCATION_ID,
            expected="Elastic IP allocation ids such as 'eipalloc-0123456789abcdef0'",
        )

    checked = tuple(check.when_known(item, allocation_id) for item in ids)
    plain = [i for i in ids if isinstance(i, str)]
    if len(set(plain)) != len(plain):
        raise InvalidArgumentError(where, key, ids, "a different Elastic IP for every NAT gateway or instance")
    return checked


def _nat_device_count(nat_strategy: str, az_count: int) -> int:
    """NAT gateways or instances a strategy runs: one in the first zone, or one in every zone."""
    return {"none": 0, "single": 1, "per_az": az_count, "instance": 1, "instance_per_az": az_count}[nat_strategy]


def _nat_instance_type(where: str, value: Any, nat_strategy: str) -> str | None:
    """The NAT instances' type; refused with a gateway strategy, where it would silently do nothing."""
    key = "nat_instance_type"
    if nat_strategy not in NAT_INSTANCE_STRATEGIES:
        if value is not None:
            raise InvalidArgumentError(
                where,
                key,
                value,
                f"no value with nat_strategy={nat_strategy!r}: only the strategies "
                f"{' and '.join(repr(s) for s in NAT_INSTANCE_STRATEGIES)} run NAT instances",
            )
        return None
    if value is None:
        return nat_instance.DEFAULT_INSTANCE_TYPE
    check.known(where, key, value)
    if not nat_instance.is_supported_instance_type(value):
        raise InvalidArgumentError(where, key, value, nat_instance.INSTANCE_TYPES_TEXT)
    return str(value)


def _gateway_endpoints(where: str, value: Any) -> tuple[str, ...]:
    key = "gateway_endpoints"
    expected = "a list of distinct services among " + ", ".join(repr(s) for s in GATEWAY_ENDPOINT_SERVICES)
    services = [
        check.one_of(where, key, service, GATEWAY_ENDPOINT_SERVICES)
        for service in _plain_list(where, key, value, expected)
    ]
    if len(set(services)) != len(services):
        raise InvalidArgumentError(where, key, services, expected)
    return tuple(services)


def _plan(where: str, cidr_block: str, count: int, public: Any, private: Any) -> SubnetPlan:
    check.known(where, "public_subnet_cidrs", public)
    check.known(where, "private_subnet_cidrs", private)
    try:
        return plan_subnets(cidr_block, count, public, private)
    except CidrPlanError as error:
        argument = "availability_zone_count" if error.argument == "az_count" else error.argument
        raise InvalidArgumentError(where, argument, error.value, error.expected) from None


# Standard Availability Zones only. Without these filters EC2 also lists the Local and Wavelength
# Zones the account opted into ("us-west-2-lax-1a" sorts before "us-west-2a"), which have no NAT
# gateway, Fargate or VPC link, and whose opt-in would change the zone list under a running stack.
STANDARD_ZONE_FILTERS: list[GetAvailabilityZonesFilterArgsDict] = [
    {"name": "opt-in-status", "values": ["opt-in-not-required"]},
    {"name": "zone-type", "values": ["availability-zone"]},
]


def _existing_zones(where: str, names: tuple[str, ...], opts: pulumi.ResourceOptions | None) -> tuple[str, ...]:
    """Pinned zones, each a standard zone the region has. Whatever their state today: pinning is
    there so that a zone's state never re-plans the network, but a zone AWS does not know (a typo,
    another region's) or a Local Zone would only fail at the first subnet, after the VPC exists."""
    zones = set(
        get_availability_zones(
            all_availability_zones=True, filters=STANDARD_ZONE_FILTERS, opts=invoke_options(opts)
        ).names
    )
    for zone in names:
        if zone not in zones:
            raise InvalidArgumentError(
                where,
                "availability_zone_names",
                zone,
                f"standard availability zones of this region: {', '.join(sorted(zones))}",
            )
    return names


def _available_zones(where: str, count: int, count_given: bool, opts: pulumi.ResourceOptions | None) -> tuple[str, ...]:
    """The region's first `count` available standard zones in name order, asked of the caller's AWS provider."""
    available = sorted(
        get_availability_zones(state="available", filters=STANDARD_ZONE_FILTERS, opts=invoke_options(opts)).names
    )
    if count > len(available):
        default = "" if count_given else f" ({count} is the default)"
        raise InvalidArgumentError(
            where,
            "availability_zone_count",
            count,
            f"at most {len(available)}, the zones available in this region ({', '.join(available)}){default}",
        )
    return tuple(available[:count])
