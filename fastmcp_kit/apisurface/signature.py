"""Signatures of FastMCP callables as the API dumps record them: parameter names, kinds and
whether each has a default (not the default's value, nor parameter annotations)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

__all__ = ["Param", "ParamKind", "Signature"]

ParamKind = Literal[
    "positional_only", "positional_or_keyword", "var_positional", "keyword_only", "var_keyword"
]


@dataclass(frozen=True)
class Param:
    """One parameter: its name, kind and whether it has a default (not the value)."""

    name: str
    kind: ParamKind
    has_default: bool = False


@dataclass(frozen=True)
class Signature:
    """A callable's parameters in one or more FastMCP releases."""

    qualified_name: str
    params: tuple[Param, ...]
    # FastMCP 3.x+ declares **kwargs only to raise TypeError for any keyword in it.
    kwargs_rejected: bool = False
    # FastMCP's own explanation for keywords it stopped accepting (FastMCP() in 3.x+).
    removed_kwargs: Mapping[str, str] = field(default_factory=dict)
    # For a target newer than the newest dump: keywords outside ``params`` are unknown
    # (perhaps added since) unless ``known_removed`` lists them (an older dump took them).
    open_ended: bool = False
    known_removed: frozenset[str] = frozenset()

    @property
    def keyword_names(self) -> tuple[str, ...]:
        """Names that may be passed as ``name=value``."""
        return tuple(
            p.name for p in self.params if p.kind in ("positional_or_keyword", "keyword_only")
        )

    @property
    def has_var_keyword(self) -> bool:
        """Does ``**kwargs`` accept arbitrary keywords (not just to reject them)?"""
        return not self.kwargs_rejected and any(p.kind == "var_keyword" for p in self.params)

    @property
    def has_var_positional(self) -> bool:
        """Does ``*args`` take any number of extra positional arguments?"""
        return any(p.kind == "var_positional" for p in self.params)

    @property
    def max_positional(self) -> int | None:
        """How many arguments may be passed by position (None: any number, ``*args``)."""
        if self.has_var_positional:
            return None
        return sum(p.kind in ("positional_only", "positional_or_keyword") for p in self.params)

    @property
    def required(self) -> tuple[str, ...]:
        """The parameters a call must pass (no default, not ``*args``/``**kwargs``)."""
        return tuple(
            p.name
            for p in self.params
            if not p.has_default and p.kind not in ("var_positional", "var_keyword")
        )

    def accepts_keyword(self, name: str) -> bool:
        """May ``name=`` be passed? (Open-ended: yes unless its removal is known.)"""
        if self.has_var_keyword or name in self.keyword_names:
            return True
        return self.open_ended and name not in self.known_removed

    @classmethod
    def from_tokens(
        cls,
        qualified_name: str,
        tokens: Sequence[str],
        *,
        kwargs_rejected: bool = False,
        removed_kwargs: Mapping[str, str] | None = None,
    ) -> Signature:
        """Parse the dump's tokens: ``a``, ``b=``, ``/``, ``*``, ``*args``, ``**kw``."""
        params: list[Param] = []
        keyword_only = False
        for token in tokens:
            if token == "/":
                params = [
                    Param(p.name, "positional_only", p.has_default)
                    if p.kind == "positional_or_keyword"
                    else p
                    for p in params
                ]
            elif token == "*":
                keyword_only = True
            elif token.startswith("**"):
                params.append(Param(token[2:], "var_keyword"))
            elif token.startswith("*"):
                params.append(Param(token[1:], "var_positional"))
                keyword_only = True
            else:
                name, has_default = token.rstrip("="), token.endswith("=")
                kind: ParamKind = "keyword_only" if keyword_only else "positional_or_keyword"
                params.append(Param(name, kind, has_default))
        return cls(qualified_name, tuple(params), kwargs_rejected, dict(removed_kwargs or {}))

    def merged(self, other: Signature) -> Signature:
        """What either signature accepts (used for union surfaces)."""
        names = {p.name for p in self.params}
        params = (*self.params, *(p for p in other.params if p.name not in names))
        return Signature(
            self.qualified_name,
            params,
            self.kwargs_rejected and other.kwargs_rejected,
            {**other.removed_kwargs, **self.removed_kwargs},
            self.open_ended or other.open_ended,
            self.known_removed & other.known_removed,
        )
