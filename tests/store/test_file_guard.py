"""Nothing but SQLite opens a workspace file this process has open (kol_desk/store/files.py);
the suite-wide audit hook in tests/conftest.py enforces it, and these tests show it bites."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from kol_desk.errors import BadInputError
from kol_desk.models import Creator
from kol_desk.services.transfer import save_local_copy
from kol_desk.store import files
from kol_desk.store.database import Workspace
from kol_desk.store.migrate import open_workspace
from kol_desk.store.restore import is_healthy
from tests import file_guard


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    """A local file: the rule is about files (tests/store's own fixture runs on both engines)."""
    opened = open_workspace(tmp_path / "guarded.sqlite", tmp_path / "backups")
    yield opened
    opened.dispose()


def _touch(workspace: Workspace) -> None:
    with workspace.session() as session:
        session.scalar(select(func.count()).select_from(Creator))


def test_a_plain_open_of_an_open_workspace_is_stopped_where_it_happens(workspace: Workspace) -> None:
    assert workspace.path is not None
    _touch(workspace)
    for member in files.family(workspace.path)[:3]:  # the file, its -wal and -shm
        with pytest.raises(files.WorkspaceFileInUse):
            open(member, "rb").close()  # the forbidden act itself
    assert len(file_guard.forbidden_file_use) == 3
    file_guard.forbidden_file_use.clear()  # seen on purpose
    workspace.dispose()
    assert not files.is_open(workspace.path)
    assert workspace.path.read_bytes()[:16] == b"SQLite format 3\x00"  # closed: allowed


def test_the_start_up_check_and_a_second_open_ask_sqlite_only(workspace: Workspace) -> None:
    assert workspace.path is not None
    _touch(workspace)
    assert files.is_open(workspace.path)
    assert is_healthy(workspace.path)
    again = open_workspace(workspace.path)  # the same file opened again, e.g. Open recent
    try:
        _touch(again)
    finally:
        again.dispose()
    assert files.is_open(workspace.path)  # the first one still has it


def test_a_local_copy_over_the_open_workspace_is_refused(workspace: Workspace) -> None:
    assert workspace.path is not None
    with workspace.transaction() as session:
        session.add(Creator(nickname="留下", search_text="留下"))
    with pytest.raises(BadInputError, match="has open"):
        save_local_copy(workspace, Path(workspace.path))
    with workspace.session() as session:
        assert session.scalars(select(Creator.nickname)).all() == ["留下"]


def test_no_export_or_backup_target_may_be_a_database(workspace: Workspace, tmp_path: Path) -> None:
    """Every writer renames its finished file over the target: over the open workspace,
    its side files or another database, that would destroy it."""
    assert workspace.path is not None
    _touch(workspace)
    alias, link = tmp_path / "alias.sqlite", tmp_path / "link.xlsx"
    alias.symlink_to(workspace.path)
    link.hardlink_to(workspace.path)
    for target in (*files.family(workspace.path)[:3], alias, link):
        for any_database in (True, False):
            with pytest.raises(BadInputError, match="workspace KOL Desk has open") as raised:
                files.refuse_to_overwrite_database(target, any_database=any_database)
            assert str(target) in str(raised.value)
    closed = tmp_path / "closed.sqlite"
    open_workspace(closed).dispose()
    for target in (closed, Path(f"{closed}-wal"), Path(f"{closed}-journal")):
        with pytest.raises(BadInputError, match="is a database"):
            files.refuse_to_overwrite_database(target)
    files.refuse_to_overwrite_database(closed, any_database=False)  # an old copy may be replaced
    text = tmp_path / "notes.xlsx"
    text.write_bytes(b"PK\x03\x04 an old workbook")
    for target in (text, tmp_path / "new.xlsx"):
        files.refuse_to_overwrite_database(target)  # no database there: nothing to refuse


def test_a_backup_is_never_written_over_the_workspace_it_copies(workspace: Workspace) -> None:
    from kol_desk.store.backup import backup_to

    assert workspace.path is not None
    _touch(workspace)
    for target in files.family(workspace.path)[:2]:
        with pytest.raises(BadInputError, match="workspace KOL Desk has open"):
            backup_to(workspace.path, Path(target))
    assert is_healthy(workspace.path)
