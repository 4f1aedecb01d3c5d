"""Small, real records for the campaign and board tests (written through the ORM into the
test's own SQLite file)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from kol_desk.models import BudgetEntry, BudgetPeriod, Campaign, Creator, PlatformAccount, Quote
from kol_desk.store.database import Workspace


def make_campaign(workspace: Workspace, name: str = "Spring launch", **values: object) -> int:
    with workspace.transaction() as session:
        defaults: dict[str, object] = {
            "brand": "Acme", "objective": "launch", "start_date": date(2026, 11, 1),
            "end_date": date(2026, 12, 31), "budget": Decimal("100000"), "owner": "Li"}
        campaign = Campaign(name=name, **{**defaults, **values})
        session.add(campaign)
        session.flush()
        return campaign.id


def make_account(
    workspace: Workspace,
    nickname: str,
    *,
    platform: str = "xiaohongshu",
    followers: int = 250_000,
    price: str | None = "8000",
    blacklisted: bool = False,
    risk_level: str = "none",
) -> int:
    with workspace.transaction() as session:
        creator = Creator(nickname=nickname, search_text=nickname.lower(),
                          blacklisted=blacklisted, risk_level=risk_level,
                          blacklist_reason="deleted a post" if blacklisted else None,
                          risk_reason="fake followers" if risk_level != "none" else None)
        account = PlatformAccount(platform=platform, handle=nickname.lower(),
                                  handle_display=nickname, nickname=nickname,
                                  followers=followers)
        creator.accounts.append(account)
        session.add(creator)
        session.flush()
        if price is not None:
            session.add(Quote(account_id=account.id, deliverable="video",
                              price_min=Decimal(price), price_max=Decimal(price),
                              quoted_on=date(2026, 10, 1)))
        return account.id


def make_allocated_card(workspace: Workspace, nickname: str = "Erin") -> tuple[int, int]:
    """A campaign with ¥100,000 allocated from a 2026 budget and one card on it:
    (campaign id, card id)."""
    from kol_desk.services.shortlist import add_to_campaign

    campaign = make_campaign(workspace, start_date=date(2026, 11, 1))
    card = add_to_campaign(workspace, campaign, [make_account(workspace, nickname)]).added[0]
    with workspace.transaction() as session:
        period = BudgetPeriod(name="2026", kind="year", start_date=date(2026, 1, 1),
                              end_date=date(2026, 12, 31), total=Decimal("500000"), reserve=Decimal(0))
        session.add(period)
        session.flush()
        session.add(BudgetEntry(period_id=period.id, campaign_id=campaign, amount=Decimal("100000"),
                                entry_date=date(2026, 1, 2)))
    return campaign, card
