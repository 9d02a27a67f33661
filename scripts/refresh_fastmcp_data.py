"""Refresh fkit's FastMCP release data when FastMCP releases: one command.

python scripts/refresh_fastmcp_data.py                 # ask the index, dump, regenerate
python scripts/refresh_fastmcp_data.py --dry-run       # only say what it would do
python scripts/refresh_fastmcp_data.py --venvs-dir DIR # reuse DIR/fm-<version> venvs
python scripts/refresh_fastmcp_data.py --releases 4.2.3 4.2.4 ...  # no index query

What it does, in order:

1. reads every release of ``fastmcp`` on the package index (``pip index versions
   fastmcp``, so the index pip is configured with) and keeps the final releases from
   2.0.0 on (no pre-releases; 0.x and 1.0 are the pre-2.0 project fkit never targets);
2. rewrites ``KNOWN_RELEASES`` in ``fastmcp_kit/versions.py`` (only that tuple), so
   a range such as ``fastmcp>=4.1,<5`` is linted for the release it installs;
3. dumps the newest release of each minor line that has no dump of it yet
   (``scripts/dump_api_surface.py``, one throwaway venv per release), for the lines
   that already have a dump and every line newer than the newest dumped one; older
   lines fkit never dumped (3.1-3.3) stay covered by the union rule of
   ``fastmcp_kit/apisurface``. New dumps are added to ``DEFAULT_VERSIONS`` of the dump
   script; no dump is ever deleted. A dump holds the members of every class, the
   module-level functions and what the decorators return besides modules and
   constructors; after a change to the dump script, regenerate every dump
   (``python scripts/dump_api_surface.py``; ``tests/test_release_data.py`` fails on a
   dump in an older layout);
4. regenerates the generated docs (``scripts/generate_docs.py``).

A release that cannot be installed or imported is reported and left undumped (exit
status 1): ``tests/test_release_data.py`` then fails and names it, instead of fkit
guessing its API. Run ``python -m pytest tests/test_release_data.py
tests/test_apisurface.py tests/test_rule_examples.py`` afterwards: a rule whose
claim no longer holds on the new release shows up there.
"""

from __future__ import annotations

import argparse
import importlib.util
import re
import subprocess
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from types import ModuleType

from packaging.version import InvalidVersion, Version

REPO = Path(__file__).resolve().parent.parent
VERSIONS_PY = REPO / "fastmcp_kit" / "versions.py"
DUMP_SCRIPT = REPO / "scripts" / "dump_api_surface.py"
DOCS_SCRIPT = REPO / "scripts" / "generate_docs.py"
DATA_DIR = REPO / "fastmcp_kit" / "apisurface" / "data"
FLOOR = Version("2.0.0")
_KNOWN = re.compile(r"^KNOWN_RELEASES: tuple\[str, \.\.\.\] = \(\n.*?^\)\n", re.M | re.S)
_DEFAULTS = re.compile(r"^DEFAULT_VERSIONS = \(\n.*?^\)\n", re.M | re.S)
_DUMP = re.compile(r"^fastmcp-(?P<version>[0-9][0-9A-Za-z.+-]*)\.json(?:\.gz)?$")


# -- pure parts (tested in tests/test_release_data.py) ------------------------------


def parse_index_versions(output: str) -> list[str]:
    """The versions in ``pip index versions`` output (``Available versions: a, b``)."""
    for line in output.splitlines():
        if line.strip().startswith("Available versions:"):
            listed = line.split(":", 1)[1]
            return [v.strip() for v in listed.split(",") if v.strip()]
    raise ValueError("no 'Available versions:' line in the pip index output")


def final_releases(versions: Iterable[str]) -> list[str]:
    """Final releases from 2.0.0 on, oldest first, as the index spells them."""
    found: dict[Version, str] = {}
    for text in versions:
        try:
            version = Version(text)
        except InvalidVersion:
            continue
        if version.is_prerelease or version.is_devrelease or version < FLOOR:
            continue
        found[version] = str(version)
    return [found[v] for v in sorted(found)]


def _line(version: Version) -> tuple[int, int]:
    return (version.major, version.minor)


def releases_to_dump(known: Sequence[str], dumped: Sequence[str]) -> list[str]:
    """The newest release of each minor line that lacks a dump of it: lines that have
    a dump, and every line newer than the newest dumped one."""
    if not dumped:
        raise ValueError("no dumps yet: run scripts/dump_api_surface.py first")
    dumped_versions = {Version(v) for v in dumped}
    dumped_lines = {_line(v) for v in dumped_versions}
    newest_line = max(dumped_lines)
    newest_of_line: dict[tuple[int, int], Version] = {}
    for text in known:
        version = Version(text)
        line = _line(version)
        if line in dumped_lines or line > newest_line:
            newest_of_line[line] = max(version, newest_of_line.get(line, version))
    return [
        str(version)
        for _, version in sorted(newest_of_line.items())
        if version not in dumped_versions
    ]


def render_tuple(header: str, versions: Sequence[str]) -> str:
    body = "".join(f'    "{v}",\n' for v in versions)
    return f"{header} = (\n{body})\n"


def replace_tuple(text: str, pattern: re.Pattern[str], header: str, versions: Sequence[str]) -> str:
    """``text`` with the tuple ``pattern`` matches rewritten (exactly one must match)."""
    if len(pattern.findall(text)) != 1:
        raise ValueError(f"expected exactly one `{header} = (...)` block")
    return pattern.sub(lambda _: render_tuple(header, versions), text)


# -- the steps ----------------------------------------------------------------------


def index_releases(python: str) -> list[str]:
    result = subprocess.run(
        [python, "-m", "pip", "index", "versions", "fastmcp"],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"pip index versions fastmcp failed:\n{result.stderr[-2000:]}")
    return final_releases(parse_index_versions(result.stdout))


def dumped_releases() -> list[str]:
    found = {
        Version(m["version"]) for entry in DATA_DIR.iterdir() if (m := _DUMP.match(entry.name))
    }
    return [str(v) for v in sorted(found)]


def _load_dump_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("dump_api_surface", DUMP_SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--releases", nargs="+", help="the index's releases (skip the query)")
    parser.add_argument("--venvs-dir", type=Path, help="reuse <dir>/fm-<version> venvs")
    parser.add_argument("--python", default=sys.executable, help="python for pip and venvs")
    parser.add_argument("--dry-run", action="store_true", help="change nothing")
    args = parser.parse_args(argv)

    known = final_releases(args.releases) if args.releases else index_releases(args.python)
    if not known:
        print("no fastmcp releases found", file=sys.stderr)
        return 1
    dumped = dumped_releases()
    todo = releases_to_dump(known, dumped)
    print(f"index: {len(known)} final releases, newest {known[-1]}")
    print(f"dumped: {', '.join(dumped)}")
    print(f"to dump: {', '.join(todo) or 'nothing'}")
    if args.dry_run:
        return 0

    versions_text = VERSIONS_PY.read_text(encoding="utf-8")
    new_text = replace_tuple(versions_text, _KNOWN, "KNOWN_RELEASES: tuple[str, ...]", known)
    if new_text != versions_text:
        VERSIONS_PY.write_text(new_text, encoding="utf-8")
        print(f"wrote {VERSIONS_PY.relative_to(REPO)}")

    failed: list[str] = []
    if todo:
        dump = _load_dump_script()
        for version in todo:
            dump_args = ["--versions", version, "--python", args.python]
            if args.venvs_dir is not None:
                dump_args += ["--venvs-dir", str(args.venvs_dir)]
            if dump.main(dump_args) != 0:
                failed.append(version)
        done = sorted({*dumped_releases()}, key=Version)
        script_text = DUMP_SCRIPT.read_text(encoding="utf-8")
        new_script = replace_tuple(script_text, _DEFAULTS, "DEFAULT_VERSIONS", done)
        if new_script != script_text:
            DUMP_SCRIPT.write_text(new_script, encoding="utf-8")
            print(f"wrote {DUMP_SCRIPT.relative_to(REPO)}")

    subprocess.run([args.python, str(DOCS_SCRIPT)], cwd=REPO, check=True)
    if failed:
        print(f"not dumped (see above): {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
