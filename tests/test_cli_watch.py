"""``fkit lint --watch`` from the user's side: a real process, a real file saved."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.helpers import run_cli, write_tree

PYPROJECT = '[project]\nname = "w"\nversion = "0"\ndependencies = ["fastmcp==4.2.3"]\n'
BROKEN = 'from fastmcp import FastMCP\nmcp = FastMCP("x")\n\n@mcp.resource("no-scheme")\ndef r() -> str:\n    return "x"\n'


def _read_until(process: subprocess.Popen[str], text: str, seen: list[str], timeout: float) -> bool:
    assert process.stderr is not None
    deadline = time.monotonic() + timeout
    descriptor = process.stderr.fileno()
    os.set_blocking(descriptor, False)
    while time.monotonic() < deadline:
        try:
            chunk = os.read(descriptor, 65536)
        except BlockingIOError:
            chunk = b""
        if chunk:
            seen.append(chunk.decode())
        if text in "".join(seen):
            return True
        time.sleep(0.1)
    return False


def test_watch_lints_again_when_a_file_is_saved(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {"pyproject.toml": PYPROJECT, "server.py": "x = 1\n"})
    process = subprocess.Popen(
        [sys.executable, "-m", "fastmcp_kit", "lint", "--no-cache", "--watch", "."],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
    )
    seen: list[str] = []
    try:
        assert _read_until(process, "watching for changes", seen, 60), "".join(seen)
        (root / "server.py").write_text(BROKEN)
        assert _read_until(process, "linting again", seen, 60), "".join(seen)
        time.sleep(2)  # the second run's findings go to stdout
    finally:
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    assert out.count("All checks passed!") == 1
    assert "FMCP202" in out and "Found 1 error." in out
    assert "server.py changed" in "".join(seen) + err


def test_watch_refuses_stdin_and_write_modes(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {"pyproject.toml": PYPROJECT, "server.py": "x = 1\n"})
    stdin = run_cli(["lint", "--watch", "-"], cwd=root, stdin=b"x = 1\n")
    assert stdin.exit_code == 2 and "not with `-`" in stdin.stderr
    diff = run_cli(["lint", "--watch", "--diff", "."], cwd=root)
    assert diff.exit_code == 2 and "--watch cannot be combined with --diff" in diff.stderr


def test_only_files_that_change_findings_wake_the_watch() -> None:
    from fastmcp_kit.cli.watch import relevant

    assert relevant("/p/src/server.py") and relevant("/p/.env") and relevant("/p/uv.lock")
    assert relevant("/p/pyproject.toml") and relevant("/p/Dockerfile")
    assert not relevant("/p/README.md") and not relevant("/p/.fkit_cache/x.json")
    assert not relevant("/p/.git/index") and not relevant("/p/.venv/lib/site.py")
