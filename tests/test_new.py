"""``fkit new``: rendering, answers, refusals, and never touching existing work.

Fast tests only: rendering without installing anything. The generated projects are
installed and run in tests/test_templates.py.
"""

from __future__ import annotations

import contextlib
import io
import os
import pty
import select
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
import tomlkit
import yaml

from fastmcp_kit import __version__
from fastmcp_kit.cli import main
from fastmcp_kit.cli.new import TEMPLATE_NAMES
from fastmcp_kit.scaffold import TEMPLATES, render

REPO = Path(__file__).resolve().parent.parent
TEMPLATE_ROOT = REPO / "templates"


@contextlib.contextmanager
def _no_terminal() -> Iterator[None]:
    """Captured stdio, as in CI: never a terminal, so never a question."""
    old = sys.stdin
    sys.stdin = io.TextIOWrapper(io.BytesIO(b""), encoding="utf-8")
    try:
        yield
    finally:
        sys.stdin = old


def fkit(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with _no_terminal(), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


def snapshot(root: Path) -> dict[str, tuple[int, bytes]]:
    """Every path under ``root`` with its mode and content (folders: empty content)."""
    if not root.exists():
        return {}
    found: dict[str, tuple[int, bytes]] = {}
    for path in sorted(root.rglob("*")):
        stat = path.lstat()
        found[path.relative_to(root).as_posix()] = (
            stat.st_mode,
            path.read_bytes() if path.is_file() else b"",
        )
    return found


def assert_refused(args: Sequence[str], parent: Path, message: str) -> None:
    """One ``fkit: error:`` line naming the problem, exit 2, nothing written."""
    before = snapshot(parent)
    code, out, err = fkit(*args)
    assert code == 2, err
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("fkit: error: "), err
    assert message in lines[0]
    assert snapshot(parent) == before


# -- the catalogue ---------------------------------------------------------------------


def test_template_names_match_the_folders() -> None:
    folders = {p.name for p in TEMPLATE_ROOT.iterdir() if (p / "copier.yml").is_file()}
    assert set(TEMPLATES) == folders
    # The CLI keeps its own copy so that `fkit --help` imports nothing heavy.
    assert tuple(TEMPLATES) == TEMPLATE_NAMES


@pytest.mark.parametrize("template", TEMPLATES)
def test_templates_never_run_code(template: str) -> None:
    config = yaml.safe_load((TEMPLATE_ROOT / template / "copier.yml").read_text())
    assert not {"_tasks", "_migrations", "_jinja_extensions", "_external_data"} & set(config)


@pytest.mark.parametrize("template", TEMPLATES)
def test_template_knows_its_own_name(template: str) -> None:
    config = yaml.safe_load((TEMPLATE_ROOT / template / "copier.yml").read_text())
    assert config["fkit_template"] == {"type": "str", "default": template, "when": False}


SHARED_FILES = [
    "{{_copier_conf.answers_file}}.jinja",
    ".gitignore.jinja",
    ".pre-commit-config.yaml.jinja",
    ".github/workflows/ci.yml.jinja",
    "src/{{package_name}}/__init__.py.jinja",
]


@pytest.mark.parametrize("name", SHARED_FILES)
def test_shared_files_are_identical(name: str) -> None:
    """Each template stands alone for copier, so these are copies: keep them in step."""
    contents = {t: (TEMPLATE_ROOT / t / name).read_bytes() for t in TEMPLATES}
    assert len(set(contents.values())) == 1, f"{name} differs between templates"


def test_shared_questions_are_identical() -> None:
    configs = {t: yaml.safe_load((TEMPLATE_ROOT / t / "copier.yml").read_text()) for t in TEMPLATES}
    for key in ("project_name", "package_name", "description", "fkit_version", "_answers_file"):
        assert len({repr(c[key]) for c in configs.values()}) == 1, key


# -- rendering ---------------------------------------------------------------------------


@pytest.mark.parametrize("template", TEMPLATES)
def test_renders_with_defaults(template: str, tmp_path: Path) -> None:
    dest = tmp_path / "my-server"
    code, out, err = fkit("new", str(dest), "--template", template, "--defaults")
    assert code == 0, err
    assert err == ""
    files = {
        p.relative_to(dest).as_posix()
        for p in dest.rglob("*")
        if p.is_file() and p.relative_to(dest).parts[0] != ".git"
    }
    assert (dest / ".git").is_dir()
    assert {
        ".copier-answers.yml",
        ".env.example",
        ".gitignore",
        ".pre-commit-config.yaml",
        ".github/workflows/ci.yml",
        "README.md",
        "fastmcp.json",
        "pyproject.toml",
        "src/my_server/__init__.py",
        "src/my_server/server.py",
        "tests/test_server.py",
    } <= files
    assert not any(name.endswith(".jinja") for name in files)
    # The summary names the project and the commands that come next, pip's and uv's:
    # the project's own venv, the dev group, the tests (the README's commands).
    assert out.splitlines() == [
        f"Created {dest} ({len(files)} files, template {template!r}; a new git repository).",
        "Next, with pip:",
        f"  cd {dest} && python -m venv .venv && . .venv/bin/activate",
        "  python -m pip install --upgrade pip && pip install -e . --group dev && python -m pytest",
        "or with uv:",
        f"  cd {dest} && uv sync && uv run pytest",
    ]
    readme = (dest / "README.md").read_text()
    for line in ("python -m venv .venv && . .venv/bin/activate", "pip install -e . --group dev"):
        assert f"\n{line}\n" in readme
    assert "\nuv sync\nuv run pytest\n" in readme
    # No leftovers of the all-or-nothing rendering next to the project.
    assert [p.name for p in tmp_path.iterdir()] == ["my-server"]


def test_answers_are_recorded(tmp_path: Path) -> None:
    dest = tmp_path / "weather"
    code, _, err = fkit(
        "new", str(dest), "-t", "oauth", "-d", "auth_provider=jwt", "-d", "description=Weather"
    )
    assert code == 0, err
    answers = yaml.safe_load((dest / ".copier-answers.yml").read_text())
    assert answers == {
        # This repository at the release tag, never a temporary or site-packages path
        # of this machine: `copier update` reads the root copier.yml there.
        "_src_path": "https://github.com/fastmcp-kit/fastmcp-kit.git",
        "_commit": f"v{__version__}",
        "fkit_template": "oauth",
        "auth_provider": "jwt",
        "description": "Weather",
        "package_name": "weather",
        "project_name": "weather",
    }


def test_project_files_use_the_answers(tmp_path: Path) -> None:
    dest = tmp_path / "Weather.Server"
    code, _, err = fkit("new", str(dest), "--defaults")
    assert code == 0, err
    assert (dest / "src" / "weather_server" / "server.py").is_file()
    pyproject = (dest / "pyproject.toml").read_text()
    assert 'name = "Weather.Server"' in pyproject
    assert '"fastmcp>=4.1,<5"' in pyproject
    assert 'external = ["FMCP"]' in pyproject
    assert "[tool.fkit]" in pyproject
    assert "[project.optional-dependencies]" not in pyproject
    fastmcp_json = (dest / "fastmcp.json").read_text()
    assert '"path": "src/weather_server/server.py"' in fastmcp_json


def test_dev_group_workflow_and_hook_take_this_fkit_from_the_index(tmp_path: Path) -> None:
    dest = tmp_path / "proj"
    assert fkit("new", str(dest), "-t", "storage")[0] == 0
    pyproject = tomlkit.parse((dest / "pyproject.toml").read_text()).unwrap()
    # A PEP 735 group: what `uv sync` installs by itself, and `pip install --group dev`.
    dev = pyproject["dependency-groups"]["dev"]
    wanted = f"fastmcp-fkit>={__version__}"
    assert wanted in dev
    assert {"pytest>=8", "pre-commit>=3.7"} <= set(dev)
    # The hook asks for the same fkit in pre-commit's own environment: no git tag needed.
    hooks = yaml.safe_load((dest / ".pre-commit-config.yaml").read_text())
    (repo,) = hooks["repos"]
    assert repo["repo"] == "local"
    (hook,) = repo["hooks"]
    assert hook["id"] == "fkit-lint"
    assert hook["entry"] == "fkit lint"
    assert hook["language"] == "python"
    assert hook["additional_dependencies"] == [wanted]
    workflow = yaml.safe_load((dest / ".github" / "workflows" / "ci.yml").read_text())
    steps = workflow["jobs"]["fkit"]["steps"]
    commands = [step.get("run", "") for step in steps]
    assert any(c.endswith("python -m pip install --group dev") for c in commands), commands
    assert "fkit lint --output-format sarif > fkit.sarif" in commands
    upload = next(s for s in steps if "upload-sarif" in s.get("uses", ""))
    assert upload["with"]["sarif_file"] == "fkit.sarif"
    assert workflow["jobs"]["fkit"]["permissions"]["security-events"] == "write"
    test_commands = [step.get("run", "") for step in workflow["jobs"]["test"]["steps"]]
    assert "python -m pip install -e . --group dev" in test_commands
    assert "python -m pytest" in test_commands
    # Only the storage template needs a Redis server in CI.
    assert any("redis-server" in command for command in test_commands)


# -- git and --pretend ---------------------------------------------------------------------


def _git(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False)


def test_a_new_project_is_a_git_repository(tmp_path: Path) -> None:
    dest = tmp_path / "proj"
    assert fkit("new", str(dest), "--defaults")[0] == 0
    top = _git("rev-parse", "--show-toplevel", cwd=dest)
    assert Path(top.stdout.strip()) == dest.resolve()
    # Nothing committed or staged: the first commit is the user's.
    assert _git("rev-parse", "--verify", "HEAD", cwd=dest).returncode != 0
    assert "?? " in _git("status", "--porcelain", cwd=dest).stdout


def test_no_repository_inside_a_repository(tmp_path: Path) -> None:
    assert _git("init", "--quiet", cwd=tmp_path).returncode == 0
    dest = tmp_path / "packages" / "proj"
    code, out, _ = fkit("new", str(dest), "--defaults")
    assert code == 0
    assert "inside an existing git repository, so no git init" in out.splitlines()[0]
    assert not (dest / ".git").exists()


def test_no_git_flag(tmp_path: Path) -> None:
    dest = tmp_path / "proj"
    code, out, _ = fkit("new", str(dest), "--defaults", "--no-git")
    assert code == 0
    assert "no git repository (--no-git)" in out.splitlines()[0]
    assert not (dest / ".git").exists()
    assert (dest / "pyproject.toml").is_file()


def test_without_git_installed_the_project_is_still_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "no-such-bin"))
    dest = tmp_path / "proj"
    code, out, err = fkit("new", str(dest), "--defaults")
    assert code == 0, err
    assert "no git repository: git not found (pre-commit needs one)" in out
    assert (dest / "pyproject.toml").is_file() and not (dest / ".git").exists()


@pytest.mark.parametrize("template", TEMPLATES)
def test_pretend_lists_exactly_what_would_be_written(template: str, tmp_path: Path) -> None:
    # Missing parents too: a pretend run creates nothing at all.
    dest = tmp_path / "a" / "b" / "proj"
    code, out, err = fkit("new", str(dest), "-t", template, "--defaults", "--pretend")
    assert code == 0, err
    assert list(tmp_path.iterdir()) == []
    lines = out.splitlines()
    assert lines[0].startswith(f"Would create {dest} (")
    assert lines[0].endswith("; then git init); nothing was written:")
    listed = [line.removeprefix("  ") for line in lines[1:]]
    assert fkit("new", str(dest), "-t", template, "--defaults")[0] == 0
    written = sorted(
        p.relative_to(dest).as_posix()
        for p in dest.rglob("*")
        if p.is_file() and ".git" not in p.relative_to(dest).parts
    )
    assert listed == written


def test_pretend_still_refuses_what_a_real_run_would(tmp_path: Path) -> None:
    dest = tmp_path / "work"
    dest.mkdir()
    (dest / "notes.txt").write_text("my work\n")
    assert_refused(["new", str(dest), "--pretend"], tmp_path, "already exists and is not empty")


def test_existing_empty_folder_is_used(tmp_path: Path) -> None:
    dest = tmp_path / "empty"
    dest.mkdir()
    code, _, err = fkit("new", str(dest))
    assert code == 0, err
    assert (dest / "src" / "empty" / "server.py").is_file()


def test_missing_parents_are_created(tmp_path: Path) -> None:
    dest = tmp_path / "a" / "b" / "proj"
    assert fkit("new", str(dest))[0] == 0
    assert (dest / "pyproject.toml").is_file()


def test_relative_destination(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, _ = fkit("new", "rel-proj")
    assert code == 0
    assert (tmp_path / "rel-proj" / "src" / "rel_proj" / "server.py").is_file()
    assert "  cd rel-proj && uv sync && uv run pytest" in out.splitlines()


# -- refusals: one line, exit 2, nothing touched ------------------------------------------


def test_refuses_non_empty_destination(tmp_path: Path) -> None:
    dest = tmp_path / "work"
    dest.mkdir()
    (dest / "notes.txt").write_text("my work\n")
    assert_refused(["new", str(dest)], tmp_path, "already exists and is not empty")


def test_refuses_folder_with_only_hidden_files(tmp_path: Path) -> None:
    dest = tmp_path / "work"
    (dest / ".git").mkdir(parents=True)
    assert_refused(["new", str(dest)], tmp_path, "already exists and is not empty")


def test_refuses_existing_file(tmp_path: Path) -> None:
    (tmp_path / "proj").write_text("not a folder\n")
    assert_refused(["new", str(tmp_path / "proj")], tmp_path, "is not a folder")


def test_refuses_unknown_template(tmp_path: Path) -> None:
    assert_refused(
        ["new", str(tmp_path / "proj"), "--template", "fancy"],
        tmp_path,
        "unknown template 'fancy' (choose from: basic, storage, oauth, composition)",
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["Bad Name"], "project name 'Bad Name' is not a valid Python distribution name"),
        (["proj-"], "project name 'proj-' is not a valid Python distribution name"),
        (["proj", "-d", "project_name=../escape"], "project name '../escape' is not a valid"),
        (["proj", "-d", "project_name=a/b"], "project name 'a/b' is not a valid"),
        (["proj", "-d", "package_name=../../etc"], "package name '../../etc' is not a valid"),
        (["proj", "-d", "package_name=Pkg"], "package name 'Pkg' is not a valid"),
        (["proj", "-d", "package_name=class"], "package name 'class' is not a valid"),
        (["2fa"], "package name '2fa' is not a valid"),
        (["json"], "package name 'json' would shadow the module"),
        (["fastmcp"], "package name 'fastmcp' would shadow the module"),
        # `fastmcp run` puts the server's folder first on sys.path: storage/storage.py
        # would be imported as the package (found by `fkit doctor` on the template).
        (["storage", "-t", "storage"], "is also the name of the template's module storage.py"),
        (["server"], "is also the name of the template's module server.py"),
        (["proj", "-d", 'description=say "hi"'], "without double quotes or backslashes"),
    ],
    ids=[
        "space",
        "trailing-dash",
        "dotdot",
        "slash",
        "package-escape",
        "package-case",
        "keyword",
        "leading-digit",
        "stdlib",
        "fastmcp",
        "template-module",
        "server-module",
        "quote",
    ],
)
def test_refuses_bad_names(args: list[str], message: str, tmp_path: Path) -> None:
    dest, *rest = args
    assert_refused(["new", str(tmp_path / dest), *rest], tmp_path, message)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("pakage_name=x", "unknown question 'pakage_name'"),
        ("fkit_version=9", "unknown question 'fkit_version'"),
        ("_tasks=x", "unknown question '_tasks'"),
        ("noequals", "--data expects KEY=VALUE"),
        ("auth_provider=saml", "auth_provider must be one of github, jwt, not 'saml'"),
    ],
)
def test_refuses_bad_data(data: str, message: str, tmp_path: Path) -> None:
    assert_refused(["new", str(tmp_path / "proj"), "-t", "oauth", "-d", data], tmp_path, message)


# -- all or nothing ---------------------------------------------------------------------


def test_failed_render_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def half_render(source: Path, target: Path, *args: object, **kwargs: object) -> None:
        target.mkdir(parents=True)
        (target / "pyproject.toml").write_text("half\n")
        raise KeyboardInterrupt  # as when the user presses Ctrl-C at a question

    monkeypatch.setattr(render, "_copier_render", half_render)
    code, _, _ = fkit("new", str(tmp_path / "new" / "deeper" / "proj"))
    assert code == 130
    # Not even the parent folders fkit created on the way.
    assert list(tmp_path.iterdir()) == []


def test_destination_filled_meanwhile_is_not_touched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dest = tmp_path / "proj"
    dest.mkdir()
    real = render._copier_render

    def render_then_race(*args: object, **kwargs: object) -> None:
        real(*args, **kwargs)  # type: ignore[arg-type]
        (dest / "theirs.txt").write_text("someone else's work\n")

    monkeypatch.setattr(render, "_copier_render", render_then_race)
    code, _, err = fkit("new", str(dest))
    assert code == 2
    assert "already exists and is not empty" in err
    assert [p.name for p in dest.iterdir()] == ["theirs.txt"]
    assert [p.name for p in tmp_path.iterdir()] == ["proj"]


# -- questions only on a terminal --------------------------------------------------------


def test_no_terminal_means_no_questions(tmp_path: Path) -> None:
    """Without --defaults and without a terminal, the defaults are used (no hang)."""
    code, _, err = fkit("new", str(tmp_path / "quiet"), "-t", "oauth")
    assert code == 0, err
    answers = yaml.safe_load((tmp_path / "quiet" / ".copier-answers.yml").read_text())
    assert answers["auth_provider"] == "github"


def _drive_terminal(args: list[str], replies: list[tuple[bytes, bytes]]) -> tuple[int, str]:
    """Run fkit on a pseudo-terminal, answering each prompt as it appears."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: fkit itself
        os.execv(sys.executable, [sys.executable, "-m", "fastmcp_kit", *args])
    output = b""

    def read_until(marker: bytes, timeout: float = 30) -> None:
        nonlocal output
        deadline = time.monotonic() + timeout
        while marker not in output:
            if time.monotonic() > deadline:
                raise AssertionError(f"no {marker!r} in {output[-2000:]!r}")
            if select.select([fd], [], [], 0.1)[0]:
                try:
                    output += os.read(fd, 4096)
                except OSError:  # the child closed the terminal
                    break

    try:
        for prompt, reply in replies:
            read_until(prompt)
            os.write(fd, reply)
        read_until(b"Created")
    finally:
        _, status = os.waitpid(pid, 0)
        os.close(fd)
    return os.waitstatus_to_exitcode(status), output.decode(errors="replace")


@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
def test_questions_on_a_terminal(tmp_path: Path) -> None:
    dest = tmp_path / "asked"
    code, output = _drive_terminal(
        ["new", str(dest), "--template", "oauth"],
        [
            (b"Distribution name", b"\r"),  # keep the default: the folder's name
            (b"Import name", b"\x15custom_pkg\r"),  # clear the default, type another
            (b"One-line description", b"\x15Asked on a terminal\r"),
            (b"How clients authenticate", b"\x1b[B\r"),  # arrow down: the JWT choice
        ],
    )
    assert code == 0, output
    answers = yaml.safe_load((dest / ".copier-answers.yml").read_text())
    assert answers["project_name"] == "asked"
    assert answers["package_name"] == "custom_pkg"
    assert answers["auth_provider"] == "jwt"
    assert answers["description"] == "Asked on a terminal"
    assert (dest / "src" / "custom_pkg" / "auth.py").is_file()


@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
def test_defaults_flag_asks_nothing_on_a_terminal(tmp_path: Path) -> None:
    code, output = _drive_terminal(["new", str(tmp_path / "p"), "--defaults"], [])
    assert code == 0, output
    assert "Distribution name" not in output
