"""``--statistics``: how many findings each rule produced, most frequent first."""

from __future__ import annotations

import json
from collections import Counter
from typing import TextIO

from fastmcp_kit.report import LintReport, fixable


def report(lint: LintReport, out: TextIO, as_json: bool) -> None:
    counts = Counter(v.code for v in lint.violations)
    names = {v.code: v.name for v in lint.violations}
    fixable_codes = {v.code for v in lint.violations if fixable(v, lint)}
    rows = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    if as_json:
        data = [
            {"code": code, "name": names[code], "count": count, "fixable": code in fixable_codes}
            for code, count in rows
        ]
        json.dump(data, out, indent=2)
        out.write("\n")
        return
    width = max((len(str(count)) for _, count in rows), default=1)
    for code, count in rows:
        marker = "[*]" if code in fixable_codes else "[ ]"
        out.write(f"{count:>{width}}\t{code}\t{marker} {names[code]}\n")
