"""One ``fkit upgrade`` run: the plan, discovery, the codemods over every file, the
project files (fastmcp.json, pins), and writing."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import libcst as cst
from packaging.version import Version

from fastmcp_kit.config import load_config
from fastmcp_kit.errors import FkitError, shown_path
from fastmcp_kit.lint.discovery import discover, is_python_file
from fastmcp_kit.lint.engine import decode
from fastmcp_kit.lint.imports import module_name
from fastmcp_kit.lint.violation import Severity
from fastmcp_kit.problems import Problems
from fastmcp_kit.project import Target, detect_target, find_root, read_pyproject
from fastmcp_kit.regular_files import read_regular_file
from fastmcp_kit.upgrade.codemod import (
    AnyCodemod,
    Codemod,
    Finding,
    StepName,
    TextCodemod,
    UpgradeFacts,
)
from fastmcp_kit.upgrade.facts import env_names_in, is_env_file, task_servers
from fastmcp_kit.upgrade.function_uses import function_uses
from fastmcp_kit.upgrade.notes import project_notes
from fastmcp_kit.upgrade.pins import Needs, rewrite_requirements_txt
from fastmcp_kit.upgrade.project_files import (
    fastmcp_row,
    merge_fastmcp_json,
    upgrade_fastmcp_json_pins,
    upgrade_pyproject,
)
from fastmcp_kit.upgrade.runner import FileUpgrade, upgrade_python, upgrade_text
from fastmcp_kit.upgrade.steps import PINS_ID, Step, plan, select
from fastmcp_kit.versions import parse_target
from fastmcp_kit.writeback import PendingWrite, WriteOutcome, write_all

_TASK_USE = re.compile(r"\bTaskConfig\b|\bfastmcp_tasks\b|\bCurrentDocket\b|\bCurrentWorker\b")


@dataclass(frozen=True)
class UpgradeOptions:
    paths: Sequence[str] = (".",)
    to: str = "4"
    from_version: str | None = None
    write: bool = False
    only: Sequence[str] = ()
    # Opt-in codemods to run besides the default ones (`--with`).
    extra: Sequence[str] = ()
    skip: Sequence[str] = ()
    add_todos: bool = False


@dataclass
class UpgradeOutcome:
    root: Path
    source: Target
    steps: list[Step]
    files: list[FileUpgrade] = field(default_factory=list)
    # Files the plan reads that cannot be decoded: (shown path, why), never upgraded.
    undecodable: list[tuple[str, str]] = field(default_factory=list)
    # Whether the dependency pins were left alone because of them.
    pins_held: bool = False
    # Files skipped or not written, for stderr; an error makes the exit status 2.
    problems: Problems = field(default_factory=Problems)
    writes: WriteOutcome = field(default_factory=WriteOutcome)

    @property
    def changed(self) -> list[FileUpgrade]:
        return [f for f in self.files if f.changed]

    @property
    def findings(self) -> list[tuple[FileUpgrade, Finding]]:
        return [(f, finding) for f in self.files for finding in f.findings]


def _display(path: Path) -> str:
    relative = os.path.relpath(path, Path.cwd())
    return Path(path if relative.startswith("..") else relative).as_posix()


def source_version(root: Path, pyproject: dict[str, object], given: str | None) -> Target:
    """The version upgraded from: ``--from``, else what the project runs (its lock,
    an exact pin, the newest release its range admits)."""
    if given is not None:
        try:
            return Target(parse_target(given), "--from")
        except ValueError as exc:
            raise FkitError(f"--from: {exc}") from None
    return detect_target(root, pyproject, None)


def run_upgrade(options: UpgradeOptions) -> UpgradeOutcome:
    paths = [Path(p) for p in options.paths or ["."]]
    root = find_root(paths[0] if paths[0].exists() else Path.cwd())
    pyproject = read_pyproject(root)
    config = load_config(pyproject, shown_path(root / "pyproject.toml"))
    source = source_version(root, pyproject, options.from_version)
    steps = plan(source.version, options.to, source.source)
    chosen = select(steps, options.only, options.skip, options.extra)
    final: StepName = steps[-1].name
    codemods: list[AnyCodemod] = [c for _, cs in chosen for c in cs]
    python = [c for c in codemods if issubclass(c, Codemod)]
    text = [c for c in codemods if issubclass(c, TextCodemod)]

    def wanted(name: str) -> bool:
        return any(c.matches_file(name) for c in text)

    outcome = UpgradeOutcome(root, source, steps)
    excludes = [*config.exclude, *config.extend_exclude]
    files = discover(paths, root, excludes, also=wanted, problems=outcome.problems)
    sources = _read(files, outcome.problems, outcome.undecodable)
    env_names = env_names_in(root, [p for p in files if is_env_file(p.name)])
    servers = _task_servers(sources, root)
    uses = function_uses(_project_python(paths, root, excludes, sources))
    by_path: dict[Path, FileUpgrade] = {}
    for path, (content, encoding, original) in sources.items():
        relative = Path(os.path.relpath(path, root)).as_posix()
        if is_python_file(path.name):
            facts = UpgradeFacts(
                root, source.version, module_name(relative), env_names, servers, final, uses
            )
            result = upgrade_python(
                content, python, facts, filename=_display(path), add_todos=options.add_todos
            )
        else:
            facts = UpgradeFacts(root, source.version, None, env_names, servers, final)
            result = upgrade_text(content, path, text, facts, _display(path))
        result.path, result.display, result.encoding = path, _display(path), encoding
        result.original = original
        by_path[path] = result
    _fastmcp_json(root, by_path)
    if PINS_ID not in options.skip and (not options.only or PINS_ID in options.only):
        # A file left on the old release must keep the pins that release needs:
        # bumping them would leave the project half moved.
        outcome.pins_held = bool(outcome.undecodable)
        if not outcome.pins_held:
            needs = _needs(by_path.values(), servers)
            _pins(root, final, needs, by_path, steps, source.version)
    outcome.files = sorted(by_path.values(), key=lambda f: f.display)
    if options.write:
        outcome.writes = write_all(
            [_pending(result) for result in outcome.changed], outcome.problems
        )
    return outcome


def _pending(result: FileUpgrade) -> PendingWrite:
    assert result.path is not None
    expected = None if result.created else result.original
    assert result.created or expected is not None, "every file upgraded was read from disk"
    return PendingWrite(result.path, result.after.encode(result.encoding), expected)


def _read(
    files: Sequence[Path], problems: Problems, undecodable: list[tuple[str, str]]
) -> dict[Path, tuple[str, str, bytes]]:
    """Each file's text, encoding and bytes; a file that cannot be read is a problem,
    one that cannot be decoded goes to ``undecodable``."""
    sources: dict[Path, tuple[str, str, bytes]] = {}
    for path in files:
        try:
            data = read_regular_file(path)
        except OSError as exc:
            problems.error(path, f"cannot read: {exc.strerror}; skipped")
            continue
        try:
            text, encoding = decode(data) if is_python_file(path.name) else (data.decode(), "utf-8")
        except (UnicodeDecodeError, SyntaxError, LookupError) as exc:
            reason = str(exc)
            if isinstance(exc, UnicodeDecodeError):
                reason = f"not {exc.encoding} text: {exc.reason} at offset {exc.start}"
            undecodable.append((_display(path), reason))
            continue
        sources[path] = (text, encoding, data)
    return sources


def _project_python(
    paths: Sequence[Path],
    root: Path,
    excludes: Sequence[str],
    sources: dict[Path, tuple[str, str, bytes]],
) -> dict[str, str]:
    """The project's Python sources by shown path: the files upgraded, and when only
    part of the project is upgraded and it touches Context state, the rest of it too
    (a caller elsewhere decides whether a function may become async)."""
    found = {
        _display(path): content
        for path, (content, _, _) in sources.items()
        if is_python_file(path.name)
    }
    partial = any(p.resolve() != root.resolve() for p in paths)
    if partial and any("get_state" in c or "set_state" in c for c in found.values()):
        for path in discover([root], root, excludes, problems=Problems()):
            shown = _display(path)
            if shown not in found and is_python_file(path.name):
                try:
                    found[shown] = path.read_text(encoding="utf-8", errors="replace")
                except OSError:
                    continue
    return found


def _task_servers(sources: dict[Path, tuple[str, str, bytes]], root: Path) -> frozenset[str]:
    found: set[str] = set()
    for path, (content, _, _) in sources.items():
        if not is_python_file(path.name) or "task" not in content:
            continue
        try:
            module = cst.parse_module(content)
        except cst.ParserSyntaxError:
            continue
        found |= task_servers(module, module_name(Path(os.path.relpath(path, root)).as_posix()))
    return frozenset(found)


def _needs(results: Iterable[FileUpgrade], servers: frozenset[str]) -> Needs:
    python = [r.after for r in results if r.path is not None and is_python_file(r.path.name)]
    tasks = bool(servers) or any(_TASK_USE.search(code) for code in python)
    extras = set()
    if any("key_value.aio.stores.disk" in code for code in python):
        extras.add("disk")
    if any("key_value.aio.stores.redis" in code for code in python):
        extras.add("redis")
    return Needs(tasks=tasks, key_value_extras=frozenset(extras))


def _file(root: Path, name: str, by_path: dict[Path, FileUpgrade]) -> FileUpgrade | None:
    path = (root / name).resolve()
    if path in by_path:
        return by_path[path]
    if not path.is_file():
        return None
    try:
        data = read_regular_file(path)
    except OSError as exc:
        raise FkitError(f"{_display(path)}: cannot read: {exc.strerror}") from None
    try:
        # Universal newlines, as Path.read_text gives: the pin editors work on "\n".
        text = data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
    except UnicodeDecodeError as exc:
        raise FkitError(
            f"{_display(path)}: not UTF-8 text ({exc.reason}); nothing was upgraded"
        ) from None
    result = FileUpgrade(_display(path), text, text, path=path, original=data)
    by_path[path] = result
    return result


def _fastmcp_json(root: Path, by_path: dict[Path, FileUpgrade]) -> None:
    records = [record for result in by_path.values() for record in result.fastmcp_json]
    if not records:
        return
    target = (root / "fastmcp.json").resolve()
    existing = _file(root, "fastmcp.json", by_path)
    text = existing.after if existing is not None else None
    for filename, entrypoint, dependencies in records:
        relative = Path(os.path.relpath(Path(filename).resolve(), root)).as_posix()
        try:
            text = merge_fastmcp_json(text, relative, entrypoint, dependencies)
        except ValueError as exc:
            raise FkitError(
                f"{_display(target)}: {exc}, so the dependencies= of {filename} cannot move "
                "into it; nothing was upgraded"
            ) from None
    if existing is None:
        assert text is not None
        by_path[target] = FileUpgrade(_display(target), "", text, path=target, created=True)
        by_path[target].rewrites["server-dependencies"] = len(records)
    else:
        existing.after = text or existing.after


def _pins(
    root: Path,
    step: StepName,
    needs: Needs,
    by_path: dict[Path, FileUpgrade],
    steps: list[Step],
    source: Version,
) -> None:
    notes: list[tuple[Severity, str]] = []
    anchor: FileUpgrade | None = None
    names = [
        "pyproject.toml",
        *sorted(p.name for p in root.glob("requirements*.txt")),
        "fastmcp.json",
    ]
    files = [(name, _file(root, name, by_path)) for name in names]
    present = [(name, result) for name, result in files if result is not None]
    if present and not any(fastmcp_row(result.after) is not None for _, result in present):
        # An MCP SDK project (its FastMCP is mcp.server.fastmcp): raising its `mcp` floor
        # for FastMCP 4 would move it onto SDK 2.x, which removed that module.
        notes.append(
            (
                Severity.WARNING,
                "no dependency file declares fastmcp, so its pins were left alone (an MCP SDK "
                "project stays on its SDK); to move to FastMCP 4, add `fastmcp>=4,<5` and port "
                "the `mcp.server.fastmcp` imports",
            )
        )
        present = []
    for name, result in present:
        if name == "pyproject.toml":
            after, changed = upgrade_pyproject(result.after, step, needs, notes)
        elif name == "fastmcp.json":
            after, changed = upgrade_fastmcp_json_pins(result.after, step, needs, notes)
        else:
            after, changed, _ = rewrite_requirements_txt(result.after, step, needs, notes)
        result.after = after
        if changed:
            result.rewrites[PINS_ID] = result.rewrites.get(PINS_ID, 0) + changed
        if anchor is None and fastmcp_row(after) is not None:
            anchor = result
    findings = [(severity, message, steps[-1].link) for severity, message in notes]
    findings.extend(project_notes(root, steps, needs, source))
    if anchor is None:
        anchor = _file(root, "pyproject.toml", by_path)
    if anchor is None:
        return
    row = fastmcp_row(anchor.after) or 1
    for severity, message, link in findings:
        anchor.findings.append(Finding(PINS_ID, message, severity, link, row, 1))
