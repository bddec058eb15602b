"""The App Home tab: what lefbot can do, how to ask, and how many questions you asked lately."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.core import Core
from handlers.slack.blocks import context, sections, truncate
from handlers.slack.client import api_error
from handlers.slack.texts import st

log = logging.getLogger(__name__)


def register(app: App, core: Core) -> None:
    """Publish the Home tab when a user opens it."""
    app.event("app_home_opened")(handle_home_opened)


def home_view(core: Core, user_id: str) -> dict[str, Any]:
    """The Home tab view for one user: the core's home data, rendered as Block Kit."""
    lang = core.settings.language
    data = core.home(user_id)
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": truncate(st("home_title", lang), 150)}},
        *sections(data.help.body or data.help.text),
        {"type": "divider"},
        *sections(st("home_how", lang)),
        context(st("home_count", lang, count=data.recent_questions, days=data.days)),
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
