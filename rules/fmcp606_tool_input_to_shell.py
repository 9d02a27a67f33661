from __future__ import annotations

import libcst as cst

from fastmcp_kit.lint.names import dotted_name
from fastmcp_kit.lint.rule import Invalid, Valid
from fastmcp_kit.lint.taint_rule import Finding, Sink, TaintRule
from fastmcp_kit.lint.violation import Severity

# Functions that run their first argument through a shell (or as Python).
SHELL_SINKS = frozenset(
    {
        "os.system",
        "os.popen",
        "subprocess.getoutput",
        "subprocess.getstatusoutput",
        "asyncio.create_subprocess_shell",
    }
)
# Functions that do so with ``shell=True``.
SHELL_OPTION_SINKS = frozenset(
    {
        "subprocess.run",
        "subprocess.call",
        "subprocess.check_call",
        "subprocess.check_output",
        "subprocess.Popen",
    }
)
# Builtins that run (or compile, to run later) their first argument as Python.
CODE_SINKS = frozenset({"eval", "exec", "compile"})


class ToolInputToShell(TaintRule):
    """A tool, resource template or prompt argument run as a shell command or as Python code.

    ## What it does
    In a function registered as a component (`@mcp.tool`, `@mcp.resource("...{x}")`,
    `@mcp.prompt`), follows the arguments the client fills (not `Context`, not values
    FastMCP injects, not `int`/`float`/`bool` or `Literal[...]` parameters) through
    assignments in the function, and flags them reaching `os.system`, `os.popen`,
    `subprocess.getoutput`, `asyncio.create_subprocess_shell`, `subprocess.run/Popen/...`
    with `shell=True`, or `eval`/`exec`/`compile`, in the component or in a function
    of the same module it passes the value to.

    Sanitizers: `shlex.quote(...)` and conversions to numbers clear the value, and so
    does a validator called on it as a statement before the sink (`validate_expr(expr)`,
    `check_path(path)`: a call whose result is unused and whose name starts with
    validate, check, ensure, verify or sanitize), an allow-list test that leaves the
    function (`if command not in ALLOWED: raise ...`), and a parameter type the schema
    restricts (`Literal[...]`, an `Enum` of the module, `Annotated[str,
    Field(pattern=...)]`).

    ## Why is this bad?
    Every argument of an MCP component is chosen by the model, and so by whoever can put
    text in front of it (a web page, an issue, a file the agent reads: prompt injection).
    A command string built from it runs whatever the text says: `; rm -rf ~`,
    `$(curl ... | sh)`. Pass an argument list without `shell=True`
    (`subprocess.run(["git", "log", branch])`), quote with `shlex.quote`, or restrict the
    parameter (`Literal["status", "log"]`, an enum, a pydantic pattern).

    ## Fix safety
    No automatic fix: what the command should be is for a human to decide.
    """

    code = "FMCP606"
    severity = Severity.ERROR
    message = (
        "`{param}` comes from the MCP client (chosen by the model, and so by any text in "
        "front of it) and reaches `{sink}`: {harm}. {advice}"
    )
    references = ("https://owasp.org/www-community/attacks/Command_Injection",)

    needles = ("system", "popen", "Popen", "getoutput", "shell", "eval", "exec", "compile")

    VALID = [
        Valid(
            "argument-list-without-shell",
            """
            import subprocess

            from fastmcp import FastMCP

            mcp = FastMCP("git")

            @mcp.tool
            def log(branch: str) -> str:
                done = subprocess.run(["git", "log", branch], capture_output=True, text=True)
                return done.stdout
            """,
        ),
        Valid(
            "quoted-or-constrained",
            """
            import os
            import shlex
            import subprocess
            from typing import Literal

            from fastmcp import Context, FastMCP

            mcp = FastMCP("ops")

            @mcp.tool
            def status(service: str) -> int:
                return os.system(f"systemctl status {shlex.quote(service)}")

            @mcp.tool
            def action(verb: Literal["start", "stop"], count: int, ctx: Context) -> str:
                return subprocess.check_output(f"service {verb} x{count}", shell=True, text=True)
            """,
        ),
        Valid(
            "constant-command-and-reassigned-name",
            """
            import subprocess

            from fastmcp import FastMCP

            mcp = FastMCP("ops")

            @mcp.tool
            def uptime(host: str) -> str:
                command = f"ping -c1 {host}"
                command = "uptime"
                return subprocess.check_output(command, shell=True, text=True)
            """,
        ),
        Valid(
            "validated-before-use",
            """
            from fastmcp import FastMCP

            from app.checks import validate_plot_expr

            mcp = FastMCP("charts")

            @mcp.tool
            def plot(expr: str) -> object:
                validate_plot_expr(expr)  # raises unless it is one px.<chart>(...) call
                return eval(expr, {"px": None})
            """,
        ),
        Valid(
            "not-a-component",
            """
            import os

            from fastmcp import FastMCP

            mcp = FastMCP("ops")

            def run_script(path: str) -> int:
                return os.system(path)
            """,
        ),
        Valid(
            "attribute-and-keyword-named-like-a-parameter",
            """
            import subprocess

            from fastmcp import FastMCP

            from app.config import settings

            mcp = FastMCP("ops")

            @mcp.tool
            def deploy(name: str) -> str:
                subprocess.run(f"deploy {settings.name}", shell=True, check=True)
                return name
            """,
        ),
        Valid(
            "allow-listed-enum-or-pattern",
            """
            import enum
            import subprocess
            from typing import Annotated

            from fastmcp import FastMCP
            from pydantic import Field

            mcp = FastMCP("ops")
            ALLOWED = ("uptime", "df -h")

            class Unit(enum.Enum):
                NGINX = "nginx"
                REDIS = "redis"

            def _run(cmd: str) -> str:
                return subprocess.check_output(cmd, shell=True, text=True)

            @mcp.tool
            def run(command: str, unit: Unit, tag: Annotated[str, Field(pattern=r"^[a-z0-9]+$")]) -> str:
                if command not in ALLOWED:
                    raise ValueError(f"{command} is not allowed")
                return _run(command) + _run(f"systemctl status {unit.value}") + _run(f"tag {tag}")
            """,
        ),
    ]
    INVALID = [
        Invalid(
            "loop-into-a-helper",
            """
            import subprocess

            from fastmcp import FastMCP

            mcp = FastMCP("shell")

            def _run(cmd: str, timeout: int = 10) -> str:
                return subprocess.check_output(cmd, shell=True, text=True, timeout=timeout)

            @mcp.tool
            def run_all(commands: list[str]) -> list[str]:
                results: list[str] = []
                for command in commands:
                    results.append(_run(timeout=5, cmd=command))
                return results
            """,
            says="`subprocess.check_output(shell=True)` in `_run`",
        ),
        Invalid(
            "run-bash",
            """
            import subprocess

            from fastmcp import FastMCP

            mcp = FastMCP("shell")

            @mcp.tool
            def run_bash(command: str) -> str:
                done = subprocess.run(command, shell=True, capture_output=True, text=True)
                return done.stdout
            """,
            says="`command` comes from the MCP client",
        ),
        Invalid(
            "built-then-run",
            """
            import asyncio
            import os

            from fastmcp import FastMCP

            mcp = FastMCP("files")

            @mcp.resource("files://{folder}/listing")
            async def listing(folder: str) -> str:
                line = "ls -la " + folder
                process = await asyncio.create_subprocess_shell(line)
                await process.wait()
                return str(os.popen(f"du -sh {folder}").read())
            """,
            count=2,
        ),
        Invalid(
            "eval",
            """
            from fastmcp import FastMCP

            mcp = FastMCP("calc")

            @mcp.tool
            def calculate(expression: str) -> float:
                return eval(expression)
            """,
            says="code injection",
        ),
    ]

    def sink(self, call: cst.Call) -> Sink | None:
        if not call.args or call.args[0].keyword is not None:
            return None
        names = self.context.names
        qualified = names.qualified_name(call.func)
        if qualified in SHELL_SINKS:
            return Sink(qualified, call.args[0].value)
        if qualified in SHELL_OPTION_SINKS:
            shell = next(
                (a for a in call.args if a.keyword is not None and a.keyword.value == "shell"),
                None,
            )
            if shell and _is_true(shell.value):
                return Sink(f"{qualified}(shell=True)", call.args[0].value)
            return None
        name = dotted_name(call.func)
        if name in CODE_SINKS and name not in names.module_bindings:
            return Sink(name, call.args[0].value)
        return None

    def describe(self, finding: Finding) -> str:
        code_sink = finding.sink.label in CODE_SINKS
        harm = "code injection" if code_sink else "command injection"
        advice = (
            "Parse the input instead (`ast.literal_eval`, a small grammar)."
            if code_sink
            else "Pass an argument list without `shell=True`, quote with "
            "`shlex.quote`, or restrict the parameter (`Literal[...]`)."
        )
        sink = self.sink_label(finding)
        return self.message.format(param=finding.param, sink=sink, harm=harm, advice=advice)


def _is_true(value: cst.BaseExpression) -> bool:
    return isinstance(value, cst.Name) and value.value == "True"
