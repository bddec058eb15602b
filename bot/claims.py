"""Exactly-once claims: the table and every function that takes, renews, settles or reads a claim.

A claim is inserted in the transaction that decides to send. While `claimed` it is leased to this
process (`owner()`) until `expires_at`; the sender marks it `sent` right after each message went out. A
claim whose lease ran out (its owner died mid-send) is taken over by the next process that claims the
same key (`takeovers` goes up); that process first asks the messenger whether the message arrived
after all (`arrived`), and sends only when it did not (or cannot tell).
"""

from __future__ import annotations

import json
import logging
import os
import socket
import uuid
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Field, Session, SQLModel, select

from bot.chat.replies import MessageRef, Reply
from bot.clock import as_utc
from bot.ids import ID_MAX, KEY_MAX
from bot.models import utc_column

log = logging.getLogger(__name__)

CLAIM_BATCH = 500


class Claim(SQLModel, table=True):
    """An exactly-once key: whoever inserts it first may perform the side effect it names.

    A `claimed` claim is leased to its owner until `expires_at`; after that any live process may take it over.
    """

    __tablename__ = "claims"
    __table_args__ = (
        sa.Index("ix_claims_subject_day_kind", "subject", "local_day", "kind"),
        sa.Index("ix_claims_status_expires_at", "status", "expires_at"),
    )
    key: str = Field(primary_key=True, max_length=KEY_MAX)
    kind: str = Field(default="", max_length=30, index=True)
    subject: str = Field(default="", max_length=ID_MAX, index=True)  # e.g. the member's platform id
    local_day: date | None = Field(default=None, index=True)  # the subject's local day, for daily caps
    status: str = Field(default="claimed", max_length=10)  # claimed | sent | skipped | failed
    created_at: datetime = Field(sa_column=utc_column(index=True))
    ref_channel: str | None = Field(default=None, max_length=ID_MAX)
    ref_ts: str | None = Field(default=None, max_length=ID_MAX)
    ref_extras: str | None = Field(default=None, sa_column=sa.Column(sa.Text, nullable=True))  # JSON platform extras
    owner: str | None = Field(default=None, max_length=64)  # the process that holds a `claimed` claim
    expires_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))  # end of its lease
    takeovers: int = Field(default=0, sa_column_kwargs={"server_default": "0"})  # > 0: taken over from a dead owner


_OWNER: tuple[int, str] = (0, "")


def owner() -> str:
    """This process's claim owner id (host, pid, random); a forked child gets its own."""
    global _OWNER
    if _OWNER[0] != os.getpid():
        _OWNER = (os.getpid(), f"{socket.gethostname()[:30]}:{os.getpid()}:{uuid.uuid4().hex[:8]}")
    return _OWNER[1]


# Test-only override (fault-injection tests use a few seconds); production keeps the default.
LEASE = timedelta(seconds=int(os.environ.get("LEFBOT_TEST_CLAIM_LEASE_SECONDS") or 300))
CLAIM_META = "claim_key"  # Reply.meta entry that carries the claim key to the adapter (e.g. Slack metadata)


def _with_lease(row: dict[str, Any]) -> dict[str, Any]:
    leased = row.get("status", "claimed") == "claimed"
    return {
        "kind": "",
        "subject": "",
        "local_day": None,
        "status": "claimed",
        **row,
        "owner": owner() if leased else None,
        "expires_at": row["created_at"] + LEASE if leased else None,
        "takeovers": 0,
    }


def _upsert(dialect: str) -> Any:
    """INSERT … ON CONFLICT: a new key is ours; an existing `claimed` key whose lease ran out is taken over."""
    table = Claim.__table__
    stmt = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)
    expired = (
        (table.c.status == "claimed")
        & table.c.expires_at.is_not(None)
        & (table.c.expires_at < stmt.excluded.created_at)
    )
    return stmt.on_conflict_do_update(
        index_elements=["key"],
        set_={
            "owner": stmt.excluded.owner,
            "expires_at": stmt.excluded.expires_at,
            "takeovers": table.c.takeovers + 1,
        },
        where=expired & (stmt.excluded.status == "claimed"),
    ).returning(table.c.key, table.c.takeovers)


def claim(
    session: Session,
    key: str,
    *,
    now: datetime | None = None,
    kind: str = "",
    subject: str = "",
    local_day: date | None = None,
    status: str = "claimed",
) -> bool:
    """Claim `key` in the caller's transaction; True if this caller got it (new, or taken over: lease ran out)."""
    row = {"key": key, "kind": kind, "subject": subject, "local_day": local_day, "status": status,
           "created_at": now or datetime.now(UTC)}  # fmt: skip
    return key in claim_leased(session, [row])


def claim_many(session: Session, rows: list[dict[str, Any]], batch: int = CLAIM_BATCH) -> set[str]:
    """Claim many keys (dicts with key, kind, subject, local_day, status, created_at); returns the keys won."""
    return set(claim_leased(session, rows, batch))


def claim_leased(session: Session, rows: list[dict[str, Any]], batch: int = CLAIM_BATCH) -> dict[str, int]:
    """Claim many keys; returns key -> takeovers for the keys this caller got (> 0: taken over from a dead owner).

    SQLAlchemy's "insertmanyvalues" sends one multi-row INSERT ... ON CONFLICT ... RETURNING per `batch`
    rows. Keys go in sorted order, so two concurrent callers wait on each other in the same order instead
    of deadlocking.
    """
    dialect = session.get_bind().dialect.name
    ordered = [_with_lease(r) for r in sorted(rows, key=lambda r: r["key"])]
    if not ordered:
        return {}
    if dialect not in ("postgresql", "sqlite"):  # pragma: no cover - other backends: first insert wins
        won: dict[str, int] = {}
        for row in ordered:
            try:
                with session.begin_nested():
                    session.execute(sa.insert(Claim.__table__).values(**row))
                won[row["key"]] = 0
            except sa.exc.IntegrityError:
                pass
        return won
    stmt = _upsert(dialect).execution_options(insertmanyvalues_page_size=batch)
    return {key: takeovers for key, takeovers in session.connection().execute(stmt, ordered).all()}


def lease_states(session: Session, keys: list[str], now: datetime) -> tuple[set[str], dict[str, datetime]]:
    """Of `keys`: those settled for good (sent, skipped, failed), and key -> lease end of those still leased."""
    table = Claim.__table__
    settled: set[str] = set()
    leased: dict[str, datetime] = {}
    for i in range(0, len(keys), CLAIM_BATCH):
        query = sa.select(table.c.key, table.c.status, table.c.expires_at).where(
            table.c.key.in_(keys[i : i + CLAIM_BATCH])
        )
        for key, status, expires_at in session.execute(query).all():
            if status != "claimed" or expires_at is None:
                settled.add(key)
            elif as_utc(expires_at) >= now:
                leased[key] = as_utc(expires_at)
    return settled, leased


def orphaned(session: Session, keys: list[str], now: datetime) -> set[str]:
    """Those of `keys` still `claimed` by an owner whose lease ran out (to be taken over)."""
    table = Claim.__table__
    found: set[str] = set()
    for i in range(0, len(keys), CLAIM_BATCH):
        query = sa.select(table.c.key).where(
            table.c.key.in_(keys[i : i + CLAIM_BATCH]), table.c.status == "claimed", table.c.expires_at < now
        )
        found.update(session.execute(query).scalars())
    return found


def renew(session: Session, keys: list[str], now: datetime) -> set[str]:
    """Extend the lease of those of `keys` this process still holds; returns them."""
    table = Claim.__table__
    mine: set[str] = set()
    for i in range(0, len(keys), CLAIM_BATCH):
        stmt = (
            sa.update(table)
            .where(table.c.key.in_(keys[i : i + CLAIM_BATCH]), table.c.owner == owner(), table.c.status == "claimed")
            .values(expires_at=now + LEASE)
            .returning(table.c.key)
        )
        mine.update(session.execute(stmt).scalars())
    return mine


def tagged(reply: Reply, key: str) -> Reply:
    """The reply carrying its claim key, so the adapter can stamp it on the message (see `already_delivered`)."""
    return replace(reply, meta={**reply.meta, CLAIM_META: key})


def arrived(messenger: Any, target: str, key: str) -> bool:
    """True only when the messenger can tell that the message for `key` reached `target` already."""
    check = getattr(messenger, "already_delivered", None)
    if check is None:
        return False
    try:
        return check(target, key) is True
    except Exception:  # cannot tell: send (at most this one message may come twice)
        log.warning("could not check whether %s arrived; sending it", key.split(":")[0])
        return False


def release_many(session: Session, keys: list[str], batch: int = CLAIM_BATCH) -> None:
    """Delete many claims (failed deliveries) in a few statements."""
    table = Claim.__table__
    for i in range(0, len(keys), batch):
        session.execute(sa.delete(table).where(table.c.key.in_(keys[i : i + batch])))


def release(session: Session, key: str) -> None:
    """Delete a claim, e.g. after delivery failed, so a later sweep may try again."""
    session.execute(sa.delete(Claim.__table__).where(Claim.__table__.c.key == key))


def mark_sent(
    session: Session, key: str, channel: str | None = None, ts: str | None = None, extras: dict | None = None
) -> None:
    """Record that the claimed side effect happened, and where the message lives (with its platform extras)."""
    session.execute(
        sa.update(Claim.__table__)
        .where(Claim.__table__.c.key == key)
        .values(
            status="sent",
            ref_channel=channel,
            ref_ts=ts,
            ref_extras=json.dumps(extras) if extras else None,
            expires_at=None,
        )
    )


def mark_skipped(session: Session, key: str) -> None:
    """Record that a claimed message was not sent on purpose (e.g. its member cannot be reached yet)."""
    session.execute(
        sa.update(Claim.__table__).where(Claim.__table__.c.key == key).values(status="skipped", expires_at=None)
    )


def claim_ref(claim: Claim) -> MessageRef | None:
    """The sent message a claim recorded, with its platform extras; None when none was recorded."""
    if not claim.ref_channel or not claim.ref_ts:
        return None
    extras = json.loads(claim.ref_extras) if claim.ref_extras else {}
    return MessageRef(claim.ref_channel, claim.ref_ts, extras)


def resumed(session: Session, keys: list[str]) -> set[str]:
    """Those of `keys` that were taken over from a dead owner (their message may have arrived already)."""
    table = Claim.__table__
    found: set[str] = set()
    for i in range(0, len(keys), CLAIM_BATCH):
        query = sa.select(table.c.key).where(table.c.key.in_(keys[i : i + CLAIM_BATCH]), table.c.takeovers > 0)
        found.update(session.execute(query).scalars())
    return found


def claimed_keys(session: Session, keys: list[str], now: datetime | None = None) -> set[str]:
    """Which of `keys` are claimed already, so a sweep skips them; at `now` an expired lease is not (it is retried)."""
    if not keys:
        return set()
    if now is not None:
        settled, leased = lease_states(session, keys, now)
        return settled | set(leased)
    found: set[str] = set()
    for i in range(0, len(keys), CLAIM_BATCH):
        found.update(session.exec(select(Claim.key).where(Claim.key.in_(keys[i : i + CLAIM_BATCH]))).all())
    return found
