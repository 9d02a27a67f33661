"""The statement blocks a libcst compound statement nests. Name analysis and several
rules walk statements only (no expressions), which is several times faster than a
full visitor."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import libcst as cst


def suite_body(block: cst.BaseSuite) -> Sequence[cst.BaseStatement | cst.BaseSmallStatement]:
    return block.body


def nested_blocks(
    statement: cst.BaseStatement | cst.BaseSmallStatement,
) -> Iterator[Sequence[cst.BaseStatement | cst.BaseSmallStatement]]:
    """The nested statement blocks of a compound statement (if/for/while/with/try/match)."""
    for attribute in ("body", "orelse", "finalbody"):
        part = getattr(statement, attribute, None)
        if isinstance(part, cst.BaseSuite):
            yield part.body
        elif isinstance(part, cst.If):  # elif
            yield from nested_blocks(part)
        elif isinstance(part, (cst.Else, cst.Finally)):
            yield part.body.body
    for handler in getattr(statement, "handlers", ()):
        yield handler.body.body
    for case in getattr(statement, "cases", ()):
        yield case.body.body
