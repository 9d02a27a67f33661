"""``fkit lint`` through the real command line: exit codes, output formats, noqa,
fixes, robustness, stdin, selection and configuration, version gating, the cache
and worker processes.

Every test builds a small project in ``tmp_path`` (with a ``pyproject.toml``, so the
project root is the temporary folder) and runs ``fkit`` in-process.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from fastmcp_kit.lint.registry import all_rules
from fastmcp_kit.lint.runner import MIN_FILES_PER_WORKER
from tests.helpers import CliResult, run_cli, target_for, write_tree

# -- sources that trigger one known finding each ------------------------------------

CLEAN = 'from fastmcp import FastMCP\n\nmcp = FastMCP("demo")\n'

# FMCP301 (safe fix) on `Image`: row 1, columns 30..35.
IMAGE_IMPORT = 'from fastmcp import FastMCP, Image\n\nmcp = FastMCP("demo")\n'
IMAGE_IMPORT_FIXED = (
    "from fastmcp import FastMCP\n"
    "from fastmcp.utilities.types import Image\n"
    "\n"
    'mcp = FastMCP("demo")\n'
)
IMAGE_MESSAGE = (
    "`Image` cannot be imported from `fastmcp`; import it from `fastmcp.utilities.types`"
)

# FMCP201 (safe fix) on the unannotated `ctx`: row 6, column 28.
UNINJECTED_CTX = (
    "from fastmcp import FastMCP\n"
    "\n"
    'mcp = FastMCP("demo")\n'
    "\n"
    "@mcp.tool\n"
    "async def greet(name: str, ctx) -> str:\n"
    "    await ctx.info(name)\n"
    "    return name\n"
)

# FMCP901 (unsafe fix) on `datetime.utcnow()`: row 3, column 9.
NAIVE_UTC = "from datetime import datetime\n\nstamp = datetime.utcnow().timestamp()\n"
NAIVE_UTC_FIXED = (
    "from datetime import datetime, timezone\n\nstamp = datetime.now(timezone.utc).timestamp()\n"
)

# FMCP102 (safe fix for `mcp.run()`).
UNGUARDED_RUN = 'from fastmcp import FastMCP\n\nmcp = FastMCP("demo")\n\nmcp.run()\n'
UNGUARDED_RUN_FIXED = 'from fastmcp import FastMCP\n\nmcp = FastMCP("demo")\n\nif __name__ == "__main__":\n    mcp.run()\n'

# FMCP202 (no fix) on the URI literal: row 5, column 15.
URI_WITHOUT_SCHEME = (
    "from fastmcp import FastMCP\n"
    "\n"
    'mcp = FastMCP("demo")\n'
    "\n"
    '@mcp.resource("config")\n'
    "def config() -> str:\n"
    '    return "c"\n'
)
URI_MESSAGE = (
    "Resource URI 'config' has no scheme; FastMCP rejects it when the module is imported "
    "(use e.g. 'resource://config')"
)

# FMCP101 (severity info) on the server bound under another name.
OTHER_SERVER_NAME = 'import fastmcp\n\nweather_server = fastmcp.FastMCP("weather")\n'

# A syntax error on line 3, followed by more code.
SYNTAX_ERROR = "import os\n\nx = = 1\ny = 2\nz = 3\n"

PYPROJECT = '[project]\nname = "demo"\nversion = "0.1.0"\n'


@pytest.fixture(autouse=True)
def _plain_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """No colour codes and a fixed width, whatever the calling terminal says."""
    monkeypatch.setenv("NO_COLOR", "1")
    for name in ("FORCE_COLOR", "COLUMNS", "LINES", "GITHUB_ACTIONS"):
        monkeypatch.delenv(name, raising=False)


# -- helpers --------------------------------------------------------------------------


def make_project(
    root: Path, files: dict[str, str | bytes], fkit: str = "", project: str = PYPROJECT
) -> Path:
    """A project in ``root``: pyproject.toml (with an optional ``[tool.fkit]`` body) plus files."""
    pyproject = project + (f"\n[tool.fkit]\n{fkit}\n" if fkit else "")
    return write_tree(root, {"pyproject.toml": pyproject, **files})


def lint(root: Path, *args: str, stdin: bytes | None = None) -> CliResult:
    """``fkit lint --no-cache ARGS`` run from ``root``."""
    return run_cli(["lint", "--no-cache", *args], cwd=root, stdin=stdin)


FINDING_LINE = re.compile(r"^\S.*:\d+:\d+: FMCP\d{3}")


def findings(stdout: str) -> list[str]:
    """The finding lines of concise output, without the summary that follows them."""
    return [line for line in stdout.splitlines() if FINDING_LINE.match(line)]


def concise(root: Path, *args: str) -> list[str]:
    return findings(lint(root, "--output-format", "concise", *args).stdout)


def json_findings(root: Path, *args: str) -> list[dict[str, Any]]:
    result = lint(root, "--output-format", "json", *args)
    assert result.exit_code in (0, 1), result.stderr
    return json.loads(result.stdout)


def found(root: Path, *args: str) -> set[tuple[str, str]]:
    """{(filename, code)} of every finding."""
    return {(item["filename"], item["code"]) for item in json_findings(root, *args)}


def codes(root: Path, *args: str) -> set[str]:
    return {item["code"] for item in json_findings(root, *args)}


def assert_usage_error(result: CliResult, *fragments: str) -> None:
    """Exit 2, one `fkit: error:` line on stderr naming ``fragments``, no traceback."""
    assert result.exit_code == 2, (result.exit_code, result.stdout, result.stderr)
    assert result.stderr.startswith("fkit: error: "), result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().count("\n") == 0, result.stderr
    for fragment in fragments:
        assert fragment in result.stderr


def offset(source: str, row: int, column: int) -> int:
    """The string index of a 1-based (row, column) in ``source``."""
    lines = source.splitlines(keepends=True)
    return sum(len(line) for line in lines[: row - 1]) + column - 1


def apply_json_edits(source: str, edits: list[dict[str, Any]]) -> str:
    """Apply ruff-style edits (end exclusive), last first so offsets stay valid."""
    spans = [
        (
            offset(source, e["location"]["row"], e["location"]["column"]),
            offset(source, e["end_location"]["row"], e["end_location"]["column"]),
            e["content"],
        )
        for e in edits
    ]
    for start, end, content in sorted(spans, reverse=True):
        source = source[:start] + content + source[end:]
    return source


# -- 1. exit codes and usage errors -----------------------------------------------------


def test_clean_project_exits_0_and_says_all_checks_passed(tmp_path: Path) -> None:
    make_project(tmp_path, {"server.py": CLEAN})
    result = lint(tmp_path)
    assert result.exit_code == 0
    assert "All checks passed!" in result.stdout
    assert result.stderr == ""


def test_findings_exit_1(tmp_path: Path) -> None:
    make_project(tmp_path, {"server.py": IMAGE_IMPORT})
    result = lint(tmp_path)
    assert result.exit_code == 1
    assert "FMCP301" in result.stdout
    assert "All checks passed!" not in result.stdout


def test_unknown_cli_option_is_a_usage_error(tmp_path: Path) -> None:
    make_project(tmp_path, {"server.py": CLEAN})
    assert_usage_error(lint(tmp_path, "--no-such-option"), "--no-such-option")


def test_unknown_config_key_is_a_warning_naming_the_key(tmp_path: Path) -> None:
    make_project(tmp_path, {"server.py": IMAGE_IMPORT}, fkit='selectt = ["FMCP999"]')
    result = lint(tmp_path)
    assert result.exit_code == 1  # linted with the other settings
    assert result.stderr == (
        "fkit: warning: pyproject.toml: unknown key 'selectt' in [tool.fkit] ignored; "
        "did you mean 'select'?\n"
    )


def test_bad_output_format_is_a_usage_error(tmp_path: Path) -> None:
    make_project(tmp_path, {"server.py": CLEAN})
    assert_usage_error(lint(tmp_path, "--output-format", "xml"), "xml")


def test_bad_output_format_in_config_is_an_error(tmp_path: Path) -> None:
    make_project(tmp_path, {"server.py": CLEAN}, fkit='output-format = "xml"')
    assert_usage_error(lint(tmp_path), "output-format")


def test_unknown_select_code_is_a_usage_error(tmp_path: Path) -> None:
    make_project(tmp_path, {"server.py": CLEAN})
    assert_usage_error(lint(tmp_path, "--select", "FMCP999"), "FMCP999")


def test_unknown_ignore_code_is_a_usage_error(tmp_path: Path) -> None:
    make_project(tmp_path, {"server.py": CLEAN})
    assert_usage_error(lint(tmp_path, "--ignore", "NOPE1"), "NOPE1")


def test_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    make_project(tmp_path, {"server.py": CLEAN})
    assert_usage_error(lint(tmp_path, "missing.py"), "missing.py")


def test_invalid_toml_in_pyproject_is_an_error(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pyproject.toml": "[tool.fkit\nselect = [\n", "server.py": CLEAN})
    assert_usage_error(lint(tmp_path), "pyproject.toml")


def test_mistyped_config_value_is_an_error(tmp_path: Path) -> None:
    make_project(tmp_path, {"server.py": CLEAN}, fkit='ignore = "FMCP301"')
    assert_usage_error(lint(tmp_path), "ignore")


def test_config_table_for_unknown_rule_is_an_error(tmp_path: Path) -> None:
    make_project(tmp_path, {"server.py": CLEAN}, fkit="[tool.fkit.rules.FMCP999]\nx = 1")
    assert_usage_error(lint(tmp_path), "FMCP999")


def test_jobs_below_one_is_a_usage_error(tmp_path: Path) -> None:
    make_project(tmp_path, {"server.py": CLEAN})
    assert_usage_error(lint(tmp_path, "--jobs", "0"), "--jobs")


def test_stdin_mixed_with_paths_is_a_usage_error(tmp_path: Path) -> None:
    make_project(tmp_path, {"server.py": CLEAN})
    assert_usage_error(lint(tmp_path, "-", "server.py", stdin=CLEAN.encode()), "'-'")


# -- 2. output formats ----------------------------------------------------------------


def two_findings_project(root: Path) -> Path:
    """resources.py: FMCP202 at 5:15 (no fix); server.py: FMCP301 at 1:30 (safe fix)."""
    return make_project(root, {"resources.py": URI_WITHOUT_SCHEME, "server.py": IMAGE_IMPORT})


def test_text_format_shows_the_source_line_with_a_caret_under_the_flagged_code(
    tmp_path: Path,
) -> None:
    make_project(tmp_path, {"server.py": IMAGE_IMPORT})
    result = lint(tmp_path)  # text is the default
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert any(line.startswith(f"server.py:1:30: FMCP301 [*] {IMAGE_MESSAGE}") for line in lines), (
        result.stdout
    )
    source_index = next(
        i for i, line in enumerate(lines) if line.endswith("from fastmcp import FastMCP, Image")
    )
    source_line, caret_line = lines[source_index], lines[source_index + 1]
    code_start = source_line.index("from fastmcp")
    assert caret_line.index("^") == code_start + 29  # column 30
    assert re.search(r"(?<!\^)\^{5}(?!\^)", caret_line), caret_line  # `Image` is 5 wide
    assert "Found 1 error." in lines


def caret_column_under(stdout: str, source_text: str, word: str) -> tuple[int, int]:
    """(index of the first caret, index of ``word`` in the displayed source line)."""
    lines = stdout.splitlines()
    index = next(i for i, line in enumerate(lines) if line.rstrip().endswith(source_text))
    return lines[index + 1].index("^"), lines[index].index(word)


def test_text_format_caret_is_under_the_flagged_code_on_a_tab_indented_line(tmp_path: Path) -> None:
    source = "import sys\n\nif sys:\n\tfrom fastmcp import FastMCP, Image\n"
    make_project(tmp_path, {"server.py": source})
    result = lint(tmp_path)
    assert result.stdout.startswith("server.py:4:31: FMCP301"), result.stdout
    caret, image = caret_column_under(result.stdout, "from fastmcp import FastMCP, Image", "Image")
    assert caret == image, result.stdout


def test_text_format_shows_the_source_line_verbatim(tmp_path: Path) -> None:
    line = "from fastmcp import FastMCP, Image  # :warning: [bold]legacy[/bold]"
    make_project(tmp_path, {"server.py": line + "\n"})
    result = lint(tmp_path)
    assert result.exit_code == 1
    assert any(shown.endswith(f"1 | {line}") for shown in result.stdout.splitlines()), result.stdout


def test_text_format_summary_counts_all_findings(tmp_path: Path) -> None:
    two_findings_project(tmp_path)
    result = lint(tmp_path, "--output-format", "text")
    assert result.exit_code == 1
    assert "Found 2 errors." in result.stdout.splitlines()
    assert "1 fixable with the `--fix` option" in result.stdout


def test_concise_format_is_one_exact_line_per_finding(tmp_path: Path) -> None:
    two_findings_project(tmp_path)
    result = lint(tmp_path, "--output-format", "concise")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"resources.py:5:15: FMCP202 {URI_MESSAGE}",
        f"server.py:1:30: FMCP301 [*] {IMAGE_MESSAGE}",
        "Found 2 errors.",
        "[*] 1 fixable with the `--fix` option.",
    ]


def test_concise_format_uses_paths_relative_to_the_working_directory(tmp_path: Path) -> None:
    make_project(tmp_path / "proj", {"pkg/server.py": IMAGE_IMPORT})
    result = run_cli(["lint", "--no-cache", "--output-format", "concise", "proj"], cwd=tmp_path)
    assert findings(result.stdout) == [f"proj/pkg/server.py:1:30: FMCP301 [*] {IMAGE_MESSAGE}"]


def test_json_format_has_ruff_shaped_records(tmp_path: Path) -> None:
    two_findings_project(tmp_path)
    result = lint(tmp_path, "--output-format", "json")
    assert result.exit_code == 1
    items = json.loads(result.stdout)
    assert isinstance(items, list) and len(items) == 2
    required = {"code", "message", "filename", "location", "end_location", "fix", "url"}
    for item in items:
        assert required <= item.keys()
        assert item["url"].startswith("https://")
    uri, image = items
    assert (uri["code"], uri["filename"], uri["message"]) == (
        "FMCP202",
        "resources.py",
        URI_MESSAGE,
    )
    assert uri["location"] == {"row": 5, "column": 15}
    assert uri["end_location"] == {"row": 5, "column": 23}
    assert uri["fix"] is None
    assert (image["code"], image["filename"], image["message"]) == (
        "FMCP301",
        "server.py",
        IMAGE_MESSAGE,
    )
    assert image["location"] == {"row": 1, "column": 30}
    assert image["end_location"] == {"row": 1, "column": 35}
    fix = image["fix"]
    assert fix["applicability"] == "safe"
    assert fix["message"] == "Import from `fastmcp.utilities.types`"
    assert fix["edits"]
    for edit in fix["edits"]:
        assert set(edit) == {"content", "location", "end_location"}
        assert set(edit["location"]) == set(edit["end_location"]) == {"row", "column"}


def test_json_fix_edits_turn_the_file_into_what_fix_writes(tmp_path: Path) -> None:
    make_project(tmp_path, {"server.py": IMAGE_IMPORT})
    [item] = json_findings(tmp_path)
    assert apply_json_edits(IMAGE_IMPORT, item["fix"]["edits"]) == IMAGE_IMPORT_FIXED


def test_json_format_marks_unsafe_fixes(tmp_path: Path) -> None:
    make_project(tmp_path, {"stamp.py": NAIVE_UTC})
    [item] = json_findings(tmp_path)
    assert item["code"] == "FMCP901"
    assert item["location"] == {"row": 3, "column": 9}
    assert item["fix"]["applicability"] == "unsafe"
    assert apply_json_edits(NAIVE_UTC, item["fix"]["edits"]) == NAIVE_UTC_FIXED


def test_json_format_of_a_clean_project_is_an_empty_list(tmp_path: Path) -> None:
    make_project(tmp_path, {"server.py": CLEAN})
    result = lint(tmp_path, "--output-format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == []


def test_sarif_format(tmp_path: Path) -> None:
    two_findings_project(tmp_path)
    result = lint(tmp_path, "--output-format", "sarif")
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert document["version"] == "2.1.0"
    run = document["runs"][0]
    descriptors = run["tool"]["driver"]["rules"]
    assert set(all_rules()) <= {descriptor["id"] for descriptor in descriptors}
    results = run["results"]
    assert [r["ruleId"] for r in results] == ["FMCP202", "FMCP301"]
    for r in results:
        assert descriptors[r["ruleIndex"]]["id"] == r["ruleId"]
    regions = [r["locations"][0]["physicalLocation"]["region"] for r in results]
    assert [(g["startLine"], g["startColumn"]) for g in regions] == [(5, 15), (1, 30)]
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results]
    assert uris == ["resources.py", "server.py"]


def test_github_format_emits_one_annotation_per_finding_by_severity(tmp_path: Path) -> None:
    make_project(
        tmp_path,
        {"server.py": IMAGE_IMPORT, "stamp.py": NAIVE_UTC, "weather.py": OTHER_SERVER_NAME},
    )
    # FMCP101 (the notice) is opt-in.
    result = lint(tmp_path, "--extend-select", "FMCP101", "--output-format", "github")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 3
    for line in lines:
        assert re.match(r"::(error|warning|notice) ", line), line
        assert "file=" in line and "line=" in line and "col=" in line
    by_file = {re.search(r"file=([^,:]+)", line).group(1): line for line in lines}  # type: ignore[union-attr]
    assert by_file["server.py"].startswith("::error ")
    assert ",line=1,col=30," in by_file["server.py"]
    assert by_file["server.py"].endswith(f"::FMCP301 {IMAGE_MESSAGE}")
    assert by_file["stamp.py"].startswith("::warning ")  # FMCP901 is a warning
    assert ",line=3,col=9," in by_file["stamp.py"]
    assert by_file["weather.py"].startswith("::notice ")  # FMCP101 is info


def test_output_format_from_config_is_used(tmp_path: Path) -> None:
    make_project(tmp_path, {"server.py": IMAGE_IMPORT}, fkit='output-format = "concise"')
    result = lint(tmp_path)
    assert result.exit_code == 1
    assert findings(result.stdout) == [f"server.py:1:30: FMCP301 [*] {IMAGE_MESSAGE}"]


def test_output_format_flag_overrides_config(tmp_path: Path) -> None:
    make_project(tmp_path, {"server.py": IMAGE_IMPORT}, fkit='output-format = "concise"')
    result = lint(tmp_path, "--output-format", "json")
    assert [item["code"] for item in json.loads(result.stdout)] == ["FMCP301"]


# -- 3. --statistics and --exit-zero ----------------------------------------------------


def test_statistics_counts_findings_per_code_most_frequent_first(tmp_path: Path) -> None:
    make_project(tmp_path, {"a.py": IMAGE_IMPORT, "b.py": IMAGE_IMPORT, "c.py": NAIVE_UTC})
    result = lint(tmp_path, "--statistics")
    assert result.exit_code == 1
    rows = [line.split() for line in result.stdout.splitlines() if line.strip()]
    assert [(row[0], row[1]) for row in rows] == [("2", "FMCP301"), ("1", "FMCP901")]
    assert "image-import-path" in result.stdout and "naive-utc-datetime" in result.stdout


def test_statistics_as_json(tmp_path: Path) -> None:
    make_project(tmp_path, {"a.py": IMAGE_IMPORT, "b.py": IMAGE_IMPORT, "c.py": NAIVE_UTC})
    result = lint(tmp_path, "--statistics", "--output-format", "json")
    counts = {item["code"]: item["count"] for item in json.loads(result.stdout)}
    assert counts == {"FMCP301": 2, "FMCP901": 1}


def test_exit_zero_reports_findings_but_exits_0(tmp_path: Path) -> None:
    make_project(tmp_path, {"server.py": IMAGE_IMPORT})
    result = lint(tmp_path, "--exit-zero", "--output-format", "concise")
    assert result.exit_code == 0
    assert findings(result.stdout) == [f"server.py:1:30: FMCP301 [*] {IMAGE_MESSAGE}"]


# -- 4. noqa ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("comment", "suppressed"),
    [
        ("# noqa: FMCP301", True),
        ("# noqa", True),
        ("# noqa:FMCP301,FMCP901", True),
        ("# noqa: FMCP999", False),
        ("# noqa: FMCP901", False),
    ],
)
def test_noqa_comment(tmp_path: Path, comment: str, suppressed: bool) -> None:
    source = IMAGE_IMPORT.replace("Image\n", f"Image  {comment}\n", 1)
    make_project(tmp_path, {"server.py": source})
    result = lint(tmp_path, "--output-format", "concise")
    if suppressed:
        assert (result.exit_code, result.stdout) == (0, "All checks passed!\n")
    else:
        assert result.exit_code == 1
        assert [line.split()[:2] for line in findings(result.stdout)] == [
            ["server.py:1:30:", "FMCP301"]
        ]


def test_noqa_on_another_line_does_not_suppress(tmp_path: Path) -> None:
    make_project(tmp_path, {"server.py": "# noqa: FMCP301\n" + IMAGE_IMPORT})
    assert found(tmp_path) == {("server.py", "FMCP301")}


# -- 5. fixes --------------------------------------------------------------------------


def test_fix_applies_safe_fixes_and_a_second_fix_changes_nothing(tmp_path: Path) -> None:
    make_project(tmp_path, {"server.py": IMAGE_IMPORT, "tools.py": UNGUARDED_RUN})
    first = lint(tmp_path, "--fix")
    assert first.exit_code == 0, first.stdout
    assert (tmp_path / "server.py").read_text(encoding="utf-8") == IMAGE_IMPORT_FIXED
    assert (tmp_path / "tools.py").read_text(encoding="utf-8") == UNGUARDED_RUN_FIXED
    before = {name: (tmp_path / name).read_bytes() for name in ("server.py", "tools.py")}
    second = lint(tmp_path, "--fix")
    assert second.exit_code == 0
    assert "All checks passed!" in second.stdout
    assert {name: (tmp_path / name).read_bytes() for name in before} == before


def test_fix_annotates_an_uninjected_context(tmp_path: Path) -> None:
    make_project(tmp_path, {"server.py": UNINJECTED_CTX})
    assert lint(tmp_path, "--fix").exit_code == 0
    fixed = (tmp_path / "server.py").read_text(encoding="utf-8")
    assert "async def greet(name: str, ctx: Context) -> str:" in fixed
    assert "from fastmcp import Context, FastMCP\n" in fixed
    assert found(tmp_path) == set()


def test_fix_does_not_apply_unsafe_fixes(tmp_path: Path) -> None:
    make_project(tmp_path, {"stamp.py": NAIVE_UTC})
    result = lint(tmp_path, "--fix", "--output-format", "concise")
    assert result.exit_code == 1
    assert (tmp_path / "stamp.py").read_text(encoding="utf-8") == NAIVE_UTC
    assert [line.split()[:2] for line in findings(result.stdout)] == [["stamp.py:3:9:", "FMCP901"]]


def test_fix_with_unsafe_fixes_applies_them(tmp_path: Path) -> None:
    make_project(tmp_path, {"stamp.py": NAIVE_UTC})
    result = lint(tmp_path, "--fix", "--unsafe-fixes")
    assert result.exit_code == 0
    assert (tmp_path / "stamp.py").read_text(encoding="utf-8") == NAIVE_UTC_FIXED


def test_fix_applies_the_safe_fix_and_leaves_the_unsafe_one_in_the_same_file(
    tmp_path: Path,
) -> None:
    make_project(tmp_path, {"server.py": IMAGE_IMPORT + "\n" + NAIVE_UTC})
    result = lint(tmp_path, "--fix", "--output-format", "json")
    assert result.exit_code == 1
    assert [item["code"] for item in json.loads(result.stdout)] == ["FMCP901"]
    fixed = (tmp_path / "server.py").read_text(encoding="utf-8")
    assert "from fastmcp.utilities.types import Image" in fixed
    assert "datetime.utcnow()" in fixed


def test_diff_prints_a_unified_diff_and_writes_nothing(tmp_path: Path) -> None:
    make_project(tmp_path, {"server.py": IMAGE_IMPORT, "clean.py": CLEAN})
    before = (tmp_path / "server.py").read_bytes()
    result = lint(tmp_path, "--diff")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith("--- ") and lines[0].endswith("server.py")
    assert lines[1].startswith("+++ ") and lines[1].endswith("server.py")
    assert "-from fastmcp import FastMCP, Image" in lines
    assert "+from fastmcp import FastMCP" in lines
    assert "+from fastmcp.utilities.types import Image" in lines
    assert "clean.py" not in result.stdout
    assert (tmp_path / "server.py").read_bytes() == before


def test_diff_with_nothing_to_fix_exits_0_and_prints_no_diff(tmp_path: Path) -> None:
    make_project(tmp_path, {"server.py": CLEAN})
    result = lint(tmp_path, "--diff")
    assert result.exit_code == 0
    assert result.stdout == ""


def test_fix_keeps_crlf_newlines(tmp_path: Path) -> None:
    make_project(tmp_path, {"server.py": IMAGE_IMPORT.replace("\n", "\r\n").encode()})
    assert lint(tmp_path, "--fix").exit_code == 0
    assert (tmp_path / "server.py").read_bytes() == IMAGE_IMPORT_FIXED.replace(
        "\n", "\r\n"
    ).encode()


def test_fix_keeps_a_latin_1_encoding_declared_by_a_cookie(tmp_path: Path) -> None:
    cookie = "# -*- coding: latin-1 -*-\n"
    body = '\n# café crème\nmcp = FastMCP("naïve")\n'
    original = (cookie + "from fastmcp import FastMCP, Image\n" + body).encode("latin-1")
    expected = (
        cookie + "from fastmcp import FastMCP\nfrom fastmcp.utilities.types import Image\n" + body
    ).encode("latin-1")
    make_project(tmp_path, {"server.py": original})
    assert lint(tmp_path, "--fix").exit_code == 0
    assert (tmp_path / "server.py").read_bytes() == expected


def test_fix_keeps_a_utf8_byte_order_mark(tmp_path: Path) -> None:
    make_project(tmp_path, {"server.py": b"\xef\xbb\xbf" + IMAGE_IMPORT.encode()})
    assert lint(tmp_path, "--fix").exit_code == 0
    assert (tmp_path / "server.py").read_bytes() == b"\xef\xbb\xbf" + IMAGE_IMPORT_FIXED.encode()


# -- 6. robustness ---------------------------------------------------------------------


def test_syntax_error_file_and_file_with_findings_are_both_reported(tmp_path: Path) -> None:
    make_project(tmp_path, {"broken.py": SYNTAX_ERROR, "server.py": IMAGE_IMPORT})
    result = lint(tmp_path, "--output-format", "json")
    assert result.exit_code == 1
    items = json.loads(result.stdout)
    assert [(item["filename"], item["code"]) for item in items] == [
        ("broken.py", "FMCP001"),
        ("server.py", "FMCP301"),
    ]
    assert "syntax error" in items[0]["message"]


def test_syntax_error_is_reported_on_the_line_of_the_error(tmp_path: Path) -> None:
    # `x = = 1` is line 3 (Python: "line 3"; libcst's own message: "error at 3:6").
    make_project(tmp_path, {"broken.py": SYNTAX_ERROR})
    [item] = json_findings(tmp_path)
    assert item["code"] == "FMCP001"
    assert item["location"]["row"] == 3, item


def test_undecodable_file_is_reported_and_the_run_goes_on(tmp_path: Path) -> None:
    make_project(tmp_path, {"latin.py": b"name = 'caf\xe9'\n", "server.py": IMAGE_IMPORT})
    result = lint(tmp_path, "--output-format", "json")
    assert result.exit_code == 1
    items = json.loads(result.stdout)
    assert [(item["filename"], item["code"]) for item in items] == [
        ("latin.py", "FMCP001"),
        ("server.py", "FMCP301"),
    ]
    assert "cannot decode" in items[0]["message"]


def test_fix_leaves_an_unparsable_file_alone(tmp_path: Path) -> None:
    make_project(tmp_path, {"broken.py": SYNTAX_ERROR, "server.py": IMAGE_IMPORT})
    result = lint(tmp_path, "--fix", "--output-format", "concise")
    assert result.exit_code == 1
    assert (tmp_path / "broken.py").read_text(encoding="utf-8") == SYNTAX_ERROR
    assert (tmp_path / "server.py").read_text(encoding="utf-8") == IMAGE_IMPORT_FIXED


# -- 7. stdin --------------------------------------------------------------------------


def test_stdin_is_linted_under_the_stdin_filename(tmp_path: Path) -> None:
    make_project(tmp_path, {})
    result = lint(
        tmp_path,
        "-",
        "--stdin-filename",
        "server.py",
        "--output-format",
        "concise",
        stdin=IMAGE_IMPORT.encode(),
    )
    assert result.exit_code == 1
    assert findings(result.stdout) == [f"server.py:1:30: FMCP301 [*] {IMAGE_MESSAGE}"]


def test_stdin_json_reports_the_stdin_filename(tmp_path: Path) -> None:
    make_project(tmp_path, {})
    result = lint(
        tmp_path,
        "-",
        "--stdin-filename",
        "server.py",
        "--output-format",
        "json",
        stdin=IMAGE_IMPORT.encode(),
    )
    assert [(item["filename"], item["code"]) for item in json.loads(result.stdout)] == [
        ("server.py", "FMCP301")
    ]


def test_stdin_fix_prints_the_fixed_code_on_stdout(tmp_path: Path) -> None:
    make_project(tmp_path, {})
    result = lint(
        tmp_path, "-", "--stdin-filename", "server.py", "--fix", stdin=IMAGE_IMPORT.encode()
    )
    assert result.exit_code == 0
    assert result.stdout == IMAGE_IMPORT_FIXED
    assert not (tmp_path / "server.py").exists()


def test_stdin_fix_without_fixes_echoes_the_source(tmp_path: Path) -> None:
    make_project(tmp_path, {})
    result = lint(tmp_path, "-", "--stdin-filename", "stamp.py", "--fix", stdin=NAIVE_UTC.encode())
    assert result.exit_code == 1
    assert result.stdout == NAIVE_UTC
    assert "FMCP901" in result.stderr


def test_stdin_filename_is_matched_against_per_file_ignores(tmp_path: Path) -> None:
    make_project(tmp_path, {}, fkit='per-file-ignores = {"legacy/*.py" = ["FMCP301"]}')
    ignored = lint(tmp_path, "-", "--stdin-filename", "legacy/old.py", stdin=IMAGE_IMPORT.encode())
    assert ignored.exit_code == 0
    reported = lint(tmp_path, "-", "--stdin-filename", "new/old.py", stdin=IMAGE_IMPORT.encode())
    assert reported.exit_code == 1


# -- 8. selection and configuration ------------------------------------------------------


def one_example_per_rule() -> tuple[dict[str, str | bytes], dict[str, set[str]]]:
    """One INVALID example of every rule, each in its own folder (a plain one where
    there is one; else with its project files, e.g. the pyproject.toml whose
    requires-python a rule reads), and {target version: codes whose example fires at
    that version}."""
    files: dict[str, str | bytes] = {}
    by_version: dict[str, set[str]] = {}
    for code, rule in all_rules().items():
        if rule.is_project_rule():
            continue  # needs its own project layout; run through the CLI by test_rule_examples
        example = next((e for e in rule.INVALID if not e.files), rule.INVALID[0])
        for name, text in {**example.files, example.filename: example.source}.items():
            files[f"{code.lower()}/{name}"] = text
        by_version.setdefault(str(target_for(rule, example.fastmcp_version)), set()).add(code)
    return files, by_version


def test_select_all_enables_every_rule_even_over_a_configured_select(tmp_path: Path) -> None:
    files, by_version = one_example_per_rule()
    make_project(tmp_path, files, fkit='select = ["FMCP201"]')
    assert codes(tmp_path) == {"FMCP201"}
    reported: set[str] = set()
    for version, expected in by_version.items():
        found_here = codes(tmp_path, "--select", "ALL", "--fastmcp-version", version)
        assert expected <= found_here, version
        reported |= found_here
    # Project rules may fire too (their verdict depends on the whole tree); every
    # file rule must have been run by --select ALL.
    assert {code for code, rule in all_rules().items() if not rule.is_project_rule()} <= reported


def test_select_replaces_the_default_set(tmp_path: Path) -> None:
    make_project(tmp_path, {"server.py": IMAGE_IMPORT, "stamp.py": NAIVE_UTC})
    assert codes(tmp_path, "--select", "FMCP9") == {"FMCP901"}
    assert codes(tmp_path, "--select", "FMCP301,FMCP901") == {"FMCP301", "FMCP901"}


def test_ignore_flag(tmp_path: Path) -> None:
    make_project(tmp_path, {"server.py": IMAGE_IMPORT, "stamp.py": NAIVE_UTC})
    assert codes(tmp_path) == {"FMCP301", "FMCP901"}
    assert codes(tmp_path, "--ignore", "FMCP301") == {"FMCP901"}


def test_ignore_in_config(tmp_path: Path) -> None:
    make_project(
        tmp_path, {"server.py": IMAGE_IMPORT, "stamp.py": NAIVE_UTC}, fkit='ignore = ["FMCP301"]'
    )
    assert codes(tmp_path) == {"FMCP901"}


def test_extend_select_in_config_adds_to_select(tmp_path: Path) -> None:
    files = {"server.py": IMAGE_IMPORT, "stamp.py": NAIVE_UTC, "tools.py": UNINJECTED_CTX}
    make_project(tmp_path, files, fkit='select = ["FMCP901"]\nextend-select = ["FMCP301"]')
    assert codes(tmp_path) == {"FMCP301", "FMCP901"}
    assert codes(tmp_path, "--extend-select", "FMCP201") == {"FMCP201", "FMCP301", "FMCP901"}


def test_per_file_ignores(tmp_path: Path) -> None:
    make_project(
        tmp_path,
        {"legacy/old.py": IMAGE_IMPORT + NAIVE_UTC, "server.py": IMAGE_IMPORT},
        fkit='per-file-ignores = {"legacy/*.py" = ["FMCP301"]}',
    )
    assert found(tmp_path) == {("legacy/old.py", "FMCP901"), ("server.py", "FMCP301")}


def test_extend_exclude_adds_to_the_default_excludes(tmp_path: Path) -> None:
    files = {
        "server.py": IMAGE_IMPORT,
        "generated/api.py": IMAGE_IMPORT,
        "build/lib.py": IMAGE_IMPORT,
    }
    make_project(tmp_path, files, fkit='extend-exclude = ["generated"]')
    assert found(tmp_path) == {("server.py", "FMCP301")}


def test_exclude_replaces_the_default_excludes(tmp_path: Path) -> None:
    files = {
        "server.py": IMAGE_IMPORT,
        "generated/api.py": IMAGE_IMPORT,
        "build/lib.py": IMAGE_IMPORT,
    }
    make_project(tmp_path, files, fkit='exclude = ["generated"]')
    assert found(tmp_path) == {("server.py", "FMCP301"), ("build/lib.py", "FMCP301")}


def test_per_file_ignores_match_from_the_project_root_when_run_in_a_subfolder(
    tmp_path: Path,
) -> None:
    make_project(
        tmp_path,
        {"legacy/old.py": IMAGE_IMPORT + NAIVE_UTC},
        fkit='per-file-ignores = {"legacy/*.py" = ["FMCP301"]}',
    )
    assert found(tmp_path / "legacy") == {("old.py", "FMCP901")}


def test_a_file_given_twice_is_linted_once(tmp_path: Path) -> None:
    make_project(tmp_path, {"server.py": IMAGE_IMPORT})
    assert concise(tmp_path, ".", "server.py") == [f"server.py:1:30: FMCP301 [*] {IMAGE_MESSAGE}"]


def test_gitignored_files_are_skipped(tmp_path: Path) -> None:
    files = {
        ".gitignore": "ignored.py\nsecret/\n",
        "server.py": IMAGE_IMPORT,
        "ignored.py": IMAGE_IMPORT,
        "secret/keys.py": IMAGE_IMPORT,
        "pkg/.gitignore": "local.py\n",
        "pkg/local.py": IMAGE_IMPORT,
        "pkg/kept.py": IMAGE_IMPORT,
    }
    make_project(tmp_path, files)
    assert found(tmp_path) == {("server.py", "FMCP301"), ("pkg/kept.py", "FMCP301")}


def test_virtualenv_folders_are_skipped(tmp_path: Path) -> None:
    files = {
        "server.py": IMAGE_IMPORT,
        "myenv/pyvenv.cfg": "home = /usr/bin\n",
        "myenv/lib/site.py": IMAGE_IMPORT,
    }
    make_project(tmp_path, files)
    assert found(tmp_path) == {("server.py", "FMCP301")}


@pytest.mark.parametrize(
    "name", ["ignored.py", "secret/keys.py", "myenv/lib/site.py", "generated/api.py"]
)
def test_a_file_named_on_the_command_line_is_always_linted(tmp_path: Path, name: str) -> None:
    files = {
        ".gitignore": "ignored.py\nsecret/\n",
        "myenv/pyvenv.cfg": "home = /usr/bin\n",
        name: IMAGE_IMPORT,
    }
    make_project(tmp_path, files, fkit='extend-exclude = ["generated"]')
    assert found(tmp_path) == set()
    assert found(tmp_path, name) == {(name, "FMCP301")}


CUSTOM_CONTEXT_NAME = (
    "from fastmcp import FastMCP\n"
    "\n"
    'mcp = FastMCP("demo")\n'
    "\n"
    "@mcp.tool\n"
    "async def one(c) -> str:\n"
    '    await c.info("x")\n'
    '    return "1"\n'
    "\n"
    "@mcp.tool\n"
    "async def two(ctx) -> str:\n"
    '    await ctx.info("x")\n'
    '    return "2"\n'
)


def test_rule_options_change_fmcp201(tmp_path: Path) -> None:
    make_project(tmp_path, {"server.py": CUSTOM_CONTEXT_NAME})
    default = [(i["location"]["row"], i["code"]) for i in json_findings(tmp_path)]
    assert default == [(11, "FMCP201")]
    make_project(tmp_path, {}, fkit='[tool.fkit.rules.FMCP201]\ncontext-names = ["c"]')
    configured = [(i["location"]["row"], i["code"]) for i in json_findings(tmp_path)]
    assert configured == [(6, "FMCP201")]


NAIVE_UTC_ONLY = """\
from datetime import datetime

stamp = datetime.utcnow().isoformat()
"""


def test_fmcp901_reports_the_bare_deprecation_only_when_asked(tmp_path: Path) -> None:
    make_project(tmp_path, {"server.py": NAIVE_UTC_ONLY})
    assert [i["code"] for i in json_findings(tmp_path)] == []
    make_project(tmp_path, {}, fkit="[tool.fkit.rules.FMCP901]\nreport-deprecation = true")
    (finding,) = json_findings(tmp_path)
    assert finding["code"] == "FMCP901" and finding["location"]["row"] == 3
    assert "deprecated since Python 3.12" in finding["message"]


def test_unknown_rule_option_is_an_error(tmp_path: Path) -> None:
    make_project(
        tmp_path, {"server.py": CLEAN}, fkit='[tool.fkit.rules.FMCP201]\ncontext-name = ["c"]'
    )
    assert_usage_error(lint(tmp_path), "context-name")


def test_mistyped_rule_option_is_an_error(tmp_path: Path) -> None:
    make_project(
        tmp_path, {"server.py": CLEAN}, fkit='[tool.fkit.rules.FMCP201]\ncontext-names = "c"'
    )
    assert_usage_error(lint(tmp_path), "context-names")


# -- 9. FastMCP version gating --------------------------------------------------------

PINNED_2_13 = (
    '[project]\nname = "demo"\nversion = "0.1.0"\ndependencies = ["fastmcp>=2.13,<2.14"]\n'
)


def test_version_gated_rule_runs_without_a_pin(tmp_path: Path) -> None:
    make_project(tmp_path, {"server.py": IMAGE_IMPORT})
    assert codes(tmp_path) == {"FMCP301"}


def test_version_gated_rule_is_skipped_for_an_older_pinned_fastmcp(tmp_path: Path) -> None:
    make_project(tmp_path, {"server.py": IMAGE_IMPORT}, project=PINNED_2_13)
    result = lint(tmp_path)
    assert result.exit_code == 0
    assert "All checks passed!" in result.stdout


def test_fastmcp_version_flag_overrides_the_pin(tmp_path: Path) -> None:
    make_project(tmp_path, {"server.py": IMAGE_IMPORT}, project=PINNED_2_13)
    assert codes(tmp_path, "--fastmcp-version", "4.1") == {"FMCP301"}


def test_fastmcp_version_in_config_skips_the_rule(tmp_path: Path) -> None:
    make_project(tmp_path, {"server.py": IMAGE_IMPORT}, fkit='fastmcp-version = "2.13"')
    assert codes(tmp_path) == set()
    assert codes(tmp_path, "--fastmcp-version", "4.1") == {"FMCP301"}


def test_bad_fastmcp_version_is_a_usage_error(tmp_path: Path) -> None:
    make_project(tmp_path, {"server.py": CLEAN})
    assert_usage_error(lint(tmp_path, "--fastmcp-version", "banana"), "banana")


# -- 10. the cache and worker processes -----------------------------------------------

MANY_SOURCES = (IMAGE_IMPORT, NAIVE_UTC, CLEAN, UNINJECTED_CTX, URI_WITHOUT_SCHEME, UNGUARDED_RUN)
FILE_COUNT = max(24, 3 * MIN_FILES_PER_WORKER)  # enough for two workers to start


def many_files_project(root: Path) -> Path:
    files: dict[str, str | bytes] = {
        f"pkg/mod_{i:02}.py": MANY_SOURCES[i % len(MANY_SOURCES)] for i in range(FILE_COUNT)
    }
    files["pkg/broken.py"] = SYNTAX_ERROR
    files["pkg/suppressed.py"] = IMAGE_IMPORT.replace("Image\n", "Image  # noqa: FMCP301\n")
    return make_project(root, files)


def cached(root: Path, *args: str) -> CliResult:
    """``fkit lint`` with the cache on."""
    return run_cli(["lint", *args], cwd=root)


def test_jobs_and_cache_do_not_change_results(tmp_path: Path) -> None:
    many_files_project(tmp_path)
    reference = lint(tmp_path, "--output-format", "json", "--jobs", "1")
    assert reference.exit_code == 1
    assert len(json.loads(reference.stdout)) >= FILE_COUNT // 2
    runs = {
        "no cache, 2 jobs": lint(tmp_path, "--output-format", "json", "--jobs", "2"),
        "cold cache": cached(tmp_path, "--output-format", "json", "--jobs", "1"),
        "warm cache": cached(tmp_path, "--output-format", "json", "--jobs", "1"),
        "warm cache, 2 jobs": cached(tmp_path, "--output-format", "json", "--jobs", "2"),
    }
    assert (tmp_path / ".fkit_cache").is_dir()
    for label, result in runs.items():
        assert (result.exit_code, result.stdout) == (1, reference.stdout), label


def test_cached_text_output_matches_uncached(tmp_path: Path) -> None:
    many_files_project(tmp_path)
    reference = lint(tmp_path, "--output-format", "text", "--jobs", "1")
    cached(tmp_path, "--output-format", "text", "--jobs", "1")
    warm = cached(tmp_path, "--output-format", "text", "--jobs", "1")
    assert warm.stdout == reference.stdout


def test_cache_is_invalidated_by_a_files_content(tmp_path: Path) -> None:
    make_project(tmp_path, {"a.py": IMAGE_IMPORT, "b.py": CLEAN})
    first = cached(tmp_path, "--output-format", "json")
    assert {(i["filename"], i["code"]) for i in json.loads(first.stdout)} == {("a.py", "FMCP301")}
    (tmp_path / "a.py").write_text(CLEAN, encoding="utf-8")
    (tmp_path / "b.py").write_text(NAIVE_UTC, encoding="utf-8")
    second = cached(tmp_path, "--output-format", "json")
    assert {(i["filename"], i["code"]) for i in json.loads(second.stdout)} == {("b.py", "FMCP901")}


def test_cache_is_invalidated_by_a_settings_change(tmp_path: Path) -> None:
    make_project(tmp_path, {"a.py": IMAGE_IMPORT})
    assert cached(tmp_path).exit_code == 1
    assert cached(tmp_path, "--ignore", "FMCP301").exit_code == 0
    assert cached(tmp_path, "--fastmcp-version", "2.13").exit_code == 0
    assert cached(tmp_path).exit_code == 1


def test_cached_findings_use_the_current_display_path(tmp_path: Path) -> None:
    # Cached from inside the project, then read from its parent folder.
    root = make_project(tmp_path / "proj", {"server.py": IMAGE_IMPORT})
    inside = run_cli(["lint", "--output-format", "concise"], cwd=root)
    assert inside.stdout.startswith("server.py:1:30: FMCP301")
    uncached = run_cli(["lint", "--no-cache", "--output-format", "concise", "proj"], cwd=tmp_path)
    from_parent = run_cli(["lint", "--output-format", "concise", "proj"], cwd=tmp_path)
    assert uncached.stdout.startswith("proj/server.py:1:30: FMCP301")
    assert from_parent.stdout == uncached.stdout


def test_fix_with_workers_gives_the_same_files_as_without(tmp_path: Path) -> None:
    serial, parallel = (
        many_files_project(tmp_path / "serial"),
        many_files_project(tmp_path / "parallel"),
    )
    lint(serial, "--fix", "--jobs", "1")
    lint(parallel, "--fix", "--jobs", "2")
    names = sorted(p.relative_to(serial).as_posix() for p in serial.rglob("*.py"))
    assert names == sorted(p.relative_to(parallel).as_posix() for p in parallel.rglob("*.py"))
    for name in names:
        assert (serial / name).read_bytes() == (parallel / name).read_bytes(), name
    assert (parallel / "pkg/mod_00.py").read_text(encoding="utf-8") == IMAGE_IMPORT_FIXED


# -- text rules that judge the project (FMCP105) ---------------------------------------

ENV_AUTH = "FASTMCP_SERVER_AUTH=fastmcp.server.auth.providers.github.GitHubProvider\n"
SERVER_WITH_AUTH = """\
from fastmcp import FastMCP

from app.security import provider

mcp = FastMCP("docs", auth=provider)
"""


def test_env_auth_is_reported_where_no_code_passes_auth(tmp_path: Path) -> None:
    root = make_project(tmp_path, {".env": ENV_AUTH, "server.py": 'x = "no server here"\n'})
    assert found(root, "--fastmcp-version", "3.0.2", ".") == {(".env", "FMCP105")}


def test_env_auth_named_alone_still_sees_the_projects_code(tmp_path: Path) -> None:
    # pre-commit passes only the staged .env: the server's auth= lives in an unstaged file.
    root = make_project(tmp_path, {".env": ENV_AUTH, "server.py": SERVER_WITH_AUTH})
    assert found(root, "--fastmcp-version", "3.0.2", ".env") == set()
    (root / "server.py").write_text(SERVER_WITH_AUTH.replace("auth=provider", "auth=None"))
    assert found(root, "--fastmcp-version", "3.0.2", ".env") == {(".env", "FMCP105")}


def test_env_auth_noqa_and_per_file_ignores_apply(tmp_path: Path) -> None:
    root = make_project(
        tmp_path,
        {".env": ENV_AUTH.rstrip("\n") + "  # noqa: FMCP105\n", "deploy/.env": ENV_AUTH},
        fkit='per-file-ignores = { "deploy/*" = ["FMCP105"] }',
    )
    assert found(root, "--fastmcp-version", "3.0.2", ".") == set()
