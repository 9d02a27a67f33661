"""Codemods of the step 3.x -> 4.x."""
