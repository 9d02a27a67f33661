from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping, Sequence
from pathlib import PurePosixPath

import libcst as cst

from fastmcp_kit.lint.ast_names import may_bind_module_server
from fastmcp_kit.lint.import_paths import loaded_files, worth_recording
from fastmcp_kit.lint.rule import (
    Invalid,
    ProjectContext,
    ProjectFinding,
    Rule,
    RuleContext,
    Valid,
)
from fastmcp_kit.lint.server_entry import (
    CLI_SERVER_NAMES,
    ServerEntry,
    is_not_an_entry_point,
    is_test_module,
    module_imports,
    named_in,
)
from fastmcp_kit.lint.violation import Fact, Location, Severity


class ServerNotDiscoverable(Rule):
    """A server module where `fastmcp run file.py` finds no server object.

    ## What it does
    Flags a module that builds a standalone FastMCP server but binds none of the
    names the FastMCP CLI looks for (`mcp`, `server`, `app`) at module level: either
    the server is only created inside a module-level function the CLI could call (a
    factory without required arguments, or a `main()`), or it is bound at module
    level under another name. The hint names the server the module serves (the one
    it runs or turns into an app, never one it mounts into another).

    Left alone: modules another project module imports (a mounted sub-server, a
    factory called with its configuration; imports are matched from the importer's
    folder and every folder above it, `src/`, relative imports and
    `importlib.import_module("...")`, but not from tests); servers built in classes,
    methods or factories that need arguments (the project builds those itself, the
    CLI cannot); modules that a `fastmcp.json`, Dockerfile, Procfile, Makefile, shell
    script or README already name as `file.py:object`; tests, `__init__.py`, private
    modules (`_routes.py`, `_internal/`) and helper modules that receive the server
    as a parameter.

    ## Why is this bad?
    `fastmcp run | inspect | dev | install file.py` imports the file and looks for
    `mcp`, `server` or `app`, in that order. Without one it logs `No server object
    found in <file>` and exits with status 1 (2.14 to 4.2; there is no
    `RuntimeError`, whatever guides say). Factories and other names do work, but only
    when named explicitly: `fastmcp run file.py:create_server` (the CLI calls a
    factory without arguments).

    ## Fix safety
    No automatic fix: either rename the server, add `mcp = create_server()` at module
    level, or name the object in `fastmcp.json` / the command line.
    """

    code = "FMCP101"
    severity = Severity.INFO
    message = "The FastMCP CLI finds no `mcp`, `server` or `app` in this module; {hint}"
    documented_errors = (1,)
    # Opt-in: on 49 real repositories (bench/precision/PRECISION.md) every one of its 21
    # findings was an entrypoint the FastMCP CLI is never pointed at (ASGI app factories
    # served by uvicorn, console scripts, keyword-only factories). Below the 95% bar.
    default_enabled = False
    references = (
        "https://gofastmcp.com/deployment/running-server#the-fastmcp-cli",
        "https://gofastmcp.com/deployment/server-configuration",
    )

    VALID = [
        Valid(
            "module-level-mcp",
            """
            from fastmcp import FastMCP

            mcp = FastMCP("demo")
            """,
        ),
        Valid(
            "factory-result-bound",
            """
            from fastmcp import FastMCP

            def create_server() -> FastMCP:
                server = FastMCP("demo")
                return server

            mcp = create_server()
            """,
        ),
        Valid(
            "helper-receives-server",
            """
            from fastmcp import FastMCP

            def register(mcp: FastMCP) -> None:
                @mcp.tool
                def ping() -> str:
                    return "pong"
            """,
            filename="tools.py",
        ),
        Valid(
            "named-in-fastmcp-json",
            """
            from fastmcp import FastMCP

            def build() -> FastMCP:
                return FastMCP("demo")
            """,
            files={"fastmcp.json": '{"source": {"path": "server.py", "entrypoint": "build"}}'},
        ),
        Valid(
            "named-in-dockerfile",
            """
            from fastmcp import FastMCP

            weather = FastMCP("weather")
            """,
            files={"Dockerfile": 'CMD ["fastmcp", "run", "server.py:weather"]\n'},
        ),
        Valid(
            "test-module",
            """
            from fastmcp import FastMCP

            def make() -> FastMCP:
                return FastMCP("t")
            """,
            filename="tests/test_server.py",
        ),
        Valid(
            "re-exported-server",
            """
            from fastmcp import FastMCP
            from .app import server

            def extra() -> FastMCP:
                return FastMCP("x")
            """,
        ),
        Valid(
            "mounted-sub-server-module",
            """
            from fastmcp import FastMCP

            weather = FastMCP("weather")

            @weather.tool
            def forecast(city: str) -> str:
                return "sunny"
            """,
            filename="services/weather.py",
            files={
                "services/__init__.py": "",
                "server.py": (
                    "from fastmcp import FastMCP\n"
                    "from services.weather import weather\n\n"
                    "mcp = FastMCP('gateway')\n"
                    "mcp.mount(weather, namespace='weather')\n"
                ),
            },
        ),
        Valid(
            "factory-used-by-the-entry-module",
            """
            from fastmcp import FastMCP

            def create_server() -> FastMCP:
                return FastMCP("toolbox")
            """,
            filename="toolbox/server.py",
            files={
                "toolbox/__init__.py": "",
                "main.py": "from toolbox.server import create_server\n\nmcp = create_server()\n",
            },
        ),
        Valid(
            "sub-server-imported-by-a-script-in-its-folder",
            """
            from fastmcp import FastMCP

            forecast_server = FastMCP("forecast")
            """,
            filename="servers/weather/tools/forecast.py",
            files={
                "servers/weather/tools/__init__.py": "",
                "servers/weather/main.py": (
                    "from fastmcp import FastMCP\n"
                    "from tools.forecast import forecast_server\n\n"
                    "mcp = FastMCP('weather')\n"
                    "mcp.mount(forecast_server, namespace='forecast')\n"
                ),
            },
        ),
        Valid(
            "sub-server-loaded-by-import-module",
            """
            from fastmcp import FastMCP

            billing = FastMCP("billing")
            """,
            filename="plugins/billing.py",
            files={
                "server.py": (
                    "import importlib\n"
                    "from fastmcp import FastMCP\n\n"
                    "mcp = FastMCP('gateway')\n"
                    "for name in ['billing']:\n"
                    "    mcp.mount(importlib.import_module('plugins.billing').billing)\n"
                ),
            },
        ),
        Valid(
            "factory-needs-arguments",
            """
            from fastmcp import FastMCP

            def create_server(config) -> FastMCP:
                mcp = FastMCP(config.name)
                return mcp
            """,
        ),
        Valid(
            "server-built-in-a-class",
            """
            from fastmcp import FastMCP

            class WeatherService:
                registry = FastMCP("registry")

                def __init__(self) -> None:
                    self.mcp = FastMCP("weather")

                def build(self) -> FastMCP:
                    return FastMCP("other")
            """,
        ),
        Valid(
            "private-helper-module",
            """
            from fastmcp import FastMCP

            router = FastMCP("routes")
            """,
            filename="app/_routes.py",
        ),
        Valid(
            "sdk-server",
            """
            from mcp.server.fastmcp import FastMCP

            def build():
                return FastMCP("sdk")
            """,
        ),
        Valid(
            "type-stub",
            """
            from fastmcp import FastMCP

            weather: FastMCP
            """,
            filename="weather.pyi",
        ),
    ]
    INVALID = [
        Invalid(
            "factory-only",
            """
            from fastmcp import FastMCP

            def create_server() -> FastMCP:
                mcp = FastMCP("demo")

                @mcp.tool
                def ping() -> str:
                    return "pong"

                return mcp

            if __name__ == "__main__":
                create_server().run()
            """,
        ),
        Invalid(
            "factory-named-like-a-server",
            """
            from fastmcp import FastMCP

            def mcp() -> FastMCP:
                return FastMCP("demo")
            """,
        ),
        Invalid(
            "other-name",
            """
            import fastmcp

            weather_server = fastmcp.FastMCP("weather")
            """,
        ),
        Invalid(
            "served-server-beside-a-mounted-one",
            """
            from fastmcp import FastMCP

            weather = FastMCP("weather")
            gateway = FastMCP("gateway")
            gateway.mount(weather, namespace="weather")

            if __name__ == "__main__":
                gateway.run()
            """,
        ),
        Invalid(
            "imported-only-by-its-tests",
            """
            from fastmcp import FastMCP

            weather = FastMCP("weather")
            """,
            filename="weather.py",
            files={
                "tests/test_weather.py": "from weather import weather\n\ndef test_name():\n    assert weather.name == 'weather'\n",
            },
        ),
    ]

    # Every server constructor, factory and subclass names FastMCP or create_proxy.
    needles = ("FastMCP", "create_proxy")

    @classmethod
    def may_apply_to_tree(cls, tree: ast.Module, context: RuleContext) -> bool:
        # Type hints name FastMCP in most modules of a large code base; only a module
        # that builds (or annotates) a server can lack a discoverable one. Type stubs
        # are never run.
        return context.path.suffix != ".pyi" and may_bind_module_server(tree)

    def __init__(self, context: RuleContext) -> None:
        super().__init__(context)
        self.entry = ServerEntry(context.names)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.entry.scopes.append(node)

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.entry.scopes.pop()

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.entry.scopes.append(node)

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self.entry.scopes.pop()

    def visit_Call(self, node: cst.Call) -> None:
        self.entry.visit_call(node)

    def leave_Module(self, original_node: cst.Module) -> None:
        # Whether another module imports this one is only known project-wide, so the
        # verdict waits for check_project; here the module states its case.
        path = PurePosixPath(self.context.path.as_posix())
        if is_not_an_entry_point(path) or named_in(path, self.context.project.entrypoints):
            return
        # A function named `mcp` is not an instance; the CLI skips it.
        names = self.context.names
        instances = names.module_bindings - names.module_definitions
        if any(name in instances for name in CLI_SERVER_NAMES):
            return
        verdict = self.entry.verdict(path.as_posix())
        if verdict is not None:
            node, hint = verdict
            self.record(node, {"hint": hint})

    @classmethod
    def ast_facts(cls, tree: ast.Module, source: str, context: RuleContext) -> list[Fact]:
        # Every module says which modules it imports (at any depth, `importlib`
        # included): a module another one imports is a library, not an entry point.
        if context.path.suffix == ".pyi" or is_test_module(PurePosixPath(context.path.as_posix())):
            return []  # a stub loads nothing; a test imports the server it tests
        local = context.project.local_modules
        found = [
            [name, level, taken]
            for name, level, taken in module_imports(tree)
            if worth_recording(name, level, local)
        ]
        return [Fact({"imports": found})] if found else []

    @classmethod
    def check_project(
        cls, facts: Mapping[str, Sequence[Fact]], project: ProjectContext
    ) -> Iterable[ProjectFinding]:
        files = {path for path in facts if path.endswith(".py")}
        loaded: set[str] = set()
        for path, items in facts.items():
            for fact in items:
                for module, level, names in fact.data.get("imports", ()):
                    loaded |= loaded_files(path, module, level, names, files) - {path}
        for path, items in facts.items():
            # A module another module imports is a library (a mounted sub-server, a
            # factory called with its configuration): the entry point is elsewhere.
            if path in loaded:
                continue
            for fact in items:
                if "hint" in fact.data:
                    yield ProjectFinding(
                        path,
                        cls.message.format(hint=fact.data["hint"]),
                        fact.location or Location(1, 1),
                        fact.end_location or Location(1, 1),
                    )
