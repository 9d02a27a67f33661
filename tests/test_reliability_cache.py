"""The result cache cannot hurt a run: a damaged, truncated or wrong-typed entry is a
miss (the file is linted again and the entry rewritten), a cache that cannot be
written leaves an uncached run, and nothing in it is ever a crash or a hang."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from fastmcp_kit.lint.cache import CACHE_DIR, _checksum
from tests.helpers import CliResult, run_cli, write_tree

PYPROJECT = '[project]\nname = "demo"\nversion = "0.1.0"\ndependencies = ["fastmcp==4.2.3"]\n'
IMAGE_IMPORT = 'from fastmcp import FastMCP, Image\n\nmcp = FastMCP("demo")\n'


@pytest.fixture(autouse=True)
def _plain_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    for name in ("FORCE_COLOR", "COLUMNS", "LINES", "GITHUB_ACTIONS"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def linted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files the engine lints (cache misses), in order."""
    from fastmcp_kit.lint import engine

    seen: list[str] = []
    original = engine.lint_bytes

    def counting(data: bytes, path: str, *args: Any, **kwargs: Any) -> engine.FileResult:
        seen.append(path)
        return original(data, path, *args, **kwargs)

    monkeypatch.setattr(engine, "lint_bytes", counting)
    return seen


def lint(root: Path) -> CliResult:
    return run_cli(["lint", "--output-format", "json"], cwd=root)


def cache_files(root: Path) -> list[Path]:
    found = sorted((root / CACHE_DIR).glob("*.json"))
    assert found, "the first run writes a cache"
    return found


def edit_entries(root: Path, edit: Callable[[dict[str, Any]], None]) -> None:
    for path in cache_files(root):
        document = json.loads(path.read_text(encoding="utf-8"))
        edit(document)
        path.write_text(json.dumps(document), encoding="utf-8")


def reseal(entry: dict[str, Any], payload: Any) -> None:
    """Store ``payload`` with a valid checksum: damage only a type check can see."""
    entry["body"] = json.dumps(payload)
    entry["check"] = _checksum(entry["body"])


def _flip_a_byte(entry: dict[str, Any]) -> None:
    entry["body"] = entry["body"].replace("FMCP301", "FMCP302", 1)


def _row_as_text(entry: dict[str, Any]) -> None:
    payload = json.loads(entry["body"])
    payload["violations"][0]["location"]["row"] = "1"
    reseal(entry, payload)


def _violations_as_object(entry: dict[str, Any]) -> None:
    payload = json.loads(entry["body"])
    payload["violations"] = {"0": payload["violations"][0]}
    reseal(entry, payload)


def _facts_as_list(entry: dict[str, Any]) -> None:
    payload = json.loads(entry["body"])
    payload["facts"] = [1, 2]
    reseal(entry, payload)


def _body_as_number(entry: dict[str, Any]) -> None:
    entry["body"] = 7


DAMAGE = {
    "flipped-byte": _flip_a_byte,
    "row-as-text": _row_as_text,
    "violations-as-object": _violations_as_object,
    "facts-as-list": _facts_as_list,
    "body-as-number": _body_as_number,
}


@pytest.mark.parametrize("damage", DAMAGE.values(), ids=DAMAGE.keys())
def test_a_damaged_entry_is_one_miss_and_is_rewritten(
    tmp_path: Path, linted: list[str], damage: Callable[[dict[str, Any]], None]
) -> None:
    write_tree(tmp_path, {"pyproject.toml": PYPROJECT, "a.py": IMAGE_IMPORT, "b.py": IMAGE_IMPORT})
    cold = lint(tmp_path)
    assert cold.exit_code == 1, cold.stderr
    edit_entries(tmp_path, lambda document: damage(document["files"]["a.py"]))
    linted.clear()
    warm = lint(tmp_path)
    assert (warm.exit_code, warm.stdout, warm.stderr) == (1, cold.stdout, "")
    assert linted == ["a.py"]  # b.py still came from the cache
    linted.clear()
    assert lint(tmp_path).stdout == cold.stdout
    assert linted == []  # the entry was written again, whole


def test_a_damaged_project_entry_is_a_miss(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pyproject.toml": PYPROJECT, "a.py": IMAGE_IMPORT})
    cold = lint(tmp_path)

    def damage(document: dict[str, Any]) -> None:
        if document["project"]:
            reseal(document["project"], [{"code": 3}])

    edit_entries(tmp_path, damage)
    warm = lint(tmp_path)
    assert (warm.exit_code, warm.stdout, warm.stderr) == (1, cold.stdout, "")


@pytest.mark.parametrize(
    "content", [b"", b'{"files": {"a.py": {"ha', b"\xff\xfe garbage", b"[1, 2]", b"[" * 100_000]
)
def test_a_truncated_or_foreign_cache_file_is_a_miss(tmp_path: Path, content: bytes) -> None:
    write_tree(tmp_path, {"pyproject.toml": PYPROJECT, "a.py": IMAGE_IMPORT})
    cold = lint(tmp_path)
    for path in cache_files(tmp_path):
        path.write_bytes(content)
    warm = lint(tmp_path)
    assert (warm.exit_code, warm.stdout, warm.stderr) == (1, cold.stdout, "")
    for path in cache_files(tmp_path):
        assert "a.py" in json.loads(path.read_text(encoding="utf-8"))["files"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_in_place_of_the_cache_does_not_hang(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pyproject.toml": PYPROJECT, "a.py": IMAGE_IMPORT})
    assert lint(tmp_path).exit_code == 1
    for path in cache_files(tmp_path):
        path.unlink()
        os.mkfifo(path)
    done = subprocess.run(
        [sys.executable, "-m", "fastmcp_kit", "lint", "--output-format", "concise"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert done.stdout.startswith("a.py:1:30: FMCP301")


def test_no_cache_folder_in_a_read_only_project(tmp_path: Path) -> None:
    # No write bit on the project folder: left alone even by root.
    write_tree(tmp_path, {"pyproject.toml": PYPROJECT, "a.py": IMAGE_IMPORT})
    tmp_path.chmod(0o555)
    try:
        result = lint(tmp_path)
    finally:
        tmp_path.chmod(0o755)
    assert (result.exit_code, result.stderr) == (1, "")
    assert json.loads(result.stdout)[0]["code"] == "FMCP301"
    assert not (tmp_path / CACHE_DIR).exists()


def test_the_cache_is_written_whole_and_leaves_no_temporary(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pyproject.toml": PYPROJECT, "a.py": IMAGE_IMPORT})
    lint(tmp_path)
    (tmp_path / "a.py").write_text("x = 1\n", encoding="utf-8")
    lint(tmp_path)
    folder = tmp_path / CACHE_DIR
    names = sorted(path.name for path in folder.iterdir())
    assert not [name for name in names if name.endswith(".fkit-tmp")], names
    assert ".gitignore" in names
    for path in cache_files(tmp_path):
        json.loads(path.read_text(encoding="utf-8"))
