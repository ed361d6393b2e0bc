"""The offline plan diff (offline/diff.py): exact values on small graphs, properties on generated
ones, and a real config change of the dev stack."""

from __future__ import annotations

import copy
import json
import stat
import subprocess
import threading
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from offline import diff, fingerprint, render
from offline.__main__ import main
from tests.harness import PROJECT_DIR, run_stack

KEY = bytes(range(32))
OTHER_KEY = bytes(range(1, 33))


def resource(name: str, inputs: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "urn": f"urn:pulumi:dev::demo::aws:test/thing:Thing::{name}",
        "type": "aws:test/thing:Thing",
        "name": name,
        "inputs": inputs,
        **extra,
    }


def plan(*resources: dict[str, Any], outputs: dict[str, Any] | None = None, key: bytes | None = KEY) -> dict[str, Any]:
    return {
        "formatVersion": 2,
        "fingerprintKeyId": fingerprint.key_id(key) if key else None,
        "resources": list(resources),
        "outputs": outputs or {},
    }


def secret(name: str, value: Any, key: bytes = KEY, **inputs: Any) -> dict[str, Any]:
    """A resource whose `secretString` is the secret `value`, as graph.json holds it."""
    return resource(
        name,
        {"secretString": render.SECRET_TEXT, **inputs},
        secretInputs=["secretString"],
        secretFingerprints={"secretString": fingerprint.fingerprint(key, value)},
    )


# ---- exact values ------------------------------------------------------------------------------


def test_creates_updates_and_deletes_are_matched_by_urn() -> None:
    base = plan(resource("kept", {"size": 1}), resource("changed", {"size": 1, "name": "a"}), resource("gone", {}))
    head = plan(resource("kept", {"size": 1}), resource("changed", {"size": 2, "name": "a"}), resource("new", {}))
    result = diff.diff(base, head)
    assert [r.name for r in result.creates] == ["new"]
    assert [r.name for r in result.deletes] == ["gone"]
    assert [(r.name, r.keys) for r in result.updates] == [("changed", ("size",))]
    assert result.unchanged == 1
    assert result.summary() == "Changes: 1 to create, 1 to update, 1 to delete, 1 unchanged"


def test_changed_leaves_are_reported_with_their_paths_including_inside_json_strings() -> None:
    policy = {"Version": "2012-10-17", "Statement": [{"Action": "s3:GetObject", "Resource": "*"}]}
    changed_policy = {**policy, "Statement": [{"Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/*"}]}
    base = plan(resource("role", {"policy": json.dumps(policy), "tags": {"a": "1"}, "ports": [80]}))
    head = plan(resource("role", {"policy": json.dumps(changed_policy), "tags": {"b": "2"}, "ports": [80, 443]}))
    (update,) = diff.diff(base, head).updates
    assert update.keys == ("policy", "ports", "tags")
    assert [diff.change_line(c) for c in update.changes] == [
        '~ policy.Statement[0].Resource: "*" => "arn:aws:s3:::bucket/*"',
        "+ ports[1]: 443",
        '- tags.a: "1"',
        '+ tags.b: "2"',
    ]


def test_values_of_different_json_types_differ() -> None:
    base = plan(resource("r", {"a": 1, "b": True, "c": "1"}))
    head = plan(resource("r", {"a": 1.5, "b": 1, "c": 1}))
    (update,) = diff.diff(base, head).updates
    assert update.keys == ("a", "b", "c")


def test_a_changed_secret_is_an_update_shown_masked_and_an_unchanged_one_is_not() -> None:
    base = plan(secret("db", {"password": "old-password"}), secret("flask", "same-key"))
    head = plan(secret("db", {"password": "new-password"}), secret("flask", "same-key"))
    result = diff.diff(base, head)
    assert [(r.name, r.keys) for r in result.updates] == [("db", ("secretString",))]
    assert result.unchanged == 1
    text = diff.render(result)
    assert "~ secretString: [secret] => [secret]" in text
    for fingerprint_value in (*base["resources"], *head["resources"]):
        assert fingerprint_value["secretFingerprints"]["secretString"] not in text
    assert "not compared" not in text


def test_secrets_fingerprinted_with_different_keys_are_not_compared_and_the_diff_says_so() -> None:
    base = plan(secret("db", "old"), key=KEY)
    head = plan(secret("db", "new", key=OTHER_KEY), key=OTHER_KEY)
    result = diff.diff(base, head)
    assert result.updates == ()
    assert not result.secrets_compared
    assert "Note: secret values were not compared" in diff.render(result)


def test_a_value_that_is_secret_on_either_side_is_never_shown() -> None:
    base = plan(resource("r", {"password": "plain-before", "note": "was plain"}))
    head = plan(
        resource(
            "r",
            {"password": render.SECRET_TEXT},
            secretInputs=["password"],
            secretFingerprints={"password": fingerprint.fingerprint(KEY, "now-secret")},
        )
    )
    (update,) = diff.diff(base, head).updates
    assert update.keys == ("note", "password")
    assert [diff.change_line(c) for c in update.changes] == ['- note: "was plain"', "~ password: [secret] => [secret]"]


def test_outputs_are_compared_and_secret_outputs_masked() -> None:
    base = plan(
        outputs={"url": "http://a", "password": render.SECRET_TEXT, "same": 1},
    )
    base["secretOutputFingerprints"] = {"password": fingerprint.fingerprint(KEY, "p1")}
    head = plan(outputs={"url": "https://b", "password": render.SECRET_TEXT, "same": 1})
    head["secretOutputFingerprints"] = {"password": fingerprint.fingerprint(KEY, "p2")}
    result = diff.diff(base, head)
    assert [diff.change_line(c) for c in result.output_changes] == [
        "~ password: [secret] => [secret]",
        '~ url: "http://a" => "https://b"',
    ]


def test_render_exact() -> None:
    base = plan(resource("a", {"n": 1}), resource("c", {}))
    head = plan(resource("a", {"n": 2}), resource("b", {}))
    assert diff.render(diff.diff(base, head)) == "\n".join(
        [
            "~ aws:test/thing:Thing  a  [n]",
            "      ~ n: 1 => 2",
            "+ aws:test/thing:Thing  b",
            "- aws:test/thing:Thing  c",
            "Changes: 1 to create, 1 to update, 1 to delete, 0 unchanged",
        ]
    )
    assert (
        diff.render(diff.diff(base, base)) == "No changes.\nChanges: 0 to create, 0 to update, 0 to delete, 2 unchanged"
    )


def test_long_values_are_shortened() -> None:
    base = plan(resource("r", {"doc": "x" * 1000}))
    head = plan(resource("r", {"doc": "y" * 1000}))
    (line,) = diff.render(diff.diff(base, head)).splitlines()[1:2]
    assert len(line) < 2 * diff.MAX_VALUE_CHARS + 40
    assert " … " in line


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ([], "no 'resources' list"),
        ({"resources": [{"urn": "u", "type": "t"}]}, "resources[0] has no string 'name'"),
        ({"resources": [{"urn": "u", "type": "t", "name": "n", "inputs": []}]}, "inputs that are not an object"),
        ({"resources": [resource("a", {}), resource("a", {})]}, "appears twice"),
    ],
)
def test_files_that_are_not_plans_are_refused(document: Any, message: str) -> None:
    with pytest.raises(diff.PlanFormatError, match=message.replace("[", r"\[").replace("]", r"\]")):
        diff.validate(document, "x.json")


def test_a_first_format_graph_without_fingerprints_still_diffs() -> None:
    version_1 = {"project": "p", "stack": "dev", "resources": [resource("r", {"n": 1})], "outputs": {}}
    result = diff.diff(version_1, plan(resource("r", {"n": 2})))
    assert [(r.name, r.keys) for r in result.updates] == [("r", ("n",))]


# ---- properties --------------------------------------------------------------------------------

scalars = st.one_of(st.none(), st.booleans(), st.integers(-3, 3), st.text("ab", max_size=2))
values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.sampled_from("xyz"), inner, max_size=3)),
    max_leaves=4,
)
inputs = st.dictionaries(st.sampled_from(["a", "b", "c"]), values, max_size=3)


# Small graphs find the interesting cases (shared, added and removed URNs; secrets on one side)
# quickly; 50 examples each keep the five properties to about a second.
few = settings(max_examples=50, deadline=None)


@st.composite
def plans(draw: st.DrawFn) -> dict[str, Any]:
    names = draw(st.sets(st.sampled_from(["r0", "r1", "r2", "r3", "r4"]), max_size=4))
    resources = []
    for name in sorted(names):
        if draw(st.booleans()):
            value = draw(values)
            resources.append(secret(name, value, other=draw(inputs)))
        else:
            resources.append(resource(name, draw(inputs)))
    return plan(*resources, outputs=draw(inputs))


@given(plans())
@few
def test_a_plan_against_itself_has_no_changes(graph: dict[str, Any]) -> None:
    result = diff.diff(graph, copy.deepcopy(graph))
    assert result.empty
    assert result.unchanged == len(graph["resources"])


@given(plans(), plans())
@few
def test_creates_deletes_and_counts_follow_the_urns(base: dict[str, Any], head: dict[str, Any]) -> None:
    result = diff.diff(base, head)
    before = {r["urn"] for r in base["resources"]}
    after = {r["urn"] for r in head["resources"]}
    assert {r.urn for r in result.creates} == after - before
    assert {r.urn for r in result.deletes} == before - after
    assert {r.urn for r in result.updates} <= before & after
    assert len(result.creates) + len(result.updates) + result.unchanged == len(after)
    assert len(result.deletes) + len(result.updates) + result.unchanged == len(before)


@given(plans(), plans())
@few
def test_an_update_lists_exactly_the_keys_whose_values_or_secrets_differ(
    base: dict[str, Any], head: dict[str, Any]
) -> None:
    result = diff.diff(base, head)
    updated = {r.urn: set(r.keys) for r in result.updates}
    old = {r["urn"]: r for r in base["resources"]}
    for new in head["resources"]:
        if new["urn"] not in old:
            continue
        a, b = old[new["urn"]]["inputs"], new["inputs"]
        expected = {
            k
            for k in a.keys() | b.keys()
            if json.dumps(a.get(k, "missing"), sort_keys=True) != json.dumps(b.get(k, "missing"), sort_keys=True)
        }
        fa, fb = old[new["urn"]].get("secretFingerprints", {}), new.get("secretFingerprints", {})
        expected |= {k for k in fa.keys() | fb.keys() if fa.get(k) != fb.get(k)}
        assert updated.get(new["urn"], set()) == expected


@given(plans(), plans())
@few
def test_swapping_the_plans_swaps_creates_and_deletes(base: dict[str, Any], head: dict[str, Any]) -> None:
    forward, backward = diff.diff(base, head), diff.diff(head, base)
    assert [r.urn for r in forward.creates] == [r.urn for r in backward.deletes]
    assert [(r.urn, r.keys) for r in forward.updates] == [(r.urn, r.keys) for r in backward.updates]


@given(plans(), plans())
@few
def test_the_rendering_never_shows_a_fingerprint(base: dict[str, Any], head: dict[str, Any]) -> None:
    text = diff.render(diff.diff(base, head))
    for graph in (base, head):
        for r in graph["resources"]:
            for value in r.get("secretFingerprints", {}).values():
                assert value not in text
    assert text.splitlines()[-1].startswith("Changes: ")


# ---- fingerprints ------------------------------------------------------------------------------


def test_the_key_file_is_created_private_and_reused(tmp_path: Path) -> None:
    path = tmp_path / "build" / ".plan-key"
    key = fingerprint.load_or_create_key(path)
    assert len(key) == fingerprint.KEY_BYTES
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert fingerprint.load_or_create_key(path) == key
    assert fingerprint.fingerprint(key, {"a": 1}) != fingerprint.fingerprint(OTHER_KEY, {"a": 1})
    assert fingerprint.fingerprint(key, {"a": 1, "b": 2}) == fingerprint.fingerprint(key, {"b": 2, "a": 1})


def _create_key_from(threads: int, path: Path) -> tuple[list[bytes], list[Exception]]:
    """`threads` plans creating the key at `path` at the same moment: the keys they read, their errors."""
    barrier = threading.Barrier(threads)
    keys: list[bytes] = []
    errors: list[Exception] = []

    def create() -> None:
        barrier.wait()
        try:
            keys.append(fingerprint.load_or_create_key(path))
        except ValueError as exc:
            errors.append(exc)

    running = [threading.Thread(target=create) for _ in range(threads)]
    for thread in running:
        thread.start()
    for thread in running:
        thread.join()
    return keys, errors


def test_plans_creating_the_key_at_once_all_read_the_one_key(tmp_path: Path) -> None:
    # pytest -n 2 and CI plan side by side on a fresh checkout: nobody may read a half-written key.
    for round_ in range(40):
        path = tmp_path / str(round_) / ".plan-key"
        keys, errors = _create_key_from(8, path)
        assert errors == []
        assert len(keys) == 8
        assert len(set(keys)) == 1
        assert [p.name for p in path.parent.iterdir()] == [".plan-key"]  # no temporary file left


def test_a_key_file_that_is_not_a_key_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "key"
    path.write_text("not hex\n")
    with pytest.raises(ValueError, match="is not a plan fingerprint key"):
        fingerprint.load_or_create_key(path)


def test_the_key_file_comes_from_the_flag_then_the_environment_then_the_project(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(fingerprint.KEY_FILE_ENV, raising=False)
    assert fingerprint.key_file(tmp_path) == tmp_path / "build" / ".plan-key"
    monkeypatch.setenv(fingerprint.KEY_FILE_ENV, "/somewhere/key")
    assert fingerprint.key_file(tmp_path) == Path("/somewhere/key")
    assert fingerprint.key_file(tmp_path, Path("explicit")) == Path("explicit")


# ---- the real program --------------------------------------------------------------------------

DEV_CHANGE = (
    "desiredCount=2",
    'appParameters={"GUNICORN_WORKERS": "3", "GUNICORN_THREADS": "4", "GUNICORN_TIMEOUT": "60"}',
    'db={"host": "replica.internal.example.com", "name": "papyrus", "username": "papyrus_app", "cidr": "10.11.0.0/24"}',
)


def test_a_real_config_change_updates_exactly_the_resources_and_keys_it_touches() -> None:
    base = render.graph(run_stack("dev"), KEY)
    head = render.graph(run_stack("dev", *DEV_CHANGE), KEY)
    result = diff.diff(json.loads(json.dumps(base)), json.loads(json.dumps(head)))
    assert result.creates == result.deletes == ()
    assert {(r.type, r.name, r.keys) for r in result.updates} == {
        # the new parameter and secret versions redeploy the service (its triggers)
        ("aws:ecs/service:Service", "app-service", ("desiredCount", "triggers")),
        ("aws:ssm/parameter:Parameter", "app-config-param-GUNICORN_WORKERS", ("insecureValue",)),
        ("aws:secretsmanager/secretVersion:SecretVersion", "app-config-secret-db-version", ("secretString",)),
    }
    assert result.output_changes == ()
    text = diff.render(result)
    assert "~ desiredCount: 1 => 2" in text
    assert '~ insecureValue: "2" => "3"' in text
    assert "~ secretString: [secret] => [secret]" in text
    assert "replica.internal.example.com" not in text  # the host travels inside a secret document
    assert (
        text.splitlines()[-1]
        == f"Changes: 0 to create, 3 to update, 0 to delete, {len(base['resources']) - 3} unchanged"
    )


def test_the_readme_example_shows_what_the_plan_prints() -> None:
    # README, "What a change would do": `make plan CONFIG="desiredCount=2" BASE=<dev's graph>`.
    readme = (PROJECT_DIR / "README.md").read_text()
    example = readme.split('$ make plan CONFIG="desiredCount=2" BASE=/tmp/before.json\n...\n', 1)[1]
    shown = example.split("\n```", 1)[0].splitlines()[1:]  # after the "Changes against ..." heading
    base = render.graph(run_stack("dev"), KEY)
    head = render.graph(run_stack("dev", "desiredCount=2"), KEY)
    assert shown == diff.render(diff.diff(base, head)).splitlines()


def test_graph_json_is_byte_identical_across_two_runs_of_the_program(tmp_path: Path) -> None:
    """Two independent plans of the same input write the same bytes (another process, through
    make: tests/test_bad_input.py), sorted and ending in one newline."""
    key_file = tmp_path / "key"
    key_file.write_text(KEY.hex())
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    for out in (first, second):
        assert main(["--stack", "dev", "--json", str(out), "--fingerprint-key", str(key_file)]) == 0
    written = first.read_bytes()
    assert written == second.read_bytes()
    # The plan adds each resource's monthly cost to the graph render.graph makes.
    plan_resources = [{k: v for k, v in r.items() if k != "monthlyCost"} for r in json.loads(written)["resources"]]
    assert plan_resources == json.loads(render.dump(render.graph(run_stack("dev"), KEY)))["resources"]
    text = written.decode()
    assert text.endswith("}\n")
    assert text == json.dumps(json.loads(text), indent=2, sort_keys=True) + "\n"


def test_compare_prints_the_changes_after_the_plan(secret_project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    base = secret_project / "base.json"
    assert main(["--project-dir", str(secret_project), "--stack", "test", "--json", str(base)]) == 0
    document = json.loads(base.read_text())
    document["resources"] = [r for r in document["resources"] if r["name"] != "box-secret"]
    (password,) = (r for r in document["resources"] if r["name"] == "password")
    password["inputs"]["length"] = 16
    base.write_text(json.dumps(document))
    capsys.readouterr()
    # --compare reads the base before --json replaces the same file.
    assert (
        main(["--project-dir", str(secret_project), "--stack", "test", "--compare", str(base), "--json", str(base)])
        == 0
    )
    out = capsys.readouterr().out
    assert f"Changes against {base}" in out
    assert [line.split() for line in out.splitlines()[-4:]] == [
        ["+", "aws:secretsmanager/secret:Secret", "box-secret"],
        ["~", "random:index/randomPassword:RandomPassword", "password", "[length]"],
        ["~", "length:", "16", "=>", "32"],
        ["Changes:", "1", "to", "create,", "1", "to", "update,", "0", "to", "delete,", "2", "unchanged"],
    ]


def test_compare_with_a_file_that_is_not_a_plan_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "missing.json"
    assert main(["--project-dir", str(PROJECT_DIR), "--stack", "dev", "--compare", str(missing)]) == 2
    assert capsys.readouterr().err.startswith(f"error: --compare: cannot read {missing}")


def test_make_plan_passes_base_through_as_compare() -> None:
    result = subprocess.run(
        ["make", "-n", "plan", "BASE=build/base-plan/dev/graph.json"],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    # The path reaches the recipe through the environment, unexpanded (see the Makefile).
    assert '--compare "$PLAN_BASE"' in result.stdout
    assert "plan: export PLAN_BASE := $(value BASE)" in (PROJECT_DIR / "Makefile").read_text()
    without = subprocess.run(["make", "-n", "plan"], cwd=PROJECT_DIR, capture_output=True, text=True, check=True)
    assert "--compare" not in without.stdout
    # make never expands the path, not even to test whether it is empty (as for CONFIG).
    odd = subprocess.run(
        ["make", "-n", "plan", "BASE=$(error expanded)/$5.json"],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert odd.returncode == 0, odd.stderr
    assert '--compare "$PLAN_BASE"' in odd.stdout
