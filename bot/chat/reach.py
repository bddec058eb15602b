"""Reaching members through the address book: the messenger the core uses for its proactive messages.

It wraps the adapter's messenger. A direct message goes to the member's address (on Slack the user id);
a member without one is not sent to: `Unreachable` is raised at once, and each of the member's teams'
supporters is told once (a claim per team, member and supporter) so they can ask the member to install
or open the app.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from sqlmodel import col, select

from bot import claims
from bot.chat.addresses import AddressBook
from bot.chat.messenger import Capabilities, Unreachable, capabilities_of, platform_name
from bot.chat.replies import MessageRef, Reply
from bot.clock import Clock
from bot.db import Database
from bot.deadlines.models import Team, TeamMember
from bot.people.models import Member
from bot.texts import t

log = logging.getLogger(__name__)
SUPPORTER = "supporter"


def supporters_to_tell(db: Database, user_id: str) -> tuple[str, list[tuple[int, str, str, str]]]:
    """The member's name, and (team id, team name, supporter user id, language) for every team they are in."""
    with db.session() as s:
        name = s.exec(select(Member.name).where(Member.user_id == user_id)).first() or user_id
        teams = s.exec(
            select(Team.id, Team.name)
            .join(TeamMember, col(TeamMember.team_id) == col(Team.id))
            .join(Member, col(Member.id) == col(TeamMember.member_id))
            .where(Member.user_id == user_id, TeamMember.role != SUPPORTER)
        ).all()
        found: list[tuple[int, str, str, str]] = []
        for team_id, team_name in teams:
            rows = s.exec(
                select(Member.user_id, Member.language)
                .join(TeamMember, col(TeamMember.member_id) == col(Member.id))
                .where(TeamMember.team_id == team_id, TeamMember.role == SUPPORTER)
            ).all()
            found.extend((int(team_id), team_name, sup, lang or "") for sup, lang in rows if sup != user_id)
    return name, found


class ReachingMessenger:
    """The core's messenger: the adapter's, with direct messages resolved through the address book."""

    def __init__(self, inner: Any, db: Database, clock: Clock, lang: str) -> None:
        self.inner = inner
        self.db = db
        self.clock = clock
        self.lang = lang
        self.platform = platform_name(inner)
        self.addresses = AddressBook(db, self.platform, capabilities_of(inner).direct_by_id)
        self.on_unreachable: Callable[[str], None] = self.tell_supporters

    def __getattr__(self, name: str) -> Any:
        """Anything else the adapter's messenger offers (e.g. what a fake recorded)."""
        inner = self.__dict__.get("inner")
        if inner is None:
            raise AttributeError(name)
        return getattr(inner, name)

    def send_dm(self, user_id: str, reply: Reply) -> MessageRef:
        """Reach a member directly; `Unreachable` (nothing sent) when the address book has no way yet."""
        address = self.addresses.member(user_id)
        if address is None:
            self.on_unreachable(user_id)
            raise Unreachable(f"no {self.platform} address for this member")
        return self.inner.send_dm(address, reply)

    @property
    def capabilities(self) -> Capabilities:
        """What the adapter declares."""
        return capabilities_of(self.inner)

    def send_file(self, user_id: str, filename: str, content: str, title: str) -> None:
        """The file port: a text file into the member's direct conversation."""
        address = self.addresses.member(user_id)
        if address is None:
            raise Unreachable(f"no {self.platform} address for this member")
        self.inner.send_file(address, filename, content, title)

    def post(self, channel: str, reply: Reply, thread: str | None = None) -> MessageRef:
        """Post in a channel, or in a thread of it."""
        return self.inner.post(channel, reply, thread)

    def update(self, ref: MessageRef, reply: Reply) -> None:
        """Replace an earlier message."""
        self.inner.update(ref, reply)

    def permalink(self, ref: MessageRef) -> str | None:
        """A link to a message, when the platform has one."""
        return self.inner.permalink(ref)

    def already_delivered(self, target: str, key: str) -> bool | None:
        """Whether a message with claim `key` reached `target`; None when the adapter cannot tell."""
        check = getattr(self.inner, "already_delivered", None)
        if check is None:
            return None
        return check(self.addresses.member(target) or target, key)

    def tell_supporters(self, user_id: str) -> None:
        """One DM per team supporter that this member cannot be reached yet (supporters unreachable: logged)."""
        now = self.clock.now()
        name, supporters = supporters_to_tell(self.db, user_id)
        for team_id, team_name, supporter, lang in supporters:
            address = self.addresses.member(supporter)
            if address is None:
                log.warning(
                    "neither a member nor the supporter of team %s can be reached on %s", team_id, self.platform
                )
                continue
            key = f"unreachable:{self.platform}:{team_id}:{user_id}:{supporter}"[:200]
            with self.db.session() as s:
                if not claims.claim(s, key, now=now, kind="unreachable", subject=supporter):
                    continue
            text = t("chat.unreachable", lang or self.lang, team=team_name, member=name)
            try:
                ref = self.inner.send_dm(address, Reply(text, body=text))
            except Exception as exc:  # noqa: BLE001 - told again on a later attempt
                log.warning("telling the supporter about an unreachable member failed: %s", exc.__class__.__name__)
                with self.db.session() as s:
                    claims.release(s, key)
                continue
            with self.db.session() as s:
                claims.mark_sent(s, key, ref.channel or None, ref.ts or None, ref.extras)
