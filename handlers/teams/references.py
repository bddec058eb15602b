"""Where lefbot stores how to reach someone on Teams: conversation references as JSON, by key.

Keys: `user:<aadObjectId>` (the personal chat with a member) and `channel:<channel id>` (a team channel).
Behind the small `ReferenceStore` interface, so it can move to the core's address book later.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any, Protocol

import sqlalchemy as sa

from bot.db import Database

metadata = sa.MetaData()
references = sa.Table(
    "teams_references",
    metadata,
    sa.Column("key", sa.String(255), primary_key=True),
    sa.Column("reference", sa.Text(), nullable=False),
    sa.Column("updated_at", sa.DateTime(), nullable=False),
)


class ReferenceStore(Protocol):
    """Conversation references by key."""

    def save(self, key: str, reference: dict[str, Any]) -> None:
        """Store or replace the reference for `key`."""
        ...

    def get(self, key: str) -> dict[str, Any] | None:
        """The reference for `key`, or None."""
        ...

    def delete(self, key: str) -> None:
        """Forget the reference for `key`."""
        ...


def user_key(aad_object_id: str) -> str:
    """The key of a member's personal chat."""
    return f"user:{aad_object_id}"


def channel_key(channel_id: str) -> str:
    """The key of a team channel."""
    return f"channel:{channel_id}"


class SqlReferenceStore:
    """References in the `teams_references` table (migration 0009)."""

    def __init__(self, db: Database) -> None:
        self.engine = db.engine
        self._known: dict[str, str] = {}  # key -> JSON last written by this process: skip identical writes

    def save(self, key: str, reference: dict[str, Any]) -> None:
        """Insert or update; a reference equal to the one this process wrote last is not written again."""
        data = json.dumps(reference, sort_keys=True, separators=(",", ":"))
        if self._known.get(key) == data:
            return
        now = datetime.now(UTC).replace(tzinfo=None)
        with self.engine.begin() as conn:
            updated = conn.execute(
                references.update().where(references.c.key == key).values(reference=data, updated_at=now)
            )
            if not updated.rowcount:
                try:
                    with conn.begin_nested():
                        conn.execute(references.insert().values(key=key, reference=data, updated_at=now))
                except sa.exc.IntegrityError:  # another process inserted it just now: ours is as fresh
                    conn.execute(
                        references.update().where(references.c.key == key).values(reference=data, updated_at=now)
                    )
        self._known[key] = data

    def get(self, key: str) -> dict[str, Any] | None:
        """The stored reference, parsed."""
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(references.c.reference).where(references.c.key == key)).first()
        return json.loads(row[0]) if row else None

    def delete(self, key: str) -> None:
        """Remove the reference."""
        self._known.pop(key, None)
        with self.engine.begin() as conn:
            conn.execute(references.delete().where(references.c.key == key))
