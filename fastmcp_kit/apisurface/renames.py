"""Hand-written "did you mean" table: imports and keywords that moved or never existed.

Sources are the fact sheet's Appendix A and migration tables (section 3); every entry
marked ``safe`` was checked by importing both paths in a real release
(``verified_in``: the old path and the new one are the *same object* there, the release
right before the old path was removed) or names a path that never existed in any
release (seed folklore: rewriting it cannot change behaviour).
``tests/test_apisurface.py`` re-checks the class names of every ``verified_in`` entry
against the dumps. Non-class names (functions, constants) were checked by hand with
``importlib.import_module(old).<name> is importlib.import_module(new).<name>``
in fastmcp 3.0.2 and 3.4.10.

An entry applies only when its new module exists in the target release's API surface,
so ``fastmcp.server.tasks`` -> ``fastmcp.utilities.tasks`` is never suggested to a 3.0
project (3.4+ only).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Move:
    """``from old_module import old_name`` is really ``from new_module import new_name``."""

    old_module: str  # "*": any module
    old_name: str | None  # None: the whole module (every name in it)
    new_modules: tuple[str, ...]  # candidates, the first one the target has wins; () = none
    new_name: str | None = None  # None: the same name
    note: str = ""
    safe: bool = False  # same object (verified_in) or a path that never existed
    prefix: bool = False  # old_module also matches its submodules (old.x -> new.x)
    verified_in: str | None = None  # the dumped release where old and new are one object
    external: bool = False  # new module is outside fastmcp (not in the dumps)
    # From this release on the replacement itself is deprecated: the move is told, with
    # `deprecation`, but never written by a safe fix.
    deprecated_in: str | None = None
    deprecation: str = ""


@dataclass(frozen=True)
class KeywordRename:
    """``callable(keyword=)`` is really ``callable(new_keyword=)`` (None: no equivalent)."""

    callable: str  # "Context.report_progress", "FastMCP", "FileSystemProvider"
    keyword: str
    new_keyword: str | None
    note: str = ""


_FUNCTION_TOOL = ("FunctionTool", "ParsedFunction", "tool")
_FUNCTION_RESOURCE = ("FunctionResource", "resource")
_FUNCTION_PROMPT = ("FunctionPrompt", "prompt")

MOVES: tuple[Move, ...] = (
    # -- folklore: paths that never existed in any release ----------------------------
    Move("fastmcp.auth", None, ("fastmcp.server.auth",), safe=True, prefix=True),
    Move("fastmcp.middleware", None, ("fastmcp.server.middleware",), safe=True, prefix=True),
    Move("fastmcp.providers", None, ("fastmcp.server.providers",), safe=True, prefix=True),
    Move("fastmcp.transforms", None, ("fastmcp.server.transforms",), safe=True, prefix=True),
    Move(
        "*",
        "BaseMiddleware",
        ("fastmcp.server.middleware",),
        "Middleware",
        note="hooks are `async def on_call_tool(self, context, call_next)`",
    ),
    Move("fastmcp", "Icon", ("mcp.types",), safe=True, external=True),
    # `fastmcp.Image` was a deprecated alias until 2.14; the others never existed.
    *(
        Move(
            module,
            name,
            ("fastmcp.utilities.types",),
            safe=True,
            verified_in="2.13.3" if (module, name) == ("fastmcp", "Image") else None,
        )
        for module in ("fastmcp", "fastmcp.utilities")
        for name in ("Image", "Audio", "File")
    ),
    Move(
        "fastmcp.sampling",
        "AnthropicSamplingHandler",
        ("fastmcp.client.sampling.handlers.anthropic",),
        safe=True,
    ),
    Move(
        "fastmcp.sampling",
        "OpenAISamplingHandler",
        ("fastmcp.client.sampling.handlers.openai", "fastmcp.experimental.sampling.handlers"),
        safe=True,
    ),
    Move(
        "fastmcp.testing",
        None,
        (),
        note="there is no test helper module; use `async with Client(mcp) as client:`",
    ),
    # -- 2.13 -> 2.14 --------------------------------------------------------------------
    Move(
        "*",
        "BearerAuthProvider",
        ("fastmcp.server.auth.providers.jwt",),
        "JWTVerifier",
        note="BearerAuthProvider was removed in 2.14; JWTVerifier takes the same arguments",
        safe=True,
    ),
    Move(
        "fastmcp.server.auth.providers.bearer",
        None,
        ("fastmcp.server.auth.providers.jwt",),
        note="removed in 2.14",
    ),
    Move(
        "fastmcp.settings",
        "settings",
        ("fastmcp",),
        note="`import fastmcp` and use `fastmcp.settings`",
        safe=True,
        verified_in="2.13.3",
    ),
    Move(
        "fastmcp.experimental.server.openapi",
        None,
        ("fastmcp.server.openapi", "fastmcp.server.providers.openapi"),
        safe=True,
        verified_in="3.4.10",
    ),
    Move(
        "fastmcp.experimental.utilities.openapi",
        None,
        ("fastmcp.utilities.openapi",),
        safe=True,
        verified_in="3.4.10",
    ),
    # -- 2.x -> 3.x ----------------------------------------------------------------------
    Move(
        "fastmcp.server",
        "create_proxy",
        (),
        note="`create_proxy` arrived in 3.0; on 2.x use `FastMCP.as_proxy(target)`",
    ),
    # -- 3.x -> 4.x ----------------------------------------------------------------------
    Move(
        "fastmcp.server.proxy",
        None,
        ("fastmcp.server.providers.proxy",),
        safe=True,
        verified_in="3.4.10",
    ),
    Move(
        "fastmcp.server.openapi",
        "FastMCPOpenAPI",
        (),
        note=(
            "FastMCPOpenAPI was removed in 4.0; use `FastMCP.from_openapi(...)` or "
            "`FastMCP(name, providers=[OpenAPIProvider(...)])`"
        ),
    ),
    Move(
        "fastmcp.server.openapi",
        None,
        ("fastmcp.server.providers.openapi",),
        safe=True,
        verified_in="3.4.10",
    ),
    *(
        Move(
            old,
            name,
            (new,),
            safe=True,
            verified_in="3.4.10",
        )
        for old, new, names in (
            ("fastmcp.tools.tool", "fastmcp.tools.function_tool", _FUNCTION_TOOL),
            (
                "fastmcp.resources.resource",
                "fastmcp.resources.function_resource",
                _FUNCTION_RESOURCE,
            ),
            ("fastmcp.prompts.prompt", "fastmcp.prompts.function_prompt", _FUNCTION_PROMPT),
        )
        for name in names
    ),
    Move("fastmcp.tools.tool", None, ("fastmcp.tools",), safe=True, verified_in="3.4.10"),
    Move(
        "fastmcp.resources.resource", None, ("fastmcp.resources",), safe=True, verified_in="3.4.10"
    ),
    Move("fastmcp.prompts.prompt", None, ("fastmcp.prompts",), safe=True, verified_in="3.4.10"),
    *(
        Move(
            "fastmcp.server.auth.authorization",
            name,
            ("fastmcp.utilities.authorization",),
            note="moved in 4.0",
        )
        for name in ("run_auth_checks_with_shortfall", "scope_requirements")
    ),
    Move(
        "fastmcp.server.auth.authorization",
        None,
        ("fastmcp.server.auth",),
        safe=True,
        verified_in="3.4.10",
    ),
    Move(
        "fastmcp.experimental.sampling.handlers",
        None,
        ("fastmcp.client.sampling.handlers.openai",),
        note="moved in 4.0",
    ),
    Move(
        "fastmcp.server.tasks",
        "TaskConfig",
        ("fastmcp.utilities.tasks",),
        safe=True,
        verified_in="3.4.10",
    ),
    Move("fastmcp.server.apps", None, ("fastmcp.apps",), safe=True, verified_in="3.4.10"),
    Move("fastmcp.server.app", "FastMCPApp", ("fastmcp",), safe=True, verified_in="3.4.10"),
    *(
        Move(
            module,
            "SkillsProvider",
            (module,),
            "SkillsDirectoryProvider",
            note="`SkillsProvider` was a 3.x alias of it",
            safe=True,
            verified_in="3.4.10",
            deprecated_in="4.2",
            deprecation=(
                "deprecated in 4.2, removal announced for 4.3; "
                "`fastmcp.skills.provider.SkillsDirectoryProvider` replaces it, "
                "but accepts only folders that are valid Agent Skills"
            ),
        )
        for module in ("fastmcp.server.providers", "fastmcp.server.providers.skills")
    ),
    *(
        Move(
            "fastmcp.server.middleware.caching",
            f"Cachable{suffix}",
            ("fastmcp.server.middleware.caching",),
            f"Cacheable{suffix}",
            note="renamed in 4.0",
        )
        for suffix in ("Message", "PromptResult", "ResourceContent", "ResourceResult", "ToolResult")
    ),
    *(
        Move(
            "fastmcp.dependencies",
            name,
            ("fastmcp_tasks.dependencies",),
            note="moved to the fastmcp-tasks package in 4.0 (`pip install 'fastmcp[tasks]'`)",
            external=True,
        )
        for name in ("CurrentDocket", "CurrentWorker")
    ),
    Move(
        "fastmcp.server.middleware.tool_injection",
        "PromptToolMiddleware",
        ("fastmcp.server.transforms",),
        "PromptsAsTools",
        note="a transform: `mcp.add_transform(PromptsAsTools(mcp))`",
    ),
    Move(
        "fastmcp.server.middleware.tool_injection",
        "ResourceToolMiddleware",
        ("fastmcp.server.transforms",),
        "ResourcesAsTools",
        note="a transform: `mcp.add_transform(ResourcesAsTools(mcp))`",
    ),
    Move(
        "fastmcp.client.transports",
        "WSTransport",
        ("fastmcp.client.transports",),
        "StreamableHttpTransport",
        note="the WebSocket transport was removed in 3.0; serve over HTTP",
    ),
    # -- 4.1 -> 4.2 (docs/fastmcp-facts-4.2.md) ------------------------------------------
    Move(
        "fastmcp",
        "Skill",
        (),
        note=(
            "`fastmcp.Skill` (`fastmcp.skills.skill.Skill`) arrived in 4.2; the `Skill` of "
            "4.1's `fastmcp.skills` is another class (the skill wire model, `MCPSkill` in 4.2)"
        ),
    ),
    Move(
        "fastmcp.skills.provider",
        None,
        (),
        note=(
            "`fastmcp.skills.provider` arrived in 4.2; before it, "
            "`fastmcp.server.providers.SkillsDirectoryProvider` serves skill folders as "
            "resources only (another API, deprecated in 4.2)"
        ),
    ),
)

KEYWORD_RENAMES: tuple[KeywordRename, ...] = (
    KeywordRename("Context.report_progress", "current", "progress"),
    KeywordRename(
        "Context.get_state",
        "default",
        None,
        "it returns None for a missing key",
    ),
    KeywordRename("Context.elicit", "prompt", "message"),
    KeywordRename(
        "FastMCP",
        "dependencies",
        None,
        'removed in 2.14: list them in fastmcp.json `"environment": {"dependencies": [...]}`',
    ),
    KeywordRename(
        "FastMCP.tool",
        "enabled",
        None,
        "removed in 3.0: call `mcp.disable(names={...}, components={'tool'})`",
    ),
    KeywordRename(
        "FastMCP.resource",
        "enabled",
        None,
        "removed in 3.0: call `mcp.disable(names={...}, components={'resource'})`",
    ),
    KeywordRename(
        "FastMCP.prompt",
        "enabled",
        None,
        "removed in 3.0: call `mcp.disable(names={...}, components={'prompt'})`",
    ),
    KeywordRename(
        "FastMCP.tool",
        "exclude_args",
        None,
        "removed in 4.0: give the parameter a `Depends(...)` default",
    ),
    *(
        KeywordRename(
            f"FastMCP.{kind}",
            "serializer",
            None,
            "never a decorator argument; return a `ToolResult` to control serialization",
        )
        for kind in ("tool", "resource", "prompt")
    ),
    *(
        KeywordRename(
            f"FastMCP.{kind}",
            "dependencies",
            None,
            "never a decorator argument; inject with a `Depends(...)` parameter default",
        )
        for kind in ("tool", "resource", "prompt")
    ),
    KeywordRename("FileSystemProvider", "path", "root"),
    KeywordRename("VersionFilter", "min_version", "version_gte"),
    KeywordRename("VersionFilter", "max_version", "version_lt"),
    KeywordRename(
        "RemoteAuthProvider",
        "issuer",
        "authorization_servers",
        "a list of authorization server URLs",
    ),
    KeywordRename("OAuthProvider", "issuer", "issuer_url"),
    KeywordRename(
        "AnthropicSamplingHandler",
        "api_key",
        "client",
        "pass `client=AsyncAnthropic(api_key=...)`",
    ),
)
