"""The team/sprint/deadline tables: migrations match the models, constraints hold."""

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

import bot.schema  # noqa: F401
from bot.claims import Claim
from bot.db import Database
from bot.deadlines.models import Team, TeamMember
from bot.people.models import Member

NOW = datetime(2026, 12, 1, 8, tzinfo=UTC)


def test_migrations_match_the_models(db: Database) -> None:
    with db.engine.connect() as conn:
        ctx = MigrationContext.configure(
            conn, opts={"include_name": lambda n, t, _p: t != "table" or n in SQLModel.metadata.tables}
        )
        assert compare_metadata(ctx, SQLModel.metadata) == []


def test_member_user_id_is_unique(db: Database) -> None:
    with db.session() as s:
        s.add(Member(user_id="U1", created_at=NOW))
    with pytest.raises(sa.exc.IntegrityError), db.session() as s:
        s.add(Member(user_id="U1", created_at=NOW))


def test_membership_once_per_role(db: Database) -> None:
    with db.session() as s:
        team = Team(name="T", created_at=NOW)
        member = Member(user_id="U1", created_at=NOW)
        s.add_all([team, member])
        s.flush()
        s.add(TeamMember(team_id=team.id, member_id=member.id, role="member"))
        s.add(TeamMember(team_id=team.id, member_id=member.id, role="supporter"))
    with pytest.raises(sa.exc.IntegrityError), db.session() as s:
        s.add(TeamMember(team_id=team.id, member_id=member.id, role="member"))


def test_claim_key_is_unique(db: Database) -> None:
    with db.session() as s:
        s.add(Claim(key="k", created_at=NOW))
    with pytest.raises(sa.exc.IntegrityError), db.session() as s:
        s.add(Claim(key="k", created_at=NOW))
