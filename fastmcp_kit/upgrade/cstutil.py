"""Small libcst helpers shared by the codemods: call arguments, literals, statements."""

from __future__ import annotations

import ast
from collections.abc import Iterable, Sequence

import libcst as cst

_EMPTY = cst.Module([])


def code(node: cst.CSTNode) -> str:
    """The source text of a node."""
    return _EMPTY.code_for_node(node)


def keyword(call: cst.Call, name: str) -> cst.Arg | None:
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == name:
            return arg
    return None


def positional(call: cst.Call) -> list[cst.Arg]:
    return [arg for arg in call.args if arg.keyword is None and not arg.star]


def has_star_args(call: cst.Call) -> bool:
    return any(arg.star for arg in call.args)


def literal(node: cst.BaseExpression) -> tuple[bool, object]:
    """(True, value) for a literal expression (strings, numbers, True/False/None and
    lists/tuples/sets/dicts of them), else (False, None)."""
    try:
        return True, ast.literal_eval(code(node))
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return False, None


def is_true(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.Name) and node.value == "True"


def is_false(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.Name) and node.value == "False"


def _fix_commas(
    args: Sequence[cst.Arg], last_comma: cst.Comma | cst.MaybeSentinel
) -> list[cst.Arg]:
    result = list(args)
    if result:
        result[-1] = result[-1].with_changes(comma=last_comma)
    return result


def drop_args(call: cst.Call, drop: Iterable[cst.Arg]) -> cst.Call:
    """``call`` without the given arguments (by identity), keeping the trailing-comma
    style of the original argument list."""
    dropped = {id(arg) for arg in drop}
    if not dropped:
        return call
    kept = [arg for arg in call.args if id(arg) not in dropped]
    last_comma = call.args[-1].comma if call.args else cst.MaybeSentinel.DEFAULT
    if kept and id(kept[-1]) != id(call.args[-1]):
        # The old last argument went away: the new last one takes its comma style.
        kept = _fix_commas(kept, last_comma)
    return call.with_changes(args=kept)


def drop_keywords(call: cst.Call, names: Iterable[str]) -> cst.Call:
    wanted = set(names)
    return drop_args(
        call, [a for a in call.args if a.keyword is not None and a.keyword.value in wanted]
    )


def replace_arg(call: cst.Call, old: cst.Arg, new: cst.Arg) -> cst.Call:
    return call.with_changes(args=[new if arg is old else arg for arg in call.args])


def rename_keyword(call: cst.Call, old: str, new: str) -> cst.Call:
    args = []
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == old:
            arg = arg.with_changes(keyword=cst.Name(new))
        args.append(arg)
    return call.with_changes(args=args)


def add_args(call: cst.Call, new: Sequence[cst.Arg]) -> cst.Call:
    """Append arguments, following the layout of the existing ones (one per line when
    the call is written that way, keeping its trailing comma)."""
    if not new:
        return call
    args = list(call.args)
    if not args:
        return call.with_changes(args=_fix_commas(_with_commas(new), cst.MaybeSentinel.DEFAULT))
    trailing = args[-1].comma
    if isinstance(trailing, cst.Comma) and isinstance(
        trailing.whitespace_after, cst.ParenthesizedWhitespace
    ):
        # One argument per line: new arguments get the separator the others use, and the
        # last one keeps the trailing comma before the closing parenthesis.
        between = args[-2].comma if len(args) >= 2 else None
        if not isinstance(between, cst.Comma):
            between = cst.Comma(whitespace_after=call.whitespace_before_args)
        combined = [*args[:-1], args[-1].with_changes(comma=between)]
        combined += [arg.with_changes(comma=between) for arg in new[:-1]]
        combined.append(new[-1].with_changes(comma=trailing))
        return call.with_changes(args=combined)
    args[-1] = args[-1].with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
    added = _with_commas(new)
    return call.with_changes(args=[*args, *_fix_commas(added, cst.MaybeSentinel.DEFAULT)])


def _with_commas(args: Sequence[cst.Arg]) -> list[cst.Arg]:
    comma = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
    return [arg.with_changes(comma=comma) for arg in args]


def kwarg(name: str, value: cst.BaseExpression) -> cst.Arg:
    return cst.Arg(
        value=value,
        keyword=cst.Name(name),
        equal=cst.AssignEqual(
            whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace("")
        ),
    )


def expr(text: str) -> cst.BaseExpression:
    return cst.parse_expression(text)


def statement(text: str) -> cst.SimpleStatementLine:
    parsed = cst.parse_statement(text)
    assert isinstance(parsed, cst.SimpleStatementLine)
    return parsed


def dotted(text: str) -> cst.Attribute | cst.Name:
    """``a.b.c`` as a Name/Attribute chain."""
    parts = text.split(".")
    node: cst.Attribute | cst.Name = cst.Name(parts[0])
    for part in parts[1:]:
        node = cst.Attribute(value=node, attr=cst.Name(part))
    return node


def assigned_names(line: cst.SimpleStatementLine) -> list[str]:
    """The plain names a one-statement assignment line binds (``x = ...``, ``x: T = ...``)."""
    if len(line.body) != 1:
        return []
    small = line.body[0]
    if isinstance(small, cst.Assign):
        return [t.target.value for t in small.targets if isinstance(t.target, cst.Name)]
    if isinstance(small, cst.AnnAssign) and isinstance(small.target, cst.Name):
        return [small.target.value]
    return []


def assigned_value(line: cst.SimpleStatementLine) -> cst.BaseExpression | None:
    if len(line.body) != 1:
        return None
    small = line.body[0]
    if isinstance(small, (cst.Assign, cst.AnnAssign)):
        return small.value
    return None


def string_value(node: cst.BaseExpression) -> str | None:
    if isinstance(node, (cst.SimpleString, cst.ConcatenatedString)):
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    return None


def string_literal(value: str) -> cst.SimpleString:
    """A double-quoted literal when that needs no escapes, else Python's repr."""
    plain = value.isprintable() and '"' not in value and "\\" not in value
    return cst.SimpleString(f'"{value}"' if plain else repr(value))
