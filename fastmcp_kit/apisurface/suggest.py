""" "Did you mean": where a missing module, name or keyword really is, from the renames
table (:mod:`fastmcp_kit.apisurface.renames`), FastMCP's own hints and close names in the
dumps. :class:`~fastmcp_kit.apisurface.ApiSurface`'s ``suggest_*`` methods call these."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from fastmcp_kit.apisurface.renames import KEYWORD_RENAMES, MOVES, KeywordRename, Move

if TYPE_CHECKING:
    from fastmcp_kit.apisurface.surface import ApiSurface

__all__ = ["ImportSuggestion", "KeywordSuggestion"]


@dataclass(frozen=True)
class ImportSuggestion:
    """Where a missing module or name really is (in the target release)."""

    module: str | None  # None: nothing to import instead (see note)
    name: str | None = None  # the name to import from module; None for a module import
    note: str = ""
    # The replacement is the same object under another path, or the old path never
    # existed (folklore): rewriting the import cannot change behaviour.
    safe: bool = False

    def render(self) -> str:
        """``fastmcp.server.auth`` or ``fastmcp.server.auth.JWTVerifier`` (+ note)."""
        if self.module is None:
            return self.note
        target = self.module if self.name is None else f"{self.module}.{self.name}"
        return f"`{target}`" + (f" ({self.note})" if self.note else "")


@dataclass(frozen=True)
class KeywordSuggestion:
    keyword: str | None  # the keyword to use instead; None when there is none
    note: str = ""

    def render(self) -> str:
        if self.keyword is None:
            return self.note
        return f"`{self.keyword}=`" + (f" ({self.note})" if self.note else "")


def suggest_module(surface: ApiSurface, module: str) -> ImportSuggestion | None:
    """The real path of a module that does not exist (or None if it does or nothing
    close is known): the renames table first, then the closest module name."""
    if surface.has_module(module):
        return None
    move = suggest_move(surface, module, None)
    if move is not None:
        return move
    # A misspelt segment: compare the first missing one with its existing siblings
    # (whole dotted paths are too alike: fastmcp.client.tasks ~ fastmcp.client.roots).
    parts = module.split(".")
    for end in range(1, len(parts)):
        parent, segment = ".".join(parts[:end]), parts[end]
        if surface._recorded_module(f"{parent}.{segment}"):
            continue
        siblings = sorted(surface.children(parent))
        close = difflib.get_close_matches(segment, siblings, n=1, cutoff=0.8)
        if not close:
            return None
        fixed = ".".join([parent, close[0], *parts[end + 1 :]])
        return ImportSuggestion(
            fixed if surface._recorded_module(fixed) else f"{parent}.{close[0]}"
        )
    return None


def suggest_name(surface: ApiSurface, module: str, name: str) -> ImportSuggestion | None:
    """Where ``name`` is when ``from module import name`` fails (module may be missing
    too): the renames table, then the same class elsewhere, then a close name."""
    move = suggest_move(surface, module, name)
    if move is not None:
        return move
    elsewhere = [path for path in surface.classes_named(name) if not path.startswith("key_value")]
    if elsewhere:
        found_module, _, found_name = elsewhere[0].rpartition(".")
        return ImportSuggestion(found_module, found_name)
    if surface._recorded_module(module):
        # Typos only: a looser cutoff pairs different APIs (MiddlewarePhase/Middleware).
        close = difflib.get_close_matches(name, sorted(surface.names(module)), n=1, cutoff=0.9)
        if close:
            return ImportSuggestion(module, close[0])
    return None


def suggest_move(surface: ApiSurface, module: str, name: str | None) -> ImportSuggestion | None:
    for move in _moves_for(module, name):
        suggestion = _apply_move(surface, move, module, name)
        if suggestion is not None:
            return suggestion
    return None


def _apply_move(
    surface: ApiSurface, move: Move, module: str, name: str | None
) -> ImportSuggestion | None:
    if move.deprecated_in is not None and surface._reaches(move.deprecated_in):
        move = replace(
            move, note="; ".join(filter(None, (move.note, move.deprecation))), safe=False
        )
    if not move.new_modules:
        return ImportSuggestion(None, None, move.note)
    if move.external:  # outside fastmcp: not in the dumps, taken on the table's word
        return ImportSuggestion(move.new_modules[0], move.new_name or name, move.note, move.safe)
    for new_module in move.new_modules:
        target = new_module + module[len(move.old_module) :] if move.prefix else new_module
        if not surface._recorded_module(target):
            continue
        if name is None:
            return ImportSuggestion(target, None, move.note, move.safe)
        new_name = move.new_name or name
        if surface.has_name(target, new_name) is not False:
            return ImportSuggestion(target, new_name, move.note, move.safe)
    return None


def suggest_keyword(
    surface: ApiSurface, callable_name: str, keyword: str
) -> KeywordSuggestion | None:
    """A replacement for a keyword the callable does not accept: the renames table,
    FastMCP's own removal hints, then the closest accepted keyword."""
    signature = surface.signature(callable_name)
    canonical = signature.qualified_name if signature is not None else callable_name
    for rename in KEYWORD_RENAMES:
        if (
            rename.keyword == keyword
            and _callable_matches(rename, canonical)
            and (
                rename.new_keyword is None
                or (signature is not None and signature.accepts_keyword(rename.new_keyword))
            )
        ):
            return KeywordSuggestion(rename.new_keyword, rename.note)
    if signature is None:
        return None
    hint = signature.removed_kwargs.get(keyword)
    if hint:
        return KeywordSuggestion(None, hint)
    close = difflib.get_close_matches(keyword, signature.keyword_names, n=1, cutoff=0.85)
    return KeywordSuggestion(close[0]) if close else None


def _moves_for(module: str, name: str | None) -> Iterable[Move]:
    """Table entries for ``from module import name`` (name None: the module itself);
    name-specific entries first, then module-wide ones."""
    specific = [m for m in MOVES if m.old_name is not None and m.old_name == name]
    general = [m for m in MOVES if m.old_name is None]
    for move in (*specific, *general):
        exact = move.old_module in ("*", module)
        if exact or (move.prefix and module.startswith(move.old_module + ".")):
            yield move


def _callable_matches(rename: KeywordRename, canonical: str) -> bool:
    """``Context.get_state`` matches ``fastmcp.server.context.Context.get_state``."""
    return canonical == rename.callable or canonical.endswith("." + rename.callable)
