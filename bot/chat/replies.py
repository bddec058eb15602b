"""Neutral message values the core speaks in; each chat adapter renders them its own way."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Button:
    """A clickable action: `action_id` says what it does, `value` carries its argument."""

    label: str
    action_id: str
    value: str = ""
    style: str | None = None  # "primary" | "danger" | None


@dataclass(frozen=True)
class Link:
    """A titled link, e.g. a source of an answer."""

    title: str
    url: str


@dataclass(frozen=True)
class Reply:
    """One message: plain `text` is always complete on its own (fallback, screen readers, console)."""

    text: str
    title: str | None = None
    body: str | None = None
    sources: tuple[Link, ...] = ()
    context: str | None = None
    buttons: tuple[Button, ...] = ()
    choices: tuple[Button, ...] = ()
    private: bool = False
    meta: dict[str, str] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class MessageRef:
    """Where a sent message lives, so it can be updated or linked to: conversation, message id, platform extras.

    `channel` and `ts` are the conversation and message ids (Slack's names, kept for the stored claims).
    """

    channel: str
    ts: str
    extras: dict[str, str] = field(default_factory=dict, compare=False, hash=False)

    @property
    def conversation(self) -> str:
        """The conversation (channel, chat, DM) the message is in."""
        return self.channel

    @property
    def message_id(self) -> str:
        """The platform's id of the message within its conversation."""
        return self.ts


@dataclass(frozen=True)
class Mention:
    """Someone (or a channel) the sender named; the adapter writes it in the text as `@<id>` (a channel `#<id>`)."""

    user_id: str
    name: str = ""
    channel: bool = False


@dataclass(frozen=True)
class Incoming:
    """A message someone sent to the bot."""

    user_id: str
    text: str
    channel: str = ""
    channel_kind: str = "console"  # console | dm | channel | slash
    thread: str | None = None
    mentions: tuple[Mention, ...] = ()
