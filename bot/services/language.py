"""A small language guess (Dutch or English) for choosing the reply language."""

from __future__ import annotations

import re

_EN_WORDS = """
    is in was we the what are how do does did can could who where when why which of to for a an and my i you your
    it this that with about on get join should would will not doesn doesnt don dont isn isn't can't cannot
    have has many much left thanks thank please there their our work working there's i'm what's days"""
_NL_WORDS = """
    is in was we de het een wat zijn hoe doe kan wie waar wanneer waarom welke van voor en mijn ik je jij jouw dit dat
    met over op krijg moet wij we ons er niet geen heb hebt heeft kun kunt mag wil werkt bedankt dank"""
_EN, _NL = frozenset(_EN_WORDS.split()), frozenset(_NL_WORDS.split())
_SHARED = _EN & _NL  # `is`, `in`, `was`, `we` tell nothing, so they are left out of both counts
_EN_ONLY, _NL_ONLY = _EN - _SHARED, _NL - _SHARED
_WORD = re.compile(r"[a-zà-ÿ']+")
SHORT = 4  # a message of at most this many words is English on one English word and no Dutch one


def guess_language(text: str, default: str = "nl") -> str:
    """Return "en" when the text reads as English, else `default`."""
    words = _WORD.findall(text.lower().replace("\u2019", "'"))
    en = sum(w in _EN_ONLY for w in words)
    nl = sum(w in _NL_ONLY for w in words)
    if en >= 2 and en > nl * 1.5:
        return "en"
    if en >= 1 and nl == 0 and len(words) <= SHORT:  # `thanks!`, `my VPN doesnt work`
        return "en"
    return default
