"""Where a cold ``fkit lint`` spends its time, phase by phase and rule by rule.

Runs one in-process ``fkit lint --select ALL --no-cache -j1`` over a folder with
timers wrapped around the engine's phases (parse, name analysis, visitor set-up,
the batched traversal, positions, collection, the project pass), and optionally
around every rule's visitor callbacks. Usage::

    python bench/profile_engine.py bench/.work/workloads/fastmcp-4.1.2 [--per-rule]

The timers sum this process's CPU time (``time.process_time``), so a busy machine
does not distort the shares. ``--per-rule`` adds a wrapper call per callback,
so it inflates the traversal; use it to rank rules, not to size the traversal.
"""

from __future__ import annotations

import argparse
import functools
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

# CPU time of this process: on a busy machine wall time measures the neighbours too.
_clock = time.process_time
TIMES: dict[str, float] = defaultdict(float)
CALLS: dict[str, int] = defaultdict(int)
RULE_TIMES: dict[str, float] = defaultdict(float)
_stack: list[str] = []  # phases currently running, so nested time is not counted twice


def _timed(label: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        outer = _stack[-1] if _stack else None
        _stack.append(label)
        started = _clock()
        try:
            return fn(*args, **kwargs)
        finally:
            elapsed = _clock() - started
            _stack.pop()
            TIMES[label] += elapsed
            CALLS[label] += 1
            if outer is not None:
                TIMES[outer] -= elapsed  # self time only

    return wrapper


def _patch(owner: Any, name: str, label: str, missing: list[str]) -> None:
    if not hasattr(owner, name):
        missing.append(f"{getattr(owner, '__name__', owner)}.{name}")
        return
    setattr(owner, name, _timed(label, getattr(owner, name)))


def install(per_rule: bool) -> list[str]:
    """Wrap the engine's phases; returns what could not be found (engine changed)."""
    import libcst as cst
    from libcst.metadata import MetadataWrapper

    from fastmcp_kit.lint import engine, names, session
    from fastmcp_kit.lint.rule import Rule

    missing: list[str] = []
    _patch(cst, "parse_module", "parse (libcst.parse_module)", missing)
    _patch(names, "analyze", "names.analyze", missing)
    _patch(MetadataWrapper, "visit_batched", "traversal (visit_batched)", missing)
    if hasattr(engine, "walk_batched"):  # a read-only walker in place of libcst's visit
        _patch(engine, "walk_batched", "traversal (visit_batched)", missing)
    _patch(MetadataWrapper, "resolve", "positions (wrapper.resolve)", missing)
    _patch(engine, "decode", "decode", missing)
    _patch(engine, "_collect", "collect findings", missing)
    _patch(engine, "_facts", "facts", missing)
    _patch(engine, "apply_fixes", "fix previews (apply_fixes)", missing)
    _patch(session, "project_violations", "project pass", missing)
    _patch(session, "_sources", "discovery + read", missing)
    _patch(session, "_settings", "settings + rule import", missing)

    original = Rule.get_visitors

    def get_visitors(self: Any) -> Any:
        outer = _stack[-1] if _stack else None
        started = _clock()
        visitors = original(self)
        elapsed = _clock() - started
        TIMES["visitor set-up (get_visitors)"] += elapsed
        CALLS["visitor set-up (get_visitors)"] += 1
        if outer is not None:
            TIMES[outer] -= elapsed
        if not per_rule:
            return visitors
        code = self.code

        def timed(fn: Callable[[Any], None]) -> Callable[[Any], None]:
            def callback(node: Any) -> None:
                started = _clock()
                try:
                    fn(node)
                finally:
                    RULE_TIMES[code] += _clock() - started

            return callback

        return {name: timed(fn) for name, fn in visitors.items()}

    Rule.get_visitors = get_visitors  # type: ignore[method-assign]
    return missing


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--per-rule", action="store_true", help="time each rule's callbacks")
    parser.add_argument("--select", default="ALL")
    args = parser.parse_args()

    missing = install(args.per_rule)
    from fastmcp_kit.lint.session import LintOptions, run_lint

    files = [p for p in args.path.rglob("*.py") if ".fkit_cache" not in p.parts]
    lines = sum(p.read_bytes().count(b"\n") for p in files)
    started = time.perf_counter()
    cpu = time.process_time()
    outcome = run_lint(
        LintOptions(paths=[str(args.path)], select=[args.select], use_cache=False, jobs=1)
    )
    wall = time.perf_counter() - started
    total = cpu = time.process_time() - cpu
    accounted = sum(TIMES.values())
    print(
        f"{len(files)} Python files, {lines} lines, {len(outcome.report.violations)} findings; "
        f"run_lint {wall:.2f} s wall, {cpu:.2f} s CPU (shares below are of CPU time)"
    )
    if missing:
        print("not found (engine changed?):", ", ".join(missing))
    print(f"\n{'phase':40} {'s':>8} {'share':>7} {'ms/kline':>9} {'calls':>8}")
    rows = sorted(TIMES.items(), key=lambda item: -item[1])
    rows.append(("other (engine glue, rule set-up, ...)", total - accounted))
    for label, seconds in rows:
        share = 100 * seconds / total
        print(
            f"{label:40} {seconds:8.2f} {share:6.1f}% {1000 * seconds / lines * 1000:9.2f} "
            f"{CALLS.get(label, 0):8d}"
        )
    if RULE_TIMES:
        print(f"\n{'rule callbacks':40} {'s':>8} {'share':>7}")
        for code, seconds in sorted(RULE_TIMES.items(), key=lambda item: -item[1]):
            print(f"{code:40} {seconds:8.2f} {100 * seconds / total:6.1f}%")


if __name__ == "__main__":
    main()
