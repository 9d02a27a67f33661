"""One dumped FastMCP release (``data/fastmcp-<version>.json[.gz]``), parsed, with the
indexes and per-release lookups :class:`~fastmcp_kit.apisurface.ApiSurface` combines.

Most of a dump (a class's members, the functions) is read by few runs, so those two
sections are parsed entry by entry on first use: the dump script writes one entry per
line (``tests/test_apisurface.py`` keeps the shipped files in that layout), and
:func:`parse_dump` keeps each entry's JSON text until it is asked for.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from functools import cached_property
from typing import Any

from fastmcp_kit.apisurface.members import ClassInfo, Member, parse_member

__all__ = ["Layer", "parse_dump"]

_LAZY_SECTIONS = ("functions", "members")
_DECODER = json.JSONDecoder()


class _LazyEntries(Mapping[str, Any]):
    """A section's entries, each parsed from its JSON text on first access."""

    def __init__(self, raw: Mapping[str, str], parsed: Mapping[str, Any] | None = None) -> None:
        self._raw = raw
        self._parsed: dict[str, Any] = dict(parsed or {})

    def __getitem__(self, key: str) -> Any:
        try:
            return self._parsed[key]
        except KeyError:
            value = json.loads(self._raw[key])
            self._parsed[key] = value
            return value

    def __contains__(self, key: object) -> bool:
        return key in self._raw or key in self._parsed

    def __iter__(self) -> Iterator[str]:
        return iter(self._raw or self._parsed)

    def __len__(self) -> int:
        return len(self._raw or self._parsed)


def parse_dump(text: str) -> dict[str, Any]:
    """A dump's data, with the ``members`` and ``functions`` sections parsed lazily (any
    other layout is parsed whole)."""
    kept: list[str] = []
    lazy: dict[str, dict[str, str]] = {}
    section: str | None = None
    try:
        for line in text.splitlines():
            if section is not None:
                if line in ("}", "},"):
                    kept.append(f'"{section}": {{}}{line[1:]}')
                    section = None
                    continue
                key, end = _DECODER.raw_decode(line)
                value = line[end:].removeprefix(": ").removesuffix(",")
                lazy[section][key] = value
                continue
            for name in _LAZY_SECTIONS:
                if line == f'"{name}": {{':
                    section = name
                    lazy[name] = {}
                    break
            else:
                kept.append(line)
        data: dict[str, Any] = json.loads("\n".join(kept))
    except (ValueError, TypeError):
        data = json.loads(text)
        return data
    for name, entries in lazy.items():
        data[name] = _LazyEntries(entries)
    return data


class Layer:
    """One dumped release, with indexes built on first use."""

    def __init__(self, release: str, data: Mapping[str, Any]) -> None:
        self.release = release
        self.modules: Mapping[str, Mapping[str, Any]] = data.get("modules", {})
        self.failed: Mapping[str, Mapping[str, Any]] = data.get("failed", {})
        self.classes: Mapping[str, Mapping[str, Any]] = data.get("classes", {})
        self.members: Mapping[str, Mapping[str, Any]] = data.get("members", {})
        self.functions: Mapping[str, Mapping[str, Any]] = data.get("functions", {})
        self.decorators: Mapping[str, Mapping[str, str]] = data.get("decorator_returns", {})
        self.distributions: Mapping[str, str] = data.get("distributions", {})
        self._found: dict[tuple[str, str], tuple[bool | None, Member | None]] = {}
        self._infos: dict[str, ClassInfo | None] = {}

    @cached_property
    def class_paths(self) -> Mapping[str, str]:
        """Every public path of a recorded class -> its defining path."""
        return _aliases(self.classes)

    @cached_property
    def function_paths(self) -> Mapping[str, str]:
        """Every public path of a recorded function -> its defining path."""
        return _aliases(self.functions)

    @cached_property
    def children(self) -> Mapping[str, frozenset[str]]:
        found: dict[str, set[str]] = {}
        for module in (*self.modules, *self.failed):
            parent, _, child = module.rpartition(".")
            if parent:
                found.setdefault(parent, set()).add(child)
        return {parent: frozenset(names) for parent, names in found.items()}

    def has_name(self, module: str, name: str) -> bool | None:
        if name in self.children.get(module, ()):
            return True
        entry = self.modules.get(module)
        if entry is None:
            return None
        if entry.get("getattr") == "open":
            return None
        return (
            name in entry.get("exports", ())
            or name in entry.get("other", ())
            or name in entry.get("lazy", ())
        )

    # -- classes and members -----------------------------------------------------------

    def class_path(self, qualified_name: str) -> str | None:
        """The defining path of a class given any public path of it, or the defining path
        of a class recorded only for its members (a base class, ``mcp_types._types.Tool``)."""
        path = self.class_paths.get(qualified_name)
        if path is None and qualified_name in self.members:
            path = qualified_name
        return path

    def class_info(self, qualified_name: str) -> ClassInfo | None:
        if qualified_name not in self._infos:
            path = self.class_path(qualified_name)
            info = None
            if path is not None and path in self.members:
                info = ClassInfo.from_entry(path, self.members[path])
            self._infos[qualified_name] = info
        return self._infos[qualified_name]

    def find_member(self, qualified_class: str, name: str) -> tuple[bool | None, Member | None]:
        """``(True, member)`` when the class has it (its own or inherited); ``(False,
        None)`` when it lacks it; ``(None, None)`` when this dump cannot tell (the class
        is not recorded, serves attributes dynamically, or has an unrecorded base)."""
        key = (qualified_class, name)
        if key not in self._found:
            self._found[key] = self._find_member(qualified_class, name)
        return self._found[key]

    def _find_member(self, qualified_class: str, name: str) -> tuple[bool | None, Member | None]:
        info = self.class_info(qualified_class)
        if info is None:
            return None, None
        complete = True
        for owner in (info.path, *info.mro):
            entry = self.members.get(owner)
            if entry is None:
                complete = False
                continue
            encoded = entry.get("own", {}).get(name)
            if encoded is not None:
                return True, parse_member(owner, name, encoded)
        if info.dynamic or not complete:
            return None, None
        return False, None

    def member_names(self, qualified_class: str) -> frozenset[str]:
        """The names of :meth:`class_members`, without parsing the members."""
        info = self.class_info(qualified_class)
        if info is None:
            return frozenset()
        owners = (info.path, *info.mro)
        return frozenset(n for o in owners for n in self.members.get(o, {}).get("own", {}))

    def class_members(self, qualified_class: str) -> dict[str, Member]:
        """Every public member of the class, inherited ones included."""
        info = self.class_info(qualified_class)
        if info is None:
            return {}
        found: dict[str, Member] = {}
        for owner in reversed((info.path, *info.mro)):
            for name, encoded in self.members.get(owner, {}).get("own", {}).items():
                found[name] = parse_member(owner, name, encoded)
        return found

    def function(self, qualified_name: str) -> Member | None:
        path = self.function_paths.get(qualified_name)
        if path is None:
            return None
        module, _, name = path.rpartition(".")
        return parse_member(module, name, self.functions[path]["def"], function=True)


def _aliases(section: Mapping[str, Mapping[str, Any]]) -> Mapping[str, str]:
    """Every public path of an entry (its own and its ``also`` list) -> its own."""
    index: dict[str, str] = {}
    for path in section:
        index[path] = path
        name = path.rpartition(".")[2]
        for where in section[path].get("also", ()):
            module, _, alias = where.partition(":")
            index[f"{module}.{alias or name}"] = path
    return index
