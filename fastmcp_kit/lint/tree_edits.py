"""Fixes that change several places at once, as one module-root replacement.

Written when the engine applied a fix's replacements one ``deep_replace`` at a time
(``deep_replace`` rebuilds every node, so only the first replacement found its
node). Since eee749e the engine applies all replacements of a pass in one transform,
so rules can list several (old, new) pairs directly; this helper is kept for callers
that still want an all-or-nothing edit of the module.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar, cast

import libcst as cst

_Node = TypeVar("_Node", bound=cst.CSTNode)


class _ReplaceByIdentity(cst.CSTTransformer):
    def __init__(self, replacements: Sequence[tuple[cst.CSTNode, cst.CSTNode]]) -> None:
        super().__init__()
        self.replacements = {id(old): new for old, new in replacements}

    def on_leave(
        self, original_node: _Node, updated_node: _Node
    ) -> _Node | cst.RemovalSentinel | cst.FlattenSentinel[_Node]:
        return cast(_Node, self.replacements.get(id(original_node), updated_node))


def replace_many(
    module: cst.Module, replacements: Sequence[tuple[cst.CSTNode, cst.CSTNode]]
) -> tuple[tuple[cst.CSTNode, cst.CSTNode], ...]:
    """Fix replacements that apply every (old, new) pair of ``module`` together.

    With one pair this is just that pair; with several it is one replacement of the
    module root. Replaced nodes must not contain each other.
    """
    if len(replacements) <= 1:
        return tuple(replacements)
    return ((module, module.visit(_ReplaceByIdentity(replacements))),)
