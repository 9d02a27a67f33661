"""``PromptMessage(...)`` and dict messages -> ``Message(...)`` (3.ii rows 15 and 16)."""

from __future__ import annotations

import libcst as cst

from fastmcp_kit.lint.violation import Severity
from fastmcp_kit.upgrade.codemod import GUIDE_3, Example
from fastmcp_kit.upgrade.cstutil import keyword, kwarg, string_value
from fastmcp_kit.upgrade.helpers import FunctionAware

_PROMPT_MESSAGE = frozenset({"mcp.types.PromptMessage", "fastmcp.prompts.PromptMessage"})
_TEXT_CONTENT = frozenset({"mcp.types.TextContent"})


class PromptMessages(FunctionAware):
    """What it does:
    Rewrites ``PromptMessage(role=R, content=TextContent(type="text", text=X))`` to
    ``Message(X)`` (``Message(X, role="assistant")`` for the assistant role) and, in the
    return value of an ``@mcp.prompt`` function, a literal ``{"role": R, "content": C}``
    dict to ``Message(C, role=R)``; ``PromptMessage`` in the return annotation of a
    prompt becomes ``Message``. ``Message`` is imported from ``fastmcp.prompts``; unused
    ``PromptMessage``/``TextContent`` imports are removed.

    Why:
    3.0 renders only ``Message`` or ``str`` items: ``TypeError: messages[0] must be
    Message or str, got PromptMessage`` (or ``dict``).

    Safety:
    The ``PromptMessage`` rewrite is exact (same role and text; ``Message`` exists since
    2.x). The dict rewrite is a behaviour change, reported: 2.x rendered such a dict as
    one *user* message containing its JSON text, which was almost never the intent.
    """

    ID = "prompt-messages"
    TITLE = "PromptMessage and dict prompt messages become Message"
    KIND = "partial"
    ROWS = ("ii.15", "ii.16")
    LINK = GUIDE_3
    TRIGGERS = ("PromptMessage", "role")
    EXAMPLES = (
        Example(
            "prompt-message",
            before="""
            from fastmcp import FastMCP
            from mcp.types import PromptMessage, TextContent

            mcp = FastMCP("p")

            @mcp.prompt
            def review(code: str) -> list[PromptMessage]:
                return [
                    PromptMessage(role="user", content=TextContent(type="text", text=f"Review:\\n{code}")),
                    PromptMessage(role="assistant", content=TextContent(type="text", text="Sure.")),
                ]
            """,
            after="""
            from fastmcp import FastMCP
            from fastmcp.prompts import Message

            mcp = FastMCP("p")

            @mcp.prompt
            def review(code: str) -> list[Message]:
                return [
                    Message(f"Review:\\n{code}"),
                    Message("Sure.", role="assistant"),
                ]
            """,
        ),
        Example(
            "dicts",
            before="""
            from fastmcp import FastMCP

            mcp = FastMCP("p")

            @mcp.prompt
            def greet(name: str) -> list:
                return [{"role": "user", "content": f"Hello {name}"}]
            """,
            after="""
            from fastmcp import FastMCP
            from fastmcp.prompts import Message

            mcp = FastMCP("p")

            @mcp.prompt
            def greet(name: str) -> list:
                return [Message(f"Hello {name}", role="user")]
            """,
            findings=("2.x sent this dict as JSON text",),
        ),
    )

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        super().visit_FunctionDef(node)
        self._prompts = getattr(self, "_prompts", [])
        is_prompt = any(c.kind == "prompt" for c in self.names.component_decorators(node))
        self._prompts.append(is_prompt)
        return True

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.BaseStatement | cst.FlattenSentinel[cst.BaseStatement] | cst.RemovalSentinel:
        is_prompt = self._prompts.pop()
        if is_prompt and updated_node.returns is not None:
            returns = updated_node.returns.visit(_RenameName(self, "PromptMessage", "Message"))
            if returns is not updated_node.returns:
                updated_node = updated_node.with_changes(returns=returns)
                self._use_message()
                for qualified in sorted(_PROMPT_MESSAGE):
                    self.forget_name(qualified)
        return super().leave_FunctionDef(original_node, updated_node)

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        if self.names.qualified_name(original_node.func) not in _PROMPT_MESSAGE:
            return updated_node
        role = keyword(original_node, "role")
        content = keyword(original_node, "content")
        if role is None or content is None or len(original_node.args) != 2:
            return updated_node
        text = self._text_of(content.value)
        role_value = string_value(role.value)
        if text is None or role_value not in ("user", "assistant"):
            return updated_node
        self._use_message()
        self.forget_name("mcp.types.PromptMessage")
        self.forget_name("mcp.types.TextContent")
        self.rewrote()
        args = [cst.Arg(text)]
        if role_value == "assistant":
            args = [
                cst.Arg(text, comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))),
                kwarg("role", cst.SimpleString('"assistant"')),
            ]
        return cst.Call(func=cst.Name("Message"), args=args)

    def _text_of(self, node: cst.BaseExpression) -> cst.BaseExpression | None:
        if not isinstance(node, cst.Call):
            return None
        if self.names.qualified_name(node.func) not in _TEXT_CONTENT:
            return None
        kind = keyword(node, "type")
        text = keyword(node, "text")
        if (
            kind is None
            or text is None
            or string_value(kind.value) != "text"
            or len(node.args) != 2
        ):
            return None
        return text.value

    def leave_Return(self, original_node: cst.Return, updated_node: cst.Return) -> cst.Return:
        if not getattr(self, "_prompts", None) or not self._prompts[-1]:
            return updated_node
        value = updated_node.value
        if not isinstance(value, (cst.List, cst.Tuple)):
            return updated_node
        elements = []
        changed = False
        for element in value.elements:
            message = self._dict_message(element.value)
            if message is not None:
                element = element.with_changes(value=message)
                changed = True
            elements.append(element)
        if not changed:
            return updated_node
        self._use_message()
        self.rewrote()
        self.report(
            original_node,
            "2.x sent this dict as JSON text in one user message; it is now a real "
            "message with its role: check the prompt's output",
            Severity.WARNING,
        )
        return updated_node.with_changes(value=value.with_changes(elements=elements))

    def _dict_message(self, node: cst.BaseExpression) -> cst.Call | None:
        if not isinstance(node, cst.Dict) or len(node.elements) != 2:
            return None
        entries: dict[str, cst.BaseExpression] = {}
        for element in node.elements:
            if not isinstance(element, cst.DictElement):
                return None
            key = string_value(element.key)
            if key is None:
                return None
            entries[key] = element.value
        if set(entries) != {"role", "content"} or isinstance(entries["content"], cst.Dict):
            return None
        comma = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
        return cst.Call(
            func=cst.Name("Message"),
            args=[cst.Arg(entries["content"], comma=comma), kwarg("role", entries["role"])],
        )

    def _use_message(self) -> None:
        self.add_import("fastmcp.prompts", "Message")


class _RenameName(cst.CSTTransformer):
    def __init__(self, codemod: PromptMessages, old: str, new: str) -> None:
        super().__init__()
        self.codemod, self.old, self.new = codemod, old, new

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.Name:
        if (
            original_node.value == self.old
            and self.codemod.names.qualified_name(original_node) in _PROMPT_MESSAGE
        ):
            return updated_node.with_changes(value=self.new)
        return updated_node
