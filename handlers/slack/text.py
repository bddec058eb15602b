"""Slack message markup to plain text, before the core sees it."""

from __future__ import annotations

import re

_USER = re.compile(r"<@([A-Z0-9]+)(?:\|[^>]*)?>")
_CHANNEL = re.compile(r"<#[A-Z0-9]+(?:\|([^>]*))?>")
_SPECIAL = re.compile(r"<!([a-z]+)(?:\^[^>|]*)?(?:\|@?([^>]*))?>")
_LINK = re.compile(r"<((?:https?|mailto):[^>|]*)(?:\|([^>]*))?>")


def from_slack(text: str | None) -> str:
    """Plain text for a Slack message: mentions and pings dropped, links as words, no markup characters left.

    `<` and `>` from the user become `‹` and `›`, so a question echoed later (for example in the
    support channel) can never turn into a link, a mention or an @channel.
    """
    text = text or ""
    text = _USER.sub(" ", text)
    text = _CHANNEL.sub(lambda m: f"#{m.group(1) or 'kanaal'}", text)
    text = _SPECIAL.sub(" ", text)
    text = _LINK.sub(lambda m: m.group(2) or m.group(1).removeprefix("mailto:"), text)
    text = text.replace("&lt;", "‹").replace("&gt;", "›").replace("<", "‹").replace(">", "›").replace("&amp;", "&")
    return " ".join(text.split())
