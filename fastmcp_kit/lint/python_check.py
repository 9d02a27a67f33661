"""CPython's own verdict on a file, before libcst sees it.

libcst's native parser overflows its stack (a segfault that takes the whole run down)
on input CPython refuses outright, such as thousands of nested parentheses, and its
Python visitors hit the recursion limit on deep but valid code. CPython's compiler
also rejects code every parser accepts: ``return`` outside a function, duplicate
argument names, ``nonlocal`` at module level. ``compile`` answers all of this, and
costs a small fraction of a libcst parse (it builds no Python objects).
"""

from __future__ import annotations

import ast
import re
import warnings
from dataclasses import dataclass

# CPython's tokenizer refuses more than 200 open brackets; libcst parses further and
# overflows its stack some way beyond. A file CPython rejects is not handed to libcst
# when its brackets nest this deep, whatever error CPython reported first.
MAX_BRACKET_DEPTH = 200
# SyntaxError messages about the interpreter's limits, not about grammar: no newer
# Python accepts such code either, and libcst must not try.
_LIMIT_MESSAGES = ("too many nested", "too many levels", "too many statically", "too complex")
_BRACKETS = re.compile(r"[()\[\]{}]")
TOO_DEEP = "file too deeply nested to analyse"


@dataclass(frozen=True)
class Rejection:
    """Why the file is not linted: a message, and where CPython points."""

    message: str
    row: int = 1
    column: int = 1


def check_python(source: str, path: str) -> Rejection | None:
    """None when libcst may parse ``source``; else the FMCP001 finding to report.

    A parse error CPython reports is left to libcst (which may know a newer grammar
    than the running interpreter), unless it is about nesting limits or the brackets
    nest deeper than any CPython accepts. Errors the compiler finds in code that
    parses (``return`` outside a function, ...) are reported here.
    """
    try:
        with warnings.catch_warnings():
            # Invalid escape sequences and the like: the user's interpreter warns.
            warnings.simplefilter("ignore")
            compile(source, path, "exec", dont_inherit=True)
    except (RecursionError, MemoryError):
        return Rejection(f"{TOO_DEEP} (CPython's compiler gives up too)")
    except ValueError:  # null bytes on Python < 3.12: libcst reports them
        return None
    except SyntaxError as error:
        message = f"syntax error: {error.msg}"
        row, column = error.lineno or 1, error.offset or 1
        if any(limit in error.msg for limit in _LIMIT_MESSAGES):
            return Rejection(message, row, column)
        if bracket_depth(source) > MAX_BRACKET_DEPTH:
            return Rejection(message, row, column)
        if _parses(source):  # the grammar is fine: the compiler refused it
            return Rejection(message, row, column)
    return None


def bracket_depth(source: str) -> int:
    """The deepest bracket nesting, counting brackets in strings and comments too (an
    overestimate is harmless: it is asked only of code CPython refused)."""
    depth = deepest = 0
    for match in _BRACKETS.finditer(source):
        if match.group() in "([{":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth = max(depth - 1, 0)
    return deepest


def _parses(source: str) -> bool:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True
