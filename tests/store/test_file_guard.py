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
