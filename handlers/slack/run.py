"""`lefbot run` on Slack: Socket Mode when SLACK_APP_TOKEN is set, else HTTP under gunicorn."""

from __future__ import annotations

import logging
import signal
import threading
from typing import Any

from gunicorn.app.base import BaseApplication

from bot import scheduler
from bot.config import Settings

log = logging.getLogger(__name__)

THREADS = 8


class LefbotServer(BaseApplication):
    """gunicorn serving lefbot's WSGI app: one worker process (one scheduler, one pool) with threads."""

    def __init__(self, settings: Settings, options: dict[str, Any] | None = None) -> None:
        self.settings = settings
        self.options = {
            "bind": f"0.0.0.0:{settings.port}",
            "workers": 1,
            "worker_class": "gthread",
            "threads": THREADS,
            "timeout": 60,
            "graceful_timeout": 20,
            "keepalive": 5,
            "accesslog": None,
            "errorlog": "-",
            "loglevel": settings.log_level.lower(),
            "proc_name": "lefbot-web",
            "control_socket_disable": True,
            **(options or {}),
        }
        super().__init__()

    def load_config(self) -> None:
        """Apply the options to gunicorn's configuration."""
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        """Build the app inside the worker process (database connections are not shared across a fork)."""
        from handlers.slack.web import create_wsgi_app

        return create_wsgi_app(self.settings)


def run_http(settings: Settings) -> int:
    """Serve /slack/events and /healthz on PORT until stopped."""
    if not settings.slack_signing_secret:
        log.error("SLACK_SIGNING_SECRET is required in HTTP mode")
        return 2
    log.info("Slack HTTP mode on port %s (POST /slack/events, GET /healthz)", settings.port)
    LefbotServer(settings).run()
    return 0


def run_socket_mode(settings: Settings) -> int:
    """Connect to Slack over a WebSocket (no public URL needed) until stopped."""
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    from bot.core import Core
    from handlers.slack.app import build_app
    from handlers.slack.worker import start_scheduler

    core = Core(settings)
    app = build_app(core, socket_mode=True)
    handler = SocketModeHandler(app, settings.slack_app_token)
    log.info("Slack Socket Mode: connecting")
    handler.connect()
    hosting = start_scheduler(core)  # one process does everything in Socket Mode
    _wait_for_stop()
    if hosting:
        scheduler.shutdown()
    handler.close()
    return 0


def _wait_for_stop() -> None:
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    stop.wait()


def run(settings: Settings, http: bool = False, worker: bool = False) -> int:
    """Start the configured mode: `--http` forces HTTP; a `--worker` without an app token only waits for jobs."""
    if settings.socket_mode and not http:
        return run_socket_mode(settings)
    if worker:
        # HTTP deployments: the web process answers Slack; this worker hosts the scheduler (nudges, check-ins).
        from handlers.slack.worker import start_scheduler, worker_core

        hosting = start_scheduler(worker_core(settings))
        log.info("worker: scheduler %s", "running" if hosting else "disabled")
        _wait_for_stop()
        if hosting:
            scheduler.shutdown()
        return 0
    return run_http(settings)
