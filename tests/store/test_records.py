"""Every record's identity, timestamps and version counter; money stays exact."""

from __future__ import annotations

from datetime import UTC, date
from decimal import Decimal

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm.exc import StaleDataError

from kol_desk.models import BudgetPeriod, Campaign, Creator
from kol_desk.store.database import Workspace


def test_records_get_a_uuid_timestamps_and_version(workspace: Workspace) -> None:
    with workspace.transaction() as session:
        creator = Creator(nickname="小鱼")
        session.add(creator)
    assert creator.uid is not None and creator.version == 1
    assert creator.created_at.tzinfo is UTC
    with workspace.transaction() as session:
        again = session.get(Creator, creator.id)
        assert again is not None
        again.nickname = "小鱼呀"
    with workspace.session() as session:
        stored = session.get(Creator, creator.id)
        assert stored is not None
        assert stored.version == 2 and stored.uid == creator.uid
        assert stored.updated_at >= stored.created_at


def test_saving_over_a_newer_change_is_refused(workspace: Workspace) -> None:
    with workspace.transaction() as session:
        session.add(Campaign(name="双11"))
    first, second = workspace.session(), workspace.session()
    mine = first.scalars(select(Campaign)).one()
    theirs = second.scalars(select(Campaign)).one()
    theirs.name = "双11 大促"
    second.commit()
    mine.name = "双十一"
    with pytest.raises(StaleDataError):
        first.commit()
    first.close()
    second.close()
    with workspace.session() as session:
        assert session.scalars(select(Campaign.name)).one() == "双11 大促"


def test_money_is_exact_decimal_and_sums_exactly(workspace: Workspace) -> None:
    with workspace.transaction() as session:
        for amount in ("0.10", "0.20", "1234567.89", "0.01"):
            session.add(BudgetPeriod(name="Q", start_date=date(2026, 1, 1), end_date=date(2026, 3, 31),
                                     total=Decimal(amount), reserve=Decimal("0")))
    with workspace.session() as session:
        total = session.scalar(select(func.sum(BudgetPeriod.total)))
        values = session.scalars(select(BudgetPeriod.total).order_by(BudgetPeriod.id)).all()
    assert total == Decimal("1234568.20")
    assert values[0] == Decimal("0.10") and isinstance(values[0], Decimal)
    with workspace.engine.connect() as conn:
        # Stored as whole cents on SQLite, so nothing is a binary float; NUMERIC elsewhere.
        if workspace.is_sqlite:
            kind = conn.execute(text("SELECT typeof(total) FROM budget_periods LIMIT 1")).scalar()
            assert kind == "integer"
        else:
            kind = conn.execute(text("SELECT pg_typeof(total)::text FROM budget_periods LIMIT 1")).scalar()
            assert kind == "numeric"


def test_deleting_a_creator_keeps_the_search_index_in_step(workspace: Workspace) -> None:
    if not workspace.is_sqlite:
        pytest.skip("creators_fts is SQLite's index; PostgreSQL's pg_trgm index is tested in tests/team")
    with workspace.transaction() as session:
        session.add(Creator(nickname="甜橘子", search_text="甜橘子\nabc123"))
    with workspace.engine.connect() as conn:
        hit = "SELECT count(*) FROM creators_fts WHERE creators_fts MATCH '\"橘子\\nabc\"' OR creators_fts MATCH 'abc123'"
        assert conn.execute(text(hit)).scalar() == 1
    with workspace.transaction() as session:
        session.delete(session.scalars(select(Creator)).one())
    with workspace.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM creators_fts WHERE creators_fts MATCH 'abc123'")).scalar() == 0
