"""What the Creators list is narrowed to: the search text and the filters, as a plain
value that turns into SQL conditions and into JSON (for saved filter sets).

Every condition is SQL, so a filter on 100k creators costs one indexed query, not a
Python loop; the same code serves SQLite and PostgreSQL.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import Any, Literal

from sqlalchemy import (
    ColumnElement,
    Integer,
    and_,
    case,
    column,
    exists,
    func,
    literal,
    not_,
    or_,
    text,
)
from sqlalchemy.orm import aliased

from kol_desk.domain import DEFAULT_TIER_THRESHOLDS, Tier
from kol_desk.models import Collaboration, Creator, CreatorTag, PlatformAccount, Quote
from kol_desk.services.quote_prices import QUOTE_VAT
from kol_desk.services.search_text import normalise_for_search
from kol_desk.services.tiers import Thresholds

# Tiers in rank order; the rank is what SQL compares.
TIER_ORDER: tuple[Tier, ...] = (Tier.KOC, Tier.MICRO, Tier.MID, Tier.TOP, Tier.CELEBRITY)
# Trigram FTS needs three characters; shorter queries use LIKE (PERFORMANCE.md).
FTS_MIN_CHARS = 3

# How SQLite meets a search on a sorted page (the rows are the same either way): "walk"
# the sort's index and test each row (quick when many creators match), or read the
# "matches" first and sort them (quick when few do); "" leaves it to SQLite, which walks
# for LIKE and reads the matches first for the trigram index, whatever the term.
SearchPlan = Literal["", "walk", "matches"]
_UNSAVED = {"creator_ids", "account_ids"}


@dataclass(frozen=True)
class CreatorFilter:
    search: str = ""
    platforms: tuple[str, ...] = ()
    tiers: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    cities: tuple[str, ...] = ()
    agency_ids: tuple[int, ...] = ()
    tags: tuple[str, ...] = ()
    followers_min: int | None = None
    followers_max: int | None = None
    # Engagement rates as fractions (0.03 is 3 %).
    engagement_min: float | None = None
    engagement_max: float | None = None
    # On the latest known price of any deliverable.
    price_min: Decimal | None = None
    price_max: Decimal | None = None
    # "" any, "none" no risk, "risky" any risk level or blacklisted, "blacklisted",
    # "not_blacklisted".
    risk: str = ""
    never_worked_with: bool = False
    rating_min: float | None = None
    # The trash: creators deleted (not merged) instead of the live ones.
    deleted: bool = False
    # Exactly these rows (a selection being exported); not saved with filter sets.
    creator_ids: tuple[int, ...] = ()
    account_ids: tuple[int, ...] = ()

    def with_search(self, search: str) -> CreatorFilter:
        values = asdict(self)
        values["search"] = search
        return CreatorFilter(**values)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value is None or value is False or value in ("", ()) or f.name in _UNSAVED:
                continue
            data[f.name] = list(value) if isinstance(value, tuple) else (
                str(value) if isinstance(value, Decimal) else value)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CreatorFilter:
        known = {f.name for f in fields(cls)}
        values: dict[str, Any] = {}
        for key, value in data.items():
            if key not in known:
                continue  # a newer version's filter: ignore what we do not know
            if key in {"price_min", "price_max"} and value is not None:
                value = Decimal(str(value))
            elif isinstance(value, list):
                value = tuple(value)
            values[key] = value
        return cls(**values)

    @property
    def is_empty(self) -> bool:
        return self.to_json() == {}


def escape_like(text_: str) -> str:
    return text_.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def fts_query(needle: str) -> str:
    """The needle as one FTS5 string: a substring match, whatever characters it holds."""
    return '"' + needle.replace('"', '""') + '"'


def search_needle(search: str) -> str:
    """The text searched for, normalised as search texts are. A leading @ goes: handles
    are stored without it, so "@Taozi_Jiang" (or "＠taozi_jiang") finds taozi_jiang as a
    list that wrote it so did."""
    needle = normalise_for_search(search.strip())
    return needle[1:].lstrip() if needle.startswith("@") and needle[1:].strip() else needle


def uses_fts(needle: str, dialect: str) -> bool:
    return dialect == "sqlite" and len(needle) >= FTS_MIN_CHARS


_FTS_MATCHES = "SELECT rowid FROM creators_fts WHERE creators_fts MATCH :fts"
_SHORT_MATCHES = (
    "SELECT doc FROM creators_fts_trigrams WHERE term >= :term AND term <= :term_end "
    "UNION ALL SELECT id FROM creators WHERE substr(search_text, -2) >= :needle "
    "AND substr(search_text, -2) <= :last2_end "
    "UNION ALL SELECT id FROM creators WHERE substr(search_text, -1) = :needle")
# The highest character: a prefix followed by it bounds the strings that start with it.
_LAST_CHAR = "\U0010ffff"


def index_lookup(needle: str) -> tuple[str, dict[str, str]]:
    """SQL (one column of creator ids) and its parameters: what SQLite's search index
    finds for the needle. 3+ characters: the trigram index, exactly the matches. Fewer:
    a superset of them, for a LIKE to decide. Each place such a needle occurs either
    starts a trigram of the text, which the index's term list (creators_fts_trigrams)
    finds by prefix, or lies within the text's last two characters, which two expression
    indexes find (revision 0003). The trigram tokenizer stores normalised text as it is,
    but for U+FFFE and U+FFFF, which it stores as U+FFFD."""
    if len(needle) >= FTS_MIN_CHARS:
        return _FTS_MATCHES, {"fts": fts_query(needle)}
    term = needle.translate({0xFFFE: 0xFFFD, 0xFFFF: 0xFFFD})
    return _SHORT_MATCHES, {"term": term, "term_end": term + _LAST_CHAR * (3 - len(needle)),
                            "needle": needle, "last2_end": needle + _LAST_CHAR * (2 - len(needle))}


def index_matches(needle: str) -> Any:
    """SQL: the ids ``index_lookup`` finds."""
    sql, params = index_lookup(needle)
    return text(sql).bindparams(**params).columns(column("id", Integer))


def search_condition(search: str, dialect: str, use_index: bool = True,
                     plan: SearchPlan = "") -> ColumnElement[bool] | None:
    """Creators whose search_text contains the (normalised) search as a substring.

    SQLite: the FTS5 trigram index for 3+ characters; below that, LIKE on each row when
    walking the sort, else on the rows ``index_matches`` reads from the index.
    PostgreSQL: ILIKE, served by the pg_trgm index. All paths give the same rows.
    """
    needle = search_needle(search)
    if not needle:
        return None
    sqlite = dialect == "sqlite"
    if use_index and uses_fts(needle, dialect):
        if sqlite and plan == "walk":
            # "+ 0": SQLite cannot look creators up by this id list, so it walks the sort.
            return (Creator.id + 0).in_(index_matches(needle))
        return Creator.id.in_(index_matches(needle))
    pattern = f"%{escape_like(needle)}%"
    if dialect == "postgresql":
        return Creator.search_text.ilike(pattern, escape="\\")
    like = Creator.search_text.like(pattern, escape="\\")
    if sqlite and use_index and plan != "walk":
        return and_(Creator.id.in_(index_matches(needle)), like)
    return like


def tier_rank_expression(thresholds: Thresholds) -> ColumnElement[Any]:
    """The tier rank (0 KOC … 4 celebrity) of the account row: the manual override when
    set, else from followers with the platform's thresholds (or the default ones)."""
    override = case(
        *[(Creator.tier_override == tier.value, literal(rank)) for rank, tier in enumerate(TIER_ORDER)],
        else_=None,
    )

    def by_followers(bounds: dict[Tier, int]) -> ColumnElement[Any]:
        whens = [(PlatformAccount.followers >= bounds[tier], literal(rank))
                 for rank, tier in reversed(list(enumerate(TIER_ORDER))) if tier in bounds]
        return case((PlatformAccount.followers.is_(None), None), *whens, else_=literal(0))

    default = by_followers(thresholds.get("", DEFAULT_TIER_THRESHOLDS))
    per_platform = [(PlatformAccount.platform == key, by_followers(bounds))
                    for key, bounds in thresholds.items() if key]
    computed = case(*per_platform, else_=default) if per_platform else default
    return case((override.is_not(None), override), else_=computed)


def _before_vat(gross: Decimal, rounding: str) -> Decimal:
    """The tax-exclusive price whose price with VAT is ``gross``, to the cent."""
    return (gross / (1 + QUOTE_VAT)).quantize(Decimal("0.01"), rounding=rounding)


def _latest_priced_quote() -> Any:
    """Quotes that are the newest priced quote of their account and deliverable."""
    newer = aliased(Quote)
    return ~exists().where(
        newer.account_id == Quote.account_id,
        newer.deliverable == Quote.deliverable,
        newer.price_unknown.is_(False),
        newer.price_min.is_not(None),
        or_(newer.quoted_on > Quote.quoted_on,
            and_(newer.quoted_on == Quote.quoted_on, newer.id > Quote.id)),
    )


def filter_conditions(
    flt: CreatorFilter, dialect: str, thresholds: Thresholds, by_creator: bool,
    *, whole_list: bool = False, search_plan: SearchPlan = "",
) -> list[ColumnElement[bool]]:
    """``whole_list``: the conditions select every row (the list's ids), not one page."""
    conditions: list[ColumnElement[bool]] = []
    if flt.deleted:
        conditions += [Creator.deleted_at.is_not(None), Creator.merged_into_id.is_(None)]
    elif whole_list:
        # For every row, reading the live creators through the deleted_at index and
        # sorting is 4× cheaper than walking the sort's index (300 ms, not 1.2 s at 100k).
        conditions.append(Creator.deleted_at.is_(None))
    else:
        # Written so the planner cannot use the deleted_at index: nearly every creator
        # has NULL there, and without statistics SQLite would walk that index instead of
        # the one the sort needs (700 ms instead of 20 ms for a page at 100k).
        conditions.append(func.coalesce(Creator.deleted_at, None).is_(None))
    searched = search_condition(flt.search, dialect, plan=search_plan)
    if searched is not None:
        conditions.append(searched)
    if flt.platforms:
        if by_creator:
            # A creator is on a platform when any of its accounts is.
            other = aliased(PlatformAccount)
            conditions.append(exists().where(other.creator_id == Creator.id,
                                             other.platform.in_(flt.platforms)))
        else:
            conditions.append(PlatformAccount.platform.in_(flt.platforms))
    if flt.tiers:
        ranks = [TIER_ORDER.index(Tier(t)) for t in flt.tiers if t in {x.value for x in Tier}]
        conditions.append(tier_rank_expression(thresholds).in_(ranks))
    if flt.categories:
        conditions.append(Creator.category.in_(flt.categories))
    if flt.cities:
        conditions.append(Creator.city.in_(flt.cities))
    if flt.agency_ids:
        conditions.append(Creator.agency_id.in_(flt.agency_ids))
    if flt.tags:
        conditions.append(exists().where(CreatorTag.creator_id == Creator.id,
                                         CreatorTag.tag.in_(flt.tags)))
    if flt.followers_min is not None:
        conditions.append(PlatformAccount.followers >= flt.followers_min)
    if flt.followers_max is not None:
        conditions.append(PlatformAccount.followers <= flt.followers_max)
    if flt.engagement_min is not None:
        conditions.append(PlatformAccount.engagement_rate >= flt.engagement_min)
    if flt.engagement_max is not None:
        conditions.append(PlatformAccount.engagement_rate <= flt.engagement_max)
    if flt.price_min is not None or flt.price_max is not None:
        price = [Quote.account_id == PlatformAccount.id, Quote.price_unknown.is_(False),
                 Quote.price_min.is_not(None), _latest_priced_quote()]
        # On the list's tax basis (services.quote_prices): a tax-exclusive quote is
        # compared with its VAT added, as the list shows it; a quote with a discount at
        # its price after the discount (in floating point, to half a cent: rare enough
        # that the exact path of the others is kept for them).
        excluded = Quote.tax_included.is_(False)
        plain = or_(Quote.discount_pct.is_(None), Quote.discount_pct == 0)
        paid = (1 - Quote.discount_pct / 100.0) * case(
            (excluded, literal(float(1 + QUOTE_VAT))), else_=literal(1.0))
        if flt.price_min is not None:
            low = flt.price_min
            price.append(or_(Quote.price_max.is_(None),
                             and_(plain, excluded, Quote.price_max >= _before_vat(low, ROUND_CEILING)),
                             and_(plain, ~excluded, Quote.price_max >= low),
                             and_(~plain, Quote.price_max * paid >= float(low) - 0.005)))
        if flt.price_max is not None:
            high = flt.price_max
            price.append(or_(and_(plain, excluded, Quote.price_min <= _before_vat(high, ROUND_FLOOR)),
                             and_(plain, ~excluded, Quote.price_min <= high),
                             and_(~plain, Quote.price_min * paid <= float(high) + 0.005)))
        conditions.append(exists().where(*price))
    match flt.risk:
        case "none":
            conditions += [Creator.risk_level == "none", Creator.blacklisted.is_(False)]
        case "risky":
            conditions.append(or_(Creator.risk_level != "none", Creator.blacklisted.is_(True)))
        case "blacklisted":
            conditions.append(Creator.blacklisted.is_(True))
        case "not_blacklisted":
            conditions.append(Creator.blacklisted.is_(False))
    if flt.never_worked_with:
        conditions.append(not_(exists().where(Collaboration.creator_id == Creator.id,
                                              Collaboration.stage != "dropped")))
    if flt.creator_ids:
        conditions.append(Creator.id.in_(flt.creator_ids))
    if flt.account_ids:
        conditions.append(PlatformAccount.id.in_(flt.account_ids))
    if flt.rating_min is not None:
        conditions.append(Creator.rating >= flt.rating_min)
    return conditions
