"""Replace nodes by rebuilding only their ancestors.

A libcst transform rebuilds every node of the module to replace one; a finding's fix
preview (the edits shown in JSON and SARIF output) needs the fixed code of one fix at
a time, which made previews cost more than linting the file (bench/FINDINGS.md). The
unchanged subtrees are immutable, so the new module can share them: only the path
from the root to each replaced node is rebuilt (with ``with_changes``, which validates
like a transform does).
"""

from __future__ import annotations

from collections.abc import Mapping

import libcst as cst

from fastmcp_kit.lint.walk import child_fields, children


def replace_nodes(module: cst.Module, replacements: Mapping[int, cst.CSTNode]) -> cst.Module | None:
    """``module`` with each node whose ``id`` is a key swapped for its value, or None
    when this shortcut does not apply (a node not found, replaced nodes nested in one
    another, a field libcst's field order does not cover) and a transform must do it."""
    if id(module) in replacements:
        if len(replacements) > 1:
            return None
        replaced = replacements[id(module)]
        return replaced if isinstance(replaced, cst.Module) else None
    parents: dict[int, cst.CSTNode] = {}
    depth: dict[int, int] = {}
    found: list[cst.CSTNode] = []
    _find(module, replacements, parents, depth, found, 0)
    if len(found) != len(replacements):
        return None
    # Every ancestor of a replaced node, deepest first, gets rebuilt once.
    rebuilt: dict[int, cst.CSTNode] = dict(replacements)
    pending: dict[int, cst.CSTNode] = {}
    for node in found:
        parent = parents[id(node)]
        while True:
            if id(parent) in replacements:
                return None  # nested replacements: the transform's outer-wins rule
            pending[id(parent)] = parent
            if parent is module:
                break
            parent = parents[id(parent)]
    for parent in sorted(pending.values(), key=lambda node: -depth[id(node)]):
        new = _with_children(parent, rebuilt)
        if new is None:
            return None
        rebuilt[id(parent)] = new
    result = rebuilt[id(module)]
    return result if isinstance(result, cst.Module) else None


def _find(
    node: cst.CSTNode,
    wanted: Mapping[int, cst.CSTNode],
    parents: dict[int, cst.CSTNode],
    depth: dict[int, int],
    found: list[cst.CSTNode],
    level: int,
) -> None:
    depth[id(node)] = level
    for child in children(node):
        parents[id(child)] = node
        if id(child) in wanted:
            found.append(child)
            depth[id(child)] = level + 1
        else:
            _find(child, wanted, parents, depth, found, level + 1)


def _with_children(node: cst.CSTNode, rebuilt: Mapping[int, cst.CSTNode]) -> cst.CSTNode | None:
    fields = child_fields(type(node))
    if fields is None:
        return None
    changes: dict[str, object] = {}
    for name in fields:
        value = getattr(node, name)
        if isinstance(value, cst.CSTNode) and id(value) in rebuilt:
            changes[name] = rebuilt[id(value)]
        elif isinstance(value, (tuple, list)) and any(id(item) in rebuilt for item in value):
            items = [rebuilt.get(id(item), item) for item in value]
            changes[name] = tuple(items) if isinstance(value, tuple) else items
    return node.with_changes(**changes) if changes else None
