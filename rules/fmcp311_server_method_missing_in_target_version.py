from __future__ import annotations

import ast
import functools

import libcst as cst

from fastmcp_kit.apisurface import describe_releases, dumped_releases, surface_for, version_label
from fastmcp_kit.lint.ast_index import nodes
from fastmcp_kit.lint.ast_names import (
    SERVER_CLASS_NAMES,
    imports_fastmcp,
    last_identifier,
    local_names_for,
    may_be_server,
)
from fastmcp_kit.lint.names import dotted_name
from fastmcp_kit.lint.rule import Invalid, Rule, RuleContext, Valid
from fastmcp_kit.lint.server_selves import ServerSelves
from fastmcp_kit.lint.violation import Severity

SERVER = "fastmcp.FastMCP"
# Methods other rules explain better: FMCP310 (as_proxy), FMCP801/802 (import_server),
# FMCP302/303 (settings), FMCP401 (lifespan).
OWNED_ELSEWHERE = frozenset({"as_proxy", "import_server", "settings", "lifespan"})
# What to call instead (checked in fastmcp 2.13.3, 2.14.7, 3.4.10, 4.1.2 and 4.2.3).
_AS_LIST = "(a list, not a dict keyed by name)"
_AS_DICT = "(a dict keyed by name)"
REPLACEMENTS = {
    "get_tools": f"`await {{server}}.list_tools()` {_AS_LIST}",
    "get_resources": f"`await {{server}}.list_resources()` {_AS_LIST}",
    "get_resource_templates": f"`await {{server}}.list_resource_templates()` {_AS_LIST}",
    "get_prompts": f"`await {{server}}.list_prompts()` {_AS_LIST}",
    "list_tools": f"`await {{server}}.get_tools()` {_AS_DICT}",
    "list_resources": f"`await {{server}}.get_resources()` {_AS_DICT}",
    "list_resource_templates": f"`await {{server}}.get_resource_templates()` {_AS_DICT}",
    "list_prompts": f"`await {{server}}.get_prompts()` {_AS_DICT}",
    "remove_tool": "`{server}.local_provider.remove_tool(name)`",
    "add_tool_transformation": (
        "`{server}.add_transform(ToolTransform({{name: config}}))` "
        "(`from fastmcp.server.transforms import ToolTransform`)"
    ),
    "remove_tool_transformation": (
        "delete the call: it had no effect since 3.0 (`{server}.disable(names={{name}})` "
        "hides a tool)"
    ),
    "add_resource_fn": "`{server}.resource(uri)(fn)`",
    "streamable_http_app": "`{server}.http_app()`",
    "sse_app": '`{server}.http_app(transport="sse")`',
    "run_streamable_http_async": '`await {server}.run_http_async(transport="http")`',
    "run_sse_async": '`await {server}.run_http_async(transport="sse")`',
}


# Every method in changed_methods() (the pre-check's needles).
METHOD_NEEDLES = (
    "add_completion_handler",
    "add_extension",
    "add_provider",
    "add_resource_fn",
    "add_tool_transformation",
    "add_transform",
    "call_tool",
    "completion",
    "disable",
    "enable",
    "from_client",
    "get_app_tool",
    "get_prompts",
    "get_resource_templates",
    "get_resources",
    "get_tasks",
    "get_tool_by_hash",
    "get_tools",
    "list_prompts",
    "list_resource_templates",
    "list_resources",
    "list_tools",
    "read_resource",
    "remove_tool",
    "remove_tool_transformation",
    "render_prompt",
    "required_extensions",
    "run_sse_async",
    "run_streamable_http_async",
    "sse_app",
    "streamable_http_app",
    "wrap_transform",
)


def _has_server_subclass(tree: ast.Module) -> bool:
    """A class of the module derives from a server class (its methods' `self`)."""
    classes = local_names_for(tree, SERVER_CLASS_NAMES)
    return any(
        any(last_identifier(base) in classes for base in node.bases)
        for node in nodes(tree, ast.ClassDef)
    )


@functools.cache
def _methods_by_release() -> dict[str, frozenset[str]]:
    found = {}
    for release in dumped_releases():
        surface = surface_for(release)
        found[release] = frozenset(
            name
            for name in surface.members(SERVER)
            if not name.startswith("_") and surface.member_kind(SERVER, name) == "method"
        )
    return found


def changed_methods() -> frozenset[str]:
    """Public methods of FastMCP that one dumped release has and another lacks (read
    from the dumps on first use; a test keeps ``METHOD_NEEDLES`` a superset)."""
    releases = list(_methods_by_release().values())
    every = frozenset().union(*releases)
    return every - frozenset.intersection(*releases) - OWNED_ELSEWHERE


class ServerMethodMissingInTargetVersion(Rule):
    """A method called on a FastMCP server that the target FastMCP version does not have.

    ## What it does
    Checks calls of methods on a standalone FastMCP server (a name or attribute bound
    to `FastMCP(...)`, a subclass, `create_proxy(...)`, or annotated with the class)
    against the methods `FastMCP` has in the target release (recorded from the real
    releases by `scripts/dump_api_surface.py`), for the methods that some release
    added or removed: `get_tools()` and the other dict-returning `get_*` methods
    (removed in 3.0, now `list_*`), `remove_tool()` and the tool-transformation
    methods (removed in 4.0), the transport methods `sse_app()`,
    `streamable_http_app()`, `run_sse_async()`, `run_streamable_http_async()` and
    `add_resource_fn()` (removed in 2.14), and newer methods called on an older
    release (`list_tools()` on 2.x). The message names the replacement. A server
    subclass defining the method is left alone; inside the methods of a subclass
    whose bases are all server classes, `self` is a server too, as are `as_proxy` (FMCP310),
    `import_server` (FMCP801/FMCP802), `settings` (FMCP302/FMCP303) and `lifespan`
    (FMCP401).

    ## Why is this bad?
    The call raises `AttributeError: 'FastMCP' object has no attribute 'get_tools'`
    when it runs: at import for module-level calls (the server never starts), or in
    the middle of a request. The replacements are not always drop-in: `list_tools()`
    returns a list where `get_tools()` returned a dict keyed by name.

    ## Fix safety
    No automatic fix here: return types and arguments differ. `fkit upgrade` rewrites
    the shapes whose meaning it can keep.
    """

    code = "FMCP311"
    severity = Severity.ERROR
    message = "`{call}()` does not exist in {version}{available}{hint}"
    fastmcp_versions = ">=2.13"
    reported_mistakes = ("001", "002", "003")
    references = (
        "https://gofastmcp.com/getting-started/upgrading/from-fastmcp-2",
        "https://gofastmcp.com/getting-started/upgrading/from-fastmcp-3",
        "https://gofastmcp.com/development/upgrade-guide",
    )

    # Only calls of methods some release lacks are checked. Written out, not computed:
    # the API-surface dumps are read only when a rule needs them.
    needles = METHOD_NEEDLES

    @classmethod
    def may_apply_to_tree(cls, tree: ast.Module, context: RuleContext) -> bool:
        # A call of a changed method the target lacks, on a receiver that may be a
        # server, in a module importing fastmcp (servers resolve only through it).
        missing = changed_methods() - surface_for(context.target).members(SERVER)
        receivers = [
            call.func.value
            for call in nodes(tree, ast.Call)
            if isinstance(call.func, ast.Attribute) and call.func.attr in missing
        ]
        if not receivers or not imports_fastmcp(tree):
            return False
        return may_be_server(tree, receivers) or (
            any(isinstance(r, ast.Name) for r in receivers) and _has_server_subclass(tree)
        )

    VALID = [
        Valid(
            "current-methods-4x",
            """
            from fastmcp import FastMCP
            from fastmcp.server.transforms import ToolTransform
            from fastmcp.tools.tool_transform import ToolTransformConfig

            mcp = FastMCP("demo")
            mcp.add_transform(ToolTransform({"ping": ToolTransformConfig(name="pong")}))
            mcp.local_provider.remove_tool("debug")
            app = mcp.http_app(transport="sse")

            async def names() -> list[str]:
                return [tool.name for tool in await mcp.list_tools()]
            """,
        ),
        Valid(
            "dict-methods-on-2.14",
            """
            from fastmcp import FastMCP

            mcp = FastMCP("demo")

            async def names() -> list[str]:
                return list(await mcp.get_tools())
            """,
            fastmcp_version="2.14",
        ),
        Valid(
            "subclass-defines-it",
            """
            from fastmcp import FastMCP

            class Server(FastMCP):
                async def get_tools(self) -> dict:
                    return {tool.name: tool for tool in await self.list_tools()}

            server = Server("demo")

            async def names() -> list[str]:
                return list(await server.get_tools())
            """,
        ),
        Valid(
            "not-a-server",
            """
            from fastmcp import Client

            async def names(session) -> list:
                async with Client("https://example.com/mcp") as client:
                    await client.list_tools()
                return await session.list_tools()
            """,
            fastmcp_version="2.14",
        ),
        Valid(
            "self-of-a-mixed-or-plain-class",
            """
            from fastmcp import FastMCP

            class ToolCache:
                async def get_tools(self) -> dict:
                    return {}

            class Server(FastMCP, ToolCache):
                async def names(self) -> list[str]:
                    return list(await self.get_tools())

            class Registry:
                async def names(self) -> list[str]:
                    return list(await self.get_tools())

                async def get_tools(self) -> dict:
                    return {}
            """,
        ),
        Valid(
            "left-to-other-rules",
            """
            from fastmcp import FastMCP

            mcp = FastMCP("demo")
            sub = FastMCP("sub")

            async def setup() -> None:
                await mcp.import_server(sub)
            """,
        ),
    ]
    INVALID = [
        Invalid(
            "get-tools-on-3x",
            """
            from fastmcp import FastMCP

            mcp = FastMCP("demo")

            async def names() -> list[str]:
                tools = await mcp.get_tools()
                return list(tools)
            """,
        ),
        Invalid(
            "self-in-a-server-subclass",
            """
            from fastmcp import FastMCP

            class JenkinsMCP(FastMCP):
                async def read_only_tools(self) -> list[str]:
                    all_tools = await self.get_tools()
                    return sorted(all_tools)
            """,
            says="use `await self.list_tools()`",
        ),
        Invalid(
            "removed-in-4",
            """
            from fastmcp import FastMCP
            from fastmcp.tools.tool_transform import ToolTransformConfig

            class App:
                def __init__(self) -> None:
                    self.mcp = FastMCP("demo")
                    self.mcp.add_tool_transformation("ping", ToolTransformConfig(name="pong"))
                    self.mcp.remove_tool("debug")
            """,
            count=2,
        ),
        Invalid(
            "removed-transport-methods",
            """
            from fastmcp import FastMCP

            mcp = FastMCP("demo")
            app = mcp.sse_app()

            async def serve() -> None:
                await mcp.run_streamable_http_async(port=8000)
            """,
            count=2,
            fastmcp_version="2.14",
        ),
        Invalid(
            "list-tools-on-2.14",
            """
            from fastmcp import FastMCP

            mcp = FastMCP("demo")

            async def count() -> int:
                return len(await mcp.list_tools())
            """,
            fastmcp_version="2.14",
        ),
    ]

    def __init__(self, context: RuleContext) -> None:
        super().__init__(context)
        self.names = context.names
        self.missing = changed_methods() - surface_for(context.target).members(SERVER)
        # A server subclass's `self`, and the methods the subclass defines itself.
        self.selves = ServerSelves(context.names)
        self.defined = self.selves.defined

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.selves.visit_class(node)

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self.selves.leave_class()

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.selves.visit_function(node)

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.selves.leave_function()

    def visit_Module(self, node: cst.Module) -> None:
        self.selves.visit_module(node)

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if not isinstance(func, cst.Attribute):
            return
        method = func.attr.value
        if method not in self.missing or method in self.defined:
            return
        receiver = func.value
        server = dotted_name(receiver)
        is_self = self.selves.is_self(receiver)
        if (
            server not in self.names.servers
            and not is_self
            and not (isinstance(receiver, cst.Call) and self.names.is_server_constructor(receiver))
        ):
            return
        shown = server or "FastMCP(...)"
        surface = surface_for(self.context.target)
        having = [r for r, methods in _methods_by_release().items() if method in methods]
        available = f"; it exists in FastMCP {describe_releases(having)}" if having else ""
        replacement = REPLACEMENTS.get(method)
        hint = ""
        if replacement is not None:
            text = replacement.format(server=shown)
            hint = f"; use {text}" if text.startswith("`") else f"; {text}"
        self.report(
            node,
            self.message.format(
                call=f"{shown}.{method}",
                version=version_label(self.context.target, surface),
                available=available,
                hint=hint,
            ),
        )
