from __future__ import annotations

from dataclasses import dataclass, field

import libcst as cst

from fastmcp_kit.lint.rule import Fix, ImportSpec, Invalid, Rule, Valid
from fastmcp_kit.lint.violation import Applicability, Severity

# Deprecated naive-UTC constructors and the aware call that replaces each.
REPLACEMENTS = {"utcnow": "now", "utcfromtimestamp": "fromtimestamp"}


@dataclass
class Options:
    report_deprecation: bool = field(
        default=False,
        metadata={
            "help": "Also report naive UTC calls that are only deprecated (Python 3.12): "
            "in modules that build no aware datetime and never call `.timestamp()` on them."
        },
    )


class NaiveUtcDatetime(Rule):
    """`datetime.utcnow()` / `datetime.utcfromtimestamp()` where the naive result breaks.

    ## What it does
    Flags calls to `datetime.datetime.utcnow()` and `utcfromtimestamp()` (however
    `datetime` was imported) whose naive result goes wrong:
    - `.timestamp()` on it: a naive datetime is read as *local* time, so the
      timestamp is off by the host's UTC offset on any machine not set to UTC;
    - compared with or subtracted from an aware datetime (`datetime.now(tz)`,
      `fromtimestamp(ts, tz)`, `.astimezone()`), directly or through names bound in
      the same function or at module level: that raises `TypeError`.

    A naive UTC time used consistently (formatted, logged, compared with other naive
    UTC times) is only deprecated (Python 3.12); that is reported with the option
    `report-deprecation = true`.

    ## Why is this bad?
    Both calls return *naive* datetimes that silently compare and serialize as local
    time; FastMCP serializes a naive datetime in a tool result without an offset, so a
    client cannot tell it is UTC. Use `datetime.now(timezone.utc)` /
    `datetime.fromtimestamp(ts, timezone.utc)`.

    ## Fix safety
    The fix is unsafe: the aware datetime it produces no longer compares equal to
    naive datetimes (comparing the two raises `TypeError`) and its ISO form gains
    `+00:00`. Review code that mixes it with naive values.
    """

    code = "FMCP901"
    # Plain Python: applies to SDK-only projects too.
    needs_fastmcp = False
    severity = Severity.WARNING
    message = (
        "`{call}()` returns a naive datetime that is compared with or subtracted from an "
        "aware one, which raises `TypeError`; use an aware UTC datetime"
    )
    timestamp_message = (
        "`{call}(...).timestamp()` reads the naive UTC time as local time: the timestamp "
        "is off by the host's UTC offset; use an aware UTC datetime"
    )
    deprecation_message = (
        "`{call}()` returns a naive datetime and is deprecated since Python 3.12; "
        "use an aware UTC datetime"
    )
    fix_title = "Use `datetime.{replacement}(..., timezone.utc)`"
    documented_errors = (14,)
    references = ("https://docs.python.org/3/library/datetime.html#datetime.datetime.utcnow",)
    Options = Options

    # Only `.utcnow()` / `.utcfromtimestamp()` calls are reported.
    needles = ("utcnow", "utcfromtimestamp")

    VALID = [
        Valid(
            "naive-utc-used-consistently",
            """
            from datetime import datetime

            def log_line(message: str) -> str:
                return f"{datetime.utcnow().isoformat()}Z {message}"
            """,
        ),
        Valid(
            "compared-with-a-library-naive-utc",
            """
            from datetime import datetime

            def expired(credentials) -> bool:
                # google-auth's Credentials.expiry is naive UTC
                return credentials.expiry < datetime.utcnow()
            """,
        ),
        Valid(
            "aware-elsewhere-naive-only-formatted",
            """
            import datetime

            def signed_date() -> str:
                return datetime.datetime.utcnow().strftime("%a, %d %b %Y %H:%M:%S GMT")

            def is_recent(created: datetime.datetime) -> bool:
                now = datetime.datetime.now(datetime.timezone.utc)
                return now - created < datetime.timedelta(days=1)
            """,
        ),
        Valid(
            "timezone-imported-but-unused",
            """
            from datetime import datetime, timezone

            created = datetime.utcnow().isoformat()
            """,
        ),
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
            "mixed-with-aware",
            """
            from datetime import datetime, timezone

            cached_at = datetime.utcnow()

            def age() -> float:
                return (datetime.now(timezone.utc) - cached_at).total_seconds()
            """,
            fixed="""
            from datetime import datetime, timezone

            cached_at = datetime.now(timezone.utc)

            def age() -> float:
                return (datetime.now(timezone.utc) - cached_at).total_seconds()
            """,
            says="raises `TypeError`",
        ),
        Invalid(
            "timestamp",
            """
            import datetime as dt

            def since(hours: int) -> float:
                return dt.datetime.utcnow().timestamp() - hours * 3600
            """,
            fixed="""
            import datetime as dt

            def since(hours: int) -> float:
                return dt.datetime.now(dt.timezone.utc).timestamp() - hours * 3600
            """,
            says="off by the host's UTC offset",
        ),
        Invalid(
            "utcfromtimestamp-with-aware-utc-constant",
            """
            from datetime import UTC, datetime

            def stamp(ts: float) -> bool:
                return datetime.utcfromtimestamp(ts) < datetime.now(UTC)
            """,
            fixed="""
            from datetime import UTC, datetime, timezone

            def stamp(ts: float) -> bool:
                return datetime.fromtimestamp(ts, timezone.utc) < datetime.now(UTC)
            """,
        ),
        Invalid(
            "zoneinfo-and-timezone-name-taken",
            """
            from datetime import datetime
            from pytz import timezone

            created = datetime.utcnow()
            late = datetime.now(timezone("Europe/Paris")) > created
            """,
        ),
    ]

    def visit_Module(self, node: cst.Module) -> None:
        self._naive_calls: list[tuple[cst.Call, cst.Attribute]] = []
        self._timestamp_calls: set[cst.Call] = set()
        self._mixed_calls: set[cst.Call] = set()
        # Per function (module first): names bound to a naive call, names bound to an
        # aware datetime. Enough for the shapes seen on real code; unknown stays unknown.
        self._scopes: list[tuple[dict[str, list[cst.Call]], set[str]]] = [({}, set())]

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._scopes.append(({}, set()))

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self._scopes.pop()

    def visit_Assign(self, node: cst.Assign) -> None:
        if len(node.targets) != 1 or not isinstance(node.targets[0].target, cst.Name):
            return
        name = node.targets[0].target.value
        naive, aware = self._scopes[-1]
        if self._naive_call(node.value) is not None:
            naive.setdefault(name, []).append(node.value)  # type: ignore[arg-type]
        elif self._is_aware(node.value):
            aware.add(name)

    def visit_Comparison(self, node: cst.Comparison) -> None:
        self._judge_operands([node.left, *(c.comparator for c in node.comparisons)])

    def visit_BinaryOperation(self, node: cst.BinaryOperation) -> None:
        if isinstance(node.operator, cst.Subtract):
            self._judge_operands([node.left, node.right])

    def _judge_operands(self, operands: list[cst.BaseExpression]) -> None:
        if any(self._is_aware(o) for o in operands):
            for operand in operands:
                self._mixed_calls.update(self._naive_origins(operand))

    def _naive_call(self, node: cst.BaseExpression) -> cst.Call | None:
        if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute):
            attr = node.func.attr.value
            if attr in REPLACEMENTS and self._qualified(node.func) == f"datetime.datetime.{attr}":
                return node
        return None

    def _naive_origins(self, node: cst.BaseExpression) -> list[cst.Call]:
        call = self._naive_call(node)
        if call is not None:
            return [call]
        if isinstance(node, cst.Name):
            for naive, aware in reversed(self._scopes):
                if node.value in naive:
                    return naive[node.value]
                if node.value in aware:
                    return []
        return []

    def _is_aware(self, node: cst.BaseExpression) -> bool:
        if isinstance(node, cst.Name):
            for naive, aware in reversed(self._scopes):
                if node.value in aware:
                    return True
                if node.value in naive:
                    return False
            return False
        if not isinstance(node, cst.Call) or not isinstance(node.func, cst.Attribute):
            return False
        if node.func.attr.value == "astimezone":
            return True
        with_zone = any(a.keyword is not None and a.keyword.value == "tz" for a in node.args)
        positional = sum(1 for a in node.args if a.keyword is None)
        qualified = self._qualified(node.func)
        if qualified == "datetime.datetime.now":
            return with_zone or positional >= 1
        if qualified == "datetime.datetime.fromtimestamp":
            return with_zone or positional >= 2
        return False

    def _qualified(self, node: cst.BaseExpression) -> str | None:
        return self.context.names.qualified_name(node)

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if not isinstance(func, cst.Attribute):
            return
        if func.attr.value == "timestamp" and isinstance(func.value, cst.Call):
            self._timestamp_calls.add(func.value)
        if self._naive_call(node) is not None:
            self._naive_calls.append((node, func))

    def leave_Module(self, original_node: cst.Module) -> None:
        report_deprecation = (self.context.options or Options()).report_deprecation
        for node, func in self._naive_calls:
            if node in self._timestamp_calls:
                template = self.timestamp_message
            elif node in self._mixed_calls:
                template = self.message
            elif report_deprecation:
                template = self.deprecation_message
            else:
                continue
            call = f"datetime.{func.attr.value}"
            self.report(node, template.format(call=call), fix=self._fix(node, func))

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
