"""Running codemods over one file: Python files through libcst (one shared codemod
context, queued imports applied once at the end), other files line by line."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import libcst as cst
from libcst.codemod import CodemodContext
from libcst.codemod.visitors import AddImportsVisitor, RemoveImportsVisitor

from fastmcp_kit.lint.import_order import tidy_imports
from fastmcp_kit.lint.violation import Severity
from fastmcp_kit.project import find_local_modules
from fastmcp_kit.upgrade.codemod import (
    Codemod,
    Finding,
    TextCodemod,
    UpgradeFacts,
    extract_markers,
    findings_of,
    rewrites_of,
)

SCRATCH_FASTMCP_JSON = "fkit.fastmcp_json"


@dataclass
class FileUpgrade:
    """One file's upgrade: its text before and after, and what was found in it."""

    display: str
    before: str
    after: str
    path: Path | None = None
    encoding: str = "utf-8"
    findings: list[Finding] = field(default_factory=list)
    rewrites: dict[str, int] = field(default_factory=dict)
    created: bool = False
    # The bytes read from disk: the file is written only if it still holds them.
    original: bytes | None = None
    # fastmcp.json dependencies the file's server declared in code (FastMCP(dependencies=)).
    fastmcp_json: list[tuple[str, str | None, list[str]]] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.before != self.after


def upgrade_python(
    source: str,
    codemods: Sequence[type[Codemod]],
    facts: UpgradeFacts,
    *,
    filename: str = "server.py",
    add_todos: bool = False,
) -> FileUpgrade:
    """Run ``codemods`` in order over one module; queued imports are applied once."""
    try:
        module = cst.parse_module(source)
    except cst.ParserSyntaxError as exc:
        finding = Finding(
            "parse-error",
            f"cannot parse this file, so it was not upgraded: {exc.message}",
            Severity.ERROR,
            "https://docs.python.org/3/reference/grammar.html",
            exc.raw_line or 1,
            exc.raw_column + 1 if exc.raw_column is not None else 1,
        )
        return FileUpgrade(filename, source, source, findings=[finding])
    context = CodemodContext(filename=filename, full_module_name=facts.module_name)
    original = module
    code = source
    for codemod in codemods:
        if not codemod.wanted(code, facts):
            continue
        module = codemod(context, facts).transform_module(module)
        code = module.code
    if context.scratch.get(AddImportsVisitor.CONTEXT_KEY):
        module = AddImportsVisitor(context).transform_module(module)
    if context.scratch.get(RemoveImportsVisitor.CONTEXT_KEY):
        module = RemoveImportsVisitor(context).transform_module(module)
    # Imports the codemods added or rewrote go where isort puts them.
    module = tidy_imports(original, module, find_local_modules(facts.root))
    after, findings = extract_markers(module.code, findings_of(context), add_todos)
    result = FileUpgrade(filename, source, after, findings=_dedupe(findings))
    result.rewrites = dict(rewrites_of(context))
    result.fastmcp_json = list(context.scratch.get(SCRATCH_FASTMCP_JSON, []))
    return result


def upgrade_text(
    text: str, path: Path, codemods: Sequence[type[TextCodemod]], facts: UpgradeFacts, display: str
) -> FileUpgrade:
    """Run the text codemods that apply to this file name, in order."""
    result = FileUpgrade(display, text, text, path=path)
    for codemod in codemods:
        if not codemod.matches_file(path.name):
            continue
        outcome = codemod(facts).run(result.after, path)
        result.after = outcome.text
        result.findings.extend(outcome.findings)
        if outcome.rewrites:
            result.rewrites[codemod.ID] = result.rewrites.get(codemod.ID, 0) + outcome.rewrites
    result.findings = _dedupe(result.findings)
    return result


def _dedupe(findings: list[Finding]) -> list[Finding]:
    seen: set[tuple[str, str, int]] = set()
    unique = []
    for finding in findings:
        key = (finding.codemod, finding.message, finding.row)
        if key not in seen:
            seen.add(key)
            unique.append(finding)
    return unique
