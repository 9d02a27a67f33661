"""Render a bundled template into a new project folder, all or nothing.

copier renders into a private folder next to the destination; only a complete,
validated project is moved into place. An interrupted question, a render error or a
refused answer therefore leaves the destination exactly as it was.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from fastmcp_kit import __version__
from fastmcp_kit.errors import FkitError
from fastmcp_kit.scaffold import catalog, names
from fastmcp_kit.scaffold.git import GitState, init_repository, planned_state

ANSWERS_FILE = ".copier-answers.yml"


@dataclass(frozen=True)
class NewProject:
    """What ``fkit new`` made, or with ``pretend`` would have made."""

    path: Path
    template: str
    answers: Mapping[str, object]
    # The files, relative to ``path`` in POSIX form, sorted (``.git`` not included).
    paths: tuple[str, ...]
    git: GitState
    pretend: bool = False

    @property
    def files(self) -> int:
        return len(self.paths)


def create_project(
    dest: Path,
    template: str,
    data: Sequence[str],
    *,
    interactive: bool,
    git: bool = True,
    pretend: bool = False,
) -> NewProject:
    """Render ``template`` into ``dest`` (which must not exist or be empty).

    ``data`` (``KEY=VALUE`` strings) answers questions up front. With ``interactive``
    the other questions are asked on the terminal; otherwise their defaults are used,
    and every name is checked before anything is written. With ``git`` the project
    becomes a git repository unless it is inside one already. With ``pretend`` the
    project is rendered and checked exactly the same way, then thrown away: nothing is
    written at ``dest`` or above it.
    """
    catalog.check_template(template)
    dest = Path(os.path.abspath(dest.expanduser()))
    names.check_destination(dest)
    with catalog.template_path(template) as source:
        answered = names.parse_data(data, catalog.questions(source))
        # The folder name is the natural project name; asked or not, it is the default.
        defaults = {"project_name": answered.get("project_name", dest.name)}
        if not interactive:
            _check_names({**defaults, **answered}, source)
        git_state = planned_state(dest, wanted=git)
        # A pretend run renders in the system's temporary folder: dest's parents may not exist.
        created = None if pretend else _make_parents(dest)
        try:
            answers, paths, git_state = _render_and_move(
                source,
                dest,
                template,
                answered,
                defaults,
                interactive=interactive,
                git_state=git_state,
                pretend=pretend,
            )
        except BaseException:
            _remove_created(created)
            raise
    return NewProject(dest, template, answers, paths, git_state, pretend)


def _render_and_move(
    source: Path,
    dest: Path,
    template: str,
    answered: Mapping[str, str],
    defaults: Mapping[str, str],
    *,
    interactive: bool,
    git_state: GitState,
    pretend: bool,
) -> tuple[dict[str, object], tuple[str, ...], GitState]:
    """Render in a scratch folder beside ``dest``, check, then move into place."""
    try:
        with tempfile.TemporaryDirectory(
            prefix=".fkit-new-", dir=None if pretend else dest.parent
        ) as scratch:
            rendered = Path(scratch) / "project"
            _copier_render(source, rendered, answered, defaults, interactive=interactive)
            answers = _read_answers(rendered)
            # Interactive answers are seen only now; refuse them before moving anything.
            _check_names(answers, source)
            _stamp_answers(rendered, template)
            paths = tuple(
                sorted(
                    p.relative_to(rendered).as_posix() for p in rendered.rglob("*") if p.is_file()
                )
            )
            if pretend:
                return answers, paths, git_state
            if git_state is GitState.INITIALISED:
                # Before the move, so a project only ever appears complete.
                git_state = init_repository(rendered)
            _move_into_place(rendered, dest)
    except OSError as exc:
        raise FkitError(f"cannot create {str(dest)!r}: {exc.strerror or exc}") from exc
    return answers, paths, git_state


def _check_names(answers: Mapping[str, object], source: Path) -> None:
    project = names.check_project_name(str(answers.get("project_name", "")))
    package = answers.get("package_name")
    names.check_package_name(
        str(package) if package else names.package_name_for(project), catalog.modules(source)
    )
    if "description" in answers:
        names.check_description(str(answers["description"]))


def _copier_render(
    source: Path,
    target: Path,
    data: Mapping[str, str],
    defaults: Mapping[str, str],
    *,
    interactive: bool,
    fkit_version: str = __version__,
) -> None:
    """One copier run. Imported here so ``fkit --help`` never loads copier."""
    import copier
    from copier.errors import CopierError, UnsafeTemplateError

    try:
        copier.run_copy(
            str(source),
            target,
            data={
                **data,
                "fkit_version": fkit_version,
            },
            user_defaults=dict(defaults),
            defaults=not interactive,
            # Settings() rather than the user's copier settings file: the same
            # command renders the same project on every machine.
            settings=copier.Settings(),
            # Templates never run code: no tasks, no migrations, no Jinja extensions.
            # copier refuses all three unless `unsafe`, which fkit never sets.
            unsafe=False,
            skip_tasks=True,
            overwrite=False,
            quiet=True,
        )
    except UnsafeTemplateError as exc:  # a bundled template broke the rule above
        raise FkitError(f"template refused: {exc}") from exc
    except CopierError as exc:
        raise FkitError(f"could not render the template: {exc}") from exc
    except ValueError as exc:  # copier reports an answer its validator rejects this way
        raise FkitError(f"invalid answer: {exc}") from exc


def _read_answers(project: Path) -> dict[str, object]:
    loaded = catalog.load_yaml((project / ANSWERS_FILE).read_text(encoding="utf-8"))
    return {str(k): v for k, v in loaded.items()} if isinstance(loaded, dict) else {}


def _stamp_answers(project: Path, template: str, fkit_version: str = __version__) -> None:
    """Point the answers at this repository's release tag instead of copier's source
    path (a temporary or site-packages folder on this machine), and record the
    template, so that both ``fkit update`` and plain ``copier update`` (through the
    root copier.yml) render the same template version again."""
    path = project / ANSWERS_FILE
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    stamped = [
        f"_commit: v{fkit_version}\n_src_path: {catalog.TEMPLATE_REPOSITORY}\n"
        if line.startswith("_src_path:")
        else line
        for line in lines
        if not line.startswith(("_commit:", "fkit_template:"))
    ]
    stamped.append(f"fkit_template: {template}\n")
    path.write_text("".join(stamped), encoding="utf-8")


def _move_into_place(rendered: Path, dest: Path) -> None:
    """Move the rendered tree to ``dest``; refuse if someone wrote there meanwhile."""
    names.check_destination(dest)
    if not dest.exists():
        # Same filesystem (the scratch folder is a sibling), so this is one rename.
        os.rename(rendered, dest)
        return
    # An existing empty folder is kept (its permissions, an open shell in it): the
    # entries move in one by one, and out again if one cannot, so it stays empty.
    moved: list[Path] = []
    try:
        for entry in sorted(rendered.iterdir()):
            os.rename(entry, dest / entry.name)
            moved.append(dest / entry.name)
    except BaseException:
        for target in reversed(moved):
            with contextlib.suppress(OSError):
                os.rename(target, rendered / target.name)
        raise


def _make_parents(dest: Path) -> Path | None:
    """Create the missing parents of ``dest``; return the topmost one created."""
    missing = [p for p in dest.parents if not p.exists()]
    if not missing:
        return None
    try:
        dest.parent.mkdir(parents=True)
    except OSError as exc:
        raise FkitError(f"cannot create {str(dest)!r}: {exc.strerror or exc}") from exc
    return missing[-1]


def _remove_created(top: Path | None) -> None:
    """Undo :func:`_make_parents` after a failure, if nothing else was put there."""
    if top is None:
        return
    for folder in sorted((p for p in top.rglob("*") if p.is_dir()), reverse=True):
        with contextlib.suppress(OSError):
            folder.rmdir()
    with contextlib.suppress(OSError):
        top.rmdir()
