"""Lint one file: decode, parse once, run every enabled rule in one batched
traversal, then apply suppressions and (optionally) fixes until nothing changes.

Python files go through libcst; other files (.env, Dockerfiles, fastmcp.json) through
the text rules that claim their names. Everything here is pure: it takes bytes and
returns results. Reading and writing files, the cache and worker processes live in
:mod:`fastmcp_kit.lint.runner`.
"""

from __future__ import annotations

import ast
import io
import tokenize
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Literal, cast

import libcst as cst
from libcst.metadata import CodeRange, MetadataWrapper, PositionProvider
from packaging.version import Version

from fastmcp_kit.lint import names as names_module
from fastmcp_kit.lint.fix_scope import FixNames
from fastmcp_kit.lint.fixes import apply_fixes, preview_edits
from fastmcp_kit.lint.lines import split_lines
from fastmcp_kit.lint.noqa import is_suppressed, parse_suppressions
from fastmcp_kit.lint.python_check import TOO_DEEP, check_python
from fastmcp_kit.lint.registry import ENGINE_CODES, INTERNAL_ERROR, UNPARSABLE_FILE, all_rules
from fastmcp_kit.lint.rule import (
    BaseRule,
    Fix,
    ProjectInfo,
    Rule,
    RuleContext,
    SuppressionRule,
    TextRule,
)
from fastmcp_kit.lint.text_files import MAX_FIX_PASSES, lint_text, python_facts_for_text_rules
from fastmcp_kit.lint.violation import (
    Fact,
    FixSummary,
    Location,
    Severity,
    Violation,
)
from fastmcp_kit.lint.walk import walk_batched

FixMode = Literal["none", "safe", "unsafe"]
# libcst needs about 450 bytes of memory per byte of source (2 MB: 950 MB, 12 s), so
# a larger file, generated code as a rule, would take gigabytes in each worker.
MAX_PYTHON_BYTES = 4_000_000
# ``main.template.py``: code generators' sources, placeholders and all.
TEMPLATE_SUFFIXES = (".template", ".tmpl", ".jinja", ".j2")
PYTHON_SUFFIXES = (".py", ".pyi")


@dataclass(frozen=True)
class LintSettings:
    """What a worker needs to lint any file of the run; picklable."""

    rule_codes: tuple[str, ...]
    # The FastMCP release rules see; in an SDK-only project (``uses_fastmcp`` False)
    # only rules that do not need standalone FastMCP run.
    target: Version
    project: ProjectInfo
    options: tuple[tuple[str, object], ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    fix: FixMode = "none"
    # The MCP SDK release; None: the one ``target`` requires.
    mcp_target: Version | None = None
    uses_fastmcp: bool = True
    # Where per-file-ignores patterns are anchored, relative to the project root
    # ("" when the configuration sits at the root).
    ignores_prefix: str = ""

    @property
    def mcp_version(self) -> Version | None:
        if self.mcp_target is not None:
            return self.mcp_target
        from fastmcp_kit.sdk_releases import mcp_required_by

        return mcp_required_by(self.target)

    def context_for(
        self, rule: type[BaseRule], match_path: str, names: names_module.ModuleNames | None = None
    ) -> RuleContext:
        """What ``rule`` is given for the file at ``match_path`` (``names``: the
        file's resolved imports; none for rules that read no Python)."""
        return RuleContext(
            Path(match_path),
            names if names is not None else names_module.ModuleNames(),
            self.target,
            self.project,
            self.option(rule.code),
        )

    def rules_for(self, match_path: str) -> list[type[BaseRule]]:
        """The enabled rules for this file: per-file-ignores and versions applied."""
        ignored = _per_file_ignored(self.per_file_ignores, self.ignores_prefix + match_path)
        rules = all_rules()
        fastmcp = self.target if self.uses_fastmcp else None
        mcp = self.mcp_version
        return [
            rules[code]
            for code in self.rule_codes
            if not any(code.startswith(prefix) for prefix in ignored)
            and rules[code].applies_to_versions(fastmcp, mcp)
        ]

    def option(self, code: str) -> object:
        return dict(self.options).get(code)


def _per_file_ignored(table: tuple[tuple[str, tuple[str, ...]], ...], match_path: str) -> set[str]:
    if not table:
        return set()
    import pathspec

    ignored: set[str] = set()
    for pattern, codes in table:
        if pathspec.GitIgnoreSpec.from_lines([pattern]).match_file(match_path):
            ignored.update("" if code == "ALL" else code for code in codes)
    return ignored


@dataclass
class FileResult:
    """The outcome for one file. ``fixed_source`` is set only when fixes changed it;
    ``facts`` holds what project rules recorded, by rule code."""

    path: str
    violations: list[Violation] = field(default_factory=list)
    source: str | None = None
    fixed_source: str | None = None
    encoding: str = "utf-8"
    fixes_applied: int = 0
    facts: dict[str, list[Fact]] = field(default_factory=dict)
    # (code, rule name) of each finding a fix removed, for ``--show-fixes``.
    fixed: list[tuple[str, str]] = field(default_factory=list)


def is_python(path: str) -> bool:
    return path.endswith(PYTHON_SUFFIXES) or path == "-"


def decode(data: bytes) -> tuple[str, str]:
    """Decode Python source the way the interpreter does (PEP 263 cookie, BOM)."""
    encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    return data.decode(encoding), encoding


def engine_violation(
    path: str, code: str, message: str, row: int = 1, column: int = 1
) -> Violation:
    location = Location(row, column)
    return Violation(code, ENGINE_CODES[code][0], message, path, location, location, Severity.ERROR)


def lint_bytes(
    data: bytes, path: str, settings: LintSettings, match_path: str | None = None
) -> FileResult:
    """Lint (and with ``settings.fix`` fix) one file's raw bytes.

    ``path`` is shown in findings; ``match_path`` (relative to the project root) is
    what per-file-ignores and rules match.
    """
    match = match_path or path
    result = _lint_file(data, path, settings, match)
    unparsable = [v for v in result.violations if v.code == UNPARSABLE_FILE]
    if unparsable and len(unparsable) == len(result.violations) and is_code_template(match):
        # A template with placeholders is not Python until it is rendered.
        result.violations = []
    return result


def is_code_template(match_path: str) -> bool:
    """A file of a code generator: a folder named with a placeholder
    (``{{cookiecutter.name}}``, ``{projectFolder}``) or a ``*.template.py`` file."""
    parts = PurePosixPath(match_path).parts
    if any("{" in part and "}" in part for part in parts):
        return True
    stem = PurePosixPath(match_path).stem
    return stem.endswith(TEMPLATE_SUFFIXES)


def _lint_file(data: bytes, path: str, settings: LintSettings, match: str) -> FileResult:
    if is_python(path) and len(data) > MAX_PYTHON_BYTES:
        megabytes = len(data) / 1_000_000
        message = (
            f"file too large to lint ({megabytes:.1f} MB; fkit parses Python files up to"
            f" {MAX_PYTHON_BYTES // 1_000_000} MB)"
        )
        return FileResult(path, [engine_violation(path, UNPARSABLE_FILE, message)])
    try:
        source, encoding = decode(data) if is_python(path) else (data.decode("utf-8"), "utf-8")
    except (SyntaxError, UnicodeDecodeError, LookupError) as exc:
        reason = exc.reason if isinstance(exc, UnicodeDecodeError) else str(exc)
        message = f"cannot decode file: {reason}"
        return FileResult(path, [engine_violation(path, UNPARSABLE_FILE, message)])
    result = FileResult(path, source=source, encoding=encoding)
    rules = settings.rules_for(match)
    if is_python(path):
        rejected = check_python(source, path)
        if rejected is not None:
            where = (rejected.row, rejected.column)
            result.violations = [engine_violation(path, UNPARSABLE_FILE, rejected.message, *where)]
            return result
    try:
        if is_python(path):
            python_rules = [r for r in rules if issubclass(r, Rule)]
            _lint_and_fix(source, result, settings, match, python_rules)
            text_rules = [r for r in rules if issubclass(r, TextRule)]
            final = result.fixed_source or source
            result.facts.update(python_facts_for_text_rules(final, None, text_rules))
        else:
            name = PurePosixPath(match).name
            text_rules = [r for r in rules if issubclass(r, TextRule) and r.matches_file(name)]
            lint_text(source, result, settings, match, text_rules)
    except RecursionError:
        # Deep but valid code (CPython compiled it): libcst's visitors recurse per level.
        result.violations = [engine_violation(path, UNPARSABLE_FILE, TOO_DEEP)]
        result.fixed_source, result.fixes_applied, result.facts = None, 0, {}
        result.fixed = []
    except Exception as exc:  # one file's failure must not end the run
        message = f"internal error: {type(exc).__name__}: {exc}"
        result.violations = [engine_violation(path, INTERNAL_ERROR, message)]
    return result


def _lint_and_fix(
    source: str,
    result: FileResult,
    settings: LintSettings,
    match_path: str,
    rules: Sequence[type[Rule]],
) -> None:
    current = source
    for _ in range(MAX_FIX_PASSES):
        outcome = _lint_once(current, result, match_path, rules, settings)
        if outcome is None:
            break
        module, findings = outcome
        # Several findings may share one fix (one import statement, two names).
        fixes = list(
            {
                id(fix): fix
                for violation, fix in findings
                if fix is not None
                and settings.fix != "none"
                and violation.is_fixable(settings.fix == "unsafe")
            }.values()
        )
        if not fixes:
            break
        fixed = apply_fixes(module, fixes, settings.project.local_modules).code
        if fixed == current:
            break
        current = fixed
        result.fixes_applied += len(fixes)
        applied = {id(fix) for fix in fixes}
        result.fixed += [(v.code, v.name) for v, fix in findings if id(fix) in applied]
    if current != source:
        result.fixed_source = current


def _lint_once(
    source: str,
    result: FileResult,
    match_path: str,
    rules: Sequence[type[Rule]],
    settings: LintSettings,
) -> tuple[cst.Module, list[tuple[Violation, Fix | None]]] | None:
    """One parse and one traversal; fills ``result`` and returns what fixing needs."""
    path = result.path
    needed = [rule for rule in rules if rule.may_apply(source)]
    tree = None
    if not needed or any(rule.has_ast_facts() for rule in rules):
        tree = _parse_ast(source)
    if any(rule.has_tree_precheck() for rule in needed):
        tree = tree or _parse_ast(source)
        if tree is not None:
            plain = names_module.ModuleNames()
            needed = [
                rule
                for rule in needed
                if rule.may_apply_to_tree(tree, settings.context_for(rule, match_path, plain))
            ]
    if not needed and tree is not None:
        # No rule needs the concrete syntax tree: CPython's parser checked the syntax
        # and the ast gives the facts every file owes the project rules. (When CPython
        # rejects the file, libcst below decides: it may know a newer grammar.)
        result.violations = []
        result.facts = _ast_facts(tree, source, match_path, rules, settings)
        return None
    try:
        module = cst.parse_module(source)
    except cst.ParserSyntaxError as exc:
        result.violations, result.facts = [_syntax_error(source, path, exc)], {}
        return None
    positions = _Positions(module)
    names = names_module.analyze(module)
    instances = [rule(settings.context_for(rule, match_path, names)) for rule in needed]
    walk_batched(module, instances)
    # The rules that ran here in full: a noqa for any other cannot be judged unused.
    judged = frozenset(
        rule.code
        for rule in rules
        if not rule.is_project_rule() and rule.code in settings.rule_codes
    )
    first_party = settings.project.local_modules
    findings = _collect(module, positions, source, path, instances, judged, first_party)
    result.violations = [violation for violation, _ in findings]
    result.facts = _facts(positions, instances)
    if tree is not None:
        for code, items in _ast_facts(tree, source, match_path, rules, settings).items():
            result.facts[code] = [*items, *result.facts.get(code, [])]
    return module, findings


def _parse_ast(source: str) -> ast.Module | None:
    try:
        return ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):  # ValueError: null bytes
        return None


def _ast_facts(
    tree: ast.Module,
    source: str,
    match_path: str,
    rules: Sequence[type[Rule]],
    settings: LintSettings,
) -> dict[str, list[Fact]]:
    facts: dict[str, list[Fact]] = {}
    names = names_module.ModuleNames()
    for rule in rules:
        if rule.has_ast_facts():
            found = rule.ast_facts(tree, source, settings.context_for(rule, match_path, names))
            if found:
                facts[rule.code] = found
    return facts


def _syntax_error(source: str, path: str, exc: cst.ParserSyntaxError) -> Violation:
    """The interpreter's own account of a syntax error: libcst's positions can point
    past the offending token; CPython's are what users see elsewhere."""
    try:
        compile(source, path, "exec", ast.PyCF_ONLY_AST)
    except SyntaxError as python_error:
        message = f"syntax error: {python_error.msg}"
        row, column = python_error.lineno or 1, python_error.offset or 1
        return engine_violation(path, UNPARSABLE_FILE, message, row, column)
    except (ValueError, RecursionError, MemoryError):
        pass
    # Valid Python that libcst cannot parse (newer grammar than it knows).
    message = f"cannot parse: {str(exc.message).strip()}"
    return engine_violation(path, UNPARSABLE_FILE, message, exc.raw_line, exc.raw_column + 1)


class _Positions:
    """Node positions, computed on first use: only files with findings or located
    facts pay for them.

    Runs PositionProvider's code-generation pass directly: ``MetadataWrapper.resolve``
    adds a full rebuilding traversal of the module for batched providers even when
    there are none, which doubled the cost.
    """

    def __init__(self, module: cst.Module) -> None:
        self.module = module
        self._ranges: Mapping[cst.CSTNode, CodeRange] | None = None

    def __getitem__(self, node: cst.CSTNode) -> CodeRange:
        if self._ranges is None:
            provider = PositionProvider()
            try:
                provider._gen_impl(self.module)
                self._ranges = cast(Mapping[cst.CSTNode, CodeRange], provider._computed)
            except AttributeError:  # libcst's internals moved: the public, slower way
                wrapper = MetadataWrapper(self.module, unsafe_skip_copy=True)
                self._ranges = wrapper.resolve(PositionProvider)
        return self._ranges[node]


def _facts(positions: _Positions, instances: Sequence[Rule]) -> dict[str, list[Fact]]:
    if not any(rule.facts for rule in instances):
        return {}
    facts: dict[str, list[Fact]] = {}
    for rule in instances:
        for node, data in rule.facts:
            if node is None:
                facts.setdefault(rule.code, []).append(Fact(data))
                continue
            span = positions[node]
            start = Location(span.start.line, span.start.column + 1)
            end = Location(span.end.line, span.end.column + 1)
            facts.setdefault(rule.code, []).append(Fact(data, start, end))
    return facts


def _collect(
    module: cst.Module,
    positions: _Positions,
    source: str,
    path: str,
    instances: Sequence[Rule],
    judged: frozenset[str] = frozenset(),
    first_party: frozenset[str] = frozenset(),
) -> list[tuple[Violation, Fix | None]]:
    """Every report as a finding (noqa applied), with its fix. Rules about the noqa
    comments themselves judge last, told which codes each comment suppressed."""
    findings: list[tuple[Violation, Fix | None]] = []
    noqa_rules = [rule for rule in instances if isinstance(rule, SuppressionRule)]
    if not noqa_rules and not any(rule.reports or rule.crash for rule in instances):
        return findings
    suppressions = parse_suppressions(source)
    lines = split_lines(source)
    kept_ends = split_lines(source, keepends=True)
    fix_names = FixNames(module, source, positions.__getitem__)
    used: dict[int, set[str]] = {}
    crashed: set[str] = set()

    def take(rule: Rule) -> None:
        if rule.crash is not None:
            message = f"rule {rule.code} ({rule.name()}) crashed: {rule.crash}"
            findings.append((engine_violation(path, INTERNAL_ERROR, message), None))
            crashed.add(rule.code)
            return
        for report in rule.reports:
            span = positions[report.node]
            row = span.start.line
            if is_suppressed(suppressions, row, rule.code):
                used.setdefault(row, set()).add(rule.code)
                continue
            summary = None
            # A fix whose names would not be bound where it writes them is withheld.
            fix = None if report.fix is None else fix_names.resolve(report.fix)
            if fix is not None:
                edits = preview_edits(module, kept_ends, positions.__getitem__, fix, first_party)
                summary = FixSummary(fix.applicability, fix.message, edits)
            violation = Violation(
                code=rule.code,
                name=rule.name(),
                message=report.message,
                filename=path,
                location=Location(row, span.start.column + 1),
                end_location=Location(span.end.line, span.end.column + 1),
                severity=rule.severity,
                fix=summary,
                source_line=lines[row - 1] if row <= len(lines) else "",
            )
            findings.append((violation, fix))

    for rule in instances:
        if not isinstance(rule, SuppressionRule):
            take(rule)
    for noqa_rule in noqa_rules:
        # A rule that crashed reported nothing: its noqa comments cannot be judged.
        noqa_rule.judge(
            {row: frozenset(codes) for row, codes in used.items()},
            judged - crashed,
            lambda node: positions[node].start.line,
        )
        take(noqa_rule)
    findings.sort(key=lambda item: item[0].sort_key)
    return findings
