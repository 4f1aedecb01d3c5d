"""A scripted budget quarter (real records through the services and the ORM), shared by
the budget service, UI and export tests. The expected figures are worked out by hand in
tests/services/test_budget.py."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from kol_desk.models import Campaign, Collaboration, Creator, Payment, PlatformAccount
from kol_desk.services import budget_ledger, payments
from kol_desk.store.database import Workspace

D = Decimal


@dataclass
class Scenario:
    period_id: int
    a: int  # campaign ids
    b: int
    c: int
    a1: int  # collaboration ids
    a2: int
    a3: int
    b1: int
    b3: int
    c1: int
    a1_balance: int  # payment ids
    a2_balance: int
    transfer_id: str


def _campaign(workspace: Workspace, name: str, start: date, end: date) -> int:
    with workspace.transaction() as session:
        campaign = Campaign(name=name, brand="Acme", objective="launch", start_date=start,
                            end_date=end, budget=D("50000"))
        session.add(campaign)
        session.flush()
        return campaign.id


def _collab(workspace: Workspace, campaign_id: int, nickname: str, platform: str, followers: int,
            fee: str | None, *, included: bool = True, rate: float | None = 0.06,
            stage: str = "contracted") -> int:
    with workspace.transaction() as session:
        creator = Creator(nickname=nickname, search_text=nickname)
        account = PlatformAccount(platform=platform, handle=nickname.lower(),
                                  handle_display=nickname, nickname=nickname, followers=followers)
        creator.accounts.append(account)
        session.add(creator)
        session.flush()
        collab = Collaboration(campaign_id=campaign_id, account_id=account.id,
                               creator_id=creator.id, stage=stage,
                               agreed_fee=D(fee) if fee else None, tax_included=included,
                               tax_rate=rate)
        session.add(collab)
        session.flush()
        return collab.id


def _paid_deposit(workspace: Workspace, collab_id: int, amount: str, on: date) -> None:
    with workspace.transaction() as session:
        session.add(Payment(collaboration_id=collab_id, kind="deposit", amount=D(amount),
                            due_date=on, paid_on=on, method="对公转账", invoice_no="FP-A3"))


def build(workspace: Workspace) -> Scenario:
    period = budget_ledger.create_period(workspace, "2026 Q4 KOL", "quarter", date(2026, 10, 1),
                                         date(2026, 12, 31), D("100000"), D("10000"))
    a = _campaign(workspace, "A 冬季新品", date(2026, 10, 1), date(2026, 11, 30))
    b = _campaign(workspace, "B 双十二", date(2026, 11, 1), date(2026, 12, 31))
    c = _campaign(workspace, "C 快闪", date(2026, 11, 15), date(2026, 12, 15))
    budget_ledger.allocate(workspace, period, a, D("50000"), date(2026, 10, 1), "季度分配")
    budget_ledger.allocate(workspace, period, b, D("30000"), date(2026, 10, 1), "季度分配")
    transfer_id = budget_ledger.transfer(workspace, period, a, b, D("5000"), date(2026, 11, 2),
                                         "B needs more Douyin")
    budget_ledger.draw_from_reserve(workspace, period, b, D("3000"), date(2026, 11, 10), "热点追投")

    # A1: 10,000 tax included, 30 % deposit paid, balance open.
    a1 = _collab(workspace, a, "小鹿", "xiaohongshu", 250_000, "10000")
    a1_ids = payments.set_payment_plan(workspace, a1, [
        ("deposit", D("3000"), date(2026, 10, 10)), ("balance", D("7000"), date(2026, 11, 25))])
    payments.mark_paid(workspace, a1_ids[0], date(2026, 10, 12), "对公转账", "FP-001")
    # A2: 1,000.50 tax exclusive at 13 %: tax 130.065 -> 130.07 (half-up); 50/50 split, the
    # deposit's tax 65.0325 -> 65.03, the balance takes the remaining 65.04.
    a2 = _collab(workspace, a, "Momo", "douyin", 2_000_000, "1000.50", included=False, rate=0.13)
    a2_ids = payments.set_payment_plan(workspace, a2, [
        ("deposit", D("500.25"), date(2026, 10, 20)), ("balance", D("500.25"), date(2026, 12, 1))])
    payments.mark_paid(workspace, a2_ids[0], date(2026, 10, 21), "支付宝", "FP-002")
    # A3: dropped after a 1,000 deposit was paid: spent stays, nothing committed.
    a3 = _collab(workspace, a, "阿杰", "bilibili", 50_000, "5000", stage="dropped")
    _paid_deposit(workspace, a3, "1000", date(2026, 10, 5))
    # B1: 20,000 agreed, no plan yet. B3: 15,000 paid in full.
    b1 = _collab(workspace, b, "大橙子", "douyin", 5_000_000, "20000")
    b3 = _collab(workspace, b, "Lily", "xiaohongshu", 80_000, "15000", stage="paid")
    b3_ids = payments.set_payment_plan(workspace, b3, [("full", D("15000"), date(2026, 11, 20))])
    payments.mark_paid(workspace, b3_ids[0], date(2026, 11, 18), "对公转账", "FP-003")
    _collab(workspace, b, "未定", "weibo", 10_000, None, stage="shortlisted")
    # C: never allocated, 2,000 agreed.
    c1 = _collab(workspace, c, "Coco", "kuaishou", 300_000, "2000")
    return Scenario(period, a, b, c, a1, a2, a3, b1, b3, c1, a1_ids[1], a2_ids[1], transfer_id)
