"""Rule discovery and selection (``select`` / ``extend-select`` / ``ignore``).

Importing this module imports no rule (nor libcst): a fully cached run selects
rules by code from the rule index and never needs the classes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from typing import TYPE_CHECKING

from fastmcp_kit.errors import FkitError

if TYPE_CHECKING:
    from fastmcp_kit.lint.rule import BaseRule

CODE_PATTERN = re.compile(r"FMCP\d{3}")
# Findings the engine itself makes; always reported, never selectable.
UNPARSABLE_FILE = "FMCP001"
INTERNAL_ERROR = "FMCP002"
ENGINE_CODES = {
    UNPARSABLE_FILE: ("unparsable-file", "The file cannot be decoded or parsed as Python."),
    INTERNAL_ERROR: ("internal-error", "A rule crashed on this file; please report it."),
}


@cache
def all_rules() -> dict[str, type[BaseRule]]:
    """Every rule shipped in ``fastmcp_kit.rules``, by code, in code order."""
    import importlib
    import inspect
    import pkgutil

    from fastmcp_kit.lint.rule import BaseRule, Rule, TextRule

    package = importlib.import_module("fastmcp_kit.rules")
    found: dict[str, type[BaseRule]] = {}
    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        for _, obj in inspect.getmembers(module, inspect.isclass):
            if (
                issubclass(obj, BaseRule)
                and obj not in (BaseRule, Rule, TextRule)
                and obj.__module__ == module.__name__
            ):
                if obj.code in found:
                    raise RuntimeError(f"duplicate rule code {obj.code}")
                found[obj.code] = obj
    return dict(sorted(found.items()))


def _matches(selector: str, code: str) -> bool:
    return selector == "ALL" or code.startswith(selector)


def _check_selectors(selectors: Iterable[str], codes: Sequence[str], origin: str) -> None:
    for selector in selectors:
        if not any(_matches(selector, code) for code in codes):
            raise FkitError(f"{origin}: {selector!r} matches no rule code")


def check_named_selectors(
    codes: Sequence[str], named: Iterable[tuple[str, Sequence[str], bool]]
) -> None:
    """Each ``(origin, selectors, ignoring)`` names known codes (``ignoring`` also
    allows the engine's codes); an error names the origin (an option, or the file
    and key of a setting) and the selector."""
    ignorable = [*codes, *ENGINE_CODES]
    for origin, selectors, ignoring in named:
        _check_selectors(selectors, ignorable if ignoring else codes, origin)


def select_codes(
    defaults: Mapping[str, bool],
    select: Sequence[str] | None,
    extend_select: Sequence[str] = (),
    ignore: Sequence[str] = (),
) -> list[str]:
    """The enabled rule codes, from every code and whether it is on by default.
    Without ``select`` the default set (opt-in rules excluded); any explicit
    selector, ``ALL`` included, enables opt-in rules it matches."""
    codes = list(defaults)
    _check_selectors([*(select or ()), *extend_select], codes, "select")
    _check_selectors(ignore, [*codes, *ENGINE_CODES], "ignore")
    if select is None:
        chosen = {code for code, enabled in defaults.items() if enabled}
    else:
        chosen = {code for code in codes if any(_matches(s, code) for s in select)}
    chosen |= {code for code in codes if any(_matches(s, code) for s in extend_select)}
    chosen -= {code for code in codes if any(_matches(s, code) for s in ignore)}
    return [code for code in codes if code in chosen]


def select_rules(
    select: Sequence[str] | None,
    extend_select: Sequence[str] = (),
    ignore: Sequence[str] = (),
) -> list[type[BaseRule]]:
    """The enabled rule classes (see :func:`select_codes`)."""
    rules = all_rules()
    defaults = {code: rule.default_enabled for code, rule in rules.items()}
    return [rules[code] for code in select_codes(defaults, select, extend_select, ignore)]


def code_matches(selectors: Iterable[str], code: str) -> bool:
    return any(_matches(selector, code) for selector in selectors)
