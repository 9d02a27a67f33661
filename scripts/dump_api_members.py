"""The member half of ``dump_api_surface.py``'s extractor: what each class, function and
decorator of a FastMCP release offers. Runs inside the target venv (standard library
only), imported by ``dump_api_surface.py --extract``; the data format is described in
``fastmcp_kit/apisurface/members.py``, which parses it.

One member is one string, so that a class stays one short JSON line::

    def(a, b=, /, c=, *args, d, e=, **kw) -> T   a method (parameters as signature tokens)
    async def(...) -> T     a coroutine function: calling it gives an awaitable of T
    async gen(...) -> T     an async generator function (``async for``)
    gen(...) -> T           a generator function
    acm(...) -> T           an ``@asynccontextmanager`` (``async with``)
    cm(...) -> T            a ``@contextmanager`` (``with``)
    classmethod def(...)    any of the above as a classmethod (``cls`` left out) or
    staticmethod def(...)   a staticmethod
    def(...)                (literally ``...``): the signature could not be read
    property -> T           a property or cached_property; T its getter's return annotation
    attr: T                 an attribute: class-level annotation, pydantic field, class
                            value or ``self.name = ...`` in a method of the class

`` -> T`` and ``: T`` are left out when nothing is annotated; ``T`` is written as
``dump_api_annotations.py`` describes (qualified names, ``X | None``).
"""

from __future__ import annotations

import ast
import contextlib
import functools
import importlib
import inspect
import io
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from dump_api_annotations import Resolver, class_path, type_text


def signature_tokens(obj: Any, *, drop_first: bool = False) -> list[str] | None:
    """``inspect.signature`` as tokens: ``a``, ``b=``, ``/``, ``*``, ``*args``, ``**kw``."""
    try:
        signature = inspect.signature(obj)
    except (TypeError, ValueError):
        return None
    params = list(signature.parameters.values())
    if drop_first and params and params[0].kind is not inspect.Parameter.VAR_POSITIONAL:
        params = params[1:]
    tokens: list[str] = []
    star_seen = False
    for index, param in enumerate(params):
        kind = param.kind
        if kind is inspect.Parameter.VAR_POSITIONAL:
            tokens.append(f"*{param.name}")
            star_seen = True
        elif kind is inspect.Parameter.VAR_KEYWORD:
            tokens.append(f"**{param.name}")
        else:
            if kind is inspect.Parameter.KEYWORD_ONLY and not star_seen:
                tokens.append("*")
                star_seen = True
            default = "=" if param.default is not inspect.Parameter.empty else ""
            tokens.append(f"{param.name}{default}")
            following = params[index + 1] if index + 1 < len(params) else None
            if kind is inspect.Parameter.POSITIONAL_ONLY and (
                following is None or following.kind is not inspect.Parameter.POSITIONAL_ONLY
            ):
                tokens.append("/")
    return tokens


# -- members --------------------------------------------------------------------------


async def _agen() -> Any:  # pragma: no cover - only its helper's code object is used
    yield None


def _gen() -> Any:  # pragma: no cover
    yield None


# contextlib's decorators return a `helper` function; every helper shares one code object.
_ACM_CODE = getattr(contextlib.asynccontextmanager(_agen), "__code__", None)
_CM_CODE = getattr(contextlib.contextmanager(_gen), "__code__", None)


def flavour(func: Any) -> str:
    """``def``, ``async def``, ``async gen``, ``gen``, ``acm`` or ``cm``, looking through
    ``functools.wraps`` wrappers (a wrapper passes its target's coroutine through)."""
    seen = func
    for _ in range(20):
        code = getattr(seen, "__code__", None)
        if code is not None and code is _ACM_CODE:
            return "acm"
        if code is not None and code is _CM_CODE:
            return "cm"
        if inspect.iscoroutinefunction(seen):
            return "async def"
        if inspect.isasyncgenfunction(seen):
            return "async gen"
        if inspect.isgeneratorfunction(seen):
            return "gen"
        seen = getattr(seen, "__wrapped__", None)
        if seen is None:
            break
    return "def"


def _module_of(func: Any) -> str | None:
    with contextlib.suppress(Exception):
        module = getattr(inspect.unwrap(func), "__module__", None)
        return module if isinstance(module, str) else None
    return None


def encode_callable(
    func: Any, resolver: Resolver, *, drop_first: bool, owner: type | None = None
) -> str:
    """``async def(a, b=) -> T``."""
    tokens = signature_tokens(func, drop_first=drop_first)
    text = f"{flavour(func)}({'...' if tokens is None else ', '.join(tokens)})"
    returns = None
    with contextlib.suppress(Exception):
        annotation = inspect.signature(func).return_annotation
        returns = resolver.text(annotation, _module_of(func), owner)
    return f"{text} -> {returns}" if returns else text


def _property(getter: Any, resolver: Resolver, owner: type) -> str:
    returns = None
    if getter is not None:
        with contextlib.suppress(Exception):
            annotation = inspect.signature(getter).return_annotation
            returns = resolver.text(annotation, _module_of(getter), owner)
    return f"property -> {returns}" if returns else "property"


def _is_property(raw: Any) -> bool:
    return isinstance(raw, (property, functools.cached_property)) or type(raw).__name__ in {
        "cached_property",
        "deprecated_property",
    }


def encode_member(cls: type, raw: Any, resolver: Resolver) -> str | None:
    """A value from a class's ``__dict__`` as a member string (None: an attribute)."""
    if _is_property(raw):
        return _property(getattr(raw, "fget", None) or getattr(raw, "func", None), resolver, cls)
    if isinstance(raw, staticmethod):
        return "staticmethod " + encode_callable(raw.__func__, resolver, drop_first=False)
    if isinstance(raw, classmethod):
        return "classmethod " + encode_callable(raw.__func__, resolver, drop_first=True, owner=cls)
    if inspect.isfunction(raw) or inspect.ismethoddescriptor(raw):
        return encode_callable(raw, resolver, drop_first=True, owner=cls)
    return None


def own_members(cls: type, resolver: Resolver) -> dict[str, str]:
    """The public members ``cls`` itself defines (its bases' are recorded with them)."""
    own = vars(cls)
    module = cls.__module__
    annotations = own.get("__annotations__", {})
    found: dict[str, str] = {}
    for name, raw in own.items():
        if name.startswith("_"):
            continue
        encoded = encode_member(cls, raw, resolver)
        if encoded is None:
            if name in annotations:
                continue  # an annotated attribute: below
            encoded = f"attr: {type_text(type(raw))}"
            if raw is None or hasattr(type(raw), "__get__"):
                encoded = "attr"  # unknown, or what a descriptor gives is not its type
            elif isinstance(raw, type):
                encoded = f"attr: type[{class_path(raw)}]"
        found[name] = encoded
    if isinstance(annotations, Mapping):
        for name, annotation in annotations.items():
            if not isinstance(name, str) or name.startswith("_") or name in found:
                continue
            text = resolver.text(annotation, module, cls)
            found[name] = f"attr: {text}" if text else "attr"
    for name, text in instance_attributes(cls, resolver).items():
        found.setdefault(name, f"attr: {text}" if text else "attr")
    return dict(sorted(found.items()))


def _class_node(tree: ast.Module, qualname: str) -> ast.ClassDef | None:
    body: list[ast.stmt] = tree.body
    node: ast.ClassDef | None = None
    for part in qualname.split("."):
        matches = [n for n in _statements(body) if isinstance(n, ast.ClassDef) and n.name == part]
        if not matches:
            return None
        node = matches[-1]
        body = node.body
    return node


def _statements(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """Statements of a body, looking into ``if``/``try`` blocks."""
    for node in body:
        yield node
        if isinstance(node, ast.If):
            yield from _statements(node.body)
            yield from _statements(node.orelse)
        elif isinstance(node, ast.Try):
            for block in (node.body, node.orelse, node.finalbody):
                yield from _statements(block)
            for handler in node.handlers:
                yield from _statements(handler.body)


def instance_attributes(cls: type, resolver: Resolver) -> dict[str, str | None]:
    """``self.name = ...`` / ``self.name: T = ...`` in the methods of ``cls`` (public
    names; the annotation's text when one is written)."""
    tree = resolver.tree(cls.__module__)
    node = _class_node(tree, cls.__qualname__) if tree is not None else None
    if node is None:
        return {}
    found: dict[str, str | None] = {}
    for method in _statements(node.body):
        if not isinstance(method, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        decorators = {ast.unparse(d) for d in method.decorator_list}
        positional = [*method.args.posonlyargs, *method.args.args]
        if decorators & {"staticmethod", "classmethod"} or not positional:
            continue
        self_name = positional[0].arg
        for statement in ast.walk(method):
            targets: list[ast.expr] = []
            annotation: ast.expr | None = None
            if isinstance(statement, ast.Assign):
                targets = [
                    t
                    for target in statement.targets
                    for t in (target.elts if isinstance(target, ast.Tuple) else [target])
                ]
            elif isinstance(statement, ast.AnnAssign):
                targets, annotation = [statement.target], statement.annotation
            for target in targets:
                if (
                    isinstance(target, ast.Attribute)
                    and isinstance(target.value, ast.Name)
                    and target.value.id == self_name
                    and not target.attr.startswith("_")
                ):
                    text = None
                    if annotation is not None:
                        text = resolver.text(ast.unparse(annotation), cls.__module__, cls)
                    if found.get(target.attr) is None:
                        found[target.attr] = text
    return found


_PROTOCOLS = {
    "__aenter__": "async_cm",
    "__enter__": "cm",
    "__aiter__": "async_iter",
    "__iter__": "iter",
    "__await__": "awaitable",
    "__call__": "callable",
    "__getitem__": "subscript",
}


def class_entry(cls: type, resolver: Resolver, roots: tuple[str, ...]) -> dict[str, Any]:
    """``mro`` (without the class and ``object``), ``own`` members, ``protocols`` (dunders
    it has, inherited ones too) and ``dynamic`` (serves unknown attributes)."""
    mro = [base for base in cls.__mro__[1:] if base is not object]
    entry: dict[str, Any] = {}
    if mro:
        entry["mro"] = [class_path(base) for base in mro]
    with contextlib.suppress(Exception):
        own = own_members(cls, resolver)
        if own:
            entry["own"] = own
    chain = [c for c in cls.__mro__ if c is not object]
    protocols = sorted(
        {tag for dunder, tag in _PROTOCOLS.items() if any(dunder in vars(c) for c in chain)}
    )
    if protocols:
        entry["protocols"] = protocols
    own_getattr = any(
        "__getattr__" in vars(c) and class_path(c).startswith(tuple(f"{r}." for r in roots))
        for c in chain
    )
    config = getattr(cls, "model_config", None)
    extra = config.get("extra") if isinstance(config, Mapping) else None
    if own_getattr or extra == "allow":
        entry["dynamic"] = True
    return entry


def class_entries(
    classes: Mapping[str, type], roots: tuple[str, ...], resolver: Resolver
) -> dict[str, Any]:
    """An entry for every recorded class, every class in their MROs, and the classes
    their annotations name (with their MROs; not what those name in turn)."""
    entries: dict[str, Any] = {}
    for round_ in range(2):
        if round_ == 0:
            pending = dict(classes)
        else:
            pending = {p: c for p, c in resolver.referenced.items() if p not in entries}
        for cls in list(pending.values()):
            for base in cls.__mro__[1:]:
                if base is not object:
                    pending.setdefault(class_path(base), base)
        for path, cls in sorted(pending.items()):
            if path not in entries:
                entries[path] = class_entry(cls, resolver, roots)
    return dict(sorted(entries.items()))


# -- decorators -----------------------------------------------------------------------


def _probe_functions() -> tuple[Callable[..., Any], Callable[..., Any]]:
    def fkit_probe() -> str:
        return "probe"

    def fkit_probe_template(item: str) -> str:
        return item

    return fkit_probe, fkit_probe_template


def _returned(result: Any, fn: Any) -> str:
    return "function" if result is fn else class_path(type(result))


def _attribute_of(factory: Callable[[], Any], name: str, *args: str) -> Any:
    """``factory().name`` or, with ``args``, ``factory().name(*args)``: a decorator."""
    attribute = getattr(factory(), name)
    return attribute(*args) if args else attribute


def _decorators() -> dict[str, tuple[Callable[[], Any], bool]]:
    """How to get each decorator afresh (registering a name twice may raise), keyed by
    its name in ``decorator_returns``, and whether it wants a URI-template function."""
    fastmcp = importlib.import_module("fastmcp")
    found: dict[str, tuple[Callable[[], Any], bool]] = {}
    server = getattr(fastmcp, "FastMCP", None)
    if server is not None:
        new_server = functools.partial(server, "fkit-probe")
        found["FastMCP.tool"] = (functools.partial(_attribute_of, new_server, "tool"), False)
        found["FastMCP.prompt"] = (functools.partial(_attribute_of, new_server, "prompt"), False)
        found["FastMCP.resource"] = (
            functools.partial(_attribute_of, new_server, "resource", "fkit://probe"),
            False,
        )
        found["FastMCP.resource_template"] = (
            functools.partial(_attribute_of, new_server, "resource", "fkit://probe/{item}"),
            True,
        )
    app = getattr(fastmcp, "FastMCPApp", None)
    for name in ("tool", "ui"):
        if app is not None and callable(getattr(app, name, None)):
            new_app = functools.partial(app, "fkit-probe")
            found[f"FastMCPApp.{name}"] = (functools.partial(_attribute_of, new_app, name), False)
    # The standalone decorators of 3.x+ (``fastmcp.tools`` is a package of modules in 2.x).
    for module, name in (
        ("fastmcp.tools", "tool"),
        ("fastmcp.resources", "resource"),
        ("fastmcp.prompts", "prompt"),
    ):
        with contextlib.suppress(Exception):
            decorator = getattr(importlib.import_module(module), name)
            if not inspect.isfunction(decorator):
                continue
            key = f"{module}.{name}"
            if name != "resource":
                found[key] = (functools.partial(lambda d: d, decorator), False)
                continue
            found[key] = (functools.partial(decorator, "fkit://probe"), False)
            found[f"{key}_template"] = (functools.partial(decorator, "fkit://probe/{item}"), True)
    return found


def _probe(factory: Callable[[], Any], template: bool) -> str:
    plain, templated = _probe_functions()
    fn = templated if template else plain
    return _returned(factory()(fn), fn)


def decorator_returns() -> dict[str, dict[str, str]]:
    """What each decorator returns for a plain function: ``function`` (the function
    itself) or the class of the object; ``object_mode``: the same under FastMCP 3.x's
    deprecated ``decorator_mode="object"`` setting, when the release has it."""
    found: dict[str, dict[str, str]] = {}
    with contextlib.suppress(Exception), contextlib.redirect_stdout(io.StringIO()):
        for key, (factory, template) in _decorators().items():
            with contextlib.suppress(Exception):
                found[key] = {"returns": _probe(factory, template)}
        settings = importlib.import_module("fastmcp").settings
        if "decorator_mode" in getattr(type(settings), "model_fields", {}):
            before = settings.decorator_mode
            try:
                settings.decorator_mode = "object"
                for key, (factory, template) in _decorators().items():
                    with contextlib.suppress(Exception):
                        found.setdefault(key, {})["object_mode"] = _probe(factory, template)
            finally:
                settings.decorator_mode = before
    return dict(sorted(found.items()))
