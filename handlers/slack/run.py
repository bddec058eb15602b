"""`lefbot run` on Slack: Socket Mode when SLACK_APP_TOKEN is set, else HTTP under gunicorn."""

from __future__ import annotations

import contextlib
import logging
import signal
import sys
import threading
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from gunicorn.app.base import BaseApplication

from bot.config import ConfigError, Settings

if TYPE_CHECKING:
    from bot.core import Core

log = logging.getLogger(__name__)

THREADS = 8
REFUSED = frozenset(
    {"invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired", "not_allowed_token_type"}
)
# How long a thread may keep the GIL while others wait (Python's default: 5 ms). Answering is CPU-bound
# (search), so with the default a request thread waited up to 5 ms per hand-over before it could ack.
SWITCH_INTERVAL = 0.001


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
            "post_worker_init": _worker_init,
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

        app = create_wsgi_app(self.settings)
        app.core.answering.questions.start()  # type: ignore[attr-defined]  # the question log off the answer path
        return app


def _worker_init(_worker: Any) -> None:
    """In the worker process, once it is set up: quicker GIL hand-overs, so acks do not wait on answers."""
    sys.setswitchinterval(SWITCH_INTERVAL)


def run_http(settings: Settings) -> int:
    """Serve /slack/events and /healthz on PORT until stopped."""
    if not settings.slack_signing_secret:
        log.error("SLACK_SIGNING_SECRET is required in HTTP mode")
        return 2
    log.info("Slack HTTP mode on port %s (POST /slack/events, GET /healthz)", settings.port)
    LefbotServer(settings).run()
    return 0


def run_socket_mode(settings: Settings) -> int:
    """Connect to Slack over a WebSocket (no public URL needed) and run the scheduler, until SIGTERM/SIGINT."""
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    from bot.core import Core
    from handlers.slack.app import build_app

    stop = _stop_signal()
    core = Core(settings)
    app = build_app(core, socket_mode=True)  # attaches a SlackMessenger to the core
    core.answering.questions.start()  # the question log off the answer path
    handler = SocketModeHandler(app, settings.slack_app_token)
    log.info("Slack Socket Mode: connecting")
    handler.connect()
    with _scheduler(core, settings):
        _wait_for_stop(stop)
    handler.close()
    return 0


def run_worker(settings: Settings) -> int:
    """HTTP deployments' `worker:` process: only the scheduler (nudges), sending through the Web API."""
    from bot.core import Core
    from handlers.slack.client import make_client
    from handlers.slack.messenger import SlackMessenger
    from handlers.teams.run import worker_messenger

    if not settings.scheduler_enabled:
        log.error("worker: SCHEDULER_ENABLED is false, so this process has nothing to do")
        return 2
    stop = _stop_signal()
    core = Core(settings)
    slack = SlackMessenger(make_client(settings), settings.language)
    core.attach_messenger(worker_messenger(core, slack) or slack)  # also to Teams members when Teams is set up
    log.info("worker: scheduler only (the web process answers Slack over HTTP)")
    with _scheduler(core, settings):
        _wait_for_stop(stop)
    return 0


@contextlib.contextmanager
def _scheduler(core: Core, settings: Settings) -> Iterator[None]:
    from bot import scheduler

    if not settings.scheduler_enabled:
        log.warning("SCHEDULER_ENABLED=false: no nudges are sent from this process")
        yield
        return
    scheduler.start(core)
    try:
        yield
    finally:
        scheduler.shutdown()
        log.info("scheduler stopped")


def _stop_signal() -> threading.Event:
    """An event set by SIGTERM (the platform stopping the process) or SIGINT; install before starting work."""
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    return stop


def _wait_for_stop(stop: threading.Event) -> None:
    # Wake up now and then: the OS may deliver SIGTERM to another thread, and Python runs signal handlers
    # only in the main thread when it is not blocked; an endless wait() could then miss the stop.
    while not stop.wait(0.5):
        pass


def check_database(settings: Settings) -> None:
    """Connect once before serving; DatabaseError (one line naming DATABASE_URL) when the database does not answer."""
    import sqlalchemy as sa

    from bot.db import Database, connection_problem

    db = Database(settings.database_url)
    try:
        with db.engine.connect():
            pass
    except sa.exc.SQLAlchemyError as exc:
        raise connection_problem(exc, settings.database_url) from None
    finally:
        db.dispose()


def check_tokens(settings: Settings, socket_mode: bool) -> None:
    """Ask Slack whether the tokens work, before anything starts; ConfigError naming the variable when not."""
    from slack_sdk import WebClient
    from slack_sdk.errors import SlackApiError

    from handlers.slack.client import TIMEOUT, api_error, retry_handlers

    where = settings.slack_api_url or WebClient.BASE_URL
    quiet = logging.getLogger(f"{__name__}.token_check")  # the one line below says it all; no retry chatter
    quiet.setLevel(logging.CRITICAL)
    client = WebClient(
        token=settings.slack_bot_token, base_url=where, timeout=TIMEOUT, retry_handlers=retry_handlers(), logger=quiet
    )
    calls = [("SLACK_BOT_TOKEN", client.auth_test)]
    if socket_mode:
        calls.append(("SLACK_APP_TOKEN", lambda: client.apps_connections_open(app_token=settings.slack_app_token)))
    for variable, call in calls:
        try:
            call()
        except SlackApiError as exc:
            error = api_error(exc)
            if error in REFUSED:
                raise ConfigError(
                    variable,
                    f"Slack weigert dit token ({error}); kopieer het opnieuw uit de instellingen van de Slack-app",
                ) from None
            raise ConfigError(variable, f"Slack gaf een fout bij het controleren van dit token ({error})") from None
        except OSError as exc:
            raise ConfigError(
                "SLACK_API_URL", f"kan Slack niet bereiken op {where} ({type(exc).__name__}); controleer de verbinding"
            ) from None


def run(settings: Settings, http: bool = False, worker: bool = False) -> int:
    """Pick the mode.

    Socket Mode (SLACK_APP_TOKEN set, no `--http`): WebSocket and scheduler in one process, with or
    without `--worker`. Otherwise HTTP: `--worker` runs only the scheduler; `--http` or no flag runs only
    the web server, and nudges need a separate `lefbot run --worker` (Procfile `worker:`).
    """
    check_tokens(settings, socket_mode=settings.socket_mode and not http)
    check_database(settings)  # here, in one line; inside gunicorn's worker it would be a traceback and exit 3
    if settings.socket_mode and not http:
        return run_socket_mode(settings)
    if worker:
        return run_worker(settings)
    log.warning("HTTP mode runs no scheduler: start `lefbot run --worker` as well, or no nudges are sent")
    return run_http(settings)
