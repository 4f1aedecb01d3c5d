"""A workspace of every earlier schema revision opens in this version: it is backed up,
migrated to the head revision, and shows the same creators, quotes, campaigns and money
(the files are made by ``tests/store/schemas/make.py``)."""

from __future__ import annotations

import shutil
import sqlite3
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest

from kol_desk.services.campaigns import campaign_overviews
from kol_desk.services.creators import count_accounts, fetch_accounts
from kol_desk.store.migrate import MIGRATIONS, head_revision, open_workspace

SCHEMAS = Path(__file__).with_name("schemas")
FILES = sorted(SCHEMAS.glob("workspace_*.sqlite"))


def _revisions() -> list[str]:
    return sorted(p.name[:4] for p in (MIGRATIONS / "versions").glob("[0-9][0-9][0-9][0-9]_*.py"))


@dataclass(frozen=True)
class Facts:
    revision: str
    rows: dict[str, int]  # per table
    nicknames: list[str]
    budgets: dict[str, Decimal | None]  # per campaign


def _facts(path: Path) -> Facts:
    """What the file holds, read with plain sqlite3 (no KOL Desk code)."""
    with sqlite3.connect(path) as db:
        tables = [t for (t,) in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'creators_fts%' "
            "AND name NOT LIKE 'sqlite_%' AND name != 'alembic_version'")]
        return Facts(
            db.execute("SELECT version_num FROM alembic_version").fetchone()[0],
            {t: db.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables},
            sorted(n for (n,) in db.execute("SELECT nickname FROM creators")),
            {name: None if cents is None else Decimal(cents) / 100
             for name, cents in db.execute("SELECT name, budget FROM campaigns")})


def test_every_earlier_revision_has_a_workspace() -> None:
    # (the head's may be there too: it is the next revision's earlier one)
    have = [p.stem.removeprefix("workspace_") for p in FILES]
    assert [r for r in _revisions() if r != head_revision()] == [r for r in have if r != head_revision()]
    assert set(have) <= set(_revisions())


@pytest.mark.parametrize("original", FILES, ids=lambda p: p.stem)
def test_an_old_workspace_is_migrated_without_loss(original: Path, tmp_path: Path) -> None:
    path = tmp_path / original.name
    shutil.copyfile(original, path)
    before = _facts(path)
    assert before.revision == original.stem[-4:] and before.nicknames

    workspace = open_workspace(path, tmp_path / "backups")
    try:
        shown = fetch_accounts(workspace, 0, 1000, by_creator=True)
        nickname = before.nicknames[0]
        found = fetch_accounts(workspace, 0, 10, nickname[-2:])  # the short-search index
        budgets = {c.name: c.budget for c in campaign_overviews(workspace)}
        accounts = count_accounts(workspace)
    finally:
        workspace.dispose()

    after = _facts(path)
    assert after.revision == head_revision()
    assert {t: after.rows[t] for t in before.rows} == before.rows
    assert after.nicknames == before.nicknames
    assert sorted(r.nickname for r in shown) == before.nicknames
    assert nickname in {r.nickname for r in found}
    assert budgets == before.budgets and any(budgets.values())
    assert accounts == after.rows["platform_accounts"]
    if before.revision != head_revision():  # the file as it was, kept before migrating
        assert len(list((tmp_path / "backups").iterdir())) == 1
