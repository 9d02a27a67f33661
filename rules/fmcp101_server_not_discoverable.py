from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping, Sequence
from pathlib import PurePosixPath

import libcst as cst

from fastmcp_kit.lint.ast_names import may_bind_module_server
from fastmcp_kit.lint.ast_statements import all_imports, imported
from fastmcp_kit.lint.imports import imported_modules, module_name
from fastmcp_kit.lint.rule import (
    Invalid,
    ProjectContext,
    ProjectFinding,
    Rule,
    RuleContext,
    Valid,
)
from fastmcp_kit.lint.violation import Fact, Location, Severity

# The names the FastMCP CLI tries, in this order, when given a bare file path.
CLI_SERVER_NAMES = ("mcp", "server", "app")


def _is_test_or_package_module(path: PurePosixPath) -> bool:
    name = path.name
    return (
        name == "__init__.py"
        or name == "conftest.py"
        or name.startswith("test_")
        or name.endswith("_test.py")
        or any(part in {"tests", "test"} for part in path.parts[:-1])
    )


class ServerNotDiscoverable(Rule):
    """A server module where `fastmcp run file.py` finds no server object.

    ## What it does
    Flags a module that builds a standalone FastMCP server but binds none of the
    names the FastMCP CLI looks for (`mcp`, `server`, `app`) at module level: either
    the server is only created inside a function (a factory), or it is bound at
    module level under another name. Modules that a `fastmcp.json`, Dockerfile,
    Procfile, Makefile, shell script or README already name as `file.py:object` are
    left alone, as are tests, `__init__.py` and helper modules that receive the server
    as a parameter.

    ## Why is this bad?
    `fastmcp run | inspect | dev | install file.py` imports the file and looks for
    `mcp`, `server` or `app`, in that order. Without one it logs `No server object
    found in <file>` and exits with status 1 (2.14 to 4.1; there is no
    `RuntimeError`, whatever guides say). Factories and other names do work, but only
    when named explicitly: `fastmcp run file.py:create_server`.

    ## Fix safety
    No automatic fix: either rename the server, add `mcp = create_server()` at module
    level, or name the object in `fastmcp.json` / the command line.
    """

    code = "FMCP101"
    severity = Severity.INFO
    message = "The FastMCP CLI finds no `mcp`, `server` or `app` in this module; {hint}"
    documented_errors = (1,)
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
        self.depth = 0
        self.constructed_in_function: cst.Call | None = None

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.depth += 1

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.depth -= 1

    def visit_Call(self, node: cst.Call) -> None:
        if (
            self.depth
            and self.constructed_in_function is None
            and self.context.names.is_server_constructor(node)
        ):
            self.constructed_in_function = node

    def leave_Module(self, original_node: cst.Module) -> None:
        # Whether another module imports this one is only known project-wide, so the
        # verdict waits for check_project; here the module states its case.
        names = self.context.names
        path = PurePosixPath(self.context.path.as_posix())
        if _is_test_or_package_module(path) or self._named_elsewhere(path):
            return
        # A function named `mcp` is not an instance; the CLI skips it.
        instances = names.module_bindings - names.module_definitions
        if any(name in instances for name in CLI_SERVER_NAMES):
            return
        if names.module_servers:
            name, statement = next(iter(names.module_servers.items()))
            hint = f"run it as `fastmcp run {path.as_posix()}:{name}` or rename it to `mcp`"
            self.record(statement, {"hint": hint})
        elif self.constructed_in_function is not None:
            hint = (
                "the server is only built inside a function; bind `mcp = <factory>()` at "
                f"module level or run `fastmcp run {path.as_posix()}:<factory>`"
            )
            self.record(self.constructed_in_function, {"hint": hint})

    @classmethod
    def ast_facts(cls, tree: ast.Module, source: str, context: RuleContext) -> list[Fact]:
        # Every module says which project modules it imports (at any depth): a module
        # another one imports is a library, not an entry point.
        if context.path.suffix == ".pyi":
            return []  # a stub's imports load nothing at run time
        local = context.project.local_modules
        found = [
            [name, level, taken]
            for statement in all_imports(tree)
            for name, level, taken in imported(statement)
            if level or name.split(".")[0] in local
        ]
        return [Fact({"imports": found})] if found else []

    @classmethod
    def check_project(
        cls, facts: Mapping[str, Sequence[Fact]], project: ProjectContext
    ) -> Iterable[ProjectFinding]:
        modules = {path: module_name(path) for path in facts}
        known = {name for name in modules.values() if name}
        loaded: set[str] = set()
        for path, items in facts.items():
            importer = modules[path]
            for fact in items:
                if importer and "imports" in fact.data:
                    imports = [(m, level, list(names)) for m, level, names in fact.data["imports"]]
                    loaded |= imported_modules(
                        importer, path.endswith("__init__.py"), imports, known
                    )
        for path, items in facts.items():
            # A module another module imports is a library (a mounted sub-server, a
            # factory): the entry point is elsewhere.
            if modules[path] in loaded:
                continue
            for fact in items:
                if "hint" in fact.data:
                    yield ProjectFinding(
                        path,
                        cls.message.format(hint=fact.data["hint"]),
                        fact.location or Location(1, 1),
                        fact.end_location or Location(1, 1),
                    )

    def _named_elsewhere(self, path: PurePosixPath) -> bool:
        for entrypoint in self.context.project.entrypoints:
            file = entrypoint.rsplit(":", 1)[0].removeprefix("./")
            if path.as_posix() == file or path.as_posix().endswith("/" + file) or path.name == file:
                return True
        return False
