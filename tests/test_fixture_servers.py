"""Lint the fixture servers in ``tests/fixtures/servers`` through the real CLI.

Each fixture is a small FastMCP project; the findings fkit must report are marked in
the fixture files (``# expect: FMCP201``), and real mistakes no rule catches yet are
marked ``# expect-missed: E18 <why>``. See ``tests/fixtures/servers/README.md``.

Also lints FastMCP's own source and fkit's: no file may be unparsable (FMCP001) or
crash a rule (FMCP002).

Nothing is written to the repository: fkit runs with ``--no-cache`` and reports JSON on
stdout. ``python -m pytest tests/test_fixture_servers.py -s`` prints the recall and the
false-positive count.
"""

from __future__ import annotations

import functools
import importlib.util
import io
import json
import re
import shutil
import tokenize
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from fastmcp_kit.project import detect_target, read_toml
from tests.helpers import run_cli

REPO = Path(__file__).resolve().parent.parent
SERVERS = REPO / "tests" / "fixtures" / "servers"
PROJECTS = sorted(path.parent for path in SERVERS.glob("*/pyproject.toml"))
ENGINE_CODES = {"FMCP001", "FMCP002"}

# The opt-in schema-quality family (descriptions, duplicate names) is left out: the
# fixtures are about mistakes that break, and that family is judged on real code.
SCHEMA_QUALITY = "FMCP230,FMCP231,FMCP232,FMCP233"
LINT_ARGS = [
    "lint", "--output-format", "json", "--no-cache", "--select", "ALL",
    "--ignore", SCHEMA_QUALITY, "--exit-zero",
]  # fmt: skip

_EXPECT = re.compile(r"#\s*expect:\s*(FMCP\d{3}(?:\s*,\s*FMCP\d{3})*)")
_MISSED = re.compile(r"#\s*expect-missed:\s*(\S+)\s+(\S.*?)\s*(?=#\s*expect|$)")
_ANY_MARKER = re.compile(r"#\s*expect(?:-missed)?\s*:")
_MISSED_ID = re.compile(r"^(?:E(?:[1-9]|[12]\d|30)|§3\.(?:i|ii|iii)#\d+|Appendix-[A-C])$")
_SKIPPED_DIRS = {"__pycache__", ".fkit_cache", ".git"}

# (filename relative to the project, row, code)
Key = tuple[str, int, str]


@dataclass
class Missed:
    where: str
    row: int
    ident: str
    why: str


@dataclass
class Expectations:
    expected: Counter[Key] = field(default_factory=Counter)
    missed: list[Missed] = field(default_factory=list)

    @property
    def buggy(self) -> bool:
        return bool(self.expected or self.missed)


# -- reading the markers -------------------------------------------------------------


def _markers(comment: str) -> tuple[list[str], list[tuple[str, str]]]:
    codes = [
        code.strip() for match in _EXPECT.finditer(comment) for code in match.group(1).split(",")
    ]
    missed = [(match.group(1), match.group(2)) for match in _MISSED.finditer(comment)]
    return codes, missed


def _python_comments(text: str) -> list[tuple[int, str, bool]]:
    """(row, comment, stands alone on its line) for every real comment."""
    lines = text.splitlines()
    found = []
    for token in tokenize.generate_tokens(io.StringIO(text).readline):
        if token.type == tokenize.COMMENT:
            row, column = token.start
            found.append((row, token.string, not lines[row - 1][:column].strip()))
    return found


def _text_comments(text: str) -> list[tuple[int, str, bool]]:
    found = []
    for row, line in enumerate(text.splitlines(), start=1):
        index = line.find("#")
        if index >= 0 and ("expect:" in line or "expect-missed:" in line):
            found.append((row, line[index:], not line[:index].strip()))
    return found


def _next_code_row(lines: list[str], row: int) -> int:
    """The first line after ``row`` (1-based) that is neither blank nor a comment."""
    for index in range(row, len(lines)):
        stripped = lines[index].strip()
        if stripped and not stripped.startswith("#"):
            return index + 1
    raise AssertionError(f"a marker on line {row} is followed by no code")


def _sidecar(path: Path, project: Path, into: Expectations) -> None:
    target = path.with_suffix("")  # fastmcp.json.expect -> fastmcp.json
    target_lines = target.read_text(encoding="utf-8").splitlines()
    shown = target.relative_to(project).as_posix()
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        anchor = line[: line.index("#")].strip()
        rows = [row for row, text in enumerate(target_lines, start=1) if anchor in text]
        assert len(rows) == 1, f"{path}: anchor {anchor!r} matches lines {rows} of {shown}"
        _record(into, shown, rows[0], line[line.index("#") :])


def _record(into: Expectations, shown: str, row: int, comment: str) -> None:
    codes, missed = _markers(comment)
    parsed = len(_EXPECT.findall(comment)) + len(missed)
    assert parsed == len(_ANY_MARKER.findall(comment)), f"{shown}:{row}: malformed {comment!r}"
    for code in codes:
        into.expected[(shown, row, code)] += 1
    for ident, why in missed:
        into.missed.append(Missed(shown, row, ident, why))


def read_expectations(project: Path) -> Expectations:
    found = Expectations()
    for path in sorted(project.rglob("*")):
        if not path.is_file() or _SKIPPED_DIRS & set(path.relative_to(project).parts):
            continue
        if path.suffix == ".expect":
            _sidecar(path, project, found)
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        lines = text.splitlines()
        comments = _python_comments(text) if path.suffix == ".py" else _text_comments(text)
        for row, comment, alone in comments:
            if not _ANY_MARKER.search(comment):
                continue
            target_row = _next_code_row(lines, row) if alone else row
            _record(found, path.relative_to(project).as_posix(), target_row, comment)
    return found


# -- running fkit ----------------------------------------------------------------------


@functools.cache
def lint(project: Path) -> tuple[dict[str, Any], ...]:
    result = run_cli([*LINT_ARGS, "."], cwd=project)
    assert result.exit_code == 0, f"fkit failed on {project.name}: {result.stderr}"
    findings: list[dict[str, Any]] = json.loads(result.stdout)
    return tuple(findings)


def _key(finding: dict[str, Any]) -> Key:
    return (finding["filename"], finding["location"]["row"], finding["code"])


def _describe(finding: dict[str, Any]) -> str:
    row, column = finding["location"]["row"], finding["location"]["column"]
    return f"{finding['filename']}:{row}:{column}: {finding['code']} {finding['message']}"


def target_of(project: Path) -> str:
    return str(detect_target(project, read_toml(project / "pyproject.toml"), None).version)


# -- the fixture projects --------------------------------------------------------------


def test_fixture_projects_exist() -> None:
    assert len(PROJECTS) >= 20, [p.name for p in PROJECTS]


@pytest.mark.parametrize("project", PROJECTS, ids=[p.name for p in PROJECTS])
def test_fixture_server(project: Path) -> None:
    expectations = read_expectations(project)
    named_buggy = "_bugs_" in project.name
    assert expectations.buggy == named_buggy, (
        f"{project.name}: fixtures named *_bugs_* carry markers, the others none"
    )
    for missed in expectations.missed:
        assert _MISSED_ID.match(missed.ident), f"{project.name}: bad expect-missed id {missed}"

    findings = lint(project)
    engine = [_describe(f) for f in findings if f["code"] in ENGINE_CODES]
    found = Counter(_key(f) for f in findings)
    missing = expectations.expected - found
    extra = found - expectations.expected
    unexpected = []
    for finding in findings:
        key = _key(finding)
        if finding["code"] not in ENGINE_CODES and extra[key] > 0:
            extra[key] -= 1
            unexpected.append(_describe(finding))
    problems = []
    if engine:
        problems.append(
            "engine errors (unparsable file or crashed rule):\n  " + "\n  ".join(engine)
        )
    if missing:
        shown = [f"{file}:{row}: {code} (x{n})" for (file, row, code), n in sorted(missing.items())]
        problems.append("expected but not reported:\n  " + "\n  ".join(shown))
    if unexpected:
        kind = "false positives" if not expectations.buggy else "reported but not expected"
        problems.append(f"{kind}:\n  " + "\n  ".join(unexpected))
    target = target_of(project)
    assert not problems, f"{project.name} (FastMCP {target}):\n" + "\n".join(problems)


def test_summary() -> None:
    """Recall over the marked mistakes, and false positives on the correct fixtures."""
    expected_total = found_total = missed_total = false_positives = unexpected_on_buggy = 0
    rows, not_caught = [], []
    versions: dict[str, Counter[str]] = {}
    multi_file = 0
    for project in PROJECTS:
        expectations = read_expectations(project)
        findings = [f for f in lint(project) if f["code"] not in ENGINE_CODES]
        found = Counter(_key(f) for f in findings)
        hit = sum((expectations.expected & found).values())
        expected_total += sum(expectations.expected.values())
        found_total += hit
        missed_total += len(expectations.missed)
        not_caught += [
            f"  {project.name}/{m.where}:{m.row}: {m.ident} {m.why}" for m in expectations.missed
        ]
        extra = sum((found - expectations.expected).values())
        if expectations.buggy:
            unexpected_on_buggy += extra
        else:
            false_positives += extra
        kind = "buggy" if expectations.buggy else "correct"
        files = sum(1 for p in project.rglob("*") if p.is_file())
        multi_file += files > 2  # more than pyproject.toml and one module
        target = target_of(project)
        versions.setdefault(target.split(".")[0], Counter())[kind] += 1
        rows.append(
            f"  {project.name:<30} {target:<7} {kind:<8} files={files:<2} "
            f"expected={hit}/{sum(expectations.expected.values())} "
            f"missed={len(expectations.missed)} findings={len(findings)}"
        )
    denominator = expected_total + missed_total
    recall = found_total / denominator if denominator else 1.0
    print("\nfixture servers:")
    print("\n".join(rows))
    print("marked expect-missed (real mistakes no rule reports yet):")
    print("\n".join(not_caught) or "  none")
    print(
        f"recall: {found_total}/{denominator} = {recall:.1%} "
        f"({expected_total} expected, {missed_total} marked expect-missed); "
        f"false positives on correct fixtures: {false_positives}; "
        f"unexpected findings on buggy fixtures: {unexpected_on_buggy}"
    )
    assert multi_file >= 5, f"only {multi_file} multi-file fixtures"
    # Every release line has correct and buggy fixtures.
    for major in ("2", "3", "4"):
        assert versions.get(major, Counter())["correct"] >= 1, versions
        assert versions.get(major, Counter())["buggy"] >= 1, versions
    assert false_positives == 0, f"{false_positives} findings on correct fixtures"


# -- real-world source: no crash, no parse failure -------------------------------------


def _engine_findings(args: list[str], cwd: Path) -> list[str]:
    result = run_cli([*LINT_ARGS, *args], cwd=cwd)
    assert result.exit_code == 0, result.stderr
    findings = json.loads(result.stdout)
    return [_describe(f) for f in findings if f["code"] in ENGINE_CODES]


def test_fastmcp_source_lints_without_engine_errors(tmp_path: Path) -> None:
    spec = importlib.util.find_spec("fastmcp")
    if spec is None or not spec.submodule_search_locations:
        pytest.skip("fastmcp is not installed (it comes with the `test` extra)")
    source = Path(next(iter(spec.submodule_search_locations)))
    # A copy: a site-packages folder inside an ignored .venv would be skipped.
    shutil.copytree(source, tmp_path / "fastmcp", ignore=shutil.ignore_patterns("__pycache__"))
    assert sum(1 for _ in (tmp_path / "fastmcp").rglob("*.py")) > 100
    assert _engine_findings(["fastmcp"], tmp_path) == []


def test_fkit_source_lints_without_engine_errors() -> None:
    assert _engine_findings(["fastmcp_kit", "rules", "scripts"], REPO) == []
