"""Resource URIs as FastMCP reads them: schemes and RFC 6570 template parameters."""

from __future__ import annotations

import re
from dataclasses import dataclass

import libcst as cst

from fastmcp_kit.lint.names import ComponentDecorator

# What pydantic's AnyUrl (FastMCP's resource URI type) needs: a scheme, then a colon.
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_EXPRESSION = re.compile(r"\{([^{}]*)\}")
_VARIABLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def has_scheme(uri: str) -> bool:
    return _SCHEME.match(uri) is not None


def is_template(uri: str) -> bool:
    return "{" in uri


@dataclass(frozen=True)
class TemplateParameters:
    path: frozenset[str]
    query: frozenset[str]


def template_parameters(uri: str) -> TemplateParameters | None:
    """Path (``{id}``, ``{path*}``) and query (``{?a,b}``) parameters of a template.

    None when the template uses an expression FastMCP does not document (``{+x}``,
    ``{#x}``, ...): fkit then does not guess.
    """
    path: set[str] = set()
    query: set[str] = set()
    for expression in _EXPRESSION.findall(uri):
        if expression.startswith("?"):
            names = [name.strip() for name in expression[1:].split(",")]
            if not all(_VARIABLE.match(name) for name in names):
                return None
            query.update(names)
            continue
        name = expression[:-1] if expression.endswith("*") else expression
        if not _VARIABLE.match(name):
            return None
        path.add(name)
    return TemplateParameters(frozenset(path), frozenset(query))


def literal_uri(component: ComponentDecorator) -> tuple[cst.SimpleString, str] | None:
    """The resource decorator's URI when it is a plain string literal.

    f-strings, concatenations and variables are unknowable statically.
    """
    argument = component.argument("uri", position=0)
    if argument is None or not isinstance(argument.value, cst.SimpleString):
        return None
    value = argument.value.evaluated_value
    if not isinstance(value, str):
        return None
    return argument.value, value
