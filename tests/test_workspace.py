"""Each file linted for its own project and the FastMCP (and SDK) that runs there:
monorepos, locks over ranges, SDK-only projects, forward hazards, what the output says."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

from packaging.version import Version

from fastmcp_kit.targets import read_facts, resolve_versions
from fastmcp_kit.workspace import Workspace
from tests.helpers import run_cli


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    (root / ".git").mkdir(exist_ok=True)  # a checkout: the search stops here
    return root


def pyproject(*dependencies: str, fkit: str = "") -> str:
    listed = ", ".join(f'"{d}"' for d in dependencies)
    return f'[project]\nname = "p"\ndependencies = [{listed}]\n{fkit}'


def uv_lock(**versions: str) -> str:
    packages = "".join(
        f'[[package]]\nname = "{name}"\nversion = "{version}"\n\n'
        for name, version in versions.items()
    )
    return f"version = 1\n\n{packages}"


def lint(root: Path, *args: str) -> tuple[int, list[dict[str, object]], str]:
    result = run_cli(["lint", "--no-cache", "--output-format", "json", *args], cwd=root)
    assert result.exit_code in (0, 1), result.stderr
    return result.exit_code, json.loads(result.stdout), result.stderr


def codes_by_file(findings: list[dict[str, object]]) -> set[tuple[str, str]]:
    return {(str(f["filename"]), str(f["code"])) for f in findings}


SAMPLING = """
from fastmcp import Context, FastMCP

mcp = FastMCP("jobs")

@mcp.tool
async def summarize(text: str, ctx: Context) -> str:
    reply = await ctx.sample(text)
    return reply.text
"""


# -- monorepos --------------------------------------------------------------------------


def monorepo(tmp_path: Path) -> Path:
    return write(
        tmp_path,
        {
            # 2.12 has server-side sampling; 4.x removed it (FMCP212).
            "old/pyproject.toml": pyproject("fastmcp==2.12.5"),
            "old/server.py": SAMPLING,
            # Each project's own [tool.fkit]: FMCP901 off here only.
            "new/pyproject.toml": pyproject(
                "fastmcp>=4.1,<5", fkit='[tool.fkit]\nignore = ["FMCP901"]\n'
            ),
            "new/server.py": SAMPLING
            + "\nimport datetime\nSTARTED = datetime.datetime.utcnow().timestamp()\n",
            "old/clock.py": "import datetime\nSTARTED = datetime.datetime.utcnow().timestamp()\n",
        },
    )


def test_a_monorepo_gives_each_file_its_own_projects_findings(tmp_path: Path) -> None:
    root = monorepo(tmp_path)
    expected = {
        ("new/server.py", "FMCP212"),  # 4.x: sampling removed
        ("old/clock.py", "FMCP901"),  # old/ does not ignore FMCP901
    }
    _, from_root, _ = lint(root, ".")
    assert codes_by_file(from_root) == expected
    _, named, _ = lint(root, "old", "new")
    assert codes_by_file(named) == expected
    _, reversed_order, _ = lint(root, "new", "old")
    assert codes_by_file(reversed_order) == expected


def test_a_monorepo_run_names_each_projects_versions(tmp_path: Path) -> None:
    root = monorepo(tmp_path)
    result = run_cli(["lint", "--no-cache", "."], cwd=root)
    assert "in 2 projects" in result.stdout
    assert "old: FastMCP 2.12.5 (pyproject.toml (==2.12.5))" in result.stdout
    assert "new: FastMCP 4.2.3 (pyproject.toml (" in result.stdout


# -- the lock over an open range, and forward hazards -------------------------------------


def locked_project(tmp_path: Path) -> Path:
    return write(
        tmp_path,
        {
            "pyproject.toml": pyproject("fastmcp>=2.12"),
            "uv.lock": uv_lock(fastmcp="2.13.1"),
            "server.py": SAMPLING,
        },
    )


def test_the_lock_wins_over_an_open_range_and_the_newer_line_is_one_summary_line(
    tmp_path: Path,
) -> None:
    root = locked_project(tmp_path)
    result = run_cli(["lint", "--no-cache", "."], cwd=root)
    assert result.exit_code == 0, result.stdout
    assert "FMCP212" not in result.stdout
    assert "Linted 1 file for FastMCP 2.13.1 (uv.lock)" in result.stdout
    hazards = [line for line in result.stdout.splitlines() if "would break" in line]
    assert hazards == [
        "1 place would break on FastMCP 4.2.3, which `fastmcp>=2.12` admits (2.13.1 runs, "
        "from uv.lock): pin `fastmcp<4` or run `fkit upgrade --to 4`; `--forward` lists them."
    ]


def test_forward_lists_the_hazards_naming_both_versions(tmp_path: Path) -> None:
    root = locked_project(tmp_path)
    code, findings, _ = lint(root, "--forward", ".")
    assert code == 1
    assert [f["code"] for f in findings] == ["FMCP212"]
    message = str(findings[0]["message"])
    assert "[forward: breaks on FastMCP 4.2.3, which `fastmcp>=2.12` admits;" in message
    assert "2.13.1 runs (uv.lock)]" in message
    assert findings[0]["fix"] is None  # never fix for a release that does not run


def test_forward_from_the_configuration(tmp_path: Path) -> None:
    root = locked_project(tmp_path)
    (root / "pyproject.toml").write_text(
        pyproject("fastmcp>=2.12", fkit="[tool.fkit]\nforward = true\n"), encoding="utf-8"
    )
    _, findings, _ = lint(root, ".")
    assert [f["code"] for f in findings] == ["FMCP212"]
    _, findings, _ = lint(root, "--no-forward", ".")
    assert findings == []


def test_machine_formats_print_the_hazard_line_on_stderr(tmp_path: Path) -> None:
    root = locked_project(tmp_path)
    _, findings, stderr = lint(root, ".")
    assert findings == []
    assert "would break on FastMCP 4.2.3" in stderr


def test_sarif_carries_the_versions_in_the_run_properties(tmp_path: Path) -> None:
    root = locked_project(tmp_path)
    result = run_cli(["lint", "--no-cache", "--output-format", "sarif", "."], cwd=root)
    properties = json.loads(result.stdout)["runs"][0]["properties"]
    [project] = properties["projects"]
    assert (project["fastmcp"], project["fastmcp_source"]) == ("2.13.1", "uv.lock")
    assert project["hazards"] == 1


# -- SDK-only projects --------------------------------------------------------------------

SDK_ERROR = """
from mcp.server.fastmcp import FastMCP
from mcp.shared.exceptions import McpError
from mcp.types import ErrorData

mcp = FastMCP("sdk")

@mcp.tool()
def fail() -> None:
    raise McpError(ErrorData(code=-32000, message="boom"))
"""


def test_an_sdk_only_project_gets_no_finding_on_mcp_error_data(tmp_path: Path) -> None:
    root = write(
        tmp_path, {"pyproject.toml": pyproject("mcp[cli]>=1.29,<1.30"), "server.py": SDK_ERROR}
    )
    result = run_cli(["lint", "--no-cache", "."], cwd=root)
    assert result.exit_code == 0, result.stdout
    assert "mcp 1.29.1 (pyproject.toml (" in result.stdout
    assert "SDK-only, so no standalone-FastMCP rules" in result.stdout
    settings = run_cli(["lint", "--show-settings", "server.py"], cwd=root).stdout
    assert "FastMCP: not a dependency (SDK-only project)" in settings
    assert "Enabled rules (3): FMCP614, FMCP901, FMCP902" in settings


def test_an_sdk_range_that_admits_2x_makes_the_renamed_module_a_forward_hazard(
    tmp_path: Path,
) -> None:
    root = write(tmp_path, {"pyproject.toml": pyproject("mcp[cli]>=1.6"), "server.py": SDK_ERROR})
    result = run_cli(["lint", "--no-cache", "."], cwd=root)
    assert result.exit_code == 0, result.stdout
    assert "mcp 1.30.0 (pyproject.toml (>=1.6))" in result.stdout
    assert "would break on mcp 2.3.0, which `mcp>=1.6` admits" in result.stdout
    _, findings, _ = lint(root, "--forward", ".")
    assert sorted(str(f["code"]) for f in findings) == ["FMCP306", "FMCP315"]


def test_sdk_2_is_judged_by_the_mcp_version(tmp_path: Path) -> None:
    root = write(
        tmp_path,
        {
            "pyproject.toml": pyproject("mcp>=2"),
            "server.py": "from mcp import MCPError\nfrom mcp.types import ErrorData\n\n"
            "raise MCPError(ErrorData(code=1, message='x'))\n",
        },
    )
    _, findings, _ = lint(root, ".")
    assert [f["code"] for f in findings] == ["FMCP306"]


# -- current API data -----------------------------------------------------------------------


def test_fastmcp_4_2_code_is_clean_and_an_unknown_release_gets_a_notice(tmp_path: Path) -> None:
    root = write(
        tmp_path,
        {
            "pyproject.toml": pyproject("fastmcp>=4.2"),
            "server.py": 'from fastmcp import FastMCP, Skill\n\nmcp = FastMCP("x", cache_ttl=60)\n',
        },
    )
    code, findings, _ = lint(root, ".")
    assert (code, findings) == (0, [])
    result = run_cli(["lint", "--no-cache", "--fastmcp-version", "4.9.0", "."], cwd=root)
    assert result.exit_code == 0, result.stdout
    assert "FastMCP 4.9.0 is newer than fkit's API data (up to 4.2.3)" in result.stdout


# -- project rules see the whole project ------------------------------------------------------


def test_a_file_named_alone_is_judged_with_the_rest_of_its_project(tmp_path: Path) -> None:
    root = write(
        tmp_path,
        {
            "pyproject.toml": pyproject("fastmcp>=4.1,<5"),
            "server.py": """
                from fastmcp import FastMCP

                mcp = FastMCP("jobs")

                @mcp.tool(task=True)
                async def slow() -> str:
                    return "done"
            """,
            "app.py": """
                from fastmcp_tasks import TasksExtension
                from server import mcp

                mcp.add_extension(TasksExtension())
            """,
        },
    )
    _, findings, _ = lint(root, "server.py")
    assert findings == []
    (root / "app.py").write_text("from server import mcp\n", encoding="utf-8")
    _, findings, _ = lint(root, "server.py")
    assert [f["code"] for f in findings] == ["FMCP810"]


# -- what a run says about itself ---------------------------------------------------------------


def test_a_folder_without_files_does_not_claim_success(tmp_path: Path) -> None:
    root = write(tmp_path, {"pyproject.toml": pyproject("fastmcp"), "docs/readme.txt": "x"})
    result = run_cli(["lint", "--no-cache", "docs"], cwd=root)
    assert result.exit_code == 0
    assert "All checks passed" not in result.stdout
    assert "no files to lint" in result.stderr


def test_a_folder_named_inside_a_virtualenv_is_linted(tmp_path: Path) -> None:
    package = ".venv/lib/python3.11/site-packages/pkg"
    root = write(
        tmp_path,
        {
            "pyproject.toml": pyproject("fastmcp"),
            ".venv/pyvenv.cfg": "home = /usr\n",
            f"{package}/mod.py": "import datetime\nX = datetime.datetime.utcnow().timestamp()\n",
        },
    )
    _, everything, _ = lint(root, ".")
    assert everything == []
    _, named, _ = lint(root, package)
    assert [f["code"] for f in named] == ["FMCP901"]


def test_show_files_lists_what_a_run_would_lint(tmp_path: Path) -> None:
    root = monorepo(tmp_path)
    result = run_cli(["lint", "--show-files", "."], cwd=root)
    assert result.stdout.splitlines() == ["new/server.py", "old/clock.py", "old/server.py"]


# -- version resolution ---------------------------------------------------------------------------


def versions_of(root: Path):  # type: ignore[no-untyped-def]
    workspace = Workspace()
    return workspace.project(workspace.project_root(root)).versions


def test_a_uv_workspace_member_reads_the_workspace_lock(tmp_path: Path) -> None:
    root = write(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "w"\n[tool.uv.workspace]\nmembers = ["svc"]\n',
            "uv.lock": uv_lock(fastmcp="3.2.4", mcp="1.26.0"),
            "svc/pyproject.toml": pyproject("fastmcp>=3"),
        },
    )
    versions = versions_of(root / "svc")
    assert versions.fastmcp is not None and versions.fastmcp.version == Version("3.2.4")
    assert versions.mcp is not None and versions.mcp.version == Version("1.26.0")
    assert versions.fastmcp.source == "../uv.lock (workspace)"


def test_a_folder_that_says_nothing_runs_what_the_project_around_it_runs(tmp_path: Path) -> None:
    root = write(
        tmp_path,
        {
            "pyproject.toml": pyproject("fastmcp==2.14.3"),
            "tests/requirements.txt": "pytest\n",
        },
    )
    versions = versions_of(root / "tests")
    assert versions.fastmcp is not None
    assert (versions.fastmcp.version, versions.fastmcp.source) == (
        Version("2.14.3"),
        "../pyproject.toml (==2.14.3)",
    )


def test_other_lock_formats(tmp_path: Path) -> None:
    for name, text in {
        "poetry.lock": '[[package]]\nname = "fastmcp"\nversion = "2.13.3"\n',
        "pdm.lock": '[[package]]\nname = "fastmcp"\nversion = "2.13.3"\n',
        "pylock.toml": 'lock-version = "1.0"\n[[packages]]\nname = "fastmcp"\nversion = "2.13.3"\n',
    }.items():
        root = write(tmp_path / name, {"pyproject.toml": pyproject("fastmcp"), name: text})
        facts = read_facts(root, {"project": {"dependencies": ["fastmcp"]}}, root)
        versions = resolve_versions(facts)
        assert versions.fastmcp is not None and str(versions.fastmcp.version) == "2.13.3", name
        assert versions.fastmcp.source == name


def test_a_configuration_outside_the_repository_is_not_read(tmp_path: Path) -> None:
    write(tmp_path, {"pyproject.toml": '[tool.fkit]\nselect = ["FMCP9"]\n'})
    inner = tmp_path / "checkout"
    write(inner, {"pyproject.toml": pyproject("fastmcp"), "server.py": "x = 1\n"})
    settings = Workspace().settings_for(inner)
    assert settings.path is None


def test_undeclared_sdk_code_is_judged_as_sdk_1(tmp_path: Path) -> None:
    root = write(tmp_path, {"requirements.txt": "uvicorn==0.29.0\n", "server.py": SDK_ERROR})
    result = run_cli(["lint", "--no-cache", "."], cwd=root)
    assert result.exit_code == 0, result.stdout
    assert "mcp 1.30.0 (not declared; the newest 1.x release)" in result.stdout


# A 3.x-era import that FastMCP 4 removed: clean only when the 3.x lock governs the file.
TOOL_RESULT = "from fastmcp.tools.tool import ToolResult\n\nprint(ToolResult)\n"


def _server_locking_3x(tmp_path: Path, vendored: dict[str, str], source: str) -> Path:
    return write(
        tmp_path,
        {
            "server/pyproject.toml": pyproject("fastmcp>=3.2,<3.4", "mcp-middleware")
            + f'\n[tool.uv.sources]\nmcp-middleware = {{ path = "{source}" }}\n',
            "server/uv.lock": uv_lock(fastmcp="3.3.1")
            + f'[[package]]\nname = "mcp-middleware"\nversion = "1.0.0"\n'
            f'source = {{ directory = "{source}" }}\n',
            **vendored,
        },
    )


def test_a_path_dependency_without_a_lock_runs_in_the_lock_that_installs_it(
    tmp_path: Path,
) -> None:
    root = _server_locking_3x(
        tmp_path,
        {
            "server/packages/middleware/pyproject.toml": pyproject("fastmcp>=0.2.0"),
            "server/packages/middleware/mcp_middleware/errors.py": TOOL_RESULT,
        },
        "packages/middleware",
    )
    project = Workspace().project_of(root / "server/packages/middleware/mcp_middleware/errors.py")
    assert project.root == (root / "server/packages/middleware").resolve()
    assert project.versions.fastmcp is not None
    assert str(project.versions.fastmcp.version) == "3.3.1"
    assert project.versions.fastmcp.source == "../../uv.lock (installs this project)"
    _, findings, _ = lint(root)
    assert not [f for f in findings if f["code"] == "FMCP308"], findings


def test_a_folder_an_enclosing_project_builds_belongs_to_it_despite_its_own_stale_lock(
    tmp_path: Path,
) -> None:
    shared = "shared/"
    root = write(
        tmp_path,
        {
            f"{shared}pyproject.toml": pyproject("fastmcp>=3.2.0")
            + '\n[tool.setuptools.packages.find]\nwhere = [".", "packages/mcp_middleware"]\n',
            f"{shared}uv.lock": uv_lock(fastmcp="3.2.4"),
            # the sub-package's own metadata and a lock nobody refreshed since 2.x
            f"{shared}packages/mcp_middleware/pyproject.toml": pyproject("fastmcp>=0.2.0"),
            f"{shared}packages/mcp_middleware/uv.lock": uv_lock(fastmcp="2.13.0.2"),
            f"{shared}packages/mcp_middleware/mcp_middleware/errors.py": TOOL_RESULT,
        },
    )
    path = root / shared / "packages/mcp_middleware/mcp_middleware/errors.py"
    project = Workspace().project_of(path)
    assert project.root == (root / shared).resolve()
    assert project.versions.fastmcp is not None
    assert str(project.versions.fastmcp.version) == "3.2.4"
    # without the claim the folder is a project of its own, on its own lock
    del_claim = (root / shared / "pyproject.toml").read_text().split("[tool.setuptools")[0]
    (root / shared / "pyproject.toml").write_text(del_claim)
    alone = Workspace().project_of(path)
    assert alone.versions.fastmcp is not None
    assert str(alone.versions.fastmcp.version) == "2.13.0.2"


def test_a_sub_package_with_its_own_setup_py_stays_in_its_package(tmp_path: Path) -> None:
    root = write(
        tmp_path,
        {
            "pyproject.toml": pyproject("fastmcp==2.14.3"),
            "pkg/__init__.py": "",
            "pkg/extensions/__init__.py": "from . import lab\n",
            "pkg/extensions/lab/__init__.py": "import pathlib\n",
            "pkg/extensions/lab/setup.py": "from setuptools import setup\nsetup(name='lab')\n",
        },
    )
    project = Workspace().project_of(root / "pkg/extensions/lab/__init__.py")
    assert project.root == root.resolve()
    _, findings, _ = lint(root)
    assert not [f for f in findings if f["code"] == "FMCP902"], findings


def _script(dependencies: str, body: str = SAMPLING) -> str:
    header = (
        f'# /// script\n# requires-python = ">=3.10"\n# dependencies = [{dependencies}]\n# ///\n'
    )
    return header + textwrap.dedent(body).lstrip("\n")


def test_a_script_with_inline_metadata_runs_what_its_block_declares(tmp_path: Path) -> None:
    root = write(
        tmp_path,
        {
            "pyproject.toml": pyproject("fastmcp>=4.0"),
            "server.py": SAMPLING,  # the folder's project: 4.x, where ctx.sample is gone
        },
    )
    (root / "script.py").write_text(_script('"fastmcp>=2.12,<2.14"'), encoding="utf-8")
    script = Workspace().project_of(root / "script.py")
    assert script.script == (root / "script.py").resolve() and script.root == root.resolve()
    assert script.versions.fastmcp is not None
    assert script.versions.fastmcp.version.release[:2] == (2, 13)
    assert script.versions.fastmcp.source == "script.py inline metadata (<2.14,>=2.12)"
    _, findings, _ = lint(root)
    assert ("server.py", "FMCP212") in codes_by_file(findings)
    assert not [f for f in findings if f["filename"] == "script.py"], findings
    text = run_cli(["lint", "--no-cache", "."], cwd=root).stdout
    assert "script.py inline metadata" in text


def test_a_script_lock_wins_and_a_block_without_fastmcp_changes_nothing(tmp_path: Path) -> None:
    root = write(
        tmp_path,
        {
            "pyproject.toml": pyproject("fastmcp>=4.0"),
            "locked.py": _script('"fastmcp"'),
            "locked.py.lock": uv_lock(fastmcp="2.13.1"),
            "helper.py": _script('"httpx"'),
        },
    )
    locked = Workspace().project_of(root / "locked.py")
    assert locked.versions.fastmcp is not None
    assert (str(locked.versions.fastmcp.version), locked.versions.fastmcp.source) == (
        "2.13.1",
        "locked.py.lock",
    )
    helper = Workspace().project_of(root / "helper.py")
    assert helper.script is None and helper == Workspace().project_of(root / "x.py")


def test_a_package_module_with_a_script_block_runs_what_its_project_locks(tmp_path: Path) -> None:
    root = write(
        tmp_path,
        {
            "pyproject.toml": pyproject("fastmcp>=2.13.0"),
            "uv.lock": uv_lock(fastmcp="2.13.0.2"),
            "src/pkg/__init__.py": "",
            "src/pkg/server.py": _script('"fastmcp>=0.2.0"'),
        },
    )
    project = Workspace().project_of(root / "src/pkg/server.py")
    assert project.script is None
    assert project.versions.fastmcp is not None
    assert str(project.versions.fastmcp.version) == "2.13.0.2"
