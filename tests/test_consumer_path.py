"""Another team's path: the wheel alone, in a clean virtualenv, runs the examples' tests.

The wheel is built from this checkout (`uv build`), installed with pytest into a new virtualenv
at the versions uv.lock pins (what the suite tested; from uv's cache, PyPI for what it lacks),
and the examples' tests and the README's testing example run there from a directory outside the
repository, so nothing but the wheel can provide `components`.
"""

from __future__ import annotations

import email
import os
import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pulumi
import pytest
from packaging.requirements import Requirement

import components
from components.testing import ProgramError, run, run_component, with_aws_defaults
from components.testing.defaults import COMPONENT_INVOKES
from tests.harness import PROJECT_DIR

UV = PROJECT_DIR / ".tools" / "bin" / "uv"
EXAMPLES = ("orders-api",)
pytestmark = [
    pytest.mark.skipif(not UV.exists(), reason="uv is installed by `make env`"),
    pytest.mark.subprocess,
    # One worker builds the wheel and the virtualenv once for the whole module.
    pytest.mark.xdist_group("consumer"),
]


def _uv(*args: str | Path, cwd: Path) -> str:
    # uv's cache answers most of it; what it lacks (an index page `uv sync` never needed) comes
    # from PyPI, the one registry CI reaches, at the versions the constraints pin.
    env = {**os.environ, "UV_PYTHON_DOWNLOADS": "never", "UV_NO_PROGRESS": "1"}
    env.pop("VIRTUAL_ENV", None)
    result = subprocess.run(
        [str(UV), *map(str, args)], cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert result.returncode == 0, f"uv {' '.join(map(str, args))}:\n{result.stderr}"
    return result.stdout


def _locked_versions() -> list[str]:
    lock = tomllib.loads((PROJECT_DIR / "uv.lock").read_text())
    return [
        f"{p['name']}=={p['version']}" for p in lock["package"] if p["name"] != "papyrus-components" and "version" in p
    ]


@pytest.fixture(scope="module")
def consumer(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(the wheel, a consumer's directory with a virtualenv holding only the wheel and pytest)."""
    work = tmp_path_factory.mktemp("consumer")
    dist = work / "dist"
    _uv("build", "--wheel", "--out-dir", dist, PROJECT_DIR, cwd=work)
    [wheel] = dist.glob("papyrus_components-*.whl")
    constraints = work / "constraints.txt"
    constraints.write_text("\n".join(_locked_versions()) + "\n")
    venv = work / "venv"
    _uv("venv", "--quiet", "--python", sys.executable, venv, cwd=work)
    python = venv / "bin" / "python"
    # The examples' own dependencies: pulumi-random for orders-api; pytest to run them.
    _uv("pip", "install", "--quiet", "--python", python, "-c", constraints, wheel, "pytest", "pulumi-random", cwd=work)
    return wheel, python


def _metadata(wheel: Path) -> email.message.Message:
    with zipfile.ZipFile(wheel) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        return email.message_from_bytes(archive.read(name))


def test_the_wheel_ships_the_package_its_readme_and_license(consumer: tuple[Path, Path]) -> None:
    wheel, _ = consumer
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    top_level = {n.split("/", 1)[0] for n in names}
    assert top_level == {"components", f"papyrus_components-{components.__version__}.dist-info"}
    for shipped in ("components/testing/__init__.py", "components/PulumiPlugin.yaml", "components/py.typed"):
        assert shipped in names
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    metadata = _metadata(wheel)
    assert metadata["Version"] == components.__version__
    assert metadata["License-Expression"] == "Apache-2.0"
    description = metadata.get_payload(decode=True)
    assert isinstance(description, bytes)
    assert description.decode() == (PROJECT_DIR / "components" / "README.md").read_text()
    requires = metadata.get_all("Requires-Dist") or []
    assert requires, "the wheel declares its dependencies"
    for requirement in map(Requirement, requires):
        operators = {spec.operator for spec in requirement.specifier}
        assert operators == {">=", "<"}, f"consumers get a range of {requirement.name}: {requirement}"


def test_the_examples_tests_pass_with_only_the_wheel(consumer: tuple[Path, Path], tmp_path: Path) -> None:
    _, python = consumer
    # Importing the installed package registers nothing, prints nothing and connects to nothing;
    # pytest imports this conftest before any test module, so it sees the first import.
    (tmp_path / "conftest.py").write_text(
        "import contextlib, io, sys\n"
        "from pathlib import Path\n"
        "out = io.StringIO()\n"
        "with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):\n"
        "    import components\n"
        "from pulumi.runtime.settings import SETTINGS, get_root_resource\n"
        "assert out.getvalue() == '', out.getvalue()\n"
        "assert get_root_resource() is None and SETTINGS.monitor is None\n"
        "where = Path(components.__file__)\n"
        "assert where.is_relative_to(sys.prefix), f'components imported from {where}'\n"
    )
    for example in EXAMPLES:
        shutil.copytree(PROJECT_DIR / "examples" / example, tmp_path / example)
    # The README's testing example, against a project directory named as it says ("infra").
    shutil.copytree(PROJECT_DIR / "examples" / "orders-api", tmp_path / "infra")
    readme = (PROJECT_DIR / "components" / "README.md").read_text()
    [example_tests] = [block for block in re.findall(r"```python\n(.*?)```", readme, re.S) if "def test_" in block]
    (tmp_path / "test_readme.py").write_text(example_tests)
    (tmp_path / "pytest.ini").write_text(
        "[pytest]\naddopts = -q -p no:cacheprovider\nfilterwarnings =\n"
        "    ignore::DeprecationWarning\n    ignore::ResourceWarning\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    result = subprocess.run(
        [python, "-m", "pytest", "-c", "pytest.ini", "--rootdir", ".", *EXAMPLES, "test_readme.py"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    # Every test ran: none skipped or left uncollected.
    written = example_tests.count("def test_") + sum(
        (PROJECT_DIR / "examples" / example)
        .joinpath(f"test_{example.replace('-', '_')}.py")
        .read_text()
        .count("def test_")
        for example in EXAMPLES
    )
    assert re.search(rf"\b{written} passed\b", result.stdout), result.stdout


# ---- a consumer's own mocks ------------------------------------------------------------------


class NaiveMocks(pulumi.runtime.Mocks):
    """Mocks as Pulumi's testing guide writes them: echo the inputs, answer every call with {}."""

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, object]]:
        return f"{args.name}_id", dict(args.inputs)

    def call(self, args: pulumi.runtime.MockCallArgs) -> dict[str, object]:  # type: ignore[override]
        return {}


def _network() -> None:
    from components import PublicPrivateVpc

    network = PublicPrivateVpc("net", {"cidr_block": "10.30.0.0/20", "availability_zone_count": 2})
    pulumi.export("zones", network.availability_zones)


def test_naive_mocks_leave_the_vpc_without_zones() -> None:
    with pytest.raises(ProgramError):
        run(_network, mocks=NaiveMocks(), project="p", stack="s", config={"aws:region": "us-west-2"})


def test_with_aws_defaults_answers_what_naive_mocks_leave_out() -> None:
    deployment = run(
        _network,
        mocks=with_aws_defaults(NaiveMocks(), region="eu-west-1"),
        project="p",
        stack="s",
        config={"aws:region": "eu-west-1"},
    )
    assert deployment.outputs["zones"] == ["eu-west-1a", "eu-west-1b"]
    subnets = deployment.of_type("aws:ec2/subnet:Subnet")
    assert {s.id for s in subnets} == {f"{s.name}_id" for s in subnets}, "resources stay the consumer's"


class PinnedZones(NaiveMocks):
    def call(self, args: pulumi.runtime.MockCallArgs) -> dict[str, object]:  # type: ignore[override]
        if args.token == "aws:index/getAvailabilityZones:getAvailabilityZones":
            return {"names": ["eu-west-1c", "eu-west-1b"]}
        return {}


def test_the_consumers_own_answers_win() -> None:
    deployment = run(
        _network, mocks=with_aws_defaults(PinnedZones()), project="p", stack="s", config={"aws:region": "eu-west-1"}
    )
    assert deployment.outputs["zones"] == ["eu-west-1b", "eu-west-1c"]


def test_every_invoke_the_components_make_is_listed(tmp_path: Path) -> None:
    """Every component, in the configurations that look something up, calls only listed functions;
    and every listed function is one a component calls."""
    calls: list[str] = []

    class Recording(NaiveMocks):
        def call(self, args: pulumi.runtime.MockCallArgs) -> dict[str, object]:  # type: ignore[override]
            calls.append(args.token)
            return {}

    (tmp_path / "Dockerfile").write_text("FROM scratch\n")
    run_component(lambda: _lookups_of_every_component(tmp_path), mocks=with_aws_defaults(Recording()))
    assert set(calls) == set(COMPONENT_INVOKES)


def _lookups_of_every_component(context: Path) -> dict[str, object]:
    from components import AccessLogBucket, ContainerRegistry, NatStrategy, PublicPrivateVpc

    network = PublicPrivateVpc("net", {"cidr_block": "10.30.0.0/20", "nat_strategy": NatStrategy.INSTANCE})
    built = ContainerRegistry("built", {"repository_name": "built", "image_build": {"context": str(context)}})
    pushed = ContainerRegistry("pushed", {"repository_name": "pushed", "image_tag": "v1"})
    logs = AccessLogBucket("logs", {"prefixes": ["web"]})
    return {"vpc": network.vpc_id, "built": built.image_ref, "pushed": pushed.image_ref, "logs": logs.bucket_name}
