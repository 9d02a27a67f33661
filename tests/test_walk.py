"""The read-only walkers must see exactly what libcst's own traversal sees, in the
same order, on real code: rules depend on visit order (scopes opened in visit_*,
closed in leave_*)."""

from __future__ import annotations

from pathlib import Path

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper

from fastmcp_kit.lint.walk import walk, walk_batched

REPO = Path(__file__).resolve().parents[1]


def _sample_files() -> list[Path]:
    """Our own code, and every fourth module of the installed fastmcp if present."""
    files = sorted((REPO / "fastmcp_kit").rglob("*.py")) + sorted((REPO / "rules").glob("*.py"))
    files += sorted((REPO / "tests" / "fixtures").rglob("*.py"))
    try:
        import fastmcp

        files += sorted(Path(fastmcp.__file__).parent.rglob("*.py"))[::4]
    except ImportError:
        pass
    return files


SAMPLE = _sample_files()
# Everything a rule could ask for, including comments and operators.
NODE_TYPES = sorted(
    name
    for name, value in vars(cst).items()
    if isinstance(value, type) and issubclass(value, cst.CSTNode) and not name.startswith("Base")
)


class _Recorder(cst.CSTVisitor):
    def __init__(self, prune: str | None = None) -> None:
        self.events: list[tuple[str, str, int]] = []
        self.prune = prune

    def on_visit(self, node: cst.CSTNode) -> bool:
        self.events.append(("visit", type(node).__name__, id(node)))
        return type(node).__name__ != self.prune

    def on_leave(self, original_node: cst.CSTNode) -> None:
        self.events.append(("leave", type(original_node).__name__, id(original_node)))


class _NamedRecorder(cst.CSTVisitor):
    """Only visit_/leave_ methods for statements and names: tokens are skipped."""

    def __init__(self) -> None:
        self.events: list[tuple[str, int]] = []

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        self.events.append(("def", id(node)))
        return not node.name.value.startswith("_")

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.events.append(("end", id(original_node)))

    def visit_Name(self, node: cst.Name) -> None:
        self.events.append(("name", id(node)))


def _batched_recorder(events: list[tuple[str, str, int]]) -> cst.BatchableCSTVisitor:
    class Batched(cst.BatchableCSTVisitor):
        def get_visitors(self):  # type: ignore[no-untyped-def]
            def make(kind: str, name: str):  # type: ignore[no-untyped-def]
                return lambda node: events.append((kind, name, id(node)))

            visitors = {f"visit_{name}": make("visit", name) for name in NODE_TYPES}
            visitors.update({f"leave_{name}": make("leave", name) for name in NODE_TYPES})
            return visitors

    return Batched()


@pytest.mark.parametrize("path", SAMPLE, ids=lambda p: p.name)
def test_walk_visits_like_libcst(path: Path) -> None:
    module = cst.parse_module(path.read_text(encoding="utf-8"))
    for prune in (None, "FunctionDef", "Call"):
        expected, actual = _Recorder(prune), _Recorder(prune)
        module.visit(expected)
        walk(module, actual)
        assert actual.events == expected.events

    expected_named, actual_named = _NamedRecorder(), _NamedRecorder()
    module.visit(expected_named)
    walk(module, actual_named)
    assert actual_named.events == expected_named.events


@pytest.mark.parametrize("path", SAMPLE[::3], ids=lambda p: p.name)
def test_walk_batched_visits_like_visit_batched(path: Path) -> None:
    module = cst.parse_module(path.read_text(encoding="utf-8"))
    expected: list[tuple[str, str, int]] = []
    actual: list[tuple[str, str, int]] = []
    MetadataWrapper(module, unsafe_skip_copy=True).visit_batched([_batched_recorder(expected)])
    walk_batched(module, [_batched_recorder(actual)])
    assert actual == expected
    assert len(actual) > 0


def test_the_sample_covers_real_code() -> None:
    assert len(SAMPLE) > 100
    # The checkout's source, read as files: the same whether fkit runs from it or a wheel.
    assert REPO / "fastmcp_kit" / "lint" / "walk.py" in SAMPLE


@pytest.mark.parametrize("path", SAMPLE[::5], ids=lambda p: p.name)
def test_engine_positions_equal_position_provider(path: Path) -> None:
    from libcst.metadata import PositionProvider

    from fastmcp_kit.lint.engine import _Positions

    module = cst.parse_module(path.read_text(encoding="utf-8"))
    expected = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    positions = _Positions(module)
    assert all(positions[node] == span for node, span in expected.items())


@pytest.mark.parametrize("path", SAMPLE[::7], ids=lambda p: p.name)
def test_collecting_nodes_skips_tokens_only_when_the_kind_is_not_one(path: Path) -> None:
    from fastmcp_kit.lint.body_walk import all_nodes

    module = cst.parse_module(path.read_text(encoding="utf-8"))
    for kind in (cst.Call, cst.Name, cst.Comment, cst.Comma):
        expected = _Recorder()
        module.visit(expected)
        wanted = [
            node_id
            for event, name, node_id in expected.events
            if event == "visit" and name == kind.__name__
        ]
        assert [id(node) for node in all_nodes(module, kind)] == wanted
