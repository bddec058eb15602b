"""Slack message markup to plain text, before the core sees it."""

from __future__ import annotations

import re

from bot.chat.replies import Mention

_USER = re.compile(r"<@([A-Z0-9]+)(?:\|[^>]*)?>")
_CHANNEL = re.compile(r"<#[A-Z0-9]+(?:\|([^>]*))?>")
_SPECIAL = re.compile(r"<!([a-z]+)(?:\^[^>|]*)?(?:\|@?([^>]*))?>")
_LINK = re.compile(r"<((?:https?|mailto):[^>|]*)(?:\|([^>]*))?>")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def from_slack(text: str | None) -> str:
    """Plain text for a Slack message: mentions and pings dropped, links as words, no markup characters left.

    `<` and `>` from the user become `‹` and `›`, so a question echoed later (for example in the
    support channel) can never turn into a link, a mention or an @channel.
    """
    return _plain(_CONTROL.sub(" ", text or ""))


def _plain(text: str) -> str:
    """from_slack without the control-character cleanup (command_text holds its own markers in NULs)."""
    text = _USER.sub(" ", text)
    text = _CHANNEL.sub(lambda m: f"#{m.group(1) or 'kanaal'}", text)
    text = _SPECIAL.sub(" ", text)
    text = _LINK.sub(lambda m: m.group(2) or m.group(1).removeprefix("mailto:"), text)
    text = text.replace("&lt;", "‹").replace("&gt;", "›").replace("<", "‹").replace(">", "›").replace("&amp;", "&")
    text = text.replace("](", "] (")  # typed core markup ([label](url), [@x](user:U1)) never becomes a link or a ping
    return " ".join(text.split())


_ESCAPED_USER = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")
_ESCAPED_CHANNEL = re.compile(r"<#([CG][A-Z0-9]+)(?:\|[^>]*)?>")
_BARE_MENTION = re.compile(r"(?<![\w<\x00])@(\w[\w.-]*)")
_HELD = re.compile("\x00([@#])([A-Z0-9]+)\x00")
_ANY_MENTION = re.compile(r"<([@#])([UWCG][A-Z0-9]+)(?:\|([^>]*))?>")


def mentions(text: str | None) -> tuple[Mention, ...]:
    """The people and channels Slack resolved in a message (`<@U01|anna>`, `<#C01|kanaal>`), in order, once each."""
    found: dict[tuple[str, bool], Mention] = {}
    for match in _ANY_MENTION.finditer(text or ""):
        channel = match.group(1) == "#"
        found.setdefault((match.group(2), channel), Mention(match.group(2), match.group(3) or "", channel))
    return tuple(found.values())


def command_text(text: str | None) -> str:
    """Plain text for a `/lef` command, with the people and channels Slack resolved as the core's `@U1` / `#C1`.

    The manifest sets `should_escape: true`, so Slack sends `@anna` as `<@U01|anna>`; an `@name` Slack
    could not resolve is shown as `‹@name›`, which the core refuses kindly instead of taking it for an id.
    """
    text = _ESCAPED_USER.sub(lambda m: f"\x00@{m.group(1)}\x00", _CONTROL.sub(" ", text or ""))
    text = _ESCAPED_CHANNEL.sub(lambda m: f"\x00#{m.group(1)}\x00", text)
    text = _BARE_MENTION.sub(lambda m: f"‹@{m.group(1)}›", _plain(text))
    return _HELD.sub(lambda m: f"{m.group(1)}{m.group(2)}", text)
