"""The core's neutral markup as Slack mrkdwn: `**b**` → `*b*`, `[label](url)` → `<url|label>`, people as pings."""

from __future__ import annotations

import re

from bot.chat import markup
from bot.texts import t as core_text

COMMAND = "/lef"  # the slash command of manifest.yml; the core writes `{cmd}`


def _mention(match: re.Match[str]) -> str:
    sigil, _name, kind, target = match.groups()
    return f"<@{target}>" if kind == "user" else f"<#{target}>"


def _link(match: re.Match[str]) -> str:
    label, url = match.group(1).strip(), match.group(2)
    url = url.replace("|", "%7C").replace(">", "%3E").replace("<", "%3C")
    return f"<{url}|{label}>" if label else f"<{url}>"


def to_mrkdwn(text: str) -> str:
    """Slack mrkdwn for a core text (Slack markup already in it, e.g. from the knowledge base, stays)."""
    text = markup.MENTION.sub(_mention, text)
    text = markup.LINK.sub(_link, text)
    text = markup.BOLD.sub(r"*\1*", text)
    return text.replace(markup.CMD, COMMAND)


def t(key: str, lang: str = "nl", /, **values: object) -> str:
    """A core text rendered for Slack."""
    return to_mrkdwn(core_text(key, lang, **values))
