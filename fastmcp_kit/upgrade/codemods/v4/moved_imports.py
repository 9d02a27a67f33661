"""Other imports 4.0 moved: apps, sampling handlers, authorization, skills, tasks, caching
(3.iii rows 4, 8, 9, 10, 11, 12, 13 and 15)."""

from __future__ import annotations

from fastmcp_kit.upgrade.codemod import GUIDE_4, Example
from fastmcp_kit.upgrade.imports import ImportMover, Move

_AUTH = (
    "AuthCheck",
    "AuthContext",
    "require_scopes",
    "require_roles",
    "restrict_tag",
    "run_auth_checks",
)
_CACHE = ("Message", "PromptResult", "ResourceContent", "ResourceResult", "ToolResult")


class MovedImports(ImportMover):
    """What it does:
    Moves imports 4.0 relocated:
    ``fastmcp.server.apps`` -> ``fastmcp.apps``; ``fastmcp.server.app.FastMCPApp`` ->
    ``fastmcp``; ``fastmcp.experimental.sampling.handlers[.openai].OpenAISamplingHandler``
    -> ``fastmcp.client.sampling.handlers.openai``;
    ``fastmcp.server.auth.authorization.{AuthCheck, AuthContext, require_scopes,
    require_roles, restrict_tag, run_auth_checks}`` -> ``fastmcp.server.auth`` (and
    ``run_auth_checks_with_shortfall``, ``scope_requirements`` ->
    ``fastmcp.utilities.authorization``; ``AuthorizationError`` -> ``fastmcp.exceptions``);
    ``SkillsProvider`` -> ``SkillsDirectoryProvider``; ``fastmcp.server.tasks.TaskConfig``
    -> ``fastmcp.utilities.tasks``; ``fastmcp.dependencies.{CurrentDocket, CurrentWorker}``
    -> ``fastmcp_tasks.dependencies``; ``Cachable*`` -> ``Cacheable*`` in
    ``fastmcp.server.middleware.caching``. Renamed names are renamed where used.

    Why:
    Each old path raises ``ImportError``/``ModuleNotFoundError`` in 4.0.

    Safety:
    Safe: checked in 3.4.10 (old and new paths are the same objects where both exist)
    and 4.1.2 (every new path imports). ``fastmcp_tasks`` comes with ``fastmcp[tasks]``,
    which the pins add.
    """

    ID = "moved-imports"
    TITLE = "imports 4.0 relocated (apps, sampling handlers, authorization, skills, tasks, caching)"
    KIND = "rewrite"
    ROWS = ("iii.4", "iii.8", "iii.9", "iii.10", "iii.11", "iii.12", "iii.13", "iii.15")
    LINK = GUIDE_4
    TRIGGERS = (
        "fastmcp.server.app",
        "sampling.handlers",
        "authorization",
        "SkillsProvider",
        "fastmcp.server.tasks",
        "CurrentDocket",
        "CurrentWorker",
        "Cachable",
    )
    MOVES = (
        Move("fastmcp.server.apps", None, "fastmcp.apps"),
        Move("fastmcp.server.app", "FastMCPApp", "fastmcp"),
        Move(
            "fastmcp.experimental.sampling.handlers",
            "OpenAISamplingHandler",
            "fastmcp.client.sampling.handlers.openai",
        ),
        Move(
            "fastmcp.experimental.sampling.handlers.openai",
            "OpenAISamplingHandler",
            "fastmcp.client.sampling.handlers.openai",
        ),
        *(Move("fastmcp.server.auth.authorization", n, "fastmcp.server.auth") for n in _AUTH),
        *(
            Move("fastmcp.server.auth.authorization", n, "fastmcp.utilities.authorization")
            for n in ("run_auth_checks_with_shortfall", "scope_requirements")
        ),
        Move("fastmcp.server.auth.authorization", "AuthorizationError", "fastmcp.exceptions"),
        *(
            Move(m, "SkillsProvider", m, "SkillsDirectoryProvider")
            for m in ("fastmcp.server.providers", "fastmcp.server.providers.skills")
        ),
        Move("fastmcp.server.tasks", "TaskConfig", "fastmcp.utilities.tasks"),
        Move("fastmcp.server.tasks", "TaskMode", "fastmcp.utilities.tasks"),
        *(
            Move("fastmcp.dependencies", n, "fastmcp_tasks.dependencies")
            for n in ("CurrentDocket", "CurrentWorker")
        ),
        *(
            Move(
                "fastmcp.server.middleware.caching",
                f"Cachable{s}",
                "fastmcp.server.middleware.caching",
                f"Cacheable{s}",
            )
            for s in _CACHE
        ),
    )
    EXAMPLES = (
        Example(
            "several",
            before="""
            from fastmcp.server.apps import AppConfig
            from fastmcp.server.auth.authorization import require_scopes, run_auth_checks
            from fastmcp.server.tasks import TaskConfig
            from fastmcp.server.middleware.caching import CachableToolResult

            def cached(result: CachableToolResult) -> CachableToolResult:
                return result
            """,
            after="""
            from fastmcp.apps import AppConfig
            from fastmcp.server.auth import require_scopes, run_auth_checks
            from fastmcp.server.middleware.caching import CacheableToolResult
            from fastmcp.utilities.tasks import TaskConfig

            def cached(result: CacheableToolResult) -> CacheableToolResult:
                return result
            """,
        ),
    )
