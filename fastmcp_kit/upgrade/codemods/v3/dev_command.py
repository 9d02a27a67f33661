"""``fastmcp dev server.py`` -> ``fastmcp dev inspector server.py`` (3.ii row 34)."""

from __future__ import annotations

import re
from pathlib import Path

from fastmcp_kit.upgrade.codemod import GUIDE_3, Example, TextCodemod
from fastmcp_kit.upgrade.prose import is_prose, rewrite_instructions

# `fastmcp dev` not followed by one of its 3.x subcommands or a help flag.
_DEV = re.compile(r"(\bfastmcp\s+dev)(?=\s|$|[\"'`])(?!\s+(?:inspector|apps|--help|-h)\b)")


class DevCommand(TextCodemod):
    """What it does:
    In scripts and docs (``*.md``, ``*.rst``, ``*.txt``, ``*.sh``, ``Makefile``,
    ``justfile``, ``Dockerfile*``, ``Procfile``, ``*.toml``, ``*.json``, ``*.yml``,
    ``*.yaml``, ``*.cfg``, ``*.ini``), rewrites ``fastmcp dev <spec>`` (or bare ``fastmcp
    dev``) to ``fastmcp dev inspector <spec>``. In prose (``*.md``, ``*.mdx``, ``*.rst``,
    ``*.txt``) only instructions: fenced code blocks, command lines, and inline code
    holding a whole command (a span like ``fastmcp dev server.py``); never a changelog, history
    or release-notes file, a dated note (a ``Date:`` field or a dated heading at the
    top) or a section under a dated heading, nor the command's name in a sentence.

    Why:
    3.0 turned ``fastmcp dev`` into a command group (``inspector``, ``apps``): ``fastmcp
    dev server.py`` fails with ``Unknown command "server.py". Available commands:
    inspector, apps.`` (checked in 4.1.2).

    Safety:
    Safe: ``dev inspector`` accepts every option 2.14's ``dev`` had (``--with``,
    ``--with-editable``, ``--with-requirements``, ``--project``, ``--python``,
    ``--inspector-version``, ``--ui-port``, ``--server-port``; checked in 2.14.7, 3.0.2,
    3.4.10 and 4.1.2). It reloads on file changes by default (``--no-reload`` to turn
    that off).
    """

    ID = "dev-command"
    TITLE = "fastmcp dev becomes fastmcp dev inspector"
    KIND = "rewrite"
    ROWS = ("ii.34",)
    LINK = GUIDE_3
    PATTERNS = (
        "*.md", "*.mdx", "*.rst", "*.txt", "*.sh", "*.bash", "Makefile", "makefile",
        "GNUmakefile", "justfile", "Justfile", "Dockerfile", "Dockerfile.*", "Procfile",
        "*.toml", "*.json", "*.yml", "*.yaml", "*.cfg", "*.ini", "*.ps1",
    )  # fmt: skip
    EXAMPLES = (
        Example(
            "readme",
            filename="README.md",
            before="""
            Run the inspector:

                uv run fastmcp dev server.py --with pandas
                fastmcp dev inspector other.py
            """,
            after="""
            Run the inspector:

                uv run fastmcp dev inspector server.py --with pandas
                fastmcp dev inspector other.py
            """,
        ),
        Example(
            "notes",
            filename="docs/NOTES.md",
            before="""
            # Working on the server

            Run `fastmcp dev server.py` to open the inspector; `fastmcp dev` reloads.

            ```sh
            fastmcp dev server.py
            ```

            ## 2025-11-30

            - Validated with `fastmcp dev server.py`:

                  uv run fastmcp dev server.py

            ## Next steps

            1. uv run fastmcp dev server.py --with pandas
            """,
            after="""
            # Working on the server

            Run `fastmcp dev inspector server.py` to open the inspector; `fastmcp dev` reloads.

            ```sh
            fastmcp dev inspector server.py
            ```

            ## 2025-11-30

            - Validated with `fastmcp dev server.py`:

                  uv run fastmcp dev server.py

            ## Next steps

            1. uv run fastmcp dev inspector server.py --with pandas
            """,
        ),
        Example(
            "changelog",
            filename="CHANGELOG.md",
            before="""
            ## 1.2.0

            - `fastmcp dev server.py` now opens the inspector
            """,
        ),
        Example(
            "dated-session-note",
            filename="docs/SESSION_SUMMARY.md",
            before="""
            # Session summary

            ## Date: 2025-11-30

            ```
            $ uv run fastmcp dev src/server.py:create_server
            ```
            """,
        ),
        Example(
            "makefile",
            filename="Makefile",
            before="""
            dev:
            \tfastmcp dev
            """,
            after="""
            dev:
            \tfastmcp dev inspector
            """,
        ),
    )

    def transform(self, text: str, path: Path) -> str:
        if is_prose(path):
            return rewrite_instructions(text, path, self._rewrite)
        return self._rewrite(text)

    def _rewrite(self, text: str) -> str:
        new, count = _DEV.subn(r"\1 inspector", text)
        self.rewrites += count
        return new
