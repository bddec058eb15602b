"""The data of a member's home page (Slack: the App Home tab): help, and how many questions they asked lately."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import select

from bot.answering.models import Question
from bot.chat.replies import Reply
from bot.people.privacy import pseudonym

RECENT_DAYS = 30


@dataclass(frozen=True)
class HomeData:
    """What a home page shows; the adapter renders it."""

    help: Reply
    recent_questions: int
    days: int = RECENT_DAYS


def recent_questions(core: Any, user_id: str, days: int = RECENT_DAYS) -> int:
    """How many questions this user asked in the last `days` days (counted by pseudonym)."""
    since = core.clock.now() - timedelta(days=days)
    asker = pseudonym(core.settings.secret_key, user_id)
    with core.db.session() as s:
        query = select(sa.func.count()).select_from(Question).where(Question.asker == asker, Question.asked_at >= since)
        return int(s.exec(query).one())


def home_data(core: Any, user_id: str) -> HomeData:
    """The home page data for one user, in the configured language."""
    return HomeData(core.help_reply(core.settings.language), recent_questions(core, user_id))
