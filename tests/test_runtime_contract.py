"""dump_contract: the server loaded in a subprocess of a Python with fastmcp (this
test run's own, whose fastmcp comes from the test extra), never in fkit's process."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from fastmcp_kit.errors import FkitError
from fastmcp_kit.runtime.contract import contract_json, dump_contract

SERVER = '''\
from fastmcp import FastMCP

mcp = FastMCP("shop")
print("servers print things; the contract must not care")


@mcp.tool
def zeta(item: str, count: int = 1) -> str:
    """Order an item."""
    return item * count


@mcp.tool(annotations={"readOnlyHint": True})
def alpha() -> list[str]:
    return []


@mcp.resource("data://b")
def b() -> str:
    return "b"


@mcp.resource("data://a")
def a() -> str:
    return "a"


@mcp.resource("data://{sku}/price")
def price(sku: str) -> str:
    return "1"


@mcp.prompt
def pitch(product: str, tone: str = "warm") -> str:
    return product
'''


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("contract")
    (root / "shop.py").write_text(SERVER)
    return root


def test_contract_is_canonical_wire_form(project: Path) -> None:
    contract = dump_contract(project, server="shop.py", python=Path(sys.executable), timeout=120)
    assert contract["fkit_contract"] == 1
    assert contract["server"]["name"] == "shop"
    assert "tools" in contract["server"]["capabilities"]
    assert [tool["name"] for tool in contract["tools"]] == ["alpha", "zeta"]
    assert [r["uri"] for r in contract["resources"]] == ["data://a", "data://b"]
    assert [t["uriTemplate"] for t in contract["resourceTemplates"]] == ["data://{sku}/price"]
    zeta = contract["tools"][1]
    assert zeta["inputSchema"]["required"] == ["item"]
    assert zeta["description"] == "Order an item."
    assert contract["tools"][0]["annotations"]["readOnlyHint"] is True
    (pitch,) = contract["prompts"]
    assert pitch["arguments"] == [
        {"name": "product", "required": True},
        {"name": "tone", "required": False},
    ]
    text = contract_json(contract)
    assert "_meta" not in text and '"meta"' not in text
    assert text.startswith('{\n  "fkit_contract": 1,')


def test_contract_of_a_server_that_does_not_load(project: Path) -> None:
    (project / "broken.py").write_text("import not_a_module_anywhere\n")
    with pytest.raises(FkitError, match="did not load: ModuleNotFoundError"):
        dump_contract(project, server="broken.py", python=Path(sys.executable), timeout=120)


def test_interpreter_without_fastmcp(project: Path, tmp_path: Path) -> None:
    import venv

    bare = tmp_path / "bare"
    venv.create(bare, with_pip=False)
    with pytest.raises(FkitError, match="has no fastmcp installed"):
        dump_contract(project, server="shop.py", python=bare, timeout=120)
