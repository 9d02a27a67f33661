"""What the forward-hazard pass costs: the same code linted cold as a project that pins
its FastMCP exactly (one pass) and as one whose lock runs an older line than its range
admits (two passes: what runs, and what a fresh install would run).

    python bench/forward_cost.py [--repeat 3] [--work-dir bench/.work]

Runs are paired by round and reported as ratios (CPU and wall); written to
``bench/FORWARD.md``. The workload is FastMCP 4.1.2's own source (bench/workloads.py).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from datetime import datetime, timezone
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))

from bench import workloads  # noqa: E402
from bench.timing import Series, paired_ratio, run  # noqa: E402

PINNED = '[project]\nname = "pinned"\nversion = "0"\ndependencies = ["fastmcp==3.4.11"]\n'
RANGED = '[project]\nname = "ranged"\nversion = "0"\ndependencies = ["fastmcp>=3.0"]\n'
LOCK = 'version = 1\n\n[[package]]\nname = "fastmcp"\nversion = "3.4.11"\n'


def variant(source: Path, dest: Path, pyproject: str, lock: str | None) -> Path:
    if not dest.is_dir():
        shutil.copytree(source / "fastmcp", dest / "fastmcp")
    (dest / "pyproject.toml").write_text(pyproject, encoding="utf-8")
    if lock is not None:
        (dest / "uv.lock").write_text(lock, encoding="utf-8")
    (dest / ".git").mkdir(exist_ok=True)  # a project root of its own
    return dest


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--work-dir", type=Path, default=BENCH / ".work")
    args = parser.parse_args()
    fkit = str(Path(sys.executable).with_name("fkit"))
    work = args.work_dir.resolve()
    source = workloads.fastmcp_source(work)
    base = work / "workloads" / "forward"
    one = variant(source.root, base / "pinned", PINNED, None)
    two = variant(source.root, base / "ranged", RANGED, LOCK)
    out = work / "out" / "forward"
    out.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    command = [fkit, "lint", "--no-cache", "--exit-zero", "--output-format", "concise", "."]
    pinned = Series("one pass (fastmcp==3.4.11)", " ".join(command[1:]))
    ranged = Series("two passes (fastmcp>=3.0, uv.lock 3.4.11)", " ".join(command[1:]))
    run(command, cwd=one, env=env, stdout=out / "warmup.out")  # bytecode, file cache
    for index in range(args.repeat):
        for series, root in ((pinned, one), (ranged, two)):
            sample = run(command, cwd=root, env=env, stdout=out / f"{root.name}-{index}.out")
            series.samples.append(sample)
            print(f"{series.label}: {sample.wall:.2f} s wall, {sample.cpu:.2f} s CPU", flush=True)
    last = out / f"ranged-{args.repeat - 1}.out"
    said = last.read_text(errors="replace") + last.with_suffix(".stderr").read_text(
        errors="replace"
    )
    summary = next((line for line in said.splitlines() if "would break" in line), "")
    cpu, wall = paired_ratio(ranged, pinned, "cpu"), paired_ratio(ranged, pinned, "wall")
    lines = [
        "# Forward-hazard pass: what it costs",
        "",
        f"Produced by `python bench/forward_cost.py --repeat {args.repeat}` on "
        f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores. Workload: "
        f"{source.python_files} files, {source.lines:,} lines (FastMCP 4.1.2's source), "
        "linted cold (`--no-cache`) with the default rules.",
        "",
        "| project | runs | wall median | CPU median |",
        "|---|---:|---:|---:|",
        *(
            f"| {s.label} | {s.runs} | {s.wall_median():.2f} s | {s.cpu_median():.2f} s |"
            for s in (pinned, ranged)
        ),
        "",
        f"**Two passes / one pass: {cpu:.2f}x CPU, {wall:.2f}x wall** (median of paired rounds).",
        "",
        f"The ranged project's hazard line: `{summary.strip()}`" if summary else "",
    ]
    (BENCH / "FORWARD.md").write_text("\n".join(lines).rstrip() + "\n", encoding="utf-8")
    print(f"two passes / one pass: {cpu:.2f}x CPU, {wall:.2f}x wall -> bench/FORWARD.md")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
