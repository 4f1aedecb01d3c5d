"""The money facts of a scripted quarter, exact to the cent (worked out by hand)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from kol_desk.services import budget_ledger
from kol_desk.services.budget import (
    ALLOCATED,
    COMMITTED,
    RESERVE,
    SPENT,
    one_period,
    period_money,
    records,
)
from kol_desk.services.budget_settings import set_near_percent
from kol_desk.store.database import Workspace
from tests.budget_scenario import build

D = Decimal
TODAY = date(2026, 11, 28)


def test_money_facts_of_the_scripted_quarter(workspace: Workspace) -> None:
    s = build(workspace)
    [period] = period_money(workspace, TODAY)
    by_name = {c.name: c for c in period.campaigns}
    a, b, c = by_name["A 冬季新品"], by_name["B 双十二"], by_name["C 快闪"]
    # A: 50,000 - 5,000 moved to B. Committed: A1 balance 7,000 + A2 balance 500.25 + its
    # remaining tax 65.04. Spent: A1 deposit 3,000 + A2 deposit 500.25 + 65.03 + A3 1,000.
    assert (a.allocated, a.committed, a.spent) == (D("45000.00"), D("7565.29"), D("4565.28"))
    assert a.remaining == D("32869.43") and a.level == "ok"
    # B: 30,000 + 5,000 + 3,000 from the reserve; 35,000 used of 38,000 = 92 % -> near.
    assert (b.allocated, b.committed, b.spent, b.remaining) == (
        D("38000.00"), D("20000.00"), D("15000.00"), D("3000.00"))
    assert b.level == "near"
    # C was never allocated: its fee still counts, and it is over.
    assert (c.allocated, c.committed, c.spent, c.remaining) == (
        D("0.00"), D("2000.00"), D("0.00"), D("-2000.00"))
    assert c.level == "over"
    assert (period.total, period.reserve, period.reserve_used, period.reserve_left) == (
        D("100000.00"), D("10000.00"), D("3000.00"), D("7000.00"))
    assert period.allocated == D("83000.00")
    assert period.unallocated == D("10000.00")  # 100,000 - 10,000 reserve - 80,000
    assert (period.committed, period.spent) == (D("29565.29"), D("19565.28"))
    assert period.remaining == D("33869.43")
    assert period.left == D("50869.43")
    assert s.period_id == period.period_id


def test_drill_down_lists_exactly_the_records_behind_a_figure(workspace: Workspace) -> None:
    s = build(workspace)
    [period] = period_money(workspace, TODAY)
    spent_a = records(workspace, period.period_id, SPENT, s.a, TODAY)
    assert sorted(line.amount for line in spent_a) == [D("565.28"), D("1000.00"), D("3000.00")]
    assert {line.what for line in spent_a} == {"小鹿 · deposit", "Momo · deposit", "阿杰 · deposit"}
    assert "FP-001" in next(line.reference for line in spent_a if line.what.startswith("小鹿"))
    allocated_b = period.records(ALLOCATED, s.b)
    assert sorted(line.amount for line in allocated_b) == [D("3000.00"), D("5000.00"), D("30000.00")]
    assert [line.what for line in period.records(RESERVE)] == ["热点追投"]
    transfer = [line for line in period.records(ALLOCATED) if line.reference == s.transfer_id]
    assert sorted(line.amount for line in transfer) == [D("-5000.00"), D("5000.00")]
    # The sums in SQL and the records listed one by one agree, for every figure.
    detailed = one_period(workspace, period.period_id, TODAY)
    assert detailed is not None and detailed.campaigns == period.campaigns
    for campaign in period.campaigns:
        for figure, value in ((ALLOCATED, campaign.allocated), (COMMITTED, campaign.committed),
                              (SPENT, campaign.spent)):
            listed = records(workspace, period.period_id, figure, campaign.campaign_id, TODAY)
            assert listed == detailed.records(figure, campaign.campaign_id)
            assert sum((line.amount for line in listed), D(0)) == value
    with pytest.raises(ValueError):
        period.records(COMMITTED)


def test_near_level_follows_the_workspace_setting(workspace: Workspace) -> None:
    build(workspace)
    set_near_percent(workspace, D("95"))
    [period] = period_money(workspace, TODAY)
    assert {c.name: c.level for c in period.campaigns}["B 双十二"] == "ok"


def test_ledger_refuses_what_would_hide_a_mistake(workspace: Workspace) -> None:
    s = build(workspace)
    with pytest.raises(budget_ledger.BudgetError, match=r"only 7000\.00 left"):
        budget_ledger.draw_from_reserve(workspace, s.period_id, s.c, D("7000.01"), TODAY, "more")
    with pytest.raises(budget_ledger.BudgetError, match="reason"):
        budget_ledger.allocate(workspace, s.period_id, s.c, D("100"), TODAY, "  ")
    with pytest.raises(budget_ledger.BudgetError, match="two decimals"):
        budget_ledger.allocate(workspace, s.period_id, s.c, D("1.005"), TODAY, "x")
    budget_ledger.draw_from_reserve(workspace, s.period_id, s.c, D("7000.00"), TODAY, "C 热点")
    [period] = period_money(workspace, TODAY)
    assert period.reserve_left == D("0.00")
    assert {c.name: c.level for c in period.campaigns}["C 快闪"] == "ok"
