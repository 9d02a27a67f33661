"""Import moves and renames, the bread and butter of the upgrade.

:class:`ImportMover` is the base of every codemod whose change is "this name now lives
in that module (under that name)". It rewrites, in place:

* ``from old import A, B as C``: the statement itself when every name moves to the same
  module; otherwise the moved names leave it for a new statement right below;
* uses of a renamed name imported without ``as`` (scope analysis finds the uses that
  really refer to the import);
* ``import old`` / ``import old as x`` for whole-module moves;
* attribute chains such as ``fastmcp.Image`` (``import fastmcp``), which become the new
  dotted path plus an ``import new.module``;
* imports still queued by earlier codemods of the same run.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

import libcst as cst
from libcst.codemod.visitors import AddImportsVisitor
from libcst.metadata import ParentNodeProvider, ScopeProvider

from fastmcp_kit.lint.names import dotted_name
from fastmcp_kit.upgrade.codemod import Codemod
from fastmcp_kit.upgrade.cstutil import dotted


@dataclass(frozen=True)
class Move:
    """``from old_module import old_name`` becomes ``from new_module import new_name``.

    ``old_name`` None moves every name of the module (and ``import old_module``).
    ``new_name`` None keeps the name. ``keep_alias``: import ``new_name as old_name``
    instead of renaming the uses (``SDKTool`` stays ``SDKTool``, which ``Tool`` from
    ``mcp.types`` would shadow or be shadowed by).
    """

    old_module: str
    old_name: str | None
    new_module: str
    new_name: str | None = None
    keep_alias: bool = False

    def target(self, name: str) -> tuple[str, str]:
        return self.new_module, self.new_name or name


def _module_text(node: cst.ImportFrom) -> str | None:
    if node.relative or node.module is None:
        return None
    return dotted_name(node.module)


class ImportMover(Codemod):
    """Base class: subclasses list their :class:`Move` entries in ``MOVES``."""

    MOVES: ClassVar[tuple[Move, ...]]
    METADATA_DEPENDENCIES = (ParentNodeProvider, ScopeProvider)

    def find_move(self, module: str, name: str | None) -> Move | None:
        for move in self.MOVES:
            if move.old_module == module and move.old_name is not None and move.old_name == name:
                return move
        for move in self.MOVES:
            if move.old_module == module and move.old_name is None:
                return move
        return None

    # -- setup: renamed references and queued imports ---------------------------------------

    def visit_Module(self, node: cst.Module) -> bool:
        self._renames: dict[int, str] = {}
        self._remap_queue()
        return super().visit_Module(node)

    def _remap_queue(self) -> None:
        queued = self.context.scratch.get(AddImportsVisitor.CONTEXT_KEY)
        if not queued:
            return
        remapped = []
        for item in queued:
            if item.obj_name is None:
                move = self.find_move(item.module_name, None)
                if move is not None and move.old_name is None:
                    item = type(item)(move.new_module, None, item.alias, item.relative)
            else:
                move = self.find_move(item.module_name, item.obj_name)
                if move is not None:
                    module, name = move.target(item.obj_name)
                    alias = item.alias
                    if alias is None and move.keep_alias and name != item.obj_name:
                        alias = item.obj_name
                    alias = alias if alias != name else None
                    item = type(item)(module, name, alias, item.relative)
                    self.rewrote()
            remapped.append(item)
        self.context.scratch[AddImportsVisitor.CONTEXT_KEY] = remapped

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        module = _module_text(node)
        if module is None or isinstance(node.names, cst.ImportStar):
            return False
        for alias in node.names:
            name = dotted_name(alias.name)
            move = self.find_move(module, name) if name else None
            if move is None or name is None or alias.asname is not None or move.keep_alias:
                continue
            new_name = move.target(name)[1]
            if new_name != name:
                self._rename_uses(node, name, new_name)
        return False

    def _rename_uses(self, statement: cst.ImportFrom, name: str, new_name: str) -> None:
        try:
            scope = self.get_metadata(ScopeProvider, statement)
        except KeyError:
            return
        if scope is None:
            return
        for assignment in scope.assignments[name]:
            if getattr(assignment, "node", None) is not statement:
                continue
            for access in assignment.references:
                if isinstance(access.node, cst.Name):
                    self._renames[id(access.node)] = new_name

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.Name:
        new = self._renames.get(id(original_node))
        return updated_node if new is None else updated_node.with_changes(value=new)

    # -- from-imports -----------------------------------------------------------------------

    def leave_SimpleStatementLine(
        self, original_node: cst.SimpleStatementLine, updated_node: cst.SimpleStatementLine
    ) -> cst.SimpleStatementLine | cst.FlattenSentinel[cst.SimpleStatementLine]:
        body: list[cst.BaseSmallStatement] = []
        extra: list[cst.SimpleStatementLine] = []
        changed = False
        for small in updated_node.body:
            if isinstance(small, cst.ImportFrom):
                kept, added = self._move_from_import(small)
                changed = changed or kept is not small or bool(added)
                if kept is not None:
                    body.append(kept)
                extra.extend(cst.SimpleStatementLine(body=[stmt]) for stmt in added)
            elif isinstance(small, cst.Import):
                moved = self._move_import(small)
                changed = changed or moved is not small
                body.append(moved)
            else:
                body.append(small)
        if not changed:
            return updated_node
        if not body:
            if not extra:
                return updated_node
            first = extra[0].with_changes(leading_lines=updated_node.leading_lines)
            return cst.FlattenSentinel([first, *extra[1:]])
        body[-1] = body[-1].with_changes(semicolon=cst.MaybeSentinel.DEFAULT)
        line = updated_node.with_changes(body=body)
        return cst.FlattenSentinel([line, *extra]) if extra else line

    def _move_from_import(
        self, node: cst.ImportFrom
    ) -> tuple[cst.ImportFrom | None, list[cst.ImportFrom]]:
        module = _module_text(node)
        if module is None or isinstance(node.names, cst.ImportStar):
            return node, []
        kept: list[cst.ImportAlias] = []
        moved: dict[str, list[cst.ImportAlias]] = {}
        renames = 0
        for alias in node.names:
            name = dotted_name(alias.name)
            move = self.find_move(module, name) if name else None
            if move is None or name is None:
                kept.append(alias)
                continue
            new_module, new_name = move.target(name)
            asname = alias.asname
            if asname is None and move.keep_alias and new_name != name:
                asname = cst.AsName(name=cst.Name(name))
            if asname is not None and dotted_name(asname.name) == new_name:
                asname = None
            renamed = alias.with_changes(name=cst.Name(new_name), asname=asname)
            if new_module == module:
                kept.append(renamed)
                renames += 1
            else:
                moved.setdefault(new_module, []).append(renamed)
        if renames:
            self.rewrote(renames)
        if not moved:
            return (node.with_changes(names=kept) if renames else node), []
        self.rewrote(sum(len(aliases) for aliases in moved.values()))
        if not kept and len(moved) == 1:
            ((new_module, aliases),) = moved.items()
            return node.with_changes(module=dotted(new_module), names=aliases), []
        added = [
            cst.ImportFrom(module=dotted(new_module), names=_plain(aliases))
            for new_module, aliases in moved.items()
        ]
        if not kept:
            return None, added
        last_comma = node.names[-1].comma
        kept[-1] = kept[-1].with_changes(comma=last_comma)
        return node.with_changes(names=kept), added

    def _move_import(self, node: cst.Import) -> cst.Import:
        names = []
        changed = False
        for alias in node.names:
            module = dotted_name(alias.name)
            move = self.find_move(module, None) if module else None
            if move is not None and move.old_name is None:
                alias = alias.with_changes(name=dotted(move.new_module))
                changed = True
            names.append(alias)
        if not changed:
            return node
        self.rewrote()
        return node.with_changes(names=names)

    # -- attribute chains -------------------------------------------------------------------

    def leave_Attribute(
        self, original_node: cst.Attribute, updated_node: cst.Attribute
    ) -> cst.BaseExpression:
        qualified = self.names.qualified_name(original_node)
        if qualified is None or "." not in qualified:
            return updated_node
        module, _, name = qualified.rpartition(".")
        move = self.find_move(module, name)
        if move is None or move.old_name is None:
            return updated_node
        written = dotted_name(original_node)
        head = written.split(".")[0] if written else ""
        if self.names.aliases.get(head) != "fastmcp" or not move.new_module.startswith("fastmcp"):
            return updated_node
        new_module, new_name = move.target(name)
        self.add_import(new_module)
        self.rewrote()
        return dotted(f"{head}{new_module[len('fastmcp') :]}.{new_name}")


def _plain(aliases: Sequence[cst.ImportAlias]) -> list[cst.ImportAlias]:
    """Aliases with plain ``, `` commas (for a new one-line statement)."""
    result = []
    for index, alias in enumerate(aliases):
        last = index == len(aliases) - 1
        comma: cst.Comma | cst.MaybeSentinel = (
            cst.MaybeSentinel.DEFAULT
            if last
            else cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
        )
        result.append(alias.with_changes(comma=comma))
    return result
