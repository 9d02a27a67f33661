"""Run the engine over many files: the cache, worker processes and fix write-back.

Neither the cache nor the workers may change results, so every path goes through
the same :func:`fastmcp_kit.lint.engine.lint_bytes`.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

from fastmcp_kit.lint.cache import ResultCache, content_hash
from fastmcp_kit.lint.engine import FileResult, LintSettings, lint_bytes

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


_worker_settings: LintSettings | None = None


def _init_worker(settings: LintSettings) -> None:
    global _worker_settings
    _worker_settings = settings


def _lint_in_worker(source: SourceFile) -> FileResult:
    assert _worker_settings is not None
    return lint_bytes(source.data, source.display, _worker_settings, source.match)


def lint_files(
    sources: Sequence[SourceFile],
    settings: LintSettings,
    *,
    jobs: int,
    cache: ResultCache | None,
) -> list[FileResult]:
    """Lint every file, in the order given. Cached findings are reused only in
    check mode: a fix run must see (and rewrite) the real source."""
    results: dict[int, FileResult] = {}
    pending: list[int] = []
    digests: dict[int, str] = {}
    for index, source in enumerate(sources):
        if cache is not None and settings.fix == "none":
            digests[index] = content_hash(source.data)
            cached = cache.get(source.match, digests[index])
            if cached is not None:
                violations, facts = cached
                # The same file may be shown under another path (another cwd) this time.
                shown = [replace(v, filename=source.display) for v in violations]
                results[index] = FileResult(source.display, shown, facts=facts)
                continue
        pending.append(index)

    workers = min(jobs, len(pending) // MIN_FILES_PER_WORKER)
    if workers > 1:
        chunk = max(1, len(pending) // (workers * 4))
        with ProcessPoolExecutor(workers, initializer=_init_worker, initargs=(settings,)) as pool:
            fresh = list(pool.map(_lint_in_worker, [sources[i] for i in pending], chunksize=chunk))
    else:
        fresh = [
            lint_bytes(sources[i].data, sources[i].display, settings, sources[i].match)
            for i in pending
        ]
    for index, result in zip(pending, fresh, strict=True):
        results[index] = result
        if cache is not None and index in digests:
            cache.put(sources[index].match, digests[index], result.violations, result.facts)
    if cache is not None:
        cache.save()
    return [results[index] for index in range(len(sources))]


def default_jobs() -> int:
    return os.cpu_count() or 1
