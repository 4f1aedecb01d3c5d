"""Why a backup cannot be restored is told in the user's language: the store words it as
an English template (it has no translations of its own), the window or command line
translates it when it shows it."""

from __future__ import annotations

from pathlib import Path

import pytest

from kol_desk.errors import BadInputError
from kol_desk.i18n import set_language
from kol_desk.store.restore import verify_backup


def test_a_backup_that_is_no_database_is_refused_in_chinese(tmp_path: Path) -> None:
    fake = tmp_path / "kol-desk-20261120-0900-manual.sqlite"
    fake.write_bytes(b"just some notes, not a database" * 10)
    with pytest.raises(BadInputError) as raised:
        verify_backup(fake)
    assert str(raised.value) == f"{fake} cannot be restored: not an SQLite database."
    set_language("zh_CN")
    try:
        assert str(raised.value).endswith("不是 SQLite 数据库。")
        assert "not" not in str(raised.value)
    finally:
        set_language("en")
