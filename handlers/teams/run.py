"""`lefbot run --teams`: the Teams web process (aiohttp); and the worker's Teams messenger (no HTTP server)."""

from __future__ import annotations

import logging
import os
import sys
from typing import Any

from bot.chat.replies import MessageRef, Reply
from bot.config import Settings
from handlers.teams.settings import TeamsSettings, teams_settings

log = logging.getLogger(__name__)
BACKLOG = 512
REFUSAL = (
    "Teams: zet TEAMS_APP_ID, TEAMS_APP_PASSWORD en TEAMS_TENANT_ID (de Entra-app van de bot), "
    "of TEAMS_ALLOW_ANONYMOUS=true om lokaal te testen"
)


def load(env: dict[str, str] | None = None) -> TeamsSettings:
    """The Teams settings of this process."""
    return teams_settings(os.environ if env is None else env)


def run(settings: Settings) -> int:
    """Serve POST /api/messages and GET /healthz on PORT (default 3978) until stopped."""
    from aiohttp import web

    from bot.core import Core
    from handlers.slack.run import check_database
    from handlers.teams.app import build_app
    from handlers.teams.references import SqlReferenceStore

    teams = load()
    if not teams.configured:
        print(REFUSAL, file=sys.stderr)
        return 2
    if teams.anonymous:
        log.warning(
            "TEAMS_ALLOW_ANONYMOUS=true: activities are NOT authenticated and anyone who reaches this port can "
            "act as any Teams user. For local testing only; never in production."
        )
    check_database(settings)
    core = Core(settings)
    core.answering.questions.start()  # the question log off the answer path
    app = build_app(core, teams, SqlReferenceStore(core.db))
    log.info("Teams on port %s (POST /api/messages, GET /healthz)", teams.port)
    web.run_app(app, host="0.0.0.0", port=teams.port, backlog=BACKLOG, access_log=None, print=None)
    return 0


class RoutingMessenger:
    """Sends to Teams for Teams ids (Entra object ids, `19:` channels), to Slack for the rest."""

    def __init__(self, teams: Any, slack: Any) -> None:
        self.teams = teams
        self.slack = slack

    def _for(self, target: str) -> Any:
        from handlers.teams.messenger import is_teams_target

        return self.teams if is_teams_target(target) else self.slack

    def send_dm(self, user_id: str, reply: Reply) -> MessageRef:
        """A direct message on the member's platform."""
        return self._for(user_id).send_dm(user_id, reply)

    def post(self, channel: str, reply: Reply, thread: str | None = None) -> MessageRef:
        """A channel post on the channel's platform."""
        return self._for(channel).post(channel, reply, thread)

    def update(self, ref: MessageRef, reply: Reply) -> None:
        """Replace an earlier message on its platform."""
        self._for(ref.channel).update(ref, reply)

    def permalink(self, ref: MessageRef) -> str | None:
        """A link to a message on its platform."""
        return self._for(ref.channel).permalink(ref)

    def already_delivered(self, target: str, key: str) -> bool | None:
        """Whether a claimed message is already there, on the target's platform."""
        return self._for(target).already_delivered(target, key)


def worker_messenger(core: Any, slack: Any | None) -> Any | None:
    """The worker's messenger when Teams is configured (routing between Teams and Slack when both are); else None."""
    from handlers.teams.app import make_adapter
    from handlers.teams.messenger import TeamsMessenger
    from handlers.teams.references import SqlReferenceStore

    teams = load()
    if not teams.configured:
        return None
    adapter, _connections, _config = make_adapter(teams)
    messenger = TeamsMessenger(
        adapter, SqlReferenceStore(core.db), teams.app_id, core.settings.secret_key, core.settings.language
    )
    return RoutingMessenger(messenger, slack) if slack is not None else messenger


def run_worker(settings: Settings) -> int:
    """`lefbot run --worker` with only Teams configured: the scheduler, sending through stored references."""
    from bot.core import Core
    from handlers.slack.run import _scheduler, _stop_signal, _wait_for_stop, check_database

    if not settings.scheduler_enabled:
        log.error("worker: SCHEDULER_ENABLED is false, so this process has nothing to do")
        return 2
    if not load().configured:
        print(REFUSAL, file=sys.stderr)
        return 2
    check_database(settings)
    stop = _stop_signal()
    core = Core(settings)
    core.attach_messenger(worker_messenger(core, None))
    log.info("worker: scheduler only, sending to Teams (the teams process answers over HTTP)")
    with _scheduler(core, settings):
        _wait_for_stop(stop)
    return 0
