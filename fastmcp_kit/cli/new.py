"""``fkit new``: create a FastMCP project from a bundled template."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path
from typing import Annotated

import typer

# Kept here rather than imported from fastmcp_kit.scaffold so that building the
# command line (`fkit --help`) imports nothing heavy; a test keeps the two in step.
TEMPLATE_NAMES = ("basic", "storage", "oauth", "composition")


def new(
    dest: Annotated[
        Path, typer.Argument(help="The folder to create (it must not exist, or be empty).")
    ],
    template: Annotated[
        str,
        typer.Option("--template", "-t", help=f"One of: {', '.join(TEMPLATE_NAMES)}."),
    ] = "basic",
    defaults: Annotated[
        bool,
        typer.Option("--defaults", help="Ask nothing; use the defaults and any --data."),
    ] = False,
    data: Annotated[
        list[str] | None,
        typer.Option(
            "--data", "-d", metavar="KEY=VALUE", help="Answer a template question (repeatable)."
        ),
    ] = None,
) -> int:
    """Create a FastMCP 4.x project: server, tests, fastmcp.json, CI and pre-commit.

    Questions are asked only on a terminal (never with --defaults).

    A folder that exists and is not empty is refused and left untouched.
    """
    from fastmcp_kit.scaffold import create_project

    # Prompts need a terminal on both ends; piped or captured runs get the defaults.
    interactive = not defaults and sys.stdin.isatty() and sys.stdout.isatty()
    project = create_project(dest, template, data or [], interactive=interactive)
    where = shlex.quote(str(dest))
    print(
        f"Created {dest} ({project.files} files, template {template!r}). "
        f'Next: cd {where} && pip install -e ".[test]" && python -m pytest'
    )
    return 0
