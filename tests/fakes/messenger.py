"""A messenger that records what the core would have sent."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from bot.chat.messenger import Capabilities
from bot.chat.replies import MessageRef, Reply


@dataclass
class Sent:
    """One recorded message."""

    kind: str  # dm | post | update
    target: str
    reply: Reply
    ref: MessageRef
    thread: str | None = None


class FakeMessenger:
    """Implements the Messenger port in memory; like Slack it has private replies and updates, but sends no files."""

    platform = "fake"
    capabilities = Capabilities(files=False, direct_by_id=True)

    def __init__(self) -> None:
        self.sent: list[Sent] = []
        self._ts = itertools.count(1)
        self.fail_next = 0

    def _record(self, kind: str, target: str, reply: Reply, thread: str | None = None) -> MessageRef:
        if self.fail_next:
            self.fail_next -= 1
            from bot.chat.messenger import MessengerError

            raise MessengerError("fake failure")
        ref = MessageRef(channel=target, ts=f"{next(self._ts)}.000100")
        self.sent.append(Sent(kind, target, reply, ref, thread))
        return ref

    def send_dm(self, user_id: str, reply: Reply) -> MessageRef:
        """Record a DM."""
        return self._record("dm", user_id, reply)

    def post(self, channel: str, reply: Reply, thread: str | None = None) -> MessageRef:
        """Record a channel post."""
        return self._record("post", channel, reply, thread)

    def update(self, ref: MessageRef, reply: Reply) -> None:
        """Record an update."""
        self.sent.append(Sent("update", ref.channel, reply, ref))

    def permalink(self, ref: MessageRef) -> str | None:
        """A fake link."""
        return f"https://example.invalid/{ref.channel}/{ref.ts}"

    def already_delivered(self, target: str, key: str) -> bool | None:
        """True when a recorded DM or post to `target` carried claim `key`."""
        return any(s.target == target and s.reply.meta.get("claim_key") == key for s in self.sent)

    def to(self, target: str, kind: str | None = None) -> list[Sent]:
        """Messages sent to one user or channel."""
        return [s for s in self.sent if s.target == target and (kind is None or s.kind == kind)]
