"""The knowledge base as the bot holds it: a thread-safe snapshot that reloads when files change."""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from knowledge_base.loader import Entry, entry_files, find_synonyms, load_entries, load_synonyms
from knowledge_base.off_topic import OffTopic, find_off_topic, load_off_topic
from knowledge_base.problems import KnowledgeBaseError
from knowledge_base.search import Decision, SearchIndex

log = logging.getLogger(__name__)

Signature = tuple[tuple[str, int, int], ...]


def load_knowledge(path: Path) -> tuple[list[Entry], list[tuple[str, ...]], list[OffTopic]]:
    """A KB folder's entries, synonym groups and off-topic groups; raises KnowledgeBaseError on errors."""
    synonyms_file, off_topic_file = find_synonyms(path), find_off_topic(path)
    return (
        load_entries(path),
        load_synonyms(synonyms_file) if synonyms_file is not None else [],
        load_off_topic(off_topic_file) if off_topic_file is not None else [],
    )


def build_index(path: Path) -> SearchIndex:
    """The search index of a KB folder (for evaluations and benchmarks; the bot uses KnowledgeBase)."""
    return SearchIndex.build(*load_knowledge(path))


@dataclass(frozen=True)
class _Snapshot:
    entries: dict[str, Entry]
    off_topic: dict[str, OffTopic]
    index: SearchIndex
    synonym_groups: int
    signature: Signature
    build_seconds: float


class KnowledgeBase:
    """Entries and their search index; rebuilt aside and swapped in when the files change."""

    def __init__(self, path: Path, reload_interval: float = 2.0) -> None:
        self.path = Path(path)
        self.reload_interval = reload_interval
        self._lock = threading.Lock()
        self._failed: Signature | None = None
        self._next_check = time.monotonic() + reload_interval
        self._snapshot = self._build(self._signature())

    @property
    def entries(self) -> dict[str, Entry]:
        """The current entries by id (a snapshot: do not modify)."""
        return self._snapshot.entries

    @property
    def off_topic(self) -> dict[str, OffTopic]:
        """The off-topic groups by id (a snapshot: do not modify)."""
        return self._snapshot.off_topic

    @property
    def index(self) -> SearchIndex:
        """The current search index."""
        return self._snapshot.index

    def decide(self, query: str) -> Decision:
        """Answer, clarify or unknown for a question, after a cheap check for changed files."""
        self.reload_if_changed()
        return self._snapshot.index.decide(query)

    def related(self, query: str, k: int = 3) -> tuple[str, ...]:
        """Entries that share words with a question, best first: suggestions when it cannot be answered."""
        found = self._snapshot.index.candidates(query, k)
        return tuple(c.entry_id for c in found if c.score > 0 and not c.off_topic)

    def reload_if_changed(self) -> bool:
        """Rebuild when entry or synonym files changed (checked at most every reload_interval seconds).

        The new index is built aside and swapped in at once, so questions in flight keep the old one.
        A broken edit keeps the old index and logs a warning once. Returns whether a new index is in use.
        """
        now = time.monotonic()
        if now < self._next_check or not self._lock.acquire(blocking=False):
            return False
        try:
            self._next_check = now + self.reload_interval
            signature = self._signature()
            if signature in (self._snapshot.signature, self._failed):
                return False
            try:
                snapshot = self._build(signature)
            except (KnowledgeBaseError, OSError) as exc:
                self._failed = signature
                log.warning("knowledge base not reloaded, keeping the previous version: %s", exc)
                return False
            self._snapshot, self._failed = snapshot, None
            log.info("knowledge base reloaded: %d entries in %.2f s", len(snapshot.entries), snapshot.build_seconds)
            return True
        finally:
            self._lock.release()

    def stats(self, today: date | None = None) -> dict[str, int | float]:
        """Counts for curators: entries, phrasings, vocabulary, tags, overdue reviews, build time."""
        snapshot = self._snapshot
        today = today or date.today()
        entries = snapshot.entries.values()
        return {
            "entries": len(snapshot.entries),
            "phrasings": sum(len(e.questions) for e in entries),
            "vocabulary": snapshot.index.vocabulary_size,
            "tags": len({t for e in entries for t in e.tags}),
            "synonym_groups": snapshot.synonym_groups,
            "off_topic_groups": len(snapshot.off_topic),
            "overdue_reviews": sum(e.review_by < today for e in entries),
            "build_seconds": round(snapshot.build_seconds, 3),
        }

    def _signature(self) -> Signature:
        """Name, modification time and size of every file the index is built from."""
        files = entry_files(self.path) if self.path.is_dir() else []
        files += [p for p in (find_synonyms(self.path), find_off_topic(self.path)) if p is not None]
        out = []
        for path in files:
            try:
                st = path.stat()
            except OSError:  # removed while we looked; the next check sees the new state
                continue
            out.append((str(path), st.st_mtime_ns, st.st_size))
        return tuple(out)

    def _build(self, signature: Signature) -> _Snapshot:
        start = time.perf_counter()
        entries, synonyms, off_topic = load_knowledge(self.path)
        index = SearchIndex.build(entries, synonyms, off_topic)
        return _Snapshot(
            {e.id: e for e in entries},
            {g.id: g for g in off_topic},
            index,
            len(synonyms),
            signature,
            time.perf_counter() - start,
        )
