from __future__ import annotations

import ast

import libcst as cst

from fastmcp_kit.apisurface import surface_for, version_label
from fastmcp_kit.lint.ast_names import may_register_functions
from fastmcp_kit.lint.body_walk import direct_nodes
from fastmcp_kit.lint.registered_functions import registrations
from fastmcp_kit.lint.rule import Invalid, Rule, RuleContext, Valid
from fastmcp_kit.lint.violation import Severity

# fastmcp's own message class (3.0+: the only message a prompt's list may hold).
MESSAGE = frozenset(
    {"fastmcp.prompts.Message", "fastmcp.prompts.prompt.Message", "fastmcp.prompts.base.Message"}
)
# The MCP type, re-exported by fastmcp.prompts in every release: 2.x's message.
PROMPT_MESSAGE = frozenset(
    {
        "mcp.types.PromptMessage",
        "fastmcp.prompts.PromptMessage",
        "fastmcp.prompts.prompt.PromptMessage",
        "fastmcp.prompts.base.PromptMessage",
    }
)
FIX = "return `str`, `list[Message]` (`from fastmcp.prompts import Message`) or `PromptResult`"


class PromptReturnShape(Rule):
    """A prompt that returns dicts, a single `Message` or MCP `PromptMessage` objects, which FastMCP 3.0+ cannot render.

    ## What it does
    On FastMCP 3.0 and later, flags a `return` in a function registered as a prompt
    of a standalone server whose value is a dict literal, a list or tuple literal
    holding a dict literal or an MCP `PromptMessage(...)` (from `mcp.types`, or as
    `fastmcp.prompts` re-exports it), a single `PromptMessage(...)` or a single
    fastmcp `Message(...)`. Without such a `return`, a return annotation saying the
    same (`-> dict`, `-> list[dict]`, `-> Message`, `-> list[PromptMessage]`) is
    flagged. Lists of `Message` or `str`, `PromptResult`, strings, and every shape
    before 3.0 are left alone.

    ## Why is this bad?
    From 3.0 a prompt must return `str`, `list[Message | str]` or `PromptResult`.
    Anything else fails each time the prompt is rendered, and the client gets only
    an error: `messages[0] must be Message or str, got dict. Use Message({...}) to
    wrap the value` (got `PromptMessage` alike), or `Prompt must return str,
    list[Message], or PromptResult, got dict` (got `Message` for a single message).
    Verified 3.0.2, 3.1.1, 3.2.4, 3.4.11, 4.0.11, 4.1.7 and 4.2.3. The same code was
    accepted by 2.x (2.13.3 and 2.14.7 render a dict as its JSON text, and take
    `PromptMessage` objects and a single `Message`), so it breaks on upgrade.

    ## Fix safety
    There is no fix: the messages' roles and contents have to be rewritten as
    `Message(content, role=...)`.
    """

    code = "FMCP222"
    reported_mistakes = ("033",)
    severity = Severity.ERROR
    message = "Prompt `{function}` returns {shape}: {version} fails to render it (`{error}`); {fix}"
    fastmcp_versions = ">=3"
    references = ("https://gofastmcp.com/servers/prompts#return-values",)

    needles = (".prompt",)

    @classmethod
    def may_apply_to_tree(cls, tree: ast.Module, context: RuleContext) -> bool:
        return may_register_functions(tree, ("prompt",))

    VALID = [
        Valid(
            "messages-strings-and-results",
            """
            from fastmcp import FastMCP
            from fastmcp.prompts import Message, PromptResult

            mcp = FastMCP("code-review-graph")

            @mcp.prompt
            def architecture_map() -> list[Message]:
                return [Message("Map the architecture of this repository.", role="user")]

            @mcp.prompt
            def plain(topic: str) -> str:
                return f"Explain {topic}"

            @mcp.prompt
            def several() -> list[str]:
                return ["first", "second"]

            @mcp.prompt
            def result() -> PromptResult:
                return PromptResult([Message("hi")], description="greeting")

            @mcp.tool
            def config() -> dict:
                return {"role": "user", "content": "not a prompt"}
            """,
            fastmcp_version="3.4",
        ),
        Valid(
            "dicts-and-prompt-messages-on-2x",
            """
            from fastmcp import FastMCP
            from fastmcp.prompts import Message
            from fastmcp.prompts.prompt import PromptMessage
            from mcp.types import TextContent

            mcp = FastMCP("demo")

            @mcp.prompt
            def review() -> list[PromptMessage]:
                return [PromptMessage(role="user", content=TextContent(type="text", text="hi"))]

            @mcp.prompt
            def single() -> PromptMessage:
                return Message("hi")

            @mcp.prompt
            def as_dicts() -> list[dict]:
                return [{"role": "user", "content": "hi"}]
            """,
            fastmcp_version="2.14",
        ),
        Valid(
            "sdk-prompt",
            """
            from mcp.server.fastmcp import FastMCP

            mcp = FastMCP("demo")

            @mcp.prompt()
            def review() -> list[dict]:
                return [{"role": "user", "content": "the SDK's FastMCP"}]
            """,
        ),
    ]
    INVALID = [
        Invalid(
            "list-of-dicts",
            """
            from fastmcp import FastMCP

            mcp = FastMCP("code-review-graph")

            @mcp.prompt
            def architecture_map() -> list[dict]:
                return [{"role": "user", "content": "Map the architecture of this repository."}]
            """,
            fastmcp_version="3.4",
            says="got dict",
        ),
        Invalid(
            "single-message-and-prompt-messages",
            """
            from fastmcp import FastMCP
            from fastmcp.prompts import Message
            from mcp.types import PromptMessage, TextContent

            mcp = FastMCP("demo")

            @mcp.prompt
            def greet():
                return Message("hi")

            @mcp.prompt(name="review")
            def review(code: str):
                return [PromptMessage(role="user", content=TextContent(type="text", text=code))]
            """,
            count=2,
            fastmcp_version="4.2",
        ),
        Invalid(
            "annotated-dict",
            """
            from fastmcp import FastMCP

            mcp = FastMCP("demo")

            def build() -> dict:
                return {}

            @mcp.prompt
            def summary() -> dict[str, str]:
                messages = build()
                return messages
            """,
            fastmcp_version="3.0",
        ),
    ]

    def visit_Module(self, node: cst.Module) -> None:
        version = version_label(self.context.target, surface_for(self.context.target))
        seen: set[int] = set()
        for found in registrations(node, self.context.names, self.context.target):
            function = found.function
            if found.kind != "prompt" or id(function) in seen:
                continue
            seen.add(id(function))
            reported = False
            for statement in direct_nodes(function, cst.Return):
                shape = None if statement.value is None else self._returned(statement.value)
                if shape is not None:
                    self._report(statement, function, shape, version)
                    reported = True
            returns = function.returns
            if not reported and returns is not None:
                shape = self._annotated(returns.annotation)
                if shape is not None:
                    self._report(returns, function, shape, version)

    def _report(
        self, node: cst.CSTNode, function: cst.FunctionDef, shape: tuple[str, str], version: str
    ) -> None:
        described, error = shape
        self.report(
            node,
            self.message.format(
                function=function.name.value, shape=described, version=version, error=error, fix=FIX
            ),
        )

    def _returned(self, value: cst.BaseExpression) -> tuple[str, str] | None:
        """What a returned expression is, when FastMCP 3.0+ cannot render it."""
        if isinstance(value, cst.Dict):
            return "a dict", "Prompt must return str, list[Message], or PromptResult, got dict"
        if isinstance(value, cst.Call):
            called = self.context.names.qualified_name(value.func)
            if called in MESSAGE:
                return (
                    "a single `Message`",
                    "Prompt must return str, list[Message], or PromptResult, got Message",
                )
            if called in PROMPT_MESSAGE:
                return (
                    "an MCP `PromptMessage`",
                    "Prompt must return str, list[Message], or PromptResult, got PromptMessage",
                )
        if isinstance(value, (cst.List, cst.Tuple)):
            for element in value.elements:
                item = element.value
                if isinstance(item, cst.Dict):
                    return "a list of dicts", "messages[0] must be Message or str, got dict"
                if (
                    isinstance(item, cst.Call)
                    and self.context.names.qualified_name(item.func) in PROMPT_MESSAGE
                ):
                    return (
                        "a list of MCP `PromptMessage` objects",
                        "messages[0] must be Message or str, got PromptMessage",
                    )
        return None

    def _annotated(self, annotation: cst.BaseExpression) -> tuple[str, str] | None:
        """The same, read from a return annotation."""
        names = self.context.names
        head = annotation.value if isinstance(annotation, cst.Subscript) else annotation
        if isinstance(head, cst.Name) and head.value == "dict":
            return "a dict", "Prompt must return str, list[Message], or PromptResult, got dict"
        qualified = names.qualified_name(annotation)
        if qualified in MESSAGE:
            return (
                "a single `Message`",
                "Prompt must return str, list[Message], or PromptResult, got Message",
            )
        if qualified in PROMPT_MESSAGE:
            return (
                "an MCP `PromptMessage`",
                "Prompt must return str, list[Message], or PromptResult, got PromptMessage",
            )
        if (
            isinstance(annotation, cst.Subscript)
            and isinstance(annotation.value, cst.Name)
            and annotation.value.value == "list"
            and len(annotation.slice) == 1
            and isinstance(annotation.slice[0].slice, cst.Index)
        ):
            item = annotation.slice[0].slice.value
            item_head = item.value if isinstance(item, cst.Subscript) else item
            if isinstance(item_head, cst.Name) and item_head.value == "dict":
                return "a list of dicts", "messages[0] must be Message or str, got dict"
            if names.qualified_name(item) in PROMPT_MESSAGE:
                return (
                    "a list of MCP `PromptMessage` objects",
                    "messages[0] must be Message or str, got PromptMessage",
                )
        return None
