"""The whole policy pack over each committed stack's plan, with that stack's committed pack config
(policy/config/<stack>.json), as `make plan` and `pulumi preview --policy-pack policy` run it.

dev is advisory and shows exactly the findings its config declares; prd (as committed, and
with a custom domain) must have none at all.
"""

from __future__ import annotations

import time

from components.testing.engine import Deployment
from offline import policy_check
from tests.harness import PROJECT_DIR, run_stack

CONFIG = PROJECT_DIR / "policy" / "config"
DOMAIN = ("domainName=papyrus.example.com", "hostedZoneId=Z0123456789ABCDEFGHIJ")


def check(stack: str, *overrides: str) -> list[policy_check.Finding]:
    return policy_check.evaluate(run_stack(stack, *overrides), policy_check.load_config(CONFIG / f"{stack}.json"))


def declared(stack: str) -> set[tuple[str, str]]:
    settings = policy_check.load_config(CONFIG / f"{stack}.json")
    return {(policy, name) for policy, s in settings.items() for name in s.properties.get("declared", {})}


def test_dev_shows_exactly_its_declared_advisory_findings() -> None:
    found = check("dev")
    assert {f.enforcement for f in found} <= {"advisory"}
    undeclared = [(f.policy, f.resource_name, f.message) for f in found if not f.declared]
    assert undeclared == [], "dev has findings its pack config does not declare"
    # A declaration whose finding went away is stale: delete it from policy/config/dev.json.
    stale = declared("dev") - {(f.policy, f.resource_name) for f in found}
    assert stale == set(), "policy/config/dev.json declares findings dev no longer has"


def test_prd_declares_nothing_and_enforces_everything() -> None:
    assert declared("prd") == set()
    settings = policy_check.load_config(CONFIG / "prd.json")
    assert {s.level.value for s in settings.values()} == {"mandatory"}
    # prd has no finding to show it (below), so show it on dev's plan: every finding is mandatory.
    findings = policy_check.evaluate(run_stack("dev"), settings)
    assert findings
    assert {f.enforcement for f in findings} == {"mandatory"}


def test_prd_has_no_violation() -> None:
    assert [(f.control, f.resource_name, f.message) for f in check("prd")] == []


def test_prd_with_a_custom_domain_has_no_violation() -> None:
    assert [(f.control, f.resource_name, f.message) for f in check("prd", *DOMAIN)] == []


def test_evaluating_the_pack_over_a_plan_is_fast() -> None:
    deployment: Deployment = run_stack("prd")
    settings = policy_check.load_config(CONFIG / "prd.json")
    start = time.perf_counter()
    policy_check.evaluate(deployment, settings)
    assert time.perf_counter() - start < 1.0
