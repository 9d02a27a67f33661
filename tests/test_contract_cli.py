"""``fkit contract dump`` and ``fkit contract check`` end to end: real servers loaded
by real FastMCP (this test run's own, from the test extra) in a subprocess, bases
taken from contract files and from git revisions."""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from fastmcp_kit.cli import main

PYTHON = ["--python", sys.executable]


def fkit(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


def git(project: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.email=t@example.com", "-c", "user.name=t", *args],
        cwd=project,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def worktrees(project: Path) -> list[str]:
    return [line for line in git(project, "worktree", "list").splitlines() if line.strip()]


# -- the storage template: a parameter renamed, another made required -----------------


@pytest.fixture
def storage(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    project = tmp_path / "notes"
    assert fkit("new", str(project), "--defaults", "--template", "storage")[0] == 0
    git(project, "init", "--quiet")
    git(project, "add", "-A")
    git(project, "commit", "--quiet", "-m", "initial")
    # What `pip install -e .` gives the project's own venv: its package importable.
    monkeypatch.setenv("PYTHONPATH", str(project / "src"))
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    monkeypatch.chdir(project)
    return project


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def test_template_rename_and_required_break_the_contract(storage: Path) -> None:
    server = storage / "src" / "notes" / "server.py"
    _edit(
        server,
        "async def add_note(session_id: SessionId, text: str)",
        "async def add_note(session_id: SessionId, note: str)",
    )
    _edit(
        server, '[*await session.get("notes", []), text]', '[*await session.get("notes", []), note]'
    )
    _edit(
        server,
        "def word_frequencies(text: str, top: int = 5)",
        "def word_frequencies(text: str, top: int)",
    )

    code, out, err = fkit("contract", "check", "HEAD", *PYTHON)
    assert code == 1, out + err
    assert "parameter-removed" in out and "tool `add_note`: parameter `text` removed" in out
    assert "looks renamed to `note`" in out
    assert "tool `add_note`: required parameter `note` added" in out
    assert (
        "parameter-made-required" in out
        and "tool `word_frequencies`: parameter `top` is now required" in out
    )
    # The base's worktree is gone again.
    assert len(worktrees(storage)) == 1


def test_template_optional_parameter_is_compatible(storage: Path) -> None:
    server = storage / "src" / "notes" / "server.py"
    _edit(
        server,
        "def word_frequencies(text: str, top: int = 5)",
        "def word_frequencies(text: str, top: int = 5, min_length: int = 1)",
    )

    code, out, err = fkit("contract", "check", "HEAD", *PYTHON)
    assert code == 0, out + err
    assert "compatible optional-parameter-added" in out
    assert "tool `word_frequencies`: optional parameter `min_length` added" in out
    assert "0 breaking, 1 compatible" in out
    assert len(worktrees(storage)) == 1


# -- a one-file server: dump, a contract file as base, formats, allowing ---------------

SERVER = '''\
from fastmcp import FastMCP

mcp = FastMCP("shop")


@mcp.tool(annotations={"readOnlyHint": True})
def search(query: str, limit: int = 10) -> list[str]:
    """Search the catalogue."""
    return []


@mcp.tool
def order(item: str) -> str:
    return item
'''


@pytest.fixture
def shop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    project = tmp_path / "shop"
    project.mkdir()
    (project / "server.py").write_text(SERVER)
    monkeypatch.chdir(project)
    return project


def _remove_order(project: Path) -> None:
    (project / "server.py").write_text(SERVER.split("\n\n@mcp.tool\ndef order")[0] + "\n")


def test_dump_writes_canonical_json(shop: Path) -> None:
    code, out, err = fkit(
        "contract", "dump", "--server", "server.py", "-o", "contract.json", *PYTHON
    )
    assert code == 0, err
    text = (shop / "contract.json").read_text()
    data = json.loads(text)
    assert text == json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    assert data["fkit_contract"] == 1
    assert [t["name"] for t in data["tools"]] == ["order", "search"]
    assert "wrote contract.json (2 tools" in err
    # To stdout: the same text.
    code, out, _ = fkit("contract", "dump", "--server", "server.py", *PYTHON)
    assert code == 0 and out == text


def test_check_against_contract_file_in_every_format(shop: Path) -> None:
    assert fkit("contract", "dump", "--server", "server.py", "-o", "base.json", *PYTHON)[0] == 0
    _remove_order(shop)
    args = ("contract", "check", "base.json", "--server", "server.py", *PYTHON)

    code, out, _ = fkit(*args)
    assert code == 1
    assert "breaking   tool-removed  tool `order` was removed" in out

    code, out, _ = fkit(*args, "--output-format", "json")
    document = json.loads(out)
    assert code == 1 and document["breaking"] == 1 and document["base"] == "base.json"
    assert document["changes"][0]["rule"] == "tool-removed"

    code, out, _ = fkit(*args, "--output-format", "sarif")
    sarif = json.loads(out)
    (result,) = sarif["runs"][0]["results"]
    assert code == 1 and result["ruleId"] == "tool-removed" and result["level"] == "error"
    assert sarif["runs"][0]["tool"]["driver"]["rules"][0]["id"] == "tool-removed"
    physical = result["locations"][0]["physicalLocation"]
    assert physical == {
        "artifactLocation": {"uri": "server.py", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 1},
    }

    code, out, _ = fkit(*args, "--output-format", "github")
    assert code == 1
    # A removed tool is not in the head's source: the server file's first line.
    assert out == (
        "::error title=fkit contract (tool-removed),file=server.py,line=1::"
        "tool `order` was removed\n"
    )


def test_annotations_point_at_the_function(shop: Path) -> None:
    assert fkit("contract", "dump", "--server", "server.py", "-o", "base.json", *PYTHON)[0] == 0
    (shop / "server.py").write_text(SERVER.replace('annotations={"readOnlyHint": True}', ""))
    code, out, _ = fkit(
        "contract",
        "check",
        "base.json",
        "--server",
        "server.py",
        "--output-format",
        "github",
        *PYTHON,
    )
    line = SERVER.splitlines().index("def search(query: str, limit: int = 10) -> list[str]:") + 1
    assert code == 1
    assert (
        f"::error title=fkit contract (read-only-hint-removed),file=server.py,line={line}::" in out
    )


def test_allow_breaking_in_pyproject(shop: Path) -> None:
    assert fkit("contract", "dump", "--server", "server.py", "-o", "base.json", *PYTHON)[0] == 0
    _remove_order(shop)
    pyproject = shop / "pyproject.toml"
    pyproject.write_text('[tool.fkit.contract]\nallow-breaking = ["tool-removed:other"]\n')
    args = ("contract", "check", "base.json", "--server", "server.py", *PYTHON)
    code, _, err = fkit(*args)
    assert code == 1  # another component: still breaking
    assert "allow-breaking entry 'tool-removed:other' matches no breaking change" in err
    pyproject.write_text('[tool.fkit.contract]\nallow-breaking = ["tool-removed:order"]\n')
    code, out, err = fkit(*args)
    assert code == 0, out + err
    assert "allowed    tool-removed" in out
    assert "allowed by pyproject.toml: tool-removed:order" in out
    assert "(1 breaking allowed)" in out


def test_allow_breaking_in_a_commit_message(shop: Path) -> None:
    git(shop, "init", "--quiet")
    git(shop, "add", "-A")
    git(shop, "commit", "--quiet", "-m", "initial")
    base = git(shop, "rev-parse", "HEAD").strip()
    _remove_order(shop)
    args = ("contract", "check", base, "--server", "server.py", *PYTHON)
    git(shop, "commit", "--quiet", "-am", "Drop order\n\nfkit: allow-breaking tool-removed:order")
    code, out, err = fkit(*args)
    assert code == 0, out + err
    assert "allowed by commit message: tool-removed:order" in out
    # A commit before BASE does not count.
    assert fkit("contract", "check", "HEAD", "--server", "server.py", *PYTHON)[0] == 0
    assert len(worktrees(shop)) == 1


def test_base_at_a_revision_sees_that_revision(shop: Path) -> None:
    git(shop, "init", "--quiet")
    git(shop, "add", "-A")
    git(shop, "commit", "--quiet", "-m", "initial")
    _remove_order(shop)
    git(shop, "commit", "--quiet", "-am", "drop order")
    # HEAD~1 still had `order`; the working tree (the head) has not.
    code, out, _ = fkit("contract", "check", "HEAD~1", "--server", "server.py", *PYTHON)
    assert code == 1 and "tool `order` was removed" in out
    assert fkit("contract", "check", "HEAD", "--server", "server.py", *PYTHON)[0] == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("nope",), "nope: no such contract file, and . is not in a git repository"),
        (("base.json",), "base.json: not JSON"),
        (
            ("--output-format", "xml", "x"),
            "--output-format must be one of text, json, sarif, github",
        ),
    ],
)
def test_bad_input_is_one_line(shop: Path, args: tuple[str, ...], message: str) -> None:
    (shop / "base.json").write_text("{")
    code, _, err = fkit("contract", "check", *args, "--server", "server.py", *PYTHON)
    assert code == 2
    assert err.count("\n") == 1 and message in err, err


def test_not_a_revision(shop: Path) -> None:
    git(shop, "init", "--quiet")
    git(shop, "commit", "--quiet", "--allow-empty", "-m", "initial")
    code, _, err = fkit("contract", "check", "no-such-branch", "--server", "server.py", *PYTHON)
    assert code == 2 and "no-such-branch: neither a contract file nor a git revision" in err


def test_bad_allow_list(shop: Path) -> None:
    assert fkit("contract", "dump", "--server", "server.py", "-o", "base.json", *PYTHON)[0] == 0
    (shop / "pyproject.toml").write_text('[tool.fkit.contract]\nallow-breaking = "tool-removed"\n')
    code, _, err = fkit("contract", "check", "base.json", "--server", "server.py", *PYTHON)
    assert code == 2 and "allow-breaking must be a list" in err


# -- the pre-commit hook, installed from this checkout's HEAD ----------------------------

REPO = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_pre_commit_hook_refuses_a_breaking_commit(shop: Path, tmp_path: Path) -> None:
    hooks = subprocess.run(
        ["git", "show", "HEAD:.pre-commit-hooks.yaml"], cwd=REPO, capture_output=True, text=True
    )
    if hooks.returncode != 0:
        pytest.skip("not a git checkout: pre-commit installs hooks from a git commit")
    assert "id: fkit-contract" in hooks.stdout, ".pre-commit-hooks.yaml is not committed"
    # The project's .venv: this test run's, which has fastmcp.
    (shop / ".venv").symlink_to(sys.prefix, target_is_directory=True)
    (shop / ".gitignore").write_text(".venv\n")
    head = git(REPO, "rev-parse", "HEAD").strip()
    (shop / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {REPO}\n    rev: {head}\n    hooks:\n"
        "      - id: fkit-contract\n        args: [--server, server.py]\n"
    )
    git(shop, "init", "--quiet")
    git(shop, "add", "-A")
    git(shop, "commit", "--quiet", "-m", "initial")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "VIRTUAL_ENV"))}
    env["PRE_COMMIT_HOME"] = str(tmp_path / "pre-commit-home")
    subprocess.run(
        [sys.executable, "-m", "pre_commit", "install"],
        cwd=shop,
        env=env,
        check=True,
        capture_output=True,
    )

    def commit() -> subprocess.CompletedProcess[str]:
        command = [
            "git",
            "-c",
            "user.email=t@example.com",
            "-c",
            "user.name=t",
            "commit",
            "-am",
            "change",
        ]
        return subprocess.run(
            command, cwd=shop, env=env, capture_output=True, text=True, timeout=900
        )

    _remove_order(shop)
    refused = commit()
    assert refused.returncode != 0, refused.stdout + refused.stderr
    assert "tool `order` was removed" in refused.stdout + refused.stderr
    # Nothing committed, the index and the repository as they were.
    assert git(shop, "log", "--format=%s") == "initial\n"
    assert len(worktrees(shop)) == 1
    assert git(shop, "status", "--porcelain") == " M server.py\n"

    (shop / "pyproject.toml").write_text(
        '[tool.fkit.contract]\nallow-breaking = ["tool-removed:order"]\n'
    )
    git(shop, "add", "pyproject.toml")
    allowed = commit()
    assert allowed.returncode == 0, allowed.stdout + allowed.stderr
    assert git(shop, "log", "--format=%s") == "change\ninitial\n"


def test_help_names_the_allow_setting() -> None:
    # Rich markup would swallow "[tool.fkit.contract]" if it were not escaped.
    done = subprocess.run(
        [sys.executable, "-m", "fastmcp_kit", "contract", "check", "--help"],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "200", "NO_COLOR": "1"},
        check=False,
    )
    assert done.returncode == 0
    assert '[tool.fkit.contract] allow-breaking = ["tool-removed:old_name"]' in done.stdout
