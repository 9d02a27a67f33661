from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping, Sequence

from fastmcp_kit.lint.ast_statements import Positions, bound_names, imported, is_simple, top_level
from fastmcp_kit.lint.import_paths import worth_recording
from fastmcp_kit.lint.imports import FromImport, Layout, ModuleSummary, circular_import_failures
from fastmcp_kit.lint.rule import Invalid, ProjectContext, ProjectFinding, Rule, RuleContext, Valid
from fastmcp_kit.lint.violation import Fact, Location, Severity


class CircularImportFailure(Rule):
    """A circular import that fails at import time, whichever module comes first.

    ## What it does
    Follows the module-level imports between the project's own modules the way
    Python executes them, and flags a `from X import name` that asks a module for a
    name it has not bound yet because that module is still running (a cycle).
    Importing a module first runs the `__init__.py` of every package above it, as
    Python does, so the package's own imports decide the order; a star import or a
    module `__getattr__` counts as binding whatever it may provide. It only reports
    cycles that fail whichever module of the cycle is imported first; the harmless
    cycles of real packages (an `__init__.py` re-exporting from submodules that
    import it back, `import pkg` without `from`, imports inside functions or under
    `if`/`try`) are left alone.

    Imports are resolved as `sys.path` finds them: relative imports from the
    importer's package, absolute ones from the folder above the importer's outermost
    package (a script's own folder, `backend/` for `backend/app/`), the project root,
    then `src/`.

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
        Valid(
            "package-init-imports-the-server-first",
            """
            from app.server import mcp

            @mcp.tool
            def ping() -> str:
                return "pong"
            """,
            filename="backend/app/tools.py",
            files={
                "backend/app/__init__.py": "from app.server import mcp\n",
                "backend/app/server.py": (
                    "from fastmcp import FastMCP\n\n"
                    "mcp = FastMCP('demo')\n\n"
                    "from app.tools import ping\n"
                ),
            },
        ),
        Valid(
            "name-from-a-star-import-in-the-package",
            """
            from fastmcp import FastMCP
            from pkg import Weather

            mcp = FastMCP("demo")
            """,
            filename="pkg/server.py",
            files={
                "pkg/__init__.py": "from .models import *\nfrom .server import mcp\n",
                "pkg/models.py": "class Weather:\n    pass\n",
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
        Invalid(
            "package-below-the-project-root",
            """
            from app.server import mcp

            @mcp.tool
            def ping() -> str:
                return "pong"
            """,
            filename="backend/app/tools.py",
            files={
                "backend/app/__init__.py": "",
                "backend/app/server.py": (
                    "from app.tools import ping\nfrom fastmcp import FastMCP\n\nmcp = FastMCP('demo')\n"
                ),
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
                if not worth_recording(module, level, local):
                    continue  # the stdlib and fastmcp are not in a project cycle
                data = {"i": index, "module": module, "level": level, "names": names}
                facts.append(Fact(data, *positions.span(statement)))
        facts.append(Fact({"bindings": bindings}))
        return facts

    @classmethod
    def check_project(
        cls, facts: Mapping[str, Sequence[Fact]], project: ProjectContext
    ) -> Iterable[ProjectFinding]:
        layout = Layout([path for path, items in facts.items() if items])
        modules: dict[str, ModuleSummary] = {}
        for path, items in facts.items():
            if not items:
                continue
            summary = modules.setdefault(path, ModuleSummary())
            for fact in items:
                data = fact.data
                if "bindings" in data:
                    summary.bindings = dict(data["bindings"])
                    continue
                resolved = layout.resolve_import(path, data["module"], data["level"])
                if resolved.runs is None and resolved.folder is None:
                    continue  # a third-party module
                module = layout.dotted(resolved.target) if resolved.target else data["module"]
                summary.imports.append(
                    FromImport(data["i"], module, tuple(data["names"]), fact, resolved)
                )
        for failure in circular_import_failures(modules, layout):
            where = failure.statement.where
            assert isinstance(where, Fact)
            yield ProjectFinding(
                failure.importer,
                cls.message.format(module=failure.statement.module, name=failure.name),
                where.location or Location(1, 1),
                where.end_location or Location(1, 1),
            )
