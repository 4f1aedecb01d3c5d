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

from kol_desk.domain import RiskLevel
from kol_desk.errors import N_
from kol_desk.exporting.stream import stream_table
from kol_desk.exporting.xlsx import ExportColumn, XlsxExport
from kol_desk.i18n import tr
from kol_desk.labels import platform_label, risk_label, tier_label
from kol_desk.models import Agency, Creator, PlatformAccount, Quote
from kol_desk.services.creator_filters import search_condition
from kol_desk.services.quote_prices import on_basis
from kol_desk.services.tiers import thresholds_of, tier_key
from kol_desk.store.database import Workspace

Progress = Callable[[int, int], None]
CHUNK = 2000

COLUMNS: list[tuple[str, str]] = [
    (N_("Creator"), "text"), (N_("Platform"), "text"), (N_("Account"), "text"),
    (N_("Profile link"), "text"), (N_("Followers"), "int"), (N_("Average views"), "int"),
    (N_("Engagement rate"), "percent"), (N_("Tier"), "text"), (N_("Category"), "text"),
    (N_("City"), "text"), (N_("Agency"), "text"), (N_("Latest quote (after discount, incl. tax): low"), "money"),
    (N_("Latest quote (after discount, incl. tax): high"), "money"),
    (N_("Quoted on"), "date"), (N_("Internal rating"), "decimal"), (N_("Risk"), "text"),
    (N_("Blacklisted"), "text"), (N_("Notes"), "text"),
]


def _query(search: str, dialect: str) -> Any:
    query = (
        select(Creator.nickname, PlatformAccount.platform, PlatformAccount.handle_display,
               PlatformAccount.profile_url, PlatformAccount.followers, PlatformAccount.avg_views,
               PlatformAccount.engagement_rate, Creator.tier_override, Creator.category,
               Creator.city, Agency.name, Creator.rating, Creator.risk_level,
               Creator.blacklisted, Creator.notes)
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


def _latest_quotes() -> Any:
    """The newest priced quote of every account (``services.quote_prices``: by date, then
    the last recorded): one grouped subquery joined to the list (per-chunk queries with
    2,000 ids each scanned the quotes table once per chunk, most of the export's database
    time)."""
    priced = (Quote.price_min.is_not(None), Quote.price_unknown.is_(False))
    newest_day = (select(Quote.account_id, func.max(Quote.quoted_on).label("day"))
                  .where(*priced).group_by(Quote.account_id).subquery())
    newest = (select(func.max(Quote.id).label("id"))
              .join(newest_day, (newest_day.c.account_id == Quote.account_id)
                    & (newest_day.c.day == Quote.quoted_on))
              .where(*priced).group_by(Quote.account_id).subquery())
    return (select(Quote.account_id, Quote.price_min.label("low"), Quote.price_max.label("high"),
                   Quote.tax_included, Quote.discount_pct, Quote.quoted_on.label("day"))
            .join(newest, newest.c.id == Quote.id).subquery())


def creator_rows(workspace: Workspace, search: str = "", progress: Progress | None = None,
                 total: int | None = None) -> Iterator[list[Any]]:
    """The export's rows, read in chunks; ``progress(done, total)`` every chunk."""
    dialect = workspace.engine.dialect.name
    quotes = _latest_quotes()
    query = (_query(search, dialect).add_columns(quotes.c.low, quotes.c.high, quotes.c.tax_included,
                                                 quotes.c.discount_pct, quotes.c.day)
             .outerjoin(quotes, quotes.c.account_id == PlatformAccount.id))
    done = 0
    # Labels repeat on every row: translate each once.
    platforms: dict[str, str] = {}
    tiers: dict[str | None, str] = {}
    risks = {level.value: risk_label(level) for level in RiskLevel}  # a NULL risk stays blank
    yes = tr("Yes")
    with workspace.session() as session:
        thresholds = thresholds_of(session)
        # Core rows through the session's connection: the ORM's per-row loading is not
        # needed for plain columns.
        result = session.connection().execution_options(yield_per=CHUNK).execute(query)
        for chunk in result.partitions():
            for (nickname, platform_key, handle, url, followers, views, rate, override, category, city,
                 agency, rating, risk, blacklisted, notes, low, high, tax_included, discount,
                 day) in chunk:
                if tax_included is False or discount:  # the others are on the basis already
                    price = on_basis(low, high, tax_included, discount_pct=discount)
                    low, high = (price.low, price.high) if price else (None, None)
                tier = tier_key(followers, platform_key, override, thresholds)
                platform = platforms.get(platform_key)
                if platform is None:
                    platform = platforms[platform_key] = platform_label(platform_key)
                tier_text = tiers.get(tier)
                if tier_text is None:
                    tier_text = tiers[tier] = tier_label(tier)
                yield [nickname, platform, handle, url, followers, views, rate, tier_text, category, city,
                       agency, low, high, day, rating, risks.get(risk, risk), yes if blacklisted else None, notes]
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

