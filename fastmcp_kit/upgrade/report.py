"""Presenting an upgrade: unified diffs, findings as lint violations (code = codemod id),
the plan and a summary."""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Sequence
from typing import TextIO

from fastmcp_kit.lint.violation import Location, Severity, Violation
from fastmcp_kit.report import LintReport
from fastmcp_kit.upgrade.codemod import Codemod, Finding
from fastmcp_kit.upgrade.runner import FileUpgrade
from fastmcp_kit.upgrade.session import UpgradeOutcome
from fastmcp_kit.upgrade.steps import PINS_ID, Step, select


def unified_diff(result: FileUpgrade) -> str:
    before = result.before.splitlines(keepends=True)
    after = result.after.splitlines(keepends=True)
    source = "/dev/null" if result.created else f"a/{result.display}"
    text = "".join(
        difflib.unified_diff(before, after, fromfile=source, tofile=f"b/{result.display}")
    )
    return text if text.endswith("\n") or not text else text + "\n\\ No newline at end of file\n"


def original_row(result: FileUpgrade, row: int) -> int:
    """The row in the file before the upgrade that corresponds to ``row`` after it."""
    before = result.before.splitlines()
    after = result.after.splitlines()
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for _, i1, i2, j1, j2 in matcher.get_opcodes():
        if j1 <= row - 1 < j2 or (j1 == j2 and row - 1 == j1):
            return min(i1 + (row - 1 - j1), max(i2 - 1, i1)) + 1
    return max(1, min(row, len(before)))


def violations(outcome: UpgradeOutcome, written: bool) -> list[Violation]:
    """Every finding as a Violation; rows refer to the file as it is on disk afterwards
    (the upgraded file with ``--write``, the original one otherwise)."""
    found = []
    for result, finding in outcome.findings:
        row = finding.row if written or result.created else original_row(result, finding.row)
        text = result.after if written else result.before
        lines = text.splitlines()
        line = lines[row - 1] if 0 < row <= len(lines) else ""
        found.append(_violation(result.display, finding, row, line))
    found.sort(key=lambda v: v.sort_key)
    return found


def _violation(filename: str, finding: Finding, row: int, line: str) -> Violation:
    column = finding.column if finding.column <= len(line) + 1 else 1
    end = Location(row, max(column + 1, len(line) + 1))
    return Violation(
        code=finding.codemod,
        name=finding.codemod,
        message=f"{finding.message} (see {finding.link})",
        filename=filename,
        location=Location(row, column),
        end_location=end,
        severity=finding.severity,
        source_line=line,
    )


def lint_report(outcome: UpgradeOutcome, written: bool) -> LintReport:
    return LintReport(
        violations=violations(outcome, written),
        files_checked=len(outcome.files),
        target=f"FastMCP {outcome.source.version} ({outcome.source.source})",
    )


def summary(outcome: UpgradeOutcome, written: bool, check: bool) -> list[str]:
    source = outcome.source
    path = " -> ".join(step.name for step in outcome.steps)
    lines = [f"Upgrade plan: FastMCP {source.version} ({source.source}) -> {path}"]
    changed = outcome.changed
    if written:
        # A file left as it was (changed on disk meanwhile, read-only) was not rewritten.
        refused = {write.path for write in outcome.writes.refused}
        changed = [result for result in changed if result.path not in refused]
    counts: Counter[str] = Counter()
    for result in changed:
        counts.update(result.rewrites)
    if changed:
        verb = "Rewrote" if written else "Would rewrite"
        detail = ", ".join(f"{codemod} {n}" for codemod, n in sorted(counts.items()))
        lines.append(f"{verb} {len(changed)} file(s): {detail}")
    elif not (written and outcome.writes.refused):
        lines.append("Nothing to rewrite.")
    severities = Counter(finding.severity for _, finding in outcome.findings)
    if severities:
        parts = [f"{severities[s]} {s.value}" for s in Severity if severities[s]]
        lines.append(f"{sum(severities.values())} finding(s) need a human: {', '.join(parts)}.")
    if changed and not written and not check:
        lines.append("Run again with --write to apply.")
    return lines


def print_plan(
    steps: Sequence[Step],
    only: Sequence[str],
    skip: Sequence[str],
    out: TextIO,
    extra: Sequence[str] = (),
) -> None:
    """The steps and their codemods, in the order they run; opt-in codemods not asked
    for are listed after each step's, marked."""
    for step, codemods in select(steps, only, skip, extra):
        out.write(f"Step {step.name}: {step.title}\n  guide: {step.link}\n")
        for codemod in codemods:
            kind = "python" if issubclass(codemod, Codemod) else "files"
            # The step's guide is named above; ROWS (our fact sheet's table rows) mean
            # nothing to a user and stay internal.
            out.write(f"  {codemod.ID:<34} {codemod.KIND:<8} {kind:<7} {codemod.TITLE}\n")
        if not only:
            for codemod in step.codemods:
                if codemod.OPT_IN and codemod not in codemods and codemod.ID not in skip:
                    out.write(f"  {codemod.ID:<34} opt-in (--with {codemod.ID}): {codemod.TITLE}\n")
    if PINS_ID not in skip and (not only or PINS_ID in only):
        out.write(
            f"Project: {PINS_ID}: fastmcp pin, floors (pydantic, fastapi, mcp), "
            "fastmcp[tasks], py-key-value-aio extras\n"
        )
