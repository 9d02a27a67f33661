"""Errors that mean "print this one line and exit 2"."""

from __future__ import annotations


class FkitError(Exception):
    """A user-facing error: bad input, bad configuration, a missing path.

    The CLI prints ``fkit: error: <message>`` on stderr and exits with status 2,
    never a traceback.
    """
