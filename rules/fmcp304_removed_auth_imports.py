from __future__ import annotations

import ast
from dataclasses import dataclass

import libcst as cst
from packaging.version import Version

from fastmcp_kit.lint.ast_index import every_node
from fastmcp_kit.lint.body_walk import all_nodes
from fastmcp_kit.lint.names import dotted_name
from fastmcp_kit.lint.rule import Fix, ImportSpec, Invalid, Rule, RuleContext, Valid
from fastmcp_kit.lint.violation import Severity
from fastmcp_kit.lint.walk import walk

AUTH = "fastmcp.server.auth"
JWT = "fastmcp.server.auth.providers.jwt"
BEARER = "fastmcp.server.auth.providers.bearer"
SEED_AUTH = "fastmcp.auth"
REMOVED = Version("2.14.0")
# The oldest release the tables below were verified against (by importing each name).
OLDEST = "2.13.3"

# Where each auth name really lives, and the first release (of 2.13.3, 2.14.7, 3.0.2,
# 3.4.10, 4.0.0, 4.1.2) where that import was verified to work. Names exported from
# `fastmcp.server.auth` map there; provider classes map to their provider module.
_AUTH_EXPORTS: dict[str, tuple[str, ...]] = {
    OLDEST: (
        "AccessToken",
        "AuthProvider",
        "DebugTokenVerifier",
        "JWTVerifier",
        "OAuthProvider",
        "OAuthProxy",
        "OIDCProxy",
        "RemoteAuthProvider",
        "StaticTokenVerifier",
        "TokenVerifier",
    ),
    "3.0.2": ("AuthCheck", "AuthContext", "require_scopes", "restrict_tag", "run_auth_checks"),
    "3.4.10": ("MultiAuth",),
    "4.0.0": ("IdentityAssertion", "require_roles"),
}
_PROVIDERS: dict[str, dict[str, tuple[str, ...]]] = {
    OLDEST: {
        "auth0": ("Auth0Provider",),
        "aws": ("AWSCognitoProvider", "AWSCognitoTokenVerifier"),
        "azure": ("AzureProvider",),
        "descope": ("DescopeProvider",),
        "discord": ("DiscordProvider", "DiscordTokenVerifier"),
        "github": ("GitHubProvider", "GitHubTokenVerifier"),
        "google": ("GoogleProvider", "GoogleTokenVerifier"),
        "in_memory": ("InMemoryOAuthProvider",),
        "introspection": ("IntrospectionTokenVerifier",),
        "jwt": ("JWKData", "JWKSData", "RSAKeyPair"),
        "oci": ("OCIProvider",),
        "scalekit": ("ScalekitProvider",),
        "supabase": ("SupabaseProvider",),
        "workos": ("AuthKitProvider", "WorkOSProvider", "WorkOSTokenVerifier"),
    },
    "3.0.2": {"azure": ("AzureJWTVerifier",)},
    "3.4.10": {
        "clerk": ("ClerkProvider", "ClerkTokenVerifier"),
        "huggingface": ("HuggingFaceProvider", "HuggingFaceTokenVerifier"),
        "keycloak": ("KeycloakAuthProvider",),
        "propelauth": ("PropelAuthProvider",),
    },
    "4.0.0": {"auth0": ("Auth0MCPProvider", "Auth0JWTVerifier")},
}


def _locations() -> dict[str, tuple[str, Version]]:
    found: dict[str, tuple[str, Version]] = {}
    for since, exported in _AUTH_EXPORTS.items():
        for name in exported:
            found[name] = (AUTH, Version(since))
    for since, modules in _PROVIDERS.items():
        for module, classes in modules.items():
            for name in classes:
                found[name] = (f"fastmcp.server.auth.providers.{module}", Version(since))
    return found


LOCATIONS = _locations()
RENAMES = {"BearerAuthProvider": "JWTVerifier"}
GENERIC_ADVICE = (
    "auth classes live in `fastmcp.server.auth` and `fastmcp.server.auth.providers.<provider>`"
)
BEARER_ADVICE = "use `JWTVerifier` from `fastmcp.server.auth` (same arguments)"


@dataclass(frozen=True)
class _Target:
    """Where one imported name should come from instead."""

    alias: cst.ImportAlias
    module: str
    name: str


class RemovedAuthImports(Rule):
    """An auth import from `fastmcp.auth` (never existed) or of `BearerAuthProvider` (removed in 2.14).

    ## What it does
    Flags imports from `fastmcp.auth` (any submodule), and on FastMCP 2.14 and later
    imports of `BearerAuthProvider` (from `fastmcp.server.auth.providers.bearer` or
    `fastmcp.server.auth`) and of the `bearer` module itself.

    ## Why is this bad?
    Both fail when the server module is imported, so the server never starts:
    * `fastmcp.auth` has never existed: `ModuleNotFoundError: No module named
      'fastmcp.auth'` (verified 2.13.3 to 4.1.2). Guides invent it; auth classes live
      in `fastmcp.server.auth` and `fastmcp.server.auth.providers.<provider>`.
    * `fastmcp.server.auth.providers.bearer` was deprecated in 2.11 and removed in
      2.14.0: `ModuleNotFoundError: No module named
      'fastmcp.server.auth.providers.bearer'` (verified 2.14.7 to 4.1.2). In 2.13 it
      was only an alias: `BearerAuthProvider` *is* `JWTVerifier`, with the same
      keyword arguments.

    ## Fix safety
    The fix imports each name from where it really lives in the target version, and
    renames `BearerAuthProvider` to `JWTVerifier` (its uses too, unless the module
    binds either name otherwise; then it imports `JWTVerifier as BearerAuthProvider`).
    This is safe: it is the same class, and the original import always failed. No fix
    is offered when a name is unknown or does not exist in the target version, or for
    `import fastmcp.auth` / `import ...bearer` module imports.
    """

    code = "FMCP304"
    severity = Severity.ERROR
    message = "{problem}; {advice}"
    fix_title = "Import from the real module"
    documented_errors = (26,)
    reported_mistakes = ("042",)
    references = (
        "https://gofastmcp.com/servers/auth/token-verification",
        "https://gofastmcp.com/servers/auth/authentication",
    )

    # Everything reported names `auth` or `bearer` (`BearerAuthProvider`, the
    # `fastmcp.auth` and `...providers.bearer` modules, `<fastmcp alias>.auth`); the
    # tree pre-check below is the exact test.
    needles = ("auth", "bearer", "Bearer")

    @classmethod
    def may_apply_to_tree(cls, tree: ast.Module, context: RuleContext) -> bool:
        # The reported import statements, `BearerAuthProvider` attributes, and `<x>.auth`
        # where `<x>` is bound by `import fastmcp[...]` (names resolve through imports only).
        fastmcp_names: set[str] = set()
        for node in every_node(tree):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                module, names = node.module, [alias.name for alias in node.names]
                if _is_seed_module(module) or module == BEARER:
                    return True
                if module == AUTH and "BearerAuthProvider" in names:
                    return True
                # `from fastmcp import auth`, `from ...providers import bearer`
                if any(_is_seed_module(f"{module}.{name}") for name in names) or any(
                    f"{module}.{name}" == BEARER for name in names
                ):
                    return True
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if _is_seed_module(alias.name) or alias.name == BEARER:
                        return True
                    if alias.name.partition(".")[0] == "fastmcp":
                        fastmcp_names.add(alias.asname or "fastmcp")
            elif isinstance(node, ast.Attribute) and node.attr == "BearerAuthProvider":
                return True
        return any(
            isinstance(node, ast.Attribute)
            and node.attr == "auth"
            and isinstance(node.value, ast.Name)
            and node.value.id in fastmcp_names
            for node in every_node(tree)
        )

    VALID = [
        Valid(
            "real-paths",
            """
            from fastmcp import FastMCP
            from fastmcp.server.auth import JWTVerifier, OAuthProxy
            from fastmcp.server.auth.providers.github import GitHubProvider
            from fastmcp.server.auth.providers.jwt import RSAKeyPair

            mcp = FastMCP("demo", auth=JWTVerifier(jwks_uri="https://idp/jwks"))
            """,
        ),
        Valid(
            "bearer-on-2.13",
            """
            from fastmcp.server.auth.providers.bearer import BearerAuthProvider

            auth = BearerAuthProvider(jwks_uri="https://idp/jwks")
            """,
            fastmcp_version="2.13.3",
        ),
        Valid(
            "other-packages-auth",
            """
            from myproject.auth import BearerAuthProvider
            from mcp.server.auth.provider import TokenVerifier
            import django.contrib.auth

            auth = BearerAuthProvider()
            """,
        ),
    ]
    INVALID = [
        Invalid(
            "import-inside-a-function",
            """
            def build_auth():
                from fastmcp.server.auth.providers.bearer import BearerAuthProvider

                return BearerAuthProvider(jwks_uri="https://auth.example.com/jwks")


            BearerAuthProvider = None  # another binding of the name, untouched
            """,
            fixed="""
            def build_auth():
                from fastmcp.server.auth.providers.jwt import JWTVerifier as BearerAuthProvider

                return BearerAuthProvider(jwks_uri="https://auth.example.com/jwks")


            BearerAuthProvider = None  # another binding of the name, untouched
            """,
            fastmcp_version="2.14.7",
        ),
        Invalid(
            "bearer-module",
            """
            from fastmcp import FastMCP
            from fastmcp.server.auth.providers.bearer import BearerAuthProvider, RSAKeyPair

            key = RSAKeyPair.generate()
            auth = BearerAuthProvider(public_key=key.public_key, audience="my-api")
            mcp = FastMCP("demo", auth=auth)
            """,
            count=2,
            fixed="""
            from fastmcp import FastMCP
            from fastmcp.server.auth.providers.jwt import JWTVerifier, RSAKeyPair

            key = RSAKeyPair.generate()
            auth = JWTVerifier(public_key=key.public_key, audience="my-api")
            mcp = FastMCP("demo", auth=auth)
            """,
        ),
        Invalid(
            "folklore-fastmcp-auth",
            """
            from fastmcp.auth import JWTVerifier, GitHubProvider

            verifier = JWTVerifier(jwks_uri="https://idp/jwks")
            """,
            count=2,
            fixed="""
            from fastmcp.server.auth import JWTVerifier
            from fastmcp.server.auth.providers.github import GitHubProvider

            verifier = JWTVerifier(jwks_uri="https://idp/jwks")
            """,
        ),
        Invalid(
            "fastmcp-auth-bearer-jwtverifier-taken",
            """
            from fastmcp.auth import BearerAuthProvider
            from myproject import JWTVerifier

            auth = BearerAuthProvider(jwks_uri="https://idp/jwks")
            """,
            fixed="""
            from fastmcp.server.auth import JWTVerifier as BearerAuthProvider
            from myproject import JWTVerifier

            auth = BearerAuthProvider(jwks_uri="https://idp/jwks")
            """,
        ),
        Invalid(
            "lazy-attribute-from-auth-package",
            """
            from fastmcp.server.auth import BearerAuthProvider as Bearer

            auth = Bearer(jwks_uri="https://idp/jwks")
            """,
            fastmcp_version="2.14",
            fixed="""
            from fastmcp.server.auth import JWTVerifier as Bearer

            auth = Bearer(jwks_uri="https://idp/jwks")
            """,
        ),
        Invalid(
            "name-missing-in-target-version",
            """
            from fastmcp.auth import MultiAuth, JWTVerifier
            """,
            fastmcp_version="3.0.2",
            count=2,
        ),
        Invalid(
            "seed-submodule-with-package-import",
            """
            import fastmcp
            from fastmcp.auth.providers.github import GitHubProvider
            """,
            fixed="""
            import fastmcp
            from fastmcp.server.auth.providers.github import GitHubProvider
            """,
        ),
        Invalid(
            "unknown-name-and-module-import",
            """
            import fastmcp.auth
            from fastmcp.auth.providers import SessionAuth
            """,
            count=2,
        ),
    ]

    def __init__(self, context: RuleContext) -> None:
        super().__init__(context)
        self.imports: list[tuple[cst.ImportFrom, str]] = []
        self.module_imports: list[tuple[cst.ImportAlias, str]] = []
        self.attributes: list[tuple[cst.Attribute, str]] = []
        # Bookkeeping for renaming BearerAuthProvider: which Name nodes are references.
        self.not_references: set[int] = set()
        self.bindings: set[str] = set()
        self.name_uses: dict[str, list[cst.Name]] = {}
        self.strings: set[str] = set()
        # Dotted module names inside import statements are reported with the import.
        self.in_imports: set[int] = set()
        # Imports inside a function or class bind there only: uses elsewhere are not
        # theirs to rename, so such an import keeps the old name with `as`.
        self.scope_depth = 0
        self.nested_imports: set[int] = set()

    # -- collection ---------------------------------------------------------------

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if self.scope_depth:
            self.nested_imports.add(id(node))
        self.in_imports.update(id(a) for a in all_nodes(node, cst.Attribute))
        if node.relative or node.module is None or isinstance(node.names, cst.ImportStar):
            return
        for alias in node.names:
            self.not_references.update(_names_in(alias))
        module = dotted_name(node.module) or ""
        if (
            _is_seed_module(module)
            or module == BEARER
            or (module == AUTH and any(dotted_name(a.name) in RENAMES for a in node.names))
        ):
            self.imports.append((node, module))
        elif module in ("fastmcp", "fastmcp.server.auth.providers"):
            for alias in node.names:
                full = f"{module}.{dotted_name(alias.name)}"
                if _is_seed_module(full) or full == BEARER:
                    self.module_imports.append((alias, full))

    def visit_Import(self, node: cst.Import) -> None:
        self.in_imports.update(id(a) for a in all_nodes(node, cst.Attribute))
        for alias in node.names:
            self.not_references.update(_names_in(alias))
            module = dotted_name(alias.name) or ""
            if _is_seed_module(module) or module == BEARER:
                self.module_imports.append((alias, module))

    def visit_Attribute(self, node: cst.Attribute) -> None:
        self.not_references.add(id(node.attr))
        if id(node) in self.in_imports:
            return
        qualified = self.context.names.qualified_name(node)
        if qualified is None:
            return
        if (
            qualified in (f"{AUTH}.BearerAuthProvider", f"{BEARER}.BearerAuthProvider")
            or qualified == SEED_AUTH
        ):
            self.attributes.append((node, qualified))

    def visit_Arg(self, node: cst.Arg) -> None:
        if node.keyword is not None:
            self.not_references.add(id(node.keyword))

    def visit_Name(self, node: cst.Name) -> None:
        if node.value in RENAMES or node.value in RENAMES.values():
            self.name_uses.setdefault(node.value, []).append(node)

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        value = node.evaluated_value
        if isinstance(value, str):
            self.strings.add(value)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.bindings.add(node.name.value)
        self.scope_depth += 1

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.scope_depth -= 1

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.bindings.add(node.name.value)
        self.scope_depth += 1

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self.scope_depth -= 1

    def visit_Param(self, node: cst.Param) -> None:
        self.bindings.add(node.name.value)

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        self.bindings.update(_bound_names(node.target))

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self.bindings.update(_bound_names(node.target))

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self.bindings.update(_bound_names(node.target))

    def visit_AsName(self, node: cst.AsName) -> None:
        self.bindings.update(_bound_names(node.name))

    def visit_For(self, node: cst.For) -> None:
        self.bindings.update(_bound_names(node.target))

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        self.bindings.update(_bound_names(node.target))

    # -- reporting ----------------------------------------------------------------

    def leave_Module(self, original_node: cst.Module) -> None:
        target = self.context.target
        bearer_gone = target >= REMOVED
        reported_modules: set[str] = set()
        for node, module in self.imports:
            if not bearer_gone and not _is_seed_module(module):
                continue
            reported_modules.add(module)
            self._report_import(node, module)
        for alias, module in self.module_imports:
            if not bearer_gone and module == BEARER:
                continue
            reported_modules.add(module)
            advice = BEARER_ADVICE if module == BEARER else GENERIC_ADVICE
            self.report(alias, self.message.format(problem=_problem(module), advice=advice))
        for attribute, qualified in self.attributes:
            if qualified == SEED_AUTH and SEED_AUTH not in reported_modules:
                message = self.message.format(problem=_problem(SEED_AUTH), advice=GENERIC_ADVICE)
                self.report(attribute, message)
            elif bearer_gone and qualified.endswith("BearerAuthProvider"):
                module = qualified.rpartition(".")[0]
                if module in reported_modules:
                    continue
                fix = None
                if module == AUTH:
                    replacement = attribute.with_changes(attr=cst.Name("JWTVerifier"))
                    fix = Fix("Use `JWTVerifier`", replacements=((attribute, replacement),))
                problem = "`BearerAuthProvider` was removed in FastMCP 2.14 (`AttributeError`)"
                message = self.message.format(problem=problem, advice=BEARER_ADVICE)
                self.report(attribute, message, fix=fix)

    def _report_import(self, node: cst.ImportFrom, module: str) -> None:
        assert not isinstance(node.names, cst.ImportStar)
        targets: list[_Target | None] = []
        flagged: list[cst.ImportAlias] = []
        for alias in node.names:
            name = dotted_name(alias.name) or ""
            if module == AUTH and name not in RENAMES:
                targets.append(_Target(alias, AUTH, name))
                continue
            flagged.append(alias)
            targets.append(self._target(alias, name, module))
        fix = self._fix(node, targets)
        for alias in flagged:
            name = dotted_name(alias.name) or ""
            found = next((t for t in targets if t is not None and t.alias is alias), None)
            real_name = found.name if found else RENAMES.get(name, name)
            if found is not None:
                advice = f"import `{real_name}` from `{found.module}`"
            elif real_name in LOCATIONS:
                where, since = LOCATIONS[real_name]
                advice = (
                    f"`{real_name}` is importable from `{where}` only from FastMCP {since} "
                    f"(verified), not in {self.context.target}"
                )
            else:
                advice = GENERIC_ADVICE
            if name in RENAMES:
                advice += f" (`{name}` was an alias of `{real_name}`, same arguments)"
            message = self.message.format(problem=_problem(module, name), advice=advice)
            self.report(alias, message, fix=fix)

    def _target(self, alias: cst.ImportAlias, name: str, module: str) -> _Target | None:
        real = RENAMES.get(name, name)
        if module == BEARER:
            # The bearer module re-exported JWTVerifier and the jwt helpers.
            real_module = JWT
        elif real in LOCATIONS:
            real_module = LOCATIONS[real][0]
        else:
            return None
        since = LOCATIONS[real][1] if real in LOCATIONS else Version(OLDEST)
        if self.context.target < since or real not in {*LOCATIONS, "JWTVerifier"}:
            return None
        return _Target(alias, real_module, real)

    def _fix(self, node: cst.ImportFrom, targets: list[_Target | None]) -> Fix | None:
        resolved = [t for t in targets if t is not None]
        if len(resolved) != len(targets) or not resolved:
            return None
        replacements: list[tuple[cst.CSTNode, cst.CSTNode]] = []
        groups: dict[str, list[cst.ImportAlias]] = {}
        for target in resolved:
            alias = target.alias
            original = dotted_name(alias.name) or ""
            if original != target.name:
                nested = id(node) in self.nested_imports
                alias, renames = self._rename(alias, original, target.name, nested=nested)
                replacements.extend(renames)
            groups.setdefault(target.module, []).append(alias)
        (first_module, first_aliases), *rest = groups.items()
        module_node = cst.parse_expression(first_module)
        assert isinstance(module_node, cst.Attribute)
        aliases = [a.with_changes(comma=cst.MaybeSentinel.DEFAULT) for a in first_aliases]
        replacements.insert(0, (node, node.with_changes(module=module_node, names=aliases)))
        imports = tuple(
            ImportSpec(module, dotted_name(alias.name), _asname(alias))
            for module, group in rest
            for alias in group
        )
        return Fix(
            self.fix_title or "",
            replacements=tuple(replacements),
            add_imports=imports,
        )

    def _rename(
        self, alias: cst.ImportAlias, old: str, new: str, *, nested: bool
    ) -> tuple[cst.ImportAlias, list[tuple[cst.CSTNode, cst.CSTNode]]]:
        """Import ``new`` instead of ``old``; rename uses of ``old`` when that is clean."""
        if alias.asname is not None:
            return alias.with_changes(name=cst.Name(new)), []
        names = self.context.names
        taken = (
            nested
            or new in self.bindings
            or new in names.aliases
            or old in self.bindings
            or old in self.strings
        )
        if taken:
            asname = cst.AsName(name=cst.Name(old))
            return alias.with_changes(name=cst.Name(new), asname=asname), []
        uses = [name for name in self.name_uses.get(old, []) if id(name) not in self.not_references]
        return alias.with_changes(name=cst.Name(new)), [(use, cst.Name(new)) for use in uses]


def _is_seed_module(module: str) -> bool:
    return module == SEED_AUTH or module.startswith(SEED_AUTH + ".")


def _problem(module: str, name: str | None = None) -> str:
    if _is_seed_module(module):
        return f"`{module}` does not exist in any FastMCP release (`ModuleNotFoundError`)"
    if module == BEARER:
        return f"`{BEARER}` was removed in FastMCP 2.14 (`ModuleNotFoundError`)"
    return f"`{name}` was removed from `{module}` in FastMCP 2.14 (`ImportError`)"


def _asname(alias: cst.ImportAlias) -> str | None:
    if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
        return alias.asname.name.value
    return None


def _names_in(alias: cst.ImportAlias) -> set[int]:
    found: set[int] = set()

    class Collect(cst.CSTVisitor):
        def visit_Name(self, node: cst.Name) -> None:
            found.add(id(node))

    walk(alias, Collect())
    return found


def _bound_names(target: cst.BaseExpression) -> set[str]:
    if isinstance(target, cst.Name):
        return {target.value}
    if isinstance(target, (cst.Tuple, cst.List)):
        return {n for element in target.elements for n in _bound_names(element.value)}
    if isinstance(target, cst.StarredElement):
        return _bound_names(target.value)
    return set()
