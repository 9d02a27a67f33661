"""Annotations as text, for ``dump_api_surface.py``'s extractor (runs inside the target
venv; standard library only).

The text is a Python expression with every name qualified by the module that defines
it: ``list[fastmcp.tools.base.Tool]``, ``fastmcp.server.server.FastMCP | None``,
``collections.abc.Callable[..., typing.Any]``, ``typing.Literal['stdio', 'sse']``;
builtins stay bare (``dict[str, int]``), type variables are their name (``T``).
``Optional[X]`` and ``Union[X, Y]`` are written ``X | None`` and ``X | Y``; ``Annotated``,
``ClassVar`` and ``Final`` keep only the type; ``typing.List`` & co. their builtin.

String annotations (``from __future__ import annotations``, the common case in FastMCP)
are rewritten name by name, not evaluated: names imported only under ``TYPE_CHECKING``
resolve through the module's import statements, a type alias keeps its (qualified)
name instead of expanding to a long union, and a name that resolves nowhere stays as
written. Annotations that are objects are formatted from the objects.
"""

from __future__ import annotations

import ast
import builtins
import contextlib
import importlib
import inspect
import io
import sys
import types
import typing
from collections.abc import Mapping
from typing import Any

# Modules whose classes are the language's own: not recorded as "referenced" classes.
PLAIN_MODULES = frozenset(
    {"builtins", "typing", "typing_extensions", "collections", "collections.abc", "types", "abc"}
)
# Subscripts whose first argument is the type (the rest is metadata or qualifiers).
_KEEP_FIRST = {"Annotated", "ClassVar", "Final", "Required", "NotRequired", "ReadOnly", "InitVar"}
_TYPING = ("typing", "typing_extensions")


def class_path(cls: Any) -> str:
    """``module.QualName`` (builtins bare); a parametrized pydantic model as its generic
    origin with arguments (``module.Model[int]``, not pydantic's ``Model[int]`` name)."""
    meta = getattr(cls, "__pydantic_generic_metadata__", None)
    if isinstance(meta, Mapping) and meta.get("origin") is not None and meta.get("args"):
        return f"{class_path(meta['origin'])}[{', '.join(type_text(a) for a in meta['args'])}]"
    module = getattr(cls, "__module__", None)
    qualname = getattr(cls, "__qualname__", None) or getattr(cls, "__name__", "?")
    return str(qualname) if module in (None, "builtins") else f"{module}.{qualname}"


def _special_name(obj: Any) -> str | None:
    """``Optional``, ``Any``, ``List``, ... for typing's special forms and aliases."""
    if getattr(obj, "__module__", None) not in _TYPING:
        return None
    name = getattr(obj, "_name", None) or getattr(obj, "__name__", None)
    return name if isinstance(name, str) else None


def type_text(obj: Any) -> str:
    """An annotation object as text (see the module doc)."""
    if obj is None or obj is type(None):
        return "None"
    if isinstance(obj, str):
        return obj
    if isinstance(obj, typing.ForwardRef):
        return obj.__forward_arg__
    if obj is Ellipsis:
        return "..."
    if isinstance(obj, (list, tuple)):
        return "[" + ", ".join(type_text(item) for item in obj) + "]"
    origin = typing.get_origin(obj)
    args = typing.get_args(obj)
    if origin is not None:
        name = _special_name(origin)
        if origin is typing.Union or origin is types.UnionType:
            return " | ".join(type_text(arg) for arg in args)
        if name == "Annotated" or origin is typing.Annotated:
            return type_text(obj.__origin__)
        if name in _KEEP_FIRST and args:
            return type_text(args[0])
        if name == "Literal":
            return "typing.Literal[" + ", ".join(repr(arg) for arg in args) + "]"
        base = type_text(origin)
        return f"{base}[{', '.join(type_text(arg) for arg in args)}]" if args else base
    if type(obj).__name__ in {"TypeVar", "ParamSpec", "TypeVarTuple"}:
        return str(obj.__name__)
    if isinstance(obj, type):
        return class_path(obj)
    special = _special_name(obj)
    if special is not None:
        inner = getattr(obj, "__origin__", None)
        return class_path(inner) if isinstance(inner, type) else f"typing.{special}"
    module = getattr(obj, "__module__", None)
    qualname = getattr(obj, "__qualname__", None)
    if isinstance(module, str) and isinstance(qualname, str) and "<" not in qualname:
        return f"{module}.{qualname}"  # NewType and friends
    return repr(obj)


class Resolver:
    """Turns annotations into text (module doc); caches module sources and imports, and
    notes the classes the annotations name (``referenced``)."""

    def __init__(self) -> None:
        self._imports: dict[str, dict[str, str]] = {}
        self._trees: dict[str, ast.Module | None] = {}
        self._paths: dict[str, Any] = {}
        # Classes the annotations name (``Client.list_tools() -> list[mcp.types.Tool]``),
        # so that what a call returns can be looked up too.
        self.referenced: dict[str, type] = {}

    def text(self, annotation: Any, module: str | None, owner: type | None = None) -> str | None:
        """The annotation as text; None when there is none."""
        if annotation is inspect.Parameter.empty or annotation is inspect.Signature.empty:
            return None
        try:
            if isinstance(annotation, str):
                return _one_line(_Rewriter(self, module or "", owner).source(annotation))
            self._note(annotation, 0)
            return _one_line(type_text(annotation))
        except Exception:
            return _one_line(annotation if isinstance(annotation, str) else repr(annotation))

    def note(self, obj: Any) -> None:
        if isinstance(obj, type) and obj.__module__ not in PLAIN_MODULES:
            self.referenced.setdefault(class_path(obj), obj)

    def _note(self, annotation: Any, depth: int) -> None:
        if depth > 8:
            return
        self.note(annotation)
        with contextlib.suppress(Exception):
            origin = typing.get_origin(annotation)
            if origin is not None:
                self._note(origin, depth + 1)
            for arg in typing.get_args(annotation):
                self._note(arg, depth + 1)

    def tree(self, module: str) -> ast.Module | None:
        """The parsed source of a module (None when it has none)."""
        if module not in self._trees:
            self._trees[module] = None
            mod = sys.modules.get(module)
            with contextlib.suppress(Exception):
                self._trees[module] = ast.parse(inspect.getsource(mod))  # type: ignore[arg-type]
        return self._trees[module]

    def imports(self, module: str) -> Mapping[str, str]:
        """Every name a module's import statements bind -> the path it imports."""
        if module in self._imports:
            return self._imports[module]
        found: dict[str, str] = {}
        tree = self.tree(module)
        mod = sys.modules.get(module)
        package = getattr(mod, "__package__", None) or module.rpartition(".")[0]
        for node in ast.walk(tree) if tree is not None else ():
            if isinstance(node, ast.Import):
                for alias in node.names:
                    head = alias.name.split(".")[0]
                    found[alias.asname or head] = alias.name if alias.asname else head
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parts = package.split(".")
                    parts = parts[: len(parts) - node.level + 1]
                    base = ".".join([*parts, base] if base else parts)
                for alias in node.names:
                    if alias.name != "*":
                        found[alias.asname or alias.name] = f"{base}.{alias.name}"
        self._imports[module] = found
        return found

    def import_path(self, path: str) -> Any:
        """The object at ``a.b.C`` (a module or a module's attribute), or None."""
        if path not in self._paths:
            self._paths[path] = None
            module, _, attr = path.rpartition(".")
            with contextlib.suppress(Exception), contextlib.redirect_stdout(io.StringIO()):
                if path in sys.modules:
                    self._paths[path] = sys.modules[path]
                elif module:
                    self._paths[path] = getattr(importlib.import_module(module), attr)
        return self._paths[path]


_MISSING = object()


class _Rewriter:
    """A string annotation, rewritten name by name (module doc)."""

    def __init__(self, resolver: Resolver, module: str, owner: type | None) -> None:
        self.resolver = resolver
        self.module = module
        mod = sys.modules.get(module)
        self.globals: Mapping[str, Any] = vars(mod) if mod is not None else {}
        self.owner: Mapping[str, Any] = vars(owner) if owner is not None else {}

    def source(self, text: str) -> str:
        return self.render(ast.parse(text.strip(), mode="eval").body)

    def render(self, node: ast.expr) -> str:
        if isinstance(node, ast.Constant):
            if isinstance(node.value, str):
                return self.source(node.value)  # a forward reference
            return "..." if node.value is Ellipsis else repr(node.value)
        if isinstance(node, (ast.Name, ast.Attribute)):
            text, _ = self.resolve(node)
            return text
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
            return f"{self.render(node.left)} | {self.render(node.right)}"
        if isinstance(node, (ast.List, ast.Tuple)):
            return "[" + ", ".join(self.render(item) for item in node.elts) + "]"
        if isinstance(node, ast.Subscript):
            return self.subscript(node)
        return ast.unparse(node)

    def subscript(self, node: ast.Subscript) -> str:
        base, obj = self.resolve(node.value) if _dotted(node.value) else (None, None)
        items = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
        special = _special_name(obj) if obj is not None else None
        if special == "Optional":
            return f"{self.render(items[0])} | None"
        if special == "Union":
            return " | ".join(self.render(item) for item in items)
        if special in _KEEP_FIRST or _annotates(obj):
            return self.render(items[0])
        if special == "Literal":
            return f"typing.Literal[{', '.join(ast.unparse(item) for item in items)}]"
        if base is None:
            base = self.render(node.value)
        if isinstance(node.slice, ast.Tuple) and not node.slice.elts:
            return f"{base}[()]"
        return f"{base}[{', '.join(self.render(item) for item in items)}]"

    def resolve(self, node: ast.expr) -> tuple[str, Any]:
        """A dotted name as qualified text, and the object it names (or None)."""
        parts = _dotted(node)
        if not parts:
            return ast.unparse(node), None
        head, rest = parts[0], parts[1:]
        obj, text = self._lookup(head)
        for attr in rest:
            obj = getattr(obj, attr, None) if obj is not None else None
            text = f"{text}.{attr}"
        if obj is None:
            return text, None
        if isinstance(obj, types.ModuleType):
            return obj.__name__, obj
        if typing.get_origin(obj) is not None:
            return text, obj  # a parametrized type alias: its qualified name
        special = _special_name(obj)
        if special is not None:
            inner = getattr(obj, "__origin__", None)
            return (class_path(inner) if isinstance(inner, type) else f"typing.{special}"), obj
        if isinstance(obj, type):
            self.resolver.note(obj)
            return class_path(obj), obj
        if type(obj).__name__ in {"TypeVar", "ParamSpec", "TypeVarTuple"}:
            return str(obj.__name__), obj
        return text, obj  # a type alias: its qualified name, not its expansion

    def _lookup(self, name: str) -> tuple[Any, str]:
        """The object a name is bound to in the annotation's module, and its path."""
        imported = self.resolver.imports(self.module).get(name)
        value = self.owner.get(name, _MISSING)
        if value is not _MISSING and isinstance(value, type):
            return value, class_path(value)
        value = self.globals.get(name, _MISSING)
        if value is not _MISSING:
            return value, imported or f"{self.module}.{name}"
        if hasattr(builtins, name):
            return getattr(builtins, name), name
        if imported is not None:  # under TYPE_CHECKING only
            return self.resolver.import_path(imported), imported
        return None, name


_ANNOTATES: dict[int, bool] = {}


def _annotates(obj: Any) -> bool:
    """A class whose subscript is ``Annotated[X, ...]`` (pydantic's ``SkipJsonSchema``)."""
    if not isinstance(obj, type) or not hasattr(obj, "__class_getitem__"):
        return False
    if id(obj) not in _ANNOTATES:
        _ANNOTATES[id(obj)] = False
        with contextlib.suppress(Exception), contextlib.redirect_stdout(io.StringIO()):
            subscripted: Any = obj.__class_getitem__(int)
            _ANNOTATES[id(obj)] = _special_name(typing.get_origin(subscripted)) == "Annotated"
    return _ANNOTATES[id(obj)]


def _dotted(node: ast.expr) -> list[str]:
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return []
    parts.append(node.id)
    return parts[::-1]


def _one_line(text: str) -> str:
    return " ".join(text.split())
