"""``fkit rules``, ``fkit rule CODE``, ``fkit --version`` and ``fkit --help`` through
the real command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fastmcp_kit import __version__
from fastmcp_kit.lint.registry import all_rules
from tests.helpers import CliResult, run_cli

RECORD_KEYS = {
    "code",
    "name",
    "summary",
    "severity",
    "documented_errors",
    "fix",
    "fastmcp_versions",
    "default_enabled",
}
# The rules shipped in rules/ (one module each).
SHIPPED_CODES = {
    "FMCP101",
    "FMCP102",
    "FMCP201",
    "FMCP202",
    "FMCP203",
    "FMCP204",
    "FMCP301",
    "FMCP901",
}
RULE_PAGE_HEADINGS = (
    "What it does",
    "Why is this bad?",
    "Example",
    "Use instead",
    "Fix safety",
    "References",
)


@pytest.fixture(autouse=True)
def _plain_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    for name in ("FORCE_COLOR", "COLUMNS", "LINES"):
        monkeypatch.delenv(name, raising=False)


def fkit(*args: str, cwd: Path) -> CliResult:
    return run_cli(list(args), cwd=cwd)


def assert_usage_error(result: CliResult, *fragments: str) -> None:
    assert result.exit_code == 2, (result.exit_code, result.stdout, result.stderr)
    assert result.stderr.startswith("fkit: error: "), result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().count("\n") == 0, result.stderr
    for fragment in fragments:
        assert fragment in result.stderr


def rule_records(cwd: Path) -> list[dict[str, object]]:
    result = fkit("rules", "--output-format", "json", cwd=cwd)
    assert result.exit_code == 0, result.stderr
    records = json.loads(result.stdout)
    assert isinstance(records, list)
    return records


# -- fkit rules -------------------------------------------------------------------------


def test_rules_json_records_have_exactly_the_documented_keys(tmp_path: Path) -> None:
    records = rule_records(tmp_path)
    assert records
    for record in records:
        assert set(record) == RECORD_KEYS, record


def test_rules_json_lists_every_rule_once_in_code_order(tmp_path: Path) -> None:
    codes = [record["code"] for record in rule_records(tmp_path)]
    assert codes == sorted(codes)
    assert len(codes) == len(set(codes))
    assert set(codes) == set(all_rules())
    assert set(codes) >= SHIPPED_CODES


def test_rules_json_field_values(tmp_path: Path) -> None:
    for record in rule_records(tmp_path):
        assert record["fix"] in {"always", "sometimes", "never"}, record
        assert record["severity"] in {"error", "warning", "info"}, record
        assert isinstance(record["default_enabled"], bool)
        errors = record["documented_errors"]
        assert isinstance(errors, list) and all(isinstance(n, int) for n in errors)
        assert isinstance(record["name"], str) and record["name"] == record["name"].lower()
        assert isinstance(record["summary"], str) and record["summary"]
        assert isinstance(record["fastmcp_versions"], str) and record["fastmcp_versions"]


def test_rules_json_describes_known_rules(tmp_path: Path) -> None:
    by_code = {record["code"]: record for record in rule_records(tmp_path)}
    image = by_code["FMCP301"]
    assert image["name"] == "image-import-path"
    assert image["fix"] == "always"
    assert image["fastmcp_versions"] == ">=2.14"
    assert image["severity"] == "error"
    assert image["documented_errors"] == [28]
    assert by_code["FMCP202"]["fix"] == "never"
    assert by_code["FMCP201"]["fix"] == "sometimes"  # no fix when `Context` is taken
    assert by_code["FMCP901"]["severity"] == "warning"
    assert by_code["FMCP101"]["severity"] == "info"
    assert by_code["FMCP201"]["fastmcp_versions"] == "all"


def test_rules_text_lists_every_code(tmp_path: Path) -> None:
    result = fkit("rules", cwd=tmp_path)
    assert result.exit_code == 0
    listed = {line.split()[0] for line in result.stdout.splitlines() if line.startswith("FMCP")}
    assert listed == set(all_rules())


def test_rules_with_bad_output_format_is_a_usage_error(tmp_path: Path) -> None:
    assert_usage_error(fkit("rules", "--output-format", "yaml", cwd=tmp_path), "yaml")


# -- fkit rule CODE ---------------------------------------------------------------------


def test_rule_page_has_the_documented_headings_in_order(tmp_path: Path) -> None:
    result = fkit("rule", "FMCP201", cwd=tmp_path)
    assert result.exit_code == 0
    text = result.stdout
    assert "FMCP201" in text and "context-parameter-not-injected" in text
    positions = [text.find(heading) for heading in RULE_PAGE_HEADINGS]
    assert all(p >= 0 for p in positions), dict(zip(RULE_PAGE_HEADINGS, positions, strict=True))
    assert positions == sorted(positions)


def test_rule_page_shows_the_example_its_fix_and_the_options(tmp_path: Path) -> None:
    text = fkit("rule", "FMCP201", cwd=tmp_path).stdout
    assert "async def greet(name: str, ctx) -> str:" in text  # Example
    assert "async def greet(name: str, ctx: Context) -> str:" in text  # Use instead
    assert "context-names" in text  # the rule's option
    assert "https://gofastmcp.com/servers/context" in text


def test_rule_code_is_case_insensitive(tmp_path: Path) -> None:
    lower, upper = fkit("rule", "fmcp301", cwd=tmp_path), fkit("rule", "FMCP301", cwd=tmp_path)
    assert lower.exit_code == 0
    assert lower.stdout == upper.stdout


@pytest.mark.parametrize("code", sorted(all_rules()))
def test_every_rule_has_a_page(tmp_path: Path, code: str) -> None:
    result = fkit("rule", code, cwd=tmp_path)
    assert result.exit_code == 0, result.stderr
    for heading in RULE_PAGE_HEADINGS[:-1]:
        assert heading in result.stdout, (code, heading)


def test_unknown_rule_is_a_usage_error(tmp_path: Path) -> None:
    assert_usage_error(fkit("rule", "NOPE", cwd=tmp_path), "NOPE")


# -- fkit --version / --help --------------------------------------------------------------


def test_version(tmp_path: Path) -> None:
    result = fkit("--version", cwd=tmp_path)
    assert result.exit_code == 0
    assert result.stdout == f"fkit {__version__}\n"


def test_help_lists_the_commands(tmp_path: Path) -> None:
    result = fkit("--help", cwd=tmp_path)
    assert result.exit_code == 0
    commands = {
        line.strip(" │").split()[0] for line in result.stdout.splitlines() if line.strip(" │")
    }
    assert {"lint", "rules", "rule"} <= commands, result.stdout


def test_lint_help_lists_its_options(tmp_path: Path) -> None:
    result = fkit("lint", "--help", cwd=tmp_path)
    assert result.exit_code == 0
    for option in (
        "--select",
        "--ignore",
        "--fix",
        "--unsafe-fixes",
        "--diff",
        "--output-format",
        "--statistics",
        "--exit-zero",
        "--fastmcp-version",
        "--no-cache",
        "--stdin-filename",
    ):
        assert option in result.stdout, option


def test_unknown_command_is_a_usage_error(tmp_path: Path) -> None:
    assert_usage_error(fkit("frobnicate", cwd=tmp_path), "frobnicate")
