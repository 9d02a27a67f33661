"""Worker processes end when fkit ends, however it ends.

A worker waits for files on a pipe whose writing end its sibling workers hold too,
so when fkit is killed outright (``kill -9``: none of its cleanup runs) no worker
ever reads end-of-file: they would sleep for good. Each one watches its parent
instead, from a thread, and exits once the parent is gone.

A thread polling ``getppid`` rather than Linux's ``prctl(PR_SET_PDEATHSIG)``: that
signal follows the death of the *thread* that forked the worker, which a pool may
run in a helper thread, and under the forkserver start method (Python 3.14's
default on Linux) the parent is the fork server. A dead parent's children are
handed to init or a subreaper, so their parent id changes; the fork server exits
when fkit does, so its workers see the same. This holds on every POSIX system.
(On Windows a parent id never changes; there the pool's own pipes are relied on.)

A worker may start only after fkit has died (a pool starts its processes as work
arrives), when its parent id is already init's: so fkit's own process id is watched
too, passed in by fkit itself.
"""

from __future__ import annotations

import os
import threading
import time

# A worker outlives a killed fkit by at most this long.
POLL_SECONDS = 0.5


def exit_with_parent(fkit_pid: int, poll_seconds: float = POLL_SECONDS) -> None:
    """Start the watch in this (worker) process, started by the process ``fkit_pid``."""
    parent = os.getppid()

    def watch() -> None:
        while True:
            if os.getppid() != parent or not _alive(fkit_pid):
                # No cleanup: the results it could send have no one to go to.
                os._exit(1)
            time.sleep(poll_seconds)

    threading.Thread(target=watch, name="fkit-parent-watch", daemon=True).start()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else (the id was reused)
        return False
    return True
