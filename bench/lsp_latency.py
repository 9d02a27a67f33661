"""Keystroke to diagnostics in ``fkit server``, against a one-file ``fkit lint`` run.

    python bench/lsp_latency.py [--rounds 15] [--tools 80] [--work-dir bench/.work]

Generates a FastMCP server file of about 1,000 lines (``--tools`` tools, one finding
planted), opens it in a real ``fkit server`` over stdio and, in each round, runs
``fkit lint --no-cache server.py`` on the same file, then sends one keystroke
(``textDocument/didChange``) and waits for the diagnostics of that version. The
latency includes the server's debounce, which it also reports apart. Rounds are
paired (a keystroke against the CLI run just before it) and summarized by medians;
written to ``bench/LSP.md``. Needs the ``server`` extra; never part of the tests.
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import statistics
import subprocess
import sys
import threading
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))

from bench.timing import run  # noqa: E402

PYPROJECT = '[project]\nname = "latency"\nversion = "0"\ndependencies = ["fastmcp>=4.1,<5"]\n'
HEAD = '''\
"""A generated FastMCP server for bench/lsp_latency.py."""

from __future__ import annotations

import datetime

from fastmcp import Context, FastMCP

mcp = FastMCP("latency")


@mcp.resource("config")
def config() -> dict[str, bool]:
    return {"debug": False}
'''
TOOL = '''

@mcp.tool
async def tool_{n}(name: str, count: int, ctx: Context) -> dict[str, object]:
    """Tool number {n}: greets ``name`` ``count`` times."""
    await ctx.info(f"tool_{n} called for {{name}}")
    greetings = []
    for index in range(count):
        greetings.append(f"hello {{name}} #{{index}}")
    stamp = datetime.datetime.now(datetime.timezone.utc).isoformat()
    await ctx.report_progress(count, count)
    return {{"tool": {n}, "greetings": greetings, "at": stamp}}
'''


def server_source(tools: int) -> str:
    """The generated server: ``tools`` tools of 12 lines each and one FMCP202 finding."""
    return HEAD + "".join(TOOL.format(n=n) for n in range(tools))


class Client:
    """Just enough of an LSP client: framed JSON-RPC over the server's pipes, read on
    a thread so that a timestamp is taken when a message arrives."""

    def __init__(self, command: list[str], cwd: Path) -> None:
        self.process = subprocess.Popen(
            command, cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=sys.stderr
        )
        self.inbox: queue.Queue[tuple[float, dict[str, Any]]] = queue.Queue()
        self.ids = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        stream = self.process.stdout
        assert stream is not None
        while True:
            length = 0
            while (line := stream.readline()) not in (b"\r\n", b""):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            if not line:
                return
            message = json.loads(stream.read(length))
            self.inbox.put((time.perf_counter(), message))

    def send(self, method: str, params: object, request: bool = False) -> int | None:
        message: dict[str, Any] = {"jsonrpc": "2.0", "method": method, "params": params}
        if request:
            self.ids += 1
            message["id"] = self.ids
        body = json.dumps(message).encode()
        assert self.process.stdin is not None
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()
        return message.get("id")

    def wait(self, test: Any, timeout: float = 60.0) -> tuple[float, dict[str, Any]]:
        """The first message (and its arrival time) that ``test`` accepts; answers
        the server's own requests (registrations) on the way."""
        deadline = time.perf_counter() + timeout
        while True:
            arrived, message = self.inbox.get(timeout=max(0.0, deadline - time.perf_counter()))
            if "id" in message and "method" in message:
                self._answer(message["id"])
            if test(message):
                return arrived, message

    def _answer(self, message_id: object) -> None:
        body = json.dumps({"jsonrpc": "2.0", "id": message_id, "result": None}).encode()
        assert self.process.stdin is not None
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def close(self) -> None:
        request = self.send("shutdown", None, request=True)
        self.wait(lambda m: m.get("id") == request and "method" not in m)
        self.send("exit", None)
        self.process.wait(timeout=30)


def diagnostics_of(uri: str, version: int) -> Any:
    def test(message: dict[str, Any]) -> bool:
        params = message.get("params") or {}
        return (
            message.get("method") == "textDocument/publishDiagnostics"
            and params.get("uri") == uri
            and params.get("version") == version
        )

    return test


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU of a running process (Linux /proc), or None."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--tools", type=int, default=80)
    parser.add_argument("--work-dir", type=Path, default=BENCH / ".work")
    args = parser.parse_args()
    from fastmcp_kit.lsp.server import DEBOUNCE_SECONDS

    fkit = str(Path(sys.executable).with_name("fkit"))
    root = (args.work_dir / "lsp").resolve()
    root.mkdir(parents=True, exist_ok=True)
    (root / ".git").mkdir(exist_ok=True)  # a project root of its own
    (root / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    path = root / "server.py"
    text = base = server_source(args.tools)
    typed = base.replace("Tool number 3:", "Tool number 3x:", 1)
    path.write_text(text, encoding="utf-8")
    lines = text.count("\n")
    out = root / "out"
    out.mkdir(exist_ok=True)
    env = dict(os.environ)
    cli_command = [fkit, "lint", "--no-cache", "--exit-zero", "server.py"]
    run(cli_command, cwd=root, env=env, stdout=out / "warmup.out")

    client = Client([fkit, "server"], root)
    uri = path.as_uri()
    started = time.perf_counter()
    client.send(
        "initialize",
        {"processId": os.getpid(), "rootUri": root.as_uri(), "capabilities": {}},
        request=True,
    )
    client.wait(lambda m: m.get("id") == 1)
    client.send("initialized", {})
    document = {"uri": uri, "languageId": "python", "version": 1, "text": text}
    client.send("textDocument/didOpen", {"textDocument": document})
    arrived, first = client.wait(diagnostics_of(uri, 1))
    opened = arrived - started
    codes = sorted({d["code"] for d in first["params"]["diagnostics"]})

    latencies: list[float] = []
    server_cpu: list[float] = []
    cli_wall: list[float] = []
    cli_cpu: list[float] = []
    version = 1
    for index in range(-2, args.rounds):  # two warm-up keystrokes, not counted
        sample = run(cli_command, cwd=root, env=env, stdout=out / "cli.out")
        version += 1
        # One keystroke: a character typed into a tool's docstring, or deleted again.
        text = typed if version % 2 == 0 else base
        before = cpu_seconds(client.process.pid)
        sent = time.perf_counter()
        change = {
            "textDocument": {"uri": uri, "version": version},
            "contentChanges": [{"text": text}],
        }
        client.send("textDocument/didChange", change)
        arrived, _ = client.wait(diagnostics_of(uri, version))
        after = cpu_seconds(client.process.pid)
        if index < 0:
            continue
        latencies.append(arrived - sent)
        cli_wall.append(sample.wall)
        cli_cpu.append(sample.cpu)
        if before is not None and after is not None:
            server_cpu.append(after - before)
        print(
            f"round {index + 1}: keystroke {latencies[-1] * 1000:.0f} ms, "
            f"fkit lint {sample.wall * 1000:.0f} ms",
            flush=True,
        )
    client.close()

    median = statistics.median
    ratio = median(lat / cli for lat, cli in zip(latencies, cli_wall, strict=True))
    lint_ratio = median(
        (lat - DEBOUNCE_SECONDS) / cli for lat, cli in zip(latencies, cli_wall, strict=True)
    )
    cpu_ratio = (
        median(server / cli for server, cli in zip(server_cpu, cli_cpu, strict=True))
        if len(server_cpu) == len(cli_cpu)
        else None
    )
    rows = [
        (
            "keystroke to diagnostics (`fkit server`; CPU: the server's)",
            median(latencies),
            median(server_cpu) if server_cpu else None,
        ),
        ("  of which the debounce", DEBOUNCE_SECONDS, None),
        ("  of which the lint and the round trip", median(latencies) - DEBOUNCE_SECONDS, None),
        ("`fkit lint --no-cache server.py`", median(cli_wall), median(cli_cpu)),
    ]

    def ms(value: float | None) -> str:
        return "-" if value is None else f"{value * 1000:.0f} ms"

    report = [
        "# `fkit server`: keystroke-to-diagnostics latency",
        "",
        f"Produced by `python bench/lsp_latency.py --rounds {args.rounds} --tools {args.tools}` "
        f"on {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores, "
        f"Python {sys.version.split()[0]}. Workload: one generated server file of {lines:,} "
        f"lines ({args.tools} tools; findings: {', '.join(codes) or 'none'}) in a project "
        "of its own, default rules.",
        "",
        "Each round runs the one-file CLI lint, then types one character into the open "
        "document and times `didChange` until the `publishDiagnostics` of that version. "
        f"The server waits {DEBOUNCE_SECONDS * 1000:.0f} ms after the last change before it "
        "lints (debounce); the file's first lint, on open, took "
        f"{opened * 1000:.0f} ms from `initialize` (imports included).",
        "",
        f"| measurement ({args.rounds} rounds) | wall median | CPU median |",
        "|---|---:|---:|",
        *(f"| {label} | {ms(wall)} | {ms(cpu)} |" for label, wall, cpu in rows),
        "",
        f"**Keystroke to diagnostics / one-file CLI run: {ratio:.2f}x wall** "
        f"(**{lint_ratio:.2f}x** without the debounce), median of paired rounds.",
    ]
    if cpu_ratio is not None:
        report += [
            "",
            f"Server CPU per keystroke / CPU of the CLI run: **{cpu_ratio:.2f}x** (the CLI "
            "pays the interpreter's start and fkit's imports on every run; the server once).",
        ]
    (BENCH / "LSP.md").write_text("\n".join(report) + "\n", encoding="utf-8")
    print(f"keystroke / CLI: {ratio:.2f}x ({lint_ratio:.2f}x without the debounce) -> bench/LSP.md")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
