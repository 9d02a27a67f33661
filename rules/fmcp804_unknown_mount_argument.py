from __future__ import annotations

import ast

import libcst as cst
from packaging.version import Version

from fastmcp_kit.lint.ast_index import every_node
from fastmcp_kit.lint.ast_names import may_be_server
from fastmcp_kit.lint.names import dotted_name
from fastmcp_kit.lint.rule import Fix, Invalid, Rule, RuleContext, Valid
from fastmcp_kit.lint.violation import Severity

SEPARATORS = ("tool_separator", "resource_separator", "prompt_separator")
# Keywords that mount()/import_server() have never accepted, in any release.
NEVER = ("mode", "include_tags", "exclude_tags")


class UnknownMountArgument(Rule):
    """`mount()` / `import_server()` called with a keyword the method does not accept.

    ## What it does
    On a standalone FastMCP server, flags these keywords on `mount(...)` and
    `import_server(...)`:

    * `mode=`, `include_tags=`, `exclude_tags=`: never parameters of either method;
    * `tool_separator=`, `resource_separator=`, `prompt_separator=`: removed in 2.14.0;
    * `namespace=` on `mount()` before 3.0 (it was called `prefix=`), and on
      `import_server()` in any version that has it (before 4.0).

    (`resource_prefix_format=` is FMCP805; `prefix=`/`as_proxy=` on 3.0+ are FMCP803.)

    ## Why is this bad?
    Each raises `TypeError: FastMCP.mount() got an unexpected keyword argument '<name>'`
    (or `FastMCP.import_server()`) when the module is imported, so the server never
    starts (verified against the signatures and by calling in 2.13.3, 2.14.7, 3.0.2,
    3.4.10, 4.0.0 and 4.1.2; in 2.13.3 the separators were still accepted with a
    `DeprecationWarning`). The intents behind them have real spellings:
    a proxy mount is `mount(create_proxy(sub), namespace)` (3.0+) or
    `mount(sub, prefix, as_proxy=True)` (2.x); tag filtering is
    `server.enable(tags=..., only=True)` / `server.disable(tags=...)` (3.0+) or the
    child's `FastMCP(include_tags=..., exclude_tags=...)` (2.x); names are always
    `<prefix>_<name>` and `scheme://<prefix>/path`.

    ## Fix safety
    `namespace=` → `prefix=` (before 3.0, and on `import_server`) is a safe rename of
    the same parameter. The other keywords have no mechanical replacement and are
    only reported.
    """

    code = "FMCP804"
    severity = Severity.ERROR
    message = "`{call}()` has no `{keyword}=` parameter{since} (`TypeError` when called); {advice}"
    fix_title = "Rename `namespace=` to `prefix=`"
    documented_errors = (20,)
    references = ("https://gofastmcp.com/servers/composition",)

    # Only `<server>.mount(...)` and `<server>.import_server(...)` calls are checked.
    needles = (".mount", "import_server")

    @classmethod
    def may_apply_to_tree(cls, tree: ast.Module, context: RuleContext) -> bool:
        # `<server>.mount(...)` / `.import_server(...)` passing a keyword it may report.
        reported = {"mode", "namespace", *NEVER, *SEPARATORS}
        return may_be_server(
            tree,
            (
                node.func.value
                for node in every_node(tree)
                if isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("mount", "import_server")
                and any(keyword.arg in reported for keyword in node.keywords)
            ),
        )

    VALID = [
        Valid(
            "real-parameters",
            """
            from fastmcp import FastMCP
            from fastmcp.server import create_proxy

            main = FastMCP("main")
            api = FastMCP("api")
            main.mount(api, namespace="api", tool_names={"get": "fetch"})
            main.mount(create_proxy("http://localhost:9000/mcp"), "remote")
            main.enable(tags={"production"}, only=True)
            """,
        ),
        Valid(
            "separators-before-2-14",
            """
            from fastmcp import FastMCP

            main = FastMCP("main")
            api = FastMCP("api")
            main.mount(api, prefix="api", tool_separator="_")
            """,
            fastmcp_version="2.13",
        ),
        Valid(
            "starlette-mount-and-unrelated-mode",
            """
            from fastmcp import FastMCP
            from starlette.applications import Starlette

            mcp = FastMCP("main")
            app = Starlette()
            app.mount("/mcp", mcp.http_app(path="/"), name="mcp")
            router.mount("/files", files, mode="static", include_tags=["a"])
            """,
        ),
        Valid(
            "sdk-server",
            """
            from mcp.server.fastmcp import FastMCP

            server = FastMCP("main")
            server.mount(other, mode="proxy")
            """,
        ),
        Valid(
            "namespace-on-3x",
            """
            from fastmcp import FastMCP

            main = FastMCP("main")
            main.mount(FastMCP("a"), namespace="a")
            """,
            fastmcp_version="3.0",
        ),
    ]
    INVALID = [
        Invalid(
            "folklore-mode-and-tags",
            """
            from fastmcp import FastMCP

            main = FastMCP("main")
            api = FastMCP("api")
            main.mount(api, namespace="api", mode="proxy", include_tags={"public"})
            """,
            count=2,
        ),
        Invalid(
            "separators-removed-in-2-14",
            """
            from fastmcp import FastMCP

            main = FastMCP("main")
            api = FastMCP("api")

            async def setup() -> None:
                await main.import_server(api, prefix="api", tool_separator=".")
            """,
            fastmcp_version="2.14",
        ),
        Invalid(
            "namespace-on-2x",
            """
            from fastmcp import FastMCP

            main = FastMCP("main")
            api = FastMCP("api")
            main.mount(api, namespace="api")
            """,
            fixed="""
            from fastmcp import FastMCP

            main = FastMCP("main")
            api = FastMCP("api")
            main.mount(api, prefix="api")
            """,
            fastmcp_version="2.14",
        ),
    ]

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if not isinstance(func, cst.Attribute) or func.attr.value not in ("mount", "import_server"):
            return
        if not self.context.names.is_server(func.value):
            return
        method = func.attr.value
        target = self.context.target
        if method == "import_server" and target >= Version("4.0"):
            return  # the method itself is gone (FMCP802)
        call = dotted_name(func) or method
        for arg in node.args:
            if arg.keyword is None:
                continue
            keyword = arg.keyword.value
            since, advice, fix = "", "", None
            if keyword == "mode":
                advice = self._proxy_advice()
            elif keyword in ("include_tags", "exclude_tags"):
                advice = self._tags_advice()
            elif keyword in SEPARATORS and (target >= Version("2.14") or target < Version("2.1")):
                since = " (removed in FastMCP 2.14)" if target >= Version("2.14") else ""
                advice = (
                    "drop it: names are always `<prefix>_<name>`, URIs `scheme://<prefix>/path`"
                )
            elif keyword == "namespace" and (method == "import_server" or target < Version("3.0")):
                since = "" if method == "import_server" else " before FastMCP 3.0"
                advice = "use `prefix=`"
                renamed = arg.with_changes(keyword=cst.Name("prefix"))
                if not any(
                    a.keyword is not None and a.keyword.value == "prefix" for a in node.args
                ):
                    args = [renamed if a is arg else a for a in node.args]
                    replacement = node.with_changes(args=args)
                    fix = Fix(self.fix_title or "", replacements=((node, replacement),))
            else:
                continue
            message = self.message.format(call=call, keyword=keyword, since=since, advice=advice)
            self.report(arg, message, fix=fix)

    def _proxy_advice(self) -> str:
        if self.context.target >= Version("3.0"):
            return "to mount through a proxy, mount `create_proxy(sub)` (`from fastmcp.server import create_proxy`)"
        return "to mount through a proxy, pass `as_proxy=True` (or mount `FastMCP.as_proxy(sub)`)"

    def _tags_advice(self) -> str:
        if self.context.target >= Version("3.0"):
            return "filter by tag with `server.enable(tags={...}, only=True)` / `server.disable(tags={...})`"
        return "set `include_tags=`/`exclude_tags=` on the child's `FastMCP(...)` constructor"
