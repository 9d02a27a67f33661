"""``mount(sub, prefix=)`` -> ``namespace=``; ``as_proxy=True`` -> ``create_proxy(sub)``
(3.ii rows 24 and 26, 3.iii rows 19 and 20, E20)."""

from __future__ import annotations

import libcst as cst

from fastmcp_kit.lint.violation import Severity
from fastmcp_kit.upgrade.codemod import GUIDE_3, Codemod, Example
from fastmcp_kit.upgrade.cstutil import (
    drop_args,
    is_false,
    is_true,
    keyword,
    positional,
    rename_keyword,
)
from fastmcp_kit.upgrade.helpers import server_method


class MountNamespace(Codemod):
    """What it does:
    On ``mount(...)`` of a standalone server: renames ``prefix=`` to ``namespace=``;
    rewrites ``as_proxy=True`` to mounting ``create_proxy(sub)`` (imported from
    ``fastmcp.server``); drops ``as_proxy=False``. A third positional argument
    (``as_proxy``) or a computed ``as_proxy`` is reported.

    Why:
    3.0 deprecated ``prefix=`` and ``as_proxy=`` (``namespace=`` / ``create_proxy``);
    4.0 removed them (``TypeError``).

    Safety:
    Safe: the names are the same (``prefix_name``, ``scheme://prefix/path``; checked in
    2.14.7, 3.4.10 and 4.1.2) and ``as_proxy=True`` mounted ``FastMCP.as_proxy(sub)``,
    which is ``create_proxy(sub)``. Without ``as_proxy``, 2.x proxied a sub-server that
    has a custom lifespan; 3.x mounts it directly and runs its lifespan and middleware.
    """

    ID = "mount-namespace"
    TITLE = "mount(prefix=, as_proxy=) becomes mount(namespace=) / create_proxy()"
    KIND = "rewrite"
    ROWS = ("ii.24", "ii.26", "iii.19", "iii.20")
    LINK = GUIDE_3
    TRIGGERS = ("mount",)
    EXAMPLES = (
        Example(
            "prefix-and-proxy",
            before="""
            from fastmcp import FastMCP

            main = FastMCP("main")
            weather = FastMCP("weather")
            billing = FastMCP("billing")
            main.mount(weather, prefix="weather")
            main.mount(billing, prefix="billing", as_proxy=True)
            """,
            after="""
            from fastmcp import FastMCP
            from fastmcp.server import create_proxy

            main = FastMCP("main")
            weather = FastMCP("weather")
            billing = FastMCP("billing")
            main.mount(weather, namespace="weather")
            main.mount(create_proxy(billing), namespace="billing")
            """,
        ),
    )

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        if server_method(self, original_node, frozenset({"mount"})) is None:
            return updated_node
        call = updated_node
        if keyword(call, "prefix") is not None and keyword(call, "namespace") is None:
            call = rename_keyword(call, "prefix", "namespace")
            self.rewrote()
        proxy = keyword(call, "as_proxy")
        args = positional(call)
        if len(args) >= 3:
            self.report(
                original_node,
                "`mount()`'s third argument `as_proxy` was removed in 4.0: mount `create_proxy(server)` instead",
                Severity.ERROR,
            )
            return call
        if proxy is None:
            return call
        if is_false(proxy.value):
            self.rewrote()
            return drop_args(call, [proxy])
        if not is_true(proxy.value) or not args:
            self.report(
                original_node,
                "`as_proxy=` was removed in 4.0: mount `create_proxy(server)` when proxying",
                Severity.ERROR,
            )
            return call
        self.add_import("fastmcp.server", "create_proxy")
        self.rewrote()
        server = args[0]
        wrapped = server.with_changes(
            value=cst.Call(func=cst.Name("create_proxy"), args=[cst.Arg(server.value)])
        )
        call = call.with_changes(args=[wrapped if a is server else a for a in call.args])
        return drop_args(
            call, [a for a in call.args if a.keyword and a.keyword.value == "as_proxy"]
        )
