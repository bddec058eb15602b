"""The Bolt app factory: one WebClient, global middleware, and one `register(app, core)` per feature module."""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from types import ModuleType

from slack_bolt import App
from slack_bolt.response import BoltResponse
from slack_sdk import WebClient

from bot.core import Core
from handlers.slack import actions, checkins, commands, deadlines, home, inbound, questions
from handlers.slack.client import make_client
from handlers.slack.contacts import record_contacts
from handlers.slack.dedupe import dedupe_events
from handlers.slack.filters import ignore_noise
from handlers.slack.messenger import SlackMessenger

log = logging.getLogger(__name__)

# One line per feature; a later feature adds its module here. Order matters where listeners overlap: the first
# match wins, so `deadlines` (its `/lef deadline nieuw` matcher) comes before `commands` (every other `/lef`).
FEATURES: list[ModuleType] = [questions, deadlines, commands, checkins, actions, home]
LISTENER_THREADS = 16


class SlackSetupError(Exception):
    """The Slack app cannot be built from the current settings."""


def _inject_core(core: Core) -> Callable[..., BoltResponse | None]:
    def inject_core(context: dict, next: Callable[[], BoltResponse | None]) -> BoltResponse | None:
        """Make `core` available to every listener as an argument."""
        context["core"] = core
        return next()

    return inject_core


def check_inbound(body: dict, next: Callable[[], BoltResponse | None]) -> BoltResponse | None:
    """Global middleware: the boundary checks of `handlers.slack.inbound` in Socket Mode too (HTTP checks earlier)."""
    try:
        inbound.check(body)
    except inbound.Invalid as exc:
        log.info("refused a malformed Slack request: %s", exc)
        return BoltResponse(status=400, body="")
    except inbound.Ignored:
        return BoltResponse(status=200, body="")
    return next()


def build_app(core: Core, client: WebClient | None = None, *, socket_mode: bool | None = None) -> App:
    """A Bolt app for `core`: Slack's request checks, boundary checks, noise filter, exactly-once events, features."""
    settings = core.settings
    socket_mode = settings.socket_mode if socket_mode is None else socket_mode
    if not socket_mode and not settings.slack_signing_secret:
        raise SlackSetupError("SLACK_SIGNING_SECRET is required in HTTP mode (requests are verified with it)")
    client = client or make_client(settings)
    app = App(
        client=client,
        signing_secret=settings.slack_signing_secret,
        process_before_response=False,
        listener_executor=ThreadPoolExecutor(max_workers=LISTENER_THREADS, thread_name_prefix="lefbot-listener"),
        logger=logging.getLogger("slack_bolt"),
    )
    app.use(check_inbound)
    app.use(_inject_core(core))
    app.use(ignore_noise)
    app.use(dedupe_events)
    app.use(record_contacts(core))
    for feature in FEATURES:
        feature.register(app, core)
    actions.register_fallback(app)
    core.attach_messenger(SlackMessenger(client, settings.language))
    return app
