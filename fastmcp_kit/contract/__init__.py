"""``fkit contract``: a server's public MCP contract, dumped and compared.

A contract is the canonical JSON of what a client sees (tools with their input and
output schemas and annotations, resources, resource templates, prompts, the server's
capabilities). :mod:`.compare` classifies every change between two contracts with
one rule per change class (:mod:`.rules`), in the manner of oasdiff's catalogue.
"""
