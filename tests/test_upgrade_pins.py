"""Dependency pins and project files: the fastmcp requirement moves to the target line,
the floors follow only where the project declares the package, extras are added when the
code needs them, formatting and comments survive, and a second run changes nothing."""

from __future__ import annotations

import json

import pytest
from packaging.specifiers import SpecifierSet
from packaging.version import Version

from fastmcp_kit.lint.violation import Severity
from fastmcp_kit.upgrade.pins import (
    Needs,
    fastmcp_spec,
    newest_in_line,
    raised_floor,
    rewrite_requirement,
    rewrite_requirements_txt,
)
from fastmcp_kit.upgrade.project_files import (
    merge_fastmcp_json,
    upgrade_fastmcp_json_pins,
    upgrade_pyproject,
)

NONE = Needs()
TASKS = Needs(tasks=True)
DISK = Needs(key_value_extras=frozenset({"disk"}))


@pytest.mark.parametrize(
    ("spec", "step", "expected"),
    [
        ("==2.13.3", "2.14", "==2.14.7"),
        ("==2.13.3", "4", f"=={newest_in_line('4')}"),
        (">=2.10,<2.14", "2.14", ">=2.14.3,<3"),
        (">=2.14,<3", "3", ">=3.2.4,<4"),
        (">=3.4,<4", "4", ">=4.0,<5"),
        ("", "4", ">=4.0,<5"),
        (">=4.1", "4", ">=4.1"),  # already inside the line: kept
        ("==4.1.2", "4", "==4.1.2"),
        ("~=3.0", "3", ">=3.2.4,<4"),  # admits the broken 3.0.0-3.2.3
    ],
)
def test_fastmcp_spec(spec: str, step: str, expected: str) -> None:
    assert fastmcp_spec(SpecifierSet(spec), step) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("==2.11.7", ">=2.12"),
        (">=2.0,<3", ">=2.12,<3"),
        (">=2,<2.12", ">=2.12"),
        (">=2.12.3", None),
        (">=2.13,<3", None),
        ("", ">=2.12"),
    ],
)
def test_raised_floor(spec: str, expected: str | None) -> None:
    assert raised_floor(SpecifierSet(spec), Version("2.12")) == expected


def test_requirement_keeps_name_extras_and_markers() -> None:
    notes: list[tuple[Severity, str]] = []
    text = 'FastMCP[openai]>=2.10 ; python_version >= "3.10"'
    assert rewrite_requirement(text, "4", TASKS, notes) == (
        'FastMCP[openai,tasks]>=4.0,<5; python_version >= "3.10"'
    )
    assert rewrite_requirement("fastmcp>=4.0,<5", "4", NONE, notes) == "fastmcp>=4.0,<5"


def test_floors_only_for_declared_packages_on_4() -> None:
    notes: list[tuple[Severity, str]] = []
    assert rewrite_requirement("pydantic==2.11.7", "4", NONE, notes) == "pydantic>=2.12"
    assert rewrite_requirement("fastapi>=0.110", "4", NONE, notes) == "fastapi>=0.133"
    assert rewrite_requirement("mcp>=1.24,<2", "4", NONE, notes) == "mcp>=2.2"
    assert rewrite_requirement("pydantic==2.11.7", "3", NONE, notes) == "pydantic==2.11.7"
    assert rewrite_requirement("httpx>=0.27", "4", NONE, notes) == "httpx>=0.27"
    assert not notes


def test_conflicting_mcp_pin_is_reported_before_4() -> None:
    notes: list[tuple[Severity, str]] = []
    assert rewrite_requirement("mcp<1.23", "2.14", NONE, notes) == "mcp<1.23"
    assert notes and "needs mcp>=1.24,<2" in notes[0][1]


def test_git_url_moves_to_prefecthq() -> None:
    notes: list[tuple[Severity, str]] = []
    text = "fastmcp @ git+https://github.com/jlowin/fastmcp@v2.13.0"
    assert rewrite_requirement(text, "3", NONE, notes) == (
        "fastmcp @ git+https://github.com/PrefectHQ/fastmcp@v2.13.0"
    )
    assert "point it at a 3.x release" in notes[0][1]


def test_requirements_txt() -> None:
    text = "# runtime\nfastmcp>=2.14,<3  # the framework\r\nhttpx>=0.27\n-r base.txt\n"
    new, changed, row = rewrite_requirements_txt(text, "4", Needs(True, frozenset({"disk"})), [])
    assert new == (
        "# runtime\nfastmcp[tasks]>=4.0,<5  # the framework\r\n"
        "py-key-value-aio[disk]>=0.4.4,<0.5\nhttpx>=0.27\n-r base.txt\n"
    )
    assert (changed, row) == (2, 2)
    again, changed_again, _ = rewrite_requirements_txt(
        new, "4", Needs(True, frozenset({"disk"})), []
    )
    assert (again, changed_again) == (new, 0)


def test_hash_pinned_requirements_are_reported_not_rewritten() -> None:
    notes: list[tuple[Severity, str]] = []
    text = "fastmcp==2.14.7 --hash=sha256:abc\n"
    new, changed, _ = rewrite_requirements_txt(text, "3", NONE, notes)
    assert (new, changed) == (text, 0)
    assert "regenerate the hashes" in notes[0][1]


FROZEN = (
    "fastmcp==2.12.4\nmcp==1.16.0\npydantic==2.11.7\npydantic-core==2.33.2\n"
    "starlette==0.47.3\nuvicorn==0.35.0\n"
)


def test_a_frozen_file_is_reported_as_needing_a_re_freeze() -> None:
    notes: list[tuple[Severity, str]] = []
    new, _, _ = rewrite_requirements_txt(FROZEN, "4", NONE, notes)
    assert "fastmcp==4.2.3" in new and "pydantic-core==2.33.2" in new
    errors = [m for s, m in notes if s is Severity.ERROR]
    warnings = [m for s, m in notes if s is Severity.WARNING and "frozen" in m]
    # pydantic pins its pydantic-core build exactly: the moved pydantic cannot install.
    assert len(errors) == 1 and "`pydantic-core==2.33.2`" in errors[0]
    assert len(warnings) == 1
    assert "`starlette==0.47.3`, `uvicorn==0.35.0`" in warnings[0]
    assert "pydantic-core" not in warnings[0] and "fastmcp==" not in warnings[0]
    # Once moved, nothing changes and nothing more is said.
    again: list[tuple[Severity, str]] = []
    assert rewrite_requirements_txt(new, "4", NONE, again)[1] == 0
    assert not any("frozen" in m or "pydantic-core" in m for _, m in again)


def test_a_file_of_ranges_is_not_frozen() -> None:
    notes: list[tuple[Severity, str]] = []
    text = "fastmcp>=2.12,<3\npydantic>=2.7\nstarlette==0.47.3\nuvicorn\n"
    rewrite_requirements_txt(text, "4", NONE, notes)
    assert not any("frozen" in m or "re-freeze" in m for _, m in notes)


PYPROJECT = """\
[project]
name = "x"
dependencies = [
    "fastmcp==2.13.3",  # the framework
    # a comment line
    "pydantic>=2.0,<3",
]

[project.optional-dependencies]
server = ["fastmcp>=2.13"]

[dependency-groups]
dev = ["pytest"]

[tool.poetry.dependencies]
fastmcp = { version = "^2.13", extras = ["openai"] }
"""


def test_pyproject_keeps_format_and_comments() -> None:
    new, changed = upgrade_pyproject(PYPROJECT, "4", Needs(True, frozenset({"redis"})), [])
    assert new == PYPROJECT.replace(
        '"fastmcp==2.13.3",  # the framework',
        f'"fastmcp[tasks]=={newest_in_line("4")}",  # the framework',
    ).replace(
        '"pydantic>=2.0,<3",', '"pydantic>=2.12,<3",\n    "py-key-value-aio[redis]>=0.4.4,<0.5",'
    ).replace(
        'server = ["fastmcp>=2.13"]',
        'server = ["fastmcp[tasks]>=4.0,<5", "py-key-value-aio[redis]>=0.4.4,<0.5"]',
    ).replace(
        'fastmcp = { version = "^2.13", extras = ["openai"] }',
        'fastmcp = { version = "^4.0", extras = ["openai", "tasks"] }',
    )
    assert changed == 7
    assert upgrade_pyproject(new, "4", Needs(True, frozenset({"redis"})), []) == (new, 0)


def test_poetry_string_becomes_a_table_for_extras() -> None:
    text = '[tool.poetry.dependencies]\npython = "^3.11"\nfastmcp = "^2.14"\n'
    new, _ = upgrade_pyproject(text, "3", TASKS, [])
    assert 'fastmcp = {version = "^3.2.4", extras = ["tasks"]}' in new
    assert upgrade_pyproject(text, "3", NONE, [])[0].endswith('fastmcp = "^3.2.4"\n')


def test_fastmcp_json_pins_and_dependencies() -> None:
    text = '{\n  "source": {"path": "s.py"},\n  "environment": {"dependencies": ["fastmcp>=2.14,<3", "rich"]}\n}\n'
    new, changed = upgrade_fastmcp_json_pins(text, "3", NONE, [])
    assert changed == 1 and '"fastmcp>=3.2.4,<4", "rich"' in new
    merged = merge_fastmcp_json(new, "s.py", "mcp", ["pandas", "rich"])
    assert json.loads(merged)["environment"]["dependencies"] == [
        "fastmcp>=3.2.4,<4",
        "rich",
        "pandas",
    ]
    assert merge_fastmcp_json(merged, "s.py", "mcp", ["pandas"]) == merged
    created = json.loads(merge_fastmcp_json(None, "pkg/server.py", "app", ["numpy"]))
    assert created["source"] == {"type": "filesystem", "path": "pkg/server.py", "entrypoint": "app"}
    assert created["environment"]["dependencies"] == ["numpy"]


OUT_OF_ORDER = """\
[project]
name = "demo"
dependencies = ["fastmcp>=2.13,<3"]

[build-system]
requires = ["hatchling"]

[project.scripts]
demo = "demo:main"
"""


def test_a_project_table_split_by_another_table_gets_its_pin_moved() -> None:
    notes: list[tuple[Severity, str]] = []
    text, changed = upgrade_pyproject(OUT_OF_ORDER, "3", NONE, notes)
    assert changed == 1
    assert '"fastmcp>=3.2.4,<4"' in text and "[project.scripts]" in text
    assert not [n for n in notes if n[0] is Severity.ERROR]


def test_a_pin_fkit_cannot_edit_is_an_error_not_silence() -> None:
    notes: list[tuple[Severity, str]] = []
    text = '[project]\nname = "x"\n\n[tool.uv]\nconstraint-dependencies = ["fastmcp<3"]\n'
    upgrade_pyproject(text, "3", NONE, notes)
    errors = [message for severity, message in notes if severity is Severity.ERROR]
    assert errors and "`fastmcp<3`" in errors[0] and "by hand" in errors[0]


def test_upgrade_check_fails_on_the_out_of_order_layout_before_write(tmp_path) -> None:
    from tests.helpers import run_cli

    (tmp_path / "pyproject.toml").write_text(OUT_OF_ORDER, encoding="utf-8")
    (tmp_path / "server.py").write_text("from fastmcp import FastMCP\n\nmcp = FastMCP('d')\n")
    assert run_cli(["upgrade", "--to", "3", "--check", "."], cwd=tmp_path).exit_code == 1
    assert run_cli(["upgrade", "--to", "3", "--write", "."], cwd=tmp_path).exit_code == 0
    assert '"fastmcp>=3.2.4,<4"' in (tmp_path / "pyproject.toml").read_text()


UV_SOURCE = """\
[project]
name = "svc"
dependencies = ["fastmcp>=2.12,<3"]

[tool.uv.sources]
fastmcp = { git = "https://github.com/jlowin/fastmcp", tag = "v2.13.3" }
"""


def test_a_uv_git_source_that_overrides_the_pins_is_an_error() -> None:
    notes: list[tuple[Severity, str]] = []
    new, _ = upgrade_pyproject(UV_SOURCE, "4", NONE, notes)
    assert '"fastmcp>=4.0,<5"' in new
    errors = [m for s, m in notes if s is Severity.ERROR]
    assert len(errors) == 1 and "`[tool.uv.sources] fastmcp` installs fastmcp from git" in errors[0]
    # Pointed at a 4.x tag, it is what the upgrade asks for: nothing more to say.
    moved: list[tuple[Severity, str]] = []
    upgrade_pyproject(new.replace('tag = "v2.13.3"', 'tag = "v4.2.3"'), "4", NONE, moved)
    assert not any("uv.sources" in m for _, m in moved)
    # An index source leaves the choice of version to the pins.
    index: list[tuple[Severity, str]] = []
    upgrade_pyproject(
        UV_SOURCE.replace(
            'git = "https://github.com/jlowin/fastmcp", tag = "v2.13.3"', 'index = "internal"'
        ),
        "4",
        NONE,
        index,
    )
    assert not any("uv.sources" in m for _, m in index)
