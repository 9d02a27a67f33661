"""``fkit lint``: find (and fix) FastMCP mistakes."""

from __future__ import annotations

import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from fastmcp_kit.config import OUTPUT_FORMATS

if TYPE_CHECKING:
    from fastmcp_kit.lint.add_noqa import NoqaOutcome


def _codes(option: str, values: list[str] | None) -> list[str]:
    """``--select A,B --select C`` -> [A, B, C]."""
    from fastmcp_kit.cli.args import split_list

    return [code.upper() for code in split_list(option, values)]


def _write_code(data: bytes) -> None:
    """Stdin's fixed code, byte for byte: an editor replaces its buffer with it."""
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:  # a text-only stream (tests, embedding): the closest text
        sys.stdout.write(data.decode("utf-8", errors="surrogateescape"))
        return
    sys.stdout.flush()
    buffer.write(data)
    buffer.flush()


def _noqa_summary(noqa: NoqaOutcome, quiet: bool, failed: bool) -> int:
    """ruff's closing line for ``--add-noqa``; the run succeeds when every file took
    its directives."""
    if not quiet:
        noun = "directive" if noqa.added == 1 else "directives"
        print(f"Added {noqa.added} noqa {noun}.")
        if noqa.skipped:
            print(
                f"fkit: warning: {noqa.skipped} finding(s) are on lines no comment can end "
                "(inside a multi-line string); suppress them by hand",
                file=sys.stderr,
            )
    partial = noqa.writes.summary()
    if partial is not None:
        print(partial, file=sys.stderr)
    return 2 if failed else 0


def lint(
    paths: Annotated[
        list[str] | None, typer.Argument(help="Files or folders to lint; `-` reads stdin.")
    ] = None,
    select: Annotated[
        list[str] | None,
        typer.Option(
            help="Rule codes or prefixes to enable (replaces the configured set); `ALL` for every rule."
        ),
    ] = None,
    extend_select: Annotated[
        list[str] | None, typer.Option(help="Rule codes or prefixes to enable in addition.")
    ] = None,
    ignore: Annotated[
        list[str] | None, typer.Option(help="Rule codes or prefixes to disable.")
    ] = None,
    fix: Annotated[bool, typer.Option("--fix", help="Apply safe fixes.")] = False,
    unsafe_fixes: Annotated[
        bool,
        typer.Option(
            "--unsafe-fixes", help="Also offer and apply fixes that may change behaviour."
        ),
    ] = False,
    diff: Annotated[
        bool, typer.Option("--diff", help="Print the fixes as a unified diff; write nothing.")
    ] = False,
    output_format: Annotated[
        str | None, typer.Option(help=f"One of: {', '.join(OUTPUT_FORMATS)}.")
    ] = None,
    statistics: Annotated[
        bool, typer.Option("--statistics", help="Count findings per rule instead of listing them.")
    ] = False,
    exit_zero: Annotated[
        bool, typer.Option("--exit-zero", help="Exit 0 even when there are findings.")
    ] = False,
    fastmcp_version: Annotated[
        str | None,
        typer.Option(
            help="The FastMCP version to lint for, e.g. 4.1 or '>=3,<4' (default: from the project's pins)."
        ),
    ] = None,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Neither read nor write the result cache.")
    ] = False,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs", "-j", min=1, help="Worker processes (default: the number of cores)."
        ),
    ] = None,
    stdin_filename: Annotated[
        str | None,
        typer.Option(help="The path to report (and match configuration against) for `-`."),
    ] = None,
    config: Annotated[
        list[str] | None,
        typer.Option(
            help="A pyproject.toml whose [tool.fkit] applies to every file (instead of each file's "
            "closest one), or a `KEY = VALUE` override of [tool.fkit], e.g. \"select = ['FMCP2']\"; repeatable."
        ),
    ] = None,
    forward: Annotated[
        bool | None,
        typer.Option(
            "--forward/--no-forward",
            help="List forward hazards: code that breaks on a newer release the project's pins admit.",
        ),
    ] = None,
    show_settings: Annotated[
        bool,
        typer.Option(
            "--show-settings",
            help="Print each project's root, configuration, versions (with sources) and rules; lint nothing.",
        ),
    ] = False,
    show_files: Annotated[
        bool,
        typer.Option("--show-files", help="List the files that would be linted; lint nothing."),
    ] = False,
    show_fixes: Annotated[
        bool,
        typer.Option(
            "--show-fixes",
            help="List the fixes in the summary: those applied, or the fixable findings and their fixes.",
        ),
    ] = False,
    add_noqa: Annotated[
        bool,
        typer.Option(
            "--add-noqa",
            help="Write `# noqa: CODE` on the line of every finding (extending an existing list).",
        ),
    ] = False,
    quiet: Annotated[
        bool,
        typer.Option("--quiet", "-q", help="Print the findings and errors only: no summary."),
    ] = False,
    verbose: Annotated[
        bool,
        typer.Option(
            "--verbose",
            "-v",
            help="Also print, on stderr, each project's settings file, rules, cache and timing.",
        ),
    ] = False,
    watch: Annotated[
        bool,
        typer.Option("--watch", "-w", help="Lint again whenever a file changes (Ctrl-C stops)."),
    ] = False,
) -> int:
    """Lint FastMCP projects. Exit status: 0 clean, 1 findings, 2 error."""
    if watch:
        arguments = {name: value for name, value in locals().items() if name != "watch"}
        return _watch(arguments)
    from fastmcp_kit.cli.args import check_file_option, check_paths
    from fastmcp_kit.cli.progress import progress_for
    from fastmcp_kit.config_overrides import parse_config_arguments
    from fastmcp_kit.errors import FkitError
    from fastmcp_kit.lint.runner import default_jobs
    from fastmcp_kit.lint.session import LintOptions, run_lint
    from fastmcp_kit.report import get_reporter
    from fastmcp_kit.report import statistics as statistics_report
    from fastmcp_kit.workspace import Workspace

    if output_format is not None and output_format not in OUTPUT_FORMATS:
        raise FkitError(
            f"--output-format must be one of {', '.join(OUTPUT_FORMATS)}, not {output_format!r}"
        )
    if stdin_filename is not None and paths != ["-"]:
        raise FkitError("--stdin-filename names the code read from stdin: give `-` as the path")
    config_arguments = parse_config_arguments(config or [])
    options = LintOptions(
        paths=check_paths(paths),
        select=_codes("--select", select) if select else None,
        extend_select=_codes("--extend-select", extend_select),
        ignore=_codes("--ignore", ignore),
        fix=fix,
        unsafe_fixes=unsafe_fixes,
        diff=diff,
        fastmcp_version=fastmcp_version,
        jobs=jobs or default_jobs(),
        use_cache=not no_cache,
        stdin_filename=check_file_option("--stdin-filename", stdin_filename),
        config=config_arguments.file,
        forward=forward,
        config_overrides=config_arguments.overrides,
        add_noqa=add_noqa,
    )
    if show_settings or show_files:
        from fastmcp_kit.lint.show import show

        return show(options, settings=show_settings, files=show_files, out=sys.stdout)
    if add_noqa and (fix or diff or paths == ["-"]):
        raise FkitError("--add-noqa writes the files it lints: not with --fix, --diff or stdin")
    if quiet and verbose:
        raise FkitError("--quiet and --verbose contradict each other: give one")
    started = time.monotonic()
    workspace = Workspace(
        Path(options.config) if options.config else None, fastmcp_version, options.config_overrides
    )
    shown_format = output_format or workspace.settings_for(Path.cwd()).config.output_format
    bar = progress_for(sys.stderr, quiet=quiet, output_format=shown_format)
    try:
        outcome = run_lint(options, workspace=workspace, progress=bar)
    finally:
        if bar is not None:
            bar.close()
    report = replace(outcome.report, show_fixes=show_fixes, quiet=quiet)
    if verbose:
        for line in outcome.details:
            print(f"fkit: {line}", file=sys.stderr)
        elapsed = time.monotonic() - started
        print(f"fkit: {report.files_checked} file(s) in {elapsed:.2f} s", file=sys.stderr)
    outcome.problems.print(sys.stderr)
    # Files skipped or not written are errors whatever the findings: exit status 2.
    failed = outcome.problems.has_errors
    if outcome.noqa is not None:
        return _noqa_summary(outcome.noqa, quiet, failed)
    if diff:
        sys.stdout.write("".join(outcome.diffs))
        if not quiet:
            print(f"Would fix {len(outcome.diffs)} file(s).", file=sys.stderr)
        return 2 if failed else 1 if outcome.diffs and not exit_zero else 0
    chosen = output_format or outcome.config.output_format
    # With fixed stdin, stdout carries the code; the findings go to stderr.
    out = sys.stderr if outcome.stdin_fixed is not None else sys.stdout
    if outcome.stdin_fixed is not None:
        _write_code(outcome.stdin_fixed)
    if report.files_checked == 0:
        if not quiet:
            print("fkit: warning: no files to lint under the given paths", file=sys.stderr)
        if chosen == "text":
            return 2 if failed else 0
    if statistics:
        statistics_report.report(report, out, as_json=chosen == "json")
    else:
        get_reporter(chosen)(report, out)
        if chosen == "concise":
            from fastmcp_kit.report.concise import summary

            summary(report, out)
    if chosen != "text" and not quiet:
        # Machine formats keep stdout parseable; what a human should still see goes to stderr.
        for line in [*report.notes, *(p.hazard_note for p in report.projects if p.hazard_note)]:
            print(f"fkit: {line}", file=sys.stderr)
    partial = outcome.writes.summary()
    if partial is not None:
        print(partial, file=sys.stderr)
    if failed:
        return 2
    return 1 if report.violations and not exit_zero else 0


def _watch(arguments: dict[str, object]) -> int:
    from fastmcp_kit.cli.watch import watch_and_lint
    from fastmcp_kit.errors import FkitError

    paths = arguments["paths"] or ["."]
    assert isinstance(paths, list)
    if paths == ["-"]:
        raise FkitError("--watch watches files: not with `-` (stdin)")
    for option in ("diff", "add_noqa", "show_settings", "show_files"):
        if arguments[option]:
            raise FkitError(f"--watch cannot be combined with --{option.replace('_', '-')}")
    missing = [path for path in paths if not Path(path).exists()]
    if missing:
        raise FkitError(f"{missing[0]}: no such file or folder")
    return watch_and_lint(lambda: lint(**arguments), paths)  # type: ignore[arg-type]
