"""Split Dutch compounds into parts the knowledge base knows: grondstoffenakkoord -> grondstof, akkoord."""

from __future__ import annotations

from collections.abc import Iterable

from knowledge_base.text import stem

MIN_WORD = 7  # shorter words are not split
MAX_WORD = 40  # nor longer ones: no such words, and it bounds the work on junk input
MIN_PART = 4  # shorter parts only when listed as short words (abbreviations and the like)
MAX_PARTS = 4
LINKS = ("", "s", "e", "en")  # linking morphemes: beleid-s-medewerker, boek-en-kast


class CompoundSplitter:
    """Splits words into known parts, allowing linking -s-, -e-, -en- and a doubled consonant + -en-."""

    def __init__(self, known: Iterable[str], short: Iterable[str] = ()) -> None:
        self.known = frozenset(w for w in known if len(w) >= MIN_PART) | frozenset(short)
        self._cache: dict[str, tuple[str, ...]] = {}
        self._tails: dict[str, bool] = {}  # candidate last part -> whether it is a known word

    def split(self, word: str) -> tuple[str, ...]:
        """Stems of the parts of a compound, or () when the word is not one (or not splittable)."""
        parts = self._cache.get(word)
        if parts is None:
            parts = self._split(word, 1) or () if MIN_WORD <= len(word) <= MAX_WORD else ()
            self._cache[word] = parts
        return parts

    def _is_known(self, word: str) -> bool:
        known = self._tails.get(word)
        if known is None:
            known = self._tails[word] = word in self.known or stem(word) in self.known
        return known

    def _split(self, word: str, depth: int) -> tuple[str, ...] | None:
        best: tuple[str, ...] | None = None
        known = self.known
        for i in range(len(word) - 2, 2, -1):
            head = word[:i]
            if head not in known:
                continue
            rest = word[i:]
            links = LINKS if head[-1] in "aeiou" else (*LINKS, head[-1] + "en")
            for link in links:
                if link and not rest.startswith(link):
                    continue
                tail = rest[len(link) :]
                if len(tail) < 3:
                    continue
                if self._is_known(tail):
                    found: tuple[str, ...] | None = (stem(head), stem(tail))
                elif depth + 1 < MAX_PARTS:
                    more = self._split(tail, depth + 1)
                    found = (stem(head), *more) if more else None
                else:
                    found = None
                if found and (best is None or len(found) < len(best)):
                    best = found
            if best is not None and len(best) == 2:
                break
        return best
