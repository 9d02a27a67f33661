"""Every codemod's BEFORE/AFTER examples, run through the codemod alone: the result is
the AFTER code, the expected findings are reported, and a second run changes nothing."""

from __future__ import annotations

import textwrap
from pathlib import Path

import libcst as cst
import pytest
from packaging.version import Version

from fastmcp_kit.lint.imports import module_name
from fastmcp_kit.upgrade.codemod import Codemod, Example, TextCodemod, UpgradeFacts
from fastmcp_kit.upgrade.facts import env_names_in, task_servers
from fastmcp_kit.upgrade.function_uses import function_uses
from fastmcp_kit.upgrade.runner import FileUpgrade, upgrade_python, upgrade_text
from fastmcp_kit.upgrade.steps import STEPS, all_codemods

CASES = [
    pytest.param(codemod, example, id=f"{codemod.ID}-{example.slug}")
    for codemod in all_codemods().values()
    for example in codemod.EXAMPLES
]


def _facts(
    codemod: type[Codemod] | type[TextCodemod], example: Example, root: Path
) -> UpgradeFacts:
    default = {"2.14": "2.13.3", "3": "2.14.7", "4": "3.4.10"}[_first_step(codemod)]
    return UpgradeFacts(
        root=root,
        from_version=Version(example.from_version or default),
        module_name=module_name(example.filename),
        env_names=env_names_in(root),
        # What the session computes over the project: the example and its other files.
        task_servers=frozenset(
            server
            for name, text in {**example.files, example.filename: example.source}.items()
            if name.endswith(".py")
            for server in task_servers(cst.parse_module(textwrap.dedent(text)), module_name(name))
        ),
        final_step=example.to,
        function_uses=function_uses(
            {
                name: textwrap.dedent(text).lstrip("\n")
                for name, text in {**example.files, example.filename: example.source}.items()
                if name.endswith(".py")
            }
        ),
    )


def _first_step(codemod: type[Codemod] | type[TextCodemod]) -> str:
    return next(step.name for step in STEPS if codemod in step.codemods)


def run_example(
    codemod: type[Codemod] | type[TextCodemod], example: Example, root: Path, source: str
) -> FileUpgrade:
    for name, content in example.files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(content, encoding="utf-8")
    facts = _facts(codemod, example, root)
    if issubclass(codemod, Codemod):
        return upgrade_python(source, [codemod], facts, filename=example.filename)
    return upgrade_text(source, root / example.filename, [codemod], facts, example.filename)


@pytest.mark.parametrize(("codemod", "example"), CASES)
def test_example(
    codemod: type[Codemod] | type[TextCodemod], example: Example, tmp_path: Path
) -> None:
    result = run_example(codemod, example, tmp_path, example.source)
    assert result.after == example.expected
    messages = [f.message for f in result.findings]
    for expected, message in zip(example.findings, messages, strict=False):
        assert expected in message, messages
    assert len(messages) == len(example.findings), messages
    again = run_example(codemod, example, tmp_path, result.after)
    assert again.after == result.after, "a second run must change nothing"
