from __future__ import annotations

import ast

import libcst as cst
from packaging.version import Version

from fastmcp_kit.lint.ast_index import every_node
from fastmcp_kit.lint.ast_names import may_be_server
from fastmcp_kit.lint.names import ComponentDecorator
from fastmcp_kit.lint.rule import Invalid, Rule, RuleContext, Valid
from fastmcp_kit.lint.violation import Severity

TASK_CONFIG = frozenset(
    {
        "fastmcp.server.tasks.TaskConfig",
        "fastmcp.server.tasks.config.TaskConfig",
        "fastmcp.utilities.tasks.TaskConfig",
    }
)
ENABLED_MODES = ("optional", "required")


class TaskOnSyncFunction(Rule):
    """Background-task execution enabled on a sync `def` tool, resource or prompt.

    ## What it does
    Flags a plain `def` registered with a standalone FastMCP server
    (`@mcp.tool`, `@mcp.resource(...)`, `@mcp.prompt`) when task execution is enabled
    for it: `task=True`, `task=TaskConfig()` / `TaskConfig(mode="optional"|"required")`,
    or no `task=` at all on a server created with `FastMCP(..., tasks=True)`.
    From 4.0 on only tools can be tasks, so only tools are checked there (`task=` on
    resources and prompts is FMCP807).

    ## Why is this bad?
    Background tasks (2.14+) require coroutine functions. Registering a sync function
    raises `ValueError: '<name>' uses a sync function but has task execution enabled.
    Background tasks require async functions.` when the decorator runs, i.e. when the
    module is imported (verified 2.14.7, 3.4.10 with the `tasks` extra, 4.0.0 and 4.1.2,
    for `task=True`, `TaskConfig(mode="optional"|"required")` and a `tasks=True` server
    default; `TaskConfig(mode="forbidden")` and `task=False` are accepted). In 3.x
    without `fastmcp[tasks]` installed the decorator fails earlier with an `ImportError`
    asking for the extra.

    ## Fix safety
    No fix: making the function `async def` changes how its body runs (on the event
    loop instead of a worker thread) and how direct callers use it; dropping `task=`
    changes what clients can do.
    """

    code = "FMCP806"
    severity = Severity.ERROR
    message = "`{function}` is a sync `def` but {reason}; FastMCP raises `ValueError: ... uses a sync function but has task execution enabled` when it is registered; {advice}"
    documented_errors = (30,)
    fastmcp_versions = ">=2.14"
    references = ("https://gofastmcp.com/servers/tasks",)

    # Tasks are enabled only by a `task=` keyword or `tasks=` on the server (any spacing before `=`).
    needles = ("task=", "task =", "task  ", "task\t", "tasks=", "tasks =", "tasks  ", "tasks\t")

    @classmethod
    def may_apply_to_tree(cls, tree: ast.Module, context: RuleContext) -> bool:
        # A sync `def` whose last decorator is `@<server>.<kind>` with `task=True` or
        # `task=<call>`, or any such decorator when some call passes `tasks=True`.
        kinds = ("tool",) if context.target >= Version("4.0") else ("tool", "resource", "prompt")
        server_default = any(
            isinstance(node, ast.Call)
            and any(k.arg == "tasks" and _is_true(k.value) for k in node.keywords)
            for node in every_node(tree)
        )
        receivers = []
        for node in every_node(tree):
            if not isinstance(node, ast.FunctionDef) or not node.decorator_list:
                continue
            decorator = node.decorator_list[-1]
            call = decorator if isinstance(decorator, ast.Call) else None
            target = call.func if call is not None else decorator
            if not isinstance(target, ast.Attribute) or target.attr not in kinds:
                continue
            if server_default or (
                call is not None
                and any(
                    k.arg == "task" and (_is_true(k.value) or isinstance(k.value, ast.Call))
                    for k in call.keywords
                )
            ):
                receivers.append(target.value)
        return may_be_server(tree, receivers)

    VALID = [
        Valid(
            "async-task",
            """
            from fastmcp import FastMCP

            mcp = FastMCP("demo")

            @mcp.tool(task=True)
            async def crunch(n: int) -> int:
                return n * 2
            """,
        ),
        Valid(
            "sync-without-task",
            """
            from fastmcp import FastMCP
            from fastmcp.utilities.tasks import TaskConfig

            mcp = FastMCP("demo", tasks=True)

            @mcp.tool(task=False)
            def quick(n: int) -> int:
                return n + 1

            @mcp.tool(task=TaskConfig(mode="forbidden"))
            def also_quick(n: int) -> int:
                return n + 2

            plain = FastMCP("plain")

            @plain.tool
            def add(a: int, b: int) -> int:
                return a + b
            """,
        ),
        Valid(
            "resource-and-prompt-on-4x-server-default",
            """
            from fastmcp import FastMCP

            mcp = FastMCP("demo", tasks=True)

            @mcp.resource("data://config")
            def config() -> dict:
                return {}

            @mcp.prompt
            def ask(topic: str) -> str:
                return topic
            """,
        ),
        Valid(
            "wrapped-by-inner-decorator",
            """
            from fastmcp import FastMCP
            from myapp.decorators import run_async

            mcp = FastMCP("demo")

            @mcp.tool(task=True)
            @run_async
            def crunch(n: int) -> int:
                return n * 2
            """,
        ),
        Valid(
            "sdk-server",
            """
            from mcp.server.fastmcp import FastMCP

            mcp = FastMCP("demo")

            @mcp.tool(task=True)
            def crunch(n: int) -> int:
                return n * 2
            """,
        ),
        Valid(
            "before-2-14",
            """
            from fastmcp import FastMCP

            mcp = FastMCP("demo")

            @mcp.tool(task=True)
            def crunch(n: int) -> int:
                return n * 2
            """,
            fastmcp_version="2.13",
        ),
    ]
    INVALID = [
        Invalid(
            "task-true-on-sync-tool",
            """
            from fastmcp import FastMCP

            mcp = FastMCP("demo")

            @mcp.tool(task=True)
            def crunch(n: int) -> int:
                return n * 2
            """,
        ),
        Invalid(
            "task-config-and-server-default-2-14",
            """
            from fastmcp import FastMCP
            from fastmcp.server.tasks import TaskConfig

            mcp = FastMCP("demo", tasks=True)

            @mcp.resource("data://report", task=TaskConfig(mode="required"))
            def report() -> str:
                return "..."

            @mcp.prompt
            def summarize(text: str) -> str:
                return text
            """,
            count=2,
            fastmcp_version="2.14",
        ),
    ]

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        if node.asynchronous is not None:
            return
        target = self.context.target
        for component in self.context.names.component_decorators(node):
            if component.kind != "tool" and target >= Version("4.0"):
                continue
            index = next(i for i, d in enumerate(node.decorators) if d is component.decorator)
            if index != len(node.decorators) - 1:
                continue  # an inner decorator may turn the function into a coroutine
            reason = self._task_reason(component)
            if reason is None:
                continue
            if component.argument("task") is None:
                advice = "make it `async def`, or pass `task=False`"
            else:
                advice = "make it `async def`, or drop `task=`"
            message = self.message.format(function=node.name.value, reason=reason, advice=advice)
            self.report(component.decorator, message)

    def _task_reason(self, component: ComponentDecorator) -> str | None:
        """Why tasks are enabled for this component, or None if they are not (or unknown)."""
        arg = component.argument("task")
        if arg is not None:
            if not self._enabled(arg.value):
                return None
            return f"it is registered with `task={cst.Module(body=()).code_for_node(arg.value)}`"
        if self._server_default(component.server):
            return f"its server `{component.server}` was created with `tasks=True`"
        return None

    def _enabled(self, value: cst.BaseExpression) -> bool:
        if isinstance(value, cst.Name):
            return value.value == "True"
        if not isinstance(value, cst.Call):
            return False
        if self.context.names.qualified_name(value.func) not in TASK_CONFIG:
            return False
        mode = next((a for a in value.args if a.keyword and a.keyword.value == "mode"), None)
        if mode is None:
            positional = [a for a in value.args if a.keyword is None and not a.star]
            if any(a.star for a in value.args):
                return False
            mode = positional[0] if positional else None
        if mode is None:
            return True  # TaskConfig() defaults to mode="optional"
        return (
            isinstance(mode.value, cst.SimpleString) and mode.value.evaluated_value in ENABLED_MODES
        )

    def _server_default(self, server: str) -> bool:
        """Was the module-level server created with ``tasks=True``?"""
        statement = self.context.names.module_servers.get(server)
        if not isinstance(statement, cst.SimpleStatementLine):
            return False
        for small in statement.body:
            value = small.value if isinstance(small, (cst.Assign, cst.AnnAssign)) else None
            if isinstance(value, cst.Call):
                tasks = next(
                    (a for a in value.args if a.keyword and a.keyword.value == "tasks"), None
                )
                return (
                    tasks is not None
                    and isinstance(tasks.value, cst.Name)
                    and tasks.value.value == "True"
                )
        return False


def _is_true(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value is True
