"""Issue 13's acceptance table: every family of bad input is refused in one line, before anything
is registered, and the inputs just inside each limit are accepted (the checks are exact, not strict).

Refusals run the offline plan's `main()` in process (exit code, the one line on stderr) and the
program itself (what it had registered when it stopped); a few go through `make plan`.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from components.app_config import READ_POLICY_MAX_CHARACTERS, read_policy_length_bound
from components.testing.engine import ProgramError
from offline.__main__ import main
from offline.stack import StackConfigError, run_program
from papyrus import settings as stack_settings
from papyrus.app_env import PROGRAM_PARAMETERS
from papyrus.settings import Settings
from tests.harness import PROJECT_DIR, load_settings, run_stack

PROVIDER = "pulumi:providers:aws"


@dataclass(frozen=True)
class Case:
    family: str
    key: str
    """The key as the line must name it."""
    shown: str
    """How the line shows the value received."""
    config: tuple[str, ...] = ()
    secrets: tuple[str, ...] = ()
    stack_file: Mapping[str, str] = field(default_factory=dict)
    """Edits to Pulumi.dev.yaml: old text -> new text."""
    registered: tuple[str, ...] = ()
    """Resource types registered before the refusal (none, except where AWS must be asked)."""


def _long_domain(length: int) -> str:
    head = "a" * (length - len(".example.com"))
    return ".".join(head[i : i + 60] for i in range(0, len(head), 60)) + ".example.com"


def _app_parameters(count: int) -> str:
    return json.dumps({f"SETTING_{i:03d}": "1" for i in range(count)})


def _most_app_parameters() -> int:
    """The most SETTING_nnn parameters the execution role's read policy has room for (dev stack)."""
    count = 0
    while True:
        names = [*PROGRAM_PARAMETERS, *(f"SETTING_{i:03d}" for i in range(count + 1))]
        length = read_policy_length_bound("/papyrus/dev", names, "papyrus/dev", ["auth0", "db", "flask"])
        if length > READ_POLICY_MAX_CHARACTERS:
            return count
        count += 1


MOST_APP_PARAMETERS = _most_app_parameters()
DB = '{{"host": "{host}", "name": "papyrus", "username": "app", "cidr": "10.11.0.0/24"}}'

CASES = [
    # ---- typos are refused, with the nearest key ----------------------------------------------
    Case("typo", "vpcCIDR", "'10.0.0.0/16'", config=("vpcCIDR=10.0.0.0/16",)),
    Case("typo", "azcount", "'3'", config=("azcount=3",)),
    Case("typo", "aws:regoin", "'eu-west-1'", config=("aws:regoin=eu-west-1",)),
    Case("typo", "auth0:domian", "'x.us.auth0.com'", config=("auth0:domian=x.us.auth0.com",)),
    Case("typo", "dbpassword", "[secret]", secrets=("dbpassword=Sup3r-Secret",)),
    Case("typo", "desiredcount", "'3'", config=("desiredcount=3",)),
    Case("typo", "domain_name", "'app.example.com'", config=("domain_name=app.example.com",)),
    Case("typo", "papyrsu:x", "'1'", config=("papyrsu:x=1",)),
    Case("typo", "aw:region", "'us-west-2'", config=("aw:region=us-west-2",)),
    Case("typo", "desiredcount", "'1'", stack_file={"papyrus:desiredCount:": "papyrus:desiredcount:"}),
    # A required key misspelt: the CLI reports it missing first; the line points at the typo.
    Case(
        "typo",
        "vpcCidr",
        "None; expected a value in Pulumi.dev.yaml",
        stack_file={"papyrus:vpcCidr:": "papyrus:vpccidr:"},
    ),
    Case("typo", "aws:accessKey", "[secret]", config=("aws:accessKey=AKIAIOSFODNN7EXAMPLE",)),
    # ---- type errors say the value --------------------------------------------------------------
    Case("type", "azCount", "'2.5'", config=("azCount=2.5",)),
    Case("type", "azCount", "'two'", config=("azCount=two",)),
    Case("type", "azCount", "' 3'", config=("azCount= 3",)),
    Case("type", "desiredCount", "''", config=("desiredCount=",)),
    Case("type", "protect", "'yes'", config=("protect=yes",)),
    Case("type", "protect", "'yes'", stack_file={"papyrus:protect: false": "papyrus:protect: yes"}),
    Case("type", "protect", "'on'", stack_file={"papyrus:protect: false": "papyrus:protect: on"}),
    Case("type", "azCount", "'2.5'", stack_file={"papyrus:azCount: 2": "papyrus:azCount: 2.5"}),
    Case("type", "imageTag", "None", stack_file={"papyrus:imageTag: latest": "papyrus:imageTag: ~"}),
    Case(
        "type",
        "containerPort",
        "'2024-01-02 00:00:00 +0000 UTC'",
        stack_file={"papyrus:containerPort: 5000": "papyrus:containerPort: 2024-01-02"},
    ),
    Case("type", "azCount", "3", stack_file={"papyrus:azCount: 2": "papyrus:azCount: 2\n  papyrus:azCount: 3"}),
    # ---- advice that is exact: the size named is accepted ---------------------------------------
    Case("advice", "vpcCidr", "'10.0.0.0/26'", config=("vpcCidr=10.0.0.0/26",)),
    Case("advice", "vpcCidr", "'10.0.0.0/25'", config=("vpcCidr=10.0.0.0/25",)),
    Case("advice", "vpcCidr", "'10.0.0.0/28'", config=("vpcCidr=10.0.0.0/28",)),
    # ---- accepted before, refused by AWS at deploy time -----------------------------------------
    Case("aws", "vpcCidr", "'169.254.0.0/16'", config=("vpcCidr=169.254.0.0/16",)),
    Case("aws", "vpcCidr", "'127.0.0.0/16'", config=("vpcCidr=127.0.0.0/16",)),
    Case("aws", "vpcCidr", "'224.0.0.0/16'", config=("vpcCidr=224.0.0.0/16",)),
    Case("aws", "vpcCidr", "'0.0.0.0/16'", config=("vpcCidr=0.0.0.0/16",)),
    Case("aws", "vpcCidr", "'240.0.0.0/16'", config=("vpcCidr=240.0.0.0/16",)),
    Case("aws", "appParameters.GREETING", "'{{ssm:/x}}'", config=('appParameters={"GREETING": "{{ssm:/x}}"}',)),
    Case("aws", "appParameters.T", "'a {{b}} c'", config=('appParameters={"T": "a {{b}} c"}',)),
    Case("aws", "domainName", repr(_long_domain(65)), config=(f"domainName={_long_domain(65)}", "hostedZoneId=Z1")),
    Case("aws", "domainName", repr(_long_domain(52)), config=(f"domainName={_long_domain(52)}", "hostedZoneId=Z1")),
    Case(
        "aws",
        "appParameters",
        f"'<{MOST_APP_PARAMETERS + 1} settings>'",
        config=(f"appParameters={_app_parameters(MOST_APP_PARAMETERS + 1)}",),
    ),
    Case("aws", "aws:region", "'us-west-9'", config=("aws:region=us-west-9",)),
    Case("aws", "aws:region", "'us-iso-east-1'", config=("aws:region=us-iso-east-1",)),
    Case("aws", "aws:region", "'cn-north-1'", config=("aws:region=cn-north-1",)),
    Case("aws", "aws:region", "'us-gov-east-1'", config=("aws:region=us-gov-east-1",)),
    Case("aws", "aws:region", "'eusc-de-east-1'", config=("aws:region=eusc-de-east-1",)),
    # ---- more zones than the region has: AWS must be asked, through the provider ---------------
    Case("zones", "azCount", "5", config=("azCount=5",), registered=(PROVIDER,)),
    Case("zones", "azCount", "4", config=("aws:region=eu-west-1", "azCount=4"), registered=(PROVIDER,)),
    # ---- unsafe or silently wrong ---------------------------------------------------------------
    Case("unsafe", "dbPassword", "[secret]", config=("dbPassword=Plain-Text-1",)),
    Case("unsafe", "auth0:clientSecret", "[secret]", config=("auth0:clientSecret=abcdef",)),
    Case("unsafe", "appParameters.PATH", "'PATH'", config=('appParameters={"PATH": "/tmp"}',)),
    Case("unsafe", "appParameters.LD_PRELOAD", "'LD_PRELOAD'", config=('appParameters={"LD_PRELOAD": "x.so"}',)),
    Case("unsafe", "appParameters.PYTHONPATH", "'PYTHONPATH'", config=('appParameters={"PYTHONPATH": "/x"}',)),
    Case("unsafe", "appParameters.AWS_REGION", "'AWS_REGION'", config=('appParameters={"AWS_REGION": "x"}',)),
    Case("unsafe", "appParameters.HOME", "'HOME'", config=('appParameters={"HOME": "/"}',)),
    Case("unsafe", "appParameters.ECS_X", "'ECS_X'", config=('appParameters={"ECS_X": "1"}',)),
    Case("unsafe", "appParameters.URL", "[secret]", config=('appParameters={"URL": "postgres://u:pw@h/db"}',)),
    Case("unsafe", "appParameters.DSN", "[secret]", config=('appParameters={"DSN": "app:hunter2@db.example.com"}',)),
    Case("unsafe", "appParameters.KEY_ID", "[secret]", config=('appParameters={"KEY_ID": "AKIAIOSFODNN7EXAMPLE"}',)),
    Case(
        "unsafe",
        "appParameters.CERT",
        "[secret]",
        config=('appParameters={"CERT": "-----BEGIN RSA PRIVATE KEY-----\\nMIIE"}',),
    ),
    Case("unsafe", "db.host", "'0.0.0.0'", config=("db=" + DB.format(host="0.0.0.0"),)),  # noqa: S104
    Case("unsafe", "db.host", "'127.0.0.1'", config=("db=" + DB.format(host="127.0.0.1"),)),
    Case("unsafe", "db.host", "'169.254.169.254'", config=("db=" + DB.format(host="169.254.169.254"),)),
    Case("unsafe", "db.host", "'224.0.0.1'", config=("db=" + DB.format(host="224.0.0.1"),)),
    Case("unsafe", "db.host", "'db.localhost'", config=("db=" + DB.format(host="db.localhost"),)),
    Case("unsafe", "imageTag", "'v1\\x00'", config=("imageTag=v1\0",)),
    Case("unsafe", "appParameters.X", "'\\x00'", config=('appParameters={"X": "\\u0000"}',)),
    Case("unsafe", "appParameters.X", "'\\ud800'", config=('appParameters={"X": "\\ud800"}',)),
    Case("unsafe", "imageTag", "'\\udcff'", config=("imageTag=\udcff",)),
    Case("unsafe", "azCount", "'99999", config=("azCount=" + "9" * 5000,)),
    Case("unsafe", "appParameters", '\'{"X": 99999', config=('appParameters={"X": ' + "9" * 5000 + "}",)),
    Case("unsafe", "appParameters", "'[[[[", config=("appParameters=" + "[" * 100_000 + "]" * 100_000,)),
    Case("unsafe", "db", '\'{"a": {"a":', config=("db=" + '{"a": ' * 5000 + "1" + "}" * 5000,)),
]


def _project(tmp_path: Path, edits: Mapping[str, str]) -> Path:
    if not edits:
        return PROJECT_DIR
    for name in ("Pulumi.yaml", "__main__.py"):
        shutil.copy(PROJECT_DIR / name, tmp_path / name)
    stack = (PROJECT_DIR / "Pulumi.dev.yaml").read_text()
    for old, new in edits.items():
        assert old in stack, old
        stack = stack.replace(old, new)
    (tmp_path / "Pulumi.dev.yaml").write_text(stack)
    return tmp_path


@pytest.mark.parametrize("case", CASES, ids=[f"{c.family}-{c.key}-{i}" for i, c in enumerate(CASES)])
def test_bad_input_is_one_line_exit_1_and_registers_nothing(
    case: Case, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _project(tmp_path, case.stack_file)
    argv = ["--project-dir", str(project), "--stack", "dev"]
    argv += [f"--config={c}" for c in case.config] + [f"--config-secret={s}" for s in case.secrets]
    assert main(argv) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1, captured.err
    line = captured.err.rstrip("\n")
    assert line.startswith(f"error: stack 'dev' config: invalid {case.key}={case.shown}"), line
    assert "; expected " in line

    try:
        run_program(project, "dev", case.config, case.secrets)
    except StackConfigError:
        registered: list[str] = []  # refused the way the CLI would, before the program ran
    except ProgramError as exc:
        registered = [r.type for r in exc.deployment]
    else:
        raise AssertionError("the program ran")
    assert registered == list(case.registered)


def test_every_family_of_the_issue_has_cases() -> None:
    assert {c.family for c in CASES} == {"typo", "type", "advice", "aws", "zones", "unsafe"}


def test_typos_suggest_the_nearest_key(capsys: pytest.CaptureFixture[str]) -> None:
    expected = {
        "vpcCIDR": "vpcCidr",
        "azcount": "azCount",
        "aws:regoin": "aws:region",
        "auth0:domian": "auth0:domain",
        "dbpassword": "dbPassword",
        "desiredcount": "desiredCount",
        "domain_name": "domainName",
        "aw:region": "aws:region",
    }
    for typo, meant in expected.items():
        assert main(["--project-dir", str(PROJECT_DIR), f"--config-secret={typo}=Value-12345"]) == 1
        assert capsys.readouterr().err.rstrip().endswith(f"did you mean {meant}?")


# ---- inputs just inside each limit are accepted ------------------------------------------------


def _settings(*config: str, secrets: tuple[str, ...] = ()) -> Settings:
    return load_settings("dev", *config, secrets=secrets)


ACCEPTED: list[tuple[tuple[str, ...], str, Any]] = [
    (("desiredCount=0",), "desired_count", 0),
    (("desiredCount=1000",), "desired_count", 1000),
    (("desiredCount=+3",), "desired_count", 3),  # Go's Atoi, the CLI's rule, takes a sign
    (("azCount=03",), "az_count", 3),  # a leading zero too
    (("vpcCidr=10.0.0.0/24",), "vpc_cidr", "10.0.0.0/24"),  # the smallest VPC with 2 zones
    (("vpcCidr=10.0.0.0/23", "azCount=3"), "vpc_cidr", "10.0.0.0/23"),  # ... with 3 zones
    (("vpcCidr=172.17.0.0/16",), "vpc_cidr", "172.17.0.0/16"),  # AWS only advises against it
    (("vpcCidr=100.64.0.0/16",), "vpc_cidr", "100.64.0.0/16"),
    (("vpcCidr=223.255.0.0/16",), "vpc_cidr", "223.255.0.0/16"),  # just below multicast
    (("vpcCidr=1.0.0.0/16",), "vpc_cidr", "1.0.0.0/16"),  # just above 0.0.0.0/8
    # internal-api.<domainName> must fit ACM's 64 octets: the program's limit is 51 (the component's is 64)
    ((f"domainName={_long_domain(51)}", "hostedZoneId=Z1"), "domain_name", _long_domain(51)),
    (("domainName=xn--bcher-kva.example", "hostedZoneId=Z1"), "domain_name", "xn--bcher-kva.example"),
    (("containerPort=80",), "container_port", 80),
    (("containerPort=443",), "container_port", 443),
    (("containerPort=65535",), "container_port", 65535),
    (("containerPort=1",), "container_port", 1),
    (("taskCpu=16384", "taskMemory=122880"), "task_memory", 122880),
    (("taskCpu=256", "taskMemory=512"), "task_cpu", 256),
    (("logRetentionDays=3653",), "log_retention_days", 3653),
    (("imageTag=" + "v" * 128,), "image_tag", "v" * 128),
    (("aws:region=us-gov-west-1",), "region", "us-gov-west-1"),
    (("aws:region=ap-southeast-7",), "region", "ap-southeast-7"),
    (("aws:region=il-central-1",), "region", "il-central-1"),
    (("aws:profile=deploy-dev",), "aws_provider_options", {"profile": "deploy-dev"}),
    (('aws:allowedAccountIds=["012345678901"]',), "aws_provider_options", {"allowed_account_ids": ["012345678901"]}),
    (
        ("db=" + DB.format(host="10.0.0.5"),),
        "db",
        stack_settings.DatabaseSettings("10.0.0.5", "papyrus", "app", cidr="10.11.0.0/24"),
    ),
    (
        ("db=" + DB.format(host="203.0.113.9"),),
        "db",
        stack_settings.DatabaseSettings("203.0.113.9", "papyrus", "app", cidr="10.11.0.0/24"),
    ),
    (('appParameters={"X": "' + "y" * 4096 + '"}',), "app_parameters", {"X": "y" * 4096}),
    (('appParameters={"CONTACT": "mailto:ops@example.com"}',), "app_parameters", {"CONTACT": "mailto:ops@example.com"}),
    (('appParameters={"OPEN": "{{ only opens"}',), "app_parameters", {"OPEN": "{{ only opens"}),
    (('appParameters={"URL": "https://user@example.com/x"}',), "app_parameters", {"URL": "https://user@example.com/x"}),
    (('appParameters={"TZ": "UTC", "LANG": "C.UTF-8", "PATHS": "a"}',), "app_parameters", None),
    (('appParameters={"GREETING": "héllo wörld ✓"}',), "app_parameters", {"GREETING": "héllo wörld ✓"}),
    (("pulumi:tags={}",), "stack", "dev"),
    (("auth0:clientId=abc123",), "stack", "dev"),
]


@pytest.mark.parametrize(("config", "attribute", "expected"), ACCEPTED, ids=[a[0][0][:40] for a in ACCEPTED])
def test_values_just_inside_the_limits_are_accepted(config: tuple[str, ...], attribute: str, expected: Any) -> None:
    value = getattr(_settings(*config), attribute)
    if expected is not None:
        assert (dict(value) if isinstance(value, Mapping) else value) == expected


def test_secrets_set_as_secrets_are_accepted() -> None:
    s = _settings(secrets=("dbPassword=Sup3r-Secret_value", "auth0:clientSecret=abcdef"))
    assert s.db_password is not None


@pytest.mark.parametrize(
    "config",
    [
        ("azCount=4",),  # every zone of us-west-2 the account has
        (f"domainName={_long_domain(51)}", "hostedZoneId=Z0123456789ABCDEFGHIJ"),
        ("taskCpu=16384", "taskMemory=122880"),
        (f"appParameters={_app_parameters(MOST_APP_PARAMETERS)}",),
    ],
    ids=["zones", "domain-51", "largest-fargate", "most-parameters"],
)
def test_the_whole_program_accepts_the_limits_its_components_check_too(config: tuple[str, ...]) -> None:
    deployment = run_stack("dev", *config)
    assert deployment.one("aws:ec2/vpc:Vpc")


# ---- through make ------------------------------------------------------------------------------


def _make_plan(tmp_path: Path, config: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["make", "-s", "plan", f"CONFIG={config}", f"PLAN_DIR={tmp_path}"],
        cwd=PROJECT_DIR,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


needs_make = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


TRICKY = """say "hi"  for $5 or $(HOME), it's `free` \\o/"""
"""Spaces, `$` that make or a shell would expand, both quotes, backquotes and a backslash."""


def test_configs_hand_spaces_dollars_and_quotes_over_intact(tmp_path: Path) -> None:
    config = "azCount=3 appParameters=" + shlex.quote(json.dumps({"GREETING": TRICKY}))
    graph_file = tmp_path / "graph.json"
    assert main(["--project-dir", str(PROJECT_DIR), "--configs", config, "--json", str(graph_file)]) == 0
    graph = json.loads(graph_file.read_text())
    values = {r["name"]: r["inputs"].get("insecureValue") for r in graph["resources"]}
    assert values["app-config-param-GREETING"] == TRICKY
    assert sum(r["type"] == "aws:ec2/subnet:Subnet" for r in graph["resources"]) == 6


@needs_make
@pytest.mark.subprocess
def test_make_plan_hands_the_value_over_intact_and_writes_the_graph_this_process_writes(tmp_path: Path) -> None:
    """One plan through make, in another process (another hash seed, a fresh engine): the tricky
    value reaches the program intact, and graph.json is byte for byte what a plan in this process
    writes for the same input (issue 10: graph.json is byte-identical for identical input)."""
    key = tmp_path / "key"
    key.write_text(bytes(range(32)).hex())
    config = "azCount=3 appParameters=" + shlex.quote(json.dumps({"GREETING": TRICKY}))
    made = _make_plan(tmp_path / "make", config, OFFLINE_PLAN_KEY_FILE=str(key))
    assert made.returncode == 0, made.stderr
    written = (tmp_path / "make" / "graph.json").read_bytes()
    graph = json.loads(written)
    values = {r["name"]: r["inputs"].get("insecureValue") for r in graph["resources"]}
    assert values["app-config-param-GREETING"] == TRICKY
    here = tmp_path / "here.json"
    assert main(["--configs", config, "--json", str(here), "--fingerprint-key", str(key)]) == 0
    assert written == here.read_bytes()
    text = written.decode()
    assert text.endswith("}\n")
    assert text == json.dumps(json.loads(text), indent=2, sort_keys=True) + "\n"


@needs_make
def test_make_plan_refuses_in_one_line_from_a_plan_that_exits_1(tmp_path: Path) -> None:
    # An unbalanced quote stops the plan before it imports the provider SDKs (a fraction of a second).
    result = _make_plan(tmp_path, "imageTag='v1 azCount=3")
    plan_lines = [x for x in result.stderr.splitlines() if not x.startswith("make")]
    assert plan_lines == ['error: --configs "imageTag=\'v1 azCount=3": No closing quotation'], result.stderr
    # make itself exits 2 whenever a recipe fails; the plan's own status is the one it reports.
    assert "Error 1" in result.stderr
    assert result.returncode == 2
