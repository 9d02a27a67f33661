"""The FastMCP and ``mcp`` SDK versions a project runs, and where fkit read them.

What runs is what the lock records; without a lock, an exact pin; without one, the
newest release the declared range admits (what a fresh install gets). A lock older
than its range leaves a *forward* set of versions: what a fresh install or
``uv lock --upgrade`` would bring. Code that works today but breaks there is a
forward hazard, reported apart from errors.

A project that declares or locks ``mcp`` and not standalone ``fastmcp`` is SDK-only:
no standalone-FastMCP rule applies to it. One that declares neither is linted for
the newest FastMCP release, and says so.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from packaging.specifiers import SpecifierSet
from packaging.version import Version

from fastmcp_kit.dependencies import FASTMCP, MCP, Declared, declared, requirement_specs
from fastmcp_kit.errors import FkitError
from fastmcp_kit.inline_script import script_lock
from fastmcp_kit.locks import Locked, locked, version_in_lock
from fastmcp_kit.sdk_releases import (
    mcp_required_by,
    newest_mcp,
    oldest_major_range,
    required_mcp_range,
)
from fastmcp_kit.versions import NEWEST, newest_matching, parse_target

NOT_DECLARED = "not declared; the newest known release"
NOT_DECLARED_SDK = "not declared; the newest 1.x release"


@dataclass(frozen=True)
class Target:
    """A version to lint for, and where it came from (shown to users)."""

    version: Version
    source: str

    def describe(self, name: str = "FastMCP") -> str:
        return f"{name} {self.version} ({self.source})"


@dataclass(frozen=True)
class ProjectVersions:
    """What a project runs. ``fastmcp`` is None for an SDK-only project, ``mcp`` when
    neither the project nor its FastMCP release brings the SDK."""

    fastmcp: Target | None
    mcp: Target | None
    # What a fresh install of the declared ranges would run, when that is a newer
    # release line than what runs; the requirement that admits it, as declared.
    forward: ProjectVersions | None = None
    admitted_by: str = ""

    @property
    def declared(self) -> bool:
        """Whether the project says which FastMCP it uses (False: assumed newest)."""
        return self.fastmcp is None or self.fastmcp.source != NOT_DECLARED

    def describe(self) -> str:
        if self.fastmcp is None:
            sdk = self.mcp.describe("mcp") if self.mcp is not None else "the MCP SDK"
            return f"{sdk}; SDK-only, so no standalone-FastMCP rules"
        if self.mcp is None:
            return self.fastmcp.describe()
        return f"{self.fastmcp.describe()}, {self.mcp.describe('mcp')}"


def _first_range(found: Sequence[Declared]) -> Declared | None:
    """The requirement that decides: the first that says anything about versions."""
    return next((d for d in found if d.spec), found[0] if found else None)


def _from_declared(
    requirement: Declared, newest: Any, required: SpecifierSet | None = None
) -> Target | None:
    exact = requirement.exact
    if exact is not None:
        return Target(exact, f"{requirement.source} ({requirement.spec})")
    spec = requirement.spec & required if required is not None else requirement.spec
    found = newest(spec)
    if found is None:
        return None
    shown = str(requirement.spec) or "any version"
    return Target(found, f"{requirement.source} ({shown})")


def _major_minor(target: Target | None) -> tuple[int, ...] | None:
    return None if target is None else target.version.release[:2]


@dataclass(frozen=True)
class _Facts:
    """What one project's files say about both distributions."""

    fastmcp: Declared | None
    mcp: Declared | None
    fastmcp_lock: Locked | None
    mcp_lock: Locked | None

    @property
    def says_anything(self) -> bool:
        return any((self.fastmcp, self.mcp, self.fastmcp_lock, self.mcp_lock))

    def versions(self, use_locks: bool) -> ProjectVersions:
        fastmcp_lock = self.fastmcp_lock if use_locks else None
        mcp_lock = self.mcp_lock if use_locks else None
        fastmcp: Target | None
        if fastmcp_lock is not None:
            fastmcp = Target(fastmcp_lock.version, fastmcp_lock.source)
        elif self.fastmcp is not None:
            fastmcp = _from_declared(self.fastmcp, newest_matching) or Target(
                NEWEST, f"{self.fastmcp.source} ({self.fastmcp.spec}: no known release matches)"
            )
        elif self.mcp is not None or self.mcp_lock is not None:
            fastmcp = None  # SDK-only
        else:
            fastmcp = Target(NEWEST, NOT_DECLARED)
        mcp: Target | None = None
        required = None if fastmcp is None else required_mcp_range(fastmcp.version)
        if mcp_lock is not None:
            mcp = Target(mcp_lock.version, mcp_lock.source)
        elif self.mcp is not None:
            if use_locks and self.fastmcp is None:
                # What runs in an SDK-only project: the SDK line its range started on.
                floor = oldest_major_range(self.mcp.spec)
                required = floor if required is None else required & floor
            mcp = _from_declared(self.mcp, newest_mcp, required)
        if mcp is None and fastmcp is not None and fastmcp.source == NOT_DECLARED:
            # Nothing declared: code importing the SDK's own FastMCP was written for 1.x
            # (SDK 2 renamed it), so SDK rules judge it as 1.x, not as FastMCP 4's 2.x.
            undeclared = newest_mcp(SpecifierSet("<2"))
            mcp = None if undeclared is None else Target(undeclared, NOT_DECLARED_SDK)
        if mcp is None and fastmcp is not None:
            implied = mcp_required_by(fastmcp.version)
            if implied is not None:
                mcp = Target(implied, f"required by FastMCP {fastmcp.version}")
        return ProjectVersions(fastmcp, mcp)


def read_facts(root: Path, pyproject: Mapping[str, Any], boundary: Path | None) -> _Facts:
    fastmcp = _first_range(declared(root, pyproject, FASTMCP))
    mcp = _first_range(declared(root, pyproject, MCP))
    return _Facts(
        fastmcp,
        mcp,
        locked(root, FASTMCP, boundary, fastmcp.spec if fastmcp else None),
        locked(root, MCP, boundary, mcp.spec if mcp else None),
    )


def script_facts(script: Path, requirements: Sequence[str]) -> _Facts:
    """What a PEP 723 script block declares, and its ``uv lock --script`` lock."""
    shown = f"{script.name} inline metadata"
    lock = script_lock(script)

    def facts_for(names: frozenset[str]) -> tuple[Declared | None, Locked | None]:
        found = _first_range(
            [Declared(spec, shown) for spec in requirement_specs(requirements, names)]
        )
        version = (
            None if lock is None else version_in_lock(lock, names, found.spec if found else None)
        )
        return found, None if version is None else Locked(version, lock.name if lock else "")

    fastmcp, fastmcp_lock = facts_for(FASTMCP)
    mcp, mcp_lock = facts_for(MCP)
    return _Facts(fastmcp, mcp, fastmcp_lock, mcp_lock)


def resolve_versions(facts: _Facts) -> ProjectVersions:
    """What runs, with the forward set when the declared ranges admit a newer line."""
    running = facts.versions(use_locks=True)
    fresh = facts.versions(use_locks=False)
    moved = [
        (name, requirement)
        for name, requirement, now, then in (
            ("fastmcp", facts.fastmcp, running.fastmcp, fresh.fastmcp),
            ("mcp", facts.mcp, running.mcp, fresh.mcp),
        )
        if requirement is not None
        and now is not None
        and then is not None
        and _major_minor(then) is not None
        and then.version.release[:2] > now.version.release[:2]
    ]
    if not moved:
        return running
    name, requirement = moved[0]
    return replace(running, forward=fresh, admitted_by=f"{name}{requirement.spec}")


def explicit_version(value: object, source: str) -> Target:
    """``--fastmcp-version`` or ``[tool.fkit] fastmcp-version``, validated."""
    if not isinstance(value, str):
        raise FkitError(f'{source} must be a string such as "4.1", not {value!r}')
    try:
        return Target(parse_target(value), source)
    except ValueError as exc:
        raise FkitError(f"{source}: {exc}") from None


def with_explicit_fastmcp(versions: ProjectVersions, target: Target) -> ProjectVersions:
    """The project's versions with FastMCP chosen by the user: the SDK follows it
    unless the project pins or locks ``mcp`` itself; nothing is forward."""
    mcp = versions.mcp
    if mcp is None or mcp.source.startswith(("required by FastMCP", "not declared")):
        implied = mcp_required_by(target.version)
        mcp = None if implied is None else Target(implied, f"required by FastMCP {target.version}")
    return ProjectVersions(target, mcp)
