from __future__ import annotations

import ast

import libcst as cst

from fastmcp_kit.lint.ast_index import every_node
from fastmcp_kit.lint.names import dotted_name
from fastmcp_kit.lint.rule import Fix, ImportSpec, Invalid, Rule, RuleContext, Valid
from fastmcp_kit.lint.violation import Severity

MEDIA_TYPES = ("Image", "Audio", "File")
REAL_MODULE = "fastmcp.utilities.types"


class ImageImportPath(Rule):
    """`Image`, `Audio` or `File` imported from a module that does not export them.

    ## What it does
    Flags `from fastmcp import Image` (removed in FastMCP 2.14.0) and
    `from fastmcp.utilities import Image|Audio|File` (a path that never existed, often
    recommended by guides as "the new location").

    ## Why is this bad?
    Both raise `ImportError` when the server module is imported, so the server never
    starts. `from fastmcp import Image` was deprecated in 2.8.1 and removed in 2.14.0;
    the media helpers have always lived in `fastmcp.utilities.types`.

    ## Fix safety
    The fix rewrites the import to `from fastmcp.utilities.types import ...`, the same
    class under its real path, so it is safe.
    """

    code = "FMCP301"
    severity = Severity.ERROR
    message = (
        "`{name}` cannot be imported from `{module}`; import it from `fastmcp.utilities.types`"
    )
    fix_title = "Import from `fastmcp.utilities.types`"
    documented_errors = (28,)
    fastmcp_versions = ">=2.14"
    reported_mistakes = ("041",)
    references = (
        "https://gofastmcp.com/servers/tools#media-helper-classes",
        "https://gofastmcp.com/v2/development/upgrade-guide",
    )

    # Only `Image`, `Audio` and `File` imported from `fastmcp` / `fastmcp.utilities` are
    # reported; `File` (a common word) only as a name in an import list: before `,`, `)`,
    # `as`, a comment, the end of the line (or of the file after `import`) or a `\`.
    needles = (
        "Image",
        "Audio",
        "import File",
        *(f"File{after}" for after in (",", ")", "\n", "\r", " as", " #", "  ", " \n", "\\")),
    )

    @classmethod
    def may_apply_to_tree(cls, tree: ast.Module, context: RuleContext) -> bool:
        return any(
            isinstance(node, ast.ImportFrom)
            and node.level == 0
            and node.module in ("fastmcp", "fastmcp.utilities")
            and any(alias.name in MEDIA_TYPES for alias in node.names)
            for node in every_node(tree)
        )

    VALID = [
        Valid("real-path", "from fastmcp.utilities.types import Image, Audio, File\n"),
        Valid("other-names-from-fastmcp", "from fastmcp import FastMCP, Context\n"),
        Valid("pil-image", "from PIL import Image\n"),
        Valid(
            "module-import",
            "import fastmcp.utilities.types as types\nimg = types.Image(path='a.png')\n",
        ),
    ]
    INVALID = [
        Invalid(
            "from-fastmcp",
            "from fastmcp import Image\n",
            fixed="from fastmcp.utilities.types import Image\n",
        ),
        Invalid(
            "mixed-names",
            """
            from fastmcp import FastMCP, Image

            mcp = FastMCP("demo")
            """,
            fixed="""
            from fastmcp import FastMCP
            from fastmcp.utilities.types import Image

            mcp = FastMCP("demo")
            """,
        ),
        Invalid(
            "folklore-utilities-path",
            "from fastmcp.utilities import Audio as A, Image\n",
            count=2,
            fixed=(
                "from fastmcp.utilities.types import Audio as A\n"
                "from fastmcp.utilities.types import Image\n"
            ),
        ),
    ]

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if node.relative or node.module is None or isinstance(node.names, cst.ImportStar):
            return
        module = dotted_name(node.module)
        if module not in ("fastmcp", "fastmcp.utilities"):
            return
        wrong = [alias for alias in node.names if dotted_name(alias.name) in MEDIA_TYPES]
        if not wrong:
            return
        kept = [alias for alias in node.names if alias not in wrong]
        fix = self._fix(node, wrong, kept)
        for alias in wrong:
            name = dotted_name(alias.name)
            self.report(alias, self.message.format(name=name, module=module), fix=fix)

    def _fix(
        self, node: cst.ImportFrom, wrong: list[cst.ImportAlias], kept: list[cst.ImportAlias]
    ) -> Fix:
        if not kept:
            # The whole statement moves: keep its aliases, change its module.
            module = cst.parse_expression(REAL_MODULE)
            assert isinstance(module, cst.Attribute)
            return Fix(
                self.fix_title or "", replacements=((node, node.with_changes(module=module)),)
            )
        names = [alias.with_changes(comma=cst.MaybeSentinel.DEFAULT) for alias in kept]
        imports = tuple(
            ImportSpec(
                REAL_MODULE,
                dotted_name(alias.name),
                alias.asname.name.value
                if alias.asname and isinstance(alias.asname.name, cst.Name)
                else None,
            )
            for alias in wrong
        )
        replacement = node.with_changes(names=names)
        return Fix(self.fix_title or "", replacements=((node, replacement),), add_imports=imports)
