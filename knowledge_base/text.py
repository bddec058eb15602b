"""Text normalisation for Dutch (and some English): folding, tokens, stop words, stemming."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import snowballstemmer

# Snowball's Dutch stop list, with the verb forms and question words people type around a question.
_DUTCH = """
aan al alle alles als altijd andere ben bent bij daar dan dat de der deze die dit doch doe doen doet
door dus een eens en er ga gaan gaat ge geen gehad geweest haar had hadden heb hebben hebt heeft hem het
hier hij hoe hun iemand iets ik in is ja je jij jou jouw jullie kan kon konden kun kunnen kunt laat
laten maar me meer men met mij mijn mocht moest moesten moet moeten mogen mag na naar niet niets nog nu
of om omdat onder ons onze ook op over reeds te tegen toch toen tot u uit uw van veel voor waar waren
was wat we wel welk welke werd werden wezen wie wij wil wilt willen word wordt worden zal ze zelf zich
zij zijn zo zonder zou zouden zit zitten zul zult zullen
"""
# A short English list: English questions get the same treatment.
_ENGLISH = """
a about all also am an and any are as at be been being but by can could did do does doing for from get
had has have he her here his how i if in into is it its just me more my no not of on or our out own
please she should so some such than that the their them then there these they this those to too up us
very was we were what when where which who whom why will with would you your
"""
# Words that frame a question without saying what it is about.
_FILLERS = """
alsjeblieft alstublieft eigenlijk even graag info informatie misschien nou precies uitleg uitleggen
vertel vertellen weet weten explain know mean meaning means tell want
"""
STOP_WORDS = frozenset((_DUTCH + _ENGLISH + _FILLERS).split())

# Frequent general words (lemmas; inflections meet through the stem). They are matched like any word,
# but a question does not become "about something else" because it uses one the knowledge base lacks.
_COMMON = """
aangeven afspreken alweer anders beginnen begin belangrijk bedoelen bekijken beter blijven brengen
daarna denken dingen ding doel duren duur echt echte eerste eigen eind einde eindelijk elk even fijn gebeuren
gebruiken geven gewoon goed groot helpen hoeveel hoelang houden idee inmiddels jaar keer kiezen klein komen kort krijgen
kunnen lang laatste leggen lezen liggen lijken lopen maken makkelijk manier mee meestal mensen mogelijk
moeilijk nemen net nieuw nodig ooit opnieuw oud paar persoon praten probleem proberen regelen samen simpel snel
soms soort spreken staan steeds stellen sturen tijd tonen uitleggen vaak vallen vanaf verder verstaan
vinden voorbeeld vorm vragen waarom wanneer weer weg werken woord zeggen zeker zetten zien zoeken zorgen
after again answer before big change find first give good help last long make mean need new next old
same show simple simply small start still stop thing things time try use way work
"""

_ZERO_WIDTH = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
_UNIFY = {"\u2019": "'", "\u2018": "'", "`": "'", "\u00b4": "'", "\u2010": "-", "\u2011": "-"}
_UNIFY |= dict.fromkeys(_ZERO_WIDTH, "")
_UNIFIED = re.compile("[" + "".join(_UNIFY) + "]")
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_URL = re.compile(r"https?://\S+|www\.\S+")
_POSSESSIVE_S = re.compile(r"(?<=\w)'s\b")
_TOKEN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_LETTER = re.compile("[a-z]")

_STEMMER = snowballstemmer.stemmer("dutch")
_FALLBACK_STEMMER = snowballstemmer.stemmer("dutch_porter")


def fold(text: str) -> str:
    """Lower-case, accents removed (NFKD), zero-width characters dropped, quotes and dashes unified."""
    if text.isascii():
        return text.lower().replace("`", "'")
    text = _UNIFIED.sub(lambda m: _UNIFY[m.group()], text)
    return _COMBINING.sub("", unicodedata.normalize("NFKD", text)).casefold()


def words(text: str) -> list[str]:
    """Folded word tokens; `agenda's` -> `agenda`; `check-in` -> `check`, `in`, `checkin`.

    Single letters stay (as stop words) so that phrases like `theory U` or `R-ladder` can be found.
    """
    text = fold(text)
    if "://" in text or "www." in text:
        text = _URL.sub(" ", text)
    if "'" in text:
        text = _POSSESSIVE_S.sub("", text)
    tokens = _TOKEN.findall(text)
    if "-" in text:
        for i in reversed([i for i, token in enumerate(tokens) if "-" in token]):
            parts = tokens[i].split("-")
            tokens[i : i + 1] = (*parts, "".join(parts)) if all(map(_LETTER.search, parts)) else parts
    return tokens


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Dutch Snowball stem of a folded word, guarded and evened out for matching.

    Snowball's Dutch stemmer strips a `ge-` anywhere (`begeleiding` -> `beleid`, `gemeente` -> `meen`);
    when the stem no longer starts like the word, the Porter-style Dutch stemmer is used instead. Then
    final `-s` and `-e` go and a doubled vowel before one consonant is halved, so that `sprints`,
    `sprint`, `duurzame` and `duurzaam` meet.
    """
    if len(word) <= 3 or word.isdigit():
        return word
    result = _STEMMER.stemWord(word)
    if not word.startswith(result[: max(len(result) - 2, 3)]):
        result = _FALLBACK_STEMMER.stemWord(word)
    while len(result) >= 5 and result[-1] in "se" and result[-2] != result[-1]:
        result = result[:-1]
    if len(result) >= 5 and result[-2] == result[-3] and result[-2] in "aeou" and result[-1] not in "aeiouy":
        return result[:-2] + result[-1]  # a doubled vowel before one final consonant is halved
    return result


_COMMON_STEMS = frozenset(stem(w) for w in _COMMON.split())


def is_common(word: str) -> bool:
    """Whether a folded word is a frequent general word (a verb's `-t` form too: `houdt`)."""
    return stem(word) in _COMMON_STEMS or (word.endswith("t") and stem(word[:-1]) in _COMMON_STEMS)


def is_stop(word: str) -> bool:
    """Whether a folded word carries no topic of its own (single letters included)."""
    return word in STOP_WORDS or (len(word) == 1 and not word.isdigit())
