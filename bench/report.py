"""Machine facts and the markdown written to ``bench/RESULTS.md``."""

from __future__ import annotations

import math
import os
import platform
import subprocess
import sys
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from bench.timing import Series
from bench.workloads import Workload


@dataclass(frozen=True)
class Target:
    name: str
    limit: float
    # (workload, ratio on wall time, ratio on CPU time, how it was computed)
    results: tuple[tuple[str, float, float, str], ...]


@dataclass
class WorkloadResult:
    workload: Workload
    series: list[Series] = field(default_factory=list)
    differing: list[str] | None = None  # runs whose findings differ from the cold run's
    findings: int | None = None
    fixit_files: int | None = None
    parse_loop: tuple[float, float] | None = None  # parse-only's own loop: wall, CPU


@dataclass
class ScaleResult:
    workload: Workload
    factor: int
    series: Series


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _memory() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return "unknown"


def _git(root: Path, *args: str) -> str:
    result = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=False)
    return result.stdout.strip()


def machine_facts(
    fixit_version: str | None, rule_count: int, jobs: str, fkit_root: Path
) -> dict[str, str]:
    """``fkit_root``: the checkout whose fastmcp_kit the measured ``fkit`` imports."""
    commit = _git(fkit_root, "rev-parse", "--short", "HEAD") or "unknown commit"
    dirty = _git(
        fkit_root, "status", "--porcelain", "--untracked-files=no", "--", "fastmcp_kit", "rules"
    )
    return {
        "CPU": f"{_cpu_model()}, {os.cpu_count()} logical cores",
        "memory": _memory(),
        "OS": platform.platform(),
        "Python": f"{platform.python_implementation()} {platform.python_version()} ({sys.executable})",
        "libcst": metadata.version("libcst"),
        "fkit": f"{metadata.version('fastmcp-fkit')} from {fkit_root} at {commit}"
        + (" (engine/rules modified in the work tree)" if dirty else "")
        + f", {rule_count} rules, workers: {jobs}",
        "Fixit": fixit_version or "not run",
    }


def _s(seconds: float) -> str:
    if math.isnan(seconds):
        return "-"
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


def _ratio(value: float) -> str:
    return "-" if math.isnan(value) else f"{value:.3g}x"


def render(
    command: str,
    started: str,
    facts: dict[str, str],
    loads: tuple[float, float],
    results: list[WorkloadResult],
    targets: list[Target],
    scaling: list[ScaleResult],
    notes: list[str],
) -> str:
    out = [
        "# fkit benchmark results",
        "",
        "Produced by one run of",
        "",
        f"```sh\n{command}\n```",
        "",
        f"started {started}; 1-minute load average {loads[0]:.2f} at the start, "
        f"{loads[1]:.2f} at the end. Times are wall clock and CPU (user + system of the "
        "whole process tree, workers included); each measurement lists the minimum and "
        "the median of its runs. Ratios are medians of per-round ratios of runs made "
        "back to back (Fixit: ratio of minimums).",
        "",
        "## Machine",
        "",
        "| | |",
        "|---|---|",
        *(f"| {key} | {value} |" for key, value in facts.items()),
        "",
        "## Targets",
        "",
        "| target | workload | wall ratio | CPU ratio | limit | met (wall / CPU) |",
        "|---|---|---|---|---|---|",
    ]
    for target in targets:
        for workload, wall, cpu, _how in target.results:
            met = " / ".join(
                "-" if math.isnan(v) else ("yes" if v <= target.limit else "**no**")
                for v in (wall, cpu)
            )
            out.append(
                f"| {target.name} | {workload} | {_ratio(wall)} | {_ratio(cpu)} | "
                f"≤ {target.limit:g}x | {met} |"
            )
    for result in results:
        w = result.workload
        out += [
            "",
            f"## {w.name}: {w.python_files} Python files, {w.lines:,} lines"
            + (f" (+{w.other_files} files for text rules)" if w.other_files else ""),
            "",
            "| measurement | command | runs | wall min | wall median | CPU min | CPU median |",
            "|---|---|---|---|---|---|---|",
        ]
        for series in result.series:
            out.append(
                f"| {series.label} | `{series.command}` | {series.runs} | "
                f"{_s(series.wall_min())} | {_s(series.wall_median())} | "
                f"{_s(series.cpu_min())} | {_s(series.cpu_median())} |"
            )
        out.append("")
        if result.parse_loop is not None:
            out.append(
                f"- parse-only's own loop (without interpreter start and imports): "
                f"{_s(result.parse_loop[0])} wall, {_s(result.parse_loop[1])} CPU (best run)."
            )
        if result.findings is not None:
            out.append(f"- findings reported by `fkit lint --select ALL`: {result.findings}.")
        if result.differing is not None:
            verdict = (
                "identical"
                if not result.differing
                else "**DIFFERENT** in " + ", ".join(result.differing)
            )
            out.append(
                f"- findings of the cold, -j1, cache-filling and warm runs (`--output-format "
                f"concise`, compared byte for byte): {verdict}."
            )
        if result.fixit_files is not None:
            out.append(f"- Fixit reported {result.fixit_files} files checked.")
    if scaling:
        out += [
            "",
            "## Scaling (cold `fkit lint --select ALL --no-cache`, copies side by side)",
            "",
            "| workload | copies | files | lines | runs | wall min | CPU min | wall ms / 1k lines"
            " | CPU ms / 1k lines | per line vs 1x (wall / CPU) |",
            "|---|---|---|---|---|---|---|---|---|---|",
        ]
        base: dict[str, tuple[float, float]] = {}
        for item in scaling:
            w = item.workload
            wall = item.series.wall_min() / w.klines
            cpu = item.series.cpu_min() / w.klines
            key = w.name.rsplit(" x", 1)[0]
            base.setdefault(key, (wall, cpu))
            b_wall, b_cpu = base[key]
            out.append(
                f"| {key} | {item.factor}x | {w.python_files} | {w.lines:,} | {item.series.runs} | "
                f"{_s(item.series.wall_min())} | {_s(item.series.cpu_min())} | "
                f"{wall * 1000:.2f} | {cpu * 1000:.2f} | "
                f"{_ratio(wall / b_wall)} / {_ratio(cpu / b_cpu)} |"
            )
    if notes:
        out += ["", "## Notes", "", *(f"- {note}" for note in notes)]
    return "\n".join(out) + "\n"
