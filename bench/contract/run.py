"""Compare the contracts of consecutive releases of real FastMCP servers.

For each revision of a mirrored repository (bare git dirs under /work/.mirror), the
tree is exported to a temporary folder (git archive), the server is loaded with
`dump_contract` in the given Python, and each contract is compared with the one
before: what `fkit contract check PREVIOUS_TAG` would print at each release. The
changes are read by hand; verdicts go into README.md beside this file.

    python bench/contract/run.py --mirror /work/.mirror/OWNER+NAME/repo \\
        --server src/pkg/server.py:mcp --python /tmp/bench-venv/bin/python v1.0 v1.1 ...
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tarfile
import tempfile
from io import BytesIO
from pathlib import Path

from fastmcp_kit.contract.compare import compare
from fastmcp_kit.errors import FkitError
from fastmcp_kit.runtime.contract import dump_contract


def export(mirror: Path, revision: str, into: Path) -> None:
    archive = subprocess.run(
        ["git", f"--git-dir={mirror}", "archive", "--format=tar", revision],
        capture_output=True,
        check=True,
    ).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")


def dump_at(mirror: Path, revision: str, server: str, python: Path) -> dict | None:  # type: ignore[type-arg]
    with tempfile.TemporaryDirectory(prefix="fkit-bench-") as scratch:
        tree = Path(scratch)
        export(mirror, revision, tree)
        src = tree / "src"
        os.environ["PYTHONPATH"] = str(src if src.is_dir() else tree)
        try:
            return dump_contract(tree, server=server, python=python, timeout=120)
        except FkitError as exc:
            print(f"{revision}: not loaded: {exc}", file=sys.stderr)
            return None


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mirror", type=Path, required=True)
    parser.add_argument("--server", required=True)
    parser.add_argument("--python", type=Path, required=True)
    parser.add_argument("--json", type=Path, help="write every change here")
    parser.add_argument("revisions", nargs="+")
    args = parser.parse_args()
    previous: tuple[str, dict] | None = None  # type: ignore[type-arg]
    found = []
    for revision in args.revisions:
        contract = dump_at(args.mirror, revision, args.server, args.python)
        if contract is None:
            continue
        print(f"{revision}: {len(contract['tools'])} tools, {len(contract['prompts'])} prompts")
        if previous is not None:
            for change in compare(previous[1], contract):
                print(
                    f"  {previous[0]}..{revision} {change.level.value:<10} {change.rule:<28} {change.message}"
                )
                for note in change.notes:
                    print(f"  {'':<40} note: {note}")
                found.append({"from": previous[0], "to": revision, **change.to_json()})
        previous = (revision, contract)
    if args.json:
        args.json.write_text(json.dumps(found, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
