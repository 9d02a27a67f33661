"""Text pre-checks (``Rule.needles``) only save work: they must never change a result.

A rule whose needles a file lacks is skipped before parsing, and a file no rule needs
skips libcst altogether (its project facts come from the stdlib ``ast``). These tests
lint real projects with and without the pre-checks and demand identical output.
"""

from __future__ import annotations

import ast
import json
import sys
from collections.abc import Mapping
from pathlib import Path

import pytest

from bench.corpus import generate
from fastmcp_kit.lint.names import ModuleNames
from fastmcp_kit.lint.registry import all_rules
from fastmcp_kit.lint.rule import BaseRule, ProjectInfo, Rule, RuleContext
from fastmcp_kit.project import requires_python
from tests.helpers import run_cli, target_for

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

FIXTURES = Path(__file__).parent / "fixtures" / "servers"
SERVERS = sorted(path for path in FIXTURES.iterdir() if (path / "pyproject.toml").is_file())
WITH_PRECHECKS = [
    pytest.param(rule, id=code)
    for code, rule in all_rules().items()
    if issubclass(rule, Rule) and (rule.needles or rule.has_tree_precheck())
]


def _lint(root: Path) -> list[dict[str, object]]:
    result = run_cli(
        ["lint", "--select", "ALL", "--no-cache", "--jobs", "1", "--output-format", "json", "."],
        cwd=root,
    )
    assert result.exit_code in (0, 1), result.stderr
    findings: list[dict[str, object]] = json.loads(result.stdout)
    return findings


def _without_prechecks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(BaseRule, "may_apply", classmethod(lambda cls, source: True))
    for rule in all_rules().values():
        if isinstance(rule, type) and issubclass(rule, Rule) and rule.has_tree_precheck():
            monkeypatch.setattr(rule, "may_apply_to_tree", classmethod(lambda cls, *_: True))


def _requires_python(files: Mapping[str, str]) -> str | None:
    """The example project's ``requires-python``, as the project model reads it."""
    text = files.get("pyproject.toml")
    return None if text is None else requires_python(tomllib.loads(text))


@pytest.mark.parametrize("rule", WITH_PRECHECKS)
def test_every_invalid_example_passes_the_prechecks(rule: type[Rule]) -> None:
    for example in rule.INVALID:
        if not example.filename.endswith(".py"):
            continue
        assert rule.may_apply(example.source), example.slug
        context = RuleContext(
            Path(example.filename),
            ModuleNames(),
            target_for(rule, example.fastmcp_version),
            ProjectInfo(Path("."), requires_python=_requires_python(example.files)),
        )
        assert rule.may_apply_to_tree(ast.parse(example.source), context), example.slug


@pytest.mark.parametrize("server", SERVERS, ids=lambda path: path.name)
def test_prechecks_change_nothing_on_the_fixture_servers(
    server: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_prechecks = _lint(server)
    _without_prechecks(monkeypatch)
    assert _lint(server) == with_prechecks


def test_prechecks_change_nothing_on_a_generated_corpus(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    generate(tmp_path, seed=11, projects=12)
    with_prechecks = _lint(tmp_path)
    assert with_prechecks, "the corpus carries mistakes"
    _without_prechecks(monkeypatch)
    assert _lint(tmp_path) == with_prechecks


def test_a_file_no_rule_needs_still_reports_its_syntax_error(tmp_path: Path) -> None:
    (tmp_path / "broken.py").write_text("def f(:\n    pass\n", encoding="utf-8")
    (tmp_path / "plain.py").write_text("x = 1\n", encoding="utf-8")
    findings = _lint(tmp_path)
    assert [(f["code"], f["filename"]) for f in findings] == [("FMCP001", "broken.py")]
    assert findings[0]["location"] == {"row": 1, "column": 7}


def test_project_facts_from_ast_keep_libcst_positions(tmp_path: Path) -> None:
    """FMCP902's facts come from the ast: columns in characters, not UTF-8 bytes, and
    `a; b` counted as one statement, as libcst counts them (the expected positions are
    what the libcst implementation reported for this project)."""
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n", encoding="utf-8")
    (tmp_path / "server.py").write_text(
        "from fastmcp import FastMCP\nÉTAT = 'é'; from tools import helper\nmcp = FastMCP('x')\n",
        encoding="utf-8",
    )
    (tmp_path / "tools.py").write_text(
        "ÉTÉ = 'é'; from server import mcp\n\ndef helper():\n    return mcp\n",
        encoding="utf-8",
    )
    findings = [f for f in _lint(tmp_path) if f["code"] == "FMCP902"]
    assert [(f["filename"], f["location"], f["end_location"]) for f in findings] == [
        ("server.py", {"row": 2, "column": 13}, {"row": 2, "column": 37}),
        ("tools.py", {"row": 1, "column": 12}, {"row": 1, "column": 34}),
    ]


def test_newer_grammar_that_cpython_rejects_is_left_to_libcst(tmp_path: Path) -> None:
    """On Python 3.11 `ast.parse` rejects PEP 695 syntax; libcst parses it, so a file no
    rule needs must not be reported as a syntax error just because the ast failed."""
    source = "type Alias = list[int]\n\n\ndef first[T](items: list[T]) -> T:\n    return items[0]\n"
    (tmp_path / "modern.py").write_text(source, encoding="utf-8")
    import libcst

    libcst.parse_module(source)  # the premise: libcst accepts it
    assert _lint(tmp_path) == []


def test_server_method_needles_cover_every_changed_method() -> None:
    """FMCP311's needles are written out (the API-surface dumps load lazily); they must
    name every FastMCP method some dumped release lacks."""
    from fastmcp_kit.rules.fmcp311_server_method_missing_in_target_version import (
        METHOD_NEEDLES,
        changed_methods,
    )

    assert changed_methods() <= set(METHOD_NEEDLES), "add the new methods to METHOD_NEEDLES"
