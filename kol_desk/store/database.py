"""Engine factory and the workspace handle that the services and the UI share.

The engine is always built here from a path or URL and passed in; nothing builds one at
import time. One short session per operation (``workspace.session()``), never held by a
widget.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, ExceptionContext, make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from kol_desk.errors import N_, StoreError
from kol_desk.store import failures, files


def database_url(target: str | os.PathLike[str]) -> URL:
    """A SQLAlchemy URL for a file path or an URL string (``sqlite:///``, ``postgresql://``)."""
    text = os.fspath(target)
    if "://" in text:
        from kol_desk.store.team import with_password

        # postgresql:// means psycopg 3; a password kept in the credential store fills in.
        return with_password(make_url(text))
    return URL.create("sqlite+pysqlite", database=str(Path(text).expanduser().resolve()))


def _sqlite_pragmas(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys = ON")
        # WAL lets the UI read while a worker writes; FULL sync makes a committed
        # transaction survive a laptop losing power (WAL + NORMAL may lose the last ones).
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA busy_timeout = 5000")
    finally:
        cursor.close()


def _sqlite_read_only_pragmas(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        # Belt and braces on top of mode=ro: this connection refuses every write.
        cursor.execute("PRAGMA query_only = ON")
        cursor.execute("PRAGMA busy_timeout = 5000")
    finally:
        cursor.close()


def _translate_errors(engine: Engine, location: str) -> None:
    """Every statement and commit on this engine (ORM sessions, Core ``engine.begin()``
    in the import, reads) turns a full disk, read-only file, I/O error or lock into a
    ``WriteFailedError`` naming the file; the surrounding transaction still rolls back."""

    def handle(context: ExceptionContext) -> BaseException | None:
        return failures.translate(context.original_exception, location)

    event.listen(engine, "handle_error", handle)


def make_engine(url: URL, *, echo: bool = False, read_only: bool = False) -> Engine:
    # hide_parameters: SQLAlchemy errors otherwise quote the row's values (phone numbers,
    # WeChat ids) in their message, and from there into logs and tracebacks.
    if url.get_backend_name() == "sqlite":
        if read_only and url.database and url.database != ":memory:":
            uri = f"file:{Path(url.database).as_posix()}?mode=ro"
            engine = create_engine(
                url, echo=echo, hide_parameters=True,
                creator=lambda: sqlite3.connect(uri, uri=True, check_same_thread=False))
            event.listen(engine, "connect", _sqlite_read_only_pragmas)
            _translate_errors(engine, str(url.database))
            files.track(engine, Path(url.database))
            return engine
        if url.database and url.database != ":memory:":
            _create_private_file(Path(url.database))
        engine = create_engine(url, echo=echo, hide_parameters=True)
        event.listen(engine, "connect", _sqlite_pragmas)
        _translate_errors(engine, str(url.database))
        if url.database and url.database != ":memory:":
            files.track(engine, Path(url.database))
        return engine
    if url.get_backend_name() == "postgresql":
        # An unreachable team server fails in seconds instead of hanging the window;
        # the name shows who is connected in the server's pg_stat_activity.
        engine = create_engine(url, echo=echo, pool_pre_ping=True, hide_parameters=True,
                               connect_args={"connect_timeout": 10, "application_name": "KOL Desk"})
        _translate_errors(engine, url.render_as_string(hide_password=True))
        return engine
    return create_engine(url, echo=echo, pool_pre_ping=True, hide_parameters=True)


def _create_private_file(path: Path) -> None:
    """Create the folder (mode 700) and an empty database file (mode 600) ourselves, so
    the user's data is never readable by other accounts on a shared machine."""
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return
    except OSError as exc:
        raise StoreError(N_("Cannot create the database {file}: {reason}."), file=str(path),
                         reason=exc.strerror) from exc
    os.close(fd)


@dataclass
class Workspace:
    """An open KOL Desk database: its engine, a session factory and where it lives."""

    url: URL
    engine: Engine
    # Opened with SQLite's mode=ro (another window has the file, or the user asked).
    read_only: bool = False
    _sessions: sessionmaker[Session] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @property
    def is_sqlite(self) -> bool:
        return self.url.get_backend_name() == "sqlite"

    @property
    def path(self) -> Path | None:
        """The database file, for SQLite workspaces."""
        if self.is_sqlite and self.url.database and self.url.database != ":memory:":
            return Path(self.url.database)
        return None

    @property
    def display_location(self) -> str:
        """Where the data lives, for the status bar and About (no password shown)."""
        path = self.path
        return str(path) if path else self.url.render_as_string(hide_password=True)

    @property
    def name(self) -> str:
        path = self.path
        if path is not None:
            return path.stem
        return self.url.database or self.url.render_as_string(hide_password=True)

    def session(self) -> Session:
        return self._sessions()

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work: commits on success, rolls back everything on any error.

        A full disk, read-only medium, I/O error or lock becomes a ``WriteFailedError``
        naming the file; the transaction is rolled back and the app keeps running."""
        try:
            with self._sessions.begin() as session:
                yield session
        except (DBAPIError, sqlite3.Error) as exc:
            known = failures.translate(exc, self.display_location)
            if known is None:
                raise
            raise known from exc

    def dispose(self) -> None:
        self.engine.dispose()
