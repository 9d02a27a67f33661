"""The projects under the linted paths: which project each file belongs to, the
``[tool.fkit]`` that governs it and the versions it runs.

A file belongs to the nearest folder above it that holds a project file
(``pyproject.toml``, ``setup.py``/``setup.cfg``, ``requirements*.txt``, a lock file or
``fastmcp.json``), looking no higher than the repository root, unless that folder is part
of the project around it (a sub-package, or a folder the enclosing project builds into
its distribution); a file outside every
project belongs to the repository root, or to the folder named on the command line.
Its settings come from the closest ``pyproject.toml`` with a ``[tool.fkit]`` table at
or above that folder, no higher than the repository root, unless ``--config`` names one.
A project whose files say nothing about FastMCP or the SDK (a ``tests/requirements.txt``)
runs what the project around it runs.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from fastmcp_kit.build_claims import claims
from fastmcp_kit.config import Config, load_config, tool_table
from fastmcp_kit.config_overrides import with_overrides
from fastmcp_kit.dependencies import read_toml
from fastmcp_kit.errors import FkitError, shown_path
from fastmcp_kit.inline_script import script_dependencies
from fastmcp_kit.locks import LOCK_FILES
from fastmcp_kit.project import find_entrypoints, find_local_modules, requires_python
from fastmcp_kit.targets import (
    ProjectVersions,
    Target,
    explicit_version,
    read_facts,
    resolve_versions,
    script_facts,
    with_explicit_fastmcp,
)

PROJECT_FILES = ("pyproject.toml", "setup.py", "setup.cfg", "fastmcp.json", *LOCK_FILES)


def has_project_file(folder: Path) -> bool:
    return any((folder / name).is_file() for name in PROJECT_FILES) or any(
        entry.is_file() for entry in folder.glob("requirements*.txt")
    )


def is_repository_root(folder: Path) -> bool:
    return (folder / ".git").exists()


@dataclass(frozen=True)
class Settings:
    """A ``[tool.fkit]`` table and the file it came from (None: defaults)."""

    config: Config
    path: Path | None

    @property
    def base(self) -> Path | None:
        """The folder exclude and per-file-ignores patterns are relative to."""
        return None if self.path is None else self.path.parent


@dataclass(frozen=True)
class Project:
    root: Path
    settings: Settings
    versions: ProjectVersions
    # A file with PEP 723 inline metadata runs what its own block declares: a project
    # of its own inside the folder's (same settings and root, its own versions).
    script: Path | None = None
    # ``[project] requires-python`` of the root's pyproject.toml (None: not declared).
    requires_python: str | None = None

    @property
    def key(self) -> Path:
        """What identifies the project in a run: its root, or the script's path."""
        return self.script or self.root

    @property
    def config(self) -> Config:
        return self.settings.config

    @cached_property
    def entrypoints(self) -> frozenset[str]:
        return find_entrypoints(self.root)

    @cached_property
    def local_modules(self) -> frozenset[str]:
        return find_local_modules(self.root)

    def __hash__(self) -> int:
        return hash(self.key)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Project) and other.key == self.key


class Workspace:
    """Answers, once per folder, which project a path belongs to."""

    def __init__(
        self,
        config_file: Path | None = None,
        fastmcp_version: str | None = None,
        overrides: Mapping[str, Any] | None = None,
    ) -> None:
        self.fastmcp_version = fastmcp_version
        # ``--config KEY=VALUE``: laid over every project's [tool.fkit].
        self.overrides = dict(overrides or {})
        self._explicit = None if config_file is None else self._load(config_file, required=True)
        self._roots: dict[Path, Path | None] = {}
        self._settings: dict[Path, Settings] = {}
        self._projects: dict[Path, Project] = {}
        self._pyprojects: dict[Path, dict[str, Any]] = {}
        self._scripts: dict[Path, Project | None] = {}

    # -- folders ------------------------------------------------------------------------

    def _marked_root(self, folder: Path) -> Path | None:
        """The nearest folder at or above ``folder`` with a project file, stopping at
        the repository root (which counts when nothing below it does)."""
        if folder in self._roots:
            return self._roots[folder]
        if is_repository_root(folder) or (has_project_file(folder) and not self._claimed(folder)):
            found: Path | None = folder
        elif folder.parent == folder:
            found = None
        else:
            found = self._marked_root(folder.parent)
        self._roots[folder] = found
        return found

    def _claimed(self, folder: Path) -> bool:
        """A folder with project files that is still part of the project around it: a
        sub-package of a Python package (a JupyterLab extension's ``setup.py`` inside
        ``pkg/extensions/lab/``), or a folder an enclosing project builds into its own
        distribution (:mod:`fastmcp_kit.build_claims`)."""
        if (folder / "__init__.py").is_file() and (folder.parent / "__init__.py").is_file():
            return True
        for parent in folder.parents:
            if (parent / "pyproject.toml").is_file() and claims(
                self._pyproject(parent), parent, folder
            ):
                return True
            if is_repository_root(parent):
                break
        return False

    def project_root(self, folder: Path, anchor: Path | None = None) -> Path:
        """The root of the project ``folder`` belongs to; ``anchor`` (the folder named
        on the command line) when no project file or repository is above it."""
        folder = folder.resolve()
        return self._marked_root(folder) or (anchor or folder).resolve()

    def _pyproject(self, folder: Path) -> dict[str, Any]:
        if folder not in self._pyprojects:
            path = folder / "pyproject.toml"
            self._pyprojects[folder] = read_toml(path) if path.is_file() else {}
        return self._pyprojects[folder]

    def _load(self, path: Path, required: bool = False) -> Settings:
        shown = shown_path(path)
        if required and not path.exists():
            raise FkitError(f"--config {shown}: no such file")
        try:
            return Settings(self._config(read_toml(path), shown), path.resolve())
        except FkitError as exc:
            raise FkitError(f"--config {exc}") from None

    def settings_for(self, folder: Path) -> Settings:
        """The closest ``[tool.fkit]`` at or above ``folder`` (``--config`` wins)."""
        if self._explicit is not None:
            return self._explicit
        folder = folder.resolve()
        if folder in self._settings:
            return self._settings[folder]
        pyproject = self._pyproject(folder)
        shown = shown_path(folder / "pyproject.toml")
        if "fkit" in tool_table(pyproject, shown):
            found = Settings(self._config(pyproject, shown), folder / "pyproject.toml")
        elif folder.parent == folder or is_repository_root(folder):
            # A repository is a boundary: a checkout inside another project's tree
            # does not take that project's settings.
            found = Settings(self._config({}, "--config"), None)
        else:
            found = self.settings_for(folder.parent)
        self._settings[folder] = found
        return found

    def _config(self, pyproject: Mapping[str, Any], shown: str) -> Config:
        if not self.overrides:
            return load_config(pyproject, shown) if pyproject else Config()
        return load_config(with_overrides(pyproject, self.overrides, shown), shown)

    # -- projects -----------------------------------------------------------------------

    def project(self, root: Path) -> Project:
        if root not in self._projects:
            settings = self.settings_for(root)
            versions = self._chosen(settings, self._versions(root))
            self._projects[root] = Project(
                root, settings, versions, requires_python=requires_python(self._pyproject(root))
            )
        return self._projects[root]

    def _chosen(self, settings: Settings, versions: ProjectVersions) -> ProjectVersions:
        """The versions, unless ``--fastmcp-version`` or the configuration names one."""
        chosen = self.fastmcp_version, "--fastmcp-version"
        if chosen[0] is None and settings.config.fastmcp_version is not None:
            chosen = settings.config.fastmcp_version, "[tool.fkit] fastmcp-version"
        if chosen[0] is not None:
            versions = with_explicit_fastmcp(versions, explicit_version(*chosen))
        return versions

    def project_of(self, path: Path, anchor: Path | None = None) -> Project:
        folder = path if path.is_dir() else path.parent
        project = self.project(self.project_root(folder, anchor))
        # A module of a package is imported by the project, whatever block it carries
        # (the block only governs `uv run file.py` of a standalone script).
        if path.suffix == ".py" and path.is_file() and not (folder / "__init__.py").exists():
            return self._script_project(project, path.resolve()) or project
        return project

    def _script_project(self, project: Project, path: Path) -> Project | None:
        if path not in self._scripts:
            dependencies = script_dependencies(path)
            facts = None if dependencies is None else script_facts(path, dependencies)
            self._scripts[path] = (
                None
                if facts is None or not facts.says_anything
                else Project(
                    project.root,
                    project.settings,
                    self._chosen(project.settings, resolve_versions(facts)),
                    script=path,
                    requires_python=project.requires_python,
                )
            )
        return self._scripts[path]

    def _versions(self, root: Path) -> ProjectVersions:
        boundary = self._repository_root(root)
        facts = read_facts(root, self._pyproject(root), boundary)
        if not facts.says_anything and root != boundary and root.parent != root:
            enclosing = self._marked_root(root.parent)
            if enclosing is not None:
                return _inherited(self._versions(enclosing), enclosing, root)
        return resolve_versions(facts)

    def _repository_root(self, folder: Path) -> Path | None:
        for candidate in (folder, *folder.parents):
            if is_repository_root(candidate):
                return candidate
        return None


def _inherited(versions: ProjectVersions, enclosing: Path, root: Path) -> ProjectVersions:
    """An enclosing project's versions, their file sources named from ``root``."""
    where = Path(os.path.relpath(enclosing, root)).as_posix()

    def moved(target: Target | None) -> Target | None:
        if target is None or target.source.startswith(("not declared", "required by")):
            return target
        return Target(target.version, f"{where}/{target.source}")

    forward = None if versions.forward is None else _inherited(versions.forward, enclosing, root)
    return ProjectVersions(
        moved(versions.fastmcp), moved(versions.mcp), forward, versions.admitted_by
    )
