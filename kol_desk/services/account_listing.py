"""Every platform account with its creator's facts and its quotes, as plain data: what
``kol-desk creators --json`` prints (and what scripts compare against agency lists)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import aliased

from kol_desk.models import Agency, Creator, PlatformAccount, Quote
from kol_desk.services.creator_filters import search_condition
from kol_desk.store.database import Workspace

__all__ = ["list_accounts"]


def _number(value: Decimal | None) -> int | float | None:
    """Money as a JSON number: whole amounts as integers, cents kept otherwise."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def list_accounts(workspace: Workspace, search: str = "") -> list[dict[str, Any]]:
    """Accounts of creators not deleted, in creation order, each with its quotes (oldest
    first). ``search`` is the Creators tab's search (nickname, handles, notes, tags and their pinyin)."""
    query = (select(PlatformAccount.id, PlatformAccount.platform, PlatformAccount.handle,
                    PlatformAccount.handle_display, PlatformAccount.nickname, Creator.nickname,
                    PlatformAccount.followers, PlatformAccount.engagement_rate, Creator.category,
                    Creator.city, PlatformAccount.profile_url, Agency.name, Creator.id,
                    Creator.notes, Creator.contact_wechat, Creator.contact_phone,
                    Creator.contact_email)
             .join(Creator, Creator.id == PlatformAccount.creator_id)
             .outerjoin(Agency, Agency.id == Creator.agency_id)
             .where(Creator.deleted_at.is_(None))
             .order_by(PlatformAccount.id))
    searched = search_condition(search, workspace.engine.dialect.name)
    if searched is not None:
        query = query.where(searched)
    source = aliased(Agency)
    quotes_query = (select(Quote.account_id, Quote.deliverable, Quote.video_length,
                           Quote.price_min, Quote.price_max, Quote.price_unknown, Quote.currency,
                           Quote.source_kind, source.name, Quote.quoted_on, Quote.raw_text,
                           Quote.discount_pct, Quote.channel)
                    .outerjoin(source, source.id == Quote.agency_id)
                    .order_by(Quote.account_id, Quote.quoted_on, Quote.id))
    with workspace.session() as session:
        accounts = session.execute(query).all()
        quotes: dict[int, list[dict[str, Any]]] = defaultdict(list)
        wanted = {a[0] for a in accounts}
        for q in session.execute(quotes_query):
            if q[0] in wanted:
                quotes[q[0]].append({
                    "deliverable": q[1], "video_length": q[2], "min": _number(q[3]),
                    "max": _number(q[4]), "unknown": bool(q[5]), "currency": q[6],
                    "source": q[8] or q[7], "source_kind": q[7],
                    "date": q[9].isoformat() if q[9] else None, "raw": q[10],
                    "discount_pct": q[11], "channel": q[12],
                })
    return [
        {"platform": a[1], "handle": a[2], "handle_display": a[3], "nickname": a[4] or a[5],
         "creator_nickname": a[5], "creator_id": a[12], "followers": a[6],
         "engagement_rate": a[7], "category": a[8], "city": a[9], "profile_url": a[10],
         "agency": a[11], "notes": a[13], "contact": a[14] or a[15] or a[16],
         "quotes": quotes.get(a[0], [])}
        for a in accounts
    ]
