"""Files the core attaches to a reply (`meta["file_content"]`, e.g. the iCal of a team) go up with files_upload_v2."""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackRequestError

from bot.chat.replies import Reply
from handlers.slack.client import api_error

log = logging.getLogger(__name__)


def upload_attachment(client: WebClient, user: str, reply: Reply) -> bool:
    """Upload the reply's file into the user's DM with the bot; False when there is none or Slack refused."""
    content = reply.meta.get("file_content")
    if not content:
        return False
    filename = reply.meta.get("filename") or "lefbot.txt"
    try:
        channel = client.conversations_open(users=user)["channel"]["id"]
        client.files_upload_v2(channel=channel, content=content, filename=filename, title=filename)
    except SlackApiError as exc:
        log.warning("file upload failed: %s", api_error(exc))
        return False
    except SlackRequestError as exc:
        log.warning("file upload failed: %s", exc.__class__.__name__)
        return False
    return True
