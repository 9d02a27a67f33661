"""The benchmark harness (``python bench/run.py``) and its corpus generator."""
