"""Project facts gathered before the codemods run: the environment variable names the
project's env files set, and which servers get task-enabled components."""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable
from pathlib import Path

import libcst as cst

from fastmcp_kit.lint.envfiles import ENV_FILE_PATTERNS
from fastmcp_kit.lint.names import ModuleNames, analyze
from fastmcp_kit.upgrade.cstutil import is_false, keyword

_ENV_NAME = re.compile(r"\b(FASTMCP_[A-Z0-9_]+)\b")


def is_env_file(name: str) -> bool:
    return any(fnmatch.fnmatch(name, pattern) for pattern in ENV_FILE_PATTERNS)


def env_names_in(root: Path, files: Iterable[Path] = ()) -> frozenset[str]:
    """``FASTMCP_*`` names in the env files at the project root and in ``files``."""
    found: set[str] = set()
    candidates = [p for p in root.iterdir() if p.is_file()] if root.is_dir() else []
    for path in (*candidates, *files):
        if not is_env_file(path.name):
            continue
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        found.update(_ENV_NAME.findall(text))
    return frozenset(found)


def task_servers(module: cst.Module, module_name: str | None) -> set[str]:
    """``module.variable`` of every server that gets a task-enabled component here;
    for a server local to a function, ``module.function.<locals>.variable`` (the
    function's qualified name, as Python spells it)."""
    names = analyze(module)
    found: set[str] = set()
    for node, enclosing in _functions(module):
        for decorator in names.component_decorators(node):
            arg = decorator.argument("task")
            if arg is None or is_false(arg.value) or _is_none(arg.value):
                continue
            server = _server_path(names, decorator.server, module_name)
            if server is None and enclosing and module_name and "." not in decorator.server:
                server = local_server_key(module_name, enclosing, decorator.server)
            if server:
                found.add(server)
    return found


def local_server_key(module_name: str, function: str, variable: str) -> str:
    return f"{module_name}.{function}.<locals>.{variable}"


def _is_none(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.Name) and node.value == "None"


def _server_path(names: ModuleNames, server: str, module_name: str | None) -> str | None:
    if server in names.module_servers:
        return f"{module_name}.{server}" if module_name else None
    qualified = names.aliases.get(server)
    return qualified


def _functions(module: cst.Module) -> list[tuple[cst.FunctionDef, str]]:
    """Every function with the qualified name of the function it is defined in
    ("" at module or class level)."""
    found: list[tuple[cst.FunctionDef, str]] = []

    class Collect(cst.CSTVisitor):
        def __init__(self) -> None:
            super().__init__()
            self.stack: list[str] = []

        def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
            found.append((node, enclosing_function(self.stack)))
            self.stack.append(node.name.value)

        def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
            self.stack.pop()

        def visit_ClassDef(self, node: cst.ClassDef) -> None:
            self.stack.append("class:" + node.name.value)

        def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
            self.stack.pop()

    module.visit(Collect())
    return found


def enclosing_function(stack: list[str]) -> str:
    """The qualified name of the innermost function on ``stack`` (names of functions
    and ``class:Name`` entries, outermost first); "" when the innermost is a class."""
    if not stack or stack[-1].startswith("class:"):
        return ""
    parts: list[str] = []
    for entry in stack:
        if entry.startswith("class:"):
            parts.append(entry[len("class:") :])
        else:
            parts.extend([entry, "<locals>"])
    return ".".join(parts[:-1])


def uses_task_keyword(call: cst.Call) -> bool:
    arg = keyword(call, "task")
    return arg is not None and not is_false(arg.value) and not _is_none(arg.value)
