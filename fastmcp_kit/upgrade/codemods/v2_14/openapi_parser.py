"""The new OpenAPI parser becomes the only one in 2.14 (3.i rows 17 and 18)."""

from __future__ import annotations

import libcst as cst

from fastmcp_kit.lint.names import dotted_name
from fastmcp_kit.upgrade.codemod import GUIDE_2_14, Codemod, Example

FLAG = "FASTMCP_EXPERIMENTAL_ENABLE_NEW_OPENAPI_PARSER"


class OpenAPIParser(Codemod):
    """What it does:
    Reports ``FastMCP.from_openapi(...)`` and imports of ``fastmcp.server.openapi`` in
    a project upgraded from before 2.14 that does not set
    ``FASTMCP_EXPERIMENTAL_ENABLE_NEW_OPENAPI_PARSER``.

    Why:
    Up to 2.13 those used the legacy OpenAPI parser unless that flag was set; 2.14
    promoted the new parser and dropped the legacy one, so the generated components
    may differ.

    Safety:
    Report only: compare the tools the server lists before and after.
    """

    ID = "openapi-parser"
    TITLE = "the legacy OpenAPI parser is gone"
    KIND = "report"
    ROWS = ("i.17", "i.18")
    LINK = GUIDE_2_14
    TRIGGERS = ("openapi",)
    EXAMPLES = (
        Example(
            "legacy-parser",
            before="""
            import httpx
            from fastmcp import FastMCP

            spec = {"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {}}
            mcp = FastMCP.from_openapi(spec, client=httpx.AsyncClient())
            """,
            findings=("the legacy OpenAPI parser",),
        ),
        Example(
            "new-parser-enabled",
            files={".env": f"{FLAG}=true\n"},
            before="""
            from fastmcp.server.openapi import RouteMap
            """,
        ),
    )

    def visit_Module(self, node: cst.Module) -> bool:
        super().visit_Module(node)
        legacy = self.facts.from_version.release[:2] < (2, 14) and FLAG not in self.facts.env_names
        return legacy

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        if node.module is not None and dotted_name(node.module) == "fastmcp.server.openapi":
            self._report(node)
        return False

    def visit_Call(self, node: cst.Call) -> bool:
        func = node.func
        if (
            isinstance(func, cst.Attribute)
            and func.attr.value == "from_openapi"
            and self.names.is_server_class(func.value)
        ):
            self._report(node)
        return True

    def _report(self, node: cst.CSTNode) -> None:
        self.report(
            node,
            "up to 2.13 this used the legacy OpenAPI parser; 2.14 always uses the new one "
            "(set FASTMCP_EXPERIMENTAL_ENABLE_NEW_OPENAPI_PARSER=true on 2.13 to compare), "
            "so check the generated tools",
        )
