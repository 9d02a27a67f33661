"""Find the Python files to lint: recursive, honouring .gitignore files at every
level, the ``exclude``/``extend-exclude`` globs, and skipping virtualenvs.

What is not a regular file is never opened: a dangling symlink, a symlink loop, a
FIFO, a socket or a device met while walking a folder is skipped with a warning,
and one named on the command line is an error. A folder that cannot be listed is
an error too: its files are missing from the run, and the exit status says so.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pathspec

from fastmcp_kit.errors import FkitError
from fastmcp_kit.problems import Problems
from fastmcp_kit.regular_files import kind_of, oddity, read_regular_file, stat_failure


def relative_posix(path: str, base: str) -> str:
    """``path`` relative to ``base``, with forward slashes."""
    # A plain prefix cut: discovery asks this for every file and folder it sees, and
    # os.path.relpath (or pathlib) costs more than the rest of a cached run's walk.
    prefix = base if base.endswith(os.sep) else base + os.sep
    relative = path[len(prefix) :] if path.startswith(prefix) else os.path.relpath(path, base)
    return relative.replace(os.sep, "/") if os.sep != "/" else relative


def is_below(path: str, base: str) -> bool:
    return path.startswith(base if base.endswith(os.sep) else base + os.sep)


ExcludesFor = Callable[[str], "tuple[str, pathspec.GitIgnoreSpec]"]
"""A folder -> the folder its exclude patterns are relative to, and the patterns."""


class _Ignores:
    """The .gitignore files seen so far on the way down, each relative to its folder,
    and the exclude patterns that govern each folder."""

    def __init__(self, excludes_for: ExcludesFor, problems: Problems) -> None:
        self.excludes_for = excludes_for
        self.problems = problems
        self.gitignores: dict[str, pathspec.GitIgnoreSpec] = {}
        # Whether a folder matches a pattern at all, itself or through an ancestor.
        self._matched: dict[str, bool] = {}

    def load(self, directory: str) -> None:
        gitignore = os.path.join(directory, ".gitignore")
        if os.path.isfile(gitignore):
            try:
                data = read_regular_file(gitignore)
            except OSError as exc:
                self.problems.error(gitignore, f"cannot read: {exc.strerror}; not applied")
                return
            lines = data.decode("utf-8", errors="replace").splitlines()
            self.gitignores[directory] = pathspec.GitIgnoreSpec.from_lines(lines)

    def matches(self, path: str, is_dir: bool) -> bool:
        suffix = "/" if is_dir else ""
        base, exclude = self.excludes_for(os.path.dirname(path))
        if is_below(path, base) and exclude.match_file(relative_posix(path, base) + suffix):
            return True
        for folder, spec in self.gitignores.items():
            if is_below(path, folder) and spec.match_file(relative_posix(path, folder) + suffix):
                return True
        return False

    def ignored(self, path: str, is_dir: bool) -> bool:
        """Whether ``path`` is excluded. A folder named on the command line is walked
        even when a pattern excludes it (a package inside a virtualenv, say): what
        matches only through such a folder is not excluded."""
        parent = os.path.dirname(path)
        if parent not in self._matched:
            self._matched[parent] = self.matches(parent, is_dir=True)
        matched = self.matches(path, is_dir)
        if is_dir:
            self._matched[path] = matched
        return matched and not self._matched[parent]


def _is_virtualenv(directory: str) -> bool:
    return os.path.isfile(os.path.join(directory, "pyvenv.cfg"))


def _walk(directory: Path, ignores: _Ignores, wanted: Callable[[str], bool]) -> Iterator[Path]:
    # Git reads the .gitignore files of the repository only: none above its root.
    ancestors = [directory]
    for parent in directory.parents:
        if (ancestors[-1] / ".git").exists():
            break
        ancestors.append(parent)
    if not (ancestors[-1] / ".git").exists():
        # Outside a repository: those of the project, from its root down.
        base = ignores.excludes_for(str(directory))[0]
        ancestors = [a for a in ancestors if a == Path(base) or is_below(str(a), base)]
        ancestors = ancestors or [directory]
    for ancestor in reversed(ancestors):
        ignores.load(str(ancestor))
    problems = ignores.problems

    def unlisted(exc: OSError) -> None:
        problems.error(exc.filename or directory, f"cannot list folder: {exc.strerror}; skipped")

    for here, dirnames, filenames in os.walk(directory, onerror=unlisted):
        kept = []
        for name in sorted(dirnames):
            child = os.path.join(here, name)
            if _is_virtualenv(child) or ignores.ignored(child, is_dir=True):
                continue
            ignores.load(child)
            kept.append(name)
        dirnames[:] = kept
        for name in sorted(filenames):
            path = os.path.join(here, name)
            if wanted(name) and not ignores.ignored(path, is_dir=False):
                try:
                    odd = oddity(path)
                except OSError as exc:
                    problems.error(path, f"cannot read: {exc.strerror}; skipped")
                    continue
                if odd is None:
                    yield Path(path)
                else:
                    problems.warn(path, f"skipped: {odd}")


def is_python_file(name: str) -> bool:
    return name.endswith((".py", ".pyi"))


def discover(
    paths: Sequence[Path],
    root: Path,
    exclude: Sequence[str],
    also: Callable[[str], bool] | None = None,
    problems: Problems | None = None,
) -> list[Path]:
    """Every Python file under ``paths``, plus other files whose name ``also``
    accepts (those text rules read), with one set of exclude patterns relative to
    ``root``. A file named explicitly is always linted."""
    spec = pathspec.GitIgnoreSpec.from_lines(exclude)
    base = str(root.resolve())
    found = discover_each(paths, lambda _: (base, spec), also, problems)
    return [path for path, _ in found]


def discover_each(
    paths: Sequence[Path],
    excludes_for: ExcludesFor,
    also: Callable[[str], bool] | None = None,
    problems: Problems | None = None,
) -> list[tuple[Path, Path]]:
    """Like :func:`discover`, with the exclude patterns of each folder's own
    configuration; each file comes with the folder named on the command line that
    led to it (a file named explicitly: its own folder). What could not be found or
    read is added to ``problems``."""

    def wanted(name: str) -> bool:
        return is_python_file(name) or (also is not None and also(name))

    ignores = _Ignores(excludes_for, problems if problems is not None else Problems())
    found: dict[Path, Path] = {}
    for path in paths:
        if not os.path.lexists(path):
            raise FkitError(f"{path}: no such file or directory")
        try:
            mode = os.stat(path).st_mode
        except OSError as exc:
            ignores.problems.error(path, f"skipped: {stat_failure(str(path), exc)}")
            continue
        if stat.S_ISDIR(mode):
            start = path.resolve()
            for file in _walk(start, ignores, wanted):
                found.setdefault(file, start)
        elif stat.S_ISREG(mode):
            resolved = path.resolve()
            found.setdefault(resolved, resolved.parent)
        else:
            ignores.problems.error(path, f"skipped: {kind_of(mode)}, not a regular file")
    return list(found.items())
