"""The fix property test at scale: 2,000 programs (rule examples wrapped in blocks,
and hypothesmith's), each checked as tests/test_fix_properties.py checks a few
hundred: safe fixes add no undefined name (pyflakes), never break parsing, and fixing
twice equals fixing once. Deterministic (derandomized); prints how many programs ran,
how many the fixes changed, and the time. Not part of the test suite.

    .venv/bin/python -m bench.fix_fuzz [--examples 2000]
"""

from __future__ import annotations

import argparse
import time

from hypothesis import HealthCheck, given, settings

from tests.fix_properties import check_properties, fix_once, programs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--examples", type=int, default=2000)
    count = parser.parse_args().examples
    seen = {"programs": 0, "fixed": 0}

    @settings(
        max_examples=count,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(source=programs())
    def run(source: str) -> None:
        seen["programs"] += 1
        seen["fixed"] += fix_once(source) != source
        check_properties(source)

    start = time.perf_counter()
    run()
    elapsed = time.perf_counter() - start
    print(f"{seen['programs']} programs, {seen['fixed']} changed by safe fixes, {elapsed:.0f} s")


if __name__ == "__main__":
    main()
