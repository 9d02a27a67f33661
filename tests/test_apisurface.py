"""The shipped FastMCP API surface: it loads, it is chosen sensibly for a target version,
it agrees with the fact sheet's import matrix (section 1.3), and the dump script's
extractor works (on a fake package, without network)."""

from __future__ import annotations

import gzip
import importlib.util
import json
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from packaging.version import Version

import fastmcp_kit.apisurface as apisurface
from fastmcp_kit.apisurface import (
    ApiSurface,
    History,
    Signature,
    dumped_releases,
    function_history,
    is_beyond_data,
    member_history,
    newest_dumped_release,
    select_releases,
    surface_for,
    version_label,
)
from fastmcp_kit.apisurface.layer import Layer, parse_dump
from fastmcp_kit.apisurface.members import parse_member
from fastmcp_kit.apisurface.renames import KEYWORD_RENAMES, MOVES, Move

REPO = Path(__file__).resolve().parent.parent
# The dumps these tests were written against (the selection tests use them, not whatever
# scripts/refresh_fastmcp_data.py has added since).
SELECTION_DUMPS = (
    "2.13.3",
    "2.14.7",
    "3.0.2",
    "3.4.10",
    "3.4.11",
    "4.0.0",
    "4.0.11",
    "4.1.2",
    "4.1.7",
    "4.2.3",
)
# The columns of the fact sheet's import matrix (section 1.3); 4.1.3+ facts are in
# docs/fastmcp-facts-4.2.md and tests/test_release_data.py.
MATRIX = ("2.13.3", "2.14.7", "3.0.2", "3.4.10", "4.0.0", "4.1.2")


def _load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "dump_api_surface", REPO / "scripts" / "dump_api_surface.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


SCRIPT = _load_script()
ALL: tuple[str, ...] = SCRIPT.DEFAULT_VERSIONS


# -- loading --------------------------------------------------------------------------


def test_every_default_release_is_dumped() -> None:
    assert dumped_releases() == ALL == SCRIPT.DEFAULT_VERSIONS


@pytest.mark.parametrize("release", ALL)
def test_each_dump_loads_and_is_for_its_release(release: str) -> None:
    surface = surface_for(release)
    assert surface.release == release
    assert surface.distribution("fastmcp") == release
    assert surface.has_module("fastmcp")
    assert len(surface.modules()) > 150
    assert surface.signature("fastmcp.FastMCP") is not None


@pytest.mark.parametrize("release", ALL)
def test_data_files_are_small_and_canonical(release: str) -> None:
    data = REPO / "fastmcp_kit" / "apisurface" / "data"
    path = data / f"fastmcp-{release}.json"
    if path.exists():
        text = path.read_text(encoding="utf-8")
        assert len(text.encode()) <= SCRIPT.GZIP_ABOVE
    else:
        text = gzip.decompress((data / f"{path.name}.gz").read_bytes()).decode()
    # Re-rendering gives the same bytes: sorted keys, one line per module or class.
    assert SCRIPT.render(json.loads(text)) == text


def test_loading_is_lazy_and_cached() -> None:
    code = textwrap.dedent(
        """
        import fastmcp_kit.apisurface as s
        from fastmcp_kit.lint.registry import all_rules
        all_rules()
        assert s._layer.cache_info().currsize == 0, "data read at import time"
        a = s.surface_for("4.1.2")
        assert s.surface_for("4.1") is a
        assert s._layer.cache_info().currsize == 1
        print("ok")
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert result.stdout.strip() == "ok", result.stderr


# -- version selection ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("4.1.2", ("4.1.2",)),  # dumped
        ("4.1.6", ("4.1.2", "4.1.7")),  # between two dumps of its line: both
        ("4.0.7", ("4.0.0", "4.0.11")),
        ("3.4.11", ("3.4.11",)),
        ("2.14.3", ("2.14.7",)),  # nothing below in 2.14: above in 2.14, not 2.13
        ("3.0.0", ("3.0.2",)),  # not 2.14.7: 3.0 added what 2.x lacks
        ("4.1.0", ("4.1.2",)),
        ("4.2.0", ("4.2.3",)),
        ("3.4.12", ("3.4.11",)),  # above its line's dumps, not beyond the data
        ("3.2.0", ("3.0.2", "3.4.10")),  # no 3.2 dump: both neighbours in 3.x
        ("3.3.1", ("3.0.2", "3.4.10")),
        ("3.5.0", ("3.4.11",)),
        ("2.12.5", ("2.13.3",)),
        ("4.2.5", ("4.2.3",)),  # beyond the data: the newest dump, open-ended
        ("4.3.0", ("4.2.3",)),
        ("5.0.0", ("4.2.3",)),
        ("1.0", ("2.13.3",)),
    ],
)
def test_release_selection(target: str, expected: tuple[str, ...]) -> None:
    assert select_releases(target, SELECTION_DUMPS) == expected


def test_union_surface_is_permissive() -> None:
    union = surface_for("3.2.0")
    assert union.release == "3.0.2+3.4.10"
    # MultiAuth arrived in 3.4: unknown for 3.2, so not reported as missing.
    assert surface_for("3.0.2").has_name("fastmcp.server.auth", "MultiAuth") is False
    assert union.has_name("fastmcp.server.auth", "MultiAuth") is True
    # Missing from both neighbours: missing.
    assert union.has_module("fastmcp.server.sessions") is False
    # transforms= on FastMCP(): 3.4.10 has it, 3.0.2 does not; the union accepts it.
    signature = union.signature("fastmcp.FastMCP")
    assert signature is not None and signature.accepts_keyword("transforms")
    assert not signature.accepts_keyword("storage")


def test_targets_beyond_the_data_get_an_open_ended_surface() -> None:
    newest = newest_dumped_release()
    assert str(newest) == ALL[-1]
    next_patch = Version(f"{newest.major}.{newest.minor}.{newest.micro + 1}")
    far = Version(f"{newest.major}.{newest.minor + 7}.0")
    assert not is_beyond_data(newest) and not is_beyond_data("4.1.9")
    assert is_beyond_data(next_patch) and is_beyond_data(str(far))
    assert is_beyond_data(Version(f"{newest.major + 1}.0.0"))
    assert not surface_for(newest).open_ended
    surface = surface_for(far)
    assert surface.open_ended and surface.releases == (str(newest),)
    assert surface_for(next_patch).open_ended
    assert version_label(far, surface) == f"FastMCP {far} (newest API fkit knows: {newest})"
    # What the newest dump has exists.
    assert surface.has_module("fastmcp.server.sessions")
    assert surface.has_name("fastmcp", "Skill") is True
    # Known removals stay missing: an older dump had it, the newest does not.
    assert surface.has_module("fastmcp.server.proxy") is False  # gone in 4.0
    assert surface.has_name("fastmcp.client.transports", "WSTransport") is False  # 3.0
    assert surface.has_name("fastmcp", "Image") is False  # 2.14
    # Never seen in any dump: perhaps added after the newest dump, so not missing.
    assert surface.has_module("fastmcp.brand_new") is True
    assert surface.has_name("fastmcp", "BrandNew") is None
    assert surface.has_name("fastmcp.server.auth", "BrandNewProvider") is None
    assert surface.suggest_module("fastmcp.brand_new") is None
    # Keywords alike: host= was taken by 2.x, FastMCP() rejects it since 3.0.
    server = surface.signature("fastmcp.FastMCP")
    assert server is not None and server.open_ended
    assert not server.accepts_keyword("host") and "host" in server.known_removed
    assert server.accepts_keyword("cache_ttl") and server.accepts_keyword("brand_new")
    tool = surface.signature("fastmcp.FastMCP.tool")
    assert tool is not None
    assert not tool.accepts_keyword("enabled")  # 2.x only
    assert tool.accepts_keyword("brand_new")
    # The strict surface of the same release still reports what it lacks.
    strict = surface_for(newest)
    assert strict.has_name("fastmcp", "BrandNew") is False
    assert strict.has_module("fastmcp.brand_new") is False
    strict_server = strict.signature("fastmcp.FastMCP")
    assert strict_server is not None and not strict_server.accepts_keyword("brand_new")


def test_version_label_names_the_dumps_used() -> None:
    assert version_label(Version("4.2.3"), surface_for("4.2.3")) == "FastMCP 4.2.3"
    assert version_label(Version("4.2.0"), surface_for("4.2.0")) == (
        "FastMCP 4.2.0 (as fkit knows 4.2.3)"
    )
    assert version_label(Version("4.1.5"), surface_for("4.1.5")) == (
        "FastMCP 4.1.5 (as fkit knows 4.1.2 and 4.1.7)"
    )


# -- facts from the fact sheet's section 1.3 ------------------------------------------


def _per_release(check: Any) -> tuple[Any, ...]:
    return tuple(check(surface_for(release)) for release in MATRIX)


def test_matrix_media_types_live_in_utilities_types() -> None:
    for name in ("Image", "Audio", "File"):
        assert (
            _per_release(lambda s, n=name: s.has_name("fastmcp.utilities.types", n)) == (True,) * 6
        )
        assert _per_release(lambda s, n=name: s.has_name("fastmcp.utilities", n)) == (False,) * 6
    # `from fastmcp import Image`: deprecated (served lazily) in 2.13.3, removed in 2.14.
    assert _per_release(lambda s: s.has_name("fastmcp", "Image")) == (True,) + (False,) * 5


def test_matrix_modules_by_version() -> None:
    assert _per_release(lambda s: s.has_module("fastmcp.server.sessions")) == (
        False,
        False,
        False,
        False,
        True,
        True,
    )
    assert _per_release(lambda s: s.has_module("fastmcp.server.providers")) == (
        False,
        False,
        True,
        True,
        True,
        True,
    )
    assert (
        _per_release(lambda s: s.has_module("fastmcp.server.proxy")) == (True,) * 4 + (False,) * 2
    )
    assert (
        _per_release(lambda s: s.has_module("fastmcp.server.auth.providers.bearer"))
        == (True,) + (False,) * 5
    )
    # 3.4 renamed tools/tool.py to base.py and aliases the old path in sys.modules.
    assert _per_release(lambda s: s.has_module("fastmcp.tools.tool")) == (True,) * 4 + (False,) * 2
    assert _per_release(lambda s: s.has_module("fastmcp.dependencies")) == (False,) + (True,) * 5
    for never in ("fastmcp.auth", "fastmcp.middleware", "fastmcp.providers", "fastmcp.sampling"):
        assert _per_release(lambda s, m=never: s.has_module(m)) == (False,) * 6


def test_matrix_names_by_version() -> None:
    assert _per_release(lambda s: s.has_name("fastmcp", "ClientGroup")) == (False,) * 5 + (True,)
    assert _per_release(lambda s: s.has_name("fastmcp", "FastMCPApp")) == (False,) * 3 + (True,) * 3
    # 4.x serves `Client` from fastmcp/__init__.py's __getattr__; it still imports.
    assert _per_release(lambda s: s.has_name("fastmcp", "Client")) == (True,) * 6
    assert _per_release(lambda s: s.has_name("fastmcp.server.auth", "MultiAuth")) == (
        False,
        False,
        False,
        True,
        True,
        True,
    )
    assert _per_release(lambda s: s.has_name("fastmcp.client.transports", "WSTransport")) == (
        True,
        True,
        False,
        False,
        False,
        False,
    )
    assert _per_release(lambda s: s.has_name("fastmcp.server", "create_proxy")) == (
        False,
        False,
        True,
        True,
        True,
        True,
    )
    assert surface_for("4.1.2").name_error("fastmcp.dependencies", "CurrentDocket") is not None


def test_facts_of_4_1_7_and_4_2_3() -> None:
    """Rows of docs/fastmcp-facts-4.2.md, as the dumps recorded them."""
    v412, v417, v423 = (surface_for(r) for r in ("4.1.2", "4.1.7", "4.2.3"))
    assert [s.has_name("fastmcp", "Skill") for s in (v412, v417, v423)] == [False, False, True]
    assert v423.resolve("fastmcp.Skill") == "fastmcp.skills.skill.Skill"
    for module in ("fastmcp.skills.skill", "fastmcp.skills.provider"):
        assert [s.has_module(module) for s in (v412, v417, v423)] == [False, False, True]
    assert v423.has_name("fastmcp.server.auth", "TokenVerificationError") is True
    assert v417.has_name("fastmcp.server.auth", "TokenVerificationError") is False
    # FastMCP() took cache_ttl= & co. from 4.0.0 on (not new in 4.2).
    for release in ("4.0.0", "4.1.2", "4.2.3"):
        server = surface_for(release).signature("fastmcp.FastMCP")
        assert server is not None
        for keyword in ("cache_ttl", "cache_scope", "resource_security", "request_state_security"):
            assert server.accepts_keyword(keyword), (release, keyword)

    def accepts(surface: ApiSurface, callable_name: str, keyword: str) -> bool:
        signature = surface.signature(callable_name)
        assert signature is not None, callable_name
        return signature.accepts_keyword(keyword)

    github = "fastmcp.server.auth.providers.github.GitHubProvider"
    assert [accepts(s, github, "identity_assertion") for s in (v412, v417, v423)] == [
        False,
        True,
        True,
    ]
    remote = "fastmcp.server.auth.RemoteAuthProvider"
    assert [accepts(s, remote, "required_scopes") for s in (v412, v417, v423)] == [
        False,
        False,
        True,
    ]
    # py-key-value-aio's keyring extra is no longer installed by fastmcp 4.1.4+.
    assert v412.module_failure("key_value.aio.stores.keyring") is None
    assert "keyring" in (v417.module_failure("key_value.aio.stores.keyring") or "")


def test_optional_extras_count_as_existing_modules() -> None:
    surface = surface_for("4.1.2")
    module = "fastmcp.client.sampling.handlers.openai"
    assert surface.has_module(module)
    failure = surface.module_failure(module)
    assert failure is not None and "openai" in failure
    assert surface.has_name(module, "OpenAISamplingHandler") is None  # unknown, not missing
    assert surface.has_module("fastmcp.experimental.sampling.handlers") is False


def test_context_methods_by_version() -> None:
    assert (
        _per_release(lambda s: s.member_kind("fastmcp.Context", "get_http_request"))
        == ("method",) + (None,) * 5
    )
    assert _per_release(lambda s: s.member_kind("fastmcp.Context", "lifespan_context")) == (
        None,
        None,
        "property",
        "property",
        "property",
        "property",
    )
    for release in ALL:
        surface = surface_for(release)
        progress = surface.signature("fastmcp.Context.report_progress")
        assert progress is not None
        assert progress.keyword_names == ("progress", "total", "message")
        get_state = surface.signature("fastmcp.server.context.Context.get_state")
        assert get_state is not None and not get_state.accepts_keyword("default")


def test_fastmcp_constructor_kwargs_by_version() -> None:
    def accepts(release: str, keyword: str) -> bool:
        signature = surface_for(release).signature("fastmcp.server.FastMCP")
        assert signature is not None
        return signature.accepts_keyword(keyword)

    assert [accepts(r, "host") for r in MATRIX] == [True, True, False, False, False, False]
    assert [accepts(r, "session_state_store") for r in MATRIX] == [False, False] + [True] * 4
    assert [accepts(r, "resource_prefix_format") for r in MATRIX] == [True] + [False] * 5
    # 3.x+ has **kwargs only to reject: recorded, so unknown keywords are still unknown.
    signature = surface_for("4.1.2").signature("fastmcp.FastMCP")
    assert signature is not None and signature.kwargs_rejected
    assert "sampling_handler" in signature.removed_kwargs


def test_decorator_keywords_by_version() -> None:
    def tool_accepts(release: str, keyword: str) -> bool:
        signature = surface_for(release).signature("fastmcp.FastMCP.tool")
        assert signature is not None
        return signature.accepts_keyword(keyword)

    assert [tool_accepts(r, "version") for r in MATRIX] == [False, False] + [True] * 4
    assert [tool_accepts(r, "run_in_thread") for r in MATRIX] == [False] * 3 + [True] * 3
    assert [tool_accepts(r, "enabled") for r in MATRIX] == [True, True] + [False] * 4
    assert [tool_accepts(r, "exclude_args") for r in MATRIX] == [True] * 4 + [False] * 2
    assert [tool_accepts(r, "task") for r in MATRIX] == [False] + [True] * 5


def test_class_resolution_and_tags() -> None:
    surface = surface_for("4.1.2")
    path = surface.resolve("fastmcp.server.auth.OAuthProxy")
    assert path is not None and path.endswith(".OAuthProxy")
    assert surface.resolve("fastmcp.server.auth.providers.github.GitHubProvider") is not None
    assert "auth_provider" in surface.class_tags("fastmcp.server.auth.JWTVerifier")
    assert "token_verifier" in surface.class_tags("fastmcp.server.auth.JWTVerifier")
    assert "middleware" in surface.class_tags("fastmcp.server.middleware.logging.LoggingMiddleware")
    assert surface.classes_named("JWTVerifier")[0] == "fastmcp.server.auth.JWTVerifier"


# -- did you mean ---------------------------------------------------------------------


def test_did_you_mean_imports() -> None:
    v4 = surface_for("4.1.2")
    github = v4.suggest_module("fastmcp.auth.providers.github")
    assert github is not None and github.module == "fastmcp.server.auth.providers.github"
    assert github.safe
    proxy = v4.suggest_name("fastmcp.server.proxy", "FastMCPProxy")
    assert proxy is not None and (proxy.module, proxy.safe) == (
        "fastmcp.server.providers.proxy",
        True,
    )
    bearer = v4.suggest_name("fastmcp.server.auth.providers.bearer", "BearerAuthProvider")
    assert bearer is not None and (bearer.module, bearer.name) == (
        "fastmcp.server.auth.providers.jwt",
        "JWTVerifier",
    )
    function_tool = v4.suggest_name("fastmcp.tools.tool", "FunctionTool")
    assert function_tool is not None and function_tool.module == "fastmcp.tools.function_tool"
    openapi = v4.suggest_name("fastmcp.server.openapi", "FastMCPOpenAPI")
    assert openapi is not None and openapi.module is None and "from_openapi" in openapi.note
    # No table entry: the class found elsewhere in the target release (not safe).
    v2 = surface_for("2.14.7")
    found = v2.suggest_name("fastmcp.server.providers.proxy", "FastMCPProxy")
    assert found is not None and (found.module, found.safe) == ("fastmcp.server.proxy", False)
    # difflib on module names.
    typo = v4.suggest_module("fastmcp.server.sesions")
    assert typo is not None and typo.module == "fastmcp.server.sessions"
    # Table entries never point at a module the target lacks.
    assert surface_for("3.0.2")._move("fastmcp.server.tasks", "TaskConfig") is None
    assert surface_for("3.4.10")._move("fastmcp.server.tasks", "TaskConfig") is not None
    # The class search prefers a module that lists the name in __all__.
    task_config = surface_for("3.0.2").suggest_name("fastmcp.utilities.tasks", "TaskConfig")
    assert task_config is not None and task_config.module == "fastmcp.server.tasks"


def test_did_you_mean_keywords() -> None:
    v4 = surface_for("4.1.2")
    progress = v4.suggest_keyword("fastmcp.Context.report_progress", "current")
    assert progress is not None and progress.keyword == "progress"
    state = v4.suggest_keyword("fastmcp.Context.get_state", "default")
    assert state is not None and state.keyword is None and "None" in state.note
    host = v4.suggest_keyword("fastmcp.FastMCP", "host")
    assert host is not None and "run_http_async" in host.note
    typo = v4.suggest_keyword("fastmcp.FastMCP", "instruction")
    assert typo is not None and typo.keyword == "instructions"
    assert v4.suggest_keyword("fastmcp.FastMCP", "zzz") is None


def test_signature_tokens_round_trip() -> None:
    def f(a: int, b: int = 1, /, c: int = 2, *args: int, d: int, e: int = 3, **kw: int) -> None:
        pass

    tokens = SCRIPT.signature_tokens(f)
    assert tokens == ["a", "b=", "/", "c=", "*args", "d", "e=", "**kw"]
    signature = Signature.from_tokens("f", tokens)
    assert [p.kind for p in signature.params] == [
        "positional_only",
        "positional_only",
        "positional_or_keyword",
        "var_positional",
        "keyword_only",
        "keyword_only",
        "var_keyword",
    ]
    assert signature.keyword_names == ("c", "d", "e")
    assert signature.accepts_keyword("anything")
    strict = Signature.from_tokens("g", ["*", "x", "**kwargs"], kwargs_rejected=True)
    assert strict.accepts_keyword("x") and not strict.accepts_keyword("y")


# -- members, functions and decorators (each fact checked in the release's venv) -----


def _across(check: Any) -> tuple[Any, ...]:
    return tuple(check(surface_for(release)) for release in ALL)


V2 = ("2.13.3", "2.14.7")


def test_context_logging_is_async_in_every_release() -> None:
    for release in ALL:
        info = surface_for(release).member("fastmcp.Context", "info")
        assert info is not None and info.kind == "method", release
        assert info.is_async and not info.is_async_generator, release
        assert info.returns == "None", release
        assert info.owner == "fastmcp.server.context.Context"
        assert info.signature is not None and info.signature.required == ("message",)


def test_context_sample_was_removed_in_4_0() -> None:
    assert _across(lambda s: s.has_member("fastmcp.Context", "sample")) == tuple(
        not release.startswith("4.") for release in ALL
    )
    history = member_history("fastmcp.server.context.Context", "sample")
    assert history.removed_in == "4.0.0" and history.added_in is None
    assert history.present[-1] == "3.4.11" and history.absent[0] == "4.0.0"


def test_server_get_tools_became_list_tools_in_3_0() -> None:
    assert _across(lambda s: s.has_member("fastmcp.FastMCP", "get_tools")) == tuple(
        release in V2 for release in ALL
    )
    assert member_history("fastmcp.FastMCP", "get_tools").removed_in == "3.0.2"
    assert member_history("fastmcp.FastMCP", "list_tools").added_in == "3.0.2"
    list_tools = surface_for("4.2.3").member("fastmcp.FastMCP", "list_tools")
    assert list_tools is not None and list_tools.is_async


def test_client_is_an_async_context_manager_with_async_calls() -> None:
    for release in ALL:
        surface = surface_for(release)
        info = surface.class_info("fastmcp.Client")
        assert info is not None and info.is_async_context_manager, release
        list_tools = surface.member("fastmcp.Client", "list_tools")
        assert list_tools is not None and list_tools.is_async, release
        assert list_tools.returns is not None and list_tools.returns.startswith("list[mcp")
    # 3.0 moved the call methods to mixins: inherited members are found through the MRO.
    list_tools = surface_for("3.0.2").member("fastmcp.Client", "list_tools")
    assert (
        list_tools is not None
        and list_tools.owner == "fastmcp.client.mixins.tools.ClientToolsMixin"
    )
    assert "list_tools" in surface_for("3.0.2").class_members("fastmcp.Client")


def test_what_the_component_decorators_return() -> None:
    # Verified by decorating a function in each release's venv (scripts/dump_api_members.py).
    for release in ALL:
        surface = surface_for(release)
        kinds = ("tool", "resource", "resource_template", "prompt")
        returns = [surface.decorator_returns(kind) for kind in kinds]
        if release in V2:
            assert returns == [
                "fastmcp.tools.tool.FunctionTool",
                "fastmcp.resources.resource.FunctionResource",
                "fastmcp.resources.template.FunctionResourceTemplate",
                "fastmcp.prompts.prompt.FunctionPrompt",
            ], release
            assert surface.decorator_returns("tool", object_mode=True) is None
        else:
            assert returns == ["function"] * 4, release
            assert surface.decorator_returns("fastmcp.tools.tool") == "function"
    # 3.x's deprecated decorator_mode="object" still gives the 2.x objects; 4.x dropped it.
    assert surface_for("3.4.11").decorator_returns("tool", object_mode=True) == (
        "fastmcp.tools.function_tool.FunctionTool"
    )
    assert surface_for("4.0.0").decorator_returns("tool", object_mode=True) is None
    assert surface_for("4.2.3").decorator_returns("FastMCPApp.ui") == "function"
    assert surface_for("2.14.7").decorator_returns("FastMCPApp.ui") is None


def test_component_members() -> None:
    for release in ALL:
        surface = surface_for(release)
        fn = surface.member("fastmcp.tools.FunctionTool", "fn")  # a pydantic field
        assert fn is not None and fn.kind == "attribute", release
        assert fn.returns is not None and "collections.abc.Callable[..., typing.Any]" in fn.returns
        run = surface.member("fastmcp.tools.FunctionTool", "run")
        assert run is not None and run.is_async, release
        # Inherited from Tool and from pydantic's BaseModel.
        assert surface.has_member("fastmcp.tools.FunctionTool", "name") is True
        assert surface.has_member("fastmcp.tools.FunctionTool", "model_dump") is True
        assert surface.has_member("fastmcp.tools.FunctionTool", "no_such_member") is False


def test_module_level_functions() -> None:
    def headers(surface: ApiSurface) -> tuple[str, ...]:
        function = surface.function("fastmcp.server.dependencies.get_http_headers")
        assert function is not None and function.kind == "function"
        assert function.returns == "dict[str, str]" and not function.is_async
        assert function.signature is not None
        return function.signature.keyword_names

    assert _across(headers) == tuple(
        ("include_all",) if release in V2 else ("include_all", "include") for release in ALL
    )
    for release in ALL:
        get_context = surface_for(release).function("fastmcp.server.dependencies.get_context")
        assert get_context is not None and get_context.returns == "fastmcp.server.context.Context"
        assert get_context.signature is not None and get_context.signature.params == ()
    # Any public path of the function; signature() knows functions too.
    signature = surface_for("4.2.3").signature("fastmcp.server.dependencies.get_http_headers")
    assert signature is not None and signature.accepts_keyword("include")
    history = function_history("fastmcp.server.dependencies.get_http_request")
    assert history.present == ALL


def test_return_and_property_types_are_qualified() -> None:
    surface = surface_for("4.2.3")
    fastmcp = surface.member("fastmcp.Context", "fastmcp")
    assert fastmcp is not None and fastmcp.kind == "property"
    assert fastmcp.returns == "fastmcp.server.server.FastMCP"
    # Classes named by annotations are recorded too, with their members.
    request = surface.function("fastmcp.server.dependencies.get_http_request")
    assert request is not None and request.returns == "starlette.requests.Request"
    assert surface.has_member("starlette.requests.Request", "headers") is True
    assert surface.has_member("fastmcp.exceptions.ToolError", "args") is True  # BaseException


def test_members_of_open_ended_surfaces_are_missing_only_when_removed() -> None:
    newest = newest_dumped_release()
    beyond = surface_for(f"{newest.major}.{newest.minor + 7}.0")
    assert beyond.open_ended
    assert beyond.has_member("fastmcp.Context", "info") is True
    assert beyond.has_member("fastmcp.Context", "sample") is False  # removed in 4.0
    assert beyond.has_member("fastmcp.FastMCP", "get_tools") is False  # removed in 3.0
    assert beyond.has_member("fastmcp.Context", "brand_new") is None  # perhaps added
    assert surface_for(newest).has_member("fastmcp.Context", "brand_new") is False
    tool = beyond.member("fastmcp.FastMCP", "tool")
    assert tool is not None and tool.signature is not None
    assert tool.signature.accepts_keyword("brand_new")
    assert not tool.signature.accepts_keyword("enabled")  # 2.x only


def test_union_surfaces_merge_members() -> None:
    union = surface_for("3.2.0")  # 3.0.2 + 3.4.10
    # FastMCPApp arrived in 3.4: its members are known in the union.
    assert union.has_member("fastmcp.FastMCPApp", "tool") is True
    assert surface_for("3.0.2").has_member("fastmcp.FastMCPApp", "tool") is None
    # run_in_thread= arrived in 3.4 too: the union's signature takes it, 3.0.2's does not.
    tool = union.member("fastmcp.FastMCP", "tool")
    assert tool is not None and tool.signature is not None
    assert tool.signature.accepts_keyword("run_in_thread")
    strict = surface_for("3.0.2").member("fastmcp.FastMCP", "tool")
    assert strict is not None and strict.signature is not None
    assert not strict.signature.accepts_keyword("run_in_thread")


def test_the_old_member_api_keeps_its_answers() -> None:
    # members()/member_kind()/signature() as FMCP309/FMCP311 use them.
    for release in ALL:
        surface = surface_for(release)
        assert surface.member_kind("fastmcp.FastMCP", "tool") == "method"
        assert surface.member_kind("fastmcp.FastMCP", "name") in ("property", "attribute")
        assert "tool" in surface.members("fastmcp.FastMCP")
        assert surface.member_kind("fastmcp.FastMCP", "no_such_member") is None
    assert surface_for("2.13.3").member_kind("fastmcp.Context", "get_http_request") == "method"
    signature = surface_for("4.2.3").signature("fastmcp.Context.report_progress")
    assert signature is not None
    assert signature.qualified_name == "fastmcp.server.context.Context.report_progress"


def test_member_strings_parse() -> None:
    member = parse_member("m.C", "f", "classmethod async def(a, /, b=, *, c) -> list[m.C]")
    assert member.is_classmethod and member.is_async and member.returns == "list[m.C]"
    assert member.signature is not None and member.signature.required == ("a", "c")
    assert member.signature.max_positional == 2
    assert parse_member("m.C", "g", "def(...)").signature is None
    assert parse_member("m.C", "p", "property").returns is None
    assert parse_member("m.C", "x", "attr: int | None").returns == "int | None"
    assert parse_member("m", "h", "def(*args) -> None", function=True).kind == "function"
    assert History((("1", None), ("2", False), ("3", True), ("4", False))).removed_in == "4"
    assert History((("1", True), ("2", False), ("3", True))).removed_in is None


# -- the renames table is backed by the dumps -----------------------------------------


def _importable_somewhere(module: str, name: str | None) -> list[str]:
    found = []
    for release in ALL:
        surface = surface_for(release)
        ok = surface.has_module(module) if name is None else surface.has_name(module, name)
        if ok:
            found.append(release)
    return found


@pytest.mark.parametrize(
    "move", [m for m in MOVES if m.safe], ids=lambda m: m.old_name or m.old_module
)
def test_safe_moves_are_verified(move: Move) -> None:
    if move.verified_in is None:
        # Folklore: the old path never imported in any dumped release.
        if move.old_module == "*":
            return  # checked per module below (BearerAuthProvider is an alias in 2.13.3)
        assert _importable_somewhere(move.old_module, move.old_name) == []
        return
    surface = surface_for(move.verified_in)
    assert surface.has_module(move.old_module)
    new_module = next(m for m in move.new_modules if surface.has_module(m))
    names = [move.old_name] if move.old_name else sorted(surface.exports(move.old_module))
    checked = 0
    for name in names:
        new_name = move.new_name or name
        old_class = surface.resolve(f"{move.old_module}.{name}")
        new_class = surface.resolve(f"{new_module}.{new_name}")
        if old_class is None or new_class is None:
            continue  # functions and constants were checked by hand (see renames.py)
        assert old_class == new_class, f"{move.old_module}.{name} != {new_module}.{new_name}"
        checked += 1
    # Not classes: checked by hand with `is` in 3.0.2/3.4.10 (settings: 2.13.3).
    assert checked or move.old_name in {"settings", "tool", "resource", "prompt"}


def test_bearer_auth_provider_was_an_alias_of_jwt_verifier() -> None:
    surface = surface_for("2.13.3")
    assert surface.resolve("fastmcp.server.auth.providers.bearer.BearerAuthProvider") == (
        surface.resolve("fastmcp.server.auth.providers.jwt.JWTVerifier")
    )


def test_keyword_renames_point_at_real_keywords() -> None:
    for rename in KEYWORD_RENAMES:
        if rename.new_keyword is None:
            continue
        accepted = False
        for release in ALL:
            surface = surface_for(release)
            for path in surface.classes_named(rename.callable.split(".")[0]) or (
                f"fastmcp.{rename.callable.split('.')[0]}",
            ):
                member = rename.callable.partition(".")[2]
                signature = surface.signature(f"{path}.{member}" if member else path)
                if signature is not None and rename.new_keyword in signature.keyword_names:
                    accepted = True
        # AnthropicSamplingHandler needs the `anthropic` extra: not in the dumps.
        assert accepted or rename.callable == "AnthropicSamplingHandler", rename


# -- the extractor, on a fake package -------------------------------------------------


@pytest.fixture
def fake_package(tmp_path: Path) -> Iterator[str]:
    root = tmp_path / "fkitfake"
    (root / "ns").mkdir(parents=True)
    (root / "__init__.py").write_text(
        textwrap.dedent(
            """
            from fkitfake.core import Server, helper

            __all__ = ["Server", "helper"]
            _MOVED = {"Gone"}

            def __getattr__(name):
                if name == "Lazy":
                    from fkitfake.core import Server
                    return Server
                if name in _MOVED:
                    raise ImportError(f"{name} moved to fkitfake_extra")
                raise AttributeError(name)
            """
        )
    )
    (root / "core.py").write_text(
        textwrap.dedent(
            """
            from __future__ import annotations

            import os
            from contextlib import asynccontextmanager
            from typing import TYPE_CHECKING, Optional

            if TYPE_CHECKING:
                from fkitfake.ns.mod import Alias

            class Base:
                retries: int = 3

                async def close(self) -> None:
                    pass

                def tool(self, fn=None):
                    return fn

            class Server(Base):
                def __init__(self, name, /, *, port=8000, **kwargs):
                    if kwargs:
                        raise TypeError(f"unexpected keyword argument(s): {list(kwargs)}")
                    self.name: str = name
                    self._port = port

                def tool(self, fn=None, *, name=None):
                    return fn

                @property
                def label(self) -> Optional[Alias]:
                    return None

                @classmethod
                def create(cls, name: str) -> Server:
                    return cls(name)

                @asynccontextmanager
                async def session(self):
                    yield self

                async def stream(self):
                    yield 1

                async def __aenter__(self) -> Server:
                    return self

                async def __aexit__(self, *exc: object) -> None:
                    pass

            class _Hidden:
                pass

            def helper(x, y=1) -> list[Server]:
                return x
            """
        )
    )
    (root / "_private.py").write_text("SECRET = 1\n")
    (root / "needs_extra.py").write_text("import fkit_not_installed_xyz\n")
    (root / "broken.py").write_text("raise RuntimeError('boom at 0xdeadbeef')\n")
    (root / "ns" / "mod.py").write_text("from fkitfake.core import Server as Alias\n")
    sys.path.insert(0, str(tmp_path))
    try:
        yield "fkitfake"
    finally:
        sys.path.remove(str(tmp_path))
        for name in [m for m in sys.modules if m == "fkitfake" or m.startswith("fkitfake.")]:
            del sys.modules[name]


def test_extractor_on_a_fake_package(fake_package: str) -> None:
    surface = SCRIPT.extract(roots=(fake_package,), extra_roots=("fkit_absent_root",))
    modules = surface["modules"]
    assert sorted(modules) == ["fkitfake", "fkitfake.core", "fkitfake.ns", "fkitfake.ns.mod"]
    top = modules["fkitfake"]
    assert top["all"] is True and top["exports"] == ["Server", "helper"]
    assert "core" in top["other"]  # submodule attribute: importable, not in __all__
    assert top["lazy"] == ["Lazy"]
    assert top["lazy_errors"] == {"Gone": "ImportError: Gone moved to fkitfake_extra"}
    assert top["getattr"] == "strict"
    assert modules["fkitfake.core"]["exports"] == [
        "Base",
        "Optional",
        "Server",
        "TYPE_CHECKING",
        "annotations",
        "asynccontextmanager",
        "helper",
        "os",
    ]  # no __all__
    failed = surface["failed"]
    assert failed["fkitfake.needs_extra"]["extra"] is True
    assert failed["fkitfake.broken"] == {"error": "RuntimeError: boom", "extra": False}
    assert "fkitfake._private" not in failed and "fkitfake._private" not in modules
    server = surface["classes"]["fkitfake.core.Server"]
    assert server["init"] == ["name", "/", "*", "port=", "**kwargs"]
    assert server["also"] == ["fkitfake", "fkitfake:Lazy", "fkitfake.ns.mod:Alias"]
    assert surface["members"]["fkitfake.core.Server"] == {
        "mro": ["fkitfake.core.Base"],
        "own": {
            "create": "classmethod def(name) -> fkitfake.core.Server",
            # TYPE_CHECKING-only import, resolved to the class it names.
            "label": "property -> fkitfake.core.Server | None",
            "name": "attr: str",  # self.name: str = ... in __init__ (self._port is private)
            "session": "acm()",
            "stream": "async gen()",
            "tool": "def(fn=, *, name=)",
        },
        "protocols": ["async_cm"],
    }
    assert surface["members"]["fkitfake.core.Base"] == {
        "own": {"close": "async def() -> None", "retries": "attr: int", "tool": "def(fn=)"}
    }
    assert surface["functions"] == {
        "fkitfake.core.helper": {
            "also": ["fkitfake"],
            "def": "def(x, y=) -> list[fkitfake.core.Server]",
        }
    }
    assert surface["decorator_returns"] == {}  # only probed for fastmcp itself
    # The rendered file is deterministic and loads back as an ApiSurface, lazily or not.
    text = SCRIPT.render(surface)
    assert text == SCRIPT.render(json.loads(text))
    assert dict(parse_dump(text)["members"]) == json.loads(text)["members"]
    loaded = ApiSurface([Layer("0.0.1", parse_dump(text))])
    assert loaded.has_module("fkitfake.needs_extra")
    assert loaded.has_name("fkitfake", "Lazy") is True
    assert loaded.has_name("fkitfake", "Nope") is False
    assert loaded.has_name("fkitfake", "ns") is True
    assert loaded.resolve("fkitfake.ns.mod.Alias") == "fkitfake.core.Server"
    assert loaded.signature("fkitfake.Server.tool") == Signature.from_tokens(
        "fkitfake.core.Server.tool", ["fn=", "*", "name="]
    )
    # Members by any public path of the class, inherited ones included.
    close = loaded.member("fkitfake.Lazy", "close")
    assert close is not None and close.is_async and close.owner == "fkitfake.core.Base"
    assert close.returns == "None" and close.kind == "method"
    session = loaded.member("fkitfake.Server", "session")
    assert session is not None and session.is_async_context_manager and not session.is_async
    stream = loaded.member("fkitfake.Server", "stream")
    assert stream is not None and stream.is_async_generator
    create = loaded.member("fkitfake.Server", "create")
    assert create is not None and create.is_classmethod and create.returns == "fkitfake.core.Server"
    assert loaded.member_kind("fkitfake.Server", "label") == "property"
    assert loaded.member_kind("fkitfake.Server", "retries") == "attribute"
    assert loaded.members("fkitfake.Server") == {
        "close",
        "create",
        "label",
        "name",
        "retries",
        "session",
        "stream",
        "tool",
    }
    assert loaded.has_member("fkitfake.Server", "nope") is False
    assert loaded.has_member("fkitfake.Nope", "close") is None  # unknown class
    info = loaded.class_info("fkitfake.Server")
    assert info is not None and info.is_async_context_manager
    assert loaded.is_subclass("fkitfake.Lazy", "fkitfake.core.Base") is True
    helper = loaded.function("fkitfake.helper")
    assert helper is not None and helper.kind == "function" and not helper.is_async
    assert helper.owner == "fkitfake.core" and helper.returns == "list[fkitfake.core.Server]"
    assert loaded.signature("fkitfake.helper") == Signature.from_tokens(
        "fkitfake.core.helper", ["x", "y="]
    )
    assert loaded.decorator_returns("tool") is None


def test_write_surface_gzips_large_dumps_deterministically(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    surface = {"modules": {"m": {"exports": ["x" * 50]}}, "python": "3.11"}
    small = SCRIPT.write_surface(surface, "9.9.9", tmp_path)
    assert small.name == "fastmcp-9.9.9.json"
    monkeypatch.setattr(SCRIPT, "GZIP_ABOVE", 10)
    first = SCRIPT.write_surface(surface, "9.9.9", tmp_path)
    assert first.name == "fastmcp-9.9.9.json.gz" and not small.exists()
    data = first.read_bytes()
    assert SCRIPT.write_surface(surface, "9.9.9", tmp_path).read_bytes() == data
    monkeypatch.setattr(apisurface, "_data_dir", lambda: tmp_path)
    apisurface._layer.cache_clear()
    try:
        assert apisurface._layer("9.9.9").modules == {"m": {"exports": ["x" * 50]}}
    finally:
        apisurface._layer.cache_clear()


@pytest.mark.skipif(
    not (Path("/work/venvs/fm-4.1.2/bin/python").exists()),
    reason="needs a venv with fastmcp 4.1.2 (scripts/dump_api_surface.py --venvs-dir)",
)
def test_regenerating_a_dump_reproduces_the_shipped_file(tmp_path: Path) -> None:
    assert (
        SCRIPT.main(["--versions", "4.1.2", "--venvs-dir", "/work/venvs", "--out", str(tmp_path)])
        == 0
    )
    shipped = REPO / "fastmcp_kit" / "apisurface" / "data" / "fastmcp-4.1.2.json.gz"
    fresh = json.loads(gzip.decompress((tmp_path / shipped.name).read_bytes()))
    recorded = json.loads(gzip.decompress(shipped.read_bytes()))
    # The venv may hold newer patch releases of pydantic & co. than the shipped dump
    # recorded: the API must be the same, the fastmcp distributions too.
    for surface in (fresh, recorded):
        surface["distributions"] = {
            k: v for k, v in surface["distributions"].items() if k.startswith("fastmcp")
        }
    assert fresh == recorded


def test_a_move_to_a_name_deprecated_in_the_target_is_told_but_not_a_safe_fix() -> None:
    before = surface_for("4.1.7").suggest_name("fastmcp.server.providers", "SkillsProvider")
    assert before is not None and before.safe
    assert (before.module, before.name) == ("fastmcp.server.providers", "SkillsDirectoryProvider")
    after = surface_for("4.2.3").suggest_name("fastmcp.server.providers", "SkillsProvider")
    assert after is not None and not after.safe
    assert "deprecated in 4.2" in after.note and "fastmcp.skills.provider" in after.note
