"""The docstring parameter sections FMCP231 reads."""

from __future__ import annotations

import pytest

from fastmcp_kit.lint.docstring_params import documented_parameters

GOOGLE = """Add.

Args:
    x (int): First.
        Continued on an indented line.
    *rest: Others.

Returns:
    total: not a parameter.
"""

NUMPY = """Add.

Parameters
----------
x : int
    First.
y, z
    The rest.

Returns
-------
total : int
    Not a parameter.
"""

SPHINX = """Add.

:param x: First.
:param int y: Second.
:returns: the sum.
"""


@pytest.mark.parametrize(
    ("docstring", "expected"),
    [
        pytest.param(GOOGLE, {"x", "rest"}, id="google"),
        pytest.param(NUMPY, {"x", "y", "z"}, id="numpy"),
        pytest.param(SPHINX, {"x", "y"}, id="sphinx"),
        pytest.param("Add x and y.\n\nNote:\n    x: is prose.", None, id="prose"),
        pytest.param("Add.\n\nArgs:\n", set(), id="empty-section"),
    ],
)
def test_documented_parameters(docstring: str, expected: set[str] | None) -> None:
    assert documented_parameters(docstring) == expected
