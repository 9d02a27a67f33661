"""FastMCP's OAuth proxy and the providers built on it (rules FMCP601 to FMCP605).

Read from the installed releases with ``inspect`` (2.13.3, 2.14.7, 3.0.2, 3.4.10,
4.0.0, 4.1.2) and, for 3.1/3.2, from the repository's release tags:

* ``OAuthProxy`` (2.12+) takes keyword-only arguments; ``token_verifier`` and
  ``base_url`` are always required, ``upstream_client_secret`` until 3.1 (optional
  from 3.2.0). ``jwt_signing_key`` and ``require_authorization_consent`` (default
  True) arrived in 2.13.0. No constructor accepts ``**kwargs``.
* The classes below subclass ``OAuthProxy`` and accept the same consent and
  signing-key arguments; their secret is ``client_secret``, optional from 3.2.0 for
  OIDCProxy, Azure, Google (and Clerk, Hugging Face, which are newer). With neither a
  secret nor ``jwt_signing_key`` they raise ``ValueError: jwt_signing_key is required
  when upstream_client_secret is not provided``.
* Other classes under ``fastmcp.server.auth`` (token verifiers, ``RemoteAuthProvider``
  based providers such as Descope, Supabase, AuthKit, Scalekit, Keycloak) are not
  OAuth proxies: they take neither argument.
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst
from packaging.specifiers import SpecifierSet
from packaging.version import Version

from fastmcp_kit.lint.names import ModuleNames

AUTH_PACKAGE = "fastmcp.server.auth"
PROVIDERS = f"{AUTH_PACKAGE}.providers"


@dataclass(frozen=True)
class ProxyClass:
    """A class built on ``OAuthProxy``."""

    name: str
    paths: tuple[str, ...]
    secret: str  # the keyword of its upstream client secret
    # Releases where the secret may be omitted (then jwt_signing_key is required);
    # None: always required (2.x providers could also read it from the environment).
    optional_secret: str | None = ">=3.2"

    def secret_optional(self, version: Version) -> bool:
        if self.optional_secret is None:
            return False
        return SpecifierSet(self.optional_secret).contains(version, prereleases=True)


def _provider(module: str, name: str, optional_secret: str | None = None) -> ProxyClass:
    return ProxyClass(name, (f"{PROVIDERS}.{module}.{name}",), "client_secret", optional_secret)


OAUTH_PROXY = ProxyClass(
    "OAuthProxy",
    (
        f"{AUTH_PACKAGE}.OAuthProxy",
        f"{AUTH_PACKAGE}.oauth_proxy.OAuthProxy",
        f"{AUTH_PACKAGE}.oauth_proxy.proxy.OAuthProxy",
    ),
    "upstream_client_secret",
)
PROXY_CLASSES: tuple[ProxyClass, ...] = (
    OAUTH_PROXY,
    ProxyClass(
        "OIDCProxy",
        (f"{AUTH_PACKAGE}.OIDCProxy", f"{AUTH_PACKAGE}.oidc_proxy.OIDCProxy"),
        "client_secret",
    ),
    _provider("auth0", "Auth0Provider"),
    _provider("aws", "AWSCognitoProvider"),
    _provider("azure", "AzureProvider", ">=3.2"),
    _provider("clerk", "ClerkProvider", ">=3.2"),
    _provider("discord", "DiscordProvider"),
    _provider("github", "GitHubProvider"),
    _provider("google", "GoogleProvider", ">=3.2"),
    _provider("huggingface", "HuggingFaceProvider", ">=3.2"),
    _provider("oci", "OCIProvider"),
    _provider("workos", "WorkOSProvider"),
)
BY_PATH: dict[str, ProxyClass] = {path: c for c in PROXY_CLASSES for path in c.paths}


def proxy_class(names: ModuleNames, func: cst.BaseExpression) -> ProxyClass | None:
    """The OAuthProxy-based class a call's callee names, if it is one."""
    qualified = names.qualified_name(func)
    return BY_PATH.get(qualified) if qualified is not None else None


def fastmcp_auth_class(names: ModuleNames, func: cst.BaseExpression) -> str | None:
    """The qualified name of a callee under ``fastmcp.server.auth``, if it is one."""
    qualified = names.qualified_name(func)
    if qualified is not None and qualified.startswith(AUTH_PACKAGE + "."):
        return qualified
    return None


def keyword(call: cst.Call, name: str) -> cst.Arg | None:
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == name:
            return arg
    return None


def has_splat(call: cst.Call) -> bool:
    return any(arg.star for arg in call.args)


def is_none(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.Name) and node.value == "None"
