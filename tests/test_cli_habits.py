"""The habits ruff users bring to ``fkit lint``, each tried from the command line:
the summary per severity, ``fkit rule NAME``, ``--show-fixes``, ``--add-noqa``,
``-q``/``-v``, ``--config KEY=VALUE``, shell completion, progress and the cache's place."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest

from fastmcp_kit.cli import main, progress
from fastmcp_kit.lint.registry import all_rules
from tests.helpers import chdir, run_cli
from tests.test_cli_lint import (
    IMAGE_IMPORT,
    IMAGE_MESSAGE,
    URI_WITHOUT_SCHEME,
    findings,
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


# -- --show-fixes ------------------------------------------------------------------------


def test_show_fixes_lists_the_fixable_findings_and_their_fix_titles(tmp_path: Path) -> None:
    make_project(tmp_path, {"server.py": IMAGE_IMPORT, "resources.py": URI_WITHOUT_SCHEME})
    result = lint(tmp_path, "--show-fixes", "--output-format", "concise")
    lines = result.stdout.splitlines()
    start = lines.index("Fixable with the `--fix` option:")
    assert lines[start + 1].startswith("- server.py:1:30: FMCP301 ")
    assert "fastmcp.utilities.types" in lines[start + 1]  # the fix's title
    assert lines[start + 2] == "Found 2 errors."
    assert "FMCP202" not in "\n".join(lines[start:])  # no fix, not listed


def test_show_fixes_with_fix_lists_what_was_fixed_per_file_and_rule(tmp_path: Path) -> None:
    make_project(tmp_path, {"server.py": IMAGE_IMPORT, "resources.py": URI_WITHOUT_SCHEME})
    result = lint(tmp_path, "--fix", "--show-fixes")
    lines = result.stdout.splitlines()
    start = lines.index("Fixed 1 finding:")
    assert lines[start + 1 : start + 4] == [
        "- server.py:",
        "    1 x FMCP301 (image-import-path)",
        "Fixed 1 finding. Found 1 error.",
    ]


def test_without_show_fixes_the_summary_lists_no_fixes(tmp_path: Path) -> None:
    make_project(tmp_path, {"server.py": IMAGE_IMPORT})
    assert "Fixable with" not in lint(tmp_path).stdout
    assert "Fixed 1 finding:" not in lint(tmp_path, "--fix").stdout


# -- -q / -v -------------------------------------------------------------------------------


def test_quiet_prints_the_findings_and_nothing_else(tmp_path: Path) -> None:
    make_project(tmp_path, {"server.py": IMAGE_IMPORT})
    result = lint(tmp_path, "-q", "--output-format", "concise")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [f"server.py:1:30: FMCP301 [*] {IMAGE_MESSAGE}"]
    assert result.stderr == ""
    text = lint(tmp_path, "--quiet")
    assert "Found" not in text.stdout and "Linted" not in text.stdout
    assert f"FMCP301 [*] {IMAGE_MESSAGE}" in text.stdout


def test_quiet_clean_run_prints_nothing(tmp_path: Path) -> None:
    make_project(tmp_path, {"server.py": 'from fastmcp import FastMCP\n\nmcp = FastMCP("d")\n'})
    result = lint(tmp_path, "-q")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")


def test_verbose_names_settings_rules_and_cache_on_stderr(tmp_path: Path) -> None:
    make_project(tmp_path, {"server.py": IMAGE_IMPORT}, fkit='ignore = ["FMCP101"]')
    first = run_cli(["lint", "-v", "--output-format", "concise"], cwd=tmp_path)
    assert first.stdout.splitlines()[0] == f"server.py:1:30: FMCP301 [*] {IMAGE_MESSAGE}"
    assert ".: settings from pyproject.toml" in first.stderr
    assert "1 file (0 from the cache), cache .fkit_cache" in first.stderr
    second = run_cli(["lint", "--verbose"], cwd=tmp_path)
    assert "1 file (1 from the cache)" in second.stderr


def test_quiet_and_verbose_together_is_one_error_line(tmp_path: Path) -> None:
    make_project(tmp_path, {"server.py": IMAGE_IMPORT})
    result = lint(tmp_path, "-q", "-v")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "fkit: error: --quiet and --verbose contradict each other: give one"
    ]


# -- progress ------------------------------------------------------------------------------


class Terminal(io.StringIO):
    """stderr as a terminal."""

    def isatty(self) -> bool:
        return True


def run_on_terminal(args: list[str], cwd: Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), Terminal()
    with chdir(cwd), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(args)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def _bar_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every run counts as long: the bar may be drawn from the first file."""
    monkeypatch.setattr(progress, "SHOW_AFTER_SECONDS", -1.0)


def many_files(root: Path) -> None:
    make_project(root, {f"m{i}.py": f"x = {i}\n" for i in range(5)} | {"s.py": IMAGE_IMPORT})


@pytest.mark.usefixtures("_bar_at_once")
def test_progress_bar_is_drawn_on_a_terminal_stderr_only(tmp_path: Path) -> None:
    many_files(tmp_path)
    code, out, err = run_on_terminal(["lint", "--no-cache", "-j", "1"], tmp_path)
    assert code == 1
    assert "Linting" in err and "/6" in err  # drawn on stderr, counting the files
    assert "Linting" not in out


@pytest.mark.usefixtures("_bar_at_once")
@pytest.mark.parametrize(
    "args", [["-q"], ["--output-format", "json"], ["--output-format", "sarif"]]
)
def test_no_progress_bar_when_quiet_or_for_machine_formats(tmp_path: Path, args: list[str]) -> None:
    many_files(tmp_path)
    _, _, err = run_on_terminal(["lint", "--no-cache", "-j", "1", *args], tmp_path)
    assert "Linting" not in err


@pytest.mark.usefixtures("_bar_at_once")
def test_no_progress_bar_when_stderr_is_piped(tmp_path: Path) -> None:
    many_files(tmp_path)
    assert "Linting" not in lint(tmp_path, "-j", "1").stderr


def test_no_progress_bar_on_a_run_shorter_than_a_second(tmp_path: Path) -> None:
    many_files(tmp_path)
    _, _, err = run_on_terminal(["lint", "--no-cache", "-j", "1"], tmp_path)
    assert "Linting" not in err


# -- shell completion ------------------------------------------------------------------------


def test_show_completion_prints_a_script_for_the_shell(tmp_path: Path) -> None:
    # The shell is named (typer's own switch for that): detecting it from the process
    # tree depends on how the test run was started.
    import os
    import subprocess
    import sys

    env = {**os.environ, "_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "fastmcp_kit", "--show-completion", "bash"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "_FKIT_COMPLETE" in done.stdout  # the script calls fkit back to complete


def test_help_offers_completion_installation(tmp_path: Path) -> None:
    assert "--install-completion" in run_cli(["--help"], cwd=tmp_path).stdout


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("fkit li", "lint"),
        ("fkit lint --show-fi", "--show-fixes"),
        ("fkit rule image-imp", "image-import-path"),
        ("fkit rule FMCP30", "FMCP301"),
    ],
)
def test_completion_completes_commands_options_and_rules(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, words: str, expected: str
) -> None:
    monkeypatch.setenv("_FKIT_COMPLETE", "complete_bash")
    monkeypatch.setenv("COMP_WORDS", words)
    monkeypatch.setenv("COMP_CWORD", str(len(words.split()) - 1))
    result = run_cli([], cwd=tmp_path)
    assert result.exit_code == 0
    assert expected in result.stdout.split()


# -- --config KEY=VALUE ------------------------------------------------------------------


def test_config_override_replaces_the_configured_selection(tmp_path: Path) -> None:
    make_project(tmp_path, {"a.py": IMAGE_IMPORT, "b.py": URI_WITHOUT_SCHEME})
    result = lint(tmp_path, "--output-format", "concise", "--config", "select = ['FMCP20']")
    assert [line.split()[1] for line in findings(result.stdout)] == ["FMCP202"]


def test_config_override_lays_over_the_project_table(tmp_path: Path) -> None:
    make_project(
        tmp_path,
        {"a.py": IMAGE_IMPORT, "b.py": URI_WITHOUT_SCHEME},
        fkit='ignore = ["FMCP202"]\noutput-format = "concise"',
    )
    result = lint(tmp_path, "--config", "ignore = ['FMCP301']")
    # The override replaced `ignore`; the project's output-format still holds.
    assert [line.split()[1] for line in findings(result.stdout)] == ["FMCP202"]


def test_config_overrides_repeat_and_reach_rule_options(tmp_path: Path) -> None:
    make_project(tmp_path, {"a.py": IMAGE_IMPORT})
    result = lint(
        tmp_path,
        "--config",
        "output-format = 'json'",
        "--config",
        "rules.FMCP201.context-names = ['c']",
    )
    assert result.stdout.lstrip().startswith("[")


def test_config_file_and_override_together(tmp_path: Path) -> None:
    make_project(tmp_path, {"a.py": IMAGE_IMPORT, "b.py": URI_WITHOUT_SCHEME})
    (tmp_path / "other.toml").write_text('[tool.fkit]\nselect = ["FMCP3"]\n', encoding="utf-8")
    result = lint(tmp_path, "--config", "other.toml", "--config", "output-format = 'concise'")
    assert [line.split()[1] for line in findings(result.stdout)] == ["FMCP301"]


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("select = 'FMCP2'", "select must be a list of strings"),
        ("selct = ['FMCP2']", "did you mean 'select'"),
        ("select = [", "neither a file nor a valid `key = value`"),
        ("output-format = 'xml'", "output-format must be one of"),
        ("fastmcp-version = '2.99'", "there is no FastMCP 2.99 release"),
        ("select = ['NOPE1']", "NOPE1"),
        ("no-such-file.toml", "no such file"),
    ],
)
def test_bad_config_override_is_one_error_line(tmp_path: Path, value: str, fragment: str) -> None:
    make_project(tmp_path, {"a.py": IMAGE_IMPORT})
    result = lint(tmp_path, "--config", value)
    assert result.exit_code == 2, result.stdout
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("fkit: error: "), result.stderr
    assert fragment in lines[0]


# -- where the cache goes ---------------------------------------------------------------


def unmarked_package(root: Path) -> Path:
    """A package with no pyproject.toml or repository above it."""
    package = root / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "server.py").write_text(IMAGE_IMPORT, encoding="utf-8")
    return package


def test_cache_of_an_unmarked_package_goes_to_the_working_folder(tmp_path: Path) -> None:
    package = unmarked_package(tmp_path)
    result = run_cli(["lint", "pkg"], cwd=tmp_path)
    assert result.exit_code == 1
    assert (tmp_path / ".fkit_cache").is_dir()
    assert not (package / ".fkit_cache").exists()
    again = run_cli(["lint", "-v", "pkg"], cwd=tmp_path)  # and it is used
    assert "2 files (2 from the cache)" in again.stderr


def test_cache_never_lands_inside_the_package_linted_from_within(tmp_path: Path) -> None:
    package = unmarked_package(tmp_path)
    result = run_cli(["lint", "."], cwd=package)
    assert result.exit_code == 1
    assert not (package / ".fkit_cache").exists()
    assert (tmp_path / ".fkit_cache").is_dir()


def test_cache_of_a_project_stays_at_its_root(tmp_path: Path) -> None:
    make_project(tmp_path / "proj", {"src/pkg/__init__.py": "", "src/pkg/server.py": IMAGE_IMPORT})
    run_cli(["lint", "proj/src/pkg"], cwd=tmp_path)
    assert (tmp_path / "proj" / ".fkit_cache").is_dir()
    assert not (tmp_path / ".fkit_cache").exists()
    assert not (tmp_path / "proj" / "src" / "pkg" / ".fkit_cache").exists()


def test_two_unmarked_folders_share_the_working_folders_cache_without_mixing(
    tmp_path: Path,
) -> None:
    for name, source in (("a", IMAGE_IMPORT), ("b", URI_WITHOUT_SCHEME)):
        (tmp_path / name).mkdir()
        (tmp_path / name / "server.py").write_text(source, encoding="utf-8")
    args = ["lint", "--output-format", "concise", "a", "b"]
    first = run_cli(args, cwd=tmp_path)
    second = run_cli(args, cwd=tmp_path)
    assert findings(second.stdout) == findings(first.stdout)
    assert [line.split()[:2] for line in findings(first.stdout)] == [
        ["a/server.py:1:30:", "FMCP301"],
        ["b/server.py:5:15:", "FMCP202"],
    ]


# -- no internal references in what users read ------------------------------------------

# Our fact sheet's table rows ("[ii.28]", "3.iii row 46") and API-data jargon ("API of 4.1.2").
INTERNAL = re.compile(r"\[(i|ii|iii)\.\d+|\b\d\.(i|ii|iii)\b|\brows? \d+|API of \d|fact sheet")


@pytest.mark.parametrize("to", ["2.14", "3", "4"])
def test_upgrade_plan_names_no_internal_rows(tmp_path: Path, to: str) -> None:
    result = run_cli(["upgrade", "--list", "--to", to, "--from", "2.13"], cwd=tmp_path)
    assert result.exit_code == 0
    assert "guide: https://gofastmcp.com/" in result.stdout
    assert not INTERNAL.search(result.stdout), INTERNAL.search(result.stdout)


def test_upgrade_findings_name_no_internal_rows(tmp_path: Path) -> None:
    make_project(
        tmp_path,
        {"server.py": "from fastmcp import FastMCP\n\nmcp = FastMCP('d')\n"},
        project='[project]\nname = "d"\nversion = "0"\ndependencies = ["fastmcp==2.13.3"]\n',
    )
    result = run_cli(["upgrade", "--to", "4", "--output-format", "concise"], cwd=tmp_path)
    assert "httpx2" in result.stdout  # the 4.x project notes are among the findings
    assert not INTERNAL.search(result.stdout + result.stderr)


def test_rule_pages_name_no_internal_rows(tmp_path: Path) -> None:
    from fastmcp_kit.lint.docs import rule_page

    for code, rule in all_rules().items():
        assert not INTERNAL.search(rule_page(rule)), code


# -- --add-noqa ---------------------------------------------------------------------------


def test_add_noqa_suppresses_every_finding_and_a_second_run_adds_nothing(tmp_path: Path) -> None:
    make_project(tmp_path, {"a.py": IMAGE_IMPORT, "b.py": URI_WITHOUT_SCHEME})
    result = lint(tmp_path, "--add-noqa")
    assert (result.exit_code, result.stdout) == (0, "Added 2 noqa directives.\n")
    assert (tmp_path / "a.py").read_text(encoding="utf-8").splitlines()[0] == (
        "from fastmcp import FastMCP, Image  # noqa: FMCP301"
    )
    assert '@mcp.resource("config")  # noqa: FMCP202' in (tmp_path / "b.py").read_text(
        encoding="utf-8"
    )
    before = {name: (tmp_path / name).read_bytes() for name in ("a.py", "b.py")}
    again = lint(tmp_path, "--add-noqa")
    assert again.stdout == "Added 0 noqa directives.\n"
    assert {name: (tmp_path / name).read_bytes() for name in before} == before
    assert lint(tmp_path).exit_code == 0


def test_add_noqa_extends_an_existing_list_without_duplicates(tmp_path: Path) -> None:
    source = IMAGE_IMPORT.replace("Image\n", "Image  # noqa: E501, FMCP999 - legacy\n", 1)
    make_project(tmp_path, {"a.py": source})
    assert lint(tmp_path, "--add-noqa").exit_code == 0
    first = (tmp_path / "a.py").read_text(encoding="utf-8").splitlines()[0]
    assert first == "from fastmcp import FastMCP, Image  # noqa: E501, FMCP999, FMCP301 - legacy"


def test_add_noqa_keeps_encoding_and_line_endings(tmp_path: Path) -> None:
    source = "# -*- coding: latin-1 -*-\r\n# café\r\n" + IMAGE_IMPORT.replace("\n", "\r\n")
    make_project(tmp_path, {"a.py": source.encode("latin-1")})
    assert lint(tmp_path, "--add-noqa").exit_code == 0
    data = (tmp_path / "a.py").read_bytes()
    assert data.startswith("# -*- coding: latin-1 -*-\r\n# café\r\n".encode("latin-1"))
    assert b"Image  # noqa: FMCP301\r\n" in data
    assert b"\n" not in data.replace(b"\r\n", b"")


def test_add_noqa_leaves_a_file_that_changed_meanwhile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file edited between reading and writing is not overwritten: one error line."""
    from fastmcp_kit.lint import add_noqa

    make_project(tmp_path, {"a.py": IMAGE_IMPORT})
    real = add_noqa.write_all

    def edit_first(writes, problems):  # type: ignore[no-untyped-def]
        (tmp_path / "a.py").write_text("# edited\n", encoding="utf-8")
        return real(writes, problems)

    monkeypatch.setattr(add_noqa, "write_all", edit_first)
    result = lint(tmp_path, "--add-noqa")
    assert result.exit_code == 2
    assert (tmp_path / "a.py").read_text(encoding="utf-8") == "# edited\n"
    assert "Added 0 noqa directives." in result.stdout
    assert "not written" in result.stderr


@pytest.mark.parametrize("other", ["--fix", "--diff"])
def test_add_noqa_with_fix_or_diff_is_one_error_line(tmp_path: Path, other: str) -> None:
    make_project(tmp_path, {"a.py": IMAGE_IMPORT})
    result = lint(tmp_path, "--add-noqa", other)
    assert result.exit_code == 2
    assert result.stderr.startswith("fkit: error: --add-noqa writes the files it lints")
    assert (tmp_path / "a.py").read_text(encoding="utf-8") == IMAGE_IMPORT


# -- FMCP003 unused-noqa -------------------------------------------------------------------

CLEAN_SERVER = 'from fastmcp import FastMCP\n\nmcp = FastMCP("d")\n'


def noqa_findings(root: Path, *args: str) -> list[str]:
    result = lint(root, "--output-format", "concise", "--extend-select", "FMCP003", *args)
    return findings(result.stdout)


def test_noqa_for_a_rule_that_found_nothing_is_unused(tmp_path: Path) -> None:
    source = CLEAN_SERVER.replace("FastMCP\n", "FastMCP  # noqa: FMCP301\n", 1)
    make_project(tmp_path, {"server.py": source})
    assert noqa_findings(tmp_path) == [
        "server.py:1:30: FMCP003 [*] Unused `noqa` directive (unused: `FMCP301`)"
    ]


def test_noqa_that_suppresses_a_finding_is_used(tmp_path: Path) -> None:
    source = IMAGE_IMPORT.replace("Image\n", "Image  # noqa: FMCP301\n", 1)
    make_project(tmp_path, {"server.py": source})
    assert noqa_findings(tmp_path) == []


def test_noqa_for_a_rule_not_enabled_is_not_unused(tmp_path: Path) -> None:
    source = CLEAN_SERVER.replace("FastMCP\n", "FastMCP  # noqa: FMCP301, FMCP207\n", 1)
    make_project(tmp_path, {"server.py": source})
    # FMCP207 is opt-in, FMCP301 is turned off: neither can be judged.
    assert noqa_findings(tmp_path, "--ignore", "FMCP301") == []


def test_noqa_for_a_rule_off_in_per_file_ignores_is_not_unused(tmp_path: Path) -> None:
    source = CLEAN_SERVER.replace("FastMCP\n", "FastMCP  # noqa: FMCP301\n", 1)
    make_project(
        tmp_path, {"server.py": source}, fkit='per-file-ignores = { "server.py" = ["FMCP301"] }'
    )
    assert noqa_findings(tmp_path) == []


def test_other_tools_codes_and_bare_noqa_are_never_judged(tmp_path: Path) -> None:
    make_project(
        tmp_path,
        {"a.py": "import os  # noqa: F401, E501, RUF100, S101\n", "b.py": "import os  # noqa\n"},
    )
    assert noqa_findings(tmp_path) == []


def test_unknown_fkit_code_is_reported_and_fixed_leaving_other_codes(tmp_path: Path) -> None:
    make_project(tmp_path, {"a.py": "import os  # noqa: F401, FMCP2011 - plugins\n"})
    assert noqa_findings(tmp_path) == [
        "a.py:1:12: FMCP003 [*] Unused `noqa` directive (unknown: `FMCP2011`)"
    ]
    assert noqa_findings(tmp_path, "--fix") == []
    assert (tmp_path / "a.py").read_text(encoding="utf-8") == "import os  # noqa: F401 - plugins\n"


def test_fix_removes_an_unused_directive_whole(tmp_path: Path) -> None:
    source = CLEAN_SERVER.replace("FastMCP\n", "FastMCP  # noqa: FMCP301\n", 1)
    make_project(tmp_path, {"server.py": source})
    result = lint(tmp_path, "--extend-select", "FMCP003", "--fix")
    assert result.exit_code == 0
    assert (tmp_path / "server.py").read_text(encoding="utf-8") == CLEAN_SERVER


def test_unused_noqa_is_opt_in(tmp_path: Path) -> None:
    make_project(tmp_path, {"a.py": "import os  # noqa: FMCP999\n"})
    assert lint(tmp_path).exit_code == 0
