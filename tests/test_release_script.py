"""scripts/release.py, run on a throwaway git repository shaped like this one."""

from __future__ import annotations

import datetime
import importlib.util
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

import fastmcp_kit

REPO = Path(__file__).resolve().parent.parent
TODAY = datetime.date.today().isoformat()

CHANGELOG = """\
# Changelog

## [Unreleased]

### Added

- Something new.
"""


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("release", REPO / "scripts" / "release.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


release = _load()


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True)
    return done.stdout.strip()


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    (tmp_path / "fastmcp_kit").mkdir()
    (tmp_path / "fastmcp_kit" / "__init__.py").write_text('"""fkit."""\n\n__version__ = "0.1.0"\n')
    (tmp_path / "CHANGELOG.md").write_text(CHANGELOG)
    (tmp_path / "copier.yml").write_text((REPO / "copier.yml").read_text(encoding="utf-8"))
    for name in ("basic", "oauth"):
        template = tmp_path / "templates" / name
        template.mkdir(parents=True)
        # The real file's block, so the script's pattern is checked against it.
        (template / "copier.yml").write_text(
            (REPO / "templates" / name / "copier.yml").read_text(encoding="utf-8")
        )
    git(tmp_path, "init", "--quiet")
    git(tmp_path, "-c", "user.name=t", "-c", "user.email=t@t", "add", "-A")
    git(tmp_path, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "start")
    git(tmp_path, "config", "user.name", "t")
    git(tmp_path, "config", "user.email", "t@t")
    return tmp_path


def run(repo: Path, *args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = release.main([*args, "--repo", str(repo)])
    out, err = capsys.readouterr()
    return code, out, err


def test_first_release_is_the_version_in_the_source(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(repo, "0.1.0", capsys=capsys)
    assert code == 0, err
    assert "git push origin HEAD v0.1.0" in out
    changelog = (repo / "CHANGELOG.md").read_text()
    assert (
        f"## [Unreleased]\n\n## [0.1.0] - {TODAY}\n\n### Added\n\n- Something new.\n" in changelog
    )
    assert git(repo, "describe", "--tags") == "v0.1.0"
    assert git(repo, "log", "-1", "--format=%s") == "Release 0.1.0"
    assert git(repo, "status", "--porcelain") == ""


def test_bump_moves_version_templates_changelog_and_links(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(repo, "0.1.0", capsys=capsys)[0] == 0
    changelog = (
        (repo / "CHANGELOG.md")
        .read_text()
        .replace("## [Unreleased]\n", "## [Unreleased]\n\n### Fixed\n\n- A bug.\n")
    )
    changelog += "\n[Unreleased]: https://example.org/fkit/compare/v0.1.0...HEAD\n"
    (repo / "CHANGELOG.md").write_text(changelog)
    git(repo, "commit", "-qam", "work")

    code, _, err = run(repo, "minor", capsys=capsys)
    assert code == 0, err
    assert '__version__ = "0.2.0"' in (repo / "fastmcp_kit" / "__init__.py").read_text()
    for copier_yml in [repo / "copier.yml", *(repo / "templates").glob("*/copier.yml")]:
        block = re.search(r"^fkit_version:\n(?:  .*\n)+", copier_yml.read_text(), re.MULTILINE)
        assert block and '  default: "0.2.0"\n' in block.group(0), copier_yml
    text = (repo / "CHANGELOG.md").read_text()
    assert f"## [Unreleased]\n\n## [0.2.0] - {TODAY}\n\n### Fixed\n\n- A bug.\n" in text
    assert "[Unreleased]: https://example.org/fkit/compare/v0.2.0...HEAD\n" in text
    assert "[0.2.0]: https://example.org/fkit/compare/v0.1.0...v0.2.0\n" in text
    assert git(repo, "describe", "--tags") == "v0.2.0"


@pytest.mark.parametrize(
    ("prepare", "version", "message"),
    [
        (None, "zero", "'zero' is not a version"),
        (None, "0.0.9", "0.0.9 is not newer than 0.1.0"),
        ("dirty", "0.1.0", "uncommitted changes"),
        ("empty", "0.1.0", "Unreleased section of CHANGELOG.md is empty"),
        ("tagged", "0.1.0", "tag v0.1.0 already exists"),
    ],
)
def test_refusals_change_nothing(
    repo: Path, capsys: pytest.CaptureFixture[str], prepare: str | None, version: str, message: str
) -> None:
    if prepare == "dirty":
        (repo / "notes.txt").write_text("draft")
    elif prepare == "empty":
        (repo / "CHANGELOG.md").write_text("# Changelog\n\n## [Unreleased]\n")
        git(repo, "commit", "-qam", "empty")
    elif prepare == "tagged":
        git(repo, "tag", "v0.1.0")
    head = git(repo, "rev-parse", "HEAD")
    code, out, err = run(repo, version, capsys=capsys)
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1 and message in err, err
    assert git(repo, "rev-parse", "HEAD") == head
    assert git(repo, "status", "--porcelain") == ("?? notes.txt" if prepare == "dirty" else "")


def test_dry_run_writes_nothing(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(repo, "patch", "--dry-run", capsys=capsys)
    assert code == 0
    assert out.startswith("would release 0.1.1: ")
    assert git(repo, "status", "--porcelain") == ""
    assert git(repo, "tag", "--list") == ""


def test_the_templates_default_to_this_version() -> None:
    # What plain `copier copy` renders must name the fkit that ships the template.
    for copier_yml in [REPO / "copier.yml", *(REPO / "templates").glob("*/copier.yml")]:
        text = copier_yml.read_text(encoding="utf-8")
        block = re.search(r"^fkit_version:\n(?:  .*\n)+", text, re.MULTILINE)
        assert block, copier_yml
        assert f'  default: "{fastmcp_kit.__version__}"\n' in block.group(0), copier_yml


def test_the_script_runs_as_documented() -> None:
    done = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "release.py"), "--help"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0
    assert "patch, minor or major" in done.stdout


def test_docs_and_templates_name_no_tag_that_does_not_exist() -> None:
    # A `rev:` or `@v...` pointing at a tag nobody made fails for every user who copies it.
    tags = set(git(REPO, "tag", "--list").split())
    files = [REPO / "README.md", REPO / ".pre-commit-hooks.yaml"]
    files += list((REPO / "docs").rglob("*.md"))
    files += [p for p in (REPO / "templates").rglob("*") if p.is_file()]
    named = []
    for path in files:
        text = path.read_text(encoding="utf-8")
        named += [(path, m) for m in re.findall(r"^\W*rev: *(\S+)", text, re.MULTILINE)]
        named += [(path, m) for m in re.findall(r"git\+[^\"\n]*@([^\s\"']+)", text)]
    # `vX.Y.Z` is the documented placeholder for "a release tag" (README, hooks file).
    assert any(rev == "vX.Y.Z" for _, rev in named)
    missing = [
        (p.relative_to(REPO).as_posix(), rev)
        for p, rev in named
        if rev not in tags and rev != "vX.Y.Z"
    ]
    assert missing == [], missing
