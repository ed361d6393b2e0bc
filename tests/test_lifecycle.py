"""Day 1 and day 2 of the whole program (issue 10): the first `pulumi up` of an empty account ends with
the app serving, and every later change reaches the running tasks while nothing else moves.

Orderings are checked on the recorded dependency graph, walked transitively (depending on a
component counts as depending on everything in it, as for the engine); changes by comparing two
independent runs resource by resource.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from pulumi.runtime.mocks import MockCallArgs

from components.auth0_application import REQUIRED_MANAGEMENT_SCOPES
from components.testing.engine import Deployment, ProgramError, RegisteredResource
from components.testing.mocks import ACCOUNT_ID, AwsMocks
from tests.harness import PROJECT_DIR, read_workflow, run_stack, run_stack_in

DOMAIN = ("domainName=papyrus.example.com", "hostedZoneId=Z0123456789ABCDEFGHIJ")
VARIANTS = {"dev": ("dev",), "prd": ("prd",), "prd-domain": ("prd", *DOMAIN)}
REGISTRY = f"{ACCOUNT_ID}.dkr.ecr.us-west-2.amazonaws.com"

TASK = "aws:ecs/taskDefinition:TaskDefinition"
SERVICE = "aws:ecs/service:Service"
LOAD_BALANCER = "aws:lb/loadBalancer:LoadBalancer"
ROUTE = "aws:ec2/route:Route"
ENDPOINT = "aws:ec2/vpcEndpoint:VpcEndpoint"
ATTACHMENT = "aws:ec2/internetGatewayAttachment:InternetGatewayAttachment"
SECRET_VERSION = "aws:secretsmanager/secretVersion:SecretVersion"
PARAMETER = "aws:ssm/parameter:Parameter"
SUBNET = "aws:ec2/subnet:Subnet"
IMAGE = "docker-build:index:Image"


@pytest.fixture(params=list(VARIANTS), scope="module")
def deployment(request: pytest.FixtureRequest) -> Deployment:
    return run_stack(*VARIANTS[request.param])


def _image(d: Deployment) -> str:
    [container] = json.loads(d.one(TASK).inputs["containerDefinitions"])
    image: str = container["image"]
    return image


def _closure(d: Deployment, resource: RegisteredResource) -> set[str]:
    return d.dependency_closure(resource)


def _inputs(resource: RegisteredResource) -> str:
    """What the engine would store for the resource, byte for byte."""
    return json.dumps(resource.inputs, sort_keys=True)


def _label(urn: str) -> str:
    """`<Type> <name>` from a URN: `TaskDefinition app-task` (the task role is `Role app-task`)."""
    *_, types, name = urn.split("::")
    return f"{types.rsplit('$', 1)[-1].rsplit(':', 1)[-1]} {name}"


def _changed(before: Deployment, after: Deployment) -> set[str]:
    """Resources added, removed or given different inputs between two runs, as `<Type> <name>`."""
    old = {r.urn: _inputs(r) for r in before}
    new = {r.urn: _inputs(r) for r in after}
    return {_label(urn) for urn in old.keys() | new.keys() if old.get(urn) != new.get(urn)}


def _app_context(root: Path, source: str = "print('hello')\n") -> Path:
    context = root / "papyrus-app"
    context.mkdir(parents=True, exist_ok=True)
    (context / "Dockerfile").write_text('FROM python:3.12-slim\nCOPY app.py /srv/\nCMD ["python", "/srv/app.py"]\n')
    (context / "app.py").write_text(source)
    return context


# ---- one run from an empty account: the image ------------------------------------------------------------


def test_the_service_runs_its_image_by_digest(deployment: Deployment) -> None:
    repository = f"{REGISTRY}/papyrus-{deployment.stack}"
    assert re.fullmatch(re.escape(repository) + r"@sha256:[0-9a-f]{64}", _image(deployment))
    assert deployment.outputs["image"] == _image(deployment)
    # The tag the stack names is only how the digest was found, at preview.
    assert not re.search(r":(latest|v1\.0\.0)$", _image(deployment))


def test_a_new_push_of_the_tag_shows_as_a_new_task_definition() -> None:
    before = run_stack("dev")
    pushed = run_stack_in(AwsMocks(stack="dev", image_digests={"papyrus-dev:latest": "sha256:" + "e" * 64}), "dev")
    assert _image(pushed) == f"{REGISTRY}/papyrus-dev@sha256:{'e' * 64}"
    assert _changed(before, pushed) == {"TaskDefinition app-task", "Service app-service"}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Deployment:
    """dev, building the app from its source for Graviton tasks instead of running the CI's :latest."""
    context = _app_context(tmp_path_factory.mktemp("checkout"))
    return run_stack("dev", f"imageBuildContext={context}", "imageTag=", "cpuArchitecture=ARM64")


def test_a_build_context_is_pushed_to_the_stacks_repository_and_run_by_digest(built: Deployment) -> None:
    image = built.one(IMAGE)
    repository = built.one("aws:ecr/repository:Repository")
    task = built.one(TASK)

    [tag] = image.inputs["tags"]
    assert re.fullmatch(re.escape(f"{REGISTRY}/papyrus-dev") + r":build-[0-9a-f]{32}", tag)
    assert image.inputs["push"] is True
    assert [r["address"] for r in image.inputs["registries"]] == [repository.outputs["repositoryUrl"]]
    assert _image(built) == f"{repository.outputs['repositoryUrl']}@{image.outputs['digest']}"
    assert image.urn in _closure(built, task)
    # Built for the tasks' architecture.
    assert image.inputs["platforms"] == ["linux/arm64"]
    assert task.inputs["runtimePlatform"] == {"operatingSystemFamily": "LINUX", "cpuArchitecture": "ARM64"}


def test_a_changed_source_is_a_new_image_and_an_unchanged_one_is_not(
    built: Deployment, tmp_path_factory: pytest.TempPathFactory
) -> None:
    same = _app_context(tmp_path_factory.mktemp("same"))
    edited = _app_context(tmp_path_factory.mktemp("edited"), source="print('hello, world')\n")
    overrides = ("imageTag=", "cpuArchitecture=ARM64")
    again = run_stack_in(AwsMocks(stack="dev"), "dev", f"imageBuildContext={same}", *overrides)
    changed = run_stack_in(AwsMocks(stack="dev"), "dev", f"imageBuildContext={edited}", *overrides)

    assert again.one(IMAGE).inputs["tags"] == built.one(IMAGE).inputs["tags"]
    assert _image(again) == _image(built)
    assert changed.one(IMAGE).inputs["tags"] != built.one(IMAGE).inputs["tags"]
    assert _image(changed) != _image(built)


def _refused(account: AwsMocks, stack: str, *overrides: str) -> ProgramError:
    with pytest.raises(ProgramError) as caught:
        run_stack_in(account, stack, *overrides)
    return caught.value


def test_a_missing_external_image_stops_the_program_before_any_cloud_resource() -> None:
    refused = _refused(AwsMocks(stack="prd", missing_images=["papyrus-prd:v1.0.0"]), "prd")
    assert str(refused.error) == (
        "stack 'prd' config: invalid imageTag='v1.0.0'; expected an image that exists: "
        f"push {REGISTRY}/papyrus-prd:v1.0.0 first (ECR has no such image in papyrus-prd), "
        "or build it in this run with imageBuildContext (the app's Docker build context)"
    )
    # Only the AWS provider, which the lookup itself needs: no network, no registry, nothing that could wait.
    assert [r.type for r in refused.deployment] == ["pulumi:providers:aws"]


def test_a_fresh_account_with_an_external_tag_is_told_to_build_the_first_image() -> None:
    refused = _refused(AwsMocks(stack="prd", missing_images=["papyrus-prd"]), "prd")
    message = str(refused.error)
    assert message.startswith("stack 'prd' config: invalid imageTag='v1.0.0'; expected an image that exists, but ")
    assert "repository papyrus-prd does not exist yet" in message
    assert "build the first image in this run with imageBuildContext" in message
    assert "\n" not in message
    assert [r.type for r in refused.deployment] == ["pulumi:providers:aws"]


# ---- ordering carried by the outputs -------------------------------------------------------------------------


def test_the_internet_facing_load_balancer_waits_for_the_attached_and_routed_gateway(deployment: Deployment) -> None:
    [web] = [lb for lb in deployment.of_type(LOAD_BALANCER) if lb.inputs["internal"] is False]
    closure = _closure(deployment, web)
    assert deployment.one(ATTACHMENT).urn in closure
    assert deployment.one(ROUTE, "network-public-default").urn in closure


def test_the_service_waits_for_the_private_routes_and_gateway_endpoints(deployment: Deployment) -> None:
    closure = _closure(deployment, deployment.one(SERVICE))
    routes = [r for r in deployment.of_type(ROUTE) if r.name.startswith("network-private-")]
    endpoints = deployment.of_type(ENDPOINT)
    assert len(routes) == {"dev": 2, "prd": 3}[deployment.stack]
    assert [e.name for e in endpoints] == ["network-dynamodb", "network-s3"]
    assert {r.urn for r in (*routes, *endpoints)} <= closure


def test_the_task_definition_waits_for_every_secret_version_and_parameter(deployment: Deployment) -> None:
    closure = _closure(deployment, deployment.one(TASK))
    versions = deployment.of_type(SECRET_VERSION)
    assert [v.name for v in versions] == [f"app-config-secret-{g}-version" for g in ("auth0", "db", "flask")]
    assert {r.urn for r in (*versions, *deployment.of_type(PARAMETER))} <= closure


# ---- zones that stay put -----------------------------------------------------------------------------------


def test_a_local_zone_the_lookup_offers_is_never_used(deployment: Deployment) -> None:
    lookup = MockCallArgs("aws:index/getAvailabilityZones:getAvailabilityZones", {"state": "available"}, "")
    offered = AwsMocks(stack=deployment.stack).call(lookup)[0]["names"]
    assert "us-west-2-lax-1a" in offered
    zones = {s.inputs["availabilityZone"] for s in deployment.of_type(SUBNET)}
    assert (
        zones
        == {"dev": {"us-west-2a", "us-west-2b"}, "prd": {"us-west-2a", "us-west-2b", "us-west-2c"}}[deployment.stack]
    )
    assert not any("lax" in r.name or "lax" in json.dumps(r.inputs) for r in deployment)


# ---- every change reaches the tasks, and nothing else moves -----------------------------------------------


def test_the_service_redeploys_on_the_versions_of_every_parameter_and_secret(deployment: Deployment) -> None:
    service = deployment.one(SERVICE).inputs
    expected = {
        f"parameter:{p.name.removeprefix('app-config-param-')}": str(p.outputs["version"])
        for p in deployment.of_type(PARAMETER)
    }
    expected |= {
        f"secret:{v.name.removeprefix('app-config-secret-').removesuffix('-version')}": v.outputs["versionId"]
        for v in deployment.of_type(SECRET_VERSION)
    }
    assert service["triggers"] == expected
    assert service["forceNewDeployment"] is True
    assert not deployment.one(SERVICE).is_secret("triggers")


def test_running_twice_with_the_same_config_changes_nothing() -> None:
    # The cached run and a fresh one: two independent runs of the program.
    first, second = run_stack("dev"), run_stack_in(AwsMocks(stack="dev"), "dev")
    assert first is not second
    assert _inputs(first.one(TASK)) == _inputs(second.one(TASK))
    assert _inputs(first.one(SERVICE)) == _inputs(second.one(SERVICE))
    assert _changed(first, second) == set()


def test_an_app_parameter_edit_redeploys_the_service_and_moves_nothing_else() -> None:
    edited = json.dumps({"GUNICORN_WORKERS": "3", "GUNICORN_THREADS": "4", "GUNICORN_TIMEOUT": "60"})
    before, after = run_stack("dev"), run_stack("dev", f"appParameters={edited}")
    assert _changed(before, after) == {"Parameter app-config-param-GUNICORN_WORKERS", "Service app-service"}
    triggers = (before.one(SERVICE).inputs["triggers"], after.one(SERVICE).inputs["triggers"])
    assert {k for k in triggers[0] if triggers[0][k] != triggers[1][k]} == {"parameter:GUNICORN_WORKERS"}


def test_a_new_database_password_redeploys_the_service_and_moves_nothing_else() -> None:
    before = run_stack("dev", secrets=("dbPassword=Configured-Passw0rd",))
    after = run_stack("dev", secrets=("dbPassword=Rotated-Passw0rd-2",))
    assert _changed(before, after) == {"SecretVersion app-config-secret-db-version", "Service app-service"}
    # Keyed on the version id: neither password appears in what the service is given.
    shown = _inputs(after.one(SERVICE))
    assert "Passw0rd" not in shown


def test_a_new_auth0_client_secret_redeploys_the_service() -> None:
    before = run_stack("dev")
    after = run_stack_in(AwsMocks(stack="dev", auth0_client_secret="rotated-client-secret-value"), "dev")
    assert _changed(before, after) == {"SecretVersion app-config-secret-auth0-version", "Service app-service"}
    assert "client-secret-value" not in _inputs(after.one(SERVICE))


def test_setting_a_domain_redeploys_with_the_https_callback() -> None:
    # dev serves plain HTTP until a domain is set (prd always has one: protected stacks need HTTPS).
    before, after = run_stack("dev"), run_stack("dev", *DOMAIN)
    old, new = (
        d.one(PARAMETER, "app-config-param-AUTH0_CALLBACK_URL").inputs["insecureValue"] for d in (before, after)
    )
    assert old.startswith("http://web-")
    assert new == "https://papyrus.example.com/callback"
    moved = before.one(SERVICE).inputs["triggers"], after.one(SERVICE).inputs["triggers"]
    assert moved[0]["parameter:AUTH0_CALLBACK_URL"] != moved[1]["parameter:AUTH0_CALLBACK_URL"]
    assert "Service app-service" in _changed(before, after)


# ---- Auth0 that works or says why ---------------------------------------------------------------------------


def test_an_empty_auth0_client_secret_stops_the_update_naming_the_scopes() -> None:
    refused = _refused(AwsMocks(stack="dev", auth0_client_secret=""), "dev")
    message = str(refused.error)
    assert "Auth0 returned an empty client secret" in message
    assert all(scope in message for scope in REQUIRED_MANAGEMENT_SCOPES)
    # Nothing received the empty value: no auth0 secret version, no task definition, no service.
    registered = {_label(r.urn) for r in refused.deployment}
    assert not registered & {
        "SecretVersion app-config-secret-auth0-version",
        "TaskDefinition app-task",
        "Service app-service",
    }


def test_the_readme_lists_exactly_the_scopes_the_provider_needs() -> None:
    readme = (PROJECT_DIR / "README.md").read_text()
    listed = set(re.findall(r"`((?:create|read|update|delete):[a-z_]+)`", readme))
    assert listed == set(REQUIRED_MANAGEMENT_SCOPES)


# ---- the deploy workflow works on a fresh account -----------------------------------------------------------


@pytest.mark.parametrize(("workflow", "job"), [("deploy.yml", "up"), ("pull-request.yml", "preview")])
def test_the_workflows_build_from_the_apps_source_when_it_is_configured(workflow: str, job: str) -> None:
    steps = read_workflow(workflow)["jobs"][job]["steps"]
    checkouts = [s for s in steps if s.get("uses", "").startswith("actions/checkout@")]
    app = next(s for s in checkouts if s.get("with", {}).get("path") == "app")
    assert app["if"] == "env.BUILD_APP == 'true'"
    assert app["with"]["repository"] == "${{ vars.APP_REPOSITORY }}"
    assert app["with"]["persist-credentials"] is False
    pulumi = next(s for s in steps if s.get("uses", "").startswith("pulumi/actions@"))
    # Building replaces the stack's imageTag with the checked-out context, as the settings require.
    assert "imageBuildContext: {value: app" in pulumi["with"]["config-map"]
    assert 'imageTag: {value: ""' in pulumi["with"]["config-map"]
    if workflow == "deploy.yml":
        uses = [s.get("uses", "") for s in steps if s.get("if") == "env.BUILD_APP == 'true'"]
        assert any(u.startswith("docker/setup-buildx-action@") for u in uses)
        assert any(u.startswith("docker/setup-qemu-action@") for u in uses)


def test_the_readme_has_no_bootstrap_left() -> None:
    readme = (PROJECT_DIR / "README.md").read_text()
    assert "desiredCount 0" not in readme
    assert "docker push" not in readme.split("## For other teams")[0].replace("`docker push <repositoryUrl>:<tag>`", "")
