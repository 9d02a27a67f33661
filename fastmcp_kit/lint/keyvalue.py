"""Where py-key-value-aio (the storage library FastMCP 2.13+ builds on) keeps its classes,
and call-argument helpers shared by the storage rules (FMCP701-FMCP706).

FastMCP pins py-key-value-aio ``>=0.2.8,<0.4`` (2.13), ``>=0.3.0,<0.4`` (2.14) and
``>=0.4.4,<0.5`` (3.x and 4.x). The module of every class below was read from the
packages' ``__init__.py`` files in 0.2.8, 0.3.0 and 0.4.6: each class that exists in
several of them lives in the same module in all. There has never been a
``key_value.stores``, ``key_value.wrappers`` or ``key_value.encryption`` package.
"""

from __future__ import annotations

from collections.abc import Iterable

import libcst as cst

_STORES = "key_value.aio.stores"
_WRAPPERS = "key_value.aio.wrappers"
_ADAPTERS = "key_value.aio.adapters"

# Class -> the public module exporting it (0.4.6 names).
KEY_VALUE_MODULES: dict[str, str] = {
    "AsyncKeyValue": "key_value.aio.protocols",
    # stores
    "AerospikeStore": f"{_STORES}.aerospike",
    "AzureTablesStore": f"{_STORES}.azure_tables",
    "AzureTablesSanitizationStrategy": f"{_STORES}.azure_tables",
    "ChDBStore": f"{_STORES}.chdb",
    "DiskStore": f"{_STORES}.disk",
    "MultiDiskStore": f"{_STORES}.disk",
    "DuckDBStore": f"{_STORES}.duckdb",
    "DynamoDBStore": f"{_STORES}.dynamodb",
    "ElasticsearchStore": f"{_STORES}.elasticsearch",
    "FileTreeStore": f"{_STORES}.filetree",
    "FileTreeV1CollectionSanitizationStrategy": f"{_STORES}.filetree",
    "FileTreeV1KeySanitizationStrategy": f"{_STORES}.filetree",
    "FirestoreStore": f"{_STORES}.firestore",
    "FirestoreV1CollectionSanitizationStrategy": f"{_STORES}.firestore",
    "FirestoreV1KeySanitizationStrategy": f"{_STORES}.firestore",
    "KeyringStore": f"{_STORES}.keyring",
    "MemcachedStore": f"{_STORES}.memcached",
    "MemcachedV1KeySanitizationStrategy": f"{_STORES}.memcached",
    "MemoryStore": f"{_STORES}.memory",
    "MongoDBStore": f"{_STORES}.mongodb",
    "NullStore": f"{_STORES}.null",
    "OpenSearchStore": f"{_STORES}.opensearch",
    "PostgreSQLStore": f"{_STORES}.postgresql",
    "RedisStore": f"{_STORES}.redis",
    "RocksDBStore": f"{_STORES}.rocksdb",
    "S3Store": f"{_STORES}.s3",
    "S3CollectionSanitizationStrategy": f"{_STORES}.s3",
    "S3KeySanitizationStrategy": f"{_STORES}.s3",
    "SimpleStore": f"{_STORES}.simple",
    "ValkeyStore": f"{_STORES}.valkey",
    "VaultStore": f"{_STORES}.vault",
    "WindowsRegistryStore": f"{_STORES}.windows_registry",
    # wrappers
    "BaseEncryptionWrapper": f"{_WRAPPERS}.encryption",
    "FernetEncryptionWrapper": f"{_WRAPPERS}.encryption",
    "CompressionWrapper": f"{_WRAPPERS}.compression",
    "DefaultValueWrapper": f"{_WRAPPERS}.default_value",
    "FallbackWrapper": f"{_WRAPPERS}.fallback",
    "LimitSizeWrapper": f"{_WRAPPERS}.limit_size",
    "LoggingWrapper": f"{_WRAPPERS}.logging",
    "PassthroughCacheWrapper": f"{_WRAPPERS}.passthrough_cache",
    "PrefixCollectionsWrapper": f"{_WRAPPERS}.prefix_collections",
    "PrefixKeysWrapper": f"{_WRAPPERS}.prefix_keys",
    "ReadOnlyWrapper": f"{_WRAPPERS}.read_only",
    "RetryWrapper": f"{_WRAPPERS}.retry",
    "CollectionRoutingWrapper": f"{_WRAPPERS}.routing",
    "RoutingFunction": f"{_WRAPPERS}.routing",
    "RoutingWrapper": f"{_WRAPPERS}.routing",
    "SingleCollectionWrapper": f"{_WRAPPERS}.single_collection",
    "StatisticsWrapper": f"{_WRAPPERS}.statistics",
    "TimeoutWrapper": f"{_WRAPPERS}.timeout",
    "TTLClampWrapper": f"{_WRAPPERS}.ttl_clamp",
    # adapters
    "PydanticAdapter": f"{_ADAPTERS}.pydantic",
    "RaiseOnMissingAdapter": f"{_ADAPTERS}.raise_on_missing",
    "DataclassAdapter": f"{_ADAPTERS}.dataclass",
    "BaseModelAdapter": f"{_ADAPTERS}.base_model",
}
# Only in py-key-value-aio 0.4.x, i.e. only installable next to FastMCP 3.0+.
ONLY_0_4 = frozenset(
    {
        "AerospikeStore",
        "AzureTablesStore",
        "AzureTablesSanitizationStrategy",
        "BaseModelAdapter",
        "ChDBStore",
        "FirestoreStore",
        "FirestoreV1CollectionSanitizationStrategy",
        "FirestoreV1KeySanitizationStrategy",
        "OpenSearchStore",
        "PostgreSQLStore",
        "S3Store",
        "S3CollectionSanitizationStrategy",
        "S3KeySanitizationStrategy",
    }
)
# Stores that need an extra of py-key-value-aio next to FastMCP 3.0+.
EXTRAS = {"DiskStore": "disk", "MultiDiskStore": "disk", "RedisStore": "redis"}

# Packages that guides invent: ``key_value.<name>`` -> the real package.
FOLKLORE_PACKAGES: dict[str, str] = {
    "key_value.stores": _STORES,
    "key_value.wrappers": _WRAPPERS,
    "key_value.adapters": _ADAPTERS,
    "key_value.protocols": "key_value.aio.protocols",
    "key_value.encryption": f"{_WRAPPERS}.encryption",
}
# Real sub-packages of key_value.aio.stores / .wrappers (0.4.6).
STORE_MODULES = frozenset(
    m.rpartition(".")[2] for m in KEY_VALUE_MODULES.values() if m.startswith(_STORES)
)
WRAPPER_MODULES = frozenset(
    m.rpartition(".")[2] for m in KEY_VALUE_MODULES.values() if m.startswith(_WRAPPERS)
)


def folklore_module(module: str) -> str | None:
    """The folklore package ``module`` belongs to (``key_value.stores`` for
    ``key_value.stores.disk``), or None for real modules."""
    for fake in FOLKLORE_PACKAGES:
        if module == fake or module.startswith(fake + "."):
            return fake
    return None


def real_module(module: str) -> str | None:
    """The real module for a folklore one, when there is one: ``key_value.stores.disk``
    -> ``key_value.aio.stores.disk``. None when the sub-module does not exist."""
    fake = folklore_module(module)
    if fake is None:
        return None
    rest = module[len(fake) :].lstrip(".")
    base = FOLKLORE_PACKAGES[fake]
    if not rest:
        return base
    head = rest.split(".")[0]
    known = STORE_MODULES if base == _STORES else WRAPPER_MODULES if base == _WRAPPERS else ()
    return f"{base}.{rest}" if head in known else None


def class_paths(name: str) -> frozenset[str]:
    """Every import path under which the class ``name`` may be referred to: its real
    module, the defining ``.store`` module, and the folklore paths (so a rule about
    the class also fires on code that still has the wrong import)."""
    module = KEY_VALUE_MODULES[name]
    sub = module.rpartition(".")[2]
    return frozenset(
        {
            f"{module}.{name}",
            f"{module}.store.{name}",
            f"key_value.stores.{name}",
            f"key_value.stores.{sub}.{name}",
        }
    )


DISK_STORE = class_paths("DiskStore")
REDIS_STORE = class_paths("RedisStore")
FILETREE_STORE = class_paths("FileTreeStore")


# -- call arguments -----------------------------------------------------------------


def keyword(call: cst.Call, name: str) -> cst.Arg | None:
    """The call's ``name=...`` argument, if any."""
    return next((a for a in call.args if a.keyword is not None and a.keyword.value == name), None)


def has_star_kwargs(call: cst.Call) -> bool:
    return any(a.star == "**" for a in call.args)


def with_keywords(call: cst.Call, added: Iterable[tuple[str, cst.BaseExpression]]) -> cst.Call:
    """``call`` with keyword arguments appended, following its comma style."""
    args = list(call.args)
    new = [
        cst.Arg(
            value=value,
            keyword=cst.Name(name),
            equal=cst.AssignEqual(cst.SimpleWhitespace(""), cst.SimpleWhitespace("")),
        )
        for name, value in added
    ]
    if not new:
        return call
    if not args:
        return call.with_changes(args=new)
    last = args[-1]
    empty = cst.Module(body=())
    multiline = isinstance(last.comma, cst.Comma) and "\n" in empty.code_for_node(last.comma)
    if multiline and len(args) > 1 and isinstance(args[-2].comma, cst.Comma):
        # One argument per line with a trailing comma: add lines in the same style.
        between, closing = args[-2].comma, last.comma
        args[-1] = last.with_changes(comma=between)
        new = [arg.with_changes(comma=between) for arg in new[:-1]] + [
            new[-1].with_changes(comma=closing)
        ]
        return call.with_changes(args=[*args, *new])
    space = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
    args[-1] = last.with_changes(comma=space)
    spaced = [arg.with_changes(comma=space) for arg in new[:-1]]
    return call.with_changes(args=[*args, *spaced, new[-1]])
