"""The modules of one generated project, apart from its components: models, storage,
an HTTP client, configuration, utilities, middleware, auth, an ASGI app and tests."""

from __future__ import annotations

import random

from bench.corpus.domains import Domain
from bench.corpus.source import Source, camel, pick


def models(rng: random.Random, domains: list[Domain]) -> Source:
    src = Source("Data models shared by the tools and the storage layer.")
    src.need("pydantic", "BaseModel", "Field", "field_validator")
    src.need("enum", "Enum")
    src.add(
        """
class Status(str, Enum):
    ACTIVE = "active"
    ARCHIVED = "archived"
    DELETED = "deleted"
"""
    )
    for d in domains:
        name = camel(d.entity)
        lines = [
            f"class {name}(BaseModel):",
            f'    """A {d.entity} as the {d.name} API returns it."""',
            "",
        ]
        for field_name, annotation in d.fields:
            if annotation.startswith("list"):
                lines.append(f"    {field_name}: {annotation} = Field(default_factory=list)")
            elif rng.random() < 0.3:
                lines.append(
                    f'    {field_name}: {annotation} = Field(description="The {d.entity}\'s {field_name}.")'
                )
            else:
                lines.append(f"    {field_name}: {annotation}")
        lines.append("    status: Status = Status.ACTIVE")
        text_field = next((f for f, t in d.fields if t == "str"), None)
        if text_field and rng.random() < 0.6:
            lines += [
                "",
                f'    @field_validator("{text_field}")',
                "    @classmethod",
                f"    def _strip_{text_field}(cls, value: str) -> str:",
                "        value = value.strip()",
                "        if not value:",
                f'            raise ValueError("{text_field} must not be empty")',
                "        return value",
            ]
        lines += [
            "",
            "    def short(self) -> str:",
            f'        return f"{name}({{self.{d.fields[0][0]}!r}})"',
        ]
        src.add("\n".join(lines))
        if rng.random() < 0.5:
            src.add(
                f"""
class {name}Page(BaseModel):
    items: list[{name}]
    total: int
    next_cursor: str | None = None

    @property
    def has_more(self) -> bool:
        return self.next_cursor is not None
"""
            )
    return src


def storage(rng: random.Random, domains: list[Domain]) -> Source:
    src = Source("A small SQLite-backed repository; good enough for a single-instance server.")
    src.need("sqlite3")
    src.need("json")
    src.need("threading")
    src.need("functools", "cache")
    src.need("pathlib", "Path")
    src.need("collections.abc", "Iterator")
    src.need(".config", "settings")
    d = domains[0]
    model = camel(d.entity)
    src.need(".models", model)
    key = d.fields[0][0]
    src.add(
        f'''
class Repository:
    """{model}s stored as JSON documents keyed by {key}."""

    def __init__(self, path: Path) -> None:
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, check_same_thread=False)
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS items (key TEXT PRIMARY KEY, body TEXT NOT NULL)"
        )

    def get(self, key: str) -> {model} | None:
        with self._lock:
            row = self._db.execute("SELECT body FROM items WHERE key = ?", (key,)).fetchone()
        return None if row is None else {model}.model_validate_json(row[0])

    def save(self, item: {model}) -> None:
        with self._lock, self._db:
            self._db.execute(
                "INSERT OR REPLACE INTO items (key, body) VALUES (?, ?)",
                (str(item.{key}), item.model_dump_json()),
            )

    def delete(self, key: str) -> bool:
        with self._lock, self._db:
            cursor = self._db.execute("DELETE FROM items WHERE key = ?", (key,))
        return cursor.rowcount > 0

    def all(self) -> Iterator[{model}]:
        with self._lock:
            rows = self._db.execute("SELECT body FROM items ORDER BY key").fetchall()
        for (body,) in rows:
            yield {model}.model_validate(json.loads(body))

    def count(self) -> int:
        with self._lock:
            return int(self._db.execute("SELECT COUNT(*) FROM items").fetchone()[0])


@cache
def get_repository() -> Repository:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return Repository(settings.data_dir / "{d.name}.sqlite3")
'''
    )
    return src


def config(rng: random.Random, project: str, domains: list[Domain]) -> Source:
    src = Source(f"Settings for {project}, read from the environment once at start-up.")
    src.need("os")
    src.need("dataclasses", "dataclass", "field")
    src.need("pathlib", "Path")
    env = project.upper().replace("-", "_")
    extra = "\n".join(
        f'    {d.name}_api: str = field(default_factory=lambda: os.environ.get("{d.name.upper()}_API_URL", "{d.api}"))'
        for d in domains
    )
    src.add(
        f'''
def _flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {{"1", "true", "yes", "on"}}


@dataclass(frozen=True)
class Settings:
    data_dir: Path = field(default_factory=lambda: Path(os.environ.get("{env}_DATA", ".data")))
    debug: bool = field(default_factory=lambda: _flag("{env}_DEBUG"))
    port: int = field(default_factory=lambda: int(os.environ.get("PORT", "{rng.choice((8000, 8080, 9000))}")))
{extra}


settings = Settings()
'''
    )
    return src


def http_client(rng: random.Random, domains: list[Domain]) -> Source:
    src = Source("An HTTP client with retries for the upstream APIs.")
    src.need("asyncio")
    src.need("logging")
    src.need("httpx")
    src.need("typing", "Any")
    retries = rng.choice((2, 3, 5))
    src.add(
        f'''
logger = logging.getLogger(__name__)
RETRY_STATUSES = frozenset({{429, 500, 502, 503, 504}})


class UpstreamError(RuntimeError):
    def __init__(self, status: int, body: str) -> None:
        super().__init__(f"upstream answered {{status}}: {{body[:200]}}")
        self.status = status


class ApiClient:
    """A thin async client: JSON in, JSON out, {retries} retries with backoff."""

    def __init__(self, base_url: str, token: str | None = None, timeout: float = 10.0) -> None:
        headers = {{"Authorization": f"Bearer {{token}}"}} if token else {{}}
        self._client = httpx.AsyncClient(base_url=base_url, headers=headers, timeout=timeout)

    async def __aenter__(self) -> "ApiClient":
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self._client.aclose()

    async def request(self, method: str, path: str, **kwargs: Any) -> Any:
        delay = 0.5
        for attempt in range({retries} + 1):
            response = await self._client.request(method, path, **kwargs)
            if response.status_code not in RETRY_STATUSES or attempt == {retries}:
                break
            logger.warning("retrying %s %s after %s", method, path, response.status_code)
            await asyncio.sleep(delay)
            delay *= 2
        if response.status_code >= 400:
            raise UpstreamError(response.status_code, response.text)
        return response.json() if response.content else None

    async def get(self, path: str, **params: Any) -> Any:
        return await self.request("GET", path, params=params)

    async def post(self, path: str, payload: dict[str, Any]) -> Any:
        return await self.request("POST", path, json=payload)
'''
    )
    return src


def utils(rng: random.Random) -> Source:
    src = Source("Small helpers: text, pagination, timing.")
    src.need("re")
    src.need("time")
    src.need("functools", "wraps")
    src.need("collections.abc", "Callable", "Iterable", "Iterator")
    src.need("typing", "TypeVar")
    src.add(
        """
T = TypeVar("T")
_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(text: str) -> str:
    return _SLUG.sub("-", text.lower()).strip("-")


def chunked(items: Iterable[T], size: int) -> Iterator[list[T]]:
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def truncate(text: str, limit: int = 280, marker: str = "...") -> str:
    return text if len(text) <= limit else text[: limit - len(marker)] + marker
"""
    )
    if rng.random() < 0.6:
        src.add(
            """
def timed(label: str) -> Callable[[Callable[..., T]], Callable[..., T]]:
    def decorate(fn: Callable[..., T]) -> Callable[..., T]:
        @wraps(fn)
        def wrapper(*args: object, **kwargs: object) -> T:
            started = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                elapsed = (time.perf_counter() - started) * 1000
                print(f"{label}: {elapsed:.1f} ms")

        return wrapper

    return decorate
"""
        )
    if rng.random() < 0.5:
        src.add(
            """
def parse_cursor(cursor: str | None) -> int:
    if not cursor:
        return 0
    match cursor.split(":", 1):
        case ["offset", value] if value.isdigit():
            return int(value)
        case _:
            raise ValueError(f"bad cursor: {cursor!r}")


def make_cursor(offset: int, total: int) -> str | None:
    return f"offset:{offset}" if offset < total else None
"""
        )
    return src


def middleware(rng: random.Random) -> Source:
    src = Source("Request middleware: timing, an allow-list and an audit log.")
    src.need("logging")
    src.need("time")
    src.need("fastmcp.server.middleware", "Middleware", "MiddlewareContext", "CallNext")
    src.need("fastmcp.exceptions", "ToolError")
    blocked = pick(rng, ('{"drop_all"}', '{"delete_everything", "reset"}', "set()"))
    src.add(
        f'''
logger = logging.getLogger("audit")


class AuditMiddleware(Middleware):
    """Log every tool call with its duration."""

    async def on_call_tool(self, context: MiddlewareContext, call_next: CallNext):
        started = time.monotonic()
        try:
            return await call_next(context)
        finally:
            elapsed = time.monotonic() - started
            logger.info("tool %s took %.3fs", context.message.name, elapsed)


class BlockTools(Middleware):
    def __init__(self, blocked: set[str] | None = None) -> None:
        self.blocked = blocked if blocked is not None else {blocked}

    async def on_call_tool(self, context: MiddlewareContext, call_next: CallNext):
        if context.message.name in self.blocked:
            raise ToolError(f"tool {{context.message.name!r}} is disabled")
        return await call_next(context)
'''
    )
    return src


def auth(rng: random.Random, project: str) -> Source:
    src = Source(f"Authentication for {project}.")
    src.need("os")
    if rng.random() < 0.5:
        src.need("fastmcp.server.auth.providers.jwt", "JWTVerifier")
        src.add(
            f'''
def build_auth() -> JWTVerifier:
    return JWTVerifier(
        jwks_uri=os.environ.get("JWKS_URI", "https://idp.example.com/.well-known/jwks.json"),
        issuer=os.environ.get("JWT_ISSUER", "https://idp.example.com"),
        audience="{project}",
    )
'''
        )
    else:
        src.need("fastmcp.server.auth.providers.github", "GitHubProvider")
        src.add(
            """
def build_auth() -> GitHubProvider:
    return GitHubProvider(
        client_id=os.environ["GITHUB_CLIENT_ID"],
        client_secret=os.environ["GITHUB_CLIENT_SECRET"],
        base_url=os.environ.get("BASE_URL", "http://localhost:8000"),
        jwt_signing_key=os.environ["JWT_SIGNING_KEY"],
    )
"""
        )
    return src


def asgi_app(rng: random.Random) -> Source:
    src = Source("Serve the MCP server inside a FastAPI app, next to a health check.")
    src.need("fastapi", "FastAPI")
    src.need(".server", "mcp")
    src.add(
        """
mcp_app = mcp.http_app(path="/")
app = FastAPI(lifespan=mcp_app.lifespan)
app.mount("/mcp", mcp_app)


@app.get("/healthz")
def healthz() -> dict[str, str]:
    return {"status": "ok"}
"""
    )
    return src


def conftest(package: str) -> Source:
    src = Source("Shared fixtures: an in-memory client connected to the server.")
    src.need("pytest")
    src.need("fastmcp", "Client")
    src.need(f"{package}.server", "mcp")
    src.add(
        """
@pytest.fixture
async def client():
    async with Client(mcp) as connected:
        yield connected


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    return tmp_path
"""
    )
    return src


def server_tests(rng: random.Random, package: str, tool_names: list[str]) -> Source:
    src = Source("End-to-end tests through the in-memory client.")
    src.need("pytest")
    src.add(
        """
pytestmark = pytest.mark.anyio


async def test_lists_tools(client):
    tools = await client.list_tools()
    assert tools, "the server registers at least one tool"
"""
    )
    for name in tool_names[: rng.randint(2, 6)]:
        src.add(
            f'''
async def test_{name}_is_listed(client):
    names = {{tool.name for tool in await client.list_tools()}}
    assert any(n.endswith("{name}") for n in names)
'''
        )
    return src


def helper_tests(rng: random.Random, package: str) -> Source:
    src = Source("Unit tests of the helpers.")
    src.need("pytest")
    src.need(f"{package}.utils", "chunked", "slugify", "truncate")
    src.add(
        """
@pytest.mark.parametrize(
    ("text", "expected"),
    [("Hello World", "hello-world"), ("  a--b  ", "a-b"), ("", "")],
)
def test_slugify(text, expected):
    assert slugify(text) == expected


def test_chunked_keeps_the_remainder():
    assert list(chunked(range(5), 2)) == [[0, 1], [2, 3], [4]]


def test_truncate():
    assert truncate("x" * 10, limit=5) == "xx..."
    assert truncate("short") == "short"
"""
    )
    return src
