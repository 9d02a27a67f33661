"""What FMCP312 says about a member read on an object whose FastMCP class is certain:
the checks that need only the API surface of the target and of the dumped releases
(a ``Context`` attribute, a member of a private server attribute such as the 2.x
``ToolManager``, a subscript of the client's ``CallToolResult``). Each returns the
``(expr, why, hint)`` of the rule's message, or None when nothing is certain."""

from __future__ import annotations

import difflib
import re

from packaging.version import Version

from fastmcp_kit.apisurface import ApiSurface, describe_releases, dumped_releases, surface_for
from fastmcp_kit.apisurface.private import private_type
from fastmcp_kit.lint.receiver_types import CONTEXT

SERVER = "fastmcp.server.server.FastMCP"
V3 = Version("3")
V4 = Version("4")

# Context members whose absence a more specific rule explains, and from which release.
CONTEXT_OWNED_ELSEWHERE: dict[str, tuple[Version | None, Version | None]] = {
    "get_http_request": (None, None),  # FMCP305 (and 2.13, which has it)
    "lifespan_context": (None, V3),  # FMCP809 on 2.x
    "sample": (V4, None),  # FMCP212 on 4.x
    "sample_step": (V4, None),
    "list_roots": (V4, None),
}

Message = tuple[str, str, str]


def close_member(name: str, members: list[str]) -> str | None:
    """The member meant: the snake_case spelling, a near spelling, or the one member
    sharing the name's noun (``list_tools`` -> ``get_tools``)."""
    snake = re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()
    if snake in members and snake != name:
        return snake
    found = difflib.get_close_matches(name, members, n=1, cutoff=0.8)
    if found:
        return found[0]
    verb, _, noun = name.partition("_")
    if verb and noun:
        same_noun = [m for m in members if m != name and m.endswith(f"_{noun}")]
        if len(same_noun) == 1:
            return same_noun[0]
    return None


def _public(surface: ApiSurface, path: str) -> list[str]:
    return sorted(m for m in surface.members(path) if not m.startswith("_"))


def _having(path: str, name: str) -> list[str]:
    return [r for r in dumped_releases() if surface_for(r).has_member(path, name)]


def _missing(surface: ApiSurface, path: str, name: str) -> bool:
    info = surface.class_info(path)
    return info is not None and not info.dynamic and surface.has_member(path, name) is False


def context_member(
    surface: ApiSurface, target: Version, receiver: str, name: str
) -> Message | None:
    """``ctx.<name>`` on a fastmcp ``Context`` that the target release lacks."""
    owned = CONTEXT_OWNED_ELSEWHERE.get(name)
    if owned is not None:
        since, before = owned
        if (since is None or target >= since) and (before is None or target < before):
            return None
    if not _missing(surface, CONTEXT, name):
        return None
    having = _having(CONTEXT, name)
    why = "`Context` has no such member" + (
        f" (it exists in FastMCP {describe_releases(having)})" if having else ""
    )
    close = close_member(name, _public(surface, CONTEXT))
    hint = f"; did you mean `{receiver}.{close}`?" if close else ""
    return f"{receiver}.{name}", why, hint


def private_member(surface: ApiSurface, receiver: str, private: str, name: str) -> Message | None:
    """``<server>.<private>.<name>`` where the private attribute's class (the 2.x
    ``ToolManager`` of ``_tool_manager``) lacks ``name`` in the target."""
    path = private_type(surface.releases, SERVER, private)
    if path is None or not _missing(surface, path, name):
        return None
    members = _public(surface, path)
    close = close_member(name, members)
    hint = ""
    if close is not None:
        member = surface.member(path, close)
        awaited = "await " if member is not None and member.is_async else ""
        call = "()" if member is not None and member.kind == "method" else ""
        returns = (member.returns or "") if member is not None else ""
        shape = " (a dict keyed by name: `.values()`)" if returns.startswith("dict[") else ""
        hint = f"; did you mean `{awaited}{receiver}.{private}.{close}{call}`{shape}?"
    shown = path.rpartition(".")[2]
    why = f"`{receiver}.{private}` is FastMCP's private `{shown}` (members: {', '.join(members)})"
    return f"{receiver}.{private}.{name}", why, hint


def unsubscriptable(surface: ApiSurface, receiver: str, classes: list[str]) -> Message | None:
    """``<result>[...]`` where every class the result may be takes no subscript."""
    for path in classes:
        info = surface.class_info(path)
        if info is None or info.dynamic or info.is_subscriptable:
            return None
    names = [path.rpartition(".")[2] for path in classes]
    # `call_tool()` is `CallToolResult | ToolTask` from 2.14 (a task with `task=True`).
    first = classes[0]
    hint = f"; use `{receiver}.content[...]`" if surface.has_member(first, "content") else ""
    why = (
        f"`{receiver}` is the client's `{' | '.join(names)}`, not a list "
        f"(`TypeError: '{names[0]}' object is not subscriptable`)"
    )
    return f"{receiver}[...]", why, hint
