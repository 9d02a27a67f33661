"""fkit (distribution fastmcp-fkit): lint, scaffold and upgrade FastMCP servers."""

from __future__ import annotations

from pathlib import Path

__version__ = "0.1.0"

# rules/ and templates/ sit beside this folder in a source checkout and are mapped
# into the package when installed (see pyproject.toml). Code run from the checkout's
# root (`python -m pytest`, `python -m fastmcp_kit`) finds this folder on sys.path
# before any installed mapping, so let the two subpackages resolve there too.
_checkout = Path(__file__).resolve().parent.parent
if (
    not (Path(__file__).parent / "rules").is_dir()
    and (_checkout / "rules" / "__init__.py").is_file()
):
    __path__.append(str(_checkout))
