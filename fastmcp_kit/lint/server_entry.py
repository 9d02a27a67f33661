"""Which server a module serves, and whether the FastMCP CLI could reach it (FMCP101).

``fastmcp run file.py`` imports the file and takes the first of ``mcp``, ``server``,
``app`` bound to a server; ``file.py:name`` names an instance or a factory the CLI
calls *without arguments* (``FileSystemSource._resolve_factory``, 2.14 to 4.2). A
server built in a method, a class body or a factory that needs arguments is made by
code the project runs itself, never by the CLI: not a module the CLI is meant to find.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator, Sequence
from pathlib import PurePosixPath

import libcst as cst

from fastmcp_kit.lint.ast_index import nodes
from fastmcp_kit.lint.ast_names import last_identifier
from fastmcp_kit.lint.ast_statements import Imported, all_imports, imported
from fastmcp_kit.lint.cst_statements import nested_blocks
from fastmcp_kit.lint.names import ModuleNames, dotted_name

# The names the FastMCP CLI tries, in this order, when given a bare file path.
CLI_SERVER_NAMES = ("mcp", "server", "app")
# Calls on a server that show it is the one the module serves.
SERVING_METHODS = frozenset(
    {"run", "run_async", "run_http_async", "run_stdio_async", "http_app", "sse_app"}
    | {"streamable_http_app"}
)
# Calls that hand a server to another one: the argument is a sub-server.
MOUNTING_METHODS = frozenset({"mount", "import_server"})


def is_test_module(path: PurePosixPath) -> bool:
    name = path.name
    return (
        name == "conftest.py"
        or name.startswith("test_")
        or name.endswith("_test.py")
        or any(part in {"tests", "test"} for part in path.parts[:-1])
    )


def _is_private(part: str) -> bool:
    return part.startswith("_") and not (part.startswith("__") and part.endswith("__"))


def is_not_an_entry_point(path: PurePosixPath) -> bool:
    """Tests, ``__init__.py`` and private modules (``_routes.py``, ``_internal/``)."""
    return (
        path.name == "__init__.py"
        or is_test_module(path)
        or any(_is_private(part) for part in (*path.parts[:-1], path.stem))
    )


def named_in(path: PurePosixPath, entrypoints: Iterable[str]) -> bool:
    """Whether a ``file.py:object`` entrypoint (fastmcp.json, Dockerfile, ...) names it."""
    for entrypoint in entrypoints:
        file = entrypoint.rsplit(":", 1)[0].removeprefix("./")
        if path.as_posix() == file or path.as_posix().endswith("/" + file) or path.name == file:
            return True
    return False


def module_imports(tree: ast.Module) -> Iterator[Imported]:
    """Every import at any depth, plus ``importlib.import_module("literal")`` and
    ``__import__("literal")`` (plugin loaders)."""
    for statement in all_imports(tree):
        yield from imported(statement)
    for call in nodes(tree, ast.Call):
        if (
            last_identifier(call.func) in {"import_module", "__import__"}
            and call.args
            and isinstance(call.args[0], ast.Constant)
            and isinstance(call.args[0].value, str)
            and not call.args[0].value.startswith(".")
        ):
            yield call.args[0].value, 0, []


def _required_parameters(function: cst.FunctionDef) -> list[str]:
    params = function.params
    return [
        param.name.value
        for param in (*params.posonly_params, *params.params, *params.kwonly_params)
        if param.default is None
    ]


class ServerEntry:
    """What FMCP101's visitor learns about a module's servers, call by call."""

    def __init__(self, names: ModuleNames) -> None:
        self.names = names
        # Enclosing functions and classes of the node being visited, outermost first.
        self.scopes: list[cst.FunctionDef | cst.ClassDef] = []
        # The first server built in a module-level function the CLI could call.
        self.built: tuple[cst.Call, cst.FunctionDef] | None = None
        self.mounted: set[str] = set()
        self.served: list[str] = []

    def visit_call(self, node: cst.Call) -> None:
        func = node.func
        if isinstance(func, cst.Attribute):
            receiver = dotted_name(func.value)
            if func.attr.value in MOUNTING_METHODS:
                self.mounted.update(
                    name
                    for arg in node.args
                    if (name := dotted_name(arg.value)) in self.names.module_servers
                )
            elif func.attr.value in SERVING_METHODS and receiver in self.names.module_servers:
                self.served.append(receiver)
        if self.built is None and self.scopes and self.names.is_server_constructor(node):
            outermost = self.scopes[0]
            if (
                isinstance(outermost, cst.FunctionDef)
                and not any(isinstance(scope, cst.ClassDef) for scope in self.scopes)
                and not _required_parameters(outermost)
            ):
                self.built = (node, outermost)

    def verdict(self, path: str) -> tuple[cst.CSTNode, str] | None:
        """Where to report and the hint, or None when the module has nothing to say."""
        servers = self.names.module_servers
        # A server mounted into another one is not the one served.
        candidates = [name for name in servers if name not in self.mounted]
        if candidates:
            name = next((n for n in self.served if n in candidates), candidates[0])
            return servers[name], (f"run it as `fastmcp run {path}:{name}` or rename it to `mcp`")
        if self.built is not None:
            call, function = self.built
            factory = function.name.value
            if self._returns_server(function):
                return call, (
                    f"the server is built by `{factory}()`; run `fastmcp run {path}:{factory}` "
                    f"or bind `mcp = {factory}()` at module level"
                )
            return call, (
                f"the server is only built inside `{factory}()`, which does not return it; "
                "create it at module level (`mcp = FastMCP(...)`) or in a factory that "
                f"returns it (`fastmcp run {path}:<factory>`)"
            )
        return None

    def _returns_server(self, function: cst.FunctionDef) -> bool:
        for value in _returned(function.body.body):
            if isinstance(value, cst.Call) and self.names.is_server_constructor(value):
                return True
            if dotted_name(value) in self.names.servers:
                return True
        return False


def _returned(
    statements: Sequence[cst.BaseStatement | cst.BaseSmallStatement],
) -> Iterator[cst.BaseExpression]:
    """Values of the ``return`` statements of one function body (nested functions
    and classes excluded)."""
    for statement in statements:
        if isinstance(statement, cst.SimpleStatementLine):
            for small in statement.body:
                if isinstance(small, cst.Return) and small.value is not None:
                    yield small.value
        elif isinstance(statement, (cst.FunctionDef, cst.ClassDef)):
            continue
        elif isinstance(statement, cst.BaseCompoundStatement):
            for block in nested_blocks(statement):
                yield from _returned(block)
