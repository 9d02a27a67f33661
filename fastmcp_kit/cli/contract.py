"""``fkit contract dump`` and ``fkit contract check``: a server's public MCP contract."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from fastmcp_kit.errors import FkitError, warn

if TYPE_CHECKING:
    from fastmcp_kit.contract.source import Loader

app = typer.Typer(
    name="contract",
    help="Dump a server's public MCP contract, or check it against a base for breaking changes.",
    no_args_is_help=True,
)

_SERVER = typer.Option(
    "--server",
    help="The server: `file.py[:object]` or a fastmcp.json (default: PATH's fastmcp.json).",
)
_PYTHON = typer.Option(
    "--python",
    help="The Python that loads the server (default: PATH/.venv, else the active virtualenv).",
)
_TIMEOUT = typer.Option("--timeout", min=1.0, help="Seconds the server may take to load and list.")


def _loader(project: Path, server: str | None, python: Path | None, timeout: float) -> Loader:
    from fastmcp_kit.contract.source import Loader
    from fastmcp_kit.runtime.interpreter import choose_python

    # Chosen once, from the project: a base checked out elsewhere has no .venv of its own.
    return Loader(server, choose_python(project.resolve(), python), timeout)


def _project(path: str) -> Path:
    project = Path(path)
    if not path.strip() or not project.is_dir():
        raise FkitError(f"{path!r}: no such folder (name the project folder)")
    return project


@app.command("dump")
def dump(
    path: Annotated[str, typer.Argument(help="The project folder.")] = ".",
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write the contract to this file (default: stdout)."),
    ] = None,
    server: Annotated[str | None, _SERVER] = None,
    python: Annotated[Path | None, _PYTHON] = None,
    timeout: Annotated[float, _TIMEOUT] = 60.0,
) -> int:
    """Write the server's public MCP contract as canonical JSON.

    Tools with their input and output schemas and annotations, resources, resource
    templates, prompts and the server's capabilities, as a client lists them; to
    stdout, or atomically to --output.
    """
    from fastmcp_kit.atomic import write_text_atomic
    from fastmcp_kit.contract.model import canonical_json

    project = _project(path)
    contract = _loader(project, server, python, timeout).dump(project)
    text = canonical_json(contract)
    if output is None:
        sys.stdout.write(text)
        return 0
    try:
        write_text_atomic(output, text)
    except OSError as exc:
        raise FkitError(f"{output}: cannot write it ({exc.strerror or exc})") from None
    counts = ", ".join(
        f"{len(contract.get(k, []))} {k}"
        for k in ("tools", "resources", "resourceTemplates", "prompts")
    )
    print(f"wrote {output} ({counts})", file=sys.stderr)
    return 0


@app.command("check")
def check(
    base: Annotated[
        str,
        typer.Argument(
            help="A contract file written by `fkit contract dump`, or a git revision (HEAD, origin/main, v1.2.0)."
        ),
    ],
    path: Annotated[str, typer.Argument(help="The project folder (the head).")] = ".",
    output_format: Annotated[
        str, typer.Option("--output-format", help="text, json, sarif or github.")
    ] = "text",
    server: Annotated[str | None, _SERVER] = None,
    python: Annotated[Path | None, _PYTHON] = None,
    timeout: Annotated[float, _TIMEOUT] = 60.0,
) -> int:
    """Compare the server's contract with BASE; exit 1 on a breaking change.

    Every change is classified as breaking, compatible or info (docs/contract-rules.md).
    BASE is a contract file, or a git revision: the project is checked out at that
    revision in a temporary git worktree (removed afterwards) and loaded with the same
    Python as the head.

    To allow a breaking change on purpose, list it in pyproject.toml
    (\\[tool.fkit.contract] allow-breaking = \\["tool-removed:old_name"]) or write a line
    `fkit: allow-breaking tool-removed:old_name` in a commit message after BASE.
    """
    from fastmcp_kit.contract import allow
    from fastmcp_kit.contract.compare import compare
    from fastmcp_kit.contract.report import FORMATS, failing, report
    from fastmcp_kit.contract.source import commit_messages, load_base

    if output_format not in FORMATS:
        raise FkitError(
            f"--output-format must be one of {', '.join(FORMATS)}, got {output_format!r}"
        )
    project = _project(path)
    loader = _loader(project, server, python, timeout)
    head = loader.dump(project)
    found = load_base(base, project, loader)
    allowances = allow.from_pyproject(project)
    if found.commit is not None:
        allowances += allow.from_commit_messages(commit_messages(found.commit, project))
    changes = allow.apply(compare(found.contract, head), allowances)
    for entry in allow.unused(changes, allowances):
        # Once the change is in the base, the entry only waits to hide a later one.
        warn(
            f"pyproject.toml: allow-breaking entry {entry.selector!r} matches no breaking change; remove it"
        )
    source = None
    if output_format in ("sarif", "github"):
        from fastmcp_kit.contract.places import places
        from fastmcp_kit.runtime.locate import locate

        source = places(locate(project.resolve(), server).file)
    report(changes, found.label, path, output_format, sys.stdout, source)
    return 1 if failing(changes) else 0
