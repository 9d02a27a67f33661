"""Allowing a breaking change on purpose.

Two ways, both on the head side, both naming changes by selectors ``RULE:COMPONENT``
(shell wildcards allowed; ``RULE`` alone means any component):

* ``[tool.fkit.contract] allow-breaking = ["tool-removed:old_search"]`` in the
  project's pyproject.toml, reviewed with the change like any code;
* a line ``fkit: allow-breaking SELECTOR ...`` in the message of a commit between
  the base revision and HEAD (only when BASE is a git revision); without selectors
  the line allows every breaking change of the range.
"""

from __future__ import annotations

import dataclasses
import fnmatch
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from fastmcp_kit.contract.model import Change, Level
from fastmcp_kit.errors import FkitError, shown_path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

COMMIT_LINE = re.compile(r"^[ \t]*fkit:[ \t]*allow-breaking\b(.*)$", re.MULTILINE)


@dataclass(frozen=True)
class Allowance:
    selector: str
    # Where it was written: "pyproject.toml" or "commit message".
    source: str

    def matches(self, change: Change) -> bool:
        rule, _, component = self.selector.partition(":")
        return fnmatch.fnmatchcase(change.rule, rule) and (
            not component or fnmatch.fnmatchcase(change.component, component)
        )


def from_pyproject(project: Path) -> list[Allowance]:
    """``[tool.fkit.contract] allow-breaking`` of ``project``'s pyproject.toml."""
    path = project / "pyproject.toml"
    if not path.is_file():
        return []
    where = shown_path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise FkitError(f"{where}: cannot read it ({exc})") from None
    table = data.get("tool", {}).get("fkit", {}).get("contract", {})
    if not isinstance(table, dict):
        raise FkitError(f"{where}: [tool.fkit.contract] must be a table")
    entries = table.get("allow-breaking", [])
    if not isinstance(entries, list) or not all(isinstance(e, str) and e for e in entries):
        raise FkitError(
            f"{where}: [tool.fkit.contract] allow-breaking must be a list of "
            '"rule-id:component" strings'
        )
    return [Allowance(entry, "pyproject.toml") for entry in entries]


def from_commit_messages(messages: str) -> list[Allowance]:
    """The ``fkit: allow-breaking`` lines of commit messages ("*" when a line names nothing)."""
    found: list[Allowance] = []
    for match in COMMIT_LINE.finditer(messages):
        selectors = match.group(1).replace(",", " ").split() or ["*"]
        found.extend(Allowance(s, "commit message") for s in selectors)
    return found


def apply(changes: Sequence[Change], allowances: Sequence[Allowance]) -> list[Change]:
    """``changes`` with each allowed breaking change marked by what allowed it."""
    marked = []
    for change in changes:
        if change.level is Level.BREAKING:
            allowance = next((a for a in allowances if a.matches(change)), None)
            if allowance is not None:
                change = dataclasses.replace(
                    change, allowed_by=f"{allowance.source}: {allowance.selector}"
                )
        marked.append(change)
    return marked


def unused(changes: Sequence[Change], allowances: Sequence[Allowance]) -> list[Allowance]:
    """pyproject.toml entries that match no breaking change of this comparison."""
    breaking = [c for c in changes if c.level is Level.BREAKING]
    return [
        a
        for a in allowances
        if a.source == "pyproject.toml" and not any(a.matches(c) for c in breaking)
    ]
