"""Block Kit rendering of the core's neutral replies: the one place that knows Slack's message layout."""

from __future__ import annotations

import re
from typing import Any

from bot.chat.replies import Button, Link, Reply
from handlers.slack.mrkdwn import t, to_mrkdwn

HEADER_MAX = 150
SECTION_MAX = 3000
CONTEXT_MAX = 2000
BUTTON_LABEL_MAX = 75
BUTTON_VALUE_MAX = 2000
ACTION_ID_MAX = 255
ACTIONS_PER_BLOCK = 25
BLOCKS_MAX = 50
FALLBACK_MAX = 3000
ACTIONS_BLOCK = "lef_actions"
CHOICES_BLOCK = "lef_choices"
SUFFIX = "#"

Block = dict[str, Any]
_BROADCAST = re.compile(r"<!(channel|here|everyone)(?:\|[^>]*)?>|<!subteam\^[^>|]*(?:\|@?([^>]*))?>")


def neutralise(text: str) -> str:
    """Turn @channel/@here/@everyone/user-group pings into plain words, so no reply can notify a crowd."""

    def plain(match: re.Match[str]) -> str:
        return f"@{match.group(1) or match.group(2) or 'groep'}"

    return _BROADCAST.sub(plain, text)


def slack_text(text: str) -> str:
    """Core markup as mrkdwn, with crowd pings made harmless."""
    return neutralise(to_mrkdwn(text))


def escape(text: str) -> str:
    """Escape the three characters Slack mrkdwn treats as markup."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def truncate(text: str, limit: int) -> str:
    """Cut text to `limit` characters, ending with an ellipsis when cut."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def split_text(text: str, limit: int = SECTION_MAX) -> list[str]:
    """Split text into chunks of at most `limit` characters, at paragraph, line or word boundaries."""
    chunks: list[str] = []
    rest = text.strip()
    while len(rest) > limit:
        cut = -1
        for sep in ("\n\n", "\n", " "):
            cut = rest.rfind(sep, limit // 2, limit)
            if cut > 0:
                break
        if cut <= 0:
            cut = limit
        chunks.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        chunks.append(rest)
    return chunks


def base_action_id(action_id: str) -> str:
    """The core's action id for a rendered (possibly numbered) Slack action id."""
    return action_id.split(SUFFIX, 1)[0]


def section(text: str) -> Block:
    """A mrkdwn section."""
    return {"type": "section", "text": {"type": "mrkdwn", "text": truncate(slack_text(text), SECTION_MAX)}}


def sections(text: str) -> list[Block]:
    """As many mrkdwn sections as a long text needs."""
    return [section(chunk) for chunk in split_text(slack_text(text))]


def context(text: str) -> Block:
    """A small grey context line."""
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": truncate(slack_text(text), CONTEXT_MAX)}]}


def _link(link: Link) -> str:
    title = escape(link.title.strip() or link.url)
    if not link.url.startswith(("http://", "https://", "mailto:")):
        return f"{title} ({escape(link.url)})"
    url = link.url.replace("|", "%7C").replace(">", "%3E").replace("<", "%3C").replace(" ", "%20")
    return f"<{url}|{title}>"


def sources_block(links: tuple[Link, ...], heading: str) -> Block:
    """The sources of an answer as a list of links."""
    return section(f"*{heading}*\n" + "\n".join(f"• {_link(link)}" for link in links))


def _button(button: Button, action_id: str) -> Block:
    element: Block = {
        "type": "button",
        "text": {"type": "plain_text", "text": truncate(button.label or "…", BUTTON_LABEL_MAX), "emoji": True},
        "action_id": action_id[:ACTION_ID_MAX],
        "value": button.value[:BUTTON_VALUE_MAX],
    }
    if button.style in ("primary", "danger"):
        element["style"] = button.style
    return element


class _ActionIds:
    """Numbers repeated action ids (answer_choose, answer_choose#2, ...) so each is unique in its message."""

    def __init__(self, taken: set[str] | None = None) -> None:
        self.taken = set(taken or ())

    def __call__(self, action_id: str) -> str:
        candidate, n = action_id, 1
        while candidate in self.taken:
            n += 1
            candidate = f"{action_id}{SUFFIX}{n}"
        self.taken.add(candidate)
        return candidate


def actions(buttons: tuple[Button, ...], block_id: str, ids: _ActionIds | None = None) -> list[Block]:
    """Actions blocks (at most 25 buttons each) with unique action ids."""
    ids = ids or _ActionIds()
    blocks = []
    for start in range(0, len(buttons), ACTIONS_PER_BLOCK):
        chunk = buttons[start : start + ACTIONS_PER_BLOCK]
        blocks.append(
            {
                "type": "actions",
                "block_id": block_id if start == 0 else f"{block_id}_{start // ACTIONS_PER_BLOCK + 1}",
                "elements": [_button(b, ids(b.action_id)) for b in chunk],
            }
        )
    return blocks


def fallback(text: str) -> str:
    """The plain `text` every message carries (notifications, screen readers)."""
    return truncate(slack_text(text).strip() or "…", FALLBACK_MAX)


def reply_blocks(reply: Reply, lang: str = "nl") -> list[Block]:
    """The blocks of one reply: header, body, choices, sources, context, buttons."""
    blocks: list[Block] = []
    if reply.title:
        title = " ".join(slack_text(reply.title).split())
        blocks.append({"type": "header", "text": {"type": "plain_text", "text": truncate(title, HEADER_MAX)}})
    body = reply.body if reply.body is not None else ("" if reply.title else reply.text)
    blocks += sections(body or "")
    ids = _ActionIds()
    if reply.choices:
        blocks += actions(reply.choices, CHOICES_BLOCK, ids)
    if reply.sources:
        blocks.append(sources_block(reply.sources, t("answer.sources", lang)))
    if reply.context:
        blocks.append(context(reply.context))
    if reply.buttons:
        blocks += actions(reply.buttons, ACTIONS_BLOCK, ids)
    if len(blocks) > BLOCKS_MAX:
        tail = [b for b in blocks if b["type"] == "actions"][-2:]
        blocks = blocks[: BLOCKS_MAX - len(tail) - 1] + [section("…")] + tail
    return blocks


def render(reply: Reply, lang: str = "nl") -> dict[str, Any]:
    """A Slack message payload (`text` + `blocks`) for a reply."""
    return {"text": fallback(reply.text), "blocks": reply_blocks(reply, lang)}


def amend(blocks: list[Block], block_id: str, result: Reply) -> list[Block]:
    """The original blocks with the clicked actions block replaced by the result (text, then any buttons)."""
    kept = [b for b in blocks if b.get("block_id") != block_id]
    taken = {e.get("action_id", "") for b in kept if b.get("type") == "actions" for e in b.get("elements", [])}
    new: list[Block] = sections(result.body or result.text)
    if result.buttons:
        block_ids = {b.get("block_id") for b in kept}
        new_id, n = ACTIONS_BLOCK, 1
        while new_id in block_ids:
            n += 1
            new_id = f"{ACTIONS_BLOCK}_{n}"
        new += actions(result.buttons, new_id, _ActionIds(taken))
    index = next((i for i, b in enumerate(blocks) if b.get("block_id") == block_id), len(blocks))
    before = [b for b in blocks[:index] if b.get("block_id") != block_id]
    after = [b for b in blocks[index + 1 :] if b.get("block_id") != block_id]
    return (before + new + after)[:BLOCKS_MAX]
