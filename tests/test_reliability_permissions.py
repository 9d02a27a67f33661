"""Files and folders the user may not read or write: one line each, exit status 2,
never an internal error, and every other file still linted (or written).

Permission bits do not stop root, and CI often runs as root: there these tests run
fkit as ``nobody`` in a subprocess, on a project that ``nobody`` owns. Where that is
impossible (not POSIX, or ``nobody`` cannot import fkit from where it is installed),
they are skipped.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import CliResult, run_cli, write_tree

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")

NOBODY = 65534
PYPROJECT = '[project]\nname = "demo"\nversion = "0.1.0"\ndependencies = ["fastmcp>=2.12"]\n'
IMAGE_IMPORT = 'from fastmcp import FastMCP, Image\n\nmcp = FastMCP("demo")\n'
FIXED_START = "from fastmcp import FastMCP\nfrom fastmcp.utilities.types import Image\n"


def _as_root() -> bool:
    return os.name == "posix" and os.geteuid() == 0


def _env() -> dict[str, str]:
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("FORCE_COLOR", None)
    return env


_DROP = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]


@functools.cache
def _launcher() -> list[str] | None:
    """How root starts a process as ``nobody`` that can run fkit: ``setpriv``, whose
    exec works in sandboxes where Python's own ``user=`` cannot reach the interpreter,
    else None."""
    if shutil.which("setpriv") is None:
        return None
    probe = subprocess.run(
        [*_DROP, sys.executable, "-c", "import fastmcp_kit.cli"],
        cwd="/",
        env=_env(),
        capture_output=True,
        check=False,
    )
    return _DROP if probe.returncode == 0 else None


@pytest.fixture
def root(tmp_path: Path) -> Iterator[Path]:
    """The project folder: under root, one ``nobody`` can reach (pytest's own
    temporary folders are private to root)."""
    if not _as_root():
        yield tmp_path
        return
    if _launcher() is None:
        pytest.skip("running as root, and cannot run fkit as nobody here (setpriv)")
    folder = Path(tempfile.mkdtemp(prefix="fkit-permissions-"))
    folder.chmod(0o755)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def hand_over(root: Path) -> None:
    """Make the tree the unprivileged user's own (under root: ``nobody``'s)."""
    if _as_root():
        for path in [root, *root.rglob("*")]:
            os.lchown(path, NOBODY, NOBODY)


def run_unprivileged(root: Path, *args: str) -> CliResult:
    """``fkit ARGS`` in ``root`` as a user the permission bits apply to."""
    if not _as_root():
        return run_cli(list(args), cwd=root)
    launcher = _launcher()
    assert launcher is not None, "the root fixture skips without one"
    done = subprocess.run(
        [*launcher, sys.executable, "-m", "fastmcp_kit", *args],
        cwd=root,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    return CliResult(done.returncode, done.stdout, done.stderr)


def lint(root: Path, *args: str) -> CliResult:
    return run_unprivileged(root, "lint", "--no-cache", "--output-format", "concise", *args)


def test_an_unreadable_folder_is_an_error_and_the_rest_is_linted(root: Path) -> None:
    write_tree(root, {"pyproject.toml": PYPROJECT, "server.py": IMAGE_IMPORT, "closed/a.py": ""})
    hand_over(root)
    (root / "closed").chmod(0o000)
    try:
        result = lint(root)
    finally:
        (root / "closed").chmod(0o755)
    assert result.exit_code == 2, result.stderr
    assert result.stdout.startswith("server.py:1:30: FMCP301"), result.stdout
    assert "fkit: error: closed: cannot list folder: Permission denied; skipped" in (result.stderr)
    assert "internal error" not in result.stderr


def test_an_unreadable_file_is_one_line_naming_it(root: Path) -> None:
    write_tree(root, {"pyproject.toml": PYPROJECT, "server.py": IMAGE_IMPORT, "secret.py": ""})
    hand_over(root)
    (root / "secret.py").chmod(0o000)
    result = lint(root)
    assert result.exit_code == 2, result.stderr
    assert result.stdout.startswith("server.py:1:30: FMCP301"), result.stdout
    assert result.stderr.splitlines() == [
        "fkit: error: secret.py: cannot read: Permission denied; skipped"
    ]


def test_a_read_only_folder_is_reported_and_the_rest_is_written(root: Path) -> None:
    write_tree(
        root, {"pyproject.toml": PYPROJECT, "server.py": IMAGE_IMPORT, "frozen/b.py": IMAGE_IMPORT}
    )
    hand_over(root)
    (root / "frozen").chmod(0o555)
    try:
        result = lint(root, "--fix")
    finally:
        (root / "frozen").chmod(0o755)
    assert result.exit_code == 2, result.stderr
    assert (root / "frozen" / "b.py").read_text(encoding="utf-8") == IMAGE_IMPORT
    assert (root / "server.py").read_text(encoding="utf-8").startswith(FIXED_START)
    assert "fkit: error: frozen/b.py: not written: its folder is read-only" in result.stderr
    assert "fkit: wrote 1 of 2 changed file(s); not written: frozen/b.py" in result.stderr
    assert "internal error" not in result.stderr


def test_a_file_the_user_may_not_write_is_reported(root: Path) -> None:
    # Pinned below 2.14: `upgrade --to 2.14` never downgrades a newer release.
    pinned = PYPROJECT.replace("fastmcp>=2.12", "fastmcp==2.13.3")
    write_tree(root, {"pyproject.toml": pinned, "theirs.py": IMAGE_IMPORT})
    result_path = root / "theirs.py"
    hand_over(root)
    if _as_root():
        os.chown(result_path, 0, 0)  # root's, mode 644: nobody may not write it
    else:
        result_path.chmod(0o444)
    result = run_unprivileged(root, "upgrade", "--to", "2.14", "--write")
    assert result.exit_code == 2, result.stderr
    assert result_path.read_text(encoding="utf-8") == IMAGE_IMPORT
    assert "fkit: error: theirs.py: not written:" in result.stderr
    assert "internal error" not in result.stderr


def test_a_project_without_write_permission_is_linted_uncached(root: Path) -> None:
    write_tree(root, {"pyproject.toml": PYPROJECT, "server.py": IMAGE_IMPORT})
    hand_over(root)
    root.chmod(0o555)
    try:
        result = run_unprivileged(root, "lint", "--output-format", "concise")
    finally:
        root.chmod(0o755)
    assert result.exit_code == 1, result.stderr
    assert result.stdout.startswith("server.py:1:30: FMCP301")
    assert result.stderr == ""
    assert not (root / ".fkit_cache").exists()
