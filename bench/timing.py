"""Run a command and measure it: wall time, and CPU time (user + system) of the
whole process tree (the command and every worker it waited for), from ``wait4``.

CPU time is what the command costs whatever else the machine is doing; wall time
is what a user waits. On a shared machine the two diverge, so both are kept.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Sample:
    wall: float
    cpu: float
    returncode: int
    load: float  # 1-minute load average when the run started


@dataclass
class Series:
    """Repeated runs of one measurement."""

    label: str
    command: str
    samples: list[Sample] = field(default_factory=list)

    @property
    def runs(self) -> int:
        return len(self.samples)

    def wall_min(self) -> float:
        return min(s.wall for s in self.samples)

    def wall_median(self) -> float:
        return statistics.median(s.wall for s in self.samples)

    def cpu_min(self) -> float:
        return min(s.cpu for s in self.samples)

    def cpu_median(self) -> float:
        return statistics.median(s.cpu for s in self.samples)


class CommandFailed(RuntimeError):
    pass


def run(
    command: Sequence[str],
    *,
    cwd: Path,
    env: Mapping[str, str],
    stdout: Path,
    ok_codes: Sequence[int] = (0,),
) -> Sample:
    """Run ``command`` once; its stdout goes to ``stdout``, its stderr next to it."""
    load = os.getloadavg()[0]
    with stdout.open("wb") as out, stdout.with_suffix(".stderr").open("wb") as err:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=dict(env), stdout=out, stderr=err)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in ok_codes:
        tail = stdout.with_suffix(".stderr").read_text(errors="replace")[-2000:]
        raise CommandFailed(f"{' '.join(command)} exited {process.returncode}:\n{tail}")
    return Sample(wall, usage.ru_utime + usage.ru_stime, process.returncode, load)


def paired_ratio(numerator: Series, denominator: Series, attribute: str) -> float:
    """The median over rounds of numerator/denominator, runs paired by round: on a
    machine whose load drifts, runs made close together compare fairly."""
    pairs = zip(numerator.samples, denominator.samples, strict=False)
    ratios = [getattr(a, attribute) / getattr(b, attribute) for a, b in pairs]
    if not ratios:
        return float("nan")
    return statistics.median(ratios)


def ratio_of_mins(numerator: Series, denominator: Series, attribute: str) -> float:
    """min(numerator)/min(denominator): for series of unequal length (Fixit)."""
    top = numerator.wall_min() if attribute == "wall" else numerator.cpu_min()
    bottom = denominator.wall_min() if attribute == "wall" else denominator.cpu_min()
    return top / bottom
