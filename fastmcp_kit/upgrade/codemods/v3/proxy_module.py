"""``fastmcp.server.proxy`` -> ``fastmcp.server.providers.proxy`` (3.ii row 28, 3.iii row 1)."""

from __future__ import annotations

from fastmcp_kit.upgrade.codemod import GUIDE_3, Example
from fastmcp_kit.upgrade.imports import ImportMover, Move

_NAMES = (
    "FastMCPProxy",
    "ProxyClient",
    "StatefulProxyClient",
    "ProxyTool",
    "ProxyResource",
    "ProxyTemplate",
    "ProxyPrompt",
    "ClientFactoryT",
)


class ProxyModule(ImportMover):
    """What it does:
    Moves ``FastMCPProxy``, ``ProxyClient``, ``StatefulProxyClient``, ``ProxyTool``,
    ``ProxyResource``, ``ProxyTemplate``, ``ProxyPrompt`` and ``ClientFactoryT`` imports
    from ``fastmcp.server.proxy`` to ``fastmcp.server.providers.proxy``.

    Why:
    3.0 moved proxies onto the provider architecture and deprecated the old module;
    4.0 removed it (``ModuleNotFoundError``).

    Safety:
    Safe: in 3.x the old module re-exports these very objects. The 2.x proxy *manager*
    classes have no 3.x counterpart and are not moved.
    """

    ID = "proxy-module"
    TITLE = "fastmcp.server.proxy moves to fastmcp.server.providers.proxy"
    KIND = "rewrite"
    ROWS = ("ii.28", "iii.1")
    LINK = GUIDE_3
    TRIGGERS = ("fastmcp.server.proxy",)
    MOVES = tuple(
        Move("fastmcp.server.proxy", name, "fastmcp.server.providers.proxy") for name in _NAMES
    )
    EXAMPLES = (
        Example(
            "names",
            before="""
            from fastmcp.server.proxy import FastMCPProxy, ProxyClient

            proxy = FastMCPProxy(client_factory=lambda: ProxyClient("http://localhost:9000/mcp"))
            """,
            after="""
            from fastmcp.server.providers.proxy import FastMCPProxy, ProxyClient

            proxy = FastMCPProxy(client_factory=lambda: ProxyClient("http://localhost:9000/mcp"))
            """,
        ),
    )
