"""What the generated servers are about: domains, their entities and fields."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Domain:
    name: str  # "weather"
    entity: str  # "forecast"
    fields: tuple[tuple[str, str], ...]  # (name, annotation)
    verbs: tuple[str, ...]  # tool name stems
    scheme: str  # resource URI scheme
    api: str  # upstream API base URL


DOMAINS = (
    Domain(
        "weather",
        "forecast",
        (("city", "str"), ("temperature", "float"), ("humidity", "int"), ("summary", "str")),
        ("get", "list", "compare", "alert"),
        "weather",
        "https://api.weather.example.com/v2",
    ),
    Domain(
        "github",
        "issue",
        (("number", "int"), ("title", "str"), ("state", "str"), ("labels", "list[str]")),
        ("get", "list", "create", "close", "search"),
        "github",
        "https://api.github.com",
    ),
    Domain(
        "notes",
        "note",
        (("note_id", "str"), ("title", "str"), ("body", "str"), ("tags", "list[str]")),
        ("get", "list", "create", "update", "delete", "search"),
        "notes",
        "https://notes.internal.example.com/api",
    ),
    Domain(
        "calendar",
        "event",
        (("event_id", "str"), ("title", "str"), ("start", "str"), ("attendees", "list[str]")),
        ("get", "list", "create", "cancel"),
        "calendar",
        "https://calendar.example.com/v1",
    ),
    Domain(
        "billing",
        "invoice",
        (("invoice_id", "str"), ("customer", "str"), ("amount", "float"), ("paid", "bool")),
        ("get", "list", "create", "refund"),
        "billing",
        "https://billing.example.com/api",
    ),
    Domain(
        "search",
        "document",
        (("doc_id", "str"), ("url", "str"), ("score", "float"), ("snippet", "str")),
        ("search", "get", "index"),
        "docs",
        "https://search.example.com",
    ),
    Domain(
        "crm",
        "contact",
        (("contact_id", "str"), ("name", "str"), ("email", "str"), ("company", "str")),
        ("get", "list", "create", "update", "merge"),
        "crm",
        "https://crm.example.com/api/v3",
    ),
    Domain(
        "tickets",
        "ticket",
        (("ticket_id", "str"), ("subject", "str"), ("priority", "int"), ("assignee", "str")),
        ("get", "list", "create", "assign", "close"),
        "tickets",
        "https://support.example.com/api",
    ),
    Domain(
        "files",
        "file",
        (("path", "str"), ("size", "int"), ("modified", "str"), ("owner", "str")),
        ("get", "list", "read", "write", "delete"),
        "files",
        "https://files.example.com",
    ),
    Domain(
        "inventory",
        "item",
        (("sku", "str"), ("name", "str"), ("quantity", "int"), ("price", "float")),
        ("get", "list", "restock", "reserve"),
        "inventory",
        "https://inventory.example.com/v1",
    ),
    Domain(
        "analytics",
        "metric",
        (("metric", "str"), ("value", "float"), ("window", "str"), ("dimensions", "list[str]")),
        ("get", "query", "compare"),
        "metrics",
        "https://analytics.example.com/api",
    ),
    Domain(
        "slack",
        "message",
        (("channel", "str"), ("text", "str"), ("ts", "str"), ("user", "str")),
        ("post", "list", "search", "react"),
        "slack",
        "https://slack.com/api",
    ),
)

PROJECT_WORDS = (
    "acme",
    "atlas",
    "beacon",
    "cobalt",
    "delta",
    "ember",
    "falcon",
    "granite",
    "harbor",
    "iris",
    "juniper",
    "kepler",
    "lumen",
    "meridian",
    "nimbus",
    "orbit",
    "pylon",
    "quartz",
    "relay",
    "summit",
    "tundra",
    "umbra",
    "vertex",
    "willow",
)

PINS = (
    "fastmcp>=2.14,<3",
    "fastmcp==2.14.7",
    "fastmcp>=3.0,<4",
    "fastmcp==3.4.10",
    "fastmcp>=4.0",
    "fastmcp==4.1.2",
    "fastmcp>=4.1,<5",
)
