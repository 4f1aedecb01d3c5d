"""Opening a workspace: recognise the database, refuse a newer schema, back up, migrate.

Migrations are Alembic revisions inside the package (``migrations/versions``), run at
start-up. Before a migration touches an existing SQLite file, the file is copied with
SQLite's online backup API into the backups folder.
"""

from __future__ import annotations

import os
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import Connection, inspect
from sqlalchemy.exc import DatabaseError, OperationalError

from kol_desk.errors import NewerSchemaError, NotAWorkspaceError, StoreError
from kol_desk.store.backup import backup_sqlite
from kol_desk.store.database import Workspace, database_url, make_engine

MIGRATIONS = Path(__file__).with_name("migrations")
SQLITE_MAGIC = b"SQLite format 3\x00"


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "the package ships no migrations"
    return head


def _check_sqlite_file(path: Path) -> None:
    """Refuse a file that is not SQLite at all, before SQLite itself gets to it."""
    if not path.exists() or path.stat().st_size == 0:
        return
    with path.open("rb") as handle:
        magic = handle.read(len(SQLITE_MAGIC))
    if magic != SQLITE_MAGIC:
        raise NotAWorkspaceError(
            f"{path} is not a KOL Desk database (it is not an SQLite file, or it is damaged)."
        )


def open_workspace(target: str | os.PathLike[str], backup_dir: Path | None = None) -> Workspace:
    """Open (creating if needed) and migrate the database at ``target``."""
    url = database_url(target)
    engine = make_engine(url)
    workspace = Workspace(url, engine)
    path = workspace.path
    if path is not None:
        _check_sqlite_file(path)
    try:
        with engine.connect() as connection:
            current = MigrationContext.configure(connection).get_current_revision()
            tables = set(inspect(connection).get_table_names())
    except DatabaseError as exc:
        engine.dispose()
        if isinstance(exc, OperationalError) and "locked" in str(exc).lower():
            raise StoreError(f"{workspace.display_location} is locked by another program.") from exc
        raise NotAWorkspaceError(
            f"{workspace.display_location} cannot be read as a KOL Desk database: {exc.orig}"
        ) from exc

    if current is None and tables - {"alembic_version"}:
        engine.dispose()
        raise NotAWorkspaceError(
            f"{workspace.display_location} is a database of another program, not KOL Desk."
        )
    script = ScriptDirectory.from_config(alembic_config())
    if current is not None:
        try:
            script.get_revision(current)
        except CommandError:
            engine.dispose()
            raise NewerSchemaError(
                f"{workspace.display_location} was written by a newer version of KOL Desk "
                f"(schema {current}). Install the newer version to open it; this one "
                "will not touch it."
            ) from None

    head = script.get_current_head()
    if current != head:
        if current is not None and path is not None and backup_dir is not None:
            backup_sqlite(path, backup_dir, reason=f"before-migrate-{current}")
        with engine.begin() as connection:
            command.upgrade(alembic_config(connection), "head")
    return workspace
