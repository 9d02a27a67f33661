"""A tiny source builder for generated modules: collects imports while snippets are
added, then renders them sorted (isort-like) above the body."""

from __future__ import annotations

import random
from dataclasses import dataclass, field


@dataclass
class Source:
    """One generated Python module."""

    doc: str
    from_imports: dict[str, set[str]] = field(default_factory=dict)
    imports: set[str] = field(default_factory=set)
    blocks: list[str] = field(default_factory=list)
    # How deep inside the project package the module sits: relative imports written
    # as ".models" become "..models" one level down.
    depth: int = 0

    def need(self, module: str, *names: str) -> None:
        """``from module import names`` (``import module`` without names)."""
        if names:
            self.from_imports.setdefault(module, set()).update(names)
        else:
            self.imports.add(module)

    def add(self, block: str) -> None:
        self.blocks.append(block.strip("\n"))

    def render(self) -> str:
        lines = [f'"""{self.doc}"""', "", "from __future__ import annotations", ""]
        stdlib = sorted(m for m in self.imports if m in STDLIB)
        stdlib_from = sorted(m for m in self.from_imports if m.split(".")[0] in STDLIB)
        other = sorted(m for m in self.imports if m not in STDLIB)
        other_from = sorted(
            m for m in self.from_imports if m.split(".")[0] not in STDLIB and m[0] != "."
        )
        local_from = sorted(m for m in self.from_imports if m[0] == ".")
        groups = ((stdlib, stdlib_from), (other, other_from), ([], local_from))
        for group_plain, group_from in groups:
            if not group_plain and not group_from:
                continue
            lines += [f"import {m}" for m in group_plain]
            for module in group_from:
                names = ", ".join(sorted(self.from_imports[module]))
                shown = "." * self.depth + module if module.startswith(".") else module
                lines.append(f"from {shown} import {names}")
            lines.append("")
        body = "\n\n\n".join(self.blocks)
        return "\n".join(lines) + "\n" + body + "\n"


STDLIB = frozenset(
    {
        "asyncio",
        "collections",
        "contextlib",
        "dataclasses",
        "datetime",
        "enum",
        "functools",
        "json",
        "logging",
        "os",
        "pathlib",
        "re",
        "sqlite3",
        "threading",
        "time",
        "typing",
        "uuid",
    }
)


def snake(words: str) -> str:
    return words.replace("-", "_").replace(" ", "_").lower()


def camel(words: str) -> str:
    return "".join(part.capitalize() for part in snake(words).split("_"))


def pick(rng: random.Random, options: list[str] | tuple[str, ...]) -> str:
    return options[rng.randrange(len(options))]


def indent(text: str, spaces: int = 4) -> str:
    pad = " " * spaces
    return "\n".join(pad + line if line else line for line in text.splitlines())
