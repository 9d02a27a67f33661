"""What a call changes outside the process: files written or deleted, SQL that writes,
HTTP requests that modify (for rules comparing a tool's declared hints with its body).

Only unambiguous shapes count, since a finding says the declaration is wrong: a file
opened with a writing mode, a write/delete function or ``Path`` method, a SQL literal
starting with a writing statement, a ``PUT``/``PATCH``/``DELETE`` request. ``POST`` is
not counted: search and GraphQL APIs read through ``POST``.
"""

from __future__ import annotations

import re

import libcst as cst

from fastmcp_kit.lint.body_walk import all_nodes
from fastmcp_kit.lint.names import ModuleNames, dotted_name

# Classes whose instances send requests with .get(url), .post(url), .request(method, url).
CLIENT_CLASSES = frozenset(
    {
        "httpx.Client",
        "httpx.AsyncClient",
        "requests.Session",
        "requests.session",
        "aiohttp.ClientSession",
    }
)
FILE_WRITERS = frozenset(
    {
        "os.remove",
        "os.unlink",
        "os.rmdir",
        "os.removedirs",
        "os.rename",
        "os.replace",
        "os.makedirs",
        "os.mkdir",
        "shutil.rmtree",
        "shutil.move",
        "shutil.copy",
        "shutil.copyfile",
        "shutil.copy2",
        "shutil.copytree",
    }
)
PATH_WRITERS = frozenset({"write_text", "write_bytes"})
# Path methods whose names other clients share (redis ``unlink(key)``): counted only
# when called without positional arguments, as ``Path.unlink(missing_ok=True)`` is.
PATH_REMOVERS = frozenset({"unlink", "rmdir", "touch"})
WRITING_VERBS = frozenset({"put", "patch", "delete"})
SQL_WRITE = re.compile(
    r"^\s*(insert|update|delete|create|drop|alter|replace|truncate|merge|upsert)\b",
    re.IGNORECASE,
)
SQL_METHODS = frozenset({"execute", "executemany", "executescript", "exec_driver_sql"})


def http_clients(module: cst.Module, names: ModuleNames) -> set[str]:
    """Names bound anywhere in the module to an HTTP client (not scope-aware)."""
    found: set[str] = set()
    for item in all_nodes(module, cst.WithItem):
        if item.asname is not None and _constructs_client(item.item, names):
            found.add(dotted_name(item.asname.name) or "")
    for assign in all_nodes(module, cst.Assign):
        if _constructs_client(assign.value, names):
            found.update(dotted_name(t.target) or "" for t in assign.targets)
    found.discard("")
    return found


def _constructs_client(value: cst.BaseExpression, names: ModuleNames) -> bool:
    return isinstance(value, cst.Call) and names.qualified_name(value.func) in CLIENT_CLASSES


def effect(call: cst.Call, names: ModuleNames, clients: set[str]) -> str | None:
    """What the call changes, as a verb phrase (``changes files (`shutil.rmtree`)``), or
    None when it changes nothing known."""
    func = call.func
    qualified = names.qualified_name(func) or dotted_name(func) or ""
    if qualified in FILE_WRITERS:
        return f"changes files (`{qualified}`)"
    if qualified in ("open", "io.open", "aiofiles.open") and _writing_mode(call):
        return "writes a file (`open` with a writing mode)"
    if not isinstance(func, cst.Attribute):
        return None
    method = func.attr.value
    receiver = dotted_name(func.value)
    if method in PATH_WRITERS or (
        method in PATH_REMOVERS and not any(a.keyword is None for a in call.args)
    ):
        return f"changes a file (`.{method}()`)"
    if method in SQL_METHODS and call.args and _writing_sql(call.args[0].value):
        return f"runs a SQL write (`{method}`)"
    is_client = receiver in clients or qualified.partition(".")[0] in ("httpx", "requests")
    if is_client and method in WRITING_VERBS:
        return f"sends a `{method.upper()}` request"
    if is_client and method == "request" and call.args:
        verb = call.args[0].value
        if isinstance(verb, cst.SimpleString) and verb.raw_value.lower() in WRITING_VERBS:
            return f"sends a `{verb.raw_value.upper()}` request"
    return None


def _writing_mode(call: cst.Call) -> bool:
    mode = next((a.value for a in call.args if a.keyword and a.keyword.value == "mode"), None)
    positional = [a for a in call.args if a.keyword is None]
    if mode is None and len(positional) > 1:
        mode = positional[1].value
    return isinstance(mode, cst.SimpleString) and any(c in mode.raw_value for c in "wax+")


def _writing_sql(value: cst.BaseExpression) -> bool:
    if isinstance(value, cst.SimpleString):
        return bool(SQL_WRITE.match(value.raw_value))
    if isinstance(value, cst.FormattedString) and value.parts:
        first = value.parts[0]
        return isinstance(first, cst.FormattedStringText) and bool(SQL_WRITE.match(first.value))
    if isinstance(value, cst.ConcatenatedString):
        return _writing_sql(value.left)
    return False
