"""``fkit server`` end to end: the real server process, driven by a real LSP client
(pytest-lsp over stdio). One server serves the module; each test uses files of its own."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pygls.protocol import default_converter
from pygls.uris import from_fs_path
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features

from fastmcp_kit.lint.docs import rule_page
from fastmcp_kit.lint.registry import all_rules
from tests.helpers import run_cli

pytestmark = pytest.mark.asyncio(loop_scope="module")

PYPROJECT = '[project]\nname = "demo"\nversion = "0.1.0"\ndependencies = ["fastmcp>=4.1,<5"]\n'
# A wide character before the finding: LSP columns count UTF-16 code units.
RESOURCE = """\
from fastmcp import FastMCP

mcp = FastMCP("demo")


@mcp.resource(name="😀 config", uri="config")
def config() -> dict:
    return {"debug": False}
"""
UNINJECTED_CONTEXT = """\
from fastmcp import FastMCP

mcp = FastMCP("demo")


@mcp.tool
async def ping(ctx) -> str:
    await ctx.info("ping")
    return "pong"
"""
TIMEOUT = 20.0


def _record(client: LanguageClient, params: types.PublishDiagnosticsParams) -> None:
    client.published.setdefault(params.uri, []).append(params)  # type: ignore[attr-defined]


def _register(client: LanguageClient, params: types.RegistrationParams) -> None:
    client.registrations.extend(params.registrations)  # type: ignore[attr-defined]


def _client() -> LanguageClient:
    """pytest-lsp's client, also keeping every publication (with its version) and
    accepting the server's registrations."""
    client = LanguageClient(converter_factory=default_converter)
    client.published = {}  # type: ignore[attr-defined]
    client.registrations = []  # type: ignore[attr-defined]
    features = {
        **DEFAULT_CLIENT_FEATURES,
        types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS: _record,
        types.CLIENT_REGISTER_CAPABILITY: _register,
    }
    register_lsp_features(client, features)
    return client


SERVER = ClientServerConfig(
    server_command=[sys.executable, "-m", "fastmcp_kit", "server"], client_factory=_client
)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("project")
    (root / "pyproject.toml").write_text(PYPROJECT)
    return root


@pytest_lsp.fixture(scope="module", config=SERVER)
async def client(lsp_client: LanguageClient, project: Path):  # type: ignore[no-untyped-def]
    await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=client_capabilities("visual-studio-code"),
            root_uri=from_fs_path(str(project)),
        )
    )
    yield
    await lsp_client.shutdown_session()


async def published(
    client: LanguageClient, uri: str, version: int | None = None, after: int = 0
) -> list[types.Diagnostic]:
    """The diagnostics published for ``uri`` (for ``version``; past the first
    ``after`` publications), waiting for them."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + TIMEOUT
    while loop.time() < deadline:
        found = client.published.get(uri, [])[after:]  # type: ignore[attr-defined]
        for params in reversed(found):
            if version is None or params.version == version:
                return list(params.diagnostics)
        await asyncio.sleep(0.02)
    raise AssertionError(f"no diagnostics for {uri} (version {version})")


def open_file(client: LanguageClient, path: Path, text: str, version: int = 1) -> str:
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    uri = from_fs_path(str(path))
    assert uri is not None
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            types.TextDocumentItem(uri=uri, language_id="python", version=version, text=text)
        )
    )
    return uri


def change(client: LanguageClient, uri: str, text: str, version: int) -> None:
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            [types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )


def utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def apply(text: str, edits: Sequence[types.TextEdit], units: Callable[[str], int] = utf16) -> str:
    """Apply LSP edits to ``text`` as an editor does (columns counted in ``units``)."""
    lines = text.splitlines(keepends=True)

    def offset(position: types.Position) -> int:
        before = "".join(lines[: position.line])
        line = lines[position.line] if position.line < len(lines) else ""
        count = 0
        for index, char in enumerate(line):
            if count >= position.character:
                return len(before) + index
            count += units(char)
        return len(before) + len(line.rstrip("\r\n"))

    for edit in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character))[::-1]:
        start, end = offset(edit.range.start), offset(edit.range.end)
        text = text[:start] + edit.new_text + text[end:]
    return text


def edits_of(action: types.CodeAction, uri: str) -> list[types.TextEdit]:
    assert action.edit is not None and action.edit.document_changes is not None
    (change,) = action.edit.document_changes
    assert isinstance(change, types.TextDocumentEdit) and change.text_document.uri == uri
    return [edit for edit in change.edits if isinstance(edit, types.TextEdit)]


async def actions_at(
    client: LanguageClient, uri: str, where: types.Range, only: list[str] | None = None
) -> list[types.CodeAction]:
    found = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=where,
            context=types.CodeActionContext(diagnostics=[], only=only),
        )
    )
    return [action for action in found or [] if isinstance(action, types.CodeAction)]


async def test_scheme_less_resource_uri_is_an_error_on_its_string(
    client: LanguageClient, project: Path
) -> None:
    uri = open_file(client, project / "resource.py", RESOURCE)
    (diagnostic,) = await published(client, uri, 1)
    line = RESOURCE.splitlines()[5]
    start = utf16(line[: line.index('"config"')])
    assert diagnostic.range == types.Range(
        types.Position(5, start), types.Position(5, start + len('"config"'))
    )
    assert diagnostic.code == "FMCP202"
    assert diagnostic.severity == types.DiagnosticSeverity.Error
    assert diagnostic.source == "fkit"
    assert diagnostic.code_description is not None
    assert diagnostic.code_description.href.endswith("/docs/rules/FMCP202.md")
    assert "no scheme" in diagnostic.message

    change(client, uri, RESOURCE.replace('uri="config"', 'uri="resource://config"'), 2)
    assert await published(client, uri, 2) == []


async def test_hover_shows_the_rule_page(client: LanguageClient, project: Path) -> None:
    uri = open_file(client, project / "hovered.py", RESOURCE)
    (diagnostic,) = await published(client, uri, 1)
    inside = types.Position(5, diagnostic.range.start.character + 2)
    found = await client.text_document_hover_async(
        types.HoverParams(types.TextDocumentIdentifier(uri=uri), inside)
    )
    assert found is not None and isinstance(found.contents, types.MarkupContent)
    assert found.contents.kind == types.MarkupKind.Markdown
    assert found.contents.value == rule_page(all_rules()["FMCP202"])
    assert found.range == diagnostic.range
    elsewhere = await client.text_document_hover_async(
        types.HoverParams(types.TextDocumentIdentifier(uri=uri), types.Position(0, 0))
    )
    assert elsewhere is None


async def test_quick_fix_and_fix_all_make_what_fkit_lint_fix_makes(
    client: LanguageClient, project: Path, tmp_path: Path
) -> None:
    uri = open_file(client, project / "context.py", UNINJECTED_CONTEXT)
    (diagnostic,) = await published(client, uri, 1)
    assert diagnostic.code == "FMCP201"
    (copy := tmp_path / "server.py").write_text(UNINJECTED_CONTEXT)
    (tmp_path / "pyproject.toml").write_text(PYPROJECT)
    assert run_cli(["lint", "--fix", "--no-cache", "server.py"], cwd=tmp_path).exit_code == 0
    expected = copy.read_text()
    assert expected != UNINJECTED_CONTEXT

    actions = await actions_at(client, uri, diagnostic.range)
    quick = [a for a in actions if a.kind == types.CodeActionKind.QuickFix and a.is_preferred]
    assert [a.title for a in quick] == ["fkit (FMCP201): Annotate `ctx` with fastmcp's `Context`"]
    assert quick[0].diagnostics is not None and quick[0].diagnostics[0].code == "FMCP201"
    assert apply(UNINJECTED_CONTEXT, edits_of(quick[0], uri)) == expected

    (fix_all,) = await actions_at(client, uri, diagnostic.range, ["source.fixAll"])
    assert fix_all.kind == "source.fixAll.fkit" and fix_all.edit is None
    resolved = await client.code_action_resolve_async(fix_all)
    assert apply(UNINJECTED_CONTEXT, edits_of(resolved, uri)) == expected
    assert await actions_at(client, uri, diagnostic.range, ["source.organizeImports"]) == []


async def test_noqa_action_suppresses_the_finding(client: LanguageClient, project: Path) -> None:
    uri = open_file(client, project / "suppressed.py", RESOURCE)
    (diagnostic,) = await published(client, uri, 1)
    actions = await actions_at(client, uri, diagnostic.range)
    (noqa,) = [a for a in actions if "Disable" in a.title]
    assert noqa.title == "fkit (FMCP202): Disable FMCP202 for this line"
    fixed = apply(RESOURCE, edits_of(noqa, uri))
    assert '@mcp.resource(name="😀 config", uri="config")  # noqa: FMCP202\n' in fixed
    change(client, uri, fixed, 2)
    assert await published(client, uri, 2) == []


@pytest.mark.parametrize(
    ("text", "codes", "start"),
    [
        ("\x00\x01garbage \udcff\udc80 ((( def\n", ["FMCP001"], (0, 0)),
        ("# -*- coding: klingon -*-\nx = 1\n", ["FMCP001"], (0, 0)),
        # Linted with '?' for what latin-1 cannot hold: columns stay the editor's.
        ("# -*- coding: latin-1 -*-\nx = '€'\n", [], None),
        # Python (and LSP) lines end at \r but not at a form feed or U+2028.
        ("\ufeffimport os\n\x0c\u2028\r\n\rdef f(:\n", ["FMCP001"], (1, 1)),
    ],
    ids=["binary", "unknown-encoding", "unencodable", "bom-and-odd-line-breaks"],
)
async def test_garbage_gives_a_finding_not_a_crash(
    client: LanguageClient,
    project: Path,
    text: str,
    codes: list[str],
    start: tuple[int, int] | None,
    request: pytest.FixtureRequest,
) -> None:
    uri = open_file(client, project / f"{request.node.callspec.id}.py", text)
    diagnostics = await published(client, uri, 1)
    assert [d.code for d in diagnostics] == codes
    if start is not None:
        assert diagnostics[0].range.start == types.Position(*start)
    # Still serving: requests on the same document are answered.
    everything = types.Range(types.Position(0, 0), types.Position(9, 0))
    actions = await actions_at(client, uri, everything)
    assert not any("FMCP001" in action.title for action in actions)
    await client.text_document_hover_async(
        types.HoverParams(types.TextDocumentIdentifier(uri=uri), types.Position(0, 0))
    )


async def test_text_files_rules_read_are_linted(client: LanguageClient, project: Path) -> None:
    uri = open_file(client, project / ".env", "FASTMCP_SERVER_PORT=9000\n")
    diagnostics = await published(client, uri, 1)
    assert [d.code for d in diagnostics] == ["FMCP104"]
    (fix,) = await actions_at(client, uri, diagnostics[0].range, ["quickfix"])
    assert "FASTMCP_SERVER_PORT" not in apply("FASTMCP_SERVER_PORT=9000\n", edits_of(fix, uri))


async def test_saving_a_file_relints_its_project(client: LanguageClient, tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(PYPROJECT)
    cycle = "from tools import ping\nfrom fastmcp import FastMCP\n\nmcp = FastMCP('demo')\n"
    # On disk before tools.py is opened: project rules read the other files as saved.
    (tmp_path / "server.py").write_text(cycle)
    tools = open_file(
        client,
        tmp_path / "tools.py",
        'from server import mcp\n\n\n@mcp.tool\ndef ping() -> str:\n    return "pong"\n',
    )
    server = open_file(client, tmp_path / "server.py", cycle)
    assert [d.code for d in await published(client, tools, 1)] == ["FMCP902"]
    await published(client, server, 1)
    seen = len(client.published[tools])  # type: ignore[attr-defined]

    fixed = "from fastmcp import FastMCP\n\nmcp = FastMCP('demo')\n\nfrom tools import ping\n"
    (tmp_path / "server.py").write_text(fixed)
    change(client, server, fixed, 2)
    client.text_document_did_save(
        types.DidSaveTextDocumentParams(types.TextDocumentIdentifier(uri=server))
    )
    assert await published(client, tools, 1, after=seen) == []


@pytest.mark.parametrize("text", [RESOURCE + "\n" + UNINJECTED_CONTEXT.split("\n", 4)[4]])
async def test_close_clears_the_diagnostics(
    client: LanguageClient, project: Path, text: str
) -> None:
    uri = open_file(client, project / "closed.py", text)
    assert {d.code for d in await published(client, uri, 1)} == {"FMCP201", "FMCP202"}
    seen = len(client.published[uri])  # type: ignore[attr-defined]
    client.text_document_did_close(
        types.DidCloseTextDocumentParams(types.TextDocumentIdentifier(uri=uri))
    )
    assert await published(client, uri, None, after=seen) == []
