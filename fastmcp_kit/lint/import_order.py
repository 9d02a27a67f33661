"""Imports where isort puts them.

libcst's ``AddImportsVisitor`` adds what a fix or codemod needs (and extends an
existing ``from`` import), but appends new statements after the last import and new
names at the front of a ``from`` import, so ``ruff check --select I`` fails after
``fkit lint --fix``. :func:`tidy_imports` is the placement step that follows it: each
import statement of the module's leading import block that fkit added or changed
moves to its place under ruff's default isort settings (sections future, standard
library, third party, first party, local; ``import x`` before ``from x import y``;
modules and names sorted case-insensitively, constants then classes then the rest),
with one blank line between sections. Statements fkit did not touch keep their order.
"""

from __future__ import annotations

import bisect
import sys
from collections.abc import Sequence

import libcst as cst

_SECTIONS = ("future", "stdlib", "third", "first", "local")
_STDLIB = frozenset(sys.stdlib_module_names)
_EMPTY = cst.Module(body=())


def is_import_line(statement: cst.CSTNode) -> bool:
    return (
        isinstance(statement, cst.SimpleStatementLine)
        and len(statement.body) == 1
        and isinstance(statement.body[0], (cst.Import, cst.ImportFrom))
    )


def _text(statement: cst.BaseStatement) -> str:
    """A statement's code without the blank lines and comments above it."""
    assert isinstance(statement, cst.SimpleStatementLine)
    return _EMPTY.code_for_node(statement.with_changes(leading_lines=()))


def _module_name(node: cst.Import | cst.ImportFrom) -> tuple[str, int]:
    """(dotted module name, relative level) of an import statement's first module."""
    if isinstance(node, cst.Import):
        return _EMPTY.code_for_node(node.names[0].name), 0
    name = "" if node.module is None else _EMPTY.code_for_node(node.module)
    return name, len(node.relative)


def _section(name: str, level: int, first_party: frozenset[str]) -> int:
    top = name.split(".")[0]
    if level:
        return _SECTIONS.index("local")
    if top == "__future__":
        return _SECTIONS.index("future")
    if top in _STDLIB:
        return _SECTIONS.index("stdlib")
    return _SECTIONS.index("first" if top in first_party else "third")


def _key(
    statement: cst.BaseStatement, first_party: frozenset[str]
) -> tuple[int, int, str, tuple[str, ...]]:
    """Section, ``import`` before ``from``, module, then (for two statements of one
    module) the first name and its alias."""
    assert isinstance(statement, cst.SimpleStatementLine)
    node = statement.body[0]
    assert isinstance(node, (cst.Import, cst.ImportFrom))
    name, level = _module_name(node)
    straight = 0 if isinstance(node, cst.Import) else 1
    first = node.names[0] if not isinstance(node.names, cst.ImportStar) else None
    member: tuple[str, ...] = ()
    if first is not None:
        alias = "" if first.asname is None else _EMPTY.code_for_node(first.asname.name)
        member = (*map(str, _member_key(first)), alias)
    return _section(name, level, first_party), straight, "." * level + name.lower(), member


def _member_key(alias: cst.ImportAlias) -> tuple[int, str, str]:
    """ruff's ``order-by-type``: CONSTANTS, then Classes, then everything else."""
    name = _EMPTY.code_for_node(alias.name)
    kind = 0 if name.isupper() and len(name) > 1 else 1 if name[:1].isupper() else 2
    return kind, name.lower(), name


def _sorted_names(statement: cst.BaseStatement) -> cst.BaseStatement:
    """A one-line ``from`` import fkit changed, its names in isort order."""
    assert isinstance(statement, cst.SimpleStatementLine)
    node = statement.body[0]
    if (
        not isinstance(node, cst.ImportFrom)
        or isinstance(node.names, cst.ImportStar)
        or node.lpar is not None
    ):
        return statement
    names = sorted(node.names, key=_member_key)
    comma = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
    rebuilt = [
        alias.with_changes(comma=comma if i < len(names) - 1 else cst.MaybeSentinel.DEFAULT)
        for i, alias in enumerate(names)
    ]
    return statement.with_changes(body=[node.with_changes(names=rebuilt)])


def _split_aliases(statement: cst.BaseStatement) -> list[cst.BaseStatement]:
    """A one-line ``from`` import fkit changed, split as isort writes it: the plain
    names in one statement, each ``name as alias`` in its own."""
    if not isinstance(statement, cst.SimpleStatementLine):
        return [statement]
    node = statement.body[0]
    if not isinstance(node, cst.ImportFrom) or isinstance(node.names, cst.ImportStar):
        return [statement]
    plain = [alias for alias in node.names if alias.asname is None]
    aliased = [alias for alias in node.names if alias.asname is not None]
    if node.lpar is not None or not aliased or len(node.names) == 1:
        return [statement]
    groups = ([plain] if plain else []) + [[alias] for alias in aliased]
    end = cst.MaybeSentinel.DEFAULT
    return [
        statement.with_changes(
            body=[node.with_changes(names=[*group[:-1], group[-1].with_changes(comma=end)])]
        )
        for group in groups
    ]


def _plain_from(statement: cst.BaseStatement) -> cst.ImportFrom | None:
    """The ``from`` import of a one-line statement without aliases or parentheses:
    one isort would merge with another of the same module."""
    if not isinstance(statement, cst.SimpleStatementLine):
        return None
    node = statement.body[0]
    if (
        not isinstance(node, cst.ImportFrom)
        or isinstance(node.names, cst.ImportStar)
        or node.lpar is not None
        or any(alias.asname is not None for alias in node.names)
    ):
        return None
    return node


def _merge_target(
    kept: Sequence[cst.BaseStatement], statement: cst.BaseStatement
) -> cst.BaseStatement | None:
    new = _plain_from(statement)
    if new is None:
        return None
    for candidate in kept:
        old = _plain_from(candidate)
        if old is not None and _module_name(old) == _module_name(new):
            return candidate
    return None


def _merged(into: cst.BaseStatement, statement: cst.BaseStatement) -> cst.BaseStatement:
    old, new = _plain_from(into), _plain_from(statement)
    assert isinstance(into, cst.SimpleStatementLine) and old is not None and new is not None
    assert not isinstance(old.names, cst.ImportStar) and not isinstance(new.names, cst.ImportStar)
    have = {_EMPTY.code_for_node(alias.name) for alias in old.names}
    extra = [alias for alias in new.names if _EMPTY.code_for_node(alias.name) not in have]
    return into.with_changes(body=[old.with_changes(names=[*old.names, *extra])])


def import_block(body: Sequence[cst.BaseStatement]) -> tuple[int, int]:
    """[start, end) of the leading import block: after an optional docstring, the
    run of one-import lines (a ``try:`` or ``if TYPE_CHECKING:`` block ends it)."""
    start = 0
    if body and not is_import_line(body[0]):
        first = body[0]
        docstring = (
            isinstance(first, cst.SimpleStatementLine)
            and len(first.body) == 1
            and isinstance(first.body[0], cst.Expr)
            and isinstance(first.body[0].value, (cst.SimpleString, cst.ConcatenatedString))
        )
        start = 1 if docstring else 0
    end = start
    while end < len(body) and is_import_line(body[end]):
        end += 1
    return start, end


def tidy_imports(
    original: cst.Module, changed: cst.Module, first_party: frozenset[str] = frozenset()
) -> cst.Module:
    """``changed`` with the leading-block imports that are not in ``original`` (added
    or rewritten by fkit) placed and sorted as isort would; ``first_party``: the
    project's own top-level modules."""
    before = {_text(s) for s in original.body if is_import_line(s)}
    body = list(changed.body)
    start, end = import_block(body)
    block = body[start:end]
    moved = [s for s in block if _text(s) not in before]
    if not moved:
        return changed
    # Blank lines and comments above the block stay above it, whatever comes first;
    # other comments move with their statement, as isort moves them.
    head_lines = block[0].leading_lines
    own = {id(s): (() if s is block[0] else s.leading_lines) for s in block}
    kept: list[cst.BaseStatement] = [s for s in block if _text(s) in before]
    keys = [_key(s, first_party) for s in kept]
    parts: list[cst.BaseStatement] = []
    for changed_line in moved:
        split = _split_aliases(changed_line)
        own.update(
            {id(part): own[id(changed_line)] if i == 0 else () for i, part in enumerate(split)}
        )
        parts += split
    for statement in parts:
        into = _merge_target(kept, statement)
        if into is not None:
            # isort keeps one `from m import ...` per module: the names join it.
            at = kept.index(into)
            kept[at] = _sorted_names(_merged(into, statement))
            own[id(kept[at])] = own[id(into)]
            continue
        tidied = _sorted_names(statement)
        own[id(tidied)] = own[id(statement)]
        key = _key(tidied, first_party)
        at = bisect.bisect_right(keys, key)
        kept.insert(at, tidied)
        keys.insert(at, key)
    placed: list[cst.BaseStatement] = []
    for i, item in enumerate(kept):
        comments = [line for line in own[id(item)] if line.comment is not None]
        if i == 0:
            lines = [*head_lines, *comments]
        else:
            # ruff sets a new section, and a comment over an import, off by a blank line.
            apart = keys[i][0] != keys[i - 1][0] or bool(comments)
            lines = [cst.EmptyLine()] * apart + comments
        assert isinstance(item, cst.SimpleStatementLine)
        placed.append(item.with_changes(leading_lines=lines))
    return changed.with_changes(body=[*body[:start], *placed, *body[end:]])
