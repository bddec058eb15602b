"""Baseline for `make bench`: a bare Bolt app that answers every mention and DM with a fixed text (no core, no
database).

`python -m benchmarks.bare_bolt` serves it exactly as `lefbot run --http` serves lefbot: the same gunicorn
settings (one gthread worker, the same threads and keep-alive) and the same Bolt listener pool.
"""

from __future__ import annotations

import os
import sys
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient

from bot.config import load_settings
from handlers.slack.app import LISTENER_THREADS
from handlers.slack.run import LefbotServer


def build() -> SlackRequestHandler:
    """The bare app: answer every mention (in its thread) and every DM with a fixed text."""
    client = WebClient(token=os.environ["SLACK_BOT_TOKEN"], base_url=os.environ["SLACK_API_URL"])
    app = App(
        client=client,
        signing_secret=os.environ["SLACK_SIGNING_SECRET"],
        listener_executor=ThreadPoolExecutor(max_workers=LISTENER_THREADS),
    )

    @app.event("app_mention")
    def answer_mention(event: dict, client: WebClient) -> None:
        """Answer in the mention's thread with a fixed text."""
        client.chat_postMessage(channel=event["channel"], thread_ts=event["ts"], text="Dit is een vast antwoord.")

    @app.event("message")
    def answer(event: dict, client: WebClient) -> None:
        """Answer with a fixed text."""
        client.chat_postMessage(channel=event["channel"], text="Dit is een vast antwoord.")

    return SlackRequestHandler(app)


class BareServer(LefbotServer):
    """lefbot's gunicorn settings, serving the bare app."""

    def load(self) -> Any:
        """Build the bare app inside the worker."""
        return build()


if __name__ == "__main__":
    BareServer(load_settings(), {"proc_name": "bare-bolt"}).run()
    sys.exit(0)
