"""Running the user's server for real: find it as the FastMCP CLI does, pick the
project's own Python, and ask a probe script in that Python what the server exposes.

Nothing here imports fastmcp: the server is loaded in a subprocess of the project's
interpreter (:mod:`fastmcp_kit.runtime.probe`), never inside fkit's process.
"""
