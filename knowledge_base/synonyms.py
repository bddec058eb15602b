"""Find synonym and abbreviation phrases (multi-word too) in a sequence of stems."""

from __future__ import annotations

from itertools import compress, count

from knowledge_base.text import stem, words


def phrase_stems(phrase: str) -> tuple[str, ...]:
    """The stems of a phrase, stop words included, as they appear in analysed text."""
    return tuple(stem(w) for w in words(phrase))


class SynonymMatcher:
    """Maps every phrase of a synonym group to one concept key shared by the group."""

    def __init__(self, groups: list[tuple[str, ...]]) -> None:
        self.concept_of: dict[tuple[str, ...], str] = {}
        for group in groups:
            concept = "~" + "_".join(phrase_stems(group[0]))
            for phrase in group:
                stems = phrase_stems(phrase)
                if stems:
                    self.concept_of.setdefault(stems, concept)
        self.lengths: dict[str, list[int]] = {}  # first stem -> phrase lengths, longest first
        for stems in self.concept_of:
            self.lengths.setdefault(stems[0], []).append(len(stems))
        for lengths in self.lengths.values():
            lengths.sort(reverse=True)
        self.words = frozenset(w for group in groups for phrase in group for w in words(phrase))

    def find(self, stems: list[str]) -> list[tuple[int, int, str]]:
        """Non-overlapping (start, end, concept) matches, longest first at each position."""
        found: list[tuple[int, int, str]] = []
        free = 0  # first position not inside an earlier match
        for i in compress(count(), map(self.lengths.__contains__, stems)):
            if i < free:
                continue
            for length in self.lengths[stems[i]]:
                concept = self.concept_of.get(tuple(stems[i : i + length]))
                if concept is not None:
                    found.append((i, i + length, concept))
                    free = i + length
                    break
        return found
