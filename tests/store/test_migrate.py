from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from kol_desk.errors import NewerSchemaError, NotAWorkspaceError
from kol_desk.models import Base
from kol_desk.store import migrate
from kol_desk.store.migrate import head_revision, open_workspace


def test_migrating_an_empty_file_creates_the_whole_schema(tmp_path: Path) -> None:
    ws = open_workspace(tmp_path / "new.sqlite", tmp_path / "backups")
    with ws.engine.connect() as conn:
        tables = set(inspect(conn).get_table_names())
        assert set(Base.metadata.tables) <= tables
        assert "creators_fts" in tables
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == head_revision()
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
    ws.dispose()
    # A new database needs no backup: there was nothing to lose.
    assert not (tmp_path / "backups").exists()


def test_the_database_file_is_private_to_the_user(tmp_path: Path) -> None:
    ws = open_workspace(tmp_path / "private" / "ws.sqlite")
    ws.dispose()
    assert (tmp_path / "private" / "ws.sqlite").stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "private").stat().st_mode & 0o777 == 0o700


def test_a_database_from_a_newer_version_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "newer.sqlite"
    open_workspace(path).dispose()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999_future'")
    before = path.read_bytes()
    with pytest.raises(NewerSchemaError, match="newer version of KOL Desk"):
        open_workspace(path, tmp_path / "backups")
    assert path.read_bytes() == before


def test_a_file_that_is_not_sqlite_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "list.xlsx.sqlite"
    path.write_bytes(b"PK\x03\x04 this is a zip, not a database")
    with pytest.raises(NotAWorkspaceError, match="not a KOL Desk database"):
        open_workspace(path)
    assert path.read_bytes().startswith(b"PK")


def test_another_programs_sqlite_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE songs (id INTEGER PRIMARY KEY, title TEXT)")
    with pytest.raises(NotAWorkspaceError, match="another program"):
        open_workspace(path)
    with sqlite3.connect(path) as conn:
        assert [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")] == ["songs"]


def test_the_database_is_backed_up_before_a_migration(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "old.sqlite"
    old = open_workspace(path)
    with old.engine.begin() as conn:
        conn.execute(text("INSERT INTO settings (key, value, uid, version) VALUES ('workspace_name', '\"Mine\"', 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 1)"))
    old.dispose()

    # A newer release with one more migration, built from the shipped scripts.
    scripts = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS, scripts)
    head = head_revision()
    newer = f"{int(head) + 1:04d}"
    (scripts / "versions" / f"{newer}_add_column.py").write_text(
        f'''
import sqlalchemy as sa
from alembic import op

revision = "{newer}"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("campaigns") as batch:
        batch.add_column(sa.Column("extra", sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table("campaigns") as batch:
        batch.drop_column("extra")
''',
        encoding="utf-8",
    )
    monkeypatch.setattr(migrate, "MIGRATIONS", scripts)
    ws = open_workspace(path, tmp_path / "backups")
    with ws.engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == newer
        assert "extra" in {c["name"] for c in inspect(conn).get_columns("campaigns")}
    ws.dispose()

    backups = list((tmp_path / "backups").glob(f"old-*-before-migrate-{head}.sqlite"))
    assert len(backups) == 1
    with sqlite3.connect(backups[0]) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == head
        assert conn.execute("SELECT value FROM settings").fetchone()[0] == '"Mine"'
    assert backups[0].stat().st_mode & 0o777 == 0o600


def test_revision_ids_are_the_file_prefixes_in_one_line() -> None:
    # open_workspace recognises an up-to-date database from the file names alone.
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(migrate.alembic_config())
    revisions = list(script.walk_revisions())
    assert len(script.get_heads()) == 1
    assert migrate.shipped_head() == head_revision()
    for revision in revisions:
        assert Path(revision.path).name.startswith(f"{revision.revision}_")
