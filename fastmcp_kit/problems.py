"""What went wrong with files during a run that did not stop it.

A FIFO in the tree, a folder fkit may not list, a file changed on disk while a fix was
being made: each is one line on stderr, and the run goes on with the other files. An
error (something fkit was asked to read or write and could not) makes the exit
status 2 once the run is over; a warning (something skipped that was never meant to
be linted, like a dangling symlink met while walking a folder) does not.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, TextIO

Level = Literal["warning", "error"]


@dataclass(frozen=True)
class Problem:
    level: Level
    path: str
    message: str

    def line(self) -> str:
        return f"fkit: {self.level}: {self.path}: {self.message}"


def shown(path: Path | str) -> str:
    """A path as users see it: relative to the working directory when below it."""
    text = os.fspath(path)
    relative = os.path.relpath(text, os.getcwd())
    return Path(text if relative.startswith("..") else relative).as_posix()


class Problems:
    """The run's problems in the order met; the same one met twice (a project's
    files are walked again for its project rules) is kept once."""

    def __init__(self) -> None:
        self.items: list[Problem] = []

    def add(self, level: Level, path: Path | str, message: str) -> None:
        problem = Problem(level, shown(path), message)
        if problem not in self.items:
            self.items.append(problem)

    def warn(self, path: Path | str, message: str) -> None:
        self.add("warning", path, message)

    def error(self, path: Path | str, message: str) -> None:
        self.add("error", path, message)

    @property
    def has_errors(self) -> bool:
        return any(problem.level == "error" for problem in self.items)

    def print(self, out: TextIO) -> None:
        for problem in self.items:
            print(problem.line(), file=out)
