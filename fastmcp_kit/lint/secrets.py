"""Does a string literal look like a committed secret? (FMCP614)

Two kinds of evidence, each kept narrow because a finding asks someone to rotate a
credential:

* the value has the exact shape of a provider's key (AWS, GitHub, GitLab, Google,
  Slack, Stripe, OpenAI, Anthropic), wherever it is, or is a connection URL with a
  password in it (``postgresql://app:s3cr3t-pw@db/app``; not one whose password is
  the user name or whose host is local: development defaults);
* the value is bound to a name that says it is a secret (the last word of
  ``DB_PASSWORD``, ``api_key``, ``clientSecret``, ``auth_token``) and looks random
  enough: eight characters or more, no spaces, at least 3 bits of entropy per
  character, not an identifier-like word (``"registration_token"``, a lower-case
  model or path name ``"cohere/rerank-multilingual-v3.0"``), not an
  environment variable's name (``"MINIMAX_API_KEY"``), not a template
  (``"${password}"``, ``"{token}"``) and not a placeholder (``changeme``,
  ``your-api-key``, ``<token>``, anything saying test, dummy, fake, example, ...).

In test code (``tests/``, ``test_*.py``, ``conftest.py``) only the first kind counts:
fixtures hold made-up credentials by design.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from pathlib import Path

# Provider key formats (public documentation of each provider's prefix and length).
KEY_FORMATS = (
    ("an AWS access key id", re.compile(r"\b(AKIA|ASIA)[0-9A-Z]{16}\b")),
    ("a GitHub token", re.compile(r"\b(gh[pousr]_[A-Za-z0-9]{36}|github_pat_\w{60,})\b")),
    ("a GitLab token", re.compile(r"\bglpat-[A-Za-z0-9_-]{20}\b")),
    ("a Google API key", re.compile(r"\bAIza[0-9A-Za-z_-]{35}\b")),
    ("a Slack token", re.compile(r"\bxox[abpors]-\d{8,}-\d{8,}-[A-Za-z0-9-]{10,}\b")),
    ("a Stripe secret key", re.compile(r"\b[sr]k_live_[0-9A-Za-z]{20,}\b")),
    ("an Anthropic API key", re.compile(r"\bsk-ant-[A-Za-z0-9_-]{40,}\b")),
    ("an OpenAI API key", re.compile(r"\bsk-(proj-)?[A-Za-z0-9_-]{40,}\b")),
)
# The last word of a name that holds a secret; "key" only after one of KEY_QUALIFIERS.
SECRET_WORDS = frozenset({"password", "passwd", "pwd", "passphrase", "secret", "token", "apikey"})
KEY_QUALIFIERS = frozenset({"api", "secret", "private", "access", "signing", "encryption", "auth"})
PLACEHOLDER_WORDS = (
    "change",
    "your",
    "example",
    "placeholder",
    "dummy",
    "fake",
    "test",
    "sample",
    "mock",
    "xxx",
    "***",
    "...",
    "redacted",
    "secret",
    "password",
    "token",
    "insert",
    "replace",
    "todo",
    "none",
    "null",
    "valid",
    "key",
)
# Development defaults in connection URLs (docker-compose and test databases).
LOCAL_HOSTS = ("localhost", "127.0.0.1", "0.0.0.0", "host.docker.internal")
# ``postgresql://user:password@host/db`` as the whole literal (not prose mentioning one).
URL_CREDENTIALS = re.compile(r"^[a-z][a-z0-9+.-]*://([^:/@\s]+):([^@/\s{}$<>]+)@([^:/\s]+)[^\s]*$")
# Names, not secrets: `refresh_token`, `GITHUB_TOKEN`, `cohere/rerank-multilingual-v3.0`.
IDENTIFIER_LIKE = re.compile(
    r"^[a-z]+([_.-][a-z]+)*$|^[A-Z][A-Z0-9_]*$|^[a-z][a-z0-9]*([/._-][a-z0-9]+)+$"
)
MIN_LENGTH = 8
MIN_ENTROPY = 3.0


def key_format(value: str, *, urls: bool) -> str | None:
    """The provider whose key format the text contains, if any (``urls``: a connection
    URL with a real-looking password counts too)."""
    for provider, pattern in KEY_FORMATS:
        found = pattern.search(value)
        if found is not None and _random_enough(found.group(0)):
            return provider
    credentials = URL_CREDENTIALS.match(value) if urls else None
    if credentials is not None and _real_password(*credentials.groups()):
        return "a password in a connection URL"
    return None


def _real_password(user: str, password: str, host: str) -> bool:
    """Not a local development default (``postgres:postgres@localhost``)."""
    lowered = password.lower()
    if password == user or host.lower() in LOCAL_HOSTS or len(password) < 6:
        return False
    return not any(word in lowered for word in PLACEHOLDER_WORDS)


def names_a_secret(name: str) -> bool:
    """Whether a variable, keyword or key name says it holds a secret."""
    words = [w for w in re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).lower().split("_") if w]
    if not words:
        return False
    last = words[-1]
    if last in SECRET_WORDS:
        return True
    return last == "key" and len(words) > 1 and words[-2] in KEY_QUALIFIERS


def looks_like_secret(value: str) -> bool:
    """Whether a value bound to a secret's name looks like a real one."""
    if len(value) < MIN_LENGTH or any(c.isspace() for c in value):
        return False
    if any(c in value for c in "{}$<>%") or "://" in value:
        return False
    if IDENTIFIER_LIKE.match(value):
        return False
    lowered = value.lower()
    if any(word in lowered for word in PLACEHOLDER_WORDS):
        return False
    return _random_enough(value)


def _random_enough(value: str) -> bool:
    counts = Counter(value)
    entropy = -sum(n / len(value) * math.log2(n / len(value)) for n in counts.values())
    return entropy >= MIN_ENTROPY


def is_test_file(path: Path) -> bool:
    """A test module or fixture file, where made-up credentials are the norm."""
    name = path.name
    return (
        name.startswith("test_")
        or name.endswith("_test.py")
        or name == "conftest.py"
        or any(part in ("tests", "test", "testing") for part in path.parts[:-1])
    )
