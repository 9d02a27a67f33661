"""Finding ``<server>.settings`` and ``….settings.get(...)`` (rules FMCP302 and FMCP303).

Standalone FastMCP 2.x had a deprecated per-instance ``server.settings`` (a copy of
the global settings merged with the server's constructor kwargs); 3.0 removed it.
The global object is ``fastmcp.settings``, a pydantic-settings model that has never
had a ``.get()`` method. The MCP SDK's own FastMCP has a real ``settings`` attribute,
so receivers must resolve to a *standalone* FastMCP server.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

import libcst as cst

from fastmcp_kit.lint.body_walk import all_nodes
from fastmcp_kit.lint.names import ModuleNames, dotted_name
from fastmcp_kit.lint.rule import Fix, ImportSpec
from fastmcp_kit.lint.violation import Applicability

# The global settings object under every import path it has had.
GLOBAL_SETTINGS = frozenset({"fastmcp.settings", "fastmcp.settings.settings"})
# In 2.x, `server.settings` merged these FastMCP() constructor kwargs over the global
# settings (fastmcp/server/server.py `_handle_deprecated_settings`, 2.13.3 and 2.14.7),
# so reading them from the global object can give a different value.
PER_SERVER_FIELDS = frozenset(
    {
        "log_level",
        "debug",
        "host",
        "port",
        "sse_path",
        "message_path",
        "streamable_http_path",
        "json_response",
        "stateless_http",
    }
)
# Keyword arguments of `run_http_async` (hence `run(transport="http", ...)`), 2.14 to 4.1.
RUN_KWARGS = frozenset({"host", "port", "log_level", "json_response", "stateless_http"})
_ENV_NAME = re.compile(r"^[A-Z_][A-Z0-9_]*$")


def write_hint(field: str | None) -> str:
    """Where a value written to ``server.settings.<field>`` should go instead."""
    if field is None:
        return "use the global `fastmcp.settings`"
    env = f"set `FASTMCP_{field.upper()}`"
    if field in RUN_KWARGS:
        return f'pass `{field}=` to `.run(transport="http", ...)` or {env}'
    return env


AccessKind = Literal["read", "write", "other"]


@dataclass(frozen=True)
class SettingsAccess:
    """One ``<server>.settings`` expression (never a ``.settings.get(...)`` call)."""

    node: cst.Attribute  # `<server>.settings`
    kind: AccessKind
    field: str | None  # X in `<server>.settings.X`


@dataclass(frozen=True)
class SettingsGet:
    """A ``<server or fastmcp>.settings.get(...)`` call."""

    call: cst.Call
    receiver: str  # the dotted text of what `.get` is called on


class SettingsTracker:
    """Feed it the visitor callbacks of a rule; it classifies settings accesses."""

    def __init__(self, names: ModuleNames) -> None:
        self.names = names
        self._targets: set[int] = set()
        self._parents: dict[int, cst.Attribute] = {}
        self._get_funcs: set[int] = set()
        self._in_imports: set[int] = set()
        self.accesses: list[SettingsAccess] = []
        self.gets: list[SettingsGet] = []

    # -- callbacks ------------------------------------------------------------------

    def import_statement(self, node: cst.Import | cst.ImportFrom) -> None:
        """Ignore dotted module names (``from app.settings import x`` when a server is
        also called ``app``)."""
        self._in_imports.update(id(a) for a in all_nodes(node, cst.Attribute))

    def targets(self, *nodes: cst.BaseExpression) -> None:
        """Record assignment / del targets (visited before their children)."""
        self._targets.update(id(node) for node in nodes)

    def call(self, node: cst.Call) -> None:
        func = node.func
        if not isinstance(func, cst.Attribute) or func.attr.value != "get":
            return
        receiver = func.value
        if self._is_server_settings(receiver) or (
            self.names.qualified_name(receiver) in GLOBAL_SETTINGS
        ):
            self._get_funcs.add(id(func))
            self.gets.append(SettingsGet(node, dotted_name(receiver) or "settings"))

    def attribute(self, node: cst.Attribute) -> None:
        if id(node) in self._in_imports:
            return
        if isinstance(node.value, cst.Attribute) and self._is_server_settings(node.value):
            self._parents[id(node.value)] = node
        if not self._is_server_settings(node):
            return
        parent = self._parents.get(id(node))
        if parent is not None and id(parent) in self._get_funcs:
            return  # reported as a SettingsGet
        if parent is None:
            self.accesses.append(SettingsAccess(node, "other", None))
        elif id(parent) in self._targets:
            self.accesses.append(SettingsAccess(node, "write", parent.attr.value))
        else:
            self.accesses.append(SettingsAccess(node, "read", parent.attr.value))

    # -- queries --------------------------------------------------------------------

    def _is_server_settings(self, node: cst.BaseExpression) -> bool:
        return (
            isinstance(node, cst.Attribute)
            and node.attr.value == "settings"
            and self.names.is_server(node.value)
        )

    @property
    def has_writes(self) -> bool:
        return any(access.kind == "write" for access in self.accesses)


def _module_alias(names: ModuleNames, module: str) -> tuple[str, bool] | None:
    """The local name bound to ``module`` and whether an import must be added, or
    None when the name is taken by something else."""
    for local, qualified in names.aliases.items():
        if qualified == module and local == module:
            return local, False
    if module in names.module_bindings or module in names.aliases:
        return None
    return module, True


def global_settings_fix(
    names: ModuleNames, access: SettingsAccess, applicability: Applicability
) -> Fix | None:
    """``<server>.settings.X`` -> ``fastmcp.settings.X`` (reads only)."""
    if access.kind != "read":
        return None
    alias = _module_alias(names, "fastmcp")
    if alias is None:
        return None
    local, add = alias
    replacement = cst.Attribute(value=cst.Name(local), attr=cst.Name("settings"))
    return Fix(
        "Read the global `fastmcp.settings`",
        applicability,
        replacements=((access.node, replacement),),
        add_imports=(ImportSpec("fastmcp"),) if add else (),
    )


def environ_get_fix(names: ModuleNames, get: SettingsGet) -> Fix | None:
    """``….settings.get("NAME", d)`` -> ``os.environ.get("NAME", d)`` for env-style names."""
    args = get.call.args
    if not args or len(args) > 2 or any(arg.keyword is not None or arg.star for arg in args):
        return None
    key = args[0].value
    if not isinstance(key, cst.SimpleString):
        return None
    value = key.evaluated_value
    if not isinstance(value, str) or not _ENV_NAME.match(value):
        return None
    alias = _module_alias(names, "os")
    if alias is None:
        return None
    local, add = alias
    func = cst.Attribute(
        value=cst.Attribute(value=cst.Name(local), attr=cst.Name("environ")), attr=cst.Name("get")
    )
    return Fix(
        "Read the environment variable with `os.environ.get`",
        replacements=((get.call.func, func),),
        add_imports=(ImportSpec("os"),) if add else (),
    )
