"""Which of a project's files an import statement may load, judged by paths.

Dotted module names from the project root miss most real layouts: a script run as
``python servers/weather/main.py`` imports its neighbour as ``tools.forecast``, a
monorepo package under ``packages/foo/src/`` as ``foo.x``. Python finds those through
``sys.path`` entries (the script's folder, an installed ``src/``), so an absolute import
is matched here against the importer's own folder and every folder above it, plus
``src/``. This is a superset of what Python loads: the answers only ever silence
findings about modules that nothing imports.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from pathlib import PurePosixPath

# Packages that are never a project's own: their imports are not worth recording.
NOT_PROJECT = frozenset({*sys.stdlib_module_names, "fastmcp", "mcp", "__future__"})


def worth_recording(module: str, level: int, local_modules: Iterable[str]) -> bool:
    """Whether an import may load a project file (relative, or not stdlib/fastmcp)."""
    top = module.partition(".")[0]
    return bool(level) or top not in NOT_PROJECT or top in local_modules


def _bases(importer: PurePosixPath, level: int) -> list[PurePosixPath]:
    folder = importer.parent
    if level:
        for _ in range(level - 1):
            if folder == PurePosixPath("."):
                return []
            folder = folder.parent
        return [folder]
    # The importer's folder and each folder above it, then src/ at the root.
    found = [folder, *folder.parents]
    return [*found, PurePosixPath("src")]


def _module_files(base: PurePosixPath, dotted: str) -> tuple[str, str]:
    path = base.joinpath(*dotted.split(".")) if dotted else base
    return f"{path}.py", f"{path}/__init__.py"


def loaded_files(
    importer: str, module: str, level: int, names: Sequence[str], files: set[str]
) -> set[str]:
    """The files of ``files`` (posix paths relative to the project root) that
    ``from <level dots><module> import <names>`` (or ``import module`` when ``names`` is
    empty) in ``importer`` may load: the module, its parent packages' ``__init__``,
    and ``from pkg import sub`` submodules."""
    loaded: set[str] = set()
    parts = module.split(".") if module else []
    for base in _bases(PurePosixPath(importer), level):
        for depth in range(len(parts) + 1):
            loaded.update(f for f in _module_files(base, ".".join(parts[:depth])) if f in files)
        for name in names:
            dotted = ".".join([*parts, name])
            loaded.update(f for f in _module_files(base, dotted) if f in files)
    return loaded
