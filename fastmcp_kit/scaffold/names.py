"""Checks on what the user hands ``fkit new``: names, the destination, ``--data``.

Every check raises :class:`~fastmcp_kit.errors.FkitError` with one line that says
what is wrong and how to fix it, and every check runs before anything is written.
"""

from __future__ import annotations

import keyword
import re
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from fastmcp_kit.errors import FkitError

# PEP 508 / core metadata "Name": letters, digits, ".", "_", "-", starting and
# ending with a letter or digit. Anything else (a slash, "..", a space) can never be
# published and could also be read as a path, so it is refused outright.
_DISTRIBUTION_NAME = re.compile(r"^([A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9._-]*[A-Za-z0-9])$")
# Lower case only: PEP 8 package names, and no surprises on case-insensitive disks.
_PACKAGE_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")
# Import names a generated `src/<package>` must not take: it would shadow the real
# module for every import in the project (and its tests).
_SHADOWED = frozenset(
    {
        "fastmcp",
        "mcp",
        "mcp_types",
        "pydantic",
        "starlette",
        "uvicorn",
        "key_value",
        "tests",
        "test",
        "src",
    }
)


def check_project_name(name: str) -> str:
    """Return ``name`` if it is a valid distribution name, else raise FkitError."""
    if not _DISTRIBUTION_NAME.match(name):
        raise FkitError(
            f"project name {name!r} is not a valid Python distribution name "
            "(letters, digits, '.', '_' and '-', starting and ending with a letter or digit); "
            "pass --data project_name=NAME"
        )
    return name


def package_name_for(project_name: str) -> str:
    """The import name derived from a distribution name: PEP 503-normalised, with
    ``-`` turned into ``_`` (``Weather.Server`` -> ``weather_server``)."""
    return re.sub(r"[-_.]+", "_", project_name).lower()


def check_package_name(name: str, template_modules: frozenset[str] = frozenset()) -> str:
    """Return ``name`` if it can be the project's import package, else raise FkitError.

    ``template_modules``: the modules the template puts inside the package. `fastmcp
    run` puts the server file's folder first on ``sys.path``, so a package named like
    one of them (``storage`` with its ``storage.py``) imports that module instead of
    itself, and the server fails to load."""
    if not _PACKAGE_NAME.match(name) or keyword.iskeyword(name):
        raise FkitError(
            f"package name {name!r} is not a valid lower-case Python identifier; "
            "pass --data package_name=NAME"
        )
    if name in _SHADOWED or name in sys.stdlib_module_names:
        raise FkitError(
            f"package name {name!r} would shadow the module of the same name; "
            "pass --data package_name=NAME"
        )
    if name in template_modules:
        raise FkitError(
            f"package name {name!r} is also the name of the template's module {name}.py, "
            "which `fastmcp run` would import in its place; pass --data package_name=NAME"
        )
    return name


def check_description(text: str) -> str:
    """Return ``text`` if it can go inside the generated code's string literals."""
    # The templates put it in Python and TOML strings as is; rather than escape it
    # into something unreadable, refuse the few characters that would need it.
    if any(c in text for c in '"\\') or not text.isprintable():
        raise FkitError(
            f"description {text!r} must be one line without double quotes or backslashes"
        )
    return text


def check_destination(dest: Path) -> None:
    """Refuse a destination that exists and is not an empty folder.

    ``fkit new`` never overwrites work: an existing file, or a folder with anything
    in it (hidden files included), is left exactly as it is.
    """
    if dest.is_symlink() and not dest.exists():
        raise FkitError(f"destination {str(dest)!r} is a broken symbolic link; nothing was written")
    if not dest.exists():
        return
    if not dest.is_dir():
        raise FkitError(
            f"destination {str(dest)!r} exists and is not a folder; nothing was written"
        )
    if any(dest.iterdir()):
        raise FkitError(
            f"destination {str(dest)!r} already exists and is not empty; "
            "nothing was written (choose a new folder)"
        )


def parse_data(items: Iterable[str], questions: Mapping[str, Mapping[str, Any]]) -> dict[str, str]:
    """``["k=v", ...]`` -> ``{"k": "v"}`` for the template's own questions.

    An unknown key is refused rather than ignored: a typo (``--data pakage_name=x``)
    would otherwise silently render the default. So is a value outside a question's
    choices.
    """
    data: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        key = key.strip()
        if not sep or not key:
            raise FkitError(f"--data expects KEY=VALUE, got {item!r}")
        if key not in questions:
            raise FkitError(
                f"--data: unknown question {key!r} for this template "
                f"(known: {', '.join(sorted(questions))})"
            )
        choices = questions[key].get("choices")
        if choices is not None:
            # copier accepts a list of values or a mapping of label -> value.
            values = [str(v) for v in (choices.values() if isinstance(choices, dict) else choices)]
            if value not in values:
                raise FkitError(f"--data: {key} must be one of {', '.join(values)}, not {value!r}")
        data[key] = value
    return data
