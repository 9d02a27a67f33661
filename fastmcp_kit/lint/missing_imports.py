"""What FMCP308 (import-missing-in-target-version) knows about fastmcp imports:
which it checks, which other rules own, how it renders hints, and which imports
version-compatibility code guards."""

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
)
from fastmcp_kit.lint.names import dotted_name
from fastmcp_kit.lint.rule import Fix, ImportSpec
from fastmcp_kit.lint.version_compat import (
    catches_import_errors,
    expects_an_error,
    imports_in,
    mentions_version,
)
from fastmcp_kit.lint.violation import Applicability

ROOT = "fastmcp"
# Imports a more specific rule reports (with better advice); never reported here.
MEDIA_TYPES = frozenset({"Image", "Audio", "File"})  # FMCP301
AUTH_FOLKLORE = "fastmcp.auth"  # FMCP304
BEARER_MODULE = "fastmcp.server.auth.providers.bearer"  # FMCP304
MIDDLEWARE_FOLKLORE = "fastmcp.middleware"  # FMCP502
OWNED_NAMES = frozenset({"BearerAuthProvider", "BaseMiddleware"})  # FMCP304, FMCP502


def is_under(path: str, prefix: str) -> bool:
    return path == prefix or path.startswith(prefix + ".")


def owned_elsewhere(module: str, name: str | None = None) -> bool:
    """Is this import reported by a more specific rule (FMCP213/301/304/502/702)?"""
    full = module if name is None else f"{module}.{name}"
    if any(is_under(full, p) for p in (AUTH_FOLKLORE, BEARER_MODULE, MIDDLEWARE_FOLKLORE)):
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


def hint_for(suggestion: ImportSuggestion | None) -> str:
    if suggestion is None:
        return ""
    rendered = _render_import(suggestion)
    return f"; did you mean {rendered}?" if suggestion.module else f"; {rendered}"


def same_names_there(
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


def names_hint(
    names: Sequence[cst.ImportAlias], suggestions: Sequence[ImportSuggestion | None]
) -> str:
    """One hint per name when the names went different ways."""
    parts = [
        f"`{dotted_name(alias.name)}`: {_render_import(suggestion)}"
        for alias, suggestion in zip(names, suggestions, strict=True)
        if suggestion is not None
    ]
    return "; " + "; ".join(parts) if parts else ""


def with_commas(aliases: list[cst.ImportAlias], parenthesized: bool) -> list[cst.ImportAlias]:
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


def is_checked(module: str) -> bool:
    """Is ``import module`` / ``from module import ...`` this rule's to check?"""
    return is_under(module, ROOT) and is_public(module) and not owned_elsewhere(module)


def missing_module(surface: ApiSurface, module: str) -> str | None:
    """The first missing module on the path to ``module`` (None: it exists)."""
    parts = module.split(".")
    for end in range(1, len(parts) + 1):
        prefix = ".".join(parts[:end])
        if not surface.has_module(prefix):
            return prefix
    return None


def imports_of(statements: Iterable[ast.stmt]) -> Iterator[ast.Import | ast.ImportFrom]:
    """The import statements among ``statements`` and every block nested in them
    (imports are statements: expressions need no visit)."""
    for statement in statements:
        if isinstance(statement, (ast.Import, ast.ImportFrom)):
            yield statement
            continue
        for field in ("body", "orelse", "finalbody"):
            block = getattr(statement, field, None)
            if isinstance(block, list):
                yield from imports_of(block)
        for part in (*getattr(statement, "handlers", ()), *getattr(statement, "cases", ())):
            yield from imports_of(part.body)


def guarded_imports(block: cst.Try | cst.With | cst.If) -> set[int]:
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


def is_public(path: str) -> bool:
    return not any(part.startswith("_") for part in path.split("."))


def module_fix(node: cst.ImportFrom, suggestion: ImportSuggestion) -> Fix | None:
    """``from <new module> import *`` in place of a missing module."""
    if suggestion.module is None:
        return None
    module = cst.parse_expression(suggestion.module)
    assert isinstance(module, (cst.Attribute, cst.Name))
    return Fix(
        f"Import from `{suggestion.module}`",
        replacements=((node, node.with_changes(module=module)),),
    )


def move_fix(
    title: str,
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
        statement = node.with_changes(names=with_commas(kept, node.lpar is not None))
        rest = list(groups.items())
    else:
        first_module, first_names = next(iter(groups.items()))
        module = cst.parse_expression(first_module)
        assert isinstance(module, (cst.Attribute, cst.Name))
        statement = node.with_changes(
            module=module, names=with_commas(first_names, node.lpar is not None)
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
        title,
        Applicability.SAFE,
        replacements=((node, statement),),
        add_imports=tuple(add),
    )
