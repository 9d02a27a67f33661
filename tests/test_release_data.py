"""fkit's FastMCP release data stays consistent: the release list
(``fastmcp_kit.versions.KNOWN_RELEASES``), the API dumps (``fastmcp_kit/apisurface/data``)
and the rules' version ranges (``fastmcp_versions``) agree with one another, and
``scripts/refresh_fastmcp_data.py`` (the command that refreshes them) plans correctly.

When FastMCP releases, the refresh adds the release; a failure here names what is left
to do (a release that could not be dumped, a rule range naming a version that never
existed, ...)."""

from __future__ import annotations

import gzip
import importlib.util
import re
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from packaging.specifiers import SpecifierSet
from packaging.version import Version

from fastmcp_kit.apisurface import (
    _data_dir,
    _layer,
    dumped_releases,
    is_beyond_data,
    newest_dumped_release,
    surface_for,
)
from fastmcp_kit.apisurface.layer import parse_dump
from fastmcp_kit.apisurface.members import parse_member
from fastmcp_kit.lint.registry import all_rules
from fastmcp_kit.versions import KNOWN_RELEASES, NEWEST

REPO = Path(__file__).resolve().parent.parent
KNOWN = tuple(Version(v) for v in KNOWN_RELEASES)
DUMPED = tuple(Version(v) for v in dumped_releases())


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, REPO / "scripts" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


REFRESH = _load("refresh_fastmcp_data")
DUMP = _load("dump_api_surface")


def _line(version: Version) -> tuple[int, int]:
    return (version.major, version.minor)


def _dump_text(release: str) -> str:
    directory = _data_dir()
    plain = directory.joinpath(f"fastmcp-{release}.json")
    if plain.is_file():
        return str(plain.read_text(encoding="utf-8"))
    return gzip.decompress(directory.joinpath(f"{plain.name}.gz").read_bytes()).decode()


# -- the release list and the dumps ---------------------------------------------------


def test_every_dump_is_a_known_release() -> None:
    assert set(DUMPED) <= set(KNOWN), sorted(set(DUMPED) - set(KNOWN))


def test_the_dump_script_lists_every_dump() -> None:
    assert tuple(DUMP.DEFAULT_VERSIONS) == dumped_releases()


def test_the_newest_known_release_is_dumped() -> None:
    # So an unpinned project (linted for NEWEST) gets the real API, not an open-ended one.
    # If this fails after a refresh, the newest release could not be installed or
    # imported: see the refresh log, and do not guess its API.
    assert _line(NEWEST) in {_line(v) for v in DUMPED}, f"no dump of the {NEWEST} line"
    assert newest_dumped_release() == NEWEST
    assert not is_beyond_data(NEWEST)
    assert not surface_for(NEWEST).open_ended


def test_every_dumped_line_has_its_newest_release_dumped() -> None:
    # A known release above every dump of its line would be linted against an older
    # patch release, which lacks what the newer one added (false "does not exist").
    for line in sorted({_line(v) for v in DUMPED}):
        newest_known = max(v for v in KNOWN if _line(v) == line)
        assert newest_known in DUMPED, f"{newest_known} is not dumped"


@pytest.mark.parametrize("release", dumped_releases())
def test_each_dump_has_the_current_layout(release: str) -> None:
    # A dump written by an older dump script lacks members, functions or decorators:
    # regenerate it (python scripts/dump_api_surface.py --versions RELEASE).
    layer = _layer(release)
    data = parse_dump(_dump_text(release))
    assert data.get("format") == DUMP.FORMAT, release
    assert layer.decorators.get("FastMCP.tool"), "decorator_returns was not probed"
    # Every recorded class has members, and every base in an MRO is recorded too, so
    # inherited members are found and "missing" is never claimed for want of a base.
    assert set(layer.classes) <= set(layer.members)
    for path in layer.members:
        info = layer.class_info(path)
        assert info is not None
        missing = [base for base in info.mro if base not in layer.members]
        assert not missing, (path, missing)
        for name, encoded in layer.members[path].get("own", {}).items():
            member = parse_member(path, name, encoded)
            kind = encoded.split(" ", 1)[0].split("(", 1)[0].rstrip(":")
            assert member.kind != "attribute" or kind == "attr", (path, name, encoded)
    for path in layer.functions:
        function = layer.function(path)
        assert function is not None and function.flavour is not None, path


def test_the_refresh_has_nothing_left_to_dump() -> None:
    assert REFRESH.releases_to_dump(KNOWN_RELEASES, dumped_releases()) == []


def test_known_releases_are_the_final_releases_from_2_0() -> None:
    assert list(KNOWN_RELEASES) == REFRESH.final_releases(KNOWN_RELEASES)
    assert KNOWN[0] == Version("2.0.0")


def test_no_known_release_is_beyond_the_data() -> None:
    beyond = [str(v) for v in KNOWN if is_beyond_data(v)]
    assert beyond == []


# -- the rules' version ranges --------------------------------------------------------


def _rule_specs() -> Iterator[tuple[str, SpecifierSet]]:
    for code, rule in sorted(all_rules().items()):
        yield code, rule.version_spec()


def _clean_boundary(version: Version) -> bool:
    """``3``, ``2.14`` or ``3.2.0``: the start of a major or minor line that exists
    (or of the next major after the newest known release)."""
    if version.pre or version.post or version.dev or version.local:
        return False
    parts = version.release
    if len(parts) > 3 or (len(parts) == 3 and parts[2] != 0):
        return False
    prefix = parts[:2]
    if prefix in ((NEWEST.major + 1,), (NEWEST.major + 1, 0)):
        return True
    return any(v.release[: len(prefix)] == prefix for v in KNOWN)


@pytest.mark.parametrize(("code", "spec"), list(_rule_specs()), ids=lambda x: str(x))
def test_rule_ranges_name_real_releases_or_clean_boundaries(code: str, spec: SpecifierSet) -> None:
    for specifier in spec:
        version = Version(specifier.version.rstrip(".*"))
        assert version in KNOWN or _clean_boundary(version), (
            f"{code}: `{specifier}` names neither a known release nor a line boundary"
        )
    assert any(spec.contains(v) for v in KNOWN), f"{code} applies to no known release"


def test_rules_using_the_api_dumps_start_at_the_oldest_dump() -> None:
    oldest = DUMPED[0]
    for code in ("FMCP308", "FMCP309"):
        spec = all_rules()[code].version_spec()
        assert not spec.contains(Version("2.12.5")) and spec.contains(oldest), code


def test_clean_boundary() -> None:
    assert _clean_boundary(Version("3"))
    assert _clean_boundary(Version("2.14"))
    assert _clean_boundary(Version("3.2.0"))
    assert not _clean_boundary(Version("3.2.7"))  # a patch: must be a known release
    assert not _clean_boundary(Version("3.9"))  # no such line
    assert _clean_boundary(Version(f"{NEWEST.major + 1}"))
    assert not _clean_boundary(Version(f"{NEWEST.major + 2}"))


# -- the refresh script's plan --------------------------------------------------------


PIP_INDEX_OUTPUT = """\
fastmcp (4.2.3)
Available versions: 4.2.3, 4.2.0rc1, 4.1.7, 4.1.2, 3.4.11, 2.0.0, 1.0, 0.4.1
  INSTALLED: 4.2.3
"""


def test_parse_pip_index_output() -> None:
    versions = REFRESH.parse_index_versions(PIP_INDEX_OUTPUT)
    assert versions[:3] == ["4.2.3", "4.2.0rc1", "4.1.7"]
    assert REFRESH.final_releases(versions) == ["2.0.0", "3.4.11", "4.1.2", "4.1.7", "4.2.3"]
    with pytest.raises(ValueError):
        REFRESH.parse_index_versions("nothing here")


def test_refresh_dumps_the_newest_release_of_each_line() -> None:
    known = ["3.0.2", "3.2.4", "3.4.10", "3.4.11", "4.1.2", "4.1.7", "4.2.3", "4.3.1", "5.0.0"]
    dumped = ["3.0.2", "3.4.10", "4.1.2", "4.2.3"]
    # 3.4 and 4.1 have dumps but not of their newest release; 4.3 and 5.0 are newer
    # than every dumped line; 3.2 is an old line fkit never dumped (the union rule).
    assert REFRESH.releases_to_dump(known, dumped) == ["3.4.11", "4.1.7", "4.3.1", "5.0.0"]
    assert REFRESH.releases_to_dump(known[:7], [*dumped, "3.4.11", "4.1.7"]) == []


def test_refresh_rewrites_only_the_tuples() -> None:
    versions_py = (REPO / "fastmcp_kit" / "versions.py").read_text(encoding="utf-8")
    header = "KNOWN_RELEASES: tuple[str, ...]"
    same = REFRESH.replace_tuple(versions_py, REFRESH._KNOWN, header, KNOWN_RELEASES)
    assert same == versions_py
    grown = REFRESH.replace_tuple(versions_py, REFRESH._KNOWN, header, [*KNOWN_RELEASES, "9.0.0"])
    assert grown.replace('    "9.0.0",\n', "", 1) == versions_py
    script = (REPO / "scripts" / "dump_api_surface.py").read_text(encoding="utf-8")
    assert (
        REFRESH.replace_tuple(script, REFRESH._DEFAULTS, "DEFAULT_VERSIONS", DUMP.DEFAULT_VERSIONS)
        == script
    )
    with pytest.raises(ValueError):
        REFRESH.replace_tuple("x = 1\n", REFRESH._KNOWN, header, [])


def test_the_workflow_runs_the_documented_command() -> None:
    workflow = (REPO / ".github" / "workflows" / "refresh-fastmcp-data.yml").read_text(
        encoding="utf-8"
    )
    assert "python scripts/refresh_fastmcp_data.py" in workflow
    assert re.search(r"^\s+- cron: ", workflow, re.M)
    for test in ("tests/test_release_data.py", "tests/test_rule_examples.py"):
        assert test in workflow
