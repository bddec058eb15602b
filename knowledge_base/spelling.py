"""Correct misspelt query words against the knowledge base's own vocabulary."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from rapidfuzz import process
from rapidfuzz.distance import OSA

MIN_LENGTH = 5  # shorter words are too easily "corrected" into another word
LONG_WORD = 8  # from this length two edits are allowed when the first two letters are right


class SpellingCorrector:
    """Nearest vocabulary word within one edit, or two for long words; a transposition counts as one.

    The first letter must be right (the first two for two edits): a misspelt start is rare, while a
    common word that the knowledge base happens not to use (`soort`, `aangesloten`) is an edit or two
    away from one it does use (`hoort`, `afgesloten`).
    """

    def __init__(self, vocabulary: Iterable[str]) -> None:
        self.by_key: dict[tuple[str, int], list[str]] = defaultdict(list)
        for word in vocabulary:
            self.by_key[word[0], len(word)].append(word)
            self.by_key[word[:2], len(word)].append(word)

    def correct(self, word: str) -> str | None:
        """The closest known word, or None when nothing is close enough."""
        if len(word) < MIN_LENGTH or word.isdigit():
            return None
        return self._nearest(word, word[0], 1) or (self._nearest(word, word[:2], 2) if len(word) >= LONG_WORD else None)

    def _nearest(self, word: str, start: str, max_edits: int) -> str | None:
        """The closest word beginning with `start` within `max_edits` edits."""
        best: tuple[str, float] | None = None
        for length in range(len(word) - max_edits, len(word) + max_edits + 1):
            choices = self.by_key.get((start, length))
            if not choices:
                continue
            cutoff = max_edits if best is None else best[1] - 1
            if cutoff < 0:
                break
            found = process.extractOne(word, choices, scorer=OSA.distance, score_cutoff=cutoff)
            if found is not None and (best is None or found[1] < best[1]):
                best = (found[0], found[1])
        return best[0] if best else None
