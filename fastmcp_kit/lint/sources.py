"""The files of a run, each with the project it belongs to.

Every file is matched (per-file-ignores, rules' paths) relative to its own project's
root and shown relative to the working directory, so ``fkit lint a b`` and
``fkit lint .`` over a monorepo give each file what linting its project alone gives.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pathspec

from fastmcp_kit.lint.discovery import discover_each, is_below, is_python_file, relative_posix
from fastmcp_kit.lint.rule_index import rule_index
from fastmcp_kit.lint.runner import SourceFile
from fastmcp_kit.problems import Problems
from fastmcp_kit.regular_files import read_regular_file
from fastmcp_kit.workspace import Project, Settings, Workspace


@dataclass
class ProjectFiles:
    """A project and the files of the run that belong to it, in discovery order."""

    project: Project
    sources: list[SourceFile] = field(default_factory=list)


def _text_file_patterns() -> list[str]:
    return [p for entry in rule_index().values() for p in entry.file_patterns or ()]


def matched_and_shown(path: Path, root: Path, cwd: str) -> tuple[str, str]:
    """How a discovered file is matched (relative to its project root, symlinks
    resolved) and shown (relative to the working directory when below it)."""
    text = str(path)
    shown = relative_posix(text, cwd) if is_below(text, cwd) else path.as_posix()
    real = os.path.realpath(text) if os.path.islink(text) else text
    return relative_posix(real, str(root)), shown


class _Excludes:
    """Each folder's exclude patterns, anchored where its configuration sits."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self._specs: dict[int, pathspec.GitIgnoreSpec] = {}

    def __call__(self, folder: str) -> tuple[str, pathspec.GitIgnoreSpec]:
        settings = self.workspace.settings_for(Path(folder))
        base = settings.base or self.workspace.project_root(Path(folder))
        return str(base), self.spec(settings)

    def spec(self, settings: Settings) -> pathspec.GitIgnoreSpec:
        key = id(settings)
        if key not in self._specs:
            config = settings.config
            self._specs[key] = pathspec.GitIgnoreSpec.from_lines(
                [*config.exclude, *config.extend_exclude]
            )
        return self._specs[key]


def discover_files(
    workspace: Workspace, paths: Sequence[str], problems: Problems
) -> list[tuple[Path, Project]]:
    """Every file under ``paths`` that some rule could read, with its project."""
    import fnmatch

    patterns = _text_file_patterns()

    def text_file(name: str) -> bool:
        return any(fnmatch.fnmatch(name, pattern) for pattern in patterns)

    found = discover_each([Path(p) for p in paths], _Excludes(workspace), text_file, problems)
    return [(path, workspace.project_of(path, anchor)) for path, anchor in found]


def project_files(workspace: Workspace, project: Project, problems: Problems) -> list[Path]:
    """Every Python file of a project (not of the projects nested in it)."""
    found = discover_each([project.root], _Excludes(workspace), problems=problems)
    return [
        path
        for path, _ in found
        if is_python_file(path.name) and workspace.project_of(path) == project
    ]


def read_source(path: Path, project: Project, cwd: str, problems: Problems) -> SourceFile | None:
    """The file's bytes, or None (and an error in ``problems``) when it cannot be read."""
    match, shown = matched_and_shown(path, project.root, cwd)
    try:
        data = read_regular_file(path)
    except OSError as exc:
        problems.error(path, f"cannot read: {exc.strerror}; skipped")
        return None
    return SourceFile(shown, match, data, path)


def stdin_source(
    workspace: Workspace, stdin_filename: str | None, data: bytes | None = None
) -> ProjectFiles:
    """``-``: the bytes on stdin (or ``data``), matched as ``--stdin-filename`` in
    its project."""
    name = stdin_filename or "-"
    where = Path(stdin_filename) if stdin_filename else Path.cwd() / "-"
    project = workspace.project_of(where)
    match = relative_posix(str(where.resolve()), str(project.root)) if stdin_filename else name
    files = ProjectFiles(project)
    if data is None:
        data = sys.stdin.buffer.read()
    files.sources.append(SourceFile(name, match, data))
    return files
