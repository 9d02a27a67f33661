"""The public API of real FastMCP releases, version by version.

``data/fastmcp-<version>.json`` (``.json.gz`` when large) is produced by
``scripts/dump_api_surface.py``, which installs each release in a throwaway venv and
imports every public module under ``fastmcp``. Nothing here imports fastmcp: rules ask
"does ``fastmcp.server.sessions`` exist in 3.4?" or "does ``Context.get_state`` take
``default=``?" without a FastMCP installation.

Loading is lazy and cached: importing this module reads no data; the first
:func:`surface_for` call for a release parses its file once per process.

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

import difflib
import gzip
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cache, cached_property
from importlib import resources
from typing import Any, Literal

from packaging.version import InvalidVersion, Version

from fastmcp_kit.apisurface.renames import KEYWORD_RENAMES, MOVES, KeywordRename, Move

__all__ = [
    "ApiSurface",
    "ImportSuggestion",
    "KeywordSuggestion",
    "Param",
    "Signature",
    "describe_releases",
    "dumped_releases",
    "is_beyond_data",
    "newest_dumped_release",
    "surface_for",
    "version_label",
]

ParamKind = Literal[
    "positional_only", "positional_or_keyword", "var_positional", "keyword_only", "var_keyword"
]
_DATA_FILE = re.compile(r"^fastmcp-(?P<version>[0-9][0-9A-Za-z.+-]*)\.json(?:\.gz)?$")


# -- signatures -------------------------------------------------------------------------


@dataclass(frozen=True)
class Param:
    """One parameter: its name, kind and whether it has a default (not the value)."""

    name: str
    kind: ParamKind
    has_default: bool = False


@dataclass(frozen=True)
class Signature:
    """A callable's parameters in one or more FastMCP releases."""

    qualified_name: str
    params: tuple[Param, ...]
    # FastMCP 3.x+ declares **kwargs only to raise TypeError for any keyword in it.
    kwargs_rejected: bool = False
    # FastMCP's own explanation for keywords it stopped accepting (FastMCP() in 3.x+).
    removed_kwargs: Mapping[str, str] = field(default_factory=dict)
    # For a target newer than the newest dump: keywords outside ``params`` are unknown
    # (perhaps added since) unless ``known_removed`` lists them (an older dump took them).
    open_ended: bool = False
    known_removed: frozenset[str] = frozenset()

    @property
    def keyword_names(self) -> tuple[str, ...]:
        """Names that may be passed as ``name=value``."""
        return tuple(
            p.name for p in self.params if p.kind in ("positional_or_keyword", "keyword_only")
        )

    @property
    def has_var_keyword(self) -> bool:
        """Does ``**kwargs`` accept arbitrary keywords (not just to reject them)?"""
        return not self.kwargs_rejected and any(p.kind == "var_keyword" for p in self.params)

    def accepts_keyword(self, name: str) -> bool:
        """May ``name=`` be passed? (Open-ended: yes unless its removal is known.)"""
        if self.has_var_keyword or name in self.keyword_names:
            return True
        return self.open_ended and name not in self.known_removed

    @classmethod
    def from_tokens(
        cls,
        qualified_name: str,
        tokens: Sequence[str],
        *,
        kwargs_rejected: bool = False,
        removed_kwargs: Mapping[str, str] | None = None,
    ) -> Signature:
        """Parse the dump's tokens: ``a``, ``b=``, ``/``, ``*``, ``*args``, ``**kw``."""
        params: list[Param] = []
        keyword_only = False
        for token in tokens:
            if token == "/":
                params = [
                    Param(p.name, "positional_only", p.has_default)
                    if p.kind == "positional_or_keyword"
                    else p
                    for p in params
                ]
            elif token == "*":
                keyword_only = True
            elif token.startswith("**"):
                params.append(Param(token[2:], "var_keyword"))
            elif token.startswith("*"):
                params.append(Param(token[1:], "var_positional"))
                keyword_only = True
            else:
                name, has_default = token.rstrip("="), token.endswith("=")
                kind: ParamKind = "keyword_only" if keyword_only else "positional_or_keyword"
                params.append(Param(name, kind, has_default))
        return cls(qualified_name, tuple(params), kwargs_rejected, dict(removed_kwargs or {}))

    def merged(self, other: Signature) -> Signature:
        """What either signature accepts (used for union surfaces)."""
        names = {p.name for p in self.params}
        params = (*self.params, *(p for p in other.params if p.name not in names))
        return Signature(
            self.qualified_name,
            params,
            self.kwargs_rejected and other.kwargs_rejected,
            {**other.removed_kwargs, **self.removed_kwargs},
            self.open_ended or other.open_ended,
            self.known_removed & other.known_removed,
        )


# -- suggestions ------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportSuggestion:
    """Where a missing module or name really is (in the target release)."""

    module: str | None  # None: nothing to import instead (see note)
    name: str | None = None  # the name to import from module; None for a module import
    note: str = ""
    # The replacement is the same object under another path, or the old path never
    # existed (folklore): rewriting the import cannot change behaviour.
    safe: bool = False

    def render(self) -> str:
        """``fastmcp.server.auth`` or ``fastmcp.server.auth.JWTVerifier`` (+ note)."""
        if self.module is None:
            return self.note
        target = self.module if self.name is None else f"{self.module}.{self.name}"
        return f"`{target}`" + (f" ({self.note})" if self.note else "")


@dataclass(frozen=True)
class KeywordSuggestion:
    keyword: str | None  # the keyword to use instead; None when there is none
    note: str = ""

    def render(self) -> str:
        if self.keyword is None:
            return self.note
        return f"`{self.keyword}=`" + (f" ({self.note})" if self.note else "")


# -- the surface ------------------------------------------------------------------------


class _Layer:
    """One dumped release, with indexes built on first use."""

    def __init__(self, release: str, data: Mapping[str, Any]) -> None:
        self.release = release
        self.modules: Mapping[str, Mapping[str, Any]] = data.get("modules", {})
        self.failed: Mapping[str, Mapping[str, Any]] = data.get("failed", {})
        self.classes: Mapping[str, Mapping[str, Any]] = data.get("classes", {})
        self.members: Mapping[str, Mapping[str, Any]] = data.get("members", {})
        self.distributions: Mapping[str, str] = data.get("distributions", {})

    @cached_property
    def class_paths(self) -> Mapping[str, str]:
        """Every public path of a recorded class -> its defining path."""
        index: dict[str, str] = {}
        for path, entry in self.classes.items():
            index[path] = path
            name = path.rpartition(".")[2]
            for where in entry.get("also", ()):
                module, _, alias = where.partition(":")
                index[f"{module}.{alias or name}"] = path
        return index

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


class ApiSurface:
    """The public API of one dumped FastMCP release (or the union of two, see module doc).

    With ``older`` (the dumps before the newest one) the surface is *open-ended*: it
    stands for a release newer than every dump, so what the newest dump lacks is missing
    only when an older dump had it (a known removal), and unknown otherwise.
    """

    def __init__(self, layers: Sequence[_Layer], *, older: Sequence[_Layer] | None = None) -> None:
        if not layers:
            raise ValueError("an API surface needs at least one dumped release")
        self._layers = tuple(layers)
        self._older = tuple(older) if older is not None else None

    def __repr__(self) -> str:
        suffix = ", open_ended=True" if self.open_ended else ""
        return f"ApiSurface({self.release!r}{suffix})"

    @property
    def open_ended(self) -> bool:
        """Does this surface stand for a release newer than every dump (module doc, 6)?"""
        return self._older is not None

    def _known_removed(self, recorded: Callable[[_Layer], bool]) -> bool:
        """Did an older dump have what this (newest) one lacks?"""
        return any(recorded(layer) for layer in self._older or ())

    def _reaches(self, release: str) -> bool:
        """Is any dumped release of this surface at or after ``release``?"""
        return any(Version(own) >= Version(release) for own in self.releases)

    @property
    def releases(self) -> tuple[str, ...]:
        """The dumped releases this surface is built from."""
        return tuple(layer.release for layer in self._layers)

    @property
    def release(self) -> str:
        """``4.1.2``, or ``3.0.2+3.4.10`` for a union."""
        return "+".join(self.releases)

    def distribution(self, name: str) -> str | None:
        """The version of ``mcp``, ``pydantic``, ... installed next to the dumped fastmcp."""
        return self._layers[0].distributions.get(name)

    # -- modules and names --------------------------------------------------------------

    def has_module(self, path: str) -> bool:
        """Does the module exist? Modules that fail to import only for want of an optional
        extra (``fastmcp.client.sampling.handlers.openai`` without ``openai``) exist.
        Open-ended: True unless the module's removal is known (it may have been added)."""
        if self._recorded_module(path):
            return True
        return self.open_ended and not self._known_removed(lambda layer: _records(layer, path))

    def _recorded_module(self, path: str) -> bool:
        """Is the module in the dump(s) themselves?"""
        return any(_records(layer, path) for layer in self._layers)

    def module_failure(self, path: str) -> str | None:
        """Why an existing module did not import in the dump (None if it imported)."""
        if any(path in layer.modules for layer in self._layers):
            return None
        for layer in self._layers:
            if path in layer.failed:
                return str(layer.failed[path].get("error", ""))
        return None

    def modules(self) -> frozenset[str]:
        return frozenset(m for layer in self._layers for m in (*layer.modules, *layer.failed))

    def exports(self, module: str) -> frozenset[str]:
        """The names a module exports: its ``__all__``, else its public attributes."""
        return frozenset(
            name
            for layer in self._layers
            for name in layer.modules.get(module, {}).get("exports", ())
        )

    def declares_all(self, module: str) -> bool:
        """Does the module define ``__all__`` (so its exports are deliberate)?"""
        return any(layer.modules.get(module, {}).get("all") for layer in self._layers)

    def names(self, module: str) -> frozenset[str]:
        """Every public name ``from module import <name>`` accepts (exports, other public
        attributes, lazily served names and submodules)."""
        found: set[str] = set()
        for layer in self._layers:
            entry = layer.modules.get(module, {})
            found.update(entry.get("exports", ()), entry.get("other", ()), entry.get("lazy", ()))
            found.update(layer.children.get(module, ()))
        return frozenset(found)

    def has_name(self, module: str, name: str) -> bool | None:
        """Can ``from module import name`` succeed? None when the dump cannot tell (the
        module did not import, or serves any name through ``__getattr__``)."""
        answers = [layer.has_name(module, name) for layer in self._layers]
        if any(answer is True for answer in answers):
            return True
        if any(answer is None for answer in answers):
            return None
        if self.open_ended and not self._known_removed(
            lambda layer: layer.has_name(module, name) is True
        ):
            return None  # perhaps added after the newest dump
        return False

    def name_error(self, module: str, name: str) -> str | None:
        """The error a module's ``__getattr__`` raises for a name it refuses, if any
        (``CurrentDocket`` "moved to the fastmcp-tasks package" in 4.x)."""
        for layer in self._layers:
            error = layer.modules.get(module, {}).get("lazy_errors", {}).get(name)
            if error:
                return str(error)
        return None

    # -- classes and signatures ---------------------------------------------------------

    def resolve(self, qualified_name: str) -> str | None:
        """The defining path of a class given any public path of it."""
        for layer in self._layers:
            found = layer.class_paths.get(qualified_name)
            if found is not None:
                return found
        return None

    def class_paths(self) -> Mapping[str, str]:
        """Every public path of every recorded class -> its defining path."""
        index: dict[str, str] = {}
        for layer in reversed(self._layers):  # the first layer wins, as in resolve()
            index.update(layer.class_paths)
        return index

    def class_tags(self, qualified_name: str) -> frozenset[str]:
        """The fastmcp bases a class derives from: ``auth_provider``, ``token_verifier``,
        ``middleware``, ``provider``, ``transform``."""
        tags: set[str] = set()
        for layer in self._layers:
            path = layer.class_paths.get(qualified_name)
            if path is not None:
                tags.update(layer.classes[path].get("is", ()))
        return frozenset(tags)

    def classes_named(self, name: str) -> tuple[str, ...]:
        """Public import paths of the classes called ``name`` (best first: shortest module
        that lists it in ``__all__``)."""
        found: set[str] = set()
        for layer in self._layers:
            for public, path in layer.class_paths.items():
                if (
                    public.rpartition(".")[2] == name
                    and path.rpartition(".")[2] == name
                    and not any(part.startswith("_") for part in public.split("."))
                ):
                    found.add(public)

        def rank(public: str) -> tuple[int, int, str]:
            module, _, attr = public.rpartition(".")
            if self.declares_all(module) and attr in self.exports(module):
                order = 0  # a deliberate export
            elif self.resolve(public) == public:
                order = 1  # where it is defined
            else:
                order = 2  # merely imported there
            return (order, module.count("."), public)

        return tuple(sorted(found, key=rank))

    def member_kind(self, class_name: str, member: str) -> str | None:
        """``method``, ``property`` or ``attribute`` for a member of FastMCP, Context,
        Client, Middleware or FastMCPApp; None if the class has no such member."""
        for layer in self._layers:
            path = layer.class_paths.get(class_name, class_name)
            value = layer.members.get(path, {}).get(member)
            if value is not None:
                return "method" if isinstance(value, list) or value == "method" else str(value)
        return None

    def members(self, class_name: str) -> frozenset[str]:
        found: set[str] = set()
        for layer in self._layers:
            path = layer.class_paths.get(class_name, class_name)
            found.update(layer.members.get(path, {}))
        return frozenset(found)

    def signature(self, qualified_name: str) -> Signature | None:
        """The signature of a class constructor (``fastmcp.FastMCP``, any public path) or
        of a method of FastMCP/Context/Client/... (``fastmcp.Context.get_state``)."""
        found: Signature | None = None
        for layer in self._layers:
            signature = self._layer_signature(layer, qualified_name)
            if signature is not None:
                found = signature if found is None else found.merged(signature)
        if found is None or not self.open_ended:
            return found
        # Keywords an older dump took and the newest does not (or rejects with a hint).
        removed = set(found.removed_kwargs)
        for layer in self._older or ():
            older = self._layer_signature(layer, qualified_name)
            if older is not None:
                removed.update(older.keyword_names)
        removed.difference_update(found.keyword_names)
        return replace(found, open_ended=True, known_removed=frozenset(removed))

    def _layer_signature(self, layer: _Layer, qualified_name: str) -> Signature | None:
        path = layer.class_paths.get(qualified_name)
        if path is not None:
            entry = layer.classes[path]
            tokens = entry.get("init")
            if tokens is None:
                return None
            return Signature.from_tokens(
                path,
                tokens,
                kwargs_rejected=bool(entry.get("kwargs_rejected")),
                removed_kwargs=entry.get("removed_kwargs"),
            )
        owner, _, member = qualified_name.rpartition(".")
        owner_path = layer.class_paths.get(owner, owner)
        tokens = layer.members.get(owner_path, {}).get(member)
        if isinstance(tokens, list):
            return Signature.from_tokens(f"{owner_path}.{member}", tokens)
        return None

    # -- did you mean -------------------------------------------------------------------

    def suggest_module(self, module: str) -> ImportSuggestion | None:
        """The real path of a module that does not exist (or None if it does or nothing
        close is known): the renames table first, then the closest module name."""
        if self.has_module(module):
            return None
        move = self._move(module, None)
        if move is not None:
            return move
        # A misspelt segment: compare the first missing one with its existing siblings
        # (whole dotted paths are too alike: fastmcp.client.tasks ~ fastmcp.client.roots).
        parts = module.split(".")
        for end in range(1, len(parts)):
            parent, segment = ".".join(parts[:end]), parts[end]
            if self._recorded_module(f"{parent}.{segment}"):
                continue
            siblings = sorted(self.children(parent))
            close = difflib.get_close_matches(segment, siblings, n=1, cutoff=0.8)
            if not close:
                return None
            fixed = ".".join([parent, close[0], *parts[end + 1 :]])
            return ImportSuggestion(
                fixed if self._recorded_module(fixed) else f"{parent}.{close[0]}"
            )
        return None

    def children(self, module: str) -> frozenset[str]:
        """The submodules of a package (names only)."""
        return frozenset(
            child for layer in self._layers for child in layer.children.get(module, ())
        )

    def suggest_name(self, module: str, name: str) -> ImportSuggestion | None:
        """Where ``name`` is when ``from module import name`` fails (module may be missing
        too): the renames table, then the same class elsewhere, then a close name."""
        move = self._move(module, name)
        if move is not None:
            return move
        elsewhere = [path for path in self.classes_named(name) if not path.startswith("key_value")]
        if elsewhere:
            found_module, _, found_name = elsewhere[0].rpartition(".")
            return ImportSuggestion(found_module, found_name)
        if self._recorded_module(module):
            # Typos only: a looser cutoff pairs different APIs (MiddlewarePhase/Middleware).
            close = difflib.get_close_matches(name, sorted(self.names(module)), n=1, cutoff=0.9)
            if close:
                return ImportSuggestion(module, close[0])
        return None

    def _move(self, module: str, name: str | None) -> ImportSuggestion | None:
        for move in _moves_for(module, name):
            suggestion = self._apply_move(move, module, name)
            if suggestion is not None:
                return suggestion
        return None

    def _apply_move(self, move: Move, module: str, name: str | None) -> ImportSuggestion | None:
        if move.deprecated_in is not None and self._reaches(move.deprecated_in):
            move = replace(
                move, note="; ".join(filter(None, (move.note, move.deprecation))), safe=False
            )
        if not move.new_modules:
            return ImportSuggestion(None, None, move.note)
        if move.external:  # outside fastmcp: not in the dumps, taken on the table's word
            return ImportSuggestion(
                move.new_modules[0], move.new_name or name, move.note, move.safe
            )
        for new_module in move.new_modules:
            target = new_module + module[len(move.old_module) :] if move.prefix else new_module
            if not self._recorded_module(target):
                continue
            if name is None:
                return ImportSuggestion(target, None, move.note, move.safe)
            new_name = move.new_name or name
            if self.has_name(target, new_name) is not False:
                return ImportSuggestion(target, new_name, move.note, move.safe)
        return None

    def suggest_keyword(self, callable_name: str, keyword: str) -> KeywordSuggestion | None:
        """A replacement for a keyword the callable does not accept: the renames table,
        FastMCP's own removal hints, then the closest accepted keyword."""
        signature = self.signature(callable_name)
        canonical = signature.qualified_name if signature is not None else callable_name
        for rename in KEYWORD_RENAMES:
            if (
                rename.keyword == keyword
                and _callable_matches(rename, canonical)
                and (
                    rename.new_keyword is None
                    or (signature is not None and signature.accepts_keyword(rename.new_keyword))
                )
            ):
                return KeywordSuggestion(rename.new_keyword, rename.note)
        if signature is None:
            return None
        hint = signature.removed_kwargs.get(keyword)
        if hint:
            return KeywordSuggestion(None, hint)
        close = difflib.get_close_matches(keyword, signature.keyword_names, n=1, cutoff=0.85)
        return KeywordSuggestion(close[0]) if close else None


def _records(layer: _Layer, module: str) -> bool:
    return module in layer.modules or module in layer.failed


def _moves_for(module: str, name: str | None) -> Iterable[Move]:
    """Table entries for ``from module import name`` (name None: the module itself);
    name-specific entries first, then module-wide ones."""
    specific = [m for m in MOVES if m.old_name is not None and m.old_name == name]
    general = [m for m in MOVES if m.old_name is None]
    for move in (*specific, *general):
        exact = move.old_module in ("*", module)
        if exact or (move.prefix and module.startswith(move.old_module + ".")):
            yield move


def _callable_matches(rename: KeywordRename, canonical: str) -> bool:
    """``Context.get_state`` matches ``fastmcp.server.context.Context.get_state``."""
    return canonical == rename.callable or canonical.endswith("." + rename.callable)


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
def _layer(release: str) -> _Layer:
    directory = _data_dir()
    plain = directory.joinpath(f"fastmcp-{release}.json")
    if plain.is_file():
        data = json.loads(plain.read_text(encoding="utf-8"))
    else:
        data = json.loads(gzip.decompress(directory.joinpath(f"{plain.name}.gz").read_bytes()))
    return _Layer(release, data)


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
    """``FastMCP 4.1.2``; ``FastMCP 4.1.5 (API of 4.1.2 and 4.1.7)`` when other dumps
    stand in; ``FastMCP 4.9.0 (newest API fkit knows: 4.2.3)`` beyond the data."""
    if surface.release == str(target):
        return f"FastMCP {target}"
    if surface.open_ended:
        return f"FastMCP {target} (newest API fkit knows: {surface.release})"
    return f"FastMCP {target} (API of {' and '.join(surface.releases)})"


def describe_releases(having: Sequence[str]) -> str:
    """``3.4.10 to 4.1.2`` for consecutive dumped releases, else ``2.13.3, 4.1.2``."""
    releases = dumped_releases()
    if not having:
        return ""
    first, last = releases.index(having[0]), releases.index(having[-1])
    if len(having) > 1 and len(having) == last - first + 1:
        return f"{having[0]} to {having[-1]}"
    return ", ".join(having)
