from __future__ import annotations

import libcst as cst
from packaging.version import Version

from fastmcp_kit.lint.keyvalue import (
    EXTRAS,
    FOLKLORE_PACKAGES,
    KEY_VALUE_MODULES,
    ONLY_0_4,
    folklore_module,
    real_module,
)
from fastmcp_kit.lint.names import dotted_name
from fastmcp_kit.lint.rule import Fix, ImportSpec, Invalid, Rule, Valid
from fastmcp_kit.lint.violation import Severity


def _module_node(module: str) -> cst.Attribute | cst.Name:
    node = cst.parse_expression(module)
    assert isinstance(node, (cst.Attribute, cst.Name))
    return node


def _asname(alias: cst.ImportAlias) -> str | None:
    if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
        return alias.asname.name.value
    return None


class KeyValueImportPath(Rule):
    """Storage classes imported from `key_value.stores` / `key_value.encryption`, which do not exist.

    ## What it does
    Flags imports from `key_value.stores`, `key_value.wrappers`, `key_value.adapters`,
    `key_value.protocols` and `key_value.encryption` (and their sub-modules), the paths
    many guides give for py-key-value, the storage library FastMCP 2.13+ uses for OAuth
    client storage, response caching and (3.0+) session state.

    ## Why is this bad?
    None of those packages has ever existed: the import fails with
    `ModuleNotFoundError: No module named 'key_value.stores'` and the server never
    starts (checked against py-key-value-aio 0.2.8, 0.3.0 and 0.4.6, the versions that
    FastMCP 2.13 to 4.1 install). The async library lives under `key_value.aio`:
    `key_value.aio.stores.memory.MemoryStore`, `key_value.aio.stores.disk.DiskStore`,
    `key_value.aio.stores.redis.RedisStore`, `key_value.aio.stores.filetree.FileTreeStore`,
    `key_value.aio.wrappers.encryption.FernetEncryptionWrapper`, ...

    With FastMCP 3.0+, `DiskStore` and `RedisStore` also need the
    `py-key-value-aio[disk]` / `[redis]` extra (`ImportError: DiskStore requires
    py-key-value-aio[disk]`).

    ## Fix safety
    The fix imports each class from the module that defines it, which is the class the
    code meant, so it is safe. It is not offered when a name is unknown, or when the
    class only exists in py-key-value-aio 0.4 but the target is FastMCP 2.x (pinned to
    0.3). Plain `import key_value.stores` statements are only reported, because the
    code that uses the module would need rewriting too.
    """

    code = "FMCP702"
    severity = Severity.ERROR
    message = "`{module}` does not exist (`ModuleNotFoundError` at import); {advice}"
    fix_title = "Import from `key_value.aio`"
    documented_errors = (16,)
    references = ("https://gofastmcp.com/servers/storage-backends",)

    # Flagged imports name a folklore package (`import key_value.stores`, `from
    # key_value.stores.disk import ...`) or import one from `key_value` itself.
    needles = (*FOLKLORE_PACKAGES, "key_value import")

    VALID = [
        Valid(
            "real-paths",
            """
            from key_value.aio.stores.disk import DiskStore
            from key_value.aio.stores.memory import MemoryStore
            from key_value.aio.stores.redis import RedisStore
            from key_value.aio.wrappers.encryption import FernetEncryptionWrapper
            import key_value.aio.stores.filetree as filetree
            """,
        ),
        Valid(
            "other-key-value-libraries",
            """
            from keyvalue.stores import DiskStore
            from mykv.key_value.stores import Store
            from .key_value.stores import LocalStore
            from key_value.shared.errors import DeserializationError
            """,
        ),
    ]
    INVALID = [
        Invalid(
            "folklore-stores-split",
            """
            from key_value.stores import DiskStore, RedisStore as Redis
            """,
            count=2,
            fixed="""
            from key_value.aio.stores.disk import DiskStore
            from key_value.aio.stores.redis import RedisStore as Redis
            """,
        ),
        Invalid(
            "folklore-encryption",
            """
            from cryptography.fernet import Fernet
            from key_value.encryption import FernetEncryptionWrapper
            """,
            fixed="""
            from cryptography.fernet import Fernet
            from key_value.aio.wrappers.encryption import FernetEncryptionWrapper
            """,
        ),
        Invalid(
            "folklore-submodule",
            """
            from key_value.stores.memory import MemoryStore
            """,
            fixed="""
            from key_value.aio.stores.memory import MemoryStore
            """,
        ),
        Invalid(
            "plain-import-report-only",
            """
            import key_value.stores

            store = key_value.stores.MemoryStore()
            """,
        ),
        Invalid(
            "unknown-name-report-only",
            """
            from key_value.stores import SQLiteStore
            """,
        ),
    ]

    def visit_Import(self, node: cst.Import) -> None:
        for alias in node.names:
            module = dotted_name(alias.name) or ""
            fake = folklore_module(module)
            if fake is None:
                continue
            real = real_module(module)
            fix = None
            asname = _asname(alias)
            if real is not None and asname is not None:
                renamed = alias.with_changes(name=_module_node(real))
                names = [renamed if a is alias else a for a in node.names]
                fix = Fix(
                    self.fix_title or "", replacements=((node, node.with_changes(names=names)),)
                )
            advice = f"the real package is `{real or FOLKLORE_PACKAGES[fake]}`"
            self.report(alias, self.message.format(module=module, advice=advice), fix=fix)

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if node.relative or node.module is None or isinstance(node.names, cst.ImportStar):
            if (
                node.module is not None
                and not node.relative
                and isinstance(node.names, cst.ImportStar)
            ):
                self._report_star(node)
            return
        module = dotted_name(node.module) or ""
        if module == "key_value":
            self._report_package_import(node)
            return
        fake = folklore_module(module)
        if fake is None:
            return
        targets = {alias: self._target(dotted_name(alias.name) or "") for alias in node.names}
        fix = self._fix(node, targets) if all(targets.values()) else None
        for alias, target in targets.items():
            name = dotted_name(alias.name)
            if target is not None:
                advice = f"import `{name}` from `{target}`"
                extra = EXTRAS.get(name or "")
                if extra and self.context.target >= Version("3.0"):
                    advice += f" (needs `py-key-value-aio[{extra}]` with FastMCP 3.0+)"
            elif name in KEY_VALUE_MODULES:
                advice = (
                    f"`{name}` is in `{KEY_VALUE_MODULES[name]}` of py-key-value-aio 0.4, "
                    "which needs FastMCP 3.0+"
                )
            else:
                advice = f"`{name}` is not a py-key-value class; look under `{real_module(module) or FOLKLORE_PACKAGES[fake]}`"
            self.report(alias, self.message.format(module=module, advice=advice), fix=fix)

    def _target(self, name: str) -> str | None:
        """The real module to import ``name`` from, or None if unknown (or not in the
        py-key-value-aio that the targeted FastMCP installs)."""
        found = KEY_VALUE_MODULES.get(name)
        if found is not None and name in ONLY_0_4 and self.context.target < Version("3.0"):
            return None
        return found

    def _fix(self, node: cst.ImportFrom, targets: dict[cst.ImportAlias, str | None]) -> Fix:
        # The statement keeps the names of its first target module; the others are added
        # as new imports (a fix is a single replacement).
        first = next(iter(targets.values()))
        assert first is not None
        kept = [a for a, t in targets.items() if t == first]
        kept = [a.with_changes(comma=cst.MaybeSentinel.DEFAULT) for a in kept]
        replacement = node.with_changes(module=_module_node(first), names=kept)
        imports = tuple(
            ImportSpec(target, dotted_name(alias.name), _asname(alias))
            for alias, target in targets.items()
            if target is not None and target != first
        )
        return Fix(self.fix_title or "", replacements=((node, replacement),), add_imports=imports)

    def _report_package_import(self, node: cst.ImportFrom) -> None:
        """``from key_value import stores``."""
        assert not isinstance(node.names, cst.ImportStar)
        for alias in node.names:
            module = f"key_value.{dotted_name(alias.name)}"
            if folklore_module(module) == module:
                advice = f"the real package is `{FOLKLORE_PACKAGES[module]}`"
                self.report(alias, self.message.format(module=module, advice=advice))

    def _report_star(self, node: cst.ImportFrom) -> None:
        module = dotted_name(node.module) if node.module is not None else None
        fake = folklore_module(module or "")
        if module and fake:
            advice = f"the real package is `{real_module(module) or FOLKLORE_PACKAGES[fake]}`"
            self.report(node, self.message.format(module=module, advice=advice))
