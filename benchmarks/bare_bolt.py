"""Baseline for `make bench`: a bare Bolt app that answers every DM with a fixed text (no core, no database)."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient

client = WebClient(token=os.environ["SLACK_BOT_TOKEN"], base_url=os.environ["SLACK_API_URL"])
app = App(
    client=client,
    signing_secret=os.environ["SLACK_SIGNING_SECRET"],
    listener_executor=ThreadPoolExecutor(max_workers=16),
)


@app.event("message")
def answer(event: dict, client: WebClient) -> None:
    """Answer with a fixed text."""
    client.chat_postMessage(channel=event["channel"], text="Dit is een vast antwoord.")


application = SlackRequestHandler(app)
