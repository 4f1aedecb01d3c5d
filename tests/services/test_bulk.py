"""Bulk writes borrow a large page cache and always give it back to the pooled connection."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from kol_desk.services.bulk import large_page_cache
from kol_desk.store.database import Workspace


@pytest.fixture
def sqlite_workspace(workspace: Workspace) -> Workspace:
    if workspace.engine.dialect.name != "sqlite":
        pytest.skip("the page cache is SQLite's; PostgreSQL's is the server's")
    return workspace


def _pooled_cache_size(workspace: Workspace) -> int:
    with workspace.engine.connect() as conn:
        return int(conn.execute(text("PRAGMA cache_size")).scalar_one())


def test_the_cache_is_restored_after_a_write(sqlite_workspace: Workspace) -> None:
    workspace = sqlite_workspace
    before = _pooled_cache_size(workspace)
    with workspace.engine.begin() as conn, large_page_cache(conn):
        assert conn.execute(text("PRAGMA cache_size")).scalar_one() == -131072
    assert _pooled_cache_size(workspace) == before != -131072


def test_the_cache_is_restored_when_the_write_fails(sqlite_workspace: Workspace) -> None:
    workspace = sqlite_workspace
    before = _pooled_cache_size(workspace)
    with pytest.raises(OSError), workspace.engine.begin() as conn, large_page_cache(conn):
        raise OSError("disk full")
    # only one connection was ever checked out: the next one is the same
    assert workspace.engine.pool.checkedin() == 1
    assert _pooled_cache_size(workspace) == before
