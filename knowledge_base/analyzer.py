"""Turn documents into index keys and queries into content units, using the knowledge base's vocabulary."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from knowledge_base.compounds import CompoundSplitter
from knowledge_base.spelling import SpellingCorrector
from knowledge_base.synonyms import SynonymMatcher
from knowledge_base.text import is_stop, stem, words

MAX_QUERY_CHARS = 500
MAX_QUERY_WORDS = 64


@dataclass(frozen=True)
class Unit:
    """One content word of a query: keys that match it fully, compound parts that match it in part."""

    word: str
    keys: tuple[str, ...]
    parts: tuple[str, ...] = ()
    corrected: bool = False


@dataclass(frozen=True)
class DocKeys:
    """A document's stems of content words, and the extra keys found by decompounding and synonyms."""

    stems: tuple[str, ...]
    extra: tuple[str, ...]

    @property
    def all(self) -> tuple[str, ...]:
        """Every key, for the index."""
        return self.stems + self.extra


class Analyzer:
    """Stems, compound parts, synonym concepts and spelling corrections against one KB's vocabulary."""

    def __init__(self, documents: Iterable[list[str]], synonyms: list[tuple[str, ...]]) -> None:
        self.synonyms = SynonymMatcher(synonyms)
        counts: Counter[str] = Counter()
        for doc in documents:
            counts.update(doc)
        counts.update(self.synonyms.words)
        vocabulary = [w for w, _ in counts.most_common() if not is_stop(w) and not w.isdigit()]
        self.surface = frozenset(vocabulary)
        self.stems = frozenset(stem(w) for w in vocabulary)
        self.splitter = CompoundSplitter(self.surface | self.stems)
        self.speller = SpellingCorrector(w for w in vocabulary if len(w) >= 4)

    def doc_keys(self, tokens: list[str]) -> DocKeys:
        """Index keys of a tokenised document."""
        stems = [stem(w) for w in tokens]
        content = tuple(s for w, s in zip(tokens, stems, strict=True) if not is_stop(w))
        extra = [part for w in tokens if not is_stop(w) for part in self.splitter.split(w)]
        extra.extend(concept for _, _, concept in self.synonyms.find(stems))
        return DocKeys(content, tuple(extra))

    def is_known(self, word: str) -> bool:
        """Whether a query word occurs in the KB (as a word, a stem or a compound of known parts)."""
        return word in self.surface or stem(word) in self.stems or bool(self.splitter.split(word))

    def query_units(self, query: str) -> list[Unit]:
        """The content units of a query (capped in length), misspellings corrected where possible."""
        tokens = words(query[:MAX_QUERY_CHARS])[:MAX_QUERY_WORDS]
        corrected = [False] * len(tokens)
        for i, word in enumerate(tokens):
            if not is_stop(word) and not self.is_known(word):
                fix = self.speller.correct(word)
                if fix is not None:
                    tokens[i], corrected[i] = fix, True
        stems = [stem(w) for w in tokens]
        keys: list[list[str] | None] = [None if is_stop(w) else [s] for w, s in zip(tokens, stems, strict=True)]
        for i in range(len(tokens) - 1):
            joined = tokens[i] + tokens[i + 1]
            if joined in self.surface or stem(joined) in self.stems:
                target = keys[i] if keys[i] is not None else keys[i + 1]
                if target is not None:
                    target.append(stem(joined))
        extra_units: list[Unit] = []
        for start, end, concept in self.synonyms.find(stems):
            spanned = [k for k in keys[start:end] if k is not None]
            for k in spanned:
                k.append(concept)
            if not spanned:
                extra_units.append(Unit(" ".join(tokens[start:end]), (concept,)))
        units = [
            Unit(word, tuple(k), self.splitter.split(word), fixed)
            for word, k, fixed in zip(tokens, keys, corrected, strict=True)
            if k is not None
        ]
        return units + extra_units
