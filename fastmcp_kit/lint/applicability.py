"""Whether a rule applies to a project, from the versions the project runs.

Most rules are about standalone FastMCP: they apply when the project runs a FastMCP
release inside the rule's ``fastmcp_versions``, and never to an SDK-only project.
Rules about the MCP SDK's own API (``mcp_versions`` set) are judged by the ``mcp``
version instead; rules about plain Python (``needs_fastmcp = False``) apply to every
project.
"""

from __future__ import annotations

from functools import cache

from packaging.specifiers import SpecifierSet
from packaging.version import Version


@cache
def _spec(text: str) -> SpecifierSet:
    return SpecifierSet(text)


def applies(
    fastmcp_versions: str,
    mcp_versions: str | None,
    needs_fastmcp: bool,
    fastmcp: Version | None,
    mcp: Version | None,
) -> bool:
    """``fastmcp`` is None in an SDK-only project; ``mcp`` when no SDK is used."""
    if mcp_versions is not None:
        return mcp is not None and _spec(mcp_versions).contains(mcp, prereleases=True)
    if fastmcp is None:
        return not needs_fastmcp
    return _spec(fastmcp_versions).contains(fastmcp, prereleases=True)


def versions_text(fastmcp_versions: str, mcp_versions: str | None) -> str:
    """The versions column of the docs and `fkit rules`."""
    if mcp_versions is not None:
        return f"mcp {mcp_versions}"
    return fastmcp_versions or "all"
