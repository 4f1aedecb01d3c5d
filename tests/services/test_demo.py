from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from sqlalchemy import func, select

from kol_desk.domain import PIPELINE, Stage
from kol_desk.models import (
    Agency,
    BudgetEntry,
    Collaboration,
    Creator,
    Payment,
    PlatformAccount,
    Quote,
    ResultSnapshot,
    StageChange,
)
from kol_desk.services.demo import generate_demo
from kol_desk.services.payments import fee_tax
from kol_desk.store.database import Workspace
from kol_desk.store.migrate import open_workspace


def test_the_demo_workspace_is_a_living_one(demo_workspace: Workspace) -> None:
    with demo_workspace.session() as s:
        assert s.scalar(select(func.count()).select_from(Creator)) == 300
        platforms = set(s.scalars(select(PlatformAccount.platform).distinct()))
        assert {"douyin", "xiaohongshu", "bilibili", "weibo", "kuaishou"} <= platforms
        # Several agencies quote the same account: price differences are visible.
        multi = s.execute(
            select(Quote.account_id).group_by(Quote.account_id)
            .having(func.count(func.distinct(Quote.agency_id)) > 1)
        ).all()
        assert len(multi) > 50
        assert s.scalar(select(func.count()).select_from(Agency)) >= 3
        stages = set(s.scalars(select(Collaboration.stage).distinct()))
        assert stages == {stage.value for stage in (*PIPELINE, Stage.DROPPED)}
        assert s.scalar(select(func.count()).where(Payment.paid_on.is_not(None))) > 0
        assert s.scalar(select(func.count()).where(BudgetEntry.from_reserve.is_(True))) == 1
        assert s.scalar(select(func.count()).select_from(ResultSnapshot)) > 0
        # Every creator can be found by its nickname through the search column.
        assert s.scalar(select(func.count()).where(Creator.search_text == "")) == 0
        # Creators with results have a rating, as after any results entry.
        assert s.scalar(select(func.count()).where(Creator.rating.is_not(None))) > 0


def test_demo_payments_carry_the_tax_of_tax_exclusive_fees(demo_workspace: Workspace) -> None:
    with demo_workspace.session() as s:
        rows = s.execute(select(Collaboration.net_fee, Collaboration.tax_included,
                                func.sum(Payment.amount), func.sum(Payment.tax_amount))
                         .join(Payment, Payment.collaboration_id == Collaboration.id)
                         .group_by(Collaboration.id)).all()
    exclusive = [r for r in rows if r[1] is False]
    assert exclusive and all(r[3] is not None for r in rows if r[1] is False)
    for fee, included, amount, tax in rows:
        assert amount == fee
        expected = fee_tax(fee, included, 0.06).tax
        assert (tax or Decimal(0)) == expected


def test_demo_card_histories_lie_in_the_past_and_name_who_moved(demo_workspace: Workspace) -> None:
    with demo_workspace.session() as s:
        moves = s.execute(select(StageChange.changed_at, StageChange.changed_by,
                                 Collaboration.post_date, StageChange.created_at)
                          .join(Collaboration)).all()
    assert moves
    for changed_at, changed_by, post_date, created_at in moves:
        assert changed_at <= created_at  # never after the demo was made
        assert post_date is None or changed_at.date() <= post_date
        assert changed_by


def test_the_generator_builds_larger_workspaces_with_unique_accounts(tmp_path: Path) -> None:
    ws = open_workspace(tmp_path / "big.sqlite")
    summary = generate_demo(ws, creators=3000, seed=7)
    with ws.session() as s:
        assert s.scalar(select(func.count()).select_from(Creator)) == 3000
        accounts = s.scalar(select(func.count()).select_from(PlatformAccount))
        distinct = s.scalar(select(func.count()).select_from(
            select(PlatformAccount.platform, PlatformAccount.handle).distinct().subquery()))
    assert accounts == distinct == summary.accounts
    ws.dispose()
