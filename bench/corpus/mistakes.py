"""The mistakes FastMCP developers make, as snippets added to a generated module.

Each is one of the documented errors (fastmcp-facts.md, E1-E30) in the shape it
takes in real code; the corpus puts a few into some projects so that findings,
fixes and suppressions are exercised, not only the clean path.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from bench.corpus.domains import Domain
from bench.corpus.source import Source

Mistake = Callable[[random.Random, Source, str, Domain], None]


def unannotated_context(rng: random.Random, src: Source, server: str, d: Domain) -> None:
    src.add(
        f'''
@{server}.tool
async def describe_{d.entity}(name: str, ctx) -> str:
    await ctx.info(f"describing {{name}}")
    return f"{d.entity} {{name}}"
'''
    )


def sdk_context(rng: random.Random, src: Source, server: str, d: Domain) -> None:
    src.need("mcp.server.fastmcp", "Context as SdkContext")
    src.add(
        f"""
@{server}.tool
async def ping_{d.name}(ctx: SdkContext) -> str:
    await ctx.debug("ping")
    return "pong"
"""
    )


def uri_without_scheme(rng: random.Random, src: Source, server: str, d: Domain) -> None:
    src.add(
        f'''
@{server}.resource("{d.entity}-defaults")
def {d.entity}_defaults() -> dict[str, str]:
    return {{"source": "{d.name}"}}
'''
    )


def template_mismatch(rng: random.Random, src: Source, server: str, d: Domain) -> None:
    src.add(
        f'''
@{server}.resource("{d.scheme}://owners/{{owner_id}}/{d.entity}s")
def owner_{d.entity}s(user_id: str) -> list[str]:
    return [user_id]
'''
    )


def run_at_import(rng: random.Random, src: Source, server: str, d: Domain) -> None:
    src.add(f"{server}.run()")


def naive_utc(rng: random.Random, src: Source, server: str, d: Domain) -> None:
    src.need("datetime", "datetime")
    src.add(
        f"""
def {d.entity}_timestamp() -> str:
    return datetime.utcnow().isoformat() + "Z"
"""
    )


def blocking_call(rng: random.Random, src: Source, server: str, d: Domain) -> None:
    src.need("time")
    src.need("requests")
    src.add(
        f'''
@{server}.tool
async def refresh_{d.entity}_cache() -> int:
    time.sleep(0.5)
    response = requests.get("{d.api}/refresh", timeout=10)
    return response.status_code
'''
    )


def image_import(rng: random.Random, src: Source, server: str, d: Domain) -> None:
    src.need("fastmcp", "Image")
    src.add(
        f"""
@{server}.tool
def {d.entity}_chart(path: str) -> Image:
    return Image(path=path)
"""
    )


def bad_transport(rng: random.Random, src: Source, server: str, d: Domain) -> None:
    src.add(
        f"""
def serve_websocket() -> None:
    {server}.run(transport="websocket", port=8765)
"""
    )


def mount_prefix(rng: random.Random, src: Source, server: str, d: Domain) -> None:
    src.need("fastmcp", "FastMCP")
    src.add(
        f"""
legacy_{d.name} = FastMCP("Legacy{d.name.capitalize()}")
{server}.mount(legacy_{d.name}, prefix="legacy_{d.name}")
"""
    )


def import_server(rng: random.Random, src: Source, server: str, d: Domain) -> None:
    src.need("fastmcp", "FastMCP")
    src.add(
        f"""
extra_{d.name} = FastMCP("Extra")


async def setup_{d.name}() -> None:
    await {server}.import_server(extra_{d.name}, prefix="extra")
"""
    )


def self_next(rng: random.Random, src: Source, server: str, d: Domain) -> None:
    src.need("fastmcp.server.middleware", "Middleware")
    src.add(
        """
class RateLimit(Middleware):
    async def on_call_tool(self, tool_name, arguments, context):
        if tool_name.startswith("admin"):
            raise PermissionError(tool_name)
        return await self.next(tool_name, arguments, context)
"""
    )


def storage_keyword(rng: random.Random, src: Source, server: str, d: Domain) -> None:
    src.need("fastmcp", "FastMCP")
    src.need("key_value.aio.stores.memory", "MemoryStore")
    src.add(f'cache_{d.name} = FastMCP("Cached", storage=MemoryStore())')


def key_value_import(rng: random.Random, src: Source, server: str, d: Domain) -> None:
    src.need("key_value.stores.disk", "DiskStore")
    src.add(f'{d.name}_store = DiskStore(path="/var/cache/{d.name}")')


def bearer_auth(rng: random.Random, src: Source, server: str, d: Domain) -> None:
    src.need("fastmcp.server.auth", "BearerAuthProvider")
    src.add(
        """
def legacy_auth() -> BearerAuthProvider:
    return BearerAuthProvider(jwks_uri="https://idp.example.com/jwks.json")
"""
    )


def http_request_from_context(rng: random.Random, src: Source, server: str, d: Domain) -> None:
    src.need("fastmcp", "Context")
    src.add(
        f"""
@{server}.tool
async def whoami_{d.name}(ctx: Context) -> str:
    request = ctx.get_http_request()
    return request.headers.get("x-user", "anonymous")
"""
    )


def dataframe_return(rng: random.Random, src: Source, server: str, d: Domain) -> None:
    src.need("pandas", "DataFrame")
    src.add(
        f"""
@{server}.tool
def {d.entity}_table(limit: int = 10) -> DataFrame:
    return DataFrame({{"n": list(range(limit))}})
"""
    )


def lifespan_dropped(rng: random.Random, src: Source, server: str, d: Domain) -> None:
    src.need("fastapi", "FastAPI")
    src.add(
        f'''
api = FastAPI(title="{d.name}")
api.mount("/mcp", {server}.http_app())
'''
    )


MISTAKES: tuple[Mistake, ...] = (
    unannotated_context,
    sdk_context,
    uri_without_scheme,
    template_mismatch,
    run_at_import,
    naive_utc,
    blocking_call,
    image_import,
    bad_transport,
    mount_prefix,
    import_server,
    self_next,
    storage_keyword,
    key_value_import,
    bearer_auth,
    http_request_from_context,
    dataframe_return,
    lifespan_dropped,
)

# Mistakes in non-Python files, by file name.
ENV_MISTAKE = "FASTMCP_SERVER_PORT=9000\nFASTMCP_SERVER_AUTH=fastmcp.server.auth.providers.github.GitHubProvider\n"
