"""A fully cached ``fkit lint`` run answers from the cache and the rule index alone:
the same output as a cold run, without importing libcst, the engine or any rule;
anything that can change a finding (a file, the settings, another file that a
project rule reads) still makes it lint again."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from fastmcp_kit.lint.registry import all_rules, select_codes, select_rules
from fastmcp_kit.lint.rule import parse_options
from fastmcp_kit.lint.rule_index import INDEX_PATH, render_index, rule_index
from tests.helpers import write_tree

PYPROJECT = '[project]\nname = "demo"\nversion = "0.1.0"\ndependencies = ["fastmcp>=4.1"]\n'
IMAGE_IMPORT = 'from fastmcp import FastMCP, Image\n\nmcp = FastMCP("demo")\n'
# FMCP902 (project rule): server.py imports tools.py, which imports server.py back.
SERVER = "from tools import ping\nfrom fastmcp import FastMCP\n\nmcp = FastMCP('demo')\n"
SERVER_WITHOUT_CYCLE = "from fastmcp import FastMCP\n\nmcp = FastMCP('demo')\n"
TOOLS = 'from server import mcp\n\n@mcp.tool\ndef ping() -> str:\n    return "pong"\n'
# FMCP101 (project rule): a factory, so `fastmcp run factory.py` finds no server.
FACTORY = (
    'from fastmcp import FastMCP\n\ndef create_server() -> FastMCP:\n    return FastMCP("demo")\n'
)
CTX_TOOL = (
    "from fastmcp import FastMCP\n\n"
    'mcp = FastMCP("demo")\n\n'
    "@mcp.tool\n"
    "async def greet(name: str, ctx) -> str:\n"
    '    await ctx.info(f"greeting {name}")\n'
    "    return name\n"
)

# Runs the CLI in a fresh interpreter, then reports which heavy modules it imported.
RUNNER = """
import json, sys
from fastmcp_kit.cli import main
code = main(sys.argv[1:])
heavy = sorted(
    name for name in sys.modules
    if name == "libcst" or name.startswith(("libcst.", "fastmcp_kit.rules."))
    or name == "fastmcp_kit.lint.engine"
)
print(json.dumps({"exit": code, "heavy": heavy}), file=sys.stderr)
"""


@dataclass
class Run:
    exit_code: int
    stdout: str
    stderr: str
    heavy: list[str]

    @property
    def linted(self) -> bool:
        """Whether this run imported libcst (some file or the project pass missed)."""
        return "libcst" in self.heavy


def fkit(root: Path, *args: str) -> Run:
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "100"}
    env.pop("FORCE_COLOR", None)
    done = subprocess.run(
        [sys.executable, "-I", "-c", RUNNER, "lint", *args],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    *messages, last = done.stderr.splitlines()
    report = json.loads(last)
    return Run(report["exit"], done.stdout, "\n".join(messages), report["heavy"])


def project(root: Path, files: dict[str, str], fkit_table: str = "") -> Path:
    pyproject = PYPROJECT + (f"\n[tool.fkit]\n{fkit_table}\n" if fkit_table else "")
    return write_tree(root, {"pyproject.toml": pyproject, **files})


FILES = {"server.py": SERVER, "tools.py": TOOLS, "factory.py": FACTORY, "image.py": IMAGE_IMPORT}


def codes(run: Run) -> set[tuple[str, str]]:
    return {(item["filename"], item["code"]) for item in json.loads(run.stdout)}


# -- the rule index --------------------------------------------------------------------


def test_rule_index_is_fresh() -> None:
    assert INDEX_PATH.read_text(encoding="utf-8") == render_index(), (
        "run `python scripts/generate_docs.py`"
    )


def test_selection_from_the_index_is_the_selection_from_the_rules() -> None:
    defaults = {code: entry.default_enabled for code, entry in rule_index().items()}
    for select, extend, ignore in [
        (None, (), ()),
        (["ALL"], (), ()),
        (["FMCP1", "FMCP3"], ["FMCP706"], ["FMCP301"]),
        (None, ["FMCP504"], ["FMCP2"]),
    ]:
        expected = [rule.code for rule in select_rules(select, extend, ignore)]
        assert select_codes(defaults, select, extend, ignore) == expected


@pytest.mark.parametrize("code", sorted(all_rules()))
def test_index_checks_options_as_the_rule_does(code: str) -> None:
    rule, entry = all_rules()[code], rule_index()[code]
    bad_tables = [{"no-such-option": 1}]
    for key, (type_name, _) in (entry.options or {}).items():
        bad_tables.append({key: 1.5 if type_name != "float" else "text"})
    for table in bad_tables:
        with pytest.raises(ValueError) as from_rule:
            parse_options(rule, table)
        with pytest.raises(ValueError) as from_index:
            entry.option_values(table)
        assert str(from_index.value) == str(from_rule.value)
    assert parse_options(rule, {}) == rule.default_options()
    defaults = {key: default for key, (_, default) in (entry.options or {}).items()}
    assert entry.option_values({}) == defaults


# -- warm runs -------------------------------------------------------------------------


@pytest.mark.parametrize("output_format", ["text", "json", "sarif", "concise", "github"])
def test_warm_run_prints_what_a_cold_run_prints_without_importing_libcst(
    tmp_path: Path, output_format: str
) -> None:
    root = project(tmp_path, FILES)
    args = ("--select", "ALL", "--output-format", output_format)
    cold = fkit(root, "--no-cache", *args)
    assert cold.exit_code == 1 and cold.linted
    filling = fkit(root, *args)
    warm = fkit(root, *args)
    for run in (filling, warm):
        assert (run.exit_code, run.stdout, run.stderr) == (cold.exit_code, cold.stdout, cold.stderr)
    assert warm.heavy == []


def test_project_findings_survive_a_warm_run_and_go_when_their_cause_is_fixed(
    tmp_path: Path,
) -> None:
    root = project(tmp_path, FILES)
    fkit(root, "--extend-select", "FMCP101", "--output-format", "json")
    warm = fkit(root, "--extend-select", "FMCP101", "--output-format", "json")
    assert not warm.linted
    assert {("server.py", "FMCP902"), ("factory.py", "FMCP101")} <= codes(warm)
    # The cycle is reported in tools.py's partner; breaking it in server.py clears it.
    (root / "server.py").write_text(SERVER_WITHOUT_CYCLE, encoding="utf-8")
    after = fkit(root, "--extend-select", "FMCP101", "--output-format", "json")
    assert after.linted
    assert not any(code == "FMCP902" for _, code in codes(after))
    assert ("factory.py", "FMCP101") in codes(after)
    assert (
        after.stdout
        == fkit(root, "--no-cache", "--extend-select", "FMCP101", "--output-format", "json").stdout
    )
    again = fkit(root, "--extend-select", "FMCP101", "--output-format", "json")
    assert (again.stdout, again.heavy) == (after.stdout, [])


def test_a_changed_file_is_linted_again(tmp_path: Path) -> None:
    root = project(tmp_path, {"a.py": IMAGE_IMPORT, "b.py": SERVER_WITHOUT_CYCLE})
    fkit(root, "--output-format", "json")
    (root / "b.py").write_text(IMAGE_IMPORT, encoding="utf-8")
    changed = fkit(root, "--output-format", "json")
    assert changed.linted
    assert codes(changed) == {("a.py", "FMCP301"), ("b.py", "FMCP301")}


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ((), ("--ignore", "FMCP301")),
        ((), ("--fastmcp-version", "2.13")),
        (("--select", "FMCP3"), ("--select", "ALL")),
    ],
)
def test_a_cache_from_other_settings_is_not_used(
    tmp_path: Path, first: tuple[str, ...], second: tuple[str, ...]
) -> None:
    root = project(tmp_path, FILES)
    fkit(root, "--output-format", "json", *first)
    assert not fkit(root, "--output-format", "json", *first).linted
    other = fkit(root, "--output-format", "json", *second)
    assert other.linted
    assert other.stdout == fkit(root, "--no-cache", "--output-format", "json", *second).stdout


def test_changed_rule_options_are_not_answered_from_the_cache(tmp_path: Path) -> None:
    root = project(tmp_path, {"server.py": CTX_TOOL})
    assert codes(fkit(root, "--output-format", "json")) == {("server.py", "FMCP201")}
    table = '[tool.fkit.rules.FMCP201]\ncontext-names = ["context"]\n'
    (root / "pyproject.toml").write_text(PYPROJECT + "\n" + table, encoding="utf-8")
    renamed = fkit(root, "--output-format", "json")
    assert renamed.linted and codes(renamed) == set()


def test_bad_rule_options_are_reported_before_the_cache_is_read(tmp_path: Path) -> None:
    root = project(tmp_path, {"server.py": CTX_TOOL})
    fkit(root)
    for table, message in [
        ("[tool.fkit.rules.FMCP201]\nnames = []\n", "unknown option 'names' for rule FMCP201"),
        (
            "[tool.fkit.rules.FMCP201]\ncontext-names = 3\n",
            "option 'context-names' of rule FMCP201 must be a list",
        ),
        ("[tool.fkit.rules.FMCP999]\nx = 1\n", "[tool.fkit.rules.FMCP999]: no rule has that code"),
    ]:
        (root / "pyproject.toml").write_text(PYPROJECT + "\n" + table, encoding="utf-8")
        run = fkit(root)
        assert run.exit_code == 2 and message in run.stderr, run.stderr


# -- discovery's path shortcuts ----------------------------------------------------------


def test_a_symlinked_file_is_matched_by_its_real_path_and_shown_as_found(
    tmp_path: Path,
) -> None:
    root = project(
        tmp_path / "proj",
        {"sub/real.py": IMAGE_IMPORT, "other.py": IMAGE_IMPORT},
        '[tool.fkit.per-file-ignores]\n"sub/*" = ["FMCP301"]\n',
    )
    (root / "link.py").symlink_to(root / "sub" / "real.py")
    inside = fkit(root, "--no-cache", "--output-format", "json")
    assert codes(inside) == {("other.py", "FMCP301")}
    outside = fkit(tmp_path, "--no-cache", "--output-format", "json", "proj")
    assert codes(outside) == {("proj/other.py", "FMCP301")}
