"""Cheap supersets of :mod:`fastmcp_kit.lint.names` on the stdlib ``ast``, for rules'
tree pre-checks (:meth:`Rule.may_apply_to_tree`).

Every answer here may say yes where ``names`` would say no, never the reverse: a
pre-check only decides whether a rule runs at all. Names are matched by their last
identifier (``fastmcp.server.FastMCP`` and ``FastMCP`` alike), through import
aliases and through classes the module derives from them.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable

from fastmcp_kit.lint.names import SERVER_CLASSES, SERVER_CLASSMETHODS, SERVER_FACTORIES

# Last identifiers of everything that builds a standalone server.
SERVER_CLASS_NAMES = frozenset(name.rpartition(".")[2] for name in SERVER_CLASSES)
SERVER_CONSTRUCTOR_NAMES = (
    SERVER_CLASS_NAMES
    | {name.rpartition(".")[2] for name in SERVER_FACTORIES}
    | SERVER_CLASSMETHODS
)


def last_identifier(node: ast.AST) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def local_names_for(tree: ast.Module, names: Iterable[str]) -> frozenset[str]:
    """``names``, plus import aliases of them and classes derived from them (any
    depth) anywhere in the module."""
    known = set(names)
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                if alias.asname and alias.name.rpartition(".")[2] in known:
                    known.add(alias.asname)
    classes = [node for node in ast.walk(tree) if isinstance(node, ast.ClassDef)]
    grew = True
    while grew:
        grew = False
        for cls in classes:
            if cls.name not in known and any(last_identifier(b) in known for b in cls.bases):
                known.add(cls.name)
                grew = True
    return frozenset(known)


def calls_any(tree: ast.Module, names: Iterable[str]) -> bool:
    """Whether some call's callee ends in one of ``names`` (or an alias/subclass)."""
    known = local_names_for(tree, names)
    return any(
        isinstance(node, ast.Call) and last_identifier(node.func) in known
        for node in ast.walk(tree)
    )


def annotates_with_any(tree: ast.Module, names: Iterable[str]) -> bool:
    """Whether some annotation (variables, parameters) mentions one of ``names``,
    string annotations included."""
    known = local_names_for(tree, names)
    for node in ast.walk(tree):
        annotation = node.annotation if isinstance(node, (ast.AnnAssign, ast.arg)) else None
        if annotation is None:
            continue
        for part in ast.walk(annotation):
            if last_identifier(part) in known:
                return True
            if (
                isinstance(part, ast.Constant)
                and isinstance(part.value, str)
                and any(name in part.value for name in known)
            ):
                return True
    return False


def may_build_server(tree: ast.Module) -> bool:
    """A superset of "the module binds or builds a standalone FastMCP server"."""
    return calls_any(tree, SERVER_CONSTRUCTOR_NAMES) or annotates_with_any(tree, SERVER_CLASS_NAMES)
