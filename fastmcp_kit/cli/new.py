"""``fkit new``: create a FastMCP project from a bundled template."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from fastmcp_kit.scaffold import NewProject

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
    git: Annotated[
        bool,
        typer.Option(
            "--git/--no-git",
            help="Make the project a git repository (never inside an existing one).",
        ),
    ] = True,
    pretend: Annotated[
        bool,
        typer.Option("--pretend", help="List the files that would be written; write nothing."),
    ] = False,
) -> int:
    """Create a FastMCP 4.x project: server, tests, fastmcp.json, CI and pre-commit.

    Questions are asked only on a terminal (never with --defaults).

    A folder that exists and is not empty is refused and left untouched.
    """
    from fastmcp_kit.scaffold import create_project

    # Prompts need a terminal on both ends; piped or captured runs get the defaults.
    interactive = not defaults and sys.stdin.isatty() and sys.stdout.isatty()
    project = create_project(
        dest, template, data or [], interactive=interactive, git=git, pretend=pretend
    )
    print("\n".join(summary(dest, project)))
    return 0


def summary(dest: Path, project: NewProject) -> list[str]:
    """What was made (or would be), and the commands that come next."""
    from fastmcp_kit.scaffold.git import GitState

    made = f"{project.files} files, template {project.template!r}"
    git = {
        GitState.INITIALISED: "a new git repository",
        GitState.INSIDE_REPOSITORY: "inside an existing git repository, so no git init",
        GitState.SKIPPED: "no git repository (--no-git)",
        GitState.UNAVAILABLE: "no git repository: git not found (pre-commit needs one)",
        GitState.FAILED: "no git repository: git init failed (pre-commit needs one)",
    }[project.git]
    if project.pretend:
        if project.git is GitState.INITIALISED:
            git = "then git init"
        return [
            f"Would create {dest} ({made}; {git}); nothing was written:",
            *(f"  {path}" for path in project.paths),
        ]
    where = shlex.quote(str(dest))
    # The same commands as the project's README, which says more.
    return [
        f"Created {dest} ({made}; {git}).",
        "Next, with pip:",
        f"  cd {where} && python -m venv .venv && . .venv/bin/activate",
        "  python -m pip install --upgrade pip && pip install -e . --group dev && python -m pytest",
        "or with uv:",
        f"  cd {where} && uv sync && uv run pytest",
    ]
