"""fastmcp_kit.lint.registered_functions: which functions a module registers, followed
only where the module shows them (unknown registers nothing)."""

from __future__ import annotations

import textwrap

import libcst as cst
from packaging.version import Version

from fastmcp_kit.lint.names import analyze
from fastmcp_kit.lint.registered_functions import registrations


def _found(source: str, target: str = "3.4") -> list[tuple[str, str, str | None, bool]]:
    module = cst.parse_module(textwrap.dedent(source))
    return [
        (
            r.kind,
            r.function.name.value,
            None if r.owner is None else r.owner.name.value,
            r.decorated,
        )
        for r in registrations(module, analyze(module), Version(target))
    ]


def test_decorators_count_only_when_innermost() -> None:
    source = """
        from fastmcp import FastMCP
        mcp = FastMCP("x")

        @mcp.tool
        def a(): ...

        @mcp.tool
        @wraps_something
        def b(): ...

        class C:
            @mcp.prompt
            def c(self): ...

            @mcp.tool
            @staticmethod
            def d(): ...
        """
    assert _found(source) == [
        ("tool", "a", None, True),
        ("prompt", "c", "C", True),
        ("tool", "d", None, True),
    ]


def test_calls_follow_names_factories_and_class_attributes() -> None:
    source = """
        from fastmcp import FastMCP
        mcp = FastMCP("x")

        def plain(): ...

        def factory():
            def made(): ...
            return made

        class App:
            def run(self): ...

        handler = factory()
        mcp.tool(plain)
        mcp.tool(handler, name="h")
        mcp.resource("app://run")(App.run)
        mcp.add_tool(getattr(App, "run"))
        """
    assert _found(source) == [
        ("tool", "plain", None, False),
        ("tool", "made", None, False),
        ("resource", "run", "App", False),
        ("tool", "run", "App", False),
    ]


def test_unknown_values_register_nothing() -> None:
    source = """
        from fastmcp import FastMCP
        from elsewhere import imported
        mcp = FastMCP("x")

        def twice(): ...
        def twice(): ...

        def maybe(): ...
        if flag:
            maybe = imported

        class App:
            def run(self): ...

        def register(fn, app: App):
            mcp.tool(fn)
            mcp.tool(app.run)
            mcp.tool(getattr(App, name))

        mcp.tool(imported)
        mcp.tool(twice)
        mcp.tool(maybe)
        mcp.tool(App().run)
        mcp.tool(lambda: 1)
        """
    assert _found(source) == []


def test_add_tool_takes_functions_only_from_3_0() -> None:
    source = """
        from fastmcp import FastMCP
        mcp = FastMCP("x")

        def plain(): ...

        mcp.add_tool(plain)
        """
    assert _found(source, "2.14") == []
    assert _found(source, "3.0") == [("tool", "plain", None, False)]


def test_a_loop_over_a_literal_registry() -> None:
    source = """
        from fastmcp import FastMCP
        mcp = FastMCP("x")

        class A:
            def go(self): ...

        class B:
            def go(self): ...

        REGISTRY = [("a", A), ("b", B)]

        for name, cls in REGISTRY:
            mcp.tool(cls.go, name=name)
        """
    assert _found(source) == [("tool", "go", "A", False), ("tool", "go", "B", False)]


def test_sdk_servers_register_nothing() -> None:
    source = """
        from mcp.server.fastmcp import FastMCP
        mcp = FastMCP("x")

        def plain(): ...

        @mcp.tool()
        def decorated(): ...

        mcp.tool()(plain)
        """
    assert _found(source) == []
