"""``BearerAuthProvider`` -> ``JWTVerifier`` (fact sheet 3.i row 1, E26)."""

from __future__ import annotations

from fastmcp_kit.upgrade.codemod import GUIDE_2_14, Example
from fastmcp_kit.upgrade.imports import ImportMover, Move


class BearerAuthProvider(ImportMover):
    """What it does:
    Replaces ``BearerAuthProvider`` (``fastmcp.server.auth.providers.bearer`` or
    ``fastmcp.server.auth``) with ``JWTVerifier`` from
    ``fastmcp.server.auth.providers.jwt``, renaming its uses; the module's other names
    (``RSAKeyPair``, ``JWKData``, ``JWKSData``) move to the same module.

    Why:
    The ``bearer`` module was removed in 2.14.0 (``ModuleNotFoundError``).

    Safety:
    Safe. In 2.13.3 ``BearerAuthProvider`` *is* ``JWTVerifier`` (the bearer module
    re-exports it under the old name) and the keyword arguments are identical
    (``public_key, jwks_uri, issuer, audience, algorithm, required_scopes, base_url``).
    """

    ID = "bearer-auth-provider"
    TITLE = "BearerAuthProvider becomes JWTVerifier"
    KIND = "rewrite"
    ROWS = ("i.1",)
    LINK = GUIDE_2_14
    TRIGGERS = ("BearerAuthProvider", "providers.bearer")
    MOVES = (
        Move(
            "fastmcp.server.auth.providers.bearer",
            "BearerAuthProvider",
            "fastmcp.server.auth.providers.jwt",
            "JWTVerifier",
        ),
        Move("fastmcp.server.auth", "BearerAuthProvider", "fastmcp.server.auth", "JWTVerifier"),
        Move("fastmcp.server.auth.providers.bearer", None, "fastmcp.server.auth.providers.jwt"),
    )
    EXAMPLES = (
        Example(
            "module-import",
            before="""
            from fastmcp import FastMCP
            from fastmcp.server.auth.providers.bearer import BearerAuthProvider

            auth = BearerAuthProvider(jwks_uri="https://idp.example.com/jwks.json", issuer="https://idp.example.com")
            mcp = FastMCP("api", auth=auth)
            """,
            after="""
            from fastmcp import FastMCP
            from fastmcp.server.auth.providers.jwt import JWTVerifier

            auth = JWTVerifier(jwks_uri="https://idp.example.com/jwks.json", issuer="https://idp.example.com")
            mcp = FastMCP("api", auth=auth)
            """,
        ),
        Example(
            "package-import-with-other-names",
            before="""
            from fastmcp.server.auth import BearerAuthProvider, OAuthProxy
            from fastmcp.server.auth.providers.bearer import RSAKeyPair as Keys

            verifier: BearerAuthProvider = BearerAuthProvider(public_key=Keys.generate().public_key)
            """,
            after="""
            from fastmcp.server.auth import JWTVerifier, OAuthProxy
            from fastmcp.server.auth.providers.jwt import RSAKeyPair as Keys

            verifier: JWTVerifier = JWTVerifier(public_key=Keys.generate().public_key)
            """,
        ),
        Example(
            "aliased-import-keeps-alias",
            before="""
            from fastmcp.server.auth.providers.bearer import BearerAuthProvider as Bearer

            auth = Bearer(public_key="k")
            """,
            after="""
            from fastmcp.server.auth.providers.jwt import JWTVerifier as Bearer

            auth = Bearer(public_key="k")
            """,
        ),
    )
