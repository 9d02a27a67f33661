"""Releases of the MCP Python SDK (the ``mcp`` distribution) and which of them each
FastMCP line runs on.

Rules about SDK APIs (``McpError``, ``mcp.types``) are judged by the ``mcp`` version a
project runs: the one it locks or pins, else the newest its range admits, else the
one its FastMCP release requires.
"""

from __future__ import annotations

from packaging.specifiers import SpecifierSet
from packaging.version import Version

# Final releases on the package index (2026-12-05), oldest first.
MCP_RELEASES: tuple[str, ...] = (
    "1.0.0",
    "1.1.0",
    "1.1.1",
    "1.1.2",
    "1.1.3",
    "1.2.0",
    "1.2.1",
    "1.3.0",
    "1.4.0",
    "1.4.1",
    "1.5.0",
    "1.6.0",
    "1.7.0",
    "1.7.1",
    "1.8.0",
    "1.8.1",
    "1.9.0",
    "1.9.1",
    "1.9.2",
    "1.9.3",
    "1.9.4",
    "1.10.0",
    "1.10.1",
    "1.11.0",
    "1.12.0",
    "1.12.1",
    "1.12.2",
    "1.12.3",
    "1.12.4",
    "1.13.0",
    "1.13.1",
    "1.14.0",
    "1.14.1",
    "1.15.0",
    "1.16.0",
    "1.17.0",
    "1.18.0",
    "1.19.0",
    "1.20.0",
    "1.21.0",
    "1.21.1",
    "1.21.2",
    "1.22.0",
    "1.23.0",
    "1.23.1",
    "1.23.2",
    "1.23.3",
    "1.24.0",
    "1.25.0",
    "1.26.0",
    "1.27.0",
    "1.27.1",
    "1.27.2",
    "1.28.0",
    "1.28.1",
    "1.29.0",
    "1.29.1",
    "1.30.0",
    "2.0.0",
    "2.0.1",
    "2.1.0",
    "2.1.1",
    "2.2.0",
    "2.3.0",
)
_RELEASES = tuple(Version(v) for v in MCP_RELEASES)

# The `mcp` range each FastMCP line requires (from the releases' METADATA; the fact
# sheet's table 1.2): FastMCP 4 is built on SDK 2, every earlier line on SDK 1.
_FASTMCP_REQUIRES = (
    (SpecifierSet(">=4"), SpecifierSet(">=2,<3")),
    (SpecifierSet(">=2.14,<4"), SpecifierSet(">=1.24,<2")),
    (SpecifierSet(">=2.13,<2.14"), SpecifierSet(">=1.19,<1.23")),
    (SpecifierSet("<2.13"), SpecifierSet("<2")),
)


def newest_mcp(spec: SpecifierSet) -> Version | None:
    """The newest known ``mcp`` release the specifier admits, or None."""
    matching = [v for v in _RELEASES if spec.contains(v, prereleases=True)]
    return matching[-1] if matching else None


def mcp_required_by(fastmcp: Version) -> Version | None:
    """The newest ``mcp`` release the given FastMCP release installs with."""
    required = required_mcp_range(fastmcp)
    return None if required is None else newest_mcp(required)


def required_mcp_range(fastmcp: Version) -> SpecifierSet | None:
    """The ``mcp`` range the given FastMCP release requires."""
    for fastmcp_range, mcp_range in _FASTMCP_REQUIRES:
        if fastmcp_range.contains(fastmcp, prereleases=True):
            return mcp_range
    return None


def parse_mcp(text: str) -> Version:
    """``1.22.0`` exactly, or ``1.22`` / ``2`` as the newest release of that line."""
    version = Version(text.strip())
    if len(version.release) >= 3:
        return version
    line = ".".join(str(part) for part in version.release)
    return newest_mcp(SpecifierSet(f"=={line}.*")) or version


def oldest_major_range(spec: SpecifierSet) -> SpecifierSet:
    """``spec`` kept within the major line of the oldest release it admits.

    SDK 2 renamed the SDK's FastMCP; a range written before it (``mcp>=1.6``, or
    ``mcp`` alone) is read as the 1.x it was written for, 2.x as what a fresh
    install would bring (a forward hazard, not what runs)."""
    admitted = [v for v in _RELEASES if spec.contains(v, prereleases=True)]
    if not admitted:
        return spec
    return spec & SpecifierSet(f"<{admitted[0].major + 1}")
