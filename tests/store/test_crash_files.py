"""Start-up checks: a truncated, corrupt or foreign file is detected when opened, with a
message naming it, and is never written to."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import insert

from kol_desk.errors import DamagedDatabaseError, NotAWorkspaceError
from kol_desk.models import Creator
from kol_desk.models.base import utcnow
from kol_desk.store.migrate import open_workspace, truncation
from kol_desk.store.restore import is_healthy


@pytest.fixture
def good_file(tmp_path: Path) -> Path:
    path = tmp_path / "mine.sqlite"
    ws = open_workspace(path)
    now = utcnow()
    with ws.engine.begin() as conn:
        conn.execute(insert(Creator), [{"nickname": f"n{i}", "notes": "z" * 200, "search_text": "",
                                        "created_at": now, "updated_at": now} for i in range(2000)])
    ws.dispose()
    assert truncation(path) is None and is_healthy(path)
    return path


@pytest.mark.parametrize("keep", [0.5, 0.9, 0.999])
def test_a_truncated_file_is_refused_untouched(good_file: Path, keep: float) -> None:
    data = good_file.read_bytes()
    cut = data[: int(len(data) * keep)]
    good_file.write_bytes(cut)
    with pytest.raises(DamagedDatabaseError, match=r"mine\.sqlite is damaged"):
        open_workspace(good_file)
    assert good_file.read_bytes() == cut
    assert not is_healthy(good_file)


def test_a_file_cut_at_a_page_boundary_is_refused(good_file: Path) -> None:
    data = good_file.read_bytes()
    good_file.write_bytes(data[: 4096 * 5])
    with pytest.raises(DamagedDatabaseError, match="holds 5 of its"):
        open_workspace(good_file)


def test_garbage_inside_the_file_fails_the_health_check(good_file: Path) -> None:
    data = bytearray(good_file.read_bytes())
    middle = len(data) // 2 // 4096 * 4096
    data[middle: middle + 4096] = b"\xde\xad\xbe\xef" * 1024
    good_file.write_bytes(bytes(data))
    # The header is fine, so only the start-up check in the background can find it.
    assert truncation(good_file) is None
    assert not is_healthy(good_file)


def test_a_damaged_header_is_refused(good_file: Path) -> None:
    data = bytearray(good_file.read_bytes())
    data[16:18] = b"\x00\x03"  # page size 3: impossible
    good_file.write_bytes(bytes(data))
    with pytest.raises(NotAWorkspaceError, match=r"mine\.sqlite"):
        open_workspace(good_file)
    assert good_file.read_bytes() == bytes(data)


def test_a_spreadsheet_renamed_to_sqlite_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "workspace.sqlite"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 5000)
    with pytest.raises(NotAWorkspaceError, match="not a KOL Desk database"):
        open_workspace(path)
    assert path.stat().st_size == 5004
