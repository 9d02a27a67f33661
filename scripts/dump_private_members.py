"""Record the private attributes of ``FastMCP`` in real releases (FMCP312's data).

The API surface dumps hold public names only. Code that reaches into a server's
internals (``mcp._tool_manager``, ``mcp._call_tool_mcp``) breaks when a release drops
them, so FMCP312 needs to know which private names each release has. For every release
given, this runs the release's own interpreter and records the union of

* the private names of ``FastMCP``'s class and its bases (``dir(FastMCP)``),
* the private instance attributes of ``FastMCP("x")`` (``vars(...)``), and
* every ``self._name = ...`` / ``self._name: T = ...`` in the source of the classes in
  ``FastMCP``'s MRO (attributes a method sets later),

so that a name is called missing only when none of the three sees it. It also records
the class of each private instance attribute of ``FastMCP("x")`` whose class is
FastMCP's own (``_tool_manager``: ``fastmcp.tools.tool_manager.ToolManager`` on 2.x), so
that a member read through it (``mcp._tool_manager.list_tools()``) can be checked
against that class in the API surface dumps. Usage::

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
instance = vars(FastMCP("x"))
names |= {n for n in instance if n.startswith("_") and not n.startswith("__")}
types = {
    n: type(v).__module__ + "." + type(v).__qualname__
    for n, v in instance.items()
    if n.startswith("_") and not n.startswith("__") and type(v).__module__.startswith("fastmcp.")
}
pattern = re.compile(r"self\.(_[A-Za-z0-9]\w*)\s*(?::[^=\n]*)?=(?!=)")
for cls in FastMCP.__mro__:
    if not cls.__module__.startswith("fastmcp"):
        continue
    try:
        source = inspect.getsource(cls)
    except (OSError, TypeError):
        continue
    names |= {n for n in pattern.findall(source) if not n.startswith("__")}
print(json.dumps({"release": fastmcp.__version__, "FastMCP": sorted(names), "types": types}))
"""


def probe(python: str) -> tuple[str, list[str], dict[str, str]]:
    out = subprocess.run([python, "-c", PROBE], check=True, capture_output=True, text=True)
    data = json.loads(out.stdout.strip().splitlines()[-1])
    return data["release"], data["FastMCP"], data["types"]


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    data = json.loads(OUT.read_text(encoding="utf-8")) if OUT.exists() else {}
    releases = data.setdefault("releases", {})
    types = data.setdefault("types", {})
    for python in argv:
        release, names, classes = probe(python)
        releases[release] = {"fastmcp.server.server.FastMCP": names}
        types[release] = {"fastmcp.server.server.FastMCP": classes}
        print(f"{release}: {len(names)} private names", file=sys.stderr)
    data["generated-by"] = "scripts/dump_private_members.py; do not edit"
    data["releases"] = dict(sorted(releases.items(), key=lambda kv: _key(kv[0])))
    data["types"] = dict(sorted(types.items(), key=lambda kv: _key(kv[0])))
    OUT.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return 0


def _key(release: str) -> tuple[int, ...]:
    return tuple(int(part) for part in release.split(".") if part.isdigit())


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
