from __future__ import annotations

import ast

import libcst as cst

from fastmcp_kit.lint.ast_names import imports_fastmcp, may_be_server
from fastmcp_kit.lint.names import dotted_name
from fastmcp_kit.lint.rule import Fix, Invalid, Rule, RuleContext, Valid
from fastmcp_kit.lint.violation import Severity


def _is_text(node: cst.BaseExpression) -> bool:
    return isinstance(node, (cst.SimpleString, cst.FormattedString, cst.ConcatenatedString))


class MountArgumentsReversed(Rule):
    """`server.mount("prefix", sub)`: the pre-2.7 argument order, which FastMCP 2.14+ no longer accepts.

    ## What it does
    Flags `mount()` called on a standalone FastMCP server (bound by construction or
    annotation) whose first positional argument is a string and whose second is
    something else: the order of FastMCP before 2.7 (`mount(prefix, server)`).
    Since 2.7 the server comes first and the prefix (3.0+: `namespace`) second.

    ## Why is this bad?
    2.13 still swapped the arguments back, with a `DeprecationWarning`. From 2.14 the
    string is taken for the server: 2.14.7 fails when `mount()` is called
    (`AttributeError: 'str' object has no attribute '_lifespan'`), 3.x accepts the
    call and then fails every client connection (`RuntimeError: Client failed to
    connect: 'str' object has no attribute '_lifespan'`), and 4.x fails in
    `mount()` (`'str' object has no attribute 'required_extensions'`); verified in
    2.13.3, 2.14.7, 3.0.2, 3.4.11, 4.0.11, 4.1.2 and 4.2.3.

    ## Fix safety
    Swapping the two arguments gives `mount(server, prefix)`, which mounts the same
    server under the same prefix in every release from 2.7 (the second positional
    parameter is `prefix` in 2.x and `namespace` in 3.x/4.x): safe.
    """

    code = "FMCP811"
    severity = Severity.ERROR
    message = (
        "`{server}.mount({first}, {second})` passes the prefix first (the pre-2.7 order); "
        "FastMCP {version} takes the server first: `{server}.mount({second}, {first})`"
    )
    fix_title = "Put the server first"
    fastmcp_versions = ">=2.14"
    reported_mistakes = ("024",)
    references = ("https://gofastmcp.com/servers/composition",)

    needles = (".mount",)

    @classmethod
    def may_apply_to_tree(cls, tree: ast.Module, context: RuleContext) -> bool:
        receivers = [
            node.func.value
            for node in ast.walk(tree)
            if isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "mount"
            and len(node.args) >= 2
            and isinstance(node.args[0], (ast.Constant, ast.JoinedStr))
        ]
        return bool(receivers) and imports_fastmcp(tree) and may_be_server(tree, receivers)

    VALID = [
        Valid(
            "server-first",
            """
            from fastmcp import FastMCP

            workflow = FastMCP("workflow")
            mcp = FastMCP("main")
            mcp.mount(workflow, "workflow")
            mcp.mount(workflow, namespace="wf")
            """,
        ),
        Valid(
            "asgi-mount",
            """
            from fastapi import FastAPI
            from fastmcp import FastMCP

            mcp = FastMCP("main")
            app = FastAPI()
            app.mount("/mcp", mcp.http_app(path="/"))

            def attach(server, sub) -> None:
                server.mount("legacy", sub)
            """,
        ),
        Valid(
            "legacy-order-on-2.13",
            """
            from fastmcp import FastMCP

            workflow = FastMCP("workflow")
            mcp = FastMCP("main")
            mcp.mount("workflow", workflow)
            """,
            fastmcp_version="2.13",
        ),
    ]
    INVALID = [
        Invalid(
            "prefix-first",
            """
            from fastmcp import FastMCP

            workflow_mcp = FastMCP("workflow")
            mcp = FastMCP("orkes-conductor")
            mcp.mount('workflow', workflow_mcp)
            """,
            fastmcp_version="2.14",
            fixed="""
            from fastmcp import FastMCP

            workflow_mcp = FastMCP("workflow")
            mcp = FastMCP("orkes-conductor")
            mcp.mount(workflow_mcp, 'workflow')
            """,
        ),
        Invalid(
            "prefix-first-on-4",
            """
            from fastmcp import FastMCP

            class App:
                def __init__(self) -> None:
                    self.mcp = FastMCP("main")
                    self.mcp.mount(f"{'tools'}", FastMCP("tools"))
            """,
            fixed="""
            from fastmcp import FastMCP

            class App:
                def __init__(self) -> None:
                    self.mcp = FastMCP("main")
                    self.mcp.mount(FastMCP("tools"), f"{'tools'}")
            """,
        ),
    ]

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if not (isinstance(func, cst.Attribute) and func.attr.value == "mount"):
            return
        positional = [arg for arg in node.args if arg.keyword is None and not arg.star]
        if len(positional) < 2 or node.args[0] is not positional[0]:
            return
        first, second = positional[0], positional[1]
        if not _is_text(first.value) or _is_text(second.value):
            return
        if not self.context.names.is_bound_server(func.value):
            return
        module = cst.Module([])
        shown = [module.code_for_node(arg.value) for arg in (first, second)]
        fix = Fix(
            self.fix_title or "",
            replacements=(
                (first.value, second.value),
                (second.value, first.value),
            ),
        )
        self.report(
            node,
            self.message.format(
                server=dotted_name(func.value) or "FastMCP(...)",
                first=shown[0],
                second=shown[1],
                version=self.context.target,
            ),
            fix=fix,
        )
