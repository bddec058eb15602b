"""BM25 over one field with Lucene's IDF (never negative), per-posting weights precomputed."""

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

    A key keeps only its `max_postings` best-weighted documents (impact-ordered truncation): a word in
    thousands of documents then costs a bounded amount per question, and the documents it drops are
    the ones where it weighs least. At the bundled knowledge base's size nothing is dropped.
    """

    def __init__(self, docs: list[tuple[str, ...]], k1: float, b: float, max_postings: int = 1000) -> None:
        self.n_docs = len(docs)
        counts = [Counter(doc) for doc in docs]
        df: Counter[str] = Counter()
        for tf in counts:
            df.update(tf.keys())
        avgdl = (sum(map(len, docs)) / self.n_docs if self.n_docs else 1.0) or 1.0
        self.idf = {key: lucene_idf(self.n_docs, n) for key, n in df.items()}
        postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for i, (doc, tf) in enumerate(zip(docs, counts, strict=True)):
            norm = k1 * (1.0 - b + b * len(doc) / avgdl)
            for key, n in tf.items():
                postings[key].append((i, self.idf[key] * n * (k1 + 1.0) / (n + norm)))
        self.postings = {
            key: sorted(docs_weights, key=lambda p: -p[1])[:max_postings] if len(docs_weights) > max_postings
            else docs_weights
            for key, docs_weights in postings.items()
        }

    def scores(self, units: Iterable[Unit]) -> dict[int, float]:
        """BM25 score of every document matching a unit; a unit counts once, by its best-matching key.

        A unit's compound parts together count as one key (their mean), so `grondstoffenakkoord` is
        not worth three words against a document that has the compound and its parts.
        """
        total: dict[int, float] = defaultdict(float)
        for unit in units:
            if len(unit.keys) == 1 and not unit.parts:  # the common case: one key, nothing to take the best of
                for doc, weight in self.postings.get(unit.keys[0], ()):
                    total[doc] += weight
                continue
            best: dict[int, float] = {}
            for key in unit.keys:
                for doc, weight in self.postings.get(key, ()):
                    if weight > best.get(doc, 0.0):
                        best[doc] = weight
            if unit.parts:
                parts: dict[int, float] = defaultdict(float)
                for key in unit.parts:
                    for doc, weight in self.postings.get(key, ()):
                        parts[doc] += weight / len(unit.parts)
                for doc, weight in parts.items():
                    if weight > best.get(doc, 0.0):
                        best[doc] = weight
            for doc, weight in best.items():
                total[doc] += weight
        return total
