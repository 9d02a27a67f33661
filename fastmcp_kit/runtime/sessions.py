"""Real sessions through ``fastmcp run``, over stdio and over HTTP, timed from start
to shutdown. Part of the probe: run in the project's Python, loaded by path (standard
library and the project's fastmcp only); the probe hands in its listing function.
"""

from __future__ import annotations

import asyncio
import importlib
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

Lister = Callable[[Any], Awaitable[dict[str, Any]]]


def _cli_command(spec: str) -> list[str]:
    """``fastmcp run`` as the project's environment has it: its console script
    (which keeps the working folder off ``sys.path``, as a user's shell does)."""
    script = Path(sys.executable).parent / ("fastmcp.exe" if os.name == "nt" else "fastmcp")
    if script.is_file():
        return [str(script), "run", spec, "--no-banner"]
    bootstrap = "import sys; from fastmcp.cli.cli import app; sys.exit(app())"
    return [sys.executable, "-c", bootstrap, "run", spec, "--no-banner"]


async def _session(client: Any, started: float, list_all: Lister) -> dict[str, Any]:
    timings: dict[str, float] = {}
    async with client:
        timings["initialize"] = time.monotonic() - started
        lists = await list_all(client)
        timings["list"] = time.monotonic() - started - timings["initialize"]
        closing = time.monotonic()
    timings["shutdown"] = time.monotonic() - closing
    counts = {key: len(value.get("items", [])) for key, value in lists.items()}
    errors = {key: value["error"] for key, value in lists.items() if "error" in value}
    return {"ok": not errors, "seconds": timings, "counts": counts, "errors": errors}


async def stdio_session(spec: str, cwd: str, timeout: float, list_all: Lister) -> dict[str, Any]:
    """``fastmcp run`` over stdio, with the user's environment (the SDK's client
    would pass only HOME, PATH and a few more) and its stderr kept for the error."""
    fastmcp = importlib.import_module("fastmcp")
    transports = importlib.import_module("fastmcp.client.transports")
    command = _cli_command(spec)
    with tempfile.TemporaryDirectory() as folder:
        log = Path(folder) / "stderr.log"
        transport = transports.StdioTransport(
            command=command[0],
            args=command[1:],
            cwd=cwd,
            env=dict(os.environ),
            keep_alive=False,
            log_file=log,
        )
        started = time.monotonic()
        try:
            return await asyncio.wait_for(
                _session(fastmcp.Client(transport), started, list_all), timeout
            )
        except BaseException as exc:  # a broken session is the finding
            if isinstance(exc, KeyboardInterrupt):
                raise
            return {"ok": False, "error": _with_last_line(exc, log)}


def _with_last_line(exc: BaseException, log: Path) -> str:
    """The client's error, and the last line the server wrote to stderr (its
    exception, most often)."""
    text = f"{type(exc).__name__}: {exc}".strip()
    try:
        lines = [line.strip() for line in log.read_text(errors="replace").splitlines()]
    except OSError:
        return text
    last = next((line for line in reversed(lines) if line), "")
    return f"{text} (server's last words: {last})" if last else text


def _wait_for_port(host: str, port: int, process: subprocess.Popen[bytes], limit: float) -> bool:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline and process.poll() is None:
        with socket.socket() as probe:
            probe.settimeout(0.2)
            if probe.connect_ex((host, port)) == 0:
                return True
        time.sleep(0.1)
    return False


def _requires_token(url: str) -> bool:
    """Whether the endpoint answers a bare ``initialize`` with 401: the server is up,
    behind its auth (the client's own error does not say so on every release)."""
    body = json.dumps(
        {
            "jsonrpc": "2.0",
            "id": 1,
            "method": "initialize",
            "params": {
                "protocolVersion": "2025-06-18",
                "capabilities": {},
                "clientInfo": {"name": "fkit-doctor", "version": "0"},
            },
        }
    ).encode()
    headers = {"Content-Type": "application/json", "Accept": "application/json, text/event-stream"}
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10):
            return False
    except urllib.error.HTTPError as exc:
        return exc.code == 401
    except OSError:
        return False


async def http_session(
    spec: str, cwd: str, port: int, path: str, timeout: float, list_all: Lister
) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder:
        log = Path(folder) / "output.log"
        with log.open("wb") as output:
            return await _http_session(spec, cwd, port, path, timeout, output, log, list_all)


async def _http_session(
    spec: str,
    cwd: str,
    port: int,
    path: str,
    timeout: float,
    output: Any,
    log: Path,
    list_all: Lister,
) -> dict[str, Any]:
    fastmcp = importlib.import_module("fastmcp")
    host = "127.0.0.1"
    command = [*_cli_command(spec), "--transport", "http", "--host", host, "--port", str(port)]
    command += ["--path", path]
    started, listening = time.monotonic(), 0.0
    process = subprocess.Popen(
        command, cwd=cwd, stdin=subprocess.DEVNULL, stdout=output, stderr=subprocess.STDOUT
    )
    try:
        if not _wait_for_port(host, port, process, timeout):
            code = process.poll()
            why = f"exited with status {code}" if code is not None else "did not listen in time"
            failure = RuntimeError(f"`fastmcp run --transport http` {why}")
            return {"ok": False, "error": _with_last_line(failure, log)}
        listening = time.monotonic() - started
        client = fastmcp.Client(f"http://{host}:{port}{path}")
        result = await asyncio.wait_for(_session(client, time.monotonic(), list_all), timeout)
        result["seconds"] = {"start": listening, **result["seconds"]}
        return result
    except Exception as exc:
        if _requires_token(f"http://{host}:{port}{path}"):
            # The server answered, and wants a token: up, behind its auth.
            return {"ok": True, "auth_required": True, "seconds": {"start": listening}}
        return {"ok": False, "error": _with_last_line(exc, log)}
    finally:
        process.terminate()
        try:
            process.wait(5)
        except subprocess.TimeoutExpired:
            process.kill()
