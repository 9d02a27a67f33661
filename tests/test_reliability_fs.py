"""Never lose a user's work: writing fixed files back (``fkit lint --fix``, ``fkit
upgrade --write``) and the filesystem's oddities met while finding files.

Each scenario builds a small project in ``tmp_path`` and runs the real command line.
What needs a user who cannot write is in ``test_reliability_permissions.py``.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from fastmcp_kit.atomic import WriteRefused, replace_file
from tests.helpers import CliResult, run_cli, write_tree

PYPROJECT = '[project]\nname = "demo"\nversion = "0.1.0"\ndependencies = ["fastmcp>=2.12"]\n'

# FMCP301 with a safe fix.
IMAGE_IMPORT = 'from fastmcp import FastMCP, Image\n\nmcp = FastMCP("demo")\n'
IMAGE_IMPORT_FIXED = (
    "from fastmcp import FastMCP\n"
    "from fastmcp.utilities.types import Image\n"
    "\n"
    'mcp = FastMCP("demo")\n'
)
USER_EDIT = '# saved in the editor while fkit ran\nfrom fastmcp import FastMCP, Image\n\nmcp = FastMCP("x")\n'


@pytest.fixture(autouse=True)
def _plain_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    for name in ("FORCE_COLOR", "COLUMNS", "LINES", "GITHUB_ACTIONS"):
        monkeypatch.delenv(name, raising=False)


def project(root: Path, files: dict[str, str | bytes]) -> Path:
    return write_tree(root, {"pyproject.toml": PYPROJECT, **files})


def fix(root: Path, *args: str) -> CliResult:
    return run_cli(["lint", "--no-cache", "--fix", "--output-format", "concise", *args], cwd=root)


def edit_after_reading(monkeypatch: pytest.MonkeyPatch, victim: Path, text: str) -> None:
    """The user saves ``victim`` in the editor once fkit has linted it, before the write."""
    from fastmcp_kit.lint import engine

    original = engine.lint_bytes

    def lint_then_edit(*args: object, **kwargs: object) -> engine.FileResult:
        result = original(*args, **kwargs)  # type: ignore[arg-type]
        if result.path == victim.name:
            victim.write_text(text, encoding="utf-8")
        return result

    monkeypatch.setattr(engine, "lint_bytes", lint_then_edit)


# -- lint --fix: what is on disk is respected ----------------------------------------


def test_a_file_edited_during_a_fix_run_keeps_the_edit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project(tmp_path, {"edited.py": IMAGE_IMPORT, "other.py": IMAGE_IMPORT})
    edit_after_reading(monkeypatch, tmp_path / "edited.py", USER_EDIT)
    result = fix(tmp_path)
    assert (tmp_path / "edited.py").read_text(encoding="utf-8") == USER_EDIT
    # The rest of the run is written, and the account says what was not.
    assert (tmp_path / "other.py").read_text(encoding="utf-8") == IMAGE_IMPORT_FIXED
    assert result.exit_code == 2, result.stderr
    assert "fkit: error: edited.py: not written: changed on disk since fkit read it" in (
        result.stderr
    )
    assert "fkit: wrote 1 of 2 changed file(s); not written: edited.py" in result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    # Its finding is still reported, as it was read: nothing was fixed in it.
    assert result.stdout.startswith("edited.py:1:30: FMCP301"), result.stdout


def test_a_symlinked_file_is_fixed_through_the_link(tmp_path: Path) -> None:
    # Found by walking src/; the file it names is outside the folder linted.
    project(tmp_path, {"outside/target.py": IMAGE_IMPORT, "src/__init__.py": ""})
    link = tmp_path / "src" / "link.py"
    link.symlink_to(Path("..") / "outside" / "target.py")
    result = fix(tmp_path, "src")
    assert result.exit_code == 0, result.stderr
    assert link.is_symlink() and os.readlink(link) == os.path.join("..", "outside", "target.py")
    assert (tmp_path / "outside/target.py").read_text(encoding="utf-8") == IMAGE_IMPORT_FIXED


def test_a_file_and_a_link_to_it_in_one_run_are_written_once(tmp_path: Path) -> None:
    project(tmp_path, {"real.py": IMAGE_IMPORT})
    (tmp_path / "link.py").symlink_to("real.py")
    result = fix(tmp_path)
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "link.py").is_symlink()
    assert (tmp_path / "real.py").read_text(encoding="utf-8") == IMAGE_IMPORT_FIXED


def test_hard_links_all_see_the_fix(tmp_path: Path) -> None:
    project(tmp_path, {"server.py": IMAGE_IMPORT})
    other = tmp_path / "elsewhere" / "same.txt"
    other.parent.mkdir()
    os.link(tmp_path / "server.py", other)
    inode = (tmp_path / "server.py").stat().st_ino
    assert fix(tmp_path, "server.py").exit_code == 0
    assert (tmp_path / "server.py").stat().st_ino == inode
    assert other.read_text(encoding="utf-8") == IMAGE_IMPORT_FIXED


def test_two_hard_linked_names_in_one_run_are_written_once(tmp_path: Path) -> None:
    project(tmp_path, {"a.py": IMAGE_IMPORT})
    os.link(tmp_path / "a.py", tmp_path / "b.py")
    result = fix(tmp_path)
    assert (result.exit_code, result.stderr) == (0, "")
    assert (tmp_path / "b.py").read_text(encoding="utf-8") == IMAGE_IMPORT_FIXED
    assert (tmp_path / "a.py").stat().st_ino == (tmp_path / "b.py").stat().st_ino


def test_mode_is_kept(tmp_path: Path) -> None:
    project(tmp_path, {"server.py": IMAGE_IMPORT})
    (tmp_path / "server.py").chmod(0o751)
    assert fix(tmp_path).exit_code == 0
    assert stat.S_IMODE((tmp_path / "server.py").stat().st_mode) == 0o751
    assert (tmp_path / "server.py").read_text(encoding="utf-8") == IMAGE_IMPORT_FIXED


@pytest.mark.skipif(os.name != "posix" or os.geteuid() != 0, reason="only root may chown")
def test_owner_is_kept(tmp_path: Path) -> None:
    project(tmp_path, {"server.py": IMAGE_IMPORT})
    os.chown(tmp_path / "server.py", 4321, 8765)
    assert fix(tmp_path).exit_code == 0
    info = (tmp_path / "server.py").stat()
    assert (info.st_uid, info.st_gid) == (4321, 8765)
    assert (tmp_path / "server.py").read_text(encoding="utf-8") == IMAGE_IMPORT_FIXED


def test_a_read_only_file_is_reported_and_left_alone(tmp_path: Path) -> None:
    # No write bit at all: left alone even by root, whom permission bits do not stop.
    project(tmp_path, {"locked.py": IMAGE_IMPORT, "open.py": IMAGE_IMPORT})
    (tmp_path / "locked.py").chmod(0o444)
    result = fix(tmp_path)
    assert (tmp_path / "locked.py").read_text(encoding="utf-8") == IMAGE_IMPORT
    assert (tmp_path / "open.py").read_text(encoding="utf-8") == IMAGE_IMPORT_FIXED
    assert result.exit_code == 2
    assert "fkit: error: locked.py: not written: read-only file; left as it is" in result.stderr
    assert "internal error" not in result.stderr


def test_a_folder_that_refuses_the_temporary_file_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What a read-only folder does to the temporary file, whoever runs the test."""
    import errno

    from fastmcp_kit import atomic

    def refuse(target: Path, mode: int) -> tuple[int, str]:
        raise PermissionError(errno.EACCES, "Permission denied", str(target.parent))

    monkeypatch.setattr(atomic, "create_temporary", refuse)
    project(tmp_path, {"server.py": IMAGE_IMPORT})
    result = fix(tmp_path)
    assert result.exit_code == 2
    assert (tmp_path / "server.py").read_text(encoding="utf-8") == IMAGE_IMPORT
    assert "fkit: error: server.py: not written: permission denied" in result.stderr
    assert "internal error" not in result.stderr


def test_stale_temporary_files_are_removed_on_the_next_write(tmp_path: Path) -> None:
    project(tmp_path, {"server.py": IMAGE_IMPORT})
    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    )
    dead = int(gone.stdout)
    stale = [f".server.py.{dead}-0a1b2c3d.fkit-tmp", ".server.py.k2j4_9zq.fkit-tmp"]
    kept = [
        f".server.py.{os.getppid()}-0a1b2c3d.fkit-tmp",  # a live process's write
        f".other.py.{dead}-0a1b2c3d.fkit-tmp",  # another file's
        ".server.py.my-notes.fkit-tmp",  # not fkit's pattern
        "server.py.bak",
    ]
    for name in stale + kept:
        (tmp_path / name).write_text("x", encoding="utf-8")
    old = (tmp_path / stale[1]).stat().st_mtime - 3600  # a name without a pid: by age
    os.utime(tmp_path / stale[1], (old, old))
    assert fix(tmp_path, "server.py").exit_code == 0
    left = {path.name for path in tmp_path.iterdir()}
    assert not left & set(stale), left
    assert set(kept) <= left


def test_replace_file_refuses_changed_content_and_a_taken_name(tmp_path: Path) -> None:
    path = tmp_path / "a.py"
    path.write_bytes(b"theirs\n")
    with pytest.raises(WriteRefused, match="changed on disk"):
        replace_file(path, b"ours\n", expected=b"what was read\n")
    with pytest.raises(WriteRefused, match="created on disk since fkit looked"):
        replace_file(path, b"ours\n", expected=None)
    assert path.read_bytes() == b"theirs\n"
    assert [p.name for p in tmp_path.iterdir()] == ["a.py"]  # no temporary left


# -- upgrade --write ---------------------------------------------------------------

SERVER_213 = 'from fastmcp import FastMCP, Image\n\nmcp = FastMCP("demo")\n'
# Pinned below 2.14: `upgrade --to 2.14` never downgrades a newer release.
UPGRADE_PYPROJECT = (
    '[project]\nname = "demo"\nversion = "0.1.0"\ndependencies = ["fastmcp==2.13.3"]\n'
)


def test_upgrade_keeps_an_edit_made_during_the_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from fastmcp_kit.upgrade import session

    write_tree(
        tmp_path,
        {"pyproject.toml": UPGRADE_PYPROJECT, "edited.py": SERVER_213, "other.py": SERVER_213},
    )
    original = session.upgrade_python

    def upgrade_then_edit(*args: object, **kwargs: object) -> object:
        result = original(*args, **kwargs)  # type: ignore[arg-type]
        if kwargs.get("filename") == "edited.py":
            (tmp_path / "edited.py").write_text(USER_EDIT, encoding="utf-8")
        return result

    monkeypatch.setattr(session, "upgrade_python", upgrade_then_edit)
    result = run_cli(["upgrade", "--to", "2.14", "--write"], cwd=tmp_path)
    assert (tmp_path / "edited.py").read_text(encoding="utf-8") == USER_EDIT
    assert "fastmcp.utilities.types import Image" in (tmp_path / "other.py").read_text()
    assert result.exit_code == 2
    assert "fkit: error: edited.py: not written: changed on disk since fkit read it" in (
        result.stderr
    )
    assert "not written: edited.py" in result.stderr
    assert "internal error" not in result.stderr


def test_upgrade_leaves_a_read_only_file_and_reports_it(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pyproject.toml": UPGRADE_PYPROJECT, "server.py": SERVER_213})
    (tmp_path / "server.py").chmod(0o444)
    link = tmp_path / "linked.py"
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "target.py").write_text(SERVER_213, encoding="utf-8")
    link.symlink_to(Path("real") / "target.py")
    result = run_cli(["upgrade", "--to", "2.14", "--write"], cwd=tmp_path)
    assert result.exit_code == 2
    assert (tmp_path / "server.py").read_text(encoding="utf-8") == SERVER_213
    assert "fkit: error: server.py: not written: read-only file" in result.stderr
    # The symlinked file is upgraded through its link.
    assert link.is_symlink()
    assert "fastmcp.utilities.types" in (tmp_path / "real" / "target.py").read_text()


# -- discovery: what is not a regular file --------------------------------------------


def fkit_process(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """fkit in its own process with a timeout: a run that hangs fails the test instead
    of hanging the suite."""
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "fastmcp_kit", *args],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")


@needs_fifo
def test_a_fifo_beside_a_server_does_not_hang_lint(tmp_path: Path) -> None:
    project(tmp_path, {"server.py": IMAGE_IMPORT})
    os.mkfifo(tmp_path / "x.py")
    done = fkit_process(tmp_path, "lint", "--output-format", "concise")
    assert done.returncode == 1, done.stderr
    assert done.stdout.startswith("server.py:1:30: FMCP301"), done.stdout
    assert "fkit: warning: x.py: skipped: a FIFO, not a regular file" in done.stderr


@needs_fifo
def test_a_fifo_does_not_hang_upgrade(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pyproject.toml": UPGRADE_PYPROJECT, "server.py": SERVER_213})
    os.mkfifo(tmp_path / "x.py")
    os.mkfifo(tmp_path / ".env")  # a text codemod's file too
    done = fkit_process(tmp_path, "upgrade", "--to", "2.14", "--write")
    assert done.returncode == 0, done.stderr
    assert "fastmcp.utilities.types" in (tmp_path / "server.py").read_text()
    assert "fkit: warning: x.py: skipped: a FIFO, not a regular file" in done.stderr


@needs_fifo
def test_a_fifo_named_on_the_command_line_is_one_error(tmp_path: Path) -> None:
    project(tmp_path, {"server.py": IMAGE_IMPORT})
    os.mkfifo(tmp_path / "x.py")
    done = fkit_process(tmp_path, "lint", "--output-format", "concise", "x.py", "server.py")
    assert done.returncode == 2
    assert done.stderr.splitlines() == ["fkit: error: x.py: skipped: a FIFO, not a regular file"]
    assert done.stdout.startswith("server.py:1:30: FMCP301")  # the others are still linted


def test_dangling_symlinks_and_loops_do_not_abort_the_run(tmp_path: Path) -> None:
    project(tmp_path, {"server.py": IMAGE_IMPORT})
    (tmp_path / "dangling.py").symlink_to("nowhere.py")
    (tmp_path / "loop.py").symlink_to("loop.py")
    result = run_cli(["lint", "--no-cache", "--output-format", "concise"], cwd=tmp_path)
    assert result.exit_code == 1, result.stderr
    assert result.stdout.startswith("server.py:1:30: FMCP301")
    assert result.stderr.splitlines() == [
        "fkit: warning: dangling.py: skipped: a dangling symlink (to nowhere.py)",
        "fkit: warning: loop.py: skipped: a symlink loop",
    ]


def test_a_dangling_symlink_named_on_the_command_line_is_an_error(tmp_path: Path) -> None:
    project(tmp_path, {"server.py": IMAGE_IMPORT})
    (tmp_path / "dangling.py").symlink_to("nowhere.py")
    result = run_cli(["lint", "--no-cache", "dangling.py"], cwd=tmp_path)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == (
        "fkit: error: dangling.py: skipped: a dangling symlink (to nowhere.py)"
    )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_show_files_skips_a_fifo_too(tmp_path: Path) -> None:
    project(tmp_path, {"server.py": IMAGE_IMPORT})
    os.mkfifo(tmp_path / "x.py")
    done = fkit_process(tmp_path, "lint", "--show-files")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["server.py"]
