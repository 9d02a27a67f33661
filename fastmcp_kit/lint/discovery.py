"""Find the Python files to lint: recursive, honouring .gitignore files at every
level, the ``exclude``/``extend-exclude`` globs, and skipping virtualenvs.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pathspec

from fastmcp_kit.errors import FkitError


def _relative(path: Path, root: Path) -> str:
    return Path(os.path.relpath(path, root)).as_posix()


class _Ignores:
    """The .gitignore files seen so far on the way down, each relative to its folder."""

    def __init__(self, root: Path, exclude: Sequence[str]) -> None:
        self.root = root
        self.exclude = pathspec.GitIgnoreSpec.from_lines(exclude)
        self.gitignores: dict[Path, pathspec.GitIgnoreSpec] = {}

    def load(self, directory: Path) -> None:
        gitignore = directory / ".gitignore"
        if gitignore.is_file():
            lines = gitignore.read_text(encoding="utf-8", errors="replace").splitlines()
            self.gitignores[directory] = pathspec.GitIgnoreSpec.from_lines(lines)

    def ignored(self, path: Path, is_dir: bool) -> bool:
        suffix = "/" if is_dir else ""
        if self.exclude.match_file(_relative(path, self.root) + suffix):
            return True
        for base, spec in self.gitignores.items():
            if base in path.parents and spec.match_file(_relative(path, base) + suffix):
                return True
        return False


def _is_virtualenv(directory: Path) -> bool:
    return (directory / "pyvenv.cfg").is_file()


def _walk(directory: Path, ignores: _Ignores, wanted: Callable[[str], bool]) -> Iterator[Path]:
    for ancestor in (*reversed(directory.parents), directory):
        if ancestor == ignores.root or ignores.root in ancestor.parents:
            ignores.load(ancestor)
    for current, dirnames, filenames in os.walk(directory):
        here = Path(current)
        kept = []
        for name in sorted(dirnames):
            child = here / name
            if _is_virtualenv(child) or ignores.ignored(child, is_dir=True):
                continue
            ignores.load(child)
            kept.append(name)
        dirnames[:] = kept
        for name in sorted(filenames):
            if wanted(name) and not ignores.ignored(here / name, is_dir=False):
                yield here / name


def is_python_file(name: str) -> bool:
    return name.endswith((".py", ".pyi"))


def discover(
    paths: Sequence[Path],
    root: Path,
    exclude: Sequence[str],
    also: Callable[[str], bool] | None = None,
) -> list[Path]:
    """Every Python file under ``paths``, plus other files whose name ``also``
    accepts (those text rules read). A file named explicitly is always linted."""

    def wanted(name: str) -> bool:
        return is_python_file(name) or (also is not None and also(name))

    ignores = _Ignores(root, exclude)
    found: dict[Path, None] = {}
    for path in paths:
        if not path.exists():
            raise FkitError(f"{path}: no such file or directory")
        if path.is_file():
            found[path.resolve()] = None
        else:
            found.update(dict.fromkeys(_walk(path.resolve(), ignores, wanted)))
    return list(found)
