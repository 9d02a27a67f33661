from __future__ import annotations

import libcst as cst

from fastmcp_kit.lint.body_walk import direct_nodes
from fastmcp_kit.lint.names import dotted_name
from fastmcp_kit.lint.rule import Invalid, Valid
from fastmcp_kit.lint.taint_rule import Finding, Sink, TaintRule
from fastmcp_kit.lint.violation import Severity

# Functions that open, write or delete the path in their first argument.
PATH_FUNCTIONS = frozenset(
    {
        "open",
        "io.open",
        "os.open",
        "aiofiles.open",
        "os.remove",
        "os.unlink",
        "os.rmdir",
        "os.removedirs",
        "os.rename",
        "os.replace",
        "shutil.rmtree",
        "shutil.move",
        "shutil.copy",
        "shutil.copyfile",
        "shutil.copy2",
        "shutil.copytree",
    }
)
# Path methods that read, write or delete the file the receiver names.
PATH_METHODS = frozenset(
    {"read_text", "read_bytes", "write_text", "write_bytes", "unlink", "rmdir", "open", "touch"}
)
# Calls that check a resolved path lies inside a base folder.
CONFINING_METHODS = frozenset({"is_relative_to", "relative_to"})
CONFINING_FUNCTIONS = frozenset({"os.path.commonpath", "os.path.commonprefix"})
# Words in the name of a project's own confinement check.
CONFINING_WORDS = ("relative_to", "commonpath", "within", "inside", "subpath")
RESOLVING = frozenset({"resolve", "realpath", "abspath", "normpath"})


class ToolInputAsFilePath(TaintRule):
    """A tool, resource template or prompt argument used as a file path without confinement.

    ## What it does
    In a component function, flags a client value reaching a call that opens, writes,
    moves or deletes a file (`open`, `aiofiles.open`, `os.remove`, `os.rename`,
    `shutil.rmtree`/`move`/`copy*`, and `Path(...).read_text/read_bytes/write_text/
    write_bytes/open/unlink/rmdir/touch` on a path built from it), in the component or in
    a function of the same module it passes the value to, when that function never
    checks where the path leads.

    Sanitizers: a confinement check anywhere in the function (`path.resolve()` then
    `is_relative_to(base)` or `relative_to(base)`, `os.path.commonpath`, `startswith`
    on a resolved/`realpath`/`abspath` path, or a call to a function whose name says
    it checks this: `_path_is_relative_to(p, root)`, `is_within(p, root)`); keeping only the file name
    (`os.path.basename(x)`, `Path(x).name`, `werkzeug`'s `secure_filename`); a helper of
    the same module that does such a check (`safe_path = _inside_root(path)`) or whose
    name says so (`safe_join`, `sanitize_path`); a validator called as a statement
    (`validate_path(path)`); an allow-list test that leaves the function; `Literal`/
    `Enum` parameter types and `Field(pattern=...)`.

    ## Why is this bad?
    The model chooses the path, and so does any text in front of it: `../../.ssh/id_rsa`
    or `/etc/passwd` reads a file the server was never meant to expose, and a write or
    delete tool becomes a way to overwrite `~/.bashrc`. Resolve the path and check it is
    inside the folder the tool serves:

    ```python
    target = (ROOT / name).resolve()
    if not target.is_relative_to(ROOT):
        raise ValueError("outside the workspace")
    ```

    ## Options
    Opt-in: on the precision corpus most findings are file tools whose purpose is to
    read or write whatever path the user's model names, on the user's own machine.
    Enable it for servers that are deployed for others or that serve one folder.

    ## Fix safety
    No automatic fix: which folder the tool may use is for a human to decide.
    """

    code = "FMCP608"
    severity = Severity.WARNING
    default_enabled = False
    message = (
        "`{param}` comes from the MCP client and reaches `{sink}` as a file path without "
        "a check that it stays inside a base folder (`../`, absolute paths): resolve it "
        "and check `is_relative_to(base)`, or keep only its name."
    )
    references = ("https://owasp.org/www-community/attacks/Path_Traversal",)
    neutralising = frozenset(
        {"os.path.basename", "posixpath.basename", ".name", ".stem", ".suffix"}
    )

    needles = (
        "open",
        "read_",
        "write_",
        "remove",
        "unlink",
        "rmdir",
        "rename",
        "replace",
        "shutil",
    )

    VALID = [
        Valid(
            "resolved-and-confined",
            """
            from pathlib import Path

            from fastmcp import FastMCP

            mcp = FastMCP("notes")
            ROOT = Path("~/notes").expanduser().resolve()

            @mcp.tool
            def read_note(name: str) -> str:
                target = (ROOT / name).resolve()
                if not target.is_relative_to(ROOT):
                    raise ValueError("outside the notes folder")
                return target.read_text()

            @mcp.tool
            def delete_note(name: str) -> None:
                (ROOT / Path(name).name).unlink()
            """,
        ),
        Valid(
            "commonpath-helper-and-basename",
            """
            import os

            from fastmcp import FastMCP

            mcp = FastMCP("files")
            BASE = "/srv/files"

            def _inside(path: str) -> str:
                full = os.path.realpath(os.path.join(BASE, path))
                if os.path.commonpath([full, BASE]) != BASE:
                    raise ValueError(path)
                return full

            def _resolve_upload(path: str) -> str:
                resolved = os.path.realpath(path)
                if not _path_is_relative_to(resolved, BASE):
                    raise ValueError(path)
                return resolved

            @mcp.tool
            def upload(path: str) -> bytes:
                target = _resolve_upload(path)
                with open(target, "rb") as handle:
                    return handle.read()

            @mcp.tool
            def read(path: str) -> str:
                with open(_inside(path)) as handle:
                    return handle.read()

            @mcp.tool
            def remove(name: str) -> None:
                os.remove(os.path.join(BASE, os.path.basename(name)))
            """,
        ),
        Valid(
            "allow-listed",
            """
            from typing import Literal

            from fastmcp import FastMCP

            mcp = FastMCP("docs")
            DOCS = {"intro": "docs/intro.md", "api": "docs/api.md"}

            @mcp.resource("docs://{page}")
            def page(page: str) -> str:
                if page not in DOCS:
                    raise ValueError(page)
                return open(page).read()

            @mcp.tool
            def log(level: Literal["info", "error"]) -> str:
                return open(f"logs/{level}.log").read()
            """,
        ),
        Valid(
            "looked-up-by-key",
            """
            from fastmcp import FastMCP

            from app.store import service

            mcp = FastMCP("images")
            STYLES = {"noir": "styles/noir.md"}

            @mcp.resource("image://{image_id}/metadata")
            def metadata(image_id: str) -> str:
                record = service.get_image(image_id)
                return (service.scratch_dir / f"{record.id}.json").read_text()

            @mcp.resource("style://{name}")
            def style(name: str) -> str:
                return open(STYLES[name]).read()
            """,
        ),
    ]
    INVALID = [
        Invalid(
            "open-the-argument",
            """
            from fastmcp import FastMCP

            mcp = FastMCP("files")

            @mcp.tool
            def read_file(path: str) -> str:
                with open(path) as handle:
                    return handle.read()
            """,
            says="`path` comes from the MCP client",
        ),
        Invalid(
            "joined-then-deleted",
            """
            import shutil
            from pathlib import Path

            from fastmcp import FastMCP

            mcp = FastMCP("files")
            ROOT = Path("/srv/data")

            @mcp.tool
            def clean(folder: str, name: str) -> None:
                shutil.rmtree(ROOT / folder)
                (ROOT / name).write_text("")
            """,
            count=2,
        ),
    ]

    def sink(self, call: cst.Call) -> Sink | None:
        func = call.func
        qualified = self.context.names.qualified_name(func) or dotted_name(func)
        if qualified in PATH_FUNCTIONS and call.args and call.args[0].keyword is None:
            if qualified == "open" and "open" in self.context.names.module_bindings:
                return None
            return Sink(qualified, call.args[0].value)
        if isinstance(func, cst.Attribute) and func.attr.value in PATH_METHODS:
            if func.attr.value == "open" and not _path_like(func.value):
                return None
            return Sink(f".{func.attr.value}()", func.value)
        return None

    def confined(self, function: cst.FunctionDef) -> bool:
        names = self.context.names
        resolves = False
        starts_with = False
        for call in direct_nodes(function, cst.Call):
            func = call.func
            if isinstance(func, cst.Attribute):
                if func.attr.value in CONFINING_METHODS:
                    return True
                if func.attr.value == "startswith":
                    starts_with = True
            called = (names.qualified_name(func) or dotted_name(func) or "").rpartition(".")
            if f"{called[0]}.{called[2]}" in CONFINING_FUNCTIONS:
                return True
            if any(word in called[2].lower() for word in CONFINING_WORDS):
                return True  # the project's own check: `_path_is_relative_to(p, root)`
            if called[2] in RESOLVING:
                resolves = True
        return resolves and starts_with

    def describe(self, finding: Finding) -> str:
        sink = self.sink_label(finding)
        return self.message.format(param=finding.param, sink=sink)


def _path_like(receiver: cst.BaseExpression) -> bool:
    """``Path(x).open()``, ``(ROOT / x).open()``, ``p.open()``: not ``zipfile.open``."""
    if isinstance(receiver, cst.BinaryOperation):
        return isinstance(receiver.operator, cst.Divide)
    if isinstance(receiver, cst.Call):
        return (dotted_name(receiver.func) or "").endswith("Path")
    return isinstance(receiver, cst.Name)
