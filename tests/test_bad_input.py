"""Every bad input gets one clear line and a non-zero exit, never a traceback.

Each test feeds ``fkit`` one kind of bad input through the real command line and
checks the exit status and that stderr is a single line naming the file, key or
value at fault (never ``internal error``, never a ``Traceback``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import CliResult, one_line, run_cli, write_tree

PYPROJECT = '[project]\nname = "demo"\nversion = "0.1.0"\ndependencies = ["fastmcp>=4"]\n'
CLEAN = 'from fastmcp import FastMCP\n\nmcp = FastMCP("demo")\n'
PINNED_2_13 = PYPROJECT.replace("fastmcp>=4", "fastmcp==2.13.3")


def project(root: Path, fkit: str = "", files: dict[str, str | bytes] | None = None) -> Path:
    body = PYPROJECT + (f"\n[tool.fkit]\n{fkit}\n" if fkit else "")
    return write_tree(root, {"pyproject.toml": body, "server.py": CLEAN, **(files or {})})


def lint(root: Path, *args: str, stdin: bytes | None = None) -> CliResult:
    return run_cli(["lint", "--no-cache", *args], cwd=root, stdin=stdin)


# -- [tool.fkit]: every key type-checked, the file and key named ----------------------------


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("select = 3", "[tool.fkit] select must be a list of strings, got integer 3"),
        (
            'select = ["FMCP301", 3]',
            "[tool.fkit] select must be a list of strings, got an array holding integer 3",
        ),
        (
            'extend-select = "FMCP101"',
            "[tool.fkit] extend-select must be a list of strings, got string 'FMCP101'",
        ),
        ("ignore = true", "[tool.fkit] ignore must be a list of strings, got boolean True"),
        ("exclude = {a = 1}", "[tool.fkit] exclude must be a list of strings, got a table"),
        ("extend-exclude = 1.5", "[tool.fkit] extend-exclude must be a list of strings"),
        (
            'per-file-ignores = ["x"]',
            "[tool.fkit] per-file-ignores must be a table of glob = [codes], got an array",
        ),
        (
            'per-file-ignores = {"tests/*" = "FMCP101"}',
            '[tool.fkit] per-file-ignores."tests/*" must be a list of strings, '
            "got string 'FMCP101'",
        ),
        (
            "fastmcp-version = 2.10",
            '[tool.fkit] fastmcp-version must be a string such as "4.1", got float 2.1',
        ),
        (
            'output-format = "xml"',
            "[tool.fkit] output-format must be one of text, concise, json, sarif, github, "
            "got string 'xml'",
        ),
        ('forward = "yes"', "[tool.fkit] forward must be true or false, got string 'yes'"),
        ("rules = 4", "[tool.fkit] rules must be a table of one table per rule code"),
        (
            "rules = {FMCP201 = true}",
            "[tool.fkit] rules.FMCP201 must be a table of the rule's options, got boolean True",
        ),
    ],
    ids=[
        "select-integer",
        "select-item",
        "extend-select-string",
        "ignore-boolean",
        "exclude-table",
        "extend-exclude-float",
        "per-file-ignores-array",
        "per-file-ignores-codes",
        "fastmcp-version-float",
        "output-format-unknown",
        "forward-string",
        "rules-integer",
        "rule-options-boolean",
    ],
)
def test_mistyped_setting_names_the_file_and_key(
    tmp_path: Path, setting: str, message: str
) -> None:
    one_line(lint(project(tmp_path, setting)), f"fkit: error: pyproject.toml: {message}")


def test_tool_fkit_that_is_not_a_table(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pyproject.toml": PYPROJECT + "[tool]\nfkit = 3\n", "server.py": CLEAN})
    one_line(lint(tmp_path), "pyproject.toml: [tool.fkit] must be a table, got integer 3")


def test_tool_that_is_not_a_table(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pyproject.toml": 'tool = "fkit"\n' + PYPROJECT, "server.py": CLEAN})
    one_line(lint(tmp_path), "pyproject.toml: [tool] must be a table, got string 'fkit'")


def test_a_nested_projects_setting_names_its_own_file(tmp_path: Path) -> None:
    project(tmp_path)
    project(tmp_path / "sub", "ignore = 3")
    one_line(lint(tmp_path), "sub/pyproject.toml: [tool.fkit] ignore must be a list of strings")


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ('select = ["FMCP999"]', "[tool.fkit] select: 'FMCP999' matches no rule code"),
        ('ignore = ["NOPE"]', "[tool.fkit] ignore: 'NOPE' matches no rule code"),
        (
            'per-file-ignores = {"a/*" = ["FMCP3O1"]}',
            "[tool.fkit] per-file-ignores.\"a/*\": 'FMCP3O1' matches no rule code",
        ),
    ],
)
def test_unknown_rule_code_in_a_setting_names_the_file_and_key(
    tmp_path: Path, setting: str, message: str
) -> None:
    one_line(lint(project(tmp_path, setting)), f"pyproject.toml: {message}")


def test_unknown_key_is_one_warning_and_the_run_goes_on(tmp_path: Path) -> None:
    result = lint(project(tmp_path, 'selekt = ["FMCP999"]', {"server.py": "x = 1\n"}))
    line = one_line(result, code=0, kind="warning")
    assert line == (
        "fkit: warning: pyproject.toml: unknown key 'selekt' in [tool.fkit] ignored; "
        "did you mean 'select'?"
    )
    assert "All checks passed!" in result.stdout


# -- --config FILE ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "--config other.toml: no such file"),
        (b"\xff\xfe[tool.fkit]\n", "--config other.toml: not UTF-8 text (byte 0xff at offset 0)"),
        (b"[tool.fkit\n", "--config other.toml: not valid TOML: "),
        (b"[tool.fkit]\nignore = 3\n", "--config other.toml: [tool.fkit] ignore must be a list"),
    ],
    ids=["missing", "undecodable", "invalid-toml", "mistyped"],
)
def test_bad_config_file(tmp_path: Path, content: bytes | None, message: str) -> None:
    project(tmp_path)
    if content is not None:
        (tmp_path / "other.toml").write_bytes(content)
    one_line(lint(tmp_path, "--config", "other.toml"), message)


def test_config_naming_a_folder(tmp_path: Path) -> None:
    project(tmp_path)
    (tmp_path / "conf").mkdir()
    one_line(lint(tmp_path, "--config", "conf"), "--config conf: is a folder, not a TOML file")


def test_undecodable_pyproject(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pyproject.toml": b'name = "caf\xe9"\n', "server.py": CLEAN})
    one_line(lint(tmp_path), "pyproject.toml: not UTF-8 text (byte 0xe9 at offset 11)")


# -- FastMCP versions: checked against the releases fkit knows --------------------------------


@pytest.mark.parametrize(
    ("version", "message"),
    [
        ("1", "--fastmcp-version: FastMCP 1 predates 2.0.0, the first release fkit knows"),
        ("2.99", "--fastmcp-version: there is no FastMCP 2.99 release: the 2.x releases are"),
        ("4.1.5", "--fastmcp-version: there is no FastMCP 4.1.5 release: the 4.1 releases are"),
        ("4.1.x", "--fastmcp-version: not a FastMCP version or version range: '4.1.x'"),
    ],
    ids=["too-old", "no-such-line", "no-such-patch", "malformed"],
)
def test_fastmcp_version_that_does_not_exist(tmp_path: Path, version: str, message: str) -> None:
    one_line(lint(project(tmp_path), "--fastmcp-version", version), message)


def test_configured_fastmcp_version_that_does_not_exist_names_the_file(tmp_path: Path) -> None:
    one_line(
        lint(project(tmp_path, 'fastmcp-version = "3.9"')),
        "pyproject.toml: [tool.fkit] fastmcp-version: there is no FastMCP 3.9 release",
    )


def test_fastmcp_version_newer_than_known_is_linted_with_a_notice(tmp_path: Path) -> None:
    result = lint(project(tmp_path), "--fastmcp-version", "9", "--output-format", "json")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == "[]"
    assert result.stderr.splitlines() == [
        "fkit: FastMCP 9 is newer than fkit's API data (up to 4.2.3): names and keywords "
        "it added are not checked; upgrade fkit for its rules."
    ]


# -- command-line arguments -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["lint", ""], "'' is not a path: name a file or folder"),
        (["lint", "--select", ","], "--select was given no value (got ',')"),
        (["lint", "--extend-select", ""], "--extend-select was given no value (got '')"),
        (["lint", "--ignore", " "], "--ignore was given no value (got ' ')"),
        (["lint", "--config", ""], "--config was given no value (got '')"),
        (["lint", "--stdin-filename", "server.py"], "--stdin-filename names the code read from"),
        (["lint", "-", "--stdin-filename", ""], "--stdin-filename was given no value"),
        (["upgrade", "--to", "4", ""], "'' is not a path"),
        (["upgrade", "--to", "4", "--only", ","], "--only was given no value (got ',')"),
        (["upgrade", "--to", "4", "--skip", ""], "--skip was given no value (got '')"),
    ],
    ids=[
        "lint-empty-path",
        "select-comma",
        "extend-select-empty",
        "ignore-blank",
        "config-empty",
        "stdin-filename-without-stdin",
        "stdin-filename-empty",
        "upgrade-empty-path",
        "only-comma",
        "skip-empty",
    ],
)
def test_empty_or_misplaced_argument(tmp_path: Path, args: list[str], message: str) -> None:
    root = write_tree(tmp_path, {"pyproject.toml": PINNED_2_13, "server.py": CLEAN})
    one_line(run_cli(args, cwd=root, stdin=CLEAN.encode()), message)
    assert (root / "pyproject.toml").read_text() == PINNED_2_13


def test_unreadable_pyproject_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = project(tmp_path)
    real = Path.read_bytes

    def read_bytes(path: Path) -> bytes:
        if path.name == "pyproject.toml":
            raise PermissionError(13, "Permission denied")
        return real(path)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    one_line(lint(root), "pyproject.toml: cannot read: Permission denied")


def test_pyproject_nested_past_the_toml_parsers_limit(tmp_path: Path) -> None:
    deep = "[" * 5000 + "]" * 5000
    write_tree(tmp_path, {"pyproject.toml": f"{PYPROJECT}[tool.fkit]\nselect = {deep}\n"})
    one_line(lint(tmp_path), "pyproject.toml: not valid TOML: TOML value nested more than")


# -- the project's own metadata in pyproject.toml ----------------------------------------------


@pytest.mark.parametrize(
    ("pyproject", "message"),
    [
        ("project = 3\n", "[project] must be a table, got integer 3"),
        (
            '[project]\ndependencies = "fastmcp>=4"\n',
            "[project] dependencies must be a list of strings, got string 'fastmcp>=4'",
        ),
        ("[project]\ndependencies = [4]\n", "[project] dependencies must be a list of strings"),
        (
            "[project.optional-dependencies]\nserver = 3\n",
            "[project] optional-dependencies.server must be a list of strings, got integer 3",
        ),
        ('dependency-groups = "dev"\n', "[dependency-groups] must be a table, got string 'dev'"),
        ("[dependency-groups]\ndev = 3\n", "[dependency-groups] dev must be a list, got integer 3"),
    ],
    ids=["project", "dependencies", "dependency-item", "extra", "groups", "group"],
)
@pytest.mark.parametrize("command", [["lint"], ["upgrade", "--to", "4"]])
def test_malformed_project_metadata_names_the_file_and_key(
    tmp_path: Path, pyproject: str, message: str, command: list[str]
) -> None:
    write_tree(tmp_path, {"pyproject.toml": pyproject, "server.py": CLEAN})
    one_line(run_cli(command, cwd=tmp_path), f"fkit: error: pyproject.toml: {message}")


def test_other_tools_tables_of_any_shape_are_not_fkits_business(tmp_path: Path) -> None:
    pyproject = PINNED_2_13 + "[tool]\npoetry = 3\nuv = []\n"
    write_tree(tmp_path, {"pyproject.toml": pyproject, "server.py": CLEAN})
    assert lint(tmp_path).exit_code == 0
    assert run_cli(["upgrade", "--to", "4"], cwd=tmp_path).exit_code == 0
