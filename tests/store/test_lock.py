"""One writer at a time, read-only mode that really does not write, and clear messages
when a write fails (read-only medium, full disk, locked) with nothing half-saved."""

from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from kol_desk.errors import (
    DatabaseLockedError,
    DiskFullError,
    ReadOnlyStoreError,
    WorkspaceInUseError,
)
from kol_desk.models import Creator
from kol_desk.store.database import Workspace
from kol_desk.store.lock import WorkspaceLock, holder_pid, lock_path
from kol_desk.store.migrate import open_workspace


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    ws = open_workspace(tmp_path / "test.sqlite", tmp_path / "backups")
    yield ws
    ws.dispose()


def _count(workspace: Workspace) -> int:
    with workspace.session() as session:
        return int(session.scalar(select(func.count()).select_from(Creator)) or 0)


HOLDER = """
import sys, time
from pathlib import Path
from kol_desk.store.lock import WorkspaceLock
lock = WorkspaceLock.acquire(Path(sys.argv[1]))
print("held", flush=True)
time.sleep(120)
"""


@pytest.fixture
def other_window(workspace: Workspace) -> Iterator[subprocess.Popen[str]]:
    """Another KOL Desk process holding the workspace lock."""
    child = subprocess.Popen([sys.executable, "-c", HOLDER, str(workspace.path)],
                             stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None and child.stdout.readline().strip() == "held"
    yield child
    child.kill()
    child.wait()


def test_a_second_writer_is_told_which_process_has_the_workspace(
        workspace: Workspace, other_window: subprocess.Popen[str]) -> None:
    assert workspace.path is not None
    with pytest.raises(WorkspaceInUseError, match="already open in another KOL Desk window") as info:
        WorkspaceLock.acquire(workspace.path)
    assert info.value.pid == other_window.pid
    assert str(other_window.pid) in str(info.value)
    assert holder_pid(workspace.path) == other_window.pid


def test_the_lock_dies_with_its_holder_even_when_killed(
        workspace: Workspace, other_window: subprocess.Popen[str]) -> None:
    assert workspace.path is not None
    other_window.send_signal(signal.SIGKILL)
    other_window.wait()
    with WorkspaceLock.acquire(workspace.path) as lock:
        assert lock.held and holder_pid(workspace.path) == os.getpid()
    assert lock_path(workspace.path).stat().st_mode & 0o777 == 0o600


def test_two_locks_in_one_process_also_exclude_each_other(workspace: Workspace) -> None:
    assert workspace.path is not None
    first = WorkspaceLock.acquire(workspace.path)
    with pytest.raises(WorkspaceInUseError):
        WorkspaceLock.acquire(workspace.path)
    first.release()
    WorkspaceLock.acquire(workspace.path).release()


def test_read_only_mode_reads_but_never_writes(workspace: Workspace) -> None:
    assert workspace.path is not None
    with workspace.transaction() as session:
        session.add(Creator(nickname="已有", search_text="已有"))
    workspace.dispose()
    files = sorted(workspace.path.parent.glob("test.sqlite*"))
    digest = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in files if not p.name.endswith("-shm")}
    reader = open_workspace(workspace.path, read_only=True)
    try:
        assert reader.read_only
        assert _count(reader) == 1
        with pytest.raises(ReadOnlyStoreError, match=r"test\.sqlite"), reader.transaction() as session:
            session.add(Creator(nickname="新", search_text="新"))
        with pytest.raises(ReadOnlyStoreError), reader.transaction() as session:
            session.execute(text("DELETE FROM creators"))
        assert _count(reader) == 1
    finally:
        reader.dispose()
    after = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in digest}
    assert after == digest


def test_read_only_mode_never_creates_a_missing_file(tmp_path: Path) -> None:
    from kol_desk.errors import StoreError

    with pytest.raises(StoreError, match="does not exist"):
        open_workspace(tmp_path / "nothing.sqlite", read_only=True)
    assert not (tmp_path / "nothing.sqlite").exists()


def test_a_full_disk_is_reported_and_the_transaction_left_out_whole(workspace: Workspace) -> None:
    with workspace.transaction() as session:
        session.add(Creator(nickname="before", search_text="before"))
    # SQLite's page limit gives exactly the error a full disk gives (SQLITE_FULL).
    with workspace.engine.connect() as conn:
        pages = conn.execute(text("PRAGMA page_count")).scalar()
    workspace.engine.dispose()

    from sqlalchemy import event

    def cap(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        dbapi_connection.execute(f"PRAGMA max_page_count = {int(pages or 0) + 2}")

    event.listen(workspace.engine, "connect", cap)
    with pytest.raises(DiskFullError, match=r"disk holding .*test\.sqlite is full") as info, \
            workspace.transaction() as session:
        session.add_all(Creator(nickname=f"bulk {i}", notes="x" * 2000, search_text=f"bulk {i}")
                        for i in range(2000))
    assert "not saved" in str(info.value)
    event.remove(workspace.engine, "connect", cap)
    workspace.engine.dispose()
    # The app keeps working: what was there is intact, nothing of the failed batch is.
    assert _count(workspace) == 1
    with workspace.transaction() as session:
        session.add(Creator(nickname="after", search_text="after"))
    assert _count(workspace) == 2
    with workspace.engine.connect() as conn:
        assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"


def test_a_lock_held_by_another_program_is_reported(workspace: Workspace) -> None:
    assert workspace.path is not None
    blocker = sqlite3.connect(workspace.path, timeout=0)
    blocker.execute("BEGIN EXCLUSIVE")
    from sqlalchemy import event

    def impatient(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        dbapi_connection.execute("PRAGMA busy_timeout = 50")

    workspace.engine.dispose()
    event.listen(workspace.engine, "connect", impatient)
    try:
        with pytest.raises(DatabaseLockedError, match=r"test\.sqlite"), workspace.transaction() as session:
            session.add(Creator(nickname="x", search_text="x"))
    finally:
        blocker.rollback()
        blocker.close()
        event.remove(workspace.engine, "connect", impatient)
    assert _count(workspace) == 0


def test_a_read_only_folder_means_read_only_mode(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root writes into read-only folders; the medium case needs a normal user")
    folder = tmp_path / "cdrom"
    ws = open_workspace(folder / "w.sqlite")
    ws.dispose()
    folder.chmod(0o500)
    try:
        with pytest.raises(ReadOnlyStoreError, match="read-only"):
            WorkspaceLock.acquire(folder / "w.sqlite")
    finally:
        folder.chmod(0o700)


def test_a_full_disk_during_a_core_bulk_write_is_reported_too(workspace: Workspace) -> None:
    """The import writes through ``engine.begin()`` with Core inserts, not the ORM."""
    from sqlalchemy import event, insert

    from kol_desk.models.base import utcnow

    with workspace.engine.connect() as conn:
        pages = int(conn.execute(text("PRAGMA page_count")).scalar() or 0)
    workspace.engine.dispose()

    def cap(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages + 2}")

    event.listen(workspace.engine, "connect", cap)
    now = utcnow()
    rows = [{"nickname": f"n{i}", "notes": "y" * 1000, "search_text": "", "created_at": now,
             "updated_at": now} for i in range(3000)]
    with pytest.raises(DiskFullError), workspace.engine.begin() as conn:
        conn.execute(insert(Creator), rows)
    event.remove(workspace.engine, "connect", cap)
    workspace.engine.dispose()
    assert _count(workspace) == 0


def test_the_first_start_creates_the_private_data_folder(tmp_path: Path) -> None:
    database = tmp_path / "new-folder" / "workspace.sqlite"
    lock = WorkspaceLock.acquire(database)
    try:
        assert (tmp_path / "new-folder").stat().st_mode & 0o777 == 0o700
    finally:
        lock.release()
