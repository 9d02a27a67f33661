"""FastMCP's MCP middleware: the base class, its hooks and the built-in classes
(rules FMCP501 to FMCP504).

Everything here was read from the installed releases with ``inspect`` (fastmcp
2.13.3, 2.14.7, 3.0.2, 3.4.10, 4.0.0, 4.1.2) and, for the hook dispatch of older
releases, from the v2.9.0 to v2.13.0 tags of the FastMCP repository:

* The base class is ``fastmcp.server.middleware.Middleware`` (defined in
  ``fastmcp.server.middleware.middleware``). ``fastmcp.middleware`` and
  ``BaseMiddleware`` never existed.
* Hooks are called as ``hook(context, call_next=call_next)`` (since 2.9.0), so the
  second parameter must be named ``call_next``; the first may have any name.
* The constructors of the built-in middleware did not change from 2.13.3 to 4.1.2
  (only type annotations did); Ping- and ResponseLimitingMiddleware arrived in 3.0,
  Prompt-/ResourceToolMiddleware left in 4.0.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import libcst as cst
from packaging.specifiers import SpecifierSet
from packaging.version import Version

from fastmcp_kit.lint.cst_statements import nested_blocks
from fastmcp_kit.lint.names import ModuleNames

PACKAGE = "fastmcp.server.middleware"

# Hook name -> the releases that call it.
HOOKS: dict[str, str] = {
    "on_message": ">=2.9",
    "on_request": ">=2.9",
    "on_notification": ">=2.9",
    "on_call_tool": ">=2.9",
    "on_read_resource": ">=2.9",
    "on_get_prompt": ">=2.9",
    "on_list_tools": ">=2.9",
    "on_list_resources": ">=2.9",
    "on_list_resource_templates": ">=2.9",
    "on_list_prompts": ">=2.9",
    "on_initialize": ">=2.13",
    "on_discover": ">=4.0",
}


@dataclass(frozen=True)
class Builtin:
    """A built-in middleware class: where it lives, when, and its constructor."""

    name: str
    submodule: str
    versions: str
    # Constructor parameters (after self): positional-or-keyword, then keyword-only.
    positional: tuple[str, ...] = ()
    keyword_only: tuple[str, ...] = ()
    # Re-exported from the package itself (`from fastmcp.server.middleware import X`).
    package_export: str | None = None
    # Whether the table knows its constructor (False: *args/**kwargs or not dumped).
    checked: bool = True

    @property
    def parameters(self) -> tuple[str, ...]:
        return self.positional + self.keyword_only

    def exists(self, version: Version) -> bool:
        return SpecifierSet(self.versions).contains(version, prereleases=True)

    def paths(self) -> Iterator[str]:
        yield f"{PACKAGE}.{self.submodule}.{self.name}"
        if self.package_export is not None:
            yield f"{PACKAGE}.{self.name}"


_LOGGING = (
    "logger",
    "log_level",
    "include_payloads",
    "include_payload_length",
    "estimate_payload_tokens",
)
BUILTINS: tuple[Builtin, ...] = (
    Builtin("TimingMiddleware", "timing", ">=2.13", ("logger", "log_level")),
    Builtin("DetailedTimingMiddleware", "timing", ">=2.13", ("logger", "log_level")),
    Builtin(
        "LoggingMiddleware",
        "logging",
        ">=2.13",
        keyword_only=(*_LOGGING, "max_payload_length", "methods", "payload_serializer"),
    ),
    Builtin(
        "StructuredLoggingMiddleware",
        "logging",
        ">=2.13",
        keyword_only=(*_LOGGING, "methods", "payload_serializer"),
    ),
    Builtin(
        "RateLimitingMiddleware",
        "rate_limiting",
        ">=2.13",
        ("max_requests_per_second", "burst_capacity", "get_client_id", "global_limit"),
    ),
    Builtin(
        "SlidingWindowRateLimitingMiddleware",
        "rate_limiting",
        ">=2.13",
        ("max_requests", "window_minutes", "get_client_id"),
    ),
    Builtin(
        "ErrorHandlingMiddleware",
        "error_handling",
        ">=2.13",
        ("logger", "include_traceback", "error_callback", "transform_errors"),
    ),
    Builtin(
        "RetryMiddleware",
        "error_handling",
        ">=2.13",
        (
            "max_retries",
            "base_delay",
            "max_delay",
            "backoff_multiplier",
            "retry_exceptions",
            "logger",
        ),
    ),
    Builtin(
        "ResponseCachingMiddleware",
        "caching",
        ">=2.13",
        (
            "cache_storage",
            "list_tools_settings",
            "list_resources_settings",
            "list_prompts_settings",
            "read_resource_settings",
            "get_prompt_settings",
            "call_tool_settings",
            "max_item_size",
        ),
    ),
    Builtin("ToolInjectionMiddleware", "tool_injection", ">=2.13", ("tools",)),
    Builtin("PromptToolMiddleware", "tool_injection", ">=2.13,<4"),
    Builtin("ResourceToolMiddleware", "tool_injection", ">=2.13,<4"),
    Builtin("PingMiddleware", "ping", ">=3.0", ("interval_ms",), package_export="PingMiddleware"),
    Builtin(
        "ResponseLimitingMiddleware",
        "response_limiting",
        ">=3.0",
        keyword_only=("max_size", "truncation_suffix", "tools"),
    ),
    Builtin("AuthMiddleware", "authorization", ">=3.0", ("auth",), package_export="AuthMiddleware"),
    Builtin("DereferenceRefsMiddleware", "dereference", ">=3.0", checked=False),
    Builtin("BaseLoggingMiddleware", "logging", ">=2.13", checked=False),
)
BUILTIN_BY_PATH: dict[str, Builtin] = {path: b for b in BUILTINS for path in b.paths()}

# The base class under every path it can be imported from (each submodule imports it).
BASE_PATHS = frozenset(
    {
        f"{PACKAGE}.Middleware",
        f"{PACKAGE}.middleware.Middleware",
        *(f"{PACKAGE}.{b.submodule}.Middleware" for b in BUILTINS),
    }
)
# What `from fastmcp.server.middleware import X` offers besides the built-ins above.
PACKAGE_NAMES = frozenset({"Middleware", "MiddlewareContext", "CallNext"})


def builtin(names: ModuleNames, func: cst.BaseExpression) -> Builtin | None:
    """The built-in middleware class a constructor call's callee names."""
    qualified = names.qualified_name(func)
    return BUILTIN_BY_PATH.get(qualified) if qualified is not None else None


def middleware_classes(module: cst.Module, names: ModuleNames) -> dict[str, cst.ClassDef]:
    """Classes of the module deriving (directly or through other classes of the
    module) from FastMCP's ``Middleware`` or a built-in middleware, by name."""
    found: dict[str, cst.ClassDef] = {}
    if not names.imports_fastmcp:
        return found  # every middleware base comes from fastmcp
    for node in _class_defs(module):
        for base in node.bases:
            if base.keyword is not None:
                continue
            qualified = names.qualified_name(base.value)
            local = base.value.value if isinstance(base.value, cst.Name) else None
            if qualified in BASE_PATHS or qualified in BUILTIN_BY_PATH or local in found:
                found[node.name.value] = node
                break
    return found


def fastmcp_only_bases(
    node: cst.ClassDef, names: ModuleNames, local: dict[str, cst.ClassDef]
) -> bool:
    """Does every base of the class come from FastMCP's middleware (or a local class
    that does)? Then attributes FastMCP's classes lack are certainly missing."""
    for base in node.bases:
        if base.keyword is not None:
            return False
        qualified = names.qualified_name(base.value)
        if qualified in BASE_PATHS or qualified in BUILTIN_BY_PATH:
            continue
        if isinstance(base.value, cst.Name) and base.value.value in local:
            parent = local[base.value.value]
            if parent is not node and fastmcp_only_bases(parent, names, local):
                continue
        return False
    return True


def _class_defs(node: cst.Module) -> Iterator[cst.ClassDef]:
    """Every ClassDef, outer before inner, in source order.

    A walk over statements only: a full visitor pass over every expression of every
    file cost more than all the rules together (see bench/).
    """
    yield from _class_defs_in(node.body)


def _class_defs_in(
    statements: Sequence[cst.BaseStatement | cst.BaseSmallStatement],
) -> Iterator[cst.ClassDef]:
    for statement in statements:
        if isinstance(statement, cst.ClassDef):
            yield statement
            yield from _class_defs_in(statement.body.body)
        elif isinstance(statement, cst.FunctionDef):
            yield from _class_defs_in(statement.body.body)
        elif isinstance(statement, cst.BaseCompoundStatement):
            for block in nested_blocks(statement):
                yield from _class_defs_in(block)


def class_defines(node: cst.ClassDef, attribute: str) -> bool:
    """Does the class body define ``attribute`` (a method or an assignment)?"""
    for statement in node.body.body:
        if isinstance(statement, cst.FunctionDef) and statement.name.value == attribute:
            return True
        if isinstance(statement, cst.SimpleStatementLine):
            for small in statement.body:
                targets: list[cst.BaseExpression] = []
                if isinstance(small, cst.Assign):
                    targets = [t.target for t in small.targets]
                elif isinstance(small, (cst.AnnAssign, cst.AugAssign)):
                    targets = [small.target]
                if any(isinstance(t, cst.Name) and t.value == attribute for t in targets):
                    return True
    return False


def hooks_for(version: Version) -> frozenset[str]:
    return frozenset(
        hook
        for hook, spec in HOOKS.items()
        if SpecifierSet(spec).contains(version, prereleases=True)
    )
