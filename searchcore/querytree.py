"""The query language's tree: what a user query means, independent of any engine.

A `Word` matches an article whose title or body holds its exact (normalized) form or its stem;
a `Phrase` the same words in a row (exact forms, or stems); a `Prefix` an exact term that starts
with it. Backends turn a tree into their own queries (backends/whoosh compiles it to Whoosh's);
searchcore/matching.py evaluates it over posting arrays.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Word:
    exact: str
    stem: str


@dataclass(frozen=True)
class Phrase:
    exact: tuple[str, ...]
    stems: tuple[str, ...]


@dataclass(frozen=True)
class Prefix:
    text: str  # normalized, at least MIN_WILDCARD_PREFIX letters


@dataclass(frozen=True)
class And:
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    item: Node


Node = Word | Phrase | Prefix | And | Or | Not


def simplified(node: Node | None) -> Node | None:
    """Nested groups of one kind flattened, empty ones removed, one-item groups unwrapped."""
    if isinstance(node, Not):
        inner = simplified(node.item)
        return None if inner is None else Not(inner)
    if isinstance(node, (And, Or)):
        items: list[Node] = []
        for item in node.items:
            s = simplified(item)
            if s is None:
                continue
            items.extend(s.items if type(s) is type(node) else (s,))  # type: ignore[union-attr]
        items = list(dict.fromkeys(items))
        if not items:
            return None
        return items[0] if len(items) == 1 else type(node)(tuple(items))
    return node
