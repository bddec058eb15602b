"""Checking one check-in answer: empty, too long, emoji-only, the 1-5 scale, "no blocker", and defused markup."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from bot.chat import markup
from bot.checkins.setup import Question
from bot.texts import t

MAX_ANSWER = 3000
NO_BLOCKER = frozenset(
    {"-", "--", "niets", "niks", "nee", "geen", "nvt", "n.v.t", "n.v.t.", "nope", "no", "none", "nothing", "n/a", "na"}
)
_KEYCAPS = {f"{d}\ufe0f\u20e3": str(d) for d in range(10)} | {f"{d}\u20e3": str(d) for d in range(10)}
_SCALE = re.compile(r"^\s*([1-5])(?:\s*(?:/|van|of|uit|out of)\s*5)?\s*[.!]?\s*$", re.IGNORECASE)
_MENTION = re.compile(r"<([@#!][^>]*)>")
_BROADCAST = re.compile(r"@(channel|here|everyone)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Checked:
    """A checked answer: the value to store (None: no blocker) or an error message for the member."""

    value: str | None
    error: str = ""


def has_words(text: str) -> bool:
    """True when the text has at least one letter or digit (not only emoji, symbols or punctuation)."""
    return any(unicodedata.category(ch)[0] in "LN" for ch in text)


def normalise(text: str) -> str:
    """NFC, no control characters except newlines, trimmed; keeps the member's line breaks."""
    text = unicodedata.normalize("NFC", text or "").replace("\r\n", "\n")
    text = "".join(ch for ch in text if ch == "\n" or unicodedata.category(ch) != "Cc")
    return "\n".join(line.rstrip() for line in text.strip().split("\n"))


def check_answer(question: Question, raw: str, lang: str) -> Checked:
    """Validate one answer to `question`; the stored value is the member's own text, normalised."""
    text = normalise(raw)
    if question.kind == "confidence":
        for cap, digit in _KEYCAPS.items():
            text = text.replace(cap, digit)
        match = _SCALE.match(text)
        return Checked(match.group(1)) if match else Checked(None, t("checkins.error.scale", lang))
    if len(text) > MAX_ANSWER:
        return Checked(None, t("checkins.error.too_long", lang, length=len(text), max=MAX_ANSWER))
    if question.kind == "blocker":
        if not text or text.lower().rstrip(".!") in NO_BLOCKER or text.lower() in NO_BLOCKER:
            return Checked(None)
        if not has_words(text):
            return Checked(None, t("checkins.error.blocker_emoji", lang))
        return Checked(text)
    if not text:
        return Checked(None, t("checkins.error.empty", lang))
    if not has_words(text):
        return Checked(None, t("checkins.error.emoji", lang))
    return Checked(text)


def defuse(text: str) -> str:
    """Text safe to show in a channel: no pings (@channel, <@U…>, <!here>) and no links made from markup."""
    text = markup.MENTION.sub(lambda m: m.group(1) + m.group(2), text)  # typed core markup pings no one either
    text = _MENTION.sub(lambda m: "‹" + m.group(1) + "›", text)
    text = _BROADCAST.sub(lambda m: "@\u200b" + m.group(1), text)
    return text.replace("<", "‹").replace(">", "›")


def needs_defusing(text: str) -> bool:
    """True when `defuse` would change what the member typed."""
    return defuse(text) != text
