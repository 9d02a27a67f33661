"""``fkit doctor``: run the server for real and judge what it exposes.

The server runs in the project's own Python (:mod:`fastmcp_kit.runtime`); this
package turns the probe's answer into findings (:mod:`.codes` lists them all) that
``fkit lint``'s reporters print.
"""
