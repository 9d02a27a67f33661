"""``fkit update``: bring a project made by ``fkit new`` to the current templates.

A three-way merge, file by file, as ``copier update`` does it: the *base* is the
project rendered again from its recorded answers with the template version that made
it, *ours* is the user's tree, *theirs* the same answers rendered with this fkit's
template. A file the user never touched takes the template's change; a file the
template did not change keeps the user's; a file both changed goes through
``git merge-file``, which marks what it cannot merge with copier's conflict labels.

The older template comes from ``--old-templates DIR`` (``DIR/<template>/copier.yml``)
or, by default, from the fkit release recorded in the answers, fetched from the
package index.
"""

from __future__ import annotations

import difflib
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from fastmcp_kit import __version__
from fastmcp_kit.atomic import write_bytes_atomic
from fastmcp_kit.errors import FkitError
from fastmcp_kit.scaffold import catalog, render

# The labels copier's own update writes around a conflict.
BEFORE, BASE, AFTER = "before updating", "last update", "after updating"
_SOURCE_PREFIXES = ("fastmcp-fkit:", "fastmcp-kit:")  # the second: before the rename


@dataclass
class UpdatePlan:
    """What an update writes: new content per path (``None`` deletes it)."""

    old_version: str
    template: str
    writes: dict[str, bytes | None] = field(default_factory=dict)
    conflicts: list[str] = field(default_factory=list)


def plan_update(project: Path, old_templates: Path | None) -> UpdatePlan:
    """Work out the merge for ``project``; writes nothing. Raises FkitError."""
    answers = _recorded_answers(project)
    template, old_version = recorded_template(answers)
    _refuse_dirty(project)
    data = {k: str(v) for k, v in answers.items() if not k.startswith("_")}
    plan = UpdatePlan(old_version, template)
    with tempfile.TemporaryDirectory(prefix="fkit-update-") as scratch:
        base, new = Path(scratch) / "base", Path(scratch) / "new"
        with _old_template(template, old_version, old_templates) as old_source:
            _render(old_source, base, data, template, old_version)
        with catalog.template_path(template) as new_source:
            _render(new_source, new, data, template, __version__)
        for path in sorted(_files(base) | _files(new)):
            _merge_one(plan, path, project, base, new)
    return plan


def recorded_template(answers: Mapping[str, object]) -> tuple[str, str]:
    """The bundled template and the fkit version that made a project, from its
    answers: ``fkit_template`` + ``_commit: vX.Y.Z`` (written since the root
    copier.yml), or the older ``_src_path: fastmcp-fkit:NAME`` + ``_fkit_version``."""
    source = str(answers.get("_src_path", ""))
    legacy = next((source[len(p) :] for p in _SOURCE_PREFIXES if source.startswith(p)), "")
    template = str(answers.get("fkit_template", "")) or legacy
    if not template:
        raise FkitError(
            f"{render.ANSWERS_FILE} names no bundled template (no fkit_template answer, "
            f"_src_path: {source!r}); only projects made by `fkit new` can be updated"
        )
    catalog.check_template(template)
    commit = str(answers.get("_commit", ""))
    version = commit.removeprefix("v") if commit.startswith("v") else ""
    version = version or str(answers.get("_fkit_version", ""))
    if not version:
        raise FkitError(
            f"{render.ANSWERS_FILE} records no template version; add the fkit release that "
            "made the project as `_commit: v0.1.0` (see `pip index versions fastmcp-fkit`)"
        )
    return template, version


def apply_update(project: Path, plan: UpdatePlan) -> None:
    """Write the plan into ``project`` (each file atomically)."""
    for path, content in plan.writes.items():
        target = project / path
        if content is None:
            target.unlink(missing_ok=True)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            write_bytes_atomic(target, content)


def diff(project: Path, plan: UpdatePlan) -> str:
    """The plan as a unified diff against the project, for ``--pretend``."""
    chunks: list[str] = []
    for path, content in plan.writes.items():
        target = project / path
        before = target.read_bytes().decode("utf-8", "replace") if target.exists() else ""
        after = (content or b"").decode("utf-8", "replace")
        chunks += difflib.unified_diff(
            before.splitlines(keepends=True),
            after.splitlines(keepends=True),
            f"a/{path}" if target.exists() else "/dev/null",
            f"b/{path}" if content is not None else "/dev/null",
        )
    return "".join(chunks)


def _merge_one(plan: UpdatePlan, path: str, project: Path, base: Path, new: Path) -> None:
    old = _read(base / path)
    theirs = _read(new / path)
    ours = _read(project / path)
    if path == render.ANSWERS_FILE:  # fkit's record, not the user's: the new one wins
        if theirs != ours:
            plan.writes[path] = theirs
        return
    if old == theirs or ours == theirs:
        return  # the template did not change it, or the user already has the change
    if ours == old:
        plan.writes[path] = theirs  # untouched by the user: the template's (None deletes)
        return
    if ours is None or theirs is None:
        return  # deleted on one side, changed on the other: the user's choice stands
    merged, conflicted = _merge_file(ours, old or b"", theirs)
    plan.writes[path] = merged
    if conflicted:
        plan.conflicts.append(path)


def _merge_file(ours: bytes, base: bytes, theirs: bytes) -> tuple[bytes, bool]:
    with tempfile.TemporaryDirectory(prefix="fkit-merge-") as scratch:
        files = []
        for name, content in (("ours", ours), ("base", base), ("theirs", theirs)):
            (Path(scratch) / name).write_bytes(content)
            files.append(str(Path(scratch) / name))
        labels = ["-L", BEFORE, "-L", BASE, "-L", AFTER]
        try:
            done = subprocess.run(
                ["git", "merge-file", "-p", *labels, *files], capture_output=True, check=False
            )
        except OSError as exc:
            raise FkitError(f"fkit update needs git to merge files: {exc.strerror}") from exc
    if done.returncode < 0 or done.returncode > 127:
        raise FkitError(f"git merge-file failed: {done.stderr.decode(errors='replace').strip()}")
    return done.stdout, done.returncode > 0


def _recorded_answers(project: Path) -> Mapping[str, object]:
    path = project / render.ANSWERS_FILE
    if not path.is_file():
        raise FkitError(
            f"no {render.ANSWERS_FILE} in {str(project)!r}: not a project made by `fkit new`"
        )
    loaded = catalog.load_yaml(path.read_text(encoding="utf-8"))
    if not isinstance(loaded, dict):
        raise FkitError(f"{render.ANSWERS_FILE} is not a mapping of answers")
    return {str(k): v for k, v in loaded.items()}


def _refuse_dirty(project: Path) -> None:
    """The user's work must be committed: the update is then one reviewable diff."""
    try:
        status = subprocess.run(
            ["git", "status", "--porcelain", "--", "."],
            cwd=project,
            capture_output=True,
            text=True,
            check=False,
        )
    except OSError as exc:  # no git at all: nothing could be reviewed or undone
        raise FkitError(f"fkit update needs git: {exc.strerror or exc}") from exc
    if status.returncode != 0:
        raise FkitError(
            f"{str(project)!r} is not in a git repository: fkit update needs one "
            "(git init, commit, then update), so that its changes can be reviewed and undone"
        )
    if status.stdout.strip():
        raise FkitError(f"{str(project)!r} has uncommitted changes; commit or stash them first")


@contextmanager
def _old_template(template: str, version: str, folder: Path | None) -> Iterator[Path]:
    if folder is not None:
        source = folder / template
        if not (source / "copier.yml").is_file():
            raise FkitError(f"--old-templates: no {template}/copier.yml in {str(folder)!r}")
        yield source
        return
    if version == __version__:  # made by this fkit: its own template is the base
        with catalog.template_path(template) as source:
            yield source
        return
    with tempfile.TemporaryDirectory(prefix="fkit-old-") as scratch:
        yield _fetch_release_template(template, version, Path(scratch))


def _fetch_release_template(template: str, version: str, scratch: Path) -> Path:
    """The template as fkit ``version`` shipped it, from its wheel on the package index."""
    command = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps"]
    command += ["--only-binary=:all:", "--dest", str(scratch), f"fastmcp-fkit=={version}"]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    wheels = list(scratch.glob("*.whl"))
    if done.returncode != 0 or not wheels:
        raise FkitError(
            f"cannot fetch fastmcp-fkit {version} (the templates that made this project) "
            "from the package index; pass --old-templates DIR"
        )
    prefix = f"fastmcp_kit/templates/{template}/"
    with zipfile.ZipFile(wheels[0]) as wheel:
        for name in wheel.namelist():
            if name.startswith(prefix) and not name.endswith("/"):
                wheel.extract(name, scratch / "unpacked")
    return scratch / "unpacked" / prefix


def _render(
    source: Path, target: Path, answers: Mapping[str, str], template: str, version: str
) -> None:
    # Only the answers this template version asks for: older ones may ask fewer.
    known = catalog.questions(source)
    data = {k: v for k, v in answers.items() if k in known}
    render._copier_render(source, target, data, {}, interactive=False, fkit_version=version)
    render._stamp_answers(target, template, version)


def _files(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def _read(path: Path) -> bytes | None:
    return path.read_bytes() if path.is_file() else None
