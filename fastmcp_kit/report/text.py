"""The default, human format: each finding with its source line and a caret under
the flagged code, then a summary line. Colour comes from rich and honours NO_COLOR."""

from __future__ import annotations

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
    if v.fix is not None:
        console.print(f"{gutter} [blue]=[/] [bold]help:[/] {escape(v.fix.message)}")
    console.print()


def summary_lines(lint: LintReport) -> list[str]:
    count = len(lint.violations)
    if count == 0:
        fixed = f"Fixed {lint.fixes_applied} error(s); " if lint.fixes_applied else ""
        return [f"{fixed}All checks passed!"]
    noun = "error" if count == 1 else "errors"
    if lint.fixes_applied:
        lines = [
            f"Found {count + lint.fixes_applied} errors ({lint.fixes_applied} fixed, {count} remaining)."
        ]
    else:
        lines = [f"Found {count} {noun}."]
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
    for line in [*assumption_lines(lint), *summary_lines(lint)]:
        console.print(escape(line))
