"""The API surface of one dumped FastMCP release, or of several standing in for a target
version (see the package doc for how they are chosen): modules, names, classes,
signatures, members, functions and decorators, and "did you mean" suggestions."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace

from packaging.version import Version

from fastmcp_kit.apisurface import suggest
from fastmcp_kit.apisurface.layer import Layer
from fastmcp_kit.apisurface.members import ClassInfo, Member
from fastmcp_kit.apisurface.signature import Signature
from fastmcp_kit.apisurface.suggest import ImportSuggestion, KeywordSuggestion

__all__ = ["ApiSurface", "ImportSuggestion", "KeywordSuggestion"]


# -- the surface ------------------------------------------------------------------------


class ApiSurface:
    """The public API of one dumped FastMCP release (or the union of two, see module doc).

    With ``older`` (the dumps before the newest one) the surface is *open-ended*: it
    stands for a release newer than every dump, so what the newest dump lacks is missing
    only when an older dump had it (a known removal), and unknown otherwise.
    """

    def __init__(self, layers: Sequence[Layer], *, older: Sequence[Layer] | None = None) -> None:
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

    def _known_removed(self, recorded: Callable[[Layer], bool]) -> bool:
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

    def signature(self, qualified_name: str) -> Signature | None:
        """The signature of a class constructor (``fastmcp.FastMCP``, any public path), of
        a method (``fastmcp.Context.get_state``, inherited ones too) or of a module-level
        function (``fastmcp.server.dependencies.get_http_headers``). A method's
        ``qualified_name`` is the class it was looked up on + its name."""
        found = self._merged(lambda layer: _layer_signature(layer, qualified_name))
        return found if found is None else self._open_signature(found, qualified_name)

    def _merged(self, lookup: Callable[[Layer], Signature | None]) -> Signature | None:
        found: Signature | None = None
        for layer in self._layers:
            signature = lookup(layer)
            if signature is not None:
                found = signature if found is None else found.merged(signature)
        return found

    def _open_signature(self, found: Signature, qualified_name: str) -> Signature:
        """Open-ended: keywords outside the signature are unknown, unless an older dump
        took them and the newest does not (or rejects them with a hint)."""
        if not self.open_ended:
            return found
        removed = set(found.removed_kwargs)
        for layer in self._older or ():
            older = _layer_signature(layer, qualified_name)
            if older is not None:
                removed.update(older.keyword_names)
        removed.difference_update(found.keyword_names)
        return replace(found, open_ended=True, known_removed=frozenset(removed))

    # -- members, functions, decorators -------------------------------------------------

    def class_info(self, qualified_class: str) -> ClassInfo | None:
        """Bases (MRO), protocols (``async with``...) and dynamism of a recorded class."""
        infos = [i for i in (layer.class_info(qualified_class) for layer in self._layers) if i]
        if not infos:
            return None
        protocols = frozenset().union(*(info.protocols for info in infos))
        return replace(infos[0], protocols=protocols, dynamic=any(i.dynamic for i in infos))

    def is_subclass(self, qualified_class: str, base: str) -> bool | None:
        """Does the class derive from ``base`` (both any public or defining path)? None
        when the class is not recorded."""
        info = self.class_info(qualified_class)
        if info is None:
            return None
        wanted = {base, *(path for layer in self._layers if (path := layer.class_path(base)))}
        return bool(wanted & {info.path, *info.mro})

    def member(self, qualified_class: str, name: str) -> Member | None:
        """A public member of a class (any public path of it), inherited ones included;
        None when no dump of this surface records it. Never read None as "missing": ask
        :meth:`has_member`, which knows about open-ended surfaces and dynamic classes."""
        found = _merge_members(
            layer.find_member(qualified_class, name)[1] for layer in self._layers
        )
        if found is not None and found.signature is not None and self.open_ended:
            opened = self._open_signature(found.signature, f"{qualified_class}.{name}")
            found = replace(found, signature=replace(opened, qualified_name=found.qualified_name))
        return found

    def has_member(self, qualified_class: str, name: str) -> bool | None:
        """Does the class have the member? None when the dumps cannot tell: the class is
        not recorded, serves attributes dynamically, or (open-ended surface) the newest
        dump lacks a member no older dump had (it may have been added since)."""
        answers = [layer.find_member(qualified_class, name)[0] for layer in self._layers]
        if any(answer is True for answer in answers):
            return True
        if any(answer is None for answer in answers):
            return None
        if self.open_ended and not self._known_removed(
            lambda layer: layer.find_member(qualified_class, name)[0] is True
        ):
            return None
        return False

    def class_members(self, qualified_class: str) -> Mapping[str, Member]:
        """Every public member of the class, inherited ones included (name -> member)."""
        found = {
            name: self.member(qualified_class, name)
            for name in sorted(self.members(qualified_class))
        }
        return {name: member for name, member in found.items() if member is not None}

    def members(self, class_name: str) -> frozenset[str]:
        """The names of :meth:`class_members`."""
        return frozenset().union(*(layer.member_names(class_name) for layer in self._layers))

    def member_kind(self, class_name: str, member: str) -> str | None:
        """``method``, ``property`` or ``attribute``; None if no dump records the member."""
        found = self.member(class_name, member)
        return None if found is None else found.kind

    def function(self, qualified_name: str) -> Member | None:
        """A public module-level function by any public path
        (``fastmcp.dependencies.get_context``): kind ``function``, its ``owner`` the
        defining module. None when no dump of this surface records it."""
        found = _merge_members(layer.function(qualified_name) for layer in self._layers)
        if found is not None and found.signature is not None and self.open_ended:
            opened = self._open_signature(found.signature, qualified_name)
            found = replace(found, signature=replace(opened, qualified_name=found.qualified_name))
        return found

    def decorator_returns(self, kind: str, *, object_mode: bool = False) -> str | None:
        """What a decorator returns for a plain function, as recorded by decorating one
        in the release: ``"function"`` (the function itself, 3.x+) or the defining path
        of the object's class (``fastmcp.tools.tool.FunctionTool`` in 2.x).

        ``kind``: ``tool``, ``resource``, ``resource_template`` (``@mcp.resource`` with
        a URI template) or ``prompt`` for the FastMCP server's decorators; or
        ``FastMCPApp.tool``, ``FastMCPApp.ui``, ``fastmcp.tools.tool``,
        ``fastmcp.resources.resource``, ``fastmcp.resources.resource_template``,
        ``fastmcp.prompts.prompt``. ``object_mode``: under 3.x's deprecated
        ``decorator_mode="object"`` setting (None where the release has no such
        setting). None when the release has no such decorator."""
        key = kind if "." in kind else f"FastMCP.{kind}"
        for layer in self._layers:
            entry = layer.decorators.get(key)
            if entry is not None:
                return entry.get("object_mode" if object_mode else "returns")
        return None

    # -- did you mean (fastmcp_kit.apisurface.suggest) ----------------------------------

    def children(self, module: str) -> frozenset[str]:
        """The submodules of a package (names only)."""
        return frozenset(
            child for layer in self._layers for child in layer.children.get(module, ())
        )

    def suggest_module(self, module: str) -> ImportSuggestion | None:
        """The real path of a module that does not exist (or None if it does or nothing
        close is known): the renames table first, then the closest module name."""
        return suggest.suggest_module(self, module)

    def suggest_name(self, module: str, name: str) -> ImportSuggestion | None:
        """Where ``name`` is when ``from module import name`` fails (module may be missing
        too): the renames table, then the same class elsewhere, then a close name."""
        return suggest.suggest_name(self, module, name)

    def suggest_keyword(self, callable_name: str, keyword: str) -> KeywordSuggestion | None:
        """A replacement for a keyword the callable does not accept: the renames table,
        FastMCP's own removal hints, then the closest accepted keyword."""
        return suggest.suggest_keyword(self, callable_name, keyword)

    def _move(self, module: str, name: str | None) -> ImportSuggestion | None:
        return suggest.suggest_move(self, module, name)


def _layer_signature(layer: Layer, qualified_name: str) -> Signature | None:
    """A constructor's, method's or function's signature in one dump."""
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
    function = layer.function(qualified_name)
    if function is not None:
        return function.signature
    owner, _, name = qualified_name.rpartition(".")
    member = layer.find_member(owner, name)[1]
    owner_path = layer.class_path(owner)
    if member is None or member.signature is None or owner_path is None:
        return None
    return replace(member.signature, qualified_name=f"{owner_path}.{name}")


def _merge_members(found: Iterable[Member | None]) -> Member | None:
    """The first member, with the signatures of all merged (union surfaces)."""
    merged: Member | None = None
    for member in found:
        if member is None:
            continue
        if merged is None:
            merged = member
        elif merged.signature is not None and member.signature is not None:
            merged = replace(merged, signature=merged.signature.merged(member.signature))
    return merged


def _records(layer: Layer, module: str) -> bool:
    return module in layer.modules or module in layer.failed
