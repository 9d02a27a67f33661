from __future__ import annotations

import re
from collections.abc import Callable, Mapping

import libcst as cst

from fastmcp_kit.lint.registry import ENGINE_CODES
from fastmcp_kit.lint.rule import Fix, Invalid, RuleContext, SuppressionRule, Valid
from fastmcp_kit.lint.violation import Severity

# A noqa comment's list of codes (then maybe an explanation), as fkit's own parser reads it.
_NOQA = re.compile(r"#\s*noqa:\s*(?P<codes>[A-Z]+[0-9]+(?:[,\s]+[A-Z]+[0-9]+)*)", re.IGNORECASE)
_CODE = re.compile(r"[A-Z]+[0-9]+", re.IGNORECASE)
# fkit's codes; any other tool's (E501, RUF100, S101...) is never judged or touched.
_OURS = re.compile(r"FMCP[0-9]+", re.IGNORECASE)


class UnusedNoqa(SuppressionRule):
    """A `# noqa: FMCP...` code that suppresses nothing: unused or unknown.

    ## What it does
    Flags fkit codes in `# noqa` comments that suppress no finding on their line
    (*unused*: the code was fixed, or moved, since the comment was written) or that no
    fkit rule has (*unknown*: a typo such as `FMCP2O1`, or a rule that was removed).
    This is ruff's `RUF100` for fkit's codes.

    Only `FMCPnnn` codes are judged: another tool's codes in the same comment
    (`E501`, `S101`, ...) and a bare `# noqa` are left alone. A code is judged only
    when its rule ran on the file in full: a `noqa` for a rule that is not selected,
    that `per-file-ignores` turns off here, that does not apply to the FastMCP version
    linted for, or that judges the whole project (FMCP810, FMCP902), is never
    reported as unused.

    ## Why is this bad?
    A stale `noqa` hides the next real finding on that line, and an unknown code
    suppresses nothing at all while looking as if it did.

    ## Fix safety
    The fix is safe: it removes the unused and unknown fkit codes from the comment
    (the whole `# noqa: ...` when nothing else is left in it) and keeps everything
    else, other tools' codes and the comment's explanation included.
    """

    code = "FMCP003"
    needs_fastmcp = False
    # Like ruff's RUF100: selected on purpose (`--extend-select FMCP003`).
    default_enabled = False
    severity = Severity.WARNING
    message = "Unused `noqa` directive ({detail})"
    fix_title = "Remove the unused `noqa` codes"
    references = ("https://docs.astral.sh/ruff/rules/unused-noqa/",)

    needles = ("noqa",)

    VALID = [
        Valid(
            "other-tools-codes",
            """
            import os  # noqa: F401, E501
            """,
        ),
        Valid(
            "bare-noqa",
            """
            import os  # noqa
            """,
        ),
        Valid(
            "rule-not-selected",
            """
            from fastmcp import FastMCP, Image  # noqa: FMCP301
            """,
        ),
    ]
    INVALID = [
        Invalid(
            "unknown-code",
            """
            import os  # noqa: FMCP999
            """,
            fixed="""
            import os
            """,
            says="unknown: `FMCP999`",
        ),
        Invalid(
            "unknown-code-beside-others",
            """
            import os  # noqa: F401, FMCP2011 - kept for the plugin loader
            """,
            fixed="""
            import os  # noqa: F401 - kept for the plugin loader
            """,
        ),
        Invalid(
            "comments-kept",
            """
            import os  # type: ignore  # noqa: FMCP999 - legacy  # pragma: no cover
            """,
            fixed="""
            import os  # type: ignore  # pragma: no cover
            """,
        ),
    ]

    def __init__(self, context: RuleContext) -> None:
        super().__init__(context)
        self.comments: list[cst.TrailingWhitespace | cst.EmptyLine] = []

    def visit_TrailingWhitespace(self, node: cst.TrailingWhitespace) -> None:
        if node.comment is not None and _NOQA.search(node.comment.value):
            self.comments.append(node)

    def visit_EmptyLine(self, node: cst.EmptyLine) -> None:
        if node.comment is not None and _NOQA.search(node.comment.value):
            self.comments.append(node)

    def judge(
        self,
        used: Mapping[int, frozenset[str]],
        judged: frozenset[str],
        row_of: Callable[[cst.CSTNode], int],
    ) -> None:
        from fastmcp_kit.lint.registry import all_rules

        known = set(all_rules()) | set(ENGINE_CODES)
        for node in self.comments:
            assert node.comment is not None
            match = _NOQA.search(node.comment.value)
            assert match is not None
            codes = [code.upper() for code in _CODE.findall(match.group("codes"))]
            unknown = [c for c in codes if _OURS.fullmatch(c) and c not in known]
            unused = [
                c
                for c in codes
                if c in judged and c != self.code and c not in used.get(row_of(node), ())
            ]
            if not unknown and not unused:
                continue
            detail = "; ".join(
                f"{kind}: {', '.join(f'`{c}`' for c in found)}"
                for kind, found in (("unused", unused), ("unknown", unknown))
                if found
            )
            drop = {*unknown, *unused}
            fix = Fix(self.fix_title or "", replacements=((node, _without(node, match, drop)),))
            self.report(node.comment, self.message.format(detail=detail), fix=fix)


def _without(
    node: cst.TrailingWhitespace | cst.EmptyLine, match: re.Match[str], drop: set[str]
) -> cst.CSTNode | cst.RemovalSentinel:
    """The comment's node with the ``drop`` codes taken out of its noqa list."""
    assert node.comment is not None
    text = node.comment.value
    kept = [c for c in _CODE.findall(match.group("codes")) if c.upper() not in drop]
    if kept:
        text = text[: match.start("codes")] + ", ".join(kept) + text[match.end("codes") :]
    else:
        # The whole directive goes, with the explanation only it carried
        # (`# noqa: FMCP999 - why`); comments before or after it stay.
        before, after = text[: match.start()].rstrip(), text[match.end() :].lstrip()
        after = after[after.index("#") :] if "#" in after else ""
        text = f"{before}  {after}" if before and after else before or after
    if text.strip() in ("", "#"):
        if isinstance(node, cst.EmptyLine):
            return cst.RemovalSentinel.REMOVE
        return node.with_changes(whitespace=cst.SimpleWhitespace(""), comment=None)
    return node.with_changes(comment=cst.Comment(text))
