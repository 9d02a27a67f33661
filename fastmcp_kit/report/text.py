"""The default, human format: each finding with its source line and a caret under
the flagged code, then a summary line. Colour comes from rich and honours NO_COLOR."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import TextIO

from rich.console import Console
from rich.markup import escape

from fastmcp_kit.lint.violation import Severity, Violation
from fastmcp_kit.report import LintReport, fixable

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "bold yellow", Severity.INFO: "bold cyan"}


def _caret_width(v: Violation) -> int:
    if v.end_location.row == v.location.row:
        return max(1, v.end_location.column - v.location.column)
    return max(1, len(v.source_line) - v.location.column + 1)


def _finding(console: Console, v: Violation, lint: LintReport) -> None:
    marker = " [*]" if fixable(v, lint) else ""
    console.print(
        f"[bold]{escape(v.filename)}[/]:{v.location.row}:{v.location.column}: "
        f"[{_STYLE[v.severity]}]{v.code}[/]{escape(marker)} {escape(v.message)}"
    )
    if not v.source_line:
        if v.hint:
            console.print(f"  [blue]=[/] [bold]help:[/] {escape(v.hint)}")
            console.print()
        return
    gutter = " " * len(str(v.location.row))
    line = v.source_line.expandtabs(4)
    # Columns count characters; a tab before the code widens on screen.
    indent = len(v.source_line[: v.location.column - 1].expandtabs(4))
    caret = " " * indent + "^" * _caret_width(v)
    console.print(f"[blue]{gutter} |[/]")
    console.print(f"[blue]{v.location.row} |[/] {escape(line)}")
    console.print(f"[blue]{gutter} |[/] [{_STYLE[v.severity]}]{caret} {v.code}[/]")
    console.print(f"[blue]{gutter} |[/]")
    if v.fix is not None or v.hint:
        shown = v.fix.message if v.fix is not None else v.hint
        console.print(f"{gutter} [blue]=[/] [bold]help:[/] {escape(shown)}")
    console.print()


def count_phrase(violations: Sequence[Violation]) -> str:
    """ "3 errors, 2 warnings and 1 info": each severity counted apart, none left
    out, so a warning is never called an error."""
    parts = []
    for severity in Severity:
        count = sum(1 for v in violations if v.severity is severity)
        if count:
            noun = severity.value if count == 1 else f"{severity.value}s"
            parts.append(f"{count} {noun}")
    if len(parts) < 2:
        return "".join(parts)
    return f"{', '.join(parts[:-1])} and {parts[-1]}"


def show_fixes_lines(lint: LintReport) -> list[str]:
    """``--show-fixes``: what a fix removed, per file and rule (as ruff lists it), or
    with nothing fixed, each fixable finding and the title of its fix."""
    if lint.fixed:
        noun = "finding" if len(lint.fixed) == 1 else "findings"
        lines = [f"Fixed {len(lint.fixed)} {noun}:"]
        per_file: dict[str, Counter[tuple[str, str]]] = {}
        for filename, code, name in lint.fixed:
            per_file.setdefault(filename, Counter())[code, name] += 1
        for filename, counts in sorted(per_file.items()):
            lines.append(f"- {filename}:")
            lines += [f"    {n} x {code} ({name})" for (code, name), n in sorted(counts.items())]
        return lines
    fixable_now = [v for v in lint.violations if v.fix is not None and fixable(v, lint)]
    if not fixable_now:
        return []
    lines = ["Fixable with the `--fix` option:" if not lint.fix_enabled else "Not fixed:"]
    for v in fixable_now:
        assert v.fix is not None
        where = f"{v.filename}:{v.location.row}:{v.location.column}"
        lines.append(f"- {where}: {v.code} {v.fix.message}")
    return lines


def summary_lines(lint: LintReport) -> list[str]:
    """ruff's closing lines, with findings counted per severity."""
    if lint.quiet:
        return []
    if lint.show_fixes:
        return [*show_fixes_lines(lint), *_counts(lint)]
    return _counts(lint)


def _counts(lint: LintReport) -> list[str]:
    fixed = ""
    if lint.fixes_applied:
        noun = "finding" if lint.fixes_applied == 1 else "findings"
        fixed = f"Fixed {lint.fixes_applied} {noun}. "
    if not lint.violations:
        return [f"{fixed}All checks passed!"]
    lines = [f"{fixed}Found {count_phrase(lint.violations)}."]
    can_fix = sum(1 for v in lint.violations if fixable(v, lint))
    hidden = sum(1 for v in lint.violations if v.fix is not None) - can_fix
    if can_fix and not lint.fix_enabled:
        lines.append(f"[*] {can_fix} fixable with the `--fix` option.")
    if hidden:
        lines.append(f"({hidden} hidden fixes can be enabled with the `--unsafe-fixes` option.)")
    return lines


def assumption_lines(lint: LintReport) -> list[str]:
    """What the run assumed: each project's versions and their sources, forward
    hazards, notices."""
    projects = [p for p in lint.projects if p.files]
    lines = []
    if len(projects) == 1:
        project = projects[0]
        where = "" if project.root == "." else f" in {project.root}"
        lines.append(f"Linted {_files(project.files)}{where} for {project.versions}.")
    elif projects:
        lines.append(f"Linted {_files(lint.files_checked)} in {len(projects)} projects:")
        lines += [f"  {p.root}: {p.versions}; {_files(p.files)}" for p in projects]
    for project in projects:
        if project.hazard_note:
            prefix = f"{project.root}: " if len(projects) > 1 else ""
            lines.append(prefix + project.hazard_note)
    return lines + list(lint.notes)


def _files(count: int) -> str:
    return "1 file" if count == 1 else f"{count} files"


def report(lint: LintReport, out: TextIO) -> None:
    # No emoji codes or markup from user code: `:warning:` in a comment stays as typed.
    console = Console(file=out, highlight=False, soft_wrap=True, emoji=False)
    for v in lint.violations:
        _finding(console, v, lint)
    closing = [] if lint.quiet else assumption_lines(lint)
    for line in [*closing, *summary_lines(lint)]:
        console.print(escape(line))
