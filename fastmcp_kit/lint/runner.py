"""Run the engine over many files: the cache, worker processes and fix write-back.

Neither the cache nor the workers may change results, so every file linted goes
through the same :func:`fastmcp_kit.lint.engine.lint_bytes`. The engine (and with
it libcst and the rules) is imported only when some file misses the cache.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

from fastmcp_kit.lint.cache import ResultCache, content_hash
from fastmcp_kit.lint.violation import Fact, Violation

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

    from fastmcp_kit.lint.engine import FileResult, LintSettings
    from fastmcp_kit.lint.plan import LintPlan

# Forking workers costs more than linting a handful of files inline.
MIN_FILES_PER_WORKER = 8


@dataclass(frozen=True)
class SourceFile:
    """One file to lint: its bytes, the path shown to users and the path (relative
    to the project root) that per-file-ignores match against."""

    display: str
    match: str
    data: bytes
    path: Path | None = None  # None for stdin

    @cached_property
    def digest(self) -> str:
        return content_hash(self.data)


@dataclass
class CachedResult:
    """A file's findings read back from the cache: shaped like the engine's
    ``FileResult`` of a check-only run (no source kept, nothing fixed)."""

    path: str
    violations: list[Violation]
    facts: dict[str, list[Fact]] = field(default_factory=dict)
    source: str | None = None
    fixed_source: str | None = None
    encoding: str = "utf-8"
    fixes_applied: int = 0
    fixed: list[tuple[str, str]] = field(default_factory=list)


LintResult: TypeAlias = "FileResult | CachedResult"
Progress: TypeAlias = Callable[[int, int], None]
"""Told (files linted so far, files to lint) after each file the cache did not answer."""

_worker_settings: tuple[LintSettings | None, ...] = ()


def _init_worker(settings: tuple[LintSettings | None, ...], fkit_pid: int) -> None:
    from fastmcp_kit.lint.orphans import exit_with_parent

    global _worker_settings
    _worker_settings = settings
    exit_with_parent(fkit_pid)


def _lint_in_worker(task: tuple[int, SourceFile]) -> FileResult:
    from fastmcp_kit.lint.engine import lint_bytes

    group, source = task
    return lint_bytes(source.data, source.display, _settings(_worker_settings, group), source.match)


@dataclass(frozen=True)
class FileGroup:
    """Files linted with one plan (one project, one set of versions) and its cache."""

    sources: Sequence[SourceFile]
    plan: LintPlan
    cache: ResultCache | None = None


def lint_files(
    sources: Sequence[SourceFile],
    plan: LintPlan,
    *,
    jobs: int,
    cache: ResultCache | None,
) -> list[LintResult]:
    """Lint every file, in the order given. Cached findings are reused only in
    check mode: a fix run must see (and rewrite) the real source. The caller
    saves the cache."""
    return lint_groups([FileGroup(sources, plan, cache)], jobs=jobs)[0]


def lint_groups(
    groups: Sequence[FileGroup], *, jobs: int, progress: Progress | None = None
) -> list[list[LintResult]]:
    """:func:`lint_files` for several groups at once: one pool of workers serves
    every project of a run."""
    results: dict[tuple[int, int], LintResult] = {}
    pending: list[tuple[int, int]] = []
    for g, group in enumerate(groups):
        cache = group.cache if group.plan.fix == "none" else None
        for index, source in enumerate(group.sources):
            cached = cache.get(source.match, source.digest) if cache else None
            if cached is not None:
                violations, facts = cached
                # The same file may be shown under another path (another cwd) this time.
                shown = [replace(v, filename=source.display) for v in violations]
                results[g, index] = CachedResult(source.display, shown, facts)
            else:
                pending.append((g, index))
    if pending:
        needed = {g for g, _ in pending}
        # Only groups with files to lint pay for the engine's settings (and libcst).
        settings = tuple(
            group.plan.settings if g in needed else None for g, group in enumerate(groups)
        )
        tasks = [(g, groups[g].sources[index]) for g, index in pending]
        fresh = _lint_pending(tasks, settings, jobs, progress or _silent)
        for key, result in zip(pending, fresh, strict=True):
            results[key] = result
            group = groups[key[0]]
            if group.cache is not None and group.plan.fix == "none":
                source = group.sources[key[1]]
                group.cache.put(source.match, source.digest, result.violations, result.facts)
    return [
        [results[g, index] for index in range(len(group.sources))] for g, group in enumerate(groups)
    ]


def _lint_pending(
    tasks: Sequence[tuple[int, SourceFile]],
    settings: tuple[LintSettings | None, ...],
    jobs: int,
    progress: Progress,
) -> list[FileResult]:
    from fastmcp_kit.lint.engine import lint_bytes

    done: list[FileResult] = []
    workers = worker_count(jobs, len(tasks))
    if workers <= 1:
        for g, s in tasks:
            done.append(lint_bytes(s.data, s.display, _settings(settings, g), s.match))
            progress(len(done), len(tasks))
        return done
    chunk = max(1, len(tasks) // (workers * 4))
    with worker_pool(workers, settings) as pool:
        for result in pool.map(_lint_in_worker, tasks, chunksize=chunk):
            done.append(result)
            progress(len(done), len(tasks))
    return done


def _silent(done: int, total: int) -> None:
    """No progress to show."""


def worker_count(jobs: int, tasks: int) -> int:
    """Workers for ``tasks`` files: as asked, but no more than the cores this process
    may run on (more only compete for them) and enough files to repay each one."""
    return min(jobs, default_jobs(), tasks // MIN_FILES_PER_WORKER)


def worker_pool(workers: int, settings: tuple[LintSettings | None, ...]) -> ProcessPoolExecutor:
    """The pool of linting processes; each exits when fkit dies (see ``orphans``)."""
    from concurrent.futures import ProcessPoolExecutor

    return ProcessPoolExecutor(workers, initializer=_init_worker, initargs=(settings, os.getpid()))


def _settings(settings: tuple[LintSettings | None, ...], group: int) -> LintSettings:
    chosen = settings[group]
    assert chosen is not None, "settings are built for every group with pending files"
    return chosen


def default_jobs() -> int:
    """The cores this process may run on: its CPU affinity where the system has one
    (a container or ``taskset`` limits it), else every core."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1
