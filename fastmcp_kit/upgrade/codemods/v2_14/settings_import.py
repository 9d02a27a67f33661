"""``from fastmcp.settings import settings`` -> ``from fastmcp import settings`` (3.i row 14)."""

from __future__ import annotations

from fastmcp_kit.upgrade.codemod import GUIDE_2_14, Example
from fastmcp_kit.upgrade.imports import ImportMover, Move


class SettingsImport(ImportMover):
    """What it does:
    Rewrites ``from fastmcp.settings import settings`` to ``from fastmcp import
    settings``: the same global settings object, imported from where every release
    exports it.

    Why:
    2.14.0 removed the ``settings`` instance from the ``fastmcp.settings`` module
    (``ImportError: cannot import name 'settings' from 'fastmcp.settings'``).

    Safety:
    Safe: ``from fastmcp import settings`` is the very object ``fastmcp.settings``
    (checked in 2.13.3 and 2.14.7). The ``Settings`` class itself stays in
    ``fastmcp.settings``.
    """

    ID = "settings-import"
    TITLE = "settings is imported from fastmcp"
    KIND = "rewrite"
    ROWS = ("i.14",)
    LINK = GUIDE_2_14
    TRIGGERS = ("fastmcp.settings",)
    MOVES = (Move("fastmcp.settings", "settings", "fastmcp"),)
    EXAMPLES = (
        Example(
            "instance",
            before="""
            from fastmcp.settings import settings

            LOG_LEVEL = settings.log_level
            """,
            after="""
            from fastmcp import settings

            LOG_LEVEL = settings.log_level
            """,
        ),
        Example(
            "class-stays",
            before="""
            from fastmcp.settings import Settings, settings as fastmcp_settings

            DEFAULTS = Settings()
            HOME = fastmcp_settings.home
            """,
            after="""
            from fastmcp import settings as fastmcp_settings
            from fastmcp.settings import Settings

            DEFAULTS = Settings()
            HOME = fastmcp_settings.home
            """,
        ),
    )
