from __future__ import annotations

import ast

import libcst as cst

from fastmcp_kit.lint.ast_names import (
    component_functions,
    imports_fastmcp,
    local_names_for,
    mentions_any,
)
from fastmcp_kit.lint.rule import Invalid, Rule, RuleContext, Valid
from fastmcp_kit.lint.violation import Severity

# Third-party types pydantic has no schema for, with what to return instead.
KNOWN_TYPES = {
    "numpy.ndarray": "return `array.tolist()` annotated `-> list[float]`",
    "numpy.typing.NDArray": "return `array.tolist()` annotated `-> list[float]`",
    "pandas.DataFrame": 'return `df.to_dict(orient="records")` annotated `-> list[dict]`',
    "pandas.core.frame.DataFrame": 'return `df.to_dict(orient="records")` annotated `-> list[dict]`',
    "pandas.Series": "return `series.tolist()` (or `.to_dict()`)",
    "pandas.core.series.Series": "return `series.tolist()` (or `.to_dict()`)",
    "torch.Tensor": "return `tensor.tolist()` annotated `-> list[float]`",
}
KNOWN_TYPE_NAMES = frozenset(name.rpartition(".")[2] for name in KNOWN_TYPES)
# Class-level hooks that give a class a pydantic schema of its own, or (`__str__`) show
# that its text form is intended.
SKIP_HOOKS = frozenset({"__get_pydantic_core_schema__", "__get_pydantic_json_schema__", "__str__"})
OPTIONAL_WRAPPERS = frozenset({"typing.Optional", "typing_extensions.Optional"})


def _defines(cls: cst.ClassDef, names: frozenset[str]) -> bool:
    body = cls.body.body
    for statement in body:
        if isinstance(statement, cst.FunctionDef) and statement.name.value in names:
            return True
        if isinstance(statement, cst.SimpleStatementLine):
            for small in statement.body:
                if isinstance(small, cst.Assign) and any(
                    isinstance(t.target, cst.Name) and t.target.value in names
                    for t in small.targets
                ):
                    return True
    return False


class UnserializableReturnAnnotation(Rule):
    """A tool annotated to return a type FastMCP cannot serialize (ndarray, DataFrame, a plain class).

    ## What it does
    Flags a tool registered on a standalone FastMCP server (`@mcp.tool`) whose return
    annotation is `numpy.ndarray` (or `numpy.typing.NDArray[...]`), `pandas.DataFrame`,
    `pandas.Series` or `torch.Tensor` (resolved through imports), or a class defined in
    the same module that is a plain class: no base other than `object` or other plain
    classes of the module, no decorator (so not a dataclass), no metaclass, no
    pydantic schema hook and no `__str__` (whose text may be the intended output). `X | None` / `Optional[X]` count as `X`; `Annotated[...]`
    and other unions are left alone (they may carry a serializer).

    ## Why is this bad?
    Registration succeeds and calls succeed, but pydantic has no schema for these
    types, so FastMCP sends the object's `str()` as text: `"[1 2 3]"` for an array, a
    truncated text table for a DataFrame or Series, `"<server.Report object at
    0x7f…>"` for a plain class, and no structured content (verified 2.14.7, 3.4.10,
    4.1.2 with numpy 2.4 and pandas 3.1; `torch.Tensor` takes the same path but was
    not executed). The client gets garbage instead of data. Guides that blame a
    `TypeError: Object of type 'ndarray' is not JSON serializable` describe a
    different failure (a non-serializable value *inside* a `dict`).

    Return plain data (`.tolist()`, `.to_dict()`), or make the class a pydantic
    `BaseModel`, a `@dataclass`, a `TypedDict` or a `NamedTuple`: those are
    serialized as JSON with an output schema.

    ## Fix safety
    There is no fix: converting the value (and its annotation) is a design decision.
    """

    code = "FMCP208"
    severity = Severity.WARNING
    message = "Tool `{function}` returns `{annotation}`, which FastMCP cannot serialize: clients get its `str()` (e.g. {example}) instead of data; {advice}"
    documented_errors = (11,)
    references = (
        "https://gofastmcp.com/servers/tools#return-values",
        "https://gofastmcp.com/servers/tools#structured-output",
    )

    # Only functions under `@<server>.tool` decorators are checked.
    needles = (".tool",)

    @classmethod
    def may_apply_to_tree(cls, tree: ast.Module, context: RuleContext) -> bool:
        # A tool's return annotation naming a KNOWN_TYPES class (or an import alias) or a
        # module-level class, in a module importing fastmcp.
        known: frozenset[str] | None = None
        for function in component_functions(tree, ("tool",)):
            if function.returns is not None:
                if known is None:
                    classes = [n.name for n in tree.body if isinstance(n, ast.ClassDef)]
                    known = local_names_for(tree, (*KNOWN_TYPE_NAMES, *classes))
                if mentions_any(function.returns, known):
                    return imports_fastmcp(tree)
        return False

    VALID = [
        Valid(
            "serializable-returns",
            """
            import dataclasses
            import enum
            from typing import Annotated, NamedTuple

            import numpy as np
            from fastmcp import FastMCP
            from fastmcp.tools import ToolResult
            from fastmcp.utilities.types import Image
            from mcp.types import TextContent
            from pydantic import BaseModel, PlainSerializer
            from typing_extensions import TypedDict

            mcp = FastMCP("demo")

            class Base(BaseModel):
                x: int

            class Model(Base):
                y: int

            @dataclasses.dataclass
            class Point:
                x: float

            class Row(TypedDict):
                a: int

            class Pair(NamedTuple):
                a: int

            class Color(enum.Enum):
                RED = "red"

            class Config(dict):
                pass

            @mcp.tool
            def model() -> Model: ...

            @mcp.tool
            def point() -> Point: ...

            @mcp.tool
            def rows() -> list[Row]: ...

            @mcp.tool
            def pair() -> Pair: ...

            @mcp.tool
            def color() -> Color: ...

            @mcp.tool
            def config() -> Config: ...

            @mcp.tool
            def values() -> list[float]:
                return np.arange(3).tolist()

            @mcp.tool
            def annotated() -> Annotated[np.ndarray, PlainSerializer(lambda a: a.tolist())]: ...

            @mcp.tool
            def either() -> Model | np.ndarray: ...

            @mcp.tool
            def result() -> ToolResult: ...

            @mcp.tool
            def picture() -> Image: ...

            @mcp.tool
            def content() -> TextContent: ...
            """,
        ),
        Valid(
            "not-a-tool-or-not-fastmcp",
            """
            import numpy as np
            import pandas as pd
            from fastmcp import FastMCP
            from mcp.server.fastmcp import FastMCP as SDKServer

            mcp = FastMCP("demo")
            sdk = SDKServer("sdk")

            class Report:
                pass

            def helper() -> np.ndarray: ...

            @mcp.resource("data://frame")
            def frame() -> pd.DataFrame: ...

            @sdk.tool()
            def sdk_tool() -> Report: ...
            """,
        ),
        Valid(
            "pydantic-hook-str-and-imported-class",
            """
            from fastmcp import FastMCP
            from myapp.models import Report

            mcp = FastMCP("demo")

            class Money:
                @classmethod
                def __get_pydantic_core_schema__(cls, source, handler): ...

            @mcp.tool
            def report() -> Report: ...

            class Banner:
                def __str__(self) -> str:
                    return "hello"

            @mcp.tool
            def price() -> Money: ...

            @mcp.tool
            def banner() -> Banner: ...
            """,
        ),
    ]
    INVALID = [
        Invalid(
            "numpy-and-pandas",
            """
            import numpy as np
            import numpy.typing as npt
            from pandas import DataFrame
            from fastmcp import FastMCP

            mcp = FastMCP("demo")

            @mcp.tool
            def embed(text: str) -> np.ndarray:
                return np.zeros(3)

            @mcp.tool()
            def embed_typed(text: str) -> npt.NDArray[np.float32]:
                return np.zeros(3, dtype=np.float32)

            @mcp.tool
            async def table() -> DataFrame | None:
                return DataFrame({"a": [1]})
            """,
            count=3,
        ),
        Invalid(
            "plain-class",
            """
            from typing import Optional
            from fastmcp import FastMCP

            mcp = FastMCP("demo")

            @mcp.tool
            def report() -> Optional["Report"]:
                return Report()

            class Base:
                pass

            class Report(Base):
                def __init__(self) -> None:
                    self.total = 1
            """,
        ),
    ]

    def __init__(self, context: RuleContext) -> None:
        super().__init__(context)
        self.classes: dict[str, cst.ClassDef] = {}
        self.custom_serializer = False
        self.pending: list[tuple[cst.FunctionDef, str, str, str]] = []

    def visit_Module(self, node: cst.Module) -> None:
        for statement in node.body:
            if isinstance(statement, cst.ClassDef):
                self.classes[statement.name.value] = statement

    def visit_Arg(self, node: cst.Arg) -> None:
        # FastMCP(tool_serializer=...) (2.x) replaces the str() fallback.
        if node.keyword is not None and node.keyword.value == "tool_serializer":
            self.custom_serializer = True

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        if node.returns is None:
            return
        tools = [c for c in self.context.names.component_decorators(node) if c.kind == "tool"]
        if not tools or any(
            t.argument("serializer") is not None or t.argument("output_schema") is not None
            for t in tools
        ):
            return
        found = self._unserializable(node.returns.annotation)
        if found is None:
            return
        annotation, example, advice = found
        self.pending.append((node, annotation, example, advice))

    def leave_Module(self, original_node: cst.Module) -> None:
        if self.custom_serializer:
            return
        for node, annotation, example, advice in self.pending:
            assert node.returns is not None
            self.report(
                node.returns,
                self.message.format(
                    function=node.name.value, annotation=annotation, example=example, advice=advice
                ),
            )

    def _unserializable(self, node: cst.BaseExpression) -> tuple[str, str, str] | None:
        node = self._strip_optional(node)
        if isinstance(node, cst.SimpleString):
            value = node.evaluated_value
            if not isinstance(value, str):
                return None
            try:
                parsed = cst.parse_expression(value)
            except cst.ParserSyntaxError:
                return None
            return self._unserializable(parsed)
        base = node.value if isinstance(node, cst.Subscript) else node
        qualified = self.context.names.qualified_name(base)
        text = cst.Module([]).code_for_node(node)
        if qualified in KNOWN_TYPES:
            example = '`"[1 2 3]"`' if qualified.startswith("numpy") else "a text table"
            return text, example, KNOWN_TYPES[qualified]
        if isinstance(node, cst.Name) and self._is_plain(node.value, set()):
            example = f'`"<__main__.{node.value} object at 0x…>"`'
            advice = "make it a pydantic `BaseModel` or a `@dataclass`"
            return text, example, advice
        return None

    def _strip_optional(self, node: cst.BaseExpression) -> cst.BaseExpression:
        """``X | None`` / ``None | X`` / ``Optional[X]`` -> ``X``."""
        if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.BitOr):
            if _is_none(node.right):
                return self._strip_optional(node.left)
            if _is_none(node.left):
                return self._strip_optional(node.right)
            return node
        if (
            isinstance(node, cst.Subscript)
            and self.context.names.qualified_name(node.value) in OPTIONAL_WRAPPERS
            and len(node.slice) == 1
            and isinstance(node.slice[0].slice, cst.Index)
        ):
            return self._strip_optional(node.slice[0].slice.value)
        return node

    def _is_plain(self, name: str, seen: set[str]) -> bool:
        cls = self.classes.get(name)
        if cls is None or name in seen:
            return False
        seen.add(name)
        if cls.decorators or cls.keywords or _defines(cls, SKIP_HOOKS):
            return False
        for base in cls.bases:
            if base.star or base.keyword is not None:
                return False
            value = base.value
            if isinstance(value, cst.Name) and value.value == "object":
                continue
            if not isinstance(value, cst.Name) or not self._is_plain(value.value, seen):
                return False
        return True


def _is_none(node: cst.BaseExpression) -> bool:
    return (isinstance(node, cst.Name) and node.value == "None") or (
        isinstance(node, cst.SimpleString) and node.evaluated_value == "None"
    )
