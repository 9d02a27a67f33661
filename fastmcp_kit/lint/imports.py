"""Simulate what Python does when a project's modules import each other, to find the
circular imports that really fail (a ``from X import name`` while X is only partly
executed and has not bound ``name`` yet), not the many harmless cycles of real code.

Modules are files (posix paths relative to the project root). An import is resolved
the way ``sys.path`` finds it in real layouts (:func:`resolve_import`), and importing a
module first runs the ``__init__.py`` of each package above it, as Python does: the
package's own imports often decide the order in which a cycle runs.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import PurePosixPath

DONE = -2  # a module whose body has run to the end
_ROOT = PurePosixPath(".")


@dataclass(frozen=True)
class Resolved:
    """Where an import statement's module is in the project."""

    runs: str | None  # the deepest file of the dotted path found (Python runs it)
    target: str | None  # the file of the whole module, whose names are taken
    folder: str | None  # the package folder (or namespace) where submodules are found


@dataclass(frozen=True)
class FromImport:
    index: int  # position of the statement in the module body
    module: str  # dotted name, for messages
    names: tuple[str, ...]  # names taken from the module (() for `import a.b`)
    where: object  # whatever the caller uses to report the statement
    resolved: Resolved = Resolved(None, None, None)


@dataclass
class ModuleSummary:
    """The module-level statements that matter, by their position in the body."""

    imports: list[FromImport] = field(default_factory=list)
    # name -> index of the first top-level statement that binds it
    bindings: dict[str, int] = field(default_factory=dict)


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


class Layout:
    """The project's Python files and how imports find them."""

    def __init__(self, files: Sequence[str]) -> None:
        self.files = frozenset(files)
        self.folders = {str(folder) for file in files for folder in PurePosixPath(file).parents}

    def is_package(self, folder: PurePosixPath) -> bool:
        return folder != _ROOT and f"{folder}/__init__.py" in self.files

    def package_root(self, path: str) -> PurePosixPath:
        """The folder above the outermost package holding ``path`` (its sys.path entry)."""
        folder = PurePosixPath(path).parent
        while self.is_package(folder):
            folder = folder.parent
        return folder

    def dotted(self, path: str) -> str:
        """The module's name as imported from its package root."""
        relative = PurePosixPath(path).relative_to(self.package_root(path)).with_suffix("")
        parts = relative.parts[:-1] if relative.name == "__init__" else relative.parts
        return ".".join(parts)

    def parent(self, path: str) -> str | None:
        """The ``__init__.py`` Python runs before this module, if any."""
        pure = PurePosixPath(path)
        folder = pure.parent.parent if pure.name == "__init__.py" else pure.parent
        return f"{folder}/__init__.py" if self.is_package(folder) else None

    def find(self, base: PurePosixPath, dotted: str) -> str | None:
        """``base/a/b.py`` or ``base/a/b/__init__.py`` for ``a.b`` (``""``: base's own)."""
        path = base.joinpath(*dotted.split(".")) if dotted else base
        candidates = (f"{path}.py", f"{path}/__init__.py") if dotted else (f"{path}/__init__.py",)
        return next((found for found in candidates if found in self.files), None)

    def resolve_import(self, importer: str, module: str, level: int) -> Resolved:
        """Where ``module`` (after ``level`` dots) is, imported from ``importer``.

        Absolute imports are looked up from the importer's package root (a script's
        folder), the project root, then ``src/``: the first holding the first
        component wins. Namespace packages (folders without ``__init__.py``) count."""
        parts = module.split(".") if module else []
        if level:
            base = PurePosixPath(importer).parent
            for _ in range(level - 1):
                base = base.parent
            bases = [base]
        else:
            roots = [self.package_root(importer), _ROOT, PurePosixPath("src")]
            bases = [
                base
                for base in dict.fromkeys(roots)
                if parts
                and (self.find(base, parts[0]) or str(base.joinpath(parts[0])) in self.folders)
            ][:1]
        for base in bases:
            runs = self.find(base, "") if not parts else None
            here, whole = base, True
            for depth in range(1, len(parts) + 1):
                here = here.joinpath(parts[depth - 1])
                step = self.find(base, ".".join(parts[:depth]))
                if step is None and str(here) not in self.folders:
                    whole = False
                    break
                runs = step or runs
            target = (self.find(base, module) if parts else runs) if whole else None
            folder = str(here) if whole and (here == _ROOT or str(here) in self.folders) else None
            return Resolved(runs, target, folder)
        return Resolved(None, None, None)


@dataclass(frozen=True)
class Failure:
    importer: str
    statement: FromImport
    name: str
    cycle: tuple[str, ...]  # the modules running, from the statement's target to the importer


class _Run:
    """One simulated ``import start``: modules run statement by statement."""

    def __init__(self, modules: Mapping[str, ModuleSummary], layout: Layout) -> None:
        self.modules = modules
        self.layout = layout
        self.position: dict[str, int] = {}
        self.running: list[str] = []

    def execute(self, path: str) -> Failure | None:
        if path not in self.modules or path in self.position:
            return None
        parent = self.layout.parent(path)
        if parent is not None:
            failure = self.execute(parent)  # importing a.b runs a's __init__ first
            if failure or path in self.position:
                return failure
        self.position[path] = -1
        self.running.append(path)
        for statement in self.modules[path].imports:
            self.position[path] = statement.index
            failure = self._from_import(path, statement)
            if failure:
                return failure
        self.position[path] = DONE
        self.running.pop()
        return None

    def _from_import(self, importer: str, statement: FromImport) -> Failure | None:
        resolved = statement.resolved
        if resolved.runs is not None:
            failure = self.execute(resolved.runs)
            if failure:
                return failure
        for imported in statement.names:
            folder = resolved.folder
            submodule = (
                None if folder is None else self.layout.find(PurePosixPath(folder), imported)
            )
            if submodule is not None:
                failure = self.execute(submodule)  # `from pkg import sub` imports it
                if failure:
                    return failure
                continue
            target = resolved.target
            at = None if target is None else self.position.get(target)
            if target is None or at is None or at == DONE:
                continue  # not ours, or fully run: any other error is not a cycle
            bound = _first_binding(self.modules[target].bindings, imported)
            if bound is None or bound >= at:
                cycle = tuple(self.running[self.running.index(target) :])
                return Failure(importer, statement, imported, cycle)
        return None


def _first_binding(bindings: Mapping[str, int], name: str) -> int | None:
    """The first statement that binds ``name`` or may: a star import (recorded as
    ``*``) or a module ``__getattr__`` (PEP 562) provides names no statement shows."""
    found = [bindings[key] for key in (name, "*", "__getattr__") if key in bindings]
    return min(found, default=None)


def circular_import_failures(
    modules: Mapping[str, ModuleSummary], layout: Layout
) -> Iterator[Failure]:
    """Failures that happen whichever module of the cycle is imported first (each
    import running the ``__init__.py`` of the packages above the module first)."""
    reported: set[tuple[str, int]] = set()
    for start in sorted(modules):
        failure = _Run(modules, layout).execute(start)
        if failure is None:
            continue
        key = (failure.importer, failure.statement.index)
        if key in reported:
            continue
        if all(_Run(modules, layout).execute(member) is not None for member in failure.cycle):
            reported.add(key)
            yield failure
