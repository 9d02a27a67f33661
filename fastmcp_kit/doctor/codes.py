"""Every ``fkit doctor`` finding, in one place: code, name, severity and the fix hint.

The family is ``FMCPD`` (D for doctor), apart from the lint rules' ``FMCPNNN``: a
doctor finding comes from running the server, not from reading its source. The
hundreds group them: 1 versions, 2 import, 3 components, 4 sessions and ports,
5 settings, 6 published schemas. The README's table is this one.
"""

from __future__ import annotations

from dataclasses import dataclass

from fastmcp_kit.lint.violation import Severity


@dataclass(frozen=True)
class DoctorCode:
    code: str
    name: str
    severity: Severity
    summary: str
    hint: str


_E, _W = Severity.ERROR, Severity.WARNING

CODES: dict[str, DoctorCode] = {
    c.code: c
    for c in (
        DoctorCode(
            "FMCPD101",
            "installed-outside-pins",
            _E,
            "The installed fastmcp or mcp is not one the project's pins admit.",
            "reinstall the project (`pip install -e .` or `uv sync`) or correct the pin",
        ),
        DoctorCode(
            "FMCPD102",
            "installed-differs-from-lock",
            _W,
            "The installed fastmcp or mcp is not the version the lock file records.",
            "sync the environment with the lock (`uv sync`), or lock again",
        ),
        DoctorCode(
            "FMCPD201",
            "server-import-fails",
            _E,
            "The server module raises when imported the way `fastmcp run` imports it.",
            "run `fastmcp run` on it to see the full traceback",
        ),
        DoctorCode(
            "FMCPD202",
            "project-package-not-installed",
            _E,
            "The server imports the project's own package, which this Python cannot "
            "import: `fastmcp run` puts only the server file's folder on sys.path.",
            "install the project into this environment: `pip install -e .` (or `uv sync`)",
        ),
        DoctorCode(
            "FMCPD203",
            "installed-copy-shadows-source",
            _W,
            "The project's package is imported from an installed copy, not from its "
            "source: edits to the source do not reach the running server.",
            "install it editable: `pip install -e .` (or `uv sync`)",
        ),
        DoctorCode(
            "FMCPD204",
            "server-not-found",
            _E,
            "The module imports, but the CLI finds no server object in it.",
            "name the object (`file.py:mcp`, or `entrypoint` in fastmcp.json) or call it "
            "mcp, server or app",
        ),
        DoctorCode(
            "FMCPD301",
            "component-registration-fails",
            _E,
            "Registering a component raises: its schema cannot be generated from its "
            "parameter types, or FastMCP refuses its function.",
            "annotate the parameter with a type pydantic can describe (a model, a "
            "dataclass, a TypedDict from typing_extensions, a builtin)",
        ),
        DoctorCode(
            "FMCPD302",
            "listing-fails",
            _E,
            "A client's tools/list, resources/list, resources/templates/list or "
            "prompts/list request fails.",
            "the Python error names the component; fix it so a client can list it",
        ),
        DoctorCode(
            "FMCPD303",
            "output-schema-mismatch",
            _E,
            "With `--call`: a tool's result does not match the output schema it publishes "
            "(its return annotation says one thing, it returns another).",
            "correct the return annotation, or return what it promises",
        ),
        DoctorCode(
            "FMCPD304",
            "registered-but-not-listed",
            _W,
            "The server file decorates tools, resources or prompts, but the server lists "
            "none of that kind: they went to another server than the one served.",
            "register them on the server the CLI serves (or have the factory register "
            "them on the server it returns)",
        ),
        DoctorCode(
            "FMCPD401",
            "stdio-session-fails",
            _E,
            "`fastmcp run` over stdio does not start, initialize, list or shut down.",
            "run `fastmcp run` by hand to read the server's own output",
        ),
        DoctorCode(
            "FMCPD402",
            "http-session-fails",
            _E,
            "`fastmcp run --transport http` does not start, initialize, list or shut down.",
            "run it by hand with `--transport http` to read the server's own output",
        ),
        DoctorCode(
            "FMCPD403",
            "port-in-use",
            _E,
            "The port the server would listen on over HTTP is already taken.",
            "stop the process holding it, or choose another port (`--port`, "
            "fastmcp.json `deployment.port`, FASTMCP_PORT)",
        ),
        DoctorCode(
            "FMCPD501",
            "setting-missing",
            _W,
            "The server failed, and its error names a variable .env.example lists that is not set.",
            "set it in the environment (`set -a && . ./.env && set +a`)",
        ),
        DoctorCode(
            "FMCPD601",
            "injected-parameter-exposed",
            _E,
            "A tool publishes a parameter that looks injected (self, ctx, context, ...) "
            "as an argument clients must supply.",
            "annotate it `ctx: Context` (from fastmcp) so FastMCP injects it, or register "
            "a bound method / plain function instead of one taking self",
        ),
        DoctorCode(
            "FMCPD602",
            "null-default-not-accepted",
            _W,
            "A parameter's schema advertises `default: null` but its type does not "
            "accept null (`param: str = None`): a client sending null is rejected.",
            "annotate it as optional: `param: str | None = None`",
        ),
    )
}


def code(code: str) -> DoctorCode:
    return CODES[code]
