"""Alembic environment: always driven from ``kol_desk.store.migrate`` with a live connection."""

from __future__ import annotations

from alembic import context

from kol_desk.models import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    # SQLite cannot ALTER most things; batch mode rebuilds tables instead.
    render_as_batch=True,
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
