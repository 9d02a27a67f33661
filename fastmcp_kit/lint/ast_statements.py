"""Module-level statements read with the stdlib ``ast``, for the project rules' facts.

Every Python file owes FMCP101 and FMCP902 its imports and bindings, even when no
rule needs its concrete syntax tree; ``ast.parse`` costs about a quarter of a libcst
parse. Indexes and positions match libcst's: a line of ``a; b`` is one statement of
``Module.body`` there, and columns count characters, not UTF-8 bytes.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from fastmcp_kit.lint.ast_index import nodes
from fastmcp_kit.lint.violation import Location

# (module, relative level, names taken) of one import statement.
Imported = tuple[str, int, list[str]]

_COMPOUND: tuple[type[ast.stmt], ...] = (
    ast.If,
    ast.For,
    ast.AsyncFor,
    ast.While,
    ast.With,
    ast.AsyncWith,
    ast.Try,
    ast.FunctionDef,
    ast.AsyncFunctionDef,
    ast.ClassDef,
    ast.Match,
    *((ast.TryStar,) if hasattr(ast, "TryStar") else ()),
)
_NEWLINE = re.compile(r"\r\n|\r|\n")


def is_simple(statement: ast.stmt) -> bool:
    return not isinstance(statement, _COMPOUND)


def top_level(tree: ast.Module) -> Iterator[tuple[int, ast.stmt]]:
    """Each top-level statement with its index in libcst's ``Module.body``."""
    index = -1
    previous_end: int | None = None
    previous_simple = False
    for statement in tree.body:
        simple = is_simple(statement)
        # Two simple statements on one line (`a; b`) share one libcst statement line.
        if not (simple and previous_simple and statement.lineno == previous_end):
            index += 1
        previous_end, previous_simple = statement.end_lineno, simple
        yield index, statement


def imported(statement: ast.stmt) -> list[Imported]:
    """What an import statement loads; ``import a.b`` takes no names but runs ``a.b``,
    and so does a star import (it takes whatever is bound, never fails on a cycle)."""
    if isinstance(statement, ast.Import):
        return [(alias.name, 0, []) for alias in statement.names]
    if isinstance(statement, ast.ImportFrom):
        names = [a.name for a in statement.names if a.name != "*"]
        return [(statement.module or "", statement.level, names)]
    return []


def all_imports(tree: ast.Module) -> Iterator[ast.Import | ast.ImportFrom]:
    """Every import statement, at any depth, in source order."""
    found = nodes(tree, ast.Import) + nodes(tree, ast.ImportFrom)
    yield from sorted(found, key=lambda node: (node.lineno, node.col_offset))


def bound_names(statement: ast.stmt) -> set[str]:
    """Names a top-level statement binds (function and class bodies excluded); a star
    import binds ``*``."""
    names: set[str] = set()
    _bind(statement, names)
    return names


def _bind(node: ast.AST, names: set[str]) -> None:
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        names.add(node.name)
        return
    if isinstance(node, ast.Assign):
        for target in node.targets:
            _target(target, names)
    elif (isinstance(node, ast.AnnAssign) and node.value is not None) or isinstance(
        node, (ast.AugAssign, ast.For, ast.AsyncFor, ast.NamedExpr)
    ):
        _target(node.target, names)
    elif isinstance(node, ast.withitem) and node.optional_vars is not None:
        _target(node.optional_vars, names)
    elif isinstance(node, ast.ExceptHandler) and node.name:
        names.add(node.name)
    elif isinstance(node, ast.alias):
        # `*` stands for whatever a star import binds.
        names.add(node.asname or node.name.split(".")[0])
    for child in ast.iter_child_nodes(node):
        _bind(child, names)


def _target(node: ast.expr, names: set[str]) -> None:
    if isinstance(node, ast.Name):
        names.add(node.id)
    elif isinstance(node, (ast.Tuple, ast.List)):
        for element in node.elts:
            _target(element.value if isinstance(element, ast.Starred) else element, names)


class Positions:
    """1-based character positions of ast nodes (ast columns are UTF-8 byte offsets)."""

    def __init__(self, source: str) -> None:
        self.source = source
        self._lines: list[str] | None = None

    def _column(self, line: int, byte_offset: int) -> int:
        if self._lines is None:
            self._lines = _NEWLINE.split(self.source)
        text = self._lines[line - 1] if 0 < line <= len(self._lines) else ""
        if text.isascii():
            return byte_offset + 1
        return len(text.encode()[:byte_offset].decode("utf-8", "replace")) + 1

    def span(self, node: ast.stmt) -> tuple[Location, Location]:
        end_line = node.end_lineno or node.lineno
        return (
            Location(node.lineno, self._column(node.lineno, node.col_offset)),
            Location(end_line, self._column(end_line, node.end_col_offset or 0)),
        )
