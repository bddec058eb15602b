"""Adaptive Cards (schema 1.5) for the core's neutral replies: the one place that knows Teams' message layout.

Every card carries `fallbackText` (the reply's plain text). Buttons are `Action.Execute` with the core's action
id as verb. A click may "amend" a card (keep it, swap its buttons for the result), but Teams does not send the
card back with the click: each button carries the card's body, compressed and signed with SECRET_KEY, so the
body shown again is always one lefbot itself sent.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import zlib
from typing import Any

from microsoft_agents.activity import Activity
from microsoft_agents.hosting.core import CardFactory, MessageFactory

from bot.chat import markup
from bot.chat.replies import Button, Reply

SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
VERSION = "1.5"
CARD_TYPE = "application/vnd.microsoft.card.adaptive"
TEXT_MAX = 20_000
_LINK = re.compile(r"<(https?://[^|>\s]+)\|([^>]+)>")
_BARE = re.compile(r"<((?:https?://|mailto:)[^>\s]+)>")
_MENTION = re.compile(r"<([@#!])([^|>]+)(?:\|([^>]+))?>")
_BOLD = re.compile(r"(?<![\w*])\*(?!\s)([^*\n]+?)(?<!\s)\*(?![\w*])")
_BULLET = re.compile(r"^\s*[•◦]\s+", re.MULTILINE)
STYLES = {"primary": "positive", "danger": "destructive"}
COMMAND = "lef"  # what a Teams user types before a command; the core writes `{cmd}`


def _neutral_mention(match: re.Match[str]) -> str:
    sigil, label, kind, target = match.groups()
    name = label.strip().lstrip(sigil).strip() or target
    return name if kind == "user" else f"#{name}"


def markdown(text: str) -> str:
    """The core's neutral markup as the Markdown subset Adaptive Cards render.

    `**bold**`, `_italics_`, `[label](url)` and `- ` lists pass as they are; a person becomes the name, a channel
    `#name`, `{cmd}` the command word. Knowledge-base answers may still carry Slack-style `*bold*`, `<url|label>`
    and `<@id>`; those are converted too.
    """
    text = markup.MENTION.sub(_neutral_mention, text or "").replace(markup.CMD, COMMAND)
    text = _LINK.sub(lambda m: f"[{m.group(2)}]({m.group(1)})", text)
    text = _BARE.sub(lambda m: m.group(1).removeprefix("mailto:"), text)
    text = _MENTION.sub(lambda m: m.group(3) or ("@" if m.group(1) != "#" else "#") + m.group(2), text)
    text = _BOLD.sub(r"**\1**", text)
    text = _BULLET.sub("- ", text)
    text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    return text[:TEXT_MAX]


def plain(text: str) -> str:
    """Markup-free text for fallbacks and notifications."""
    text = markdown(text)
    text = re.sub(r"\[([^\]]+)\]\((\S+)\)", r"\1 (\2)", text)
    return text.replace("**", "").replace("`", "")


def _sign(secret: str, payload: str) -> str:
    return hmac.new(secret.encode(), payload.encode(), hashlib.sha256).hexdigest()[:32]


def pack_body(body: list[dict[str, Any]], secret: str) -> dict[str, str]:
    """The card body, compressed and signed, to ride along with each button."""
    packed = base64.b64encode(zlib.compress(json.dumps(body, separators=(",", ":")).encode(), 9)).decode()
    return {"c": packed, "s": _sign(secret, packed)}


def unpack_body(data: dict[str, Any], secret: str) -> list[dict[str, Any]] | None:
    """The card body a button carried, or None when it is missing or not signed by us."""
    packed, signature = data.get("c"), data.get("s")
    if not isinstance(packed, str) or not isinstance(signature, str) or len(packed) > 40_000:
        return None
    if not hmac.compare_digest(_sign(secret, packed), signature):
        return None
    try:
        body = json.loads(zlib.decompress(base64.b64decode(packed), bufsize=200_000))
    except (ValueError, zlib.error):
        return None
    return body if isinstance(body, list) else None


def text_block(text: str, **style: Any) -> dict[str, Any]:
    """A wrapping TextBlock."""
    return {"type": "TextBlock", "text": markdown(text), "wrap": True, **style}


def body_of(reply: Reply, lang: str) -> list[dict[str, Any]]:
    """The card elements for a reply's content (no buttons)."""
    elements: list[dict[str, Any]] = []
    if reply.title:
        elements.append(text_block(reply.title, weight="Bolder", size="Medium"))
    main = reply.body if reply.body is not None or reply.title else reply.text
    if main:
        elements.append(text_block(main))
    if reply.sources:
        label = "Sources" if lang == "en" else "Bronnen"
        lines = "\n".join(f"- [{markdown(s.title)}]({s.url})" for s in reply.sources)
        elements.append(text_block(f"**{label}**\n\n{lines}", spacing="Medium"))
    if reply.context:
        elements.append(text_block(reply.context, isSubtle=True, size="Small", spacing="Medium"))
    return elements


def action(button: Button, packed: dict[str, str]) -> dict[str, Any]:
    """An Action.Execute for a core button."""
    result: dict[str, Any] = {
        "type": "Action.Execute",
        "title": plain(button.label)[:80],
        "verb": button.action_id,
        "data": {"v": button.value, **packed},
    }
    if button.style in STYLES:
        result["style"] = STYLES[button.style]
    return result


def card(reply: Reply, lang: str, secret: str, body: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """The Adaptive Card for a reply; `body` replaces the content (an amended card keeps its old body)."""
    elements = list(body if body is not None else body_of(reply, lang))
    packed = pack_body(elements, secret) if (reply.choices or reply.buttons) else {}
    if reply.choices:
        elements.append({"type": "ActionSet", "actions": [action(c, packed) for c in reply.choices]})
    content: dict[str, Any] = {
        "$schema": SCHEMA,
        "type": "AdaptiveCard",
        "version": VERSION,
        "fallbackText": plain(reply.text)[:TEXT_MAX],
        "body": elements or [text_block(reply.text)],
    }
    if reply.buttons:
        content["actions"] = [action(b, packed) for b in reply.buttons]
    return content


def amended(old_body: list[dict[str, Any]], result: Reply, lang: str, secret: str) -> dict[str, Any]:
    """The old card's content, its buttons replaced by the click's result (and the result's own buttons)."""
    body = [*old_body, *body_of(result, lang)]
    return card(result, lang, secret, body=body)


def needs_card(reply: Reply) -> bool:
    """A reply with more than text goes out as a card; plain text stays a plain (Markdown) message."""
    return bool(reply.title or reply.buttons or reply.choices or reply.sources or reply.context)


def message(reply: Reply, lang: str, secret: str) -> Activity:
    """The activity for a reply: a card when it has more than text, else a Markdown message."""
    if needs_card(reply):
        activity = MessageFactory.attachment(CardFactory.adaptive_card(card(reply, lang, secret)))
        activity.summary = plain(reply.text)[:200]
        return activity
    activity = MessageFactory.text(markdown(reply.body or reply.text))
    activity.text_format = "markdown"
    return activity


def card_message(content: dict[str, Any]) -> Activity:
    """An activity carrying a ready card (a form)."""
    activity = MessageFactory.attachment(CardFactory.adaptive_card(content))
    activity.summary = str(content.get("fallbackText") or "")[:200]
    return activity
