"""Codemods of the step 2.x -> 3.x."""
