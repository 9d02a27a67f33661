"""Tools, resources and prompts as a FastMCP developer writes them, in several styles."""

from __future__ import annotations

import random
from collections.abc import Callable

from bench.corpus.domains import Domain
from bench.corpus.source import Source, camel, pick

Style = Callable[[random.Random, Source, Domain, str, str], str]


def _ctx_param(rng: random.Random, source: Source) -> str:
    """A correctly injected Context parameter, in one of its spellings."""
    source.need("fastmcp", "Context")
    return pick(rng, ("ctx: Context", "context: Context", "ctx: Context | None = None"))


def _ctx_name(param: str) -> str:
    return param.split(":")[0]


def tool_http(rng: random.Random, src: Source, d: Domain, server: str, verb: str) -> str:
    src.need("httpx")
    src.need("fastmcp.exceptions", "ToolError")
    model = camel(d.entity)
    src.need(".models", model)
    ctx = _ctx_param(rng, src)
    name = _ctx_name(ctx)
    guard = f"if {name} is not None:\n        " if "None" in ctx else ""
    key = d.fields[0][0]
    return f'''
@{server}.tool
async def {verb}_{d.entity}({key}: str, {ctx}) -> {model}:
    """{verb.capitalize()} one {d.entity} from the {d.name} API."""
    {guard}await {name}.info(f"{verb} {d.entity} {{{key}}}")
    async with httpx.AsyncClient(base_url=API_URL, timeout={rng.choice((5, 10, 15, 30))}) as client:
        response = await client.get(f"/{d.entity}s/{{{key}}}")
    if response.status_code == 404:
        raise ToolError(f"no {d.entity} {{{key}!r}}")
    response.raise_for_status()
    return {model}.model_validate(response.json())
'''


def tool_compute(rng: random.Random, src: Source, d: Domain, server: str, verb: str) -> str:
    src.need("typing", "Annotated")
    src.need("pydantic", "Field")
    low, high = rng.choice(((1, 10), (1, 100), (0, 1000)))
    annotations = pick(rng, ('{"readOnlyHint": True}', '{"idempotentHint": True}'))
    return f'''
@{server}.tool(annotations={annotations})
def {verb}_{d.entity}_score(
    values: list[float],
    weight: Annotated[float, Field(ge=0, le=1, description="How much recent values count")] = 0.5,
    limit: Annotated[int, Field(ge={low}, le={high})] = {low},
) -> dict[str, float]:
    """Summarise {d.entity} values: weighted mean, spread and the top {{limit}}."""
    if not values:
        return {{"mean": 0.0, "spread": 0.0}}
    total = 0.0
    norm = 0.0
    for index, value in enumerate(values):
        factor = weight ** (len(values) - index - 1)
        total += value * factor
        norm += factor
    ordered = sorted(values, reverse=True)[:limit]
    return {{
        "mean": total / norm if norm else 0.0,
        "spread": max(values) - min(values),
        "top": sum(ordered) / len(ordered),
    }}
'''


def tool_search(rng: random.Random, src: Source, d: Domain, server: str, verb: str) -> str:
    model = camel(d.entity)
    src.need(".models", model)
    src.need(".storage", "get_repository")
    text_field = next((f for f, t in d.fields if t == "str" and f != d.fields[0][0]), "name")
    return f'''
@{server}.tool(tags={{"{d.name}", "search"}})
def {verb}_{d.entity}s(query: str = "", limit: int = {rng.choice((10, 20, 25, 50))}, offset: int = 0) -> list[{model}]:
    """Find {d.entity}s whose {text_field} contains the query (case-insensitive)."""
    needle = query.strip().lower()
    repository = get_repository()
    matches = [
        item
        for item in repository.all()
        if not needle or needle in str(item.{text_field}).lower()
    ]
    matches.sort(key=lambda item: str(item.{text_field}))
    return matches[offset : offset + limit]
'''


def tool_create(rng: random.Random, src: Source, d: Domain, server: str, verb: str) -> str:
    model = camel(d.entity)
    src.need(".models", model)
    src.need(".storage", "get_repository")
    src.need("fastmcp.exceptions", "ToolError")
    params = ", ".join(f"{f}: {t}" for f, t in d.fields)
    values = ", ".join(f"{f}={f}" for f, _ in d.fields)
    key = d.fields[0][0]
    return f'''
@{server}.tool(name="{d.name}_{verb}_{d.entity}", description="{verb.capitalize()} a {d.entity}.")
async def {verb}_{d.entity}({params}) -> {model}:
    repository = get_repository()
    if repository.get(str({key})) is not None and "{verb}" == "create":
        raise ToolError(f"{d.entity} {{{key}}} already exists")
    item = {model}({values})
    repository.save(item)
    return item
'''


def tool_progress(rng: random.Random, src: Source, d: Domain, server: str, verb: str) -> str:
    src.need("asyncio")
    ctx = _ctx_param(rng, src).replace(" | None = None", "")
    name = _ctx_name(ctx)
    batch = rng.choice((5, 10, 20))
    return f'''
@{server}.tool
async def {verb}_{d.entity}_batch(ids: list[str], {ctx}) -> dict[str, int]:
    """Process {d.entity}s in batches of {batch}, reporting progress."""
    done = 0
    failed = 0
    for start in range(0, len(ids), {batch}):
        chunk = ids[start : start + {batch}]
        results = await asyncio.gather(*(_process_one(i) for i in chunk), return_exceptions=True)
        failed += sum(1 for r in results if isinstance(r, Exception))
        done += len(chunk)
        await {name}.report_progress(progress=done, total=len(ids))
    if failed:
        await {name}.warning(f"{{failed}} of {{len(ids)}} {d.entity}s failed")
    return {{"processed": done, "failed": failed}}


async def _process_one(item_id: str) -> str:
    await asyncio.sleep(0)
    return item_id.upper()
'''


def tool_state(rng: random.Random, src: Source, d: Domain, server: str, verb: str) -> str:
    ctx = _ctx_param(rng, src).replace(" | None = None", "")
    name = _ctx_name(ctx)
    return f'''
@{server}.tool
async def remember_{d.entity}(key: str, value: str, {ctx}) -> str:
    """Keep a {d.entity} note for the rest of the session."""
    notes = await {name}.get_state("{d.entity}_notes") or {{}}
    notes[key] = value
    await {name}.set_state("{d.entity}_notes", notes)
    return f"remembered {{len(notes)}} note(s)"


@{server}.tool
async def recall_{d.entity}(key: str, {ctx}) -> str | None:
    notes = await {name}.get_state("{d.entity}_notes") or {{}}
    return notes.get(key)
'''


def tool_elicit(rng: random.Random, src: Source, d: Domain, server: str, verb: str) -> str:
    src.need("dataclasses", "dataclass")
    ctx = _ctx_param(rng, src).replace(" | None = None", "")
    name = _ctx_name(ctx)
    key = d.fields[0][0]
    return f'''
@dataclass
class {camel(d.entity)}Choice:
    {key}: str
    confirm: bool = False


@{server}.tool
async def pick_{d.entity}(candidates: list[str], {ctx}) -> str | None:
    """Ask the user which {d.entity} they mean when several match."""
    if len(candidates) == 1:
        return candidates[0]
    result = await {name}.elicit(
        f"Which {d.entity}? Options: {{', '.join(candidates)}}",
        response_type={camel(d.entity)}Choice,
    )
    if result.action != "accept" or not result.data.confirm:
        return None
    return result.data.{key}
'''


def tool_repository(rng: random.Random, src: Source, d: Domain, server: str, verb: str) -> str:
    src.need(".storage", "get_repository")
    src.need("fastmcp.exceptions", "ToolError")
    key = d.fields[0][0]
    return f'''
@{server}.tool
def {verb}_{d.entity}_fields({key}: str, fields: list[str] | None = None) -> dict[str, object]:
    """Return selected fields of a stored {d.entity}."""
    item = get_repository().get({key})
    if item is None:
        raise ToolError(f"unknown {d.entity}: {{{key}}}")
    data = item.model_dump()
    if fields:
        missing = [f for f in fields if f not in data]
        if missing:
            raise ToolError(f"unknown field(s): {{', '.join(missing)}}")
        data = {{k: v for k, v in data.items() if k in fields}}
    return data
'''


def tool_model_input(rng: random.Random, src: Source, d: Domain, server: str, verb: str) -> str:
    src.need("pydantic", "BaseModel", "Field")
    model = f"{camel(verb)}{camel(d.entity)}Request"
    fields = "\n".join(f"    {f}: {t} | None = None" for f, t in d.fields[1:])
    return f'''
class {model}(BaseModel):
    """What a client sends to {verb} {d.entity}s in bulk."""

    ids: list[str] = Field(min_length=1, max_length={rng.choice((50, 100, 500))})
{fields}
    dry_run: bool = False


@{server}.tool
def bulk_{verb}_{d.entity}s(request: {model}, notify: bool = False) -> dict[str, object]:
    """Apply one change to many {d.entity}s; with dry_run, only report what would change."""
    changes = request.model_dump(exclude={{"ids", "dry_run"}}, exclude_none=True)
    if not changes:
        return {{"changed": 0, "reason": "nothing to change"}}
    if request.dry_run:
        return {{"changed": 0, "would_change": len(request.ids), "fields": sorted(changes)}}
    return {{"changed": len(request.ids), "fields": sorted(changes)}}
'''


def tool_literal_match(rng: random.Random, src: Source, d: Domain, server: str, verb: str) -> str:
    src.need("typing", "Literal")
    orders = pick(rng, ('"newest", "oldest", "relevance"', '"asc", "desc"'))
    first = orders.split(",")[0]
    return f'''
@{server}.tool
def sort_{d.entity}s(keys: list[str], order: Literal[{orders}] = {first}) -> list[str]:
    """Order {d.entity} keys the way the client asks."""
    match order:
        case {first}:
            return sorted(keys)
        case _:
            return sorted(keys, reverse=True)
'''


def tool_api_client(rng: random.Random, src: Source, d: Domain, server: str, verb: str) -> str:
    src.need(".client", "ApiClient", "UpstreamError")
    src.need("fastmcp.exceptions", "ToolError")
    src.need("os")
    token = f"{d.name.upper()}_TOKEN"
    return f'''
@{server}.tool(tags={{"{d.name}"}})
async def {verb}_{d.entity}_history({d.fields[0][0]}: str, limit: int = {rng.choice((10, 30, 100))}) -> list[dict]:
    """The change history of one {d.entity}, newest first."""
    async with ApiClient(API_URL, token=os.environ.get("{token}")) as api:
        try:
            events = await api.get(f"/{d.entity}s/{{{d.fields[0][0]}}}/history", limit=limit)
        except UpstreamError as exc:
            raise ToolError(f"{d.name} API failed: {{exc}}") from exc
    return sorted(events or [], key=lambda event: event.get("at", ""), reverse=True)[:limit]
'''


TOOL_STYLES: tuple[Style, ...] = (
    tool_model_input,
    tool_literal_match,
    tool_api_client,
    tool_http,
    tool_compute,
    tool_search,
    tool_create,
    tool_progress,
    tool_state,
    tool_elicit,
    tool_repository,
)


def resource_static(rng: random.Random, src: Source, d: Domain, server: str, verb: str) -> str:
    src.need("json")
    return f'''
@{server}.resource("{d.scheme}://config", mime_type="application/json")
def {d.name}_config() -> str:
    """The {d.name} server's public configuration."""
    return json.dumps({{"api": API_URL, "version": "{rng.randint(1, 3)}.{rng.randint(0, 9)}"}})
'''


def resource_template(rng: random.Random, src: Source, d: Domain, server: str, verb: str) -> str:
    key = d.fields[0][0]
    src.need(".storage", "get_repository")
    return f'''
@{server}.resource("{d.scheme}://{d.entity}s/{{{key}}}")
def {d.entity}_resource({key}: str) -> dict[str, object]:
    """One {d.entity} as a resource."""
    item = get_repository().get({key})
    return item.model_dump() if item is not None else {{}}
'''


def resource_listing(rng: random.Random, src: Source, d: Domain, server: str, verb: str) -> str:
    src.need(".storage", "get_repository")
    key = d.fields[0][0]
    return f'''
@{server}.resource("{d.scheme}://{d.entity}s", name="{d.entity}-index", tags={{"index"}})
async def {d.entity}_index() -> list[str]:
    """Every known {d.entity} key."""
    return sorted(str(item.{key}) for item in get_repository().all())
'''


RESOURCE_STYLES: tuple[Style, ...] = (resource_static, resource_template, resource_listing)


def prompt_plain(rng: random.Random, src: Source, d: Domain, server: str, verb: str) -> str:
    return f'''
@{server}.prompt
def review_{d.entity}(text: str, tone: str = "{pick(rng, ("neutral", "friendly", "formal"))}") -> str:
    """A prompt asking for a review of a {d.entity}."""
    return (
        f"Review the following {d.entity} in a {{tone}} tone. "
        "List concrete problems first, then suggestions.\\n\\n"
        f"{{text}}"
    )
'''


def prompt_described(rng: random.Random, src: Source, d: Domain, server: str, verb: str) -> str:
    return f'''
@{server}.prompt(name="{d.name}-triage", description="Triage incoming {d.entity}s.")
def triage_{d.entity}s(items: list[str], focus: str | None = None) -> str:
    lines = [f"- {{item}}" for item in items]
    header = f"Triage these {d.entity}s" + (f", focusing on {{focus}}" if focus else "")
    return header + ":\\n" + "\\n".join(lines)
'''


PROMPT_STYLES: tuple[Style, ...] = (prompt_plain, prompt_described)
