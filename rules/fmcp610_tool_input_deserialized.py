from __future__ import annotations

import libcst as cst

from fastmcp_kit.lint.rule import Invalid, Valid
from fastmcp_kit.lint.taint_rule import Finding, Sink, TaintRule
from fastmcp_kit.lint.violation import Severity

# Loaders that build arbitrary objects (and so run code) from their input.
UNSAFE_LOADERS = frozenset(
    {
        "pickle.loads",
        "pickle.load",
        "pickle.Unpickler",
        "_pickle.loads",
        "dill.loads",
        "dill.load",
        "cloudpickle.loads",
        "cloudpickle.load",
        "marshal.loads",
        "jsonpickle.decode",
        "pandas.read_pickle",
        "yaml.unsafe_load",
        "yaml.unsafe_load_all",
    }
)
# yaml.load/load_all are safe only with one of these loaders.
YAML_LOADS = frozenset({"yaml.load", "yaml.load_all"})
SAFE_YAML_LOADERS = frozenset({"SafeLoader", "CSafeLoader", "BaseLoader", "CBaseLoader"})


class ToolInputDeserialized(TaintRule):
    """A tool, resource template or prompt argument deserialized with a loader that runs code.

    ## What it does
    In a component function, flags a client value (or a file path or bytes derived from
    it) reaching `pickle.loads/load`, `pickle.Unpickler`, `dill`, `cloudpickle`,
    `marshal.loads`, `jsonpickle.decode`, `pandas.read_pickle`, `yaml.unsafe_load` or
    `yaml.load`/`load_all` without `Loader=yaml.SafeLoader` (or `CSafeLoader`,
    `BaseLoader`), in the component or in a function of the same module it passes the
    value to.

    Sanitizers: a safe loader (`json.loads`, `yaml.safe_load`, `yaml.load(x,
    Loader=yaml.SafeLoader)`); an allow-list test that leaves the function; a validator
    called as a statement; `Literal`/`Enum` parameter types and `Field(pattern=...)`.

    ## Why is this bad?
    Unpickling runs whatever the data says (`__reduce__` returns a callable and its
    arguments), and so does `yaml.load` with the default or full loader on older PyYAML
    (`!!python/object/apply:os.system`). A value the model chooses, and so any text in
    front of it, becomes code running in the server. Use JSON or `yaml.safe_load`.

    ## Fix safety
    No automatic fix: a safe format may not carry the same objects.
    """

    code = "FMCP610"
    severity = Severity.ERROR
    message = (
        "`{param}` comes from the MCP client and reaches `{sink}`, which runs code the "
        "data describes: use JSON or `yaml.safe_load`."
    )
    references = ("https://docs.python.org/3/library/pickle.html",)

    needles = ("pickle", "marshal", "yaml", "read_pickle")

    VALID = [
        Valid(
            "safe-loaders",
            """
            import json

            import yaml

            from fastmcp import FastMCP

            mcp = FastMCP("config")

            @mcp.tool
            def parse(text: str, raw: str) -> dict:
                data = yaml.safe_load(text)
                data.update(yaml.load(raw, Loader=yaml.SafeLoader))
                data.update(json.loads(raw))
                return data
            """,
        ),
    ]
    INVALID = [
        Invalid(
            "pickle-and-yaml",
            """
            import base64
            import pickle

            import yaml

            from fastmcp import FastMCP

            mcp = FastMCP("state")

            @mcp.tool
            def restore(blob: str, config: str) -> str:
                state = pickle.loads(base64.b64decode(blob))
                settings = yaml.load(config, Loader=yaml.Loader)
                return str((state, settings))
            """,
            count=2,
            says="comes from the MCP client",
        ),
    ]

    def sink(self, call: cst.Call) -> Sink | None:
        qualified = self.context.names.qualified_name(call.func)
        if not call.args or call.args[0].keyword is not None:
            return None
        if qualified in UNSAFE_LOADERS:
            return Sink(qualified, call.args[0].value)
        if qualified in YAML_LOADS and not self._safe_loader(call):
            return Sink(qualified, call.args[0].value)
        return None

    def _safe_loader(self, call: cst.Call) -> bool:
        positional = [a for a in call.args if a.keyword is None]
        loader = next((a for a in call.args if a.keyword and a.keyword.value == "Loader"), None)
        if loader is None and len(positional) > 1:
            loader = positional[1]
        if loader is None:
            return False
        name = self.context.names.qualified_name(loader.value) or ""
        return name.rpartition(".")[2] in SAFE_YAML_LOADERS

    def describe(self, finding: Finding) -> str:
        return self.message.format(param=finding.param, sink=self.sink_label(finding))
