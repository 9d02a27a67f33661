"""One module per codemod, grouped by the step that introduces it (``v2_14``, ``v3``,
``v4``); :mod:`fastmcp_kit.upgrade.steps` lists them in the order they run."""
