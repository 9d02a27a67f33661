"""The upgrade plan: one step per release line, each an explicit, ordered codemod list.

Order matters inside a step: import moves run before the codemods that resolve the
moved names, and codemods that add statements after a server's assignment run before
those that report on the result. A codemod may appear in several steps (``mount``'s
``prefix=`` is deprecated in 3.x and removed in 4.0, so 3.x code going to 4 needs the
same rewrite); it does nothing the second time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from packaging.version import Version

from fastmcp_kit.errors import FkitError
from fastmcp_kit.upgrade.codemod import (
    GUIDE_2_14,
    GUIDE_3,
    GUIDE_4,
    AnyCodemod,
    Codemod,
    StepName,
    TextCodemod,
)
from fastmcp_kit.upgrade.codemods.v2_14 import (
    bearer_auth_provider,
    context_get_http_request,
    env_settings,
    exclude_args_deprecated,
    experimental_openapi_import,
    image_import,
    mount_arguments,
    openapi_parser,
    output_schema_false,
    proxy_client,
    resource_prefix_format,
    server_dependencies,
    settings_import,
    transport_methods,
)
from fastmcp_kit.upgrade.codemods.v3 import (
    as_proxy,
    auth_provider_env,
    auth_reports,
    component_enabled,
    decorated_function,
    dev_command,
    get_components,
    import_server_deprecated,
    lifespan_context,
    list_changed,
    meta_key,
    mount_namespace,
    openapi_provider,
    prompt_messages,
    proxy_module,
    reexported_names,
    server_keywords,
    server_settings,
    state_await,
    tag_filters,
    tool_module,
    tool_transformations,
    transport_kwargs,
    ws_transport,
)
from fastmcp_kit.upgrade.codemods.v3 import (
    env_settings as env_settings_3,
)
from fastmcp_kit.upgrade.codemods.v4 import (
    camelcase,
    component_modules,
    elicit,
    era_reports,
    exclude_args,
    httpx2,
    import_server,
    mcp_error,
    moved_imports,
    remove_tool,
    removed_options,
    sampling_removed,
    sdk_server,
    sse_read_timeout,
    tasks_extension,
    tool_injection,
)
from fastmcp_kit.upgrade.codemods.v4 import env_settings as env_settings_4


@dataclass(frozen=True)
class Step:
    """One release line: what it upgrades to and the codemods that get there."""

    name: StepName
    title: str
    link: str
    codemods: tuple[AnyCodemod, ...]

    @property
    def line(self) -> Version:
        return Version(self.name)

    def python(self) -> tuple[type[Codemod], ...]:
        return tuple(c for c in self.codemods if issubclass(c, Codemod))

    def text(self) -> tuple[type[TextCodemod], ...]:
        return tuple(c for c in self.codemods if issubclass(c, TextCodemod))


STEP_2_14 = Step(
    "2.14",
    "FastMCP <=2.13 -> 2.14 (the 2.14.0 removals)",
    GUIDE_2_14,
    (
        # Import moves first: later codemods resolve the moved names.
        bearer_auth_provider.BearerAuthProvider,
        image_import.ImageImport,
        settings_import.SettingsImport,
        openapi_parser.OpenAPIParser,  # before the move: it reports legacy-parser imports
        experimental_openapi_import.ExperimentalOpenAPIImport,
        context_get_http_request.ContextGetHttpRequest,
        server_dependencies.ServerDependencies,
        resource_prefix_format.ResourcePrefixFormat,
        proxy_client.ProxyClient,
        output_schema_false.OutputSchemaFalse,
        transport_methods.TransportMethods,
        mount_arguments.MountArguments,
        exclude_args_deprecated.ExcludeArgsDeprecated,
        env_settings.EnvSettings214,
    ),
)

STEP_3 = Step(
    "3",
    "FastMCP 2.x -> 3.x",
    GUIDE_3,
    (
        proxy_module.ProxyModule,
        tool_module.ToolModule,
        reexported_names.ReexportedNames,  # before prompt-messages: mcp.types.PromptMessage
        openapi_provider.OpenAPIProvider,
        transport_kwargs.TransportKwargs,
        server_keywords.ServerKeywords,
        tag_filters.TagFilters,
        tool_transformations.ToolTransformations,
        component_enabled.ComponentEnabled,  # before decorated-function: it handles .disable()
        decorated_function.DecoratedFunction,
        get_components.GetComponents,
        state_await.StateAwait,
        prompt_messages.PromptMessages,
        auth_provider_env.AuthProviderEnv,
        auth_reports.AuthReports,
        ws_transport.WSTransport,
        meta_key.MetaKey,
        mount_namespace.MountNamespace,
        as_proxy.AsProxy,
        import_server_deprecated.ImportServerDeprecated,
        list_changed.ListChanged,
        lifespan_context.LifespanContext,
        server_settings.ServerSettings,
        env_settings_3.EnvSettings3,
        dev_command.DevCommand,
    ),
)

STEP_4 = Step(
    "4",
    "FastMCP 3.x -> 4.x",
    GUIDE_4,
    (
        # Import moves first (3.x code that still uses paths 4.0 removed).
        experimental_openapi_import.ExperimentalOpenAPIImport,
        proxy_module.ProxyModule,
        openapi_provider.OpenAPIProvider,
        reexported_names.ReexportedNames,  # 3.x code importing them from deleted modules
        component_modules.ComponentModules,
        moved_imports.MovedImports,
        mcp_error.McpErrorCodemod,
        tasks_extension.TasksExtension,
        tool_injection.ToolInjection,
        as_proxy.AsProxy,
        import_server.ImportServer,  # before mount-namespace: it emits mount(prefix=)
        mount_namespace.MountNamespace,
        tool_transformations.ToolTransformations,
        remove_tool.RemoveTool,
        exclude_args.ExcludeArgs,
        sse_read_timeout.SseReadTimeout,
        httpx2.Httpx2,
        camelcase.CamelCase,
        elicit.Elicit,
        sampling_removed.SamplingRemoved,
        removed_options.RemovedOptions,
        era_reports.EraReports,
        sdk_server.SdkServer,
        env_settings_4.EnvSettings4,
    ),
)

STEPS: tuple[Step, ...] = (STEP_2_14, STEP_3, STEP_4)
TARGETS: tuple[StepName, ...] = ("2.14", "3", "4")


def all_codemods() -> dict[str, AnyCodemod]:
    """Every codemod by id (a codemod listed in several steps appears once)."""
    found: dict[str, AnyCodemod] = {}
    for step in STEPS:
        for codemod in step.codemods:
            found.setdefault(codemod.ID, codemod)
    return found


def line_of(version: Version) -> Version:
    """The release line a version belongs to in the plan: 2.14, 3 or 4 (<=2.13 -> 2.13)."""
    if version.major >= 4:
        return Version("4")
    if version.major == 3:
        return Version("3")
    if version >= Version("2.14"):
        return Version("2.14")
    return Version("2.13")


def check_target(to: str) -> None:
    if to not in TARGETS:
        raise FkitError(f"--to must be one of {', '.join(TARGETS)}, not {to!r}")


def plan(from_version: Version, to: str, source: str = "") -> list[Step]:
    """The steps from ``from_version`` to the line ``to``, one release line at a time.

    A project already on the target line gets the target line's step alone: its pin
    may have been bumped by hand while the code still uses older APIs, and the
    codemods only touch APIs the line removed. A project past the target line is
    refused (named by ``source``): the codemods only move forward, and the pins would
    be moved back.
    """
    check_target(to)
    target = Version(to)
    if from_version >= Version(str(target.major + 1)):
        where = f" ({source})" if source else ""
        raise FkitError(
            f"--to {to} is older than FastMCP {from_version}{where}: fkit upgrade never downgrades"
        )
    current = line_of(from_version)
    steps = [step for step in STEPS if current < step.line <= target]
    if not steps:
        steps = [next(step for step in STEPS if step.line == target)]
    return steps


def select(
    steps: Sequence[Step],
    only: Sequence[str],
    skip: Sequence[str],
    extra: Sequence[str] = (),
) -> list[tuple[Step, list[AnyCodemod]]]:
    """The codemods each step runs under ``--only`` / ``--skip`` / ``--with`` (ids are
    checked; an opt-in codemod runs only when named by ``--only`` or ``--with``)."""
    known = all_codemods()
    for wanted in (*only, *skip, *extra):
        if wanted not in known and wanted not in EXTRA_IDS:
            raise FkitError(
                f"unknown codemod id {wanted!r} (see `fkit upgrade --list --to 4` for the ids)"
            )
    chosen = []
    for step in steps:
        codemods = [
            c
            for c in step.codemods
            if c.ID not in skip and (c.ID in only or c.ID in extra or (not only and not c.OPT_IN))
        ]
        chosen.append((step, codemods))
    return chosen


# Ids of the project-level changes that are not codemod classes (pins, fastmcp.json).
PINS_ID = "dependency-pins"
EXTRA_IDS = frozenset({PINS_ID})
# Fact-sheet rows the dependency pins and the project notes cover (pins.py, notes.py).
PROJECT_ROWS = ("i.23", "i.24", "ii.23", "ii.36", "ii.38", "ii.39", "iii.13", "iii.46", "iii.47")
