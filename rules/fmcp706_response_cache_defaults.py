from __future__ import annotations

import libcst as cst

from fastmcp_kit.lint.keyvalue import has_star_kwargs, keyword
from fastmcp_kit.lint.rule import Invalid, Rule, Valid
from fastmcp_kit.lint.violation import Severity

RESPONSE_CACHING = frozenset({"fastmcp.server.middleware.caching.ResponseCachingMiddleware"})


class ResponseCacheDefaults(Rule):
    """`ResponseCachingMiddleware()` without `call_tool_settings`, so every tool result is cached for an hour.

    ## What it does
    Flags `ResponseCachingMiddleware(...)` calls that leave `call_tool_settings` unset
    (or `None`). Opt-in: caching everything can be intended.

    ## Why is this bad?
    By default the middleware caches the result of *every* tool call for one hour,
    keyed by tool name and arguments (lists for 5 minutes, resources and prompts for an
    hour). Tools that read changing data or have side effects then return stale results
    and silently stop running: a counter tool called three times returned `[1, 1, 1]`
    and ran once (verified 2.14.7, 3.4.10 and 4.1.2). With a persistent `cache_storage`
    the stale entries even survive restarts. Naming the cached tools makes the choice
    explicit: `call_tool_settings=CallToolSettings(included_tools=[...])`,
    `excluded_tools=[...]`, a shorter `ttl=`, or `enabled=False`
    (`from fastmcp.server.middleware.caching import CallToolSettings`).

    ## Fix safety
    No fix: which tools may be cached is a design decision.
    """

    code = "FMCP706"
    severity = Severity.INFO
    message = "`ResponseCachingMiddleware()` without `call_tool_settings=` caches every tool call's result for 1 hour; name the cacheable tools with `CallToolSettings(included_tools=[...])` (or `excluded_tools=`, `ttl=`, `enabled=False`)"
    documented_errors = (16,)
    fastmcp_versions = ">=2.13"
    default_enabled = False
    references = ("https://gofastmcp.com/servers/middleware#caching",)

    # Only calls whose callee resolves to `...ResponseCachingMiddleware` are checked.
    needles = ("ResponseCachingMiddleware",)

    VALID = [
        Valid(
            "explicit-tool-settings",
            """
            from fastmcp import FastMCP
            from fastmcp.server.middleware.caching import CallToolSettings, ResponseCachingMiddleware

            mcp = FastMCP("demo")
            mcp.add_middleware(
                ResponseCachingMiddleware(
                    call_tool_settings=CallToolSettings(ttl=300, included_tools=["expensive"]),
                )
            )
            """,
        ),
        Valid(
            "forwarded-settings-and-other-caches",
            """
            from fastmcp.server.middleware.caching import ResponseCachingMiddleware
            from myapp.middleware import ResponseCachingMiddleware as HttpCache

            a = ResponseCachingMiddleware(**cache_options)
            b = HttpCache()
            """,
        ),
    ]
    INVALID = [
        Invalid(
            "defaults",
            """
            from fastmcp import FastMCP
            from fastmcp.server.middleware.caching import ResponseCachingMiddleware

            mcp = FastMCP("demo")
            mcp.add_middleware(ResponseCachingMiddleware())
            """,
        ),
        Invalid(
            "storage-but-no-tool-settings",
            """
            from fastmcp.server.middleware import caching
            from key_value.aio.stores.disk import DiskStore

            cache = caching.ResponseCachingMiddleware(
                cache_storage=DiskStore(directory="/var/cache/mcp"),
                call_tool_settings=None,
            )
            """,
        ),
    ]

    def visit_Call(self, node: cst.Call) -> None:
        if self.context.names.qualified_name(node.func) not in RESPONSE_CACHING:
            return
        if has_star_kwargs(node):
            return
        settings = keyword(node, "call_tool_settings")
        if settings is not None and not (
            isinstance(settings.value, cst.Name) and settings.value.value == "None"
        ):
            return
        # The seventh positional parameter is call_tool_settings.
        if len([a for a in node.args if a.keyword is None and not a.star]) >= 7:
            return
        self.report(node)
