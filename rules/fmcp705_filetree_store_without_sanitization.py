from __future__ import annotations

import libcst as cst

from fastmcp_kit.lint.keyvalue import FILETREE_STORE, has_star_kwargs, keyword
from fastmcp_kit.lint.rule import Invalid, Rule, Valid
from fastmcp_kit.lint.violation import Severity

STRATEGIES = ("key_sanitization_strategy", "collection_sanitization_strategy")


def _is_none(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.Name) and node.value == "None"


class FileTreeStoreWithoutSanitization(Rule):
    """`FileTreeStore(...)` without key and collection sanitization strategies.

    ## What it does
    Flags `key_value.aio.stores.filetree.FileTreeStore(...)` calls that do not pass
    both `key_sanitization_strategy=` and `collection_sanitization_strategy=`.

    ## Why is this bad?
    Without the strategies, keys and collection names become file and directory names
    unchanged. Verified with py-key-value-aio 0.4.6 under FastMCP 4.1.2: a key
    containing `/` fails with `FileNotFoundError` (e.g. `await ctx.set_state("user/prefs",
    ...)` on a server with `session_state_store=FileTreeStore(data_directory=...)` ends
    the tool call with `ToolError: ... No such file or directory`), a key with `..` with
    `PathSecurityError: ... resolves outside the allowed directory`, and a key longer
    than the file-name limit with `OSError: [Errno 36] File name too long`; a collection
    containing `/` silently nests directories. The FastMCP docs call the strategies
    required and name URL-shaped OAuth client IDs as a key that crashes. FastMCP's own
    default OAuth store passes both `FileTreeV1...SanitizationStrategy(directory)`.
    Characters that are invalid on Windows (`:` in FastMCP's `<session>:<key>` state
    keys) are a further risk there (not verified here).

    ## Fix safety
    No fix is offered. Adding the strategies is not mechanical: they measure the
    directory when they are created (`os.pathconf`), so it must exist first
    (`FileNotFoundError` otherwise, while `FileTreeStore` alone creates it lazily; create
    it with `Path(...).mkdir(parents=True, exist_ok=True)`), they expect a `Path`, and
    names that need sanitizing are then stored under new file names, so entries already
    written are no longer found (clients re-register, cached values are recomputed).
    """

    code = "FMCP705"
    severity = Severity.WARNING
    message = "`FileTreeStore()` without {missing}: keys become file names unchanged, so a key with `/` fails with FileNotFoundError, `..` with PathSecurityError, a long one with `File name too long`; pass `FileTreeV1KeySanitizationStrategy(dir)` / `FileTreeV1CollectionSanitizationStrategy(dir)`"
    documented_errors = (16,)
    references = ("https://gofastmcp.com/servers/storage-backends",)

    # Only calls whose callee resolves to `...FileTreeStore` are checked.
    needles = ("FileTreeStore",)

    VALID = [
        Valid(
            "both-strategies",
            """
            from pathlib import Path
            from key_value.aio.stores.filetree import (
                FileTreeStore,
                FileTreeV1CollectionSanitizationStrategy,
                FileTreeV1KeySanitizationStrategy,
            )

            store_dir = Path("/var/lib/mcp/state")
            store_dir.mkdir(parents=True, exist_ok=True)  # the strategies need it to exist
            store = FileTreeStore(
                data_directory=store_dir,
                key_sanitization_strategy=FileTreeV1KeySanitizationStrategy(store_dir),
                collection_sanitization_strategy=FileTreeV1CollectionSanitizationStrategy(store_dir),
            )
            """,
        ),
        Valid(
            "forwarded-kwargs-and-other-classes",
            """
            from key_value.aio.stores.filetree import FileTreeStore
            from myapp.storage import FileTreeStore as AppStore

            store = FileTreeStore(data_directory="/data", **options)
            other = AppStore(data_directory="/data")
            """,
        ),
    ]
    INVALID = [
        Invalid(
            "data-directory-only",
            """
            from key_value.aio.stores.filetree import FileTreeStore

            store = FileTreeStore(data_directory="/var/lib/mcp/state")
            """,
        ),
        Invalid(
            "one-strategy-module-import",
            """
            from pathlib import Path
            from key_value.aio.stores import filetree

            root = Path("state")
            store = filetree.FileTreeStore(
                data_directory=root,
                key_sanitization_strategy=filetree.FileTreeV1KeySanitizationStrategy(root),
                collection_sanitization_strategy=None,
            )
            """,
        ),
    ]

    def visit_Call(self, node: cst.Call) -> None:
        if self.context.names.qualified_name(node.func) not in FILETREE_STORE:
            return
        if has_star_kwargs(node):
            return
        missing = []
        for parameter in STRATEGIES:
            arg = keyword(node, parameter)
            if arg is None or _is_none(arg.value):
                missing.append(parameter)
        if not missing:
            return
        text = " and ".join(f"`{m}=`" for m in missing)
        self.report(node, self.message.format(missing=text))
