"""Greetings, thanks and requests for help get short replies of their own, not a lookup."""

from __future__ import annotations

import re
import unicodedata

_GREETING = (
    r"(hoi|hallo|hey|hee|hi|hello|goedemorgen|goedemiddag|goedenavond|morgen|dag|yo|good morning|good afternoon)"
)
_THANKS = r"(dank( je| u)?( wel)?|bedankt|dankjewel|dankuwel|merci|thanks?( you)?|thx|top|super|prima|fijn)"
_HELP = (
    r"(help|hulp|menu|opdrachten|commands?|what can you do"
    r"|wat (kun|kan) (je|jij)( (allemaal )?doen)?)"
)
_BYE = r"(doei|dag dag|tot ziens|bye|goodbye|tot later)"
_NAME = r"(\s+(lefbot|bot))?"

_PATTERNS = (
    ("help", re.compile(rf"^{_HELP}{_NAME}$")),
    ("greeting", re.compile(rf"^{_GREETING}{_NAME}$")),
    ("thanks", re.compile(rf"^{_THANKS}{_NAME}$")),
    ("bye", re.compile(rf"^{_BYE}{_NAME}$")),
)
_LEADING_GREETING = re.compile(rf"^{_GREETING}{_NAME}[\s,!.:]+", re.IGNORECASE)


def _simplify(text: str) -> str:
    kept = [ch for ch in text.lower() if unicodedata.category(ch)[0] in "LNZ"]
    return " ".join("".join(kept).split())


def classify(text: str) -> str | None:
    """Return "help", "greeting", "thanks" or "bye" when the whole message is small talk, else None."""
    simple = _simplify(text)
    for kind, pattern in _PATTERNS:
        if pattern.match(simple):
            return kind
    return None


def strip_greeting(text: str) -> str:
    """Remove a greeting in front of a real question ("Hoi, wat is ..." -> "wat is ...")."""
    return _LEADING_GREETING.sub("", text.strip(), count=1)
