from __future__ import annotations

import ast
import difflib

import libcst as cst

from fastmcp_kit.lint import middleware
from fastmcp_kit.lint.ast_index import every_node
from fastmcp_kit.lint.ast_names import last_identifier, local_names_for
from fastmcp_kit.lint.rule import Fix, ImportSpec, Invalid, Rule, RuleContext, Valid
from fastmcp_kit.lint.violation import Severity

LEVEL_NAMES = frozenset(
    {"CRITICAL", "FATAL", "ERROR", "WARN", "WARNING", "INFO", "DEBUG", "NOTSET"}
)
# Folklore keywords with no mechanical replacement: what to use instead.
HINTS: dict[tuple[str, str], str] = {
    ("RateLimitingMiddleware", "max_requests"): (
        "it is a token bucket: `max_requests_per_second=` and `burst_capacity=`; for N "
        "requests per window use `SlidingWindowRateLimitingMiddleware(max_requests=N, "
        "window_minutes=M)`"
    ),
    ("RateLimitingMiddleware", "window_seconds"): (
        "it is a token bucket (`max_requests_per_second=`); for windows use "
        "`SlidingWindowRateLimitingMiddleware(max_requests=, window_minutes=)`"
    ),
    ("SlidingWindowRateLimitingMiddleware", "window_seconds"): (
        "the window is given in minutes: `window_minutes=`"
    ),
    ("ResponseCachingMiddleware", "ttl_seconds"): (
        'TTLs are per operation: e.g. `call_tool_settings={"ttl": 300}`, '
        '`list_tools_settings={"ttl": 300}`'
    ),
    ("ResponseCachingMiddleware", "ttl"): (
        'TTLs are per operation: e.g. `call_tool_settings={"ttl": 300}`'
    ),
    ("ResponseCachingMiddleware", "cache_tools"): (
        'use `call_tool_settings={"enabled": True, "included_tools": [...]}`'
    ),
}


class UnknownMiddlewareArgument(Rule):
    """A keyword argument FastMCP's built-in middleware constructor does not take.

    ## What it does
    Flags unknown keyword arguments (and surplus positional ones) in calls to the
    built-in middleware classes of `fastmcp.server.middleware`: `TimingMiddleware`,
    `LoggingMiddleware`, `StructuredLoggingMiddleware`, `RateLimitingMiddleware`,
    `SlidingWindowRateLimitingMiddleware`, `ErrorHandlingMiddleware`,
    `RetryMiddleware`, `ResponseCachingMiddleware`, `ToolInjectionMiddleware` and, from
    3.0, `PingMiddleware` and `ResponseLimitingMiddleware`. The accepted parameters
    come from `inspect.signature` in every release from 2.13.3 to 4.1.2 (they did not
    change).

    ## Why is this bad?
    None of these constructors takes `**kwargs`: the server fails at import with
    e.g. `TypeError: LoggingMiddleware.__init__() got an unexpected keyword argument
    'level'` (verified 2.13.3 and 4.1.2). Guides circulate invented arguments:
    `LoggingMiddleware(level="INFO")` (it is `log_level=logging.INFO`, an int),
    `RateLimitingMiddleware(max_requests=100, window_seconds=60)` (a token bucket
    taking `max_requests_per_second=`), `ResponseCachingMiddleware(storage=...,
    ttl_seconds=...)` (it is `cache_storage=` and per-operation settings such as
    `call_tool_settings={"ttl": 300}`).

    ## Fix safety
    Two renames are mechanical and safe: `storage=` to `cache_storage=` on
    `ResponseCachingMiddleware`, and `level=` to `log_level=` on the logging and timing
    middleware when the value is a level name literal (`"INFO"` becomes
    `logging.INFO`, importing `logging`), an int or a `logging.<LEVEL>` constant. The
    other arguments have different meanings and are reported with a suggestion only.
    """

    code = "FMCP503"
    severity = Severity.ERROR
    message = "`{cls}()` has no parameter `{keyword}` (TypeError at import); {hint}"
    fix_title = "Rename to `{new}=`"
    documented_errors = (18,)
    fastmcp_versions = ">=2.13"
    references = ("https://gofastmcp.com/servers/middleware",)

    # Only calls of the built-in middleware classes it knows are checked.
    needles = tuple(builtin.name for builtin in middleware.BUILTINS if builtin.checked)

    @classmethod
    def may_apply_to_tree(cls, tree: ast.Module, context: RuleContext) -> bool:
        # Only calls with arguments can be reported.
        calls = [
            node.func
            for node in every_node(tree)
            if isinstance(node, ast.Call) and (node.args or node.keywords)
        ]
        if not calls:
            return False
        known = local_names_for(tree, cls.needles or ())
        return any(last_identifier(func) in known for func in calls)

    VALID = [
        Valid(
            "real-arguments",
            """
            import logging

            from fastmcp import FastMCP
            from fastmcp.server.middleware.caching import ResponseCachingMiddleware
            from fastmcp.server.middleware.logging import LoggingMiddleware
            from fastmcp.server.middleware.rate_limiting import (
                RateLimitingMiddleware,
                SlidingWindowRateLimitingMiddleware,
            )
            from fastmcp.server.middleware.timing import TimingMiddleware

            mcp = FastMCP("mw")
            mcp.add_middleware(TimingMiddleware(logging.getLogger("t"), logging.DEBUG))
            mcp.add_middleware(LoggingMiddleware(log_level=logging.INFO, include_payloads=True))
            mcp.add_middleware(RateLimitingMiddleware(max_requests_per_second=10, burst_capacity=20))
            mcp.add_middleware(SlidingWindowRateLimitingMiddleware(max_requests=100, window_minutes=1))
            mcp.add_middleware(ResponseCachingMiddleware(call_tool_settings={"ttl": 300}, **extra))
            """,
        ),
        Valid(
            "other-libraries",
            """
            from starlette.middleware import Middleware
            from myapp.middleware import LoggingMiddleware, RateLimitingMiddleware

            LoggingMiddleware(level="INFO")
            RateLimitingMiddleware(max_requests=100, window_seconds=60)
            Middleware(LoggingMiddleware, level="INFO")
            """,
        ),
        Valid(
            "subclass-with-own-init",
            """
            from fastmcp.server.middleware.logging import LoggingMiddleware

            class Quiet(LoggingMiddleware):
                def __init__(self, level: str) -> None:
                    super().__init__()

            Quiet(level="INFO")
            """,
        ),
        Valid(
            "ping-before-3",
            """
            from fastmcp.server.middleware.ping import PingMiddleware

            PingMiddleware(interval=5)
            """,
            fastmcp_version="2.14",
        ),
    ]
    INVALID = [
        Invalid(
            "seed-arguments",
            """
            from fastmcp import FastMCP
            from fastmcp.server.middleware.caching import ResponseCachingMiddleware
            from fastmcp.server.middleware.logging import LoggingMiddleware

            mcp = FastMCP("mw")
            mcp.add_middleware(LoggingMiddleware(level="INFO"))
            mcp.add_middleware(ResponseCachingMiddleware(storage=store))
            """,
            count=2,
            fixed="""
            import logging

            from fastmcp import FastMCP
            from fastmcp.server.middleware.caching import ResponseCachingMiddleware
            from fastmcp.server.middleware.logging import LoggingMiddleware

            mcp = FastMCP("mw")
            mcp.add_middleware(LoggingMiddleware(log_level=logging.INFO))
            mcp.add_middleware(ResponseCachingMiddleware(cache_storage=store))
            """,
        ),
        Invalid(
            "token-bucket-and-ttl",
            """
            from fastmcp.server.middleware.caching import ResponseCachingMiddleware
            from fastmcp.server.middleware.rate_limiting import RateLimitingMiddleware

            RateLimitingMiddleware(max_requests=100, window_seconds=60)
            ResponseCachingMiddleware(ttl_seconds=300, cache_tools=True)
            """,
            count=4,
        ),
        Invalid(
            "level-constant",
            """
            import logging
            from fastmcp.server.middleware import timing

            timing.TimingMiddleware(level=logging.DEBUG)
            """,
            fixed="""
            import logging
            from fastmcp.server.middleware import timing

            timing.TimingMiddleware(log_level=logging.DEBUG)
            """,
        ),
        Invalid(
            "did-you-mean-and-positional",
            """
            from fastmcp.server.middleware import PingMiddleware
            from fastmcp.server.middleware.error_handling import ErrorHandlingMiddleware, RetryMiddleware
            from fastmcp.server.middleware.logging import StructuredLoggingMiddleware

            ErrorHandlingMiddleware(include_tracebacks=True)
            RetryMiddleware(max_retry=5)
            StructuredLoggingMiddleware("INFO")
            PingMiddleware(interval=5)
            """,
            count=4,
        ),
    ]

    def visit_Call(self, node: cst.Call) -> None:
        builtin = middleware.builtin(self.context.names, node.func)
        if builtin is None or not builtin.checked or not builtin.exists(self.context.target):
            return
        positional = [arg for arg in node.args if arg.keyword is None and not arg.star]
        if len(positional) > len(builtin.positional) and not any(
            arg.star == "*" for arg in node.args
        ):
            allowed = len(builtin.positional)
            self.report(
                positional[allowed],
                f"`{builtin.name}()` takes {allowed or 'no'} positional argument"
                f"{'' if allowed == 1 else 's'} (TypeError at import); pass "
                f"{', '.join(f'`{p}=`' for p in builtin.keyword_only[:3])} by keyword",
            )
        for arg in node.args:
            if arg.keyword is None or arg.keyword.value in builtin.parameters:
                continue
            keyword = arg.keyword.value
            hint, fix = self._suggest(builtin, arg)
            message = self.message.format(cls=builtin.name, keyword=keyword, hint=hint)
            self.report(arg, message, fix=fix)

    def _suggest(self, builtin: middleware.Builtin, arg: cst.Arg) -> tuple[str, Fix | None]:
        assert arg.keyword is not None
        keyword = arg.keyword.value
        if keyword == "storage" and "cache_storage" in builtin.parameters:
            return "use `cache_storage=`", self._rename(arg, "cache_storage")
        if keyword == "level" and "log_level" in builtin.parameters:
            return "use `log_level=` with a `logging` level (an int)", self._level_fix(arg)
        hint = HINTS.get((builtin.name, keyword))
        if hint is not None:
            return hint, None
        close = difflib.get_close_matches(keyword, builtin.parameters, n=1, cutoff=0.6)
        if close:
            return f"did you mean `{close[0]}=`?", None
        accepted = ", ".join(f"`{p}`" for p in builtin.parameters) or "no arguments"
        return f"it accepts {accepted}", None

    def _rename(
        self,
        arg: cst.Arg,
        new: str,
        value: cst.BaseExpression | None = None,
        imports: tuple[ImportSpec, ...] = (),
    ) -> Fix:
        assert arg.keyword is not None
        changes: dict[str, object] = {"keyword": arg.keyword.with_changes(value=new)}
        if value is not None:
            changes["value"] = value
        return Fix(
            (self.fix_title or "").format(new=new),
            replacements=((arg, arg.with_changes(**changes)),),
            add_imports=imports,
        )

    def _level_fix(self, arg: cst.Arg) -> Fix | None:
        names = self.context.names
        value = arg.value
        if isinstance(value, cst.Integer):
            return self._rename(arg, "log_level")
        qualified = names.qualified_name(value)
        if qualified is not None and qualified.startswith("logging."):
            if qualified.rpartition(".")[2] in LEVEL_NAMES:
                return self._rename(arg, "log_level")
            return None
        if not isinstance(value, cst.SimpleString):
            return None
        literal = value.evaluated_value
        if not isinstance(literal, str) or literal.upper() not in LEVEL_NAMES:
            return None
        module = next((local for local, q in names.aliases.items() if q == "logging"), None)
        imports: tuple[ImportSpec, ...] = ()
        if module is None:
            if "logging" in names.module_bindings:
                return None  # `logging` means something else here
            module, imports = "logging", (ImportSpec("logging"),)
        constant = cst.Attribute(value=cst.Name(module), attr=cst.Name(literal.upper()))
        return self._rename(arg, "log_level", constant, imports)
