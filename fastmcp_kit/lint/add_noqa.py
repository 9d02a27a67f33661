"""``fkit lint --add-noqa``: a ``# noqa: CODE`` on the line of every finding, so that a
project adopting fkit (or a new rule) starts clean and fixes its findings over time.

An existing ``# noqa: X`` list is extended, a code is never written twice, and each file
goes through the same safe write-back as fixes (atomic, only if unchanged since read,
in its own encoding and newlines).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from fastmcp_kit.lint.noqa import add_noqa, is_suppressed, parse_suppressions
from fastmcp_kit.lint.registry import ENGINE_CODES
from fastmcp_kit.lint.runner import SourceFile
from fastmcp_kit.lint.violation import Violation
from fastmcp_kit.problems import Problems
from fastmcp_kit.writeback import PendingWrite, WriteOutcome, write_all

# The rule about noqa comments themselves (rules/fmcp003_unused_noqa.py).
UNUSED_NOQA = "FMCP003"


@dataclass
class NoqaOutcome:
    added: int = 0
    # Findings on a line no comment can end (inside a multi-line string).
    skipped: int = 0
    writes: WriteOutcome = field(default_factory=WriteOutcome)


def add_noqa_directives(
    sources: Sequence[SourceFile], violations: Sequence[Violation], problems: Problems
) -> NoqaOutcome:
    """Suppress every finding where it is reported, writing the files that change."""
    from fastmcp_kit.lint.engine import decode, is_python

    outcome = NoqaOutcome()
    pending: list[PendingWrite] = []
    added: dict[Path, int] = {}
    for source in sources:
        # The engine's own findings (a file that does not parse, a crash) are never
        # suppressed: a noqa would hide nothing and mislead; nor is an unused noqa.
        found = [
            v
            for v in violations
            if v.filename == source.display and v.code not in (*ENGINE_CODES, UNUSED_NOQA)
        ]
        if not found or source.path is None or not is_python(source.display):
            continue
        text, encoding = decode(source.data)
        for violation in sorted(found, key=lambda v: v.sort_key):
            changed = add_noqa(text, violation.location.row, violation.code)
            if changed is not None:
                text = changed
                added[source.path] = added.get(source.path, 0) + 1
            elif not is_suppressed(
                parse_suppressions(text), violation.location.row, violation.code
            ):
                outcome.skipped += 1  # a line no comment can end
        if source.path in added:
            pending.append(PendingWrite(source.path, text.encode(encoding), source.data))
    outcome.writes = write_all(pending, problems)
    outcome.added = sum(added[write.path] for write in outcome.writes.written)
    return outcome
