"""``fkit upgrade``: deterministic codemods that carry a FastMCP server from 2.x to 2.14,
3.x and 4.x.

The upgrade steps one release line at a time (<=2.13 -> 2.14 -> 3 -> 4). Each step is an
explicit, ordered list of codemods (:mod:`fastmcp_kit.upgrade.steps`); each codemod is one
module under ``codemods/`` carrying its id, its documentation and BEFORE/AFTER examples
that the test suite runs. What a codemod cannot change safely it reports as a finding
(through the lint reporters), or, with ``--add-todos``, as a ``# TODO(fkit): ...``
comment at the place.

This package imports libcst; the CLI imports it lazily so ``fkit --help`` stays fast.
"""

from __future__ import annotations
