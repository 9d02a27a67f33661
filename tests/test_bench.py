"""The benchmark's corpus generator, and results that neither the cache nor worker
processes change, on a generated corpus. Correctness only: speed is measured by
``python bench/run.py``, never asserted here."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import libcst

from bench.corpus import generate
from tests.helpers import run_cli

# Two projects give ~30 files: enough for fkit to start two workers.
SEED, PROJECTS = 5, 2


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_corpus_is_deterministic(tmp_path: Path) -> None:
    first = generate(tmp_path / "a", seed=SEED, projects=PROJECTS)
    second = generate(tmp_path / "b", seed=SEED, projects=PROJECTS)
    assert first == second
    assert _tree(tmp_path / "a") == _tree(tmp_path / "b")


def test_another_seed_gives_another_corpus(tmp_path: Path) -> None:
    generate(tmp_path / "a", seed=1, projects=PROJECTS)
    generate(tmp_path / "b", seed=2, projects=PROJECTS)
    assert _tree(tmp_path / "a") != _tree(tmp_path / "b")


def test_corpus_is_python_that_libcst_and_the_interpreter_parse(tmp_path: Path) -> None:
    stats = generate(tmp_path, seed=SEED, projects=12)
    files = sorted(tmp_path.rglob("*.py"))
    assert len(files) == stats.python_files
    assert stats.python_lines == sum(p.read_text().count("\n") for p in files)
    for path in files:
        source = path.read_text(encoding="utf-8")
        ast.parse(source, str(path))
        libcst.parse_module(source)


def test_corpus_projects_have_the_shape_of_fastmcp_projects(tmp_path: Path) -> None:
    generate(tmp_path, seed=SEED, projects=12)
    projects = sorted((tmp_path / "projects").iterdir())
    assert len(projects) == 12
    for project in projects:
        assert (project / "pyproject.toml").is_file()
        assert len(list(project.glob("src/*/server.py"))) == 1
        assert list(project.glob("tests/test_*.py"))
    servers = "".join(p.read_text() for p in tmp_path.glob("projects/*/src/*/server.py"))
    for construct in ("FastMCP(", "@mcp.tool", "@mcp.resource(", "Context"):
        assert construct in servers
    everything = "".join(p.read_text() for p in tmp_path.rglob("*.py"))
    for construct in ("Middleware", ".mount(", "register(mcp)", "Client(mcp)"):
        assert construct in everything


def _lint(root: Path, *args: str) -> list[dict[str, object]]:
    result = run_cli(["lint", "--select", "ALL", "--output-format", "json", *args, "."], cwd=root)
    assert result.exit_code in (0, 1), result.stderr
    findings: list[dict[str, object]] = json.loads(result.stdout)
    return findings


def test_generated_corpus_has_findings_and_workers_and_a_cold_cache_do_not_change_them(
    tmp_path: Path,
) -> None:
    generate(tmp_path, seed=SEED, projects=PROJECTS)
    reference = _lint(tmp_path, "--no-cache", "--jobs", "1")
    assert reference, "the corpus carries mistakes, so there are findings"
    assert _lint(tmp_path, "--no-cache", "--jobs", "2") == reference
    assert _lint(tmp_path, "--jobs", "2") == reference  # fills the cache
    # One cache per project, beside the pyproject.toml that makes it one.
    projects = [p.parent for p in tmp_path.glob("projects/*/pyproject.toml")]
    assert projects and all((p / ".fkit_cache").is_dir() for p in projects)


def test_a_warm_cache_does_not_change_results(tmp_path: Path) -> None:
    generate(tmp_path, seed=SEED, projects=PROJECTS)
    reference = _lint(tmp_path, "--no-cache", "--jobs", "1")
    _lint(tmp_path, "--jobs", "1")  # fills the cache
    assert _lint(tmp_path, "--jobs", "1") == reference
    assert _lint(tmp_path, "--jobs", "2") == reference


def test_lsp_latency_workload_is_a_thousand_line_server_with_one_finding(tmp_path: Path) -> None:
    from bench.lsp_latency import PYPROJECT, server_source
    from fastmcp_kit.lsp.documents import Linter

    source = server_source(80)
    assert 950 <= source.count("\n") <= 1050
    (tmp_path / ".git").mkdir()
    (tmp_path / "pyproject.toml").write_text(PYPROJECT)
    found = Linter().lint(tmp_path / "server.py", source, 1)
    assert [v.code for v in found.violations] == ["FMCP202"]
