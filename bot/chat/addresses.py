"""The address book: per platform, how to reach a member directly, a team's channel and the support channel."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from bot.db import Database
from bot.models import utc_column

MEMBER = "member"  # subject: the member's platform user id; address: what the platform needs to DM them
# Later kinds (the Teams adapter): "team_channel" (subject: team id) and "support" (subject: "").
SEEN_CACHE_SIZE = 50_000
DIRECT_BY_ID = frozenset({"slack", "console"})  # platforms where a user id alone reaches a member


class Address(SQLModel, table=True):
    """One stored way to reach someone or somewhere on one platform, filled by that platform's adapter."""

    __tablename__ = "addresses"
    platform: str = Field(primary_key=True, max_length=20)
    kind: str = Field(primary_key=True, max_length=20)
    subject: str = Field(primary_key=True, max_length=255)
    address: str = Field(sa_column=sa.Column(sa.Text, nullable=False))
    updated_at: datetime = Field(sa_column=utc_column())


def platform_of(settings: object) -> str:
    """The platform the configured bot runs on (what the CLI's plans judge reachability for)."""
    return "slack" if getattr(settings, "slack_bot_token", "") else "console"


class AddressBook:
    """Reads and fills the address book of one platform; a member without an address cannot be reached yet."""

    def __init__(self, db: Database, platform: str, direct_by_id: bool | None = None) -> None:
        self.db = db
        self.platform = platform
        self.direct_by_id = platform in DIRECT_BY_ID if direct_by_id is None else direct_by_id
        self._seen: set[tuple[str, str, str]] = set()  # recorded by this process: no write per message

    def record(self, kind: str, subject: str, address: str, now: datetime) -> None:
        """Store (or replace) an address; the adapter calls this with what it sees."""
        if not subject or not address or (kind, subject, address) in self._seen:
            return
        try:
            with self.db.session() as s:
                row = s.get(Address, (self.platform, kind, subject))
                if row is None:
                    row = Address(platform=self.platform, kind=kind, subject=subject, address=address, updated_at=now)
                    s.add(row)
                elif row.address != address:
                    row.address, row.updated_at = address, now
                    s.add(row)
        except sa.exc.IntegrityError:  # another worker recorded it at the same moment
            pass
        if len(self._seen) >= SEEN_CACHE_SIZE:
            self._seen.clear()
        self._seen.add((kind, subject, address))

    def lookup(self, kind: str, subject: str) -> str | None:
        """The stored address, or None."""
        with self.db.session() as s:
            row = s.get(Address, (self.platform, kind, subject))
            return row.address if row else None

    def member(self, user_id: str) -> str | None:
        """How to reach a member directly: their user id where that is enough, else the stored address."""
        if not user_id:
            return None
        return user_id if self.direct_by_id else self.lookup(MEMBER, user_id)

    def reachable(self, user_ids: list[str]) -> set[str]:
        """Those of `user_ids` who can be reached directly now (one query)."""
        if self.direct_by_id:
            return {u for u in user_ids if u}
        table = Address.__table__
        found: set[str] = set()
        with self.db.session() as s:
            for i in range(0, len(user_ids), 500):
                query = sa.select(table.c.subject).where(
                    table.c.platform == self.platform,
                    table.c.kind == MEMBER,
                    table.c.subject.in_(user_ids[i : i + 500]),
                )
                found.update(s.execute(query).scalars())
        return found
