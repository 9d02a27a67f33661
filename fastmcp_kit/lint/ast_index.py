"""The nodes of a stdlib ``ast`` tree by type, collected in one walk per file.

Rules' tree pre-checks each look for a few node types (calls, imports, classes,
annotations). ``ast.walk`` over a large module costs about a millisecond per hundred
lines, and fifty pre-checks walking it again and again cost more than the libcst parse
they save; one shared walk makes each pre-check a scan of short lists.
"""

from __future__ import annotations

import ast
from typing import TypeVar

_Node = TypeVar("_Node", bound=ast.AST)
_ATTRIBUTE = "_fkit_nodes_by_type"
_ALL = "_fkit_all_nodes"


def nodes(tree: ast.AST, kind: type[_Node]) -> list[_Node]:
    """Every node of exactly type ``kind`` in ``tree`` (breadth-first, as ast.walk)."""
    index: dict[type[ast.AST], list[ast.AST]] | None = getattr(tree, _ATTRIBUTE, None)
    if index is None:
        index = {}
        for node in every_node(tree):
            index.setdefault(type(node), []).append(node)
        setattr(tree, _ATTRIBUTE, index)
    return index.get(kind, [])  # type: ignore[return-value]


def nodes_of(tree: ast.AST, *kinds: type[ast.AST]) -> list[ast.AST]:
    """Every node of any of ``kinds`` (exact types; list several for subclasses)."""
    found: list[ast.AST] = []
    for kind in kinds:
        found.extend(nodes(tree, kind))
    return found


def every_node(tree: ast.AST) -> list[ast.AST]:
    """Every node of ``tree`` in ``ast.walk`` order, walked once per tree: iterating a
    list is an order of magnitude cheaper than ``ast.walk``'s generators."""
    found: list[ast.AST] | None = getattr(tree, _ALL, None)
    if found is None:
        found = list(ast.walk(tree))
        setattr(tree, _ALL, found)
    return found
