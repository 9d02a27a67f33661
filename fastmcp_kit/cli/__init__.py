"""The ``fkit`` command line. Heavy modules (libcst, copier, jinja2) are imported
inside the commands that need them, so ``fkit --help`` starts fast."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Sequence
from typing import Annotated, Optional

import typer

from fastmcp_kit import __version__
from fastmcp_kit.cli import contract as contract_command
from fastmcp_kit.cli import doctor as doctor_command
from fastmcp_kit.cli import lint as lint_command
from fastmcp_kit.cli import new as new_command
from fastmcp_kit.cli import rules as rules_command
from fastmcp_kit.cli import server as server_command
from fastmcp_kit.cli import update as update_command
from fastmcp_kit.cli import upgrade as upgrade_command
from fastmcp_kit.errors import FkitError

app = typer.Typer(
    name="fkit",
    help="Lint, scaffold, upgrade and diagnose FastMCP servers.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        print(f"fkit {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        Optional[bool],  # noqa: UP045 - typer needs Optional on Python 3.10
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = None,
) -> None:
    """Lint, scaffold and upgrade FastMCP servers."""


app.command("lint")(lint_command.lint)
app.command("rules")(rules_command.rules)
app.command("rule")(rules_command.rule)
app.command("new")(new_command.new)
app.command("update")(update_command.update)
app.command("upgrade")(upgrade_command.upgrade)
app.command("server")(server_command.server)
app.add_typer(contract_command.app)
app.command("doctor")(doctor_command.doctor)


def _usage_errors() -> tuple[type[Exception], ...]:
    """Click's UsageError: vendored as typer._click by recent Typer, click before."""
    found = []
    for module in ("typer._click.exceptions", "click.exceptions"):
        try:
            found.append(importlib.import_module(module).UsageError)
        except ImportError:
            continue
    return tuple(found)


def main(argv: Sequence[str] | None = None) -> int:
    """Run fkit; every failure is one line on stderr and exit status 2."""
    try:
        result = app(
            args=list(argv) if argv is not None else None, prog_name="fkit", standalone_mode=False
        )
    except _usage_errors() as exc:
        print(f"fkit: error: {exc.format_message()} (see `fkit --help`)", file=sys.stderr)  # type: ignore[attr-defined]
        return 2
    except typer.Abort:
        print("fkit: aborted", file=sys.stderr)
        return 130
    except FkitError as exc:
        print(f"fkit: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("fkit: interrupted", file=sys.stderr)
        return 130
    except SystemExit as exc:  # shell completion answers and exits through sys.exit
        return exc.code if isinstance(exc.code, int) else 0 if exc.code is None else 2
    except Exception as exc:
        print(
            f"fkit: internal error: {type(exc).__name__}: {exc} (please report this)",
            file=sys.stderr,
        )
        return 2
    if result == 130:  # Typer turns Ctrl-C into a silent exit status 130
        print("fkit: interrupted", file=sys.stderr)
    return result if isinstance(result, int) else 0
