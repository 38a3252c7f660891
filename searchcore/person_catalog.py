"""The persons of one index generation as facet values, whatever engine holds the articles.

Each article's person names become keys (persons/canonical.person_key); the short and long forms
of one name (عادل الجبير, عادل بن أحمد الجبير) are merged into one value across the corpus; each
value is shown in its most frequent spelling; and facet hygiene decides which values the facet
lists (a bare given name that starts many full names says nothing about who is meant). Both the
embedded engine (searchcore/facet_arrays.py) and the OpenSearch backend build it from the same
article persons, so their facets are the same.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property

from persons.canonical import corpus_aliases, person_key
from persons.latin import is_latin, romanize
from persons.lexicon import is_common_word
from searchcore.latin_names import LatinNames

# A one-word person value that is the first word of this many full names is not a facet value.
AMBIGUOUS_FIRST_NAME = 5
SPELLINGS = 10  # spellings kept per person, for the person page


def name_keys(names: Iterable[str]) -> list[tuple[str, str]]:
    """(key, name) of each person name of one article that has a key."""
    return [(k, name) for name in names if (k := person_key(name))]


def _most_common(spellings: Counter) -> str:
    """The most frequent spelling; among equals the first in sorted order (not the first seen:
    engines see the articles in different orders)."""
    return min(spellings.items(), key=lambda kv: (-kv[1], kv[0]))[0]


@dataclass
class PersonCatalog:
    keys: list[str]  # the canonical keys, in order of first appearance
    index: dict[str, int]  # any key (a merged form too) -> its canonical key's number
    display: list[str]  # each canonical key's most frequent spelling (ties: sorted order)
    docfreq: list[int]  # articles naming each canonical key
    facetable: list[bool]  # listed in the facet: multi-word, or recurring and neither a bare given name
    #                        that starts many full names nor a common word (persons.lexicon.is_common_word)
    spellings: list[list[str]] | None = None  # each key's spellings seen, most frequent first (SPELLINGS)

    @classmethod
    def build(cls, articles: Iterable[list[tuple[str, str]]]) -> PersonCatalog:
        """`articles`: each article's `name_keys`."""
        per_article = [pairs for pairs in articles if pairs]
        key_docs: Counter = Counter()
        for pairs in per_article:
            key_docs.update({k for k, _ in pairs})
        aliases = corpus_aliases(key_docs, key_docs)
        index: dict[str, int] = {}
        surfaces: list[Counter] = []
        docfreq: list[int] = []
        for pairs in per_article:
            seen: set[int] = set()
            for key, name in pairs:
                key = aliases.get(key, key)
                k = index.get(key)
                if k is None:
                    k = index[key] = len(index)
                    surfaces.append(Counter())
                    docfreq.append(0)
                surfaces[k][name] += 1
                if k not in seen:
                    seen.add(k)
                    docfreq[k] += 1
        keys = list(index)
        firsts = Counter(k.split(" ", 1)[0] for k in keys if " " in k)
        facetable = [" " in k or (docfreq[i] >= 2 and firsts[k] < AMBIGUOUS_FIRST_NAME and not is_common_word(k))
                     for i, k in enumerate(keys)]
        merged = {a: index[c] for a, c in aliases.items() if c in index}
        return cls(keys=keys, index={**merged, **index}, display=[_most_common(c) for c in surfaces],
                   docfreq=docfreq, facetable=facetable,
                   spellings=[[n for n, _ in sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))[:SPELLINGS]]
                              for c in surfaces])

    @cached_property
    def facetable_keys(self) -> frozenset[str]:
        return frozenset(k for k, f in zip(self.keys, self.facetable, strict=True) if f)

    @cached_property
    def latin(self) -> LatinNames:
        """Latin-script names against these persons (searchcore/latin_names.py)."""
        return LatinNames(self)

    def number(self, name: str) -> int | None:
        """The person a name (any spelling, short or long form, a key, or a Latin-script form:
        Obama, Mohammed bin Salman) stands for, or None."""
        i = self.index.get(person_key(name))
        return self.latin.person(name) if i is None and is_latin(name) else i

    def latin_form(self, number: int) -> str | None:
        """A person's name in Latin script, where its words are known (persons/latin.romanize)."""
        return romanize(self.display[number])

    def canonical_key(self, name: str) -> str:
        """The facet key a person value counts under (a merged form maps to its person)."""
        i = self.number(name)
        return self.keys[i] if i is not None else person_key(name)

    def known(self, names: list[str]) -> list[int]:
        """The numbers of the persons `names` select (merged forms included; unknown names none)."""
        return [i for i in map(self.number, names) if i is not None]

    def selected(self, names: list[str], count: Callable[[str], int]) -> dict[str, tuple[str, int]]:
        """key -> (display, articles) of a request's selected persons, which the facet always
        shows; `count` gives a known key's articles, a name the catalog does not know counts 0."""
        out: dict[str, tuple[str, int]] = {}
        for name in names:
            i = self.number(name)
            if i is None:
                out[person_key(name)] = (name, 0)
            else:
                out[self.keys[i]] = (self.display[i], count(self.keys[i]))
        return out

    def article_keys(self, pairs: list[tuple[str, str]]) -> list[str]:
        """An article's distinct canonical person keys, in order."""
        return list(dict.fromkeys(self.keys[self.index[k]] for k, _ in pairs if k in self.index))

    def to_json(self) -> dict:
        merged = {k: i for k, i in self.index.items() if self.keys[i] != k}
        return {"keys": self.keys, "display": self.display, "docfreq": self.docfreq,
                "facetable": self.facetable, "merged": merged, "spellings": self.spellings}

    @classmethod
    def from_json(cls, data: dict) -> PersonCatalog:
        keys = data["keys"]
        return cls(keys=keys, index={**data["merged"], **{k: i for i, k in enumerate(keys)}},
                   display=data["display"], docfreq=data["docfreq"], facetable=data["facetable"],
                   spellings=data.get("spellings"))
