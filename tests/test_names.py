"""fastmcp_kit.lint.names: which names are standalone FastMCP servers, which
decorators register components, which annotations mean Context."""

from __future__ import annotations

import textwrap

import libcst as cst
import pytest

from fastmcp_kit.lint.body_walk import all_nodes
from fastmcp_kit.lint.cst_statements import nested_blocks
from fastmcp_kit.lint.names import ComponentDecorator, ModuleNames, analyze

# -- helpers ------------------------------------------------------------------------


def names_of(source: str) -> ModuleNames:
    return analyze(cst.parse_module(textwrap.dedent(source)))


def is_server(source: str, expression: str) -> bool:
    return names_of(source).is_server(cst.parse_expression(expression))


class _Functions(cst.CSTVisitor):
    def __init__(self) -> None:
        self.found: dict[str, cst.FunctionDef] = {}

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.found.setdefault(node.name.value, node)


def function(source: str, name: str) -> tuple[ModuleNames, cst.FunctionDef]:
    """The analysed module and its (possibly nested) function called ``name``."""
    module = cst.parse_module(textwrap.dedent(source))
    visitor = _Functions()
    module.visit(visitor)
    return analyze(module), visitor.found[name]


def decorator_of(source: str, name: str = "f") -> ComponentDecorator | None:
    """component_decorator() for the first decorator of function ``name``."""
    names, func = function(source, name)
    return names.component_decorator(func.decorators[0])


def code(node: cst.CSTNode) -> str:
    return cst.Module([]).code_for_node(node).strip()


# -- which expressions are standalone servers -----------------------------------------

STANDALONE = [
    pytest.param("from fastmcp import FastMCP\nmcp = FastMCP('demo')", "mcp", id="from-fastmcp"),
    pytest.param("import fastmcp\nmcp = fastmcp.FastMCP()", "mcp", id="import-fastmcp"),
    pytest.param("import fastmcp as fm\ns = fm.FastMCP()", "s", id="module-alias"),
    pytest.param(
        "from fastmcp import FastMCP as Server\nweather = Server()", "weather", id="class-alias"
    ),
    pytest.param("from fastmcp.server import FastMCP\napp = FastMCP()", "app", id="fastmcp.server"),
    pytest.param(
        "from fastmcp.server.server import FastMCP\nx = FastMCP()", "x", id="fastmcp.server.server"
    ),
    pytest.param("import fastmcp.server\ns = fastmcp.server.FastMCP()", "s", id="dotted-import"),
    pytest.param("from fastmcp import server\ns = server.FastMCP()", "s", id="submodule-import"),
    pytest.param(
        "from fastmcp import FastMCP\napi = FastMCP.from_openapi(openapi_spec=spec, client=c)",
        "api",
        id="from_openapi",
    ),
    pytest.param(
        "from fastmcp import FastMCP\nbridge = FastMCP.from_fastapi(app=app)",
        "bridge",
        id="from_fastapi",
    ),
    pytest.param(
        "import fastmcp\nproxy = fastmcp.FastMCP.as_proxy('http://x/mcp')", "proxy", id="as_proxy"
    ),
    pytest.param(
        "from fastmcp.server import create_proxy\nproxy = create_proxy('http://x/mcp')",
        "proxy",
        id="create_proxy",
    ),
    pytest.param(
        "from fastmcp.server.proxy import FastMCPProxy\nproxy = FastMCPProxy(client)",
        "proxy",
        id="FastMCPProxy",
    ),
    pytest.param(
        "from fastmcp import FastMCP\nclass MyServer(FastMCP):\n    pass\nsrv = MyServer('x')",
        "srv",
        id="subclass",
    ),
    pytest.param(
        "from fastmcp import FastMCP\nclass A(FastMCP):\n    pass\nclass B(A):\n    pass\nb = B()",
        "b",
        id="subclass-of-subclass",
    ),
    pytest.param(
        "from fastmcp import FastMCP\nmcp: FastMCP = make_server()", "mcp", id="annotated-assign"
    ),
    pytest.param(
        "from fastmcp import FastMCP\nmcp: FastMCP = FastMCP()", "mcp", id="annotated-construct"
    ),
    pytest.param("from fastmcp import FastMCP\na = b = FastMCP()", "b", id="chained-assign"),
]


@pytest.mark.parametrize(("source", "expression"), STANDALONE)
def test_standalone_server_is_recognised(source: str, expression: str) -> None:
    assert is_server(source, expression)


NOT_SERVERS = [
    pytest.param(
        "from mcp.server.fastmcp import FastMCP\nmcp = FastMCP()", "mcp", id="sdk-fastmcp"
    ),
    pytest.param("from mcp.server import FastMCP\nmcp = FastMCP()", "mcp", id="sdk-mcp.server"),
    pytest.param(
        "from mcp.server.mcpserver import MCPServer\nmcp = MCPServer()", "mcp", id="sdk-mcpserver"
    ),
    pytest.param(
        "import mcp.server.fastmcp as sdk\nserver = sdk.FastMCP()", "server", id="sdk-module-alias"
    ),
    pytest.param(
        "from mcp.server.fastmcp import FastMCP\nclass S(FastMCP):\n    pass\ns = S()",
        "s",
        id="sdk-subclass",
    ),
    pytest.param("from fastmcp import FastMCPApp\napp = FastMCPApp()", "app", id="FastMCPApp"),
    pytest.param("from flask import Flask\napp = Flask(__name__)", "app", id="flask"),
    pytest.param("from fastmcp import FastMCP\nmcp = FastMCP()", "other", id="unrelated-name"),
    pytest.param("FastMCP = object\nmcp = FastMCP()", "mcp", id="local-name-FastMCP"),
    pytest.param("from fastmcp import FastMCP\nmcp = make()", "mcp", id="unknown-factory"),
]


@pytest.mark.parametrize(("source", "expression"), NOT_SERVERS)
def test_non_servers_are_not_recognised(source: str, expression: str) -> None:
    assert not is_server(source, expression)


def test_constructor_call_expression_itself_is_a_server() -> None:
    names = names_of("import fastmcp as fm")
    assert names.is_server(cst.parse_expression("fm.FastMCP('x')"))
    assert names.is_server(cst.parse_expression("fm.FastMCP.as_proxy(backend)"))
    assert not names.is_server(cst.parse_expression("fm.FastMCPApp()"))
    assert not names.is_server(cst.parse_expression("fm.FastMCP.run()"))


def test_subclasses_are_recorded_separately_for_fastmcp_and_sdk() -> None:
    names = names_of(
        """
        from fastmcp import FastMCP
        from mcp.server.fastmcp import FastMCP as SdkFastMCP

        class Mine(FastMCP):
            pass

        class Theirs(SdkFastMCP):
            pass
        """
    )
    assert names.server_classes == {"Mine"}
    assert names.sdk_server_classes == {"Theirs"}


def test_attribute_target_is_a_server() -> None:
    source = """
        from fastmcp import FastMCP

        class App:
            def __init__(self):
                self.mcp = FastMCP("app")
        """
    assert is_server(source, "self.mcp")
    assert not is_server(source, "mcp")


def test_server_bound_inside_function_is_a_server_but_not_module_level() -> None:
    names = names_of(
        """
        from fastmcp import FastMCP

        def build():
            server = FastMCP("inner")
            return server
        """
    )
    assert names.is_server(cst.parse_expression("server"))
    assert "server" in names.servers
    assert names.module_servers == {}
    assert "server" not in names.module_bindings


def test_parameter_annotated_fastmcp_is_a_server() -> None:
    source = """
        from fastmcp import FastMCP

        def register(server: FastMCP, count: int, *, hub: FastMCP):
            pass
        """
    assert is_server(source, "server")
    assert is_server(source, "hub")
    assert not is_server(source, "count")


def test_parameter_annotated_with_quoted_fastmcp_is_a_server() -> None:
    # A quoted annotation is still an annotation: the usual form when FastMCP is
    # imported only under TYPE_CHECKING.
    source = """
        from typing import TYPE_CHECKING

        if TYPE_CHECKING:
            from fastmcp import FastMCP

        def register(server: "FastMCP"):
            @server.tool
            def f():
                pass
        """
    assert is_server(source, "server")


# -- unannotated parameters -------------------------------------------------------------

REGISTER = """
def register(mcp):
    @mcp.tool
    def f():
        pass
"""


@pytest.mark.parametrize(
    "imports",
    [
        pytest.param("from fastmcp import FastMCP", id="from-fastmcp"),
        pytest.param("import fastmcp", id="import-fastmcp"),
        pytest.param("from fastmcp import Context", id="fastmcp-context-only"),
    ],
)
def test_unannotated_parameter_is_server_in_module_importing_fastmcp(imports: str) -> None:
    source = imports + "\n" + REGISTER
    assert is_server(source, "mcp")
    assert decorator_of(source) is not None


def test_unannotated_parameter_is_not_a_server_without_fastmcp_import() -> None:
    source = "import os\n" + REGISTER
    assert not is_server(source, "mcp")
    assert decorator_of(source) is None


@pytest.mark.parametrize(
    "sdk_import",
    [
        pytest.param(
            "from mcp.server.fastmcp import FastMCP as SdkServer", id="mcp.server.fastmcp"
        ),
        pytest.param("from mcp.server.mcpserver import MCPServer", id="mcp.server.mcpserver"),
        pytest.param("from mcp.server import FastMCP as SdkServer", id="mcp.server.FastMCP"),
        pytest.param("from mcp.server import MCPServer", id="mcp.server.MCPServer"),
        pytest.param("import mcp.server.fastmcp", id="import-mcp.server.fastmcp"),
    ],
)
def test_unannotated_parameter_is_not_a_server_when_module_imports_sdk_server(
    sdk_import: str,
) -> None:
    source = "import fastmcp\n" + sdk_import + "\n" + REGISTER
    assert not is_server(source, "mcp")
    assert decorator_of(source) is None


def test_unannotated_parameter_is_not_a_server_in_pure_sdk_module() -> None:
    source = "from mcp.server.fastmcp import FastMCP\n" + REGISTER
    assert not is_server(source, "mcp")


# -- component decorators ----------------------------------------------------------------

SERVER = "from fastmcp import FastMCP\nmcp = FastMCP('demo')\n"


def test_bare_tool_decorator() -> None:
    component = decorator_of(SERVER + "@mcp.tool\ndef f(): pass\n")
    assert component is not None
    assert (component.kind, component.server, component.call) == ("tool", "mcp", None)
    assert component.argument("name") is None


def test_called_tool_decorator_without_arguments() -> None:
    component = decorator_of(SERVER + "@mcp.tool()\ndef f(): pass\n")
    assert component is not None
    assert component.kind == "tool"
    assert component.call is not None
    assert component.argument("name") is None
    assert component.argument("name", position=0) is None


def test_tool_decorator_with_keyword_argument() -> None:
    component = decorator_of(SERVER + '@mcp.tool(name="n", tags={"a"})\ndef f(): pass\n')
    assert component is not None
    name = component.argument("name")
    assert name is not None and code(name.value) == '"n"'
    assert code(component.argument("tags").value) == '{"a"}'  # type: ignore[union-attr]
    assert component.argument("description") is None


def test_resource_uri_by_position_or_keyword() -> None:
    positional = decorator_of(SERVER + '@mcp.resource("data://x", name="r")\ndef f(): pass\n')
    assert positional is not None and positional.kind == "resource"
    uri = positional.argument("uri", position=0)
    assert uri is not None and code(uri.value) == '"data://x"'
    # Without a position, a positional argument is not found by keyword.
    assert positional.argument("uri") is None
    # A position beyond the positional arguments finds nothing.
    assert positional.argument("mime_type", position=1) is None

    keyword = decorator_of(SERVER + '@mcp.resource(name="r", uri="data://y")\ndef f(): pass\n')
    assert keyword is not None
    uri = keyword.argument("uri", position=0)
    assert uri is not None and code(uri.value) == '"data://y"'


def test_prompt_decorator() -> None:
    component = decorator_of(SERVER + "@mcp.prompt\ndef f(): pass\n")
    assert component is not None
    assert component.kind == "prompt"


def test_decorator_on_attribute_server() -> None:
    component = decorator_of(
        """
        from fastmcp import FastMCP

        class App:
            def __init__(self):
                self.mcp = FastMCP()

                @self.mcp.tool
                def f():
                    pass
        """
    )
    assert component is not None
    assert component.server == "self.mcp"


def test_decorator_on_server_from_alias_and_proxy() -> None:
    source = """
        import fastmcp as fm

        proxy = fm.FastMCP.as_proxy("http://backend/mcp")

        @proxy.prompt()
        def f():
            pass
        """
    component = decorator_of(source)
    assert component is not None
    assert (component.kind, component.server) == ("prompt", "proxy")


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(
            "from flask import Flask\napp = Flask(__name__)\n@app.tool\ndef f(): pass\n", id="flask"
        ),
        pytest.param(
            "from mcp.server.fastmcp import FastMCP\nmcp = FastMCP()\n@mcp.tool()\ndef f(): pass\n",
            id="sdk-server",
        ),
        pytest.param(SERVER + "@mcp.custom_route('/x')\ndef f(): pass\n", id="other-method"),
        pytest.param(SERVER + "@tool\ndef f(): pass\n", id="bare-name"),
        pytest.param(SERVER + "@mcp.tool.sub\ndef f(): pass\n", id="deeper-attribute"),
        pytest.param(SERVER + "@unknown.tool\ndef f(): pass\n", id="unknown-object"),
    ],
)
def test_not_a_component_decorator(source: str) -> None:
    assert decorator_of(source) is None


def test_component_decorators_yields_only_components_in_order() -> None:
    names, func = function(
        SERVER
        + textwrap.dedent(
            """
            @functools.cache
            @mcp.tool
            @mcp.resource("data://x")
            def f():
                pass
            """
        ),
        "f",
    )
    assert [c.kind for c in names.component_decorators(func)] == ["tool", "resource"]


# -- Context annotations ------------------------------------------------------------------


def context_kind(imports: str, annotation: str | None) -> str | None:
    params = f"ctx: {annotation}" if annotation is not None else "ctx"
    names, func = function(f"{imports}\ndef f({params}):\n    pass\n", "f")
    return names.context_kind(func.params.params[0].annotation)


FASTMCP_CTX = "from fastmcp import Context\nfrom typing import Annotated, Optional, Union"


@pytest.mark.parametrize(
    ("imports", "annotation", "expected"),
    [
        pytest.param(FASTMCP_CTX, "Context", "fastmcp", id="Context"),
        pytest.param(FASTMCP_CTX, '"Context"', "fastmcp", id="quoted"),
        pytest.param(FASTMCP_CTX, "Context | None", "fastmcp", id="union-pipe"),
        pytest.param(FASTMCP_CTX, "None | Context", "fastmcp", id="union-pipe-right"),
        pytest.param(FASTMCP_CTX, '"Context | None"', "fastmcp", id="quoted-union"),
        pytest.param(FASTMCP_CTX, "Optional[Context]", "fastmcp", id="Optional"),
        pytest.param(FASTMCP_CTX, "Union[None, Context]", "fastmcp", id="Union"),
        pytest.param(FASTMCP_CTX, "Annotated[Context, 'meta']", "fastmcp", id="Annotated"),
        pytest.param(
            FASTMCP_CTX, "Optional[Annotated[Context, 'meta']]", "fastmcp", id="nested-wrappers"
        ),
        pytest.param(
            "import typing\nfrom fastmcp import Context",
            "typing.Optional[Context]",
            "fastmcp",
            id="typing-dot-Optional",
        ),
        pytest.param("import fastmcp", "fastmcp.Context", "fastmcp", id="module-attribute"),
        pytest.param(
            "from fastmcp.server.context import Context as Ctx", "Ctx", "fastmcp", id="aliased"
        ),
        pytest.param("from fastmcp.server import Context", "Context", "fastmcp", id="server-path"),
        pytest.param("from mcp.server.fastmcp import Context", "Context", "sdk", id="sdk"),
        pytest.param(
            "from typing import Optional\nfrom mcp.server.fastmcp import Context",
            "Optional[Context]",
            "sdk",
            id="sdk-Optional",
        ),
        pytest.param(FASTMCP_CTX, "str", None, id="str"),
        pytest.param(FASTMCP_CTX, None, None, id="no-annotation"),
        pytest.param(FASTMCP_CTX, "list[Context]", None, id="list-of-Context"),
        pytest.param(FASTMCP_CTX, "Annotated[str, Context]", None, id="Annotated-metadata-only"),
        pytest.param("from click import Context", "Context", None, id="other-library"),
        pytest.param("class Context:\n    pass", "Context", None, id="local-class"),
        pytest.param("", "Context", None, id="unimported"),
        pytest.param(FASTMCP_CTX, '"not valid ("', None, id="unparsable-string"),
    ],
)
def test_context_kind(imports: str, annotation: str | None, expected: str | None) -> None:
    assert context_kind(imports, annotation) == expected


def test_context_kind_of_none_annotation() -> None:
    assert names_of(FASTMCP_CTX).context_kind(None) is None


# -- module-level bindings ------------------------------------------------------------------


def test_module_servers_are_module_level_only_and_map_to_binding_statement() -> None:
    names = names_of(
        """
        from fastmcp import FastMCP

        mcp = FastMCP("top")

        def factory():
            inner = FastMCP("inner")
            return inner

        class Holder:
            held = FastMCP("held")
        """
    )
    assert set(names.module_servers) == {"mcp"}
    assert code(names.module_servers["mcp"]) == 'mcp = FastMCP("top")'
    assert {"mcp", "inner", "held"} <= names.servers


def test_server_bound_in_module_level_compound_statements_is_module_level() -> None:
    names = names_of(
        """
        import os
        from fastmcp import FastMCP

        if os.environ.get("PROXY"):
            mcp = FastMCP.as_proxy(os.environ["PROXY"])
        else:
            mcp = FastMCP("local")

        try:
            import fastmcp as fm
        except ImportError:
            fm = None
        else:
            backup = fm.FastMCP()
        """
    )
    assert set(names.module_servers) == {"mcp", "backup"}
    assert {"mcp", "backup", "fm"} <= names.module_bindings


def test_attribute_target_at_module_level_is_not_a_module_server() -> None:
    names = names_of("from fastmcp import FastMCP\nimport app\napp.mcp = FastMCP()\n")
    assert names.is_server(cst.parse_expression("app.mcp"))
    assert names.module_servers == {}


def test_module_bindings_include_imports_assignments_defs_and_classes() -> None:
    names = names_of(
        """
        import os.path
        import json as j
        from .app import mcp
        from . import tools
        from typing import Any as A
        from star import *

        CONSTANT = 1
        annotated: int = 2

        def helper(param):
            local = 3

        class Server:
            attribute = 4
        """
    )
    assert names.module_bindings == {
        "os",
        "j",
        "mcp",
        "tools",
        "A",
        "CONSTANT",
        "annotated",
        "helper",
        "Server",
    }
    assert names.module_definitions == {"helper", "Server"}


def test_relative_import_of_server_is_a_binding_but_not_a_known_server() -> None:
    names = names_of("from .app import mcp\n")
    assert "mcp" in names.module_bindings
    assert "mcp" not in names.module_definitions
    assert names.module_servers == {}


def test_imports_inside_functions_are_not_module_bindings() -> None:
    names = names_of("def f():\n    import json\n    from fastmcp import FastMCP\n")
    assert names.module_bindings == {"f"}
    # ... but the alias is still known (names are tracked per module).
    assert names.qualified_name(cst.parse_expression("FastMCP")) == "fastmcp.FastMCP"


REBINDINGS = [
    pytest.param("mcp = None", id="assign"),
    pytest.param("mcp: int = 0", id="annotated-assign"),
    pytest.param("mcp = make_flask_app()", id="assign-call"),
    pytest.param("def mcp():\n    pass", id="def"),
    pytest.param("class mcp:\n    pass", id="class"),
    pytest.param("from other import mcp", id="from-import"),
    pytest.param("import other as mcp", id="import-as"),
    pytest.param("mcp, other = 1, 2", id="tuple-unpacking"),
]


@pytest.mark.parametrize("rebinding", REBINDINGS)
def test_module_server_rebound_to_something_else_is_not_a_module_server(rebinding: str) -> None:
    names = names_of(f"from fastmcp import FastMCP\nmcp = FastMCP()\n{rebinding}\n")
    assert "mcp" not in names.module_servers


def test_module_server_rebound_to_another_server_stays_with_latest_statement() -> None:
    names = names_of(
        "from fastmcp import FastMCP\nmcp = FastMCP('a')\nmcp = FastMCP.as_proxy('b')\n"
    )
    assert code(names.module_servers["mcp"]) == "mcp = FastMCP.as_proxy('b')"


def test_local_rebinding_in_function_keeps_module_server() -> None:
    names = names_of("from fastmcp import FastMCP\nmcp = FastMCP()\ndef f():\n    mcp = None\n")
    assert "mcp" in names.module_servers


def test_server_assigned_after_rebinding_is_a_module_server_again() -> None:
    names = names_of("from fastmcp import FastMCP\nmcp = None\nmcp = FastMCP()\n")
    assert "mcp" in names.module_servers


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("if True: mcp = FastMCP()", id="if"),
        pytest.param("if False: pass\nelse: mcp = FastMCP()", id="else"),
        pytest.param("try: mcp = FastMCP()\nexcept Exception: pass", id="try"),
        pytest.param("for _ in range(1): mcp = FastMCP()", id="for"),
        pytest.param("with lock: mcp = FastMCP()", id="with"),
    ],
)
def test_one_line_compound_statement_bodies_are_walked(source: str) -> None:
    names = names_of("from fastmcp import FastMCP\n" + source + "\n")
    assert "mcp" in names.module_servers


def test_one_line_function_body_is_walked() -> None:
    assert is_server("from fastmcp import FastMCP\ndef f(): server = FastMCP()\n", "server")


def test_import_in_one_line_try_is_recorded() -> None:
    names = names_of(
        "try: from fastmcp import FastMCP\nexcept ImportError: FastMCP = None\nmcp = FastMCP()\n"
    )
    assert "mcp" in names.module_servers


# -- nested_blocks -------------------------------------------------------------------------


def blocks(source: str) -> list[list[str]]:
    statement = cst.parse_module(textwrap.dedent(source)).body[0]
    return [[code(s) for s in block] for block in nested_blocks(statement)]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        pytest.param(
            """
            if a:
                x = 1
            elif b:
                x = 2
            elif c:
                x = 3
            else:
                x = 4
            """,
            [["x = 1"], ["x = 2"], ["x = 3"], ["x = 4"]],
            id="if-elif-else",
        ),
        pytest.param(
            """
            try:
                x = 1
            except ValueError:
                x = 2
            except (KeyError, TypeError):
                x = 3
            else:
                x = 4
            finally:
                x = 5
            """,
            [["x = 1"], ["x = 2"], ["x = 3"], ["x = 4"], ["x = 5"]],
            id="try-except-else-finally",
        ),
        pytest.param(
            "with open(p) as f, lock:\n    x = 1\n    y = 2\n",
            [["x = 1", "y = 2"]],
            id="with",
        ),
        pytest.param(
            "for i in it:\n    x = 1\nelse:\n    x = 2\n", [["x = 1"], ["x = 2"]], id="for-else"
        ),
        pytest.param("async for i in it:\n    x = 1\n", [["x = 1"]], id="async-for"),
        pytest.param(
            "while cond:\n    x = 1\nelse:\n    x = 2\n", [["x = 1"], ["x = 2"]], id="while-else"
        ),
        pytest.param(
            """
            match command:
                case "a":
                    x = 1
                case [first, *rest]:
                    x = 2
                case _:
                    x = 3
            """,
            [["x = 1"], ["x = 2"], ["x = 3"]],
            id="match",
        ),
        pytest.param("x = 1\n", [], id="simple-statement"),
    ],
)
def test_nested_blocks(source: str, expected: list[list[str]]) -> None:
    assert sorted(blocks(source)) == sorted(expected)


def test_nested_blocks_of_one_line_body_are_its_small_statements() -> None:
    assert blocks("if a: x = 1; y = 2\n") == [["x = 1;", "y = 2"]]


def test_a_parameter_typed_as_something_else_is_not_the_server_of_another_function() -> None:
    source = """
    from fastmcp import FastMCP
    from mcp.server.mcpserver import MCPServer

    def build():
        server = FastMCP("a")
        return server

    def run_sdk(server: MCPServer):
        server.settings.port = 1

    def untyped(server):
        server.run()
    """
    module = cst.parse_module(textwrap.dedent(source))
    names = analyze(module)
    visitor = _Functions()
    module.visit(visitor)

    def receivers(name: str) -> list[cst.Name]:
        found = visitor.found[name]
        return [n for n in all_nodes(found.body, cst.Name) if n.value == "server"]

    assert all(names.is_server(n) for n in receivers("build"))
    assert all(names.is_server(n) for n in receivers("untyped"))
    assert receivers("run_sdk") and not any(names.is_server(n) for n in receivers("run_sdk"))
