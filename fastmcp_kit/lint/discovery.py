"""Find the Python files to lint: recursive, honouring .gitignore files at every
level, the ``exclude``/``extend-exclude`` globs, and skipping virtualenvs.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pathspec

from fastmcp_kit.errors import FkitError


def relative_posix(path: str, base: str) -> str:
    """``path`` relative to ``base``, with forward slashes."""
    # A plain prefix cut: discovery asks this for every file and folder it sees, and
    # os.path.relpath (or pathlib) costs more than the rest of a cached run's walk.
    prefix = base if base.endswith(os.sep) else base + os.sep
    relative = path[len(prefix) :] if path.startswith(prefix) else os.path.relpath(path, base)
    return relative.replace(os.sep, "/") if os.sep != "/" else relative


def is_below(path: str, base: str) -> bool:
    return path.startswith(base if base.endswith(os.sep) else base + os.sep)


class _Ignores:
    """The .gitignore files seen so far on the way down, each relative to its folder."""

    def __init__(self, root: Path, exclude: Sequence[str]) -> None:
        self.root = str(root)
        self.exclude = pathspec.GitIgnoreSpec.from_lines(exclude)
        self.gitignores: dict[str, pathspec.GitIgnoreSpec] = {}

    def load(self, directory: str) -> None:
        gitignore = os.path.join(directory, ".gitignore")
        if os.path.isfile(gitignore):
            with open(gitignore, encoding="utf-8", errors="replace") as handle:
                lines = handle.read().splitlines()
            self.gitignores[directory] = pathspec.GitIgnoreSpec.from_lines(lines)

    def ignored(self, path: str, is_dir: bool) -> bool:
        suffix = "/" if is_dir else ""
        if self.exclude.match_file(relative_posix(path, self.root) + suffix):
            return True
        for base, spec in self.gitignores.items():
            if is_below(path, base) and spec.match_file(relative_posix(path, base) + suffix):
                return True
        return False


def _is_virtualenv(directory: str) -> bool:
    return os.path.isfile(os.path.join(directory, "pyvenv.cfg"))


def _walk(directory: Path, ignores: _Ignores, wanted: Callable[[str], bool]) -> Iterator[Path]:
    for ancestor in (*reversed(directory.parents), directory):
        if ancestor == Path(ignores.root) or is_below(str(ancestor), ignores.root):
            ignores.load(str(ancestor))
    for here, dirnames, filenames in os.walk(directory):
        kept = []
        for name in sorted(dirnames):
            child = os.path.join(here, name)
            if _is_virtualenv(child) or ignores.ignored(child, is_dir=True):
                continue
            ignores.load(child)
            kept.append(name)
        dirnames[:] = kept
        for name in sorted(filenames):
            if wanted(name) and not ignores.ignored(os.path.join(here, name), is_dir=False):
                yield Path(here, name)


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
