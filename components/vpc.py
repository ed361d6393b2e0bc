"""PublicPrivateVpc: a VPC with a public and a private subnet in each availability zone."""

# No `from __future__ import annotations`: the SDK's component analyzer (and TypedDict's
# NotRequired handling) read these annotations evaluated, to build the package schema.
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NotRequired, TypedDict

import pulumi
from pulumi_aws import cloudwatch, ec2, iam
from pulumi_aws.get_availability_zones import get_availability_zones
from pulumi_aws.get_caller_identity import get_caller_identity_output
from pulumi_aws.get_partition import get_partition_output
from pulumi_aws.get_region import get_region_output

from components import validation as check
from components.arg_docs import documented_keys
from components.cidr_plan import CidrPlanError, SubnetPlan, plan_subnets
from components.validation import InvalidArgumentError

COMPONENT = "PublicPrivateVpc"
TYPE_TOKEN = f"papyrus:index:{COMPONENT}"

NAT_STRATEGIES = ("none", "single", "per_az")
FLOW_LOG_TRAFFIC_TYPES = ("ALL", "ACCEPT", "REJECT")
GATEWAY_ENDPOINT_SERVICES = ("s3", "dynamodb")
DEFAULT_AZ_COUNT = 3
DEFAULT_NAT_STRATEGY = "per_az"
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
    """The VPC's IPv4 range: a network address with a prefix from /16 to /28. Required, no default.
    Example: "10.10.0.0/16"."""
    availability_zone_count: NotRequired[int]
    """How many availability zones get a public and a private subnet: at least 2 (a load balancer
    needs two) and at most the zones the region has. The first zones in name order are used.
    Default: 3, or the number of availability_zone_names when those are given. Example: 2."""
    availability_zone_names: NotRequired[Sequence[str]]
    """Exact zones to use, in order, instead of the first available ones; each must be a zone of
    the region (any state), and if availability_zone_count is also given the two must agree. Pin
    them in long-lived stacks: the choice is made on every preview, and a zone that stops being
    "available" would otherwise re-plan the network. Default: the region's first
    availability_zone_count available zones. Example: ["us-west-2a", "us-west-2b"]."""
    nat_strategy: NotRequired[str]
    """How private subnets reach the internet: "per_az" (a NAT gateway in every zone; a zone outage
    cuts only that zone), "single" (one NAT gateway in the first zone for all; cheapest with
    egress) or "none" (no default route: private subnets reach only the VPC and, through the gateway
    endpoints, S3 and DynamoDB). Default: "per_az". Example: "single"."""
    nat_eip_allocation_ids: NotRequired[Sequence[pulumi.Input[str]]]
    """Elastic IP allocation ids for the NAT gateways, one per gateway in zone order (0 for "none",
    1 for "single", one per zone for "per_az"), to keep egress addresses that partners allow-list.
    Default: the component allocates one Elastic IP per NAT gateway. Example: ["eipalloc-0123456789abcdef0"]."""
    public_subnet_cidrs: NotRequired[Sequence[str]]
    """Explicit public subnet CIDRs, one per zone in zone order; give private_subnet_cidrs too.
    Default: planned by components.cidr_plan (for 10.10.0.0/16 and 2 zones: 10.10.64.0/21,
    10.10.72.0/21). Example: ["10.10.64.0/21", "10.10.72.0/21"]."""
    private_subnet_cidrs: NotRequired[Sequence[str]]
    """Explicit private subnet CIDRs, one per zone in zone order; give public_subnet_cidrs too.
    Default: planned by components.cidr_plan (for 10.10.0.0/16 and 2 zones: 10.10.0.0/19,
    10.10.32.0/19). Example: ["10.10.0.0/19", "10.10.32.0/19"]."""
    flow_log_retention_days: NotRequired[int]
    """Days CloudWatch Logs keeps the VPC flow logs; one of the values CloudWatch allows.
    Default: 365. Example: 30."""
    flow_log_traffic_type: NotRequired[str]
    """Which traffic the flow log records: "ALL", "ACCEPT" or "REJECT". Default: "ALL". Example: "REJECT"."""
    gateway_endpoints: NotRequired[Sequence[str]]
    """Services that get a free gateway endpoint on the private route tables, keeping that traffic
    off the NAT gateways: "s3" and/or "dynamodb" ([] for none). Default: ["s3", "dynamodb"].
    Example: ["s3"]."""
    tags: NotRequired[Mapping[str, pulumi.Input[str]]]
    """Tags added to every child resource that takes tags. "Name" is reserved: the component names
    each resource after its tier and zone. Default: none. Example: {"team": "platform"}."""


@dataclass(frozen=True)
class _Settings:
    """The arguments once checked, with defaults applied."""

    cidr_block: str
    zones: tuple[str, ...]
    plan: SubnetPlan
    nat_strategy: str
    eip_allocation_ids: tuple[pulumi.Input[str], ...] | None
    flow_log_retention_days: int
    flow_log_traffic_type: str
    gateway_endpoints: tuple[str, ...]
    tags: dict[str, pulumi.Input[str]]

    @property
    def nat_zones(self) -> tuple[str, ...]:
        """Zones that get a NAT gateway, in zone order."""
        return {"none": (), "single": self.zones[:1], "per_az": self.zones}[self.nat_strategy]


class PublicPrivateVpc(pulumi.ComponentResource):
    """A VPC with a public and a private subnet in each availability zone, private by default.

    Public subnets hold only load balancers and NAT gateways; workloads go in the private
    subnets. Subnet CIDRs come from `components.cidr_plan` (private subnets larger than
    public ones, free space at the end of the range) unless given explicitly.

    Resources (logical names start with the component name `<name>`; `<az>` is a zone name):

    * `ec2.Vpc` `<name>-vpc`: DNS support and DNS hostnames on (needed for private DNS of
      interface endpoints and for resolving AWS service names).
    * `ec2.Subnet` `<name>-public-<az>` and `<name>-private-<az>`, one of each per zone, none of
      which auto-assigns public IPs (Security Hub EC2.15), tagged with Name and `tier`. Planned
      public subnets are /27 or larger, so load balancers fit, except in a VPC too small for that
      (see components.cidr_plan), where they are /28 and hold NAT gateways only.
    * `ec2.InternetGateway` `<name>-igw` and `ec2.InternetGatewayAttachment` `<name>-igw-attachment`.
    * `ec2.RouteTable` `<name>-public` with `ec2.Route` `<name>-public-default` (0.0.0.0/0 to the
      internet gateway, after it is attached) and an `ec2.RouteTableAssociation` `<name>-public-<az>`
      for every public subnet.
    * Per NAT gateway (none for "none", the first zone for "single", every zone for "per_az"):
      `ec2.Eip` `<name>-nat-<az>` (unless `nat_eip_allocation_ids` are given) and `ec2.NatGateway`
      `<name>-nat-<az>` in that zone's public subnet, created after the internet gateway is attached.
    * Per zone, whatever the strategy: `ec2.RouteTable` `<name>-private-<az>` associated with that zone's
      private subnet (`ec2.RouteTableAssociation` `<name>-private-<az>`) and, unless the strategy is
      "none", `ec2.Route` `<name>-private-<az>-default` (0.0.0.0/0 to the zone's own NAT gateway for
      "per_az", to the single one for "single"). One table per zone even for "single" and "none", so
      changing the strategy only adds, moves or removes default routes.
    * `ec2.VpcEndpoint` `<name>-s3` and `<name>-dynamodb`: Gateway endpoints on exactly the private
      route tables, with the default (full-access) endpoint policy, so ECR image layers (served from
      S3) and DynamoDB traffic bypass the NAT gateways.
    * `cloudwatch.LogGroup` `<name>-flow-logs` (named `/vpc/flow-logs/<name>-<suffix>`) with a retention,
      `iam.Role` `<name>-flow-logs` that only the VPC Flow Logs service of this account and region can
      assume (aws:SourceAccount and aws:SourceArn conditions), `iam.RolePolicy` `<name>-flow-logs`
      allowing logs:CreateLogStream, logs:PutLogEvents and logs:DescribeLogStreams on that log group
      and its streams only, and `ec2.FlowLog` `<name>-flow-logs` on the VPC (Security Hub EC2.6).
    * `ec2.DefaultSecurityGroup` `<name>-default`: takes over the VPC's default security group and
      removes all its rules (Security Hub EC2.2), so nothing that falls back to it is reachable.

    Defaults: 3 zones (the region's first available ones), nat_strategy "per_az" with a new Elastic IP
    per NAT gateway, subnets planned from cidr_block, flow logs of ALL traffic kept 365 days, gateway
    endpoints for S3 and DynamoDB, no extra tags.

    Cost (us-west-2, per month of 730 hours; the VPC, subnets, route tables, internet gateway,
    gateway endpoints and IAM are free):

    * A NAT gateway costs $0.045/hour ($32.85) plus $0.045 per GB it processes; its Elastic IP is a
      public IPv4 address at $0.005/hour ($3.65): $36.50 per gateway before traffic.

      ============  ====================  ====================
      nat_strategy  2 zones               3 zones
      ============  ====================  ====================
      none          $0                    $0
      single        $36.50                $36.50
      per_az        $73.00                $109.50
      ============  ====================  ====================

      "single" also pays $0.01/GB each way for traffic that crosses zones to reach the gateway, and
      a zone outage there cuts egress for every zone. Traffic to S3 and DynamoDB goes through the
      free gateway endpoints, not the NAT gateways.
    * Flow logs: CloudWatch Logs vended-log ingestion at $0.50 per GB plus $0.03 per GB-month stored;
      volume follows the VPC's traffic (connections, not bytes) and flow_log_traffic_type, storage
      follows flow_log_retention_days.
    """

    vpc_id: pulumi.Output[str]
    """The VPC's id."""
    cidr_block: pulumi.Output[str]
    """The VPC's IPv4 range."""
    availability_zones: pulumi.Output[list[str]]
    """The zones used, in order; the subnet, route table and NAT lists follow this order."""
    public_subnet_ids: pulumi.Output[list[str]]
    """Public subnet ids in zone order: for internet-facing load balancers."""
    private_subnet_ids: pulumi.Output[list[str]]
    """Private subnet ids in zone order: for tasks, internal load balancers and VPC links."""
    public_route_table_id: pulumi.Output[str]
    """The public route table's id (0.0.0.0/0 to the internet gateway)."""
    private_route_table_ids: pulumi.Output[list[str]]
    """Private route table ids in zone order, one per zone whatever the NAT strategy."""
    nat_gateway_ids: pulumi.Output[list[str]]
    """NAT gateway ids in zone order: none for "none", one for "single", one per zone for "per_az"."""
    nat_public_ips: pulumi.Output[list[str]]
    """Public IPv4 addresses the private subnets' internet traffic comes from, in NAT gateway order."""
    default_security_group_id: pulumi.Output[str]
    """The VPC's default security group, emptied of rules."""
    flow_log_group_name: pulumi.Output[str]
    """The CloudWatch log group that receives the VPC flow logs."""

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
        attachment, public_table = self._public_routing(vpc, public_subnets)
        nat_gateways = self._nat_gateways(public_subnets, attachment)
        private_tables = self._private_routing(vpc, private_subnets, nat_gateways)
        # Asked of the component's own AWS provider, so a provider for another region is honoured.
        region = get_region_output(opts=pulumi.InvokeOptions(parent=self)).region
        self._gateway_endpoints(vpc, private_tables, region)
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
        self.public_subnet_ids = pulumi.Output.all(*(s.id for s in public_subnets))
        self.private_subnet_ids = pulumi.Output.all(*(s.id for s in private_subnets))
        self.public_route_table_id = public_table.id
        self.private_route_table_ids = pulumi.Output.all(*(t.id for t in private_tables))
        self.nat_gateway_ids = pulumi.Output.all(*(n.id for n in nat_gateways.values()))
        self.nat_public_ips = pulumi.Output.all(*(n.public_ip for n in nat_gateways.values()))
        self.default_security_group_id = default_group.id
        self.flow_log_group_name = log_group.name
        self.register_outputs(
            {
                "vpc_id": self.vpc_id,
                "cidr_block": self.cidr_block,
                "availability_zones": self.availability_zones,
                "public_subnet_ids": self.public_subnet_ids,
                "private_subnet_ids": self.private_subnet_ids,
                "public_route_table_id": self.public_route_table_id,
                "private_route_table_ids": self.private_route_table_ids,
                "nat_gateway_ids": self.nat_gateway_ids,
                "nat_public_ips": self.nat_public_ips,
                "default_security_group_id": self.default_security_group_id,
                "flow_log_group_name": self.flow_log_group_name,
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
                # Public subnets too: only load balancers and NAT gateways live there, and both
                # get their addresses without the subnet handing them out.
                map_public_ip_on_launch=False,
                tags=self._tags(f"{self._prefix}-{tier}-{zone}", tier=tier),
                opts=self._child(),
            )
            for zone, cidr in zip(self._settings.zones, cidrs, strict=True)
        ]

    def _public_routing(
        self, vpc: ec2.Vpc, subnets: list[ec2.Subnet]
    ) -> tuple[ec2.InternetGatewayAttachment, ec2.RouteTable]:
        name = self._prefix
        gateway = ec2.InternetGateway(f"{name}-igw", tags=self._tags(f"{name}-igw"), opts=self._child())
        attachment = ec2.InternetGatewayAttachment(
            f"{name}-igw-attachment", internet_gateway_id=gateway.id, vpc_id=vpc.id, opts=self._child()
        )
        table = ec2.RouteTable(
            f"{name}-public", vpc_id=vpc.id, tags=self._tags(f"{name}-public", tier="public"), opts=self._child()
        )
        ec2.Route(
            f"{name}-public-default",
            route_table_id=table.id,
            destination_cidr_block=_ANYWHERE,
            gateway_id=gateway.id,
            # A route to a detached gateway is refused; on destroy, the route goes first.
            opts=self._child(depends_on=[attachment]),
        )
        for zone, subnet in zip(self._settings.zones, subnets, strict=True):
            ec2.RouteTableAssociation(
                f"{name}-public-{zone}", subnet_id=subnet.id, route_table_id=table.id, opts=self._child()
            )
        return attachment, table

    def _nat_gateways(
        self, public_subnets: list[ec2.Subnet], attachment: ec2.InternetGatewayAttachment
    ) -> dict[str, ec2.NatGateway]:
        """NAT gateways by zone, in zone order."""
        settings, name = self._settings, self._prefix
        subnet_by_zone = dict(zip(settings.zones, public_subnets, strict=True))
        gateways: dict[str, ec2.NatGateway] = {}
        for index, zone in enumerate(settings.nat_zones):
            allocation_id: pulumi.Input[str]
            if settings.eip_allocation_ids is not None:
                allocation_id = settings.eip_allocation_ids[index]
            else:
                allocation_id = ec2.Eip(
                    f"{name}-nat-{zone}", domain="vpc", tags=self._tags(f"{name}-nat-{zone}"), opts=self._child()
                ).allocation_id
            gateways[zone] = ec2.NatGateway(
                f"{name}-nat-{zone}",
                allocation_id=allocation_id,
                subnet_id=subnet_by_zone[zone].id,
                connectivity_type="public",
                tags=self._tags(f"{name}-nat-{zone}"),
                # A public NAT gateway fails to create in a VPC without an attached internet gateway.
                opts=self._child(depends_on=[attachment]),
            )
        return gateways

    def _private_routing(
        self, vpc: ec2.Vpc, subnets: list[ec2.Subnet], nat_gateways: dict[str, ec2.NatGateway]
    ) -> list[ec2.RouteTable]:
        settings, name = self._settings, self._prefix
        tables = []
        for zone, subnet in zip(settings.zones, subnets, strict=True):
            table = ec2.RouteTable(
                f"{name}-private-{zone}",
                vpc_id=vpc.id,
                tags=self._tags(f"{name}-private-{zone}", tier="private"),
                opts=self._child(),
            )
            ec2.RouteTableAssociation(
                f"{name}-private-{zone}", subnet_id=subnet.id, route_table_id=table.id, opts=self._child()
            )
            # per_az: the zone's own gateway, so a zone outage stays in that zone; single: the only one.
            nat = nat_gateways.get(zone) or next(iter(nat_gateways.values()), None)
            if nat is not None:
                ec2.Route(
                    f"{name}-private-{zone}-default",
                    route_table_id=table.id,
                    destination_cidr_block=_ANYWHERE,
                    nat_gateway_id=nat.id,
                    opts=self._child(),
                )
            tables.append(table)
        return tables

    def _gateway_endpoints(
        self, vpc: ec2.Vpc, private_tables: list[ec2.RouteTable], region: pulumi.Output[str]
    ) -> None:
        for service in self._settings.gateway_endpoints:
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

    def _flow_logs(self, vpc: ec2.Vpc, region: pulumi.Output[str]) -> cloudwatch.LogGroup:
        settings, name = self._settings, self._prefix
        label = f"{name}-flow-logs"
        log_group = cloudwatch.LogGroup(
            label,
            name_prefix=f"/vpc/flow-logs/{name}-",
            retention_in_days=settings.flow_log_retention_days,
            tags=self._tags(label),
            opts=self._child(),
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

    cidr_block = str(check.ipv4_network(where, "cidr_block", raw.get("cidr_block")))
    nat_strategy = check.one_of(where, "nat_strategy", raw.get("nat_strategy", DEFAULT_NAT_STRATEGY), NAT_STRATEGIES)
    names = _zone_names(where, raw.get("availability_zone_names"))
    count = _zone_count(where, raw.get("availability_zone_count"), names)
    eips = _eip_allocation_ids(where, raw.get("nat_eip_allocation_ids"), nat_strategy, count)
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
        flow_log_retention_days=retention,
        flow_log_traffic_type=traffic_type,
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
    needed = {"none": 0, "single": 1, "per_az": az_count}[nat_strategy]
    if len(ids) != needed:
        shown = [i if isinstance(i, str) else "<Output>" for i in ids]
        raise InvalidArgumentError(
            where, key, shown, f"{needed} allocation ids: one per NAT gateway with nat_strategy={nat_strategy!r}"
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
        raise InvalidArgumentError(where, key, ids, "a different Elastic IP for every NAT gateway")
    return checked


def _gateway_endpoints(where: str, value: Any) -> tuple[str, ...]:
    key = "gateway_endpoints"
    expected = "a list of distinct services among " + ", ".join(repr(s) for s in GATEWAY_ENDPOINT_SERVICES)
    services = _plain_list(where, key, value, expected)
    for service in services:
        check.one_of(where, key, service, GATEWAY_ENDPOINT_SERVICES)
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


def _existing_zones(where: str, names: tuple[str, ...], opts: pulumi.ResourceOptions | None) -> tuple[str, ...]:
    """Pinned zones, each one the region has. Whatever their state today: pinning is there so
    that a zone's state never re-plans the network, but a zone AWS does not know (a typo, another
    region's) would only fail at the first subnet, after the VPC exists."""
    zones = set(get_availability_zones(all_availability_zones=True, opts=_invoke_options(opts)).names)
    for zone in names:
        if zone not in zones:
            raise InvalidArgumentError(
                where, "availability_zone_names", zone, f"zones of this region: {', '.join(sorted(zones))}"
            )
    return names


def _available_zones(where: str, count: int, count_given: bool, opts: pulumi.ResourceOptions | None) -> tuple[str, ...]:
    """The region's first `count` available zones in name order, asked of the caller's AWS provider."""
    # Without all_availability_zones, Local and Wavelength Zones (opt-in) are left out.
    available = sorted(get_availability_zones(state="available", opts=_invoke_options(opts)).names)
    if count > len(available):
        default = "" if count_given else f" ({count} is the default)"
        raise InvalidArgumentError(
            where,
            "availability_zone_count",
            count,
            f"at most {len(available)}, the zones available in this region ({', '.join(available)}){default}",
        )
    return tuple(available[:count])


def _invoke_options(opts: pulumi.ResourceOptions | None) -> pulumi.InvokeOptions:
    """Lookups made before the component exists go to the caller's parent and AWS provider."""
    opts = opts or pulumi.ResourceOptions()
    return pulumi.InvokeOptions(parent=opts.parent, provider=_aws_provider(opts))


def _aws_provider(opts: pulumi.ResourceOptions) -> pulumi.ProviderResource | None:
    """The AWS provider the caller gave the component, which its children (and the zone lookup) must use."""
    if opts.provider is not None and opts.provider.package == "aws":
        return opts.provider
    providers = opts.providers
    if isinstance(providers, Mapping):
        return providers.get("aws")
    return next((p for p in providers or [] if p.package == "aws"), None)
