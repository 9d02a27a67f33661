"""Imports where isort puts them: every import a fix or a codemod adds or rewrites is
placed so that ``ruff check --select I`` (ruff's isort, default settings) stays clean.

The shapes are real ones: docstrings, ``__future__``, stdlib / third-party /
first-party sections, comments, ``TYPE_CHECKING`` blocks and imports in ``try``; and
the end-to-end tests run ``fkit lint --fix`` and ``fkit upgrade --write`` over the
fixture projects."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import libcst as cst
import pytest

from fastmcp_kit.lint.fixes import apply_fixes
from fastmcp_kit.lint.rule import Fix, ImportSpec
from tests.helpers import run_cli

RUFF = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
FIXTURES = Path(__file__).parent / "fixtures"

pytestmark = pytest.mark.skipif(RUFF is None, reason="ruff (the test extra) is not installed")


def isort_problems(root: Path, files: list[Path] | None = None) -> dict[str, list[str]]:
    """ruff's I001 findings per file (relative to ``root``), with default settings and
    ``root`` as the project root (so its own packages are first party)."""
    assert RUFF is not None
    targets = [str(f.relative_to(root)) for f in files] if files is not None else ["."]
    if not targets:
        return {}
    run = subprocess.run(
        [RUFF, "check", "--isolated", "--select", "I", "--output-format", "json", *targets],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    found: dict[str, list[str]] = {}
    for item in json.loads(run.stdout or "[]"):
        name = Path(item["filename"]).resolve().relative_to(root.resolve()).as_posix()
        found.setdefault(name, []).append(item["message"])
    return found


def with_imports(source: str, *specs: ImportSpec, tmp_path: Path) -> str:
    """``source`` after a fix that needs ``specs``; checked isort-clean by ruff."""
    module = cst.parse_module(textwrap.dedent(source).lstrip("\n"))
    fixed = apply_fixes(module, [Fix("add", add_imports=specs)], frozenset({"myapp"})).code
    (tmp_path / "myapp").mkdir(exist_ok=True)
    (tmp_path / "myapp" / "__init__.py").write_text("", encoding="utf-8")
    (tmp_path / "server.py").write_text(fixed, encoding="utf-8")
    assert isort_problems(tmp_path, [tmp_path / "server.py"]) == {}, fixed
    return fixed


DATETIME = ImportSpec("datetime", "timezone")
CONTEXT = ImportSpec("fastmcp", "Context")
IMAGE = ImportSpec("fastmcp.utilities.types", "Image")
ASYNCIO = ImportSpec("asyncio")


def test_stdlib_third_and_first_party_sections(tmp_path: Path) -> None:
    fixed = with_imports(
        """
        import os
        from datetime import datetime

        from fastmcp import FastMCP

        from myapp import tools

        mcp = FastMCP("demo")
        """,
        DATETIME,
        CONTEXT,
        IMAGE,
        ASYNCIO,
        tmp_path=tmp_path,
    )
    assert fixed.startswith(
        "import asyncio\nimport os\nfrom datetime import datetime, timezone\n\n"
        "from fastmcp import Context, FastMCP\nfrom fastmcp.utilities.types import Image\n\n"
        "from myapp import tools\n"
    )


def test_docstring_future_and_comments_stay_in_place(tmp_path: Path) -> None:
    fixed = with_imports(
        '''
        """The server."""

        from __future__ import annotations

        # the standard library
        import os

        # third party
        from fastmcp import FastMCP

        mcp = FastMCP("demo")
        ''',
        ASYNCIO,
        IMAGE,
        tmp_path=tmp_path,
    )
    assert fixed.startswith('"""The server."""\n\nfrom __future__ import annotations\n')
    assert "# the standard library\nimport os\n" in fixed
    assert "# third party\nfrom fastmcp import FastMCP\n" in fixed


def test_a_new_section_is_set_apart(tmp_path: Path) -> None:
    fixed = with_imports(
        """
        from fastmcp import FastMCP

        mcp = FastMCP("demo")
        """,
        DATETIME,
        tmp_path=tmp_path,
    )
    assert fixed.startswith("from datetime import timezone\n\nfrom fastmcp import FastMCP\n\n")


def test_type_checking_and_try_blocks_are_left_alone(tmp_path: Path) -> None:
    source = """
        from __future__ import annotations

        from typing import TYPE_CHECKING

        from fastmcp import FastMCP

        if TYPE_CHECKING:
            from collections.abc import Iterator

        try:
            import ujson as json
        except ImportError:
            import json

        mcp = FastMCP("demo")
        """
    fixed = with_imports(source, DATETIME, CONTEXT, tmp_path=tmp_path)
    assert "from datetime import timezone\nfrom typing import TYPE_CHECKING\n" in fixed
    assert "from fastmcp import Context, FastMCP\n" in fixed
    tail = textwrap.dedent(source)[textwrap.dedent(source).index("if TYPE_CHECKING") :]
    assert fixed.endswith(tail)


def test_an_aliased_import_of_the_same_module_is_kept_apart(tmp_path: Path) -> None:
    fixed = with_imports(
        """
        from fastmcp import FastMCP as Server

        mcp = Server("demo")
        """,
        CONTEXT,
        tmp_path=tmp_path,
    )
    assert fixed.startswith("from fastmcp import Context\nfrom fastmcp import FastMCP as Server\n")


def test_no_import_to_add_changes_nothing(tmp_path: Path) -> None:
    source = "import os\nfrom fastmcp import Context\n\nx = 1\n"  # unsorted, and not ours
    module = cst.parse_module(source)
    assert apply_fixes(module, [Fix("add", add_imports=(CONTEXT,))]).code == source


# -- end to end: the CLI over the fixture projects ---------------------------------------


def python_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.py") if ".fkit_cache" not in p.parts)


def changed_files(before: dict[Path, bytes], root: Path) -> list[Path]:
    return [path for path in python_files(root) if before.get(path) != path.read_bytes()]


PROJECTS = sorted(p for p in (FIXTURES / "servers").iterdir() if p.is_dir())


@pytest.mark.parametrize("fixture", PROJECTS, ids=lambda p: p.name)
def test_lint_fix_leaves_isort_clean_files_clean(tmp_path: Path, fixture: Path) -> None:
    project = tmp_path / fixture.name
    shutil.copytree(fixture, project)
    clean = [
        f
        for f in python_files(project)
        if f.relative_to(project).as_posix() not in isort_problems(project)
    ]
    before = {path: path.read_bytes() for path in python_files(project)}
    run_cli(["lint", "--no-cache", "--fix", "--unsafe-fixes", "."], cwd=project)
    touched = [f for f in changed_files(before, project) if f in clean]
    assert isort_problems(project, touched) == {}


UPGRADES = [
    *(p for p in PROJECTS if not p.name.endswith("_v4")),
    *(p for p in (FIXTURES / "upgrade").iterdir() if p.is_dir()),
]


@pytest.mark.parametrize("fixture", UPGRADES, ids=lambda p: p.name)
def test_upgrade_write_leaves_isort_clean_files_clean(tmp_path: Path, fixture: Path) -> None:
    project = tmp_path / fixture.name
    shutil.copytree(fixture, project)
    clean = [
        f
        for f in python_files(project)
        if f.relative_to(project).as_posix() not in isort_problems(project)
    ]
    before = {path: path.read_bytes() for path in python_files(project)}
    run_cli(["upgrade", "--to", "4", "--write", "."], cwd=project)
    touched = [f for f in changed_files(before, project) if f in clean]
    assert isort_problems(project, touched) == {}
