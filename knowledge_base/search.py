"""Dutch-aware search over the knowledge base: BM25 per field, typo tolerance, calibrated decisions."""

from __future__ import annotations

import heapq
from collections import defaultdict
from dataclasses import dataclass
from operator import itemgetter

from knowledge_base.analyzer import Analyzer, DocKeys, Unit
from knowledge_base.bm25 import BM25Field, lucene_idf
from knowledge_base.calibration import Features, answer_confidence, scope_confidence
from knowledge_base.loader import Entry
from knowledge_base.text import words

ANSWER_THRESHOLD = 0.6  # answer_confidence needed to answer straight away
CLARIFY_THRESHOLD = 0.4  # scope_confidence needed to ask "Bedoelde je...?" instead of "don't know"
CANDIDATE_THRESHOLD = 0.25  # scope_confidence for a runner-up to be offered next to the best one
MAX_CANDIDATES = 3
RANK_DEPTH = 5  # candidates scored for features

# Field weights in the ranking score, and BM25 parameters per field (short fields: little length penalty).
PHRASING_WEIGHT, TITLE_WEIGHT, BODY_WEIGHT = 1.0, 0.6, 0.25
PHRASING_BM25 = {"k1": 1.2, "b": 0.5}
TITLE_BM25 = {"k1": 1.2, "b": 0.5}
BODY_BM25 = {"k1": 1.2, "b": 0.75}

BODY_CREDIT = 0.5  # a query word found only in the answer text counts half towards coverage
CORRECTION_CREDIT = 0.8  # a query word found only after spelling correction counts for this much


@dataclass(frozen=True)
class Decision:
    """What to do with a question: answer (entry_id set), clarify (candidates) or unknown."""

    outcome: str  # "answer" | "clarify" | "unknown"
    entry_id: str | None
    score: float  # calibrated confidence that the best candidate is right
    candidates: tuple[str, ...]  # up to 3 ids, best first


@dataclass(frozen=True)
class Candidate:
    """One ranked entry with its match features and calibrated confidences."""

    entry_id: str
    score: float
    features: Features
    confidence: float
    scope: float


@dataclass(frozen=True)
class _Phrasing:
    keys: frozenset[str]
    weight: float


class SearchIndex:
    """An immutable index over a list of entries; build once, query from any thread."""

    def __init__(
        self, ids: list[str], analyzer: Analyzer, titles: list[DocKeys], bodies: list[DocKeys],
        phrasings: list[list[DocKeys]],
    ) -> None:
        self.ids = ids
        self.analyzer = analyzer
        self._phrasing_entry = [i for i, docs in enumerate(phrasings) for _ in docs]
        self.phrasings = BM25Field([doc.all for docs in phrasings for doc in docs], **PHRASING_BM25)
        self.titles = BM25Field([doc.all for doc in titles], **TITLE_BM25)
        self.bodies = BM25Field([doc.all for doc in bodies], **BODY_BM25)
        self._strong = [
            frozenset(key for doc in (title, *docs) for key in doc.all)
            for title, docs in zip(titles, phrasings, strict=True)
        ]
        self._body = [frozenset(doc.all) for doc in bodies]
        df: defaultdict[str, int] = defaultdict(int)
        for strong, body in zip(self._strong, self._body, strict=True):
            for key in strong | body:
                df[key] += 1
        self.idf = {key: lucene_idf(len(ids), count) for key, count in df.items()}
        self.unknown_idf = lucene_idf(len(ids), 0)
        self._phrasing_sets = [
            [_Phrasing(frozenset(doc.all), sum(self.idf[s] for s in set(doc.stems))) for doc in docs]
            for docs in phrasings
        ]

    @classmethod
    def build(cls, entries: list[Entry], synonyms: list[tuple[str, ...]]) -> SearchIndex:
        """Index the phrasings, title (with tags) and body of every entry."""
        titles = [words(f"{e.title} {' '.join(e.tags)}") for e in entries]
        bodies = [words(e.body) for e in entries]
        phrasings = [[words(q) for q in e.questions] for e in entries]
        analyzer = Analyzer([*titles, *bodies, *(doc for docs in phrasings for doc in docs)], synonyms)
        return cls(
            [e.id for e in entries], analyzer, [analyzer.doc_keys(t) for t in titles],
            [analyzer.doc_keys(b) for b in bodies], [[analyzer.doc_keys(q) for q in docs] for docs in phrasings],
        )

    @property
    def vocabulary_size(self) -> int:
        """Distinct content words in the knowledge base."""
        return len(self.analyzer.surface)

    def candidates(self, query: str, k: int = RANK_DEPTH) -> list[Candidate]:
        """The k best entries for a query, with features and confidences; [] when nothing matches."""
        units = self.analyzer.query_units(query)
        if not units:
            return []
        keys = {key for u in units for key in (*u.keys, *u.parts)}
        scores: defaultdict[int, float] = defaultdict(float)
        best_phrasing: dict[int, float] = {}
        for doc, score in self.phrasings.scores(keys).items():
            entry = self._phrasing_entry[doc]
            if score > best_phrasing.get(entry, 0.0):
                best_phrasing[entry] = score
        for entry, score in best_phrasing.items():
            scores[entry] += PHRASING_WEIGHT * score
        for entry, score in self.titles.scores(keys).items():
            scores[entry] += TITLE_WEIGHT * score
        for entry, score in self.bodies.scores(keys).items():
            scores[entry] += BODY_WEIGHT * score
        if not scores:
            return []
        top = heapq.nlargest(k + 1, scores.items(), key=itemgetter(1))
        weights = [self._weight(u) for u in units]
        total = sum(weights)
        out: list[Candidate] = []
        for rank, (entry, score) in enumerate(top[:k]):
            other = top[1][1] if rank == 0 and len(top) > 1 else (top[0][1] if rank else 0.0)
            features = Features(
                coverage=self._coverage(entry, units, weights, total),
                dice=self._dice(entry, units, weights, total),
                margin=(score - other) / max(score, other),
            )
            out.append(Candidate(self.ids[entry], score, features, answer_confidence(features),
                                 scope_confidence(features)))
        return out

    def rank(self, query: str, k: int = 5) -> list[tuple[str, float]]:
        """The k best entries as (entry_id, confidence), best first."""
        return [(c.entry_id, c.confidence) for c in self.candidates(query, max(k, 1))][:k]

    def decide(self, query: str) -> Decision:
        """Answer when confident, offer up to three candidates when the question fits but is unclear."""
        found = self.candidates(query)
        if not found:
            return Decision("unknown", None, 0.0, ())
        best = found[0]
        offered = tuple(c.entry_id for c in found[:MAX_CANDIDATES] if c is best or c.scope >= CANDIDATE_THRESHOLD)
        if best.confidence >= ANSWER_THRESHOLD:
            return Decision("answer", best.entry_id, best.confidence, offered)
        if best.scope >= CLARIFY_THRESHOLD:
            return Decision("clarify", None, best.confidence, offered)
        return Decision("unknown", None, best.confidence, ())

    def _weight(self, unit: Unit) -> float:
        """A query unit's importance: the IDF over entries of its rarest known key, else that of an unseen word."""
        known = [self.idf[k] for k in (*unit.keys, *unit.parts) if k in self.idf]
        return max(known) if known else self.unknown_idf

    @staticmethod
    def _credit(unit: Unit, keys: frozenset[str]) -> float:
        """How much of a unit a key set matches: 1 for a full key, a share for compound parts."""
        if any(k in keys for k in unit.keys):
            credit = 1.0
        elif unit.parts:
            credit = sum(p in keys for p in unit.parts) / len(unit.parts)
        else:
            return 0.0
        return credit * CORRECTION_CREDIT if unit.corrected else credit

    def _coverage(self, entry: int, units: list[Unit], weights: list[float], total: float) -> float:
        strong, body = self._strong[entry], self._body[entry]
        found = sum(
            w * max(self._credit(u, strong), BODY_CREDIT * self._credit(u, body))
            for u, w in zip(units, weights, strict=True)
        )
        return found / total

    def _dice(self, entry: int, units: list[Unit], weights: list[float], total: float) -> float:
        best = 0.0
        for phrasing in self._phrasing_sets[entry]:
            found = sum(w * self._credit(u, phrasing.keys) for u, w in zip(units, weights, strict=True))
            best = max(best, 2 * found / (total + phrasing.weight))
        return min(best, 1.0)
