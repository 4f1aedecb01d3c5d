"""Queries behind the Creators tab: one page of rows at a time, over platform accounts
(one row per account) or creators (one row per creator, shown by its largest account).

Filtering, sorting and paging happen in SQL so the table stays instant at 100k
creators; the per-row extras (latest quotes, platforms, last collaboration) are fetched
for the one page being shown.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    String,
    TextClause,
    and_,
    bindparam,
    case,
    exists,
    func,
    literal,
    or_,
    select,
    text,
)
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, aliased

from kol_desk.domain import DEFAULT_TIER_THRESHOLDS, Deliverable, Tier
from kol_desk.metrics import cpe
from kol_desk.models import (
    Agency,
    Campaign,
    Collaboration,
    Creator,
    PlatformAccount,
    Quote,
)
from kol_desk.services.creator_filters import (
    TIER_ORDER,
    CreatorFilter,
    SearchPlan,
    filter_conditions,
    index_lookup,
    search_needle,
    tier_rank_expression,
    uses_fts,
)
from kol_desk.services.quote_prices import QUOTE_VAT, Price, on_basis
from kol_desk.services.tiers import Thresholds, tier_of, tier_thresholds
from kol_desk.services.tiers import thresholds_of as _thresholds
from kol_desk.store.database import Workspace
from kol_desk.store.team import text_order

# A search the index finds this many creators for walks the sort's index (many rows
# match near its start); fewer, and reading the matches then sorting them is quicker. At
# 100k creators "lun" (8.8k matches) takes 6 ms walking, 48 ms the other way; "小桃子"
# (247) 3 ms the other way, 70 ms walking.
FTS_WALK_MATCHES = 1000
# CPU seconds a 1–2 character search found that often may spend walking the sort's index
# before it reads its matches first instead: the other filters can leave it few rows,
# and a walk through every account costs 250 ms at 100k; a common term ("鱼", "yu")
# finds its page within 1–7 ms. CPU time of the worker's own thread, so others' load
# does not change the plan; VM step counts were no measure (LIKE and index seeks hardly
# count).
LIKE_WALK_CPU = 0.008


@dataclass(frozen=True)
class AccountRow:
    account_id: int | None  # None for a creator without any account (creator mode)
    creator_id: int
    nickname: str
    platform: str | None
    handle: str | None
    followers: int | None
    engagement_rate: float | None
    category: str | None
    city: str | None
    tier: Tier | None
    risk_level: str
    blacklisted: bool
    avg_engagements: int | None = None
    agency: str | None = None
    rating: float | None = None
    platforms: tuple[str, ...] = ()
    # Latest priced quote per deliverable key, tax included: (low, high or None for "from").
    latest_quotes: dict[str, tuple[Decimal, Decimal | None]] = field(default_factory=dict)
    latest_price: Price | None = None  # the newest priced quote of any deliverable
    latest_quote_deliverable: str | None = None
    last_collaboration: date | None = None
    last_campaign: str | None = None

    @property
    def latest_quote(self) -> Decimal | None:
        """The latest price as one number (the middle of its range), to sort and divide."""
        return self.latest_price.midpoint if self.latest_price else None

    @property
    def expected_cpe(self) -> Decimal | None:
        """Expected CPE = latest quote / average engagements (the CPE formula on the
        price asked now and the engagement the account usually gets)."""
        return cpe(self.latest_quote, self.avg_engagements)


# -- the list -----------------------------------------------------------------------------

class QueryStopped(Exception):
    """The list query was stopped (``Stop.stop``) before it finished."""


class Stop:
    """Lets another thread stop a list query running on a worker, when a newer query has
    made its answer useless: reading 130k ids takes half a second of CPU that the next
    keystroke's page needs. SQLite's interrupt, PostgreSQL's cancel."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._driver: Any = None  # the DB-API connection running the query
        self.stopped = False

    def stop(self) -> None:
        with self._lock:
            self.stopped = True
            if self._driver is not None:
                if isinstance(self._driver, sqlite3.Connection):
                    self._driver.interrupt()
                else:
                    self._driver.cancel()  # psycopg

    @contextmanager
    def watching(self, session: Session) -> Iterator[None]:
        driver = session.connection().connection.driver_connection
        with self._lock:
            if self.stopped:
                raise QueryStopped
            self._driver = driver
        try:
            yield
        except DBAPIError as exc:
            if self.stopped:
                raise QueryStopped from exc
            raise
        finally:
            with self._lock:
                self._driver = None


class _WalkTooLong(Exception):
    """The walk of the sort's index used up its CPU budget."""


@contextmanager
def _cpu_budget(session: Session, seconds: float) -> Iterator[None]:
    """SQLite stops the statement (as an interrupt) once this thread has spent
    ``seconds`` of CPU on it; raises _WalkTooLong then."""
    driver: Any = session.connection().connection.driver_connection
    deadline: float | None = None  # from the first step: building the statement is not SQL
    spent = False

    def progress() -> int:
        nonlocal deadline, spent
        now = time.thread_time()
        if deadline is None:
            deadline = now + seconds
        spent = now > deadline
        return int(spent)

    driver.set_progress_handler(progress, 1000)
    try:
        yield
    except DBAPIError as exc:
        if spent:
            raise _WalkTooLong from exc
        raise
    finally:
        driver.set_progress_handler(None, 1000)


@cache
def _count_query(found: str) -> TextClause:
    return text(f"SELECT count(*) FROM (SELECT 1 FROM ({found}) LIMIT :limit)")


def _search_plan(session: Session, needle: str) -> SearchPlan:
    """The search's plan by how many creators the index finds for it (counting to
    FTS_WALK_MATCHES takes under a millisecond). For a 1–2 character term the count is
    of index entries, one per place it occurs: it can only err towards walking."""
    found, params = index_lookup(needle)
    count = session.scalar(_count_query(found), {**params, "limit": FTS_WALK_MATCHES})
    return "walk" if (count or 0) >= FTS_WALK_MATCHES else "matches"


@contextmanager
def _watched(session: Session, stop: Stop | None) -> Iterator[None]:
    if stop is None:
        yield
    else:
        with stop.watching(session):
            yield


def _basis_middle() -> ColumnElement[Any]:
    """SQL: the middle of a quote's range after its discount, on the one tax basis
    (``quote_prices``), to sort by; rounding to the cent does not change an order."""
    middle = (Quote.price_min + func.coalesce(Quote.price_max, Quote.price_min)) / 2
    paid = 1 - func.coalesce(Quote.discount_pct, literal(0.0)) / 100
    return middle * paid * case((Quote.tax_included.is_(False), literal(float(1 + QUOTE_VAT))),
                                else_=literal(1.0))


def _latest_any_price() -> ColumnElement[Any]:
    """SQL: the value of the account's newest priced quote, for sorting."""
    value = _basis_middle()
    return (
        select(value)
        .where(Quote.account_id == PlatformAccount.id, Quote.price_unknown.is_(False),
               Quote.price_min.is_not(None))
        .order_by(Quote.quoted_on.desc(), Quote.id.desc())
        .limit(1)
        .correlate(PlatformAccount)
        .scalar_subquery()
    )


def _latest_price_of(deliverable: str) -> ColumnElement[Any]:
    value = _basis_middle()
    return (
        select(value)
        .where(Quote.account_id == PlatformAccount.id, Quote.deliverable == deliverable,
               Quote.price_unknown.is_(False), Quote.price_min.is_not(None))
        .order_by(Quote.quoted_on.desc(), Quote.id.desc())
        .limit(1)
        .correlate(PlatformAccount)
        .scalar_subquery()
    )


def _sort_expression(sort: str, thresholds: Thresholds) -> ColumnElement[Any]:
    simple: dict[str, Any] = {
        "nickname": Creator.nickname,
        "platform": PlatformAccount.platform,
        "handle": PlatformAccount.handle,
        "followers": PlatformAccount.followers,
        "engagement_rate": PlatformAccount.engagement_rate,
        "category": Creator.category,
        "city": Creator.city,
        "agency": Agency.name,
        "rating": Creator.rating,
        "risk": case((Creator.blacklisted.is_(True), 10), else_=0) + _risk_rank(),
    }
    if sort in simple:
        return simple[sort]  # type: ignore[no-any-return]
    if sort == "tier":
        return tier_rank_expression(thresholds)
    if sort == "latest_quote":
        return _latest_any_price()
    if sort.startswith("quote:"):
        return _latest_price_of(sort.removeprefix("quote:"))
    if sort == "expected_cpe":
        return _latest_any_price() / func.nullif(PlatformAccount.avg_engagements, 0)
    if sort == "last_collaboration":
        return (select(func.max(Collaboration.created_at))
                .where(Collaboration.creator_id == Creator.id, Collaboration.stage != "dropped")
                .correlate(Creator).scalar_subquery())
    followers: ColumnElement[Any] = PlatformAccount.followers.expression
    return followers


def _risk_rank() -> ColumnElement[Any]:
    return case((Creator.risk_level == "low", 1), (Creator.risk_level == "medium", 2),
                (Creator.risk_level == "high", 3), else_=0)


def _base_query(columns: list[Any], by_creator: bool) -> Select[Any]:
    query = select(*columns).select_from(PlatformAccount).join(
        Creator, PlatformAccount.creator_id == Creator.id)
    if by_creator:
        # One row per creator: its largest account (the one its tier comes from), i.e.
        # the account no sibling beats. Written as NOT EXISTS so a sorted page walks the
        # sort's index and stops after a page (40 ms at 100k; a correlated "pick the
        # largest" join took a second). Every creator has an account: the UI and the
        # import create creators with their first account.
        bigger = aliased(PlatformAccount)
        mine, theirs = (func.coalesce(PlatformAccount.followers, -1),
                        func.coalesce(bigger.followers, -1))
        query = query.where(~exists().where(
            bigger.creator_id == PlatformAccount.creator_id,
            or_(theirs > mine, and_(theirs == mine, bigger.id < PlatformAccount.id))))
    return query


def _filter(search: str, filters: CreatorFilter | None) -> CreatorFilter:
    flt = filters or CreatorFilter()
    return flt.with_search(search) if search and not flt.search else flt


def count_accounts(
    workspace: Workspace,
    search: str = "",
    *,
    filters: CreatorFilter | None = None,
    by_creator: bool = False,
) -> int:
    """How many rows the list has under this search and these filters."""
    flt = _filter(search, filters)
    thresholds = tier_thresholds(workspace) if flt.tiers else {"": DEFAULT_TIER_THRESHOLDS}
    conditions = filter_conditions(flt, workspace.engine.dialect.name, thresholds, by_creator)
    uses_account = _uses_account_columns(flt)
    if by_creator and not uses_account:
        # Counting creators that have an account needs no "largest account" test.
        query = select(func.count()).select_from(Creator).where(
            *conditions, exists().where(PlatformAccount.creator_id == Creator.id))
    else:
        query = _base_query([func.count()], by_creator).where(*conditions)
    with workspace.session() as session:
        return int(session.scalar(query) or 0)


def _uses_account_columns(flt: CreatorFilter) -> bool:
    return bool(flt.tiers or flt.followers_min is not None or flt.followers_max is not None
                or flt.engagement_min is not None or flt.engagement_max is not None
                or flt.price_min is not None or flt.price_max is not None)


def _order(workspace: Workspace, key: ColumnElement[Any], descending: bool) -> list[Any]:
    """Unknown values last in both directions, ties by account id (a stable order)."""
    if isinstance(key.type, String):
        key = text_order(key)  # the same order on SQLite and PostgreSQL
    if descending:
        # SQLite sorts NULL lowest, so DESC already puts it last, and a plain DESC can
        # walk an index; PostgreSQL needs to be told.
        order = key.desc() if workspace.is_sqlite else key.desc().nulls_last()
    else:
        order = key.asc().nulls_last()
    return [order, PlatformAccount.id]


_ROW_COLUMNS = (
    PlatformAccount.id, Creator.id, Creator.nickname, PlatformAccount.platform,
    PlatformAccount.handle_display, PlatformAccount.followers,
    PlatformAccount.engagement_rate, Creator.category, Creator.city,
    Creator.tier_override, Creator.risk_level, Creator.blacklisted,
    PlatformAccount.avg_engagements, Agency.name, Creator.rating,
)


def fetch_accounts(
    workspace: Workspace,
    offset: int,
    limit: int,
    search: str = "",
    sort: str = "followers",
    descending: bool = True,
    *,
    filters: CreatorFilter | None = None,
    by_creator: bool = False,
    stop: Stop | None = None,
) -> list[AccountRow]:
    """One page of the list, sorted in SQL (unknown values last in both directions).
    Raises QueryStopped when ``stop`` is used while it runs."""
    flt = _filter(search, filters)
    # One session for everything: a second one (for the thresholds) costs a worker
    # more than the read itself when the GUI thread holds the GIL.
    dialect = workspace.engine.dialect.name
    needle = search_needle(flt.search)
    with workspace.session() as session, _watched(session, stop):
        thresholds = _thresholds(session)

        def page(plan: SearchPlan) -> Sequence[Any]:
            conditions = filter_conditions(flt, dialect, thresholds, by_creator, search_plan=plan)
            query = (
                _base_query(list(_ROW_COLUMNS), by_creator)
                .outerjoin(Agency, Agency.id == Creator.agency_id)
                .where(*conditions)
                .order_by(*_order(workspace, _sort_expression(sort, thresholds), descending))
                .offset(offset)
                .limit(limit)
            )
            return session.execute(query).all()

        plan = _search_plan(session, needle) if needle and dialect == "sqlite" else ""
        if plan == "walk" and not uses_fts(needle, dialect):
            try:
                with _cpu_budget(session, LIKE_WALK_CPU):
                    rows = page("walk")
            except _WalkTooLong:
                rows = page("matches")
        else:
            rows = page(plan)
        return _account_rows(session, rows, thresholds, by_creator)


# SQLite documents no order for an aggregate's rows before 3.44. These releases are proven
# (tests/services/test_creators_list.py, every sort, filter and mode) to take an ordered
# subquery's rows in its order, which spares numbering them (~85 ms of 130k rows); any
# other release numbers the rows with row_number() and puts the ids in that order.
ORDERED_AGGREGATE = frozenset({(3, 40)})


def account_ids(
    workspace: Workspace,
    search: str = "",
    sort: str = "followers",
    descending: bool = True,
    *,
    filters: CreatorFilter | None = None,
    by_creator: bool = False,
    stop: Stop | None = None,
) -> list[int]:
    """Every row of the list as its account id, in the order ``fetch_accounts`` pages
    through: one narrow query, so the table knows its length (the count) and can fetch
    any page by id (``fetch_accounts_by_ids``) instead of by a growing OFFSET."""
    flt = _filter(search, filters)
    with workspace.session() as session, _watched(session, stop):
        thresholds = _thresholds(session)
        conditions = filter_conditions(flt, workspace.engine.dialect.name, thresholds, by_creator,
                                       whole_list=True)
        order = _order(workspace, _sort_expression(sort, thresholds), descending)
        query = _base_query([PlatformAccount.id], by_creator).where(*conditions).order_by(*order)
        if sort == "agency":
            query = query.outerjoin(Agency, Agency.id == Creator.agency_id)
        if not workspace.is_sqlite:
            return list(session.scalars(query))
        # As one row: sqlite3 lets go of the GIL and takes it back around every row it
        # steps through, and while the GUI thread paints (Python for every cell) each of
        # 130k hand-overs waits for it: 11 s instead of 0.25 s (the benchmark's scroll).
        if sqlite3.sqlite_version_info[:2] in ORDERED_AGGREGATE:
            joined = session.scalar(select(func.group_concat(query.subquery().c.id)))
            return [int(i) for i in joined.split(",")] if joined else []
        ranked = query.add_columns(func.row_number().over(order_by=order).label("place")).subquery()
        ids, places = session.execute(
            select(func.group_concat(ranked.c.id), func.group_concat(ranked.c.place))).one()
        return _in_place_order(ids, places)


def _in_place_order(ids: str | None, places: str | None) -> list[int]:
    """The ids of two aggregates over the same rows, put in the order of their places
    (SQLite's documentation leaves the order of an aggregate's rows unspecified; in
    practice it is the ordered subquery's, so the sort below only checks it)."""
    if not ids or not places:
        return []
    found = [int(i) for i in ids.split(",")]
    if places == ",".join(map(str, range(1, len(found) + 1))):  # row_number's, in turn
        return found
    order = [int(p) for p in places.split(",")]
    return [i for _, i in sorted(zip(order, found, strict=True))]


def fetch_accounts_by_ids(workspace: Workspace, ids: list[int], *, by_creator: bool = False
                          ) -> list[AccountRow]:
    """The list rows of these accounts, in the order given (ids no longer there are
    left out)."""
    if not ids:
        return []
    query = (select(*_ROW_COLUMNS).select_from(PlatformAccount)
             .join(Creator, PlatformAccount.creator_id == Creator.id)
             .outerjoin(Agency, Agency.id == Creator.agency_id)
             .where(PlatformAccount.id.in_(ids)))
    with workspace.session() as session:
        found = {r[0]: r for r in session.execute(query)}
        rows = [found[i] for i in ids if i in found]
        return _account_rows(session, rows, _thresholds(session), by_creator)


def _account_rows(session: Any, rows: Sequence[Any], thresholds: Thresholds, by_creator: bool
                  ) -> list[AccountRow]:
    """List rows from the main query's rows plus their per-page extras (latest quotes,
    platforms, last collaboration)."""
    account_ids = [r[0] for r in rows if r[0] is not None]
    creator_ids = [r[1] for r in rows]
    quotes = _latest_quotes(session, account_ids)
    platforms = _platforms(session, creator_ids) if by_creator else {}
    last = _last_collaborations(session, creator_ids)
    result = []
    for r in rows:
        latest = quotes.get(r[0], {})
        newest = max(latest.items(), key=lambda item: item[1][0], default=None)
        result.append(AccountRow(
            account_id=r[0], creator_id=r[1], nickname=r[2], platform=r[3], handle=r[4],
            followers=r[5], engagement_rate=r[6], category=r[7], city=r[8],
            tier=tier_of(r[5], r[3], r[9], thresholds) if (r[5] is not None or r[9]) else None,
            risk_level=r[10], blacklisted=r[11], avg_engagements=r[12], agency=r[13],
            rating=r[14],
            platforms=platforms.get(r[1], (r[3],) if r[3] else ()),
            latest_quotes={k: (v[1].low, v[1].high) for k, v in latest.items()},
            latest_price=newest[1][1] if newest else None,
            latest_quote_deliverable=newest[0] if newest else None,
            last_collaboration=last.get(r[1], (None, None))[0],
            last_campaign=last.get(r[1], (None, None))[1],
        ))
    return result


@cache
def _latest_quotes_query() -> Select[int, str, date, int, Decimal | None, Decimal | None, bool | None,
                                     float | None]:
    return select(Quote.account_id, Quote.deliverable, Quote.quoted_on, Quote.id,
                  Quote.price_min, Quote.price_max, Quote.tax_included, Quote.discount_pct).where(
        Quote.account_id.in_(bindparam("ids", expanding=True)), Quote.price_unknown.is_(False),
        Quote.price_min.is_not(None))


@cache
def _platforms_query() -> Select[int, int | None, str]:
    return select(PlatformAccount.creator_id, PlatformAccount.followers,
                  PlatformAccount.platform).where(
        PlatformAccount.creator_id.in_(bindparam("ids", expanding=True)))


@cache
def _last_collaborations_query() -> Select[int, date | None, datetime, str]:
    return (select(Collaboration.creator_id, Collaboration.post_date, Collaboration.created_at,
                   Campaign.name)
            .join(Campaign, Campaign.id == Collaboration.campaign_id)
            .where(Collaboration.creator_id.in_(bindparam("ids", expanding=True)),
                   Collaboration.stage != "dropped"))


def _latest_quotes(session: Any, account_ids: list[int]
                   ) -> dict[int, dict[str, tuple[tuple[date, int], Price]]]:
    """Per account and deliverable: ((date, id), price) of the newest priced quote, its
    price on the one tax basis (``services.quote_prices``)."""
    found: dict[int, dict[str, tuple[tuple[date, int], Price]]] = defaultdict(dict)
    if not account_ids:
        return found
    rows = session.execute(_latest_quotes_query(), {"ids": account_ids})
    for account_id, deliverable, quoted_on, quote_id, low, high, tax_included, discount in rows:
        stamp = (quoted_on, quote_id)
        known = found[account_id].get(deliverable)
        price = on_basis(low, high, tax_included, discount_pct=discount)
        if price is not None and (known is None or stamp > known[0]):
            found[account_id][deliverable] = (stamp, price)
    return found


def _platforms(session: Any, creator_ids: list[int]) -> dict[int, tuple[str, ...]]:
    found: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for creator_id, followers, platform in session.execute(_platforms_query(), {"ids": creator_ids}):
        found[creator_id].append((followers or 0, platform))
    return {cid: tuple(dict.fromkeys(p for _, p in sorted(items, reverse=True)))
            for cid, items in found.items()}


def _last_collaborations(session: Any, creator_ids: list[int]) -> dict[int, tuple[date, str]]:
    """The newest collaboration (not dropped) per creator: its post date (or the day it
    was created) and the campaign's name."""
    found: dict[int, tuple[date, str]] = {}
    if not creator_ids:
        return found
    rows = session.execute(_last_collaborations_query(), {"ids": creator_ids})
    for creator_id, post_date, created_at, name in rows:
        when = post_date or created_at.date()
        if creator_id not in found or when > found[creator_id][0]:
            found[creator_id] = (when, name)
    return found


# -- choices for the filter bar ----------------------------------------------------------

@dataclass(frozen=True)
class FilterChoices:
    categories: list[str]
    cities: list[str]
    agencies: list[tuple[int, str]]
    tags: list[str]


def filter_choices(workspace: Workspace) -> FilterChoices:
    """The values the filter lists offer: those that occur in the data (indexed columns,
    DISTINCT is quick)."""
    from kol_desk.models import CreatorTag

    with workspace.session() as session:
        # Over all creators, the trash included: a bare DISTINCT reads only the column's
        # index (milliseconds at 100k); excluding deleted rows would read the table.
        # Sorted here, as SQLite does (code point order): a DISTINCT cannot be ordered by
        # a collated expression on PostgreSQL, and the lists are short.
        categories = sorted(c for c in session.scalars(select(Creator.category).where(
            Creator.category.is_not(None)).distinct()) if c)
        cities = sorted(c for c in session.scalars(select(Creator.city).where(
            Creator.city.is_not(None)).distinct()) if c)
        agencies = [(a, n) for a, n in session.execute(select(Agency.id, Agency.name).order_by(text_order(Agency.name)))]
        tags = sorted(session.scalars(select(CreatorTag.tag).distinct()))
    return FilterChoices(categories, cities, agencies, tags)


DELIVERABLES: tuple[str, ...] = tuple(d.value for d in Deliverable)

__all__ = ["TIER_ORDER", "AccountRow", "CreatorFilter", "FilterChoices", "QueryStopped", "Stop",
           "account_ids",
           "count_accounts", "fetch_accounts", "fetch_accounts_by_ids", "filter_choices"]
