"""The single process that hosts the scheduler on Slack: nudges and check-ins are sent from here."""

from __future__ import annotations

import logging
from typing import Any

from bot import scheduler
from bot.config import Settings

log = logging.getLogger(__name__)


def start_scheduler(core: Any) -> bool:
    """Start the scheduler for `core` when SCHEDULER_ENABLED; True when it runs in this process."""
    if not core.settings.scheduler_enabled:
        log.info("scheduler disabled (SCHEDULER_ENABLED=false)")
        return False
    scheduler.start(core)
    return True


def worker_core(settings: Settings) -> Any:
    """A core that sends through the Slack Web API, for the worker process (no incoming requests)."""
    from bot.core import Core
    from handlers.slack.client import make_client
    from handlers.slack.messenger import SlackMessenger

    core = Core(settings)
    core.attach_messenger(SlackMessenger(make_client(settings), settings.language))
    return core
