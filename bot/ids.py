"""Platform ids in the core: any chat platform's user, channel or conversation id, written `@<id>` in texts."""

from __future__ import annotations

import re

ID_MAX = 255  # user, channel, conversation and message ids of any chat platform (Teams ids run long)
KEY_MAX = 400  # claim and delivery keys, which embed such ids

# Slack `U01ABC`, Teams `29:1a2b…` and `19:…@thread.tacv2`, Entra object ids (GUIDs): no spaces, no markup.
_ID = re.compile(rf"[A-Za-z0-9][A-Za-z0-9_.:@=+/-]{{1,{ID_MAX - 1}}}")
_EMAIL = re.compile(r"[^@\s<>|]+@[^@\s<>|]+\.[^@\s<>|]+")


def is_platform_id(text: str) -> bool:
    """True when `text` can be a user, channel or conversation id of some chat platform."""
    return bool(_ID.fullmatch(text))


def user_token(token: str) -> str | None:
    """The id in a user token `@<id>` or `<id>` (as adapters write mentions); None when it is no id."""
    token = token.strip()
    token = token[1:] if token.startswith("@") else token
    return token if is_platform_id(token) else None


def channel_token(token: str) -> str:
    """The id in a channel token `#<id>` or `<id>` (as adapters write channel mentions)."""
    return token.strip().lstrip("#")[:ID_MAX]


def is_email(text: str) -> bool:
    """True for something shaped like an e-mail address."""
    return len(text) <= ID_MAX and bool(_EMAIL.fullmatch(text))
