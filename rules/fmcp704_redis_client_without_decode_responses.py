from __future__ import annotations

import libcst as cst

from fastmcp_kit.lint.keyvalue import REDIS_STORE, has_star_kwargs, keyword, with_keywords
from fastmcp_kit.lint.rule import Fix, Invalid, Rule, RuleContext, Valid
from fastmcp_kit.lint.violation import Applicability, Severity

# Async redis-py clients (and fakeredis's stand-in), whose decode_responses defaults to False.
REDIS_CLIENTS = frozenset(
    {
        "redis.asyncio.Redis",
        "redis.asyncio.StrictRedis",
        "redis.asyncio.client.Redis",
        "redis.asyncio.client.StrictRedis",
        "fakeredis.FakeAsyncRedis",
        "fakeredis.aioredis.FakeRedis",
    }
)
FROM_URL_FUNCTIONS = frozenset({"redis.asyncio.from_url", "redis.asyncio.utils.from_url"})


class RedisClientWithoutDecodeResponses(Rule):
    """`RedisStore(client=...)` given a Redis client that returns `bytes`.

    ## What it does
    Flags `key_value.aio.stores.redis.RedisStore(client=<client>)` where the client is
    created in the same file with `redis.asyncio.Redis(...)`,
    `redis.asyncio.Redis.from_url(...)`, `redis.asyncio.from_url(...)` or fakeredis's
    `FakeAsyncRedis(...)`, without `decode_responses=True`. The client may be passed
    inline or through a variable assigned once in the file.

    ## Why is this bad?
    redis-py clients return `bytes` unless `decode_responses=True`, and `RedisStore`
    ignores any reply that is not a `str`: every `get` silently returns `None`. Writes
    succeed, so nothing fails loudly: `ctx.get_state()` returns `None`, OAuth clients
    and tokens are "not found", the response cache never hits. Verified with
    py-key-value-aio 0.4.6 under FastMCP 4.1.2 and fakeredis (`decode_responses=False`:
    a state value set by one tool call read back as `None`; `True`: the value came
    back); 0.3.0 (FastMCP 2.14) has the same `str` check. `RedisStore(url=...)` and
    `RedisStore(host=...)` build their own client with `decode_responses=True`.

    ## Fix safety
    The fix sets `decode_responses=True` on the client call. For a client created
    inline in the `RedisStore(...)` call nothing else uses it, so the fix is safe. For a
    client stored in a variable it is unsafe: other code may use the same client and
    expect `bytes`. Clients built from a connection pool, with `**kwargs`, or from a
    URL that mentions `decode_responses` are not flagged.
    """

    code = "FMCP704"
    severity = Severity.WARNING
    message = "`RedisStore` gets a Redis client without `decode_responses=True`: it returns bytes, which RedisStore ignores, so every read silently returns None; pass `decode_responses=True` (or use `RedisStore(url=...)`)"
    fix_title = "Set `decode_responses=True` on the client"
    documented_errors = (16,)
    references = ("https://gofastmcp.com/servers/storage-backends",)

    # Only `client=` of calls whose callee resolves to `...RedisStore` is checked.
    needles = ("RedisStore",)

    VALID = [
        Valid(
            "decoding-client-and-url",
            """
            import os
            from redis.asyncio import Redis
            from key_value.aio.stores.redis import RedisStore

            client = Redis(host="localhost", decode_responses=True)
            a = RedisStore(client=client)
            b = RedisStore(url=os.environ["REDIS_URL"])
            c = RedisStore(host="localhost", port=6379)
            d = RedisStore(client=Redis.from_url("redis://localhost/0?decode_responses=True"))
            """,
        ),
        Valid(
            "unknowable-clients",
            """
            from redis.asyncio import ConnectionPool, Redis
            from key_value.aio.stores.redis import RedisStore

            pool = ConnectionPool.from_url("redis://localhost", decode_responses=True)
            a = RedisStore(client=Redis(connection_pool=pool))
            b = RedisStore(client=Redis(**settings.redis))
            client = make_client()
            c = RedisStore(client=client)
            """,
        ),
        Valid(
            "other-redis-stores",
            """
            from redis.asyncio import Redis
            from docket import RedisStore

            store = RedisStore(client=Redis())
            """,
        ),
    ]
    INVALID = [
        Invalid(
            "inline-client",
            """
            import redis.asyncio as redis
            from key_value.aio.stores.redis import RedisStore

            store = RedisStore(client=redis.Redis(host="cache", port=6379))
            """,
            fixed="""
            import redis.asyncio as redis
            from key_value.aio.stores.redis import RedisStore

            store = RedisStore(client=redis.Redis(host="cache", port=6379, decode_responses=True))
            """,
        ),
        Invalid(
            "client-variable-from-url-unsafe",
            """
            import os
            from redis.asyncio import Redis
            from key_value.aio.stores.redis import RedisStore

            client = Redis.from_url(os.environ["REDIS_URL"], decode_responses=False)
            store = RedisStore(client=client)
            """,
            fixed="""
            import os
            from redis.asyncio import Redis
            from key_value.aio.stores.redis import RedisStore

            client = Redis.from_url(os.environ["REDIS_URL"], decode_responses=True)
            store = RedisStore(client=client)
            """,
        ),
        Invalid(
            "fakeredis-in-tests",
            """
            from fakeredis import FakeAsyncRedis
            from key_value.aio.stores.redis import RedisStore

            def make_store() -> RedisStore:
                return RedisStore(client=FakeAsyncRedis())
            """,
            fixed="""
            from fakeredis import FakeAsyncRedis
            from key_value.aio.stores.redis import RedisStore

            def make_store() -> RedisStore:
                return RedisStore(client=FakeAsyncRedis(decode_responses=True))
            """,
        ),
    ]

    def __init__(self, context: RuleContext) -> None:
        super().__init__(context)
        self.assigned: dict[str, list[cst.BaseExpression | None]] = {}
        self.by_name: list[tuple[cst.Arg, str]] = []

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            name = target.target.value if isinstance(target.target, cst.Name) else None
            if name is not None:
                value = node.value if len(node.targets) == 1 else None
                self.assigned.setdefault(name, []).append(value)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if isinstance(node.target, cst.Name):
            self.assigned.setdefault(node.target.value, []).append(node.value)

    def visit_Call(self, node: cst.Call) -> None:
        if self.context.names.qualified_name(node.func) not in REDIS_STORE:
            return
        client = keyword(node, "client")
        if client is None:
            return
        if isinstance(client.value, cst.Call):
            self._check(client, client.value, Applicability.SAFE)
        elif isinstance(client.value, cst.Name):
            self.by_name.append((client, client.value.value))

    def leave_Module(self, original_node: cst.Module) -> None:
        for arg, name in self.by_name:
            values = self.assigned.get(name, [])
            if len(values) == 1 and isinstance(values[0], cst.Call):
                self._check(arg, values[0], Applicability.UNSAFE)

    def _check(self, arg: cst.Arg, client: cst.Call, applicability: Applicability) -> None:
        if not self._is_redis_client(client) or has_star_kwargs(client):
            return
        if keyword(client, "connection_pool") is not None:
            return
        url = client.args[0].value if client.args and client.args[0].keyword is None else None
        if isinstance(url, cst.SimpleString) and "decode_responses" in url.value:
            return
        decode = keyword(client, "decode_responses")
        if decode is not None and not (
            isinstance(decode.value, cst.Name) and decode.value.value == "False"
        ):
            return  # True, or a value we cannot know
        if decode is None:
            fixed = with_keywords(client, [("decode_responses", cst.Name("True"))])
        else:
            args = [
                a.with_changes(value=cst.Name("True")) if a is decode else a for a in client.args
            ]
            fixed = client.with_changes(args=args)
        fix = Fix(self.fix_title or "", applicability, replacements=((client, fixed),))
        self.report(arg, fix=fix)

    def _is_redis_client(self, call: cst.Call) -> bool:
        names = self.context.names
        qualified = names.qualified_name(call.func)
        if qualified in REDIS_CLIENTS or qualified in FROM_URL_FUNCTIONS:
            return True
        func = call.func
        return (
            isinstance(func, cst.Attribute)
            and func.attr.value == "from_url"
            and names.qualified_name(func.value) in REDIS_CLIENTS
        )
