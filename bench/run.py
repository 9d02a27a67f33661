"""The fkit benchmark: one command, one run, the same files for every measurement.

    python bench/run.py              # everything (see bench/README.md)
    python bench/run.py --quick      # one round, 1x and 4x only, no Fixit

For each workload (the fastmcp 4.1.2 source and a generated corpus) it measures
(a) a cold ``fkit lint --select ALL --no-cache`` (default workers, and -j1),
(b) ``libcst.parse_module`` over the same files in one process,
(c) a warm run with the cache (after one run that fills it),
(d) ``fkit --version`` start-up against ``python -c pass``,
(e) ``fixit lint`` on the same files (Fixit in its own venv under the work folder),
(f) cold lint time per 1,000 lines on 1x, 4x and 16x copies of the workload;
then prints the ratios against the targets and writes ``bench/RESULTS.md``.
Run it with the interpreter of the environment where fkit is installed.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from datetime import datetime, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench import report, workloads  # noqa: E402
from bench.timing import Series, paired_ratio, ratio_of_mins, run  # noqa: E402

FIXIT_VERSION = "2.2.1"
BENCH = REPO / "bench"
FKIT_LINT = ("lint", "--select", "ALL", "--output-format", "concise", "--exit-zero")


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


class Harness:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.work: Path = args.work_dir.resolve()
        self.out = self.work / "out"
        self.out.mkdir(parents=True, exist_ok=True)
        bin_dir = Path(sys.executable).parent
        self.python = sys.executable
        self.fkit = str(args.fkit or bin_dir / "fkit")
        # As an installed tool runs: bytecode cached (a developer's shell may say not to).
        self.env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        self.env["NO_COLOR"] = "1"
        self.jobs = [] if args.jobs is None else ["--jobs", str(args.jobs)]
        self.fixit: str | None = None

    # -- helpers ------------------------------------------------------------------

    def series(
        self,
        label: str,
        argv: Sequence[str],
        shown: str,
        cwd: Path,
        runs: int,
        ok: Sequence[int] = (0,),
        before: Callable[[], None] | None = None,
        first: int = 0,
    ) -> Series:
        """``runs`` timed runs; run i's output is kept as ``<label>-<folder>-<first + i>.out``."""
        result = Series(label, shown)
        for index in range(first, first + runs):
            if before is not None:
                before()
            stdout = self.out / f"{_slug(label)}-{cwd.name}-{index}.out"
            sample = run(argv, cwd=cwd, env=self.env, stdout=stdout, ok_codes=ok)
            result.samples.append(sample)
            log(f"  {label}: {sample.wall:.2f} s wall, {sample.cpu:.2f} s CPU")
        return result

    def ensure_fixit(self) -> str:
        venv = self.work / f"fixit-{FIXIT_VERSION}"
        fixit = venv / "bin" / "fixit"
        if not fixit.exists():
            log(f"installing Fixit {FIXIT_VERSION} into {venv}")
            subprocess.run([self.python, "-m", "venv", "--clear", str(venv)], check=True)
            subprocess.run(
                [str(venv / "bin" / "python"), "-m", "pip", "install", "-q",
                 f"fixit=={FIXIT_VERSION}"],
                check=True,
            )  # fmt: skip
        return str(fixit)

    def fkit_root(self) -> Path:
        """The checkout the measured fkit imports (PYTHONPATH may point elsewhere)."""
        code = "import fastmcp_kit; print(fastmcp_kit.__file__)"
        result = subprocess.run(
            [self.python, "-c", code], capture_output=True, text=True, env=self.env, check=True
        )
        return Path(result.stdout.strip()).resolve().parent.parent

    def rule_count(self) -> int:
        result = subprocess.run(
            [self.fkit, "rules", "--output-format", "json"],
            capture_output=True, text=True, env=self.env, check=True,
        )  # fmt: skip
        return len(json.loads(result.stdout))

    # -- one workload ---------------------------------------------------------------

    def measure(self, workload: workloads.Workload) -> report.WorkloadResult:
        args, root = self.args, workload.root
        result = report.WorkloadResult(workload)
        cache = root / ".fkit_cache"

        def clear_cache() -> None:
            shutil.rmtree(cache, ignore_errors=True)

        fkit_cold = [self.fkit, *FKIT_LINT, "--no-cache", *self.jobs, "."]
        fkit_j1 = [self.fkit, *FKIT_LINT, "--no-cache", "--jobs", "1", "."]
        fkit_cached = [self.fkit, *FKIT_LINT, *self.jobs, "."]
        parse = [self.python, str(BENCH / "parse_only.py"), "."]
        jobs = " ".join(self.jobs)
        shown_cold = f"fkit lint --select ALL --no-cache {jobs}".strip()
        log(f"{workload.name}: warming up (bytecode, file cache)")
        run(fkit_cold, cwd=root, env=self.env, stdout=self.out / "warmup.out")
        run(parse, cwd=root, env=self.env, stdout=self.out / "warmup.out")
        jobs_shown = f"fkit lint --select ALL {jobs}".strip()
        plan = [
            # A cache folder left by the previous round must not be there for cold runs.
            ("(b) parse-only", parse, "python bench/parse_only.py", clear_cache),
            ("(a) cold", fkit_cold, shown_cold, clear_cache),
            (
                "(a) cold, one process",
                fkit_j1,
                "fkit lint --select ALL --no-cache -j1",
                clear_cache,
            ),
            ("(c) first run with the cache", fkit_cached, jobs_shown, clear_cache),
            ("(c) warm", fkit_cached, jobs_shown, None),
            ("(c) warm, third run", fkit_cached, jobs_shown, None),
        ]
        rounds = {label: Series(label, shown) for label, _, shown, _ in plan}
        for index in range(args.repeat):
            log(f"{workload.name}: round {index + 1}/{args.repeat}")
            for label, argv, shown, before in plan:
                done = self.series(label, argv, shown, root, 1, before=before, first=index)
                rounds[label].samples += done.samples
        clear_cache()
        result.series = list(rounds.values())
        result.differing = self._differing(root, args.repeat)
        result.findings = _count_lines(self.out / f"{_slug('(a) cold')}-{root.name}-0.out")
        result.parse_loop = self._parse_loop(root, args.repeat)

        log(f"{workload.name}: start-up")
        bare = Series("(d) bare interpreter", "python -c pass")
        version = Series("(d) start-up", "fkit --version")
        for index in range(args.startup_repeat):
            for series, argv in (
                (bare, [self.python, "-c", "pass"]),
                (version, [self.fkit, "--version"]),
            ):
                series.samples += self.series(series.label, argv, "", root, 1, first=index).samples
        result.series += [version, bare]

        if self.fixit is not None:
            log(f"{workload.name}: Fixit")
            fixit = self.series(
                "(e) Fixit", [self.fixit, "lint", "."], f"fixit lint  (Fixit {FIXIT_VERSION})",
                root, args.fixit_repeat, ok=(0, 1),
            )  # fmt: skip
            result.series.append(fixit)
            result.fixit_files = _fixit_files(self.out, root.name)
        return result

    def _differing(self, root: Path, rounds: int) -> list[str]:
        """The runs whose findings differ from the first cold run's."""
        reference = (self.out / f"{_slug('(a) cold')}-{root.name}-0.out").read_bytes()
        differing = []
        for label in (
            "(a) cold",
            "(a) cold, one process",
            "(c) first run with the cache",
            "(c) warm",
            "(c) warm, third run",
        ):
            for index in range(rounds):
                path = self.out / f"{_slug(label)}-{root.name}-{index}.out"
                if path.read_bytes() != reference:
                    differing.append(f"{label} (round {index + 1})")
        return differing

    def _parse_loop(self, root: Path, rounds: int) -> tuple[float, float]:
        loops = []
        for index in range(rounds):
            path = self.out / f"{_slug('(b) parse-only')}-{root.name}-{index}.out"
            data = json.loads(path.read_text())
            loops.append((data["wall"], data["cpu"]))
        return min(w for w, _ in loops), min(c for _, c in loops)

    def scale(self, workload: workloads.Workload) -> list[report.ScaleResult]:
        found = []
        for factor in self.args.scales:
            scaled = workloads.copies(workload, factor, self.work)
            log(f"{scaled.name}: {scaled.python_files} files, {scaled.lines} lines")
            argv = [self.fkit, *FKIT_LINT, "--no-cache", *self.jobs, "."]
            run(argv, cwd=scaled.root, env=self.env, stdout=self.out / "warmup.out")
            series = self.series(
                f"(f) x{factor}", argv, "fkit lint --select ALL --no-cache", scaled.root,
                self.args.scale_repeat,
            )  # fmt: skip
            found.append(report.ScaleResult(scaled, factor, series))
        return found


def _slug(label: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in label).strip("-").lower()


def _count_lines(path: Path) -> int:
    return sum(1 for line in path.read_text().splitlines() if line.strip())


def _fixit_files(out: Path, name: str) -> int | None:
    import re

    for path in sorted(out.glob(f"{_slug('(e) Fixit')}-{name}-*")):
        match = re.search(r"(\d+) files? checked", path.read_text(errors="replace"))
        if match:
            return int(match.group(1))
    return None


def targets(results: list[report.WorkloadResult]) -> list[report.Target]:
    by_label = [{s.label: s for s in r.series} for r in results]
    names = [r.workload.name for r in results]

    def paired(a: str, b: str) -> tuple[tuple[str, float, float, str], ...]:
        return tuple(
            (name, paired_ratio(s[a], s[b], "wall"), paired_ratio(s[a], s[b], "cpu"), "paired")
            for name, s in zip(names, by_label, strict=True)
        )

    found = [
        report.Target("cold lint / parse-only", 1.0, paired("(a) cold", "(b) parse-only")),
        report.Target(
            "cold lint -j1 / parse-only", 1.0, paired("(a) cold, one process", "(b) parse-only")
        ),
        report.Target("warm / cold", 0.05, paired("(c) warm", "(a) cold")),
        report.Target("warm (third run) / cold", 0.05, paired("(c) warm, third run", "(a) cold")),
        report.Target(
            "start-up / bare interpreter", 8.0, paired("(d) start-up", "(d) bare interpreter")
        ),
    ]
    fixit = tuple(
        (name, ratio_of_mins(s["(a) cold"], s["(e) Fixit"], "wall"),
         ratio_of_mins(s["(a) cold"], s["(e) Fixit"], "cpu"), "mins")
        for name, s in zip(names, by_label, strict=True)
        if "(e) Fixit" in s
    )  # fmt: skip
    if fixit:
        found.append(report.Target("fkit / Fixit", 0.1, fixit))
    return found


def scaling_target(scaling: list[report.ScaleResult]) -> report.Target | None:
    rows = []
    by_name: dict[str, list[report.ScaleResult]] = {}
    for item in scaling:
        by_name.setdefault(item.workload.name.rsplit(" x", 1)[0], []).append(item)
    for name, items in by_name.items():
        items.sort(key=lambda item: item.factor)
        low, high = items[0], items[-1]
        if low.factor == high.factor:
            continue
        wall = (high.series.wall_min() / high.workload.klines) / (
            low.series.wall_min() / low.workload.klines
        )
        cpu = (high.series.cpu_min() / high.workload.klines) / (
            low.series.cpu_min() / low.workload.klines
        )
        rows.append((f"{name} {high.factor}x vs {low.factor}x", wall, cpu, "mins"))
    return report.Target("time per line, largest vs 1x", 1.2, tuple(rows)) if rows else None


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="rounds of (a)-(c) (default 3)")
    parser.add_argument("--startup-repeat", type=int, default=15)
    parser.add_argument("--fixit-repeat", type=int, default=1)
    parser.add_argument("--scale-repeat", type=int, default=1)
    parser.add_argument("--scales", default="1,4,16", help="copy factors (default 1,4,16)")
    parser.add_argument("--workloads", default="fastmcp,corpus")
    parser.add_argument("--scale-workloads", default="fastmcp,corpus")
    parser.add_argument("--projects", type=int, default=40, help="generated projects")
    parser.add_argument(
        "--scale-projects", type=int, default=10, help="projects in the corpus that (f) copies"
    )
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--jobs", type=int, default=None, help="fkit --jobs (default: fkit's)")
    parser.add_argument("--skip-fixit", action="store_true")
    parser.add_argument("--quick", action="store_true", help="1 round, scales 1,4, no Fixit")
    parser.add_argument("--fkit", type=Path, default=None, help="the fkit executable")
    parser.add_argument("--work-dir", type=Path, default=BENCH / ".work")
    parser.add_argument("--output", type=Path, default=BENCH / "RESULTS.md")
    args = parser.parse_args(argv)
    if args.quick:
        args.repeat, args.startup_repeat, args.skip_fixit, args.scales = 1, 5, True, "1,4"
    args.scales = [int(s) for s in str(args.scales).split(",") if s]
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    command = shlex.join(["python", "bench/run.py", *(argv if argv is not None else sys.argv[1:])])
    started = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    load_start = os.getloadavg()[0]
    harness = Harness(args)
    chosen = {w.strip() for w in args.workloads.split(",")}
    prepared: dict[str, workloads.Workload] = {}
    if "fastmcp" in chosen or "fastmcp" in args.scale_workloads:
        prepared["fastmcp"] = workloads.fastmcp_source(harness.work)
    if "corpus" in chosen:
        prepared["corpus"] = workloads.generated_corpus(harness.work, args.seed, args.projects)
    scale_bases = dict(prepared)
    if "corpus" in args.scale_workloads:
        scale_bases["corpus"] = workloads.generated_corpus(
            harness.work, args.seed, args.scale_projects
        )
    if not args.skip_fixit:
        harness.fixit = harness.ensure_fixit()
    clock = time.perf_counter()
    results = [harness.measure(prepared[name]) for name in ("fastmcp", "corpus") if name in chosen]
    scaling = []
    for name in ("fastmcp", "corpus"):
        if name in args.scale_workloads.split(","):
            scaling += harness.scale(scale_bases[name])
    found = targets(results)
    scale_target = scaling_target(scaling)
    if scale_target is not None:
        found.append(scale_target)
    fixit_version = None if harness.fixit is None else FIXIT_VERSION
    jobs = str(args.jobs) if args.jobs else f"fkit's default ({os.cpu_count()})"
    facts = report.machine_facts(fixit_version, harness.rule_count(), jobs, harness.fkit_root())
    notes = [
        f"the whole run took {(time.perf_counter() - clock) / 60:.1f} min.",
        "PYTHONDONTWRITEBYTECODE is removed from the environment of every command, so "
        "fkit runs with cached bytecode as an installed tool does; each command runs once "
        "untimed first.",
        "scaling copies sit in copy01/ ... copyNN/ under one project root, 1x included, so "
        "the three sizes differ only in size (the fastmcp copies are not importable as "
        "`fastmcp`, unlike in the single-copy measurements above).",
    ]
    text = report.render(
        command, started, facts, (load_start, os.getloadavg()[0]), results, found, scaling, notes
    )
    args.output.write_text(text, encoding="utf-8")
    print(text)
    log(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
