from __future__ import annotations

import libcst as cst

from fastmcp_kit.lint.rule import Invalid, Valid
from fastmcp_kit.lint.taint_rule import Finding, Sink, TaintRule
from fastmcp_kit.lint.violation import Severity

# Constructors that compile their first argument as template source.
TEMPLATE_CLASSES = frozenset(
    {"jinja2.Template", "jinja2.environment.Template", "mako.template.Template"}
)
# Environments whose templates cannot reach Python internals.
SANDBOXES = frozenset(
    {"jinja2.sandbox.SandboxedEnvironment", "jinja2.sandbox.ImmutableSandboxedEnvironment"}
)


class ToolInputAsTemplate(TaintRule):
    """A tool, resource template or prompt argument compiled as a Jinja2 or Mako template.

    ## What it does
    In a component function, flags a client value reaching `jinja2.Template(...)`,
    `mako.template.Template(...)` or an environment's `from_string(...)` (in a module
    that imports `jinja2`), in the component or in a function of the same module it
    passes the value to.

    Sanitizers: rendering a fixed template with the value as a variable
    (`TEMPLATE.render(name=name)`); a `jinja2.sandbox.SandboxedEnvironment` in the
    module; an allow-list test that leaves the function; `Literal`/`Enum` parameter
    types and `Field(pattern=...)`.

    ## Why is this bad?
    Template source is code: `{{ cycler.__init__.__globals__.os.popen('id').read() }}`
    runs a command in the server (server-side template injection). A value the model
    chooses, and so any text in front of it, must be a variable of the template, never
    its source.

    ## Fix safety
    No automatic fix.
    """

    code = "FMCP611"
    severity = Severity.ERROR
    message = (
        "`{param}` comes from the MCP client and is compiled as template source by "
        "`{sink}` (server-side template injection): render a fixed template with it as a "
        "variable, or use a `SandboxedEnvironment`."
    )
    references = ("https://jinja.palletsprojects.com/en/stable/sandbox/",)

    needles = ("jinja2", "mako")

    VALID = [
        Valid(
            "value-as-variable-or-sandboxed",
            """
            from jinja2 import Template
            from jinja2.sandbox import SandboxedEnvironment

            from fastmcp import FastMCP

            mcp = FastMCP("mail")
            GREETING = Template("Hello {{ name }}!")
            sandbox = SandboxedEnvironment()

            @mcp.prompt
            def greet(name: str, layout: str) -> str:
                return GREETING.render(name=name) + sandbox.from_string(layout).render()
            """,
        ),
    ]
    INVALID = [
        Invalid(
            "template-from-argument",
            """
            from jinja2 import Environment, Template

            from fastmcp import FastMCP

            mcp = FastMCP("mail")
            env = Environment()

            @mcp.tool
            def render(body: str, subject: str) -> str:
                return Template(body).render() + env.from_string(f"<h1>{subject}</h1>").render()
            """,
            count=2,
            says="server-side template injection",
        ),
    ]

    def sink(self, call: cst.Call) -> Sink | None:
        names = self.context.names
        if not call.args or call.args[0].keyword is not None:
            return None
        qualified = names.qualified_name(call.func)
        if qualified in TEMPLATE_CLASSES:
            return Sink(qualified, call.args[0].value)
        func = call.func
        if isinstance(func, cst.Attribute) and func.attr.value == "from_string":
            imported = set(names.aliases.values())
            if not any(q.startswith("jinja2") for q in imported) or imported & SANDBOXES:
                return None
            return Sink("from_string", call.args[0].value)
        return None

    def describe(self, finding: Finding) -> str:
        return self.message.format(param=finding.param, sink=self.sink_label(finding))
