"""Codemods of the step <=2.13 -> 2.14 (the 2.14.0 removals)."""
