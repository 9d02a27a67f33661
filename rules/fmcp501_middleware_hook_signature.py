from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import TypeVar, cast

import libcst as cst

from fastmcp_kit.lint import middleware
from fastmcp_kit.lint.ast_index import every_node
from fastmcp_kit.lint.ast_names import last_identifier, local_names_for
from fastmcp_kit.lint.rule import Fix, Invalid, Rule, RuleContext, Valid
from fastmcp_kit.lint.violation import Severity
from fastmcp_kit.lint.walk import walk

CALL_NEXT = "call_next"
OVERRIDE = frozenset({"typing.override", "typing_extensions.override"})


@dataclass(frozen=True)
class _Problem:
    error: str  # the TypeError FastMCP's call raises
    renamable: str | None = None  # the parameter a rename to `call_next` fixes


def _signature_problem(function: cst.FunctionDef, owner: str) -> _Problem | None:
    """Why ``function(context, call_next=...)`` (bound) raises TypeError, if it does."""
    params = function.params
    posonly, regular = list(params.posonly_params), list(params.params)
    if posonly:
        posonly = posonly[1:]
    elif regular:
        regular = regular[1:]
    else:
        return None  # no `self`: not an instance method we understand
    slots = posonly + regular
    star_arg = params.star_arg if isinstance(params.star_arg, cst.Param) else None
    star_kwarg = params.star_kwarg
    name = f"{owner}.{function.name.value}"
    if not slots and star_arg is None:
        return _Problem(f"{name}() takes 1 positional argument but 2 were given")
    filled = {slots[0].name.value} if slots else set()
    by_keyword = [p for p in (*regular, *params.kwonly_params) if p.name.value == CALL_NEXT]
    if by_keyword:
        if CALL_NEXT in filled:
            return _Problem(f"{name}() got multiple values for argument 'call_next'")
        filled.add(CALL_NEXT)
    elif star_kwarg is None:
        if any(p.name.value == CALL_NEXT for p in posonly):
            return _Problem(
                f"{name}() got some positional-only arguments passed as keyword "
                "arguments: 'call_next'"
            )
        renamable = None
        if (
            not posonly
            and len(regular) == 2
            and star_arg is None
            and not params.kwonly_params
            and not isinstance(params.star_arg, cst.ParamStar)
        ):
            renamable = regular[1].name.value
        return _Problem(f"{name}() got an unexpected keyword argument 'call_next'", renamable)
    for param in (*slots, *params.kwonly_params):
        if param.default is None and param.name.value not in filled:
            return _Problem(f"{name}() missing 1 required argument: '{param.name.value}'")
    return None


class _Uses(cst.CSTVisitor):
    """Name nodes of one variable in a function body, and whether renaming is safe."""

    def __init__(self, old: str, new: str) -> None:
        super().__init__()
        self.old, self.new = old, new
        self.found: list[cst.Name] = []
        self.unsafe = False
        self._skip: set[int] = set()

    def visit_Attribute(self, node: cst.Attribute) -> None:
        self._skip.add(id(node.attr))

    def visit_Arg(self, node: cst.Arg) -> None:
        if node.keyword is not None:
            self._skip.add(id(node.keyword))

    def visit_Param(self, node: cst.Param) -> None:
        # A nested function or lambda rebinding the name shadows it.
        if node.name.value in (self.old, self.new):
            self.unsafe = True
        self._skip.add(id(node.name))

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._check_binding(node.name)

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self._check_binding(node.name)

    def visit_CompFor(self, node: cst.CompFor) -> None:
        for name in _target_names(node.target):
            self._check_binding(name)

    def visit_ImportAlias(self, node: cst.ImportAlias) -> bool:
        self.unsafe = True  # imports inside the function: do not reason about them
        return False

    def visit_Global(self, node: cst.Global) -> None:
        self.unsafe = True

    def visit_Nonlocal(self, node: cst.Nonlocal) -> None:
        self.unsafe = True

    def _check_binding(self, name: cst.Name) -> None:
        self._skip.add(id(name))
        if name.value in (self.old, self.new):
            self.unsafe = True

    def visit_Name(self, node: cst.Name) -> None:
        if id(node) in self._skip:
            return
        if node.value == self.new:
            self.unsafe = True
        elif node.value == self.old:
            self.found.append(node)


def _target_names(node: cst.BaseExpression) -> list[cst.Name]:
    if isinstance(node, cst.Name):
        return [node]
    if isinstance(node, (cst.Tuple, cst.List)):
        return [n for element in node.elements for n in _target_names(element.value)]
    if isinstance(node, cst.StarredElement):
        return _target_names(node.value)
    return []


class _Bindings(cst.CSTVisitor):
    """Does a function body (re)bind a name anywhere, nested scopes included?"""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name
        self.rebound = False

    def _target(self, node: cst.BaseExpression) -> None:
        if any(n.value == self.name for n in _target_names(node)):
            self.rebound = True

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        self._target(node.target)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self._target(node.target)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self._target(node.target)

    def visit_For(self, node: cst.For) -> None:
        self._target(node.target)

    def visit_CompFor(self, node: cst.CompFor) -> None:
        self._target(node.target)

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        self._target(node.target)

    def visit_AsName(self, node: cst.AsName) -> None:
        if isinstance(node.name, cst.Name):
            self._target(node.name)

    def visit_Param(self, node: cst.Param) -> None:
        self._target(node.name)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._target(node.name)

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self._target(node.name)

    def visit_ImportAlias(self, node: cst.ImportAlias) -> None:
        if node.asname is None and isinstance(node.name, cst.Name):
            self._target(node.name)

    def visit_Global(self, node: cst.Global) -> None:
        self.rebound = True

    def visit_Nonlocal(self, node: cst.Nonlocal) -> None:
        self.rebound = True


_Node = TypeVar("_Node", bound=cst.CSTNode)


class _Replace(cst.CSTTransformer):
    def __init__(self, replacements: dict[int, cst.CSTNode]) -> None:
        super().__init__()
        self.replacements = replacements

    def on_leave(
        self, original_node: _Node, updated_node: _Node
    ) -> _Node | cst.RemovalSentinel | cst.FlattenSentinel[_Node]:
        return cast(_Node, self.replacements.get(id(original_node), updated_node))


class _SelfNext(cst.CSTVisitor):
    """``<self>.next(...)`` calls in a method, with where they sit."""

    def __init__(self, receiver: str) -> None:
        super().__init__()
        self.receiver = receiver
        self.calls: list[tuple[cst.Call, bool, bool, bool]] = []  # call, nested, awaited, bound
        self._depth = 0
        self._awaited: set[int] = set()
        self._bound: set[int] = set()  # values whose attribute/subscript/call binds tighter

    def _enter(self, node: cst.CSTNode) -> None:
        self._depth += 1

    def _leave(self, node: cst.CSTNode) -> None:
        self._depth -= 1

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._enter(node)

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self._leave(original_node)

    def visit_Lambda(self, node: cst.Lambda) -> None:
        self._enter(node)

    def leave_Lambda(self, original_node: cst.Lambda) -> None:
        self._leave(original_node)

    def visit_CompFor(self, node: cst.CompFor) -> None:
        self._enter(node)

    def leave_CompFor(self, original_node: cst.CompFor) -> None:
        self._leave(original_node)

    def visit_GeneratorExp(self, node: cst.GeneratorExp) -> None:
        self._enter(node)

    def leave_GeneratorExp(self, original_node: cst.GeneratorExp) -> None:
        self._leave(original_node)

    def visit_ListComp(self, node: cst.ListComp) -> None:
        self._enter(node)

    def leave_ListComp(self, original_node: cst.ListComp) -> None:
        self._leave(original_node)

    def visit_SetComp(self, node: cst.SetComp) -> None:
        self._enter(node)

    def leave_SetComp(self, original_node: cst.SetComp) -> None:
        self._leave(original_node)

    def visit_DictComp(self, node: cst.DictComp) -> None:
        self._enter(node)

    def leave_DictComp(self, original_node: cst.DictComp) -> None:
        self._leave(original_node)

    def visit_Await(self, node: cst.Await) -> None:
        self._awaited.add(id(node.expression))

    def visit_Attribute(self, node: cst.Attribute) -> None:
        self._bound.add(id(node.value))

    def visit_Subscript(self, node: cst.Subscript) -> None:
        self._bound.add(id(node.value))

    def visit_Call(self, node: cst.Call) -> None:
        self._bound.add(id(node.func))
        func = node.func
        if (
            isinstance(func, cst.Attribute)
            and func.attr.value == "next"
            and isinstance(func.value, cst.Name)
            and func.value.value == self.receiver
        ):
            self.calls.append(
                (node, self._depth > 0, id(node) in self._awaited, id(node) in self._bound)
            )


class MiddlewareHookSignature(Rule):
    """A FastMCP middleware hook FastMCP cannot call, or a call to a non-existent `self.next`.

    ## What it does
    In classes deriving from FastMCP's `Middleware` (`fastmcp.server.middleware`) or
    from one of its built-in middleware classes, flags
    (a) an `on_<hook>` method (`on_message`, `on_request`, `on_call_tool`,
    `on_list_tools`, ... as the target release calls them) that cannot be called as
    `hook(context, call_next=call_next)`, e.g. `(self, tool_name, arguments,
    context)` or `(self, ctx, next)`; and (b) `self.next(...)` calls.

    ## Why is this bad?
    FastMCP passes the context positionally and `call_next` **by keyword**, so the
    second parameter must be named exactly `call_next` (keyword-only is fine; the
    first parameter's name does not matter). Any other signature fails on every
    matching request with `TypeError: M.on_call_tool() got an unexpected keyword
    argument 'call_next'`; the client sees a `ToolError` (2.x/3.x) or `MCPError:
    Internal server error` (4.x), and a broken `on_message`/`on_request` breaks even
    the connection. `Middleware` has no `next` method: `self.next(...)` raises
    `AttributeError: 'M' object has no attribute 'next'`. There is no
    `RecursionError`, whatever guides say (all verified 2.13.3, 3.0.2, 4.1.2).
    Continue the chain with `await call_next(context)`.

    ## Fix safety
    When the hook takes exactly two parameters after `self`, the fix renames the
    second one to `call_next` throughout the method (skipped when a nested scope
    rebinds either name). `self.next()` / `self.next(context)` in an `async` hook with
    a valid signature becomes `await call_next(context)`. Both are safe: they make the
    calls FastMCP makes work and change nothing else. Other signatures (such as
    `(self, tool_name, arguments, context)`) are reported without a fix: the body must
    read `context.message.name` / `context.message.arguments` instead.
    """

    code = "FMCP501"
    severity = Severity.ERROR
    message = "FastMCP calls `{hook}(context, call_next=...)`; this signature fails on every request with `TypeError: {error}`. Use `(self, context, call_next)`"
    fix_title = "Rename the parameter to `call_next`"
    documented_errors = (19,)
    fastmcp_versions = ">=2.9"
    references = ("https://gofastmcp.com/servers/middleware",)

    # Hook signatures (`def on_<hook>`) and `self.next(...)` calls are reported.
    needles = ("def on_", ".next(")

    @classmethod
    def may_apply_to_tree(cls, tree: ast.Module, context: RuleContext) -> bool:
        # In classes deriving from a middleware class: a hook without the usual
        # `(self, <context>, call_next)` signature, or a `.next(...)` call.
        classes = [node for node in every_node(tree) if isinstance(node, ast.ClassDef)]
        if not classes:
            return False
        known = local_names_for(tree, _MIDDLEWARE_BASES)
        for node in classes:
            if not any(last_identifier(base) in known for base in node.bases):
                continue
            for statement in node.body:
                if not isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    continue
                if statement.name in middleware.HOOKS and not _usual_hook(statement):
                    return True
                if any(
                    isinstance(call, ast.Call)
                    and isinstance(call.func, ast.Attribute)
                    and call.func.attr == "next"
                    for call in ast.walk(statement)
                ):
                    return True
        return False

    VALID = [
        Valid(
            "documented-hooks",
            """
            from fastmcp.server.middleware import CallNext, Middleware, MiddlewareContext

            class Audit(Middleware):
                async def on_call_tool(self, context: MiddlewareContext, call_next: CallNext):
                    print(context.message.name)
                    return await call_next(context)

                async def on_message(self, ctx, call_next):
                    return await call_next(ctx)

                async def on_list_tools(self, context, *, call_next):
                    return await call_next(context)

                async def on_read_resource(self, *args, **kwargs):
                    return await kwargs["call_next"](args[0])

                def helper(self, tool_name, arguments):
                    return tool_name
            """,
        ),
        Valid(
            "starlette-middleware",
            """
            from starlette.middleware.base import BaseHTTPMiddleware

            class Timing(BaseHTTPMiddleware):
                async def dispatch(self, request, call_next):
                    return await call_next(request)

                async def on_call_tool(self, tool_name, arguments, context):
                    return await self.next(tool_name, arguments, context)
            """,
        ),
        Valid(
            "overrides-call",
            """
            from fastmcp.server.middleware import Middleware

            class Raw(Middleware):
                async def __call__(self, context, call_next):
                    return await call_next(context)

                async def on_call_tool(self, context):
                    return None
            """,
        ),
        Valid(
            "own-next-method",
            """
            from fastmcp.server.middleware import Middleware

            class Chain(Middleware):
                def next(self, value):
                    return value + 1

                async def on_call_tool(self, context, call_next):
                    self.next(1)
                    return await call_next(context)
            """,
        ),
        Valid(
            "on-discover-before-4",
            """
            from fastmcp.server.middleware import Middleware

            class Probe(Middleware):
                async def on_discover(self, request):
                    return request
            """,
            fastmcp_version="3.4",
        ),
        Valid(
            "not-fastmcp-middleware",
            """
            from myframework import Middleware

            class Legacy(Middleware):
                async def on_call_tool(self, tool_name, arguments, context):
                    return await self.next(tool_name, arguments, context)
            """,
        ),
    ]
    INVALID = [
        Invalid(
            "renamed-call-next",
            """
            from fastmcp.server.middleware import Middleware, MiddlewareContext

            class Logger(Middleware):
                async def on_call_tool(self, context: MiddlewareContext, next_handler):
                    print("calling", context.message.name)
                    result = await next_handler(context)
                    return result
            """,
            fixed="""
            from fastmcp.server.middleware import Middleware, MiddlewareContext

            class Logger(Middleware):
                async def on_call_tool(self, context: MiddlewareContext, call_next):
                    print("calling", context.message.name)
                    result = await call_next(context)
                    return result
            """,
        ),
        Invalid(
            "seed-signature-and-self-next",
            """
            from fastmcp.server.middleware import Middleware

            class AuthMiddleware(Middleware):
                async def on_call_tool(self, tool_name, arguments, context):
                    if tool_name == "admin":
                        raise PermissionError(tool_name)
                    return await self.next(tool_name, arguments, context)
            """,
            count=2,
        ),
        Invalid(
            "self-next-fixed-in-second-pass",
            """
            from fastmcp.server.middleware.timing import TimingMiddleware

            class Slow(TimingMiddleware):
                async def on_request(self, ctx, nxt):
                    return self.next(ctx)
            """,
            count=2,
            fixed="""
            from fastmcp.server.middleware.timing import TimingMiddleware

            class Slow(TimingMiddleware):
                async def on_request(self, ctx, call_next):
                    return await call_next(ctx)
            """,
        ),
        Invalid(
            "local-base-and-kinds",
            """
            import fastmcp.server.middleware as mw
            from typing_extensions import override

            class Base(mw.Middleware):
                pass

            class Strict(Base):
                @override
                async def on_message(self, context, call_next, /):
                    return await call_next(context)

                async def on_list_tools(self, call_next, context):
                    return await call_next(context)

                async def on_get_prompt(self, context, call_next, user):
                    return await call_next(context)

                async def on_notification(self):
                    return None
            """,
            count=4,
        ),
    ]

    def visit_Module(self, node: cst.Module) -> None:
        names = self.context.names
        classes = middleware.middleware_classes(node, names)
        hooks = middleware.hooks_for(self.context.target)
        for cls in classes.values():
            if middleware.class_defines(cls, "__call__"):
                continue
            check_next = not self._defines_next(cls, classes) and middleware.fastmcp_only_bases(
                cls, names, classes
            )
            for statement in cls.body.body:
                if not isinstance(statement, cst.FunctionDef) or not self._plain(statement):
                    continue
                problem = None
                if statement.name.value in hooks:
                    problem = _signature_problem(statement, cls.name.value)
                    if problem is not None:
                        self._report_signature(statement, problem)
                if check_next:
                    self._check_self_next(statement, hooks, problem is None)

    def _plain(self, function: cst.FunctionDef) -> bool:
        """Undecorated, or decorated only with ``@override`` (which keeps the signature)."""
        return all(
            self.context.names.qualified_name(decorator.decorator) in OVERRIDE
            for decorator in function.decorators
        )

    def _defines_next(self, cls: cst.ClassDef, classes: dict[str, cst.ClassDef]) -> bool:
        if middleware.class_defines(cls, "next"):
            return True
        for base in cls.bases:
            if isinstance(base.value, cst.Name) and base.value.value in classes:
                parent = classes[base.value.value]
                if parent is not cls and self._defines_next(parent, classes):
                    return True
        return False

    def _report_signature(self, function: cst.FunctionDef, problem: _Problem) -> None:
        message = self.message.format(hook=function.name.value, error=problem.error)
        self.report(function.params, message, fix=self._rename_fix(function, problem))

    def _rename_fix(self, function: cst.FunctionDef, problem: _Problem) -> Fix | None:
        if problem.renamable is None:
            return None
        uses = _Uses(problem.renamable, CALL_NEXT)
        walk(function.body, uses)
        if uses.unsafe:
            return None
        param = function.params.params[-1]
        replacements: dict[int, cst.CSTNode] = {
            id(name): name.with_changes(value=CALL_NEXT) for name in uses.found
        }
        replacements[id(param)] = param.with_changes(name=param.name.with_changes(value=CALL_NEXT))
        new = cst.ensure_type(function.visit(_Replace(replacements)), cst.FunctionDef)
        return Fix(self.fix_title or "", replacements=((function, new),))

    def _check_self_next(
        self, function: cst.FunctionDef, hooks: frozenset[str], valid: bool
    ) -> None:
        params = function.params
        first = (*params.posonly_params, *params.params)
        if not first:
            return
        finder = _SelfNext(first[0].name.value)
        walk(function.body, finder)
        for call, nested, awaited, bound in finder.calls:
            fix = None
            if valid and not nested and function.name.value in hooks:
                fix = self._next_fix(function, call, awaited, bound)
            self.report(
                call,
                "FastMCP's `Middleware` has no `next` method (`AttributeError: ... has no "
                "attribute 'next'`); continue the chain with `await call_next(context)`",
                fix=fix,
            )

    def _next_fix(
        self, function: cst.FunctionDef, call: cst.Call, awaited: bool, bound: bool
    ) -> Fix | None:
        if function.asynchronous is None:
            return None
        params = function.params
        slots = [*params.posonly_params, *params.params][1:]
        named = [p for p in (*params.params, *params.kwonly_params) if p.name.value == CALL_NEXT]
        if not slots or not named:
            return None
        context = slots[0].name.value
        args = call.args
        plain = len(args) == 0 or (
            len(args) == 1
            and not args[0].star
            and isinstance(args[0].value, cst.Name)
            and args[0].value.value == context
            and (args[0].keyword is None or args[0].keyword.value == "context")
        )
        rebound = _Bindings(CALL_NEXT)
        walk(function.body, rebound)
        if not plain or rebound.rebound:
            return None
        new: cst.BaseExpression = cst.Call(
            func=cst.Name(CALL_NEXT), args=[cst.Arg(cst.Name(context))]
        )
        if not awaited:
            new = cst.Await(expression=new)
            if bound:
                new = new.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
        return Fix("Use `await call_next(context)`", replacements=((call, new),))


_MIDDLEWARE_BASES = ("Middleware", *(builtin.name for builtin in middleware.BUILTINS))


def _usual_hook(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """`(self, <context>, call_next)`, keyword-only extras with defaults: a signature
    `_signature_problem` accepts."""
    args = function.args
    return (
        not args.posonlyargs
        and len(args.args) == 3
        and args.args[1].arg != CALL_NEXT
        and args.args[2].arg == CALL_NEXT
        and all(default is not None for default in args.kw_defaults)
    )
