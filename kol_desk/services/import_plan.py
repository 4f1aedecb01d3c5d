"""The merge plan: what committing a parsed list would do to the workspace.

Rows are grouped per account (platform + normalised handle; the profile URL, then the
nickname, for lists without an id column), matched against the accounts already stored
(by platform + handle, then by profile URL), and turned into new creators, new accounts,
quotes, and the changes to existing records. A value that differs from what is stored
is a ``Conflict`` the user decides (keep by default: existing data is never silently
overwritten); a value stored as empty is filled in and recorded so undo can clear it.

Nothing is written here; ``commit.commit_plan`` writes a plan in one transaction.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, bindparam, select

from kol_desk.domain import Channel, platform_channel
from kol_desk.importing.errors import ImportCancelled
from kol_desk.importing.parse import ParsedFile, ParsedRow
from kol_desk.importing.values import Price
from kol_desk.importing.vocabulary import Field, default_deliverable, price_channel
from kol_desk.models import Agency, Creator, PlatformAccount, Quote
from kol_desk.store.database import Workspace

__all__ = [
    "Change",
    "Conflict",
    "MergePlan",
    "PlannedAccount",
    "PlannedQuote",
    "build_plan",
    "quote_channel",
    "url_key",
]

_CHUNK = 900  # bound parameters per IN (...) query, below every SQLite's limit
ACCOUNTS = "platform_accounts"
CREATORS = "creators"
# Facts of an account / a creator that an import may fill in or, with consent, update.
ACCOUNT_FIELDS = ("nickname", "followers", "engagement_rate", "avg_views", "avg_engagements",
                  "profile_url")
CREATOR_FIELDS = ("category", "city")


def url_key(url: str) -> str:
    """A profile URL reduced to host + path, lower case, without www./m. or a query:
    the second identity key of an account."""
    text = url.strip().lower()
    text = re.sub(r"^https?://(www\.|m\.)?", "", text)
    return text.split("?", 1)[0].split("#", 1)[0].rstrip("/")[:500]


@dataclass(slots=True)
class Change:
    """A stored value the commit will set (a fill, or a conflict the user chose to update)."""

    table: str
    row_id: int
    field: str
    old: Any
    new: Any


@dataclass(slots=True)
class Conflict:
    """A value in the list that differs from the stored one; ``update`` is the user's choice."""

    platform: str
    handle: str
    nickname: str | None
    sheet: str
    row: int
    change: Change
    update: bool = False


@dataclass(slots=True)
class PlannedQuote:
    deliverable: str
    video_length: str | None
    price: Price
    sheet: str
    row: int
    rebate_pct: float | None = None  # percent, as the agency's 返点 column gave it
    service_fee: Decimal | None = None
    tax_included: bool | None = None
    discount_pct: float | None = None  # percent off the price: 10 for 九折
    channel: str | None = None  # domain.Channel: 报备 (the platform's marketplace) or direct
    notes: str | None = None  # a fee share without a price, a tax rate: no field of their own


@dataclass(slots=True)
class PlannedAccount:
    platform: str
    handle: str  # the stored key: normalised handle, else URL key, else folded nickname
    key_kind: str  # 'handle', 'url' or 'nickname'
    rows: list[ParsedRow]
    account_id: int | None = None  # set when it matches a stored account
    creator_id: int | None = None
    matched_by: str | None = None  # 'handle' or 'url'
    creator_group: int = -1  # new accounts: index of the new creator they belong to
    fills: list[Change] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    quotes: list[PlannedQuote] = field(default_factory=list)

    @property
    def first(self) -> ParsedRow:
        return self.rows[0]

    @property
    def is_new(self) -> bool:
        # not account_id: the commit gives new accounts their ids
        return self.matched_by is None


@dataclass(slots=True)
class MergePlan:
    file_name: str
    agency: str | None
    quoted_on: date
    currency: str
    rows_read: int
    rows_excluded: int
    problems: int
    accounts: list[PlannedAccount]
    new_creators: int  # creator groups among the new accounts

    @property
    def new_accounts(self) -> list[PlannedAccount]:
        return [a for a in self.accounts if a.is_new]

    @property
    def matched_accounts(self) -> list[PlannedAccount]:
        return [a for a in self.accounts if not a.is_new]

    @property
    def creators_matched(self) -> int:
        return len({a.creator_id for a in self.accounts if a.matched_by is not None})

    @property
    def quotes(self) -> int:
        return sum(len(a.quotes) for a in self.accounts)

    @property
    def duplicate_rows(self) -> int:
        """Rows that repeat an account already listed above them in the same file."""
        return sum(len(a.rows) - 1 for a in self.accounts)

    @property
    def conflicts(self) -> list[Conflict]:
        return [c for a in self.accounts for c in a.conflicts]

    def set_all_conflicts(self, update: bool) -> None:
        for conflict in self.conflicts:
            conflict.update = update

    def summary(self) -> dict[str, Any]:
        return {
            "file": self.file_name,
            "agency": self.agency,
            "rows_read": self.rows_read,
            "rows_excluded": self.rows_excluded,
            "creators_new": self.new_creators,
            "creators_matched": self.creators_matched,
            "accounts_new": len(self.new_accounts),
            "accounts_matched": len(self.matched_accounts),
            "duplicate_rows": self.duplicate_rows,
            "quotes_added": self.quotes,
            "conflicts": len(self.conflicts),
            "problems": self.problems,
        }


# ---------------------------------------------------------------------------- planning

def build_plan(
    workspace: Workspace,
    parsed: ParsedFile,
    *,
    agency: str | None = None,
    excluded: Iterable[tuple[str, int]] = (),
    quoted_on: date | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> MergePlan:
    """Match a parsed list against the workspace. ``excluded`` holds (sheet, row) pairs
    the user left out in the validation step."""
    return _build_plan(workspace, parsed, agency, excluded, quoted_on, cancelled)


def _build_plan(workspace: Workspace, parsed: ParsedFile, agency: str | None,
                excluded: Iterable[tuple[str, int]], quoted_on: date | None,
                cancelled: Callable[[], bool] | None) -> MergePlan:
    skip = set(excluded)
    rows = [r for r in parsed.rows if (r.sheet, r.row) not in skip]
    deliverables = _column_deliverables(parsed)
    accounts = _group(rows)
    with workspace.engine.connect() as conn:
        _match(conn, accounts, cancelled)
        seen_quotes = _stored_quotes(conn, [a.account_id for a in accounts if a.account_id],
                                     agency, quoted_on or date.today())
    for account in accounts:
        if account.is_new:
            continue
        _compare(account)
    new_creators = _creator_groups([a for a in accounts if a.is_new])
    for account in accounts:
        account.quotes = _quotes(account, deliverables, seen_quotes)
    problems = sum(1 for p in parsed.problems if (p.sheet, p.row) not in skip)
    return MergePlan(file_name=parsed.path.name, agency=agency, quoted_on=quoted_on or date.today(),
                     currency=parsed.currency, rows_read=len(parsed.rows),
                     rows_excluded=len(parsed.rows) - len(rows), problems=problems,
                     accounts=accounts, new_creators=new_creators)


def _group(rows: Sequence[ParsedRow]) -> list[PlannedAccount]:
    out: dict[tuple[str, str], PlannedAccount] = {}
    for row in rows:
        platform = row.platform or "other"
        if row.handle:
            kind, handle = "handle", row.handle
        elif row.profile_url:
            kind, handle = "url", url_key(row.profile_url)
        elif row.nickname:
            kind, handle = "nickname", row.nickname.casefold()
        else:
            continue
        handle = handle[:200]
        planned = out.get((platform, handle))
        if planned is None:
            out[(platform, handle)] = PlannedAccount(platform, handle, kind, [row])
        else:
            planned.rows.append(row)
    return list(out.values())


def _chunks(items: Sequence[Any], size: int = _CHUNK) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


_MATCH_COLUMNS = (
    PlatformAccount.id, PlatformAccount.creator_id, PlatformAccount.platform,
    PlatformAccount.handle, PlatformAccount.profile_url_key,
    *(getattr(PlatformAccount, f) for f in ACCOUNT_FIELDS),
    Creator.category, Creator.city,
)


def _match(conn: Connection, accounts: list[PlannedAccount],
           cancelled: Callable[[], bool] | None) -> None:
    by_key = {(a.platform, a.handle): a for a in accounts}
    base = select(*_MATCH_COLUMNS).join(Creator, Creator.id == PlatformAccount.creator_id)
    per_platform: dict[str, list[str]] = {}
    for platform, handle in by_key:
        per_platform.setdefault(platform, []).append(handle)
    # platform = ? AND handle IN (...) goes through the (platform, handle) unique index;
    # a row-value IN or handle alone would scan the whole table for every chunk. One
    # statement with bound values serves every chunk (literal values made SQLAlchemy
    # build and compile a new one for each).
    query = base.where(PlatformAccount.platform == bindparam("platform"),
                       PlatformAccount.handle.in_(bindparam("handles", expanding=True)))
    for platform, handles in per_platform.items():
        for chunk in _chunks(handles):
            if cancelled is not None and cancelled():
                raise ImportCancelled()
            for found in conn.execute(query, {"platform": platform, "handles": list(chunk)}):
                _attach(by_key[(found[2], found[3])], found, "handle")
    # Ids a platform generates keep their case (domain.handle_case); imports before that
    # stored them in lower case: such an account is still the same one.
    legacy = {(a.platform, a.handle.lower()): a for a in accounts
              if a.account_id is None and a.key_kind == "handle" and a.handle != a.handle.lower()}
    lowered: dict[str, list[str]] = {}
    for platform, handle in legacy:
        lowered.setdefault(platform, []).append(handle)
    for platform, handles in lowered.items():
        for chunk in _chunks(handles):
            for found in conn.execute(query, {"platform": platform, "handles": list(chunk)}):
                planned = legacy[(found[2], found[3])]
                if planned.account_id is None:
                    _attach(planned, found, "handle")
    # The profile URL is the second key: an account renamed since the last list.
    by_url: dict[str, list[PlannedAccount]] = {}
    for a in accounts:
        url = a.first.profile_url
        if a.account_id is None and url:
            by_url.setdefault(url_key(url), []).append(a)
    keys = sorted({variant for key in by_url for variant in (key, "www." + key, "m." + key)})
    for chunk in _chunks(keys):
        for found in conn.execute(base.where(PlatformAccount.profile_url_key.in_(chunk))):
            key = url_key("https://" + (found[4] or ""))
            for planned in by_url.get(key, []):
                if planned.account_id is None and planned.platform in (found[2], "other"):
                    _attach(planned, found, "url")


_FIRST_FIELD = 5  # position of ACCOUNT_FIELDS in _MATCH_COLUMNS


def _attach(planned: PlannedAccount, found: Sequence[Any], how: str) -> None:
    planned.account_id = found[0]
    planned.creator_id = found[1]
    planned.matched_by = how
    fills = [Change(ACCOUNTS, found[0], f, found[_FIRST_FIELD + i], None)
             for i, f in enumerate(ACCOUNT_FIELDS)]
    at = _FIRST_FIELD + len(ACCOUNT_FIELDS)
    fills += [Change(CREATORS, found[1], f, found[at + i], None) for i, f in enumerate(CREATOR_FIELDS)]
    planned.fills = fills


def _file_value(row: ParsedRow, name: str) -> Any:
    if name == "avg_engagements":
        return row.avg_interactions
    if name == "engagement_rate":
        return float(row.engagement_rate) if row.engagement_rate is not None else None
    return getattr(row, name)


def _same(old: Any, new: Any) -> bool:
    if isinstance(old, float) or isinstance(new, float):
        return abs(float(old) - float(new)) < 1e-9
    return bool(old == new)


def _compare(account: PlannedAccount) -> None:
    """Split the stored values (held in ``fills`` by ``_attach``) into fills (stored value
    empty) and conflicts (stored value differs); equal values need nothing."""
    stored, account.fills = account.fills, []
    first = account.first
    for change in stored:
        new = _file_value(first, change.field)
        if new is None or new == "":
            continue
        change.new = new
        if change.old is None or change.old == "":
            account.fills.append(change)
        elif not _same(change.old, new):
            account.conflicts.append(Conflict(account.platform, account.handle, first.nickname,
                                              first.sheet, first.row, change))


def _creator_groups(new: list[PlannedAccount]) -> int:
    """New accounts with the same handle and nickname on different platforms of one list
    are one person, and so are the accounts of one row of a wide list (抖音号 and 小红书号
    side by side): they become one creator with several accounts."""
    groups: dict[tuple[str, str], int] = {}
    rows: dict[tuple[str, int], int] = {}
    count = 0
    for account in new:
        nickname = (account.first.nickname or "").casefold()
        key = (account.handle, nickname)
        where = (account.first.sheet, account.first.row)
        if account.key_kind == "handle" and nickname and key in groups:
            account.creator_group = groups[key]
        elif where in rows:
            account.creator_group = rows[where]
        else:
            account.creator_group = count
            groups.setdefault(key, count)
            count += 1
        rows.setdefault(where, account.creator_group)
    return count


def _column_deliverables(parsed: ParsedFile) -> dict[tuple[str, str], str | None]:
    return {(s.name, m.header): m.deliverable for s in parsed.sheets for m in s.mapping
            if m.field is Field.PRICE}


_QuoteKey = tuple[int | None, str, str | None, Decimal | None, Decimal | None, str, bool,
                  str | None]
# account, deliverable, variant, the list's cell text, channel
_TextKey = tuple[int | None, str, str | None, str, str | None]


@dataclass
class _Stored:
    """The quotes already stored from this agency on this day, by their price, and by the
    cell text they were read from: a price corrected by hand keeps the list's text, so the
    same list imported again does not bring the old price back."""

    prices: set[_QuoteKey] = field(default_factory=set)
    texts: set[_TextKey] = field(default_factory=set)


def _stored_quotes(conn: Connection, account_ids: list[int], agency: str | None,
                   quoted_on: date) -> _Stored:
    """Quotes already stored from the same agency on the same day: importing the same
    list twice must not record every price twice."""
    found = _Stored()
    if not account_ids:
        return found
    wanted = set(account_ids)
    query = (select(Quote.account_id, Quote.deliverable, Quote.video_length, Quote.price_min,
                    Quote.price_max, Quote.currency, Quote.price_unknown, Quote.channel,
                    Quote.raw_text)
             .where(Quote.quoted_on == quoted_on, Quote.source_kind == "agency_list"))
    if agency:
        agency_id = conn.scalar(select(Agency.id).where(Agency.name == agency))
        if agency_id is None:
            return found
        query = query.where(Quote.agency_id == agency_id)
    else:
        query = query.where(Quote.agency_id.is_(None))
    # one pass over that agency's quotes of the day, filtered here: cheaper than
    # thousands of IN (...) lookups on a large re-import
    for r in conn.execute(query):
        if r[0] in wanted:
            key: _QuoteKey = (r[0], r[1], r[2], r[3], r[4], r[5], bool(r[6]), r[7])
            found.prices.add(key)
            if key[7] is None:
                found.prices.add(_loose(key))
            if r[8]:
                found.texts.add((r[0], r[1], r[2], r[8], r[7]))
    return found


_ANY = "*"  # a loose key's wildcard: no length text or channel key is "*"


def _loose(key: _QuoteKey) -> _QuoteKey:
    """A quote without a channel matches a new one on all but the channel and a variant
    name that is not a video length. Quotes stored before they had a channel (revision
    0006) need it: a list's 报备/非报备 pair then became one plain quote and one variant
    named after its column, and importing that list again must not add both again."""
    length = key[2] if key[2] is not None and _LENGTH_RE.search(key[2]) else _ANY
    return (key[0], key[1], length, key[3], key[4], key[5], key[6], _ANY)


def _quotes(account: PlannedAccount, deliverables: dict[tuple[str, str], str | None],
            stored: _Stored) -> list[PlannedQuote]:
    out: list[PlannedQuote] = []
    seen: set[_QuoteKey] = set()
    for row in account.rows:
        used: set[tuple[str, str | None]] = set()
        for header, price in row.price_by_column.items():
            deliverable = deliverables.get((row.sheet, header)) or default_deliverable(row.platform)
            channel = quote_channel(price_channel(header), row.platform)
            # A column naming a length (星图 1-20s / 21-60s / 60s以上) is that variant, and
            # so is a second column for the same deliverable and channel; 报备 vs 非报备
            # columns differ by the quote's channel.
            variant = _LENGTH_RE.search(header) is not None or (deliverable, channel) in used
            length = header[:20] if variant else None
            used.add((deliverable, channel))
            key: _QuoteKey = (account.account_id, deliverable, length, price.min, price.max,
                              price.currency, price.unknown, channel)
            if (key in seen or key in stored.prices or _loose(key) in stored.prices
                    or (account.account_id, deliverable, length, price.raw, channel) in stored.texts):
                continue
            seen.add(key)
            out.append(_with_terms(PlannedQuote(deliverable, length, price, row.sheet, row.row),
                                   row, channel))
    return out


_LENGTH_RE = re.compile(r"\d+\s*(?:s|秒|sec|min|分钟)|以上|以内")  # a video length tier


def quote_channel(word: str | None, platform: str | None) -> str | None:
    """The quote's channel from what its column says (``vocabulary.price_channel``): 报备
    is an order through the platform's own marketplace (星图 on Douyin, 蒲公英 on
    Xiaohongshu, …), 非报备 a direct deal."""
    if word is None:
        return None
    if word == "非报备":
        return Channel.DIRECT.value
    return platform_channel(platform).value


def _with_terms(quote: PlannedQuote, row: ParsedRow, channel: str | None) -> PlannedQuote:
    """The row's deal terms on one of its quotes: the quote's own fields where they exist
    (返点, 服务费, 折扣, 含税, the channel), the notes for the rest (a service-fee share
    without an exact price to take it of, a tax rate)."""
    quote.channel = channel
    notes: list[str] = []
    if row.rebate is not None:
        quote.rebate_pct = float(row.rebate * 100)
    if row.service_fee is not None:
        amount, share = row.service_fee
        price = quote.price
        if amount is not None:
            quote.service_fee = amount
        elif share is not None and price.is_exact and price.min is not None:
            quote.service_fee = (price.min * share).quantize(Decimal("0.01"))
        elif share is not None:
            notes.append(f"服务费 {_percent(share)}")
    # a discount written in the price cell is that price's own; else the row's 折扣 column
    discount = quote.price.discount_pct if quote.price.discount_pct is not None else row.discount
    if discount is not None:
        quote.discount_pct = float(discount)
    if row.tax is not None:
        included, rate = row.tax
        if quote.price.tax_included is None and included is not None:
            quote.tax_included = included
        if rate is not None:
            notes.append(f"税点 {_percent(rate)}")
    quote.notes = "; ".join(notes) or None
    return quote


def _percent(share: Decimal) -> str:
    return f"{(share * 100).normalize():f}%"
