"""Project templates for ``fkit new`` (one copier template per folder)."""
