from __future__ import annotations

import libcst as cst

from fastmcp_kit.lint.keyvalue import DISK_STORE, keyword
from fastmcp_kit.lint.rule import Fix, Invalid, Rule, Valid
from fastmcp_kit.lint.violation import Severity


class DiskStorePathKeyword(Rule):
    """`DiskStore(path=...)`: py-key-value's `DiskStore` takes `directory=`.

    ## What it does
    Flags `path=` passed to `key_value.aio.stores.disk.DiskStore` (also when it was
    imported from one of the folklore paths FMCP702 reports).

    ## Why is this bad?
    `DiskStore.__init__` is keyword-only: `disk_cache=`, `directory=`, `max_size=`,
    `default_collection=` (plus `auto_create=` in 0.4). `path=` raises `TypeError:
    DiskStore.__init__() got an unexpected keyword argument 'path'` when the store is
    created, typically at import (verified with py-key-value-aio 0.3.0 under FastMCP
    2.14.7 and 0.4.6 under 4.1.2; 0.2.8 has the same parameters).

    ## Fix safety
    Renaming `path=` to `directory=` passes the same value to the parameter that was
    meant, so it is safe. No fix is offered when `directory=` or `disk_cache=` is also
    given.
    """

    code = "FMCP703"
    severity = Severity.ERROR
    message = "`DiskStore()` has no `path=` parameter (`TypeError` when the store is created); use `directory=`"
    fix_title = "Rename `path=` to `directory=`"
    documented_errors = (16,)
    references = ("https://gofastmcp.com/servers/storage-backends",)

    # Only calls whose callee resolves to `...DiskStore` are checked.
    needles = ("DiskStore",)

    VALID = [
        Valid(
            "directory-keyword",
            """
            from key_value.aio.stores.disk import DiskStore, MultiDiskStore

            cache = DiskStore(directory="/var/lib/mcp/cache", max_size=1_000_000)
            multi = MultiDiskStore(base_directory="/var/lib/mcp")
            """,
        ),
        Valid(
            "other-disk-stores",
            """
            from langchain.storage import LocalFileStore as DiskStore
            from myapp.storage import DiskStore as AppStore

            a = DiskStore(path="/tmp/a")
            b = AppStore(path="/tmp/b")
            """,
        ),
    ]
    INVALID = [
        Invalid(
            "path-keyword",
            """
            from key_value.aio.stores.disk import DiskStore

            cache = DiskStore(path="/var/lib/mcp/cache")
            """,
            fixed="""
            from key_value.aio.stores.disk import DiskStore

            cache = DiskStore(directory="/var/lib/mcp/cache")
            """,
        ),
        Invalid(
            "module-alias",
            """
            import key_value.aio.stores.disk as disk

            cache = disk.DiskStore(path=DATA_DIR / "cache", max_size=10_000)
            """,
            fixed="""
            import key_value.aio.stores.disk as disk

            cache = disk.DiskStore(directory=DATA_DIR / "cache", max_size=10_000)
            """,
        ),
        Invalid(
            "folklore-import-both-given-no-fix",
            """
            from key_value.stores import DiskStore

            cache = DiskStore(directory="/a", path="/b")
            """,
        ),
    ]

    def visit_Call(self, node: cst.Call) -> None:
        arg = keyword(node, "path")
        if arg is None or self.context.names.qualified_name(node.func) not in DISK_STORE:
            return
        fix = None
        if keyword(node, "directory") is None and keyword(node, "disk_cache") is None:
            renamed = arg.with_changes(keyword=cst.Name("directory"))
            args = [renamed if a is arg else a for a in node.args]
            replacement = node.with_changes(args=args)
            fix = Fix(self.fix_title or "", replacements=((node, replacement),))
        self.report(arg, fix=fix)
