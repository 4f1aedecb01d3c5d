"""Writes the small workspaces of every earlier schema revision that
``tests/store/test_old_schemas.py`` migrates: ``python -m tests.store.schemas.make``.

Each is a 12-creator demo made by the current code at the head revision, then taken down
to its revision by the migrations' own downgrades (the revisions so far change indexes
and search tables, not columns), and vacuumed. Run it again only to add a revision's
file; the committed files are what a user's old workspace looks like.
"""

from __future__ import annotations

import sqlite3
import sys
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
REVISIONS = ("0001", "0002", "0003", "0004", "0005")


def make(revision: str, target: Path) -> None:
    from alembic import command

    from kol_desk.services.demo import generate_demo
    from kol_desk.store.migrate import alembic_config, open_workspace

    target.unlink(missing_ok=True)
    workspace = open_workspace(target)
    generate_demo(workspace, creators=12, seed=21, today=date(2026, 11, 20))
    with workspace.engine.begin() as connection:
        command.downgrade(alembic_config(connection), revision)
    workspace.dispose()
    with sqlite3.connect(target) as db:
        db.execute("PRAGMA journal_mode = DELETE")  # one file, no -wal beside it
    with sqlite3.connect(target, isolation_level=None) as db:
        db.execute("PRAGMA page_size = 1024")  # a quarter of the size in the repository
        db.execute("VACUUM")


def main(argv: list[str]) -> int:
    for revision in argv or REVISIONS:
        make(revision, HERE / f"workspace_{revision}.sqlite")
        print(f"wrote workspace_{revision}.sqlite")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
