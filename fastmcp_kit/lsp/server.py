"""The pygls wiring of ``fkit server``: document events in, diagnostics out.

Every lint runs on one worker thread, so the server keeps answering while a file is
linted and lints never overlap (the workspace model and caches are not shared
across threads). Edits are debounced: a lint starts once the document has been
quiet for :data:`DEBOUNCE_SECONDS`, and its diagnostics are dropped when the
document changed meanwhile (the next lint is already due). Requests that need
findings (code actions, hover) lint the current version first when it is not.
"""

from __future__ import annotations

import asyncio
import fnmatch
import logging
import sys
import traceback
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from fastmcp_kit import __version__
from fastmcp_kit.errors import FkitError
from fastmcp_kit.locks import LOCK_FILES
from fastmcp_kit.lsp.actions import FIX_ALL_KIND, KINDS, code_actions, fix_all_edit
from fastmcp_kit.lsp.diagnostics import to_diagnostic
from fastmcp_kit.lsp.documents import DocumentLint, Linter, ServerSettings, lints
from fastmcp_kit.lsp.hover import hover
from fastmcp_kit.lsp.positions import LineIndex
from fastmcp_kit.workspace import PROJECT_FILES

DEBOUNCE_SECONDS = 0.2
# Files whose change can change any project's settings or versions.
SETTINGS_FILES = (*PROJECT_FILES, "requirements*.txt")
WATCHED = "**/{" + ",".join(dict.fromkeys((*SETTINGS_FILES, *LOCK_FILES))) + "}"

logger = logging.getLogger("fastmcp_kit.lsp")
T = TypeVar("T")


def _capability(root: object, *names: str) -> Any:
    """A nested client capability, or None where any level is missing."""
    for name in names:
        root = getattr(root, name, None)
    return root


def _is_settings_file(name: str) -> bool:
    return any(fnmatch.fnmatch(name, pattern) for pattern in SETTINGS_FILES)


class FkitLanguageServer(LanguageServer):
    def __init__(self) -> None:
        # Full sync: pygls applies incremental changes by str.splitlines lines,
        # which also end at form feeds and U+2028, where LSP lines do not.
        super().__init__(
            "fkit", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Full
        )
        self.linter = Linter()
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="fkit-lint")
        self.open: set[str] = set()
        self.results: dict[str, DocumentLint] = {}
        self.timers: dict[str, asyncio.TimerHandle] = {}
        self.tasks: set[asyncio.Future[None]] = set()
        self.said: set[str] = set()
        self.problems: list[str] = []

    # -- helpers ------------------------------------------------------------------------

    async def run(self, work: Callable[[], T]) -> T:
        """Run ``work`` on the lint thread."""
        return await asyncio.get_running_loop().run_in_executor(self.executor, work)

    def tell(self, message: str, kind: types.MessageType = types.MessageType.Warning) -> None:
        """Show a message once per session (a bad setting is reported on every lint)."""
        if message in self.said:
            return
        self.said.add(message)
        self.window_log_message(types.LogMessageParams(kind, f"fkit: {message}"))
        self.window_show_message(types.ShowMessageParams(kind, f"fkit: {message}"))

    def path_of(self, uri: str) -> Path | None:
        """The file an open document stands for, when fkit lints such files."""
        if uri not in self.open or not uri.startswith("file:"):
            return None
        path = to_fs_path(uri)
        return None if path is None or not lints(Path(path).name) else Path(path)

    def index(self, lint: DocumentLint) -> LineIndex:
        # A PositionEncodingKind or the client's plain string: both compare as the value.
        encoding = self.workspace.position_encoding or types.PositionEncodingKind.Utf16
        return LineIndex(lint.text, encoding, lint.skip)

    def versioned_edits(self) -> bool:
        caps = self.client_capabilities
        return bool(_capability(caps, "workspace", "workspace_edit", "document_changes"))

    # -- linting ------------------------------------------------------------------------

    async def lint(self, uri: str, *, fix: bool = False) -> DocumentLint | None:
        """Lint the document as it is now; None when it is not linted or cannot be."""
        path = self.path_of(uri)
        if path is None:
            return None
        document = self.workspace.get_text_document(uri)
        text, version = document.source, document.version
        try:
            return await self.run(lambda: self.linter.lint(path, text, version, fix=fix))
        except FkitError as exc:
            self.tell(str(exc))
        except Exception as exc:  # one document's failure must not end the server
            traceback.print_exc(file=sys.stderr)
            self.tell(f"internal error: {type(exc).__name__}: {exc} (please report this)")
        return None

    async def current(self, uri: str) -> DocumentLint | None:
        """The findings of the document's current version, linting it if need be."""
        if uri not in self.open:
            return None
        found = self.results.get(uri)
        if found is not None and found.version == self.workspace.get_text_document(uri).version:
            return found
        found = await self.lint(uri)
        if found is not None and uri in self.open:
            self.results[uri] = found
        return found

    async def publish(self, uri: str) -> None:
        found = await self.lint(uri)
        if found is None or uri not in self.open:
            return
        if found.version != self.workspace.get_text_document(uri).version:
            return  # changed while linting: its own lint is due
        self.results[uri] = found
        for note in found.notes:
            self.tell(note, types.MessageType.Info)
        index = self.index(found)
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(
                uri=uri,
                version=found.version,
                diagnostics=[to_diagnostic(v, index) for v in found.violations],
            )
        )

    def cancel(self, uri: str) -> None:
        """Drop the lint of ``uri`` that is due, if any."""
        timer = self.timers.pop(uri, None)
        if timer is not None:
            timer.cancel()

    def schedule(self, uri: str, delay: float = 0.0) -> None:
        """Lint and publish ``uri`` once it has been quiet for ``delay`` seconds."""
        self.cancel(uri)
        if self.path_of(uri) is None:
            return

        def start() -> None:
            self.timers.pop(uri, None)
            task = asyncio.ensure_future(self.publish(uri))
            self.tasks.add(task)
            task.add_done_callback(self.tasks.discard)

        self.timers[uri] = asyncio.get_running_loop().call_later(delay, start)

    async def relint_after_save(self, uri: str) -> None:
        """A save can change what other files of the project find (project rules,
        entry points, local modules); a settings file's, what any file finds."""
        await self.run(self.linter.forget_projects)
        saved = to_fs_path(uri) if uri.startswith("file:") else None
        name = Path(saved).name if saved else ""
        others = [other for other in self.open if self.path_of(other) is not None]
        if saved and lints(name) and not _is_settings_file(name):
            path = Path(saved)

            def same_project() -> list[str]:
                key = self.linter.project_key(path)
                return [
                    other
                    for other in others
                    if (found := self.path_of(other)) is not None
                    and self.linter.project_key(found) == key
                ]

            try:
                others = await self.run(same_project)
            except Exception:  # a project that cannot be read: lint everything
                traceback.print_exc(file=sys.stderr)
        for other in {uri, *others}:
            self.schedule(other)


def create_server(settings: ServerSettings | None = None) -> FkitLanguageServer:
    """A server with every feature registered (``settings``: before the client's)."""
    server = FkitLanguageServer()
    if settings is not None:
        server.linter = Linter(settings)

    @server.feature(types.INITIALIZE)
    def initialize(ls: FkitLanguageServer, params: types.InitializeParams) -> None:
        parsed, ls.problems = ServerSettings.parse(params.initialization_options)
        ls.linter = Linter(parsed)

    @server.feature(types.INITIALIZED)
    async def initialized(ls: FkitLanguageServer, params: types.InitializedParams) -> None:
        for problem in ls.problems:
            ls.tell(problem)
        caps = ls.client_capabilities
        if _capability(caps, "workspace", "did_change_watched_files", "dynamic_registration"):
            watchers = [types.FileSystemWatcher(glob_pattern=WATCHED)]
            registration = types.Registration(
                id="fkit-settings-files",
                method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                register_options=types.DidChangeWatchedFilesRegistrationOptions(watchers),
            )
            try:
                await ls.client_register_capability_async(types.RegistrationParams([registration]))
            except Exception:  # the client said no: saves in the editor still count
                logger.info("file watching not registered", exc_info=True)

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: FkitLanguageServer, params: types.DidOpenTextDocumentParams) -> None:
        ls.open.add(params.text_document.uri)
        ls.schedule(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: FkitLanguageServer, params: types.DidChangeTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri, DEBOUNCE_SECONDS)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE, types.SaveOptions(include_text=False))
    async def did_save(ls: FkitLanguageServer, params: types.DidSaveTextDocumentParams) -> None:
        await ls.relint_after_save(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: FkitLanguageServer, params: types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        ls.cancel(uri)
        ls.open.discard(uri)
        ls.results.pop(uri, None)
        ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri, []))

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    async def watched(ls: FkitLanguageServer, params: types.DidChangeWatchedFilesParams) -> None:
        await ls.run(ls.linter.forget_projects)
        for uri in list(ls.open):
            ls.schedule(uri)

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=KINDS, resolve_provider=True),
    )
    async def code_action(
        ls: FkitLanguageServer, params: types.CodeActionParams
    ) -> list[types.CodeAction] | None:
        uri = params.text_document.uri
        found = await ls.current(uri)
        if found is None:
            return None
        index, versioned = ls.index(found), ls.versioned_edits()
        actions = code_actions(found, index, uri, params.range, params.context.only, versioned)
        properties = _capability(
            ls.client_capabilities, "text_document", "code_action", "resolve_support", "properties"
        )
        if "edit" not in (properties or ()):
            for action in actions:
                if action.kind == FIX_ALL_KIND:
                    await resolve(ls, action)
        return actions or None

    @server.feature(types.CODE_ACTION_RESOLVE)
    async def resolve(ls: FkitLanguageServer, action: types.CodeAction) -> types.CodeAction:
        uri = action.data.get("uri") if isinstance(action.data, dict) else None
        if action.kind == FIX_ALL_KIND and isinstance(uri, str):
            fixed = await ls.lint(uri, fix=True)
            if fixed is not None:
                action.edit = fix_all_edit(fixed, ls.index(fixed), uri, ls.versioned_edits())
        return action

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    async def on_hover(ls: FkitLanguageServer, params: types.HoverParams) -> types.Hover | None:
        found = await ls.current(params.text_document.uri)
        if found is None:
            return None
        return hover(found.violations, ls.index(found), params.position)

    @server.feature(types.SHUTDOWN)
    def shutdown(ls: FkitLanguageServer, params: None) -> None:
        for timer in ls.timers.values():
            timer.cancel()
        ls.timers.clear()
        ls.executor.shutdown(wait=False, cancel_futures=True)

    return server


def serve() -> None:
    """Serve one client over stdin and stdout until it exits."""
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr, format="fkit server: %(message)s")
    create_server().start_io()
