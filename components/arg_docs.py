"""Per-key documentation of the Args `TypedDict`s, where `help()` and editors look for it.

Each key of an Args `TypedDict` is documented by the string literal on the line after it (an
attribute docstring). The component analyzer reads those for the package schema, but Python
keeps no trace of them at run time: `help(PublicPrivateVpcArgs)` would show only the class
docstring. `@documented_keys` appends every key, its type, whether it is required and its
docstring to the class docstring:

    @documented_keys
    class PublicPrivateVpcArgs(TypedDict):
        \"\"\"Arguments of PublicPrivateVpc.\"\"\"

        cidr_block: str
        \"\"\"The VPC's IPv4 range ...\"\"\"

The class itself is unchanged otherwise (still a `TypedDict` to type checkers); the original
docstring stays available as `summary(cls)` for the schema, which documents each key itself.
`@documented_values` does the same for the members of an enum (`NatStrategy`), whose values
the schema documents one by one too.
"""

import ast
import inspect
import textwrap
import types
import typing
from collections.abc import Mapping, Sequence
from enum import Enum
from typing import Any, TypeVar

import pulumi

T = TypeVar("T", bound=type)
E = TypeVar("E", bound=type[Enum])

_SUMMARY = "__papyrus_summary__"


def key_docs(cls: type) -> dict[str, str]:
    """The attribute docstring of each annotated key of `cls`, in source order, dedented."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(cls)))
    node = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == cls.__name__)
    docs: dict[str, str] = {}
    for statement, following in zip(node.body, [*node.body[1:], None], strict=True):
        if not (isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name)):
            continue
        if (
            isinstance(following, ast.Expr)
            and isinstance(following.value, ast.Constant)
            and isinstance(following.value.value, str)
        ):
            docs[statement.target.id] = inspect.cleandoc(following.value.value)
    return docs


def member_docs(cls: type[Enum]) -> dict[str, str]:
    """The docstring on the line after each member of enum `cls`, in source order, dedented."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(cls)))
    node = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == cls.__name__)
    docs: dict[str, str] = {}
    for statement, following in zip(node.body, [*node.body[1:], None], strict=True):
        if not (isinstance(statement, ast.Assign) and len(statement.targets) == 1):
            continue
        target = statement.targets[0]
        if (
            isinstance(target, ast.Name)
            and isinstance(following, ast.Expr)
            and isinstance(following.value, ast.Constant)
            and isinstance(following.value.value, str)
        ):
            docs[target.id] = inspect.cleandoc(following.value.value)
    return docs


def type_name(annotation: Any) -> str:  # noqa: PLR0911 (one form per kind of annotation)
    """An annotation as a reader writes it: `Input[int]`, `Sequence[str]`, `Mapping[str, str]`."""
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin in (typing.NotRequired, typing.Required):
        return type_name(args[0])
    if origin in (typing.Union, types.UnionType):
        # `pulumi.Input[T]` is `Union[T, Awaitable[T], Output[T]]`, the last one a forward reference.
        if any(_is_output(a) for a in args):
            return f"Input[{type_name(args[0])}]"
        return " | ".join(type_name(a) for a in args)
    if origin is pulumi.Output:
        return f"Output[{type_name(args[0])}]"
    if origin is not None:
        name = {Sequence: "Sequence", Mapping: "Mapping", list: "list", dict: "dict"}.get(origin, repr(origin))
        return f"{name}[{', '.join(type_name(a) for a in args)}]"
    if isinstance(annotation, typing.ForwardRef):
        return annotation.__forward_arg__
    return getattr(annotation, "__name__", repr(annotation))


def _is_output(annotation: Any) -> bool:
    if typing.get_origin(annotation) is pulumi.Output:
        return True
    return isinstance(annotation, typing.ForwardRef) and annotation.__forward_arg__.startswith("Output[")


def documented_keys(cls: T) -> T:
    """Append each key's type, requiredness and docstring to the docstring of TypedDict `cls`."""
    summary = inspect.cleandoc(cls.__doc__ or "")
    setattr(cls, _SUMMARY, summary)
    # The raw annotations: resolving them would need `Output`, which pulumi.Input names by string.
    hints: dict[str, Any] = dict(cls.__annotations__)
    required: frozenset[str] = getattr(cls, "__required_keys__", frozenset())
    entries = []
    for key, doc in key_docs(cls).items():
        flag = "required" if key in required else "optional"
        entries.append(f"{key}: {type_name(hints[key])} ({flag})\n{textwrap.indent(doc, '    ')}")
    cls.__doc__ = summary + "\n\nKeys:\n\n" + "\n\n".join(entries) + "\n"
    return cls


def documented_values(cls: E) -> E:
    """Append each member's value and docstring to the docstring of enum `cls`."""
    summary = inspect.cleandoc(cls.__doc__ or "")
    setattr(cls, _SUMMARY, summary)
    docs = member_docs(cls)
    entries = [
        f"{name} = {member.value!r}\n{textwrap.indent(docs.get(name, ''), '    ')}".rstrip()
        for name, member in cls.__members__.items()
    ]
    cls.__doc__ = summary + "\n\nValues:\n\n" + "\n\n".join(entries) + "\n"
    return cls


def summary(cls: type) -> str | None:
    """The class docstring as written, before `documented_keys` appended the keys."""
    value = getattr(cls, _SUMMARY, None)
    if isinstance(value, str):
        return value
    return inspect.cleandoc(cls.__doc__) if cls.__doc__ else None
