"""The WSGI application of HTTP mode: Slack at /slack/events, a health check at /healthz."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from slack_bolt.adapter.wsgi import SlackRequestHandler

from bot.config import Settings
from bot.core import Core
from handlers.slack.app import build_app

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"

StartResponse = Callable[..., Any]
WsgiApp = Callable[[dict, StartResponse], Iterable[bytes]]


def _plain(start_response: StartResponse, status: str, body: bytes) -> list[bytes]:
    start_response(status, [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body)))])
    return [body]


def create_wsgi_app(settings: Settings, core: Core | None = None) -> WsgiApp:
    """Build the core and the Bolt app, and route requests to them."""
    core = core or Core(settings)
    slack = SlackRequestHandler(build_app(core, socket_mode=False), path=EVENTS_PATH)

    def application(environ: dict, start_response: StartResponse) -> Iterable[bytes]:
        """Route one request."""
        path, method = environ.get("PATH_INFO", ""), environ.get("REQUEST_METHOD", "GET")
        if path == EVENTS_PATH:
            if method != "POST":
                return _plain(start_response, "405 Method Not Allowed", b"POST only\n")
            return slack(environ, start_response)
        if path == HEALTH_PATH and method in ("GET", "HEAD"):
            if core.db.ping():
                return _plain(start_response, "200 OK", b"ok\n")
            return _plain(start_response, "503 Service Unavailable", b"database unavailable\n")
        return _plain(start_response, "404 Not Found", b"not found\n")

    application.core = core  # type: ignore[attr-defined]
    return application
