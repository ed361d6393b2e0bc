"""The cost of the committed stacks, checked against figures worked by hand from
cost/prices.yaml (us-west-2, and dev and prd moved to ap-northeast-1), the classification of
every resource type they create, the cost fields of graph.json, the pull-request table, and
the README and docstrings that quote the figures.

When a change adds or removes billable resources (a NAT instance for dev, a WAF for prd …),
update the expected table of that stack below: one row per component, the arithmetic
written out.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from components.testing.engine import Deployment
from cost.catalog import classify
from cost.diff import main as diff_main
from cost.estimate import Estimate
from cost.plan import estimate_deployment
from cost.readme import block, current
from cost.report import annotate, money, plan_text
from cost.table import load
from offline import render
from tests.harness import PROJECT_DIR, run_stack

TABLE = load()
REGION = "us-west-2"
DOMAIN = ("domainName=papyrus.example.com", "hostedZoneId=Z0123456789ABCDEFGHIJ")
D = Decimal

# Prices used below (us-west-2, cost/prices.yaml):
#   NAT gateway $0.045/h · public IPv4 $0.005/h · ALB $0.0225/h · Fargate x86 $0.04048 per vCPU-h,
#   $0.004445 per GB-h · secret $0.40/month · CloudWatch metric $0.30/month · t4g.nano $0.0042/h ·
#   gp3 $0.08 per GB-month · standard alarm $0.10/month · WAF web ACL $5/month, $1 per rule or
#   managed rule group a month · 730 hours a month.
NAT_GATEWAY = D(730) * D("0.045")  # 32.85
IPV4 = D(730) * D("0.005")  # 3.65 per address
ALB = D(730) * D("0.0225")  # 16.425
# dev's NAT instance: t4g.nano 730 x 0.0042 = 3.066, its 8 GiB gp3 root 8 x 0.08 = 0.64, its
# Elastic IP 3.65, and two status-check alarms (recover, reboot) 2 x 0.10 = 0.20
NAT_INSTANCE = D(730) * D("0.0042") + 8 * D("0.08") + IPV4 + 2 * D("0.10")  # 7.556
# prd's web ACL: 5.00 + a rate-based rule and three AWS managed rule groups, 4 x 1.00
WEB_ACL = D("5.00") + 4 * D("1.00")  # 9.00

DEV = {
    # 1 NAT instance (natStrategy=instance): 3.066 + 0.64 + 3.65 + 0.20
    "network": NAT_INSTANCE,  # 7.556
    # internet-facing: 16.425 + 2 zones x 3.65
    "web": ALB + 2 * IPV4,  # 23.725
    # internal: 16.425, no public address
    "api": ALB,  # 16.425
    # 1 task x 0.25 vCPU x 730 h x 0.04048 = 7.3876; 1 x 0.5 GB x 730 h x 0.004445 = 1.622425
    "app": D("7.3876") + D("1.622425"),  # 9.010025 (Container Insights off)
    # 3 secrets x 0.40; six Standard parameters are free
    "app-config": 3 * D("0.40"),  # 1.20
    # log groups, the API and the repository bill only usage
    "app-logs": D(0),
    "http-api": D(0),
    "images": D(0),
}
DEV_TOTAL = D("57.916025")  # 7.556 + 23.725 + 16.425 + 9.010025 + 1.20: within issue 14's $60

PRD = {
    # 3 NAT gateways (3 x 32.85 = 98.55) + 3 Elastic IPs (3 x 3.65 = 10.95)
    "network": 3 * NAT_GATEWAY + 3 * IPV4,  # 109.50
    # 16.425 + 3 zones x 3.65 + the web ACL 9.00
    "web": ALB + 3 * IPV4 + WEB_ACL,  # 36.375
    "api": ALB,  # 16.425
    # 2 tasks x 0.5 vCPU x 730 x 0.04048 = 29.5504; 2 x 1 GB x 730 x 0.004445 = 6.4897;
    # Container Insights: 10 + 13 (one service) + 8 (one task family) = 31 metrics x 0.30 = 9.30
    "app": D("29.5504") + D("6.4897") + 31 * D("0.30"),  # 45.3401
    "app-config": 3 * D("0.40"),  # 1.20
    "app-logs": D(0),
    "http-api": D(0),
    "images": D(0),
    # the access-log bucket bills only storage and requests (usage)
    "alb-logs": D(0),
}
PRD_TOTAL = D("208.8401")  # 109.50 + 36.375 + 16.425 + 45.3401 + 1.20

# Another domain changes names only: certificates, validation and alias records are free.
PRD_DOMAIN = dict(PRD)
PRD_DOMAIN_TOTAL = PRD_TOTAL

# The same stacks in Tokyo (ap-northeast-1, cost/prices.yaml): NAT gateway $0.062/h ·
#   public IPv4 $0.005/h · ALB $0.0243/h · Fargate x86 $0.05056 per vCPU-h, $0.00553 per GB-h ·
#   secret $0.40/month · CloudWatch metric $0.30/month · t4g.nano $0.0054/h · gp3 $0.096 per
#   GB-month · standard alarm $0.10/month · WAF web ACL $5/month, $1 per rule a month.
TOKYO = "ap-northeast-1"
TOKYO_NAT_GATEWAY = D(730) * D("0.062")  # 45.26
TOKYO_ALB = D(730) * D("0.0243")  # 17.739
# t4g.nano 730 x 0.0054 = 3.942, its 8 GiB gp3 root 8 x 0.096 = 0.768, its Elastic IP 3.65,
# two status-check alarms 2 x 0.10 = 0.20
TOKYO_NAT_INSTANCE = D(730) * D("0.0054") + 8 * D("0.096") + IPV4 + 2 * D("0.10")  # 8.56

TOKYO_DEV = {
    "network": TOKYO_NAT_INSTANCE,  # 8.56
    # internet-facing: 17.739 + 2 zones x 3.65
    "web": TOKYO_ALB + 2 * IPV4,  # 25.039
    "api": TOKYO_ALB,  # 17.739
    # 1 task x 0.25 vCPU x 730 h x 0.05056 = 9.2272; 1 x 0.5 GB x 730 h x 0.00553 = 2.01845
    "app": D("9.2272") + D("2.01845"),  # 11.24565
    "app-config": 3 * D("0.40"),  # 1.20
    "app-logs": D(0),
    "http-api": D(0),
    "images": D(0),
}
TOKYO_DEV_TOTAL = D("63.78365")  # 8.56 + 25.039 + 17.739 + 11.24565 + 1.20

TOKYO_PRD = {
    # 3 NAT gateways (3 x 45.26 = 135.78) + 3 Elastic IPs (3 x 3.65 = 10.95)
    "network": 3 * TOKYO_NAT_GATEWAY + 3 * IPV4,  # 146.73
    # 17.739 + 3 zones x 3.65 + the web ACL 9.00
    "web": TOKYO_ALB + 3 * IPV4 + WEB_ACL,  # 37.689
    "api": TOKYO_ALB,  # 17.739
    # 2 tasks x 0.5 vCPU x 730 x 0.05056 = 36.9088; 2 x 1 GB x 730 x 0.00553 = 8.0738;
    # Container Insights 31 metrics x 0.30 = 9.30
    "app": D("36.9088") + D("8.0738") + 31 * D("0.30"),  # 54.2826
    "app-config": 3 * D("0.40"),  # 1.20
    "app-logs": D(0),
    "http-api": D(0),
    "images": D(0),
    "alb-logs": D(0),
}
TOKYO_PRD_TOTAL = D("257.6406")  # 146.73 + 37.689 + 17.739 + 54.2826 + 1.20

STACKS = {
    "dev": (("dev",), DEV, DEV_TOTAL),
    "prd": (("prd",), PRD, PRD_TOTAL),
    "prd-domain": (("prd", *DOMAIN), PRD_DOMAIN, PRD_DOMAIN_TOTAL),
}


def cost_of(*stack: str) -> Estimate:
    return estimate_deployment(run_stack(*stack), REGION, TABLE)


@pytest.mark.parametrize("variant", list(STACKS))
def test_stack_cost_equals_the_hand_worked_figures(variant: str) -> None:
    stack, expected, expected_total = STACKS[variant]
    result = cost_of(*stack)
    assert sum(expected.values(), D(0)) == expected_total  # the table above adds up
    assert {c.name: c.monthly for c in result.components if c.billable} == expected
    assert result.monthly == expected_total
    assert result.not_estimated == ()
    # ... and what `make plan` prints: one row per component and the total, to the cent.
    printed = {
        line.split()[0]: line.split()[-1]
        for line in plan_text(result, TABLE).splitlines()
        if line.startswith("    ") and line.strip().split()[-1].startswith("$")
    }
    assert printed == {**{name: money(usd) for name, usd in expected.items()}, "Total": money(expected_total)}


@pytest.fixture(scope="module")
def tokyo_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project with prd moved to Tokyo: prd pins its zones and a list cannot be given with
    `-c` (the CLI refuses it), so this copy of Pulumi.prd.yaml names Tokyo's, as an operator's
    stack file would (Tokyo offers a new account ap-northeast-1a, 1c and 1d, as the mocks do)."""
    project = tmp_path_factory.mktemp("tokyo")
    for name in ("__main__.py", "Pulumi.yaml", "papyrus", "components"):
        (project / name).symlink_to(PROJECT_DIR / name)
    stack = (PROJECT_DIR / "Pulumi.prd.yaml").read_text()
    assert "aws:region: us-west-2" in stack
    assert "- us-west-2c" in stack
    stack = stack.replace("aws:region: us-west-2", f"aws:region: {TOKYO}")
    for zone, tokyo_zone in zip("abc", "acd", strict=True):
        stack = stack.replace(f"- us-west-2{zone}", f"- {TOKYO}{tokyo_zone}")
    (project / "Pulumi.prd.yaml").write_text(stack)
    return project


def _tokyo(variant: str, project: Path) -> Deployment:
    if variant == "dev":  # dev does not pin zones: the region alone moves it
        return run_stack("dev", f"aws:region={TOKYO}")
    return run_stack("prd", project_dir=project)


@pytest.mark.parametrize(
    ("variant", "expected", "expected_total"),
    [("dev", TOKYO_DEV, TOKYO_DEV_TOTAL), ("prd", TOKYO_PRD, TOKYO_PRD_TOTAL)],
)
def test_a_tokyo_stack_is_fully_estimated(
    variant: str, expected: dict[str, Decimal], expected_total: Decimal, tokyo_project: Path
) -> None:
    result = estimate_deployment(_tokyo(variant, tokyo_project), TOKYO, TABLE)
    assert {r.region for r in result.resources} == {TOKYO}
    assert sum(expected.values(), D(0)) == expected_total  # the table above adds up
    assert result.not_estimated == ()
    assert {c.name: c.monthly for c in result.components if c.billable} == expected
    assert result.monthly == expected_total
    # Traffic is priced too: every usage rate has Tokyo's figure.
    assert [u.what for u in result.usage if u.rate is None] == []
    rates = {u.what: u.rate for u in result.usage}
    assert rates["log data ingested"] == D("0.76")
    assert rates["HTTP API requests"] == D("1.29")


def test_dev_stays_within_its_budget() -> None:
    # Issue 14: dev's idle cost is at most $60 a month, thanks to its NAT instance (7.556 instead
    # of a NAT gateway's 36.50).
    assert cost_of("dev").monthly == DEV_TOTAL <= D(60)


@pytest.mark.parametrize("variant", list(STACKS))
def test_every_resource_type_the_stacks_create_is_classified(variant: str) -> None:
    deployment = run_stack(*STACKS[variant][0])
    unclassified = sorted({r.type for r in deployment if r.custom and classify(r.type) is None})
    assert unclassified == [], "classify these in cost/catalog.py (billable with a pricer, or free with a reason)"


def test_graph_json_carries_each_resource_figure_and_the_summary() -> None:
    deployment = run_stack("prd")
    graph = render.graph(deployment)
    annotate(graph, estimate_deployment(deployment, REGION, TABLE), TABLE)
    by_name = {(r["type"], r["name"]): r for r in graph["resources"]}
    nat = by_name[("aws:ec2/natGateway:NatGateway", "network-nat-us-west-2a")]["monthlyCost"]
    assert nat["usd"] == 32.85
    assert nat["lines"] == [
        {
            "what": "NAT gateway hours",
            "quantity": 730.0,
            "unit": "NAT gateway-hour",
            "price": "nat_gateway_hour",
            "rate": 0.045,
            "usd": 32.85,
        }
    ]
    subnet = by_name[("aws:ec2/subnet:Subnet", "network-public-us-west-2a")]["monthlyCost"]
    assert subnet == {"status": "free", "usd": 0.0, "region": "us-west-2", "reason": "subnets are free"}
    assert "monthlyCost" not in by_name[("papyrus:index:PublicPrivateVpc", "network")]  # components sum children
    assert all("monthlyCost" in r for r in graph["resources"] if r["custom"])
    summary = graph["cost"]
    assert summary["monthly"] == float(PRD_TOTAL)
    assert summary["region"] == "us-west-2"
    assert {c["name"]: c["usd"] for c in summary["components"]}["network"] == 109.5
    # Byte-stable: the same plan renders the same document.
    again = render.graph(deployment)
    annotate(again, estimate_deployment(deployment, REGION, TABLE), TABLE)
    assert json.dumps(again, sort_keys=True) == json.dumps(graph, sort_keys=True)


def _graph_file(deployment: Deployment, path: Path) -> Path:
    graph = render.graph(deployment)
    annotate(graph, estimate_deployment(deployment, REGION, TABLE), TABLE)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(graph, indent=2))
    return path


def test_pull_request_table_shows_base_head_and_difference(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    base = _graph_file(run_stack("dev"), tmp_path / "base-plan" / "dev" / "graph.json")
    head = _graph_file(run_stack("dev", "natStrategy=single"), tmp_path / "plan" / "dev" / "graph.json")
    assert diff_main([str(base), str(head), "--stack", "dev"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("### Cost: dev (us-west-2), USD a month before traffic\n")
    # A NAT gateway instead of the NAT instance: 7.556 -> 36.50 (+28.944), total 57.92 -> 86.86.
    assert "| network (PublicPrivateVpc) | $7.56 | $36.50 | +$28.94 |" in out
    assert "| web (ApplicationLoadBalancer) | $23.73 | $23.73 | $0.00 |" in out
    assert "| **Total** | **$57.92** | **$86.86** | **+$28.94** |" in out
    assert "images" not in out  # free in both: no row


def test_pull_request_table_without_a_base_cost(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    head = _graph_file(run_stack("dev"), tmp_path / "head.json")
    assert diff_main([str(tmp_path / "missing.json"), str(head)]) == 0
    missing = capsys.readouterr().out
    assert "No base cost" in missing
    assert "| network (PublicPrivateVpc) | — | $7.56 | — |" in missing
    assert "| **Total** | — | **$57.92** | — |" in missing

    costless = json.loads(head.read_text())
    del costless["cost"]
    old = tmp_path / "old.json"
    old.write_text(json.dumps(costless))
    assert diff_main([str(old), str(head)]) == 0
    assert "No base cost" in capsys.readouterr().out
    assert diff_main([str(head), str(tmp_path / "missing.json")]) == 1


def test_readme_cost_table_is_the_generated_one() -> None:
    readme = (PROJECT_DIR / "README.md").read_text()
    generated = block({"dev": cost_of("dev"), "prd": cost_of("prd")}, TABLE)
    assert current(readme) == generated, "run `make docs`"


def test_readme_quotes_the_tokyo_figures() -> None:
    readme = (PROJECT_DIR / "README.md").read_text()
    assert f"{money(TOKYO_DEV_TOTAL)} for dev and {money(TOKYO_PRD_TOTAL)} for prd" in readme  # $63.78, $257.64


def test_component_docstrings_quote_the_computed_figures() -> None:
    from components.app_config import SecureAppConfig
    from components.fargate_service import FargateService
    from components.load_balancer import ApplicationLoadBalancer
    from components.vpc import PublicPrivateVpc

    assert money(ALB) in (ApplicationLoadBalancer.__doc__ or "")  # $16.43
    assert money(IPV4) in (ApplicationLoadBalancer.__doc__ or "")  # $3.65 per zone
    assert money(DEV["app"]) in (FargateService.__doc__ or "")  # $9.01 for the default size
    assert money(31 * D("0.30")) in (FargateService.__doc__ or "")  # $9.30 of Container Insights
    assert money(NAT_GATEWAY + IPV4) in (PublicPrivateVpc.__doc__ or "")  # $36.50 per gateway
    assert money(NAT_INSTANCE) in (PublicPrivateVpc.__doc__ or "")  # $7.56 per t4g.nano NAT instance
    assert money(3 * (NAT_GATEWAY + IPV4)) in (PublicPrivateVpc.__doc__ or "")  # $109.50 for three zones
    assert money(DEV["app-config"]) in (SecureAppConfig.__doc__ or "")  # $1.20 for three secrets
