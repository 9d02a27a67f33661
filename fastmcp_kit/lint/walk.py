"""Read-only traversals in libcst's visit order, without rebuilding the tree.

``node.visit(visitor)`` runs ``_visit_and_replace_children``, which rebuilds (and
re-validates) every node it passes even when the visitor only reads, and calls four
attribute hooks per field. Lint rules only read, so these walkers visit the same nodes
in the same order and call ``visit_<Type>`` / ``leave_<Type>`` (or ``on_visit`` /
``on_leave``), nothing else. On the fastmcp 4.1.2 source that removes about a fifth of
the lint time (bench/FINDINGS.md); tests compare both orders on real code.
"""

from __future__ import annotations

import ast
import inspect
import textwrap
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from functools import cache

import libcst as cst

Callback = Callable[[cst.CSTNode], object]

# Whitespace, comments and operator tokens: skipped unless a visitor asks for them.
_TOKEN_MODULES = frozenset({"libcst._nodes.whitespace", "libcst._nodes.op"})


@cache
def _token_names() -> frozenset[str]:
    import libcst._nodes.op as op
    import libcst._nodes.whitespace as whitespace

    return frozenset(
        name
        for module in (op, whitespace)
        for name, value in vars(module).items()
        if isinstance(value, type) and issubclass(value, cst.CSTNode)
    )


@cache
def child_fields(cls: type[cst.CSTNode]) -> tuple[str, ...] | None:
    """The fields ``cls._visit_and_replace_children`` visits, in its order.

    Read from its source: every libcst node visits its fields with calls such as
    ``visit_sequence(self, "body", self.body, visitor)``. None when the source is not
    available (then :func:`_children` asks libcst itself).
    """
    try:
        source = textwrap.dedent(inspect.getsource(cls._visit_and_replace_children))
    except (OSError, TypeError):
        return None
    calls = [
        node
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id.startswith("visit_")
        and len(node.args) >= 2
        and isinstance(node.args[1], ast.Constant)
        and isinstance(node.args[1].value, str)
    ]
    calls.sort(key=lambda call: (call.lineno, call.col_offset))
    ordered: dict[str, None] = {}
    for call in calls:
        argument = call.args[1]
        assert isinstance(argument, ast.Constant) and isinstance(argument.value, str)
        ordered.setdefault(argument.value, None)
    return tuple(ordered)


def children(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    fields = child_fields(type(node))
    if fields is None:
        yield from node.children
        return
    for name in fields:
        value = getattr(node, name)
        if isinstance(value, cst.CSTNode):
            yield value
        elif isinstance(value, (tuple, list)):
            for item in value:
                if isinstance(item, cst.CSTNode):
                    yield item


def walk_batched(module: cst.Module, visitors: Iterable[cst.BatchableCSTVisitor]) -> None:
    """``MetadataWrapper.visit_batched`` for read-only visitors: one pass calling
    every visitor's ``visit_*`` / ``leave_*`` methods (their return values ignored,
    as libcst does for batched visitors)."""
    visit: dict[str, list[Callback]] = {}
    leave: dict[str, list[Callback]] = {}
    for visitor in visitors:
        for name, method in visitor.get_visitors().items():
            kind, _, node_type = name.partition("_")
            if "_" in node_type:  # visit_Call_func: an attribute hook
                raise NotImplementedError(f"{type(visitor).__name__}.{name}")
            (visit if kind == "visit" else leave).setdefault(node_type, []).append(method)
    into_tokens = bool((visit.keys() | leave.keys()) & _token_names())
    _walk_batched(module, visit, leave, into_tokens)


def _walk_batched(
    node: cst.CSTNode,
    visit: Mapping[str, Sequence[Callback]],
    leave: Mapping[str, Sequence[Callback]],
    into_tokens: bool,
) -> None:
    name = type(node).__name__
    for callback in visit.get(name, ()):
        callback(node)
    if into_tokens or type(node).__module__ not in _TOKEN_MODULES:
        for child in children(node):
            _walk_batched(child, visit, leave, into_tokens)
    for callback in leave.get(name, ()):
        callback(node)


@cache
def _reads_tokens(cls: type[cst.CSTVisitor]) -> bool:
    """Whether a visitor may look at whitespace or operator nodes."""
    if cls.on_visit is not cst.CSTVisitor.on_visit or cls.on_leave is not cst.CSTVisitor.on_leave:
        return True
    return any(
        name.partition("_")[2] in _token_names()
        for name in dir(cls)
        if name.startswith(("visit_", "leave_"))
        and not getattr(getattr(cls, name), "_is_no_op", False)
    )


@cache
def _has_attribute_hooks(cls: type[cst.CSTVisitor]) -> bool:
    return (
        cls.on_visit_attribute is not cst.CSTVisitor.on_visit_attribute
        or cls.on_leave_attribute is not cst.CSTVisitor.on_leave_attribute
        or any(
            name.count("_") > 1 and not getattr(getattr(cls, name), "_is_no_op", False)
            for name in dir(cls)
            if name.startswith(("visit_", "leave_"))
        )
    )


def walk(node: cst.CSTNode, visitor: cst.CSTVisitor, *, tokens: bool | None = None) -> None:
    """``node.visit(visitor)`` for a read-only ``CSTVisitor``, without rebuilding.

    ``visit_<Type>`` returning False skips the children, and ``leave_<Type>`` still
    runs, as in libcst. Visitors with attribute hooks go through libcst itself.
    Whitespace and operator nodes are visited only if the visitor may look at them;
    ``tokens`` says so for visitors that override ``on_visit`` (otherwise assumed).
    """
    cls = type(visitor)
    if _has_attribute_hooks(cls):
        node.visit(visitor)
        return
    _walk(node, visitor, _reads_tokens(cls) if tokens is None else tokens)


def is_token_type(kind: type[cst.CSTNode]) -> bool:
    """Whether ``kind`` is a whitespace, comment or operator node."""
    return kind.__module__ in _TOKEN_MODULES


def _walk(node: cst.CSTNode, visitor: cst.CSTVisitor, into_tokens: bool) -> None:
    if visitor.on_visit(node) and (into_tokens or type(node).__module__ not in _TOKEN_MODULES):
        for child in children(node):
            _walk(child, visitor, into_tokens)
    visitor.on_leave(node)
