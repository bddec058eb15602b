"""The port through which the core sends messages on its own initiative."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from bot.chat.replies import MessageRef, Reply


class MessengerError(Exception):
    """The chat platform refused or failed to deliver a message after retries."""


class Unreachable(MessengerError):
    """The member has no address on this platform yet (e.g. has not installed the app); nothing was sent."""


@dataclass(frozen=True)
class Capabilities:
    """What an adapter can do; where it cannot, the core chooses the fallback (see bot.chat.fallbacks)."""

    private_replies: bool = True  # only-you-see-this messages (else: a direct message)
    update_in_place: bool = True  # replace a sent message (else: a new message)
    threads: bool = True  # replies in a thread (else: in the channel)
    files: bool = False  # send a file (else: its content in the message)
    direct_by_id: bool = True  # a user id alone reaches a member (else: the address book must hold an address)
    max_select_options: int = 100  # choices in one select / drop-down
    max_option_label: int = 75  # characters in one choice's label


DEFAULT_CAPABILITIES = Capabilities()


def capabilities_of(messenger: object | None) -> Capabilities:
    """What a messenger declares; the defaults for one that declares nothing."""
    found = getattr(messenger, "capabilities", None)
    return found if isinstance(found, Capabilities) else DEFAULT_CAPABILITIES


def platform_name(messenger: object | None) -> str:
    """The platform a messenger speaks for (its address book), "console" when it does not say."""
    return str(getattr(messenger, "platform", "") or "console")


class Messenger(Protocol):
    """Proactive messaging, implemented by each chat adapter; it may declare `platform` and `capabilities`."""

    def send_dm(self, user_id: str, reply: Reply) -> MessageRef:
        """Reach a member directly; the core calls it through the address book (bot.chat.reach)."""
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


class FileSender(Protocol):
    """The file port: an adapter whose capabilities say `files` sends a text file to a member."""

    def send_file(self, user_id: str, filename: str, content: str, title: str) -> None:
        """Send `content` as `filename` into the member's direct conversation; MessengerError when it fails."""
        ...
