"""A generated corpus of FastMCP projects of realistic shape, deterministic per seed.

Each project is what ``fastmcp`` users actually keep in a repository: a
``pyproject.toml`` pinning some FastMCP release, a ``src/<package>/`` with the
server (tools, resources, prompts, Context use, middleware, auth, mounted
sub-servers or ``register(mcp)`` modules, sometimes an ASGI app), helper modules
(models, storage, an HTTP client, settings, utilities), tests, and deployment files
(README, Dockerfile, ``fastmcp.json``, ``.env``). Some projects carry a few of the
documented mistakes. Usage::

    python -m bench.corpus DEST [--seed 6] [--projects 40]
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
from dataclasses import dataclass
from pathlib import Path

from bench.corpus import components, modules
from bench.corpus.domains import DOMAINS, PINS, PROJECT_WORDS, Domain
from bench.corpus.mistakes import ENV_MISTAKE, MISTAKES
from bench.corpus.source import Source, indent, snake

DEFAULT_SEED = 6
DEFAULT_PROJECTS = 40
# Share of projects that carry mistakes, and how many each carries.
MISTAKE_RATE = 0.35
MISTAKES_PER_PROJECT = (1, 3)


@dataclass(frozen=True)
class CorpusStats:
    projects: int
    python_files: int
    python_lines: int
    other_files: int


@dataclass
class _Project:
    slug: str
    package: str
    pin: str
    domains: list[Domain]
    files: dict[str, str]


def _major(pin: str) -> int:
    return int(pin.split("=")[-1].split(",")[0].lstrip("<>=")[0])


def _components(
    rng: random.Random, src: Source, d: Domain, server: str, tool_names: list[str]
) -> None:
    """A domain's tools, resources and prompts on ``server``."""
    # Distinct styles: some define fixed names (remember_<entity>) that must not repeat.
    styles = rng.sample(components.TOOL_STYLES, rng.randint(3, len(components.TOOL_STYLES)))
    offset = rng.randrange(len(d.verbs))
    for index, style in enumerate(styles):
        verb = d.verbs[(offset + index) % len(d.verbs)]
        block = style(rng, src, d, server, verb)
        tool_names.append(block.split("def ", 1)[1].split("(", 1)[0])
        src.add(block)
    for style in rng.sample(components.RESOURCE_STYLES, rng.randint(1, 3)):
        src.add(style(rng, src, d, server, ""))
    if rng.random() < 0.6:
        src.add(rng.choice(components.PROMPT_STYLES)(rng, src, d, server, ""))


def _tool_module(
    rng: random.Random, project: _Project, d: Domain, style: str, tool_names: list[str]
) -> Source:
    src = Source(f"{d.name.capitalize()} tools.", depth=1)
    src.need("os")
    src.add(f'API_URL = os.environ.get("{d.name.upper()}_API_URL", "{d.api}")')
    if style == "subserver":
        src.need("fastmcp", "FastMCP")
        src.add(f'{d.name} = FastMCP("{d.name.capitalize()}")')
        _components(rng, src, d, d.name, tool_names)
    elif style == "register":
        src.need("fastmcp", "FastMCP")
        inner = Source("")
        _components(rng, inner, d, "mcp", tool_names)
        for module, names in inner.from_imports.items():
            src.need(module, *names)
        for module in inner.imports:
            src.need(module)
        body = "\n\n".join(indent(block) for block in inner.blocks)
        src.add(f'def register(mcp: FastMCP) -> None:\n    """Add the {d.name} tools."""\n\n{body}')
    else:  # "direct": decorate the server object imported from server.py
        src.need(".server", "mcp")
        _components(rng, src, d, "mcp", tool_names)
    return src


def _server(rng: random.Random, project: _Project, styles: dict[str, str]) -> Source:
    src = Source(f"The {project.slug} MCP server.")
    src.need("os")
    src.need("fastmcp", "FastMCP")
    src.need(".config", "settings")
    has_auth = f"src/{project.package}/auth.py" in project.files
    has_middleware = f"src/{project.package}/middleware.py" in project.files
    if has_auth:
        src.need(".auth", "build_auth")
    instructions = f"Tools for {', '.join(d.name for d in project.domains)}."
    auth = ", auth=build_auth()" if has_auth else ""
    src.add(f'API_URL = os.environ.get("API_URL", "{project.domains[0].api}")')
    src.add(f'mcp = FastMCP("{project.slug}", instructions="{instructions}"{auth})')
    if has_middleware:
        src.need(".middleware", "AuditMiddleware", "BlockTools")
        src.add("mcp.add_middleware(AuditMiddleware())\nmcp.add_middleware(BlockTools())")
    keyword = "namespace" if _major(project.pin) >= 3 else "prefix"
    direct = []
    for d in project.domains[1:]:
        style = styles[d.name]
        if style == "subserver":
            src.need(f".tools.{d.name}", d.name)
            src.add(f'mcp.mount({d.name}, {keyword}="{d.name}")')
        elif style == "register":
            src.need(".tools", d.name)
            src.add(f"{d.name}.register(mcp)")
        else:
            direct.append(d.name)
    tool_names: list[str] = []
    _components(rng, src, project.domains[0], "mcp", tool_names)
    src.add(
        """
def main() -> None:
    transport = os.environ.get("MCP_TRANSPORT", "stdio")
    if transport == "stdio":
        mcp.run()
    else:
        mcp.run(transport="http", host="0.0.0.0", port=settings.port)


if __name__ == "__main__":
    main()
"""
    )
    if direct:
        # Registered by import, after `mcp` exists: the classic (working) cycle.
        names = ", ".join(direct)
        src.add(f"from .tools import {names}  # noqa: E402, F401  (registers the tools)")
    return src


def _text_files(rng: random.Random, project: _Project, with_mistake: bool) -> dict[str, str]:
    files = {
        "pyproject.toml": (
            f'[project]\nname = "{project.slug}"\nversion = "0.{rng.randint(1, 9)}.0"\n'
            f'requires-python = ">=3.10"\ndependencies = ["{project.pin}", "httpx>=0.27", "pydantic>=2"]\n\n'
            f'[project.scripts]\n{project.slug} = "{project.package}.server:main"\n'
        ),
        "README.md": (
            f"# {project.slug}\n\nAn MCP server for {', '.join(d.name for d in project.domains)}.\n\n"
            f"```sh\nfastmcp run src/{project.package}/server.py:mcp\n```\n"
        ),
    }
    if rng.random() < 0.5:
        files["Dockerfile"] = (
            "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install .\n"
            f'CMD ["fastmcp", "run", "src/{project.package}/server.py:mcp", "--transport", "http"]\n'
        )
    if rng.random() < 0.4:
        files["fastmcp.json"] = json.dumps(
            {
                "$schema": "https://gofastmcp.com/public/schemas/fastmcp.json/v1.json",
                "source": {"path": f"src/{project.package}/server.py", "entrypoint": "mcp"},
                "environment": {"dependencies": [project.pin]},
            },
            indent=2,
        )
    env = f"{project.package.upper()}_DEBUG=0\nPORT=8000\n"
    files[".env"] = env + (ENV_MISTAKE if with_mistake else "")
    return files


def _project(rng: random.Random, index: int) -> _Project:
    word = PROJECT_WORDS[index % len(PROJECT_WORDS)]
    count = rng.randint(1, 4)
    domains = rng.sample(DOMAINS, count)
    slug = f"{word}-{domains[0].name}-mcp" + (f"-{index}" if index >= len(PROJECT_WORDS) else "")
    package = snake(slug)
    project = _Project(slug, package, rng.choice(PINS), domains, {})
    src = f"src/{package}"
    with_mistakes = rng.random() < MISTAKE_RATE
    if rng.random() < 0.5:
        project.files[f"{src}/middleware.py"] = modules.middleware(rng).render()
    if rng.random() < 0.4:
        project.files[f"{src}/auth.py"] = modules.auth(rng, slug).render()
    styles = {d.name: rng.choice(("subserver", "register", "direct")) for d in domains[1:]}
    sources: dict[str, Source] = {}
    tool_names: list[str] = []
    for d in domains[1:]:
        sources[f"{src}/tools/{d.name}.py"] = _tool_module(
            rng, project, d, styles[d.name], tool_names
        )
    sources[f"{src}/server.py"] = _server(rng, project, styles)
    sources[f"{src}/models.py"] = modules.models(rng, domains)
    sources[f"{src}/storage.py"] = modules.storage(rng, domains)
    sources[f"{src}/config.py"] = modules.config(rng, slug, domains)
    sources[f"{src}/utils.py"] = modules.utils(rng)
    sources[f"{src}/client.py"] = modules.http_client(rng, domains)
    if rng.random() < 0.3:
        sources[f"{src}/app.py"] = modules.asgi_app(rng)
    if with_mistakes:
        targets = [p for p in sources if "/tools/" in p or p.endswith("server.py")]
        for _ in range(rng.randint(*MISTAKES_PER_PROJECT)):
            mistake = rng.choice(MISTAKES)
            target = rng.choice(sorted(targets))
            server = "mcp"
            if "/tools/" in target:
                name = target.rsplit("/", 1)[1][:-3]
                server = {"subserver": name, "register": "mcp", "direct": "mcp"}[styles[name]]
                if styles[name] == "register":
                    target = f"{src}/server.py"  # keep snippets at module level
            mistake(rng, sources[target], server, rng.choice(domains))
    sources["tests/conftest.py"] = modules.conftest(package)
    sources["tests/test_server.py"] = modules.server_tests(rng, package, tool_names)
    sources["tests/test_utils.py"] = modules.helper_tests(rng, package)
    project.files.update({path: source.render() for path, source in sources.items()})
    project.files[f"{src}/__init__.py"] = f'"""{slug}."""\n\n__version__ = "0.1.0"\n'
    if domains[1:]:
        project.files[f"{src}/tools/__init__.py"] = '"""Tool modules, one per upstream API."""\n'
    project.files["tests/__init__.py"] = ""
    project.files.update(_text_files(rng, project, with_mistakes and rng.random() < 0.5))
    return project


def generate(dest: Path, seed: int = DEFAULT_SEED, projects: int = DEFAULT_PROJECTS) -> CorpusStats:
    """Write ``projects`` projects under ``dest/projects/`` plus a root pyproject.toml;
    the same seed and count always produce byte-identical files."""
    if dest.exists():
        shutil.rmtree(dest)
    rng = random.Random(seed)
    py_files = py_lines = other = 0
    for index in range(projects):
        project = _project(rng, index)
        for relative, text in sorted(project.files.items()):
            path = dest / "projects" / project.slug / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            if relative.endswith(".py"):
                py_files += 1
                py_lines += text.count("\n")
            else:
                other += 1
    root = dest / "pyproject.toml"
    root.write_text(
        '[project]\nname = "fastmcp-corpus"\nversion = "0"\ndependencies = ["fastmcp==4.1.2"]\n',
        encoding="utf-8",
    )
    return CorpusStats(projects, py_files, py_lines, other + 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dest", type=Path)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--projects", type=int, default=DEFAULT_PROJECTS)
    args = parser.parse_args()
    print(generate(args.dest, args.seed, args.projects))
