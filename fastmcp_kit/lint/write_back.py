"""Where fixes go: a unified diff, the file in place, or (for stdin) stdout.

A fixed file keeps its bytes' conventions: the encoding its PEP 263 cookie names,
its BOM (``utf-8-sig``) and its newlines (the engine never changes those).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from fastmcp_kit.lint.runner import LintResult, SourceFile


@dataclass
class WriteBack:
    diffs: list[str] = field(default_factory=list)
    # With ``- --fix``: the bytes stdout carries (None when stdin is not being fixed).
    stdin: bytes | None = None
    # One line per file a fix could not be written to.
    warnings: list[str] = field(default_factory=list)


def encode_fixed(result: LintResult) -> bytes | None:
    """Fixed code in its file's own encoding (a PEP 263 cookie's, a BOM kept through
    ``utf-8-sig``); None when a fix brought a character that encoding cannot hold."""
    assert result.fixed_source is not None
    try:
        return result.fixed_source.encode(result.encoding)
    except UnicodeEncodeError:
        return None


def unified_diff(result: LintResult) -> str:
    import difflib

    assert result.source is not None and result.fixed_source is not None
    return "".join(
        difflib.unified_diff(
            result.source.splitlines(keepends=True),
            result.fixed_source.splitlines(keepends=True),
            fromfile=f"a/{result.path}",
            tofile=f"b/{result.path}",
        )
    )


def write_back(
    files: Sequence[tuple[SourceFile, LintResult]],
    *,
    fix: bool,
    diff: bool,
    stdin_data: bytes | None,
) -> WriteBack:
    """Diffs (``diff``), or fixes written in place; for stdin, the bytes to print.

    An editor replaces its buffer with what stdin fixing prints, so that is the
    input byte for byte unless a fix changed the code (undecodable input, no fix,
    a file no rule reads: all come back as they went in).
    """
    done = WriteBack(stdin=stdin_data if fix and not diff else None)
    for source, result in files:
        if result.fixed_source is None:
            continue
        if diff:
            done.diffs.append(unified_diff(result))
            continue
        data = encode_fixed(result)
        if data is None:
            done.warnings.append(
                f"{result.path}: the fixed code cannot be encoded as {result.encoding}; "
                "left unchanged"
            )
            result.fixes_applied = 0  # nothing was written: none was applied
        elif source.path is None:
            done.stdin = data
        else:
            from fastmcp_kit.atomic import write_bytes_atomic

            write_bytes_atomic(source.path, data)
    return done
