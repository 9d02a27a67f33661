"""Cheap supersets of :mod:`fastmcp_kit.lint.names` on the stdlib ``ast``, for rules'
tree pre-checks (:meth:`Rule.may_apply_to_tree`).

Every answer here may say yes where ``names`` would say no, never the reverse: a
pre-check only decides whether a rule runs at all. Names are matched by their last
identifier (``fastmcp.server.FastMCP`` and ``FastMCP`` alike), through import
aliases and through classes the module derives from them.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator

from fastmcp_kit.lint.ast_index import every_node, nodes, nodes_of
from fastmcp_kit.lint.names import SERVER_CLASSES, SERVER_CLASSMETHODS, SERVER_FACTORIES

# Last identifiers of everything that builds a standalone server.
SERVER_CLASS_NAMES = frozenset(name.rpartition(".")[2] for name in SERVER_CLASSES)
SERVER_CONSTRUCTOR_NAMES = (
    SERVER_CLASS_NAMES
    | {name.rpartition(".")[2] for name in SERVER_FACTORIES}
    | SERVER_CLASSMETHODS
)


def last_identifier(node: ast.AST) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def local_names_for(tree: ast.Module, names: Iterable[str]) -> frozenset[str]:
    """``names``, plus import aliases of them and classes derived from them (any
    depth) anywhere in the module."""
    known = set(names)
    for node in nodes_of(tree, ast.Import, ast.ImportFrom):
        assert isinstance(node, (ast.Import, ast.ImportFrom))
        for alias in node.names:
            if alias.asname and alias.name.rpartition(".")[2] in known:
                known.add(alias.asname)
    classes = nodes(tree, ast.ClassDef)
    grew = True
    while grew:
        grew = False
        for cls in classes:
            if cls.name not in known and any(last_identifier(b) in known for b in cls.bases):
                known.add(cls.name)
                grew = True
    return frozenset(known)


def calls_any(tree: ast.Module, names: Iterable[str]) -> bool:
    """Whether some call's callee ends in one of ``names`` (or an alias/subclass)."""
    known = local_names_for(tree, names)
    return any(last_identifier(node.func) in known for node in nodes(tree, ast.Call))


def annotates_with_any(tree: ast.Module, names: Iterable[str], *, parameters: bool = True) -> bool:
    """Whether some annotation (variables, and parameters unless told otherwise)
    mentions one of ``names``, string annotations included."""
    known = local_names_for(tree, names)
    annotated = nodes_of(tree, ast.AnnAssign, ast.arg) if parameters else nodes(tree, ast.AnnAssign)
    for node in annotated:
        assert isinstance(node, (ast.AnnAssign, ast.arg))
        if node.annotation is not None and mentions_any(node.annotation, known):
            return True
    return False


def may_build_server(tree: ast.Module) -> bool:
    """A superset of "the module binds or builds a standalone FastMCP server"."""
    return calls_any(tree, SERVER_CONSTRUCTOR_NAMES) or annotates_with_any(tree, SERVER_CLASS_NAMES)


def may_bind_module_server(tree: ast.Module) -> bool:
    """A superset of "the module builds a server or binds one to an annotated variable"
    (``names.module_servers``, FMCP101's servers built in functions): parameters
    annotated with FastMCP, everywhere in a large code base, do not count."""
    return calls_any(tree, SERVER_CONSTRUCTOR_NAMES) or annotates_with_any(
        tree, SERVER_CLASS_NAMES, parameters=False
    )


# -- components (rules on `@<server>.tool/.resource/.prompt` functions) -------------

AnyFunctionDef = ast.FunctionDef | ast.AsyncFunctionDef
# `names.COMPONENT_KINDS`: the decorator attributes that register a component.
COMPONENT_DECORATOR_NAMES = frozenset({"tool", "resource", "prompt"})
# Attributes that keep per-tree results on the tree (one file's pre-checks share them).
_STATEMENTS = "_fkit_statements"
_COMPONENTS = "_fkit_components"
_SERVERS = "_fkit_servers"


def _is_fastmcp_module(module: str) -> bool:
    return module == "fastmcp" or module.startswith("fastmcp.")


def imports_fastmcp(tree: ast.Module) -> bool:
    """A superset of "some name of this module resolves into ``fastmcp``": an absolute
    import of ``fastmcp`` or a submodule, at any depth (star imports included).

    ``names`` resolves servers, component decorators, fastmcp's ``Context``,
    ``get_context()`` and ``MiddlewareContext`` only through such an import (relative
    imports are never resolved), so without one none of them can match.
    """
    for node in statements(tree):
        if isinstance(node, ast.Import) and any(
            _is_fastmcp_module(alias.name) for alias in node.names
        ):
            return True
        if (
            isinstance(node, ast.ImportFrom)
            and node.level == 0
            and node.module
            and _is_fastmcp_module(node.module)
        ):
            return True
    return False


def statements(tree: ast.Module) -> list[ast.stmt]:
    """Every statement of the module at any depth (function and class bodies, every
    block), without the expressions: a fraction of ``ast.walk``'s nodes. Kept on the
    tree, so the pre-checks of one file share it."""
    found: list[ast.stmt] | None = getattr(tree, _STATEMENTS, None)
    if found is None:
        found = []
        pending: list[ast.stmt] = list(reversed(tree.body))
        while pending:
            node = pending.pop()
            found.append(node)
            for field in ("finalbody", "orelse", "body"):
                block = getattr(node, field, None)
                if isinstance(block, list):
                    pending.extend(reversed(block))
            for part in (*getattr(node, "handlers", ()), *getattr(node, "cases", ())):
                pending.extend(reversed(part.body))
        setattr(tree, _STATEMENTS, found)
    return found


def component_kinds(function: AnyFunctionDef) -> Iterable[tuple[str, ast.Call | None]]:
    """``(kind, call)`` of each decorator shaped like ``@<x>.tool``, ``@<x>.tool(...)``,
    ``@<x>.resource(...)``, ``@<x>.prompt``, whatever ``<x>`` is (``call`` is None
    without parentheses)."""
    for decorator in function.decorator_list:
        call = decorator if isinstance(decorator, ast.Call) else None
        target = call.func if call is not None else decorator
        if isinstance(target, ast.Attribute) and target.attr in COMPONENT_DECORATOR_NAMES:
            yield target.attr, call


def component_functions(
    tree: ast.Module, kinds: Iterable[str] = COMPONENT_DECORATOR_NAMES
) -> list[AnyFunctionDef]:
    """Functions (sync or async, at any depth) with a decorator of one of ``kinds``
    shaped like a component decorator whose receiver may be a server
    (:func:`may_be_server`): a superset of ``names.component_decorators`` when the
    module also passes :func:`imports_fastmcp`. (A server imported from another
    module is not one for ``names``, so its decorators never count.)"""
    wanted = frozenset(kinds)
    return [function for function, found in _components(tree) if found & wanted]


def _components(tree: ast.Module) -> list[tuple[AnyFunctionDef, frozenset[str]]]:
    """Each function with component-shaped decorators on a receiver that may be a
    server, and their kinds; kept on the tree, so the pre-checks of one file share it."""
    cached: list[tuple[AnyFunctionDef, frozenset[str]]] | None = getattr(tree, _COMPONENTS, None)
    if cached is not None:
        return cached
    cached = []
    for node in statements(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            kinds = frozenset(
                target.attr
                for decorator in node.decorator_list
                for target in [decorator.func if isinstance(decorator, ast.Call) else decorator]
                if isinstance(target, ast.Attribute)
                and target.attr in COMPONENT_DECORATOR_NAMES
                and _may_be_server(tree, target.value)
            )
            if kinds:
                cached.append((node, kinds))
    setattr(tree, _COMPONENTS, cached)
    return cached


def may_define_components(
    tree: ast.Module, kinds: Iterable[str] = COMPONENT_DECORATOR_NAMES
) -> bool:
    """A superset of "some function has a component decorator of one of ``kinds``"."""
    return bool(component_functions(tree, kinds)) and imports_fastmcp(tree)


def literal_argument(call: ast.Call, keyword: str, position: int | None = None) -> str | None:
    """The string literal passed as ``keyword`` (or at ``position`` among positional
    arguments), like ``ComponentDecorator.argument`` + a string literal check; an
    implicit concatenation counts here (libcst does not: a superset)."""
    value: ast.expr | None = next((k.value for k in call.keywords if k.arg == keyword), None)
    if value is None and position is not None:
        positional = [arg for arg in call.args if not isinstance(arg, ast.Starred)]
        value = positional[position] if position < len(positional) else None
    if isinstance(value, ast.Constant) and isinstance(value.value, str):
        return value.value
    return None


def mentions_any(expression: ast.expr, known: frozenset[str]) -> bool:
    """Whether an annotation-like expression names one of ``known`` (by last
    identifier), or holds a string (a string annotation) containing one."""
    for part in ast.walk(expression):
        if last_identifier(part) in known:
            return True
        if (
            isinstance(part, ast.Constant)
            and isinstance(part.value, str)
            and any(name in part.value for name in known)
        ):
            return True
    return False


# -- imports and server receivers (`<server>.<method>(...)`, ASGI apps) ------------


def imported_packages(tree: ast.Module) -> frozenset[str]:
    """Top-level packages of the module's absolute imports at any depth (star imports
    included): a superset of the first parts of ``names.aliases`` values."""
    found: set[str] = set()
    for node in every_node(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name.partition(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.partition(".")[0])
    return frozenset(found)


def dotted(node: ast.AST) -> str | None:
    """``a.b.c`` for a Name/Attribute chain (``names.dotted_name``), None otherwise."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = dotted(node.value)
        return None if base is None else f"{base}.{node.attr}"
    return None


def may_be_server(tree: ast.Module, receivers: Iterable[ast.expr]) -> bool:
    """A superset of "``names.is_server`` holds for one of ``receivers``": a server
    constructor call; a dotted name assigned such a call or annotated with a server
    class (variables, parameters); or the name of an unannotated parameter (other than
    ``self``/``cls``) in a module importing fastmcp."""
    return any(_may_be_server(tree, receiver) for receiver in receivers)


def may_be_context(receiver: ast.expr) -> bool:
    """A superset of ``ContextScopes.is_context`` by shape: a name, a call without
    arguments (``get_context()``) or ``<name>.fastmcp_context``."""
    if isinstance(receiver, ast.Call):
        return not receiver.args and not receiver.keywords
    if isinstance(receiver, ast.Attribute):
        return receiver.attr == "fastmcp_context" and isinstance(receiver.value, ast.Name)
    return isinstance(receiver, ast.Name)


def _may_be_server(tree: ast.Module, receiver: ast.expr) -> bool:
    """:func:`may_be_server` for one receiver, from :func:`statements` only
    (assignments, parameters, imports and classes are statements), with what it needs
    computed once per tree."""
    cached: tuple[frozenset[str], set[str | None]] | None = getattr(tree, _SERVERS, None)
    if cached is None:
        constructors = local_names_for(tree, SERVER_CONSTRUCTOR_NAMES)
        classes = local_names_for(tree, SERVER_CLASS_NAMES)

        def constructs(value: ast.expr | None) -> bool:
            return isinstance(value, ast.Call) and last_identifier(value.func) in constructors

        def annotates(annotation: ast.expr | None) -> bool:
            return annotation is not None and mentions_any(annotation, classes)

        servers: set[str | None] = set()
        parameters: set[str | None] = set()
        for node in statements(tree):
            if isinstance(node, ast.Assign) and constructs(node.value):
                servers.update(map(dotted, node.targets))
            elif isinstance(node, ast.AnnAssign) and (
                annotates(node.annotation) or constructs(node.value)
            ):
                servers.add(dotted(node.target))
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                args = node.args
                for arg in (*args.posonlyargs, *args.args, *args.kwonlyargs):
                    if arg.annotation is None:
                        if arg.arg not in ("self", "cls"):
                            parameters.add(arg.arg)
                    elif annotates(arg.annotation):
                        servers.add(arg.arg)
        if imports_fastmcp(tree):
            servers |= parameters
        cached = (constructors, servers)
        setattr(tree, _SERVERS, cached)
    constructors, servers = cached
    if isinstance(receiver, ast.Call):
        return last_identifier(receiver.func) in constructors
    return dotted(receiver) in servers


def literal_resource_uris(tree: ast.Module) -> Iterator[str]:
    """The literal URIs of ``@<server>.resource("...")`` decorators (FMCP202-204)."""
    for function in component_functions(tree, ("resource",)):
        for kind, call in component_kinds(function):
            uri = literal_argument(call, "uri", 0) if call and kind == "resource" else None
            if uri is not None:
                yield uri


def may_mount(tree: ast.Module) -> bool:
    """A superset of asgi's mount sites: `<x>.mount(...)` or `Mount(...)` calls."""
    calls = [node.func for node in nodes(tree, ast.Call)]
    if any(isinstance(func, ast.Attribute) and func.attr == "mount" for func in calls):
        return True
    known = local_names_for(tree, ("Mount",))
    return any(last_identifier(func) in known for func in calls)


def imports_fastmcp_and_asgi_framework(tree: ast.Module) -> bool:
    """What ``asgi.analyze`` needs before it looks further (FMCP401-403)."""
    packages = imported_packages(tree)
    return "fastmcp" in packages and bool(packages & {"fastapi", "starlette"})


def may_hold_context(receiver: ast.expr, tree: ast.Module) -> bool:
    """A superset of ContextScopes.is_context, by name across the module: a parameter
    annotated with Context (or MiddlewareContext's `.fastmcp_context`), a name assigned
    from `get_context()` or from such a name, or that call itself."""
    if isinstance(receiver, ast.Attribute):
        return receiver.attr == "fastmcp_context"
    getters = local_names_for(tree, {"get_context"})
    if isinstance(receiver, ast.Call):
        return last_identifier(receiver.func) in getters
    return isinstance(receiver, ast.Name) and receiver.id in context_names(tree, getters)


def context_names(tree: ast.Module, getters: frozenset[str]) -> set[str]:
    annotations = local_names_for(tree, {"Context"})
    found = {
        arg.arg
        for arg in nodes(tree, ast.arg)
        if arg.annotation is not None and mentions_any(arg.annotation, annotations)
    }
    assignments = [(node.targets, node.value) for node in nodes(tree, ast.Assign)]
    assignments += [
        ([node.target], node.value) for node in nodes(tree, ast.AnnAssign) if node.value
    ]
    grew = True
    while grew:  # `c = ctx` makes c a Context too
        grew = False
        for targets, value in assignments:
            holds = (
                (isinstance(value, ast.Call) and last_identifier(value.func) in getters)
                or (isinstance(value, ast.Name) and value.id in found)
                or (isinstance(value, ast.Attribute) and value.attr == "fastmcp_context")
            )
            if not holds:
                continue
            for target in targets:
                if isinstance(target, ast.Name) and target.id not in found:
                    found.add(target.id)
                    grew = True
    return found


# -- functions registered by a call (`mcp.tool(fn)`, `mcp.resource("uri")(fn)`) ------

# What ``registered_functions`` reads as a registering call, by attribute.
_REGISTERING_CALLS = frozenset({"tool", "prompt", "add_tool"})


def registration_calls(tree: ast.Module) -> list[ast.Call]:
    """Calls shaped like ``<server>.tool(fn)``, ``<server>.prompt(fn)``,
    ``<server>.add_tool(fn)`` or ``<server>.resource(...)(fn)`` whose receiver may be a
    server: a superset of ``registered_functions``' registration calls."""
    found = []
    for node in nodes(tree, ast.Call):
        func = node.func
        if not node.args or isinstance(node.args[0], ast.Constant):
            continue
        if isinstance(func, ast.Call):
            func = func.func
            registering = COMPONENT_DECORATOR_NAMES
        else:
            registering = _REGISTERING_CALLS
        if (
            isinstance(func, ast.Attribute)
            and func.attr in registering
            and _may_be_server(tree, func.value)
        ):
            found.append(node)
    return found


def may_register_functions(
    tree: ast.Module, kinds: Iterable[str] = COMPONENT_DECORATOR_NAMES
) -> bool:
    """A superset of "``registered_functions`` finds a registration of one of ``kinds``"
    (registration calls are not told apart by kind)."""
    return (bool(component_functions(tree, kinds)) or bool(registration_calls(tree))) and (
        imports_fastmcp(tree)
    )
