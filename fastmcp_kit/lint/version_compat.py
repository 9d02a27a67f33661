"""Code written to fail, or to cope with several FastMCP versions, which version-aware
rules (FMCP308, FMCP309) must not report: imports under ``try: ... except ImportError``
(unless no branch imports, see :class:`FallbackChains`), ``if`` blocks that test a
version, and ``with pytest.raises(...)`` bodies."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

import libcst as cst

from fastmcp_kit.lint.names import dotted_name
from fastmcp_kit.lint.walk import walk

# `except` types that make an import a deliberate probe (version-compatibility code).
IMPORT_ERRORS = frozenset({"ImportError", "ModuleNotFoundError", "Exception", "BaseException"})


def catches_import_errors(handler: cst.ExceptHandler) -> bool:
    """Does ``except`` catch a failed import (bare, ImportError, Exception, ...)?"""
    if handler.type is None:
        return True
    types: Iterable[cst.BaseExpression] = (
        [element.value for element in handler.type.elements]
        if isinstance(handler.type, cst.Tuple)
        else [handler.type]
    )
    return any((dotted_name(t) or "").rpartition(".")[2] in IMPORT_ERRORS for t in types)


class _VersionFinder(cst.CSTVisitor):
    # One class for every call: `walk` inspects a visitor's class once (cached per
    # class), which cost more than the walk itself for a class made per call.
    def __init__(self) -> None:
        super().__init__()
        self.found = False

    def visit_Name(self, name: cst.Name) -> None:
        if "version" in name.value.lower():
            self.found = True

    def visit_SimpleString(self, string: cst.SimpleString) -> None:
        if "fastmcp" in string.value:
            self.found = True


def mentions_version(node: cst.CSTNode) -> bool:
    """Does an ``if`` test look at a version (``FASTMCP_VERSION >= ...``,
    ``fastmcp.__version__``, ``version("fastmcp")``)?"""
    finder = _VersionFinder()
    walk(node, finder)
    return finder.found


def expects_an_error(node: cst.With) -> bool:
    """``with pytest.raises(...)`` / ``self.assertRaises(...)``: code meant to fail."""
    for item in node.items:
        call = item.item
        if isinstance(call, cst.Call):
            name = (dotted_name(call.func) or "").rpartition(".")[2]
            if name in ("raises", "assertRaises", "assertRaisesRegex"):
                return True
    return False


class _Imports(cst.CSTVisitor):
    """The import statements inside a block."""

    def __init__(self) -> None:
        self.found: set[int] = set()

    def visit_Import(self, node: cst.Import) -> None:
        self.found.add(id(node))

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        self.found.add(id(node))


def imports_in(nodes: Iterable[cst.CSTNode]) -> set[int]:
    """The ids of the import statements inside the given nodes."""
    collector = _Imports()
    for node in nodes:
        walk(node, collector)
    return collector.found


ImportNode = cst.Import | cst.ImportFrom


class FallbackChains:
    """``try: <import> except ImportError: <fallback>`` chains, judged by whether some
    branch imports: code that copes with several versions is fine as long as one of
    its branches works in the target; when none does, the start-up crashes.

    ``fails`` says whether one import statement fails in the target version (imports
    of other packages never do, as far as this knows)."""

    def __init__(self, fails: Callable[[ImportNode], bool]) -> None:
        self.fails = fails
        self._verdicts: dict[int, bool] = {}

    def succeeds(self, node: cst.Try) -> bool:
        """Does the body, or one ``except`` branch catching import errors, import?"""
        verdict = self._verdicts.get(id(node))
        if verdict is None:
            if self._runs(node.body.body):
                # `else:` runs after a body that worked; its errors are not caught.
                verdict = node.orelse is None or self._runs(node.orelse.body.body)
            else:
                verdict = any(
                    catches_import_errors(handler) and self._runs(handler.body.body)
                    for handler in node.handlers
                )
            self._verdicts[id(node)] = verdict
        return verdict

    def _runs(
        self, statements: Sequence[cst.BaseStatement] | Sequence[cst.BaseSmallStatement]
    ) -> bool:
        """Does a branch run to its end: no failing import, no ``raise``/``sys.exit``?
        Blocks under ``if``/``for``/``with``/functions may not run and are not judged."""
        for statement in statements:
            if isinstance(statement, cst.BaseSmallStatement):  # `try: import x` on one line
                if self._stops(statement):
                    return False
            elif isinstance(statement, cst.SimpleStatementLine):
                if any(self._stops(small) for small in statement.body):
                    return False
            elif isinstance(statement, cst.Try):
                if any(catches_import_errors(handler) for handler in statement.handlers):
                    if not self.succeeds(statement):
                        return False
                elif not self._runs(statement.body.body):
                    return False
        return True

    def _stops(self, small: cst.BaseSmallStatement) -> bool:
        if isinstance(small, (cst.Import, cst.ImportFrom)):
            return self.fails(small)
        if isinstance(small, cst.Raise):
            return True
        if isinstance(small, cst.Expr) and isinstance(small.value, cst.Call):
            return (dotted_name(small.value.func) or "") in EXITS
        return False


# Calls that end the program as surely as a failed import.
EXITS = frozenset({"sys.exit", "exit", "quit", "os._exit"})
