"""Where a fix run's fixed code goes: a diff (``--diff``), stdout (stdin), or back
into the files, each written only if it still holds the bytes that were linted.

A file that could not be written is linted again as it was read, so the report
shows the findings still in it rather than claiming them fixed.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from fastmcp_kit.lint.runner import FileGroup, LintResult, lint_groups
from fastmcp_kit.problems import Problems
from fastmcp_kit.writeback import PendingWrite, WriteOutcome, write_all

if TYPE_CHECKING:
    from fastmcp_kit.lint.session import LintOptions, ProjectRun


def unified_diff(result: LintResult) -> str:
    assert result.source is not None and result.fixed_source is not None
    return "".join(
        difflib.unified_diff(
            result.source.splitlines(keepends=True),
            result.fixed_source.splitlines(keepends=True),
            fromfile=f"a/{result.path}",
            tofile=f"b/{result.path}",
        )
    )


def write_back(
    runs: Sequence[ProjectRun], options: LintOptions, problems: Problems
) -> tuple[list[str], str | None, WriteOutcome]:
    """The diffs, the fixed stdin, and the account of the files written. The results
    of files not written are replaced by their findings as read."""
    diffs: list[str] = []
    stdin_fixed = None
    pending: list[PendingWrite] = []
    for run in runs:
        for source, result in zip(run.sources, run.results, strict=True):
            if result.fixed_source is None:
                continue
            if options.diff:
                diffs.append(unified_diff(result))
            elif source.path is None:
                stdin_fixed = result.fixed_source
            else:
                data = result.fixed_source.encode(result.encoding)
                pending.append(PendingWrite(source.path, data, source.data))
    if options.paths == ["-"] and options.fix and not options.diff and stdin_fixed is None:
        first = runs[0].results[0] if runs and runs[0].results else None
        stdin_fixed = first.source if first is not None and first.source is not None else ""
    writes = write_all(pending, problems)
    if writes.refused:
        _lint_as_read(runs, {write.path for write in writes.refused}, options.jobs)
    return diffs, stdin_fixed, writes


def _lint_as_read(runs: Sequence[ProjectRun], unwritten: set[Path], jobs: int) -> None:
    groups: list[FileGroup] = []
    positions: list[list[int]] = []
    for run in runs:
        where = [i for i, source in enumerate(run.sources) if source.path in unwritten]
        positions.append(where)
        check_only = replace(run.plan, fix="none")
        groups.append(FileGroup([run.sources[i] for i in where], check_only))
    for run, where, results in zip(runs, positions, lint_groups(groups, jobs=jobs), strict=True):
        for index, result in zip(where, results, strict=True):
            run.results[index] = result
