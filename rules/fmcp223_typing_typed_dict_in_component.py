from __future__ import annotations

import ast
import contextlib

import libcst as cst

from fastmcp_kit.lint.ast_names import imports_fastmcp, may_register_functions
from fastmcp_kit.lint.names import dotted_name
from fastmcp_kit.lint.registered_functions import Registration, registrations
from fastmcp_kit.lint.rule import Fix, Invalid, Rule, RuleContext, Valid
from fastmcp_kit.lint.violation import Severity
from fastmcp_kit.project import python_below_admitted

TYPING_TYPED_DICT = "typing.TypedDict"
# pydantic accepts typing.TypedDict from this Python on.
FIXED_IN_PYTHON = (3, 12)
PYPROJECT = """
[project]
name = "demo"
requires-python = "{spec}"
dependencies = ["fastmcp>=3"]
"""


def _annotation_names(node: cst.BaseExpression) -> set[str]:
    """The names an annotation mentions, string annotations included."""
    found: set[str] = set()
    pending: list[cst.CSTNode] = [node]
    while pending:
        current = pending.pop()
        if isinstance(current, cst.Name):
            found.add(current.value)
        elif isinstance(current, cst.SimpleString):
            text = current.evaluated_value
            if isinstance(text, str):
                with contextlib.suppress(cst.ParserSyntaxError):
                    pending.append(cst.parse_expression(text))
        else:
            pending.extend(current.children)
    return found


class TypingTypedDictInComponent(Rule):
    """A `typing.TypedDict` in a tool's or prompt's signature while the project admits Python < 3.12.

    ## What it does
    Flags `from typing import TypedDict` (or the `typing.TypedDict` base) when a
    TypedDict built from it reaches the signature of a function registered with a
    standalone FastMCP server: a tool's parameters or return annotation, or a prompt's
    parameters, directly (`-> list[Mailbox]`) or through a class of the module whose
    fields use it. It only fires when the project's `requires-python` admits a
    Python older than 3.12; without a `requires-python` nothing is reported.
    `typing_extensions.TypedDict`, TypedDicts used elsewhere, resource return values
    and projects on Python 3.12+ are left alone.

    ## Why is this bad?
    FastMCP builds the tool's schema with pydantic, which refuses `typing.TypedDict`
    on Python < 3.12: registration raises `PydanticUserError: Please use
    typing_extensions.TypedDict instead of typing.TypedDict on Python < 3.12` when
    the module is imported, so the server never starts (the client sees only
    `-32000`). Verified on Python 3.11 with 2.13.3, 2.14.7, 3.0.2, 3.2.4, 3.4.11,
    4.0.11, 4.1.7 and 4.2.3, for tool parameters, tool return annotations (with
    `output_schema=None` too) and prompt parameters; fine on Python 3.12 (3.4.11),
    and for resources' return annotations.

    ## Fix safety
    `typing_extensions.TypedDict` is the same construct and is always installed
    with FastMCP (pydantic depends on it): the fix changes a
    `from typing import TypedDict` that imports nothing else into
    `from typing_extensions import TypedDict`. Safe.
    """

    code = "FMCP223"
    reported_mistakes = ("038",)
    severity = Severity.ERROR
    message = (
        "`typing.TypedDict` `{typed_dict}` reaches the schema of {kind} `{function}`: on "
        "Python < 3.12 (requires-python `{spec}` admits it) pydantic refuses it at import "
        "(`PydanticUserError: Please use typing_extensions.TypedDict`); import `TypedDict` "
        "from `typing_extensions`"
    )
    fix_title = "Import `TypedDict` from `typing_extensions`"
    fastmcp_versions = ">=2.13"
    references = ("https://docs.pydantic.dev/latest/errors/usage_errors/#typed-dict-version",)

    needles = ("TypedDict",)

    @classmethod
    def may_apply_to_tree(cls, tree: ast.Module, context: RuleContext) -> bool:
        return (
            python_below_admitted(context.project.requires_python, FIXED_IN_PYTHON)
            and imports_fastmcp(tree)
            and may_register_functions(tree, ("tool", "prompt"))
        )

    VALID = [
        Valid(
            "typing-extensions",
            """
            from typing_extensions import TypedDict
            from fastmcp import FastMCP

            mcp = FastMCP("apple-mail")

            class Mailbox(TypedDict):
                name: str
                unread: int

            @mcp.tool
            def list_mailboxes() -> list[Mailbox]:
                return [{"name": "INBOX", "unread": 3}]
            """,
            files={"pyproject.toml": PYPROJECT.format(spec=">=3.10")},
        ),
        Valid(
            "python-3-12-or-unknown",
            """
            from typing import TypedDict
            from fastmcp import FastMCP

            mcp = FastMCP("apple-mail")

            class Mailbox(TypedDict):
                name: str

            @mcp.tool
            def list_mailboxes() -> list[Mailbox]:
                return [{"name": "INBOX"}]
            """,
            files={"pyproject.toml": PYPROJECT.format(spec=">=3.12")},
        ),
        Valid(
            "requires-python-not-declared",
            """
            from typing import TypedDict
            from fastmcp import FastMCP

            mcp = FastMCP("apple-mail")

            class Mailbox(TypedDict):
                name: str

            @mcp.tool
            def list_mailboxes() -> list[Mailbox]:
                return [{"name": "INBOX"}]
            """,
        ),
        Valid(
            "typed-dict-outside-schemas",
            """
            from typing import TypedDict
            from fastmcp import FastMCP

            mcp = FastMCP("demo")

            class Row(TypedDict):
                name: str

            def load() -> list[Row]:
                return []

            @mcp.resource("data://rows")
            def rows() -> Row:
                return {"name": "a"}

            @mcp.tool
            def count() -> int:
                return len(load())
            """,
            files={"pyproject.toml": PYPROJECT.format(spec=">=3.10")},
        ),
    ]
    INVALID = [
        Invalid(
            "tool-return",
            """
            from typing import TypedDict
            from fastmcp import FastMCP

            mcp = FastMCP("apple-mail")

            class Mailbox(TypedDict):
                name: str
                unread: int

            @mcp.tool
            def list_mailboxes() -> list[Mailbox]:
                return [{"name": "INBOX", "unread": 3}]
            """,
            files={"pyproject.toml": PYPROJECT.format(spec="~=3.11.0")},
            fixed="""
            from fastmcp import FastMCP
            from typing_extensions import TypedDict

            mcp = FastMCP("apple-mail")

            class Mailbox(TypedDict):
                name: str
                unread: int

            @mcp.tool
            def list_mailboxes() -> list[Mailbox]:
                return [{"name": "INBOX", "unread": 3}]
            """,
            says="requires-python `~=3.11.0`",
        ),
        Invalid(
            "through-a-dataclass-and-typing-module",
            """
            import typing
            from dataclasses import dataclass
            from fastmcp import FastMCP

            mcp = FastMCP("demo")

            class Address(typing.TypedDict):
                city: str

            @dataclass
            class Customer:
                address: Address

            @mcp.prompt
            def describe(customer: "Customer") -> str:
                return customer.address["city"]
            """,
            files={"pyproject.toml": PYPROJECT.format(spec=">=3.9,<4")},
        ),
    ]

    def visit_Module(self, node: cst.Module) -> None:
        names = self.context.names
        typed_dicts: dict[str, cst.CSTNode] = {}  # class name -> the typing.TypedDict base
        fields: dict[str, set[str]] = {}  # module class -> names its fields mention
        for statement in node.body:
            if isinstance(statement, cst.ClassDef):
                fields[statement.name.value] = set()
                for base in statement.bases:
                    if names.qualified_name(base.value) == TYPING_TYPED_DICT:
                        typed_dicts[statement.name.value] = base.value
                    elif isinstance(base.value, cst.Name) and base.value.value in typed_dicts:
                        typed_dicts[statement.name.value] = typed_dicts[base.value.value]
                for line in statement.body.body:
                    if isinstance(line, cst.SimpleStatementLine):
                        for small in line.body:
                            if isinstance(small, cst.AnnAssign):
                                fields[statement.name.value] |= _annotation_names(
                                    small.annotation.annotation
                                )
            elif isinstance(statement, cst.SimpleStatementLine):
                for small in statement.body:
                    if (
                        isinstance(small, cst.Assign)
                        and isinstance(small.value, cst.Call)
                        and names.qualified_name(small.value.func) == TYPING_TYPED_DICT
                        and len(small.targets) == 1
                        and isinstance(small.targets[0].target, cst.Name)
                    ):
                        typed_dicts[small.targets[0].target.value] = small.value.func
        if not typed_dicts:
            return
        for found in registrations(node, names, self.context.target):
            reached = self._reached(found, typed_dicts, fields)
            if reached is not None:
                self._report(node, found, reached, typed_dicts[reached])
                return  # one import to change: one finding

    def _reached(
        self, found: Registration, typed_dicts: dict[str, cst.CSTNode], fields: dict[str, set[str]]
    ) -> str | None:
        if found.kind not in {"tool", "prompt"}:
            return None
        params = found.function.params
        annotations = [
            p.annotation.annotation
            for p in (*params.posonly_params, *params.params, *params.kwonly_params)
            if p.annotation is not None
        ]
        if found.kind == "tool" and found.function.returns is not None:
            annotations.append(found.function.returns.annotation)
        pending = set().union(*map(_annotation_names, annotations)) if annotations else set()
        seen: set[str] = set()
        while pending:
            name = pending.pop()
            if name in typed_dicts:
                return name
            if name in fields and name not in seen:
                seen.add(name)
                pending |= fields[name]
        return None

    def _report(
        self, module: cst.Module, found: Registration, typed_dict: str, base: cst.CSTNode
    ) -> None:
        message = self.message.format(
            typed_dict=typed_dict,
            kind=f"the {found.kind}",
            function=found.function.name.value,
            spec=self.context.project.requires_python,
        )
        imported = _typing_import(module)
        if imported is None:
            self.report(base, message)
            return
        statement, alias = imported
        fix = None
        if (
            not isinstance(statement.names, cst.ImportStar) and len(statement.names) == 1
        ):  # TypedDict alone: the whole import can move
            fix = Fix(
                self.fix_title or "",
                replacements=(
                    (statement, statement.with_changes(module=cst.Name("typing_extensions"))),
                ),
            )
        self.report(alias, message, fix=fix)


def _typing_import(module: cst.Module) -> tuple[cst.ImportFrom, cst.ImportAlias] | None:
    """The module-level ``from typing import TypedDict`` (not aliased)."""
    for statement in module.body:
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        for small in statement.body:
            if (
                isinstance(small, cst.ImportFrom)
                and small.module is not None
                and dotted_name(small.module) == "typing"
                and not isinstance(small.names, cst.ImportStar)
            ):
                for alias in small.names:
                    if dotted_name(alias.name) == "TypedDict" and alias.asname is None:
                        return small, alias
    return None
