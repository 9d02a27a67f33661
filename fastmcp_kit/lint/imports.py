"""Simulate what Python does when a project's modules import each other, to find the
circular imports that really fail (a ``from X import name`` while X is only partly
executed and has not bound ``name`` yet), not the many harmless cycles of real code.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import PurePosixPath

import libcst as cst

from fastmcp_kit.lint.names import dotted_name

DONE = -2  # a module whose body has run to the end


@dataclass(frozen=True)
class FromImport:
    index: int  # position of the statement in the module body
    module: str  # absolute module name
    names: tuple[str, ...]
    where: object  # whatever the caller uses to report the statement


@dataclass
class ModuleSummary:
    """The module-level statements that matter, by their position in the body."""

    imports: list[FromImport] = field(default_factory=list)
    # name -> index of the first top-level statement that binds it
    bindings: dict[str, int] = field(default_factory=dict)


def imported(statement: cst.BaseSmallStatement) -> list[tuple[str, int, list[str]]]:
    """(module, relative level, names taken from it) for an import statement; plain
    ``import a.b`` takes no names but still runs the module."""
    if isinstance(statement, cst.Import):
        return [(dotted_name(alias.name) or "", 0, []) for alias in statement.names]
    if isinstance(statement, cst.ImportFrom) and not isinstance(statement.names, cst.ImportStar):
        module = dotted_name(statement.module) if statement.module is not None else ""
        names = [dotted_name(alias.name) or "" for alias in statement.names]
        return [(module or "", len(statement.relative), names)]
    return []


def imported_modules(
    importer: str, is_package: bool, imports: list[tuple[str, int, list[str]]], known: set[str]
) -> set[str]:
    """The project modules an importer's import statements load (``from pkg import
    sub`` loads ``pkg.sub`` when that is a module)."""
    loaded: set[str] = set()
    for module, level, names in imports:
        target = resolve(importer, is_package, module, level)
        loaded.add(target)
        loaded.update(f"{target}.{name}" for name in names if f"{target}.{name}" in known)
    return loaded


def module_name(path: str) -> str | None:
    """``src/pkg/server.py`` -> ``pkg.server``; ``pkg/__init__.py`` -> ``pkg``."""
    parts = list(PurePosixPath(path).with_suffix("").parts)
    if parts and parts[0] == "src":
        parts = parts[1:]
    if parts and parts[-1] == "__init__":
        parts = parts[:-1]
    if not parts or not all(part.isidentifier() for part in parts):
        return None
    return ".".join(parts)


def resolve(importer: str, is_package: bool, module: str, level: int) -> str:
    """The absolute name of ``from <level dots><module> import ...`` in ``importer``."""
    if level == 0:
        return module
    base = importer.split(".") if is_package else importer.split(".")[:-1]
    base = base[: len(base) - (level - 1)] if level > 1 else base
    return ".".join([*base, module] if module else base)


@dataclass(frozen=True)
class Failure:
    importer: str
    statement: FromImport
    name: str
    start: str


class _Run:
    """One simulated ``import start``: modules run statement by statement."""

    def __init__(self, modules: Mapping[str, ModuleSummary]) -> None:
        self.modules = modules
        self.position: dict[str, int] = {}

    def execute(self, name: str) -> Failure | None:
        if name not in self.modules or name in self.position:
            return None
        parent = name.rpartition(".")[0]
        if parent:
            failure = self.execute(parent)  # importing a.b runs a's __init__ first
            if failure or name in self.position:
                return failure
        self.position[name] = -1
        for statement in self.modules[name].imports:
            self.position[name] = statement.index
            failure = self._from_import(name, statement)
            if failure:
                return failure
        self.position[name] = DONE
        return None

    def _from_import(self, importer: str, statement: FromImport) -> Failure | None:
        target = statement.module
        if target in self.modules and target not in self.position:
            failure = self.execute(target)
            if failure:
                return failure
        for imported in statement.names:
            submodule = f"{target}.{imported}"
            if submodule in self.modules:
                failure = self.execute(submodule)  # `from pkg import sub` imports it
                if failure:
                    return failure
                continue
            at = self.position.get(target)
            if at is None or at == DONE:
                continue  # not ours, or fully run: any other error is not a cycle
            bound = self.modules[target].bindings.get(imported)
            if bound is None or bound >= at:
                return Failure(importer, statement, imported, "")
        return None


def circular_import_failures(modules: Mapping[str, ModuleSummary]) -> Iterator[Failure]:
    """Failures that happen whichever module of the cycle is imported first."""
    reported: set[tuple[str, int]] = set()
    for start in sorted(modules):
        failure = _Run(modules).execute(start)
        if failure is None:
            continue
        key = (failure.importer, failure.statement.index)
        if key in reported:
            continue
        cycle = {failure.importer, failure.statement.module}
        if all(_Run(modules).execute(member) is not None for member in cycle):
            reported.add(key)
            yield Failure(failure.importer, failure.statement, failure.name, start)
