"""The codemod catalogue: every codemod documented and listed in a step, every row of the
fact sheet's section 3 covered, and every import a BEFORE/AFTER example uses real in the
FastMCP release of that side (checked against the API dumps of the real releases)."""

from __future__ import annotations

import re

import libcst as cst
import pytest

from fastmcp_kit.apisurface import surface_for
from fastmcp_kit.errors import FkitError
from fastmcp_kit.upgrade.codemod import DOC_HEADINGS, GUIDE_2_14, GUIDE_3, GUIDE_4, Codemod
from fastmcp_kit.upgrade.steps import PROJECT_ROWS, STEPS, all_codemods, plan

CODEMODS = all_codemods()

# Every row of section 3 (3.i 1-24 and 13b, 3.ii 1-40, 3.iii 1-48), and the ones with
# nothing to do: seed items that never existed (3.i 20, 21; 22 is row 13) and 3.ii 40.
ALL_ROWS = (
    [f"i.{n}" for n in range(1, 25)]
    + ["i.13b"]
    + [f"ii.{n}" for n in range(1, 41)]
    + [f"iii.{n}" for n in range(1, 49)]
)
NOTHING_TO_DO = {"i.20", "i.21", "ii.40"}


@pytest.mark.parametrize("codemod", CODEMODS.values(), ids=list(CODEMODS))
def test_codemod_is_documented(codemod: type) -> None:
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", codemod.ID)
    doc = codemod.__doc__ or ""
    for heading in DOC_HEADINGS:
        assert f"{heading}:" in doc, f"{codemod.ID}: docstring lacks '{heading}:'"
    assert codemod.TITLE and codemod.KIND in ("rewrite", "partial", "report")
    assert codemod.LINK in (GUIDE_2_14, GUIDE_3, GUIDE_4)
    assert codemod.EXAMPLES, f"{codemod.ID} has no BEFORE/AFTER example"
    assert len({e.slug for e in codemod.EXAMPLES}) == len(codemod.EXAMPLES)
    for row in codemod.ROWS:
        assert row in ALL_ROWS or re.fullmatch(r"E\d+", row), row
    if codemod.KIND != "report":
        assert any(e.after is not None for e in codemod.EXAMPLES), "no rewrite shown"


def test_every_section_3_row_is_covered() -> None:
    covered = {row for codemod in CODEMODS.values() for row in codemod.ROWS} | set(PROJECT_ROWS)
    missing = [row for row in ALL_ROWS if row not in covered and row not in NOTHING_TO_DO]
    assert not missing


def test_ids_are_unique_and_steps_are_ordered() -> None:
    seen: dict[str, type] = {}
    for step in STEPS:
        ids = [c.ID for c in step.codemods]
        assert len(ids) == len(set(ids)), f"step {step.name} lists a codemod twice"
        for codemod in step.codemods:
            assert seen.setdefault(codemod.ID, codemod) is codemod, codemod.ID
    assert [s.name for s in STEPS] == ["2.14", "3", "4"]


@pytest.mark.parametrize(
    ("source", "to", "expected"),
    [
        ("2.13.3", "4", ["2.14", "3", "4"]),
        ("2.10.0", "2.14", ["2.14"]),
        ("2.14.7", "4", ["3", "4"]),
        ("3.4.10", "4", ["4"]),
        ("2.13.3", "3", ["2.14", "3"]),
        ("4.1.2", "4", ["4"]),  # already there: the line's own step, for code left behind
        ("2.14.7", "2.14", ["2.14"]),
    ],
)
def test_plan_steps_one_line_at_a_time(source: str, to: str, expected: list[str]) -> None:
    from packaging.version import Version

    assert [s.name for s in plan(Version(source), to)] == expected


@pytest.mark.parametrize(
    ("source", "to"), [("4.1.2", "3"), ("3.0.0", "2.14"), ("4.0.0", "2.14"), ("9.0", "4")]
)
def test_plan_never_downgrades(source: str, to: str) -> None:
    from packaging.version import Version

    with pytest.raises(FkitError, match=f"--to {to} is older than FastMCP {source} "):
        plan(Version(source), to, "pyproject.toml")


# -- the examples' imports exist on their side of the step ---------------------------------

_SIDES = {"2.14": ("2.13.3", "2.14.7"), "3": ("2.14.7", "3.4.10"), "4": ("3.4.10", "4.1.2")}


def _imports(code: str) -> list[tuple[str, str | None]]:
    found: list[tuple[str, str | None]] = []
    for statement in cst.parse_module(code).body:
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        for small in statement.body:
            if isinstance(small, cst.ImportFrom) and small.module is not None:
                module = cst.Module([]).code_for_node(small.module)
                if isinstance(small.names, cst.ImportStar):
                    continue
                found.extend((module, alias.evaluated_name) for alias in small.names)
            elif isinstance(small, cst.Import):
                found.extend((alias.evaluated_name, None) for alias in small.names)
    return [(m, n) for m, n in found if m == "fastmcp" or m.startswith("fastmcp.")]


EXAMPLE_CASES = [
    pytest.param(codemod, example, step.name, id=f"{step.name}-{codemod.ID}-{example.slug}")
    for step in STEPS
    for codemod in step.codemods
    if issubclass(codemod, Codemod) and step.codemods.index(codemod) >= 0
    for example in codemod.EXAMPLES
    if next(s for s in STEPS if codemod in s.codemods) is step
]


@pytest.mark.parametrize(("codemod", "example", "step"), EXAMPLE_CASES)
def test_example_imports_exist_in_the_real_releases(
    codemod: type, example: object, step: str
) -> None:
    before_release, after_release = _SIDES[step]
    for side, code, release in (
        ("BEFORE", example.source, before_release),  # type: ignore[attr-defined]
        ("AFTER", example.expected, after_release),  # type: ignore[attr-defined]
    ):
        surface = surface_for(release)
        for module, name in _imports(code):
            if name is None:
                assert surface.has_module(module), f"{side}: no module {module} in {release}"
            else:
                has = surface.has_name(module, name)
                assert has is not False, f"{side}: `from {module} import {name}` fails in {release}"
