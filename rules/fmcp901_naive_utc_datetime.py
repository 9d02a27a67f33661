from __future__ import annotations

import libcst as cst

from fastmcp_kit.lint.rule import Fix, ImportSpec, Invalid, Rule, Valid
from fastmcp_kit.lint.violation import Applicability, Severity

# Deprecated naive-UTC constructors and the aware call that replaces each.
REPLACEMENTS = {"utcnow": "now", "utcfromtimestamp": "fromtimestamp"}


class NaiveUtcDatetime(Rule):
    """`datetime.utcnow()` / `datetime.utcfromtimestamp()`, deprecated naive UTC times.

    ## What it does
    Flags calls to `datetime.datetime.utcnow()` and `utcfromtimestamp()`, however
    `datetime` was imported.

    ## Why is this bad?
    Both are deprecated since Python 3.12 (a `DeprecationWarning` on every call) and
    return *naive* datetimes that silently compare and serialize as local time.
    FastMCP serializes datetimes in tool results without a timezone offset when they
    are naive, so clients cannot tell the value is UTC. Use
    `datetime.now(timezone.utc)` / `datetime.fromtimestamp(ts, timezone.utc)`.

    ## Fix safety
    The fix is unsafe: the aware datetime it produces no longer compares equal to
    naive datetimes (comparing the two raises `TypeError`) and its ISO form gains
    `+00:00`. Review code that mixes it with naive values.
    """

    code = "FMCP901"
    # Plain Python: applies to SDK-only projects too.
    needs_fastmcp = False
    severity = Severity.WARNING
    message = "`{call}()` returns a naive datetime and is deprecated since Python 3.12; use an aware UTC datetime"
    fix_title = "Use `datetime.{replacement}(..., timezone.utc)`"
    documented_errors = (14,)
    references = ("https://docs.python.org/3/library/datetime.html#datetime.datetime.utcnow",)

    # Only `.utcnow()` / `.utcfromtimestamp()` calls are reported.
    needles = ("utcnow", "utcfromtimestamp")

    VALID = [
        Valid(
            "aware",
            """
            from datetime import datetime, timezone

            stamp = datetime.now(timezone.utc)
            """,
        ),
        Valid(
            "other-library",
            """
            import arrow

            stamp = arrow.utcnow()
            """,
        ),
    ]
    INVALID = [
        Invalid(
            "from-import",
            """
            from datetime import datetime

            stamp = datetime.utcnow()
            """,
            fixed="""
            from datetime import datetime, timezone

            stamp = datetime.now(timezone.utc)
            """,
        ),
        Invalid(
            "module-import",
            """
            import datetime as dt

            def stamp(ts: float) -> str:
                return dt.datetime.utcfromtimestamp(ts).isoformat()
            """,
            fixed="""
            import datetime as dt

            def stamp(ts: float) -> str:
                return dt.datetime.fromtimestamp(ts, dt.timezone.utc).isoformat()
            """,
        ),
        Invalid(
            "timezone-imported",
            """
            from datetime import datetime, timezone

            created = datetime.utcnow()
            """,
            fixed="""
            from datetime import datetime, timezone

            created = datetime.now(timezone.utc)
            """,
        ),
        Invalid(
            "timezone-name-taken",
            """
            from datetime import datetime
            from pytz import timezone

            created = datetime.utcnow()
            """,
        ),
    ]

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if not isinstance(func, cst.Attribute) or func.attr.value not in REPLACEMENTS:
            return
        names = self.context.names
        if names.qualified_name(func) != f"datetime.datetime.{func.attr.value}":
            return
        label = f"datetime.{func.attr.value}"
        self.report(node, self.message.format(call=label), fix=self._fix(node, func))

    def _fix(self, node: cst.Call, func: cst.Attribute) -> Fix | None:
        names = self.context.names
        timezone_alias = next(
            (n for n, q in names.aliases.items() if q == "datetime.timezone"), None
        )
        module_alias = next((n for n, q in names.aliases.items() if q == "datetime"), None)
        imports: tuple[ImportSpec, ...] = ()
        if timezone_alias is not None:
            utc = f"{timezone_alias}.utc"
        elif module_alias is not None:
            utc = f"{module_alias}.timezone.utc"
        elif "timezone" not in names.module_bindings:
            utc, imports = "timezone.utc", (ImportSpec("datetime", "timezone"),)
        else:
            return None
        replacement = REPLACEMENTS[func.attr.value]
        call = node.with_changes(
            func=func.with_changes(attr=cst.Name(replacement)),
            args=[*node.args[:1], cst.Arg(cst.parse_expression(utc))]
            if node.args
            else [cst.Arg(cst.parse_expression(utc))],
        )
        if node.args:
            first = node.args[0].with_changes(
                comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
            )
            call = call.with_changes(args=[first, cst.Arg(cst.parse_expression(utc))])
        title = (self.fix_title or "").format(replacement=replacement)
        return Fix(title, Applicability.UNSAFE, replacements=((node, call),), add_imports=imports)
