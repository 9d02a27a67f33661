"""Members of FastMCP's classes, module-level functions and the history of both across the
dumped releases: the types :class:`~fastmcp_kit.apisurface.ApiSurface` hands out.

The dumps store one member as one string (``scripts/dump_api_members.py`` writes them,
:func:`parse_member` reads them back)::

    def(a, b=, /, c=, *args, d, e=, **kw) -> T    async def(...) -> T    async gen(...) -> T
    gen(...) -> T    acm(...) -> T    cm(...) -> T    classmethod def(...)    staticmethod ...
    property -> T    attr: T

where the parameters are signature tokens (``...`` when the signature could not be read)
and ``T`` is the annotation as Python text with qualified names
(``list[fastmcp.tools.base.Tool]``, ``str | None``; see ``scripts/dump_api_annotations.py``).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from fastmcp_kit.apisurface.signature import Signature

__all__ = [
    "ClassInfo",
    "Flavour",
    "History",
    "Member",
    "MemberKind",
    "parse_member",
]

MemberKind = Literal["method", "property", "attribute", "function"]
# How calling a method or function behaves: "def" returns its value; "async def" returns
# an awaitable; "async gen" is iterated with `async for`; "gen" with `for`; "acm" and
# "cm" are @asynccontextmanager/@contextmanager functions (`async with` / `with`).
Flavour = Literal["def", "async def", "async gen", "gen", "acm", "cm"]
Binding = Literal["instance", "classmethod", "staticmethod"]

_CALLABLE = re.compile(
    r"^(?:(?P<binding>classmethod|staticmethod) )?"
    r"(?P<flavour>def|async def|async gen|gen|acm|cm)"
    r"\((?P<params>[^)]*)\)(?: -> (?P<returns>.+))?$"
)
_PROPERTY = re.compile(r"^property(?: -> (?P<returns>.+))?$")
_ATTRIBUTE = re.compile(r"^attr(?:: (?P<returns>.+))?$")


@dataclass(frozen=True)
class Member:
    """A method, property or attribute of a class, or a module-level function.

    ``returns`` is what using the member gives, as annotation text (None: not annotated):
    a method's or function's return annotation (for ``async def``, the awaited value's
    type), a property getter's return annotation, an attribute's declared type.
    """

    name: str
    # The class that defines it (a base class for an inherited member), or the module
    # of a function; always the defining path, whatever path it was looked up by.
    owner: str
    kind: MemberKind
    flavour: Flavour | None = None  # methods and functions only
    binding: Binding = "instance"
    signature: Signature | None = None  # None: a property, an attribute, or unreadable
    returns: str | None = None

    @property
    def qualified_name(self) -> str:
        return f"{self.owner}.{self.name}"

    @property
    def is_callable(self) -> bool:
        """A method or function (properties and attributes are not called)."""
        return self.flavour is not None

    @property
    def is_async(self) -> bool:
        """A coroutine function: a call must be awaited."""
        return self.flavour == "async def"

    @property
    def is_async_generator(self) -> bool:
        """An async generator function: its result is iterated with ``async for``."""
        return self.flavour == "async gen"

    @property
    def is_async_context_manager(self) -> bool:
        """An ``@asynccontextmanager``: its result is entered with ``async with``."""
        return self.flavour == "acm"

    @property
    def is_context_manager(self) -> bool:
        """A ``@contextmanager``: its result is entered with ``with``."""
        return self.flavour == "cm"

    @property
    def is_classmethod(self) -> bool:
        return self.binding == "classmethod"

    @property
    def is_staticmethod(self) -> bool:
        return self.binding == "staticmethod"


def parse_member(owner: str, name: str, encoded: str, *, function: bool = False) -> Member:
    """A :class:`Member` from the dump's string (module doc)."""
    match = _CALLABLE.match(encoded)
    if match is not None:
        params = match["params"]
        signature = None
        if params != "...":
            tokens = params.split(", ") if params else []
            signature = Signature.from_tokens(f"{owner}.{name}", tokens)
        binding: Binding = "instance"
        if match["binding"] == "classmethod":
            binding = "classmethod"
        elif match["binding"] == "staticmethod":
            binding = "staticmethod"
        return Member(
            name,
            owner,
            "function" if function else "method",
            match["flavour"],  # type: ignore[arg-type]  # the regex admits only Flavours
            binding,
            signature,
            match["returns"],
        )
    match = _PROPERTY.match(encoded)
    if match is not None:
        return Member(name, owner, "property", returns=match["returns"])
    match = _ATTRIBUTE.match(encoded)
    return Member(name, owner, "attribute", returns=match["returns"] if match else None)


@dataclass(frozen=True)
class ClassInfo:
    """What a dump records about a class besides its members."""

    path: str  # its defining path
    # Its bases in method resolution order, without itself and ``object``.
    mro: tuple[str, ...] = ()
    # Protocols it implements (inherited dunders count): "async_cm" (``__aenter__``:
    # ``async with``), "cm", "async_iter", "iter", "awaitable" (``__await__``), "callable",
    # "subscript" (``__getitem__``: ``obj[0]``).
    protocols: frozenset[str] = frozenset()
    # It serves attributes it does not declare (a FastMCP ``__getattr__``, or a pydantic
    # model with ``extra="allow"``): a missing member cannot be told.
    dynamic: bool = False

    @property
    def is_async_context_manager(self) -> bool:
        return "async_cm" in self.protocols

    @property
    def is_context_manager(self) -> bool:
        return "cm" in self.protocols

    @property
    def is_subscriptable(self) -> bool:
        return "subscript" in self.protocols

    @classmethod
    def from_entry(cls, path: str, entry: Mapping[str, Any]) -> ClassInfo:
        return cls(
            path,
            tuple(entry.get("mro", ())),
            frozenset(entry.get("protocols", ())),
            bool(entry.get("dynamic")),
        )


@dataclass(frozen=True)
class History:
    """Where a member (or function) exists across every dumped release, oldest first:
    True (it does), False (its owner exists and lacks it), None (the owner does not
    exist in that release, or the dump cannot tell)."""

    releases: tuple[tuple[str, bool | None], ...]

    @property
    def present(self) -> tuple[str, ...]:
        return tuple(release for release, has in self.releases if has is True)

    @property
    def absent(self) -> tuple[str, ...]:
        return tuple(release for release, has in self.releases if has is False)

    @property
    def added_in(self) -> str | None:
        """The dumped release that has it after one that lacked it (``3.0.2`` for
        ``FastMCP.list_tools``; the latest such change if it came and went); None when
        the oldest dump that can tell has it already."""
        return _last_change(self._known(), to=True)

    @property
    def removed_in(self) -> str | None:
        """The first dumped release that lacks it after one that had it, when no later
        release has it again (``4.0.0`` for ``Context.sample``)."""
        known = self._known()
        change = _last_change(known, to=False)
        if change is None:
            return None
        later = [has for release, has in known if _after(release, change, known)]
        return None if any(later) else change

    def _known(self) -> Sequence[tuple[str, bool]]:
        return [(release, has) for release, has in self.releases if has is not None]


def _last_change(known: Sequence[tuple[str, bool]], *, to: bool) -> str | None:
    """The release where the value last turned ``to``."""
    found = None
    for (_, before), (release, now) in itertools.pairwise(known):
        if before is (not to) and now is to:
            found = release
    return found


def _after(release: str, change: str, known: Sequence[tuple[str, bool]]) -> bool:
    order = [r for r, _ in known]
    return order.index(release) > order.index(change)
