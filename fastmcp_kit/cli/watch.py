"""``fkit lint --watch``: lint, then lint again whenever a file that can change the
findings is saved, until Ctrl-C. File events come from watchfiles (inotify and its
kin, debounced), the library uvicorn and FastMCP's own dev server use."""

from __future__ import annotations

import fnmatch
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from fastmcp_kit.errors import FkitError

# Besides Python and the files text rules read: what settles the project's settings.
SETTINGS_FILES = ("pyproject.toml", "requirements*.txt", "*.lock", "pylock.toml", "fastmcp.json")
SKIPPED_FOLDERS = frozenset({".git", ".fkit_cache", ".venv", "venv", "__pycache__", "node_modules"})


def relevant(path: str) -> bool:
    """A change to this file can change what ``fkit lint`` reports."""
    from fastmcp_kit.lint.rule_index import rule_index

    parts = Path(path).parts
    if SKIPPED_FOLDERS & set(parts):
        return False
    name = parts[-1] if parts else ""
    if name.endswith((".py", ".pyi")):
        return True
    patterns = [*SETTINGS_FILES, *(p for e in rule_index().values() for p in e.file_patterns or ())]
    return any(fnmatch.fnmatch(name, pattern) for pattern in patterns)


def watch_and_lint(run_once: Callable[[], int], paths: Sequence[str]) -> int:
    """Run ``run_once`` now and after every relevant change; 0 when interrupted."""
    import watchfiles

    _run(run_once)
    print("fkit: watching for changes (Ctrl-C to stop)", file=sys.stderr, flush=True)
    try:
        for changes in watchfiles.watch(
            *paths, watch_filter=lambda _, path: relevant(path), raise_interrupt=True
        ):
            changed = sorted({Path(path).name for _, path in changes})
            print(f"\nfkit: {', '.join(changed)} changed; linting again", file=sys.stderr)
            _run(run_once)
            sys.stdout.flush()
    except KeyboardInterrupt:
        return 0
    return 0


def _run(run_once: Callable[[], int]) -> None:
    # A file saved half-way (a bad config, say) is one line; the watch goes on.
    try:
        run_once()
    except FkitError as exc:
        print(f"fkit: error: {exc}", file=sys.stderr)
    sys.stdout.flush()
