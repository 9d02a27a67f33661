from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator, Sequence

import libcst as cst

from fastmcp_kit.apisurface import (
    ApiSurface,
    ImportSuggestion,
    describe_releases,
    dumped_releases,
    surface_for,
    version_label,
)
from fastmcp_kit.lint.names import dotted_name
from fastmcp_kit.lint.rule import Fix, ImportSpec, Invalid, Rule, RuleContext, Valid
from fastmcp_kit.lint.version_compat import (
    catches_import_errors,
    expects_an_error,
    imports_in,
    mentions_version,
)
from fastmcp_kit.lint.violation import Applicability, Severity

ROOT = "fastmcp"
# Imports a more specific rule reports (with better advice); never reported here.
MEDIA_TYPES = frozenset({"Image", "Audio", "File"})  # FMCP301
AUTH_FOLKLORE = "fastmcp.auth"  # FMCP304
BEARER_MODULE = "fastmcp.server.auth.providers.bearer"  # FMCP304
MIDDLEWARE_FOLKLORE = "fastmcp.middleware"  # FMCP502
OWNED_NAMES = frozenset({"BearerAuthProvider", "BaseMiddleware"})  # FMCP304, FMCP502


def _under(path: str, prefix: str) -> bool:
    return path == prefix or path.startswith(prefix + ".")


def owned_elsewhere(module: str, name: str | None = None) -> bool:
    """Is this import reported by a more specific rule (FMCP213/301/304/502/702)?"""
    full = module if name is None else f"{module}.{name}"
    if any(_under(full, p) for p in (AUTH_FOLKLORE, BEARER_MODULE, MIDDLEWARE_FOLKLORE)):
        return True
    if name in OWNED_NAMES:
        return True
    if module in ("fastmcp", "fastmcp.utilities") and name in MEDIA_TYPES:
        return True
    return module == "fastmcp" and name == "Icon"  # FMCP213


def _render_import(suggestion: ImportSuggestion) -> str:
    if suggestion.module is None:
        return suggestion.note
    if suggestion.name is None:
        text = f"`{suggestion.module}`"
    else:
        text = f"`from {suggestion.module} import {suggestion.name}`"
    return text + (f" ({suggestion.note})" if suggestion.note else "")


def available_in(module: str, name: str | None = None) -> str:
    """``; it exists in FastMCP 3.4.10 to 4.1.2`` (the dumped releases that have it)."""
    having = [
        release
        for release in dumped_releases()
        if (
            surface_for(release).has_module(module)
            if name is None
            else surface_for(release).has_name(module, name)
        )
    ]
    return f"; it exists in FastMCP {describe_releases(having)}" if having else ""


def _hint(suggestion: ImportSuggestion | None) -> str:
    if suggestion is None:
        return ""
    rendered = _render_import(suggestion)
    return f"; did you mean {rendered}?" if suggestion.module else f"; {rendered}"


def _same_names_there(
    names: Sequence[cst.ImportAlias],
    suggestions: Sequence[ImportSuggestion | None],
    module_suggestion: ImportSuggestion | None,
) -> bool:
    """Does every name live, under its own name, in the suggested module?"""
    if module_suggestion is None or module_suggestion.module is None:
        return False
    return all(
        s is not None and s.module == module_suggestion.module and s.name == dotted_name(a.name)
        for a, s in zip(names, suggestions, strict=True)
    )


def _names_hint(
    names: Sequence[cst.ImportAlias], suggestions: Sequence[ImportSuggestion | None]
) -> str:
    """One hint per name when the names went different ways."""
    parts = [
        f"`{dotted_name(alias.name)}`: {_render_import(suggestion)}"
        for alias, suggestion in zip(names, suggestions, strict=True)
        if suggestion is not None
    ]
    return "; " + "; ".join(parts) if parts else ""


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
    `ImportError`, their `except` fallbacks, and `if` blocks that test a version are
    version-compatibility code and are skipped, as are imports under
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
        for node in _imports(tree.body):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if _checked(alias.name) and _missing_module(surface, alias.name):
                        return True
            elif node.level == 0 and node.module and _checked(node.module):
                module = node.module
                if _missing_module(surface, module):
                    return True
                for alias in node.names:
                    if (
                        alias.name != "*"
                        and _is_public(alias.name)
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
            from fastmcp.server.providers import FileSystemProvider, SkillsDirectoryProvider as SkillsProvider

            skills = SkillsProvider(roots=["skills"])
            """,
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
    ]

    def __init__(self, context: RuleContext) -> None:
        super().__init__(context)
        self._surface: ApiSurface | None = None
        # `try`/`with`/`if` statements seen so far, judged (and their imports added to
        # `_guarded`) only when an import is about to be reported: nearly every
        # import exists, and walking every block for imports cost more than the rest.
        self._blocks: list[cst.Try | cst.With | cst.If] = []
        self._guarded: set[int] = set()

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
        """Is the import inside version-compatibility code? Every enclosing block was
        visited before the import, so judging the blocks seen so far is enough."""
        for block in self._blocks:
            self._guarded |= _guarded_imports(block)
        self._blocks.clear()
        return id(node) in self._guarded

    # -- imports ------------------------------------------------------------------------

    def visit_Import(self, node: cst.Import) -> None:
        for alias in node.names:
            module = dotted_name(alias.name) or ""
            if not _checked(module):
                continue
            missing = _missing_module(self.surface, module)
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
            hint = _hint(suggestion) or available_in(missing)
            self.report(alias, self._message(problem, hint), fix=fix)

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if node.relative or node.module is None:
            return
        module = dotted_name(node.module) or ""
        if not _checked(module):
            return
        missing = _missing_module(self.surface, module)
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
        hint = _hint(suggestion)
        if any(s is not None for s in suggestions) and not _same_names_there(
            names, suggestions, suggestion
        ):
            hint = _names_hint(names, suggestions)
        fix = None
        if names and all(s is not None and s.safe and s.module for s in suggestions):
            fix = self._move_fix(node, list(zip(names, suggestions, strict=True)), kept=[])
        elif isinstance(node.names, cst.ImportStar) and suggestion and suggestion.safe:
            fix = self._module_fix(node, suggestion)
        problem = f"Module `{missing}` does not exist"
        hint = hint or available_in(missing)
        self.report(node.module or node, self._message(problem, hint), fix=fix)

    def _report_missing_names(
        self, node: cst.ImportFrom, module: str, names: Iterable[cst.ImportAlias]
    ) -> None:
        names = list(names)
        missing = [
            alias
            for alias in names
            if _is_public(name := dotted_name(alias.name) or "")
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
            fix = self._move_fix(node, movable, kept)
        for alias, suggestion, error in flagged:
            name = dotted_name(alias.name) or ""
            problem = f"`{module}` has no `{name}`"
            hint = _hint(suggestion) if suggestion is not None or not error else f": {error}"
            hint = hint or available_in(module, name)
            self.report(alias, self._message(problem, hint), fix=fix)

    def _suggest(self, module: str, alias: cst.ImportAlias) -> ImportSuggestion | None:
        return self.surface.suggest_name(module, dotted_name(alias.name) or "")

    def _message(self, problem: str, hint: str) -> str:
        version = version_label(self.context.target, self.surface)
        return self.message.format(problem=problem, version=version, hint=hint)

    # -- fixes --------------------------------------------------------------------------

    def _module_fix(self, node: cst.ImportFrom, suggestion: ImportSuggestion) -> Fix | None:
        if suggestion.module is None:
            return None
        module = cst.parse_expression(suggestion.module)
        assert isinstance(module, (cst.Attribute, cst.Name))
        return Fix(
            f"Import from `{suggestion.module}`",
            replacements=((node, node.with_changes(module=module)),),
        )

    def _move_fix(
        self,
        node: cst.ImportFrom,
        moves: Sequence[tuple[cst.ImportAlias, ImportSuggestion | None]],
        kept: list[cst.ImportAlias],
    ) -> Fix:
        """Import each moved name from its new module (renamed classes keep their local
        name with ``as``); names that stay keep the statement."""
        groups: dict[str, list[cst.ImportAlias]] = {}
        for alias, suggestion in moves:
            assert suggestion is not None and suggestion.module is not None
            name = dotted_name(alias.name) or ""
            new_name = suggestion.name or name
            renamed = alias
            if new_name != name:
                local = alias.asname or cst.AsName(name=cst.Name(name))
                renamed = alias.with_changes(name=cst.Name(new_name), asname=local)
            groups.setdefault(suggestion.module, []).append(renamed)
        add: list[ImportSpec] = []
        own_module = dotted_name(node.module) if node.module is not None else None
        if own_module in groups:  # a rename inside the same module: stays in the statement
            kept = [*kept, *groups.pop(own_module)]
        if kept:
            statement = node.with_changes(names=_with_commas(kept, node.lpar is not None))
            rest = list(groups.items())
        else:
            first_module, first_names = next(iter(groups.items()))
            module = cst.parse_expression(first_module)
            assert isinstance(module, (cst.Attribute, cst.Name))
            statement = node.with_changes(
                module=module, names=_with_commas(first_names, node.lpar is not None)
            )
            rest = list(groups.items())[1:]
        for target, aliases in rest:
            for alias in aliases:
                bound = alias.asname.name if alias.asname is not None else None
                add.append(
                    ImportSpec(
                        target,
                        dotted_name(alias.name),
                        bound.value if isinstance(bound, cst.Name) else None,
                    )
                )
        return Fix(
            self.fix_title or "",
            Applicability.SAFE,
            replacements=((node, statement),),
            add_imports=tuple(add),
        )


def _with_commas(aliases: list[cst.ImportAlias], parenthesized: bool) -> list[cst.ImportAlias]:
    """The aliases as one import list, keeping their own commas (and layout) where they
    can stay: a comma after every alias but the last, which keeps one only inside
    parentheses."""
    last = len(aliases) - 1
    result = []
    for index, alias in enumerate(aliases):
        comma = alias.comma
        if index < last and not isinstance(comma, cst.Comma):
            comma = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
        elif index == last and not parenthesized:
            comma = cst.MaybeSentinel.DEFAULT
        result.append(alias.with_changes(comma=comma))
    return result


def _checked(module: str) -> bool:
    """Is ``import module`` / ``from module import ...`` this rule's to check?"""
    return _under(module, ROOT) and _is_public(module) and not owned_elsewhere(module)


def _missing_module(surface: ApiSurface, module: str) -> str | None:
    """The first missing module on the path to ``module`` (None: it exists)."""
    parts = module.split(".")
    for end in range(1, len(parts) + 1):
        prefix = ".".join(parts[:end])
        if not surface.has_module(prefix):
            return prefix
    return None


def _imports(statements: Iterable[ast.stmt]) -> Iterator[ast.Import | ast.ImportFrom]:
    """The import statements among ``statements`` and every block nested in them
    (imports are statements: expressions need no visit)."""
    for statement in statements:
        if isinstance(statement, (ast.Import, ast.ImportFrom)):
            yield statement
            continue
        for field in ("body", "orelse", "finalbody"):
            block = getattr(statement, field, None)
            if isinstance(block, list):
                yield from _imports(block)
        for part in (*getattr(statement, "handlers", ()), *getattr(statement, "cases", ())):
            yield from _imports(part.body)


def _guarded_imports(block: cst.Try | cst.With | cst.If) -> set[int]:
    """The ids of the imports a block makes version-compatibility code: the body and
    handlers of a `try` catching ImportError, the body of `with pytest.raises(...)`,
    both branches of an `if` testing a version; none for other blocks."""
    if isinstance(block, cst.Try):
        if any(catches_import_errors(handler) for handler in block.handlers):
            return imports_in([block.body, *block.handlers])
    elif isinstance(block, cst.With):
        if expects_an_error(block):
            return imports_in([block.body])
    elif mentions_version(block.test):
        blocks: list[cst.CSTNode] = [block.body]
        if block.orelse is not None:
            blocks.append(block.orelse)
        return imports_in(blocks)
    return set()


def _is_public(path: str) -> bool:
    return not any(part.startswith("_") for part in path.split("."))
