"""Lint one file: decode, parse once, run every enabled rule in one batched
traversal, then apply suppressions and (optionally) fixes until nothing changes.

Everything here is pure: it takes text and returns results. Reading and writing
files, the cache and worker processes live in :mod:`fastmcp_kit.lint.runner`.
"""

from __future__ import annotations

import difflib
import io
import tokenize
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, cast

import libcst as cst
from libcst.codemod import CodemodContext
from libcst.codemod.visitors import AddImportsVisitor
from libcst.metadata import MetadataWrapper, PositionProvider
from packaging.version import Version

from fastmcp_kit.lint import names as names_module
from fastmcp_kit.lint.noqa import is_suppressed, parse_suppressions
from fastmcp_kit.lint.registry import ENGINE_CODES, INTERNAL_ERROR, UNPARSABLE_FILE, all_rules
from fastmcp_kit.lint.rule import Fix, ProjectInfo, Rule, RuleContext
from fastmcp_kit.lint.violation import (
    Edit,
    FixSummary,
    Location,
    Severity,
    Violation,
)

FixMode = Literal["none", "safe", "unsafe"]
# Fixes can enable or unblock other fixes; stop after this many rounds regardless.
MAX_FIX_PASSES = 10


@dataclass(frozen=True)
class LintSettings:
    """What a worker needs to lint any file of the run; picklable."""

    rule_codes: tuple[str, ...]
    target: Version
    project: ProjectInfo
    options: tuple[tuple[str, object], ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    fix: FixMode = "none"

    def rules_for(self, display_path: str) -> list[type[Rule]]:
        ignored = _per_file_ignored(self.per_file_ignores, display_path)
        rules = all_rules()
        return [
            rules[code]
            for code in self.rule_codes
            if not any(code.startswith(prefix) for prefix in ignored)
            and rules[code].applies_to(self.target)
        ]


def _per_file_ignored(
    table: tuple[tuple[str, tuple[str, ...]], ...], display_path: str
) -> set[str]:
    if not table:
        return set()
    import pathspec

    ignored: set[str] = set()
    for pattern, codes in table:
        if pathspec.GitIgnoreSpec.from_lines([pattern]).match_file(display_path):
            ignored.update("" if code == "ALL" else code for code in codes)
    return ignored


@dataclass
class FileResult:
    """The outcome for one file. ``fixed_source`` is set only when fixes changed it."""

    path: str
    violations: list[Violation] = field(default_factory=list)
    source: str | None = None
    fixed_source: str | None = None
    encoding: str = "utf-8"
    fixes_applied: int = 0


def decode(data: bytes) -> tuple[str, str]:
    """Decode Python source the way the interpreter does (PEP 263 cookie, BOM)."""
    encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    return data.decode(encoding), encoding


def _engine_violation(
    path: str, code: str, message: str, row: int = 1, column: int = 1
) -> Violation:
    location = Location(row, column)
    return Violation(code, ENGINE_CODES[code][0], message, path, location, location, Severity.ERROR)


def lint_bytes(
    data: bytes, path: str, settings: LintSettings, match_path: str | None = None
) -> FileResult:
    """Lint (and with ``settings.fix`` fix) one file's raw bytes.

    ``path`` is shown in findings; ``match_path`` (relative to the project root) is
    what per-file-ignores match.
    """
    try:
        source, encoding = decode(data)
    except (SyntaxError, UnicodeDecodeError, LookupError) as exc:
        reason = exc.reason if isinstance(exc, UnicodeDecodeError) else str(exc)
        return FileResult(
            path, [_engine_violation(path, UNPARSABLE_FILE, f"cannot decode file: {reason}")]
        )
    result = FileResult(path, source=source, encoding=encoding)
    try:
        _lint_and_fix(source, result, settings, match_path or path)
    except Exception as exc:
        result.violations = [
            _engine_violation(path, INTERNAL_ERROR, f"internal error: {type(exc).__name__}: {exc}")
        ]
    return result


def _lint_and_fix(source: str, result: FileResult, settings: LintSettings, match_path: str) -> None:
    rules = settings.rules_for(match_path)
    current = source
    for _ in range(MAX_FIX_PASSES):
        outcome = _lint_once(current, result.path, match_path, rules, settings)
        if isinstance(outcome, Violation):
            result.violations = [outcome]
            break
        module, findings = outcome
        result.violations = [violation for violation, _ in findings]
        # Several findings may share one fix (one import statement, two names).
        fixes = list(
            {
                id(fix): fix
                for violation, fix in findings
                if fix is not None
                and settings.fix != "none"
                and violation.is_fixable(settings.fix == "unsafe")
            }.values()
        )
        if not fixes:
            break
        fixed = apply_fixes(module, fixes).code
        if fixed == current:
            break
        current = fixed
        result.fixes_applied += len(fixes)
    if current != source:
        result.fixed_source = current


def _lint_once(
    source: str, path: str, match_path: str, rules: Sequence[type[Rule]], settings: LintSettings
) -> Violation | tuple[cst.Module, list[tuple[Violation, Fix | None]]]:
    try:
        module = cst.parse_module(source)
    except cst.ParserSyntaxError as exc:
        message = f"syntax error: {str(exc.message).strip()}"
        return _engine_violation(path, UNPARSABLE_FILE, message, exc.raw_line, exc.raw_column + 1)
    if not rules:
        return module, []
    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    names = names_module.analyze(module)
    options = dict(settings.options)
    instances = [
        rule(
            RuleContext(
                Path(match_path), names, settings.target, settings.project, options.get(rule.code)
            )
        )
        for rule in rules
    ]
    wrapper.visit_batched(instances)
    return module, _collect(wrapper, source, path, instances)


def _collect(
    wrapper: MetadataWrapper, source: str, path: str, instances: Sequence[Rule]
) -> list[tuple[Violation, Fix | None]]:
    findings: list[tuple[Violation, Fix | None]] = []
    if not any(rule.reports or rule.crash for rule in instances):
        return findings
    # Positions cost a full code-generation pass, so only files with findings pay it.
    positions = wrapper.resolve(PositionProvider)
    suppressions = parse_suppressions(source)
    lines = source.splitlines()
    for rule in instances:
        if rule.crash is not None:
            message = f"rule {rule.code} ({rule.name()}) crashed: {rule.crash}"
            findings.append((_engine_violation(path, INTERNAL_ERROR, message), None))
            continue
        for report in rule.reports:
            span = positions[report.node]
            row = span.start.line
            if is_suppressed(suppressions, row, rule.code):
                continue
            summary = None
            if report.fix is not None:
                edits = _edits(source, apply_fixes(wrapper.module, [report.fix]).code)
                summary = FixSummary(report.fix.applicability, report.fix.message, edits)
            violation = Violation(
                code=rule.code,
                name=rule.name(),
                message=report.message,
                filename=path,
                location=Location(row, span.start.column + 1),
                end_location=Location(span.end.line, span.end.column + 1),
                severity=rule.severity,
                fix=summary,
                source_line=lines[row - 1] if row <= len(lines) else "",
            )
            findings.append((violation, report.fix))
    findings.sort(key=lambda item: item[0].sort_key)
    return findings


def apply_fixes(module: cst.Module, fixes: Sequence[Fix]) -> cst.Module:
    """Apply fixes in order; a fix whose nodes an earlier one replaced is skipped
    (its node is gone) and is found again on the next pass."""
    context = CodemodContext()
    for fix in fixes:
        for old, new in fix.replacements:
            if isinstance(new, cst.RemovalSentinel):
                module = cast(cst.Module, module.deep_remove(old))
            else:
                module = cast(cst.Module, module.deep_replace(old, new))
        for spec in fix.add_imports:
            AddImportsVisitor.add_needed_import(context, spec.module, spec.name, spec.asname)
    if any(fix.add_imports for fix in fixes):
        module = AddImportsVisitor(context).transform_module(module)
    return module


def _edits(before: str, after: str) -> tuple[Edit, ...]:
    """Line-granular edits turning ``before`` into ``after`` (ruff's edit shape)."""
    old, new = before.splitlines(keepends=True), after.splitlines(keepends=True)
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    return tuple(
        Edit("".join(new[j1:j2]), Location(i1 + 1, 1), Location(i2 + 1, 1))
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
        if tag != "equal"
    )
