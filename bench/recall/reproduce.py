"""Re-run every recall case against the FastMCP release it was reproduced on.

For each case this runs `mistake.py` and `near_miss.py` with the interpreter of the venv
`<venvs>/fm-<fastmcp_version>` (or `fastmcp inspect <file>` when the case says
`reproduce = "fastmcp inspect"`), from the case directory, stdin closed, and prints the exit
status and the last meaningful output line of each, so that the `observed` and
`near_miss_observed` fields of `case.toml` can be checked by eye.

This needs the throwaway venvs (one `pip install fastmcp==X` each) and is therefore not
part of `run.py`, which only lints. Cases 039 and 040 start a uvicorn server on a free
loopback port.

    python bench/recall/reproduce.py                    # every case
    python bench/recall/reproduce.py 031 040            # some cases
    python bench/recall/reproduce.py --venvs /work/venvs
"""

from __future__ import annotations

import argparse
import re
import subprocess
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

HERE = Path(__file__).resolve().parent
CASES = HERE / "cases"
NOISE = (
    "Warning",
    "warn(",
    "authlib",
    "httpx2",
    "compatible before",
    "tracemalloc",
    "from ._compat",
    "from authlib",
)


EXCEPTION = re.compile(r"^[A-Za-z_][\w.]*(Error|Exception|Exit)\b")


def summary(returncode: int, stdout: str, stderr: str) -> str:
    """The program's own last output line when it succeeds, the exception line when it fails."""

    def meaningful(text: str) -> list[str]:
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        return [line for line in lines if not any(n in line for n in NOISE)]

    out, err = meaningful(stdout), meaningful(stderr)
    if returncode == 0:
        chosen = out[-1] if out else (err[-1] if err else "")
    else:
        exceptions = [line for line in err + out if EXCEPTION.match(line)]
        chosen = exceptions[-1] if exceptions else (err + out)[-1] if err + out else ""
    return chosen[:220]


def run(directory: Path, meta: dict, name: str, venvs: Path, timeout: int) -> str:
    venv = venvs / f"fm-{meta['fastmcp_version']}"
    if not venv.exists():
        return f"(no venv {venv})"
    if meta.get("reproduce", "python") == "fastmcp inspect":
        command = [str(venv / "bin" / "fastmcp"), "inspect", name]
    else:
        command = [str(venv / "bin" / "python"), name]
    try:
        done = subprocess.run(
            command,
            cwd=directory,
            capture_output=True,
            text=True,
            timeout=timeout,
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired:
        return f"timeout after {timeout}s"
    return f"rc={done.returncode} {summary(done.returncode, done.stdout, done.stderr)}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("only", nargs="*", help="case directory prefixes (e.g. 012)")
    parser.add_argument(
        "--venvs", default="/work/venvs", help="folder holding the fm-<version> venvs"
    )
    parser.add_argument("--timeout", type=int, default=90)
    args = parser.parse_args()
    directories = sorted(p for p in CASES.iterdir() if (p / "case.toml").exists())
    if args.only:
        directories = [p for p in directories if any(p.name.startswith(o) for o in args.only)]
    for directory in directories:
        meta = tomllib.loads((directory / "case.toml").read_text())
        print(f"{directory.name} (fastmcp {meta['fastmcp_version']})")
        for name in ("mistake.py", "near_miss.py"):
            print(f"  {name:13} {run(directory, meta, name, Path(args.venvs), args.timeout)}")


if __name__ == "__main__":
    main()
