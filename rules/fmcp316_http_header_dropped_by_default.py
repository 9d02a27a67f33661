from __future__ import annotations

import libcst as cst
from packaging.version import Version

from fastmcp_kit.apisurface import surface_for, version_label
from fastmcp_kit.lint.rule import Invalid, Rule, RuleContext, Valid
from fastmcp_kit.lint.violation import Severity

FUNCTION = "fastmcp.server.dependencies.get_http_headers"
V3 = Version("3")
# Headers `get_http_headers()` leaves out unless `include_all=True` (or, 3.0+,
# `include={...}` names them), read from `exclude_headers` in
# fastmcp/server/dependencies.py of 2.13.3, 2.14.7, 3.0.0, 3.0.2, 3.2.4, 3.3.0, 3.4.0,
# 3.4.7, 3.4.8, 3.4.10, 4.0.0 and 4.2.3: the first release leaving each out.
DROPPED_SINCE: dict[str, Version] = {
    **dict.fromkeys(
        (
            "host",
            "content-length",
            "connection",
            "transfer-encoding",
            "upgrade",
            "te",
            "keep-alive",
            "expect",
            "accept",
            "proxy-authenticate",
            "proxy-authorization",
            "proxy-connection",
            "mcp-session-id",
        ),
        Version("2.13"),
    ),
    "authorization": Version("3.0.0"),
    "content-type": Version("3.0.0"),
    "cookie": Version("3.4.8"),
}


class HttpHeaderDroppedByDefault(Rule):
    """A header read from `get_http_headers()` that it leaves out by default (`authorization` on 3.0+) or never has (a capitalised key).

    ## What it does
    Follows the dict `get_http_headers()` (from `fastmcp.server.dependencies`, under
    any alias) returns, called directly or bound to a name in the same function, to
    reads of a literal key: `.get("authorization")`, `["authorization"]`,
    `"authorization" in headers`. It flags

    * a header the target release leaves out by default: `authorization` and
      `content-type` since 3.0, `cookie` since 3.4.8, and `host`, `content-length`,
      `accept`, `mcp-session-id` and the other hop-by-hop headers in every release,
      unless the call passes `include_all=True` or names the header in `include=`;
    * a key with capitals (`"Authorization"`, `"X-Api-Key"`): the dict's keys are
      lower-cased, so it is never there.

    A dict that is changed after the call, or a call with `**options`, is not judged.

    ## Why is this bad?
    The read is silently `None` (or a `KeyError`), although the client sent the
    header: FastMCP 3.0 added `authorization` to the headers `get_http_headers()`
    strips (so that they are not forwarded by accident), which broke servers that
    read the bearer token this way after upgrading from 2.x (verified on 3.2.4:
    `None` for a request sent with `Authorization: Bearer abc`, `'Bearer abc'` with
    `include={"authorization"}`; 2.14.7 returns it without `include=`). Keys are
    `name.lower()` in every release from 2.13.3 to 4.2.3.

    ## Fix safety
    No automatic fix: forwarding credentials is what the default guards against, so
    asking for them is the author's decision. The message names the argument to pass
    (`include={"authorization"}` on 3.0+, `include_all=True` on 2.x) or the lower-case key.
    """

    code = "FMCP316"
    severity = Severity.ERROR
    message = "`{read}` is never there in {version}: {why}"
    fastmcp_versions = ">=2.13"
    references = (
        "https://gofastmcp.com/servers/context#http-headers",
        "https://github.com/PrefectHQ/fastmcp/issues/2817",
    )
    reported_mistakes = ("039",)
    # Only reads from `get_http_headers()` are checked.
    needles = ("get_http_headers",)

    VALID = [
        Valid(
            "headers-asked-for-or-kept",
            """
            from fastmcp import FastMCP
            from fastmcp.server.dependencies import get_http_headers, get_http_request

            mcp = FastMCP("prowler")

            @mcp.tool
            def whoami(flag: bool) -> str:
                token = get_http_headers(include={"authorization"}).get("authorization")
                everything = get_http_headers(include_all=True)
                headers = get_http_headers()
                agent = headers.get("user-agent")
                raw = get_http_request().headers.get("Authorization")
                return f"{token} {everything['authorization']} {agent} {raw}"
            """,
            fastmcp_version="3.2",
        ),
        Valid(
            "authorization-on-2x-and-changed-dicts",
            """
            from fastmcp.server.dependencies import get_http_headers

            def token() -> str | None:
                return get_http_headers().get("authorization")

            def merged(extra: dict) -> str | None:
                headers = get_http_headers()
                headers.update(extra)
                return headers.get("authorization")

            def other(headers: dict) -> str | None:
                return headers.get("Authorization")

            def either() -> str | None:
                headers = get_http_headers()
                return headers.get("authorization") or headers.get("Authorization")
            """,
            fastmcp_version="2.14",
        ),
        Valid(
            "other-get-http-headers",
            """
            from myapp.http import get_http_headers

            def token() -> str | None:
                return get_http_headers().get("Authorization")
            """,
            fastmcp_version="3.2",
        ),
    ]
    INVALID = [
        Invalid(
            "authorization-dropped-on-3x",
            """
            from fastmcp import FastMCP
            from fastmcp.server.dependencies import get_http_headers

            mcp = FastMCP("prowler")

            @mcp.tool
            def whoami() -> str:
                auth_header = get_http_headers().get("authorization")
                return str(auth_header)
            """,
            fastmcp_version="3.2",
            says='pass `include={"authorization"}`',
        ),
        Invalid(
            "bound-dict-and-capitalised-key",
            """
            from fastmcp.server import dependencies

            def credentials() -> tuple[str, str]:
                headers = dependencies.get_http_headers()
                if "authorization" not in headers:
                    raise PermissionError("no token")
                return headers["authorization"], headers.get("X-Api-Key", "")
            """,
            fastmcp_version="4.2",
            count=3,
        ),
    ]

    def __init__(self, context: RuleContext) -> None:
        super().__init__(context)
        # Per enclosing function (the module first): names bound to a
        # `get_http_headers(...)` call -> the headers it leaves out.
        self.bound: list[dict[str, frozenset[str]]] = [{}]
        # Names whose dict is changed or rebound somewhere (never judged).
        self.changed: set[str] = set()
        self.pending: list[tuple[cst.CSTNode, str, str, str, str]] = []
        # (name, key) of every literal read of such a dict: a capitalised read beside
        # the lower-case one (`h.get("authorization") or h.get("Authorization")`) is a
        # harmless fallback.
        self.reads: set[tuple[str, str]] = set()

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.bound.append({})

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.bound.pop()

    def visit_Assign(self, node: cst.Assign) -> None:
        dropped = self._dropped(node.value)
        for target in node.targets:
            if not isinstance(target.target, cst.Name):
                continue
            name = target.target.value
            if dropped is not None and len(node.targets) == 1 and name not in self.bound[-1]:
                self.bound[-1][name] = dropped
            elif name in self.bound[-1]:
                self.changed.add(name)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        if isinstance(node.target, cst.Name):
            self.changed.add(node.target.value)

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if not isinstance(func, cst.Attribute):
            return
        method = func.attr.value
        if method in ("update", "setdefault", "__setitem__") and isinstance(func.value, cst.Name):
            self.changed.add(func.value.value)
        elif method == "get" and node.args:
            self._read(node, func.value, node.args[0].value, ".get({key})")

    def visit_Subscript(self, node: cst.Subscript) -> None:
        if len(node.slice) == 1 and isinstance(node.slice[0].slice, cst.Index):
            self._read(node, node.value, node.slice[0].slice.value, "[{key}]")

    def visit_Comparison(self, node: cst.Comparison) -> None:
        for target in node.comparisons:
            if isinstance(target.operator, (cst.In, cst.NotIn)):
                self._read(node, target.comparator, node.left, "{key} in ...")

    def _read(
        self, node: cst.CSTNode, holder: cst.BaseExpression, key: cst.BaseExpression, shape: str
    ) -> None:
        if not isinstance(key, cst.SimpleString):
            return
        header = key.evaluated_value
        if not isinstance(header, str):
            return
        name = ""
        if isinstance(holder, cst.Name):
            name = holder.value
            dropped = next((s[name] for s in reversed(self.bound) if name in s), None)
        else:
            dropped = self._dropped(holder)
        if dropped is None:
            return
        shown = f"{name or 'get_http_headers()'}{shape.format(key=key.value)}"
        self.reads.add((name, header))
        if header != header.lower():
            why = f'`get_http_headers()` lower-cases every key; read `"{header.lower()}"` instead'
        elif header in dropped:
            why = self._why(header)
        else:
            return
        self.pending.append((node, name, shown, why, header))

    def leave_Module(self, original_node: cst.Module) -> None:
        version = version_label(self.context.target, surface_for(self.context.target))
        for node, name, shown, why, header in self.pending:
            if name and name in self.changed:
                continue
            if header != header.lower() and name and (name, header.lower()) in self.reads:
                continue
            self.report(node, self.message.format(read=shown, version=version, why=why))

    def _why(self, header: str) -> str:
        since = DROPPED_SINCE[header]
        when = "" if since.release[:2] == (2, 13) else f" (since {since})"
        ask = (
            f'pass `include={{"{header}"}}` to `get_http_headers()`'
            if self.context.target >= V3
            else "pass `include_all=True` to `get_http_headers()`"
        )
        return f"`get_http_headers()` leaves the `{header}` header out by default{when}; {ask}"

    def _dropped(self, node: cst.BaseExpression) -> frozenset[str] | None:
        """The headers a `get_http_headers(...)` call leaves out; None for another call
        or one whose arguments are not literal."""
        if not isinstance(node, cst.Call):
            return None
        if self.context.names.qualified_name(node.func) != FUNCTION:
            return None
        included: set[str] = set()
        for arg in node.args:
            if arg.star or arg.keyword is None:
                return None  # `**options`, or `include_all` passed by position
            if arg.keyword.value == "include_all":
                if not (isinstance(arg.value, cst.Name) and arg.value.value == "False"):
                    return None
            elif arg.keyword.value == "include":
                names = _literal_strings(arg.value)
                if names is None:
                    return None
                included |= {n.lower() for n in names}
        target = self.context.target
        return frozenset(
            header
            for header, since in DROPPED_SINCE.items()
            if target >= since and header not in included
        )


def _literal_strings(node: cst.BaseExpression) -> list[str] | None:
    if not isinstance(node, (cst.Set, cst.List, cst.Tuple)):
        return None
    found = []
    for element in node.elements:
        value = element.value
        if not isinstance(value, cst.SimpleString) or not isinstance(value.evaluated_value, str):
            return None
        found.append(value.evaluated_value)
    return found
