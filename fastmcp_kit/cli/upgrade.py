"""``fkit upgrade``: carry a server from FastMCP 2.x to 2.14, 3.x or 4.x."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from fastmcp_kit.report import LintReport
    from fastmcp_kit.targets import Target
    from fastmcp_kit.upgrade.session import UpgradeOutcome

# sarif needs rule metadata for every code; codemod findings have none.
UPGRADE_FORMATS = ("text", "concise", "json", "github")


def _text_findings(report: LintReport) -> None:
    """The text reporter's findings without its lint summary ("Found N errors."): the
    upgrade prints its own summary."""
    import io

    from fastmcp_kit.report import get_reporter
    from fastmcp_kit.report.text import summary_lines

    buffer = io.StringIO()
    get_reporter("text")(report, buffer)
    lines = buffer.getvalue().splitlines(keepends=True)
    tail = len(summary_lines(report))
    sys.stdout.write("".join(lines[: len(lines) - tail] if tail else lines))


def _newer_than_known(source: Target) -> None:
    """A notice when the project runs a release newer than fkit's release list: its
    changes may need codemods this fkit does not have."""
    from fastmcp_kit.versions import NEWEST

    if source.version.release[:2] > NEWEST.release[:2]:
        print(
            f"fkit: FastMCP {source.version} ({source.source}) is newer than the releases "
            f"this fkit knows (up to {NEWEST}); upgrade fkit for what it changed.",
            file=sys.stderr,
        )


def upgrade(
    paths: Annotated[
        list[str] | None, typer.Argument(help="Files or folders to upgrade (default: .).")
    ] = None,
    to: Annotated[
        str | None, typer.Option("--to", help="The release line to upgrade to: 2.14, 3 or 4.")
    ] = None,
    from_version: Annotated[
        str | None,
        typer.Option(
            "--from", help="The FastMCP version upgraded from (default: from the pins/lock)."
        ),
    ] = None,
    write: Annotated[bool, typer.Option("--write", help="Apply the changes.")] = False,
    check: Annotated[
        bool, typer.Option("--check", help="Exit 1 when rewrites are pending; write nothing.")
    ] = False,
    only: Annotated[
        list[str] | None, typer.Option("--only", help="Run only these codemod ids.")
    ] = None,
    skip: Annotated[
        list[str] | None, typer.Option("--skip", help="Skip these codemod ids.")
    ] = None,
    with_ids: Annotated[
        list[str] | None,
        typer.Option("--with", help="Also run these opt-in codemod ids (see --list)."),
    ] = None,
    list_plan: Annotated[
        bool, typer.Option("--list", help="Show the plan (steps and codemods) and exit.")
    ] = False,
    add_todos: Annotated[
        bool,
        typer.Option("--add-todos", help="Write `# TODO(fkit): ...` comments at the findings."),
    ] = False,
    output_format: Annotated[
        str, typer.Option(help=f"Findings format: {', '.join(UPGRADE_FORMATS)}.")
    ] = "text",
) -> int:
    """Upgrade FastMCP code, one release line at a time (<=2.13 -> 2.14 -> 3 -> 4).

    The default is a dry run: a unified diff, the findings a human must decide, and a
    summary. Exit status: 0 done, 1 rewrites pending with --check, 2 error (a file
    that could not be read or written included).
    """
    from fastmcp_kit.cli.args import check_paths, split_list
    from fastmcp_kit.errors import FkitError
    from fastmcp_kit.report import get_reporter
    from fastmcp_kit.upgrade.report import lint_report, print_plan, summary, unified_diff
    from fastmcp_kit.upgrade.session import UpgradeOptions, run_upgrade
    from fastmcp_kit.upgrade.steps import STEPS, plan

    if output_format not in UPGRADE_FORMATS:
        raise FkitError(
            f"--output-format must be one of {', '.join(UPGRADE_FORMATS)}, not {output_format!r}"
        )
    if write and check:
        raise FkitError("--write and --check cannot be combined")
    only_ids, skip_ids = split_list("--only", only), split_list("--skip", skip)
    extra_ids = split_list("--with", with_ids)
    paths = check_paths(paths)
    if list_plan:
        if to is None and from_version is None:
            print_plan(STEPS, only_ids, skip_ids, sys.stdout, extra_ids)
            return 0
        from pathlib import Path

        from fastmcp_kit.config import load_config
        from fastmcp_kit.errors import shown_path
        from fastmcp_kit.project import find_root, read_pyproject
        from fastmcp_kit.upgrade.session import source_version

        root = find_root(Path(paths[0]))
        pyproject = read_pyproject(root)
        load_config(pyproject, shown_path(root / "pyproject.toml"))
        source = source_version(root, pyproject, from_version)
        steps = plan(source.version, to or "4", source.source)
        _newer_than_known(source)
        print(f"From FastMCP {source.version} ({source.source}):")
        print_plan(steps, only_ids, skip_ids, sys.stdout, extra_ids)
        return 0
    if to is None:
        raise FkitError("--to is required (2.14, 3 or 4)")
    options = UpgradeOptions(
        paths=paths,
        to=to,
        from_version=from_version,
        write=write,
        only=only_ids,
        skip=skip_ids,
        extra=extra_ids,
        add_todos=add_todos,
    )
    outcome = run_upgrade(options)
    _newer_than_known(outcome.source)
    outcome.problems.print(sys.stderr)
    machine = output_format != "text"
    if not write and not check and not machine:
        for result in outcome.changed:
            sys.stdout.write(unified_diff(result))
    report = lint_report(outcome, written=write)
    if machine:
        get_reporter(output_format)(report, sys.stdout)
    elif report.violations:
        _text_findings(report)
    out = sys.stderr if machine else sys.stdout
    if check:
        for result in outcome.changed:
            print(f"Would upgrade {result.display}", file=out)
    for line in summary(outcome, written=write, check=check):
        print(line, file=out)
    partial = outcome.writes.summary()
    if partial is not None:
        print(partial, file=sys.stderr)
    if outcome.undecodable:
        print(f"fkit: error: {_undecodable(outcome)}", file=sys.stderr)
    if outcome.undecodable or outcome.problems.has_errors:
        return 2  # a file skipped, undecodable or not written, whatever else happened
    return 1 if check and outcome.changed else 0


def _undecodable(outcome: UpgradeOutcome) -> str:
    """One line for the files that could not be decoded (and so were not upgraded)."""
    found = outcome.undecodable
    if len(found) == 1:
        shown, reason = found[0]
        what = f"{shown}: cannot decode ({reason}); it was not upgraded"
    else:
        names = ", ".join(shown for shown, _ in found)
        what = f"cannot decode {len(found)} files ({names}); they were not upgraded"
    if outcome.pins_held:
        what += " and the dependency pins were left as they are"
    return what
