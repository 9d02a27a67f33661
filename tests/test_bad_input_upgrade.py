"""``fkit upgrade`` and ``fkit new`` on bad input: one clear line, a non-zero exit,
and the project left as it was (never downgraded, never half moved, no work lost).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import one_line, run_cli, write_tree

PYPROJECT = '[project]\nname = "demo"\nversion = "0.1.0"\ndependencies = ["fastmcp>=4"]\n'
PINNED_2_13 = PYPROJECT.replace("fastmcp>=4", "fastmcp==2.13.3")
CLEAN = 'from fastmcp import FastMCP\n\nmcp = FastMCP("demo")\n'


def snapshot(root: Path) -> dict[str, bytes | None]:
    return {
        p.relative_to(root).as_posix(): (p.read_bytes() if p.is_file() else None)
        for p in sorted(root.rglob("*"))
    }


# -- fkit upgrade: versions and direction -----------------------------------------------------

PINNED_4_1 = PYPROJECT.replace("fastmcp>=4", "fastmcp==4.1.2")


def pinned(root: Path, pyproject: str = PINNED_4_1) -> Path:
    return write_tree(root, {"pyproject.toml": pyproject, "server.py": CLEAN})


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--to", "3"], "--to 3 is older than FastMCP 4.1.2 (pyproject.toml (==4.1.2)):"),
        (["--to", "2.14", "--write"], "--to 2.14 is older than FastMCP 4.1.2"),
        (["--from", "9.0", "--to", "4"], "--to 4 is older than FastMCP 9.0 (--from):"),
        (["--list", "--to", "3"], "--to 3 is older than FastMCP 4.1.2"),
    ],
    ids=["to-3", "to-2.14-write", "from-9", "list"],
)
def test_upgrade_never_downgrades(tmp_path: Path, args: list[str], message: str) -> None:
    root = pinned(tmp_path)
    line = one_line(run_cli(["upgrade", *args], cwd=root), message)
    assert line.endswith("fkit upgrade never downgrades")
    assert (root / "pyproject.toml").read_text() == PINNED_4_1


def test_upgrade_from_a_release_that_does_not_exist(tmp_path: Path) -> None:
    result = run_cli(["upgrade", "--from", "1.0", "--to", "4"], cwd=pinned(tmp_path))
    one_line(result, "--from: FastMCP 1.0 predates 2.0.0, the first release fkit knows")


def test_upgrade_from_a_newer_release_than_known_gets_a_notice(tmp_path: Path) -> None:
    result = run_cli(["upgrade", "--from", "4.9", "--to", "4"], cwd=pinned(tmp_path))
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines() == [
        "fkit: FastMCP 4.9 (--from) is newer than the releases this fkit knows (up to 4.2.3); "
        "upgrade fkit for what it changed."
    ]


# -- fkit upgrade: a file it cannot decode holds the pins ---------------------------------------

IMAGE_IMPORT = 'from fastmcp import FastMCP, Image\n\nmcp = FastMCP("demo")\n'
LATIN_1_IMAGE = b'from fastmcp import Image\ns = "caf\xe9"\n'  # no coding cookie


def test_upgrade_with_an_undecodable_file_leaves_the_pins_alone(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path,
        {"pyproject.toml": PINNED_2_13, "server.py": IMAGE_IMPORT, "legacy.py": LATIN_1_IMAGE},
    )
    result = run_cli(["upgrade", "--to", "4", "--write"], cwd=root)
    line = one_line(result, "legacy.py: cannot decode (not utf-8 text: ")
    assert line.endswith("it was not upgraded and the dependency pins were left as they are")
    assert (root / "pyproject.toml").read_text() == PINNED_2_13
    assert (root / "legacy.py").read_bytes() == LATIN_1_IMAGE
    assert "fastmcp.utilities.types import Image" in (root / "server.py").read_text()

    # Declared, the file is upgraded in its own encoding and the pins move.
    (root / "legacy.py").write_bytes(b"# -*- coding: latin-1 -*-\n" + LATIN_1_IMAGE)
    again = run_cli(["upgrade", "--to", "4", "--write"], cwd=root)
    assert again.exit_code == 0, again.stderr
    assert (root / "legacy.py").read_bytes() == (
        b'# -*- coding: latin-1 -*-\nfrom fastmcp.utilities.types import Image\ns = "caf\xe9"\n'
    )
    assert "fastmcp==2.13.3" not in (root / "pyproject.toml").read_text()


def test_upgrade_with_an_undecodable_pin_file(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path,
        {
            "pyproject.toml": PINNED_2_13,
            "server.py": IMAGE_IMPORT,
            "requirements.txt": b"fastmcp==2.13.3  # caf\xe9\n",
        },
    )
    result = run_cli(["upgrade", "--to", "4", "--write"], cwd=root)
    one_line(result, "requirements.txt: cannot decode", "dependency pins were left as they are")
    assert (root / "pyproject.toml").read_text() == PINNED_2_13
    assert (root / "requirements.txt").read_bytes() == b"fastmcp==2.13.3  # caf\xe9\n"


# -- fkit upgrade: fastmcp.json that cannot take the server's dependencies ----------------


@pytest.mark.parametrize(
    ("fastmcp_json", "message"),
    [
        ("{\n", "fastmcp.json: not valid JSON (Expecting property name"),
        ('{"environment": {"dependencies": "pandas"}}', '"environment.dependencies" is not a list'),
    ],
    ids=["invalid-json", "dependencies-not-a-list"],
)
def test_upgrade_never_drops_server_dependencies_it_cannot_place(
    tmp_path: Path, fastmcp_json: str, message: str
) -> None:
    server = 'from fastmcp import FastMCP\n\nmcp = FastMCP("demo", dependencies=["pandas"])\n'
    files: dict[str, str | bytes] = {
        "pyproject.toml": PINNED_2_13,
        "server.py": server,
        "fastmcp.json": fastmcp_json,
    }
    root = write_tree(tmp_path, files)
    line = one_line(run_cli(["upgrade", "--to", "4", "--write"], cwd=root), message)
    assert line.endswith(
        "so the dependencies= of server.py cannot move into it; nothing was upgraded"
    )
    assert snapshot(root) == {name: text.encode() for name, text in files.items()}


# -- fkit new: all or nothing, never over existing work ---------------------------------------


def test_new_refuses_a_folder_with_work_in_it(tmp_path: Path) -> None:
    dest = write_tree(tmp_path / "work", {"notes.txt": "mine\n", "src/app.py": "x = 1\n"})
    before = snapshot(tmp_path)
    one_line(run_cli(["new", str(dest)], cwd=tmp_path), f"'{dest}' already exists and is not empty")
    assert snapshot(tmp_path) == before


def test_new_render_failure_leaves_an_empty_folder_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import copier
    from copier.errors import CopierError

    def half_render(source: str, target: Path, **kwargs: object) -> None:
        Path(target).mkdir(parents=True)
        (Path(target) / "pyproject.toml").write_text("half\n")
        raise CopierError("template exploded")

    monkeypatch.setattr(copier, "run_copy", half_render)
    dest = tmp_path / "proj"
    dest.mkdir()
    result = run_cli(["new", str(dest), "--defaults"], cwd=tmp_path)
    one_line(result, "could not render the template: template exploded")
    assert snapshot(tmp_path) == {"proj": None}  # no scratch folder left beside it either


def test_new_move_failure_takes_back_what_it_moved(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    from fastmcp_kit.scaffold import render

    dest = tmp_path / "proj"
    dest.mkdir()
    real_rename = os.rename
    calls = []

    def rename_fails_third(src: object, dst: object) -> None:
        calls.append(dst)
        if len(calls) == 3 and Path(str(dst)).parent == dest:
            raise OSError(28, "No space left on device")
        real_rename(src, dst)  # type: ignore[arg-type]

    monkeypatch.setattr(render.os, "rename", rename_fails_third)
    result = run_cli(["new", str(dest), "--defaults"], cwd=tmp_path)
    one_line(result, f"cannot create '{dest}': No space left on device")
    assert snapshot(tmp_path) == {"proj": None}
