from __future__ import annotations

import ast

import libcst as cst
from packaging.version import Version

from fastmcp_kit.lint.ast_index import every_node
from fastmcp_kit.lint.ast_names import last_identifier, local_names_for
from fastmcp_kit.lint.names import ModuleNames, dotted_name
from fastmcp_kit.lint.rule import Fix, ImportSpec, Invalid, Rule, RuleContext, Valid
from fastmcp_kit.lint.violation import Severity

ICON_CLASSES = frozenset({"mcp.types.Icon", "mcp_types.Icon", "fastmcp.Icon"})
IMAGE_CLASSES = frozenset({"fastmcp.utilities.types.Image", "fastmcp.Image"})
PATH_FACTORIES = frozenset({"pathlib.Path", "pathlib.PurePath", "os.path.join"})
REAL_MODULE = "mcp.types"
TO_DATA_URI = Version("2.13.1")


def _is_path_like(node: cst.BaseExpression, names: ModuleNames) -> bool:
    """A string literal or a `Path(...)` / `os.path.join(...)` call."""
    if isinstance(node, (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString)):
        return True
    return isinstance(node, cst.Call) and names.qualified_name(node.func) in PATH_FACTORIES


class IconMisuse(Rule):
    """`Icon` used with an API that does not exist (`from fastmcp import Icon`, `url=`, `size=`, `Icon.from_file`).

    ## What it does
    Flags the invented `Icon` API that guides spread:
    * `from fastmcp import Icon` (fastmcp never re-exported it);
    * `Icon(url=...)` and `Icon(size=...)` (the fields are `src` and `sizes`);
    * `Icon.from_file(...)` (no such method);
    * `Image.to_data_uri(<path>)` called on the class with a path (it is an instance
      method).

    ## Why is this bad?
    `Icon` is the MCP SDK's model, `mcp.types.Icon`, with fields `src` (required),
    `mimeType` and `sizes` (a list such as `["48x48"]`; 4.x adds `theme`).
    * `from fastmcp import Icon` raises `ImportError` in every release (verified
      2.13.3 to 4.1.2).
    * `Icon(url="https://...")` raises `ValidationError: src Field required`; with
      `src=` also given, `url` is silently ignored.
    * `Icon(size="small")` is silently ignored (kept as an extra field in 2.x/3.x,
      dropped in 4.x), so clients see no size.
    * `Icon.from_file(...)` raises `AttributeError`.
    * `Image.to_data_uri("icon.png")` raises `AttributeError: 'str' object has no
      attribute '_get_data'`; the real form is `Image(path="icon.png").to_data_uri()`
      (2.13.1+).

    ## Fix safety
    `from fastmcp import Icon` becomes `from mcp.types import Icon` and `Icon(url=...)`
    becomes `Icon(src=...)`. Both are safe: the original code always failed. `size=`,
    `Icon.from_file` and `Image.to_data_uri(<path>)` are reported only: the right
    value (`sizes=["WxH"]`, the file to read) needs a decision.
    """

    code = "FMCP213"
    severity = Severity.ERROR
    message = "{problem}; {advice}"
    fix_title = "Use the real `Icon` API"
    documented_errors = (24,)
    fastmcp_versions = ">=2.13"
    references = ("https://gofastmcp.com/servers/icons",)

    # Every `Icon` check names `Icon`; the `Image` check calls `to_data_uri`.
    needles = ("Icon", "to_data_uri")

    @classmethod
    def may_apply_to_tree(cls, tree: ast.Module, context: RuleContext) -> bool:
        # `from fastmcp import Icon`, `<Icon>(url=/size=)`, `<Icon>.from_file(...)` or
        # `<Image>.to_data_uri(...)`, by last identifier (import aliases included).
        icons = local_names_for(tree, ("Icon",))
        images: frozenset[str] | None = None
        for node in every_node(tree):
            if isinstance(node, ast.ImportFrom):
                if node.module == "fastmcp" and any(a.name == "Icon" for a in node.names):
                    return True
                continue
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            if last_identifier(func) in icons and any(
                keyword.arg in ("url", "size") for keyword in node.keywords
            ):
                return True
            if isinstance(func, ast.Attribute):
                if func.attr == "from_file" and last_identifier(func.value) in icons:
                    return True
                if func.attr == "to_data_uri":
                    images = images or local_names_for(tree, ("Image",))
                    if last_identifier(func.value) in images:
                        return True
        return False

    VALID = [
        Valid(
            "real-api",
            """
            from fastmcp import FastMCP
            from fastmcp.utilities.types import Image
            from mcp.types import Icon

            logo = Image(path="logo.png")
            mcp = FastMCP(
                "demo",
                icons=[
                    Icon(src="https://example.com/logo.png", mimeType="image/png", sizes=["48x48"]),
                    Icon(src=logo.to_data_uri()),
                ],
            )

            @mcp.tool(icons=[Icon(src=Image.to_data_uri(logo))])
            def ping() -> str:
                return "pong"
            """,
        ),
        Valid(
            "other-icon-classes",
            """
            from myui.widgets import Icon
            from PIL import Image

            button = Icon(url="https://example.com/a.png", size="small")
            other = Icon.from_file("a.png")
            uri = Image.to_data_uri("x.png")
            """,
        ),
    ]
    INVALID = [
        Invalid(
            "import-from-fastmcp",
            """
            from fastmcp import FastMCP, Icon

            mcp = FastMCP("demo", icons=[Icon(src="https://example.com/logo.png")])
            """,
            fixed="""
            from fastmcp import FastMCP
            from mcp.types import Icon

            mcp = FastMCP("demo", icons=[Icon(src="https://example.com/logo.png")])
            """,
        ),
        Invalid(
            "url-keyword",
            """
            from fastmcp import Icon
            from fastmcp import FastMCP

            mcp = FastMCP("demo", icons=[Icon(url="https://example.com/logo.png")])
            """,
            count=2,
            fixed="""
            from fastmcp import FastMCP
            from mcp.types import Icon

            mcp = FastMCP("demo", icons=[Icon(src="https://example.com/logo.png")])
            """,
        ),
        Invalid(
            "size-from-file-to-data-uri",
            """
            import mcp.types as types
            from fastmcp.utilities.types import Image

            icons = [
                types.Icon(src="https://example.com/a.png", size="small"),
                types.Icon.from_file("logo.png", size="48x48"),
                types.Icon(src=Image.to_data_uri("logo.png")),
            ]
            """,
            count=3,
        ),
        Invalid(
            "url-and-src-no-fix",
            """
            from mcp.types import Icon

            icon = Icon(src="https://example.com/a.png", url="https://example.com/b.png")
            """,
        ),
    ]

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if node.relative or node.module is None or isinstance(node.names, cst.ImportStar):
            return
        if dotted_name(node.module) != "fastmcp":
            return
        wrong = [alias for alias in node.names if dotted_name(alias.name) == "Icon"]
        if not wrong:
            return
        kept = [alias for alias in node.names if alias not in wrong]
        fix = self._import_fix(node, wrong, kept)
        for alias in wrong:
            problem = "`Icon` is not exported by `fastmcp` (`ImportError` in every release)"
            self.report(
                alias,
                self.message.format(problem=problem, advice="import it from `mcp.types`"),
                fix=fix,
            )

    def visit_Call(self, node: cst.Call) -> None:
        names = self.context.names
        func = node.func
        qualified = names.qualified_name(func)
        if qualified in ICON_CLASSES:
            self._check_icon_call(node)
            return
        if not isinstance(func, cst.Attribute):
            return
        owner = names.qualified_name(func.value)
        if owner in ICON_CLASSES and func.attr.value == "from_file":
            problem = "`Icon.from_file()` does not exist (`AttributeError`)"
            self.report(node, self.message.format(problem=problem, advice=self._from_file_advice()))
        elif owner in IMAGE_CLASSES and func.attr.value == "to_data_uri":
            positional = [arg for arg in node.args if arg.keyword is None and not arg.star]
            if positional:
                first = positional[0].value
                if not _is_path_like(first, names):
                    return
            problem = (
                "`Image.to_data_uri()` is an instance method; called on the class with a path it "
                "fails with `AttributeError: 'str' object has no attribute '_get_data'`"
            )
            advice = 'use `Image(path="icon.png").to_data_uri()`'
            self.report(node, self.message.format(problem=problem, advice=advice))

    def _check_icon_call(self, node: cst.Call) -> None:
        keywords = {arg.keyword.value: arg for arg in node.args if arg.keyword is not None}
        if "url" in keywords:
            arg = keywords["url"]
            keyword = arg.keyword
            assert keyword is not None
            if "src" in keywords:
                problem = "`Icon` has no `url` field; next to `src=` it is silently ignored"
                self.report(arg, self.message.format(problem=problem, advice="remove it"))
            else:
                problem = "`Icon` has no `url` field: `Icon(url=...)` fails with `ValidationError: src Field required`"
                replacement = arg.with_changes(keyword=keyword.with_changes(value="src"))
                fix = Fix(self.fix_title or "", replacements=((arg, replacement),))
                self.report(arg, self.message.format(problem=problem, advice="use `src=`"), fix=fix)
        if "size" in keywords:
            problem = "`Icon` has no `size` field, so the value is silently ignored"
            advice = 'use `sizes=["48x48"]` (a list of "WxH" strings, or `["any"]`)'
            self.report(keywords["size"], self.message.format(problem=problem, advice=advice))

    def _from_file_advice(self) -> str:
        if self.context.target >= TO_DATA_URI:
            return "use `Icon(src=Image(path=...).to_data_uri())` with `Image` from `fastmcp.utilities.types`"
        return 'build a data URI yourself: `Icon(src="data:image/png;base64,...")`'

    def _import_fix(
        self, node: cst.ImportFrom, wrong: list[cst.ImportAlias], kept: list[cst.ImportAlias]
    ) -> Fix:
        title = "Import `Icon` from `mcp.types`"
        if not kept:
            module = cst.parse_expression(REAL_MODULE)
            assert isinstance(module, cst.Attribute)
            return Fix(title, replacements=((node, node.with_changes(module=module)),))
        names = [alias.with_changes(comma=cst.MaybeSentinel.DEFAULT) for alias in kept]
        imports = tuple(
            ImportSpec(
                REAL_MODULE,
                "Icon",
                alias.asname.name.value
                if alias.asname and isinstance(alias.asname.name, cst.Name)
                else None,
            )
            for alias in wrong
        )
        return Fix(
            title, replacements=((node, node.with_changes(names=names)),), add_imports=imports
        )
