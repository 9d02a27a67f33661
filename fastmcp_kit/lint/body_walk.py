"""Collecting nodes of a subtree.

``direct_nodes`` keeps to what runs *directly* in a function's body: not nested
functions, lambdas or classes (code there runs only when something calls it, maybe in
a thread). ``all_nodes`` takes everything.
"""

from __future__ import annotations

from typing import TypeVar

import libcst as cst

from fastmcp_kit.lint.walk import is_token_type, walk

_Node = TypeVar("_Node", bound=cst.CSTNode)


class _Collect(cst.CSTVisitor):
    def __init__(self, kind: type[cst.CSTNode]) -> None:
        super().__init__()
        self.kind = kind
        self.found: list[cst.CSTNode] = []

    def on_visit(self, node: cst.CSTNode) -> bool:
        if isinstance(node, self.kind):
            self.found.append(node)
        return not isinstance(node, (cst.FunctionDef, cst.Lambda, cst.ClassDef))


def direct_nodes(function: cst.FunctionDef, kind: type[_Node]) -> list[_Node]:
    """Every ``kind`` node in ``function``'s body, outside nested scopes."""
    collector = _Collect(kind)
    walk(function.body, collector, tokens=is_token_type(kind))
    return [node for node in collector.found if isinstance(node, kind)]


def every_direct_node(function: cst.FunctionDef) -> list[cst.CSTNode]:
    """Every node in ``function``'s body outside nested scopes, in source order."""
    collector = _Collect(cst.CSTNode)  # type: ignore[type-abstract]  # any node matches
    walk(function.body, collector)
    return collector.found


class _CollectAll(cst.CSTVisitor):
    def __init__(self, kind: type[cst.CSTNode]) -> None:
        super().__init__()
        self.kind = kind
        self.found: list[cst.CSTNode] = []

    def on_visit(self, node: cst.CSTNode) -> bool:
        if isinstance(node, self.kind):
            self.found.append(node)
        return True


def all_nodes(root: cst.CSTNode, kind: type[_Node]) -> list[_Node]:
    """Every ``kind`` node under ``root`` (``root`` included), nested scopes too."""
    collector = _CollectAll(kind)
    walk(root, collector, tokens=is_token_type(kind))
    return [node for node in collector.found if isinstance(node, kind)]
