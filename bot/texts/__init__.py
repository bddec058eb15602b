"""User-facing texts, Dutch first, English second; each feature keeps its own module here."""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache


@cache
def _catalogue() -> dict[str, dict[str, str]]:
    merged: dict[str, dict[str, str]] = {"nl": {}, "en": {}}
    for module_info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{module_info.name}")
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
    return template.format(**values) if values else template


class UserError(Exception):
    """Something a user asked that cannot be done; `key` names the kind text that says why."""

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(key)
        self.key = key
        self.values = values

    def message(self, lang: str) -> str:
        """The explanation in the user's language."""
        return t(self.key, lang, **self.values)
