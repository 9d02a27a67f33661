"""``self`` inside the methods of a FastMCP server subclass: a server too.

Rules that check members of a server (FMCP311 on public methods, FMCP312 on private
attributes) follow a subclass's ``self`` the way they follow ``mcp = FastMCP(...)``.
A class counts when every base is a server class; its methods' first parameter (not
for ``@staticmethod``/``@classmethod``) is the server, and so is that name inside a
function nested in such a method unless a parameter of the nested function shadows it.
What the subclass defines itself (methods, class-level assignments, ``__getattr__``) is
its own, recorded in :attr:`ServerSelves.defined`.
"""

from __future__ import annotations

import libcst as cst

from fastmcp_kit.lint.names import ModuleNames

_NOT_BOUND = frozenset({"staticmethod", "classmethod"})


class ServerSelves:
    """Feed it module, class and function visits in traversal order; ask :meth:`is_self`."""

    def __init__(self, names: ModuleNames) -> None:
        self.names = names
        # Names the module's server subclasses define in their class bodies.
        self.defined: set[str] = set()
        # Per enclosing class: is it a server subclass (every base a server class)?
        self.classes: list[bool] = []
        # Per enclosing function: the name its `self` has when it is a method of a
        # server subclass (or inherits it from the method it is nested in), else None.
        self.selves: list[str | None] = []
        self.class_body_depth: list[int] = []

    def visit_module(self, node: cst.Module) -> None:
        for statement in node.body:
            if isinstance(statement, cst.ClassDef) and any(
                self.names.is_server_class(base.value) for base in statement.bases
            ):
                for item in statement.body.body:
                    if isinstance(item, cst.FunctionDef):
                        self.defined.add(item.name.value)
                    elif isinstance(item, cst.SimpleStatementLine):
                        self.defined.update(
                            target.target.value
                            for small in item.body
                            if isinstance(small, cst.Assign)
                            for target in small.targets
                            if isinstance(target.target, cst.Name)
                        )

    def visit_class(self, node: cst.ClassDef) -> None:
        bases = [arg.value for arg in node.bases if arg.keyword is None]
        self.classes.append(bool(bases) and all(self.names.is_server_class(base) for base in bases))
        self.class_body_depth.append(len(self.selves))

    def leave_class(self) -> None:
        self.classes.pop()
        self.class_body_depth.pop()

    def visit_function(self, node: cst.FunctionDef) -> None:
        params = [*node.params.posonly_params, *node.params.params]
        names = {p.name.value for p in (*params, *node.params.kwonly_params)}
        inherited = self.selves[-1] if self.selves else None
        if inherited in names:
            inherited = None  # shadowed by a parameter of the nested function
        method = bool(self.class_body_depth) and self.class_body_depth[-1] == len(self.selves)
        if method:
            static = any(
                isinstance(d.decorator, cst.Name) and d.decorator.value in _NOT_BOUND
                for d in node.decorators
            )
            first = params[0].name.value if params and not static else None
            self.selves.append(first if self.classes[-1] else None)
        else:
            self.selves.append(inherited)

    def leave_function(self) -> None:
        self.selves.pop()

    def is_self(self, node: cst.BaseExpression) -> bool:
        """``node`` is the ``self`` of a server subclass's method (one that does not
        serve attributes through its own ``__getattr__``)."""
        return (
            isinstance(node, cst.Name)
            and bool(self.selves)
            and node.value == self.selves[-1]
            and "__getattr__" not in self.defined
        )
