from __future__ import annotations

import libcst as cst

from fastmcp_kit.lint.context_scope import ContextRule
from fastmcp_kit.lint.names import dotted_name
from fastmcp_kit.lint.rule import Invalid, RuleContext, Valid
from fastmcp_kit.lint.violation import Severity

# Hooks that teach pydantic to serialize a plain class.
_PYDANTIC_HOOKS = frozenset({"__get_pydantic_core_schema__", "__get_pydantic_json_schema__"})


class UnserializableStateValue(ContextRule):
    """`await ctx.set_state(key, SomeClass(...))` on FastMCP 3.x+, where session state is stored as JSON.

    ## What it does
    Flags `set_state(key, value)` on a FastMCP `Context` (annotated, from
    `get_context()`, or a middleware's `context.fastmcp_context`) when `value` is an
    instance of a class the module defines, constructed in the call or bound to a name
    in the same function, and the class is a `@dataclass` without bases or a plain
    class without bases; unless the call passes `serializable=False`.

    Only those two kinds are certain: a class with bases may be a pydantic model, a
    `dict` or an `Enum`, which round-trip differently, and a class from another
    module is not seen.

    ## Why is this bad?
    Since FastMCP 3.0 `set_state()` keeps session state in a key-value store as JSON
    (pydantic). A dataclass comes back from `get_state()` as a plain `dict`, so
    `state.request_id` fails with `'dict' object has no attribute 'request_id'`; a
    plain class cannot be serialized at all and the call raises `TypeError: Value for
    state key 'k' is not serializable. Use set_state('k', value, serializable=False)`
    (verified 3.0.2, 3.2.4, 4.2.3; on 2.x state was an in-memory dict and kept the
    object). Code that catches exceptions broadly around it silently loses the state.

    ## Fix safety
    No automatic fix: `serializable=False` keeps the object but only for the current
    request (it is not seen by later requests of the session), and storing plain data
    (`asdict(value)`) changes what `get_state()` returns. Which one is meant is the
    author's decision.
    """

    code = "FMCP225"
    severity = Severity.ERROR
    message = "`{call}` stores a `{cls}` as JSON since FastMCP 3.0: {effect}; pass `serializable=False` (request-scoped) or store plain data"
    fastmcp_versions = ">=3"
    references = ("https://gofastmcp.com/servers/context#state-management",)
    reported_mistakes = ("030",)
    # Only `set_state(...)` calls are checked.
    needles = ("set_state",)

    VALID = [
        Valid(
            "serializable-values-and-request-scoped-objects",
            """
            from dataclasses import dataclass, asdict
            from pydantic import BaseModel
            from fastmcp import Context, FastMCP
            from myapp.models import Session

            mcp = FastMCP("teradata")

            @dataclass
            class RequestContext:
                request_id: str

            class Settings(BaseModel):
                region: str

            class Connection:
                pass

            @mcp.tool
            async def remember(ctx: Context, other) -> None:
                await ctx.set_state("request", RequestContext("r"), serializable=False)
                await ctx.set_state("plain", asdict(RequestContext("r")))
                await ctx.set_state("settings", Settings(region="eu"))
                await ctx.set_state("session", Session())
                await ctx.set_state("connection", Connection(), serializable=False)
                await other.set_state("connection", Connection())
            """,
            fastmcp_version="3.2",
        ),
        Valid(
            "in-memory-state-on-2x",
            """
            from dataclasses import dataclass
            from fastmcp import Context, FastMCP

            mcp = FastMCP("teradata")

            @dataclass
            class RequestContext:
                request_id: str

            @mcp.tool
            def remember(ctx: Context) -> None:
                ctx.set_state("request", RequestContext("r"))
            """,
            fastmcp_version="2.14",
        ),
    ]
    INVALID = [
        Invalid(
            "dataclass-in-middleware",
            """
            from dataclasses import dataclass
            from fastmcp.server.middleware import Middleware, MiddlewareContext

            @dataclass
            class RequestContext:
                request_id: str

            class RequestContextMiddleware(Middleware):
                async def on_call_tool(self, context: MiddlewareContext, call_next):
                    await context.fastmcp_context.set_state("request_context", RequestContext(request_id="r"))
                    return await call_next(context)
            """,
            fastmcp_version="3.2",
            says="`get_state()` returns a `dict`",
        ),
        Invalid(
            "plain-class-bound-first",
            """
            from fastmcp import Context, FastMCP

            mcp = FastMCP("db")

            class Connection:
                def __init__(self, url: str) -> None:
                    self.url = url

            @mcp.tool
            async def connect(url: str, ctx: Context) -> None:
                connection = Connection(url)
                await ctx.set_state("connection", connection)
            """,
            fastmcp_version="4.2",
            says="not serializable",
        ),
    ]

    def __init__(self, context: RuleContext) -> None:
        super().__init__(context)
        # Module-level classes bound once: name -> "dataclass" / "plain".
        self.classes: dict[str, str] = {}
        # Per enclosing function: names bound to `Class(...)` of such a class.
        self.instances: list[dict[str, str]] = [{}]

    def visit_Module(self, node: cst.Module) -> None:
        bound: dict[str, int] = {}
        found: dict[str, str] = {}
        for statement in node.body:
            if isinstance(statement, (cst.ClassDef, cst.FunctionDef)):
                bound[statement.name.value] = bound.get(statement.name.value, 0) + 1
            if isinstance(statement, cst.ClassDef):
                kind = self._kind(statement)
                if kind is not None:
                    found[statement.name.value] = kind
        self.classes = {
            name: kind
            for name, kind in found.items()
            if bound.get(name) == 1 and name not in self.context.names.aliases
        }

    def _kind(self, node: cst.ClassDef) -> str | None:
        if node.bases or node.keywords:
            return None
        defined = {item.name.value for item in node.body.body if isinstance(item, cst.FunctionDef)}
        if defined & _PYDANTIC_HOOKS:
            return None
        if not node.decorators:
            return "plain"
        if len(node.decorators) == 1:
            decorator = node.decorators[0].decorator
            target = decorator.func if isinstance(decorator, cst.Call) else decorator
            if self.context.names.qualified_name(target) == "dataclasses.dataclass":
                return "dataclass"
        return None

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        super().visit_FunctionDef(node)
        self.instances.append({})

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        super().leave_FunctionDef(original_node)
        self.instances.pop()

    def visit_Assign(self, node: cst.Assign) -> None:
        super().visit_Assign(node)
        cls = self._constructed(node.value)
        for target in node.targets:
            if isinstance(target.target, cst.Name):
                name = target.target.value
                if cls is not None and len(node.targets) == 1:
                    self.instances[-1][name] = cls
                else:
                    self.instances[-1].pop(name, None)

    def _constructed(self, node: cst.BaseExpression) -> str | None:
        if isinstance(node, cst.Call) and isinstance(node.func, cst.Name):
            name = node.func.value
            if name in self.classes and not self._shadowed(name):
                return name
        return None

    def _shadowed(self, name: str) -> bool:
        return any(name in scope.types for scope in self.scopes.stack[1:])

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if not (isinstance(func, cst.Attribute) and func.attr.value == "set_state"):
            return
        if not self.scopes.is_context(func.value):
            return
        if any(arg.star for arg in node.args):
            return
        if any(
            arg.keyword is not None and arg.keyword.value == "serializable" for arg in node.args
        ):
            return  # `serializable=True` spelled out is a choice too
        positional = [arg for arg in node.args if arg.keyword is None]
        value = next(
            (arg.value for arg in node.args if arg.keyword and arg.keyword.value == "value"),
            positional[1].value if len(positional) > 1 else None,
        )
        if value is None:
            return
        cls = self._constructed(value)
        if cls is None and isinstance(value, cst.Name):
            cls = self.instances[-1].get(value.value)
        if cls is None:
            return
        effect = (
            f"`get_state()` returns a `dict`, not a `{cls}`"
            if self.classes[cls] == "dataclass"
            else "the call raises `TypeError: Value for state key ... is not serializable`"
        )
        receiver = dotted_name(func.value) or "get_context()"
        self.report(
            node,
            self.message.format(call=f"{receiver}.set_state(...)", cls=cls, effect=effect),
        )
