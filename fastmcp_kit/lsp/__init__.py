"""``fkit server``: a language server over stdio, a thin adapter over ``fkit lint``.

Each open document is linted from its in-memory text exactly as
``fkit lint - --stdin-filename PATH`` lints it (:func:`fastmcp_kit.lint.session.run_lint`),
so the editor sees the settings, versions, project rules and fixes of the command
line. Modules: :mod:`.positions` (LSP coordinates), :mod:`.documents` (the lint
call), :mod:`.diagnostics`, :mod:`.actions`, :mod:`.hover` and :mod:`.server` (the
pygls wiring). Only :mod:`.server` and the modules it imports need pygls, an optional
dependency (``pip install 'fastmcp-fkit[server]'``).
"""
