"""Team databases: PostgreSQL connection details, passwords, and unsafe shared files.

A connection is remembered (in the person's preferences) without its password. The
password lives in the operating system's credential store through ``keyring`` when one
is available; otherwise the app asks each time. It is never written to the settings,
the recent list or a log line (URLs are always rendered with the password hidden).
"""

from __future__ import annotations

import contextlib
import logging
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, String, create_engine, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

log = logging.getLogger(__name__)

DRIVER = "postgresql+psycopg"
DEFAULT_PORT = 5432
SSL_MODES = ("prefer", "require", "verify-full", "disable")
KEYRING_SERVICE = "kol-desk"
RECENT_KEY = "recent_team_connections"
# Filesystems where SQLite's locking is unreliable: a shared file there can be corrupted
# by two people writing at once (https://www.sqlite.org/useovernet.html).
NETWORK_FILESYSTEMS = {"nfs", "nfs4", "cifs", "smbfs", "smb3", "sshfs", "fuse.sshfs", "afs",
                       "ncpfs", "9p", "fuse.rclone", "davfs", "fuse.davfs2", "glusterfs",
                       "fuse.glusterfs", "ceph", "fuse.ceph"}


class text_order(FunctionElement[str]):
    """Sort text the same on both engines: ``order_by(text_order(Agency.name))``.

    SQLite compares text byte by byte (code point order); a PostgreSQL server sorts by
    its locale (pinyin on a Chinese ICU locale, case-folded on en_US), so the same list
    would come back in another order. ``COLLATE "C"`` is PostgreSQL's byte order."""

    type = String()
    inherit_cache = True
    name = "text_order"


@compiles(text_order)
def _text_order(element: text_order, compiler: SQLCompiler, **kw: Any) -> str:
    return str(compiler.process(element.clauses, **kw))


@compiles(text_order, "postgresql")
def _text_order_pg(element: text_order, compiler: SQLCompiler, **kw: Any) -> str:
    return f'{compiler.process(element.clauses, **kw)} COLLATE "C"'


def normalise_url(url: URL) -> URL:
    """``postgresql://`` / ``postgres://`` mean our driver (psycopg 3), not psycopg2."""
    if url.drivername in {"postgresql", "postgres"}:
        return url.set(drivername=DRIVER)
    return url


@dataclass(frozen=True)
class TeamConnection:
    """Where a team database is, without the password."""

    host: str
    database: str
    user: str
    port: int = DEFAULT_PORT
    sslmode: str = "prefer"

    @property
    def key(self) -> str:
        """The name the password is stored under, and how the recent list tells them apart."""
        return f"{self.user}@{self.host}:{self.port}/{self.database}"

    def url(self, password: str | None = None) -> URL:
        query = {} if self.sslmode == "prefer" else {"sslmode": self.sslmode}
        return URL.create(DRIVER, username=self.user, password=password or None,
                          host=self.host, port=self.port, database=self.database, query=query)

    @classmethod
    def from_url(cls, url: URL | str) -> TeamConnection:
        parsed = normalise_url(make_url(url) if isinstance(url, str) else url)
        sslmode = parsed.query.get("sslmode", "prefer")
        return cls(host=parsed.host or "localhost", database=parsed.database or "",
                   user=parsed.username or "", port=parsed.port or DEFAULT_PORT,
                   sslmode=sslmode if isinstance(sslmode, str) else sslmode[0])

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def is_team_url(target: str) -> bool:
    return target.startswith(("postgresql", "postgres:"))


# -- passwords -------------------------------------------------------------------------

def stored_password(connection: TeamConnection) -> str | None:
    """The password from the credential store, or None (none stored, or no store here)."""
    try:
        import keyring

        value = keyring.get_password(KEYRING_SERVICE, connection.key)
    except Exception as exc:  # any backend failure just means "ask the user"
        log.info("No credential store available (%s)", type(exc).__name__)
        return None
    return value if isinstance(value, str) else None


def store_password(connection: TeamConnection, password: str) -> bool:
    """Keep the password in the credential store; False when there is none usable."""
    try:
        import keyring
        from keyring.backends import fail

        if isinstance(keyring.get_keyring(), fail.Keyring):
            return False
        keyring.set_password(KEYRING_SERVICE, connection.key, password)
    except Exception as exc:
        log.info("Could not store the password (%s)", type(exc).__name__)
        return False
    return True


def forget_password(connection: TeamConnection) -> bool:
    """Delete the password kept for ``connection``; True when none is kept any more (also
    when none was, or there is no store), False when the store would not let it go."""
    try:
        import keyring
        from keyring.errors import PasswordDeleteError

        with contextlib.suppress(PasswordDeleteError):  # nothing stored: nothing to forget
            keyring.delete_password(KEYRING_SERVICE, connection.key)
    except Exception as exc:
        log.info("Could not delete the password (%s)", type(exc).__name__)
    return stored_password(connection) is None


def credential_store_available() -> bool:
    try:
        import keyring
        from keyring.backends import fail

        return not isinstance(keyring.get_keyring(), fail.Keyring)
    except Exception:
        return False


def with_password(url: URL) -> URL:
    """Fill a team URL's missing password from the credential store, when one is kept."""
    url = normalise_url(url)
    if url.get_backend_name() != "postgresql" or url.password:
        return url
    password = stored_password(TeamConnection.from_url(url))
    return url.set(password=password) if password else url


# -- checking a connection -------------------------------------------------------------

@dataclass(frozen=True)
class ConnectionCheck:
    ok: bool
    message: str  # English; the dialog shows its own translated wording for the cases
    server_version: str | None = None
    kind: str = "error"  # "empty", "workspace", "other" (tables of another program), "error"
    needs_password: bool = False


def check_connection(url: URL, timeout: int = 5) -> ConnectionCheck:
    """Connect once and look at the database: reachable? empty, ours, or someone else's?"""
    url = normalise_url(url)
    engine = create_engine(url, connect_args={"connect_timeout": timeout},
                           pool_pre_ping=False)
    try:
        with engine.connect() as connection:
            version = connection.execute(text("SHOW server_version")).scalar()
            tables = set(connection.execute(text(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = current_schema()")).scalars())
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", exc)).strip().splitlines()[0] if str(exc) else repr(exc)
        needs = "password" in reason.lower()
        return ConnectionCheck(False, reason, needs_password=needs)
    finally:
        engine.dispose()
    if not tables:
        kind = "empty"
    elif "alembic_version" in tables and "creators" in tables:
        kind = "workspace"
    else:
        kind = "other"
    return ConnectionCheck(kind != "other", f"PostgreSQL {version}", str(version), kind)


# -- recent connections (no passwords) -------------------------------------------------

def recent_connections(preferences: Any) -> list[TeamConnection]:
    result = []
    for item in preferences.get(RECENT_KEY, []) or []:
        if not isinstance(item, dict):
            continue
        try:
            result.append(TeamConnection(
                host=str(item["host"]), database=str(item["database"]), user=str(item["user"]),
                port=int(item.get("port", DEFAULT_PORT)),
                sslmode=str(item.get("sslmode", "prefer"))))
        except (KeyError, TypeError, ValueError):
            continue  # a damaged entry costs only itself
    return result


def remember_connection(preferences: Any, connection: TeamConnection, limit: int = 8) -> None:
    others = [c.as_dict() for c in recent_connections(preferences) if c.key != connection.key]
    preferences.set(RECENT_KEY, [connection.as_dict(), *others][:limit])


# -- SQLite on a network drive ---------------------------------------------------------

def network_filesystem(path: Path, mounts: Path = Path("/proc/mounts")) -> str | None:
    """The filesystem type when ``path`` is on a network mount (Linux), else None."""
    try:
        lines = mounts.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None  # not Linux, or /proc unavailable: nothing we can tell
    target = os.path.realpath(path if path.exists() else path.parent)
    best, best_type = "", None
    for line in lines:
        parts = line.split()
        if len(parts) < 3:
            continue
        # /proc/mounts escapes spaces in mount points as \040.
        point = parts[1].replace("\\040", " ")
        inside = target == point or target.startswith(point.rstrip("/") + "/")
        if inside and len(point) >= len(best):
            best, best_type = point, parts[2]
    if best_type and best_type.lower() in NETWORK_FILESYSTEMS:
        return best_type
    return None


def reset_id_sequences(connection: Connection) -> None:
    """PostgreSQL: after rows were written with explicit ids (the demo generator, a
    workspace copy), move each id counter past the largest id, or the next ordinary insert
    is handed an id already taken. Nothing to do on SQLite, which uses max(id) + 1."""
    if connection.dialect.name != "postgresql":
        return
    columns = connection.execute(text(
        "SELECT table_name, column_name FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND column_default LIKE 'nextval(%'")).all()
    for table, column in columns:
        connection.execute(text(
            f'SELECT setval(pg_get_serial_sequence(:table, :column), '
            f'COALESCE((SELECT MAX("{column}") FROM "{table}"), 0) + 1, false)'),
            {"table": f'"{table}"', "column": column})
