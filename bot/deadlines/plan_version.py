"""The nudge plan's version: every transaction that changes a plan input raises `plan_state.version`.

The sweep keeps its plan in memory and only rebuilds it when this number moved (or the day rolled), so
a sweep with nothing new is one small query. The bump happens in a session event, so no command,
import or erase can forget it, and it commits (or rolls back) with the change itself; other processes
see it as soon as the change is visible.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session as OrmSession

from bot.deadlines.models import Deadline, DeadlineOwner, PlanState, Snooze, Sprint, Team, TeamMember
from bot.people.models import Member, OutOfOffice

PLAN_INPUTS = (Team, Member, TeamMember, OutOfOffice, Sprint, Deadline, DeadlineOwner, Snooze)
_TABLES = frozenset(model.__tablename__ for model in PLAN_INPUTS)
_FLAG = "lefbot_plan_bumped"


def _touches_plan(session: OrmSession) -> bool:
    for obj in (*session.new, *session.deleted):
        if isinstance(obj, PLAN_INPUTS):
            return True
    return any(isinstance(obj, PLAN_INPUTS) and session.is_modified(obj) for obj in session.dirty)


def bump(session: OrmSession) -> None:
    """Raise the plan version once in the session's current transaction."""
    if session.info.get(_FLAG):
        return
    session.info[_FLAG] = True
    table = PlanState.__table__
    session.connection().execute(sa.update(table).where(table.c.id == 1).values(version=table.c.version + 1))


def current(session: OrmSession) -> int:
    """The plan version as this session sees it."""
    table = PlanState.__table__
    return int(session.connection().execute(sa.select(table.c.version).where(table.c.id == 1)).scalar() or 0)


@event.listens_for(OrmSession, "before_flush")
def _before_flush(session: OrmSession, _context: object, _instances: object) -> None:
    if not session.info.get(_FLAG) and _touches_plan(session):
        bump(session)


@event.listens_for(OrmSession, "do_orm_execute")
def _bulk(state: sa.orm.ORMExecuteState) -> None:
    table = getattr(state.statement, "table", None)
    if (state.is_update or state.is_delete) and table is not None and table.name in _TABLES:
        bump(state.session)


@event.listens_for(OrmSession, "after_commit")
@event.listens_for(OrmSession, "after_rollback")
def _reset(session: OrmSession) -> None:
    session.info.pop(_FLAG, None)
