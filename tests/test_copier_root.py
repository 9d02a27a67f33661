"""The repository's root copier.yml: plain ``copier copy`` / ``copier update`` work on
the four templates, and a project made by ``fkit new`` can be updated by copier itself.

The template repository is built in a temporary folder as a release would leave it: a
commit tagged ``v0.0.9`` holding the old ``basic`` fixture, and one tagged with the
current version holding today's templates, each with the root copier.yml.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import tomlkit
import yaml

from fastmcp_kit import __version__
from fastmcp_kit.scaffold import catalog, update

REPO = Path(__file__).resolve().parents[1]
ROOT_CONFIG = REPO / "copier.yml"
OLD = Path(__file__).parent / "fixtures" / "templates" / "0.0.9"
ANSWERS = {"project_name": "demo", "package_name": "demo", "description": "A demo server"}


def git(where: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", *args],
        cwd=where,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def copier(where: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "copier", *args],
        cwd=where,
        capture_output=True,
        text=True,
        timeout=300,
    )


def questions(config: Path) -> dict[str, dict[str, object]]:
    loaded = yaml.safe_load(config.read_text())
    return {k: v for k, v in loaded.items() if not k.startswith("_")}


@pytest.mark.parametrize("template", list(catalog.TEMPLATES))
def test_root_questions_are_the_templates_questions(template: str) -> None:
    root = questions(ROOT_CONFIG)
    own = questions(REPO / "templates" / template / "copier.yml")
    assert set(own) <= set(root)
    for name, spec in own.items():
        if name == "fkit_template":  # fixed per template, a real question at the root
            assert spec["default"] == template
            assert template in root[name]["choices"].values()  # type: ignore[union-attr]
            continue
        expected = dict(spec)
        # A question only one template asks is asked at the root for that template only.
        if any(
            name not in questions(REPO / "templates" / t / "copier.yml") for t in catalog.TEMPLATES
        ):
            expected["when"] = f"{{{{ fkit_template == '{template}' }}}}"
        assert root[name] == expected, name


def test_root_choices_follow_the_catalogue() -> None:
    choices = questions(ROOT_CONFIG)["fkit_template"]["choices"]
    assert choices == {f"{name}: {about}": name for name, about in catalog.TEMPLATES.items()}  # type: ignore[comparison-overlap]


def test_template_repository_is_the_project_homepage() -> None:
    pyproject = tomlkit.parse((REPO / "pyproject.toml").read_text())
    assert pyproject["project"]["urls"]["Homepage"] + ".git" == catalog.TEMPLATE_REPOSITORY


def _commit_templates(repo: Path, templates: Path, version: str) -> None:
    """One release of the template repository: root copier.yml + templates/, tagged."""
    if (repo / "templates").exists():
        shutil.rmtree(repo / "templates")
    shutil.copytree(templates, repo / "templates", ignore=shutil.ignore_patterns("__pycache__"))
    config = ROOT_CONFIG.read_text().replace(f'default: "{__version__}"', f'default: "{version}"')
    (repo / "copier.yml").write_text(config)
    git(repo, "add", "-A")
    git(repo, "commit", "--quiet", "-m", f"release {version}")
    git(repo, "tag", f"v{version}")


@pytest.fixture(scope="module")
def template_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    repo = tmp_path_factory.mktemp("fkit-templates")
    git(repo, "init", "--quiet")
    _commit_templates(repo, OLD, "0.0.9")
    _commit_templates(repo, REPO / "templates", __version__)
    return repo


def test_copier_copy_renders_what_fkit_new_renders(template_repo: Path, tmp_path: Path) -> None:
    by_copier, by_fkit = tmp_path / "copier" / "demo", tmp_path / "fkit" / "demo"
    done = copier(
        tmp_path,
        "copy", "--defaults", "--vcs-ref", f"v{__version__}",
        "-d", "fkit_template=oauth", "-d", "project_name=demo",
        str(template_repo), str(by_copier),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    update._render(
        REPO / "templates" / "oauth", by_fkit, {"project_name": "demo"}, "oauth", __version__
    )
    files = sorted(p.relative_to(by_copier).as_posix() for p in by_copier.rglob("*") if p.is_file())
    assert files == sorted(
        p.relative_to(by_fkit).as_posix() for p in by_fkit.rglob("*") if p.is_file()
    )
    assert "copier.yml" not in files
    for name in files:
        if name != ".copier-answers.yml":
            assert (by_copier / name).read_bytes() == (by_fkit / name).read_bytes(), name
    answers = yaml.safe_load((by_copier / ".copier-answers.yml").read_text())
    assert answers["fkit_template"] == "oauth" and answers["_commit"] == f"v{__version__}"


def test_copier_update_takes_a_fkit_project_to_the_new_template(
    template_repo: Path, tmp_path: Path
) -> None:
    # Made by fkit 0.0.9: the answers name the template repository and the tag.
    project = tmp_path / "demo"
    update._render(OLD / "basic", project, ANSWERS, "basic", "0.0.9")
    answers_file = project / ".copier-answers.yml"
    answers = yaml.safe_load(answers_file.read_text())
    assert answers["_src_path"] == catalog.TEMPLATE_REPOSITORY
    # The test cannot reach the published repository: the same one, locally.
    answers_file.write_text(
        answers_file.read_text().replace(catalog.TEMPLATE_REPOSITORY, str(template_repo))
    )
    git(project, "init", "--quiet")
    git(project, "add", "-A")
    git(project, "commit", "--quiet", "-m", "fkit new")
    server = project / "src" / "demo" / "server.py"
    server.write_text(
        server.read_text().replace('"""Add two integers."""', '"""Add two integers, exactly."""')
    )
    git(project, "commit", "--quiet", "-am", "my edit")

    done = copier(project, "update", "--defaults", "--skip-answered")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    text = server.read_text()
    assert '"""Add two integers, exactly."""' in text  # the user's edit
    assert "def summarize" in text  # the template's change
    assert yaml.safe_load(answers_file.read_text())["_commit"] == f"v{__version__}"
