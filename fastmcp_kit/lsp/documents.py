"""Lint an editor's document: ``fkit lint - --stdin-filename PATH`` as a library call.

The document's text goes through :func:`fastmcp_kit.lint.session.run_lint` like
stdin does, so it is linted for its own project (``[tool.fkit]``, versions, project
rules over the project's other files as saved). What the server keeps between runs
is what a run would otherwise rebuild: the workspace model (dropped when a file is
saved, since a save may change a project's files or settings) and the result caches,
held in memory: content-keyed, they are never stale, and the editor never writes
``.fkit_cache`` (it reads it once, for a warm start).

Not thread-safe: the server runs every lint on one worker thread.
"""

from __future__ import annotations

import io
import tokenize
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from fastmcp_kit.lint.cache import ResultCache
from fastmcp_kit.lint.discovery import is_python_file
from fastmcp_kit.lint.rule_index import rule_index
from fastmcp_kit.lint.session import LintOptions, run_lint
from fastmcp_kit.lint.violation import Violation
from fastmcp_kit.targets import explicit_version
from fastmcp_kit.workspace import Workspace

# What the server reads from ``initializationOptions``, by key.
OPTION_KEYS = ("select", "fastmcpVersion")


@dataclass(frozen=True)
class ServerSettings:
    """``initializationOptions`` overriding every project's ``[tool.fkit]``."""

    select: tuple[str, ...] | None = None
    fastmcp_version: str | None = None

    @classmethod
    def parse(cls, options: object) -> tuple[ServerSettings, list[str]]:
        """The settings in ``options`` and one line per value ignored as invalid."""
        if options is None:
            return cls(), []
        if not isinstance(options, Mapping):
            return cls(), [f"initializationOptions must be an object, not {options!r}"]
        problems = [
            f"initializationOptions: unknown key {key!r} (known: {', '.join(OPTION_KEYS)})"
            for key in options
            if key not in OPTION_KEYS
        ]
        select = options.get("select")
        codes: tuple[str, ...] | None = None
        if (
            isinstance(select, Sequence)
            and not isinstance(select, str)
            and all(isinstance(code, str) for code in select)
        ):
            parts = (part.strip().upper() for code in select for part in code.split(","))
            codes = tuple(part for part in parts if part)
        if select is not None and codes is None:
            problems.append(
                f'initializationOptions.select must be a list such as ["FMCP2"], not {select!r}'
            )
        version = options.get("fastmcpVersion")
        if version is not None:
            try:
                explicit_version(version, "initializationOptions.fastmcpVersion")
            except Exception as exc:  # FkitError; one clear line either way
                problems.append(str(exc))
                version = None
        return cls(codes, version), problems


def lints(name: str) -> bool:
    """Whether a file of this name is linted: Python, or a file some rule reads."""
    return is_python_file(name) or any(entry.matches_file(name) for entry in rule_index().values())


def _fixed_text(data: bytes | None, python: bool) -> str | None:
    """The fixed code the engine printed (in the document's own encoding) as text."""
    if data is None:
        return None
    if not python:
        return data.decode("utf-8", "surrogateescape")
    from fastmcp_kit.lint.engine import decode

    return decode(data)[0]


def engine_bytes(text: str, python: bool) -> tuple[bytes, int]:
    """The bytes the engine reads for an editor's text, and how many leading
    characters of the text the engine's decoding drops (a byte-order mark).

    A Python file is encoded as its coding cookie says, so the engine decodes the
    text the editor shows; a character that encoding lacks becomes ``?`` (one for
    one: columns stay the editor's). Text that is not Unicode at all (lone
    surrogates) and unknown encodings are passed on for the engine to report.
    """
    data = text.encode("utf-8", "surrogatepass")
    if not python:
        return data, 0
    try:
        encoding = tokenize.detect_encoding(io.BytesIO(data).readline)[0]
    except SyntaxError:
        return data, 0
    if encoding == "utf-8-sig":
        return data, 1 if text.startswith("\ufeff") else 0
    if encoding != "utf-8":
        try:
            return text.encode(encoding, "replace"), 0
        except (UnicodeError, LookupError):
            return data, 0
    return data, 0


@dataclass(frozen=True)
class DocumentLint:
    """One lint of one version of a document."""

    path: Path
    version: int | None
    # The document's text, and what the engine saw of it (less ``skip`` characters).
    text: str
    skip: int
    violations: tuple[Violation, ...]
    # The engine's text after every safe fix (from a fix run that fixed something).
    fixed: str | None = None
    notes: tuple[str, ...] = field(default=())

    @property
    def engine_text(self) -> str:
        return self.text[self.skip :]

    @property
    def is_python(self) -> bool:
        return is_python_file(self.path.name)


class _MemoryCache(ResultCache):
    """A project's result cache, read from disk once and then kept in memory only."""

    def save(self) -> None:
        pass


class Linter:
    """Lints documents the way ``fkit lint`` lints files."""

    def __init__(self, settings: ServerSettings | None = None) -> None:
        self.settings = settings or ServerSettings()
        self._workspace: Workspace | None = None
        self._caches: dict[tuple[Path, str], ResultCache] = {}

    @property
    def workspace(self) -> Workspace:
        if self._workspace is None:
            self._workspace = Workspace(None, self.settings.fastmcp_version)
        return self._workspace

    def forget_projects(self) -> None:
        """Read projects and settings afresh on the next lint (after a save)."""
        self._workspace = None

    def project_key(self, path: Path) -> Path:
        """What identifies the project a file belongs to (its root, or a script)."""
        return self.workspace.project_of(path).key

    def _cache(self, root: Path, fingerprint: str) -> ResultCache:
        key = (root, fingerprint)
        if key not in self._caches:
            self._caches[key] = _MemoryCache(root, fingerprint)
        return self._caches[key]

    def lint(
        self, path: Path, text: str, version: int | None, *, fix: bool = False
    ) -> DocumentLint:
        """Lint (with ``fix``, also fix) one document's text as the file at ``path``.

        Raises :class:`fastmcp_kit.errors.FkitError` for bad settings, as the
        command line does.
        """
        data, skip = engine_bytes(text, is_python_file(path.name))
        options = LintOptions(
            paths=["-"],
            stdin_filename=str(path),
            select=self.settings.select,
            fix=fix,
            fastmcp_version=self.settings.fastmcp_version,
            jobs=1,
        )
        outcome = run_lint(options, workspace=self.workspace, stdin=data, caches=self._cache)
        report = outcome.report
        return DocumentLint(
            path,
            version,
            text,
            skip,
            tuple(report.violations),
            # An undecodable document "fixes" to nothing: only a real fix is kept.
            _fixed_text(outcome.stdin_fixed, is_python_file(path.name))
            if fix and report.fixes_applied
            else None,
            tuple(report.notes),
        )
