"""The shared shape of the taint rules (FMCP606-FMCP611): client values to one sink family.

A rule names its sinks (:meth:`TaintRule.sink`), optionally its own neutralising calls
and a whole-function sanitizer (a path confinement check). This base finds the
component functions, computes what the client controls (:mod:`fastmcp_kit.lint.taint`),
reports each sink that receives it, and follows a call into a helper function defined
at the top level of the same module one level deep: the helper's parameters that
receive client values are tainted inside it, and a sink there is reported at the call
in the component (where the client value enters), naming the helper.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import ClassVar

import libcst as cst

from fastmcp_kit.lint.body_walk import direct_nodes
from fastmcp_kit.lint.names import dotted_name
from fastmcp_kit.lint.rule import Rule, RuleContext
from fastmcp_kit.lint.taint import client_parameters, first_tainted, propagate

# Bases that make a class an enum: its members are the only values a client can send.
ENUM_BASES = frozenset({"enum.Enum", "enum.StrEnum", "enum.IntEnum", "enum.Flag"})


@dataclass(frozen=True)
class Sink:
    """A call that must not receive client text in ``value``."""

    label: str  # how the message names it: `cursor.execute`, `open`
    value: cst.BaseExpression


@dataclass(frozen=True)
class Finding:
    param: str  # the component's parameter whose value reaches the sink
    sink: Sink
    helper: str | None  # the same-module function the sink is in, when not the component


class TaintRule(Rule):
    """A rule flagging client values that reach one family of sinks."""

    # Calls (qualified names) and ``.attributes`` that clear the value for this family.
    neutralising: ClassVar[frozenset[str]] = frozenset()

    def __init__(self, context: RuleContext) -> None:
        super().__init__(context)
        self.helpers: dict[str, cst.FunctionDef] = {}
        self.enums: frozenset[str] = frozenset()
        self.neutral: frozenset[str] = self.neutralising

    # -- what a subclass says ------------------------------------------------------

    def sink(self, call: cst.Call) -> Sink | None:
        """The sink this call is, with the argument that must not carry client text."""
        raise NotImplementedError

    def carrier(
        self, sink: Sink, tainted: Mapping[str, str], function: cst.FunctionDef
    ) -> str | None:
        """The client value the sink receives in a way that harms; by default any use."""
        return first_tainted(sink.value, tainted, self.context.names, self.neutral)

    def confined(self, function: cst.FunctionDef) -> bool:
        """True when the function checks every value for this family itself."""
        return False

    def describe(self, finding: Finding) -> str:
        raise NotImplementedError

    def sink_label(self, finding: Finding) -> str:
        """The sink as a message names it (inside backticks), with the helper it is in."""
        if finding.helper is None:
            return finding.sink.label
        return f"{finding.sink.label}` in `{finding.helper}"

    # -- the traversal -------------------------------------------------------------

    def visit_Module(self, node: cst.Module) -> None:
        names = self.context.names
        enums: set[str] = set()
        for statement in node.body:
            if isinstance(statement, cst.FunctionDef):
                self.helpers[statement.name.value] = statement
            elif isinstance(statement, cst.ClassDef) and any(
                names.qualified_name(base.value) in ENUM_BASES for base in statement.bases
            ):
                enums.add(statement.name.value)
        self.enums = frozenset(enums)
        # A helper of the module that checks the value itself returns a clean one.
        self.neutral = self.neutralising | frozenset(
            name for name, helper in self.helpers.items() if self.confined(helper)
        )

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        names = self.context.names
        if not any(True for _ in names.component_decorators(node)):
            return
        seeds = client_parameters(node, names, self.enums)
        if not seeds or self.confined(node):
            return
        tainted = propagate(node, seeds, names, self.neutral)
        for call, finding in self._findings(node, tainted, helper=None):
            self.report(call, self.describe(finding))
        for call in direct_nodes(node, cst.Call):
            helper = self._helper(call, node)
            if helper is None or self.confined(helper):
                continue
            entering = self._entering(call, helper, tainted)
            if not entering:
                continue
            inner = propagate(helper, entering, names, self.neutral)
            for _, finding in self._findings(helper, inner, helper=helper.name.value):
                # Name the component's parameter, not the helper's.
                param = entering.get(finding.param, finding.param)
                self.report(call, self.describe(Finding(param, finding.sink, finding.helper)))
                break  # one report per call into the helper

    def _findings(
        self, function: cst.FunctionDef, tainted: Mapping[str, str], helper: str | None
    ) -> Iterator[tuple[cst.Call, Finding]]:
        """Each sink call in the function with the parameter whose value reaches it."""
        if not tainted:
            return
        for call in direct_nodes(function, cst.Call):
            sink = self.sink(call)
            if sink is None:
                continue
            carrier = self.carrier(sink, tainted, function)
            if carrier is not None:
                yield call, Finding(tainted.get(carrier, carrier), sink, helper)

    def _helper(self, call: cst.Call, component: cst.FunctionDef) -> cst.FunctionDef | None:
        name = dotted_name(call.func)
        helper = self.helpers.get(name or "")
        if helper is None or helper is component:
            return None
        if any(True for _ in self.context.names.component_decorators(helper)):
            return None  # another component: judged on its own
        return helper

    def _entering(
        self, call: cst.Call, helper: cst.FunctionDef, tainted: Mapping[str, str]
    ) -> dict[str, str]:
        """The helper's parameters that receive client values: parameter -> the
        component parameter the value came from."""
        names = self.context.names
        params = [*helper.params.posonly_params, *helper.params.params]
        by_name = {p.name.value for p in (*params, *helper.params.kwonly_params)}
        entering: dict[str, str] = {}
        for index, arg in enumerate(call.args):
            if arg.star:
                break
            value = first_tainted(arg.value, tainted, names, self.neutral)
            if value is None:
                continue
            origin = tainted.get(value, value)
            if arg.keyword is not None and arg.keyword.value in by_name:
                entering[arg.keyword.value] = origin
            elif arg.keyword is None and index < len(params):
                entering[params[index].name.value] = origin
        return entering
