"""Dutch-aware search over the knowledge base: BM25 per field, typo tolerance, calibrated decisions."""

from __future__ import annotations

import gc
import heapq
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from operator import itemgetter

from knowledge_base.analyzer import Analyzer, DocKeys, Unit, query_tokens
from knowledge_base.bm25 import BM25Field, lucene_idf
from knowledge_base.calibration import FITTED, Calibration, Features, QueryFeatures
from knowledge_base.loader import Entry
from knowledge_base.off_topic import OffTopic
from knowledge_base.semantic import SemanticIndex, build_semantic
from knowledge_base.text import is_common, words

# Decision bands (see calibration.py for the two models).
ANSWER_THRESHOLD = 0.5  # confidence (scope x pick) of the best candidate needed to answer straight away
CLARIFY_THRESHOLD = 0.8  # scope needed to ask "Bedoelde je...?" when not answering; below it: don't know
CANDIDATE_THRESHOLD = 0.15  # pick of a runner-up for it to be offered next to the best candidate
MAX_CANDIDATES = 3
OFF_TOPIC_PICK = 0.5  # pick an off-topic group that ranks first needs for the reply to name its subject
RANK_DEPTH = 5  # candidates returned by default
FEATURE_POOL = 10  # entries with the best ranking scores whose match features are compared

# Ranking score = max(best phrasing, TITLE_WEIGHT * title with tags) + BODY_WEIGHT * body: the title is
# mostly one more phrasing, so it competes with them instead of adding to them; the body adds context.
# BM25 parameters per field.
TITLE_WEIGHT, BODY_WEIGHT = 0.9, 0.35
PHRASING_BM25 = {"k1": 1.2, "b": 0.75, "max_postings": 200}
TITLE_BM25 = {"k1": 1.2, "b": 0.75, "max_postings": 100}
BODY_BM25 = {"k1": 1.2, "b": 0.75, "max_postings": 100}

BODY_CREDIT = 0.5  # a query word found only in the answer text counts half towards coverage
CORRECTION_CREDIT = 0.8  # a query word found only after spelling correction counts for this much


@contextmanager
def _without_cycle_collection() -> Iterator[None]:
    """Pause the cyclic garbage collector while the build allocates many small acyclic objects."""
    # Its repeated scans took about a third of the build; reference counting still frees everything.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@dataclass(frozen=True)
class Decision:
    """What to do with a question: answer (entry_id set), clarify (candidates) or unknown."""

    outcome: str  # "answer" | "clarify" | "unknown"
    entry_id: str | None
    score: float  # calibrated confidence that the best candidate is right
    candidates: tuple[str, ...]  # up to 3 ids, best first
    off_topic: str | None = None  # unknown because an off-topic group matches best: its id


@dataclass(frozen=True)
class Candidate:
    """One ranked entry with its match features and calibrated confidences."""

    entry_id: str
    score: float
    features: Features
    query_features: QueryFeatures
    pick: float  # probability that it is the right one, if the KB answers the question
    scope: float  # probability that the KB answers the question (the same for all candidates)
    confidence: float  # scope x pick
    exact: bool = False  # the query is one of the entry's phrasings or its title (or has the same content words)
    off_topic: bool = False  # an off-topic group, not an entry: entry_id is the group's id
    topical: bool = True  # it matches one of the question's specific (not common) words, or there are none


@dataclass(frozen=True)
class _Phrasing:
    keys: frozenset[str]
    weight: float


class _Query:
    """A query's units with their weights, made once per query: per unit its keys and parts as one set and,
    for a unit without compound parts, the credit any of its keys earns (`SearchIndex._credit`)."""

    __slots__ = ("every", "terms", "total")

    def __init__(self, units: list[Unit], weights: list[float]) -> None:
        self.total = sum(weights)
        self.terms = [
            (u, w, frozenset((*u.keys, *u.parts)), None if u.parts else 1.0 * CORRECTION_CREDIT if u.corrected else 1.0)
            for u, w in zip(units, weights, strict=True)
        ]
        self.every = frozenset().union(*(term[2] for term in self.terms))


class SearchIndex:
    """An immutable index over a list of entries; build once, query from any thread.

    Off-topic groups are indexed after the entries, as documents with phrasings only: they compete
    with the entries for a question, and when one wins, the question gets "unknown".
    """

    def __init__(
        self,
        ids: list[str],
        analyzer: Analyzer,
        titles: list[DocKeys],
        bodies: list[DocKeys],
        phrasings: list[list[DocKeys]],
        exact: dict[str, int],
        same_content: dict[frozenset[str], int],
        n_entries: int,
    ) -> None:
        self.ids = ids
        self.n_entries = n_entries  # ids from here on are off-topic groups
        self.exact = exact  # a phrasing or title as folded words -> its entry
        self.same_content = same_content  # the content stems of a phrasing or title -> its entry, if unique
        self.analyzer = analyzer
        self.calibration: Calibration = FITTED
        self.semantic: SemanticIndex | None = None  # the optional semantic channel (semantic.py)
        self._docs = (titles, bodies, phrasings)
        self._phrasing_entry = [i for i, docs in enumerate(phrasings) for _ in docs]
        self.phrasings = BM25Field([doc.all for docs in phrasings for doc in docs], **PHRASING_BM25)
        self.titles = BM25Field([doc.all for doc in titles], **TITLE_BM25)
        self.bodies = BM25Field([doc.all for doc in bodies], **BODY_BM25)
        self.unknown_idf = lucene_idf(self.n_entries, 0)
        self.common_idf = lucene_idf(self.n_entries, self.n_entries // 4)
        # Made on first use and kept (a question needs a few keys and the entries in its pool):
        self._idf: dict[str, float | None] = {}
        self._entry_keys: dict[int, tuple[frozenset[str], frozenset[str], list[_Phrasing]]] = {}
        self._entry_phrasings: dict[int, dict[str, tuple[_Phrasing, ...]]] = {}

    def idf(self, key: str) -> float | None:
        """IDF of a key over entries (in any field), None when no entry has it (off-topic groups do not
        count: a word only they have is one the knowledge base does not know)."""
        try:
            return self._idf[key]
        except KeyError:
            pass
        entry, n = self._phrasing_entry, self.n_entries
        holders = {entry[doc] for doc in self.phrasings.occurrences.get(key, ()) if entry[doc] < n}
        holders.update(self.titles.occurrences.get(key, ()))  # groups have no title or body
        holders.update(self.bodies.occurrences.get(key, ()))
        idf = self._idf[key] = lucene_idf(n, len(holders)) if holders else None
        return idf

    def _keys(self, entry: int) -> tuple[frozenset[str], frozenset[str], list[_Phrasing]]:
        """An entry's keys in its title and phrasings (strong), in its body, and per phrasing."""
        found = self._entry_keys.get(entry)
        if found is None:
            titles, bodies, phrasings = self._docs
            docs = phrasings[entry]
            strong = frozenset(key for doc in (titles[entry], *docs) for key in doc.all)
            sets = [_Phrasing(frozenset(doc.all), sum(self.idf(s) or 0.0 for s in set(doc.stems))) for doc in docs]
            found = self._entry_keys[entry] = (strong, frozenset(bodies[entry].all), sets)
        return found

    def _phrasings_by_key(self, entry: int) -> dict[str, tuple[_Phrasing, ...]]:
        """An entry's phrasings that hold each key (made on first use and kept, like `_keys`)."""
        found = self._entry_phrasings.get(entry)
        if found is None:
            by_key: defaultdict[str, list[_Phrasing]] = defaultdict(list)
            for phrasing in self._keys(entry)[2]:
                for key in phrasing.keys:
                    by_key[key].append(phrasing)
            found = self._entry_phrasings[entry] = {key: tuple(found) for key, found in by_key.items()}
        return found

    @classmethod
    def build(
        cls, entries: list[Entry], synonyms: list[tuple[str, ...]], off_topic: list[OffTopic] | None = None
    ) -> SearchIndex:
        """Index the phrasings, title (with tags) and body of every entry, and the off-topic phrasings."""
        with _without_cycle_collection():
            index = cls._build(entries, synonyms, off_topic or [])
        index.semantic = build_semantic(entries, off_topic or [])  # None when SEMANTIC_SEARCH=off
        return index

    @classmethod
    def _build(cls, entries: list[Entry], synonyms: list[tuple[str, ...]], off_topic: list[OffTopic]) -> SearchIndex:
        nothing: list[list[str]] = [[] for _ in off_topic]
        entry_titles = [words(e.title) for e in entries]
        title_words = entry_titles + nothing
        titles = [t + words(" ".join(e.tags)) if e.tags else t for t, e in zip(entry_titles, entries, strict=True)]
        titles += nothing
        bodies = [words(e.body) for e in entries] + nothing
        phrasings = [[words(q) for q in e.questions] for e in entries]
        phrasings += [[words(q) for q in group.questions] for group in off_topic]
        analyzer = Analyzer([*titles, *bodies, *(doc for docs in phrasings for doc in docs)], synonyms)
        phrasing_keys = [[analyzer.doc_keys(q, question=True) for q in docs] for docs in phrasings]
        exact: dict[str, int] = {}
        same_content: dict[frozenset[str], int | None] = {}
        for i, (title, docs, keys) in enumerate(zip(title_words, phrasings, phrasing_keys, strict=True)):
            for tokens, stems in (
                *zip(docs, (k.stems for k in keys), strict=True),
                (title, analyzer.content_stems(title)),
            ):
                if tokens:  # an off-topic group has no title
                    exact.setdefault(" ".join(tokens), i)
                content = frozenset(stems)
                if content:
                    same_content[content] = i if same_content.get(content, i) == i else None
        return cls(
            [e.id for e in entries] + [group.id for group in off_topic],
            analyzer,
            [analyzer.doc_keys(t, question=True) for t in titles],
            [analyzer.doc_keys(b) for b in bodies],
            phrasing_keys,
            exact,
            {content: i for content, i in same_content.items() if i is not None},
            len(entries),
        )

    @property
    def vocabulary_size(self) -> int:
        """Distinct content words in the knowledge base."""
        return len(self.analyzer.surface)

    def candidates(self, query: str, k: int = RANK_DEPTH) -> list[Candidate]:
        """The k best entries for a query, with features and confidences; [] when nothing matches.

        Candidates are ordered by ranking score; their confidence compares their match with that of the
        other entries in the pool, so a best-scored entry that another one matches better is not trusted.
        A query that is exactly a phrasing or title of an entry, or has the same content words (after
        spelling correction) as one that no other entry shares, puts that entry first, fully confident.
        """
        tokens = query_tokens(query)
        units = self.analyzer.query_units(tokens)
        exact = self.exact.get(" ".join(tokens))
        if exact is None and units:
            exact = self.same_content.get(frozenset(u.keys[0] for u in units))
        pool = self._top(units, FEATURE_POOL)
        if exact is not None and exact not in (entry for entry, _ in pool):
            pool.insert(0, (exact, pool[0][1] if pool else 0.0))
        weights = [self._weight(u) for u in units]
        known = [w if self._is_known(u) else 0.0 for u, w in zip(units, weights, strict=True)]
        query = _Query(units, weights)
        matches = [
            (
                entry,
                score,
                self._coverage(entry, query, weights),
                self._coverage(entry, query, known),
                self._dice(entry, query),
            )
            for entry, score in pool
        ]
        quality = [(coverage + dice) / 2 for _, _, coverage, _, dice in matches]
        on_topic = [m for m in matches if m[0] < self.n_entries]  # scope: how well the entries cover it
        query_features = QueryFeatures(
            coverage=max((m[2] for m in on_topic), default=0.0),
            dice=max((m[4] for m in on_topic), default=0.0),
            unknown_share=sum(map(self._is_unseen, units)) / len(units) if units else 0.0,
        )
        scope = self.calibration.scope(query_features)
        specific_terms = [term for term in query.terms if not is_common(term[0].word)]
        specific_units = [term[0] for term in specific_terms]
        specific = [term[2] for term in specific_terms]  # their keys and parts
        out: list[Candidate] = []
        for i, (entry, score, coverage, known_coverage, dice) in enumerate(matches):
            features = Features(
                coverage=coverage,
                known_coverage=known_coverage,
                dice=dice,
                lead=quality[i] - max((q for j, q in enumerate(quality) if j != i), default=0.0),
            )
            off_topic = entry >= self.n_entries
            if entry == exact:
                out.append(Candidate(self.ids[entry], score, features, query_features, 1.0, 1.0, 1.0, True, off_topic))
            else:
                pick = self.calibration.pick(features)
                # an off-topic group must share a specific word as typed (all of a compound's parts count):
                # `hoe werkt het` is about no subject, the `team` in `krachtteam` is not MS Teams, and
                # `pauzeren` is not `parkeren`
                if off_topic:
                    strong = self._keys(entry)[0]
                    topical = any(self._credit(u, strong) >= 1.0 for u in specific_units)
                else:
                    topical = not specific or self._matches_any(entry, specific)
                out.append(
                    Candidate(
                        self.ids[entry],
                        score,
                        features,
                        query_features,
                        pick,
                        scope,
                        scope * pick,
                        False,
                        off_topic,
                        topical,
                    )
                )
        out.sort(key=lambda c: (c.exact, c.score), reverse=True)
        return out[:k]

    def _top(self, units: list[Unit], k: int) -> list[tuple[int, float]]:
        """The k entries with the highest ranking score."""
        if not units:
            return []
        scores: defaultdict[int, float] = defaultdict(float)
        for doc, score in self.phrasings.scores(units).items():
            entry = self._phrasing_entry[doc]
            scores[entry] = max(scores[entry], score)
        for entry, score in self.titles.scores(units).items():
            scores[entry] = max(scores[entry], TITLE_WEIGHT * score)
        for entry, score in self.bodies.scores(units).items():
            scores[entry] += BODY_WEIGHT * score
        return heapq.nlargest(k, scores.items(), key=itemgetter(1))

    def rank(self, query: str, k: int = 5) -> list[tuple[str, float]]:
        """The k best entries as (entry_id, confidence), best first (off-topic groups left out)."""
        return [(c.entry_id, c.confidence) for c in self.candidates(query, max(k, 1)) if not c.off_topic][:k]

    def suggestions(self, query: str, k: int = MAX_CANDIDATES) -> list[str]:
        """Entries to offer when a question gets "unknown": those among the k best that have one of its
        specific words itself (not only `hoe`, `werkt`, or the `dagen` inside `verlofdagen`)."""
        specific = [u for u in self.analyzer.query_units(query_tokens(query)) if not is_common(u.word)]
        position = {entry_id: i for i, entry_id in enumerate(self.ids[: self.n_entries])}
        out = []
        for c in self.candidates(query, k):
            if c.off_topic or c.score <= 0 or not c.topical:
                continue
            strong, body, _ = self._keys(position[c.entry_id])
            if any(key in strong or key in body for u in specific for key in u.keys):
                out.append(c.entry_id)
        return out

    def decide(self, query: str) -> Decision:
        """Answer when confident, offer up to three candidates when the question fits but is unclear."""
        decision = choose(self.candidates(query))
        return self.semantic.fuse(query, decision) if self.semantic is not None else decision

    def _weight(self, unit: Unit) -> float:
        """A query unit's importance: the IDF over entries of its rarest known key; for a word the KB
        lacks, that of a word in a quarter of the entries when it is a common word, else of an unseen one."""
        idf = self.idf
        idfs = [w for w in map(idf, (*unit.keys, *unit.parts)) if w is not None]
        if idfs:
            return max(idfs)
        return self.common_idf if is_common(unit.word) else self.unknown_idf

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

    def _is_unseen(self, unit: Unit) -> bool:
        """Whether the KB lacks a query word as a whole (known compound parts do not count: `wachtwoord`
        is not about `wacht` and `woord`) and it is not a frequent general word."""
        return all(self.idf(k) is None for k in unit.keys) and not is_common(unit.word)

    def _is_known(self, unit: Unit) -> bool:
        return any(self.idf(k) is not None for k in (*unit.keys, *unit.parts))

    def _coverage(self, entry: int, query: _Query, weights: list[float]) -> float:
        """Weighted share of the query's units found in the entry (answer text counts for less)."""
        strong, body, _ = self._keys(entry)
        every, credit = query.every, self._credit
        in_strong, in_body = strong & every, body & every
        # A unit with no key in the entry adds 0.0: leaving it out of the sum changes nothing.
        found = []
        for (u, _, mine, full), w in zip(query.terms, weights, strict=True):
            if mine.isdisjoint(in_strong) and mine.isdisjoint(in_body):
                continue
            if full is None:
                found.append(w * max(credit(u, in_strong), BODY_CREDIT * credit(u, in_body)))
            else:
                strong_credit = 0.0 if mine.isdisjoint(in_strong) else full
                found.append(w * max(strong_credit, BODY_CREDIT * (0.0 if mine.isdisjoint(in_body) else full)))
        return sum(found) / sum(weights) if any(weights) else 0.0

    def _matches_any(self, entry: int, units: list[frozenset[str]]) -> bool:
        """Whether the entry has any of the units (given as their keys and parts) in a phrasing, its title or
        its body: a unit earns credit (`_credit`) exactly when one of its keys or parts is there."""
        strong, body, _ = self._keys(entry)
        return any(not (mine.isdisjoint(strong) and mine.isdisjoint(body)) for mine in units)

    def _dice(self, entry: int, query: _Query) -> float:
        """Weighted Dice overlap of the query's units with the entry's best-matching phrasing."""
        total, every, terms, credit = query.total, query.every, query.terms, self._credit
        by_key = self._phrasings_by_key(entry)
        # Only phrasings that hold a query key can score above 0.0, and only units with a key in a phrasing
        # add to its sum (the others add 0.0): leaving the rest out changes no result.
        matching = {id(p): p for key in every for p in by_key.get(key, ())}
        best = 0.0
        for phrasing in matching.values():
            hit = phrasing.keys & every
            found = sum(
                [
                    w * (credit(u, hit) if full is None else full)
                    for u, w, mine, full in terms
                    if not mine.isdisjoint(hit)
                ]
            )
            if total + phrasing.weight:
                best = max(best, 2 * found / (total + phrasing.weight))
        return min(best, 1.0)


def choose(
    found: list[Candidate], answer_at: float = ANSWER_THRESHOLD, clarify_at: float = CLARIFY_THRESHOLD
) -> Decision:
    """The decision for ranked candidates: answer, clarify (with up to three) or unknown.

    An off-topic group is named only when it shares a specific word with the question (`stoppen` alone
    does not make a question about energy) and matches it better than any entry does.
    """
    found = [c for c in found if c.topical or not c.off_topic]
    if not found:
        return Decision("unknown", None, 0.0, ())
    best = found[0]
    group = _leading_group(found)
    if group is not None and not best.exact:  # e.g. `hoeveel verlofdagen heb ik nog` is about HR
        return Decision("unknown", None, group.confidence, (), group.entry_id)
    if best.off_topic:  # an off-topic group ranks above every entry; named only when it clearly fits
        return Decision("unknown", None, best.confidence, (), best.entry_id if best.pick >= OFF_TOPIC_PICK else None)
    if not best.topical:  # `hoe lang duurt een marathon` is not about the sprint entry's `hoe lang duurt`
        return Decision("unknown", None, best.confidence, ())
    if best.scope < clarify_at and best.confidence < answer_at:  # confident enough to answer is enough
        return Decision("unknown", None, best.confidence, ())
    offered = tuple(
        c.entry_id
        for c in found[:MAX_CANDIDATES]
        if c.topical and not c.off_topic and (c is best or c.pick >= CANDIDATE_THRESHOLD)
    )
    if best.confidence >= answer_at:
        return Decision("answer", best.entry_id, best.confidence, offered)
    return Decision("clarify", None, best.confidence, offered)


def _leading_group(found: list[Candidate]) -> Candidate | None:
    """The off-topic group that fits the question clearly and better than every entry, if any."""
    groups = [c for c in found if c.off_topic and c.pick >= OFF_TOPIC_PICK]
    if not groups:
        return None
    group = max(groups, key=lambda c: c.pick)
    entries = [c for c in found if not c.off_topic]
    if not entries:  # nothing to beat: the best-scored group is named below when it fits
        return None
    best = entries[0].features  # the entry with the highest ranking score must not cover more of the
    # question, nor more of the words the knowledge base knows (`antwoord`, `vraag`; not a typo like `wet`)
    covers = group.features.coverage >= best.coverage and group.features.known_coverage >= best.known_coverage
    return group if covers and group.pick > max(c.pick for c in entries) else None
