"""Dependency pins: the fastmcp requirement moves to the target line, and the floors the
fact sheet names follow (pydantic >= 2.12, fastapi >= 0.133 and mcp >= 2 on 4.x where
the project declares them; ``fastmcp[tasks]`` when tasks are used; py-key-value-aio
extras for explicit Disk/Redis stores on 3.x and later).

``pyproject.toml`` is edited with tomlkit (formatting and comments kept);
``requirements*.txt`` and ``fastmcp.json`` line by line / string by string.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import Version

from fastmcp_kit.lint.violation import Severity
from fastmcp_kit.project import FASTMCP_DISTRIBUTIONS
from fastmcp_kit.upgrade.codemod import StepName
from fastmcp_kit.versions import KNOWN_RELEASES, newest_matching

# The range a project on the line gets: 2.14.3 fixed the 5 s HTTP timeout and ASGI-mounted
# tasks; 3.2.4 fixed dict/list-returning resources (broken in 3.0.0-3.2.3).
RANGES: dict[StepName, str] = {"2.14": ">=2.14.3,<3", "3": ">=3.2.4,<4", "4": ">=4.0,<5"}
_LINES: dict[StepName, str] = {"2.14": "==2.14.*", "3": "==3.*", "4": "==4.*"}

# (package, floor) on 4.x, only where the project already declares the package.
FLOORS: dict[StepName, tuple[tuple[str, Version], ...]] = {
    "2.14": (),
    "3": (),
    "4": (("pydantic", Version("2.12")), ("fastapi", Version("0.133")), ("mcp", Version("2.2"))),
}
# mcp ranges fastmcp itself requires on 2.14 and 3.x (a conflicting pin is reported).
MCP_RANGE: dict[StepName, str] = {"2.14": ">=1.24,<2", "3": ">=1.24,<2"}
KEY_VALUE = "py-key-value-aio"
KEY_VALUE_RANGE = ">=0.4.4,<0.5"


@dataclass(frozen=True)
class Needs:
    """What the upgraded code needs beyond plain fastmcp."""

    tasks: bool = False
    key_value_extras: frozenset[str] = frozenset()


@dataclass
class PinEdit:
    """One requirement string changed (or added), and what to tell the user."""

    notes: list[tuple[Severity, str]] = field(default_factory=list)
    changed: int = 0


def newest_in_line(step: StepName) -> Version:
    found = newest_matching(SpecifierSet(_LINES[step]))
    assert found is not None
    return found


def _admits_only_line(spec: SpecifierSet, step: StepName) -> bool:
    """Does every known release the spec admits lie in the target line, at or above its
    floor (and is there one)?"""
    floor = SpecifierSet(RANGES[step])
    admitted = [Version(v) for v in KNOWN_RELEASES if spec.contains(Version(v))]
    return bool(admitted) and all(floor.contains(v) for v in admitted)


def fastmcp_spec(spec: SpecifierSet, step: StepName) -> str:
    """The new specifier text for a fastmcp requirement (unchanged if already right)."""
    if spec and _admits_only_line(spec, step):
        return str(spec)
    exact = [s for s in spec if s.operator in ("==", "===") and "*" not in s.version]
    if exact:
        return f"=={newest_in_line(step)}"
    return RANGES[step]


def raised_floor(spec: SpecifierSet, floor: Version) -> str | None:
    """``spec`` with its lower bound raised to ``floor`` (None when it already is)."""
    lower = [Version(s.version) for s in spec if s.operator in (">=", ">", "==", "~=", "===")]
    upper_below = any(s.operator in ("<", "<=") and Version(s.version) <= floor for s in spec)
    if lower and max(lower) >= floor and not upper_below:
        return None
    kept = [
        str(s)
        for s in spec
        if s.operator in ("<", "<=", "!=")
        and not (s.operator != "!=" and Version(s.version) <= floor)
    ]
    return ",".join([f">={floor}", *sorted(kept)])


def _format(requirement: Requirement, name: str, extras: Iterable[str], spec: str) -> str:
    extras_text = f"[{','.join(sorted(extras))}]" if extras else ""
    text = f"{name}{extras_text}{spec}"
    if requirement.marker is not None:
        text += f"; {requirement.marker}"
    return text


def rewrite_requirement(
    text: str, step: StepName, needs: Needs, notes: list[tuple[Severity, str]]
) -> str:
    """A PEP 508 requirement string after the upgrade (``text`` when nothing changes)."""
    try:
        requirement = Requirement(text)
    except InvalidRequirement:
        return text
    name = canonicalize_name(requirement.name)
    written = text[: len(requirement.name)] if text.lower().startswith(name) else requirement.name
    if name in FASTMCP_DISTRIBUTIONS:
        if requirement.url:
            url = requirement.url.replace(
                "github.com/jlowin/fastmcp", "github.com/PrefectHQ/fastmcp"
            )
            notes.append(
                (
                    Severity.WARNING,
                    f"fastmcp comes from a URL ({url}): point it at a {step}.x release",
                )
            )
            return text.replace(requirement.url, url)
        extras = set(requirement.extras)
        if needs.tasks and step != "2.14":
            extras.add("tasks")
        spec = fastmcp_spec(requirement.specifier, step)
        new = _format(requirement, written, extras, spec)
        return text if _same(text, new) else new
    for package, floor in FLOORS[step]:
        if name == package:
            raised = raised_floor(requirement.specifier, floor)
            if raised is not None:
                return _format(requirement, written, requirement.extras, raised)
    if name == "mcp" and step in MCP_RANGE:
        wanted = MCP_RANGE[step]
        if requirement.specifier and not any(
            requirement.specifier.contains(v) for v in (Version("1.24"), Version("1.30"))
        ):
            notes.append(
                (
                    Severity.WARNING,
                    f"fastmcp {step} needs mcp{wanted}, which `{text}` excludes: update that pin",
                )
            )
    if name == canonicalize_name(KEY_VALUE) and needs.key_value_extras:
        extras = set(requirement.extras) | needs.key_value_extras
        if extras != set(requirement.extras):
            return _format(requirement, written, extras, str(requirement.specifier))
    return text


def _same(old: str, new: str) -> bool:
    try:
        a, b = Requirement(old), Requirement(new)
    except InvalidRequirement:
        return old == new
    return (a.name, a.extras, a.specifier, str(a.marker)) == (
        b.name,
        b.extras,
        b.specifier,
        str(b.marker),
    )


def key_value_requirement(needs: Needs) -> str:
    return f"{KEY_VALUE}[{','.join(sorted(needs.key_value_extras))}]{KEY_VALUE_RANGE}"


def declares(requirements: Iterable[str], package: str) -> bool:
    for text in requirements:
        try:
            if canonicalize_name(Requirement(text).name) == canonicalize_name(package):
                return True
        except InvalidRequirement:
            continue
    return False


# -- requirements*.txt ----------------------------------------------------------------------

_REQ_LINE = re.compile(
    r"^(?P<indent>\s*)(?P<req>[A-Za-z0-9][^#;\s]*(?:\s*;[^#]*?)?)(?P<rest>\s*(?:#.*)?)$"
)


def rewrite_requirements_txt(
    text: str, step: StepName, needs: Needs, notes: list[tuple[Severity, str]]
) -> tuple[str, int, int | None]:
    """(new text, number of changed lines, 1-based row of the fastmcp requirement)."""
    out: list[str] = []
    changed = 0
    fastmcp_row: int | None = None
    requirements: list[str] = []
    moved: list[str] = []
    lines = text.splitlines(keepends=True)
    for row, line in enumerate(lines, start=1):
        body = line.rstrip("\r\n")
        newline = line[len(body) :]
        match = _REQ_LINE.match(body)
        if match is None or "--hash" in body or body.rstrip().endswith("\\"):
            if "--hash" in body and "fastmcp" in body.lower():
                notes.append(
                    (
                        Severity.WARNING,
                        "hash-pinned fastmcp: regenerate the hashes for the new version",
                    )
                )
            out.append(line)
            continue
        requirement = match.group("req").strip()
        requirements.append(requirement)
        new = rewrite_requirement(requirement, step, needs, notes)
        if is_fastmcp(requirement):
            fastmcp_row = row
        if new != requirement:
            changed += 1
            moved.append(requirement)
            body = f"{match.group('indent')}{new}{match.group('rest')}"
        out.append(body + newline)
    if (
        fastmcp_row is not None
        and needs.key_value_extras
        and step != "2.14"
        and not declares(requirements, KEY_VALUE)
    ):
        newline = "\r\n" if text.endswith("\r\n") else "\n"
        if out and not out[-1].endswith(("\n", "\r")):
            out[-1] += newline
        out.insert(fastmcp_row, key_value_requirement(needs) + newline)
        changed += 1
    if moved:
        notes.extend(frozen_set_notes(requirements, moved))
    return "".join(out), changed, fastmcp_row


def _exact_pin(text: str) -> tuple[str, str] | None:
    """(canonical name, version) of ``name==version``; None for anything else."""
    try:
        requirement = Requirement(text)
    except InvalidRequirement:
        return None
    specifiers = list(requirement.specifier)
    if len(specifiers) != 1 or specifiers[0].operator not in ("==", "==="):
        return None
    return canonicalize_name(requirement.name), specifiers[0].version


def frozen_set_notes(requirements: list[str], moved: list[str]) -> list[tuple[Severity, str]]:
    """A frozen file (every requirement an exact pin, as ``pip freeze`` and
    ``pip-compile`` write them) was resolved as a whole for the old fastmcp: moving
    some pins leaves the others behind, and some of those cannot install with the new
    ones (pydantic pins its ``pydantic-core`` build exactly)."""
    pins = [_exact_pin(text) for text in requirements]
    if len(pins) < 3 or any(pin is None for pin in pins):
        return []
    moved_names = {pin[0] for pin in map(_exact_pin, moved) if pin is not None}
    left = [
        f"{name}=={version}" for name, version in (p for p in pins if p) if name not in moved_names
    ]
    notes: list[tuple[Severity, str]] = []
    core = next((pin for pin in left if pin.startswith("pydantic-core==")), None)
    if "pydantic" in moved_names and core is not None:
        notes.append(
            (
                Severity.ERROR,
                f"`{core}` is the build the old pydantic pinned exactly: with the new pydantic "
                "pin this file cannot install; re-freeze it",
            )
        )
    others = [pin for pin in left if pin != core]
    if others:
        shown = ", ".join(f"`{pin}`" for pin in others[:6])
        more = f" and {len(others) - 6} more" if len(others) > 6 else ""
        notes.append(
            (
                Severity.WARNING,
                f"a frozen requirements file: {shown}{more} were resolved for the old fastmcp "
                "and may conflict with the new pins; re-freeze it (`uv pip compile`, "
                "`pip-compile`, or `pip freeze` in a fresh venv) and test before deploying",
            )
        )
    return notes


def is_fastmcp(text: str) -> bool:
    try:
        return canonicalize_name(Requirement(text).name) in FASTMCP_DISTRIBUTIONS
    except InvalidRequirement:
        return False


def rewrite_strings(
    items: list[str], step: StepName, needs: Needs, notes: list[tuple[Severity, str]]
) -> tuple[list[str], bool]:
    """A dependency list (pyproject array, fastmcp.json) after the upgrade, with the
    py-key-value-aio requirement appended after fastmcp when it is needed."""
    new = [rewrite_requirement(item, step, needs, notes) for item in items]
    has_fastmcp = any(is_fastmcp(item) for item in items)
    if has_fastmcp and needs.key_value_extras and step != "2.14" and not declares(items, KEY_VALUE):
        new.append(key_value_requirement(needs))
    return new, new != items


Rewriter = Callable[[str], str]
