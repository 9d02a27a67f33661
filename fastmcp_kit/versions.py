"""FastMCP release versions and how a project's requirement picks one.

A project usually states a *range* (``fastmcp>=2.14,<3``); what it runs is the newest
release in that range, so that is the version fkit lints for. ``KNOWN_RELEASES`` is
the list of final releases on PyPI when this fkit was released.
"""

from __future__ import annotations

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import InvalidVersion, Version

KNOWN_RELEASES: tuple[str, ...] = (
    "2.0.0",
    "2.1.0",
    "2.1.1",
    "2.1.2",
    "2.2.0",
    "2.2.1",
    "2.2.2",
    "2.2.3",
    "2.2.4",
    "2.2.5",
    "2.2.6",
    "2.2.7",
    "2.2.8",
    "2.2.9",
    "2.2.10",
    "2.3.0",
    "2.3.1",
    "2.3.2",
    "2.3.3",
    "2.3.4",
    "2.3.5",
    "2.4.0",
    "2.5.0",
    "2.5.1",
    "2.5.2",
    "2.6.0",
    "2.6.1",
    "2.7.0",
    "2.7.1",
    "2.8.0",
    "2.8.1",
    "2.9.0",
    "2.9.1",
    "2.9.2",
    "2.10.0",
    "2.10.1",
    "2.10.2",
    "2.10.3",
    "2.10.4",
    "2.10.5",
    "2.10.6",
    "2.11.0",
    "2.11.1",
    "2.11.2",
    "2.11.3",
    "2.12.0",
    "2.12.1",
    "2.12.2",
    "2.12.3",
    "2.12.4",
    "2.12.5",
    "2.13.0",
    "2.13.0.1",
    "2.13.0.2",
    "2.13.1",
    "2.13.2",
    "2.13.3",
    "2.14.0",
    "2.14.1",
    "2.14.2",
    "2.14.3",
    "2.14.4",
    "2.14.5",
    "2.14.6",
    "2.14.7",
    "3.0.0",
    "3.0.1",
    "3.0.2",
    "3.1.0",
    "3.1.1",
    "3.2.0",
    "3.2.1",
    "3.2.2",
    "3.2.3",
    "3.2.4",
    "3.3.0",
    "3.3.1",
    "3.4.0",
    "3.4.1",
    "3.4.2",
    "3.4.3",
    "3.4.4",
    "3.4.5",
    "3.4.6",
    "3.4.7",
    "3.4.8",
    "3.4.9",
    "3.4.10",
    "3.4.11",
    "4.0.0",
    "4.0.1",
    "4.0.2",
    "4.0.3",
    "4.0.4",
    "4.0.5",
    "4.0.6",
    "4.0.7",
    "4.0.8",
    "4.0.9",
    "4.0.10",
    "4.0.11",
    "4.1.0",
    "4.1.1",
    "4.1.2",
    "4.1.3",
    "4.1.4",
    "4.1.6",
    "4.1.7",
    "4.2.3",
)
_RELEASES = tuple(Version(v) for v in KNOWN_RELEASES)
NEWEST = _RELEASES[-1]


def newest_matching(spec: SpecifierSet) -> Version | None:
    """The newest known release the specifier admits, or None."""
    matching = [v for v in _RELEASES if spec.contains(v)]
    return matching[-1] if matching else None


def check_release(version: Version) -> Version:
    """``version`` if it is a release fkit knows or could not know yet: newer than its
    data, or a newer patch of a known line (fkit's list may be older than PyPI).
    A version that never existed raises ValueError saying what does."""
    first = _RELEASES[0]
    if version < first:
        raise ValueError(f"FastMCP {version} predates {first}, the first release fkit knows")
    if version > NEWEST:
        return version
    line = [v for v in _RELEASES if v.release[:2] == version.release[:2]]
    if not line:
        same_major = [v for v in _RELEASES if v.major == version.major]
        raise ValueError(
            f"there is no FastMCP {version} release: the {version.major}.x releases are "
            f"{same_major[0]} to {same_major[-1]}"
        )
    if version.is_prerelease or version.is_postrelease:
        return version  # fkit lists final releases only
    public = Version(version.public)  # a local build (+cu121) of a release is that release
    if public in line or public > line[-1]:
        return version
    name = ".".join(str(part) for part in version.release[:2])
    raise ValueError(
        f"there is no FastMCP {version} release: the {name} releases are "
        f"{', '.join(str(v) for v in line)}"
    )


def parse_target(text: str) -> Version:
    """Read a user-given target: ``4.1.2`` exactly, ``4.1``/``4`` as the newest release
    of that line, or a specifier such as ``>=3,<4``. Raises ValueError if unreadable
    or if no such release exists (:func:`check_release`)."""
    text = text.strip()
    if not text:
        raise ValueError("empty FastMCP version")
    try:
        version = Version(text)
    except InvalidVersion:
        version = None
    if version is not None:
        if len(version.release) >= 3:
            return check_release(version)
        line = ".".join(str(part) for part in version.release)
        return newest_matching(SpecifierSet(f"=={line}.*")) or check_release(version)
    try:
        spec = SpecifierSet(text)
    except InvalidSpecifier:
        raise ValueError(f"not a FastMCP version or version range: {text!r}") from None
    found = newest_matching(spec)
    if found is None:
        raise ValueError(f"no known FastMCP release matches {text!r}")
    return found
