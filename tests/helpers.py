"""Shared test helpers: lint source text with chosen rules, run the real CLI."""

from __future__ import annotations

import contextlib
import io
import os
import sys
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from packaging.version import Version

from fastmcp_kit.cli import main
from fastmcp_kit.lint.engine import FileResult, FixMode, LintSettings, lint_bytes
from fastmcp_kit.lint.rule import BaseRule, ProjectInfo
from fastmcp_kit.project import find_entrypoints, read_pyproject, requires_python
from fastmcp_kit.sdk_releases import parse_mcp
from fastmcp_kit.versions import NEWEST, parse_target


def target_for(rule: type[BaseRule], requested: str | None) -> Version:
    """The version an example runs against: as requested, else the newest release
    the rule applies to."""
    if requested is not None:
        return parse_target(requested)
    if rule.applies_to(NEWEST):
        return NEWEST
    from fastmcp_kit.versions import newest_matching

    found = newest_matching(rule.version_spec())
    assert found is not None, f"{rule.code} applies to no known release"
    return found


def lint_project(
    rule: type[BaseRule], root: Path, filename: str, version: str | None
) -> FileResult:
    """Lint a whole example project through the real session (project rules need
    every file); returns the findings in ``filename``."""
    from fastmcp_kit.lint.session import LintOptions, run_lint

    with chdir(root):
        outcome = run_lint(
            LintOptions(
                paths=["."],
                select=[rule.code],
                fastmcp_version=str(target_for(rule, version)),
                use_cache=False,
            )
        )
    shown = Path(filename).as_posix()
    return FileResult(shown, [v for v in outcome.report.violations if v.filename == shown])


def lint_text(
    rule: type[BaseRule],
    source: str,
    *,
    filename: str = "server.py",
    version: str | None = None,
    fix: FixMode = "none",
    root: Path | None = None,
    mcp_version: str | None = None,
) -> FileResult:
    """Lint one file; ``mcp_version`` lints it as an SDK-only project on that SDK."""
    project_root = root or Path(".")
    project = ProjectInfo(
        project_root,
        find_entrypoints(project_root) if root else frozenset(),
        requires_python=requires_python(read_pyproject(project_root)) if root else None,
    )
    settings = LintSettings(
        (rule.code,),
        target_for(rule, version),
        project,
        fix=fix,
        mcp_target=None if mcp_version is None else parse_mcp(mcp_version),
        uses_fastmcp=mcp_version is None,
    )
    return lint_bytes(source.encode(), filename, settings)


@dataclass
class CliResult:
    exit_code: int
    stdout: str
    stderr: str


@contextlib.contextmanager
def chdir(path: Path) -> Iterator[None]:
    before = Path.cwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(before)


def run_cli(args: Sequence[str], cwd: Path | None = None, stdin: bytes | None = None) -> CliResult:
    """Run ``fkit`` in-process exactly as the console script does."""
    out, err = io.StringIO(), io.StringIO()
    stdin_stream = io.TextIOWrapper(io.BytesIO(stdin or b""), encoding="utf-8")
    old_stdin = sys.stdin
    sys.stdin = stdin_stream
    try:
        with (
            chdir(cwd or Path.cwd()),
            contextlib.redirect_stdout(out),
            contextlib.redirect_stderr(err),
        ):
            code = main(list(args))
    finally:
        sys.stdin = old_stdin
    return CliResult(code, out.getvalue(), err.getvalue())


def write_tree(root: Path, files: Mapping[str, str | bytes]) -> Path:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def one_line(result: CliResult, *fragments: str, code: int = 2, kind: str = "error") -> str:
    """The single stderr line of a refused run, checked to name every fragment (never
    an internal error or a traceback)."""
    assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"fkit: {kind}: "), result.stderr
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])
    return lines[0]
