from __future__ import annotations

import ast
from collections.abc import Sequence

import libcst as cst
from packaging.version import Version

from fastmcp_kit.lint.ast_index import every_node
from fastmcp_kit.lint.ast_names import may_be_server
from fastmcp_kit.lint.names import SERVER_FACTORIES, dotted_name
from fastmcp_kit.lint.rule import Fix, ImportSpec, Invalid, Rule, RuleContext, Valid
from fastmcp_kit.lint.violation import Applicability, Severity

PLAIN_SERVER = frozenset(
    {"fastmcp.FastMCP", "fastmcp.server.FastMCP", "fastmcp.server.server.FastMCP"}
)
CREATE_PROXY = "fastmcp.server.create_proxy"


def _without(args: Sequence[cst.Arg], arg: cst.Arg) -> list[cst.Arg]:
    """``args`` minus ``arg``, keeping the call's comma style (a fix is one replacement
    of the whole call: after a replacement, no other node of the tree is the same)."""
    kept = [a for a in args if a is not arg]
    if kept and args[-1] is arg:
        # The new last argument takes over the removed one's (trailing) comma.
        kept[-1] = kept[-1].with_changes(comma=arg.comma)
    return kept


def _is_literal(node: cst.BaseExpression, *values: str) -> bool:
    return isinstance(node, cst.Name) and node.value in values


class MountPrefixOrAsProxyKeyword(Rule):
    """`mount(..., prefix=...)` or `mount(..., as_proxy=...)`, deprecated in 3.0 and removed in 4.0.

    ## What it does
    On a standalone FastMCP server, flags `mount()` calls that pass `prefix=` (renamed
    `namespace=` in 3.0) or `as_proxy=` (keyword, or a literal `True` as the third
    positional argument; on 3.x also `False`/`None`), when the project targets FastMCP
    3.0 or later. (In 4.x the third parameter is `tool_names`, so a falsy literal there
    does no harm and is not flagged.)

    ## Why is this bad?
    In 4.0 both keywords are gone: `TypeError: FastMCP.mount() got an unexpected keyword
    argument 'prefix'` (and `'as_proxy'`) when the module is imported (verified 4.0.0
    and 4.1.2). A positional `True` now lands in `tool_names` and fails with
    `AttributeError: 'bool' object has no attribute 'items'`. In 3.x they still work
    but warn (`The 'prefix' parameter is deprecated, use 'namespace' instead`;
    `as_proxy is deprecated and will be removed in a future version ...`).

    ## Fix safety
    `prefix=` → `namespace=` is safe: in 3.x `prefix` is an alias of `namespace`. It is
    not offered when both are given (3.x raises `ValueError`).
    `as_proxy=False`/`None` is dropped; that is safe because 3.x ignores it.
    `as_proxy=True` becomes `mount(create_proxy(sub), ...)` (adding
    `from fastmcp.server import create_proxy`), which is what 3.x does internally.
    It is marked unsafe unless `sub` is visibly a plain `FastMCP(...)`: 3.x does not
    wrap a server that already is a proxy, the rewrite would.
    """

    code = "FMCP803"
    severity = Severity.ERROR
    message = "{what} {status}; {advice}"
    fix_title = "Rewrite with `namespace=` / `create_proxy()`"
    documented_errors = (20,)
    fastmcp_versions = ">=3"
    references = (
        "https://gofastmcp.com/servers/composition",
        "https://gofastmcp.com/getting-started/upgrading/from-fastmcp-3",
    )

    # Only `<server>.mount(...)` calls are checked.
    needles = (".mount",)

    @classmethod
    def may_apply_to_tree(cls, tree: ast.Module, context: RuleContext) -> bool:
        # `<server>.mount(...)` with `prefix=`/`as_proxy=` or a literal third positional.
        receivers = []
        for node in every_node(tree):
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "mount"
            ):
                continue
            positional = [arg for arg in node.args if not isinstance(arg, ast.Starred)]
            third = positional[2] if len(positional) > 2 else None
            if any(k.arg in ("prefix", "as_proxy") for k in node.keywords) or (
                isinstance(third, ast.Constant) and third.value in (True, False, None)
            ):
                receivers.append(node.func.value)
        return may_be_server(tree, receivers)

    VALID = [
        Valid(
            "namespace-and-create-proxy",
            """
            from fastmcp import FastMCP
            from fastmcp.server import create_proxy

            main = FastMCP("main")
            weather = FastMCP("weather")
            main.mount(weather, namespace="weather")
            main.mount(create_proxy("http://localhost:9000/mcp"), "remote")
            main.mount(weather, "w", {"forecast": "get_forecast"})
            main.mount(weather, "w2", None)  # 4.x: the third parameter is tool_names
            """,
        ),
        Valid(
            "fastmcp-2x-prefix",
            """
            from fastmcp import FastMCP

            main = FastMCP("main")
            weather = FastMCP("weather")
            main.mount(weather, prefix="weather", as_proxy=True)
            """,
            fastmcp_version="2.14",
        ),
        Valid(
            "starlette-mount",
            """
            from fastmcp import FastMCP
            from starlette.applications import Starlette
            from starlette.staticfiles import StaticFiles

            mcp = FastMCP("main")
            app = Starlette()
            app.mount("/static", StaticFiles(directory="static"), name="static")
            """,
        ),
        Valid(
            "sdk-server",
            """
            from mcp.server.fastmcp import FastMCP

            mcp = FastMCP("main")
            mcp.mount(other, prefix="x")
            """,
        ),
    ]
    INVALID = [
        Invalid(
            "prefix-keyword",
            """
            from fastmcp import FastMCP

            main = FastMCP("main")
            weather = FastMCP("weather")
            main.mount(weather, prefix="weather")
            """,
            fixed="""
            from fastmcp import FastMCP

            main = FastMCP("main")
            weather = FastMCP("weather")
            main.mount(weather, namespace="weather")
            """,
        ),
        Invalid(
            "prefix-and-as-proxy-3x",
            """
            from fastmcp import FastMCP

            main = FastMCP("main")
            billing = FastMCP("billing")
            main.mount(
                billing,
                prefix="billing",
                as_proxy=True,
            )
            """,
            count=2,
            fixed="""
            from fastmcp import FastMCP
            from fastmcp.server import create_proxy

            main = FastMCP("main")
            billing = FastMCP("billing")
            main.mount(
                create_proxy(billing),
                namespace="billing",
            )
            """,
            fastmcp_version="3.4",
        ),
        Invalid(
            "as-proxy-false-positional-3x",
            """
            from fastmcp import FastMCP

            def build(sub: FastMCP) -> FastMCP:
                main = FastMCP("main")
                main.mount(sub, "sub", False)
                return main
            """,
            fixed="""
            from fastmcp import FastMCP

            def build(sub: FastMCP) -> FastMCP:
                main = FastMCP("main")
                main.mount(sub, "sub")
                return main
            """,
            fastmcp_version="3.4",
        ),
        Invalid(
            "as-proxy-true-positional-4x",
            """
            from fastmcp import FastMCP

            main = FastMCP("main")
            sub = FastMCP("sub")
            main.mount(sub, "sub", True)
            """,
            fixed="""
            from fastmcp import FastMCP
            from fastmcp.server import create_proxy

            main = FastMCP("main")
            sub = FastMCP("sub")
            main.mount(create_proxy(sub), "sub")
            """,
        ),
        Invalid(
            "as-proxy-on-unknown-server-unsafe",
            """
            from fastmcp import FastMCP

            main = FastMCP("main")

            def add(sub) -> None:
                main.mount(sub, as_proxy=True)
            """,
            fixed="""
            from fastmcp import FastMCP
            from fastmcp.server import create_proxy

            main = FastMCP("main")

            def add(sub) -> None:
                main.mount(create_proxy(sub))
            """,
        ),
        Invalid(
            "prefix-and-namespace-no-fix",
            """
            from fastmcp import FastMCP

            main = FastMCP("main")
            main.mount(FastMCP("sub"), "a", prefix="b")
            """,
        ),
    ]

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if not isinstance(func, cst.Attribute) or func.attr.value != "mount":
            return
        if not self.context.names.is_server(func.value):
            return
        positional = [a for a in node.args if a.keyword is None and not a.star]
        keywords = {a.keyword.value: a for a in node.args if a.keyword is not None}
        call = dotted_name(func) or "mount"
        prefix = keywords.get("prefix")
        if prefix is not None:
            self._report_prefix(node, call, prefix, "namespace" in keywords or len(positional) > 1)
        as_proxy = keywords.get("as_proxy")
        if as_proxy is None and len(positional) > 2:
            third = positional[2]
            # In 4.x the third parameter is tool_names: a falsy literal there is harmless.
            flagged = (
                ("True",) if self.context.target >= Version("4.0") else ("True", "False", "None")
            )
            if _is_literal(third.value, *flagged):
                as_proxy = third
        if as_proxy is not None:
            self._report_as_proxy(node, call, as_proxy, positional)

    def _status(self, keyword: str) -> str:
        if self.context.target >= Version("4.0"):
            return (
                "was removed in FastMCP 4.0 (`TypeError: FastMCP.mount() got an unexpected "
                f"keyword argument '{keyword}'`)"
            )
        return "is deprecated since FastMCP 3.0 and removed in 4.0"

    def _report_prefix(self, node: cst.Call, call: str, arg: cst.Arg, clash: bool) -> None:
        fix = None
        if not clash:
            renamed = arg.with_changes(keyword=cst.Name("namespace"))
            args = [renamed if a is arg else a for a in node.args]
            fix = Fix(
                "Rename `prefix=` to `namespace=`",
                replacements=((node, node.with_changes(args=args)),),
            )
        advice = "use `namespace=`" if not clash else "pass the name once, as `namespace=`"
        message = self.message.format(
            what=f"`{call}(..., prefix=...)`", status=self._status("prefix"), advice=advice
        )
        self.report(arg, message, fix=fix)

    def _report_as_proxy(
        self, node: cst.Call, call: str, arg: cst.Arg, positional: list[cst.Arg]
    ) -> None:
        value = arg.value
        fix = None
        if _is_literal(value, "False", "None"):
            advice = "drop it (it has no effect since 3.0)"
            if arg.keyword is not None or arg is positional[-1]:
                call_without = node.with_changes(args=_without(node.args, arg))
                fix = Fix("Remove `as_proxy`", replacements=((node, call_without),))
        elif _is_literal(value, "True"):
            advice = "mount `create_proxy(sub)` instead (`from fastmcp.server import create_proxy`)"
            fix = self._create_proxy_fix(node, arg, positional)
        else:
            advice = "mount `create_proxy(sub)` where a proxy is wanted, else drop it"
        what = f"`{call}(..., as_proxy=...)`"
        if arg.keyword is None:
            what = f"`as_proxy` passed as the third positional argument of `{call}()`"
        status = self._status("as_proxy")
        if arg.keyword is None and self.context.target >= Version("4.0"):
            status = "was removed in FastMCP 4.0 (the third parameter is now `tool_names`)"
        message = self.message.format(what=what, status=status, advice=advice)
        self.report(arg, message, fix=fix)

    def _create_proxy_fix(
        self, node: cst.Call, arg: cst.Arg, positional: list[cst.Arg]
    ) -> Fix | None:
        names = self.context.names
        if arg.keyword is None and arg is not positional[-1]:
            return None
        server = next((a for a in node.args if a.keyword and a.keyword.value == "server"), None)
        server = server or (positional[0] if positional else None)
        if server is None or server is arg:
            return None
        if self._already_proxy(server.value):
            call_without = node.with_changes(args=_without(node.args, arg))
            return Fix("Remove `as_proxy=True`", replacements=((node, call_without),))
        local = next((n for n, q in names.aliases.items() if q == CREATE_PROXY), None)
        imports: tuple[ImportSpec, ...] = ()
        if local is None:
            if "create_proxy" in names.module_bindings:
                return None  # the name is taken by something else
            local, imports = "create_proxy", (ImportSpec("fastmcp.server", "create_proxy"),)
        wrapped = server.with_changes(
            value=cst.Call(func=cst.Name(local), args=[cst.Arg(server.value)])
        )
        args = [wrapped if a is server else a for a in _without(node.args, arg)]
        if server is node.args[-2] and arg is node.args[-1]:
            # _without() moved the removed argument's comma onto the server argument.
            args[-1] = wrapped.with_changes(comma=arg.comma)
        safe = self._plain_server(server.value)
        return Fix(
            "Mount `create_proxy(...)` instead of passing `as_proxy=True`",
            Applicability.SAFE if safe else Applicability.UNSAFE,
            replacements=((node, node.with_changes(args=args)),),
            add_imports=imports,
        )

    def _already_proxy(self, value: cst.BaseExpression) -> bool:
        if not isinstance(value, cst.Call):
            return False
        func = value.func
        qualified = self.context.names.qualified_name(func) or ""
        if qualified in SERVER_FACTORIES or qualified.endswith(".FastMCPProxy"):
            return True
        return (
            isinstance(func, cst.Attribute)
            and func.attr.value == "as_proxy"
            and self.context.names.is_server_class(func.value)
        )

    def _plain_server(self, value: cst.BaseExpression) -> bool:
        """Is this visibly a plain ``FastMCP(...)`` (so never already a proxy)?"""
        names = self.context.names
        if isinstance(value, cst.Call):
            return names.qualified_name(value.func) in PLAIN_SERVER
        if not isinstance(value, cst.Name):
            return False
        statement = names.module_servers.get(value.value)
        if not isinstance(statement, cst.SimpleStatementLine):
            return False
        for small in statement.body:
            if isinstance(small, (cst.Assign, cst.AnnAssign)) and isinstance(small.value, cst.Call):
                return names.qualified_name(small.value.func) in PLAIN_SERVER
        return False
