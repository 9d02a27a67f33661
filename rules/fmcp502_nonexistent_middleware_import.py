from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TypeVar, cast

import libcst as cst

from fastmcp_kit.lint import middleware
from fastmcp_kit.lint.names import dotted_name
from fastmcp_kit.lint.rule import Fix, Invalid, Rule, RuleContext, Valid
from fastmcp_kit.lint.violation import Severity
from fastmcp_kit.lint.walk import walk

FOLKLORE_PACKAGE = "fastmcp.middleware"
FOLKLORE_BASE = "BaseMiddleware"
REAL_BASE = "Middleware"
# Modules from which `BaseMiddleware` is sometimes imported; other names there are real.
REAL_MODULES = frozenset(
    {"fastmcp", "fastmcp.server", middleware.PACKAGE, f"{middleware.PACKAGE}.middleware"}
)


@dataclass(frozen=True)
class _Move:
    alias: cst.ImportAlias
    module: str  # where the name really is
    name: str  # its real name


def _word_count(code: str, word: str) -> int:
    return len(re.findall(rf"\b{word}\b", code))


class _BaseUses(cst.CSTVisitor):
    """Plain reads of ``BaseMiddleware`` and whether every mention is one."""

    def __init__(self) -> None:
        super().__init__()
        self.reads: list[cst.Name] = []
        self.other = 0
        self._skip: set[int] = set()

    def visit_Attribute(self, node: cst.Attribute) -> None:
        self._skip.add(id(node.attr))

    def visit_Arg(self, node: cst.Arg) -> None:
        if node.keyword is not None:
            self._skip.add(id(node.keyword))

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        return False

    def visit_Import(self, node: cst.Import) -> bool:
        return False

    def visit_Name(self, node: cst.Name) -> None:
        if node.value != FOLKLORE_BASE:
            return
        if id(node) in self._skip:
            self.other += 1
        else:
            self.reads.append(node)

    def _binding(self, name: cst.CSTNode) -> None:
        if isinstance(name, cst.Name) and name.value == FOLKLORE_BASE:
            self.other += 1
            self._skip.add(id(name))

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._binding(node.name)

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self._binding(node.name)

    def visit_Param(self, node: cst.Param) -> None:
        self._binding(node.name)

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        self._binding(node.target)


def _module(dotted: str) -> cst.Attribute | cst.Name:
    expression = cst.parse_expression(dotted)
    assert isinstance(expression, (cst.Attribute, cst.Name))
    return expression


def _join(aliases: list[cst.ImportAlias]) -> list[cst.ImportAlias]:
    return [
        alias.with_changes(
            comma=cst.MaybeSentinel.DEFAULT
            if i == len(aliases) - 1
            else cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
        )
        for i, alias in enumerate(aliases)
    ]


_Node = TypeVar("_Node", bound=cst.CSTNode)


class _Edit(cst.CSTTransformer):
    """Replace nodes by identity and add statement lines after one line."""

    def __init__(
        self,
        replacements: dict[int, cst.CSTNode],
        line: cst.SimpleStatementLine,
        added: list[cst.SimpleStatementLine],
    ) -> None:
        super().__init__()
        self.replacements = replacements
        self.line = line
        self.added = added

    def on_leave(
        self, original_node: _Node, updated_node: _Node
    ) -> _Node | cst.RemovalSentinel | cst.FlattenSentinel[_Node]:
        result = cast(_Node, self.replacements.get(id(original_node), updated_node))
        if original_node is self.line and self.added:
            return cast(cst.FlattenSentinel[_Node], cst.FlattenSentinel([result, *self.added]))
        return result


class NonexistentMiddlewareImport(Rule):
    """An import of `fastmcp.middleware` or `BaseMiddleware`, which FastMCP never had.

    ## What it does
    Flags `from fastmcp.middleware import ...` (any submodule), `import
    fastmcp.middleware`, and `BaseMiddleware` imported from fastmcp
    (`from fastmcp import BaseMiddleware`, `from fastmcp.server.middleware import
    BaseMiddleware`).

    ## Why is this bad?
    FastMCP's middleware lives in `fastmcp.server.middleware` (`Middleware`,
    `MiddlewareContext`, `CallNext`; built-ins in submodules such as
    `fastmcp.server.middleware.timing`). There has never been a `fastmcp.middleware`
    package or a `BaseMiddleware` class (checked in every release 2.13.3 to 4.1.2 and
    in the repository's release tags), so the server module fails at import with
    `ModuleNotFoundError: No module named 'fastmcp.middleware'` or `ImportError:
    cannot import name 'BaseMiddleware'`.

    ## Fix safety
    The fix imports each name from its real module; `BaseMiddleware` becomes
    `Middleware`, renamed throughout the file when the name `Middleware` is free and
    `BaseMiddleware` appears only as a plain name (otherwise it is imported as
    `Middleware as BaseMiddleware`). It is safe: the import could never succeed, and
    the class it names is the base class the code means. Names with no real
    counterpart, and `import fastmcp.middleware`, are reported without a fix.
    """

    code = "FMCP502"
    severity = Severity.ERROR
    message = "`{module}` does not exist in any FastMCP release; {hint}"
    fix_title = "Import from `fastmcp.server.middleware`"
    documented_errors = (19,)
    references = ("https://gofastmcp.com/servers/middleware",)

    # Only `fastmcp.middleware` imports and `BaseMiddleware` imports are reported.
    needles = ("fastmcp.middleware", "BaseMiddleware")

    VALID = [
        Valid(
            "real-paths",
            """
            from fastmcp.server.middleware import CallNext, Middleware, MiddlewareContext
            from fastmcp.server.middleware.logging import BaseLoggingMiddleware, LoggingMiddleware
            from fastmcp.server.middleware.timing import TimingMiddleware
            import fastmcp.server.middleware as mw
            """,
        ),
        Valid(
            "starlette-middleware",
            """
            from starlette.middleware import Middleware
            from starlette.middleware.base import BaseHTTPMiddleware
            from myapp.middleware import BaseMiddleware
            """,
        ),
        Valid(
            "relative-import",
            """
            from .middleware import BaseMiddleware
            """,
        ),
    ]
    INVALID = [
        Invalid(
            "seed-import",
            """
            from fastmcp.middleware import BaseMiddleware

            class AuthCheck(BaseMiddleware):
                pass
            """,
            fixed="""
            from fastmcp.server.middleware import Middleware

            class AuthCheck(Middleware):
                pass
            """,
        ),
        Invalid(
            "middleware-name-taken",
            """
            from fastmcp.middleware import BaseMiddleware, MiddlewareContext
            from starlette.middleware import Middleware

            class AuthCheck(BaseMiddleware):
                async def on_request(self, context: MiddlewareContext, call_next):
                    return await call_next(context)
            """,
            fixed="""
            from fastmcp.server.middleware import Middleware as BaseMiddleware
            from fastmcp.server.middleware import MiddlewareContext
            from starlette.middleware import Middleware

            class AuthCheck(BaseMiddleware):
                async def on_request(self, context: MiddlewareContext, call_next):
                    return await call_next(context)
            """,
        ),
        Invalid(
            "submodule-and-mixed",
            """
            from fastmcp import FastMCP, BaseMiddleware
            from fastmcp.middleware.timing import TimingMiddleware
            from fastmcp.middleware import RateLimitingMiddleware, Middleware
            """,
            count=3,
            fixed="""
            from fastmcp import FastMCP
            from fastmcp.server.middleware import Middleware
            from fastmcp.server.middleware import Middleware as BaseMiddleware
            from fastmcp.server.middleware.rate_limiting import RateLimitingMiddleware
            from fastmcp.server.middleware.timing import TimingMiddleware
            """,
        ),
        Invalid(
            "unknown-name-no-fix",
            """
            import fastmcp.middleware
            from fastmcp.middleware import RequestLogger
            """,
            count=2,
        ),
    ]

    def __init__(self, context: RuleContext) -> None:
        super().__init__(context)
        self.module: cst.Module | None = None
        self.line: cst.SimpleStatementLine | None = None

    def visit_Module(self, node: cst.Module) -> None:
        self.module = node

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> None:
        self.line = node

    def visit_Import(self, node: cst.Import) -> bool:
        for alias in node.names:
            name = dotted_name(alias.name) or ""
            if name == FOLKLORE_PACKAGE or name.startswith(FOLKLORE_PACKAGE + "."):
                self.report(
                    alias,
                    self.message.format(module=name, hint="use `fastmcp.server.middleware`"),
                )
        return False

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        if node.relative or node.module is None or isinstance(node.names, cst.ImportStar):
            return False
        module = dotted_name(node.module) or ""
        if module == FOLKLORE_PACKAGE or module.startswith(FOLKLORE_PACKAGE + "."):
            found = [self._destination(module, alias) for alias in node.names]
            known = [move for move in found if move is not None]
            hint = (
                "import from `fastmcp.server.middleware`"
                if len(known) == len(found)
                else "FastMCP's middleware classes are in `fastmcp.server.middleware`"
            )
            fix = self._fix(node, known) if len(known) == len(found) else None
            self.report(node.module, self.message.format(module=module, hint=hint), fix=fix)
        elif module in REAL_MODULES:
            wrong = [a for a in node.names if dotted_name(a.name) == FOLKLORE_BASE]
            moves = [_Move(a, middleware.PACKAGE, REAL_BASE) for a in wrong]
            fix = self._fix(node, moves) if moves else None
            for alias in wrong:
                message = self.message.format(
                    module=f"{module}.{FOLKLORE_BASE}",
                    hint="the base class is `fastmcp.server.middleware.Middleware`",
                )
                self.report(alias, message, fix=fix)
        return False

    def _destination(self, module: str, alias: cst.ImportAlias) -> _Move | None:
        name = dotted_name(alias.name) or ""
        if name == FOLKLORE_BASE:
            return _Move(alias, middleware.PACKAGE, REAL_BASE)
        if name in middleware.PACKAGE_NAMES:
            return _Move(alias, middleware.PACKAGE, name)
        for builtin in middleware.BUILTINS:
            if builtin.name == name and builtin.exists(self.context.target):
                return _Move(alias, f"{middleware.PACKAGE}.{builtin.submodule}", name)
        return None

    def _fix(self, node: cst.ImportFrom, moves: list[_Move]) -> Fix | None:
        assert not isinstance(node.names, cst.ImportStar)
        module, line = self.module, self.line
        if module is None or line is None:
            return None
        renames: list[tuple[cst.CSTNode, cst.CSTNode]] = []
        new_aliases: dict[int, cst.ImportAlias] = {}
        for move in moves:
            asname = move.alias.asname
            if dotted_name(move.alias.name) == FOLKLORE_BASE and asname is None:
                reads = self._rename_reads(module)
                if reads is None:
                    asname = cst.AsName(name=cst.Name(FOLKLORE_BASE))
                else:
                    renames.extend((read, read.with_changes(value=REAL_BASE)) for read in reads)
            new_aliases[id(move.alias)] = move.alias.with_changes(
                name=cst.Name(move.name), asname=asname
            )
        destination = {id(move.alias): move.module for move in moves}
        current = dotted_name(node.module) if node.module is not None else None
        # The statement keeps the names that do not move (and those moving to its own
        # module); when every name moves, it takes the first name's real module.
        stays = any(id(alias) not in destination for alias in node.names)
        target = current if stays else moves[0].module
        groups: dict[str | None, list[cst.ImportAlias]] = {}
        for alias in node.names:
            where = destination.get(id(alias), current)
            groups.setdefault(where, []).append(new_aliases.get(id(alias), alias))
        replacement = node.with_changes(names=_join(groups.pop(target)))
        if target != current and target is not None:
            replacement = replacement.with_changes(module=_module(target))
        added = [
            cst.SimpleStatementLine([cst.ImportFrom(module=_module(where), names=_join(aliases))])
            for where, aliases in groups.items()
            if where is not None
        ]
        edit = _Edit({id(node): replacement, **{id(old): new for old, new in renames}}, line, added)
        return Fix(self.fix_title or "", replacements=((module, module.visit(edit)),))

    def _rename_reads(self, module: cst.Module) -> list[cst.Name] | None:
        """The reads of ``BaseMiddleware`` to rename, or None when renaming is unsafe."""
        code = module.code
        if _word_count(code, REAL_BASE) != 0:
            return None  # `Middleware` already means something here
        uses = _BaseUses()
        walk(module, uses)
        # Every mention must be the import itself or a plain read (no strings, no
        # attributes, no rebinding).
        if uses.other or _word_count(code, FOLKLORE_BASE) != len(uses.reads) + 1:
            return None
        return uses.reads
