"""Opening a workspace: recognise the database, refuse a newer schema, back up, migrate.

Migrations are Alembic revisions inside the package (``migrations/versions``), run at
start-up. Before a migration touches an existing SQLite file, the file is copied with
SQLite's online backup API into the backups folder.

Revision ids are the four digits that start their file names and the history is a line
(tests/store/test_migrate.py checks both), so an up-to-date database is recognised
without importing Alembic, which costs about 0.4 s of every start.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, inspect, text
from sqlalchemy.exc import DatabaseError, OperationalError

from kol_desk.errors import (
    N_,
    DamagedDatabaseError,
    NewerSchemaError,
    NotAWorkspaceError,
    StoreError,
    Text,
)
from kol_desk.store import files
from kol_desk.store.backup import backup_sqlite
from kol_desk.store.database import Workspace, database_url, make_engine

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).with_name("migrations")
SQLITE_MAGIC = b"SQLite format 3\x00"


def alembic_config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "the package ships no migrations"
    return head


def shipped_head() -> str:
    """The newest revision this version ships, read from the file names alone."""
    return max(p.name[:4] for p in (MIGRATIONS / "versions").glob("[0-9][0-9][0-9][0-9]_*.py"))


def _check_sqlite_file(path: Path) -> None:
    """Refuse a file that is not SQLite at all, before SQLite itself gets to it. A file
    this process already has open (the same workspace opened again) is left to SQLite:
    reading it by hand would drop SQLite's locks on it (``store.files``)."""
    if not path.exists() or path.stat().st_size == 0 or files.is_open(path):
        return
    header = files.read_header(path)
    if header[:len(SQLITE_MAGIC)] != SQLITE_MAGIC:
        raise NotAWorkspaceError(
            N_("{file} is not a KOL Desk database (it is not an SQLite file, or it is "
               "damaged)."), file=str(path))
    damage = truncation(path)
    if damage:
        raise DamagedDatabaseError(
            N_("{file} is damaged ({reason}). KOL Desk will not change it; restore the latest "
               "good backup (File → Restore…) or ask for help."), file=str(path), reason=damage)


def truncation(path: Path) -> Text | None:
    """Why the file is shorter than its own header says (a copy or download cut short),
    or None. Reads 100 bytes: cheap enough for every start; only for a file this process
    does not have open (``store.files``)."""
    header = files.read_header(path)
    size = path.stat().st_size
    if len(header) < 100:
        return Text(N_("the file ends inside the SQLite header"))
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    header_valid = header[24:28] == header[92:96]  # "version-valid-for" matches the counter
    if page_size < 512 or page_size & (page_size - 1):
        return Text(N_("the header is garbled"))
    if size % page_size:
        return Text(N_("the file ends in the middle of a page"))
    if header_valid and pages and size < pages * page_size:
        return Text(N_("the file holds {held} of its {pages} pages"), held=size // page_size,
                    pages=pages)
    return None


def open_workspace(target: str | os.PathLike[str], backup_dir: Path | None = None, *,
                   read_only: bool = False) -> Workspace:
    """Open (creating if needed) and migrate the database at ``target``. ``read_only``
    opens an existing file with SQLite's mode=ro: nothing is created, migrated or written."""
    url = database_url(target)
    if read_only and url.get_backend_name() == "sqlite" and url.database \
            and not Path(url.database).is_file():
        raise StoreError(N_("{file} does not exist; nothing to open read-only."),
                         file=url.database)
    engine = make_engine(url, read_only=read_only)
    workspace = Workspace(url, engine, read_only=read_only)
    path = workspace.path
    if path is not None:
        try:
            _check_sqlite_file(path)
        except StoreError:
            engine.dispose()
            raise
    try:
        with engine.connect() as connection:
            tables = set(inspect(connection).get_table_names())
            current = (connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
                       if "alembic_version" in tables else None)
    except StoreError:  # locked / I/O error, already translated by the engine
        engine.dispose()
        raise
    except DatabaseError as exc:
        engine.dispose()
        if isinstance(exc, OperationalError) and "locked" in str(exc).lower():
            raise StoreError(N_("{file} is locked by another program."),
                             file=workspace.display_location) from exc
        if "malformed" in str(exc).lower() or "corrupt" in str(exc).lower():
            raise DamagedDatabaseError(
                N_("{file} is damaged ({reason}). KOL Desk will not change it; restore the "
                   "latest good backup (File → Restore…)."),
                file=workspace.display_location, reason=exc.orig) from exc
        raise NotAWorkspaceError(N_("{file} cannot be read as a KOL Desk database: {reason}"),
                                 file=workspace.display_location, reason=exc.orig) from exc

    if current is None and tables - {"alembic_version"}:
        engine.dispose()
        raise NotAWorkspaceError(N_("{file} is a database of another program, not KOL Desk."),
                                 file=workspace.display_location)
    if current != shipped_head():
        _upgrade(workspace, current, backup_dir)
    return workspace


def _upgrade(workspace: Workspace, current: str | None, backup_dir: Path | None) -> None:
    from alembic import command
    from alembic.script import ScriptDirectory
    from alembic.util.exc import CommandError

    engine = workspace.engine
    script = ScriptDirectory.from_config(alembic_config())
    if current is not None:
        try:
            script.get_revision(current)
        except CommandError:
            engine.dispose()
            raise NewerSchemaError(
                N_("{file} was written by a newer version of KOL Desk (schema {schema}). "
                   "Install the newer version to open it; this one will not touch it."),
                file=workspace.display_location, schema=current) from None

    if workspace.read_only:
        engine.dispose()
        raise StoreError(
            N_("{file} needs upgrading to this version, which needs writing; it cannot be "
               "opened read-only until it is opened normally once."),
            file=workspace.display_location)
    path = workspace.path
    if current is not None and path is not None and backup_dir is not None:
        backup_sqlite(path, backup_dir, reason=f"before-migrate-{current}")
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "head")
