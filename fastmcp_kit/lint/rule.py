"""The rule base class: one subclass per module in ``rules/``, carrying everything
about the rule (code, docs, examples, versions, options) in one place.

Rules are libcst batchable visitors, so all enabled rules share one traversal of a
parsed module. A rule reports a node with :meth:`Rule.report`; a fix is a set of
syntax-tree replacements plus imports to add, which the engine turns both into
text edits (for reporters) and into rewritten code (for ``--fix``).
"""

from __future__ import annotations

import ast
import dataclasses
import fnmatch
import functools
import inspect
import re
import textwrap
import traceback
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Literal

import libcst as cst
from packaging.specifiers import SpecifierSet
from packaging.version import Version

from fastmcp_kit.lint.applicability import applies
from fastmcp_kit.lint.violation import Applicability, Fact, Location, Severity

if TYPE_CHECKING:
    from fastmcp_kit.lint.names import ModuleNames

DOC_HEADINGS = ("What it does", "Why is this bad?", "Fix safety")
"""Headings every rule docstring carries; Example / Use instead come from the examples."""


@dataclass(frozen=True)
class ImportSpec:
    """``from module import name as asname``, or ``import module`` when name is None."""

    module: str
    name: str | None = None
    asname: str | None = None


@dataclass(frozen=True)
class Fix:
    """A fix a rule offers: tree replacements (by node identity) plus imports to add."""

    message: str
    applicability: Applicability = Applicability.SAFE
    replacements: tuple[tuple[cst.CSTNode, cst.CSTNode | cst.RemovalSentinel], ...] = ()
    add_imports: tuple[ImportSpec, ...] = ()


@dataclass(frozen=True)
class Report:
    """A finding as a rule makes it, before the engine knows line numbers."""

    node: cst.CSTNode
    message: str
    fix: Fix | None


@dataclass(frozen=True)
class Valid:
    """Code the rule must not flag. ``files`` adds project files (e.g. fastmcp.json)."""

    slug: str
    code: str
    filename: str = "server.py"
    fastmcp_version: str | None = None
    files: Mapping[str, str] = field(default_factory=dict)
    # Set: lint as an SDK-only project (no standalone fastmcp) running this `mcp`.
    mcp_version: str | None = None

    @property
    def source(self) -> str:
        return textwrap.dedent(self.code).lstrip("\n")


@dataclass(frozen=True)
class Invalid(Valid):
    """Code the rule must flag ``count`` times; ``fixed`` is the code after every fix
    (unsafe ones included) or None when the rule offers no fix for it; ``says``, text
    each message must contain."""

    count: int = 1
    fixed: str | None = None
    # Text every finding's message must contain: advice that has to be right.
    says: str | None = None

    @property
    def fixed_source(self) -> str | None:
        return None if self.fixed is None else textwrap.dedent(self.fixed).lstrip("\n")


@dataclass(frozen=True)
class ProjectInfo:
    """What rules may know about the project beyond the file being linted."""

    root: Path
    # "file.py:object" entrypoints named in fastmcp.json, Dockerfiles, READMEs, ...
    entrypoints: frozenset[str] = frozenset()
    # Top-level module and package names the project itself provides (root and src/).
    local_modules: frozenset[str] = frozenset()
    # ``[project] requires-python`` (None: not declared, so the interpreter is unknown).
    requires_python: str | None = None


@dataclass
class RuleContext:
    """Everything a rule instance sees about the file it lints."""

    path: Path
    names: ModuleNames
    target: Version
    project: ProjectInfo
    options: Any = None


FILE_START = Location(1, 1)


@dataclass(frozen=True)
class ProjectFinding:
    """A project-wide finding: the file (relative to the project root) and where."""

    path: str
    message: str
    location: Location = FILE_START
    end_location: Location = FILE_START


@dataclass(frozen=True)
class ProjectContext:
    root: Path
    target: Version
    options: Any = None


@dataclass(frozen=True)
class TextReport:
    """A finding in a non-Python file: a span on one row, optionally its replacement."""

    row: int
    column: int
    end_column: int
    message: str
    replacement: str | None = None
    fix_message: str = ""
    applicability: Applicability = Applicability.SAFE


FixAvailability = Literal["always", "sometimes", "never"]


def _kebab(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "-", name).lower()


class BaseRule:
    """What every rule declares: code, docs, examples, versions, options.

    Concrete rules derive from :class:`Rule` (Python source, a libcst visitor) or
    :class:`TextRule` (other files: .env, Dockerfiles, fastmcp.json, ...).
    """

    code: ClassVar[str]
    severity: ClassVar[Severity]
    message: ClassVar[str]
    fix_title: ClassVar[str | None] = None
    documented_errors: ClassVar[tuple[int, ...]] = ()
    # Cases of bench/recall/cases (their numbers, "039") whose `# MISTAKE` line the rule
    # reports on the case's release, with no finding on the near miss; a test lints
    # each claim, and docs/reported-mistakes.md is generated from them.
    reported_mistakes: ClassVar[tuple[str, ...]] = ()
    # A PEP 440 specifier of the FastMCP releases the rule applies to; "" = all.
    fastmcp_versions: ClassVar[str] = ""
    # A specifier of MCP SDK (`mcp`) releases: set for rules about the SDK's own API,
    # which are judged by the `mcp` version the project runs instead.
    mcp_versions: ClassVar[str | None] = None
    # False for rules about plain Python, which apply to SDK-only projects too.
    needs_fastmcp: ClassVar[bool] = True
    default_enabled: ClassVar[bool] = True
    references: ClassVar[tuple[str, ...]] = ()
    # A dataclass read from [tool.fkit.rules.<code>]; fields use snake_case, keys kebab-case.
    Options: ClassVar[type | None] = None
    VALID: ClassVar[Sequence[Valid]] = ()
    INVALID: ClassVar[Sequence[Invalid]] = ()
    # A pre-check before any parsing: the rule can only report or record something in
    # a file whose text contains one of these strings. None: no pre-check; (): never
    # needs the libcst pass (its facts come from ast_facts). Tests check the needles
    # against the rule's own examples and compare results with and without pre-checks.
    needles: ClassVar[tuple[str, ...] | None] = None

    # -- metadata derived from the class, so it cannot drift -------------------------

    @classmethod
    def name(cls) -> str:
        return _kebab(cls.__name__)

    @classmethod
    def doc(cls) -> str:
        return inspect.cleandoc(cls.__doc__ or "")

    @classmethod
    def summary(cls) -> str:
        return cls.doc().splitlines()[0] if cls.doc() else ""

    @classmethod
    def fix_availability(cls) -> FixAvailability:
        fixed = [example.fixed is not None for example in cls.INVALID]
        if fixed and all(fixed):
            return "always"
        return "sometimes" if any(fixed) else "never"

    @classmethod
    def version_spec(cls) -> SpecifierSet:
        return SpecifierSet(cls.fastmcp_versions)

    @classmethod
    def applies_to(cls, version: Version) -> bool:
        """Whether the rule applies to a project on this FastMCP release."""
        from fastmcp_kit.sdk_releases import mcp_required_by

        return cls.applies_to_versions(version, mcp_required_by(version))

    @classmethod
    def applies_to_versions(cls, fastmcp: Version | None, mcp: Version | None) -> bool:
        """Whether the rule applies to a project running these releases (``fastmcp``
        None: an SDK-only project)."""
        return applies(cls.fastmcp_versions, cls.mcp_versions, cls.needs_fastmcp, fastmcp, mcp)

    @classmethod
    def may_apply(cls, source: str) -> bool:
        """False when the text alone shows the rule has nothing to say about the file."""
        return cls.needles is None or any(needle in source for needle in cls.needles)

    @classmethod
    def default_options(cls) -> Any:
        return cls.Options() if cls.Options is not None else None

    # -- project-wide analysis ---------------------------------------------------------

    @classmethod
    def check_project(
        cls, facts: Mapping[str, Sequence[Fact]], project: ProjectContext
    ) -> Iterable[ProjectFinding]:
        """Override to judge the whole project from the facts each file recorded.

        ``facts`` maps every linted file (path relative to the project root) to what
        this rule recorded there with :meth:`Rule.record`, in source order.
        """
        return ()

    @classmethod
    def is_project_rule(cls) -> bool:
        return cls.check_project.__func__ is not BaseRule.check_project.__func__  # type: ignore[attr-defined]


class Rule(BaseRule, cst.BatchableCSTVisitor):
    """A rule over Python source: a libcst visitor sharing one traversal with the others."""

    def __init__(self, context: RuleContext) -> None:
        super().__init__()
        self.context = context
        self.reports: list[Report] = []
        self.facts: list[tuple[cst.CSTNode | None, Any]] = []
        self.crash: str | None = None

    def record(self, node: cst.CSTNode | None, data: Any) -> None:
        """Keep a JSON-able fact about this file (at ``node``) for :meth:`check_project`."""
        self.facts.append((node, data))

    @classmethod
    def ast_facts(cls, tree: ast.Module, source: str, context: RuleContext) -> list[Fact]:
        """Facts every file must give, whatever the needles say, from the stdlib ``ast``
        (a quarter of a libcst parse): a file no rule needs then skips libcst."""
        return []

    @classmethod
    def may_apply_to_tree(cls, tree: ast.Module, context: RuleContext) -> bool:
        """A second pre-check, on the stdlib ``ast`` of a file that passed the needles,
        for rules whose API names are everywhere in some code bases (every fastmcp
        module imports ``fastmcp``). False only when the rule cannot report or record
        anything in this file."""
        return True

    @classmethod
    def has_tree_precheck(cls) -> bool:
        return cls.may_apply_to_tree.__func__ is not Rule.may_apply_to_tree.__func__  # type: ignore[attr-defined]

    @classmethod
    def has_ast_facts(cls) -> bool:
        return cls.ast_facts.__func__ is not Rule.ast_facts.__func__  # type: ignore[attr-defined]

    # -- reporting --------------------------------------------------------------------

    def report(
        self, node: cst.CSTNode, message: str | None = None, *, fix: Fix | None = None
    ) -> None:
        self.reports.append(Report(node, message or self.message, fix))

    # -- crash isolation --------------------------------------------------------------

    def get_visitors(self) -> Mapping[str, Callable[[cst.CSTNode], None]]:
        # One batched traversal runs every rule; a rule that raises must not take the
        # others down, so each visitor method is wrapped and the first crash recorded.
        return {name: self._guard(getattr(self, name)) for name in self._visitor_names()}

    @classmethod
    @functools.cache
    def _visitor_names(cls) -> tuple[str, ...]:
        # libcst finds these with inspect.getmembers on every instance, which cost
        # more than the traversal itself; the set is fixed per class.
        return tuple(
            name
            for name in dir(cls)
            if name.startswith(("visit_", "leave_"))
            and callable(getattr(cls, name))
            and not getattr(getattr(cls, name), "_is_no_op", False)
        )

    def _guard(self, fn: Callable[[cst.CSTNode], None]) -> Callable[[cst.CSTNode], None]:
        def guarded(node: cst.CSTNode) -> None:
            if self.crash is not None:
                return
            try:
                fn(node)
            except RecursionError:
                raise  # deep code, not a rule bug: the engine reports the file
            except Exception as exc:
                frame = traceback.extract_tb(exc.__traceback__)[-1]
                where = f"{Path(frame.filename).name}:{frame.lineno}"
                self.crash = f"{type(exc).__name__}: {exc} (at {where})"

        return guarded


class TextRule(BaseRule):
    """A rule over a non-Python file whose name matches one of ``file_patterns``."""

    file_patterns: ClassVar[tuple[str, ...]]

    def __init__(self, context: RuleContext) -> None:
        self.context = context

    def check_text(self, text: str) -> Iterable[TextReport]:
        raise NotImplementedError

    # A text rule that judges the project (overrides check_project) gets its reports
    # as facts ``{"message": ..., "text": <the flagged text>}``, beside what Python files give ``python_facts``
    # (asked only of files containing one of ``python_needles``).
    python_needles: ClassVar[tuple[str, ...]] = ()

    @classmethod
    def python_facts(cls, tree: ast.Module) -> list[Fact]:
        """What one of the project's Python files tells this rule."""
        return []

    @classmethod
    def matches_file(cls, name: str) -> bool:
        return any(fnmatch.fnmatch(name, pattern) for pattern in cls.file_patterns)


def parse_options(rule: type[BaseRule], table: Mapping[str, Any]) -> Any:
    """Build the rule's Options from a ``[tool.fkit.rules.CODE]`` table.

    Raises ValueError naming the first unknown key or mistyped value.
    """
    if rule.Options is None:
        if table:
            raise ValueError(f"rule {rule.code} takes no options (got {sorted(table)[0]!r})")
        return None
    fields = {f.name.replace("_", "-"): f for f in dataclasses.fields(rule.Options)}
    values: dict[str, Any] = {}
    for key, value in table.items():
        if key not in fields:
            raise ValueError(f"unknown option {key!r} for rule {rule.code}")
        default = getattr(rule.default_options(), fields[key].name)
        if not isinstance(value, type(default)):
            raise ValueError(
                f"option {key!r} of rule {rule.code} must be a {type(default).__name__}"
            )
        values[fields[key].name] = value
    return rule.Options(**values)


class SuppressionRule(Rule):
    """A rule about the ``# noqa`` comments themselves: it can judge them only once
    every other rule of the file has reported, so the engine calls :meth:`judge`
    after the traversal, with what each comment suppressed."""

    def judge(
        self,
        used: Mapping[int, frozenset[str]],
        judged: frozenset[str],
        row_of: Callable[[cst.CSTNode], int],
    ) -> None:
        """Report from what the traversal collected. ``used``: row -> the codes a
        finding there was suppressed for; ``judged``: the codes of the rules that
        ran on this file in full (a ``noqa`` for any other rule cannot be judged)."""
        raise NotImplementedError
