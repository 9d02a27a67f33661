"""Code actions: a finding's fix, ``# noqa`` for its line, and fix-all.

They mirror the command line: a quick fix applies the edit the finding's fix shows
(what ``fkit lint --fix`` makes of that finding alone), the noqa action writes the
comment the engine honours, and "Fix all" is the text ``fkit lint --fix`` produces.
"""

from __future__ import annotations

from collections.abc import Sequence

from lsprotocol import types

from fastmcp_kit.lint.edits import apply_line_edits
from fastmcp_kit.lint.noqa import add_noqa
from fastmcp_kit.lint.registry import ENGINE_CODES
from fastmcp_kit.lint.violation import Applicability
from fastmcp_kit.lsp.diagnostics import overlaps, to_diagnostic, violation_range
from fastmcp_kit.lsp.documents import DocumentLint
from fastmcp_kit.lsp.positions import LineIndex

FIX_ALL_KIND = "source.fixAll.fkit"
FIX_ALL_TITLE = "Fix all safe fkit findings"
KINDS = [types.CodeActionKind.QuickFix, types.CodeActionKind.SourceFixAll, FIX_ALL_KIND]


def wanted(kind: str, only: Sequence[str] | None) -> bool:
    """Whether the client asked for actions of ``kind`` (``only`` lists prefixes)."""
    return only is None or any(kind == k or kind.startswith(f"{k}.") for k in only)


def workspace_edit(
    uri: str, version: int | None, edits: list[types.TextEdit], versioned: bool
) -> types.WorkspaceEdit:
    """Edits to one document; tied to the version they were computed for when the
    client supports that (it then refuses them on a changed document)."""
    if not versioned:
        return types.WorkspaceEdit(changes={uri: edits})
    document = types.OptionalVersionedTextDocumentIdentifier(uri=uri, version=version)
    return types.WorkspaceEdit(
        document_changes=[types.TextDocumentEdit(text_document=document, edits=[*edits])]
    )


def code_actions(
    lint: DocumentLint,
    index: LineIndex,
    uri: str,
    wanted_range: types.Range,
    only: Sequence[str] | None,
    versioned: bool,
) -> list[types.CodeAction]:
    """The quick fixes and noqa actions of the findings in ``wanted_range``, then
    fix-all (its edit left for :func:`fix_all_edit`) when a safe fix exists."""
    fixes: list[types.CodeAction] = []
    noqas: list[types.CodeAction] = []
    text = lint.engine_text
    quick = wanted(types.CodeActionKind.QuickFix, only)
    for violation in lint.violations if quick else ():
        if violation.code in ENGINE_CODES or not overlaps(
            violation_range(violation, index), wanted_range
        ):
            continue
        diagnostic = to_diagnostic(violation, index)
        fix = violation.fix
        edit = None if fix is None else index.edit(text, apply_line_edits(text, fix.edits))
        if fix is not None and edit is not None:
            safe = fix.applicability is Applicability.SAFE
            title = f"fkit ({violation.code}): {fix.message}" + ("" if safe else " (unsafe fix)")
            fixes.append(
                types.CodeAction(
                    title=title,
                    kind=types.CodeActionKind.QuickFix,
                    diagnostics=[diagnostic],
                    edit=workspace_edit(uri, lint.version, [edit], versioned),
                    is_preferred=safe,
                )
            )
        suppressed = (
            add_noqa(text, violation.location.row, violation.code) if lint.is_python else None
        )
        edit = None if suppressed is None else index.edit(text, suppressed)
        if edit is not None:
            noqas.append(
                types.CodeAction(
                    title=f"fkit ({violation.code}): Disable {violation.code} for this line",
                    kind=types.CodeActionKind.QuickFix,
                    diagnostics=[diagnostic],
                    edit=workspace_edit(uri, lint.version, [edit], versioned),
                )
            )
    actions = [*fixes, *noqas]
    if wanted(FIX_ALL_KIND, only) and any(v.is_fixable(unsafe=False) for v in lint.violations):
        actions.append(types.CodeAction(title=FIX_ALL_TITLE, kind=FIX_ALL_KIND, data={"uri": uri}))
    return actions


def fix_all_edit(
    fixed: DocumentLint, index: LineIndex, uri: str, versioned: bool
) -> types.WorkspaceEdit:
    """The edit taking the document to what ``fkit lint --fix`` makes of it
    (``fixed``: a fix run's result)."""
    edit = None if fixed.fixed is None else index.edit(fixed.engine_text, fixed.fixed)
    return workspace_edit(uri, fixed.version, [] if edit is None else [edit], versioned)
