"""Run the engine over many files: the cache, worker processes and fix write-back.

Neither the cache nor the workers may change results, so every file linted goes
through the same :func:`fastmcp_kit.lint.engine.lint_bytes`. The engine (and with
it libcst and the rules) is imported only when some file misses the cache.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

from fastmcp_kit.lint.cache import ResultCache, content_hash
from fastmcp_kit.lint.violation import Fact, Violation

if TYPE_CHECKING:
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


LintResult: TypeAlias = "FileResult | CachedResult"

_worker_settings: LintSettings | None = None


def _init_worker(settings: LintSettings) -> None:
    global _worker_settings
    _worker_settings = settings


def _lint_in_worker(source: SourceFile) -> FileResult:
    from fastmcp_kit.lint.engine import lint_bytes

    assert _worker_settings is not None
    return lint_bytes(source.data, source.display, _worker_settings, source.match)


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
    results: dict[int, LintResult] = {}
    pending: list[int] = []
    use_cache = cache is not None and plan.fix == "none"
    for index, source in enumerate(sources):
        cached = cache.get(source.match, source.digest) if use_cache and cache else None
        if cached is not None:
            violations, facts = cached
            # The same file may be shown under another path (another cwd) this time.
            shown = [replace(v, filename=source.display) for v in violations]
            results[index] = CachedResult(source.display, shown, facts)
        else:
            pending.append(index)
    if pending:
        fresh = _lint_pending([sources[i] for i in pending], plan.settings, jobs)
        for index, result in zip(pending, fresh, strict=True):
            results[index] = result
            if use_cache and cache is not None:
                source = sources[index]
                cache.put(source.match, source.digest, result.violations, result.facts)
    return [results[index] for index in range(len(sources))]


def _lint_pending(
    sources: Sequence[SourceFile], settings: LintSettings, jobs: int
) -> list[FileResult]:
    from fastmcp_kit.lint.engine import lint_bytes

    workers = min(jobs, len(sources) // MIN_FILES_PER_WORKER)
    if workers <= 1:
        return [lint_bytes(s.data, s.display, settings, s.match) for s in sources]
    from concurrent.futures import ProcessPoolExecutor

    chunk = max(1, len(sources) // (workers * 4))
    with ProcessPoolExecutor(workers, initializer=_init_worker, initargs=(settings,)) as pool:
        return list(pool.map(_lint_in_worker, sources, chunksize=chunk))


def default_jobs() -> int:
    return os.cpu_count() or 1
