"""Alembic environment: runs migrations on the engine lefbot passes in (or DATABASE_URL)."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

import bot.schema  # noqa: F401  (registers every table on SQLModel.metadata)
from bot.db import make_engine

target_metadata = SQLModel.metadata


def include_name(name: str | None, type_: str, _parent_names: dict) -> bool:
    """Leave tables we do not own (APScheduler's job store) alone."""
    if type_ == "table":
        return name in target_metadata.tables
    return True


def run() -> None:
    """Run the migrations online."""
    engine = context.config.attributes.get("engine")
    if engine is None:
        from bot.config import load_settings

        engine = make_engine(load_settings().database_url)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=True,
            include_name=include_name,
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


run()
