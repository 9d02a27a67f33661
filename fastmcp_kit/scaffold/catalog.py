"""The bundled project templates: their names, where they live, their questions.

Each template is a plain copier template, one folder per template under
``fastmcp_kit.templates`` (the repository's ``templates/``), found through
``importlib.resources`` so it works from a wheel, an editable install or a zip.
"""

from __future__ import annotations

import contextlib
import importlib
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

from fastmcp_kit.errors import FkitError

# Kept in step with the folders by a test; the order is the order of `fkit new --help`.
TEMPLATES: dict[str, str] = {
    "basic": "tools, a resource, a resource template and a prompt",
    "storage": "encrypted file or Redis storage for sessions and the response cache",
    "oauth": "an HTTP server behind GitHub OAuth or JWT verification",
    "composition": "a gateway mounting namespaced sub-servers and a proxied one",
}
DEFAULT_TEMPLATE = "basic"

# Where `copier update` finds the templates: this repository, whose root copier.yml
# picks templates/<fkit_template>/, at the release tag recorded as `_commit`. A test
# keeps it equal to the Homepage in pyproject.toml.
TEMPLATE_REPOSITORY = "https://github.com/fastmcp-kit/fastmcp-kit.git"


def check_template(name: str) -> str:
    """Return ``name`` if it is a bundled template, else raise FkitError."""
    if name not in TEMPLATES:
        raise FkitError(f"unknown template {name!r} (choose from: {', '.join(TEMPLATES)})")
    return name


@contextlib.contextmanager
def template_path(name: str) -> Iterator[Path]:
    """A real folder holding template ``name`` for as long as the context lasts
    (extracted to a temporary folder when the package is not on disk)."""
    root = resources.files("fastmcp_kit.templates").joinpath(check_template(name))
    with resources.as_file(root) as path:
        yield path


def modules(template: Path) -> frozenset[str]:
    """The modules a template puts next to ``server.py`` in the project's package."""
    package = template / "src" / "{{package_name}}"
    return frozenset(
        path.name.removesuffix(".jinja").removesuffix(".py")
        for path in package.glob("*.py*")
        if path.name.removesuffix(".jinja") != "__init__.py"
    )


def questions(template: Path) -> dict[str, dict[str, Any]]:
    """The user-facing questions of a template (``copier.yml`` minus settings and
    fkit's own variables), by name."""
    config = load_yaml((template / "copier.yml").read_text(encoding="utf-8"))
    if not isinstance(config, dict):
        return {}
    found = {
        str(key): value if isinstance(value, dict) else {"default": value}
        for key, value in config.items()
        if not str(key).startswith("_")
    }
    # `when: false` marks values the template or fkit fixes; they are not questions.
    return {key: spec for key, spec in found.items() if spec.get("when") is not False}


def load_yaml(text: str) -> object:
    """Parse YAML with PyYAML (copier's own dependency), imported only when needed."""
    # Through import_module: PyYAML ships no type stubs and fkit adds none.
    yaml = importlib.import_module("yaml")
    loaded: object = yaml.safe_load(text)
    return loaded
