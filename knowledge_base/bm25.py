"""BM25 over one field with Lucene's IDF (never negative); a key's weighted postings made on first use."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable

from knowledge_base.analyzer import Unit


def lucene_idf(n_docs: int, df: int) -> float:
    """log(1 + (N - df + 0.5) / (df + 0.5)): positive for any df <= N, even for tiny corpora."""
    return math.log(1.0 + (n_docs - df + 0.5) / (df + 0.5))


class BM25Field:
    """Inverted index of one field: key -> [(document, BM25 weight of the key in it)], best first.

    Building only records which documents hold a key (once per occurrence) and each document's length
    normalisation; a key's weighted, impact-ordered postings are computed the first time a question
    uses it and kept (questions use a small part of the vocabulary, so most keys are never weighed).
    A key keeps only its `max_postings` best-weighted documents (impact-ordered truncation): a word in
    thousands of documents then costs a bounded amount per question, and the documents it drops are
    the ones where it weighs least. At the bundled knowledge base's size nothing is dropped.
    """

    def __init__(self, docs: list[tuple[str, ...]], k1: float, b: float, max_postings: int = 1000) -> None:
        self.n_docs = len(docs)
        self.k1, self.max_postings = k1, max_postings
        lengths = list(map(len, docs))
        avgdl = (sum(lengths) / self.n_docs if self.n_docs else 1.0) or 1.0
        self._norm = [k1 * (1.0 - b + b * n / avgdl) for n in lengths]
        occurrences: defaultdict[str, list[int]] = defaultdict(list)
        for i, doc in enumerate(docs):
            for key in doc:
                occurrences[key].append(i)
        self.occurrences = dict(occurrences)  # key -> documents, once per occurrence, in document order
        self._weighted: dict[str, list[tuple[int, float]]] = {}

    def postings(self, key: str) -> list[tuple[int, float]]:
        """(document, BM25 weight) of a key, best first, truncated to max_postings; [] for an unseen key."""
        weighted = self._weighted.get(key)
        if weighted is None:
            found = self.occurrences.get(key)
            if not found:
                return []
            tf = Counter(found)
            idf = lucene_idf(self.n_docs, len(tf))
            k1, norm = self.k1 + 1.0, self._norm
            weighted = [(doc, idf * n * k1 / (n + norm[doc])) for doc, n in tf.items()]
            if len(weighted) > self.max_postings:
                weighted = sorted(weighted, key=lambda p: -p[1])[: self.max_postings]
            self._weighted[key] = weighted  # computing it twice in two threads gives the same list
        return weighted

    def scores(self, units: Iterable[Unit]) -> dict[int, float]:
        """BM25 score of every document matching a unit; a unit counts once, by its best-matching key.

        A unit's compound parts together count as one key (their mean), so `grondstoffenakkoord` is
        not worth three words against a document that has the compound and its parts.
        """
        total: dict[int, float] = defaultdict(float)
        postings = self.postings
        for unit in units:
            if len(unit.keys) == 1 and not unit.parts:  # the common case: one key, nothing to take the best of
                for doc, weight in postings(unit.keys[0]):
                    total[doc] += weight
                continue
            best: dict[int, float] = {}
            for key in unit.keys:
                for doc, weight in postings(key):
                    if weight > best.get(doc, 0.0):
                        best[doc] = weight
            if unit.parts:
                parts: dict[int, float] = defaultdict(float)
                for key in unit.parts:
                    for doc, weight in postings(key):
                        parts[doc] += weight / len(unit.parts)
                for doc, weight in parts.items():
                    if weight > best.get(doc, 0.0):
                        best[doc] = weight
            for doc, weight in best.items():
                total[doc] += weight
        return total
