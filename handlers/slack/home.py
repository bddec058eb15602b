"""The App Home tab: what lefbot can do, how to ask, and how many questions you asked lately."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlmodel import select

from bot.answering.models import Question
from bot.core import Core
from bot.people.privacy import pseudonym
from handlers.slack.blocks import context, sections, truncate
from handlers.slack.client import api_error
from handlers.slack.texts import st

log = logging.getLogger(__name__)

RECENT_DAYS = 30


def register(app: App, core: Core) -> None:
    """Publish the Home tab when a user opens it."""
    app.event("app_home_opened")(handle_home_opened)


def recent_questions(core: Core, user_id: str, days: int = RECENT_DAYS) -> int:
    """How many questions this user asked in the last `days` days (counted by pseudonym)."""
    since = core.clock.now() - timedelta(days=days)
    asker = pseudonym(core.settings.secret_key, user_id)
    with core.db.session() as s:
        query = select(sa.func.count()).select_from(Question).where(Question.asker == asker, Question.asked_at >= since)
        return int(s.exec(query).one())


def home_view(core: Core, user_id: str) -> dict[str, Any]:
    """The Home tab view for one user."""
    lang = core.settings.language
    help_reply = core.help_reply(lang)
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": truncate(st("home_title", lang), 150)}},
        *sections(help_reply.body or help_reply.text),
        {"type": "divider"},
        *sections(st("home_how", lang)),
        context(st("home_count", lang, count=recent_questions(core, user_id), days=RECENT_DAYS)),
        context(st("home_privacy", lang)),
    ]
    return {"type": "home", "blocks": blocks[:100]}


def handle_home_opened(event: dict, core: Core, client: WebClient) -> None:
    """Publish the Home tab (the Messages tab needs nothing)."""
    if event.get("tab") != "home":
        return
    user = event.get("user", "")
    try:
        client.views_publish(user_id=user, view=home_view(core, user))
    except SlackApiError as exc:
        log.warning("views.publish failed: %s", api_error(exc))
