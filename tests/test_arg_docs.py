"""Every Args key is documented where `help()` and editors look: the class docstring."""

from __future__ import annotations

import inspect
import pydoc
import typing

import pytest

import components
from components import provider
from components.arg_docs import key_docs, summary, type_name

ARGS_CLASSES = sorted(
    {typing.get_type_hints(component.__init__)["args"] for component in provider.HOSTED_COMPONENTS}
    | {t.python_type for t in provider.hosted_provider()._type_defs.values() if not t.enum},
    key=lambda cls: cls.__name__,
)


@pytest.mark.parametrize("args_class", ARGS_CLASSES, ids=lambda cls: cls.__name__)
def test_help_shows_every_key_with_its_documentation(args_class: type) -> None:
    shown = pydoc.render_doc(args_class, renderer=pydoc.plaintext)  # type: ignore[attr-defined]
    docs = key_docs(args_class)
    assert set(docs) == set(args_class.__annotations__), "every key has an attribute docstring"
    required = args_class.__required_keys__  # type: ignore[attr-defined]
    for key, doc in docs.items():
        flag = "required" if key in required else "optional"
        assert f"{key}: {type_name(args_class.__annotations__[key])} ({flag})" in shown
        for line in doc.splitlines():
            assert line.strip() in shown, f"{args_class.__name__}.{key}: {line!r} missing from help()"


def test_the_summary_stays_what_the_class_says() -> None:
    assert summary(components.PublicPrivateVpcArgs) == inspect.cleandoc(
        "Arguments of `PublicPrivateVpc`; only `cidr_block` is required."
    )
    for token, spec in provider.schema()["types"].items():
        assert "Keys:" not in spec.get("description", ""), f"{token}: the schema documents keys itself"


def test_types_read_as_written() -> None:
    hints = components.FargateServiceArgs.__annotations__
    assert type_name(hints["vpc_id"]) == "Input[str]"
    assert type_name(hints["subnet_ids"]) == "Input[Sequence[Input[str]]]"
    assert type_name(hints["container_port"]) == "int"
    assert type_name(hints["load_balancers"]) == "Sequence[LoadBalancerTarget]"
    assert type_name(hints["secrets"]) == "Input[Sequence[Mapping[str, str]]]"
