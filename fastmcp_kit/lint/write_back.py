"""Where a fix run's fixed code goes: a diff (``--diff``), stdout (stdin), or back into
the files, each written only if it still holds the bytes that were linted.

A fixed file keeps its bytes' conventions: the encoding its PEP 263 cookie names, its
BOM (``utf-8-sig``) and its newlines (the engine never changes those). An editor
replaces its buffer with what stdin fixing prints, so that is the input byte for byte
unless a fix changed the code (undecodable input, no fix, a file no rule reads: all
come back as they went in). A file that could not be written is linted again as it
was read, so the report shows the findings still in it rather than claiming them
fixed.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from fastmcp_kit.lint.lines import split_lines
from fastmcp_kit.lint.runner import FileGroup, LintResult, lint_groups
from fastmcp_kit.problems import Problems
from fastmcp_kit.writeback import PendingWrite, WriteOutcome, write_all

if TYPE_CHECKING:
    from fastmcp_kit.lint.session import LintOptions, ProjectRun


@dataclass
class WriteBack:
    diffs: list[str] = field(default_factory=list)
    # With ``- --fix``: the bytes stdout carries (None when stdin is not being fixed).
    stdin: bytes | None = None
    writes: WriteOutcome = field(default_factory=WriteOutcome)


def encode_fixed(result: LintResult) -> bytes | None:
    """Fixed code in its file's own encoding (a PEP 263 cookie's, a BOM kept through
    ``utf-8-sig``); None when a fix brought a character that encoding cannot hold."""
    assert result.fixed_source is not None
    try:
        return result.fixed_source.encode(result.encoding)
    except UnicodeEncodeError:
        return None


def unified_diff(result: LintResult) -> str:
    assert result.source is not None and result.fixed_source is not None
    return "".join(
        difflib.unified_diff(
            split_lines(result.source, keepends=True),
            split_lines(result.fixed_source, keepends=True),
            fromfile=f"a/{result.path}",
            tofile=f"b/{result.path}",
        )
    )


def write_back(
    runs: Sequence[ProjectRun],
    options: LintOptions,
    problems: Problems,
    stdin_data: bytes | None = None,
) -> WriteBack:
    """The diffs, the bytes for stdout, and the account of the files written. The
    results of files not written are replaced by their findings as read."""
    done = WriteBack(stdin=stdin_data if options.fix and not options.diff else None)
    pending: list[PendingWrite] = []
    unencodable: set[Path] = set()
    for run in runs:
        for source, result in zip(run.sources, run.results, strict=True):
            if result.fixed_source is None:
                continue
            if options.diff:
                done.diffs.append(unified_diff(result))
                continue
            data = encode_fixed(result)
            if data is None:
                problems.warn(
                    result.path,
                    f"the fixed code cannot be encoded as {result.encoding}; left unchanged",
                )
                result.fixes_applied = 0  # nothing was written: none was applied
                result.fixed = []
                if source.path is not None:
                    unencodable.add(source.path)
            elif source.path is None:
                done.stdin = data
            else:
                pending.append(PendingWrite(source.path, data, source.data))
    done.writes = write_all(pending, problems)
    unwritten = {write.path for write in done.writes.refused} | unencodable
    if unwritten:
        _lint_as_read(runs, unwritten, options.jobs)
    return done


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
