"""Which workspace files this process has open through SQLite, and the one way to read a
workspace file without SQLite.

On POSIX, closing *any* descriptor of a file drops every fcntl lock the process holds on
it, SQLite's own included (SQLite's "How To Corrupt An SQLite Database File", §2.2).
Another process's SQLite then takes itself for the file's last user when it closes, and
checkpoints and deletes the write-ahead log under our open connections: every later
commit of ours lands in a deleted file and is lost. So while this process has a
connection to a workspace, nothing but SQLite may open the file, its ``-wal`` or its
``-shm``. ``tests/conftest.py`` enforces it for the whole suite with an audit hook on
``open`` that consults :func:`is_open`.
"""

from __future__ import annotations

import os
import threading
from collections import Counter
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event

from kol_desk.errors import N_, BadInputError

SIDE_FILES = ("-wal", "-shm", "-journal")
SQLITE_MAGIC = b"SQLite format 3\x00"

_lock = threading.Lock()
_connections: Counter[str] = Counter()


class WorkspaceFileInUse(RuntimeError):
    """A bug: code tried to open a workspace file by hand while SQLite has it open."""


def family(path: str | os.PathLike[str]) -> tuple[str, ...]:
    """The database file and the side files SQLite keeps beside it."""
    main = os.path.abspath(path)
    return (main, *(main + suffix for suffix in SIDE_FILES))


def is_open(path: str | os.PathLike[str]) -> bool:
    """Whether this process has an SQLite connection to ``path`` (or to the database
    whose side file ``path`` is)."""
    name = os.path.abspath(path)
    for suffix in SIDE_FILES:
        if name.endswith(suffix):
            name = name[: -len(suffix)]
            break
    with _lock:
        return _connections[name] > 0


def track(engine: Engine, path: Path) -> None:
    """Count ``engine``'s live connections to ``path``."""
    name = os.path.abspath(path)

    def opened(*_args: Any) -> None:
        with _lock:
            _connections[name] += 1

    def closed(*_args: Any) -> None:
        with _lock:
            _connections[name] -= 1
            if _connections[name] <= 0:
                del _connections[name]

    event.listen(engine, "connect", opened)
    event.listen(engine, "close", closed)
    event.listen(engine, "close_detached", closed)


def read_header(path: Path, size: int = 100) -> bytes:
    """The first ``size`` bytes of a database file that this process does not have open.

    Callers check ``is_open`` first and leave an open file to SQLite."""
    if is_open(path):
        raise WorkspaceFileInUse(f"{path} is open through SQLite; reading it by hand would "
                                 "drop SQLite's locks on it")
    with path.open("rb") as handle:
        return handle.read(size)


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:  # either is missing
        return False


def _without_side_suffix(name: str) -> str:
    for suffix in SIDE_FILES:
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def refuse_to_overwrite_database(path: str | os.PathLike[str], *, any_database: bool = True) -> None:
    """Raise ``BadInputError`` naming ``path`` when writing a file there (an export, a
    chart, a backup) would destroy a database: a workspace this process has open, or one
    of its ``-wal``/``-shm``/``-journal`` files (also through another name of the same
    file); with ``any_database``, also any other SQLite database file already there, or a
    side file of one (another process's workspace, a backup). Every writer renames its
    finished file over the target, which on the live workspace would lose it whole."""
    given = os.path.abspath(path)
    names = {given, os.path.realpath(given)}
    with _lock:
        live = [name for name, count in _connections.items() if count > 0]
    live_names = {variant for name in live for variant in (name, os.path.realpath(name))}
    if any(_without_side_suffix(name) in live_names for name in names) or (
            # A hard link is another name of the same file: compared by stat, which opens
            # nothing (reading it would drop SQLite's locks, see the module doc).
            os.path.exists(given)
            and any(_same_file(given, member) for name in live for member in family(name))):
        raise BadInputError(N_("{file} is the workspace KOL Desk has open (or one of its "
                               "files): writing there would destroy it. Choose another file "
                               "name."), file=str(path))
    if not any_database:
        return
    for name in names:
        database = Path(_without_side_suffix(name))
        try:
            is_database = database.is_file() and read_header(database, len(SQLITE_MAGIC)) == SQLITE_MAGIC
        except OSError:  # unreadable: nothing we could destroy by mistake is known there
            is_database = False
        if is_database:
            raise BadInputError(N_("{file} is a database (a KOL Desk workspace or backup): "
                                   "writing there would destroy it. Choose another file name."),
                                file=str(path))
