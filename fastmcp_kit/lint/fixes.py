"""Applying fixes to a parsed module: tree replacements in one pass, then the
imports the fixes need, added to the head of the module."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from typing import cast

import libcst as cst
from libcst.metadata import CodeRange

from fastmcp_kit.lint.edits import line_edits
from fastmcp_kit.lint.import_order import import_block, tidy_imports
from fastmcp_kit.lint.lines import split_lines
from fastmcp_kit.lint.rebuild import replace_nodes
from fastmcp_kit.lint.rule import Fix
from fastmcp_kit.lint.violation import Edit, Location


class _Replacer(cst.CSTTransformer):
    """Swap nodes by the identity of the original node, all in one pass.

    A transform rebuilds every node it passes, so replacements cannot be applied
    one after another (the second would look for a node that no longer exists).
    """

    def __init__(self, replacements: dict[int, cst.CSTNode | cst.RemovalSentinel]) -> None:
        super().__init__()
        self.replacements = replacements

    # libcst types on_leave per node type; one replacement map serves every type.
    def on_leave(  # type: ignore[override]
        self, original_node: cst.CSTNode, updated_node: cst.CSTNode
    ) -> cst.CSTNode | cst.RemovalSentinel:
        return self.replacements.get(id(original_node), updated_node)


def preview_fix(module: cst.Module, fix: Fix, first_party: frozenset[str] = frozenset()) -> str:
    """The code after one fix, for the edits a finding shows: rebuilding only the
    replaced nodes' ancestors is much cheaper than a whole-module transform."""
    if fix.replacements and all(
        not isinstance(new, cst.RemovalSentinel) for _, new in fix.replacements
    ):
        replacements = {id(old): new for old, new in reversed(fix.replacements)}
        fixed = replace_nodes(module, cast(dict[int, cst.CSTNode], replacements))
        if fixed is not None:
            imports = [Fix(fix.message, add_imports=fix.add_imports)]
            return apply_fixes(fixed, imports, first_party, original=module).code
    return apply_fixes(module, [fix], first_party).code


def apply_fixes(
    module: cst.Module,
    fixes: Sequence[Fix],
    first_party: frozenset[str] = frozenset(),
    *,
    original: cst.Module | None = None,
) -> cst.Module:
    """Apply every replacement of every fix in one pass, then the imports they need,
    and put the import statements added or changed where isort would (against
    ``original``, the module before any of it, when ``module`` is already on the way;
    ``first_party``: the project's own top-level modules).

    Where two fixes touch nested nodes, the outer replacement wins this pass; the
    fix loop finds the inner one again on the next.
    """
    # libcst.codemod pulls in libcst.matchers (0.3 s): only fixes ever need it.
    from libcst.codemod import CodemodContext
    from libcst.codemod.visitors import AddImportsVisitor

    start = module
    replacements: dict[int, cst.CSTNode | cst.RemovalSentinel] = {}
    context = CodemodContext()
    for fix in fixes:
        for old, new in fix.replacements:
            replacements.setdefault(id(old), new)
        for spec in fix.add_imports:
            AddImportsVisitor.add_needed_import(context, spec.module, spec.name, spec.asname)
    if replacements:
        module = module.visit(_Replacer(replacements))
    if any(fix.add_imports for fix in fixes):
        module = with_imports(module, AddImportsVisitor(context))
    return tidy_imports(original or start, module, first_party)


def with_imports(module: cst.Module, visitor: cst.CSTTransformer) -> cst.Module:
    """Run libcst's AddImportsVisitor over the head of the module only.

    It reads and edits only the import lines at the top (after an optional docstring)
    and the first statement after them, but its matchers visit every node of the
    module, which made a fix that adds an import cost 80 ms on a typical server file.
    ``transform_module`` would also deep-copy the module for metadata it never reads.
    """
    body = module.body
    end = _head_end(body)
    head = module.with_changes(body=body[: end + 1]).visit(visitor)
    assert isinstance(head, cst.Module)
    return head.with_changes(body=(*head.body, *body[end + 1 :]))


def _head_end(body: Sequence[cst.BaseStatement]) -> int:
    """The index of the first statement after the head (docstring, then imports)."""
    end = 1  # the first statement may be a docstring; it is in the head either way
    while end < len(body) and _is_import_line(body[end]):
        end += 1
    return end


def _is_import_line(statement: cst.BaseStatement) -> bool:
    return (
        isinstance(statement, cst.SimpleStatementLine)
        and len(statement.body) == 1
        and isinstance(statement.body[0], (cst.Import, cst.ImportFrom))
    )


def preview_edits(
    module: cst.Module,
    lines: Sequence[str],
    positions: Callable[[cst.CSTNode], CodeRange],
    fix: Fix,
    first_party: frozenset[str] = frozenset(),
) -> tuple[Edit, ...]:
    """The line edits one fix makes, at a cost that follows the size of the change.

    Rendering the whole fixed module and diffing it against the file, once per
    finding, took minutes on a 2 MB file. Each replaced node is rendered alone and
    spliced into its own lines (``lines``: the source, kept line ends); imports are
    added to the head of the module alone. Where a shortcut does not hold (a node
    whose text is not exactly its span, regions that overlap) the whole module is
    rendered as before, so the edits always equal what ``--fix`` writes.
    """
    regions: list[tuple[int, int, str]] = []  # (first row, last row, new text)
    # A rewritten import may move within the import block: only the whole module shows it.
    block_end = _import_block_end(module, positions)
    for old, new in fix.replacements:
        region = _replaced_lines(module, lines, positions, old, new)
        if region is None or region[0] <= block_end:
            return _whole_module_edits(module, lines, fix, first_party)
        regions.append(region)
    if fix.add_imports:
        head = _head_region(module, lines, fix, first_party)
        if head is None:
            return _whole_module_edits(module, lines, fix, first_party)
        regions.append(head)
    regions.sort()
    for (_, last, _), (first, _, _) in itertools.pairwise(regions):
        if first <= last:
            return _whole_module_edits(module, lines, fix, first_party)
    edits: list[Edit] = []
    for first, last, text in regions:
        before = "".join(lines[first - 1 : last])
        for edit in line_edits(before, text):
            edits.append(
                Edit(
                    edit.content,
                    Location(edit.location.row + first - 1, 1),
                    Location(edit.end_location.row + first - 1, 1),
                )
            )
    return tuple(edits)


def _import_block_end(module: cst.Module, positions: Callable[[cst.CSTNode], CodeRange]) -> int:
    """The last row of the module's leading import block (0: none)."""
    start, end = import_block(module.body)
    if end == start:
        return 0
    try:
        return positions(module.body[end - 1]).end.line
    except KeyError:
        return len(module.code.splitlines())  # unknown: treat every row as in the block


def _replaced_lines(
    module: cst.Module,
    lines: Sequence[str],
    positions: Callable[[cst.CSTNode], CodeRange],
    old: cst.CSTNode,
    new: cst.CSTNode | cst.RemovalSentinel,
) -> tuple[int, int, str] | None:
    if isinstance(new, cst.RemovalSentinel) or isinstance(old, cst.BaseStatement):
        return None
    try:
        span = positions(old)
    except KeyError:
        return None
    first, last = span.start.line, span.end.line
    if not 1 <= first <= last <= len(lines):
        return None
    text = "".join(lines[first - 1 : last])
    start = span.start.column
    end = len(text) - len(lines[last - 1]) + span.end.column
    try:
        old_text, new_text = module.code_for_node(old), module.code_for_node(new)
    # libcst's CSTCodegenError (a SyntaxError): an Annotation renders only in its parent.
    except SyntaxError:
        return None
    # The shortcut holds only where the node's own text is exactly its span.
    if text[start:end] != old_text:
        return None
    return first, last, text[:start] + new_text + text[end:]


def _head_region(
    module: cst.Module, lines: Sequence[str], fix: Fix, first_party: frozenset[str]
) -> tuple[int, int, str] | None:
    from libcst.codemod import CodemodContext
    from libcst.codemod.visitors import AddImportsVisitor

    context = CodemodContext()
    for spec in fix.add_imports:
        AddImportsVisitor.add_needed_import(context, spec.module, spec.name, spec.asname)
    end = _head_end(module.body)
    head = module.with_changes(body=module.body[: end + 1], footer=())
    before = head.code
    rows = split_lines(before, keepends=True)
    if not rows or "".join(lines[: len(rows)]) != before:
        return None
    added = with_imports(head, AddImportsVisitor(context))
    return 1, len(rows), tidy_imports(head, added, first_party).code


def _whole_module_edits(
    module: cst.Module, lines: Sequence[str], fix: Fix, first_party: frozenset[str]
) -> tuple[Edit, ...]:
    return line_edits("".join(lines), preview_fix(module, fix, first_party))
