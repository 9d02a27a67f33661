from __future__ import annotations

from collections.abc import Sequence

import libcst as cst
from packaging.version import Version

from fastmcp_kit.lint.names import dotted_name
from fastmcp_kit.lint.rule import Fix, Invalid, Rule, Valid
from fastmcp_kit.lint.violation import Severity

SERVER_CLASSES = frozenset(
    {"fastmcp.FastMCP", "fastmcp.server.FastMCP", "fastmcp.server.server.FastMCP"}
)
KEYWORD = "resource_prefix_format"


def _without(args: Sequence[cst.Arg], arg: cst.Arg) -> list[cst.Arg]:
    """``args`` minus ``arg``, keeping the call's comma style."""
    kept = [a for a in args if a is not arg]
    if kept and args[-1] is arg:
        kept[-1] = kept[-1].with_changes(comma=arg.comma)
    return kept


class ResourcePrefixFormat(Rule):
    """`resource_prefix_format=` passed where FastMCP does not accept it.

    ## What it does
    Flags `resource_prefix_format=` on `FastMCP(...)` when the project targets FastMCP
    2.14 or later, and on `mount(...)` / `import_server(...)` of a standalone FastMCP
    server in any version.

    ## Why is this bad?
    `resource_prefix_format` was a `FastMCP()` constructor parameter (and the setting
    `FASTMCP_RESOURCE_PREFIX_FORMAT`) from 2.4.0 through 2.13.x only. 2.14.0 removed it
    together with the `"protocol"` format: `TypeError: FastMCP.__init__() got an
    unexpected keyword argument 'resource_prefix_format'` in 2.14.7, `TypeError:
    FastMCP() got unexpected keyword argument(s): 'resource_prefix_format'` in 3.x and
    4.x. It was never a parameter of `mount()` or `import_server()` (`TypeError` in every
    version). Mounted resources always use the path format, `scheme://<prefix>/path`.

    ## Fix safety
    When the value is the literal `"path"` the fix deletes the keyword: that format is
    the only one (2.14+) and the default (2.4-2.13), so nothing changes. Any other value
    (`"protocol"`, which produced `prefix+scheme://path`) is only reported, because the
    resource URIs clients see would change.
    """

    code = "FMCP805"
    severity = Severity.ERROR
    message = "{what} (`TypeError` when called); {advice}"
    fix_title = 'Remove `resource_prefix_format="path"` (the only format)'
    documented_errors = (21,)
    references = (
        "https://gofastmcp.com/servers/composition",
        "https://gofastmcp.com/getting-started/upgrading/from-fastmcp-2",
    )

    # Only the `resource_prefix_format=` keyword is reported.
    needles = ("resource_prefix_format",)

    VALID = [
        Valid(
            "constructor-before-2-14",
            """
            from fastmcp import FastMCP

            mcp = FastMCP("main", resource_prefix_format="protocol")
            """,
            fastmcp_version="2.13",
        ),
        Valid(
            "no-keyword",
            """
            from fastmcp import FastMCP

            main = FastMCP("main")
            main.mount(FastMCP("api"), namespace="api")
            """,
        ),
        Valid(
            "other-classes",
            """
            from fastmcp import FastMCP
            from mcp.server.fastmcp import FastMCP as SDKServer
            from starlette.applications import Starlette

            mcp = FastMCP("main")
            sdk = SDKServer("sdk", resource_prefix_format="path")
            app = Starlette()
            app.mount("/x", other, resource_prefix_format="path")
            """,
        ),
    ]
    INVALID = [
        Invalid(
            "constructor-path",
            """
            from fastmcp import FastMCP

            mcp = FastMCP("main", resource_prefix_format="path")
            """,
            fixed="""
            from fastmcp import FastMCP

            mcp = FastMCP("main")
            """,
        ),
        Invalid(
            "mount-path",
            """
            from fastmcp import FastMCP

            main = FastMCP("main")
            api = FastMCP("api")
            main.mount(
                api,
                prefix="api",
                resource_prefix_format="path",
            )
            """,
            fixed="""
            from fastmcp import FastMCP

            main = FastMCP("main")
            api = FastMCP("api")
            main.mount(
                api,
                prefix="api",
            )
            """,
            fastmcp_version="2.13",
        ),
        Invalid(
            "constructor-protocol-report-only",
            """
            import fastmcp

            mcp = fastmcp.FastMCP("main", resource_prefix_format="protocol")
            """,
            fastmcp_version="2.14",
        ),
    ]

    def visit_Call(self, node: cst.Call) -> None:
        arg = next(
            (a for a in node.args if a.keyword is not None and a.keyword.value == KEYWORD), None
        )
        if arg is None:
            return
        names = self.context.names
        func = node.func
        target = self.context.target
        if names.qualified_name(func) in SERVER_CLASSES:
            if target < Version("2.14"):
                return
            what = "`FastMCP(resource_prefix_format=...)` was removed in FastMCP 2.14"
            advice = "resources of mounted servers always use `scheme://<prefix>/path`"
        elif (
            isinstance(func, cst.Attribute)
            and func.attr.value in ("mount", "import_server")
            and names.is_server(func.value)
        ):
            if func.attr.value == "import_server" and target >= Version("4.0"):
                return  # the method itself is gone (FMCP802)
            what = f"`{dotted_name(func)}()` has no `resource_prefix_format=` parameter"
            if target >= Version("2.14"):
                advice = "the path format `scheme://<prefix>/path` is the only one since 2.14"
            else:
                advice = "it is a setting of the parent's `FastMCP(...)` constructor"
        else:
            return
        fix = None
        if isinstance(arg.value, cst.SimpleString) and arg.value.evaluated_value == "path":
            advice = "drop it: " + advice
            replacement = node.with_changes(args=_without(node.args, arg))
            fix = Fix(self.fix_title or "", replacements=((node, replacement),))
        elif (
            isinstance(arg.value, cst.SimpleString)
            and arg.value.evaluated_value == "protocol"
            and target >= Version("2.14")
        ):
            advice += " (so clients see `scheme://<prefix>/path`, not `<prefix>+scheme://path`)"
        self.report(arg, self.message.format(what=what, advice=advice), fix=fix)
