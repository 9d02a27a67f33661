"""Cut a release: set the version, date the CHANGELOG, commit and tag.

python scripts/release.py 0.2.0        # or: patch | minor | major
python scripts/release.py minor --dry-run

In one commit ("Release X.Y.Z"): ``__version__`` in fastmcp_kit/__init__.py, the
``fkit_version`` default of every template's copier.yml, and CHANGELOG.md, where
"## [Unreleased]" becomes "## [X.Y.Z] - <today>" under a fresh, empty Unreleased
section (compare links at the bottom are moved on too, when the file has them). Then an
annotated tag ``vX.Y.Z``; pushing it runs .github/workflows/release.yml, which builds,
tests the wheel and publishes to PyPI.

A tiny script rather than bump-my-version: the first release is the version already in
the source (0.1.0, never tagged), which version-bumping tools cannot express without a
made-up "current" version.
"""

from __future__ import annotations

import argparse
import datetime
import re
import subprocess
import sys
from pathlib import Path

from packaging.version import InvalidVersion, Version

REPO = Path(__file__).resolve().parent.parent
INIT = Path("fastmcp_kit/__init__.py")
CHANGELOG = Path("CHANGELOG.md")
UNRELEASED = "## [Unreleased]"
_VERSION_LINE = re.compile(r'^__version__ = "([^"]+)"$', re.MULTILINE)
_RELEASED = re.compile(r"^## \[(\d[^\]]*)\]", re.MULTILINE)
# The copier.yml entry is a small fixed block ("fkit_version:" ... 'default: "X"').
_TEMPLATE_DEFAULT = re.compile(r'(^fkit_version:\n(?:  .*\n)*?  default: )"[^"]*"', re.MULTILINE)
_UNRELEASED_LINK = re.compile(r"^\[Unreleased\]: (\S+)/compare/(\S+)\.\.\.HEAD$", re.MULTILINE)


class ReleaseError(Exception):
    """Printed as one line; nothing has been changed."""


def git(repo: Path, *args: str) -> str:
    result = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=False)
    if result.returncode:
        raise ReleaseError(f"git {' '.join(args)} failed: {result.stderr.strip()}")
    return result.stdout.strip()


def next_version(current: Version, requested: str) -> Version:
    """``patch``/``minor``/``major`` bump ``current``; anything else is the version itself."""
    major, minor, patch = (*current.release, 0, 0)[:3]
    bumped = {
        "major": f"{major + 1}.0.0",
        "minor": f"{major}.{minor + 1}.0",
        "patch": f"{major}.{minor}.{patch + 1}",
    }
    try:
        return Version(bumped.get(requested, requested))
    except InvalidVersion:
        raise ReleaseError(
            f"{requested!r} is not a version (X.Y.Z) or one of patch, minor, major"
        ) from None


def dated_changelog(text: str, version: Version, today: datetime.date) -> str:
    """The CHANGELOG with its Unreleased entries under ``## [version] - today``."""
    start = text.find(UNRELEASED + "\n")
    if start < 0:
        raise ReleaseError(f"CHANGELOG.md has no {UNRELEASED!r} heading")
    body_start = start + len(UNRELEASED) + 1
    following = _RELEASED.search(text, body_start)
    body = text[body_start : following.start() if following else len(text)]
    if not body.strip():
        raise ReleaseError("the Unreleased section of CHANGELOG.md is empty: nothing to release")
    released = f"{UNRELEASED}\n\n## [{version}] - {today.isoformat()}\n"
    text = text[:start] + released + text[body_start:]
    link = _UNRELEASED_LINK.search(text)
    if link:  # Keep a Changelog's compare links, when the file keeps them
        base, previous = link.group(1), link.group(2)
        text = (
            text[: link.start()]
            + f"[Unreleased]: {base}/compare/v{version}...HEAD\n"
            + f"[{version}]: {base}/compare/{previous}...v{version}"
            + text[link.end() :]
        )
    return text


def plan(repo: Path, requested: str, today: datetime.date) -> tuple[Version, dict[Path, str]]:
    """The version to release and every file's new content; checks before any write."""
    init_text = (repo / INIT).read_text(encoding="utf-8")
    found = _VERSION_LINE.search(init_text)
    if not found:
        raise ReleaseError(f"no __version__ line in {INIT}")
    current = Version(found.group(1))
    version = next_version(current, requested)
    changelog = (repo / CHANGELOG).read_text(encoding="utf-8")
    released = [Version(v) for v in _RELEASED.findall(changelog)]
    # The version in the source may be the one about to be released for the first time.
    if version < current or (released and version <= max(released)):
        raise ReleaseError(f"{version} is not newer than {max([current, *released])}")
    if git(repo, "tag", "--list", f"v{version}"):
        raise ReleaseError(f"tag v{version} already exists")
    if git(repo, "status", "--porcelain"):
        raise ReleaseError("the working tree has uncommitted changes; commit or stash them first")
    files = {
        INIT: _VERSION_LINE.sub(f'__version__ = "{version}"', init_text, count=1),
        CHANGELOG: dated_changelog(changelog, version, today),
    }
    # Each template's copier.yml, and the root one `copier update` reads from the tag.
    for copier_yml in [repo / "copier.yml", *sorted((repo / "templates").glob("*/copier.yml"))]:
        text = copier_yml.read_text(encoding="utf-8")
        new, count = _TEMPLATE_DEFAULT.subn(rf'\g<1>"{version}"', text)
        if count != 1:
            raise ReleaseError(f"no fkit_version default in {copier_yml.relative_to(repo)}")
        files[copier_yml.relative_to(repo)] = new
    return version, files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Version, CHANGELOG, commit and tag.")
    parser.add_argument("version", help="X.Y.Z, or patch, minor or major")
    parser.add_argument("--dry-run", action="store_true", help="say what would change")
    parser.add_argument("--repo", type=Path, default=REPO, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    try:
        version, files = plan(args.repo, args.version, datetime.date.today())
        changed = [p for p, text in files.items() if (args.repo / p).read_text("utf-8") != text]
        if args.dry_run:
            print(f"would release {version}: " + ", ".join(map(str, changed)))
            return 0
        for path in changed:
            (args.repo / path).write_text(files[path], encoding="utf-8")
        git(args.repo, "commit", "--quiet", "-m", f"Release {version}", "--", *map(str, changed))
        git(args.repo, "tag", "-a", f"v{version}", "-m", f"fkit {version}")
    except ReleaseError as exc:
        print(f"release: error: {exc}", file=sys.stderr)
        return 2
    print(f"Tagged v{version}. Publish it with: git push origin HEAD v{version}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
