"""The WSGI application of HTTP mode: Slack at /slack/events, a health check at /healthz.

A Slack request is read as raw bytes and its signature checked on them before anything is parsed
(unsigned, forged or stale: 401, whatever the body). Only then is it decoded, parsed the way Bolt parses it
and checked at the boundary (`handlers.slack.inbound`): malformed gives 400, a kind lefbot does not handle
gives 200 with nothing done. Bolt verifies the signature once more and routes what is left.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any

from slack_bolt import App
from slack_bolt.adapter.wsgi.http_request import WsgiHttpRequest
from slack_bolt.adapter.wsgi.http_response import WsgiHttpResponse
from slack_bolt.request import BoltRequest

from bot.config import Settings
from bot.core import Core
from handlers.slack import inbound
from handlers.slack.app import build_app

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"

StartResponse = Callable[..., Any]
WsgiApp = Callable[[dict, StartResponse], Iterable[bytes]]


def _plain(start_response: StartResponse, status: str, body: bytes) -> list[bytes]:
    start_response(status, [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body)))])
    return [body]


def read_body(environ: dict) -> bytes | None:
    """The raw request body; None when it is larger than Slack ever sends or its length is not a number."""
    raw_length = str(environ.get("CONTENT_LENGTH") or "").strip()
    if raw_length and not (raw_length.isascii() and raw_length.isdigit()):
        return None
    stream = environ.get("wsgi.input")
    if stream is None:
        return b""
    if raw_length and int(raw_length) > inbound.MAX_BODY:
        return None
    raw = stream.read(int(raw_length) if raw_length else inbound.MAX_BODY + 1)  # no length (chunked): one byte more
    return raw if len(raw) <= inbound.MAX_BODY else None


def parse(environ: dict, raw: bytes) -> BoltRequest:
    """The request as Bolt sees it; inbound.Invalid when it cannot be decoded or parsed."""
    try:
        text = raw.decode("utf-8")
        headers = WsgiHttpRequest(environ).get_headers()
        return BoltRequest(body=text, query=environ.get("QUERY_STRING", ""), headers=headers)
    except (ValueError, TypeError, AttributeError, LookupError, RecursionError) as exc:
        raise inbound.Invalid(f"unreadable body ({exc.__class__.__name__})") from None


def handle_slack(app: App, secret: str, environ: dict, start_response: StartResponse) -> Iterable[bytes]:
    """Signature first, then the boundary checks, then Bolt."""
    raw = read_body(environ)
    if raw is None:
        return _plain(start_response, "413 Content Too Large", b"too large\n")
    timestamp = environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP")
    if not inbound.signature_ok(secret, timestamp, environ.get("HTTP_X_SLACK_SIGNATURE"), raw):
        log.info("refused a Slack request without a valid signature")
        return _plain(start_response, "401 Unauthorized", b"invalid signature\n")
    try:
        request = parse(environ, raw)
        inbound.check(request.body)
    except inbound.Invalid as exc:
        log.info("refused a malformed Slack request: %s", exc)
        return _plain(start_response, "400 Bad Request", b"malformed request\n")
    except inbound.Ignored:
        log.debug("acknowledged a Slack request of a kind lefbot does not handle")
        return _plain(start_response, "200 OK", b"")
    response = app.dispatch(request)
    http = WsgiHttpResponse(status=response.status, headers=response.headers, body=response.body)
    start_response(http.status, http.get_headers())
    return http.get_body()


def create_wsgi_app(settings: Settings, core: Core | None = None) -> WsgiApp:
    """Build the core and the Bolt app, and route requests to them."""
    core = core or Core(settings)
    app = build_app(core, socket_mode=False)
    secret = settings.slack_signing_secret or ""

    def application(environ: dict, start_response: StartResponse) -> Iterable[bytes]:
        """Route one request."""
        path, method = environ.get("PATH_INFO", ""), environ.get("REQUEST_METHOD", "GET")
        if path == EVENTS_PATH:
            if method != "POST":
                return _plain(start_response, "405 Method Not Allowed", b"POST only\n")
            return handle_slack(app, secret, environ, start_response)
        if path == HEALTH_PATH and method in ("GET", "HEAD"):
            if core.db.ping():
                return _plain(start_response, "200 OK", b"ok\n")
            return _plain(start_response, "503 Service Unavailable", b"database unavailable\n")
        return _plain(start_response, "404 Not Found", b"not found\n")

    application.core = core  # type: ignore[attr-defined]
    return application
