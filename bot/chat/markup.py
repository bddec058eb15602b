"""The core's text markup, a small Markdown subset every adapter renders its own way.

`**bold**`, `_italics_`, `[label](https://…)`, lines starting with `- ` or `• `, `` `code` ``; a person is
`[@name](user:<id>)` and a channel `[#name](channel:<id>)` (see `mention`); `{cmd}` stands for the command
prefix the adapter declares (Slack `/lef`, Teams `lef`).
"""

from __future__ import annotations

import re

CMD = "{cmd}"
BOLD = re.compile(r"\*\*(?!\s)(.+?)(?<!\s)\*\*")
LINK = re.compile(r"\[([^\]\n]*)\]\(((?:https?://|mailto:)[^)\s]+)\)")
MENTION = re.compile(r"\[([@#])([^\]\n]*)\]\((user|channel):([^)\s]+)\)")


def mention(user_id: str, name: str = "") -> str:
    """A person in a text; the adapter renders it as a ping or as the name."""
    return f"[@{_label(name) or user_id}](user:{user_id})"


def channel(channel_id: str, name: str = "") -> str:
    """A channel in a text; the adapter renders it as a link or as the name."""
    return f"[#{_label(name) or channel_id}](channel:{channel_id})"


def bold(text: str) -> str:
    """Bold text."""
    return f"**{text}**"


def _label(name: str) -> str:
    return name.replace("[", "(").replace("]", ")").replace("\n", " ").strip()
