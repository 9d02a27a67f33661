"""Property test: applying every safe fix introduces no undefined name (pyflakes),
never breaks parsing, and is idempotent. A few hundred programs with a fixed seed
keep it fast; ``python -m bench.fix_fuzz`` runs 2,000."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings

from tests.fix_properties import check_properties, programs


@settings(
    max_examples=150,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(source=programs())
def test_safe_fixes_keep_modules_importable_and_are_idempotent(source: str) -> None:
    check_properties(source)
