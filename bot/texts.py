"""User-facing texts, Dutch first, English second: the lookup; each feature keeps its own table in its package."""

from __future__ import annotations

import importlib
from functools import cache

from bot.chat.markup import CMD

# Each module holds the NL and EN tables of one feature.
TEXT_MODULES = (
    "bot.answering.texts",
    "bot.answering.curation_texts",
    "bot.chat.texts",
    "bot.checkins.texts",
    "bot.deadlines.texts",
    "bot.people.texts",
)


@cache
def _catalogue() -> dict[str, dict[str, str]]:
    merged: dict[str, dict[str, str]] = {"nl": {}, "en": {}}
    for name in TEXT_MODULES:
        module = importlib.import_module(name)
        for lang in merged:
            texts = getattr(module, lang.upper(), {})
            clash = merged[lang].keys() & texts.keys()
            if clash:
                raise RuntimeError(f"text keys defined twice: {sorted(clash)}")
            merged[lang].update(texts)
    return merged


def t(key: str, lang: str = "nl", /, **values: object) -> str:
    """The text for `key` in `lang` (falling back to Dutch), filled in with `values`."""
    catalogue = _catalogue()
    template = catalogue.get(lang, {}).get(key) or catalogue["nl"][key]
    return template.format(**{"cmd": CMD, **values}) if values else template


class UserError(Exception):
    """Something a user asked that cannot be done; `key` names the kind text that says why."""

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(key)
        self.key = key
        self.values = values

    def message(self, lang: str) -> str:
        """The explanation in the user's language."""
        return t(self.key, lang, **self.values)
