"""``fkit update``: a project made from an older template takes the current one.

The older template is ``tests/fixtures/templates/0.0.9/basic``: the current ``basic``
without the ``summarize`` prompt and one README section. A project is rendered from it
as fkit 0.0.9 would have, committed, edited as a user would, committed again, and
updated.
"""

from __future__ import annotations

import contextlib
import io
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from fastmcp_kit import __version__
from fastmcp_kit.cli import main
from fastmcp_kit.scaffold import update

OLD = Path(__file__).parent / "fixtures" / "templates" / "0.0.9"
ANSWERS = {"project_name": "demo", "package_name": "demo", "description": "A demo server"}


def git(project: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", *args],
        cwd=project,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def fkit(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project as fkit 0.0.9 made it, committed."""
    dest = tmp_path / "demo"
    update._render(OLD / "basic", dest, ANSWERS, "basic", "0.0.9")
    git(dest, "init", "--quiet")
    git(dest, "add", "-A")
    git(dest, "commit", "--quiet", "-m", "fkit new")
    return dest


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert text.count(old) == 1
    path.write_text(text.replace(old, new))


def test_user_edits_and_template_changes_both_survive(project: Path) -> None:
    server = project / "src" / "demo" / "server.py"
    readme = project / "README.md"
    assert "def summarize" not in server.read_text()
    edit(server, '"""Add two integers."""', '"""Add two integers, exactly."""')
    edit(readme, "A demo server.\n", "A demo server.\n\nMaintained by the weather team.\n")
    git(project, "commit", "--quiet", "-am", "my edits")

    code, out, err = fkit("update", str(project), "--old-templates", str(OLD))
    assert code == 0, out + err
    assert "of fkit 0.0.9" in out
    assert '"""Add two integers, exactly."""' in server.read_text()  # the user's edit
    assert "def summarize" in server.read_text()  # the template's change
    assert "Prompt: summarize." in server.read_text()
    assert "Maintained by the weather team." in readme.read_text()
    assert "## Inspect interactively" in readme.read_text()
    assert "<<<<<<<" not in server.read_text() + readme.read_text()
    # The project's test file, untouched by the user, is the new template's.
    assert "async def test_prompt" in (project / "tests" / "test_server.py").read_text()
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert answers["_commit"] == f"v{__version__}"
    assert answers["fkit_template"] == "basic"
    assert answers["project_name"] == "demo"
    # Updated again: nothing left to do.
    git(project, "commit", "--quiet", "-am", "update")
    code, out, _ = fkit("update", str(project), "--old-templates", str(OLD.parent / "current"))
    assert code == 2  # no such folder of old templates ...
    code, out, _ = fkit("update", str(project))  # ... but the recorded version is current
    assert code == 0, out
    assert "up to date" in out


def test_conflicts_are_marked_as_copier_does(project: Path) -> None:
    server = project / "src" / "demo" / "server.py"
    edit(server, 'Tools: add, count_words."', 'Tools: add and count_words only."')
    git(project, "commit", "--quiet", "-am", "my edit")
    code, out, _ = fkit("update", str(project), "--old-templates", str(OLD))
    assert code == 1
    assert "Conflicts to resolve" in out and "src/demo/server.py" in out
    text = server.read_text()
    assert "<<<<<<< before updating\n" in text
    assert ">>>>>>> after updating\n" in text
    assert "Tools: add and count_words only." in text
    assert "Prompt: summarize." in text
    assert "def summarize" in text  # the rest of the file merged cleanly


def test_pretend_shows_a_diff_and_writes_nothing(project: Path) -> None:
    code, out, _ = fkit("update", str(project), "--pretend", "--old-templates", str(OLD))
    assert code == 0
    assert "+++ b/src/demo/server.py" in out
    assert "+def summarize(text: str) -> str:" in out
    assert git(project, "status", "--porcelain") == ""


def test_refuses_a_dirty_tree(project: Path) -> None:
    (project / "notes.txt").write_text("draft\n")
    before = (project / "README.md").read_text()
    code, out, err = fkit("update", str(project), "--old-templates", str(OLD))
    assert code == 2
    assert out == ""
    assert err.splitlines() == [
        f"fkit: error: {str(project)!r} has uncommitted changes; commit or stash them first"
    ]
    assert (project / "README.md").read_text() == before


def test_refuses_a_folder_not_made_by_fkit(tmp_path: Path) -> None:
    code, _, err = fkit("update", str(tmp_path))
    assert code == 2
    assert "no .copier-answers.yml" in err and len(err.splitlines()) == 1


def test_refuses_a_project_outside_git(project: Path) -> None:
    shutil.rmtree(project / ".git")
    code, _, err = fkit("update", str(project), "--old-templates", str(OLD))
    assert code == 2
    assert "is not in a git repository" in err and len(err.splitlines()) == 1


def test_answers_written_before_the_root_copier_yml_still_update(project: Path) -> None:
    answers_file = project / ".copier-answers.yml"
    answers = yaml.safe_load(answers_file.read_text())
    legacy = {k: v for k, v in answers.items() if k not in ("_commit", "fkit_template")}
    legacy |= {"_src_path": "fastmcp-kit:basic", "_fkit_version": "0.0.9"}
    answers_file.write_text(yaml.safe_dump(legacy))
    git(project, "commit", "--quiet", "-am", "answers of an older fkit")
    code, out, err = fkit("update", str(project), "--old-templates", str(OLD))
    assert code == 0, out + err
    assert "def summarize" in (project / "src" / "demo" / "server.py").read_text()
    assert yaml.safe_load(answers_file.read_text())["_commit"] == f"v{__version__}"


def test_answers_without_a_version_are_one_clear_error(project: Path) -> None:
    answers_file = project / ".copier-answers.yml"
    answers_file.write_text(answers_file.read_text().replace("_commit: v0.0.9\n", ""))
    git(project, "commit", "--quiet", "-am", "no version")
    code, out, err = fkit("update", str(project), "--old-templates", str(OLD))
    assert code == 2 and out == ""
    assert "records no template version" in err and len(err.splitlines()) == 1
