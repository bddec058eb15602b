"""Turn documents into index keys and queries into content units, using the knowledge base's vocabulary."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import chain
from operator import itemgetter

from knowledge_base.compounds import CompoundSplitter
from knowledge_base.spelling import SpellingCorrector
from knowledge_base.synonyms import SynonymMatcher
from knowledge_base.text import is_common, is_stop, stem, words

MAX_QUERY_CHARS = 500
MAX_QUERY_WORDS = 64
# Separable verbs: "hoe vraag ik het aan" means "aanvragen"; a particle joins a word up to this far before it.
PARTICLES = frozenset(
    [
        "aan",
        "af",
        "bij",
        "door",
        "in",
        "los",
        "mee",
        "na",
        "neer",
        "om",
        "op",
        "over",
        "rond",
        "samen",
        "terug",
        "toe",
        "uit",
        "vast",
        "voor",
        "weg",
    ]
)
SEPARABLE_WINDOW = 5


def query_tokens(query: str) -> list[str]:
    """The words of a query, capped: long input costs no more than MAX_QUERY_CHARS / MAX_QUERY_WORDS."""
    return words(query[:MAX_QUERY_CHARS])[:MAX_QUERY_WORDS]


def separable_verbs(tokens: list[str], known: Callable[[str], bool]) -> list[tuple[int, str]]:
    """(position, stem of the infinitive) of split verbs: in `hoe vraag ik het aan`, `vraag` is `aanvragen`.

    A document gets every candidate; a query only those the knowledge base has (`known`).
    """
    found: list[tuple[int, str]] = []
    for j, particle in enumerate(tokens):
        if particle not in PARTICLES:
            continue
        for i in range(max(0, j - SEPARABLE_WINDOW), j):
            if not is_stop(tokens[i]):
                key = stem(particle + tokens[i] + "en")
                if known(key):
                    found.append((i, key))
    return found


def hyphenated(tokens: list[str]) -> list[tuple[int, int]]:
    """(start, end) of hyphenated words as `words` gives them: the parts at start..end-1, joined at end."""
    found = []
    for end in range(2, len(tokens)):
        joined = tokens[end]
        for start in range(end - 2, max(-1, end - 6), -1):
            glued = "".join(tokens[start:end])
            if glued == joined:
                found.append((start, end))
                break
            if len(glued) >= len(joined):
                break
    return found


@dataclass(frozen=True)
class Unit:
    """One content word of a query: keys that match it fully, compound parts that match it in part."""

    word: str
    keys: tuple[str, ...]
    parts: tuple[str, ...] = ()
    corrected: bool = False


@dataclass(frozen=True, slots=True)  # one per phrasing, title and body: no per-instance dict
class DocKeys:
    """A document's stems of content words, and the extra keys found by decompounding and synonyms."""

    stems: tuple[str, ...]
    extra: tuple[str, ...]

    @property
    def all(self) -> tuple[str, ...]:
        """Every key, for the index."""
        return self.stems + self.extra


_STEM, _CONTENT, _EXTRA = itemgetter(0), itemgetter(1), itemgetter(2)


class _WordCache(dict[str, tuple[str, str, tuple[str, ...]]]):
    """Word -> (stem, stem if a content word else '', extra keys); a missing word is analysed once."""

    def __init__(self, analyse: Callable[[str], tuple[str, str, tuple[str, ...]]]) -> None:
        super().__init__()
        self.analyse = analyse

    def __missing__(self, word: str) -> tuple[str, str, tuple[str, ...]]:
        info = self[word] = self.analyse(word)
        return info


class Analyzer:
    """Stems, compound parts, synonym concepts and spelling corrections against one KB's vocabulary."""

    def __init__(self, documents: Iterable[list[str]], synonyms: list[tuple[str, ...]]) -> None:
        self.synonyms = SynonymMatcher(synonyms)
        counts: Counter[str] = Counter(chain.from_iterable(documents))
        counts.update(self.synonyms.words)
        vocabulary = [w for w, _ in counts.most_common() if not is_stop(w) and not w.isdigit()]
        self.surface = frozenset(vocabulary)
        self.stems = frozenset(map(stem, vocabulary))
        self.splitter = CompoundSplitter(self.surface | self.stems, (w for w in self.synonyms.words if len(w) == 3))
        self._vocabulary = vocabulary
        self._speller: SpellingCorrector | None = None
        self._words = _WordCache(self._word)  # word -> its analysis, made once per word

    @property
    def speller(self) -> SpellingCorrector:
        """The spelling corrector, made when a question first has a word the KB lacks."""
        if self._speller is None:  # two threads may both make it: the same corrector, harmless
            self._speller = SpellingCorrector(w for w in self._vocabulary if len(w) >= 4)
        return self._speller

    def doc_keys(self, tokens: list[str], question: bool = False) -> DocKeys:
        """Index keys of a tokenised document; split verbs are looked for in questions (phrasings, titles)."""
        infos = list(map(self._words.__getitem__, tokens))  # a missing word is analysed by _WordCache
        extra = list(chain.from_iterable(map(_EXTRA, infos)))
        stems = list(map(_STEM, infos))
        if not self.synonyms.lengths.keys().isdisjoint(stems):
            extra.extend(concept for _, _, concept in self.synonyms.find(stems))
        if question and not PARTICLES.isdisjoint(tokens):
            extra.extend(key for _, key in separable_verbs(tokens, lambda key: True))
        return DocKeys(tuple(filter(None, map(_CONTENT, infos))), tuple(extra))

    def content_stems(self, tokens: list[str]) -> tuple[str, ...]:
        """The stems of a tokenised text's content words (as in its DocKeys)."""
        return tuple(filter(None, map(_CONTENT, map(self._words.__getitem__, tokens))))

    def _word(self, word: str) -> tuple[str, str, tuple[str, ...]]:
        """Stem, the stem again if a content word (else ''), and extra keys (compound parts, verb form)."""
        if is_stop(word):
            return (stem(word), "", ())
        word_stem = stem(word)
        return (word_stem, word_stem, (*self.splitter.split(word), *self.verb_form(word)))

    def verb_form(self, word: str) -> tuple[str, ...]:
        """The stem without a verb's `-t` when the KB knows that stem: `bewaart` -> `bewaar` (the stemmer
        leaves `bewaart`, `krijgt`, `houdt` as they are). Checked against the KB, so `kaart` stays whole."""
        if len(word) < 5 or word[-1] != "t":
            return ()
        base = stem(word[:-1])
        return (base,) if base in self.stems and base != stem(word) else ()

    def is_known(self, word: str) -> bool:
        """Whether a query word occurs in the KB (as a word, a stem or a compound of known parts)."""
        return word in self.surface or stem(word) in self.stems or bool(self.splitter.split(word))

    def query_units(self, tokens: list[str]) -> list[Unit]:
        """The content units of a tokenised query, misspellings corrected where possible."""
        tokens = list(tokens)
        corrected = [False] * len(tokens)
        for i, word in enumerate(tokens):
            if not is_stop(word) and not self.is_known(word) and not is_common(word):  # a common word is no typo
                fix = self.speller.correct(word)
                if fix is not None:
                    tokens[i], corrected[i] = fix, True
        stems = [stem(w) for w in tokens]
        keys: list[list[str] | None] = [
            None if is_stop(w) else [s, *self.verb_form(w)] for w, s in zip(tokens, stems, strict=True)
        ]
        for i in range(len(tokens) - 1):
            joined = tokens[i] + tokens[i + 1]
            if joined in self.surface or stem(joined) in self.stems:
                target = keys[i] if keys[i] is not None else keys[i + 1]
                if target is not None:
                    target.append(stem(joined))
        for i, key in separable_verbs(tokens, self.stems.__contains__):
            keys[i].append(key)  # type: ignore[union-attr]  # separable_verbs skips stop words
        extra_units: list[Unit] = []
        for start, end, concept in self.synonyms.find(stems):
            spanned = [k for k in keys[start:end] if k is not None]
            for k in spanned:
                k.append(concept)
            if not spanned:
                extra_units.append(Unit(" ".join(tokens[start:end]), (concept,)))
        parts: list[tuple[str, ...]] = [()] * len(tokens)
        for start, end in hyphenated(tokens):  # `woo-verzoek` is one word of the question, not three
            parts[end] = tuple(stems[i] for i in range(start, end) if keys[i] is not None)
            keys[start:end] = [None] * (end - start)
        units = [
            Unit(word, tuple(k), self.splitter.split(word) or part, fixed)
            for word, k, part, fixed in zip(tokens, keys, parts, corrected, strict=True)
            if k is not None
        ]
        return units + extra_units
