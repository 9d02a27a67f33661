from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping, Sequence

import libcst as cst

from fastmcp_kit.lint.ast_index import every_node
from fastmcp_kit.lint.ast_names import may_be_server
from fastmcp_kit.lint.rule import (
    Invalid,
    ProjectContext,
    ProjectFinding,
    Rule,
    RuleContext,
    Valid,
)
from fastmcp_kit.lint.violation import Fact, Location, Severity

TASKS_EXTENSION = frozenset(
    {"fastmcp_tasks.TasksExtension", "fastmcp_tasks.extension.TasksExtension"}
)


def _keyword(call: cst.Call, name: str) -> cst.Arg | None:
    return next((a for a in call.args if a.keyword is not None and a.keyword.value == name), None)


def _enables(arg: cst.Arg | None) -> bool:
    """``task=True`` / ``task=TaskConfig(...)`` / a variable: anything but False/None."""
    return arg is not None and not (
        isinstance(arg.value, cst.Name) and arg.value.value in {"False", "None"}
    )


class TaskToolWithoutTasksExtension(Rule):
    """Task-enabled tools in a project that never registers the tasks extension.

    ## What it does
    Looks across the whole project: when a tool is declared with `task=...` (or a
    server with `FastMCP(tasks=True)`) and no module calls
    `add_extension(TasksExtension(...))`, each task-enabled declaration is flagged.
    An `add_extension(...)` whose argument fkit cannot resolve counts as registering
    it, so the rule stays quiet when in doubt.

    ## Why is this bad?
    In FastMCP 4.x background tasks moved to an extension (package `fastmcp-tasks`,
    installed by `fastmcp[tasks]`). Decorating still succeeds, but the server cannot
    serve: clients fail with `RuntimeError: Client failed to connect: Task-enabled
    tools (slow) require the tasks extension, but no extension with identifier
    'io.modelcontextprotocol/tasks' is registered` (verified 4.1.2). In 2.14 and 3.x
    the same code worked without an extension.

    ## Fix safety
    No automatic fix: registering the extension needs a new dependency
    (`fastmcp[tasks]`) and a decision about where the server is assembled.
    """

    code = "FMCP810"
    severity = Severity.ERROR
    message = "`{name}` is task-enabled but no module registers the tasks extension; FastMCP 4 refuses to serve it (add `mcp.add_extension(TasksExtension())` from `fastmcp_tasks`)"
    documented_errors = (30,)
    fastmcp_versions = ">=4"
    references = ("https://gofastmcp.com/servers/tasks",)

    # Facts: `task=` on a tool, `tasks=` on a server (any spacing before `=`), and the
    # suppressing `<server>.add_extension(...)` call.
    needles = (
        "task=",
        "task =",
        "task  ",
        "task\t",
        "tasks=",
        "tasks =",
        "tasks  ",
        "tasks\t",
        "add_extension",
    )

    @classmethod
    def may_apply_to_tree(cls, tree: ast.Module, context: RuleContext) -> bool:
        # Facts: any `<x>.add_extension(...)` call (it suppresses findings elsewhere), a
        # server constructor with `tasks=` enabled, `@<server>.tool(task=...)` enabled.
        receivers: list[ast.expr] = []
        for node in every_node(tree):
            if isinstance(node, ast.Call):
                func = node.func
                if (
                    isinstance(func, ast.Attribute)
                    and func.attr == "add_extension"
                    and (node.args or node.keywords)
                ):
                    return True
                if any(k.arg == "tasks" and _ast_enables(k.value) for k in node.keywords):
                    receivers.append(node)
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                for decorator in node.decorator_list:
                    if (
                        isinstance(decorator, ast.Call)
                        and isinstance(decorator.func, ast.Attribute)
                        and decorator.func.attr == "tool"
                        and any(
                            k.arg == "task" and _ast_enables(k.value) for k in decorator.keywords
                        )
                    ):
                        receivers.append(decorator.func.value)
        return may_be_server(tree, receivers)

    VALID = [
        Valid(
            "extension-registered-elsewhere",
            """
            from fastmcp import FastMCP

            mcp = FastMCP("jobs")

            @mcp.tool(task=True)
            async def slow() -> str:
                return "done"
            """,
            files={
                "app.py": (
                    "from fastmcp_tasks import TasksExtension\n"
                    "from server import mcp\n\n"
                    "mcp.add_extension(TasksExtension())\n"
                )
            },
        ),
        Valid(
            "extension-through-a-variable",
            """
            from fastmcp import FastMCP
            from fastmcp_tasks import TasksExtension

            mcp = FastMCP("jobs")
            extension = TasksExtension()
            mcp.add_extension(extension)

            @mcp.tool(task=True)
            async def slow() -> str:
                return "done"
            """,
        ),
        Valid(
            "task-disabled",
            """
            from fastmcp import FastMCP

            mcp = FastMCP("jobs")

            @mcp.tool(task=False)
            async def quick() -> str:
                return "done"
            """,
        ),
        Valid(
            "tasks-on-3x",
            """
            from fastmcp import FastMCP

            mcp = FastMCP("jobs")

            @mcp.tool(task=True)
            async def slow() -> str:
                return "done"
            """,
            fastmcp_version="3.4",
        ),
    ]
    INVALID = [
        Invalid(
            "task-tool-no-extension",
            """
            from fastmcp import FastMCP

            mcp = FastMCP("jobs")

            @mcp.tool(task=True)
            async def slow() -> str:
                return "done"
            """,
        ),
        Invalid(
            "server-wide-tasks",
            """
            from fastmcp import FastMCP

            mcp = FastMCP("jobs", tasks=True)
            """,
            files={"tools.py": "def helper() -> None:\n    pass\n"},
        ),
    ]

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        for component in self.context.names.component_decorators(node):
            call = component.call
            if component.kind == "tool" and call is not None and _enables(_keyword(call, "task")):
                self.record(component.decorator, {"task": node.name.value})

    def visit_Call(self, node: cst.Call) -> None:
        names = self.context.names
        if names.is_server_constructor(node) and _enables(_keyword(node, "tasks")):
            self.record(node, {"task": "tasks=True"})
            return
        func = node.func
        if isinstance(func, cst.Attribute) and func.attr.value == "add_extension" and node.args:
            argument = node.args[0].value
            known_other = isinstance(argument, cst.Call) and (
                names.qualified_name(argument.func) not in TASKS_EXTENSION
                and names.qualified_name(argument.func) is not None
            )
            if not known_other:
                self.record(None, {"extension": True})

    @classmethod
    def check_project(
        cls, facts: Mapping[str, Sequence[Fact]], project: ProjectContext
    ) -> Iterable[ProjectFinding]:
        every = [(path, fact) for path, items in facts.items() for fact in items]
        if any("extension" in fact.data for _, fact in every):
            return
        for path, fact in every:
            if "task" in fact.data:
                yield ProjectFinding(
                    path,
                    cls.message.format(name=fact.data["task"]),
                    fact.location or Location(1, 1),
                    fact.end_location or Location(1, 1),
                )


def _ast_enables(value: ast.expr) -> bool:
    """``_enables`` on the stdlib ast: anything but a literal `False` or `None`."""
    return not (isinstance(value, ast.Constant) and (value.value is False or value.value is None))
