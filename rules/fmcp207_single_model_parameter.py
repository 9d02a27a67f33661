from __future__ import annotations

import ast

import libcst as cst

from fastmcp_kit.lint.ast_names import component_functions, imports_fastmcp
from fastmcp_kit.lint.rule import Invalid, Rule, RuleContext, Valid
from fastmcp_kit.lint.violation import Severity

BASE_MODEL = frozenset({"pydantic.BaseModel", "pydantic.main.BaseModel"})


class SingleModelParameter(Rule):
    """A tool whose only argument is a pydantic model, so clients must nest every argument.

    ## What it does
    Flags a tool registered with a standalone FastMCP server (`@mcp.tool`) whose only
    parameter (not counting an injected `Context`) is annotated with a pydantic model
    defined in the same module (a class with a base resolving to
    `pydantic.BaseModel`, directly or through other models of the module). Opt-in:
    enable it with `extend-select = ["FMCP207"]`; this is a design suggestion.

    ## Why is this bad?
    FastMCP builds the tool's input schema from the function's parameters, so the
    model becomes *one* argument: the schema has a single required property
    `params`, and clients must send `{"params": {"query": "x"}}`. LLMs and people
    often send the fields flat (`{"query": "x"}`), which fails with `ToolError: 2
    validation errors for call[search] params Missing required argument` (verified
    2.14.7, 3.4.10, 4.1.2). Declaring the fields as parameters
    (`def search(query: str, limit: int = 10)`) gives the flat schema most clients
    expect. Keep the model when the nesting is intended.

    ## Fix safety
    There is no fix: flattening changes the tool's public input schema.
    """

    code = "FMCP207"
    severity = Severity.INFO
    message = 'Tool `{function}` takes a single `{model}` model, so clients must nest every argument under `{param}` (`{{"{param}": {{...}}}}`); flat arguments fail with `Missing required argument`. Declare the fields as parameters if a flat schema is intended'
    documented_errors = (6,)
    default_enabled = False
    references = ("https://gofastmcp.com/servers/tools#arguments",)

    # A model's base chain ends in `pydantic.BaseModel`, imported under that name.
    needles = ("BaseModel",)

    @classmethod
    def may_apply_to_tree(cls, tree: ast.Module, context: RuleContext) -> bool:
        # A tool parameter annotated with the name of a module-level class that has
        # bases (`Model` or `"Model"`), in a module importing fastmcp.
        classes = {n.name for n in tree.body if isinstance(n, ast.ClassDef) and n.bases}
        if not classes:
            return False
        for function in component_functions(tree, ("tool",)):
            args = function.args
            for param in (*args.posonlyargs, *args.args, *args.kwonlyargs):
                annotation = param.annotation
                if (isinstance(annotation, ast.Name) and annotation.id in classes) or (
                    isinstance(annotation, ast.Constant) and annotation.value in classes
                ):
                    return imports_fastmcp(tree)
        return False

    VALID = [
        Valid(
            "flat-or-several-parameters",
            """
            from fastmcp import FastMCP, Context
            from pydantic import BaseModel

            mcp = FastMCP("demo")

            class Filters(BaseModel):
                tag: str

            @mcp.tool
            def search(query: str, limit: int = 10) -> list[str]: ...

            @mcp.tool
            def filtered(query: str, filters: Filters) -> list[str]: ...

            def helper(filters: Filters) -> None: ...
            """,
        ),
        Valid(
            "imported-or-non-model-class",
            """
            from dataclasses import dataclass
            from fastmcp import FastMCP
            from myapp.models import Params

            mcp = FastMCP("demo")

            @dataclass
            class Point:
                x: float

            class Plain:
                pass

            @mcp.tool
            def search(params: Params) -> str: ...

            @mcp.tool
            def move(point: Point) -> str: ...

            @mcp.tool
            def other(thing: Plain) -> str: ...
            """,
        ),
    ]
    INVALID = [
        Invalid(
            "single-model",
            """
            from fastmcp import FastMCP, Context
            import pydantic

            mcp = FastMCP("demo")

            class Base(pydantic.BaseModel):
                limit: int = 10

            class SearchParams(Base):
                query: str

            @mcp.tool
            async def search(params: SearchParams, ctx: Context) -> list[str]:
                await ctx.info(params.query)
                return []
            """,
        ),
    ]

    def __init__(self, context: RuleContext) -> None:
        super().__init__(context)
        self.classes: dict[str, cst.ClassDef] = {}

    def visit_Module(self, node: cst.Module) -> None:
        for statement in node.body:
            if isinstance(statement, cst.ClassDef):
                self.classes[statement.name.value] = statement

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        names = self.context.names
        if not any(c.kind == "tool" for c in names.component_decorators(node)):
            return
        params = node.params
        if params.star_kwarg is not None or isinstance(params.star_arg, cst.Param):
            return
        every = [*params.posonly_params, *params.params, *params.kwonly_params]
        arguments = [p for p in every if names.context_kind(p.annotation) != "fastmcp"]
        if len(arguments) != 1:
            return
        param = arguments[0]
        if param.annotation is None:
            return
        annotation = param.annotation.annotation
        if isinstance(annotation, cst.SimpleString):
            value = annotation.evaluated_value
            model = value if isinstance(value, str) else None
        else:
            model = annotation.value if isinstance(annotation, cst.Name) else None
        if model is None or not self._is_model(model, set()):
            return
        self.report(
            param,
            self.message.format(function=node.name.value, model=model, param=param.name.value),
        )

    def _is_model(self, name: str, seen: set[str]) -> bool:
        cls = self.classes.get(name)
        if cls is None or name in seen:
            return False
        seen.add(name)
        for base in cls.bases:
            value = base.value
            if self.context.names.qualified_name(value) in BASE_MODEL:
                return True
            if isinstance(value, cst.Name) and self._is_model(value.value, seen):
                return True
        return False
