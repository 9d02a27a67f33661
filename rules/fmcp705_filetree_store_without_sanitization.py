from __future__ import annotations

import libcst as cst

from fastmcp_kit.lint.keyvalue import (
    FILETREE_STORE,
    KEY_VALUE_MODULES,
    has_star_kwargs,
    keyword,
    with_keywords,
)
from fastmcp_kit.lint.rule import Fix, ImportSpec, Invalid, Rule, Valid
from fastmcp_kit.lint.violation import Applicability, Severity

FILETREE = KEY_VALUE_MODULES["FileTreeStore"]
STRATEGIES = (
    ("key_sanitization_strategy", "FileTreeV1KeySanitizationStrategy"),
    ("collection_sanitization_strategy", "FileTreeV1CollectionSanitizationStrategy"),
)


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
    The fix adds `FileTreeV1KeySanitizationStrategy(<data_directory>)` and
    `FileTreeV1CollectionSanitizationStrategy(<data_directory>)` (importing them from
    `key_value.aio.stores.filetree`) when `data_directory` is a name, attribute or
    string. It is unsafe: names that need sanitizing are stored under new file names,
    so entries already written under the old names are no longer found (clients
    re-register, cached values are recomputed).
    """

    code = "FMCP705"
    severity = Severity.WARNING
    message = "`FileTreeStore()` without {missing}: keys become file names unchanged, so a key with `/` fails with FileNotFoundError, `..` with PathSecurityError, a long one with `File name too long`"
    fix_title = "Add the FileTreeV1 sanitization strategies"
    documented_errors = (16,)
    references = ("https://gofastmcp.com/servers/storage-backends",)

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
            fixed="""
            from key_value.aio.stores.filetree import FileTreeV1CollectionSanitizationStrategy, FileTreeV1KeySanitizationStrategy, FileTreeStore

            store = FileTreeStore(data_directory="/var/lib/mcp/state", key_sanitization_strategy=FileTreeV1KeySanitizationStrategy("/var/lib/mcp/state"), collection_sanitization_strategy=FileTreeV1CollectionSanitizationStrategy("/var/lib/mcp/state"))
            """,
        ),
        Invalid(
            "one-strategy-multiline",
            """
            from pathlib import Path
            from key_value.aio.stores import filetree

            root = Path("state")
            store = filetree.FileTreeStore(
                data_directory=root,
                key_sanitization_strategy=filetree.FileTreeV1KeySanitizationStrategy(root),
            )
            """,
            fixed="""
            from pathlib import Path
            from key_value.aio.stores import filetree
            from key_value.aio.stores.filetree import FileTreeV1CollectionSanitizationStrategy

            root = Path("state")
            store = filetree.FileTreeStore(
                data_directory=root,
                key_sanitization_strategy=filetree.FileTreeV1KeySanitizationStrategy(root),
                collection_sanitization_strategy=FileTreeV1CollectionSanitizationStrategy(root),
            )
            """,
        ),
        Invalid(
            "computed-directory-no-fix",
            """
            from key_value.aio.stores.filetree import FileTreeStore

            store = FileTreeStore(data_directory=settings.home / "state", key_sanitization_strategy=None)
            """,
        ),
    ]

    def visit_Call(self, node: cst.Call) -> None:
        if self.context.names.qualified_name(node.func) not in FILETREE_STORE:
            return
        if has_star_kwargs(node):
            return
        missing = []
        explicit_none = False
        for parameter, _ in STRATEGIES:
            arg = keyword(node, parameter)
            if arg is None or _is_none(arg.value):
                missing.append(parameter)
                explicit_none = explicit_none or arg is not None
        if not missing:
            return
        fix = None if explicit_none else self._fix(node, missing)
        text = " and ".join(f"`{m}=`" for m in missing)
        self.report(node, self.message.format(missing=text), fix=fix)

    def _fix(self, node: cst.Call, missing: list[str]) -> Fix | None:
        directory = keyword(node, "data_directory")
        if directory is None:
            positional = [a for a in node.args if a.keyword is None]
            directory = positional[0] if positional else None
        if directory is None or not isinstance(
            directory.value, (cst.Name, cst.Attribute, cst.SimpleString)
        ):
            return None
        names = self.context.names
        added: list[tuple[str, cst.BaseExpression]] = []
        imports: list[ImportSpec] = []
        for parameter, cls in STRATEGIES:
            if parameter not in missing:
                continue
            local = next(
                (
                    n
                    for n, q in names.aliases.items()
                    if q in (f"{FILETREE}.{cls}", f"{FILETREE}.store.{cls}")
                ),
                None,
            )
            if local is None:
                if cls in names.module_bindings:
                    return None
                local = cls
                imports.append(ImportSpec(FILETREE, cls))
            strategy = cst.Call(func=cst.Name(local), args=[cst.Arg(directory.value)])
            added.append((parameter, strategy))
        return Fix(
            self.fix_title or "",
            Applicability.UNSAFE,
            replacements=((node, with_keywords(node, added)),),
            add_imports=tuple(imports),
        )
