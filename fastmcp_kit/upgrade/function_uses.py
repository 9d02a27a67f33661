"""Where the project uses the sync functions that touch Context state.

3.0 made ``ctx.get_state``/``ctx.set_state`` coroutines. A sync component function
calling them can become ``async def`` only if nothing calls it as a plain function:
FastMCP awaits a component whatever it is, a direct caller would get a coroutine. This
pre-pass (run over every Python file before the codemods) finds, for each sync function
with such a call, every place in the project that names it other than its ``def`` and
its registration (``Tool.from_function(f)``, ``mcp.add_tool(f)``, ``mcp.tool(f)``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

import libcst as cst
from libcst.metadata import MetadataWrapper, ParentNodeProvider, PositionProvider

STATE_METHODS = frozenset({"get_state", "set_state"})
# Calls whose first positional argument registers a function as a component.
REGISTRATIONS = frozenset(
    {"from_function", "add_tool", "add_prompt", "tool", "prompt", "add_resource_fn"}
)
_MAX_PLACES = 5


@dataclass(frozen=True)
class FunctionUses:
    """Per function name: the places (``path:line``) that use it besides its ``def``
    and its registration, and whether the project registers it as a component."""

    uses: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    registered: frozenset[str] = frozenset()

    def places(self, name: str) -> str:
        found = self.uses.get(name, ())
        shown = ", ".join(found[:_MAX_PLACES])
        more = len(found) - _MAX_PLACES
        return shown + (f" and {more} more" if more > 0 else "")


def sync_state_functions(module: cst.Module) -> set[str]:
    """Names of sync functions with a ``<x>.get_state(...)``/``set_state(...)`` call of
    their own (not in a nested function): a cheap over-approximation, the codemod
    decides what a Context is."""
    found: set[str] = set()

    class Collect(cst.CSTVisitor):
        def __init__(self) -> None:
            super().__init__()
            self.stack: list[cst.FunctionDef] = []

        def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
            self.stack.append(node)

        def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
            self.stack.pop()

        def visit_Call(self, node: cst.Call) -> None:
            func = node.func
            if (
                self.stack
                and self.stack[-1].asynchronous is None
                and isinstance(func, cst.Attribute)
                and func.attr.value in STATE_METHODS
            ):
                found.add(self.stack[-1].name.value)

    module.visit(Collect())
    return found


def function_uses(files: Mapping[str, str]) -> FunctionUses:
    """``files``: Python sources by path relative to the project root."""
    parsed: dict[str, cst.Module] = {}
    candidates: set[str] = set()
    for path, code in files.items():
        if not any(method in code for method in STATE_METHODS):
            continue
        module = _parse(code)
        if module is not None:
            parsed[path] = module
            candidates |= sync_state_functions(module)
    if not candidates:
        return FunctionUses()
    word = re.compile(r"\b(?:" + "|".join(re.escape(n) for n in sorted(candidates)) + r")\b")
    uses: dict[str, list[str]] = {}
    registered: set[str] = set()
    for path, code in sorted(files.items()):
        if not word.search(code):
            continue
        module = parsed.get(path) or _parse(code)
        if module is None:
            continue
        collector = _Uses(candidates, path)
        MetadataWrapper(module, unsafe_skip_copy=True).visit(collector)
        for name, places in collector.uses.items():
            uses.setdefault(name, []).extend(places)
        registered |= collector.registered
    return FunctionUses({k: tuple(v) for k, v in uses.items()}, frozenset(registered))


def _parse(code: str) -> cst.Module | None:
    try:
        return cst.parse_module(code)
    except cst.ParserSyntaxError:
        return None


class _Uses(cst.CSTVisitor):
    METADATA_DEPENDENCIES = (ParentNodeProvider, PositionProvider)

    def __init__(self, names: set[str], path: str) -> None:
        super().__init__()
        self.names = names
        self.path = path
        self.uses: dict[str, list[str]] = {}
        self.registered: set[str] = set()

    def visit_Name(self, node: cst.Name) -> None:
        if node.value not in self.names:
            return
        parent = self.get_metadata(ParentNodeProvider, node)
        if isinstance(parent, (cst.FunctionDef, cst.Param)) and parent.name is node:
            return  # its own def, or a parameter that happens to share the name
        if isinstance(parent, cst.Arg) and parent.keyword is node:
            return  # f(name=...): a keyword, not the function
        if isinstance(parent, cst.Arg) and self._registration(parent):
            self.registered.add(node.value)
            return
        line = self.get_metadata(PositionProvider, node).start.line
        self.uses.setdefault(node.value, []).append(f"{self.path}:{line}")

    def _registration(self, arg: cst.Arg) -> bool:
        call = self.get_metadata(ParentNodeProvider, arg)
        return (
            isinstance(call, cst.Call)
            and arg.keyword is None
            and bool(call.args)
            and call.args[0] is arg
            and isinstance(call.func, cst.Attribute)
            and call.func.attr.value in REGISTRATIONS
        )
