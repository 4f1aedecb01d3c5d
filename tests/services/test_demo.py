from __future__ import annotations

from datetime import date
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
                                 Collaboration.post_date, StageChange.created_at, StageChange.to_stage)
                          .join(Collaboration)).all()
    assert moves
    for changed_at, changed_by, post_date, created_at, to_stage in moves:
        assert changed_at <= created_at  # never after the demo was made
        # up to Published by the post date; results and payment come after it
        assert post_date is None or changed_at.date() <= post_date or to_stage in ("results_in", "paid")
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


def _story_problems(workspace: Workspace, today: date) -> list[str]:
    """Every way the demo could contradict itself or "today"."""
    from kol_desk.models import Campaign
    from kol_desk.services.campaigns import campaign_overviews

    problems: list[str] = []
    with workspace.session() as s:
        campaigns = {c.id: c for c in s.scalars(select(Campaign))}
        for card in s.scalars(select(Collaboration)):
            c = campaigns[card.campaign_id]
            payments = list(s.scalars(select(Payment).where(Payment.collaboration_id == card.id)))
            snapshots = list(s.scalars(select(ResultSnapshot).where(ResultSnapshot.collaboration_id == card.id)))
            moves = list(s.scalars(select(StageChange).where(StageChange.collaboration_id == card.id)
                                   .order_by(StageChange.changed_at)))
            where = f"{c.name} card {card.id} ({card.stage})"
            if card.post_date and not (c.start_date <= card.post_date <= min(c.end_date, today)):
                problems.append(f"{where}: posted {card.post_date} outside {c.start_date}..{c.end_date} or after today")
            if any(p.paid_on and p.paid_on > today for p in payments):
                problems.append(f"{where}: a payment is dated after today")
            if any(snap.taken_on > today for snap in snapshots):
                problems.append(f"{where}: results taken after today")
            if moves and moves[-1].to_stage != card.stage:
                problems.append(f"{where}: its history ends at {moves[-1].to_stage}")
            if moves and moves[-1].changed_at.date() > today:
                problems.append(f"{where}: a move after today")
            if card.stage == Stage.PAID and not (payments and all(p.paid_on for p in payments)):
                problems.append(f"{where}: paid stage with unpaid payments")
            if card.stage == Stage.PAID and moves and payments and \
                    moves[-1].changed_at.date() < max(p.paid_on for p in payments if p.paid_on):
                problems.append(f"{where}: marked paid before the last payment")
            if card.stage in (Stage.RESULTS_IN, Stage.PAID) and not snapshots:
                problems.append(f"{where}: no results")
            if c.start_date > today and (card.post_date or any(p.paid_on for p in payments)):
                problems.append(f"{where}: a campaign not started has posts or payments")
    for overview in campaign_overviews(workspace):
        posted = sum(overview.stage_counts.get(st, 0) for st in PIPELINE[PIPELINE.index(Stage.PUBLISHED):])
        if overview.start_date and overview.start_date > today and posted:
            problems.append(f"{overview.name}: not started, yet {posted} cards posted")
    return problems


def test_the_demo_tells_one_coherent_story(demo_workspace: Workspace) -> None:
    from kol_desk.models import Campaign

    today = date(2026, 11, 20)  # the fixture's day
    assert _story_problems(demo_workspace, today) == []
    with demo_workspace.session() as s:
        spans = {c.name: (c.start_date, c.end_date) for c in s.scalars(select(Campaign))}
    start, end = spans["618 大促转化"]
    assert start <= date(start.year, 6, 18) <= end  # 618 is in June
    assert spans["春季新品曝光"][0].month in (3, 4, 5)
    start, end = spans["双11美妆种草"]
    assert start <= date(start.year, 11, 11) <= end


def test_the_demo_is_coherent_on_any_day(tmp_path: Path) -> None:
    for day in (date(2027, 2, 3), date(2026, 6, 1)):
        ws = open_workspace(tmp_path / f"demo-{day}.sqlite")
        generate_demo(ws, creators=60, today=day)
        assert _story_problems(ws, day) == [], day
        ws.dispose()
