from __future__ import annotations

import re
from collections.abc import Collection, Mapping

import libcst as cst

from fastmcp_kit.lint.body_walk import direct_nodes
from fastmcp_kit.lint.names import dotted_name
from fastmcp_kit.lint.rule import Invalid, RuleContext, Valid
from fastmcp_kit.lint.side_effects import http_clients
from fastmcp_kit.lint.taint import first_tainted
from fastmcp_kit.lint.taint_rule import Finding, Sink, TaintRule
from fastmcp_kit.lint.violation import Severity

HTTP_VERBS = frozenset({"get", "post", "put", "patch", "delete", "head", "options"})
# Module-level functions that send a request to their URL argument.
REQUEST_FUNCTIONS = frozenset(
    {f"{module}.{verb}" for module in ("httpx", "requests") for verb in HTTP_VERBS}
    | {"httpx.request", "httpx.stream", "requests.request", "aiohttp.request"}
    | {"urllib.request.urlopen", "urllib.request.Request"}
)
# Text before which a value in an f-string still picks the host: empty, or a scheme
# and part of the authority (`https://`, `http://{host}:`).
HOST_NOT_DONE = re.compile(r"^$|^[a-z]+://[^/]*$", re.IGNORECASE)


class ToolInputAsRequestUrl(TaintRule):
    """A tool, resource template or prompt argument chooses the host of an outbound request.

    ## What it does
    In a component function, flags a request whose URL's scheme or host comes from a
    client value: `httpx`/`requests` `get/post/put/patch/delete/head/options/request/
    stream`, `aiohttp.request`, `urllib.request.urlopen`/`Request`, and those methods on
    an `httpx.Client`/`AsyncClient`, `requests.Session` or `aiohttp.ClientSession`
    bound in the module (`async with httpx.AsyncClient() as client`). The URL counts as
    client-chosen when it is the value itself, or a string that starts with it
    (`f"{base}/items"`, `base + "/items"`) or puts it in the host (`f"https://{host}/"`).
    A value only in the path or query (`f"https://api.example.com/users/{name}"`,
    `params={"q": query}`) is not flagged.

    Sanitizers: an allow-list test that leaves the function (`if host not in HOSTS:
    raise ...`), a validator called as a statement (`validate_url(url)`), `Literal`/
    `Enum` parameter types and `Field(pattern=...)`.

    ## Why is this bad?
    The server sends the request from where it runs, with its network position: a URL
    chosen by the model (and so by any text in front of it) can reach
    `http://169.254.169.254/` (cloud credentials), `http://localhost:...` admin ports
    or hosts behind a firewall, and return what it found to the model (server-side
    request forgery). Keep the host fixed and put the argument in the path or query,
    or check the parsed host against an allow-list.

    ## Options
    Opt-in: on the precision corpus nearly all findings are fetch tools whose purpose
    is to fetch the URL the model names, on the user's machine. Enable it for servers
    deployed inside a network.

    ## Fix safety
    No automatic fix.
    """

    code = "FMCP609"
    severity = Severity.WARNING
    default_enabled = False
    message = (
        "`{param}` comes from the MCP client and chooses the host `{sink}` sends a request "
        "to (server-side request forgery: internal hosts, cloud metadata): keep the host "
        "fixed, or check the parsed host against an allow-list."
    )
    references = ("https://owasp.org/www-community/attacks/Server_Side_Request_Forgery",)

    needles = ("httpx", "requests", "aiohttp", "urlopen", "urllib")

    VALID = [
        Valid(
            "fixed-host",
            """
            import httpx

            from fastmcp import FastMCP

            mcp = FastMCP("weather")
            API = "https://api.weather.example"

            @mcp.tool
            async def forecast(city: str) -> dict:
                async with httpx.AsyncClient() as client:
                    response = await client.get(f"{API}/forecast/{city}", params={"q": city})
                    return response.json()
            """,
        ),
        Valid(
            "allow-listed-host",
            """
            from urllib.parse import urlparse

            import requests

            from fastmcp import FastMCP

            mcp = FastMCP("fetch")
            HOSTS = {"docs.python.org", "peps.python.org"}

            @mcp.tool
            def fetch(url: str) -> str:
                host = urlparse(url).hostname
                if host not in HOSTS:
                    raise ValueError(f"{host} is not allowed")
                return requests.get(f"https://{host}/").text
            """,
        ),
    ]
    INVALID = [
        Invalid(
            "fetch-the-argument",
            """
            import httpx

            from fastmcp import FastMCP

            mcp = FastMCP("fetch")

            @mcp.tool
            async def fetch(url: str) -> str:
                async with httpx.AsyncClient() as client:
                    return (await client.get(url)).text
            """,
            says="`url` comes from the MCP client",
        ),
        Invalid(
            "host-in-f-string",
            """
            import requests

            from fastmcp import FastMCP

            mcp = FastMCP("status")

            @mcp.tool
            def status(host: str, port: int = 80) -> int:
                endpoint = f"http://{host}:{port}/health"
                return requests.post(endpoint, timeout=5).status_code
            """,
        ),
    ]

    def __init__(self, context: RuleContext) -> None:
        super().__init__(context)
        self.clients: set[str] = set()

    def visit_Module(self, node: cst.Module) -> None:
        super().visit_Module(node)
        self.clients = http_clients(node, self.context.names)

    def sink(self, call: cst.Call) -> Sink | None:
        names = self.context.names
        func = call.func
        qualified = names.qualified_name(func)
        method = func.attr.value if isinstance(func, cst.Attribute) else None
        if qualified in REQUEST_FUNCTIONS:
            label = qualified
        elif method in HTTP_VERBS | {"request", "stream"} and isinstance(func, cst.Attribute):
            if dotted_name(func.value) not in self.clients:
                return None
            label = dotted_name(func) or method
        else:
            return None
        verb_first = (method or label.rpartition(".")[2]) in ("request", "stream")
        url = _argument(call, 1 if verb_first else 0, "url")
        return Sink(label, url) if url is not None else None

    def carrier(
        self, sink: Sink, tainted: Mapping[str, str], function: cst.FunctionDef
    ) -> str | None:
        value = sink.value
        if isinstance(value, cst.Name):
            if value.value in tainted:
                return _whole(value.value, function, tainted, self)
            return None
        return self.host(value, tainted)

    def host(self, value: cst.BaseExpression, tainted: Collection[str]) -> str | None:
        """The client value that picks the scheme or host of this URL expression."""
        names = self.context.names
        if isinstance(value, cst.Name):
            return value.value if value.value in tainted else None
        if isinstance(value, cst.FormattedString):
            text = ""
            for part in value.parts:
                if isinstance(part, cst.FormattedStringText):
                    text += part.value
                    continue
                assert isinstance(part, cst.FormattedStringExpression)
                if not HOST_NOT_DONE.match(text):
                    return None
                found = first_tainted(part.expression, tainted, names, self.neutral)
                if found is not None:
                    return found
                text += "x"  # a clean value in the host: what follows may still be host
            return None
        if isinstance(value, cst.BinaryOperation) and isinstance(value.operator, cst.Add):
            return self.host(value.left, tainted)
        return None

    def describe(self, finding: Finding) -> str:
        return self.message.format(param=finding.param, sink=self.sink_label(finding))


def _whole(
    name: str, function: cst.FunctionDef, tainted: Collection[str], rule: ToolInputAsRequestUrl
) -> str | None:
    """A tainted local used as the URL: the client value, if it picks the host (a local
    last assigned `f"https://api.example.com/{x}"` does not)."""
    last: cst.BaseExpression | None = None
    for assign in direct_nodes(function, cst.Assign):
        if any(dotted_name(t.target) == name for t in assign.targets):
            last = assign.value
    if last is None:
        return name  # the parameter itself
    if isinstance(last, (cst.FormattedString, cst.BinaryOperation, cst.Name)):
        return rule.host(last, tainted)
    return name


def _argument(call: cst.Call, position: int, keyword: str) -> cst.BaseExpression | None:
    positional = [a for a in call.args if a.keyword is None and not a.star]
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == keyword:
            return arg.value
    return positional[position].value if position < len(positional) else None
