"""Project scaffolding for ``fkit new``: bundled copier templates, rendered all or
nothing. copier and jinja2 are imported only while rendering."""

from __future__ import annotations

from fastmcp_kit.scaffold.catalog import DEFAULT_TEMPLATE, TEMPLATES, check_template
from fastmcp_kit.scaffold.render import NewProject, create_project

__all__ = ["DEFAULT_TEMPLATE", "TEMPLATES", "NewProject", "check_template", "create_project"]
