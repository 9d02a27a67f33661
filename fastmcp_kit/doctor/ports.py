"""Is a TCP port free, and who holds it (where the OS says: ``ss -ltnp``)."""

from __future__ import annotations

import re
import shutil
import socket
import subprocess


def in_use(host: str, port: int) -> bool:
    """Whether binding ``host:port`` fails, as the server's bind would. SO_REUSEADDR,
    as uvicorn sets it: a socket lingering in TIME_WAIT does not count."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return True
    return False


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        port: int = sock.getsockname()[1]
    return port


_USER = re.compile(r'\("([^"]+)",pid=(\d+)')


def holder(port: int) -> str | None:
    """``name (pid N)`` of the process listening on ``port``; None when the OS does
    not say (no ``ss``, or a process of another user without root)."""
    ss = shutil.which("ss")
    if ss is None:
        return None
    try:
        done = subprocess.run(
            [ss, "-H", "-ltnp", f"sport = :{port}"],
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    match = _USER.search(done.stdout)
    return f"{match.group(1)} (pid {match.group(2)})" if match else None
