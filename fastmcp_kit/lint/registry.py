"""Rule discovery and selection (``select`` / ``extend-select`` / ``ignore``)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from collections.abc import Iterable, Sequence
from functools import cache

from fastmcp_kit.errors import FkitError
from fastmcp_kit.lint.rule import BaseRule, Rule, TextRule

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


def select_rules(
    select: Sequence[str] | None,
    extend_select: Sequence[str] = (),
    ignore: Sequence[str] = (),
) -> list[type[BaseRule]]:
    """The enabled rules. Without ``select`` the default set (opt-in rules excluded);
    any explicit selector, ``ALL`` included, enables opt-in rules it matches."""
    rules = all_rules()
    codes = list(rules)
    _check_selectors([*(select or ()), *extend_select], codes, "select")
    _check_selectors(ignore, [*codes, *ENGINE_CODES], "ignore")
    if select is None:
        chosen = {code for code, rule in rules.items() if rule.default_enabled}
    else:
        chosen = {code for code in codes if any(_matches(s, code) for s in select)}
    chosen |= {code for code in codes if any(_matches(s, code) for s in extend_select)}
    chosen -= {code for code in codes if any(_matches(s, code) for s in ignore)}
    return [rules[code] for code in codes if code in chosen]


def code_matches(selectors: Iterable[str], code: str) -> bool:
    return any(_matches(selector, code) for selector in selectors)
