"""Backups: online copies with rotation, listing with counts, restore that loses nothing,
and the ``backup`` / ``restore`` subcommands."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from kol_desk.cli import main
from kol_desk.errors import BadInputError
from kol_desk.models import Creator, Setting
from kol_desk.store.backup import (
    Rotation,
    backup_at_start,
    backup_before,
    backup_sqlite,
    latest_good_backup,
    list_backups,
    rotate,
)
from kol_desk.store.database import Workspace
from kol_desk.store.migrate import open_workspace
from kol_desk.store.restore import restore_backup


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    """SQLite only: backups are of database files (a server has its own tools)."""
    ws = open_workspace(tmp_path / "test.sqlite", tmp_path / "backups")
    yield ws
    ws.dispose()


def _creators(workspace: Workspace) -> int:
    with workspace.session() as session:
        return int(session.scalar(select(func.count()).select_from(Creator)) or 0)


def _add_creator(workspace: Workspace, name: str) -> None:
    with workspace.transaction() as session:
        session.add(Creator(nickname=name, search_text=name))


def test_backup_of_an_open_workspace_holds_every_committed_row(workspace: Workspace, tmp_path: Path) -> None:
    _add_creator(workspace, "小桃子")
    # The row is still only in the -wal file: a plain file copy would miss it.
    target = backup_before(workspace, "manual", tmp_path / "b")
    assert target is not None and target.name.startswith("test-") and target.name.endswith("-manual.sqlite")
    with sqlite3.connect(target) as conn:
        assert conn.execute("SELECT nickname FROM creators").fetchall() == [("小桃子",)]
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert target.stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "b").stat().st_mode & 0o777 == 0o700
    assert not list((tmp_path / "b").glob("*.partial"))


def test_listing_shows_date_size_and_counts_newest_first(workspace: Workspace, tmp_path: Path) -> None:
    folder = tmp_path / "b"
    first = backup_sqlite(workspace.path, folder, "startup", now=datetime(2026, 11, 1, tzinfo=UTC))  # type: ignore[arg-type]
    _add_creator(workspace, "A")
    _add_creator(workspace, "B")
    second = backup_sqlite(workspace.path, folder, "before-import", now=datetime(2026, 11, 2, tzinfo=UTC))  # type: ignore[arg-type]
    (folder / "other-20261103T000000000000Z-manual.sqlite").write_bytes(b"another workspace's")
    listed = list_backups(folder, "test")
    assert [b.path for b in listed] == [second, first]
    assert [b.counts["creators"] for b in listed] == [2, 0]
    assert listed[0].reason == "before-import" and listed[0].created == datetime(2026, 11, 2, tzinfo=UTC)
    assert listed[0].size == second.stat().st_size > 0
    assert all(b.ok for b in listed)


def test_rotation_keeps_the_last_ten_and_one_per_week_for_eight_weeks(tmp_path: Path) -> None:
    now = datetime(2026, 11, 28, 12, tzinfo=UTC)
    stamps = [now - timedelta(hours=6 * i) for i in range(30)]  # a week of busy days
    stamps += [now - timedelta(days=7 * w + 1) for w in range(1, 12)]  # weekly, 11 weeks back
    for stamp in stamps:
        name = f"ws-{stamp.strftime('%Y%m%dT%H%M%S%fZ')}-startup.sqlite"
        (tmp_path / name).write_bytes(b"x")
    removed = rotate(tmp_path, "ws", Rotation(keep_last=10, keep_weeks=8), now=now)
    kept = sorted(p.name for p in tmp_path.iterdir())
    newest_ten = sorted(stamps, reverse=True)[:10]
    for stamp in newest_ten:
        assert any(stamp.strftime("%Y%m%dT%H%M%S") in name for name in kept)
    weeks = {datetime.strptime(n.split("-")[1], "%Y%m%dT%H%M%S%fZ").isocalendar()[:2] for n in kept}
    # Every week of the last eight still has a backup; nothing older than that survives.
    horizon = now - timedelta(weeks=8)
    assert all(datetime.strptime(n.split("-")[1], "%Y%m%dT%H%M%S%fZ").replace(tzinfo=UTC) >= horizon for n in kept)
    assert len(weeks) >= 8
    assert len(kept) + len(removed) == len(stamps)
    assert len(kept) < 20


def test_rotation_is_a_workspace_setting(workspace: Workspace, tmp_path: Path) -> None:
    with workspace.transaction() as session:
        session.add(Setting(key="backup_rotation", value={"keep_last": 2, "keep_weeks": 0}))
    for i in range(4):
        _add_creator(workspace, f"c{i}")
        backup_before(workspace, "before-import", tmp_path / "b")
    assert len(list_backups(tmp_path / "b", "test")) == 2


def test_start_up_backup_is_skipped_when_nothing_changed(workspace: Workspace, tmp_path: Path) -> None:
    folder = tmp_path / "b"
    assert backup_at_start(workspace, folder) is not None
    assert backup_at_start(workspace, folder) is None
    _add_creator(workspace, "new")
    assert backup_at_start(workspace, folder) is not None
    assert len(list_backups(folder, "test")) == 2


def test_restore_backs_up_the_current_state_first(workspace: Workspace, tmp_path: Path) -> None:
    folder = tmp_path / "b"
    _add_creator(workspace, "kept in the backup")
    backup = backup_before(workspace, "manual", folder)
    _add_creator(workspace, "added later")
    assert backup is not None and workspace.path is not None
    workspace.engine.dispose()
    result = restore_backup(backup, workspace.path, folder)
    assert _creators(workspace) == 1
    assert result.safety_backup is not None and result.set_aside is None
    with sqlite3.connect(result.safety_backup) as conn:
        assert conn.execute("SELECT count(*) FROM creators").fetchone() == (2,)
    # ... so the restore itself can be undone.
    workspace.engine.dispose()
    restore_backup(result.safety_backup, workspace.path, folder)
    assert _creators(workspace) == 2


def test_restore_sets_a_damaged_workspace_aside_instead_of_overwriting(workspace: Workspace, tmp_path: Path) -> None:
    folder = tmp_path / "b"
    _add_creator(workspace, "safe")
    backup = backup_before(workspace, "startup", folder)
    path = workspace.path
    assert backup is not None and path is not None
    workspace.dispose()
    damaged = path.read_bytes()[:8192] + b"\x00garbage" * 100
    path.write_bytes(damaged)
    assert latest_good_backup(folder, "test") is not None
    result = restore_backup(backup, path, folder)
    assert result.set_aside is not None and result.set_aside.read_bytes() == damaged
    assert result.safety_backup is None
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT nickname FROM creators").fetchall() == [("safe",)]


def test_a_damaged_backup_is_listed_as_damaged_and_refused(workspace: Workspace, tmp_path: Path) -> None:
    folder = tmp_path / "b"
    backup = backup_before(workspace, "manual", folder)
    assert backup is not None and workspace.path is not None
    backup.write_bytes(backup.read_bytes()[:4096])
    assert latest_good_backup(folder, "test") is None
    workspace.engine.dispose()
    with pytest.raises(BadInputError, match="cannot be restored"):
        restore_backup(backup, workspace.path, folder)
    assert _creators(workspace) == 0


def test_backup_and_restore_commands(workspace: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(workspace.path)
    _add_creator(workspace, "one")
    out = tmp_path / "copy.sqlite"
    assert main(["backup", "--db", db, "--out", str(out)]) == 0
    assert "1 creators" in capsys.readouterr().out
    assert main(["backup", "--db", db, "--out", str(out)]) == 3  # never overwrites
    assert "already exists" in capsys.readouterr().err
    _add_creator(workspace, "two")
    workspace.dispose()
    assert main(["restore", str(out), "--db", db]) == 0
    printed = capsys.readouterr().out
    assert "restored" in printed and "before-restore" in printed
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT nickname FROM creators").fetchall() == [("one",)]


def test_restore_command_refuses_a_file_that_is_not_a_backup(workspace: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    junk = tmp_path / "list.xlsx"
    junk.write_bytes(b"PK\x03\x04 not a database")
    workspace.dispose()
    assert main(["restore", str(junk), "--db", str(workspace.path)]) == 3
    assert "list.xlsx" in capsys.readouterr().err
