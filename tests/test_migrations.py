"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

import bot.schema  # noqa: F401
from bot.db import Database


def _include_name(name: str | None, type_: str, _parents: dict) -> bool:
    return type_ != "table" or name in SQLModel.metadata.tables


def test_models_and_migrations_agree(db: Database) -> None:
    with db.engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"include_name": _include_name, "compare_type": True, "render_as_batch": True}
        )
        differences = compare_metadata(context, SQLModel.metadata)
    assert differences == []
