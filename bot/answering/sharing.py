"""Sharing a privately given answer with everyone in the conversation ("Deel in kanaal")."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.chat.replies import Reply
from bot.texts import t


@dataclass(frozen=True)
class Shared:
    """The answer to post for everyone, and the line above it that says who shared it."""

    header: str
    reply: Reply


def share(core: Any, value: str, user_id: str, lang: str) -> Shared | Reply:
    """The answer named by a share button's value (`question:entry`); a private Reply when it is gone."""
    entry = core.kb.entries.get(value.partition(":")[2])
    if entry is None:
        return Reply(t("answer.gone", lang), private=True)
    return Shared(t("answer.shared", lang, user=user_id), core.answering.entry_reply(entry, None, lang))
