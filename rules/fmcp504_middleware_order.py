from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import libcst as cst

from fastmcp_kit.lint import middleware
from fastmcp_kit.lint.cst_statements import nested_blocks
from fastmcp_kit.lint.names import dotted_name
from fastmcp_kit.lint.rule import Invalid, Rule, Valid
from fastmcp_kit.lint.violation import Severity
from fastmcp_kit.lint.walk import walk

RATE_LIMITERS = frozenset({"RateLimitingMiddleware", "SlidingWindowRateLimitingMiddleware"})
CACHING = "ResponseCachingMiddleware"
ERRORS = "ErrorHandlingMiddleware"

Statement = cst.BaseStatement | cst.BaseSmallStatement


@dataclass
class _Chain:
    """The middleware of one server, in the order they were added (first = outermost)."""

    complete: bool  # the server was created in this block, so nothing came before
    entries: list[tuple[cst.CSTNode, str | None]] = field(default_factory=list)
    uncertain: bool = False


class _AddCalls(cst.CSTVisitor):
    """Receivers of ``.add_middleware(...)`` calls inside a compound statement."""

    def __init__(self) -> None:
        super().__init__()
        self.receivers: set[str] = set()

    def visit_Call(self, node: cst.Call) -> None:
        if isinstance(node.func, cst.Attribute) and node.func.attr.value == "add_middleware":
            receiver = dotted_name(node.func.value)
            if receiver is not None:
                self.receivers.add(receiver)


class MiddlewareOrder(Rule):
    """Built-in middleware added in an order that defeats its purpose.

    ## What it does
    Follows the middleware a server gets (`FastMCP(middleware=[...])`, then
    `mcp.add_middleware(...)` calls in the same block) and flags
    (a) `ResponseCachingMiddleware` added before `RateLimitingMiddleware` /
    `SlidingWindowRateLimitingMiddleware`, and (b) `ErrorHandlingMiddleware` added
    after other middleware of a server created in the same block. Conditional
    additions (inside `if`, loops, ...) make the order unknown and are not judged.

    ## Why is this bad?
    The first middleware added is the outermost: it runs first on the way in and
    last on the way out (verified 2.13.3, 3.0.2, 4.1.2, for the constructor list
    followed by `add_middleware`). A cache outside the rate limiter answers cache
    hits without ever reaching it, so repeated calls are not limited; an error
    handler inside other middleware does not see the exceptions they raise. The
    FastMCP docs recommend placing error handling first. Nothing fails at runtime,
    and either order can be intended, so this is advice and the rule is opt-in.

    ## Fix safety
    No fix: reordering middleware changes behaviour.
    """

    code = "FMCP504"
    severity = Severity.INFO
    message = "{problem}"
    documented_errors = (18,)
    fastmcp_versions = ">=2.13"
    default_enabled = False
    references = ("https://gofastmcp.com/servers/middleware",)

    # Only `ResponseCachingMiddleware` and `ErrorHandlingMiddleware` entries are reported.
    needles = (CACHING, ERRORS)

    VALID = [
        Valid(
            "documented-order",
            """
            from fastmcp import FastMCP
            from fastmcp.server.middleware.caching import ResponseCachingMiddleware
            from fastmcp.server.middleware.error_handling import ErrorHandlingMiddleware
            from fastmcp.server.middleware.rate_limiting import RateLimitingMiddleware

            mcp = FastMCP("srv", middleware=[ErrorHandlingMiddleware()])
            mcp.add_middleware(RateLimitingMiddleware(max_requests_per_second=10))
            mcp.add_middleware(ResponseCachingMiddleware())
            """,
        ),
        Valid(
            "server-created-elsewhere",
            """
            from fastmcp.server.middleware.error_handling import ErrorHandlingMiddleware
            from fastmcp.server.middleware.timing import TimingMiddleware

            from myapp.server import mcp

            mcp.add_middleware(TimingMiddleware())
            mcp.add_middleware(ErrorHandlingMiddleware())
            """,
        ),
        Valid(
            "conditional",
            """
            import os
            from fastmcp import FastMCP
            from fastmcp.server.middleware.caching import ResponseCachingMiddleware
            from fastmcp.server.middleware.rate_limiting import RateLimitingMiddleware

            mcp = FastMCP("srv")
            mcp.add_middleware(ResponseCachingMiddleware())
            if os.getenv("LIMIT"):
                mcp.add_middleware(RateLimitingMiddleware())
            """,
        ),
        Valid(
            "two-servers",
            """
            from fastmcp import FastMCP
            from fastmcp.server.middleware.caching import ResponseCachingMiddleware
            from fastmcp.server.middleware.rate_limiting import RateLimitingMiddleware

            public = FastMCP("public")
            internal = FastMCP("internal")
            internal.add_middleware(ResponseCachingMiddleware())
            public.add_middleware(RateLimitingMiddleware())
            """,
        ),
    ]
    INVALID = [
        Invalid(
            "cache-before-rate-limit",
            """
            from fastmcp import FastMCP
            from fastmcp.server.middleware.caching import ResponseCachingMiddleware
            from fastmcp.server.middleware.rate_limiting import RateLimitingMiddleware

            mcp = FastMCP("srv")
            mcp.add_middleware(ResponseCachingMiddleware())
            mcp.add_middleware(RateLimitingMiddleware(max_requests_per_second=10))
            """,
        ),
        Invalid(
            "error-handling-last-in-factory",
            """
            from fastmcp import FastMCP
            from fastmcp.server.middleware.error_handling import ErrorHandlingMiddleware
            from fastmcp.server.middleware.logging import LoggingMiddleware

            def create() -> FastMCP:
                server = FastMCP("srv", middleware=[LoggingMiddleware()])
                server.add_middleware(ErrorHandlingMiddleware())
                return server
            """,
        ),
    ]

    def visit_Module(self, node: cst.Module) -> None:
        self._block(node.body)

    def _block(self, statements: Sequence[Statement]) -> None:
        chains: dict[str, _Chain] = {}
        for statement in statements:
            if isinstance(statement, cst.SimpleStatementLine):
                for small in statement.body:
                    self._small(small, chains)
            elif isinstance(statement, (cst.FunctionDef, cst.ClassDef)):
                self._block(statement.body.body)
            else:
                calls = _AddCalls()
                walk(statement, calls)
                for receiver in calls.receivers:
                    chains.setdefault(receiver, _Chain(complete=False)).uncertain = True
                for block in nested_blocks(statement):
                    self._nested(block)
        for chain in chains.values():
            if not chain.uncertain:
                self._judge(chain)

    def _nested(self, statements: Sequence[Statement]) -> None:
        # Functions defined inside if/try blocks still get their own judgement.
        for statement in statements:
            if isinstance(statement, (cst.FunctionDef, cst.ClassDef)):
                self._block(statement.body.body)
            elif not isinstance(statement, cst.SimpleStatementLine):
                for block in nested_blocks(statement):
                    self._nested(block)

    def _small(self, small: cst.BaseSmallStatement, chains: dict[str, _Chain]) -> None:
        names = self.context.names
        if isinstance(small, (cst.Assign, cst.AnnAssign)) and isinstance(small.value, cst.Call):
            targets = (
                [t.target for t in small.targets]
                if isinstance(small, cst.Assign)
                else [small.target]
            )
            if not names.is_server_constructor(small.value):
                return
            chain = _Chain(complete=True)
            listed = next(
                (a for a in small.value.args if a.keyword and a.keyword.value == "middleware"),
                None,
            )
            if listed is not None:
                if isinstance(listed.value, (cst.List, cst.Tuple)):
                    chain.entries = [self._entry(e.value) for e in listed.value.elements]
                else:
                    chain.uncertain = True
            for target in targets:
                name = dotted_name(target)
                if name is not None:
                    chains[name] = chain
            return
        if not (isinstance(small, cst.Expr) and isinstance(small.value, cst.Call)):
            return
        call = small.value
        func = call.func
        if not (isinstance(func, cst.Attribute) and func.attr.value == "add_middleware"):
            return
        receiver = dotted_name(func.value)
        if receiver is None or not names.is_server(func.value) or len(call.args) != 1:
            return
        chain = chains.setdefault(receiver, _Chain(complete=False))
        chain.entries.append(self._entry(call.args[0].value))

    def _entry(self, value: cst.BaseExpression) -> tuple[cst.CSTNode, str | None]:
        if isinstance(value, cst.Call):
            builtin = middleware.builtin(self.context.names, value.func)
            return value, builtin.name if builtin is not None else None
        return value, None

    def _judge(self, chain: _Chain) -> None:
        kinds = [kind for _, kind in chain.entries]
        for index, (node, kind) in enumerate(chain.entries):
            if kind == CACHING:
                later = [k for k in kinds[index + 1 :] if k in RATE_LIMITERS]
                if later:
                    self.report(
                        node,
                        f"`{CACHING}` is added before `{later[0]}`, so it is the outer one: "
                        "cache hits are answered without passing the rate limiter; add the "
                        "rate limiter first",
                    )
            if kind == ERRORS and chain.complete and index > 0:
                self.report(
                    node,
                    f"`{ERRORS}` is added after {index} other middleware, so exceptions "
                    "they raise bypass it; add it first (the first middleware added is the "
                    "outermost)",
                )
