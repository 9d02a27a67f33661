"""The codemod base classes and the data a codemod works with.

A Python codemod is a libcst :class:`~libcst.codemod.ContextAwareTransformer`. All
codemods of a run share one :class:`~libcst.codemod.CodemodContext` per file, so the
imports they queue (``add_import`` / ``remove_import_if_unused``, i.e. libcst's
``AddImportsVisitor`` and ``RemoveImportsVisitor``) are applied once per file, after the
last codemod of the last step (see :mod:`fastmcp_kit.upgrade.runner`).

A finding (something a human must decide) is anchored to the statement that holds the
reported node by a marker comment in the tree; the runner turns the markers into line
numbers of the rewritten file (or into ``# TODO(fkit): ...`` comments) at the end, so
findings survive every later rewrite of the file.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, Literal, cast

import libcst as cst
from libcst.codemod import CodemodContext, ContextAwareTransformer
from libcst.codemod.visitors import AddImportsVisitor, RemoveImportsVisitor
from libcst.metadata import BaseMetadataProvider, ParentNodeProvider
from packaging.version import Version

from fastmcp_kit.lint.names import ModuleNames, analyze
from fastmcp_kit.lint.violation import Severity
from fastmcp_kit.upgrade.function_uses import FunctionUses

StepName = Literal["2.14", "3", "4"]
Kind = Literal["rewrite", "partial", "report"]

GUIDE_2_14 = "https://gofastmcp.com/v2/development/upgrade-guide"
GUIDE_3 = "https://gofastmcp.com/getting-started/upgrading/from-fastmcp-2"
GUIDE_4 = "https://gofastmcp.com/getting-started/upgrading/from-fastmcp-3"

DOC_HEADINGS = ("What it does", "Why", "Safety")
"""Headings every codemod docstring carries (checked by the tests)."""

_FINDINGS_KEY = "fkit.findings"
_COUNTS_KEY = "fkit.rewrites"
MARKER_PREFIX = "# fkit-upgrade-finding:"
_MARKER = re.compile(r"^[ \t]*# fkit-upgrade-finding:(\d+)[ \t]*\r?\n?$")


@dataclass(frozen=True)
class Example:
    """A BEFORE/AFTER pair the test suite runs through the codemod alone.

    ``after`` None means the code is left unchanged (report-only examples);
    ``findings`` are substrings that the reported messages must contain, in order.
    ``files`` are other project files (``.env``, ``pyproject.toml``) the codemod reads;
    ``from_version`` is the FastMCP version the project is upgraded from.
    """

    slug: str
    before: str
    after: str | None = None
    findings: tuple[str, ...] = ()
    files: Mapping[str, str] = field(default_factory=dict)
    filename: str = "server.py"
    from_version: str | None = None
    to: StepName = "4"

    @property
    def source(self) -> str:
        return textwrap.dedent(self.before).lstrip("\n")

    @property
    def expected(self) -> str:
        return self.source if self.after is None else textwrap.dedent(self.after).lstrip("\n")


@dataclass(frozen=True)
class Finding:
    """Something the upgrade could not (or should not) decide for the user."""

    codemod: str
    message: str
    severity: Severity
    link: str
    row: int = 1
    column: int = 1

    def todo(self) -> str:
        return f"# TODO(fkit): {self.message} [{self.codemod}; {self.link}]"


@dataclass(frozen=True)
class UpgradeFacts:
    """What codemods may know about the project beyond the file they rewrite."""

    root: Path = Path(".")
    from_version: Version = field(default_factory=lambda: Version("2.13.3"))
    # Dotted module name of the file being rewritten ("pkg.server"), if it has one.
    module_name: str | None = None
    # Environment variable names set in the project's env files, Dockerfiles, compose.
    env_names: frozenset[str] = frozenset()
    # "module.variable" of servers that get task-enabled components in any file.
    task_servers: frozenset[str] = frozenset()
    # The last step of the plan: a report that a later step resolves is left out.
    final_step: StepName = "4"
    # Where the project uses its sync functions that touch Context state.
    function_uses: FunctionUses = field(default_factory=FunctionUses)


class Codemod(ContextAwareTransformer):
    """One codemod: a transformer plus everything about it (id, docs, examples).

    The class docstring is the user documentation, with the sections of
    :data:`DOC_HEADINGS`. Subclasses set the class attributes below and implement libcst
    ``visit_*`` / ``leave_*`` methods; ``self.names`` resolves imports of the module
    being rewritten (imports queued by earlier codemods included).
    """

    ID: ClassVar[str]
    TITLE: ClassVar[str]
    KIND: ClassVar[Kind]
    # Rows of the fact sheet's section 3 ("i.1", "ii.24", "iii.18") this codemod covers.
    ROWS: ClassVar[tuple[str, ...]]
    LINK: ClassVar[str]
    EXAMPLES: ClassVar[tuple[Example, ...]]
    # Substrings of which at least one must occur in a module for the codemod to run.
    TRIGGERS: ClassVar[tuple[str, ...]] = ()
    # Runs only when asked for (`--with ID` or `--only ID`): a rewrite that is equivalent
    # only if nothing else (tests, mocks) depends on the old shape.
    OPT_IN: ClassVar[bool] = False

    METADATA_DEPENDENCIES: ClassVar[tuple[type[BaseMetadataProvider[Any]], ...]] = (
        ParentNodeProvider,
    )

    @classmethod
    def wanted(cls, code: str, facts: UpgradeFacts) -> bool:
        """A cheap text check before parsing metadata: can this module need the codemod?"""
        return not cls.TRIGGERS or any(trigger in code for trigger in cls.TRIGGERS)

    def __init__(self, context: CodemodContext, facts: UpgradeFacts) -> None:
        super().__init__(context)
        self.facts = facts
        self._names: ModuleNames | None = None
        self._pending: dict[int, list[int]] = {}
        self._after: dict[int, list[cst.BaseStatement]] = {}

    # -- what subclasses use -------------------------------------------------------------

    @property
    def names(self) -> ModuleNames:
        assert self._names is not None, "names are resolved in visit_Module"
        return self._names

    def visit_Module(self, node: cst.Module) -> bool:
        self._names = analyze(node)
        for item in self.context.scratch.get(AddImportsVisitor.CONTEXT_KEY, []):
            if item.obj_name is None:
                # `import a.b` binds `a` (the package); `import a.b as x` binds `x` to a.b.
                head = item.module_name.split(".")[0]
                local, target = (item.alias, item.module_name) if item.alias else (head, head)
                self._names.aliases.setdefault(local, target)
            else:
                local = item.alias or item.obj_name
                self._names.aliases[local] = f"{item.module_name}.{item.obj_name}"
        return True

    def report(
        self, node: cst.CSTNode, message: str, severity: Severity = Severity.WARNING
    ) -> None:
        """Report ``node`` (anchored to its enclosing statement) with this codemod's link."""
        findings: list[Finding] = self.context.scratch.setdefault(_FINDINGS_KEY, [])
        findings.append(Finding(self.ID, message, severity, self.LINK))
        statement = self._statement_of(node)
        if statement is not None:
            self._pending.setdefault(id(statement), []).append(len(findings) - 1)

    def rewrote(self, count: int = 1) -> None:
        """Count a rewrite (shown in the summary)."""
        counts: dict[str, int] = self.context.scratch.setdefault(_COUNTS_KEY, {})
        counts[self.ID] = counts.get(self.ID, 0) + count

    def add_import(self, module: str, name: str | None = None, asname: str | None = None) -> None:
        AddImportsVisitor.add_needed_import(self.context, module, name, asname)

    def remove_import_if_unused(
        self, module: str, name: str | None = None, asname: str | None = None
    ) -> None:
        RemoveImportsVisitor.remove_unused_import(self.context, module, name, asname)

    def forget_name(self, qualified: str) -> None:
        """Queue the removal of the import that binds ``qualified`` if it becomes unused."""
        for local, target in self.names.aliases.items():
            if target != qualified:
                continue
            module, _, name = qualified.rpartition(".")
            asname = local if local != name else None
            if module:
                self.remove_import_if_unused(module, name, asname)

    def insert_after(self, node: cst.CSTNode, statements: list[cst.BaseStatement]) -> bool:
        """Insert statements after the statement holding ``node`` (False if none)."""
        statement = self._statement_of(node)
        if statement is None:
            return False
        self._after.setdefault(id(statement), []).extend(statements)
        return True

    # -- markers -------------------------------------------------------------------------

    def _statement_of(self, node: cst.CSTNode) -> cst.CSTNode | None:
        current: cst.CSTNode | None = node
        while current is not None:
            if isinstance(current, (cst.SimpleStatementLine, cst.BaseCompoundStatement)):
                return current
            try:
                current = self.get_metadata(ParentNodeProvider, current)
            except KeyError:
                return None
        return None

    def on_leave(self, original_node: cst.CSTNode, updated_node: cst.CSTNode) -> Any:
        result = super().on_leave(original_node, updated_node)
        pending = self._pending.pop(id(original_node), None)
        if pending:
            result = _with_markers(result, pending)
        after = self._after.pop(id(original_node), None)
        if after:
            if isinstance(result, cst.FlattenSentinel):
                return cst.FlattenSentinel([*result.nodes, *after])
            if isinstance(result, cst.RemovalSentinel):
                return cst.FlattenSentinel(after)
            return cst.FlattenSentinel([result, *after])
        return result


def _with_markers(node: Any, indexes: list[int]) -> Any:
    lines = [cst.EmptyLine(comment=cst.Comment(f"{MARKER_PREFIX}{index}")) for index in indexes]
    if isinstance(node, cst.FlattenSentinel):
        nodes = list(node.nodes)
        if nodes:
            nodes[0] = _with_markers(nodes[0], indexes)
        return cst.FlattenSentinel(nodes)
    if isinstance(node, (cst.SimpleStatementLine, cst.BaseCompoundStatement)):
        return node.with_changes(leading_lines=[*node.leading_lines, *lines])
    return node  # removed: the finding keeps no position


# -- the shared context ---------------------------------------------------------------


def findings_of(context: CodemodContext) -> list[Finding]:
    return cast(list[Finding], context.scratch.get(_FINDINGS_KEY, []))


def rewrites_of(context: CodemodContext) -> dict[str, int]:
    return cast(dict[str, int], context.scratch.get(_COUNTS_KEY, {}))


def extract_markers(
    code: str, findings: list[Finding], add_todos: bool
) -> tuple[str, list[Finding]]:
    """Remove the marker comments from ``code``; give each finding the line of the
    statement it marked (in the returned code). With ``add_todos`` the markers become
    ``# TODO(fkit): ...`` comments (unless the same comment is already there)."""
    out: list[str] = []
    located: list[Finding] = []
    waiting: list[tuple[int, str]] = []  # (finding index, indentation) above this line
    seen: set[int] = set()
    for line in code.splitlines(keepends=True):
        match = _MARKER.match(line)
        if match:
            indent = line[: len(line) - len(line.lstrip(" \t"))]
            waiting.append((int(match.group(1)), indent))
            continue
        if waiting:
            newline = "\r\n" if line.endswith("\r\n") else "\n"
            above = _comments_above(out)
            for index, indent in waiting:
                finding = findings[index]
                seen.add(index)
                if add_todos and finding.todo() not in above:
                    out.append(f"{indent}{finding.todo()}{newline}")
                    above.add(finding.todo())
            row = len(out) + 1  # the statement's line, below any TODO comments
            located.extend(_at(findings[i], row, len(indent) + 1) for i, indent in waiting)
            waiting = []
        out.append(line)
    for index, _ in waiting:  # markers at the very end: keep the finding, no line
        seen.add(index)
        located.append(_at(findings[index], max(1, len(out)), 1))
    located.extend(f for i, f in enumerate(findings) if i not in seen)
    return "".join(out), located


def _comments_above(lines: list[str]) -> set[str]:
    found: set[str] = set()
    for line in reversed(lines):
        stripped = line.strip()
        if not stripped.startswith("#"):
            break
        found.add(stripped)
    return found


def _at(finding: Finding, row: int, column: int) -> Finding:
    return Finding(finding.codemod, finding.message, finding.severity, finding.link, row, column)


# -- text codemods (env files, Dockerfiles, docs, scripts) -------------------------------


@dataclass(frozen=True)
class TextResult:
    text: str
    findings: list[Finding]
    rewrites: int = 0


class TextCodemod:
    """A codemod over a non-Python file: line-based, reviewed by its examples like a
    Python codemod (``Example.filename`` names the file)."""

    ID: ClassVar[str]
    TITLE: ClassVar[str]
    KIND: ClassVar[Kind]
    ROWS: ClassVar[tuple[str, ...]]
    LINK: ClassVar[str]
    EXAMPLES: ClassVar[tuple[Example, ...]]
    PATTERNS: ClassVar[tuple[str, ...]]  # fnmatch patterns of file names
    OPT_IN: ClassVar[bool] = False

    def __init__(self, facts: UpgradeFacts) -> None:
        self.facts = facts
        self.findings: list[Finding] = []
        self.rewrites = 0

    @classmethod
    def matches_file(cls, name: str) -> bool:
        import fnmatch

        return any(fnmatch.fnmatch(name, pattern) for pattern in cls.PATTERNS)

    def report(
        self, row: int, column: int, message: str, severity: Severity = Severity.WARNING
    ) -> None:
        self.findings.append(Finding(self.ID, message, severity, self.LINK, row, column))

    def transform(self, text: str, path: Path) -> str:
        raise NotImplementedError

    def run(self, text: str, path: Path) -> TextResult:
        result = self.transform(text, path)
        return TextResult(result, self.findings, self.rewrites)


def split_lines(text: str) -> Iterator[tuple[int, str, str]]:
    """(1-based row, line without its newline, the newline) for every line."""
    for row, line in enumerate(text.splitlines(keepends=True), start=1):
        body = line.rstrip("\r\n")
        yield row, body, line[len(body) :]


AnyCodemod = type[Codemod] | type[TextCodemod]
