"""``fkit update``: take the current templates into a project made by ``fkit new``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer


def update(
    project: Annotated[
        Path, typer.Argument(help="The project folder (the one holding .copier-answers.yml).")
    ] = Path("."),
    pretend: Annotated[
        bool, typer.Option("--pretend", help="Show the changes as a diff; write nothing.")
    ] = False,
    old_templates: Annotated[
        Optional[Path],  # noqa: UP045 - typer needs Optional on Python 3.10
        typer.Option(
            "--old-templates",
            metavar="DIR",
            help="The templates that made the project (DIR/<template>/copier.yml), "
            "instead of fetching that fkit release from the package index.",
        ),
    ] = None,
) -> int:
    """Merge the current template into a project, keeping the user's edits.

    Each file is merged three ways (the project as first rendered, as it is now, and
    as the current template renders it); what cannot be merged is marked with
    conflict markers, as copier does, and the exit status is 1. The project must be
    in a git repository with no uncommitted changes.
    """
    from fastmcp_kit.scaffold.update import apply_update, diff, plan_update

    plan = plan_update(project, old_templates)
    if not plan.writes:
        print(f"{project} is up to date with the {plan.template!r} template of fkit.")
        return 0
    if pretend:
        print(diff(project, plan), end="")
        return 0
    apply_update(project, plan)
    changed = ", ".join(plan.writes)
    print(
        f"Updated {project} from template {plan.template!r} of fkit {plan.old_version}: {changed}."
    )
    if plan.conflicts:
        print(f"Conflicts to resolve (marked <<<<<<< / >>>>>>>): {', '.join(plan.conflicts)}")
        return 1
    return 0
