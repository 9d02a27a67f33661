"""The generated projects work from the first minute, against real FastMCP.

Every template is rendered with its defaults (and the oauth template's JWT variant
too), then:

* fkit (every rule) and ruff find nothing in it;
* installed in a fresh virtualenv with ``pip install -e ".[test]"`` (fastmcp 4.x from
  the package index), its own test suite passes, the storage template's Redis tests
  included, against a real ``redis-server`` when one is installed;
* ``fastmcp inspect`` finds the server through ``fastmcp.json``;
* the pre-commit hook, installed from this checkout, blocks a bad server file and
  passes the fixed one.

The installs make these tests slow (marked ``slow``); they still run by default.
"""

from __future__ import annotations

import base64
import contextlib
import io
import json
import os
import shutil
import subprocess
import sys
import venv
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest

from fastmcp_kit.cli import main

REPO = Path(__file__).resolve().parent.parent

# Rendered project -> extra `fkit new` arguments.
VARIANTS: dict[str, list[str]] = {
    "basic": ["--template", "basic"],
    "storage": ["--template", "storage"],
    "oauth": ["--template", "oauth"],  # GitHub OAuth proxy, the default
    "oauth-jwt": ["--template", "oauth", "--data", "auth_provider=jwt"],
    "composition": ["--template", "composition"],
}
EXPECTED_TOOLS = {
    "basic": {"add", "count_words"},
    "storage": {"add_note", "list_notes", "word_frequencies", "create_session", "end_session"},
    "oauth": {"whoami", "echo"},
    "oauth-jwt": {"whoami", "echo"},
    "composition": {"health", "weather_forecast", "billing_invoice"},
}
INSTALL_TIMEOUT = 900


def run(
    args: Sequence[str | Path], cwd: Path, env: Mapping[str, str] | None = None, timeout: int = 300
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(a) for a in args],
        cwd=cwd,
        env=dict(env) if env is not None else None,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def clean_env(**extra: str) -> dict[str, str]:
    """This process's environment without settings that would leak into a project."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PYTEST_", "REDIS_", "FASTMCP_", "JWT_", "GITHUB_"))
        and k not in {"DATA_DIR", "STORAGE_ENCRYPTION_KEY", "BASE_URL", "VIRTUAL_ENV"}
    }
    return {**env, **extra}


@pytest.fixture(scope="module")
def projects(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("projects")
    made: dict[str, Path] = {}
    for name, args in VARIANTS.items():
        dest = root / f"demo-{name}"
        with contextlib.redirect_stdout(io.StringIO()):
            assert main(["new", str(dest), "--defaults", *args]) == 0
        made[name] = dest
    return made


# -- static checks: no install needed ----------------------------------------------------


@pytest.mark.parametrize("name", VARIANTS)
def test_fkit_finds_nothing(name: str, projects: dict[str, Path]) -> None:
    # In-process and one job: the same CLI, without a worker pool per tiny project.
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["lint", "--select", "ALL", "--no-cache", "--jobs", "1", str(projects[name])])
    assert code == 0, out.getvalue() + err.getvalue()


@pytest.mark.parametrize("name", VARIANTS)
def test_ruff_finds_nothing(name: str, projects: dict[str, Path]) -> None:
    # The project's own ruff configuration (pyproject.toml), not fkit's own.
    check = run([sys.executable, "-m", "ruff", "check", "."], cwd=projects[name])
    assert check.returncode == 0, check.stdout + check.stderr
    formatted = run([sys.executable, "-m", "ruff", "format", "--check", "."], cwd=projects[name])
    assert formatted.returncode == 0, formatted.stdout + formatted.stderr


@pytest.mark.parametrize("name", VARIANTS)
def test_fastmcp_json_is_valid(name: str, projects: dict[str, Path]) -> None:
    config = json.loads((projects[name] / "fastmcp.json").read_text())
    assert set(config) <= {"$schema", "source", "environment", "deployment"}
    source = config["source"]
    assert (projects[name] / source["path"]).is_file()
    assert source["entrypoint"] == "mcp"


# -- installed in a fresh virtualenv -----------------------------------------------------


@pytest.fixture(scope="module")
def venv_bin(projects: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One fresh virtualenv holding every generated project, installed as its README
    says. One install for all: their dependencies agree, and it saves minutes."""
    env_dir = tmp_path_factory.mktemp("venv") / "venv"
    venv.create(env_dir, with_pip=True)
    bin_dir = env_dir / ("Scripts" if sys.platform == "win32" else "bin")
    command: list[str | Path] = [bin_dir / "python", "-m", "pip", "install", "--quiet"]
    for project in projects.values():
        command += ["-e", f"{project}[test]"]
    result = run(command, cwd=env_dir, env=clean_env(), timeout=INSTALL_TIMEOUT)
    assert result.returncode == 0, result.stdout + result.stderr[-5000:]
    return bin_dir


def _auth_env(name: str) -> dict[str, str]:
    """What each server needs in its environment to start (throwaway values)."""
    if name == "oauth":
        return {
            "GITHUB_CLIENT_ID": "inspect-client-id",
            "GITHUB_CLIENT_SECRET": "inspect-client-secret",
            "JWT_SIGNING_KEY": "inspect-signing-key-0123456789",
            # A Fernet key is 32 random bytes, urlsafe-base64 encoded.
            "STORAGE_ENCRYPTION_KEY": base64.urlsafe_b64encode(os.urandom(32)).decode(),
        }
    if name == "oauth-jwt":
        return {
            "JWT_ISSUER": "https://auth.example.com",
            "JWT_AUDIENCE": "demo",
            "JWT_JWKS_URI": "https://auth.example.com/.well-known/jwks.json",
        }
    return {}


@pytest.mark.slow
def test_installs_fastmcp_4(venv_bin: Path) -> None:
    result = run([venv_bin / "python", "-m", "pip", "show", "fastmcp"], cwd=venv_bin)
    version = next(
        line.split(":", 1)[1].strip()
        for line in result.stdout.splitlines()
        if line.startswith("Version:")
    )
    assert version.startswith("4."), version


@pytest.mark.slow
@pytest.mark.parametrize("name", VARIANTS)
def test_generated_tests_pass(name: str, projects: dict[str, Path], venv_bin: Path) -> None:
    result = run(
        [venv_bin / "python", "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rs"],
        cwd=projects[name],
        env=clean_env(),
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert " passed" in output
    if name == "storage" and shutil.which("redis-server"):
        # With a redis-server installed, the Redis tests must really have run.
        assert "skipped" not in output, output


@pytest.mark.slow
@pytest.mark.parametrize("name", VARIANTS)
def test_fastmcp_inspect_finds_the_server(
    name: str, projects: dict[str, Path], venv_bin: Path, tmp_path: Path
) -> None:
    # No file named: `fastmcp inspect` must find the server through fastmcp.json.
    env = clean_env(DATA_DIR=str(tmp_path / "data"), **_auth_env(name))
    result = run([venv_bin / "fastmcp", "inspect", "--format", "fastmcp"], projects[name], env)
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout)
    assert report["server"]["name"] == f"demo-{name}"
    assert {tool["name"] for tool in report["tools"]} == EXPECTED_TOOLS[name]


# -- the pre-commit hook, installed from this checkout -----------------------------------

BAD_SERVER = """\
from fastmcp import FastMCP

mcp = FastMCP("demo")


@mcp.tool
def add(a: int, b: int) -> int:
    return a + b


mcp.run()
"""
FIXED_SERVER = BAD_SERVER.replace("\nmcp.run()\n", '\nif __name__ == "__main__":\n    mcp.run()\n')


def _git(*args: str, cwd: Path) -> str:
    result = run(["git", *args], cwd=cwd)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def _pre_commit(project: Path, home: Path, hook: str) -> subprocess.CompletedProcess[str]:
    head = _git("rev-parse", "HEAD", cwd=REPO)
    (project / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {REPO}\n    rev: {head}\n    hooks:\n      - id: {hook}\n"
    )
    # pre-commit refuses an unstaged configuration, and lints what git tracks.
    _git("add", "-A", cwd=project)
    env = clean_env(PRE_COMMIT_HOME=str(home))
    command = [sys.executable, "-m", "pre_commit", "run", "--all-files", "--color", "never"]
    return run(command, cwd=project, env=env, timeout=INSTALL_TIMEOUT)


@pytest.mark.slow
def test_pre_commit_hooks(tmp_path: Path) -> None:
    if not (REPO / ".git").exists():
        pytest.skip("not a git checkout: pre-commit installs hooks from a git commit")
    # The hooks are installed from the commit HEAD, not from the working tree.
    if run(["git", "cat-file", "-e", "HEAD:.pre-commit-hooks.yaml"], cwd=REPO).returncode:
        pytest.fail(".pre-commit-hooks.yaml is not committed at HEAD")
    project = tmp_path / "project"
    project.mkdir()
    _git("init", "--quiet", cwd=project)
    (project / "pyproject.toml").write_text(
        '[project]\nname = "hooked"\nversion = "0"\ndependencies = ["fastmcp>=4.1,<5"]\n'
    )
    server = project / "server.py"
    home = tmp_path / "pre-commit-home"  # shared by the runs: one hook install

    server.write_text(BAD_SERVER)
    blocked = _pre_commit(project, home, "fkit-lint")
    assert blocked.returncode == 1, blocked.stdout + blocked.stderr
    assert "FMCP102" in blocked.stdout
    assert server.read_text() == BAD_SERVER  # fkit-lint reports, never edits

    server.write_text(FIXED_SERVER)
    passed = _pre_commit(project, home, "fkit-lint")
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "Passed" in passed.stdout

    # fkit-fix applies the safe fix, which pre-commit reports as a failed run...
    server.write_text(BAD_SERVER)
    fixed = _pre_commit(project, home, "fkit-fix")
    assert fixed.returncode == 1, fixed.stdout + fixed.stderr
    assert "files were modified by this hook" in fixed.stdout
    assert 'if __name__ == "__main__":' in server.read_text()
    # ... and the next run, on the fixed file, passes.
    again = _pre_commit(project, home, "fkit-fix")
    assert again.returncode == 0, again.stdout + again.stderr
