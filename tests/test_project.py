"""fastmcp_kit.project, fastmcp_kit.versions and fastmcp_kit.config: the project root,
the FastMCP version a project targets, entrypoints named outside Python, [tool.fkit]."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from packaging.specifiers import SpecifierSet
from packaging.version import Version

from fastmcp_kit.config import DEFAULT_EXCLUDE, Config, load_config
from fastmcp_kit.errors import FkitError
from fastmcp_kit.project import (
    Target,
    detect_target,
    find_entrypoints,
    find_root,
    python_below_admitted,
    read_pyproject,
    requires_python,
)
from fastmcp_kit.versions import KNOWN_RELEASES, NEWEST, newest_matching, parse_target


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


def target(root: Path, files: dict[str, str] | None = None, override: str | None = None) -> Target:
    write(root, files or {})
    return detect_target(root, read_pyproject(root), override)


# -- versions -----------------------------------------------------------------------------


def test_known_releases_are_ascending_and_newest_is_last() -> None:
    versions = [Version(v) for v in KNOWN_RELEASES]
    assert versions == sorted(versions)
    assert len(set(versions)) == len(versions)
    assert NEWEST == versions[-1] == max(versions)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("2.14.2", "2.14.2", id="exact"),
        pytest.param("  3.0.2\n", "3.0.2", id="whitespace"),
        pytest.param("2.14.99", "2.14.99", id="exact-unknown-patch"),
        pytest.param("4.1", "4.1.7", id="minor-line"),
        pytest.param("2.13", "2.13.3", id="minor-line-with-4-part-releases"),
        pytest.param("3", "3.4.11", id="major-line"),
        pytest.param(">=3,<4", "3.4.11", id="range"),
        pytest.param("==4.1.*", "4.1.7", id="wildcard"),
        pytest.param("~=2.13.0", "2.13.3", id="compatible"),
        pytest.param("<2.1", "2.0.0", id="upper-bound"),
    ],
)
def test_parse_target(text: str, expected: str) -> None:
    assert parse_target(text) == Version(expected)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("latest", id="word"),
        pytest.param("3.x", id="x-wildcard"),
        pytest.param(">=99", id="no-known-release"),
        pytest.param(">=3,<3", id="empty-range"),
        pytest.param("", id="empty"),
        pytest.param("   ", id="blank"),
    ],
)
def test_parse_target_rejects_unreadable_text(text: str) -> None:
    with pytest.raises(ValueError):
        parse_target(text)


def test_newest_matching() -> None:
    assert newest_matching(SpecifierSet(">=2.13,<3")) == Version("2.14.7")
    assert newest_matching(SpecifierSet("")) == NEWEST
    assert newest_matching(SpecifierSet(">=100")) is None


# -- find_root --------------------------------------------------------------------------------


def test_find_root_walks_up_to_nearest_pyproject(tmp_path: Path) -> None:
    write(tmp_path, {"pyproject.toml": "", "pkg/sub/pyproject.toml": "", "pkg/sub/deep/a.py": ""})
    assert find_root(tmp_path / "pkg/sub/deep") == (tmp_path / "pkg/sub").resolve()
    assert find_root(tmp_path / "pkg/sub/deep/a.py") == (tmp_path / "pkg/sub").resolve()
    assert find_root(tmp_path / "pkg/sub") == (tmp_path / "pkg/sub").resolve()
    assert find_root(tmp_path / "pkg") == tmp_path.resolve()


def test_find_root_without_pyproject_is_the_start_directory(tmp_path: Path) -> None:
    write(tmp_path, {"project/src/server.py": ""})
    assert find_root(tmp_path / "project/src") == (tmp_path / "project/src").resolve()
    assert find_root(tmp_path / "project/src/server.py") == (tmp_path / "project/src").resolve()


def test_find_root_ignores_a_directory_named_pyproject_toml(tmp_path: Path) -> None:
    (tmp_path / "a/pyproject.toml").mkdir(parents=True)
    assert find_root(tmp_path / "a") == (tmp_path / "a").resolve()


def test_read_pyproject(tmp_path: Path) -> None:
    assert read_pyproject(tmp_path) == {}
    write(tmp_path, {"pyproject.toml": "[tool.fkit]\nselect = ['FMCP1']\n"})
    assert read_pyproject(tmp_path) == {"tool": {"fkit": {"select": ["FMCP1"]}}}
    write(tmp_path, {"pyproject.toml": "[tool.fkit\n"})
    with pytest.raises(FkitError, match=r"pyproject\.toml"):
        read_pyproject(tmp_path)


# -- detect_target: where the version comes from ------------------------------------------

EVERYTHING = {
    "pyproject.toml": """
        [project]
        dependencies = ["fastmcp>=2.13,<3"]

        [tool.fkit]
        fastmcp-version = "3.0"
    """,
    "uv.lock": """
        version = 1
        [[package]]
        name = "fastmcp"
        version = "2.14.3"
    """,
}


def test_override_beats_everything(tmp_path: Path) -> None:
    found = target(tmp_path, EVERYTHING, override="4.0")
    assert found == Target(Version("4.0.11"), "--fastmcp-version")


def test_tool_fkit_beats_dependencies_and_lock(tmp_path: Path) -> None:
    found = target(tmp_path, EVERYTHING)
    assert found == Target(Version("3.0.2"), "[tool.fkit] fastmcp-version")


def test_the_lock_beats_a_range(tmp_path: Path) -> None:
    # What runs is what the lock installed, not the newest release the range admits.
    files = {**EVERYTHING, "pyproject.toml": '[project]\ndependencies = ["fastmcp>=2.13,<3"]\n'}
    assert target(tmp_path, files) == Target(Version("2.14.3"), "uv.lock")


def test_a_range_without_a_lock_is_its_newest_release(tmp_path: Path) -> None:
    files = {"pyproject.toml": '[project]\ndependencies = ["fastmcp>=2.13,<3"]\n'}
    found = target(tmp_path, files)
    assert found.version == Version("2.14.7")
    assert found.source.startswith("pyproject.toml")
    assert ">=2.13" in found.source and "<3" in found.source


def test_lock_when_no_dependency_spec(tmp_path: Path) -> None:
    files = {**EVERYTHING, "pyproject.toml": '[project]\ndependencies = ["httpx"]\n'}
    assert target(tmp_path, files) == Target(Version("2.14.3"), "uv.lock")


def test_default_is_newest_known_release(tmp_path: Path) -> None:
    found = target(tmp_path)
    assert found.version == NEWEST
    assert "newest" in found.source


@pytest.mark.parametrize(
    ("override", "expected"),
    [("2.14.2", "2.14.2"), ("4.1", "4.1.7"), (">=3,<4", "3.4.11")],
)
def test_override_forms(tmp_path: Path, override: str, expected: str) -> None:
    assert target(tmp_path, override=override).version == Version(expected)


def test_invalid_override_is_fkit_error_naming_the_option(tmp_path: Path) -> None:
    with pytest.raises(FkitError, match="--fastmcp-version"):
        target(tmp_path, override="latest")


def test_invalid_configured_version_is_fkit_error_naming_the_setting(tmp_path: Path) -> None:
    files = {"pyproject.toml": '[tool.fkit]\nfastmcp-version = "newest please"\n'}
    with pytest.raises(FkitError, match=r"\[tool\.fkit\] fastmcp-version"):
        target(tmp_path, files)


def test_invalid_override_wins_over_valid_config(tmp_path: Path) -> None:
    files = {"pyproject.toml": '[tool.fkit]\nfastmcp-version = "3.0.2"\n'}
    with pytest.raises(FkitError, match="--fastmcp-version"):
        target(tmp_path, files, override=">=99")


def test_float_configured_version_is_not_misread(tmp_path: Path) -> None:
    # TOML `2.10` is the float 2.1: linting for 2.1.x would be silently wrong.
    files = {"pyproject.toml": "[tool.fkit]\nfastmcp-version = 2.10\n"}
    try:
        found = target(tmp_path, files)
    except FkitError:
        return
    assert found.version.release[:2] == (2, 10)


# -- detect_target: dependency specs --------------------------------------------------------


@pytest.mark.parametrize(
    ("pyproject", "expected"),
    [
        pytest.param('[project]\ndependencies = ["fastmcp>=2.13,<3"]', "2.14.7", id="range"),
        pytest.param('[project]\ndependencies = ["fastmcp==3.0.2"]', "3.0.2", id="pinned"),
        pytest.param('[project]\ndependencies = ["fastmcp-slim>=3.3,<4"]', "3.4.11", id="slim"),
        pytest.param('[project]\ndependencies = ["FastMCP~=2.13.0"]', "2.13.3", id="case"),
        pytest.param(
            "[project]\ndependencies = [\"fastmcp[openai]>=3,<3.1; python_version >= '3.10'\"]",
            "3.0.2",
            id="extras-and-marker",
        ),
        pytest.param('[project]\ndependencies = ["fastmcp"]', str(NEWEST), id="unpinned"),
        pytest.param(
            '[project]\ndependencies = ["httpx"]\n'
            '[project.optional-dependencies]\nmcp = ["fastmcp<2.12"]',
            "2.11.3",
            id="optional-dependencies",
        ),
        pytest.param(
            '[dependency-groups]\ndev = [{include-group = "lint"}, "fastmcp>=3.3,<3.4"]\nlint = []',
            "3.3.1",
            id="dependency-groups",
        ),
        pytest.param(
            '[tool.poetry.dependencies]\npython = "^3.10"\nfastmcp = "^2.14"',
            "2.14.7",
            id="poetry-caret",
        ),
        pytest.param(
            '[tool.poetry.dependencies]\nfastmcp = {version = "~3.0", extras = ["x"]}',
            "3.0.2",
            id="poetry-tilde-table",
        ),
        pytest.param(
            '[tool.poetry.dependencies]\nfastmcp = ">=2.12,<2.13"', "2.12.5", id="poetry-pep440"
        ),
        pytest.param(
            '[tool.poetry.dependencies]\nfastmcp = "2.14.2"', "2.14.2", id="poetry-bare-version"
        ),
        pytest.param(
            '[tool.poetry.dev-dependencies]\nfastmcp = "~2.12"', "2.12.5", id="poetry-dev"
        ),
    ],
)
def test_pyproject_dependency_spec(tmp_path: Path, pyproject: str, expected: str) -> None:
    found = target(tmp_path, {"pyproject.toml": pyproject + "\n"})
    assert found.version == Version(expected)
    assert found.source.startswith("pyproject.toml")


def test_poetry_source_names_poetry(tmp_path: Path) -> None:
    found = target(tmp_path, {"pyproject.toml": '[tool.poetry.dependencies]\nfastmcp = "^3.0"\n'})
    assert found == Target(Version("3.4.11"), "pyproject.toml [tool.poetry] (<4,>=3.0)")


def test_requirements_txt_skips_comments_and_option_lines(tmp_path: Path) -> None:
    files = {
        "requirements.txt": """
            # our deps
            --index-url https://pypi.example/simple
            -r requirements-base.in
            -e ./vendored
            httpx>=0.27  # http client
            fastmcp>=2.13,<2.14  # pinned below 2.14
        """,
        "requirements-base.in": "httpx\n",
    }
    found = target(tmp_path, files)
    assert found.version == Version("2.13.3")
    assert found.source.startswith("requirements.txt")


def test_requirements_txt_with_hashes(tmp_path: Path) -> None:
    # `pip-compile --generate-hashes` / `uv pip compile --generate-hashes` output.
    files = {
        "requirements.txt": """
            fastmcp==2.14.2 \\
                --hash=sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
            httpx==0.28.1 \\
                --hash=sha256:fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210
        """,
    }
    assert target(tmp_path, files).version == Version("2.14.2")


def test_requirements_txt_follows_dash_r_includes(tmp_path: Path) -> None:
    files = {
        "requirements.txt": "-r requirements/base.txt\nuvicorn\n",
        "requirements/base.txt": "fastmcp==3.0.1\n",
    }
    assert target(tmp_path, files).version == Version("3.0.1")


def test_any_requirements_star_txt_counts(tmp_path: Path) -> None:
    found = target(tmp_path, {"requirements-prod.txt": "fastmcp==3.2.1\n"})
    assert found.version == Version("3.2.1")
    assert found.source.startswith("requirements-prod.txt")


def test_fastmcp_json_environment_dependencies(tmp_path: Path) -> None:
    config = {
        "source": {"path": "server.py"},
        "environment": {"type": "uv", "dependencies": ["pandas", "fastmcp>=2.12,<2.13"]},
    }
    found = target(tmp_path, {"fastmcp.json": json.dumps(config)})
    assert found.version == Version("2.12.5")
    assert found.source.startswith("fastmcp.json")


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("{not json", id="invalid-json"),
        pytest.param("[]", id="not-an-object"),
        pytest.param('{"environment": "uv"}', id="environment-not-an-object"),
        pytest.param('{"environment": {"dependencies": null}}', id="null-dependencies"),
    ],
)
def test_malformed_fastmcp_json_falls_back_to_default(tmp_path: Path, text: str) -> None:
    assert target(tmp_path, {"fastmcp.json": text}).version == NEWEST


def test_pyproject_spec_beats_requirements_and_fastmcp_json(tmp_path: Path) -> None:
    files = {
        "pyproject.toml": '[project]\ndependencies = ["fastmcp==2.14.1"]\n',
        "requirements.txt": "fastmcp==3.0.0\n",
        "fastmcp.json": json.dumps({"environment": {"dependencies": ["fastmcp==3.1.0"]}}),
    }
    assert target(tmp_path, files).version == Version("2.14.1")


def test_requirements_beat_fastmcp_json(tmp_path: Path) -> None:
    files = {
        "requirements.txt": "fastmcp==3.0.0\n",
        "fastmcp.json": json.dumps({"environment": {"dependencies": ["fastmcp==3.1.0"]}}),
    }
    assert target(tmp_path, files).version == Version("3.0.0")


# -- detect_target: lock files ---------------------------------------------------------------


def test_uv_lock(tmp_path: Path) -> None:
    files = {
        "uv.lock": """
            version = 1
            requires-python = ">=3.10"

            [[package]]
            name = "httpx"
            version = "0.28.1"

            [[package]]
            name = "fastmcp"
            version = "2.14.3"
            source = { registry = "https://pypi.org/simple" }
        """,
    }
    assert target(tmp_path, files) == Target(Version("2.14.3"), "uv.lock")


def test_poetry_lock(tmp_path: Path) -> None:
    files = {"poetry.lock": '[[package]]\nname = "fastmcp"\nversion = "3.2.4"\n'}
    assert target(tmp_path, files) == Target(Version("3.2.4"), "poetry.lock")


def test_lock_with_fastmcp_slim(tmp_path: Path) -> None:
    files = {"uv.lock": '[[package]]\nname = "fastmcp-slim"\nversion = "4.0.3"\n'}
    assert target(tmp_path, files).version == Version("4.0.3")


def test_uv_lock_beats_poetry_lock(tmp_path: Path) -> None:
    files = {
        "uv.lock": '[[package]]\nname = "fastmcp"\nversion = "2.14.3"\n',
        "poetry.lock": '[[package]]\nname = "fastmcp"\nversion = "3.2.4"\n',
    }
    assert target(tmp_path, files).source == "uv.lock"


def test_lock_without_fastmcp_falls_back_to_default(tmp_path: Path) -> None:
    files = {"uv.lock": '[[package]]\nname = "httpx"\nversion = "0.28.1"\n'}
    assert target(tmp_path, files).version == NEWEST


def test_lock_entry_without_version_does_not_crash(tmp_path: Path) -> None:
    # uv writes no version for an editable project with a dynamic version
    # (e.g. linting a checkout of fastmcp itself).
    files = {"uv.lock": '[[package]]\nname = "fastmcp"\nsource = { editable = "." }\n'}
    assert target(tmp_path, files).version == NEWEST


# -- find_entrypoints ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        pytest.param(
            "Dockerfile",
            'CMD ["fastmcp", "run", "server.py:mcp", "--transport", "http"]\n',
            "server.py:mcp",
            id="Dockerfile",
        ),
        pytest.param(
            "Dockerfile.prod",
            "CMD fastmcp run src/app/main.py:server\n",
            "src/app/main.py:server",
            id="Dockerfile-variant",
        ),
        pytest.param(
            "Procfile", "web: fastmcp run app.py:build_app\n", "app.py:build_app", id="Procfile"
        ),
        pytest.param(
            "README.md",
            "Run it:\n\n```\nfastmcp run weather.py:weather\n```\n",
            "weather.py:weather",
            id="README",
        ),
        pytest.param(
            "Makefile", "run:\n\tfastmcp dev tools/srv.py:mcp\n", "tools/srv.py:mcp", id="Makefile"
        ),
        pytest.param(
            "start.sh",
            "#!/bin/sh\nexec fastmcp run my-server.py:app\n",
            "my-server.py:app",
            id="shell-script",
        ),
    ],
)
def test_find_entrypoints_in_deployment_files(
    tmp_path: Path, name: str, text: str, expected: str
) -> None:
    write(tmp_path, {name: text})
    assert find_entrypoints(tmp_path) == frozenset({expected})


def test_find_entrypoints_from_fastmcp_json_source(tmp_path: Path) -> None:
    config = {"source": {"path": "srv.py", "entrypoint": "build"}}
    write(tmp_path, {"fastmcp.json": json.dumps(config)})
    assert find_entrypoints(tmp_path) == frozenset({"srv.py:build"})


def test_fastmcp_json_without_entrypoint_names_none(tmp_path: Path) -> None:
    write(tmp_path, {"fastmcp.json": json.dumps({"source": {"path": "srv.py"}})})
    assert find_entrypoints(tmp_path) == frozenset()


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("{broken", id="invalid-json"),
        pytest.param('["server.py"]', id="not-an-object"),
        pytest.param('{"source": "server.py"}', id="source-not-an-object"),
        pytest.param('{"source": {"path": 3, "entrypoint": "mcp"}}', id="path-not-a-string"),
    ],
)
def test_malformed_fastmcp_json_names_no_entrypoint(tmp_path: Path, text: str) -> None:
    write(tmp_path, {"fastmcp.json": text})
    assert find_entrypoints(tmp_path) == frozenset()


def test_find_entrypoints_collects_from_all_files(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "Dockerfile": "CMD fastmcp run server.py:mcp\n",
            "Procfile": "web: fastmcp run server.py:mcp\n",
            "README.md": "`fastmcp run other.py:app` or `fastmcp run third.py:srv`\n",
            "server.py": "# fastmcp run ignored.py:not_a_deployment_file\n",
        },
    )
    assert find_entrypoints(tmp_path) == frozenset(
        {"server.py:mcp", "other.py:app", "third.py:srv"}
    )


def test_find_entrypoints_in_empty_project(tmp_path: Path) -> None:
    assert find_entrypoints(tmp_path) == frozenset()


# -- load_config ------------------------------------------------------------------------------


def fkit(table: object) -> dict[str, object]:
    return {"tool": {"fkit": table}}


def test_config_defaults() -> None:
    for pyproject in ({}, {"tool": {}}, fkit({})):
        config = load_config(pyproject)
        assert config == Config()
        assert config.select is None
        assert config.ignore == ()
        assert config.exclude == DEFAULT_EXCLUDE
        assert config.output_format == "text"
        assert config.fastmcp_version is None
        assert dict(config.per_file_ignores) == {}
        assert dict(config.rules) == {}


def test_config_values_are_read() -> None:
    config = load_config(
        fkit(
            {
                "select": ["FMCP1"],
                "extend-select": ["FMCP9"],
                "ignore": ["FMCP102"],
                "exclude": ["gen"],
                "extend-exclude": ["examples"],
                "per-file-ignores": {"tests/*": ["FMCP101"]},
                "fastmcp-version": "3.0",
                "output-format": "json",
                "rules": {"FMCP201": {"strict": True}},
            }
        )
    )
    assert config.select == ("FMCP1",)
    assert config.extend_select == ("FMCP9",)
    assert config.ignore == ("FMCP102",)
    assert config.exclude == ("gen",)
    assert config.extend_exclude == ("examples",)
    assert dict(config.per_file_ignores) == {"tests/*": ("FMCP101",)}
    assert config.fastmcp_version == "3.0"
    assert config.output_format == "json"
    assert dict(config.rules) == {"FMCP201": {"strict": True}}


def test_empty_select_is_kept_distinct_from_unset() -> None:
    assert load_config(fkit({"select": []})).select == ()


def test_unknown_key_is_a_warning_naming_it(capsys: pytest.CaptureFixture[str]) -> None:
    config = load_config(fkit({"select": ["FMCP1"], "extend_select": ["X"]}), "sub/pyproject.toml")
    assert config.select == ("FMCP1",) and config.extend_select == ()
    assert capsys.readouterr().err == (
        "fkit: warning: sub/pyproject.toml: unknown key 'extend_select' in [tool.fkit] "
        "ignored; did you mean 'extend-select'?\n"
    )


@pytest.mark.parametrize(
    ("table", "mentions"),
    [
        pytest.param({"select": "FMCP101"}, "select", id="select-string"),
        pytest.param({"ignore": ["FMCP101", 3]}, "ignore", id="ignore-non-string-item"),
        pytest.param({"exclude": {"a": 1}}, "exclude", id="exclude-table"),
        pytest.param({"extend-exclude": None}, "extend-exclude", id="extend-exclude-none"),
        pytest.param({"per-file-ignores": ["x"]}, "per-file-ignores", id="per-file-ignores-list"),
        pytest.param(
            {"per-file-ignores": {"tests/*": "FMCP101"}}, "per-file-ignores", id="per-file-codes"
        ),
        pytest.param({"output-format": "xml"}, "output-format", id="output-format-unknown"),
        pytest.param({"output-format": ["json"]}, "output-format", id="output-format-list"),
        pytest.param({"rules": ["FMCP201"]}, "rules", id="rules-list"),
        pytest.param({"rules": {"FMCP201": True}}, "rules", id="rule-not-table"),
        pytest.param({"fastmcp-version": ["3.0"]}, "fastmcp-version", id="version-list"),
        pytest.param({"fastmcp-version": 2.10}, "fastmcp-version", id="version-float"),
    ],
)
def test_wrong_types_are_errors(table: dict[str, object], mentions: str) -> None:
    with pytest.raises(FkitError, match=mentions):
        load_config(fkit(table))


def test_fkit_table_must_be_a_table() -> None:
    with pytest.raises(FkitError, match=r"\[tool\.fkit\]"):
        load_config(fkit(["select"]))


def test_entrypoints_ignore_hidden_folders_like_the_result_cache(tmp_path: Path) -> None:
    # fkit's own cache stores finding messages that name `server.py:weather`.
    (tmp_path / ".fkit_cache").mkdir()
    (tmp_path / ".fkit_cache" / "abc.json").write_text('{"m": "run server.py:weather"}')
    (tmp_path / ".github").mkdir()
    (tmp_path / ".github" / "deploy.yml").write_text("run: fastmcp run app.py:mcp\n")
    assert find_entrypoints(tmp_path) == frozenset({"app.py:mcp"})


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        (">=3.10", True),
        ("~=3.11.0", True),
        (">=3.11.4,<3.12", True),
        (">=3.12", False),
        ("==3.13.*", False),
        (None, False),  # not declared: the interpreter is unknown
        ("not a specifier", False),
    ],
)
def test_python_below_admitted(spec: str | None, expected: bool) -> None:
    assert python_below_admitted(spec, (3, 12)) is expected


def test_requires_python_is_read_from_the_project_table() -> None:
    assert requires_python({"project": {"requires-python": " >=3.10 "}}) == ">=3.10"
    assert requires_python({"project": {"name": "x"}}) is None
    assert requires_python({"project": {"requires-python": 3.11}}) is None
    assert requires_python({}) is None


def test_requires_python_reaches_the_rules(tmp_path: Path) -> None:
    """The project's requires-python decides FMCP223 (typing.TypedDict before 3.12)."""
    server = """
        from typing import TypedDict
        from fastmcp import FastMCP

        mcp = FastMCP("x")

        class Row(TypedDict):
            name: str

        @mcp.tool
        def rows() -> list[Row]:
            return []
        """
    from tests.helpers import run_cli

    for spec, expected in ((">=3.10", ["FMCP223"]), (">=3.12", [])):
        root = tmp_path / spec.strip("<>=~")
        write(
            root,
            {
                "pyproject.toml": f"""
                    [project]
                    name = "x"
                    requires-python = "{spec}"
                    dependencies = ["fastmcp==3.4.10"]
                    """,
                "server.py": server,
            },
        )
        result = run_cli(
            ["lint", "--select", "FMCP223", "--no-cache", "--output-format", "json", "."],
            cwd=root,
        )
        assert [f["code"] for f in json.loads(result.stdout)] == expected, result.stderr
