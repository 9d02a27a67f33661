"""Worker processes: never more than the cores the run may use, and gone when fkit is
killed outright."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from fastmcp_kit.lint.runner import MIN_FILES_PER_WORKER, default_jobs, worker_count
from tests.helpers import run_cli, write_tree


def test_default_jobs_is_the_cores_this_process_may_use() -> None:
    if hasattr(os, "sched_getaffinity"):
        assert default_jobs() == len(os.sched_getaffinity(0))
    else:
        assert default_jobs() == (os.cpu_count() or 1)


def test_jobs_are_capped_at_the_cores() -> None:
    many_files = 1000 * MIN_FILES_PER_WORKER * default_jobs()
    assert worker_count(10_000, many_files) == default_jobs()
    assert worker_count(1, many_files) == 1
    # Few files: no more workers than they repay, whatever was asked.
    assert worker_count(10_000, 2 * MIN_FILES_PER_WORKER) == min(2, default_jobs())


def test_a_run_asking_for_more_jobs_than_cores_starts_no_more_workers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from fastmcp_kit.lint import runner

    started: list[int] = []
    original = runner.worker_pool

    def recording(workers: int, settings: tuple[object, ...]) -> object:
        started.append(workers)
        return original(workers, settings)  # type: ignore[arg-type]

    monkeypatch.setattr(runner, "worker_pool", recording)
    files = {
        f"mod_{i:03}.py": "x = 1\n" for i in range((default_jobs() + 2) * MIN_FILES_PER_WORKER)
    }
    write_tree(tmp_path, {"pyproject.toml": '[project]\nname = "d"\nversion = "0"\n', **files})
    result = run_cli(["lint", "--no-cache", "--jobs", "999"], cwd=tmp_path)
    assert result.exit_code == 0, result.stderr
    assert all(workers <= default_jobs() for workers in started), started


# A parent that starts fkit's worker pool, prints the workers' ids, and dies by SIGKILL:
# no cleanup of its own runs.
PARENT = """
import os, signal
from fastmcp_kit.lint import runner
pool = runner.worker_pool(2, ())
assert list(pool.map(abs, [-1, -2, -3, -4])) == [1, 2, 3, 4]
print(" ".join(str(pid) for pid in pool._processes), flush=True)
os.kill(os.getpid(), signal.SIGKILL)
"""


def _gone(pid: int) -> bool:
    """Exited: no such process, or a zombie that its new parent has not reaped yet."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    status = Path(f"/proc/{pid}/status")
    if status.exists():
        fields = dict(line.split(":", 1) for line in status.read_text().splitlines() if ":" in line)
        return fields.get("State", "").strip().startswith("Z")
    return False


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL and re-parenting are POSIX")
def test_workers_exit_when_fkit_is_killed(tmp_path: Path) -> None:
    # A file, not a pipe: workers that outlive the parent would hold a pipe open.
    out = tmp_path / "out.txt"
    with out.open("w") as handle:
        done = subprocess.run(
            [sys.executable, "-c", PARENT],
            stdout=handle,
            stderr=subprocess.DEVNULL,
            timeout=120,
            check=False,
        )
    assert done.returncode == -signal.SIGKILL
    workers = [int(pid) for pid in out.read_text().split()]
    assert len(workers) == 2, workers
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not all(_gone(pid) for pid in workers):
        time.sleep(0.1)
    left = [pid for pid in workers if not _gone(pid)]
    for pid in left:  # do not leave them behind for the rest of the suite
        os.kill(pid, signal.SIGKILL)
    assert not left, f"workers {left} outlived their killed parent"
