"""``fkit doctor``: run the server for real, in its own Python, and judge it."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from fastmcp_kit.config import OUTPUT_FORMATS


def doctor(
    path: Annotated[
        Path | None,
        typer.Argument(
            help="The project folder (default: .), or its server file (`server.py[:object]`)."
        ),
    ] = None,
    server: Annotated[
        str | None,
        typer.Option(
            help="The server as `fastmcp run` takes it: `file.py[:object]` or a fastmcp.json "
            "(default: the project's fastmcp.json)."
        ),
    ] = None,
    python: Annotated[
        Path | None,
        typer.Option(
            help="The Python (or virtualenv) to run the server with (default: the project's "
            ".venv, else the active virtualenv)."
        ),
    ] = None,
    timeout: Annotated[
        float,
        typer.Option(min=1, help="Seconds allowed to load the server, and to each session."),
    ] = 60.0,
    sessions: Annotated[
        bool,
        typer.Option(
            "--sessions/--no-sessions",
            help="Open a real session over stdio and over HTTP through `fastmcp run`.",
        ),
    ] = True,
    port: Annotated[
        int | None,
        typer.Option(
            min=1,
            max=65535,
            help="The port the server deploys on over HTTP, checked for a clash "
            "(default: fastmcp.json's deployment.port).",
        ),
    ] = None,
    call: Annotated[
        bool,
        typer.Option(
            "--call",
            help="Call each tool marked read-only once, with arguments made up from its "
            "schema, and judge the result against its output schema.",
        ),
    ] = False,
    call_tool: Annotated[
        list[str] | None,
        typer.Option(
            "--call-tool",
            help="Also call this tool (read-only or not: you name it); repeatable.",
        ),
    ] = None,
    schemas: Annotated[
        bool, typer.Option("--schemas", help="Print each tool's input and output schema.")
    ] = False,
    output_format: Annotated[
        str, typer.Option(help=f"One of: {', '.join(OUTPUT_FORMATS)}.")
    ] = "text",
    exit_zero: Annotated[
        bool, typer.Option("--exit-zero", help="Exit 0 even when there are findings.")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print the findings only.")] = False,
) -> int:
    """Load the server as `fastmcp run` would, list what it exposes, open sessions and
    judge what it publishes. Exit status: 0 healthy, 1 findings, 2 error."""
    from fastmcp_kit.cli.args import split_list
    from fastmcp_kit.doctor.overview import overview
    from fastmcp_kit.doctor.run import DoctorOptions, run_doctor
    from fastmcp_kit.errors import FkitError
    from fastmcp_kit.report import LintReport, get_reporter
    from fastmcp_kit.runtime.locate import split_path_argument

    if output_format not in OUTPUT_FORMATS:
        raise FkitError(
            f"--output-format must be one of {', '.join(OUTPUT_FORMATS)}, not {output_format!r}"
        )
    project, from_path = split_path_argument(path or Path("."))
    if from_path is not None and server is not None:
        raise FkitError("name the server once: a file as PATH, or --server, not both")
    options = DoctorOptions(
        project=project,
        server=server or from_path,
        python=python,
        timeout=timeout,
        sessions=sessions,
        port=port,
        call_read_only=call,
        call_tools=tuple(split_list("--call-tool", call_tool)),
    )
    outcome = run_doctor(options)
    report = LintReport(violations=outcome.findings, files_checked=1, quiet=quiet)
    if not quiet:
        out = sys.stdout if output_format == "text" else sys.stderr
        for line in overview(outcome, schemas=schemas):
            print(line, file=out)
        if output_format == "text":
            print(file=out)
    get_reporter(output_format)(report, sys.stdout)
    if output_format == "concise" and not quiet:
        from fastmcp_kit.report.concise import summary

        summary(report, sys.stdout)
    return 1 if outcome.findings and not exit_zero else 0
