"""The generated projects work from the first minute, against real FastMCP.

Every template is rendered with its defaults (and the oauth template's JWT variant
too), then:

* fkit (every rule) and ruff find nothing in it;
* set up as its README says, once with pip and once with uv (fastmcp 4.x from the
  package index, fkit from a wheel of this checkout), its own test suite passes, the
  storage template's Redis tests included, against a real ``redis-server`` when one is
  installed; its README's lint step, ``pre-commit install`` and
  ``pre-commit run --all-files`` pass;
* ``fastmcp inspect`` finds the server through ``fastmcp.json`` and shows the project's
  own version;
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
import re
import shutil
import subprocess
import sys
import venv
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest
import yaml

from fastmcp_kit import __version__
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


# -- set up as the README says, with pip and with uv -------------------------------------
#
# Each project is rendered afresh and the shell blocks of its own README ("Set up and
# test", "Lint") are run as written, in bash, in the project folder. Two things are
# arranged around them, and only these:
#
# * fkit under its name on the package index (fastmcp-fkit) has no release yet, so the dev
#   group's `fastmcp-fkit>=X` is satisfied by a wheel built from this checkout, offered
#   through PIP_FIND_LINKS / UV_FIND_LINKS (pip, uv and pre-commit's own pip read them);
#   every other package comes from the package index. The tests check that the fkit
#   installed is this checkout's version.
# * PATH holds `python` (this interpreter, outside any virtualenv), `uv` (installed from
#   the package index into a virtualenv of its own) and the system's tools such as git,
#   but not this test run's virtualenv, so nothing can leak in from it.


def readme_blocks(readme: str, heading: str) -> list[str]:
    """The ```sh blocks of one ``## heading`` section of a README."""
    section = readme.split(f"\n## {heading}\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.*?)```", section, re.DOTALL)


@pytest.fixture(scope="session")
def fkit_wheels(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding a wheel of this checkout: the dev group's fastmcp-fkit."""
    out = tmp_path_factory.mktemp("fkit-wheels")
    built = run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", out, REPO], REPO, timeout=600
    )
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    assert [p.name for p in out.iterdir()] == [f"fastmcp_fkit-{__version__}-py3-none-any.whl"]
    return out


@pytest.fixture(scope="session")
def tools(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A bin folder with `python` (this interpreter, outside any venv) and `uv`."""
    root = tmp_path_factory.mktemp("tools")
    uv_env = root / "uv-venv"
    venv.create(uv_env, with_pip=True)
    command = [uv_env / "bin" / "python", "-m", "pip", "install", "--quiet", "uv"]
    installed = run(command, root, clean_env(), timeout=INSTALL_TIMEOUT)
    assert installed.returncode == 0, installed.stdout + installed.stderr[-3000:]
    bin_dir = root / "bin"
    bin_dir.mkdir()
    (bin_dir / "uv").symlink_to(uv_env / "bin" / "uv")
    # The real binary, not this venv's launcher: a venv is found from where python starts.
    (bin_dir / "python").symlink_to(Path(sys.executable).resolve())
    return bin_dir


def readme_env(
    tools: Path, fkit_wheels: Path, pre_commit_home: Path, **extra: str
) -> dict[str, str]:
    own_bin = str(Path(sys.executable).parent)
    path = [p for p in os.environ.get("PATH", "").split(os.pathsep) if p and p != own_bin]
    return clean_env(
        PATH=os.pathsep.join([str(tools), *path]),
        # The checkout's wheel first; links the machine already had are kept.
        PIP_FIND_LINKS=" ".join([str(fkit_wheels), os.environ.get("PIP_FIND_LINKS", "")]).strip(),
        UV_FIND_LINKS=str(fkit_wheels),
        # uv uses this interpreter rather than downloading one.
        UV_PYTHON=str(tools / "python"),
        UV_PYTHON_DOWNLOADS="never",
        PRE_COMMIT_HOME=str(pre_commit_home),
        # Lint output without colour codes, so it can be read back.
        NO_COLOR="1",
        **extra,
    )


def new_project(name: str, parent: Path) -> Path:
    dest = parent / f"demo-{name}"
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(["new", str(dest), "--defaults", *VARIANTS[name]]) == 0
    return dest


def bash(script: str, cwd: Path, env: Mapping[str, str]) -> subprocess.CompletedProcess[str]:
    return run(["bash", "-euo", "pipefail", "-c", script], cwd, env, timeout=INSTALL_TIMEOUT)


def assert_fkit_is_this_checkout(project: Path) -> None:
    version = run([project / ".venv" / "bin" / "fkit", "--version"], project)
    assert version.stdout.strip() == f"fkit {__version__}", version.stdout + version.stderr


@pytest.fixture(scope="session")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # Shared: the hook's environment is the same for every project, built once per worker.
    return tmp_path_factory.mktemp("pre-commit-home")


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
@pytest.mark.parametrize("name", VARIANTS)
def test_readme_with_pip(
    name: str, tmp_path: Path, tools: Path, fkit_wheels: Path, pre_commit_home: Path
) -> None:
    project = new_project(name, tmp_path)
    readme = (project / "README.md").read_text()
    pip_setup = readme_blocks(readme, "Set up and test")[0]
    (lint,) = readme_blocks(readme, "Lint")
    assert "pip install -e . --group dev" in pip_setup and "pre-commit install" in lint

    # One shell, as a user types them: the venv activated by the first block stays active.
    result = bash(pip_setup + lint, project, readme_env(tools, fkit_wheels, pre_commit_home))
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-8000:]
    assert " passed" in output
    if name == "storage" and shutil.which("redis-server"):
        # With a redis-server installed, the Redis tests must really have run.
        assert "skipped" not in output, output[-8000:]
    assert "All checks passed!" in output  # fkit lint
    assert re.search(r"^fkit lint\.+Passed$", result.stdout, re.MULTILINE), output[-8000:]
    assert (project / ".git" / "hooks" / "pre-commit").is_file()
    assert_fkit_is_this_checkout(project)
    fastmcp = run([project / ".venv" / "bin" / "python", "-m", "pip", "show", "fastmcp"], project)
    assert re.search(r"^Version: 4\.", fastmcp.stdout, re.MULTILINE), fastmcp.stdout

    # The generated CI's server job, as GitHub runs it, in the same venv: its settings
    # steps write $GITHUB_ENV, doctor loads and serves the server, and the contract
    # check against the last commit finds nothing to report.
    # (DATA_DIR: the storage template's files stay in the test's folder.)
    job_env = readme_env(tools, fkit_wheels, pre_commit_home, DATA_DIR=str(tmp_path / "data"))
    ci_env = run_server_job(project, tmp_path, job_env)
    doctor = run([project / ".venv" / "bin" / "fkit", "doctor"], project, ci_env)
    assert doctor.returncode == 0, doctor.stdout + doctor.stderr
    assert "All checks passed!" in doctor.stdout
    assert re.search(r"^  stdio: initialize", doctor.stdout, re.MULTILINE), doctor.stdout
    _git("add", "-A", cwd=project)
    commit = ["commit", "--no-verify", "-qm", "demo"]  # the README installed pre-commit
    _git("-c", "user.name=t", "-c", "user.email=t@t", *commit, cwd=project)
    contract = run(
        [project / ".venv" / "bin" / "fkit", "contract", "check", "HEAD"], project, ci_env
    )
    assert contract.returncode == 0, contract.stdout + contract.stderr

    # No file named: `fastmcp inspect` finds the server through fastmcp.json, and the
    # server reports the project's version (pyproject.toml), not FastMCP's.
    env = clean_env(DATA_DIR=str(tmp_path / "data"), **_auth_env(name))
    inspect = run(
        [project / ".venv" / "bin" / "fastmcp", "inspect", "--format", "fastmcp"], project, env
    )
    assert inspect.returncode == 0, inspect.stdout + inspect.stderr
    report = json.loads(inspect.stdout)
    assert report["server"]["name"] == f"demo-{name}"
    assert report["server"]["version"] == "0.1.0"
    assert {tool["name"] for tool in report["tools"]} == EXPECTED_TOOLS[name]


def run_server_job(project: Path, tmp_path: Path, env: Mapping[str, str]) -> dict[str, str]:
    """Check the generated workflow's server job and run its settings steps (those
    that write $GITHUB_ENV); return the environment the later steps see."""
    workflow = yaml.safe_load((project / ".github" / "workflows" / "ci.yml").read_text())
    runs = [step["run"] for step in workflow["jobs"]["server"]["steps"] if "run" in step]
    assert runs[-2:] == [
        ".venv/bin/fkit doctor",
        '.venv/bin/fkit contract check "origin/${{ github.base_ref }}"',
    ]
    github_env = tmp_path / "github-env"
    github_env.write_text("")
    job_env = {**env, "GITHUB_ENV": str(github_env), "RUNNER_TEMP": str(tmp_path)}
    for script in runs:
        if "GITHUB_ENV" in script:
            done = bash(script, project, job_env)
            assert done.returncode == 0, done.stdout + done.stderr
    written = dict(line.split("=", 1) for line in github_env.read_text().splitlines())
    return {**env, **written}


@pytest.mark.slow
@pytest.mark.parametrize("name", VARIANTS)
def test_readme_with_uv(
    name: str, tmp_path: Path, tools: Path, fkit_wheels: Path, pre_commit_home: Path
) -> None:
    project = new_project(name, tmp_path)
    uv_setup = readme_blocks((project / "README.md").read_text(), "Set up and test")[1]
    assert uv_setup.split("\n")[:2] == ["uv sync", "uv run pytest"]
    result = bash(uv_setup, project, readme_env(tools, fkit_wheels, pre_commit_home))
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-8000:]
    assert " passed" in output
    if name == "storage" and shutil.which("redis-server"):
        assert "skipped" not in output, output[-8000:]
    # `uv sync` installed the dev group by itself: fkit and pre-commit are there.
    assert_fkit_is_this_checkout(project)
    assert (project / ".venv" / "bin" / "pre-commit").is_file()
    assert (project / "uv.lock").is_file()


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
