"""Any string or JSON, given to any configuration key, ends in a plan or in one line naming the key.

Generic: the keys come from Pulumi.yaml (plus the provider keys the program reads or forwards),
so a key declared later is covered with no edit here. Most examples run only the settings
(`papyrus.settings.load()` under the mock runtime, ~20 ms); a sample runs the whole program.
"""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from components.testing.engine import ProgramError, run
from components.testing.mocks import AwsMocks
from components.validation import InvalidArgumentError
from offline.stack import StackConfigError, run_program
from offline.stack import load as load_stack_config
from papyrus import config_keys
from papyrus import settings as stack_settings
from tests.harness import PROJECT_DIR

_DECLARED = config_keys.declarations(PROJECT_DIR)
KEYS = sorted(
    {d.key for full, d in _DECLARED.items() if not full.startswith("pulumi:")}
    | set(stack_settings.READ_PROVIDER_KEYS)
    | {f"aws:{s}" for s in config_keys.AWS_FORWARDED_SETTINGS}
    | set(config_keys.PROVIDER_SECRETS)
)
SECRET_KEYS = {d.key for d in _DECLARED.values() if d.secret} | set(config_keys.PROVIDER_SECRETS)

# Text of every kind: control characters, NUL, lone surrogates, any script.
_CHARACTERS = st.one_of(st.characters(exclude_categories=()), st.characters(categories=["Cs"]))
_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(_CHARACTERS, max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(_CHARACTERS, max_size=12), children),
    max_leaves=12,
)


_NESTED = st.integers(min_value=1, max_value=3000).map(lambda depth: "[" * depth + "]" * depth)
# Past Python's int-to-str limit (4300 digits), alone and inside JSON.
_DIGITS = st.integers(min_value=4290, max_value=6000).map(lambda n: "9" * n)
VALUES = st.one_of(
    st.text(_CHARACTERS, max_size=60),
    _JSON.map(json.dumps),
    _NESTED,
    _DIGITS,
    _DIGITS.map(lambda digits: f'{{"SETTING": {digits}}}'),
)


def _assert_one_line_naming(key: str, message: str) -> None:
    assert "\n" not in message, message
    assert message.startswith("stack 'dev' config: invalid "), message
    assert key in message, f"{key} not named in: {message}"


def _outcome(key: str, value: str, *, as_secret: bool, whole_program: bool) -> None:
    """Run with `key=value`: it runs, or stops in one line naming the key, having registered nothing."""
    item = f"{key}={value}"
    overrides, secrets = ((), (item,)) if as_secret else ((item,), ())
    refused: BaseException | None = None
    registered: list[str] = []
    deferred: tuple[StackConfigError, ...] = ()
    try:
        config = load_stack_config(PROJECT_DIR, "dev", overrides, secrets)
        deferred = config.deferred
        if whole_program:
            run_program(PROJECT_DIR, "dev", overrides, secrets)
        else:
            run(
                stack_settings.load,
                mocks=AwsMocks(region=config.values.get("aws:region", "us-west-2")),
                project=config.project,
                stack="dev",
                config=config.values,
                secret_keys=config.secret_keys,
            )
    except StackConfigError as exc:  # what the CLI itself refuses (before the program, or after it accepted)
        refused = exc
    except ProgramError as exc:
        refused = exc.error
        registered = [r.type for r in exc.deployment]
    # The program must refuse by itself whatever the CLI's rules for a declared type refuse.
    assert refused is not None or not deferred, deferred
    assert str(refused) not in {str(d) for d in deferred}, f"the program accepted what the CLI refuses: {refused}"
    if refused is None:
        return
    assert isinstance(refused, (InvalidArgumentError, StackConfigError)), f"{type(refused).__name__}: {refused}"
    _assert_one_line_naming(
        key if isinstance(refused, InvalidArgumentError) else key.removeprefix("papyrus:"), str(refused)
    )
    # Only the zone count needs AWS, through the provider; nothing else is registered first.
    assert registered in ([], ["pulumi:providers:aws"])


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(key=st.sampled_from(KEYS), value=VALUES, plain=st.booleans())
def test_any_value_for_any_key_is_a_plan_or_one_line_naming_the_key(key: str, value: str, plain: bool) -> None:
    _outcome(key, value, as_secret=key in SECRET_KEYS and not plain, whole_program=False)


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(key=st.sampled_from(KEYS), value=VALUES)
def test_the_whole_program_too(key: str, value: str) -> None:
    _outcome(key, value, as_secret=key in SECRET_KEYS, whole_program=True)


def test_keys_cover_every_declaration() -> None:
    assert {"vpcCidr", "azCount", "appParameters", "db", "dbPassword", "protect", "auth0:domain"} <= set(KEYS)
    assert {d.key for full, d in _DECLARED.items() if not full.startswith("pulumi:")} <= set(KEYS)
