"""The fields of ``fastmcp.settings`` per release line (read from the installed
releases with ``type(fastmcp.settings).model_fields``), for rules about
``FASTMCP_*`` environment variables. The env prefix is ``FASTMCP_`` and the nested
delimiter ``__`` in every listed line."""

from __future__ import annotations

from packaging.version import Version

_COMMON = frozenset(
    {
        "client_init_timeout", "client_raise_first_exceptiongroup_error", "debug",
        "deprecation_warnings", "enable_rich_tracebacks", "home", "host", "json_response",
        "log_enabled", "log_level", "mask_error_details", "message_path",
        "mounted_components_raise_on_load_error", "port", "server_dependencies", "sse_path",
        "stateless_http", "streamable_http_path", "strict_input_validation", "test_mode",
    }
)  # fmt: skip

# (first release of the line, fields) from 2.14.7, 3.0.2, 3.4.10, 4.0.0 and 4.1.2.
_BY_LINE: tuple[tuple[Version, frozenset[str]], ...] = (
    (
        Version("2.14"),
        _COMMON
        | {"check_for_updates", "docket", "exclude_tags", "experimental", "include_fastmcp_meta",
           "include_tags", "server_auth", "show_cli_banner"},
    ),
    (
        Version("3.0"),
        _COMMON
        | {"check_for_updates", "decorator_mode", "docket", "enable_rich_logging",
           "show_server_banner"},
    ),
    (
        Version("3.4"),
        _COMMON
        | {"check_for_updates", "client_disconnect_timeout", "client_log_level", "decorator_mode",
           "docket", "enable_rich_logging", "http_allowed_hosts", "http_allowed_origins",
           "http_host_origin_protection", "show_server_banner", "ssrf_trust_proxy", "transport"},
    ),
    (
        Version("4.0"),
        _COMMON
        | {"check_for_updates", "client_disconnect_timeout", "client_log_level",
           "enable_rich_logging", "http_allowed_hosts", "http_allowed_origins",
           "http_host_origin_protection", "http_session_idle_timeout", "mcp_camelcase_compat",
           "show_server_banner", "ssrf_trust_proxy", "telemetry_mode", "transport"},
    ),
)  # fmt: skip
# 4.1 adds one field to 4.0's.
_BY_LINE = (*_BY_LINE, (Version("4.1"), _BY_LINE[-1][1] | {"oauth_encryption_key"}))


def settings_fields(version: Version) -> frozenset[str]:
    """The settings fields of the newest listed line at or below ``version``."""
    chosen = _BY_LINE[0][1]
    for first, fields in _BY_LINE:
        if version >= first:
            chosen = fields
    return chosen
