"""The port through which the core sends messages on its own initiative."""

from __future__ import annotations

from typing import Protocol

from bot.chat.replies import MessageRef, Reply


class MessengerError(Exception):
    """The chat platform refused or failed to deliver a message after retries."""


class Messenger(Protocol):
    """Proactive messaging, implemented by each chat adapter."""

    def send_dm(self, user_id: str, reply: Reply) -> MessageRef:
        """Send a direct message to a user."""
        ...

    def post(self, channel: str, reply: Reply, thread: str | None = None) -> MessageRef:
        """Post in a channel, or in a thread of it."""
        ...

    def update(self, ref: MessageRef, reply: Reply) -> None:
        """Replace an earlier message."""
        ...

    def permalink(self, ref: MessageRef) -> str | None:
        """A link to a message, when the platform has one."""
        ...

    def already_delivered(self, target: str, key: str) -> bool | None:
        """Whether the message with claim key `key` (Reply.meta) is in `target`'s DM or channel; None: unknown."""
        ...
