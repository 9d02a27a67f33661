"""A progress bar for long cold runs: on stderr, only on a terminal, and only once a
run has taken a second (a warm run finishes before anything would be drawn)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

# Shorter runs finish before a bar would be worth reading.
SHOW_AFTER_SECONDS = 1.0


class DelayedProgress:
    """A :data:`fastmcp_kit.lint.runner.Progress` callback that draws a rich bar on
    ``stream`` once ``SHOW_AFTER_SECONDS`` have passed since it was made."""

    def __init__(self, stream: TextIO, clock: Callable[[], float] = time.monotonic) -> None:
        self.stream = stream
        self.clock = clock
        self.started = clock()
        self.bar: Progress | None = None
        self.task: TaskID | None = None

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            if done >= total or self.clock() - self.started < SHOW_AFTER_SECONDS:
                return
            self._start(total)
        assert self.bar is not None and self.task is not None
        self.bar.update(self.task, completed=done, total=total)

    def _start(self, total: int) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        console = Console(file=self.stream, force_terminal=True)
        # transient: the bar is erased when done, so the report starts on a clean screen.
        self.bar = Progress(
            TextColumn("Linting"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("files"),
            console=console,
            transient=True,
        )
        self.bar.start()
        self.task = self.bar.add_task("lint", total=total)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()
            self.bar = None


def progress_for(stream: TextIO, *, quiet: bool, output_format: str) -> DelayedProgress | None:
    """The bar for this run, or None: never when stderr is not a terminal (piped,
    CI logs), with ``--quiet``, or with a format another program reads."""
    if quiet or output_format not in ("text", "concise"):
        return None
    isatty = getattr(stream, "isatty", None)
    if isatty is None or not isatty():
        return None
    return DelayedProgress(stream)
