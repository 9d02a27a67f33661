from __future__ import annotations

import libcst as cst
from packaging.version import Version

from fastmcp_kit.lint.names import dotted_name
from fastmcp_kit.lint.rule import Invalid, Rule, Valid
from fastmcp_kit.lint.violation import Severity


class ImportServerRemoved(Rule):
    """`server.import_server(...)`, deprecated in FastMCP 3.0 and removed in 4.0.

    ## What it does
    Flags calls to `import_server(...)` on a standalone FastMCP server when the project
    targets FastMCP 3.0 or later.

    ## Why is this bad?
    In 4.0 the method is gone: `AttributeError: 'FastMCP' object has no attribute
    'import_server'` when the module is imported (verified 4.0.0 and 4.1.2). In 3.x it
    still works but warns `import_server is deprecated, use mount() instead`
    (`DeprecationWarning` in 3.0.2, `FastMCPDeprecationWarning` in 3.4.10), so the code
    breaks on the next major upgrade.

    The replacement, `mount(sub, namespace=...)`, is *not* equivalent:
    `import_server` copied the child's components once, while `mount` keeps a live
    link (components added to the child later appear on the parent) and runs the
    child's lifespan and middleware. Component names are the same (`<namespace>_<name>`,
    `scheme://<namespace>/path`).

    ## Fix safety
    No fix is offered, because switching to `mount` changes behaviour as described
    above. If you relied on a frozen copy, register the child's components on the
    parent directly.
    """

    code = "FMCP802"
    severity = Severity.ERROR
    message = "`{call}()` {status}; use `{receiver}.mount({args})` (a live link that also runs the child's lifespan and middleware)"
    documented_errors = (20,)
    fastmcp_versions = ">=3"
    references = (
        "https://gofastmcp.com/servers/composition",
        "https://gofastmcp.com/getting-started/upgrading/from-fastmcp-3",
    )

    # Only `<server>.import_server(...)` calls are checked.
    needles = ("import_server",)

    VALID = [
        Valid(
            "mount-with-namespace",
            """
            from fastmcp import FastMCP

            main = FastMCP("main")
            weather = FastMCP("weather")
            main.mount(weather, namespace="weather")
            """,
        ),
        Valid(
            "fastmcp-2x",
            """
            from fastmcp import FastMCP

            main = FastMCP("main")
            weather = FastMCP("weather")

            async def setup() -> None:
                await main.import_server(weather, prefix="weather")
            """,
            fastmcp_version="2.14",
        ),
        Valid(
            "sdk-server",
            """
            from mcp.server.fastmcp import FastMCP

            main = FastMCP("main")

            async def setup(sub) -> None:
                await main.import_server(sub)
            """,
        ),
        Valid(
            "unrelated-object",
            """
            from fastmcp import FastMCP
            from myproject.catalog import Catalog

            mcp = FastMCP("main")
            catalog = Catalog()

            async def setup() -> None:
                await catalog.import_server("weather")
            """,
        ),
    ]
    INVALID = [
        Invalid(
            "old-positional-order",
            # FastMCP before 2.9 took import_server(prefix, server) (verified in 2.8.0).
            """
            from fastmcp import FastMCP

            main = FastMCP("main")
            billing = FastMCP("billing")

            async def setup() -> None:
                await main.import_server("billing", billing)
            """,
            says='use `main.mount(billing, namespace="billing")`',
        ),
        Invalid(
            "removed-in-4",
            """
            from fastmcp import FastMCP

            main = FastMCP("main")
            weather = FastMCP("weather")

            async def setup() -> None:
                await main.import_server(weather, prefix="weather")
            """,
        ),
        Invalid(
            "deprecated-in-3",
            """
            import fastmcp

            app = fastmcp.FastMCP("app")
            billing = fastmcp.FastMCP("billing")

            async def setup() -> None:
                await app.import_server(billing)
            """,
            fastmcp_version="3.4",
        ),
    ]

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if not isinstance(func, cst.Attribute) or func.attr.value != "import_server":
            return
        if not self.context.names.is_server(func.value):
            return
        if self.context.target >= Version("4.0"):
            status = (
                "was removed in FastMCP 4.0 (`AttributeError: 'FastMCP' object has no "
                "attribute 'import_server'`)"
            )
        else:
            status = "is deprecated since FastMCP 3.0 and removed in 4.0"
        self.report(
            node,
            self.message.format(
                call=dotted_name(func),
                status=status,
                receiver=dotted_name(func.value) or "server",
                args=self._mount_arguments(node),
            ),
        )

    @staticmethod
    def _mount_arguments(call: cst.Call) -> str:
        """`sub, namespace="x"` from `import_server(sub, "x")` / `(sub, prefix="x")`."""
        positional = [a for a in call.args if a.keyword is None and not a.star]
        if (
            len(positional) == 2
            and _is_text(positional[0].value)
            and not _is_text(positional[1].value)
        ):
            # The order before FastMCP 2.9: import_server(prefix, server).
            positional.reverse()
        prefix = next(
            (a for a in call.args if a.keyword is not None and a.keyword.value == "prefix"),
            positional[1] if len(positional) > 1 else None,
        )
        server = next(
            (a for a in call.args if a.keyword is not None and a.keyword.value == "server"),
            positional[0] if positional else None,
        )
        empty = cst.Module(body=())
        parts = [empty.code_for_node(server.value) if server is not None else "sub"]
        if prefix is not None:
            parts.append(f"namespace={empty.code_for_node(prefix.value)}")
        return ", ".join(parts)


def _is_text(node: cst.BaseExpression) -> bool:
    return isinstance(node, (cst.SimpleString, cst.FormattedString, cst.ConcatenatedString))
