"""Run the probe in the project's Python, with a timeout, and read its one JSON answer."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

from fastmcp_kit.errors import FkitError, shown_path

PROBE = Path(__file__).with_name("probe.py")
# ``python -c`` puts the working folder first on sys.path, a console script does not:
# drop it, so the server imports as under ``fastmcp run``; then run the probe file
# as __main__ (its own folder must not reach sys.path either: fkit's modules would
# shadow the project's).
BOOTSTRAP = (
    "import sys; del sys.path[0]; sys.argv = sys.argv[1:]; "
    "exec(compile(open(sys.argv[0], encoding='utf-8').read(), sys.argv[0], 'exec'), "
    "{'__name__': '__main__', '__file__': sys.argv[0]})"
)


def run_probe(
    python: Path, project: Path, request: dict[str, Any], timeout: float
) -> dict[str, Any]:
    """The probe's answer. ``timeout`` bounds loading the server (the probe's own
    watchdog), each session gets ``request["session_timeout"]``, and the whole run a
    margin above their sum. A timeout, a crash or an interpreter without fastmcp is an
    :class:`FkitError` (one line)."""
    request = {**request, "load_timeout": timeout}
    sessions = bool(request.get("stdio")) + bool(request.get("http_port"))
    # Python's own start, fastmcp's import and the listing: at most a few seconds more.
    overall = timeout + sessions * float(request.get("session_timeout", 0)) + 30
    command = [str(python), "-c", BOOTSTRAP, str(PROBE), json.dumps(request)]
    try:
        done = subprocess.run(
            command,
            cwd=request.get("cwd") or project,
            env={**os.environ, **request.get("env", {})},
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=overall,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise FkitError(f"the probe did not finish within {overall:g} s") from None
    except OSError as exc:
        raise FkitError(f"cannot run {python}: {exc.strerror or exc}") from None
    try:
        answer = json.loads(done.stdout.strip().splitlines()[-1])
    except (IndexError, json.JSONDecodeError):
        last = done.stderr.strip().splitlines()[-1:] or [f"exit status {done.returncode}"]
        raise FkitError(f"{python} could not run the probe: {last[0]}") from None
    if not isinstance(answer, dict):
        raise FkitError(f"{python} answered the probe with {type(answer).__name__}")
    if "load_timeout" in answer:
        raise FkitError(
            f"the server did not load within {answer['load_timeout']:g} s (--timeout); "
            "does it block at import, or wait for a service?"
        )
    if "crash" in answer:
        raise FkitError(f"the probe failed in {python}: {answer['crash']}")
    if answer.get("no_fastmcp"):
        raise FkitError(
            f"{python} has no fastmcp installed: install the project there, "
            f"or name its interpreter with --python (project {shown_path(project)})"
        )
    return answer
