"""The benchmark's inputs: the fastmcp 4.1.2 source, the generated corpus, and Nx
copies of either for the scaling measurement. Everything lives under the work
folder (``bench/.work/``, git-ignored) and is reused when already there.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

from bench import corpus

FASTMCP_VERSION = "4.1.2"
# Each workload is a project root: fkit takes its configuration (none) and the
# FastMCP target from here, not from the fkit checkout around bench/.
ROOT_PYPROJECT = (
    '[project]\nname = "{name}"\nversion = "0"\ndependencies = ["fastmcp=={version}"]\n'
)


@dataclass(frozen=True)
class Workload:
    name: str
    root: Path
    python_files: int
    lines: int
    other_files: int  # non-Python files fkit's text rules read (.env, Dockerfile, ...)

    @property
    def klines(self) -> float:
        return self.lines / 1000


def count(root: Path, name: str) -> Workload:
    files = [p for p in root.rglob("*.py") if ".fkit_cache" not in p.parts]
    lines = sum(p.read_bytes().count(b"\n") for p in files)
    others = [
        p
        for p in root.rglob("*")
        if p.is_file()
        and p.suffix != ".py"
        and (p.name.startswith((".env", "Dockerfile")) or p.name == "fastmcp.json")
        and ".fkit_cache" not in p.parts
    ]
    return Workload(name, root, len(files), lines, len(others))


def _pip_download(requirement: str, dest: Path) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    name = requirement.split("==")[0].replace("-", "_")
    version = requirement.split("==")[1]
    found = sorted(dest.glob(f"{name}-{version}-*.whl"))
    if not found:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", requirement, "--no-deps", "-d", str(dest)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        found = sorted(dest.glob(f"{name}-{version}-*.whl"))
    if not found:
        raise RuntimeError(f"pip download {requirement} produced no wheel in {dest}")
    return found[0]


def _exact_dependency(wheel: Path, version: str) -> str | None:
    """The ``name==version`` requirement of a meta-package's wheel, if it has one."""
    with zipfile.ZipFile(wheel) as archive:
        metadata = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        text = archive.read(metadata).decode()
    for line in text.splitlines():
        match = re.match(
            rf"Requires-Dist: ([A-Za-z0-9_.-]+)(\[[^\]]*\])?=={re.escape(version)}$", line
        )
        if match:
            return f"{match.group(1)}=={version}"
    return None


def fastmcp_source(work: Path) -> Workload:
    """The fastmcp 4.1.2 package source, from ``pip download fastmcp==4.1.2 --no-deps``.

    Since 4.0, ``fastmcp`` is a meta-package whose wheel holds no code: the package
    source ships in the distribution it pins exactly (``fastmcp-slim==4.1.2``), so
    that one is downloaded too and its ``fastmcp/`` package unpacked.
    """
    root = work / "workloads" / f"fastmcp-{FASTMCP_VERSION}"
    if not (root / "fastmcp" / "__init__.py").is_file():
        downloads = work / "downloads"
        wheel = _pip_download(f"fastmcp=={FASTMCP_VERSION}", downloads)
        with zipfile.ZipFile(wheel) as archive:
            has_code = any(n.endswith(".py") for n in archive.namelist())
        if not has_code:
            requirement = _exact_dependency(wheel, FASTMCP_VERSION)
            if requirement is None:
                raise RuntimeError(f"{wheel.name} holds no code and pins no code package")
            wheel = _pip_download(requirement, downloads)
        if root.exists():
            shutil.rmtree(root)
        with zipfile.ZipFile(wheel) as archive:
            for member in archive.namelist():
                if member.startswith("fastmcp/") and member.endswith(".py"):
                    archive.extract(member, root)
        pyproject = ROOT_PYPROJECT.format(name="fastmcp-source", version=FASTMCP_VERSION)
        (root / "pyproject.toml").write_text(pyproject, encoding="utf-8")
    return count(root, f"fastmcp-{FASTMCP_VERSION}")


def generated_corpus(work: Path, seed: int, projects: int) -> Workload:
    """The generated corpus (regenerated every run: it is cheap and must match the seed)."""
    root = work / "workloads" / f"corpus-s{seed}-p{projects}"
    corpus.generate(root, seed=seed, projects=projects)
    return count(root, f"corpus (seed {seed}, {projects} projects)")


def _link_or_copy(source: str, dest: str) -> None:
    try:
        os.link(source, dest)
    except OSError:
        shutil.copy2(source, dest)


def copies(workload: Workload, factor: int, work: Path) -> Workload:
    """``factor`` copies of a workload side by side, each in ``copyNN/``, under one
    root; 1x uses the same layout, so 1x, 4x and 16x differ only in size."""
    root = work / "workloads" / "scaled" / f"{workload.root.name}-x{factor}"
    expected = workload.python_files * factor
    if root.is_dir() and count(root, "").python_files == expected:
        return count(root, f"{workload.name} x{factor}")
    if root.exists():
        shutil.rmtree(root)
    ignore = shutil.ignore_patterns(".fkit_cache")
    for index in range(1, factor + 1):
        shutil.copytree(
            workload.root, root / f"copy{index:02d}", copy_function=_link_or_copy, ignore=ignore
        )
    shutil.copy2(workload.root / "pyproject.toml", root / "pyproject.toml")
    return count(root, f"{workload.name} x{factor}")
