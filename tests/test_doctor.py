"""fkit doctor against real FastMCP: the generated projects are healthy, broken
servers are named, a taken port is reported, bad input is one line.

The servers run in this test run's own Python, whose fastmcp comes from the test
extra (as in tests/test_runtime_contract.py); a rendered project's own package is
made importable through PYTHONPATH, as installing it would.
"""

from __future__ import annotations

import base64
import contextlib
import io
import json
import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from fastmcp_kit.cli import main
from fastmcp_kit.doctor.codes import CODES
from fastmcp_kit.doctor.schemas import judge_tool

FIXTURES = Path(__file__).parent / "fixtures" / "doctor"
TEMPLATES = ("basic", "storage", "oauth", "composition")
EXPECTED = {
    "basic": ["add(a: integer, b: integer)", "count_words(text: string)", "summarize(text)"],
    "storage": ["add_note(session_id: string, text: string)", "create_session()"],
    "oauth": ["whoami()", "echo(text: string)"],
    "composition": ["health()", "weather_forecast(city: string)", "data://weather/cities"],
}


def doctor(*args: str | Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["doctor", *map(str, args), "--python", sys.executable])
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def projects(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("doctor")
    made = {}
    for name in TEMPLATES:
        dest = root / f"demo-{name}"
        with contextlib.redirect_stdout(io.StringIO()):
            assert main(["new", str(dest), "--defaults", "--template", name]) == 0
        made[name] = dest
    return made


@pytest.fixture
def installed(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """The environment of an installed project: its src/ importable, the oauth
    template's secrets set (throwaway values), data kept in a temporary folder."""
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    for name, value in {
        "GITHUB_CLIENT_ID": "doctor-client-id",
        "GITHUB_CLIENT_SECRET": "doctor-client-secret",
        "JWT_SIGNING_KEY": "doctor-signing-key-0123456789",
        "STORAGE_ENCRYPTION_KEY": base64.urlsafe_b64encode(os.urandom(32)).decode(),
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("FASTMCP_PORT", raising=False)
    yield


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


@pytest.mark.parametrize("name", TEMPLATES)
def test_template_is_healthy(
    name: str, projects: dict[str, Path], installed: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PYTHONPATH", str(projects[name] / "src"))
    # The oauth template deploys over HTTP on 8000; another process may hold that here.
    code, out, err = doctor(projects[name], "--port", str(free_port()))
    assert code == 0, out + err
    for line in EXPECTED[name]:
        assert f"\n  {line}" in out, out
    assert "\n  stdio: initialize " in out and "\n  http: start " in out, out
    assert out.rstrip().endswith("All checks passed!")


def test_project_package_not_installed(projects: dict[str, Path]) -> None:
    # `fastmcp run src/demo_basic/server.py` puts src/demo_basic on sys.path, not src/.
    code, out, _ = doctor(projects["basic"], "--no-sessions")
    assert code == 1
    assert "FMCPD202" in out and "`demo_basic`" in out and "pip install -e ." in out


def test_missing_setting_is_named(
    projects: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PYTHONPATH", str(projects["oauth"] / "src"))
    monkeypatch.delenv("GITHUB_CLIENT_ID", raising=False)
    code, out, _ = doctor(projects["oauth"], "--no-sessions", "--output-format", "concise")
    assert code == 1
    assert "FMCPD201 importing the server raises RuntimeError: GITHUB_CLIENT_ID" in out
    assert ".env.example:" in out and "FMCPD501 GITHUB_CLIENT_ID is not set" in out


def test_port_taken(
    projects: dict[str, Path], installed: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PYTHONPATH", str(projects["oauth"] / "src"))
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        code, out, err = doctor(projects["oauth"], "--no-sessions", "--port", str(port))
    assert code == 1, out + err
    assert f"FMCPD403 port {port} on 127.0.0.1 is already in use" in out
    if shutil.which("ss"):
        assert f"(pid {os.getpid()})" in out


def test_schema_generation_failure_names_the_tool() -> None:
    # Verified on fastmcp 2.13.3, 3.4.11 and 4.2.3: registering `distance` raises.
    project = FIXTURES / "schema-break"
    code, out, _ = doctor(
        project, "--server", "server.py", "--no-sessions", "--output-format", "json"
    )
    assert code == 1
    (found,) = json.loads(out)
    assert found["code"] == "FMCPD301"
    assert found["message"].startswith(
        "tool `distance` cannot be registered: PydanticSchemaGenerationError"
    )
    assert found["location"]["row"] == 20 and found["hint"]


def test_published_schemas_judged(tmp_path: Path) -> None:
    (tmp_path / "server.py").write_text(
        "from fastmcp import Context, FastMCP\n\n"
        'mcp = FastMCP("judged")\n\n\n'
        "@mcp.tool\n"
        "def search(query: str, ctx=None, note: str = None) -> str:\n"
        "    return query\n\n\n"
        "@mcp.tool\n"
        'def fine(text: str, context: str = "", ctx: Context | None = None, tag: str | None = None) -> str:\n'
        "    return text\n"
    )
    code, out, _ = doctor(tmp_path / "server.py", "--no-sessions", "--output-format", "concise")
    assert code == 1
    lines = [line.replace(f"{tmp_path}/", "") for line in out.splitlines() if "FMCPD" in line]
    assert lines == [
        "server.py:7:1: FMCPD601 tool `search` asks clients for `ctx`, which looks injected: "
        "FastMCP publishes it as an ordinary argument",
        "server.py:7:1: FMCPD602 tool `search`: `note` defaults to null, but its schema "
        "(type string) rejects null",
    ], out


@pytest.mark.parametrize(
    ("properties", "codes"),
    [
        ({"self": {}, "key": {"type": "string"}}, ["FMCPD601"]),
        ({"ctx": {"$ref": "#/$defs/Context"}}, ["FMCPD601"]),
        ({"context": {"type": "string", "default": ""}}, []),
        ({"note": {"type": "string", "default": None}}, ["FMCPD602"]),
        ({"note": {"anyOf": [{"type": "string"}, {"type": "null"}], "default": None}}, []),
        ({"note": {"type": ["string", "null"], "default": None}}, []),
        ({"anything": {"default": None}}, []),
    ],
    ids=["self", "sdk-context", "typed-context", "str-none", "optional", "type-list", "untyped"],
)
def test_judge_tool(properties: dict[str, object], codes: list[str]) -> None:
    tool = {"name": "t", "inputSchema": {"type": "object", "properties": properties}}
    assert [problem.code for problem in judge_tool(tool)] == codes


def test_installed_version_outside_pins(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "old"\nversion = "0"\ndependencies = ["fastmcp>=2.13,<3"]\n'
    )
    (tmp_path / "server.py").write_text('from fastmcp import FastMCP\n\nmcp = FastMCP("old")\n')
    code, out, _ = doctor(
        tmp_path, "--server", "server.py", "--no-sessions", "--output-format", "concise"
    )
    assert code == 1
    assert "pyproject.toml:1:1: FMCPD101 fastmcp 4." in out
    assert "but pyproject.toml requires fastmcp<3,>=2.13" in out


def test_codes_are_documented_in_the_readme() -> None:
    """The README's table says what codes.py says, row for row."""
    readme = (Path(__file__).parent.parent / "README.md").read_text()
    rows = [line for line in readme.splitlines() if line.startswith("| `FMCPD")]
    assert rows == [
        f"| `{c.code}` | {c.name} | {c.severity.value} | {c.summary} |" for c in CODES.values()
    ]


def test_installed_copy_shadows_source(
    projects: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # An installed (not editable) copy: the server runs it, not the source being edited.
    copy = tmp_path / "site-packages"
    shutil.copytree(projects["basic"] / "src" / "demo_basic", copy / "demo_basic")
    monkeypatch.setenv("PYTHONPATH", str(copy))
    code, out, _ = doctor(projects["basic"], "--no-sessions", "--output-format", "concise")
    assert code == 1
    assert f"FMCPD203 the server imports `demo_basic` from {copy}" in out


# -- bad input: one line, exit 2 --------------------------------------------------------


def test_no_server_found(tmp_path: Path) -> None:
    code, out, err = doctor(tmp_path)
    assert code == 2 and not out
    assert err.count("\n") == 1 and "no fastmcp.json in" in err


def test_interpreter_without_fastmcp(tmp_path: Path) -> None:
    import venv

    venv.create(tmp_path / "bare", with_pip=False)
    (tmp_path / "server.py").write_text("mcp = None\n")
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(["doctor", str(tmp_path / "server.py"), "--python", str(tmp_path / "bare")])
    assert code == 2
    assert err.getvalue().count("\n") == 1 and "has no fastmcp installed" in err.getvalue()


def test_timeout(tmp_path: Path) -> None:
    (tmp_path / "server.py").write_text(
        "import time\n\nfrom fastmcp import FastMCP\n\ntime.sleep(60)\nmcp = FastMCP('slow')\n"
    )
    code, _, err = doctor(tmp_path / "server.py", "--no-sessions", "--timeout", "3")
    assert code == 2
    assert err.count("\n") == 1 and "did not load within 3 s" in err


def test_run_at_import_breaks_the_cli_sessions(tmp_path: Path) -> None:
    # Fine under `python server.py`; under `fastmcp run` the CLI's own loop is running.
    (tmp_path / "server.py").write_text(
        'from fastmcp import FastMCP\n\nmcp = FastMCP("eager")\nmcp.run()\n'
    )
    code, out, _ = doctor(tmp_path / "server.py", "--output-format", "concise")
    assert code == 1
    assert "FMCPD401 the stdio session fails" in out
    assert "FMCPD402 the HTTP session fails" in out
    assert "Already running asyncio in this thread" in out


def test_fkit_never_imports_fastmcp() -> None:
    script = (
        "import sys\n"
        "from fastmcp_kit.cli import main\n"
        f"code = main(['doctor', {str(FIXTURES / 'schema-break')!r}, '--server', 'server.py',"
        f" '--python', {sys.executable!r}, '--no-sessions', '-q'])\n"
        "assert code == 1, code\n"
        "assert not [m for m in sys.modules if m.split('.')[0] in ('fastmcp', 'mcp')]\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_deployment_env_applies(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # `fastmcp run fastmcp.json` sets deployment.env (with ${VAR} filled) before the import.
    (tmp_path / "fastmcp.json").write_text(
        json.dumps(
            {
                "source": {"path": "app/server.py", "entrypoint": "build"},
                "deployment": {"env": {"GREETING": "hello-${WHO}"}, "cwd": "app"},
            }
        )
    )
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "server.py").write_text(
        "import os\n\nfrom fastmcp import FastMCP\n\n\n"
        "def build() -> FastMCP:\n"
        "    assert os.environ['GREETING'] == 'hello-doctor', os.environ.get('GREETING')\n"
        "    assert os.path.basename(os.getcwd()) == 'app'\n"
        "    return FastMCP('greeter')\n"
    )
    monkeypatch.setenv("WHO", "doctor")
    code, out, err = doctor(tmp_path, "--no-sessions")
    assert code == 0, out + err
    assert out.startswith("Server greeter: app/server.py:build (from fastmcp.json)")


def test_call_judges_results_against_the_output_schema() -> None:
    project = FIXTURES / "output-mismatch"
    base = (project, "--server", "server.py", "--no-sessions", "--output-format", "concise")
    code, out, _ = doctor(*base)
    assert code == 0, out  # nothing is called without --call
    code, out, err = doctor(*base, "--call")
    assert code == 1
    assert [line.split(": ", 1)[1][:61] for line in out.splitlines() if "FMCPD" in line] == [
        "FMCPD303 tool `count` called with {'text': 'x'}: RuntimeError"
    ]
    assert 'repeat(text="x"): ok' in err  # the overview goes to stderr with concise
    code, out, _ = doctor(*base, "--call", "--call-tool", "reset")
    assert code == 1
    assert "FMCPD303 tool `reset` called with {'scope': 'x'}" in out


def test_components_on_another_server_than_the_one_served(tmp_path: Path) -> None:
    (tmp_path / "server.py").write_text(
        "from fastmcp import FastMCP\n\n"
        'mcp = FastMCP("module-level")\n\n\n'
        "@mcp.tool\n"
        "def ping() -> str:\n"
        '    return "pong"\n\n\n'
        "def create_server() -> FastMCP:\n"
        '    return FastMCP("made-fresh")\n'
    )
    base = ("--no-sessions", "--output-format", "concise")
    code, out, _ = doctor(f"{tmp_path / 'server.py'}:create_server", *base)
    assert code == 1
    assert (
        "server.py:6:1: FMCPD304 the server file registers tools, but the server lists none" in out
    )
    # Served as `server.py` (the module's `mcp`), the same file is healthy.
    code, out, _ = doctor(tmp_path / "server.py", *base)
    assert code == 0, out


def test_syntax_error_is_placed_at_its_line(tmp_path: Path) -> None:
    (tmp_path / "server.py").write_text('from fastmcp import FastMCP\n\nmcp = FastMCP("x"\n')
    code, out, _ = doctor(tmp_path / "server.py", "--no-sessions", "--output-format", "json")
    assert code == 1
    (found,) = json.loads(out)
    assert found["code"] == "FMCPD201" and found["message"].startswith(
        "importing the server raises SyntaxError"
    )
    assert found["filename"].endswith("server.py") and found["location"]["row"] == 3


def test_schemas_are_printed_on_request() -> None:
    project = FIXTURES / "output-mismatch"
    code, out, _ = doctor(project, "--server", "server.py", "--no-sessions", "--schemas")
    assert code == 0, out
    count = out.split("\n  count(text: string)\n", 1)[1]
    assert count.startswith("    inputSchema: {\n")
    assert '"required": [\n        "text"\n      ]' in count.split("outputSchema")[0]
