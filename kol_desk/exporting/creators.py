"""The creator list export: one line per platform account, streamed.

100,000 accounts must not mean 100,000 objects in memory: rows come from the database in
chunks (``yield_per``) and go straight into XlsxWriter's constant-memory writer, so memory
stays flat however long the list grows. The latest priced quote of each account comes
from one grouped query per chunk, not one query per row.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

from sqlalchemy import func, select

from kol_desk.domain import tier_for_followers
from kol_desk.exporting.stream import stream_table
from kol_desk.exporting.xlsx import ExportColumn, XlsxExport
from kol_desk.i18n import tr
from kol_desk.models import Agency, Creator, PlatformAccount, Quote
from kol_desk.services.creator_filters import search_condition
from kol_desk.services.report_findings import N_
from kol_desk.services.reports import platform_name, tier_name
from kol_desk.store.database import Workspace

Progress = Callable[[int, int], None]
CHUNK = 2000

COLUMNS: list[tuple[str, str]] = [
    (N_("Creator"), "text"), (N_("Platform"), "text"), (N_("Account"), "text"),
    (N_("Profile link"), "text"), (N_("Followers"), "int"), (N_("Average views"), "int"),
    (N_("Engagement rate"), "percent"), (N_("Tier"), "text"), (N_("Category"), "text"),
    (N_("City"), "text"), (N_("Agency"), "text"), (N_("Latest quote"), "money"),
    (N_("Quoted on"), "date"), (N_("Internal rating"), "decimal"), (N_("Risk"), "text"),
    (N_("Blacklisted"), "text"), (N_("Notes"), "text"),
]
_RISK = {"none": N_("None"), "low": N_("Low"), "medium": N_("Medium"), "high": N_("High")}


def _query(search: str, dialect: str) -> Any:
    query = (
        select(Creator.nickname, PlatformAccount.platform, PlatformAccount.handle_display,
               PlatformAccount.profile_url, PlatformAccount.followers, PlatformAccount.avg_views,
               PlatformAccount.engagement_rate, Creator.tier_override, Creator.category,
               Creator.city, Agency.name, Creator.rating, Creator.risk_level,
               Creator.blacklisted, Creator.notes, PlatformAccount.id)
        .join(Creator, Creator.id == PlatformAccount.creator_id)
        .outerjoin(Agency, Agency.id == Creator.agency_id)
        .where(Creator.deleted_at.is_(None))
        .order_by(PlatformAccount.followers.desc().nulls_last(), PlatformAccount.id)
    )
    condition = search_condition(search, dialect)
    if condition is not None:
        query = query.where(condition)
    return query


def count_creator_rows(workspace: Workspace, search: str = "") -> int:
    dialect = workspace.engine.dialect.name
    inner = _query(search, dialect).order_by(None).subquery()
    with workspace.session() as session:
        return int(session.scalar(select(func.count()).select_from(inner)) or 0)


def _latest_quotes(session: Any, account_ids: list[int]) -> dict[int, tuple[Any, Any]]:
    """(price, date) of the newest priced quote of each account."""
    newest = (select(Quote.account_id, func.max(Quote.quoted_on).label("day"))
              .where(Quote.account_id.in_(account_ids), Quote.price_min.is_not(None))
              .group_by(Quote.account_id).subquery())
    rows = session.execute(
        select(Quote.account_id, func.min(Quote.price_min), newest.c.day)
        .join(newest, (newest.c.account_id == Quote.account_id) & (newest.c.day == Quote.quoted_on))
        .where(Quote.price_min.is_not(None))
        .group_by(Quote.account_id, newest.c.day))
    return {account_id: (price, day) for account_id, price, day in rows}


def creator_rows(workspace: Workspace, search: str = "", progress: Progress | None = None,
                 total: int | None = None) -> Iterator[list[Any]]:
    """The export's rows, read in chunks; ``progress(done, total)`` every chunk."""
    dialect = workspace.engine.dialect.name
    done = 0
    # Labels repeat on every row: translate each once.
    platforms: dict[str, str] = {}
    tiers: dict[str | None, str] = {}
    risks = {key: tr(label) for key, label in _RISK.items()}
    yes = tr("Yes")
    with workspace.session() as session:
        result = session.execute(_query(search, dialect).execution_options(yield_per=CHUNK))
        for chunk in result.partitions():
            quotes = _latest_quotes(session, [r[15] for r in chunk])
            for r in chunk:
                tier = r[7] or (t.value if (t := tier_for_followers(r[4])) else None)
                price, day = quotes.get(r[15], (None, None))
                platform = platforms.get(r[1])
                if platform is None:
                    platform = platforms[r[1]] = platform_name(r[1])
                tier_text = tiers.get(tier)
                if tier_text is None:
                    tier_text = tiers[tier] = tier_name(tier)
                yield [r[0], platform, r[2], r[3], r[4], r[5], r[6], tier_text,
                       r[8], r[9], r[10], price, day, r[11], risks.get(r[12], r[12]),
                       yes if r[13] else None, r[14]]
            done += len(chunk)
            if progress is not None:
                progress(done, total or done)


def write_creators(workspace: Workspace, path: str | os.PathLike[str], search: str = "",
                   progress: Progress | None = None) -> int:
    """Write the creator list (filtered by ``search`` like the Creators tab); returns rows."""
    total = count_creator_rows(workspace, search) if progress is not None else None
    columns = [ExportColumn(tr(title), kind) for title, kind in COLUMNS]  # type: ignore[arg-type]
    subtitle = tr("Search: {search}", search=search) if search.strip() else tr("All creators")
    with XlsxExport(path) as export:
        info = stream_table(export, tr("Creators"), columns, creator_rows(workspace, search, progress, total),
                            title=tr("Creator list"), subtitle=subtitle)
        rows = info.last_row - info.header_row
    return rows

