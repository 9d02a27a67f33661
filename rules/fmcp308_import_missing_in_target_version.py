from __future__ import annotations

import ast
from collections.abc import Iterable

import libcst as cst

from fastmcp_kit.apisurface import ApiSurface, ImportSuggestion, surface_for, version_label
from fastmcp_kit.lint.missing_imports import (
    ROOT,
    available_in,
    guarded_imports,
    hint_for,
    imports_of,
    is_checked,
    is_public,
    is_under,
    missing_module,
    module_fix,
    move_fix,
    names_hint,
    owned_elsewhere,
    same_names_there,
)
from fastmcp_kit.lint.names import dotted_name
from fastmcp_kit.lint.rule import Fix, Invalid, Rule, RuleContext, Valid
from fastmcp_kit.lint.version_compat import FallbackChains
from fastmcp_kit.lint.violation import Severity


class ImportMissingInTargetVersion(Rule):
    """A `fastmcp` module or name imported that does not exist in the target FastMCP version.

    ## What it does
    Checks `import fastmcp.X` and `from fastmcp.X import Y` against the API of the
    FastMCP release the project targets (the public modules and names recorded from the
    real release by `scripts/dump_api_surface.py`), and flags a module or a name that
    release does not have. The message says where the API really is, when known (a
    table of moves from the FastMCP upgrade guides, the same class under another path in
    the target release, or a close spelling).

    Modules that exist but need an optional extra (`fastmcp.client.sampling.handlers.openai`
    without `openai`) count as existing. Imports inside `try:` blocks that catch
    `ImportError` (or `ModuleNotFoundError`) and their `except` fallbacks are
    version-compatibility code: skipped while one branch of the chain imports in the
    target version, reported when none does (or the only fallback is `raise` /
    `sys.exit`), since then the module fails at import all the same. Imports in `if`
    blocks that test a version are skipped, as are imports under
    `with pytest.raises(...)`. Imports other rules explain better are
    left to them: `Image`/`Audio`/`File` (FMCP301), `fastmcp.auth` and
    `BearerAuthProvider` (FMCP304), `fastmcp.middleware`/`BaseMiddleware` (FMCP502),
    `from fastmcp import Icon` (FMCP213) and `key_value.*` (FMCP702).

    ## Why is this bad?
    The import raises when the server module is imported, so the server never starts:
    `ModuleNotFoundError: No module named 'fastmcp.server.proxy'` (4.0+),
    `ImportError: cannot import name 'MultiAuth' from 'fastmcp.server.auth'` (before
    3.4), `ModuleNotFoundError: No module named 'fastmcp.server.providers'` (2.x), ...
    Every release between 2.13 and 4.1 moved or removed public modules: 3.0 moved
    proxies and OpenAPI into `fastmcp.server.providers`, 4.0 removed the 3.x
    compatibility paths (`fastmcp.server.proxy`, `fastmcp.server.openapi`,
    `fastmcp.tools.tool`, ...), and code written for a newer release imports what an
    older one lacks.

    ## Fix safety
    A fix is offered only when the real path imports the *same object* (checked in the
    last release that had both paths, e.g. `fastmcp.server.proxy.FastMCPProxy` is
    `fastmcp.server.providers.proxy.FastMCPProxy` in 3.4.10) or when the old path never
    existed in any release; it is then safe. A renamed class is imported under its old
    name (`SkillsDirectoryProvider as SkillsProvider`). Moves with a different API
    (`FastMCPOpenAPI`, `WSTransport`, `CachableToolResult`, ...) are reported only.
    """

    code = "FMCP308"
    severity = Severity.ERROR
    message = "{problem} in {version}{hint}"
    fix_title = "Import from where it lives in the target version"
    fastmcp_versions = ">=2.13"
    reported_mistakes = ("044",)
    references = (
        "https://gofastmcp.com/getting-started/upgrading/from-fastmcp-3",
        "https://gofastmcp.com/getting-started/upgrading/from-fastmcp-2",
        "https://gofastmcp.com/development/upgrade-guide",
    )
    # Only `import fastmcp...` and `from fastmcp... import ...` are checked.
    needles = ("fastmcp",)

    @classmethod
    def may_apply_to_tree(cls, tree: ast.Module, context: RuleContext) -> bool:
        # Only an import of a module or name the target lacks is reported (the same
        # tests as the visitors, before the version-compatibility exemptions).
        surface = surface_for(context.target)
        for node in imports_of(tree.body):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if is_checked(alias.name) and missing_module(surface, alias.name):
                        return True
            elif node.level == 0 and node.module and is_checked(node.module):
                module = node.module
                if missing_module(surface, module):
                    return True
                for alias in node.names:
                    if (
                        alias.name != "*"
                        and is_public(alias.name)
                        and not owned_elsewhere(module, alias.name)
                        and surface.has_name(module, alias.name) is False
                    ):
                        return True
        return False

    VALID = [
        Valid(
            "current-paths-4x",
            """
            import fastmcp.server.providers.proxy
            from fastmcp import Client, Context, FastMCP, settings
            from fastmcp.server import create_proxy
            from fastmcp.server.auth import MultiAuth, require_scopes
            from fastmcp.server.providers.proxy import FastMCPProxy
            from fastmcp.server.sessions import SessionId, UserSession
            from fastmcp.tools import Tool, ToolResult
            from fastmcp.utilities.types import Image
            """,
        ),
        Valid(
            "paths-of-2.14",
            """
            from fastmcp.server.proxy import FastMCPProxy
            from fastmcp.server.openapi import FastMCPOpenAPI, RouteMap
            from fastmcp.tools.tool import Tool
            from fastmcp.dependencies import CurrentDocket, Depends
            from fastmcp.client.transports import WSTransport
            """,
            fastmcp_version="2.14",
        ),
        Valid(
            "deprecated-paths-still-in-3.4",
            """
            from fastmcp.server.proxy import FastMCPProxy
            from fastmcp.server.tasks import TaskConfig
            from fastmcp.utilities.tasks import TaskConfig as NewTaskConfig
            """,
            fastmcp_version="3.4",
        ),
        Valid(
            "module-needing-an-optional-extra",
            """
            from fastmcp.client.sampling.handlers.openai import OpenAISamplingHandler
            from fastmcp.client.sampling.handlers.anthropic import AnthropicSamplingHandler
            """,
        ),
        Valid(
            "submodule-imported-as-a-name",
            """
            from fastmcp import server, utilities
            from fastmcp.server import sessions
            from fastmcp.server.auth import providers
            """,
        ),
        Valid(
            "version-compatibility-code",
            """
            try:
                from fastmcp.server.providers.proxy import FastMCPProxy
            except ImportError:
                from fastmcp.server.proxy import FastMCPProxy

            try:
                from fastmcp.server.sessions import UserSession
            except (ModuleNotFoundError, AttributeError):
                UserSession = None

            if FASTMCP_VERSION >= (3, 0):
                from fastmcp.server.providers.openapi import RouteMap
            else:
                from fastmcp.server.openapi import RouteMap
            """,
            fastmcp_version="2.14",
        ),
        Valid(
            "one-fallback-imports-in-4x",
            """
            try:
                from fastmcp.server.openapi import RouteMap
            except ModuleNotFoundError:
                try:
                    from fastmcp.experimental.server.openapi import RouteMap
                except ImportError:
                    from fastmcp.server.providers.openapi import RouteMap
            """,
        ),
        Valid(
            "import-expected-to-fail-in-a-test",
            """
            import pytest

            def test_proxy_module_is_gone():
                with pytest.raises(ImportError):
                    from fastmcp.server.proxy import FastMCPProxy
            """,
        ),
        Valid(
            "left-to-other-rules",
            """
            from fastmcp import Image, Icon
            from fastmcp.utilities import Audio
            from fastmcp.auth import JWTVerifier
            from fastmcp.server.auth.providers.bearer import BearerAuthProvider
            from fastmcp.middleware import BaseMiddleware
            from key_value.stores import DiskStore
            import fastmcp.auth
            """,
        ),
        Valid(
            "other-packages",
            """
            from mcp.server.fastmcp import FastMCP, Context
            from mcp.server.fastmcp.utilities.types import Image
            from fastmcp_tasks import TasksExtension
            from . import fastmcp
            from .fastmcp import server
            """,
        ),
    ]
    INVALID = [
        Invalid(
            "3x-proxy-module-on-4x",
            """
            from fastmcp import FastMCP
            from fastmcp.server.proxy import FastMCPProxy, ProxyClient
            """,
            fixed="""
            from fastmcp import FastMCP
            from fastmcp.server.providers.proxy import FastMCPProxy, ProxyClient
            """,
        ),
        Invalid(
            "tool-module-split-on-4x",
            """
            from fastmcp.tools.tool import Tool, FunctionTool as FT
            """,
            fixed="""
            from fastmcp.tools import Tool
            from fastmcp.tools.function_tool import FunctionTool as FT
            """,
        ),
        Invalid(
            "renamed-class-keeps-its-local-name",
            """
            from fastmcp.server.providers import FileSystemProvider, SkillsProvider

            skills = SkillsProvider(roots=["skills"])
            """,
            fixed="""
            from fastmcp.server.providers import FileSystemProvider
            from fastmcp.server.providers import SkillsDirectoryProvider as SkillsProvider

            skills = SkillsProvider(roots=["skills"])
            """,
            fastmcp_version="4.1.7",
        ),
        Invalid(
            "rename-to-a-name-the-target-deprecates-is-not-fixed",
            # 4.2 deprecates SkillsDirectoryProvider; its successor in fastmcp.skills
            # accepts only valid Agent Skills folders, so no rewrite is safe.
            """
            from fastmcp.server.providers import SkillsProvider

            skills = SkillsProvider(roots=["skills"])
            """,
            fastmcp_version="4.2.3",
        ),
        Invalid(
            "folklore-providers-module",
            """
            from fastmcp.providers import FileSystemProvider
            from fastmcp.transforms import Namespace, VersionFilter
            """,
            count=2,
            fixed="""
            from fastmcp.server.providers import FileSystemProvider
            from fastmcp.server.transforms import Namespace, VersionFilter
            """,
        ),
        Invalid(
            "name-added-later",
            """
            from fastmcp.server.auth import JWTVerifier, MultiAuth
            """,
            fastmcp_version="3.0.2",
        ),
        Invalid(
            "4x-module-on-3x",
            """
            import fastmcp.server.sessions
            from fastmcp.server.sessions import UserSession
            """,
            fastmcp_version="3.4",
            count=2,
        ),
        Invalid(
            "3x-api-on-2.14",
            """
            from fastmcp.server import create_proxy
            from fastmcp.server.providers.proxy import FastMCPProxy
            """,
            fastmcp_version="2.14",
            count=2,
        ),
        Invalid(
            "moved-with-a-different-api",
            """
            from fastmcp.server.openapi import FastMCPOpenAPI, RouteMap
            from fastmcp.server.middleware.caching import CachableToolResult
            from fastmcp.dependencies import CurrentDocket
            """,
            count=3,
        ),
        Invalid(
            "settings-instance-moved-in-2.14",
            """
            from fastmcp.settings import settings

            print(settings.log_level)
            """,
            fastmcp_version="2.14",
            fixed="""
            from fastmcp import settings

            print(settings.log_level)
            """,
        ),
        Invalid(
            "aliased-module-import",
            """
            import fastmcp.server.openapi as openapi

            maps = [openapi.RouteMap(methods=["GET"])]
            """,
            fixed="""
            import fastmcp.server.providers.openapi as openapi

            maps = [openapi.RouteMap(methods=["GET"])]
            """,
        ),
        Invalid(
            "no-fallback-imports-in-4x",
            """
            try:
                from fastmcp.server.openapi import FastMCPOpenAPI
            except ImportError:
                from fastmcp.experimental.server.openapi import FastMCPOpenAPI
            """,
            count=2,
        ),
        Invalid(
            "fallback-only-raises",
            """
            try:
                from fastmcp.server.proxy import FastMCPProxy
            except ImportError as error:
                raise SystemExit("this server needs FastMCP 2.x or 3.x") from error
            """,
            fixed="""
            try:
                from fastmcp.server.providers.proxy import FastMCPProxy
            except ImportError as error:
                raise SystemExit("this server needs FastMCP 2.x or 3.x") from error
            """,
        ),
    ]

    def __init__(self, context: RuleContext) -> None:
        super().__init__(context)
        self._surface: ApiSurface | None = None
        # `try`/`with`/`if` statements seen so far, judged (and their imports added to
        # `_guarded` / `_chains`) only when an import is about to be reported: nearly
        # every import exists, and walking every block for imports cost more than the
        # rest.
        self._blocks: list[cst.Try | cst.With | cst.If] = []
        self._guarded: set[int] = set()
        # Imports under a `try` catching ImportError -> the outermost such `try`.
        self._chains: dict[int, cst.Try] = {}
        self._fallbacks = FallbackChains(self._fails)

    @property
    def surface(self) -> ApiSurface:
        # Loaded on the first fastmcp import, not when the rule is created.
        if self._surface is None:
            self._surface = surface_for(self.context.target)
        return self._surface

    # -- version-compatibility blocks ---------------------------------------------------

    def visit_Try(self, node: cst.Try) -> None:
        self._blocks.append(node)

    def visit_With(self, node: cst.With) -> None:
        self._blocks.append(node)

    def visit_If(self, node: cst.If) -> None:
        self._blocks.append(node)

    def _is_guarded(self, node: cst.Import | cst.ImportFrom) -> bool:
        """Is the import inside version-compatibility code that copes with it? Every
        enclosing block was visited before the import (outer ones first), so judging
        the blocks seen so far is enough. A `try`/`except ImportError` chain copes only
        when one of its branches imports in the target version."""
        for block in self._blocks:
            if isinstance(block, cst.Try):
                for found in guarded_imports(block):
                    self._chains.setdefault(found, block)
            else:
                self._guarded |= guarded_imports(block)
        self._blocks.clear()
        if id(node) in self._guarded:
            return True
        chain = self._chains.get(id(node))
        return chain is not None and self._fallbacks.succeeds(chain)

    def _fails(self, node: cst.Import | cst.ImportFrom) -> bool:
        """Does this import statement fail in the target version?"""
        surface = self.surface
        if isinstance(node, cst.Import):
            return any(
                is_under(module, ROOT)
                and is_public(module)
                and missing_module(surface, module) is not None
                for module in (dotted_name(alias.name) or "" for alias in node.names)
            )
        module = dotted_name(node.module) if node.module is not None else None
        if node.relative or not module or not is_under(module, ROOT) or not is_public(module):
            return False
        if missing_module(surface, module) is not None:
            return True
        return not isinstance(node.names, cst.ImportStar) and any(
            is_public(name := dotted_name(alias.name) or "")
            and surface.has_name(module, name) is False
            for alias in node.names
        )

    def _message(self, problem: str, hint: str, node: cst.CSTNode | None = None) -> str:
        version = version_label(self.context.target, self.surface)
        message = self.message.format(problem=problem, version=version, hint=hint)
        if node is not None and id(node) in self._chains:
            message += (
                f"; no branch of its `try`/`except ImportError` imports in {version} "
                "either, so the module fails at import"
            )
        return message

    # -- imports ------------------------------------------------------------------------

    def visit_Import(self, node: cst.Import) -> None:
        for alias in node.names:
            module = dotted_name(alias.name) or ""
            if not is_checked(module):
                continue
            missing = missing_module(self.surface, module)
            if missing is None:
                continue
            if self._is_guarded(node):
                return
            full = self.surface.suggest_module(module)
            suggestion = full or self.surface.suggest_module(missing)
            fix = None
            if (
                suggestion is full
                and alias.asname is not None
                and suggestion is not None
                and suggestion.safe
                and suggestion.module is not None
            ):
                # Only `import a.b as x`: a bare `import a.b` binds `a`, used as `a.b.X`.
                new_name = cst.parse_expression(suggestion.module)
                assert isinstance(new_name, (cst.Attribute, cst.Name))
                fix = Fix(
                    f"Import `{suggestion.module}`",
                    replacements=((alias, alias.with_changes(name=new_name)),),
                )
            problem = f"Module `{missing}` does not exist"
            hint = hint_for(suggestion) or available_in(missing)
            self.report(alias, self._message(problem, hint, node), fix=fix)

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if node.relative or node.module is None:
            return
        module = dotted_name(node.module) or ""
        if not is_checked(module):
            return
        missing = missing_module(self.surface, module)
        if missing is not None:
            if not self._is_guarded(node):
                self._report_missing_module(node, module, missing)
        elif not isinstance(node.names, cst.ImportStar):
            self._report_missing_names(node, module, node.names)

    def _report_missing_module(self, node: cst.ImportFrom, module: str, missing: str) -> None:
        names = [] if isinstance(node.names, cst.ImportStar) else list(node.names)
        if any(owned_elsewhere(module, dotted_name(a.name)) for a in names):
            return
        suggestions = [self._suggest(module, alias) for alias in names]
        suggestion = self.surface.suggest_module(module)
        hint = hint_for(suggestion)
        if any(s is not None for s in suggestions) and not same_names_there(
            names, suggestions, suggestion
        ):
            hint = names_hint(names, suggestions)
        fix = None
        if names and all(s is not None and s.safe and s.module for s in suggestions):
            fix = move_fix(
                self.fix_title or "", node, list(zip(names, suggestions, strict=True)), kept=[]
            )
        elif isinstance(node.names, cst.ImportStar) and suggestion and suggestion.safe:
            fix = module_fix(node, suggestion)
        problem = f"Module `{missing}` does not exist"
        hint = hint or available_in(missing)
        self.report(node.module or node, self._message(problem, hint, node), fix=fix)

    def _report_missing_names(
        self, node: cst.ImportFrom, module: str, names: Iterable[cst.ImportAlias]
    ) -> None:
        names = list(names)
        missing = [
            alias
            for alias in names
            if is_public(name := dotted_name(alias.name) or "")
            and not owned_elsewhere(module, name)
            and self.surface.has_name(module, name) is False
        ]
        if not missing or self._is_guarded(node):
            return
        flagged: list[tuple[cst.ImportAlias, ImportSuggestion | None, str | None]] = [
            (
                alias,
                self._suggest(module, alias),
                self.surface.name_error(module, dotted_name(alias.name) or ""),
            )
            for alias in missing
        ]
        movable = [(a, s) for a, s, _ in flagged if s is not None and s.safe and s.module]
        fix = None
        if len(movable) == len(flagged):
            moving = {id(a) for a, _ in movable}
            kept = [a for a in names if id(a) not in moving]
            fix = move_fix(self.fix_title or "", node, movable, kept)
        for alias, suggestion, error in flagged:
            name = dotted_name(alias.name) or ""
            problem = f"`{module}` has no `{name}`"
            hint = hint_for(suggestion) if suggestion is not None or not error else f": {error}"
            hint = hint or available_in(module, name)
            self.report(alias, self._message(problem, hint, node), fix=fix)

    def _suggest(self, module: str, alias: cst.ImportAlias) -> ImportSuggestion | None:
        return self.surface.suggest_name(module, dotted_name(alias.name) or "")
