"""A small language guess (Dutch or English) for choosing the reply language."""

from __future__ import annotations

import re

_EN = frozenset(
    [
        "the",
        "what",
        "is",
        "are",
        "how",
        "do",
        "does",
        "can",
        "who",
        "where",
        "when",
        "why",
        "which",
        "of",
        "to",
        "for",
        "a",
        "an",
        "and",
        "my",
        "i",
        "you",
        "your",
        "it",
        "this",
        "that",
        "with",
        "about",
        "in",
        "on",
        "get",
        "join",
        "should",
    ]
)
_NL = frozenset(
    [
        "de",
        "het",
        "een",
        "wat",
        "is",
        "zijn",
        "hoe",
        "doe",
        "kan",
        "wie",
        "waar",
        "wanneer",
        "waarom",
        "welke",
        "van",
        "voor",
        "en",
        "mijn",
        "ik",
        "je",
        "jij",
        "jouw",
        "dit",
        "dat",
        "met",
        "over",
        "in",
        "op",
        "krijg",
        "moet",
        "ik",
        "wij",
        "we",
        "ons",
        "er",
        "niet",
    ]
)
_WORD = re.compile(r"[a-zà-ÿ']+")


def guess_language(text: str, default: str = "nl") -> str:
    """Return "en" when the text reads as English, else `default`."""
    words = _WORD.findall(text.lower())
    en = sum(w in _EN for w in words)
    nl = sum(w in _NL for w in words)
    if en >= 2 and en > nl * 1.5:
        return "en"
    return default
