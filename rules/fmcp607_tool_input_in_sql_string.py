from __future__ import annotations

import re
from collections.abc import Collection, Mapping

import libcst as cst

from fastmcp_kit.lint.body_walk import every_direct_node
from fastmcp_kit.lint.names import dotted_name
from fastmcp_kit.lint.rule import Invalid, Valid
from fastmcp_kit.lint.taint import first_tainted
from fastmcp_kit.lint.taint_rule import Finding, Sink, TaintRule
from fastmcp_kit.lint.violation import Severity

# Methods of DB-API cursors/connections, SQLAlchemy, asyncpg, aiosqlite, ClickHouse and
# pandas that run their first argument as SQL.
EXECUTE_METHODS = frozenset(
    {
        "execute",
        "executemany",
        "executescript",
        "exec_driver_sql",
        "fetch",
        "fetchrow",
        "fetchval",
        "read_sql",
        "read_sql_query",
    }
)
# Functions whose first argument becomes a SQL statement.
TEXT_SINKS = frozenset({"sqlalchemy.text", "sqlalchemy.sql.text", "sqlalchemy.sql.expression.text"})
QUERY_KEYWORDS = ("query", "sql", "statement", "operation")
SQL_WORDS = re.compile(
    r"\b(select|insert\s+into|update|delete\s+from|create\s+(table|index|view)|"
    r"drop\s+(table|index|view)|alter\s+table|pragma|describe|where|from|values)\b",
    re.IGNORECASE,
)


class ToolInputInSqlString(TaintRule):
    """A tool, resource template or prompt argument formatted into a SQL statement.

    ## What it does
    In a component function, flags a SQL statement built from a client value by an
    f-string, `+`, `%` or `"...".format(...)` (directly or through a local variable,
    including `query += f" AND name = '{name}'"`) and passed to `execute`,
    `executemany`, `executescript`, `exec_driver_sql`, asyncpg's `fetch`/`fetchrow`/
    `fetchval`, `pandas.read_sql` or SQLAlchemy's `text()`, in the component or in a
    function of the same module it passes the value to. A string counts as SQL when
    its literal text has SQL words (`SELECT`, `WHERE`, `INSERT INTO`, ...).

    Sinks: the calls above. Not flagged: a client value passed whole as the statement
    (`cursor.execute(query)` in a tool whose purpose is to run the model's SQL: a
    question for `readOnlyHint` and database permissions, not injection).

    Sanitizers: parameterized queries (`execute("... WHERE id = ?", (item_id,))`,
    `text("... :name").bindparams(...)`); numbers (`int`, `float` parameters or
    conversions); `Literal[...]`/`Enum` parameter types and `Field(pattern=...)`; an
    allow-list test that leaves the function (`if table not in TABLES: raise ...`); a
    validator called as a statement (`validate_table(table)`); a call whose name says it
    quotes or escapes (`quote_identifier(table)`); psycopg's `sql.SQL(...).format(...)`.

    ## Why is this bad?
    Every argument of an MCP component is chosen by the model, and so by whoever can
    put text in front of it (prompt injection). Text formatted into SQL can close the
    string and add its own clauses: `' OR 1=1 --`, `'; DROP TABLE users; --`. Pass the
    value as a parameter, and check identifiers (table, column names) against the
    schema or an allow-list.

    ## Fix safety
    No automatic fix: the placeholder style depends on the driver.
    """

    code = "FMCP607"
    severity = Severity.ERROR
    message = (
        "`{param}` comes from the MCP client and is formatted into the SQL passed to "
        "`{sink}`: SQL injection. Pass it as a query parameter (`?`, `%s`, `:name`), and "
        "check identifiers against an allow-list."
    )
    references = ("https://owasp.org/www-community/attacks/SQL_Injection",)

    needles = ("execute", "fetch", "read_sql", "text(")

    VALID = [
        Valid(
            "parameterized",
            """
            import sqlite3

            from fastmcp import FastMCP
            from sqlalchemy import text

            mcp = FastMCP("db")
            db = sqlite3.connect("app.db")

            @mcp.tool
            def find_user(name: str) -> list:
                return db.execute("SELECT * FROM users WHERE name = ?", (name,)).fetchall()

            @mcp.tool
            async def orders(session, customer: str, limit: int = 10) -> list:
                query = text(f"SELECT * FROM orders WHERE customer = :c LIMIT {limit}")
                return (await session.execute(query, {"c": customer})).all()
            """,
        ),
        Valid(
            "allow-listed-or-constrained-identifiers",
            """
            from enum import Enum
            from typing import Annotated, Literal

            from fastmcp import FastMCP
            from pydantic import Field

            mcp = FastMCP("db")
            TABLES = {"users", "orders"}

            class Sort(str, Enum):
                NAME = "name"
                AGE = "age"

            @mcp.tool
            def count(cursor, table: str) -> int:
                if table not in TABLES:
                    raise ValueError(f"unknown table {table}")
                cursor.execute(f"SELECT COUNT(*) FROM {table}")
                return cursor.fetchone()[0]

            @mcp.tool
            def listing(
                cursor,
                column: Literal["id", "name"],
                sort: Sort,
                schema: Annotated[str, Field(pattern=r"^[a-z_]+$")],
            ) -> list:
                cursor.execute(f"SELECT {column} FROM {schema}.users ORDER BY {sort.value}")
                return cursor.fetchall()
            """,
        ),
        Valid(
            "quoted-identifier-and-whole-query-tool",
            """
            from fastmcp import FastMCP

            from app.db import conn, quote_identifier

            mcp = FastMCP("db")

            @mcp.tool
            def describe(table: str) -> list:
                return conn.execute(f"DESCRIBE {quote_identifier(table)}").fetchall()

            @mcp.tool
            def run_query(query: str) -> list:
                return conn.execute(query).fetchall()
            """,
        ),
        Valid(
            "not-sql",
            """
            from fastmcp import FastMCP

            from app.jobs import runner

            mcp = FastMCP("jobs")

            @mcp.tool
            def start(job: str) -> str:
                return runner.execute(f"job-{job}")
            """,
        ),
    ]
    INVALID = [
        Invalid(
            "f-string-in-execute",
            """
            import sqlite3

            from fastmcp import FastMCP

            mcp = FastMCP("db")
            db = sqlite3.connect("app.db")

            @mcp.tool
            def find_user(name: str) -> list:
                return db.execute(f"SELECT * FROM users WHERE name = '{name}'").fetchall()
            """,
            says="`name` comes from the MCP client",
        ),
        Invalid(
            "built-in-steps-and-text",
            """
            from fastmcp import FastMCP
            from sqlalchemy import text

            mcp = FastMCP("db")

            @mcp.tool
            async def search(session, city: str, status: str | None = None) -> list:
                query = "SELECT * FROM shops WHERE city = '" + city + "'"
                if status:
                    query += f" AND status = '{status}'"
                rows = await session.execute(text(query))
                return rows.all()
            """,
        ),
        Invalid(
            "through-a-helper",
            """
            from fastmcp import FastMCP

            from app.db import cursor

            mcp = FastMCP("db")

            def _rows(table: str) -> list:
                cursor.execute("SELECT * FROM %s" % table)
                return cursor.fetchall()

            @mcp.resource("db://{table}/rows")
            def rows(table: str) -> list:
                return _rows(table)
            """,
            says="`_rows`",
        ),
    ]

    def sink(self, call: cst.Call) -> Sink | None:
        value = _statement(call)
        if value is None:
            return None
        func = call.func
        if isinstance(func, cst.Attribute) and func.attr.value in EXECUTE_METHODS:
            return Sink(dotted_name(func) or func.attr.value, value)
        qualified = self.context.names.qualified_name(func)
        if qualified in TEXT_SINKS:
            return Sink(qualified, value)
        return None

    def carrier(
        self, sink: Sink, tainted: Mapping[str, str], function: cst.FunctionDef
    ) -> str | None:
        value = sink.value
        if isinstance(value, cst.Name):
            return _built_statements(function, tainted, self).get(value.value)
        return self.formatted(value, tainted)

    def formatted(self, value: cst.BaseExpression, tainted: Collection[str]) -> str | None:
        """The client value an expression formats into SQL text, if it does."""
        names = self.context.names
        if isinstance(value, cst.FormattedString):
            literal = "".join(
                p.value for p in value.parts if isinstance(p, cst.FormattedStringText)
            )
            if not SQL_WORDS.search(literal):
                return None
            for part in value.parts:
                if isinstance(part, cst.FormattedStringExpression):
                    found = first_tainted(part.expression, tainted, names, self.neutral)
                    if found is not None:
                        return found
            return None
        if isinstance(value, cst.BinaryOperation) and isinstance(
            value.operator, (cst.Add, cst.Modulo)
        ):
            if not SQL_WORDS.search(_literal_text(value)):
                return None
            return first_tainted(value, tainted, names, self.neutral)
        if (
            isinstance(value, cst.Call)
            and isinstance(value.func, cst.Attribute)
            and value.func.attr.value == "format"
            and isinstance(value.func.value, (cst.SimpleString, cst.ConcatenatedString))
            and SQL_WORDS.search(_literal_text(value.func.value))
        ):
            return first_tainted(
                cst.Tuple([cst.Element(a.value) for a in value.args]), tainted, names
            )
        return None

    def describe(self, finding: Finding) -> str:
        sink = self.sink_label(finding)
        return self.message.format(param=finding.param, sink=sink)


def _statement(call: cst.Call) -> cst.BaseExpression | None:
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value in QUERY_KEYWORDS:
            return arg.value
    first = call.args[0] if call.args else None
    if first is None or first.keyword is not None or first.star:
        return None
    return first.value


def _literal_text(node: cst.CSTNode) -> str:
    """The text of every string literal in the expression, joined."""
    texts: list[str] = []
    for string in _strings(node):
        if isinstance(string, cst.SimpleString):
            texts.append(string.raw_value)
        else:
            texts.extend(p.value for p in string.parts if isinstance(p, cst.FormattedStringText))
    return " ".join(texts)


def _strings(node: cst.CSTNode) -> list[cst.SimpleString | cst.FormattedString]:
    found: list[cst.SimpleString | cst.FormattedString] = []
    if isinstance(node, (cst.SimpleString, cst.FormattedString)):
        return [node]
    for child in node.children:
        found.extend(_strings(child))
    return found


def _built_statements(
    function: cst.FunctionDef, tainted: Collection[str], rule: ToolInputInSqlString
) -> dict[str, str]:
    """Locals holding SQL text formatted with a client value: name -> that value. A name
    first assigned SQL text and then extended (`query += f"... {x}"`) counts too."""
    built: dict[str, str] = {}
    sql_text: set[str] = set()
    for node in every_direct_node(function):
        if isinstance(node, cst.Assign) and len(node.targets) == 1:
            target = node.targets[0].target
            if not isinstance(target, cst.Name):
                continue
            found = rule.formatted(node.value, tainted)
            if found is not None:
                built[target.value] = found
            else:
                built.pop(target.value, None)
            if SQL_WORDS.search(_literal_text(node.value)):
                sql_text.add(target.value)
        elif isinstance(node, cst.AugAssign) and isinstance(node.target, cst.Name):
            name = node.target.value
            if name in sql_text and name not in built:
                found = first_tainted(node.value, tainted, rule.context.names, rule.neutral)
                if found is not None and not isinstance(node.value, cst.Name):
                    built[name] = found
    return built
