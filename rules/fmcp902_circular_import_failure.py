from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping, Sequence

from fastmcp_kit.lint.ast_statements import Positions, bound_names, imported, is_simple, top_level
from fastmcp_kit.lint.imports import (
    FromImport,
    ModuleSummary,
    circular_import_failures,
    module_name,
    resolve,
)
from fastmcp_kit.lint.rule import Invalid, ProjectContext, ProjectFinding, Rule, RuleContext, Valid
from fastmcp_kit.lint.violation import Fact, Location, Severity


class CircularImportFailure(Rule):
    """A circular import that fails at import time, whichever module comes first.

    ## What it does
    Follows the module-level `from X import name` statements between the project's
    own modules the way Python executes them, and flags one that asks a module for a
    name it has not bound yet because that module is still running (a cycle). It only
    reports cycles that fail whichever module of the cycle is imported first; the
    harmless cycles of real packages (an `__init__.py` re-exporting from submodules
    that import it back, `import pkg` without `from`, imports inside functions or
    under `if`/`try`) are left alone.

    ## Why is this bad?
    The server never starts: `ImportError: cannot import name 'mcp' from partially
    initialized module 'app' (most likely due to a circular import)`. FastMCP projects
    hit it when tool modules do `from server import mcp` while `server.py` imports the
    tool modules *before* it creates `mcp`. Create the server first (or register tools
    through a function that receives it).

    ## Fix safety
    No automatic fix: the right order, or moving an import into a function, is a
    design decision.
    """

    code = "FMCP902"
    # Plain Python: applies to SDK-only projects too.
    needs_fastmcp = False
    severity = Severity.ERROR
    message = "`from {module} import {name}` fails: `{module}` is still being imported and has not bound `{name}` yet (circular import)"
    documented_errors = (13,)
    references = ("https://docs.python.org/3/reference/import.html#submodules",)

    VALID = [
        Valid(
            "server-created-before-tool-import",
            """
            from fastmcp import FastMCP

            mcp = FastMCP("demo")

            import tools  # registers tools on mcp
            """,
            filename="server.py",
            files={
                "tools.py": "from server import mcp\n\n@mcp.tool\ndef ping() -> str:\n    return 'pong'\n"
            },
        ),
        Valid(
            "type-stubs-are-never-executed",
            """
            from views import render

            class Model: ...
            """,
            filename="models.pyi",
            files={
                "models.py": "class Model:\n    pass\n",
                "views.py": "from models import Model\n\ndef render(m):\n    return str(m)\n",
                "views.pyi": "from models import Model\n\ndef render(m: Model) -> str: ...\n",
            },
        ),
        Valid(
            "package-re-export-cycle",
            """
            __version__ = "1.0"

            from .server import mcp
            """,
            filename="app/__init__.py",
            files={
                "app/server.py": "from fastmcp import FastMCP\nfrom app import __version__\n\nmcp = FastMCP('demo', version=__version__)\n",
            },
        ),
        Valid(
            "works-when-the-tools-module-is-imported-first",
            """
            from .server import mcp

            @mcp.tool
            def ping() -> str:
                return "pong"
            """,
            filename="app/tools.py",
            files={
                "app/__init__.py": "",
                "app/server.py": "from fastmcp import FastMCP\nfrom . import tools\n\nmcp = FastMCP('demo')\n",
            },
        ),
        Valid(
            "import-inside-function",
            """
            from fastmcp import FastMCP

            def build() -> FastMCP:
                from tools import register
                mcp = FastMCP("demo")
                register(mcp)
                return mcp
            """,
            filename="server.py",
            files={
                "tools.py": "from server import build\n\ndef register(mcp) -> None:\n    pass\n"
            },
        ),
        Valid(
            "plain-import-cycle",
            """
            import tools
            from fastmcp import FastMCP

            mcp = FastMCP("demo")
            """,
            filename="server.py",
            files={
                "tools.py": "import server\n\ndef register() -> None:\n    server.mcp.tool(lambda: 'x')\n"
            },
        ),
    ]
    INVALID = [
        Invalid(
            "tools-imported-before-server-exists",
            """
            from server import mcp

            @mcp.tool
            def ping() -> str:
                return "pong"
            """,
            filename="tools.py",
            files={
                "server.py": "from tools import ping\nfrom fastmcp import FastMCP\n\nmcp = FastMCP('demo')\n"
            },
        ),
        Invalid(
            "relative-imports-in-a-package",
            """
            from .server import mcp

            @mcp.tool
            def ping() -> str:
                return "pong"
            """,
            filename="app/tools.py",
            files={
                "app/__init__.py": "",
                "app/server.py": "from fastmcp import FastMCP\nfrom .tools import ping\n\nmcp = FastMCP('demo')\n",
            },
        ),
    ]

    # Its facts come from the stdlib ast of every file; it never needs libcst.
    needles = ()

    @classmethod
    def ast_facts(cls, tree: ast.Module, source: str, context: RuleContext) -> list[Fact]:
        if context.path.suffix == ".pyi":
            return []  # type stubs are read by type checkers, never imported
        local = context.project.local_modules
        positions = Positions(source)
        facts: list[Fact] = []
        bindings: dict[str, int] = {}
        for index, statement in top_level(tree):
            for name in bound_names(statement):
                bindings.setdefault(name, index)
            if not is_simple(statement):
                continue  # imports under if/try/with may never run: not judged
            for module, level, names in imported(statement):
                if level == 0 and module.split(".")[0] not in local:
                    continue  # stdlib and third-party modules are not in a project cycle
                data = {"i": index, "module": module, "level": level, "names": names}
                facts.append(Fact(data, *positions.span(statement)))
        facts.append(Fact({"bindings": bindings}))
        return facts

    @classmethod
    def check_project(
        cls, facts: Mapping[str, Sequence[Fact]], project: ProjectContext
    ) -> Iterable[ProjectFinding]:
        modules: dict[str, ModuleSummary] = {}
        paths: dict[str, str] = {}
        for path, items in facts.items():
            name = module_name(path)
            if name is None or not items:
                continue
            is_package = path.endswith("__init__.py")
            summary = ModuleSummary()
            for fact in items:
                data = fact.data
                if "bindings" in data:
                    summary.bindings = dict(data["bindings"])
                else:
                    target = resolve(name, is_package, data["module"], data["level"])
                    summary.imports.append(
                        FromImport(data["i"], target, tuple(data["names"]), fact)
                    )
            modules[name], paths[name] = summary, path
        for failure in circular_import_failures(modules):
            where = failure.statement.where
            assert isinstance(where, Fact)
            yield ProjectFinding(
                paths[failure.importer],
                cls.message.format(module=failure.statement.module, name=failure.name),
                where.location or Location(1, 1),
                where.end_location or Location(1, 1),
            )
