"""Background tasks in 4.x: the tasks extension, ``task=`` on resources/prompts, client
task calls (3.iii rows 36, 37 and 38, E30)."""

from __future__ import annotations

import libcst as cst
from libcst.metadata import ParentNodeProvider

from fastmcp_kit.lint.names import dotted_name
from fastmcp_kit.lint.receiver_types import CLIENT_PATHS
from fastmcp_kit.lint.violation import Severity
from fastmcp_kit.upgrade.codemod import GUIDE_4, Codemod, Example, UpgradeFacts
from fastmcp_kit.upgrade.cstutil import code, drop_args, is_true, keyword, positional, statement
from fastmcp_kit.upgrade.facts import enclosing_function, local_server_key
from fastmcp_kit.upgrade.helpers import server_assignment

_CLIENT = CLIENT_PATHS


class TasksExtension(Codemod):
    """What it does:
    (1) After ``x = FastMCP(...)`` (at module level, or inside the function that
    decorates its tools), when any module of the project gives ``x`` a task-enabled tool
    (``@x.tool(task=...)``), adds ``x.add_extension(TasksExtension())``
    (``from fastmcp_tasks import TasksExtension``), unless the module already calls
    ``add_extension(TasksExtension(...))``. (2) Removes ``task=`` from
    ``@x.resource(...)`` / ``@x.prompt(...)``, reported. (3) Rewrites the client call
    ``await client.call_tool(name, args, task=True)`` to ``await
    call_tool_task(client, name, args)`` (``from fastmcp_tasks import call_tool_task``);
    ``task=True`` on ``read_resource``/``get_prompt`` is reported.

    Why:
    4.0 moved background tasks into the ``fastmcp-tasks`` extension: without it a server
    with task-enabled tools cannot start (``RuntimeError: ... require the tasks
    extension``); ``task=`` on resources and prompts is a ``TypeError``; the client's
    ``task=`` parameter is gone.

    Safety:
    (1) Safe: checked in 4.1.2 with fastmcp-tasks 4.1.2 (the task tool is listed and
    answers a plain ``call_tool`` as in 2.14). The ``fastmcp[tasks]`` extra is added by
    the pins. (2) Changes behaviour (the component runs inline): reported. (3) Both return
    the task handle; tasks are only negotiated on modern-era connections.
    """

    ID = "tasks-extension"
    TITLE = "task-enabled tools get the tasks extension"
    KIND = "partial"
    ROWS = ("iii.36", "iii.37", "iii.38")
    LINK = GUIDE_4
    TRIGGERS = ("task=",)

    @classmethod
    def wanted(cls, code: str, facts: UpgradeFacts) -> bool:
        return super().wanted(code, facts) or (bool(facts.task_servers) and "FastMCP" in code)

    EXAMPLES = (
        Example(
            "server",
            filename="server.py",
            before="""
            from fastmcp import FastMCP

            mcp = FastMCP("jobs")

            @mcp.tool(task=True)
            async def crunch(n: int) -> int:
                return n * 2

            @mcp.resource("data://report", task=True)
            async def report() -> str:
                return "r"
            """,
            after="""
            from fastmcp import FastMCP
            from fastmcp_tasks import TasksExtension

            mcp = FastMCP("jobs")
            mcp.add_extension(TasksExtension())

            @mcp.tool(task=True)
            async def crunch(n: int) -> int:
                return n * 2

            @mcp.resource("data://report")
            async def report() -> str:
                return "r"
            """,
            findings=("`task=` on a resource",),
        ),
        Example(
            "server-built-in-a-function",
            filename="server.py",
            before="""
            from fastmcp import FastMCP

            def build() -> FastMCP:
                mcp = FastMCP("jobs")

                @mcp.tool(task=True)
                async def crunch(n: int) -> int:
                    return n * 2

                return mcp

            server = build()
            """,
            after="""
            from fastmcp import FastMCP
            from fastmcp_tasks import TasksExtension

            def build() -> FastMCP:
                mcp = FastMCP("jobs")
                mcp.add_extension(TasksExtension())

                @mcp.tool(task=True)
                async def crunch(n: int) -> int:
                    return n * 2

                return mcp

            server = build()
            """,
        ),
        Example(
            "client",
            filename="client.py",
            before="""
            from fastmcp import Client

            async def run() -> object:
                async with Client("http://localhost:8000/mcp") as client:
                    job = await client.call_tool("crunch", {"n": 2}, task=True)
                    return await job.result()
            """,
            after="""
            from fastmcp import Client
            from fastmcp_tasks import call_tool_task

            async def run() -> object:
                async with Client("http://localhost:8000/mcp") as client:
                    job = await call_tool_task(client, "crunch", {"n": 2})
                    return await job.result()
            """,
        ),
    )

    def visit_Module(self, node: cst.Module) -> bool:
        super().visit_Module(node)
        self._has_extension = "TasksExtension(" in node.code
        self._clients: set[str] = set()
        return True

    def visit_WithItem(self, node: cst.WithItem) -> bool:
        item = node.item
        if (
            isinstance(item, cst.Call)
            and self.names.qualified_name(item.func) in _CLIENT
            and node.asname is not None
            and isinstance(node.asname.name, cst.Name)
        ):
            self._clients.add(node.asname.name.value)
        return True

    def visit_Assign(self, node: cst.Assign) -> bool:
        value = node.value
        if isinstance(value, cst.Call) and self.names.qualified_name(value.func) in _CLIENT:
            for target in node.targets:
                if isinstance(target.target, cst.Name):
                    self._clients.add(target.target.value)
        return True

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        if self.names.is_server_class(original_node.func):
            self._extension(original_node)
            return updated_node
        func = original_node.func
        if not isinstance(func, cst.Attribute):
            return updated_node
        task = keyword(updated_node, "task")
        if task is None:
            return updated_node
        method = func.attr.value
        if method in ("resource", "prompt") and self.names.is_server(func.value):
            self.rewrote()
            self.report(
                original_node,
                f"`task=` on a {method} was removed in 4.0 (tasks are tool-only): fkit deleted "
                f"it, so the {method} now runs inline; if it is slow, move the work to a "
                "`task=True` tool",
                Severity.WARNING,
            )
            return drop_args(updated_node, [task])
        client = dotted_name(func.value)
        if client not in self._clients:
            return updated_node
        if method == "call_tool" and is_true(task.value):
            args = positional(updated_node)
            if len(args) == len(updated_node.args) - 1:
                self.add_import("fastmcp_tasks", "call_tool_task")
                self.rewrote()
                text = ", ".join([client, *(code(a.value) for a in args)])
                return cst.parse_expression(f"call_tool_task({text})")
        if method in ("call_tool", "read_resource", "get_prompt"):
            self.report(
                original_node,
                f"`{method}(task=...)` was removed in 4.0: use `fastmcp_tasks.call_tool_task` "
                "for tools; resources and prompts have no task mode",
                Severity.ERROR,
            )
        return updated_node

    def _extension(self, call: cst.Call) -> None:
        target = server_assignment(self, call)
        module = self.facts.module_name
        if target is None or module is None or self._has_extension:
            return
        function = self._enclosing_function(call)
        key = local_server_key(module, function, target) if function else f"{module}.{target}"
        if key not in self.facts.task_servers:
            return
        self.add_import("fastmcp_tasks", "TasksExtension")
        self.insert_after(call, [statement(f"{target}.add_extension(TasksExtension())")])
        self._has_extension = True
        self.rewrote()

    def _enclosing_function(self, node: cst.CSTNode) -> str:
        """The qualified name of the function ``node`` is in ("" at module level)."""
        stack: list[str] = []
        current: cst.CSTNode | None = node
        while current is not None:
            current = self.get_metadata(ParentNodeProvider, current, None)
            if isinstance(current, cst.FunctionDef):
                stack.append(current.name.value)
            elif isinstance(current, cst.ClassDef):
                stack.append("class:" + current.name.value)
        return enclosing_function(stack[::-1])
