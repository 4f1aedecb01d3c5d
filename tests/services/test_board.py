from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import delete, select

from kol_desk.domain import Stage
from kol_desk.models import BudgetEntry, BudgetPeriod, Collaboration, Payment, StageChange
from kol_desk.services.board import (
    CardFilter,
    ColumnTotal,
    MoveRefused,
    board_cards,
    column_totals,
    due_items,
    move,
)
from kol_desk.services.collaboration import (
    DeliverableLine,
    add_counter_offer,
    add_result_snapshot,
    load_card,
    set_deliverables,
    update_card,
)
from kol_desk.services.shortlist import add_to_campaign
from kol_desk.store.database import Workspace
from tests.campaign_factory import make_account, make_campaign

TODAY = date(2026, 11, 28)


@pytest.fixture
def card(workspace: Workspace) -> int:
    campaign = make_campaign(workspace)
    account = make_account(workspace, "Alice")
    return add_to_campaign(workspace, campaign, [account]).added[0]


def history(workspace: Workspace, card: int) -> list[tuple[str | None, str, str | None]]:
    with workspace.session() as s:
        return [(h.from_stage, h.to_stage, h.override_reason) for h in s.scalars(
            select(StageChange).where(StageChange.collaboration_id == card).order_by(StageChange.id))]


def test_contracted_needs_an_agreed_fee_and_cannot_be_overridden(workspace: Workspace, card: int) -> None:
    move(workspace, card, Stage.NEGOTIATING)
    with pytest.raises(MoveRefused, match="agreed fee") as refused:
        move(workspace, card, Stage.CONTRACTED, override_reason="trust me")
    assert not refused.value.can_override
    update_card(workspace, card, {"agreed_fee": Decimal("9000")})
    move(workspace, card, Stage.CONTRACTED)
    assert history(workspace, card)[-1] == ("negotiating", "contracted", None)


def test_published_needs_url_date_and_disclosure_or_a_recorded_override(
    workspace: Workspace, card: int,
) -> None:
    update_card(workspace, card, {"agreed_fee": Decimal("9000")})
    move(workspace, card, Stage.IN_REVIEW)
    with pytest.raises(MoveRefused) as refused:
        move(workspace, card, Stage.PUBLISHED)
    message = str(refused.value)
    assert "post URL" in message and "post date" in message and "ad-disclosure" in message
    assert refused.value.can_override

    update_card(workspace, card, {"post_url": "https://xhs.example/p/1", "post_date": TODAY})
    with pytest.raises(MoveRefused, match="ad-disclosure"):
        move(workspace, card, Stage.PUBLISHED)
    move(workspace, card, Stage.PUBLISHED, override_reason="label added by platform later")
    assert history(workspace, card)[-1] == ("in_review", "published", "label added by platform later")


def test_moving_back_and_dropping_are_allowed_and_recorded(workspace: Workspace, card: int) -> None:
    update_card(workspace, card, {"agreed_fee": Decimal("1")})
    move(workspace, card, Stage.CONTRACTED)
    move(workspace, card, Stage.CONTACTED)
    move(workspace, card, Stage.DROPPED)
    move(workspace, card, Stage.CONTACTED)  # the undo of a drop is a recorded move back
    assert [h[:2] for h in history(workspace, card)] == [
        (None, "shortlisted"), ("shortlisted", "contracted"), ("contracted", "contacted"),
        ("contacted", "dropped"), ("dropped", "contacted")]
    with pytest.raises(MoveRefused, match="already"):
        move(workspace, card, Stage.CONTACTED)


def test_cards_carry_fee_due_date_and_warning_marks(workspace: Workspace) -> None:
    campaign = make_campaign(workspace, budget=Decimal("10000"))
    risky = make_account(workspace, "Eve", risk_level="high", platform="douyin",
                         followers=2_000_000)
    fine = make_account(workspace, "Alice", followers=50_000, price="3000")
    ids = add_to_campaign(workspace, campaign, [fine, risky], override_reason="ok").added
    update_card(workspace, ids[0], {"agreed_fee": Decimal("6000")})
    result = update_card(workspace, ids[1], {"agreed_fee": Decimal("7000")})
    assert result.over_budget == (Decimal("13000.00"), Decimal("10000.00"))
    set_deliverables(workspace, ids[0], [DeliverableLine("video", 1, None, date(2026, 11, 20),
                                                         date(2026, 12, 5))])
    move(workspace, ids[1], Stage.IN_REVIEW)

    cards = {c.nickname: c for c in board_cards(workspace, campaign, today=TODAY)}
    alice, eve = cards["Alice"], cards["Eve"]
    assert (alice.platform, alice.tier, alice.fee, alice.fee_is_agreed) == (
        "xiaohongshu", "micro", Decimal("6000.00"), True)
    assert alice.next_due == date(2026, 11, 20) and alice.overdue
    assert not alice.risk_flag and not alice.over_budget and not alice.disclosure_missing
    assert eve.risk_flag and eve.over_budget and eve.disclosure_missing and not eve.overdue
    assert eve.tier == "top"

    totals = column_totals(cards.values())
    assert totals["shortlisted"] == ColumnTotal(1, Decimal("6000.00"), Decimal("6000.00"), 0)
    assert totals["in_review"] == ColumnTotal(1, Decimal("7000.00"), Decimal("7000.00"), 0)
    assert [c.nickname for c in cards.values() if CardFilter(overdue_only=True).accepts(c)] == ["Alice"]
    assert [c.nickname for c in cards.values() if CardFilter(platform="douyin").accepts(c)] == ["Eve"]



def test_column_totals_count_agreed_deals_with_tax_and_quotes_apart(workspace: Workspace) -> None:
    campaign = make_campaign(workspace)
    agreed, _quoted = add_to_campaign(workspace, campaign, [make_account(workspace, "Alice", price="3000"),
                                                           make_account(workspace, "Bob", price="5000")]).added
    # Net cost 10,000 − 5 % rebate = 9,500, quoted without tax: 6 % on top.
    update_card(workspace, agreed, {"agreed_fee": Decimal("10000"), "channel": "direct", "rebate_pct": 5.0,
                                    "tax_included": False, "tax_rate": 0.06})
    cards = board_cards(workspace, campaign, today=TODAY)
    assert {c.nickname: c.cost for c in cards} == {"Alice": Decimal("10070.00"), "Bob": None}
    # The card shows what its column counts for it.
    assert {c.nickname: c.fee for c in cards} == {"Alice": Decimal("10070.00"), "Bob": Decimal("5000.00")}
    assert column_totals(cards)["shortlisted"] == ColumnTotal(
        2, Decimal("15070.00"), Decimal("10070.00"), 1)

def test_budget_allocation_wins_over_planned_budget(workspace: Workspace) -> None:
    campaign = make_campaign(workspace, budget=Decimal("100"))
    card_id = add_to_campaign(workspace, campaign, [make_account(workspace, "A")]).added[0]
    update_card(workspace, card_id, {"agreed_fee": Decimal("500")})
    with workspace.transaction() as s:
        period = BudgetPeriod(name="2026", start_date=date(2026, 1, 1), end_date=date(2026, 12, 31),
                              total=Decimal("10000"), reserve=Decimal("0"))
        s.add(period)
        s.flush()
        s.add(BudgetEntry(period_id=period.id, campaign_id=campaign, amount=Decimal("1000"),
                          entry_date=date(2026, 1, 2)))
    assert not board_cards(workspace, campaign, today=TODAY)[0].over_budget


def test_due_view_lists_overdue_and_this_weeks_work_across_campaigns(workspace: Workspace) -> None:
    first, second = make_campaign(workspace, "Spring"), make_campaign(workspace, "Summer")
    a = add_to_campaign(workspace, first, [make_account(workspace, "Alice")]).added[0]
    b = add_to_campaign(workspace, second, [make_account(workspace, "Bob")]).added[0]
    c = add_to_campaign(workspace, second, [make_account(workspace, "Carol")]).added[0]
    set_deliverables(workspace, a, [DeliverableLine("video", 1, None, date(2026, 11, 25), date(2026, 12, 30))])
    set_deliverables(workspace, b, [DeliverableLine("image_post", 1, None, None, date(2026, 12, 2))])
    set_deliverables(workspace, c, [DeliverableLine("video", 1, None, date(2026, 11, 1), None)])
    move(workspace, c, Stage.DROPPED)  # dropped cards no longer owe anything
    with workspace.transaction() as s:
        s.add(Payment(collaboration_id=b, kind="deposit", amount=Decimal("500"),
                      due_date=date(2026, 11, 27)))

    items = due_items(workspace, today=TODAY)
    assert [(i.nickname, i.campaign, i.what, i.due, i.overdue) for i in items] == [
        ("Alice", "Spring", "draft", date(2026, 11, 25), True),
        ("Bob", "Summer", "payment", date(2026, 11, 27), True),
        ("Bob", "Summer", "post", date(2026, 12, 2), False),
    ]


def test_card_detail_holds_quotes_counter_offers_results_and_history(
    workspace: Workspace, card: int,
) -> None:
    add_counter_offer(workspace, card, Decimal("7000"), date(2026, 11, 2), "asked 7k, we said 6k")
    add_result_snapshot(workspace, card, date(2026, 12, 8), {"views": 12000, "likes": 300})
    update_card(workspace, card, {"score_brand_fit": 4, "notes": "great"})
    detail = load_card(workspace, card)
    assert [(q.price_min, q.counter_offer) for q in detail.quotes] == [
        (Decimal("8000.00"), False), (Decimal("7000.00"), True)]
    assert detail.results[0].values["views"] == 12000
    assert detail.fields["score_brand_fit"] == 4
    assert [h.to_stage for h in detail.history] == ["shortlisted"]
    with workspace.session() as s:
        assert s.get(Collaboration, card) is not None


def test_fee_check_and_marks_follow_the_budget_rule(workspace: Workspace) -> None:
    """Fees count as the Budget area counts them (services/budget_checks): with tax when
    the fee excludes it, what was paid when that is more, and a dropped card only what
    was paid."""
    campaign = make_campaign(workspace, budget=Decimal("10000"))
    first, second = add_to_campaign(workspace, campaign, [
        make_account(workspace, "Alice"), make_account(workspace, "Bob")]).added
    update_card(workspace, first, {"agreed_fee": Decimal("5000")})
    # 4,800 + 6% tax = 5,088: over the planned 10,000, though 5,000 + 4,800 is not.
    result = update_card(workspace, second, {"agreed_fee": Decimal("4800"), "tax_included": False,
                                             "tax_rate": 0.06})
    assert result.over_budget == (Decimal("10088.00"), Decimal("10000.00"))
    marks = {c.id: c.over_budget for c in board_cards(workspace, campaign, today=TODAY)}
    assert marks == {first: False, second: True}

    # Dropping the first card frees its fee, unless it was paid; the move says which
    # other card's mark changed.
    with workspace.transaction() as s:
        s.add(Payment(collaboration_id=first, kind="deposit", amount=Decimal("5500"),
                      due_date=TODAY, paid_on=TODAY))
    moved = move(workspace, first, Stage.DROPPED)
    assert [c.id for c in moved.cards] == [first]  # still over: 5,500 paid + 5,088
    move(workspace, first, Stage.SHORTLISTED)
    with workspace.transaction() as s:
        s.execute(delete(Payment))
    moved = move(workspace, first, Stage.DROPPED, today=TODAY)
    assert [(c.id, c.stage, c.over_budget) for c in moved.cards] == [
        (first, "dropped", False), (second, "shortlisted", False)]
