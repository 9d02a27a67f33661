"""Which names in a component function hold what the MCP client sent.

Every argument of a tool, resource template or prompt is chosen by the model, and so
by whoever can put text in front of it. This module follows those values inside one
function, in source order: a parameter the client fills is tainted unless its type
cannot carry text (``int``, ``float``, ``bool``, a ``Literal`` of choices); a name
assigned from an expression that uses a tainted name is tainted, and reassigning it
from clean values cleans it. Calls that neutralise text for the sink (``shlex.quote``,
any call whose name says it quotes, escapes, sanitises or makes safe: ``quote_ident``,
``secure_filename``) or reduce it to a number (``int``, ``len``) stop the taint, and so do lookups keyed by
it (``store.get_image(image_id)``, ``COMMANDS[name]``: the server's own value comes
back) and checks the function makes before using it: a validator called as a statement
(``validate_path(path)``) and an allow-list test that leaves the function
(``if table not in TABLES: raise ...``). Parameters the schema already restricts are
never tainted: ``Literal[...]``, an ``Enum`` class of the module, a pydantic
``pattern=`` constraint (``Annotated[str, Field(pattern=...)]``). Sink families add
their own neutralising calls (``os.path.basename`` for file paths); calls into helpers
of the same module are followed by :mod:`fastmcp_kit.lint.taint_rule`.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

import libcst as cst

from fastmcp_kit.lint.body_walk import every_direct_node
from fastmcp_kit.lint.names import ModuleNames, dotted_name
from fastmcp_kit.lint.walk import walk

# Types whose values cannot carry a command or code.
SAFE_TYPES = frozenset({"int", "float", "bool", "complex", "datetime", "date", "UUID"})
# Calls whose result no longer carries the text as given.
NEUTRALISING = frozenset(
    {
        "shlex.quote",
        "shlex.join",
        "int",
        "float",
        "bool",
        "len",
        "abs",
        "round",
        "hash",
        "isinstance",
    }
)
# A call whose name contains one of these returns a cleaned value (`quote_identifier`,
# `escape_like`, `sanitize_path`, `safe_join`, `secure_filename`).
NEUTRALISING_WORDS = ("quote", "escape", "saniti", "safe", "secure")
# A call whose result is dropped and whose name starts so checks its argument.
VALIDATOR_PREFIXES = ("validate", "_validate", "check", "_check", "ensure", "verify", "sanitize")
# Modules whose ``get`` sends a request rather than looking a value up.
HTTP_MODULES = frozenset({"requests", "httpx", "aiohttp", "urllib"})
# Defaults through which FastMCP injects values itself (not the client's).
INJECTED_DEFAULTS = ("Depends", "Current")


def client_parameters(
    function: cst.FunctionDef, names: ModuleNames, safe_classes: frozenset[str] = frozenset()
) -> set[str]:
    """The parameters of a component function that the client fills with text
    (``safe_classes``: the module's own enum classes, whose values are fixed)."""
    found: set[str] = set()
    params = function.params
    for param in (*params.posonly_params, *params.params, *params.kwonly_params):
        name = param.name.value
        if name in ("self", "cls") or names.context_kind(param.annotation) is not None:
            continue
        if param.default is not None and _injected(param.default):
            continue
        if param.default is not None and _pattern_constraint(cst.Index(param.default)):
            continue  # ``x: str = Field(pattern=...)``
        if param.annotation is not None and _cannot_carry_text(
            param.annotation.annotation, names, safe_classes
        ):
            continue
        found.add(name)
    return found


def tainted_names(
    function: cst.FunctionDef, names: ModuleNames, safe_classes: frozenset[str] = frozenset()
) -> set[str]:
    """Client parameters plus every local assigned from them (see :func:`propagate`)."""
    return set(propagate(function, client_parameters(function, names, safe_classes), names))


def propagate(
    function: cst.FunctionDef,
    seeds: Iterable[str],
    names: ModuleNames,
    neutralising: frozenset[str] = frozenset(),
) -> dict[str, str]:
    """``seeds`` plus every local assigned from them, each mapped to the seed it came
    from, in source order: a later reassignment from clean values removes the name, and
    so does a validator called on it as a statement (``validate_expr(expr)``: its
    result unused, it must raise) or an allow-list test that leaves the function when
    it fails. A ``for`` target over a tainted iterable is tainted."""
    origins = {seed: seed for seed in seeds}

    def bind(targets: Iterable[str], value: cst.CSTNode, *, keep: bool = False) -> None:
        found = first_tainted(value, origins, names, neutralising)
        for name in targets:
            if found is not None:
                origins[name] = origins[found]
            elif not keep:
                origins.pop(name, None)

    for node in every_direct_node(function):
        if isinstance(node, cst.Assign):
            bind([n for t in node.targets for n in _bound_names(t.target)], node.value)
        elif isinstance(node, cst.AnnAssign) and node.value is not None:
            bind(_bound_names(node.target), node.value)
        elif isinstance(node, cst.AugAssign) and isinstance(node.target, cst.Name):
            bind([node.target.value], node.value, keep=True)
        elif isinstance(node, cst.For):
            bind(_bound_names(node.target), node.iter, keep=True)
        else:
            for name in _checked(node):
                origins.pop(name, None)
    return origins


def _checked(node: cst.CSTNode) -> set[str]:
    """Names a statement proves safe before going on: a validator called on them, an
    allow-list test that leaves the function, an ``assert x in KNOWN``."""
    if isinstance(node, cst.Expr) and isinstance(node.value, cst.Call):
        return _validated(node.value)
    if isinstance(node, cst.If):
        return allow_listed(node)
    if isinstance(node, cst.Assert):
        return _members(node.test, negated=False)
    return set()


def allow_listed(statement: cst.If) -> set[str]:
    """Names an ``if`` proves to be among known values before going on:
    ``if x not in ALLOWED: raise/return ...`` (the branch leaves the function)."""
    body = statement.body.body
    last = body[-1] if body else None
    leaves = isinstance(last, cst.SimpleStatementLine) and any(
        isinstance(small, (cst.Raise, cst.Return)) for small in last.body
    )
    return _members(statement.test, negated=True) if leaves else set()


def _members(test: cst.BaseExpression, *, negated: bool) -> set[str]:
    """``x in KNOWN`` (or ``x not in KNOWN`` when ``negated``), joined by ``or``/``and``."""
    if isinstance(test, cst.BooleanOperation):
        return _members(test.left, negated=negated) | _members(test.right, negated=negated)
    if not isinstance(test, cst.Comparison) or len(test.comparisons) != 1:
        return set()
    operator = test.comparisons[0].operator
    wanted = cst.NotIn if negated else cst.In
    known = test.comparisons[0].comparator
    # ``x in "abc"`` tests a substring, not a list of choices.
    substring = isinstance(known, (cst.SimpleString, cst.FormattedString))
    if isinstance(operator, wanted) and isinstance(test.left, cst.Name) and not substring:
        return {test.left.value}
    return set()


def _validated(call: cst.Call) -> set[str]:
    """The names a validator call checks (``validate_x(expr)``, ``check_path(p)``)."""
    called = (dotted_name(call.func) or "").rpartition(".")[2].lower()
    if not called.startswith(VALIDATOR_PREFIXES):
        return set()
    return {arg.value.value for arg in call.args if isinstance(arg.value, cst.Name)}


def uses_tainted(
    node: cst.CSTNode,
    tainted: Collection[str],
    names: ModuleNames,
    neutralising: frozenset[str] = frozenset(),
) -> bool:
    """Does the expression use a tainted name outside a neutralising call?"""
    return first_tainted(node, tainted, names, neutralising) is not None


def first_tainted(
    node: cst.CSTNode,
    tainted: Collection[str],
    names: ModuleNames,
    neutralising: frozenset[str] = frozenset(),
) -> str | None:
    """The first tainted name the expression reads, outside calls in ``NEUTRALISING``
    or ``neutralising`` (a sink family's own: qualified call names, or ``.attr`` for an
    attribute that keeps only a harmless part, as ``.name`` of a path)."""
    if not tainted:
        return None
    finder = _Finder(tainted, names, NEUTRALISING | neutralising)
    walk(node, finder)
    return finder.found


class _Finder(cst.CSTVisitor):
    def __init__(
        self, tainted: Collection[str], names: ModuleNames, neutralising: frozenset[str]
    ) -> None:
        super().__init__()
        self.tainted = tainted
        self.names = names
        self.neutralising = neutralising
        self.found: str | None = None

    def visit_Call(self, node: cst.Call) -> bool:
        called = self.names.qualified_name(node.func) or dotted_name(node.func) or ""
        if called in self.neutralising:
            return False
        if _lookup(node, called):
            # ``store.get_image(image_id)``, ``COMMANDS.get(name)``: what comes back was
            # stored by the server, not built from the text (unless the store is tainted).
            walk(node.func, self)
            return False
        last = called.rpartition(".")[2].lower()
        if "unsafe" in last:
            return True
        return not any(word in last for word in NEUTRALISING_WORDS)

    # Only names that are read: not ``x.name``'s attribute nor ``f(name=...)``'s keyword.
    def visit_Attribute(self, node: cst.Attribute) -> bool:
        if "." + node.attr.value not in self.neutralising:
            walk(node.value, self)
        return False

    def visit_Arg(self, node: cst.Arg) -> bool:
        walk(node.value, self)
        return False

    # ``ALLOWED[name]`` looks the text up (a KeyError otherwise); ``name[0]`` keeps it.
    def visit_Subscript(self, node: cst.Subscript) -> bool:
        walk(node.value, self)
        return False

    def visit_Name(self, node: cst.Name) -> None:
        if self.found is None and node.value in self.tainted:
            self.found = node.value

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return False


def _lookup(call: cst.Call, called: str) -> bool:
    """A method that finds a stored value by key: ``.get``, ``.get_*``, ``.find*``,
    ``.lookup*`` on an object (not an HTTP module: ``requests.get(url)`` fetches)."""
    if not isinstance(call.func, cst.Attribute):
        return False
    method = call.func.attr.value
    if called.partition(".")[0] in HTTP_MODULES:
        return False
    return method == "get" or method.startswith(("get_", "find", "lookup"))


def _injected(default: cst.BaseExpression) -> bool:
    if not isinstance(default, cst.Call):
        return False
    called = (dotted_name(default.func) or "").rpartition(".")[2]
    return called.startswith(INJECTED_DEFAULTS)


def _cannot_carry_text(
    annotation: cst.BaseExpression, names: ModuleNames, safe_classes: frozenset[str]
) -> bool:
    if isinstance(annotation, cst.BinaryOperation) and isinstance(annotation.operator, cst.BitOr):
        return _cannot_carry_text(annotation.left, names, safe_classes) and _cannot_carry_text(
            annotation.right, names, safe_classes
        )
    if isinstance(annotation, cst.Name) and annotation.value == "None":
        return True
    if isinstance(annotation, cst.Subscript):
        wrapper = names.qualified_name(annotation.value) or dotted_name(annotation.value) or ""
        wrapper = wrapper.rpartition(".")[2]
        if wrapper == "Literal":  # the published schema restricts it to these values
            return True
        if wrapper == "Annotated" and any(
            _pattern_constraint(e.slice) for e in annotation.slice[1:]
        ):
            return True  # pydantic validates the text against the pattern first
        if wrapper in ("Optional", "Annotated"):
            first = annotation.slice[0].slice
            return isinstance(first, cst.Index) and _cannot_carry_text(
                first.value, names, safe_classes
            )
        return False
    name = dotted_name(annotation) or ""
    return name in safe_classes or name.rpartition(".")[2] in SAFE_TYPES


def _pattern_constraint(element: cst.BaseSlice) -> bool:
    """``Field(pattern=...)``, ``StringConstraints(pattern=...)``, ``constr(pattern=...)``
    (``regex=`` in pydantic 1)."""
    if not isinstance(element, cst.Index) or not isinstance(element.value, cst.Call):
        return False
    return any(
        arg.keyword is not None and arg.keyword.value in ("pattern", "regex")
        for arg in element.value.args
    )


def _bound_names(target: cst.BaseExpression) -> Iterable[str]:
    if isinstance(target, cst.Name):
        yield target.value
    elif isinstance(target, (cst.Tuple, cst.List)):
        for element in target.elements:
            yield from _bound_names(element.value)
