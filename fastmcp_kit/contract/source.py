"""Where a contract comes from: the server in a folder, a committed contract file,
or the project as it was at a git revision (checked out in a temporary worktree)."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from fastmcp_kit.contract.model import Contract, check_contract, load_contract_file
from fastmcp_kit.errors import FkitError, shown_path


@dataclass(frozen=True)
class Loader:
    """How to load a server: the ``dump_contract`` arguments shared by base and head."""

    server: str | None = None
    python: Path | None = None
    timeout: float = 60.0

    def dump(self, project: Path, env: Mapping[str, str] | None = None) -> Contract:
        from fastmcp_kit.runtime.contract import dump_contract

        contract = dump_contract(
            project, server=self.server, python=self.python, timeout=self.timeout, env=env
        )
        return check_contract(contract, shown_path(project))


@dataclass(frozen=True)
class Base:
    contract: Contract
    # How reports name it: "contract.json" or "HEAD (3f2a1c9)".
    label: str
    # The commit, when the base is a git revision (its commit messages may allow changes).
    commit: str | None = None


# Git settings a hook may inherit that are not about which repository or index:
# kept. Others (GIT_INDEX_FILE above all, set while `git commit` runs its hooks)
# would point the temporary worktree's checkout at the commit's own index.
_KEPT_GIT_ENV = frozenset(
    {
        "GIT_EXEC_PATH", "GIT_SSH", "GIT_SSH_COMMAND", "GIT_SSL_CAINFO", "GIT_SSL_NO_VERIFY",
        "GIT_CONFIG_COUNT", "GIT_HTTP_PROXY_AUTHMETHOD", "GIT_ALLOW_PROTOCOL", "GIT_ASKPASS",
    }
)  # fmt: skip


def _git_env() -> dict[str, str]:
    return {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("GIT_")
        or key in _KEPT_GIT_ENV
        or key.startswith(("GIT_CONFIG_KEY_", "GIT_CONFIG_VALUE_"))
    }


def git(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(
            ["git", *args],
            cwd=cwd,
            env=_git_env(),
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )
    except FileNotFoundError:
        raise FkitError("git is not installed: BASE must then be a contract file") from None


def load_base(base: str, project: Path, loader: Loader) -> Base:
    """``base`` as a contract file if one exists at that path, else as a git revision."""
    if not base.strip():
        raise FkitError("BASE is empty: name a contract file or a git revision")
    candidate = Path(base)
    if candidate.is_file():
        return Base(load_contract_file(candidate), shown_path(candidate))
    top = git(["rev-parse", "--show-toplevel"], project)
    if top.returncode != 0:
        raise FkitError(
            f"{base}: no such contract file, and {shown_path(project)} is not in a git "
            "repository to read a revision from"
        )
    commit = git(["rev-parse", "--verify", "--quiet", f"{base}^{{commit}}"], project)
    if commit.returncode != 0:
        raise FkitError(f"{base}: neither a contract file nor a git revision")
    sha = commit.stdout.strip()
    root = Path(top.stdout.strip())
    inside = project.resolve().relative_to(root.resolve())
    return Base(_dump_at(sha, root, inside, loader), f"{base} ({sha[:7]})", sha)


def _dump_at(sha: str, root: Path, inside: Path, loader: Loader) -> Contract:
    """The contract of the project at commit ``sha``, from a temporary worktree that is
    always removed again."""
    scratch = Path(tempfile.mkdtemp(prefix="fkit-contract-"))
    tree = scratch / "base"
    added = git(["worktree", "add", "--detach", "--quiet", str(tree), sha], root)
    if added.returncode != 0:
        shutil.rmtree(scratch, ignore_errors=True)
        raise FkitError(f"cannot check out {sha[:7]}: {added.stderr.strip()}")
    try:
        project = tree / inside
        if not project.is_dir():
            raise FkitError(f"{inside.as_posix()} does not exist at {sha[:7]}")
        return loader.dump(project, env=_imports_from(project))
    finally:
        git(["worktree", "remove", "--force", str(tree)], root)
        shutil.rmtree(scratch, ignore_errors=True)
        git(["worktree", "prune"], root)


def _imports_from(project: Path) -> dict[str, str]:
    """The base's own package first on the import path of the process that loads it.

    The head's environment usually holds the project as an editable install, which
    points at the head's files: without this, a base server that imports its own
    package (``from demo.tools import ...``) would get the head's code.
    """
    root = project / "src" if (project / "src").is_dir() else project
    before = os.environ.get("PYTHONPATH")
    return {"PYTHONPATH": os.pathsep.join([str(root), *([before] if before else [])])}


def commit_messages(commit: str, project: Path) -> str:
    """The messages of the commits after ``commit`` up to HEAD."""
    log = git(["log", "--format=%B", f"{commit}..HEAD"], project)
    return log.stdout if log.returncode == 0 else ""
