"""The 30 documented FastMCP errors (E1-E30 of the fact sheet), what really happens
in each release line, and, where source cannot reveal one, what would.

``docs/documented-errors.md`` is generated from this table and the rules'
``documented_errors`` (see :func:`fastmcp_kit.lint.docs.documented_errors_page`).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DocumentedError:
    number: int
    claim: str  # what guides say, in short
    reality: str  # what really happens, by version where it differs
    not_lintable: str = ""  # why no rule can see it, and what would


DOCUMENTED_ERRORS: tuple[DocumentedError, ...] = (
    DocumentedError(1, "No server object found at module level", "The CLI looks for `mcp`, `server`, `app` (in that order), logs `No server object found` and exits 1 (2.14-4.1); no `RuntimeError`. Factories work when named: `file.py:create_server`."),
    DocumentedError(2, "Async/await confusion", "`await` in a sync def is a SyntaxError; the real hazard is blocking I/O in `async def` tools (all versions). 2.x runs sync tools on the event-loop thread, so `asyncio.run()` inside one fails; 3.x/4.x run them in a worker thread."),
    DocumentedError(3, "Context not injected", "An unannotated or SDK-`Context` parameter becomes a required tool argument: `ToolError: ... Missing required argument` (2.13-4.1). Injection goes by annotation, not name."),
    DocumentedError(4, "Resource URI without a scheme", "Static URIs raise a pydantic `ValidationError` (`url_parsing`) at decoration, 2.13-4.1. Templates without a scheme register, but the client refuses to read them."),
    DocumentedError(5, "Template parameter mismatch", "Raises `ValueError` at decoration (import) time in 2.13-4.1, not a `TypeError` at call time. Query parameters must be defaulted function parameters."),
    DocumentedError(6, "Pydantic validation error", "Real text: `ToolError: 1 validation error for call[...]`; coercion is lax unless `strict_input_validation=True`; a single BaseModel parameter nests the arguments under its name (all versions)."),
    DocumentedError(7, "Transport mismatch (ConnectionError)", "No such error exists. `mcp.run()` ignores `--transport` on the command line and serves stdio; valid literals are stdio, http, streamable-http, sse (2.14-4.1)."),
    DocumentedError(8, "Import errors (editable package)", "Generic Python packaging, nothing FastMCP-specific (no version difference).", not_lintable="Whether a package is installed is a property of the environment, not the source; `pip check` / `python -c 'import pkg'` in the deployment image would catch it."),
    DocumentedError(9, "`mcp.settings` deprecated", "2.8-2.14: works with a DeprecationWarning; 3.0+: `AttributeError`. `Settings` never had `.get()` (AttributeError everywhere). The SDK's FastMCP keeps a valid `mcp.settings`."),
    DocumentedError(10, "Port already in use", "Generic OS error: `[Errno 98] address already in use` on Linux (48 on macOS), exit 3 under `fastmcp run` (4.1).", not_lintable="The port's state exists only at run time on one machine; a pre-start check (`ss -ltn`) or a health check in the deployment catches it."),
    DocumentedError(11, "ndarray not JSON serializable", "Returning an ndarray or custom class silently yields its `str()`; inside structured output it fails at call time with a version-specific `ToolError` (2.14, 3.4, 4.1 wording differs)."),
    DocumentedError(12, "datetime not JSON serializable", "Wrong for return values: pydantic serializes datetime/UUID/Decimal/bytes/set in every version; only the user's own `json.dumps` fails."),
    DocumentedError(13, "Circular imports", "Generic Python: `ImportError: cannot import name ... from partially initialized module` when a module asks a still-running module for a name not bound yet (all versions)."),
    DocumentedError(14, "`datetime.utcnow()` deprecated", "Deprecated in Python 3.12 (DeprecationWarning; silent on 3.11) and returns a naive datetime; unrelated to the FastMCP version."),
    DocumentedError(15, "Import-time execution", "Module-level `mcp.run()` fails under the FastMCP CLI (`Already running asyncio in this thread`), module-level `asyncio.run()` with `cannot be called from a running event loop` (2.14, 4.1)."),
    DocumentedError(16, "Storage backend not configured", "There is no `FastMCP(storage=)` (TypeError everywhere); stores plug into `client_storage=`, `cache_storage=` and (3.0+) `session_state_store=`. OAuth tokens persist on one host by default (encrypted disk store 2.13-2.14, FileTree 3.0+)."),
    DocumentedError(17, "Lifespan not passed to the ASGI app", "`FastAPI(lifespan=mcp.lifespan)` is an AttributeError on 2.x and a startup TypeError on 3.x/4.x; the right value is the http app's lifespan. Without it every MCP request is HTTP 500 (2.14-4.1)."),
    DocumentedError(18, "Middleware order error", "Nothing raises on order (first added is outermost, 2.13-4.1); what fails is the folklore's constructor keywords (`TypeError` at import)."),
    DocumentedError(19, "Circular middleware RecursionError", "No `self.next`, no `BaseMiddleware`, no `fastmcp.middleware`. A hook must be `(self, context, call_next)`; other signatures fail at call time with a `TypeError` about `call_next` (2.13-4.1)."),
    DocumentedError(20, "Import vs mount confusion", "`import_server` is a coroutine (un-awaited: silently nothing) in 2.x/3.x, deprecated in 3.0 and removed in 4.0; `mount(prefix=)` became `namespace=` in 3.0 and is gone in 4.0."),
    DocumentedError(21, "`resource_prefix_format` on mount", "Never a `mount()` keyword; a `FastMCP()` keyword from 2.4 to 2.13, removed in 2.14 (TypeError)."),
    DocumentedError(22, "OAuth proxy without consent screen", "`enable_consent_screen` never existed (TypeError, 2.13-4.1); consent is on by default via `require_authorization_consent=True`; setting it False is the risk."),
    DocumentedError(23, "Missing JWT signing key", "`jwt_signing_key` is optional (derived from the client secret) in 2.13-4.1; only 3.4+ raises, when neither a secret nor a key is given. FastMCP never reads `FASTMCP_JWT_SIGNING_KEY`."),
    DocumentedError(24, "Icon data URI format", "`Icon` is `mcp.types.Icon(src=, mimeType=, sizes=[...])`; no `url`, `size` or `Icon.from_file`. `Image(path=...).to_data_uri()` exists from 2.13.1."),
    DocumentedError(25, "Lifespan per server, not per session", "Accurate: since 2.13.0 the lifespan runs once per server instance; 3.0+ adds `ctx.lifespan_context` (2.x reads `ctx.request_context.lifespan_context`)."),
    DocumentedError(26, "BearerAuthProvider removed", "Removed in 2.14.0 (ModuleNotFoundError); the replacement is `JWTVerifier` with the same keywords. `fastmcp.auth` never existed. 3.0 also stops reading auth settings from the environment."),
    DocumentedError(27, "`Context.get_http_request()` removed", "Removed in 2.14.0 (AttributeError); use `fastmcp.server.dependencies.get_http_request()` (2.13-4.1)."),
    DocumentedError(28, "Image import path", "`from fastmcp import Image` removed in 2.14.0; `fastmcp.utilities.Image` never existed; the real path is `fastmcp.utilities.types`."),
    DocumentedError(29, "FastAPI mount path doubling", "`http_app()` mounted at `/mcp` serves `/mcp/mcp` (2.14-4.1); mounting the FastMCP object itself answers every request with 500 (`'FastMCP' object is not callable`)."),
    DocumentedError(30, "Background tasks fail when ASGI-mounted", "Fixed in 2.14.3. 3.x needs the `tasks` extra (ImportError at decoration); 4.x needs `add_extension(TasksExtension())` or the server cannot serve task tools; task functions must be async."),
)  # fmt: skip
