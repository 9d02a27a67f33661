"""Transport settings on ``FastMCP(...)`` move to the run call (3.ii rows 1 and 2)."""

from __future__ import annotations

import libcst as cst

from fastmcp_kit.lint.names import dotted_name
from fastmcp_kit.lint.violation import Severity
from fastmcp_kit.upgrade.codemod import GUIDE_3, Codemod, Example
from fastmcp_kit.upgrade.cstutil import (
    add_args,
    drop_args,
    is_false,
    keyword,
    kwarg,
    string_value,
)
from fastmcp_kit.upgrade.helpers import module_calls, server_assignment

_MOVABLE = (
    "host",
    "port",
    "log_level",
    "sse_path",
    "streamable_http_path",
    "json_response",
    "stateless_http",
)
_STAYING = {
    "debug": "set FASTMCP_DEBUG",
    "message_path": "set FASTMCP_MESSAGE_PATH",
}
# Where each setting goes when the module does not serve the server over HTTP:
# (run/app keyword, `fastmcp run` option or "", environment variable); checked on
# 3.0.2 and 4.2.3 (`fastmcp run --help`, FastMCP's settings).
_ELSEWHERE = {
    "host": ("host", "--host", "FASTMCP_HOST"),
    "port": ("port", "--port", "FASTMCP_PORT"),
    "log_level": ("log_level", "--log-level", "FASTMCP_LOG_LEVEL"),
    "sse_path": ("path", "--path", "FASTMCP_SSE_PATH"),
    "streamable_http_path": ("path", "--path", "FASTMCP_STREAMABLE_HTTP_PATH"),
    "json_response": ("json_response", "", "FASTMCP_JSON_RESPONSE"),
    "stateless_http": ("stateless_http", "--stateless", "FASTMCP_STATELESS_HTTP"),
}
# Keywords whose 2.x default is False: `=False` changes nothing unless the environment
# sets the variable (the keyword overrode it).
_FALSE_BY_DEFAULT = frozenset({"json_response", "stateless_http", "debug"})
_RUNNERS = frozenset({"run", "run_async", "run_http_async", "http_app"})
_HTTP = frozenset({"http", "streamable-http", "sse"})


class TransportKwargs(Codemod):
    """What it does:
    Moves ``host``, ``port``, ``log_level``, ``sse_path``/``streamable_http_path``
    (as ``path``), ``json_response`` and ``stateless_http`` from ``x = FastMCP(...)``
    into the calls in the same module that serve ``x`` over HTTP:
    ``x.run(transport="http"|"sse", ...)`` / ``x.run_async(...)``,
    ``x.run_http_async(...)`` and ``x.http_app(...)`` (``http_app`` takes the path and
    the two flags; host, port and log level never applied to an app object). A value the
    call already passes wins, as it did in 2.x. ``stateless_http=False``,
    ``json_response=False`` and ``debug=False`` (2.x's defaults) are deleted wherever the
    server is served, unless the project's env files set the ``FASTMCP_*`` variable.

    Why:
    3.0 removed these constructor keywords (``TypeError: FastMCP() no longer accepts
    `host`. Pass `host` to `run_http_async()`, or set FASTMCP_HOST.``).

    Safety:
    Partial. Safe for the calls above; because ``fastmcp run --transport http`` no longer
    sees moved host/port/path values, each move is also reported (info). When the server
    is not served over HTTP in the same module (stdio, another module, ``fastmcp run``),
    and for ``debug``/``message_path``, the keywords are reported with where each goes
    instead (the run/app keyword, the ``fastmcp run`` option, the ``FASTMCP_*``
    variable; checked in 3.0.2 and 4.2.3) and left in place.
    """

    ID = "transport-kwargs"
    TITLE = "FastMCP() transport settings move to run()/http_app()"
    KIND = "partial"
    ROWS = ("ii.1", "ii.2")
    LINK = GUIDE_3
    TRIGGERS = tuple(f"{name}=" for name in (*_MOVABLE, *_STAYING))
    EXAMPLES = (
        Example(
            "run",
            before="""
            from fastmcp import FastMCP

            mcp = FastMCP("web", host="0.0.0.0", port=9000, streamable_http_path="/api/mcp")

            if __name__ == "__main__":
                mcp.run(transport="http", port=8080)
            """,
            after="""
            from fastmcp import FastMCP

            mcp = FastMCP("web")

            if __name__ == "__main__":
                mcp.run(transport="http", port=8080, host="0.0.0.0", path="/api/mcp")
            """,
            findings=("moved to the run/app call",),
        ),
        Example(
            "http-app",
            before="""
            from fastmcp import FastMCP

            mcp = FastMCP("web", json_response=True, stateless_http=True, port=1)
            app = mcp.http_app()
            """,
            after="""
            from fastmcp import FastMCP

            mcp = FastMCP("web")
            app = mcp.http_app(json_response=True, stateless_http=True)
            """,
            findings=("moved to the run/app call",),
        ),
        Example(
            "stdio",
            before="""
            from fastmcp import FastMCP

            mcp = FastMCP("tool", log_level="DEBUG", debug=True)

            if __name__ == "__main__":
                mcp.run()
            """,
            findings=("`log_level=`", "`debug=`"),
        ),
        Example(
            "defaults-served-elsewhere",
            before="""
            from fastmcp import FastMCP

            mcp = FastMCP("web", stateless_http=False, json_response=False)
            """,
            after="""
            from fastmcp import FastMCP

            mcp = FastMCP("web")
            """,
        ),
        Example(
            "default-overriding-the-environment",
            before="""
            from fastmcp import FastMCP

            mcp = FastMCP("web", stateless_http=False)
            """,
            files={".env": "FASTMCP_STATELESS_HTTP=true\n"},
            findings=("pass `stateless_http=False` to the",),
        ),
        Example(
            "served-elsewhere",
            before="""
            from fastmcp import FastMCP

            mcp = FastMCP("web", stateless_http=True)
            """,
            findings=(
                "delete it here and pass `stateless_http=True` to the `http_app()` / "
                '`run_http_async()` / `run(transport="http")` call that serves it, pass '
                "`--stateless` to `fastmcp run`, or set FASTMCP_STATELESS_HTTP",
            ),
        ),
    )

    def visit_Module(self, node: cst.Module) -> bool:
        super().visit_Module(node)
        calls = module_calls(node)
        self._runners: dict[str, list[cst.Call]] = {}
        for call in calls:
            func = call.func
            if isinstance(func, cst.Attribute) and func.attr.value in _RUNNERS:
                target = dotted_name(func.value)
                if target is not None:
                    self._runners.setdefault(target, []).append(call)
        # Decided up front: the run call may come before the constructor in the source.
        self._moves: dict[int, list[cst.Arg]] = {}
        self._drops: dict[int, list[str]] = {}
        for call in calls:
            if self.names.is_server_class(call.func):
                self._plan(call)
        return True

    def _plan(self, call: cst.Call) -> None:
        present = [a for a in call.args if a.keyword and a.keyword.value in (*_MOVABLE, *_STAYING)]
        if not present:
            return
        runners = self._http_runners(server_assignment(self, call))
        drop: list[str] = []
        for arg in present:
            assert arg.keyword is not None
            name = arg.keyword.value
            if (
                name in _FALSE_BY_DEFAULT
                and is_false(arg.value)
                and f"FASTMCP_{name.upper()}" not in self.facts.env_names
            ):
                drop.append(name)  # the default, wherever the server is served
                continue
            if name in _STAYING or not runners:
                self._report_staying(call, arg)
                continue
            drop.append(name)
            for runner in runners:
                destination = self._destination(name, runner)
                added = self._moves.setdefault(id(runner), [])
                taken = {a.keyword.value for a in added if a.keyword is not None}
                if (
                    destination
                    and keyword(runner, destination) is None
                    and destination not in taken
                ):
                    added.append(kwarg(destination, arg.value))
        if drop:
            self._drops[id(call)] = drop
            if {"host", "port", "sse_path", "streamable_http_path"} & set(drop):
                self.report(
                    call,
                    "moved to the run/app call in this module: `fastmcp run --transport http` "
                    "no longer sees these values (set FASTMCP_HOST/FASTMCP_PORT or pass "
                    "--host/--port/--path there)",
                    Severity.INFO,
                )

    def _report_staying(self, call: cst.Call, arg: cst.Arg) -> None:
        assert arg.keyword is not None
        name = arg.keyword.value
        removed = f"`{name}=` was removed from FastMCP() in 3.0 (FastMCP() raises TypeError on it)"
        if name in _STAYING:
            message = f"{removed}: delete it here and {_STAYING[name]}"
        else:
            value = cst.Module([]).code_for_node(arg.value)
            value = value if len(value) <= 40 else "..."
            destination, option, variable = _ELSEWHERE[name]
            runners = "`http_app()` / `run_http_async()`"
            if destination not in ("json_response", "stateless_http", "path"):
                runners = "`run_http_async()`"
            cli = f", pass `{option}` to `fastmcp run`" if option else ""
            message = (
                f"{removed}, and this module does not serve the server over HTTP: delete it "
                f'here and pass `{destination}={value}` to the {runners} / `run(transport="http")` '
                f"call that serves it{cli}, or set {variable}"
            )
        self.report(call, message, Severity.ERROR)

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        moved = self._moves.pop(id(original_node), None)
        if moved:
            updated_node = add_args(updated_node, moved)
        drop = self._drops.pop(id(original_node), None)
        if drop:
            self.rewrote(len(drop))
            updated_node = drop_args(
                updated_node,
                [a for a in updated_node.args if a.keyword and a.keyword.value in drop],
            )
        return updated_node

    def _http_runners(self, target: str | None) -> list[cst.Call]:
        """The calls in this module that serve ``target`` over HTTP."""
        found = []
        for call in self._runners.get(target or "", []):
            assert isinstance(call.func, cst.Attribute)
            if call.func.attr.value in ("http_app", "run_http_async"):
                found.append(call)
                continue
            transport = keyword(call, "transport")
            if transport is None and call.args and call.args[0].keyword is None:
                transport = call.args[0]
            if transport is not None and string_value(transport.value) in _HTTP:
                found.append(call)
        return found

    def _destination(self, name: str, runner: cst.Call) -> str:
        """The keyword to pass on the runner; "" means it has no effect there."""
        assert isinstance(runner.func, cst.Attribute)
        method = runner.func.attr.value
        transport_arg = keyword(runner, "transport")
        if transport_arg is None and method in ("run", "run_async") and runner.args:
            transport_arg = runner.args[0]
        transport = string_value(transport_arg.value) if transport_arg is not None else "http"
        if name in ("sse_path", "streamable_http_path"):
            wanted = "sse_path" if transport == "sse" else "streamable_http_path"
            return "path" if name == wanted else ""
        if method == "http_app" and name in ("host", "port", "log_level"):
            return ""
        return name
