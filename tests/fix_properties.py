"""The properties every set of safe fixes keeps, shared by the suite's fast property
test (tests/test_fix_properties.py) and the 2,000-program run in bench/fix_fuzz.py."""

from __future__ import annotations

import textwrap
from pathlib import Path

import hypothesmith
from hypothesis import strategies as st

from fastmcp_kit.lint.engine import LintSettings, lint_bytes
from fastmcp_kit.lint.registry import all_rules
from fastmcp_kit.lint.rule import ProjectInfo
from fastmcp_kit.versions import NEWEST

WRAPS = ("def", "async-def", "if", "try", "class", "none", "imports-in-helper", "imports-later")


def _examples() -> list[str]:
    return [
        example.source
        for rule in all_rules().values()
        for example in rule.INVALID
        if example.filename.endswith(".py") and not example.files
    ]


EXAMPLES = _examples()


def wrap(source: str, how: str, split: int) -> str:
    """Move the example's body, and its imports from ``split`` on, into a block."""
    if how == "none":
        return source
    lines = source.splitlines()
    imports = [line for line in lines if line.startswith(("import ", "from "))]
    rest = [line for line in lines if line not in imports]
    cut = min(split, len(imports))
    moved = [*("    " + line for line in imports[cut:])] or ["    pass"]
    if how == "imports-in-helper":  # the names are bound, but only in another function
        return "\n".join([*imports[:cut], "", "def _helper():", *moved, "", *rest]) + "\n"
    if how == "imports-later":  # bound at module level only after the code using them
        tail = ["try:", *moved, "except ImportError:", "    pass"]
        return "\n".join([*imports[:cut], *rest, "", *tail]) + "\n"
    header = {
        "def": "def build():",
        "async-def": "async def build():",
        "if": "if True:",
        "try": "try:",
        "class": "class Holder:",
    }[how]
    block = [header, *("    " + line if line else "" for line in [*imports[cut:], *rest])]
    if len(block) == 1:
        block.append("    pass")
    if how == "try":
        block += ["except ImportError:", "    pass"]
    return "\n".join([*imports[:cut], "", *block]) + "\n"


# Imports of the names fixes write, placed where they do not bind the fixed code.
DECOYS = (
    "from fastmcp import Context",
    "import logging",
    "from fastmcp.server import create_proxy",
    "import asyncio",
    "from datetime import timezone",
    "import os",
    "import fastmcp",
    "from fastmcp.utilities.lifespan import combine_lifespans",
    "from fastmcp.server.dependencies import get_http_request",
)


@st.composite
def wrapped_examples(draw: st.DrawFn) -> str:
    chosen = draw(st.lists(st.sampled_from(EXAMPLES), min_size=1, max_size=3))
    parts = [wrap(src, draw(st.sampled_from(WRAPS)), draw(st.integers(0, 4))) for src in chosen]
    decoys = draw(st.lists(st.sampled_from(DECOYS), max_size=3, unique=True))
    if decoys:
        block = ["    " + line for line in decoys]
        if draw(st.booleans()):
            parts.append("\n".join(["def _elsewhere():", *block]))
        else:
            parts.append("\n".join(["try:", *block, "except ImportError:", "    pass"]))
    return "\n".join(parts) + "\n"


def programs() -> st.SearchStrategy[str]:
    """Rule examples wrapped in blocks (where fixes fire), and hypothesmith's programs."""
    return st.one_of(wrapped_examples(), wrapped_examples(), hypothesmith.from_grammar())


SETTINGS = LintSettings(tuple(all_rules()), NEWEST, ProjectInfo(Path(".")), fix="safe")


def fix_once(source: str) -> str:
    result = lint_bytes(source.encode("utf-8", "surrogatepass"), "server.py", SETTINGS)
    return source if result.fixed_source is None else result.fixed_source


def undefined_names(source: str) -> set[str]:
    """pyflakes' undefined-name messages, by name ({"<syntax error>"} if it cannot parse)."""
    import ast

    from pyflakes import messages
    from pyflakes.api import checker

    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError):
        return {"<syntax error>"}
    found = checker.Checker(tree, filename="server.py").messages
    return {
        str(m.message_args[0])
        for m in found
        if isinstance(m, (messages.UndefinedName, messages.UndefinedLocal))
    }


def check_properties(source: str) -> None:
    """Safe fixes introduce no undefined name, never break parsing, and are idempotent."""
    source = textwrap.dedent(source)
    fixed = fix_once(source)
    if fixed == source:
        return
    before = undefined_names(source)
    after = undefined_names(fixed)
    assert "<syntax error>" not in after or "<syntax error>" in before, fixed
    assert after <= before, (after - before, source, fixed)
    assert fix_once(fixed) == fixed, fixed
