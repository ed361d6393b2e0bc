"""Each pricer on the shapes the program and the components create (and will create: the NAT
instance, the WAF web ACL, the access-log bucket, ARM tasks), with figures worked by hand
from cost/prices.yaml (us-east-1 unless a test says otherwise)."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import yaml

from cost.catalog import BILLABLE, FREE, Billable, Free, classify
from cost.estimate import estimate
from cost.model import UNKNOWN, PlanResource, ResourceCost
from cost.table import TABLE_PATH, load, parse

TABLE = load()
STACK = "urn:pulumi:t::p::pulumi:pulumi:Stack::p-t"


def res(name: str, type_: str, inputs: Mapping[str, Any] | None = None, **deps: tuple[str, ...]) -> PlanResource:
    return PlanResource(
        urn=f"urn:t::{name}",
        type=type_,
        name=name,
        custom=True,
        parent=STACK,
        provider=None,
        inputs=dict(inputs or {}),
        property_dependencies=dict(deps),
    )


def priced(*resources: PlanResource, region: str = "us-east-1") -> dict[str, ResourceCost]:
    return {r.name: r for r in estimate(list(resources), region, TABLE).resources}


def usd(cost: ResourceCost) -> Decimal:
    assert cost.monthly is not None, cost.reason
    return cost.monthly


def test_nat_gateway_and_its_elastic_ip() -> None:
    costs = priced(res("nat", "aws:ec2/natGateway:NatGateway"), res("eip", "aws:ec2/eip:Eip", {"domain": "vpc"}))
    assert usd(costs["nat"]) == Decimal("32.85")  # 730 x 0.045
    assert usd(costs["eip"]) == Decimal("3.65")  # 730 x 0.005
    assert [(u.price_key, u.rate) for u in costs["nat"].usage] == [("nat_gateway_gb", Decimal("0.045"))]


def test_internet_facing_load_balancer_pays_one_public_ipv4_per_subnet() -> None:
    costs = priced(
        res("public", "aws:lb/loadBalancer:LoadBalancer", {"internal": False, "subnets": ["s-1", "s-2", "s-3"]}),
        res("internal", "aws:lb/loadBalancer:LoadBalancer", {"internal": True, "subnets": ["s-1", "s-2", "s-3"]}),
        res("mapped", "aws:lb/loadBalancer:LoadBalancer", {"subnetMappings": [{"subnetId": "a"}, {"subnetId": "b"}]}),
    )
    assert usd(costs["public"]) == Decimal("16.425") + Decimal("10.95")  # 730 x 0.0225 + 3 x 730 x 0.005
    assert usd(costs["internal"]) == Decimal("16.425")
    assert usd(costs["mapped"]) == Decimal("16.425") + Decimal("7.30")  # 2 x 730 x 0.005


def test_unknown_subnets_are_counted_from_the_plan() -> None:
    lb = res(
        "web",
        "aws:lb/loadBalancer:LoadBalancer",
        {"internal": False, "subnets": UNKNOWN},
        subnets=("urn:t::subnet-a", "urn:t::subnet-b"),
    )
    assert usd(priced(lb)["web"]) == Decimal("16.425") + Decimal("7.30")


def test_lcus_are_usage_unless_reserved() -> None:
    idle = priced(res("idle", "aws:lb/loadBalancer:LoadBalancer", {"internal": True, "subnets": ["a", "b"]}))["idle"]
    assert [u.price_key for u in idle.usage] == ["alb_lcu_hour"]
    reserved = res(
        "reserved",
        "aws:lb/loadBalancer:LoadBalancer",
        {"internal": True, "subnets": ["a", "b"], "minimumLoadBalancerCapacity": {"capacityUnits": 100}},
    )
    # 16.425 + 100 LCU x 730 x 0.008 = 16.425 + 584
    assert usd(priced(reserved)["reserved"]) == Decimal("600.425")


def test_network_load_balancers_are_not_guessed() -> None:
    nlb = priced(res("nlb", "aws:lb/loadBalancer:LoadBalancer", {"loadBalancerType": "network"}))["nlb"]
    assert nlb.status == "not_estimated"
    assert "network load balancers" in nlb.reason


def _service(arch: str = "X86_64", **service_inputs: Any) -> tuple[PlanResource, PlanResource]:
    task = res(
        "task",
        "aws:ecs/taskDefinition:TaskDefinition",
        {"cpu": "512", "memory": "1024", "family": "app", "runtimePlatform": {"cpuArchitecture": arch}},
    )
    inputs = {"launchType": "FARGATE", "desiredCount": 2, **service_inputs}
    return task, res("service", "aws:ecs/service:Service", inputs, taskDefinition=(task.urn,))


def test_fargate_by_architecture() -> None:
    # 2 x 0.5 vCPU x 730 = 730 vCPU-hours, 2 x 1 GB x 730 = 1,460 GB-hours.
    x86 = usd(priced(*_service("X86_64"))["service"])
    assert x86 == Decimal(730) * Decimal("0.04048") + Decimal(1460) * Decimal("0.004445")  # 29.5504 + 6.4897
    arm = usd(priced(*_service("ARM64"))["service"])
    assert arm == Decimal(730) * Decimal("0.03238") + Decimal(1460) * Decimal("0.00356")  # 23.6374 + 5.1976


def test_a_price_missing_for_one_region_is_reported_not_borrowed() -> None:
    # The committed table prices ARM tasks in every region it has; take us-west-2's away.
    document = yaml.safe_load(TABLE_PATH.read_text())
    del document["prices"]["fargate_linux_arm_vcpu_hour"]["regions"]["us-west-2"]
    partial = parse(document)
    assert partial.get("fargate_linux_arm_vcpu_hour", "us-east-1") is not None
    cost = {r.name: r for r in estimate(list(_service("ARM64")), "us-west-2", partial).resources}["service"]
    assert cost.status == "not_estimated"
    assert cost.monthly is None
    assert cost.reason == "no fargate_linux_arm_vcpu_hour price for us-west-2 in cost/prices.yaml"
    # With the committed table the same tasks are priced at us-west-2's own ARM rates.
    arm = usd(priced(*_service("ARM64"), region="us-west-2")["service"])
    assert arm == Decimal(730) * Decimal("0.03238") + Decimal(1460) * Decimal("0.00356")  # 23.6374 + 5.1976


def test_tasks_with_public_ips_pay_for_them() -> None:
    cost = priced(*_service(networkConfiguration={"assignPublicIp": True}))["service"]
    assert usd(cost) == Decimal("29.5504") + Decimal("6.4897") + Decimal("7.30")  # + 2 x 730 x 0.005


def test_spot_and_ec2_launch_types_are_not_guessed() -> None:
    spot = priced(*_service(capacityProviderStrategies=[{"capacityProvider": "FARGATE_SPOT"}]))["service"]
    assert spot.status == "not_estimated"
    ec2 = priced(*_service(launchType="EC2"))["service"]
    assert ec2.status == "not_estimated"


def test_container_insights_counts_services_and_families() -> None:
    cluster = res(
        "cluster", "aws:ecs/cluster:Cluster", {"settings": [{"name": "containerInsights", "value": "enabled"}]}
    )
    task, _ = _service()
    service = res(
        "service",
        "aws:ecs/service:Service",
        {"launchType": "FARGATE", "desiredCount": 5},
        taskDefinition=(task.urn,),
        cluster=(cluster.urn,),
    )
    # 31 metrics x 0.30 = 9.30, however many tasks run.
    assert usd(priced(cluster, task, service)["cluster"]) == Decimal("9.30")
    off = res("off", "aws:ecs/cluster:Cluster", {"settings": [{"name": "containerInsights", "value": "disabled"}]})
    assert priced(off)["off"].status == "free"
    enhanced = res("e", "aws:ecs/cluster:Cluster", {"settings": [{"name": "containerInsights", "value": "enhanced"}]})
    assert priced(enhanced)["e"].status == "not_estimated"


def test_nat_instance_with_default_root_volume_elastic_ip_and_recovery_alarm() -> None:
    instance = res("nat-instance", "aws:ec2/instance:Instance", {"instanceType": "t4g.nano"})
    eip = res("nat-eip", "aws:ec2/eip:Eip", {"domain": "vpc"}, instance=(instance.urn,))
    alarm = res("nat-recover", "aws:cloudwatch/metricAlarm:MetricAlarm", {"period": 60})
    eni = res("nat-eni", "aws:ec2/networkInterface:NetworkInterface", {"sourceDestCheck": False})
    costs = priced(instance, eip, alarm, eni)
    # 730 x 0.0042 = 3.066 and 8 GiB x 0.08 = 0.64 (no root volume given: the AMI's 8 GiB gp3).
    assert usd(costs["nat-instance"]) == Decimal("3.066") + Decimal("0.64")
    assert usd(costs["nat-eip"]) == Decimal("3.65")
    assert usd(costs["nat-recover"]) == Decimal("0.10")
    assert costs["nat-eni"].status == "free"


def test_dev_nat_instance_is_priced_in_us_west_2() -> None:
    # What dev's default NAT strategy will cost: 3.066 + 0.64 + 3.65 + 0.10 = 7.456 a month.
    instance = res("nat", "aws:ec2/instance:Instance", {"instanceType": "t4g.nano"})
    eip = res("nat-eip", "aws:ec2/eip:Eip", {"domain": "vpc"}, instance=(instance.urn,))
    alarm = res("nat-recover", "aws:cloudwatch/metricAlarm:MetricAlarm", {"period": 60})
    result = estimate([instance, eip, alarm], "us-west-2", TABLE)
    assert result.monthly == Decimal("7.456")


def test_instance_public_ip_counts_unless_an_elastic_ip_holds_it() -> None:
    alone = res("alone", "aws:ec2/instance:Instance", {"instanceType": "t4g.nano", "associatePublicIpAddress": True})
    assert usd(priced(alone)["alone"]) == Decimal("3.066") + Decimal("0.64") + Decimal("3.65")
    held = res("held", "aws:ec2/instance:Instance", {"instanceType": "t4g.nano", "associatePublicIpAddress": True})
    eip = res("eip", "aws:ec2/eip:Eip", {}, instance=(held.urn,))
    assert usd(priced(held, eip)["held"]) == Decimal("3.066") + Decimal("0.64")


def test_instance_volumes_and_unknown_instance_types() -> None:
    sized = res(
        "sized",
        "aws:ec2/instance:Instance",
        {"instanceType": "t4g.nano", "rootBlockDevice": {"volumeSize": 20, "volumeType": "gp2"}},
    )
    assert usd(priced(sized)["sized"]) == Decimal("3.066") + Decimal("2.00")  # 20 x 0.10
    big = priced(res("big", "aws:ec2/instance:Instance", {"instanceType": "m7i.48xlarge"}))["big"]
    assert big.reason == "no ec2_instance_hour:m7i.48xlarge price for us-east-1 in cost/prices.yaml"
    fast = res("fast", "aws:ec2/instance:Instance", {"instanceType": "t4g.nano", "rootBlockDevice": {"iops": 6000}})
    assert priced(fast)["fast"].status == "not_estimated"


def test_alarms_bill_per_metric_and_resolution() -> None:
    math = res(
        "math",
        "aws:cloudwatch/metricAlarm:MetricAlarm",
        {"metricQueries": [{"id": "a", "metric": {}}, {"id": "b", "metric": {}}, {"id": "e", "expression": "a+b"}]},
    )
    fast = res("fast", "aws:cloudwatch/metricAlarm:MetricAlarm", {"period": 10})
    costs = priced(math, fast)
    assert usd(costs["math"]) == Decimal("0.20")
    assert usd(costs["fast"]) == Decimal("0.30")


def test_web_acl_with_managed_rule_groups_and_a_rate_rule() -> None:
    rules = [
        {"name": "common", "statement": {"managedRuleGroupStatement": {"name": "AWSManagedRulesCommonRuleSet"}}},
        {
            "name": "bad-inputs",
            "statement": {"managedRuleGroupStatement": {"name": "AWSManagedRulesKnownBadInputsRuleSet"}},
        },
        {"name": "rate", "statement": {"rateBasedStatement": {"limit": 2000}}},
    ]
    acl = priced(res("acl", "aws:wafv2/webAcl:WebAcl", {"rules": rules}))["acl"]
    assert usd(acl) == Decimal("5.00") + 3 * Decimal("1.00")
    assert [u.price_key for u in acl.usage] == ["waf_million_requests"]
    bots = [*rules, {"statement": {"managedRuleGroupStatement": {"name": "AWSManagedRulesBotControlRuleSet"}}}]
    paid = priced(res("bots", "aws:wafv2/webAcl:WebAcl", {"rules": bots}))["bots"]
    assert paid.status == "not_estimated"
    assert "AWSManagedRulesBotControlRuleSet" in paid.reason


def test_secrets_parameters_keys_and_replicas() -> None:
    costs = priced(
        res("one", "aws:secretsmanager/secret:Secret"),
        res("replicated", "aws:secretsmanager/secret:Secret", {"replicas": [{"region": "us-east-2"}]}),
        res("standard", "aws:ssm/parameter:Parameter", {"type": "String"}),
        res("advanced", "aws:ssm/parameter:Parameter", {"tier": "Advanced"}),
    )
    assert usd(costs["one"]) == Decimal("0.40")
    assert usd(costs["replicated"]) == Decimal("0.80")
    assert costs["standard"].status == "free"
    assert costs["advanced"].status == "not_estimated"  # no Advanced-tier price was read


def test_usage_only_resources_cost_nothing_idle() -> None:
    costs = priced(
        res("logs", "aws:cloudwatch/logGroup:LogGroup", {"retentionInDays": 365}),
        res("bucket", "aws:s3/bucketV2:BucketV2"),
        res("repo", "aws:ecr/repository:Repository"),
        res("api", "aws:apigatewayv2/api:Api", {"protocolType": "HTTP"}),
    )
    for name in ("logs", "bucket", "repo", "api"):
        assert costs[name].status == "priced"
        assert costs[name].monthly == 0
    assert costs["logs"].usage[1].what == "log data stored (kept 365 days)"
    assert costs["api"].usage[0].rate == Decimal("1.00")


def test_endpoints_and_certificates() -> None:
    costs = priced(
        res("gateway", "aws:ec2/vpcEndpoint:VpcEndpoint", {"vpcEndpointType": "Gateway"}),
        res("interface", "aws:ec2/vpcEndpoint:VpcEndpoint", {"vpcEndpointType": "Interface", "subnetIds": ["a", "b"]}),
        res("public-cert", "aws:acm/certificate:Certificate", {"domainName": "x.example.com"}),
        res("private-cert", "aws:acm/certificate:Certificate", {"certificateAuthorityArn": "arn:aws:acm-pca:..."}),
        region="ap-northeast-1",
    )
    assert costs["gateway"].status == "free"
    assert usd(costs["interface"]) == 2 * Decimal(730) * Decimal("0.014")  # 20.44
    assert costs["public-cert"].status == "free"
    assert costs["private-cert"].status == "not_estimated"


def test_unclassified_types_are_reported_not_priced() -> None:
    cost = priced(res("zone", "aws:route53/zone:Zone"))["zone"]
    assert cost.status == "not_estimated"
    assert cost.reason == "aws:route53/zone:Zone is not classified in cost/catalog.py"


def test_a_resource_is_priced_in_its_own_region() -> None:
    provider = res("tokyo", "pulumi:providers:aws", {"region": "ap-northeast-1"})
    nat = PlanResource(
        urn="urn:t::nat",
        type="aws:ec2/natGateway:NatGateway",
        name="nat",
        custom=True,
        parent=STACK,
        provider=f"{provider.urn}::provider-id",
        inputs={},
    )
    own = res("own", "aws:ec2/natGateway:NatGateway", {"region": "us-west-2"})
    costs = priced(provider, nat, own, region="us-east-1")
    assert costs["nat"].region == "ap-northeast-1"
    assert usd(costs["nat"]) == Decimal("45.26")  # 730 x 0.062
    assert costs["own"].region == "us-west-2"


def test_the_catalog_covers_the_types_parallel_work_adds() -> None:
    # Checked against the installed pulumi-aws 7 and pulumi-docker-build SDKs.
    for type_ in (
        "aws:s3/bucket:Bucket",
        "aws:s3/bucketV2:BucketV2",
        "aws:wafv2/webAcl:WebAcl",
        "aws:ec2/instance:Instance",
        "aws:cloudwatch/metricAlarm:MetricAlarm",
    ):
        assert isinstance(classify(type_), Billable), type_
    for type_ in (
        "aws:wafv2/webAclAssociation:WebAclAssociation",
        "aws:ec2/networkInterface:NetworkInterface",
        "aws:iam/instanceProfile:InstanceProfile",
        "docker-build:index:Image",
        "aws:lb/listenerCertificate:ListenerCertificate",
        "aws:s3/bucketPolicy:BucketPolicy",
        "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    ):
        assert isinstance(classify(type_), Free), type_
    assert not set(BILLABLE) & set(FREE)
    assert all(entry.reason for entry in FREE.values())
