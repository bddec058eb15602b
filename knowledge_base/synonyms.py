"""Find synonym and abbreviation phrases (multi-word too) in a sequence of stems."""

from __future__ import annotations

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
        self.max_len = max((len(s) for s in self.concept_of), default=0)
        self.words = frozenset(w for group in groups for phrase in group for w in words(phrase))

    def find(self, stems: list[str]) -> list[tuple[int, int, str]]:
        """Non-overlapping (start, end, concept) matches, longest first at each position."""
        found: list[tuple[int, int, str]] = []
        i = 0
        while i < len(stems):
            for length in range(min(self.max_len, len(stems) - i), 0, -1):
                concept = self.concept_of.get(tuple(stems[i : i + length]))
                if concept is not None:
                    found.append((i, i + length, concept))
                    i += length
                    break
            else:
                i += 1
        return found
