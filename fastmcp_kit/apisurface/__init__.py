"""The public API of real FastMCP releases, version by version.

``data/fastmcp-<version>.json`` (``.json.gz`` when large) is produced by
``scripts/dump_api_surface.py``, which installs each release in a throwaway venv and
imports every public module under ``fastmcp``. Nothing here imports fastmcp: rules ask
"does ``fastmcp.server.sessions`` exist in 3.4?" or "does ``Context.get_state`` take
``default=``?" without a FastMCP installation.

Loading is lazy and cached: importing this module reads no data; the first
:func:`surface_for` call for a release parses its file once per process (a class's
members and the functions only when first asked for: :mod:`.layer`).

**What a surface answers** (:class:`ApiSurface`; every class or function may be named by
any public path, ``fastmcp.Context`` or ``fastmcp.server.context.Context``)::

    surface = surface_for("4.1.2")
    surface.has_module("fastmcp.server.proxy")           # False (gone in 4.0)
    surface.has_name("fastmcp", "Client")                # True / False / None (unknown)
    surface.resolve("fastmcp.Client")                    # its defining path
    surface.signature("fastmcp.FastMCP")                 # constructor, method or function
    surface.member("fastmcp.Context", "info")            # Member(kind="method", ...)
    surface.has_member("fastmcp.Context", "sample")      # False in 4.x
    surface.class_members("fastmcp.Client")              # name -> Member, inherited too
    surface.class_info("fastmcp.Client")                 # MRO, protocols, dynamic
    surface.is_subclass(path, "fastmcp.server.middleware.Middleware")
    surface.function("fastmcp.server.dependencies.get_http_headers")  # Member
    surface.decorator_returns("tool")                    # "function" (3.x+) or a class path
    member_history("fastmcp.Context", "sample").removed_in   # "4.0.0"
    function_history(path).present                       # the dumped releases having it

A :class:`Member` (:mod:`.members`) is a method, property, attribute or function of one
release: ``kind``; ``owner`` (the class defining it, a base class for an inherited member;
a function's module); ``flavour`` for callables (``def``, ``async def``, ``async gen``,
``gen``, ``acm`` for ``@asynccontextmanager``, ``cm``) with ``is_async`` (a call must be
awaited), ``is_async_generator``, ``is_async_context_manager``...; ``binding``
(``classmethod``, ``staticmethod``); ``signature`` (:class:`Signature`: parameter kinds,
defaults, ``required``, ``max_positional``, ``accepts_keyword``); ``returns``, the type
that using it gives as annotation text with qualified names (a method's return
annotation, awaited type for ``async def``; a property's getter; an attribute's declared
type): ``list[mcp_types._types.Tool]``, ``fastmcp.server.server.FastMCP | None``. A class
an annotation names is recorded too (``starlette.requests.Request``), so the type of an
expression can be followed from member to member. Members cover every public class
defined under ``fastmcp`` (and the py-key-value stores), their bases (pydantic's
``BaseModel``, ``Exception``...) and the classes their annotations name: methods,
properties, class-level annotations, pydantic fields, class values and ``self.x = ...``
in the class's methods; public names only.

**"Missing" is a claim only** :meth:`ApiSurface.has_member` **makes** (and ``has_name``,
``has_module`` for imports): it says None (unknown) for a class no dump records, a class
serving attributes dynamically (``__getattr__``, pydantic ``extra="allow"``), a class with
an unrecorded base, and, on an open-ended surface (step 6 below), a member the newest
dump lacks that no older dump had. ``member()``/``function()`` returning None means "no
data", never "missing". A union surface (steps 2 and 5) has whatever either dump has,
with merged signatures.

**Which dump a target version uses** (:func:`surface_for`). Dumped releases are few (for
each minor line that has dumps, its newest release and perhaps an earlier one), so a
target usually falls between two of them:

1. the target itself when it was dumped;
2. else, when its ``major.minor`` has dumps both below and above it, the *union* of the
   nearest two (4.1.5 -> 4.1.2 + 4.1.7, 4.0.7 -> 4.0.0 + 4.0.11): a name counts as
   missing only when both lack it, a keyword as unknown only when neither accepts it
   (patch releases add APIs, so whatever the upper one has may already be there);
3. else the nearest dump *above* it in the same ``major.minor`` (2.14.3 -> 2.14.7,
   4.2.0 -> 4.2.3): patch releases add APIs but do not remove them, while the previous
   line (2.13) lacks what the minor release introduced and would make rules report
   correct code;
4. else the nearest dump *below* it in the same ``major.minor``, when the target is not
   newer than every dump (3.4.12, were it released, -> 3.4.11: 4.x is dumped, so step 6
   does not apply);
5. else, for a ``major.minor`` with no dump (3.2), the *union* of the nearest dumps below
   and above it in the same major (3.0.2 + 3.4.10); when the major has dumps on one
   side only, the nearest of them (2.12 -> 2.13.3, 3.5 -> 3.4.11);
6. else, a target **newer than the newest dump** (4.2.5, 4.9.0, 5.0.0 while 4.2.3 is the
   newest: :func:`is_beyond_data`) gets the newest dump *open-ended*
   (:attr:`ApiSurface.open_ended`): a module, name or keyword the newest dump lacks is
   reported as missing only when an older dump had it, i.e. its removal is known
   (``fastmcp.server.proxy``, gone in 4.0; ``FastMCP(host=)``, gone in 3.0). Anything
   else the newest dump lacks may have been added since, so it is unknown, never
   missing;
7. else (a major without dumps, older than the newest dump) the nearest dump below it,
   else the oldest dump.

Rules that use the surface are restricted to ``>=2.13`` (the oldest dump), so step 7
only matters for direct callers. ``tests/test_release_data.py`` keeps the dumps, the
release list (:data:`fastmcp_kit.versions.KNOWN_RELEASES`) and the rules' version ranges
consistent; ``scripts/refresh_fastmcp_data.py`` refreshes the dumps when FastMCP releases.
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Sequence
from functools import cache
from importlib import resources
from typing import Any

from packaging.version import InvalidVersion, Version

from fastmcp_kit.apisurface.layer import Layer, parse_dump
from fastmcp_kit.apisurface.members import ClassInfo, History, Member, MemberKind
from fastmcp_kit.apisurface.signature import Param, ParamKind, Signature
from fastmcp_kit.apisurface.surface import ApiSurface, ImportSuggestion, KeywordSuggestion

__all__ = [
    "ApiSurface",
    "ClassInfo",
    "History",
    "ImportSuggestion",
    "KeywordSuggestion",
    "Member",
    "MemberKind",
    "Param",
    "ParamKind",
    "Signature",
    "describe_releases",
    "dumped_releases",
    "function_history",
    "is_beyond_data",
    "member_history",
    "newest_dumped_release",
    "surface_for",
    "version_label",
]

_DATA_FILE = re.compile(r"^fastmcp-(?P<version>[0-9][0-9A-Za-z.+-]*)\.json(?:\.gz)?$")


# -- loading and version selection ------------------------------------------------------


def _data_dir() -> Any:
    return resources.files(__name__).joinpath("data")


@cache
def dumped_releases() -> tuple[str, ...]:
    """The releases with a dump shipped in ``data/``, oldest first."""
    found: list[Version] = []
    for entry in _data_dir().iterdir():
        match = _DATA_FILE.match(entry.name)
        if match:
            try:
                found.append(Version(match["version"]))
            except InvalidVersion:
                continue
    return tuple(str(v) for v in sorted(set(found)))


@cache
def _layer(release: str) -> Layer:
    directory = _data_dir()
    plain = directory.joinpath(f"fastmcp-{release}.json")
    if plain.is_file():
        text = plain.read_text(encoding="utf-8")
    else:
        text = gzip.decompress(directory.joinpath(f"{plain.name}.gz").read_bytes()).decode()
    return Layer(release, parse_dump(text))


def select_releases(target: Version | str, dumped: Sequence[str] | None = None) -> tuple[str, ...]:
    """The dumped release(s) standing in for ``target`` (the rules in the module doc; a
    target beyond the data gets the newest dump, open-ended: :func:`is_beyond_data`)."""
    version = target if isinstance(target, Version) else Version(str(target))
    releases = sorted(Version(v) for v in (dumped if dumped is not None else dumped_releases()))
    if not releases:
        raise LookupError("no API surface dumps are installed")
    if version in releases:  # 1
        return (str(version),)
    line = [v for v in releases if v.release[:2] == version.release[:2]]
    below = [v for v in line if v < version]
    above = [v for v in line if v > version]
    if below and above:  # 2
        return (str(below[-1]), str(above[0]))
    if above:  # 3
        return (str(above[0]),)
    if version > releases[-1]:  # 6
        return (str(releases[-1]),)
    if below:  # 4
        return (str(below[-1]),)
    major = [v for v in releases if v.major == version.major]
    lower = [v for v in major if v < version]
    upper = [v for v in major if v > version]
    if lower and upper:  # 5
        return (str(lower[-1]), str(upper[0]))
    if major:
        return (str((lower or upper)[-1 if lower else 0]),)
    older = [v for v in releases if v < version]  # 7 (a major without dumps)
    return (str(older[-1] if older else releases[0]),)


def newest_dumped_release() -> Version:
    """The newest FastMCP release whose API fkit ships (a CLI notice names it)."""
    releases = dumped_releases()
    if not releases:
        raise LookupError("no API surface dumps are installed")
    return Version(releases[-1])


def is_beyond_data(target: Version | str) -> bool:
    """Is ``target`` newer than every dumped release? Its surface is then open-ended:
    names and keywords are reported as missing only when their removal is known."""
    version = target if isinstance(target, Version) else Version(str(target))
    return version > newest_dumped_release()


@cache
def _surface(releases: tuple[str, ...], open_ended: bool = False) -> ApiSurface:
    layers = [_layer(release) for release in releases]
    if not open_ended:
        return ApiSurface(layers)
    newest = Version(releases[-1])
    older = [_layer(r) for r in dumped_releases() if Version(r) < newest]
    return ApiSurface(layers, older=older)


def surface_for(version: Version | str) -> ApiSurface:
    """The API surface to check code targeting ``version`` against (cached)."""
    return _surface(select_releases(version), is_beyond_data(version))


def version_label(target: Version, surface: ApiSurface) -> str:
    """``FastMCP 4.1.2``; ``FastMCP 4.1.5 (as fkit knows 4.1.2 and 4.1.7)`` when other dumps
    stand in; ``FastMCP 4.9.0 (newest API fkit knows: 4.2.3)`` beyond the data."""
    if surface.release == str(target):
        return f"FastMCP {target}"
    if surface.open_ended:
        return f"FastMCP {target} (newest API fkit knows: {surface.release})"
    return f"FastMCP {target} (as fkit knows {' and '.join(surface.releases)})"


def describe_releases(having: Sequence[str]) -> str:
    """``3.4.10 to 4.1.2`` for consecutive dumped releases, else ``2.13.3, 4.1.2``."""
    releases = dumped_releases()
    if not having:
        return ""
    first, last = releases.index(having[0]), releases.index(having[-1])
    if len(having) > 1 and len(having) == last - first + 1:
        return f"{having[0]} to {having[-1]}"
    return ", ".join(having)


# -- across releases --------------------------------------------------------------------


def member_history(qualified_class: str, name: str) -> History:
    """Whether each dumped release's class has the member (:meth:`ApiSurface.has_member`):
    ``member_history("fastmcp.Context", "sample").removed_in == "4.0.0"``."""
    return History(
        tuple(
            (release, surface_for(release).has_member(qualified_class, name))
            for release in dumped_releases()
        )
    )


def function_history(qualified_name: str) -> History:
    """Whether each dumped release has the module-level function (False when its module
    exists without it, None when the module does not exist either)."""
    module = qualified_name.rpartition(".")[0]
    found: list[tuple[str, bool | None]] = []
    for release in dumped_releases():
        surface = surface_for(release)
        if surface.function(qualified_name) is not None:
            found.append((release, True))
        else:
            found.append((release, False if surface.has_module(module) else None))
    return History(tuple(found))
