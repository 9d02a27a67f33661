"""The habits ruff users bring to ``fkit lint``, each tried from the command line:
the summary per severity, ``fkit rule NAME``, ``--show-fixes``, ``--add-noqa``,
``-q``/``-v``, ``--config KEY=VALUE``, shell completion, progress and the cache's place."""

from __future__ import annotations

from pathlib import Path

import pytest

from fastmcp_kit.lint.registry import all_rules
from tests.helpers import run_cli
from tests.test_cli_lint import (
    IMAGE_IMPORT,
    IMAGE_MESSAGE,
    URI_WITHOUT_SCHEME,
    lint,
    make_project,
)


@pytest.fixture(autouse=True)
def _plain_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    for name in ("FORCE_COLOR", "COLUMNS", "LINES", "GITHUB_ACTIONS"):
        monkeypatch.delenv(name, raising=False)


def example(code: str) -> str:
    """The first INVALID example of a rule: one finding of that rule."""
    return all_rules()[code].INVALID[0].source


# -- the summary --------------------------------------------------------------------


def test_summary_counts_errors_warnings_and_infos_apart(tmp_path: Path) -> None:
    make_project(
        tmp_path,
        {
            "a.py": IMAGE_IMPORT,  # FMCP301, an error
            "b.py": URI_WITHOUT_SCHEME,  # FMCP202, an error
            "c.py": example("FMCP604"),  # a warning
            "d.py": example("FMCP207"),  # an info (opt-in)
        },
    )
    result = lint(tmp_path, "--extend-select", "FMCP207")
    assert result.exit_code == 1
    assert "Found 2 errors, 1 warning and 1 info." in result.stdout.splitlines()


def test_summary_never_calls_a_warning_an_error(tmp_path: Path) -> None:
    make_project(tmp_path, {"c.py": example("FMCP604")})
    assert "Found 1 warning." in lint(tmp_path).stdout.splitlines()


def test_concise_output_ends_with_the_summary(tmp_path: Path) -> None:
    make_project(tmp_path, {"a.py": IMAGE_IMPORT, "d.py": example("FMCP207")})
    lines = lint(
        tmp_path, "--output-format", "concise", "--extend-select", "FMCP207"
    ).stdout.splitlines()
    assert lines[0] == f"a.py:1:30: FMCP301 [*] {IMAGE_MESSAGE}"
    assert lines[2:] == ["Found 1 error and 1 info.", "[*] 1 fixable with the `--fix` option."]


def test_fix_summary_says_what_was_fixed_and_what_remains(tmp_path: Path) -> None:
    make_project(tmp_path, {"a.py": IMAGE_IMPORT, "b.py": URI_WITHOUT_SCHEME})
    result = lint(tmp_path, "--fix")
    assert "Fixed 1 finding. Found 1 error." in result.stdout.splitlines()


# -- fkit rule NAME --------------------------------------------------------------------


def test_rule_by_name_shows_the_same_page_as_by_code(tmp_path: Path) -> None:
    by_code = run_cli(["rule", "FMCP301"], cwd=tmp_path)
    by_name = run_cli(["rule", "image-import-path"], cwd=tmp_path)
    assert by_name.exit_code == 0
    assert by_name.stdout == by_code.stdout
    assert "image-import-path" in by_name.stdout


def test_unknown_rule_name_is_one_error_line(tmp_path: Path) -> None:
    result = run_cli(["rule", "image-import-pth"], cwd=tmp_path)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "fkit: error: no rule 'image-import-pth'; `fkit rules` lists them"
    ]
