from __future__ import annotations

import libcst as cst

from fastmcp_kit.lint.docstring_params import documented_parameters
from fastmcp_kit.lint.names import ModuleNames, dotted_name
from fastmcp_kit.lint.registered_functions import (
    Registration,
    registration_calls,
    registrations,
)
from fastmcp_kit.lint.rule import Invalid, Rule, Valid
from fastmcp_kit.lint.secrets import is_test_file
from fastmcp_kit.lint.violation import Severity

KINDS = frozenset({"tool", "prompt"})
# Names an annotation may use that surely carry no description. Any other name may be
# an alias such as ``Email = Annotated[str, Field(description=...)]`` defined elsewhere.
PLAIN_TYPE_NAMES = frozenset(
    {
        *("str", "int", "float", "bool", "bytes", "list", "dict", "set", "tuple", "None"),
        *("Any", "object", "Optional", "Union", "List", "Dict", "Set", "Tuple", "Literal"),
        *("Sequence", "Mapping"),
    }
)


class ParameterUndocumented(Rule):
    """A tool or prompt parameter left undocumented while its siblings are documented.

    ## What it does
    Flags the parameters of a registered tool or prompt (resolved like the other
    component rules) that have no description when at least one other parameter of the
    same function has one. A parameter is documented by an entry in the docstring's
    parameter section (Google `Args:`, NumPy `Parameters`, Sphinx `:param x:`), by
    `Annotated[T, Field(description=...)]`, `Annotated[T, "..."]`, or a
    `Field(description=...)` default. `self`/`cls`, `Context` parameters and injected
    ones (a call default other than `Field(...)`: `Depends(...)`, `CurrentContext()`,
    `Progress()`), those in `exclude_args=` and those whose default is a shared constant
    (`x: str = IdField`) are not counted, nor is a parameter whose annotation names
    anything but builtins, `typing` wrappers and the module's own classes (an imported
    alias may be `Annotated[str, Field(description=...)]`). Functions that document no
    parameter at all, and test modules, are left alone. This rule is opt-in (off by
    default): it is about what the model reads, not a bug. Enable it with
    `--extend-select FMCP231`.

    ## Why is this bad?
    Each parameter's description is what the model reads to fill that argument.
    `Field(description=)` lands in the input schema on every release; docstring
    entries become per-parameter schema descriptions from FastMCP 3.2 (checked with
    3.2.4 and 4.2.3, which parse Google, NumPy and Sphinx styles with griffe), while
    2.14.7 and 3.0.2 publish the whole docstring as the tool description. Documenting
    all arguments but one usually means that one was added later and forgotten: the
    model has to guess its meaning and format.

    ## Example
    ```python
    @mcp.tool
    def search(query: str, limit: int = 10) -> list[str]:
        \"\"\"Search the index.

        Args:
            query: Words to look for.
        \"\"\"
    ```

    ## Use instead
    ```python
    @mcp.tool
    def search(query: str, limit: int = 10) -> list[str]:
        \"\"\"Search the index.

        Args:
            query: Words to look for.
            limit: Most results to return.
        \"\"\"
    ```

    ## Fix safety
    There is no fix: only the author knows what the parameter means.
    """

    code = "FMCP231"
    severity = Severity.INFO
    # Opinionated: a description is advice for the model, not a contract FastMCP checks.
    default_enabled = False
    message = (
        "parameter `{param}` of {kind} `{function}` has no description while {documented} "
        "do: document it in the docstring or with `Field(description=...)`"
    )
    references = ("https://gofastmcp.com/servers/tools#parameter-metadata",)

    needles = ("def ",)

    VALID = [
        Valid(
            "all-documented-in-each-style",
            """
            from typing import Annotated

            from fastmcp import Context, FastMCP
            from pydantic import Field

            mcp = FastMCP("x")

            @mcp.tool
            def google(query: str, limit: int, ctx: Context) -> str:
                \"\"\"Search.

                Args:
                    query (str): Words to look for.
                    limit: Most results.
                \"\"\"
                return query

            @mcp.tool
            def numpy(query: str, limit: int) -> str:
                \"\"\"Search.

                Parameters
                ----------
                query : str
                    Words to look for.
                limit : int
                    Most results.
                \"\"\"
                return query

            @mcp.prompt
            def sphinx(code: str, language: str) -> str:
                \"\"\"Review code.

                :param code: The code.
                :param str language: Its language.
                \"\"\"
                return code

            @mcp.tool
            def mixed(
                query: Annotated[str, Field(description="Words to look for.")],
                limit: Annotated[int, "Most results."] = 10,
                offset: int = Field(0, description="Results to skip."),
            ) -> str:
                \"\"\"Search.\"\"\"
                return query
            """,
        ),
        Valid(
            "nothing-documented-or-injected",
            """
            from fastmcp import FastMCP
            from fastmcp.dependencies import CurrentContext, Depends

            mcp = FastMCP("x")

            def get_db():
                return None

            @mcp.tool
            def undocumented(query: str, limit: int) -> str:
                \"\"\"Search the index for words.\"\"\"
                return query

            @mcp.tool
            def injected(query: str, db=Depends(get_db), ctx=CurrentContext()) -> str:
                \"\"\"Search.

                Args:
                    query: Words to look for.
                \"\"\"
                return query
            """,
        ),
        Valid(
            "imported-alias-may-carry-a-description",
            """
            from typing import Annotated

            from fastmcp import FastMCP
            from fastmcp.dependencies import Progress
            from pydantic import Field

            from .common_types import COMPARTMENT_FIELD, UserEmail

            mcp = FastMCP("x")

            @mcp.tool
            def search(
                query: Annotated[str, Field(description="Words to look for.")],
                user_email: UserEmail = None,
                progress: Progress = Progress(),
                compartment: str = COMPARTMENT_FIELD,
            ) -> str:
                \"\"\"Search.\"\"\"
                return query
            """,
        ),
        Valid(
            "excluded-arguments",
            """
            from fastmcp import FastMCP

            mcp = FastMCP("x")

            @mcp.tool(exclude_args=["client"])
            def search(query: str, client: object = None) -> str:
                \"\"\"Search.

                Args:
                    query: Words to look for.
                \"\"\"
                return query
            """,
        ),
        Valid(
            "sdk-server",
            """
            from mcp.server.fastmcp import FastMCP

            mcp = FastMCP("x")

            @mcp.tool()
            def search(query: str, limit: int) -> str:
                \"\"\"Search.

                Args:
                    query: Words to look for.
                \"\"\"
                return query
            """,
        ),
    ]
    INVALID = [
        Invalid(
            "docstring-misses-one",
            """
            from fastmcp import FastMCP

            mcp = FastMCP("x")

            @mcp.tool
            def search(query: str, limit: int = 10, offset: int = 0) -> str:
                \"\"\"Search.

                Args:
                    query: Words to look for.
                \"\"\"
                return query
            """,
            count=2,
        ),
        Invalid(
            "field-on-some",
            """
            from typing import Annotated

            from fastmcp import FastMCP
            from pydantic import Field

            mcp = FastMCP("x")

            def review(code: Annotated[str, Field(description="The code.")], language: str) -> str:
                return code

            mcp.prompt(review)
            """,
        ),
    ]

    def visit_Module(self, node: cst.Module) -> None:
        if is_test_file(self.context.path):
            return  # fixtures of a test suite are never shown to a model
        names = self.context.names
        for found in registrations(node, names, self.context.target):
            if found.kind not in KINDS:
                continue
            function = found.function
            excluded = _excluded_arguments(found)
            if excluded is None:
                continue
            counted = [
                p
                for p in _counted_parameters(function, names, method=found.owner is not None)
                if p.name.value not in excluded
            ]
            classes = {c.name.value for c in node.body if isinstance(c, cst.ClassDef)}
            docstring = function.get_docstring() or ""
            in_docstring = documented_parameters(docstring) or set()
            described = {
                p.name.value: p.name.value in in_docstring or _described_in_code(p, names, classes)
                for p in counted
            }
            documented = [name for name, known in described.items() if known]
            if not documented:
                continue
            shown = ", ".join(f"`{n}`" for n in documented[:3])
            if len(documented) > 3:
                shown += ", ..."
            for param in counted:
                if described[param.name.value] is not False:
                    continue  # documented, or metadata the source does not show
                self.report(
                    param,
                    self.message.format(
                        param=param.name.value,
                        kind=found.kind,
                        function=function.name.value,
                        documented=shown,
                    ),
                )


def _counted_parameters(
    function: cst.FunctionDef, names: ModuleNames, method: bool
) -> list[cst.Param]:
    """The parameters the model fills: not self/cls, Context or injected values."""
    params = function.params
    found: list[cst.Param] = []
    for index, param in enumerate((*params.posonly_params, *params.params, *params.kwonly_params)):
        if index == 0 and (method or param.name.value in ("self", "cls")):
            continue
        if names.context_kind(param.annotation) is not None:
            continue
        if isinstance(param.default, cst.Call):
            called = (dotted_name(param.default.func) or "").rpartition(".")[2]
            if called != "Field":
                continue  # Depends(...), CurrentContext(), Progress(): injected values
        found.append(param)
    return found


def _described_in_code(param: cst.Param, names: ModuleNames, classes: set[str]) -> bool | None:
    """Whether the code gives the parameter a description; None when it cannot tell."""
    if param.default is not None and _field_with_description(param.default):
        return True
    default = param.default
    if isinstance(default, cst.Attribute) or (
        isinstance(default, cst.Name) and default.value not in ("None", "True", "False")
    ):
        return None  # a shared `CompartmentField = Field(description=...)` constant
    annotation = param.annotation.annotation if param.annotation is not None else None
    if annotation is None:
        return False
    if not isinstance(annotation, cst.Subscript):
        return False if _plain(annotation, classes) else None
    wrapper = names.qualified_name(annotation.value) or dotted_name(annotation.value) or ""
    if wrapper.rpartition(".")[2] != "Annotated":
        return False if _plain(annotation, classes) else None
    for element in annotation.slice[1:]:
        if not isinstance(element.slice, cst.Index):
            continue
        value = element.slice.value
        if isinstance(value, cst.BaseString) or _field_with_description(value):
            return True
        if not isinstance(value, cst.Call):
            return None  # a name or expression: the source does not show what it holds
    return False


def _field_with_description(node: cst.BaseExpression) -> bool:
    if not isinstance(node, cst.Call):
        return False
    called = (dotted_name(node.func) or "").rpartition(".")[2]
    return called == "Field" and any(
        arg.keyword is not None and arg.keyword.value == "description" for arg in node.args
    )


def _plain(annotation: cst.BaseExpression, classes: set[str]) -> bool:
    """Whether the annotation only names builtins, typing wrappers and the module's own
    classes: no alias that could carry a description."""
    plain = True

    class _Names(cst.CSTVisitor):
        def visit_Name(self, node: cst.Name) -> None:
            nonlocal plain
            if node.value not in PLAIN_TYPE_NAMES and node.value not in classes:
                plain = False

        def visit_Attribute(self, node: cst.Attribute) -> bool:
            nonlocal plain
            if (dotted_name(node.value) or "") != "typing":
                plain = False
            return False

    annotation.visit(_Names())
    return plain


def _excluded_arguments(found: Registration) -> set[str] | None:
    """The names in the registration's ``exclude_args=[...]`` (kept out of the schema);
    None when they are not written as a literal list."""
    excluded: set[str] = set()
    for call in registration_calls(found):
        for arg in call.args:
            if arg.star:
                return None
            if arg.keyword is None or arg.keyword.value != "exclude_args":
                continue
            if not isinstance(arg.value, (cst.List, cst.Tuple, cst.Set)):
                return None
            for element in arg.value.elements:
                value = element.value
                if not isinstance(value, cst.SimpleString):
                    return None
                text = value.evaluated_value
                if isinstance(text, str):
                    excluded.add(text)
    return excluded
