"""Measurement (b): ``libcst.parse_module`` over the same files, in one process.

Reads every ``*.py`` file under the given folders (as fkit finds them: the
workloads hold no ignored files or virtualenvs), decodes it the way the
interpreter does, then parses each with libcst and prints one JSON line with the
parse loop's own wall and CPU time (the harness also times the whole command).
"""

from __future__ import annotations

import io
import json
import sys
import time
import tokenize
from pathlib import Path


def main() -> None:
    files = sorted(p for root in sys.argv[1:] for p in Path(root).rglob("*.py"))
    sources = []
    for path in files:
        data = path.read_bytes()
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        sources.append(data.decode(encoding))
    import libcst

    started, cpu = time.perf_counter(), time.process_time()
    failures = 0
    for source in sources:
        try:
            libcst.parse_module(source)
        except libcst.ParserSyntaxError:
            failures += 1
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(json.dumps({"files": len(files), "failures": failures, "wall": wall, "cpu": cpu}))


if __name__ == "__main__":
    main()
