"""A team database's known failures reach the user as the same kinds of error, naming
the server, as a local file's do."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import insert, text
from sqlalchemy.engine import URL

from kol_desk.errors import DatabaseLockedError, ReadOnlyStoreError
from kol_desk.models import Setting
from kol_desk.store.migrate import open_workspace


def test_a_read_only_server_transaction_is_a_known_error(pg_database: Callable[[str], URL]) -> None:
    workspace = open_workspace(pg_database("empty").render_as_string(hide_password=False))
    try:
        with pytest.raises(ReadOnlyStoreError, match="cannot be written") as caught, \
                workspace.engine.begin() as conn:
            conn.execute(text("SET TRANSACTION READ ONLY"))
            conn.execute(insert(Setting), [{"key": "k", "value": "v"}])
        assert workspace.display_location in str(caught.value)
    finally:
        workspace.dispose()


def test_a_table_another_connection_holds_is_a_known_error(pg_database: Callable[[str], URL]) -> None:
    workspace = open_workspace(pg_database("empty").render_as_string(hide_password=False))
    try:
        with workspace.engine.begin() as holder:
            holder.execute(text("LOCK TABLE settings IN ACCESS EXCLUSIVE MODE"))
            with pytest.raises(DatabaseLockedError, match="locked"), \
                    workspace.engine.begin() as conn:
                conn.execute(text("LOCK TABLE settings IN ACCESS EXCLUSIVE MODE NOWAIT"))
    finally:
        workspace.dispose()
