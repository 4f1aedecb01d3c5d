"""Queries behind the Creators tab: one page of platform accounts at a time.

Filtering, sorting and paging happen in SQL so the table stays instant at 100k creators.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, select

from kol_desk.domain import Tier, tier_for_followers
from kol_desk.models import Creator, PlatformAccount
from kol_desk.services.search_text import normalise_for_search
from kol_desk.store.database import Workspace


@dataclass(frozen=True)
class AccountRow:
    account_id: int
    creator_id: int
    nickname: str
    platform: str
    handle: str
    followers: int | None
    engagement_rate: float | None
    category: str | None
    city: str | None
    tier: Tier | None
    risk_level: str
    blacklisted: bool


SORT_COLUMNS = {
    "nickname": Creator.nickname,
    "platform": PlatformAccount.platform,
    "handle": PlatformAccount.handle,
    "followers": PlatformAccount.followers,
    "engagement_rate": PlatformAccount.engagement_rate,
    "category": Creator.category,
    "city": Creator.city,
}


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _conditions(search: str) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [Creator.deleted_at.is_(None)]
    needle = normalise_for_search(search.strip())
    if needle:
        conditions.append(Creator.search_text.like(f"%{_escape_like(needle)}%", escape="\\"))
    return conditions


def count_accounts(workspace: Workspace, search: str = "") -> int:
    query = select(func.count()).select_from(PlatformAccount).join(Creator).where(*_conditions(search))
    with workspace.session() as session:
        return int(session.scalar(query) or 0)


def fetch_accounts(
    workspace: Workspace,
    offset: int,
    limit: int,
    search: str = "",
    sort: str = "followers",
    descending: bool = True,
) -> list[AccountRow]:
    column = SORT_COLUMNS.get(sort, PlatformAccount.followers)
    order = column.desc().nulls_last() if descending else column.asc().nulls_last()
    query = (
        select(
            PlatformAccount.id, Creator.id, Creator.nickname, PlatformAccount.platform,
            PlatformAccount.handle_display, PlatformAccount.followers,
            PlatformAccount.engagement_rate, Creator.category, Creator.city,
            Creator.tier_override, Creator.risk_level, Creator.blacklisted,
        )
        .join(Creator, PlatformAccount.creator_id == Creator.id)
        .where(*_conditions(search))
        .order_by(order, PlatformAccount.id)
        .offset(offset)
        .limit(limit)
    )
    with workspace.session() as session:
        rows = session.execute(query).all()
    return [
        AccountRow(
            account_id=r[0], creator_id=r[1], nickname=r[2], platform=r[3], handle=r[4],
            followers=r[5], engagement_rate=r[6], category=r[7], city=r[8],
            tier=Tier(r[9]) if r[9] else tier_for_followers(r[5]),
            risk_level=r[10], blacklisted=r[11],
        )
        for r in rows
    ]
