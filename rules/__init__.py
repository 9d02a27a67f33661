"""fkit's rules: one module per rule, named ``fmcpNNN_<slug>.py``.

Each module defines exactly one :class:`fastmcp_kit.lint.rule.Rule` subclass that
carries its own code, documentation and examples. The registry discovers them.
"""
