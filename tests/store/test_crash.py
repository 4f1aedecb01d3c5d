"""Crash safety: a process killed (SIGKILL, no cleanup at all) in the middle of a large
write leaves a database that passes PRAGMA integrity_check and holds either all of the
change or none of it."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import insert

from kol_desk.models import Creator
from kol_desk.models.base import utcnow
from kol_desk.store.migrate import open_workspace

pytestmark = pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX")
REPO = Path(__file__).resolve().parents[2]
CREATORS = 6_000

BULK_EDIT = """
import sys, time
from sqlalchemy import event, update
from kol_desk.models import Creator
from kol_desk.store.migrate import open_workspace

ws = open_workspace(sys.argv[1])
# A small page cache makes SQLite spill the open transaction's pages into the WAL file
# long before the commit, as it does for any really large edit.
event.listen(ws.engine, "connect", lambda c, _r: c.execute("PRAGMA cache_size = 50"))
with ws.transaction() as session:
    for start in range(0, 6_000, 500):
        session.execute(update(Creator).where(Creator.id > start, Creator.id <= start + 500)
                        .values(notes="edited " + "x" * 1000, version=Creator.version + 1))
        if start == 3_000:
            print("half", flush=True)
            time.sleep(60)  # killed here, half of the edit written, nothing committed
print("committed", flush=True)
"""


def _integrity(path: Path) -> str:
    with sqlite3.connect(path) as conn:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])


def _seed(path: Path) -> None:
    ws = open_workspace(path)
    now = utcnow()
    with ws.engine.begin() as conn:
        conn.execute(insert(Creator), [
            {"nickname": f"达人{i}", "notes": "original", "search_text": f"达人{i}",
             "created_at": now, "updated_at": now} for i in range(CREATORS)])
    ws.dispose()


def test_killed_in_the_middle_of_a_bulk_edit_nothing_is_half_changed(tmp_path: Path) -> None:
    path = tmp_path / "ws.sqlite"
    _seed(path)
    child = subprocess.Popen([sys.executable, "-c", BULK_EDIT, str(path)], cwd=REPO,
                             stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None
    try:
        assert child.stdout.readline().strip() == "half"
        # Half of the edit really reached the disk (the WAL) before the kill.
        assert path.with_name("ws.sqlite-wal").stat().st_size > 1_000_000
        child.send_signal(signal.SIGKILL)
    finally:
        child.kill()
        child.wait()
    assert child.returncode == -signal.SIGKILL
    assert _integrity(path) == "ok"
    with sqlite3.connect(path) as conn:
        notes = dict(conn.execute("SELECT notes, count(*) FROM creators GROUP BY notes").fetchall())
        versions = {v for (v,) in conn.execute("SELECT DISTINCT version FROM creators")}
    assert notes == {"original": CREATORS}
    assert versions == {1}
    # ... and the workspace opens and works as before.
    ws = open_workspace(path)
    with ws.transaction() as session:
        session.add(Creator(nickname="after the crash", search_text="after the crash"))
    ws.dispose()
    assert _integrity(path) == "ok"


def _write_list(path: Path, rows: int) -> None:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("达人")
    sheet.write_row(0, 0, ["达人昵称", "平台", "账号ID", "粉丝数", "图文报价", "视频报价"])
    for i in range(1, rows + 1):
        sheet.write_row(i, 0, [f"测试达人{i}", "小红书", f"crash_{i:06d}", 10_000 + i,
                               1000 + i % 500, 2000 + i % 700])
    book.close()


IMPORT_HALF_WAY = """
import sys, time
from sqlalchemy import event
from kol_desk.importing.commit import commit_plan
from kol_desk.importing.merge import build_plan
from kol_desk.importing.pipeline import read_list
from kol_desk.store.migrate import open_workspace

ws = open_workspace(sys.argv[1])
plan = build_plan(ws, read_list(ws, sys.argv[2]))
connections = []
event.listen(ws.engine, "checkout", lambda dbapi, _record, _proxy: connections.append(dbapi))
steps = 0

def step() -> bool:
    global steps
    steps += 1
    if steps == 1:
        # After the batch row: a small page cache makes SQLite spill the open transaction's
        # pages into the WAL before the commit, as a list too large for the cache does.
        connections[-1].execute("PRAGMA cache_size = 50")
    if steps == 3:  # the batch, the agencies and the creators are written, not committed
        print("half", flush=True)
        time.sleep(60)
    return False

commit_plan(ws, plan, cancelled=step)
print("committed", flush=True)
"""


@pytest.mark.slow
def test_killed_in_the_middle_of_an_import_it_is_all_or_nothing(tmp_path: Path) -> None:
    rows = 4_000
    listing = tmp_path / "big list.xlsx"
    _write_list(listing, rows)
    path = tmp_path / "ws.sqlite"
    open_workspace(path).dispose()
    child = subprocess.Popen([sys.executable, "-c", IMPORT_HALF_WAY, str(path), str(listing)],
                             cwd=REPO, stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None
    try:
        assert child.stdout.readline().strip() == "half"
        # Part of the import really reached the disk (the WAL) before the kill.
        assert path.with_name("ws.sqlite-wal").stat().st_size > 200_000
        child.send_signal(signal.SIGKILL)
    finally:
        child.kill()
        child.wait()
    assert child.returncode == -signal.SIGKILL
    assert _integrity(path) == "ok"
    with sqlite3.connect(path) as conn:
        creators = conn.execute("SELECT count(*) FROM creators").fetchone()[0]
        quotes = conn.execute("SELECT count(*) FROM quotes").fetchone()[0]
        batches = conn.execute("SELECT count(*) FROM import_batches").fetchone()[0]
    assert (creators, quotes, batches) == (0, 0, 0)
    # The workspace then imports normally: nothing was left half-written to trip it.
    small = tmp_path / "small.xlsx"
    _write_list(small, 20)
    done = subprocess.run([sys.executable, "-m", "kol_desk", "import", str(small),
                           "--db", str(path)], cwd=REPO, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT count(*) FROM creators").fetchone()[0] == 20
    assert _integrity(path) == "ok"
