"""The wheel ships the rules and templates inside the package, and nothing else."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

import fastmcp_kit

REPO = Path(__file__).resolve().parent.parent


def _tracked(folder: str) -> list[Path]:
    out = subprocess.run(
        ["git", "ls-files", folder], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout.split()
    return [Path(p) for p in out if "__pycache__" not in p]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(out), str(REPO)],
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("fastmcp_fkit-*.whl")
    return built


def test_wheel_maps_rules_and_templates_into_the_package(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    top_levels = {name.split("/")[0] for name in names}
    assert not {"rules", "templates", "tests", "scripts"} & top_levels
    for source in _tracked("fastmcp_kit"):
        assert source.as_posix() in names, "add the subpackage to [tool.setuptools] packages"
    for source in _tracked("rules"):
        assert f"fastmcp_kit/{source.as_posix()}" in names
    templates = _tracked("templates")
    for source in templates:
        # Dotfiles (.gitignore.jinja, .github/...) included: they are easy to lose.
        assert f"fastmcp_kit/{source.as_posix()}" in names
    assert "fastmcp_kit/py.typed" in names


def test_the_suite_runs_against_what_it_says() -> None:
    # The release workflow sets FKIT_TEST_AGAINST=wheel: a suite that quietly imported
    # the checkout instead would prove nothing about the wheel being published.
    imported = Path(fastmcp_kit.__file__).resolve()
    from_checkout = imported.is_relative_to(REPO)
    if os.environ.get("FKIT_TEST_AGAINST") == "wheel":
        assert not from_checkout, imported
        assert imported.parent.joinpath("rules", "__init__.py").is_file()
    else:
        assert from_checkout, imported


def test_wheel_is_named_and_versioned(wheel: Path) -> None:
    # fastmcp-kit and fkit are other projects on PyPI; fastmcp-fkit is ours.
    assert wheel.name == f"fastmcp_fkit-{fastmcp_kit.__version__}-py3-none-any.whl"
    metadata = next(
        zipfile.ZipFile(wheel).read(n).decode()
        for n in zipfile.ZipFile(wheel).namelist()
        if n.endswith("METADATA")
    )
    assert "\nName: fastmcp-fkit\n" in metadata


def test_wheel_does_not_require_fastmcp(wheel: Path) -> None:
    metadata = next(
        zipfile.ZipFile(wheel).read(n).decode()
        for n in zipfile.ZipFile(wheel).namelist()
        if n.endswith("METADATA")
    )
    requires = [line for line in metadata.splitlines() if line.startswith("Requires-Dist:")]
    unconditional = [line for line in requires if "extra ==" not in line]
    assert not any("fastmcp" in line.split(";")[0] for line in unconditional)
    assert any("fastmcp" in line and 'extra == "fastmcp"' in line for line in requires)


def test_installed_wheel_runs_in_a_clean_venv(wheel: Path, tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", str(wheel)],
        check=True,
        capture_output=True,
    )
    fkit = env_dir / "bin" / "fkit"
    version = subprocess.run([str(fkit), "--version"], capture_output=True, text=True, check=True)
    assert version.stdout.startswith("fkit ")
    result = subprocess.run(
        [str(fkit), "lint", "--no-cache", "--output-format", "concise", "examples/weather"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1, result.stderr
    assert "FMCP201" in result.stdout and "FMCP301" in result.stdout
    # python -m works too, from outside the checkout.
    module = subprocess.run(
        [str(python), "-m", "fastmcp_kit", "rules", "--output-format", "json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    assert '"FMCP201"' in module.stdout
