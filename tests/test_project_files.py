"""The project files users and the CLI rely on stay valid and in step with each other."""

from __future__ import annotations

import re
import tomllib
from typing import Any

import yaml
from packaging.requirements import Requirement

from papyrus import config_docs
from tests.harness import PROJECT_DIR, read_workflow

PROJECT: dict[str, Any] = yaml.safe_load((PROJECT_DIR / "Pulumi.yaml").read_text())
STACKS = {s: yaml.safe_load((PROJECT_DIR / f"Pulumi.{s}.yaml").read_text())["config"] for s in ("dev", "prd")}
README = (PROJECT_DIR / "README.md").read_text()

# ARCHITECTURE.md §4: the stack configuration every environment states.
ARCHITECTURE_KEYS = [
    "vpcCidr",
    "azCount",
    "natStrategy",
    "logRetentionDays",
    "ecrTagMutability",
    "imageTag",
    "containerPort",
    "desiredCount",
    "appParameters",
    "db",
    "domainName",
    "hostedZoneId",
    "protect",
]
# Unset on both stacks: their empty default means "no custom domain".
OPTIONAL_KEYS = {"domainName", "hostedZoneId"}
SIMPLE_TYPES = {"string": str, "integer": int, "boolean": bool}


def test_pulumi_yaml_follows_the_cli_rules() -> None:
    """The rules `pulumi` applies when it loads a project (sdk/go/common/workspace/project.go)."""
    assert re.fullmatch(r"[A-Za-z0-9_.-]+", PROJECT["name"])
    for key, decl in PROJECT["config"].items():
        assert isinstance(decl, dict), key
        assert not ("default" in decl and "value" in decl), f"{key}: both default and value"
        assert set(decl) <= {"type", "items", "description", "secret", "default", "value"}, key
        if ":" in key and not key.startswith(f"{PROJECT['name']}:"):
            assert "type" not in decl, f"{key}: provider keys take only a value"
            assert "default" not in decl, f"{key}: provider keys take only a value"
            assert "value" in decl, key
            continue
        type_name = decl.get("type")
        assert type_name in (None, "string", "integer", "boolean", "array"), key
        if type_name == "array":
            assert "items" in decl, key
        if type_name in SIMPLE_TYPES and "default" in decl:
            assert type(decl["default"]) is SIMPLE_TYPES[type_name], f"{key}: default is not a {type_name}"
        assert decl.get("description"), f"{key} has no description"


def test_every_architecture_key_is_declared_and_set_per_stack() -> None:
    for key in ARCHITECTURE_KEYS:
        assert key in PROJECT["config"], f"{key} missing from Pulumi.yaml"
        if key in OPTIONAL_KEYS:
            continue
        for stack, config in STACKS.items():
            assert f"papyrus:{key}" in config, f"{key} missing from Pulumi.{stack}.yaml"
    assert PROJECT["config"]["aws:region"]["value"] == "us-west-2"
    for config in STACKS.values():
        assert "auth0:domain" in config
        assert config["aws:region"] == "us-west-2"


def test_stack_files_differ_where_the_design_says() -> None:
    dev, prd = STACKS["dev"], STACKS["prd"]
    assert (dev["papyrus:vpcCidr"], prd["papyrus:vpcCidr"]) == ("10.10.0.0/16", "10.20.0.0/16")
    assert (dev["papyrus:azCount"], prd["papyrus:azCount"]) == (2, 3)
    # dev: one NAT instance, the cheap way out (issue 14); prd: a NAT gateway per zone.
    assert (dev["papyrus:natStrategy"], prd["papyrus:natStrategy"]) == ("instance", "per_az")
    # prd keeps every log a year: Security Hub CloudWatch.16's default minimum.
    assert (dev["papyrus:logRetentionDays"], prd["papyrus:logRetentionDays"]) == (1, 365)
    assert (dev["papyrus:ecrTagMutability"], prd["papyrus:ecrTagMutability"]) == ("MUTABLE", "IMMUTABLE")
    assert (dev["papyrus:protect"], prd["papyrus:protect"]) == (False, True)
    # A protected stack signs users in over HTTPS: prd carries a marked example domain.
    assert prd["papyrus:domainName"] == "app.papyrus.example.com"
    assert "papyrus:domainName" not in dev
    assert (dev["papyrus:webAcl"], prd["papyrus:webAcl"]) == (False, True)
    assert (dev["papyrus:loadBalancerAccessLogs"], prd["papyrus:loadBalancerAccessLogs"]) == (False, True)
    assert all(k.startswith("GUNICORN_") for k in dev["papyrus:appParameters"])


def test_runtime_uses_the_environment_the_makefile_builds() -> None:
    options = PROJECT["runtime"]["options"]
    assert PROJECT["runtime"]["name"] == "python"
    assert options == {"toolchain": "uv", "virtualenv": ".venv"}
    makefile = (PROJECT_DIR / "Makefile").read_text()
    assert re.search(r"^VENV := \.venv$", makefile, re.M)
    assert "sync --locked" in makefile


def test_tools_are_pinned_and_everything_is_locked() -> None:
    """The package's own dependencies are ranges (see test_package.py); the tools are exact pins,
    and uv.lock fixes every version the program and the tests run with."""
    pyproject = tomllib.loads((PROJECT_DIR / "pyproject.toml").read_text())
    lock = tomllib.loads((PROJECT_DIR / "uv.lock").read_text())
    locked = {p["name"]: p["version"] for p in lock["package"]}
    for pin in pyproject["dependency-groups"]["dev"]:
        name, _, version = pin.partition("==")
        assert version, f"{pin} is not an exact pin"
        assert locked[name.lower()] == version, f"{name}: pyproject pins {version}, uv.lock has {locked[name.lower()]}"
    for requirement in pyproject["project"]["dependencies"]:
        parsed = Requirement(requirement)
        assert parsed.specifier.contains(locked[parsed.name]), f"uv.lock's {parsed.name} is outside {requirement}"
    for required in ("pulumi", "pulumi-aws", "pulumi-auth0", "pulumi-random", "pytest"):
        assert required in locked


def test_readme_config_table_matches_pulumi_yaml() -> None:
    begin, end = README.index(config_docs.BEGIN), README.index(config_docs.END)
    in_readme = README[begin + len(config_docs.BEGIN) : end].strip()
    assert in_readme == config_docs.table(PROJECT_DIR), "README config table is stale: run `make docs`"


def test_readme_leads_with_the_two_commands() -> None:
    first_plan, first_test = README.index("make plan"), README.index("make test")
    assert first_plan < README.index("pulumi up -s")
    assert first_test < README.index("pulumi up -s")


def test_ci_runs_the_readme_test_command() -> None:
    ci = (PROJECT_DIR / ".ci" / "run").read_text()
    assert re.search(r"^make test$", ci, re.M)


def _steps(job: dict[str, Any]) -> list[dict[str, Any]]:
    steps: list[dict[str, Any]] = job["steps"]
    return steps


def test_pull_requests_are_tested_then_previewed_per_stack() -> None:
    workflow = read_workflow("pull-request.yml")
    assert "pull_request" in workflow["on"]
    assert "pull_request_target" not in workflow["on"]
    test, preview = workflow["jobs"]["test"], workflow["jobs"]["preview"]
    assert any(step.get("run") == "make test" for step in _steps(test))
    assert preview["needs"] == "test"
    assert preview["strategy"]["matrix"]["stack"] == ["dev", "prd"]
    pulumi = next(s for s in _steps(preview) if s.get("uses", "").startswith("pulumi/actions@"))
    assert pulumi["with"]["command"] == "preview"
    assert pulumi["with"]["comment-on-pr"] is True
    # The policy pack gates the preview, with the stack's own pack config.
    assert pulumi["with"]["policyPacks"] == "policy"
    assert pulumi["with"]["policyPackConfigs"] == "policy/config/${{ matrix.stack }}.json"
    for stack in preview["strategy"]["matrix"]["stack"]:
        assert (PROJECT_DIR / "policy" / "config" / f"{stack}.json").is_file()


def test_prd_deploys_only_by_hand_behind_an_environment() -> None:
    workflow = read_workflow("deploy.yml")
    assert workflow["on"]["push"]["branches"] == ["main"]
    assert workflow["on"]["workflow_dispatch"]["inputs"]["stack"]["options"] == ["dev", "prd"]
    up = workflow["jobs"]["up"]
    assert up["needs"] == "test"
    # A push can only ever resolve to dev; prd needs the dispatch input and the environment's approval.
    assert up["environment"] == "${{ github.event_name == 'push' && 'dev' || inputs.stack }}"
    assert up["concurrency"]["cancel-in-progress"] is False
    pulumi = next(s for s in _steps(up) if s.get("uses", "").startswith("pulumi/actions@"))
    assert pulumi["with"]["command"] == "up"
    # The policy pack gates the update too: a mandatory finding stops prd before any change.
    assert pulumi["with"]["policyPacks"] == "policy"
    assert pulumi["with"]["policyPackConfigs"] == (
        "policy/config/${{ github.event_name == 'push' && 'dev' || inputs.stack }}.json"
    )


def test_every_action_is_pinned_to_a_commit() -> None:
    for path in (PROJECT_DIR / ".github" / "workflows").glob("*.yml"):
        for line in path.read_text().splitlines():
            if "uses:" in line:
                ref = line.split("uses:", 1)[1].split("#")[0].strip()
                assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", ref), f"{path.name}: {ref} is not pinned"
