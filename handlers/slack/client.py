"""Talking to Slack: the Web API client with retries, and replies through a `response_url`."""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry import RetryHandler
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.webhook import WebhookClient

from bot.config import Settings

log = logging.getLogger(__name__)

MAX_RETRIES = 2
TIMEOUT = 15


def retry_handlers(max_retries: int = MAX_RETRIES) -> list[RetryHandler]:
    """Retry connection errors, 429 (honouring Retry-After) and 5xx, a few times each."""
    return [
        ConnectionErrorRetryHandler(max_retry_count=max_retries),
        RateLimitErrorRetryHandler(max_retry_count=max_retries),
        ServerErrorRetryHandler(max_retry_count=max_retries),
    ]


def make_client(settings: Settings) -> WebClient:
    """The Web API client: SLACK_API_URL as base URL (proxies, tests) and the retry handlers."""
    kwargs: dict[str, Any] = {"token": settings.slack_bot_token, "timeout": TIMEOUT, "retry_handlers": retry_handlers()}
    if settings.slack_api_url:
        kwargs["base_url"] = settings.slack_api_url
    return WebClient(**kwargs)


def respond(response_url: str, payload: dict[str, Any]) -> bool:
    """Send a message to a `response_url` (slash commands, button clicks); False when Slack refused it."""
    try:
        response = WebhookClient(response_url, timeout=TIMEOUT, retry_handlers=retry_handlers()).send_dict(payload)
    except OSError as exc:
        log.warning("response_url failed: %s", exc.__class__.__name__)
        return False
    if response.status_code >= 300:
        log.warning("response_url answered HTTP %s", response.status_code)
        return False
    return True


def api_error(exc: SlackApiError) -> str:
    """The Slack error code of a failed call (e.g. not_in_channel), for logs and decisions."""
    try:
        return str(exc.response.get("error") or exc.response.status_code)
    except Exception:  # noqa: BLE001 - a malformed response still needs a log line
        return "unknown"
