from __future__ import annotations

import ast
import re
from functools import cache

import libcst as cst
from packaging.version import Version

from fastmcp_kit.apisurface import ApiSurface, dumped_releases, surface_for, version_label
from fastmcp_kit.apisurface.private import private_history, private_names, private_releases
from fastmcp_kit.lint.ast_names import (
    context_names,
    imports_fastmcp,
    last_identifier,
    local_names_for,
)
from fastmcp_kit.lint.context_scope import ContextRule
from fastmcp_kit.lint.member_checks import (
    Message,
    close_member,
    context_member,
    private_member,
    unsubscriptable,
)
from fastmcp_kit.lint.names import dotted_name
from fastmcp_kit.lint.receiver_types import CLIENT, CONTEXT
from fastmcp_kit.lint.rule import Invalid, RuleContext, Valid
from fastmcp_kit.lint.server_selves import ServerSelves
from fastmcp_kit.lint.violation import Severity

# A return annotation naming one class (or a union of classes) by qualified path.
_CLASS_PATH = re.compile(r"^[A-Za-z_][\w.]*\.[A-Z]\w*$")
# The component class each decorator returned in the 2.x releases (what `.fn`,
# `.name`, `.disable()` were members of); recorded in the dumps' decorator results.
_DECORATOR_KINDS = ("tool", "prompt", "resource")
SERVER = "fastmcp.server.server.FastMCP"
V3 = Version("3")
# Server methods returning a component object (3.0+: `Tool | None` and kin).
COMPONENT_GETTERS = {
    "get_tool": "tool",
    "get_prompt": "prompt",
    "get_resource": "resource",
    "get_resource_template": "resource_template",
}
# Component methods kept on 3.0+ only to raise NotImplementedError (verified 3.0.2 and
# 4.2.3: `Component.disable() was removed in FastMCP 3.0. Use server.disable(...)`).
STUBS = frozenset({"enable", "disable"})
# dict methods read from a list (`(await mcp.list_tools()).values()` on 3.x: the 2.x
# `get_tools()` returned a dict keyed by name; verified 3.2.4 AttributeError).
DICT_ONLY = frozenset({"values", "items", "keys"})
SEQUENCES = ("list[", "collections.abc.Sequence[", "typing.Sequence[", "Sequence[")
# Public replacements for private server internals users reach for (checked in 3.0.2
# and 4.0.0: list_tools, get_tool, call_tool, list_resources, list_prompts exist).
PRIVATE_HINTS = {
    "_tool_manager": "; use `await {server}.list_tools()` or `await {server}.get_tool(name)`",
    "_resource_manager": "; use `await {server}.list_resources()`",
    "_prompt_manager": "; use `await {server}.list_prompts()`",
    "_call_tool_mcp": "; use `await {server}.call_tool(name, arguments)`",
}


def _decorator_target(node: ast.expr) -> ast.expr:
    return node.func if isinstance(node, ast.Call) else node


@cache
def _every_private_name() -> frozenset[str]:
    """Every private FastMCP attribute some dumped release had."""
    found: set[str] = set()
    for release in private_releases():
        found |= private_names(release, SERVER)
    return frozenset(found)


def _may_hold_context(node: ast.expr, contexts: set[str], getters: frozenset[str]) -> bool:
    """A superset of the Context receivers the rule types (see ``context_names``)."""
    if isinstance(node, ast.Attribute):
        return node.attr == "fastmcp_context"
    if isinstance(node, ast.Call):
        return last_identifier(node.func) in getters
    return isinstance(node, ast.Name) and node.id in contexts


def _classes(annotation: str | None) -> list[str] | None:
    """The class paths of ``A`` or ``A | B``; None for anything else (generics...)."""
    if annotation is None:
        return None
    parts = [part.strip() for part in annotation.split(" | ")]
    if not parts or not all(_CLASS_PATH.match(part) for part in parts):
        return None
    return parts


class MemberMissingOnTypedObject(ContextRule):
    """An attribute that the FastMCP object it is read from does not have in the target version (`result.isError`, `my_tool.fn` on 3.x).

    ## What it does
    Reads attributes of two kinds of objects whose type is certain, and checks them
    against the members that class has in the target release (recorded from the real
    release by `scripts/dump_api_surface.py`):

    * the result of awaiting a `Client` method (`result = await client.call_tool(...)`,
      the client bound by `Client(...)` or `async with Client(...) as client`), typed
      by the method's return annotation when it names classes the dumps record:
      `result.isError` on the client's `CallToolResult` (the field is `is_error`);
    * a private attribute of a server bound by construction or annotation that some
      dumped release had and the target lacks (`mcp._tool_manager` on 3.0+,
      `mcp._call_tool_mcp` on 4.0+; recorded from the real releases by
      `scripts/dump_private_members.py`);
    * the list an awaited server or `Client` method returns (`await mcp.list_tools()`
      on 3.0+) read as a dict: `.values()`, `.items()`, `.keys()`;
    * a component fetched with `await mcp.get_tool(...)` / `get_prompt` /
      `get_resource` / `get_resource_template` on 3.0+, whose `enable()` and
      `disable()` only raise `NotImplementedError` there;
    * a function decorated with a server's `@mcp.tool` / `@mcp.prompt` /
      `@mcp.resource` (and nothing else) on releases where the decorator returns the
      function itself (3.0+), read through an attribute the 2.x component object had:
      `my_tool.fn(...)`, `my_tool.name`, `my_tool.disable()`.

    * a member of a private server attribute whose class the release records
      (`self._tool_manager.list_tools()` on 2.x, whose `ToolManager` has
      `get_tools()`; the class of each private attribute of `FastMCP("x")` is
      recorded per release by `scripts/dump_private_members.py`), and private
      attributes read through the `self` of a FastMCP subclass's methods;
    * a subscript of the client's result (`(await client.call_tool(...))[0]`: a list
      before 2.10, a `CallToolResult` since), unless the module tests the name with
      `isinstance`;
    * an attribute of a FastMCP `Context` (annotated, from `get_context()`, or a
      middleware's `context.fastmcp_context`) that the target's `Context` lacks
      (`ctx.send_tool_list_changed()` on 3.0+, `ctx.sample_step` before 2.14);
      the removals other rules explain are theirs (`get_http_request`: FMCP305,
      `lifespan_context` on 2.x: FMCP809, `sample`/`list_roots` on 4.x: FMCP212).

    Nothing is reported for other private names, for names the module assigns
    (`obj.name = ...`) or tests (`hasattr(obj, "name")`), for classes that serve attributes dynamically, or in a
    module that mentions 3.x's `decorator_mode` setting (which makes decorators
    return objects again). The message names the member meant when one is close
    (`is_error`) and what to use instead.

    ## Why is this bad?
    `AttributeError` when the line runs: `'CallToolResult' object has no attribute
    'isError'` (fastmcp's client result is a dataclass with snake_case fields; the
    SDK's `mcp.types.CallToolResult` is the one spelled `isError`; verified 2.13.3,
    2.14.7, 3.0.2, 3.4.11, 4.2.3), and `'function' object has no attribute 'fn'`
    from 3.0, where `@mcp.tool` returns the plain function (verified 3.0.2, 3.4.11,
    4.2.3; 2.13.3 and 2.14.7 return a `FunctionTool` with `fn`, `name`, `run`,
    `disable`...). `'FastMCP' object has no attribute '_tool_manager'` on 3.0+ and
    `'_call_tool_mcp'` on 4.0+ (verified 3.0.2 and 4.0.0). `prompt.disable()`
    raises `NotImplementedError: Component.disable() was removed in FastMCP 3.0`
    (verified 3.0.2, 4.2.3; `mcp.disable(names={...}, components={"prompt"})` hides
    it there). `(await mcp.list_tools()).values()`: `'list' object has no attribute
    'values'` (verified 3.2.4). `'ToolManager' object has no attribute 'list_tools'`
    (verified 2.13.3, 2.14.7), `TypeError: 'CallToolResult' object is not
    subscriptable` (verified 2.13.3, 2.14.7, 3.0.2, 3.4.11, 4.0.0, 4.2.3), and
    `'Context' object has no attribute 'send_tool_list_changed'` on 3.0+ (verified
    3.0.2).

    ## Fix safety
    No automatic fix: a close name is usually, but not always, the one meant.
    """

    code = "FMCP312"
    severity = Severity.ERROR
    message = "`{expr}` does not exist in {version}: {why}{hint}"
    fastmcp_versions = ">=2.13"
    reported_mistakes = ("004", "005", "006", "007", "008", "010", "011", "012")
    references = (
        "https://gofastmcp.com/clients/tools",
        "https://gofastmcp.com/getting-started/upgrading/from-fastmcp-2",
    )

    # Client results come from `await client.<method>(...)`; decorated functions from
    # `@<server>.tool` / `.prompt` / `.resource`.
    # server internals from `<server>._name`.
    # Components from `get_tool(...)` and kin.
    needles = (
        "Client",
        ".tool",
        ".prompt",
        ".resource",
        "._",
        "get_tool",
        "get_prompt",
        "get_resource",
        "list_",
        "Context",
        "get_context",
    )

    @classmethod
    def may_apply_to_tree(cls, tree: ast.Module, context: RuleContext) -> bool:
        # An attribute of a module-level function with a `.tool`/`.prompt`/`.resource`
        # decorator, a once-FastMCP private name, or an awaited method call in a module
        # calling `Client(...)`; always in a module importing fastmcp.
        if not imports_fastmcp(tree):
            return False
        decorated = {
            node.name
            for node in tree.body
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
            and any(
                last_identifier(_decorator_target(d)) in _DECORATOR_KINDS
                for d in node.decorator_list
            )
        }
        private = _every_private_name()
        context_members = surface_for(context.target).members(CONTEXT)
        getters = local_names_for(tree, {"get_context"})
        contexts = context_names(tree, getters)
        awaited_calls = component_getters = stubs = lists = dict_reads = False
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute):
                if node.attr in private:
                    return True
                if node.attr not in context_members and _may_hold_context(
                    node.value, contexts, getters
                ):
                    return True
                if isinstance(node.value, ast.Name) and node.value.id in decorated:
                    return True
                stubs = stubs or node.attr in STUBS
                dict_reads = dict_reads or node.attr in DICT_ONLY
            elif isinstance(node, ast.Await) and isinstance(node.value, ast.Call):
                awaited_calls = True
                called = last_identifier(node.value.func) or ""
                component_getters = component_getters or called in COMPONENT_GETTERS
                lists = lists or called.startswith("list_")
        if (component_getters and stubs) or (lists and dict_reads):
            return True
        if not awaited_calls:
            return False
        clients = local_names_for(tree, {"Client"})
        return any(
            isinstance(node, ast.Call) and last_identifier(node.func) in clients
            for node in ast.walk(tree)
        )

    VALID = [
        Valid(
            "dict-from-get-tools-on-2x-and-lists-iterated",
            """
            from fastmcp import FastMCP

            mcp = FastMCP("filesystem")

            async def names() -> list[str]:
                tools = await mcp.get_tools()
                return [tool.name for tool in tools.values()]
            """,
            fastmcp_version="2.14",
        ),
        Valid(
            "component-visibility",
            """
            from fastmcp import FastMCP

            mcp = FastMCP("drmcp")

            async def hide(name: str) -> None:
                prompt = await mcp.get_prompt(name)
                mcp.disable(names={prompt.name}, components={"prompt"})
            """,
            fastmcp_version="3.2",
        ),
        Valid(
            "component-disable-on-2x",
            """
            from fastmcp import FastMCP

            mcp = FastMCP("drmcp")

            async def hide(name: str) -> None:
                prompt = await mcp.get_prompt(name)
                prompt.disable()
            """,
            fastmcp_version="2.14",
        ),
        Valid(
            "private-names-the-release-has",
            """
            from fastmcp import FastMCP

            mcp = FastMCP("demo")
            mcp._custom_cache = {}

            async def internals() -> None:
                print(mcp._tool_manager._tools, mcp._mcp_server, mcp._custom_cache)
                print(mcp._never_a_fastmcp_name)
            """,
            fastmcp_version="2.14",
        ),
        Valid(
            "client-result-fields",
            """
            from fastmcp import Client, FastMCP

            mcp = FastMCP("demo")

            async def call() -> str:
                async with Client(mcp) as client:
                    result = await client.call_tool("add", {"a": 1}, raise_on_error=False)
                    if result.is_error:
                        raise RuntimeError(str(result.content))
                    raw = await client.call_tool_mcp("add", {"a": 1})
                    return f"{result.data} {raw.isError}"
            """,
        ),
        Valid(
            "component-object-on-2x",
            """
            from fastmcp import FastMCP

            mcp = FastMCP("demo")

            @mcp.tool
            def lookup() -> list[str]:
                return ["a"]

            def direct() -> list[str]:
                return lookup.fn()
            """,
            fastmcp_version="2.14",
        ),
        Valid(
            "plain-function-on-3x-and-look-alikes",
            """
            import functools
            from fastmcp import Client, FastMCP

            mcp = FastMCP("demo")

            @mcp.tool
            def lookup() -> list[str]:
                return ["a"]

            @mcp.tool
            @functools.cache
            def cached() -> int:
                return 1

            lookup.name = "lookup"

            async def guarded(client) -> None:
                async with Client(mcp) as client:
                    result = await client.call_tool("lookup", {})
                    if hasattr(result, "text"):
                        print(result.text)

            def direct(result) -> list[str]:
                print(lookup.__name__, lookup.name, cached.cache_info(), result.isError)
                return lookup()
            """,
            fastmcp_version="3.0",
        ),
        Valid(
            "near-idioms-of-typed-members",
            """
            from fastmcp import Client, Context, FastMCP
            from mcp import ClientSession
            from mcp.server.fastmcp import Context as SdkContext

            class Server(FastMCP):
                async def names(self) -> list[str]:
                    return list(await self._tool_manager.get_tools())

            class Custom(FastMCP):
                def __init__(self) -> None:
                    super().__init__("custom")
                    self._tool_manager = object()

                def names(self):
                    return self._tool_manager.list_tools()

            async def tool(ctx: Context, sdk: SdkContext, other) -> str:
                await sdk.elicit_url("see", "https://example.com", "id")
                step = await ctx.sample_step(messages=["hi"])
                return f"{other.anything} {step}"

            async def call(session: ClientSession) -> str:
                async with Client("http://localhost/mcp") as client:
                    tools = await client.list_tools()
                    result = await client.call_tool("add", {"a": 1})
                    old = await client.call_tool("add", {})
                    raw = await session.call_tool("add", {"a": 1})
                    if isinstance(old, list):
                        old = old[0]
                    return f"{tools[0].name} {result.content[0]} {raw.content[0]} {old}"
            """,
            fastmcp_version="2.14",
        ),
        Valid(
            "private-names-a-subclass-defines",
            """
            from fastmcp import FastMCP

            class Server(FastMCP):
                _tool_manager = None

                def names(self) -> list[str]:
                    return list(self._tool_manager or [])
            """,
            fastmcp_version="3.0",
        ),
    ]
    INVALID = [
        Invalid(
            "tool-manager-list-tools-on-2x",
            """
            from fastmcp import FastMCP

            class FliMCP(FastMCP):
                async def tool_names(self) -> list[str]:
                    tools = self._tool_manager.list_tools()
                    return [tool.name for tool in tools]
            """,
            fastmcp_version="2.14",
            says="did you mean `await self._tool_manager.get_tools()` (a dict keyed by name",
        ),
        Invalid(
            "private-internals-through-subclass-self-on-3x",
            """
            from fastmcp import FastMCP

            class FliMCP(FastMCP):
                def tool_names(self) -> list[str]:
                    return list(self._tool_manager._tools)
            """,
            fastmcp_version="3.0",
            says="use `await self.list_tools()`",
        ),
        Invalid(
            "client-result-subscript",
            """
            from fastmcp import Client, FastMCP

            mcp = FastMCP("pipefunc")

            async def main() -> None:
                async with Client(mcp) as client:
                    result = await client.call_tool("add", {"a": 1, "b": 2})
                    print(result[0].text)
            """,
            fastmcp_version="2.13",
            says="use `result.content[...]`",
        ),
        Invalid(
            "context-members-the-release-lacks",
            """
            from fastmcp import Context, FastMCP

            mcp = FastMCP("demo")

            @mcp.tool
            async def refresh(ctx: Context) -> str:
                await ctx.send_tool_list_changed()
                return ctx.sesion_id
            """,
            fastmcp_version="3.0",
            count=2,
            says="`Context` has no such member",
        ),
        Invalid(
            "list-read-as-dict",
            """
            from fastmcp import FastMCP

            mcp = FastMCP("filesystem")

            async def names() -> list[str]:
                tools = await mcp.list_tools()
                first = [tool.name for tool in (await mcp.list_tools()).values()]
                return first + [name for name, _ in tools.items()]
            """,
            fastmcp_version="3.2",
            count=2,
        ),
        Invalid(
            "component-disable-on-3x",
            """
            from fastmcp import FastMCP

            mcp = FastMCP("drmcp")

            async def remove_prompt_mapping(name: str) -> None:
                prompt = await mcp.get_prompt(name)
                prompt.disable()
            """,
            fastmcp_version="3.2",
            says='use `mcp.disable(names={prompt.name}, components={"prompt"})`',
        ),
        Invalid(
            "private-server-internals",
            """
            from fastmcp import FastMCP

            mcp = FastMCP("winremote")

            async def tool_names() -> list[str]:
                names = [tool.name for tool in mcp._tool_manager._tools.values()]
                result = await mcp._call_tool_mcp("screenshot", {})
                return names + [str(result)]
            """,
            fastmcp_version="4.0",
            count=2,
        ),
        Invalid(
            "client-result-iserror",
            """
            from fastmcp import Client, FastMCP

            mcp = FastMCP("tools")

            async def call(name: str, arguments: dict) -> str:
                async with Client(mcp) as client:
                    result = await client.call_tool(name, arguments, raise_on_error=False)
                    if result.isError:
                        raise RuntimeError("failed")
                    return result.content[0].text
            """,
            fastmcp_version="2.13",
            says="did you mean `result.is_error`?",
        ),
        Invalid(
            "decorated-function-fn-on-3x",
            """
            from fastmcp import FastMCP

            mcp = FastMCP("galaxy")

            @mcp.tool
            def get_iwc_workflows() -> list[str]:
                return ["rnaseq"]

            @mcp.tool
            def search(query: str) -> str:
                workflows = get_iwc_workflows.fn()
                return f"{len(workflows)} workflows"
            """,
            fastmcp_version="3.0",
            says="call `get_iwc_workflows(...)` directly",
        ),
    ]

    def __init__(self, context: RuleContext) -> None:
        super().__init__(context)
        self.surface: ApiSurface = surface_for(context.target)
        # Per enclosing function (the module first): names bound to an awaited Client
        # call's result -> the classes it is (one, or each of a union).
        self.results: list[dict[str, list[str]]] = [{}]
        # Module-level functions decorated only with a server's component decorator,
        # on a release where that decorator returns the function -> the decorator.
        self.decorated: dict[str, str] = {}
        # Attribute names the module assigns anywhere (`x.name = ...`): never missing.
        self.assigned: set[str] = set()
        self.disabled = False
        # Per enclosing function: names bound to `await <server>.get_tool(...)` (and
        # get_prompt/get_resource/get_resource_template) -> (component kind, server).
        self.components: list[dict[str, tuple[str, str]]] = [{}]
        # Per enclosing function: names bound to an awaited server/Client method that
        # returns a list -> how to show the call.
        self.lists: list[dict[str, str]] = [{}]
        # Findings held until the module ends: a later `x.name = ...` of one of the
        # names cancels them, and `hasattr(x, "name")` of the attribute read.
        self.pending: list[tuple[cst.CSTNode, tuple[str, ...], str]] = []
        # Attribute names the module tests with `hasattr(x, "name")` / `getattr`.
        self.guarded: set[str] = set()
        # Names the module tests with `isinstance(name, ...)` (code serving releases
        # whose results differ in type).
        self.type_tested: set[str] = set()
        # A server subclass's `self` (a server too).
        self.selves = ServerSelves(context.names)

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.selves.visit_class(node)

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self.selves.leave_class()

    def visit_Module(self, node: cst.Module) -> None:
        self.selves.visit_module(node)
        self.disabled = "decorator_mode" in node.code or "DECORATOR_MODE" in node.code
        counts: dict[str, int] = {}
        for statement in node.body:
            for name in _bound_names(statement):
                counts[name] = counts.get(name, 0) + 1
        for statement in node.body:
            if not isinstance(statement, cst.FunctionDef) or len(statement.decorators) != 1:
                continue
            if counts.get(statement.name.value) != 1:
                continue
            decorator = self.context.names.component_decorator(statement.decorators[0])
            if decorator is None or decorator.kind not in _DECORATOR_KINDS:
                continue
            if self.surface.decorator_returns(decorator.kind) == "function":
                self.decorated[statement.name.value] = f"@{decorator.server}.{decorator.kind}"

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        if isinstance(node.target, cst.Attribute):
            self.assigned.add(node.target.attr.value)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        super().visit_FunctionDef(node)
        self.selves.visit_function(node)
        self.results.append({})
        self.components.append({})
        self.lists.append({})

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        super().leave_FunctionDef(original_node)
        self.selves.leave_function()
        self.results.pop()
        self.components.pop()
        self.lists.pop()

    def visit_Assign(self, node: cst.Assign) -> None:
        super().visit_Assign(node)
        classes = self._awaited_client_result(node.value)
        component = self._awaited_component(node.value)
        listed = self._awaited_list(node.value)
        for target in node.targets:
            if isinstance(target.target, cst.Name):
                name = target.target.value
                if listed is not None and len(node.targets) == 1:
                    self.lists[-1][name] = listed
                else:
                    self.lists[-1].pop(name, None)
                if classes is not None and len(node.targets) == 1:
                    self.results[-1][name] = classes
                else:
                    self.results[-1].pop(name, None)
                if component is not None and len(node.targets) == 1:
                    self.components[-1][name] = component
                else:
                    self.components[-1].pop(name, None)

    def _awaited_list(self, node: cst.BaseExpression) -> str | None:
        """``mcp.list_tools()`` for ``await <server or client>.<method>(...)`` whose
        return annotation in the target is a ``list[...]``."""
        if not isinstance(node, cst.Await):
            return None
        call = node.expression
        if not (isinstance(call, cst.Call) and isinstance(call.func, cst.Attribute)):
            return None
        receiver = call.func.value
        if self._bound_server(receiver):
            owner = SERVER
        elif self.scopes.type_of(receiver) == CLIENT:
            owner = CLIENT
        else:
            return None
        member = self.surface.member(owner, call.func.attr.value)
        if (
            member is None
            or not member.is_async
            or not (member.returns or "").startswith(SEQUENCES)
        ):
            return None
        return f"{dotted_name(receiver) or '...'}.{call.func.attr.value}()"

    def _awaited_component(self, node: cst.BaseExpression) -> tuple[str, str] | None:
        """``(kind, server)`` for ``await <server>.get_<kind>(...)`` on 3.0+."""
        if self.context.target < V3 or not isinstance(node, cst.Await):
            return None
        call = node.expression
        if not (isinstance(call, cst.Call) and isinstance(call.func, cst.Attribute)):
            return None
        kind = COMPONENT_GETTERS.get(call.func.attr.value)
        if kind is None or not self._bound_server(call.func.value):
            return None
        return kind, dotted_name(call.func.value) or "FastMCP(...)"

    def _awaited_client_result(self, node: cst.BaseExpression) -> list[str] | None:
        if not isinstance(node, cst.Await):
            return None
        call = node.expression
        if not (isinstance(call, cst.Call) and isinstance(call.func, cst.Attribute)):
            return None
        if self.scopes.type_of(call.func.value) != CLIENT:
            return None
        member = self.surface.member(CLIENT, call.func.attr.value)
        if member is None or not member.is_async:
            return None
        return _classes(member.returns)

    def visit_Call(self, node: cst.Call) -> None:
        # `hasattr(x, "name")` guards reads of `.name` (code serving several releases).
        if (
            isinstance(node.func, cst.Name)
            and node.func.value in ("hasattr", "getattr")
            and len(node.args) >= 2
            and isinstance(node.args[1].value, cst.SimpleString)
        ):
            name = node.args[1].value.evaluated_value
            if isinstance(name, str):
                self.guarded.add(name)
        if (
            isinstance(node.func, cst.Name)
            and node.func.value == "isinstance"
            and node.args
            and isinstance(node.args[0].value, cst.Name)
        ):
            self.type_tested.add(node.args[0].value.value)

    def leave_Module(self, original_node: cst.Module) -> None:
        for node, names, message in self.pending:
            if any(name in self.assigned for name in names):
                continue
            if isinstance(node, cst.Attribute) and node.attr.value in self.guarded:
                continue
            if (
                isinstance(node, cst.Subscript)
                and isinstance(node.value, cst.Name)
                and node.value.value in self.type_tested
            ):
                continue
            self.report(node, message)

    def _hold(self, node: cst.CSTNode, names: tuple[str, ...], found: Message | None) -> None:
        if found is not None:
            expr, why, hint = found
            version = version_label(self.context.target, self.surface)
            message = self.message.format(expr=expr, version=version, why=why, hint=hint)
            self.pending.append((node, names, message))

    def visit_Subscript(self, node: cst.Subscript) -> None:
        # `result[0]` on the client's CallToolResult (a list before 2.10).
        receiver = node.value
        if isinstance(receiver, cst.Name):
            classes = self._result_classes(receiver.value)
            shown = receiver.value
        else:
            classes = self._awaited_client_result(receiver)
            shown = "(await ...)"
        if classes is not None:
            self._hold(node, (), unsubscriptable(self.surface, shown, classes))

    def visit_Attribute(self, node: cst.Attribute) -> None:
        attr = node.attr.value
        receiver = node.value
        if attr in DICT_ONLY:
            listed = self._awaited_list(receiver)
            if listed is None and isinstance(receiver, cst.Name):
                listed = next(
                    (
                        scope[receiver.value]
                        for scope in reversed(self.lists)
                        if receiver.value in scope
                    ),
                    None,
                )
            if listed is not None:
                self._report_list(node, listed, attr)
                return
        if attr.startswith("_"):
            if not attr.startswith("__") and self._server_or_self(receiver, attr):
                self._check_private(node, receiver, attr)
            return
        if (
            isinstance(receiver, cst.Attribute)
            and receiver.attr.value.startswith("_")
            and not receiver.attr.value.startswith("__")
            and self._server_or_self(receiver.value, receiver.attr.value)
        ):
            server = dotted_name(receiver.value) or "FastMCP(...)"
            found = private_member(self.surface, server, receiver.attr.value, attr)
            self._hold(node, (receiver.attr.value, attr), found)
            return
        if self.scopes.type_of(receiver) == CONTEXT:
            shown = dotted_name(receiver) or "ctx"
            self._hold(
                node, (attr,), context_member(self.surface, self.context.target, shown, attr)
            )
            return
        if self.disabled:
            return
        if isinstance(receiver, cst.Name):
            component = self._component(receiver.value)
            if component is not None and attr in STUBS:
                self._report_stub(node, receiver.value, attr, *component)
                return
            classes = self._result_classes(receiver.value)
            if classes is not None:
                self._check_result(node, receiver.value, attr, classes)
            elif receiver.value in self.decorated and not self._shadowed(receiver.value):
                self._check_decorated(node, receiver.value, attr)

    def _bound_server(self, node: cst.BaseExpression) -> bool:
        return self.context.names.is_bound_server(node)

    def _server_or_self(self, node: cst.BaseExpression, attr: str) -> bool:
        """A server by construction or annotation, or a server subclass's `self` for
        an attribute the subclass does not define itself."""
        if self._bound_server(node):
            return True
        return self.selves.is_self(node) and attr not in self.selves.defined

    def _check_private(self, node: cst.Attribute, receiver: cst.BaseExpression, attr: str) -> None:
        target = private_history(self.surface.releases, SERVER, attr)
        if not target.releases or any(has is not False for _, has in target.releases):
            return  # the target (every release standing in for it) must lack it
        having = private_history(private_releases(), SERVER, attr).present
        if not having:
            return  # never a FastMCP attribute: the project's own, or unknown
        server = dotted_name(receiver) or "FastMCP(...)"
        hint = PRIVATE_HINTS.get(attr, "").format(server=server)
        self.pending.append(
            (
                node,
                (attr,),
                self.message.format(
                    expr=f"{server}.{attr}",
                    version=version_label(self.context.target, self.surface),
                    why=(
                        "a private attribute of FastMCP "
                        f"{having[0]}{f' to {having[-1]}' if len(having) > 1 else ''}, "
                        "gone from this release (private internals change without notice)"
                    ),
                    hint=hint,
                ),
            )
        )

    def _report_list(self, node: cst.Attribute, call: str, attr: str) -> None:
        self.pending.append(
            (
                node,
                (),
                self.message.format(
                    expr=f".{attr}()",
                    version=version_label(self.context.target, self.surface),
                    why=f"`await {call}` returns a list, not a dict keyed by name",
                    hint="; iterate the list (`for item in ...`, `item.name`)",
                ),
            )
        )

    def _component(self, name: str) -> tuple[str, str] | None:
        for scope in reversed(self.components):
            if name in scope:
                return scope[name]
        return None

    def _report_stub(
        self, node: cst.Attribute, name: str, attr: str, kind: str, server: str
    ) -> None:
        component = "template" if kind == "resource_template" else kind
        self.pending.append(
            (
                node,
                (),
                self.message.format(
                    expr=f"{name}.{attr}()",
                    version=version_label(self.context.target, self.surface),
                    why=(
                        f"`Component.{attr}()` was removed in FastMCP 3.0 and raises "
                        "`NotImplementedError`"
                    ),
                    hint=(
                        f'; use `{server}.{attr}(names={{{name}.name}}, components={{"{component}"}})`'
                        if kind in ("tool", "prompt")
                        else f"; use `{server}.{attr}(...)`"
                    ),
                ),
            )
        )

    def _result_classes(self, name: str) -> list[str] | None:
        for scope in reversed(self.results):
            if name in scope:
                return scope[name]
        return None

    def _shadowed(self, name: str) -> bool:
        return any(name in scope.types for scope in self.scopes.stack[1:])

    def _check_result(self, node: cst.Attribute, name: str, attr: str, classes: list[str]) -> None:
        for path in classes:
            info = self.surface.class_info(path)
            if info is None or info.dynamic or self.surface.has_member(path, attr) is not False:
                return
        members = sorted({m for path in classes for m in self.surface.members(path)})
        close = close_member(attr, members)
        hint = f"; did you mean `{name}.{close}`?" if close else ""
        shown = " | ".join(path.rpartition(".")[2] for path in classes)
        self.pending.append(
            (
                node,
                (attr,),
                self.message.format(
                    expr=f"{name}.{attr}",
                    version=version_label(self.context.target, self.surface),
                    why=f"`{name}` is the client's `{shown}` (members: {', '.join(members)})",
                    hint=hint,
                ),
            )
        )

    def _check_decorated(self, node: cst.Attribute, name: str, attr: str) -> None:
        decorator = self.decorated[name]
        kind = decorator.rpartition(".")[2]
        having = []
        for release in dumped_releases():
            surface = surface_for(release)
            returned = surface.decorator_returns(kind)
            if returned and returned != "function" and surface.has_member(returned, attr):
                having.append(release)
        if not having:
            return
        advice = (
            f"; call `{name}(...)` directly"
            if attr == "fn"
            else f"; the component is `await {decorator[1:].rpartition('.')[0]}.get_{kind}(...)`"
            if kind in ("tool", "prompt")
            else ""
        )
        self.pending.append(
            (
                node,
                (attr,),
                self.message.format(
                    expr=f"{name}.{attr}",
                    version=version_label(self.context.target, self.surface),
                    why=(
                        f"`{decorator}` returns the function itself since 3.0 (a component "
                        f"object with `.{attr}` in FastMCP {having[0]} to {having[-1]})"
                    ),
                    hint=advice,
                ),
            )
        )


def _bound_names(statement: cst.CSTNode) -> list[str]:
    """Names a module-level statement binds (defs, classes, assignments, imports)."""
    if isinstance(statement, (cst.FunctionDef, cst.ClassDef)):
        return [statement.name.value]
    found: list[str] = []
    if isinstance(statement, cst.SimpleStatementLine):
        for small in statement.body:
            if isinstance(small, cst.Assign):
                found += [t.target.value for t in small.targets if isinstance(t.target, cst.Name)]
            elif isinstance(small, (cst.AnnAssign, cst.AugAssign)) and isinstance(
                small.target, cst.Name
            ):
                found.append(small.target.value)
            elif isinstance(small, (cst.Import, cst.ImportFrom)) and not isinstance(
                small.names, cst.ImportStar
            ):
                for alias in small.names:
                    bound = alias.asname.name if alias.asname else alias.name
                    if isinstance(bound, cst.Name):
                        found.append(bound.value)
    else:
        # Compound statements (if/try/with at module level) may rebind anything.
        class Collector(cst.CSTVisitor):
            def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
                found.append(node.name.value)
                return False

            def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
                if isinstance(node.target, cst.Name):
                    found.append(node.target.value)

        statement.visit(Collector())
    return found
