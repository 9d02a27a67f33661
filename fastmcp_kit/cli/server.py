"""``fkit server``: the language server, over stdio."""

from __future__ import annotations


def server() -> int:
    """Run the fkit language server on stdin/stdout (for editors; see docs/editors.md)."""
    from fastmcp_kit.errors import FkitError

    try:
        from fastmcp_kit.lsp.server import serve
    except ImportError as exc:
        if exc.name not in ("pygls", "lsprotocol") and not str(exc.name).startswith("pygls."):
            raise
        raise FkitError("`fkit server` needs pygls: pip install 'fastmcp-fkit[server]'") from None
    serve()
    return 0
