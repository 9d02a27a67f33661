"""Record the private attributes of ``FastMCP`` in real releases (FMCP312's data).

The API surface dumps hold public names only. Code that reaches into a server's
internals (``mcp._tool_manager``, ``mcp._call_tool_mcp``) breaks when a release drops
them, so FMCP312 needs to know which private names each release has. For every release
given, this runs the release's own interpreter and records the union of

* the private names of ``FastMCP``'s class and its bases (``dir(FastMCP)``),
* the private instance attributes of ``FastMCP("x")`` (``vars(...)``), and
* every ``self._name = ...`` / ``self._name: T = ...`` in the source of the classes in
  ``FastMCP``'s MRO (attributes a method sets later),

so that a name is called missing only when none of the three sees it. Usage::

    python scripts/dump_private_members.py /work/venvs/fm-2.13.3/bin/python ...

writes ``fastmcp_kit/apisurface/data/private-members.json`` (merged with what is there).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "fastmcp_kit/apisurface/data/private-members.json"

PROBE = r"""
import inspect, json, re, warnings
warnings.simplefilter("ignore")
import fastmcp
from fastmcp import FastMCP
names = {n for n in dir(FastMCP) if n.startswith("_") and not n.startswith("__")}
names |= {n for n in vars(FastMCP("x")) if n.startswith("_") and not n.startswith("__")}
pattern = re.compile(r"self\.(_[A-Za-z0-9]\w*)\s*(?::[^=\n]*)?=(?!=)")
for cls in FastMCP.__mro__:
    if not cls.__module__.startswith("fastmcp"):
        continue
    try:
        source = inspect.getsource(cls)
    except (OSError, TypeError):
        continue
    names |= {n for n in pattern.findall(source) if not n.startswith("__")}
print(json.dumps({"release": fastmcp.__version__, "FastMCP": sorted(names)}))
"""


def probe(python: str) -> tuple[str, list[str]]:
    out = subprocess.run([python, "-c", PROBE], check=True, capture_output=True, text=True)
    data = json.loads(out.stdout.strip().splitlines()[-1])
    return data["release"], data["FastMCP"]


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    data = json.loads(OUT.read_text(encoding="utf-8")) if OUT.exists() else {}
    releases = data.setdefault("releases", {})
    for python in argv:
        release, names = probe(python)
        releases[release] = {"fastmcp.server.server.FastMCP": names}
        print(f"{release}: {len(names)} private names", file=sys.stderr)
    data["generated-by"] = "scripts/dump_private_members.py; do not edit"
    data["releases"] = dict(sorted(releases.items(), key=lambda kv: _key(kv[0])))
    OUT.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return 0


def _key(release: str) -> tuple[int, ...]:
    return tuple(int(part) for part in release.split(".") if part.isdigit())


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
