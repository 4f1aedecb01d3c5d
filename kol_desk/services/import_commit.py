"""Write a merge plan in ONE transaction: all of it or nothing.

The import is an ``ImportBatch`` with its counts; creators and accounts it creates carry
``created_by_batch_id``, its quotes ``import_batch_id``, and every stored value it
changes is an ``ImportChange`` with the old value, so the batch can be undone as a whole
(``services.import_batches.undo_batch``). Rows go in through ``services.bulk`` (the
driver's executemany; on SQLite the search index is filled once after the creators, and
the plain indexes of a table the list at least doubles are built once at the end), not
ORM objects: see the import findings in benchmarks/README.md.

A cancel or any error before the end rolls the transaction back, so the workspace is
exactly as it was; SQLite's journal gives the same after a crash or power loss.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, bindparam, func, insert, select, update

from kol_desk.importing.errors import ImportCancelled
from kol_desk.models import (
    Agency,
    Creator,
    HandleSpelling,
    ImportBatch,
    ImportChange,
    PlatformAccount,
    Quote,
)
from kol_desk.services import activity
from kol_desk.services.bulk import (
    insert_columns,
    large_page_cache,
    plain_indexes_rebuilt,
    search_index_filled_after,
)
from kol_desk.services.import_plan import ACCOUNTS, Change, MergePlan, PlannedAccount, url_key
from kol_desk.services.search_text import build_search_text
from kol_desk.store.backup import backup_before
from kol_desk.store.database import Workspace

__all__ = ["CommitResult", "commit_plan", "encode_value"]

_CHUNK = 5000
Columns = dict[str, list[Any]]  # column key → one value per row
Progress = Callable[[int, int], None]
# Called between steps; returning True cancels (rolls back). Tests also use it to fail
# mid-commit by raising.
Cancelled = Callable[[], bool]


@dataclass(frozen=True)
class CommitResult:
    batch_id: int
    summary: dict[str, Any]
    # every account the list named, new or already known, once each in list order: what
    # the wizard's last page counts and can put on a campaign's board
    account_ids: tuple[int, ...] = ()


def encode_value(value: Any) -> str | None:
    """How an old/new value is kept in import_changes (JSON text, so undo gets the type back)."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        value = str(value)
    return json.dumps(value, ensure_ascii=False)


class _Writer:
    def __init__(self, conn: Connection, plan: MergePlan, progress: Progress | None,
                 cancelled: Cancelled | None) -> None:
        self.conn = conn
        self.plan = plan
        self.now = datetime.now(UTC)
        self.progress = progress
        self.cancelled = cancelled
        self.total = 4 + len(plan.accounts) // _CHUNK * 3
        self.done = 0
        self.batch_id = 0
        self.changes: list[Change] = []

    def step(self) -> None:
        if self.cancelled is not None and self.cancelled():
            raise ImportCancelled()
        self.done += 1
        if self.progress is not None:
            self.progress(min(self.done, self.total), self.total)

    @property
    def stamps(self) -> dict[str, Any]:
        # the uid comes from insert_columns (SQLite) or the column default
        return {"created_at": self.now, "updated_at": self.now, "version": 1}

    def next_id(self, model: Any) -> int:
        return (self.conn.execute(select(func.max(model.id))).scalar() or 0) + 1

    def insert_ids(self, model: Any, columns: Columns, same: dict[str, Any] | None = None
                   ) -> list[int]:
        """Insert and return the new ids in row order.

        On SQLite the ids are given out here: this transaction already holds the write
        lock (the batch row went in first), so max(id) cannot move under us, and a plain
        executemany is ~50x faster than RETURNING, which SQLite runs row by row when the
        order must be kept. Other engines use RETURNING in parameter order."""
        count = len(next(iter(columns.values())))
        if self.conn.dialect.name == "sqlite":
            first = self.next_id(model)
            ids = list(range(first, first + count))
            self.insert_all(model, {**columns, "id": ids}, same)
            return ids
        shared = {**self.stamps, **(same or {})}
        rows = [dict(zip(columns, values, strict=True), **shared)
                for values in zip(*columns.values(), strict=True)]
        ids = []
        for start in range(0, len(rows), _CHUNK):
            statement = insert(model).returning(model.id, sort_by_parameter_order=True)
            ids.extend(self.conn.execute(statement, rows[start:start + _CHUNK]).scalars())
            self.step()
        return ids

    def insert_all(self, model: Any, columns: Columns, same: dict[str, Any] | None = None) -> None:
        insert_columns(self.conn, model, columns, {**self.stamps, **(same or {})},
                       after_chunk=self.step)


def commit_plan(
    workspace: Workspace,
    plan: MergePlan,
    *,
    mapping: dict[str, Any] | None = None,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> CommitResult:
    """Write ``plan``; ``mapping`` (when the list has an agency) is remembered on it as
    ``agencies.column_mapping`` for that agency's next list."""
    # An import is the riskiest write a user makes: a copy first, so even a wrong but
    # successful import can be rolled back from File → Restore.
    backup_before(workspace, "before-import")
    return _commit(workspace, plan, mapping, progress, cancelled)


def _commit(workspace: Workspace, plan: MergePlan, mapping: dict[str, Any] | None,
            progress: Progress | None, cancelled: Cancelled | None) -> CommitResult:
    with workspace.engine.begin() as conn, large_page_cache(conn):
        w = _Writer(conn, plan, progress, cancelled)
        summary = plan.summary()
        w.batch_id = conn.execute(insert(ImportBatch).returning(ImportBatch.id), [{
            "file_name": plan.file_name[:500], "kind": "agency_list", "imported_at": w.now,
            "rows_read": plan.rows_read, "problems": plan.problems, **w.stamps,
        }]).scalar_one()
        agencies = _agencies(w, mapping)
        w.step()
        adding = {Creator: plan.new_creators, PlatformAccount: len(plan.new_accounts),
                  Quote: plan.quotes}
        with plain_indexes_rebuilt(conn, adding):
            _new_creators(w, agencies)
            _apply_changes(w)
            quotes = _quotes(w, agencies.get(plan.agency or ""))
        _spellings(w)
        summary["quotes_added"] = quotes
        summary["changes"] = len(w.changes)
        conn.execute(update(ImportBatch).where(ImportBatch.id == w.batch_id).values(
            agency_id=agencies.get(plan.agency or ""), creators_new=plan.new_creators,
            creators_matched=plan.creators_matched, quotes_added=quotes, summary=summary,
            version=ImportBatch.version + 1))
        activity.record(conn, "import", "import_batches", w.batch_id,
                        summary=plan.file_name[:200], details=summary)
        w.step()
    named = tuple(dict.fromkeys(a.account_id for a in plan.accounts if a.account_id is not None))
    return CommitResult(w.batch_id, summary, named)


def _agencies(w: _Writer, mapping: dict[str, Any] | None) -> dict[str, int]:
    """Ids of the list's agency and of the agencies named in its rows, creating the missing
    ones (recorded, so undo removes them again)."""
    names = {r.agency[:200] for a in w.plan.new_accounts for r in a.rows[:1] if r.agency}
    if w.plan.agency:
        names.add(w.plan.agency)
    if not names:
        return {}
    found = dict(w.conn.execute(select(Agency.name, Agency.id).where(Agency.name.in_(names))).all())
    missing = sorted(names - set(found))
    if missing:
        ids = w.insert_ids(Agency, {"name": missing})
        found.update(zip(missing, ids, strict=True))
        w.changes += [Change("agencies", i, "__created__", None, None) for i in ids]
    if w.plan.agency and mapping is not None:
        agency_id = found[w.plan.agency]
        old = w.conn.execute(select(Agency.column_mapping).where(Agency.id == agency_id)).scalar()
        # A preference, not data: undoing a batch leaves it (else undoing an agency's
        # first list would be refused once a later list of theirs saved a mapping).
        if old != mapping:
            w.conn.execute(update(Agency).where(Agency.id == agency_id).values(
                column_mapping=mapping, updated_at=w.now, version=Agency.version + 1))
    return found


def _contact_fields(text: str | None) -> tuple[str | None, str | None, str | None]:
    """(email, phone, wechat): a contact cell filed by what it looks like."""
    if not text:
        return None, None, None
    digits = text.replace(" ", "").replace("-", "").lstrip("+")
    if "@" in text and "." in text:
        return text[:200], None, None
    if digits.isdigit() and len(digits) >= 7:
        return None, text[:100], None
    return None, None, text[:100]


def _new_creators(w: _Writer, agencies: dict[str, int]) -> None:
    new = w.plan.new_accounts
    if not new:
        return
    members: dict[int, list[PlannedAccount]] = {}
    for account in new:
        members.setdefault(account.creator_group, []).append(account)
    groups = sorted(members)
    creators: Columns = {key: [] for key in (
        "nickname", "category", "city", "notes", "agency_id", "search_text", "contact_email",
        "contact_phone", "contact_wechat")}
    list_agency = agencies.get(w.plan.agency or "")
    for group in groups:
        accounts = members[group]
        first = accounts[0].first
        nickname = (first.nickname or first.handle_display or accounts[0].handle)[:300]
        # a handle is mostly written as its key: once is enough (a smaller search index);
        # every other way the list wrote it stays findable
        handles = list(dict.fromkeys(h for a in accounts for h in (a.handle, *_written(a)) if h))
        creators["nickname"].append(nickname)
        creators["category"].append(first.category[:100] if first.category else None)
        creators["city"].append(first.city[:100] if first.city else None)
        creators["notes"].append(first.notes)
        creators["agency_id"].append(agencies.get((first.agency or "")[:200], list_agency))
        creators["search_text"].append(build_search_text(nickname, handles, first.notes))
        email, phone, wechat = _contact_fields(first.contact)
        creators["contact_email"].append(email)
        creators["contact_phone"].append(phone)
        creators["contact_wechat"].append(wechat)
    # the search index is filled in one statement after the rows, not row by row
    with search_index_filled_after(w.conn, w.next_id(Creator)):
        creator_ids = dict(zip(groups, w.insert_ids(Creator, creators, {
            "risk_level": "none", "blacklisted": False, "is_virtual": False,
            "created_by_batch_id": w.batch_id}), strict=True))
    for account in new:
        account.creator_id = creator_ids[account.creator_group]
    firsts = [a.first for a in new]
    urls = [f.profile_url for f in firsts]
    rates = [f.engagement_rate for f in firsts]
    accounts_columns: Columns = {
        "creator_id": [a.creator_id for a in new], "platform": [a.platform for a in new],
        "handle": [a.handle for a in new],
        # shown as it is matched (half-width, no @, the platform's case); the spellings the
        # list used are kept in handle_spellings and the creator's search text
        "handle_display": [(f.handle or f.nickname or a.handle)[:200]
                           for a, f in zip(new, firsts, strict=True)],
        "nickname": [f.nickname and f.nickname[:300] for f in firsts],
        "profile_url": urls, "profile_url_key": [url_key(u) if u else None for u in urls],
        "followers": [f.followers for f in firsts], "avg_views": [f.avg_views for f in firsts],
        "avg_engagements": [f.avg_interactions for f in firsts],
        "engagement_rate": [None if r is None else float(r) for r in rates],
    }
    ids = w.insert_ids(PlatformAccount, accounts_columns, {
        "stats_updated_on": w.plan.quoted_on, "created_by_batch_id": w.batch_id})
    for account, account_id in zip(new, ids, strict=True):
        account.account_id = account_id


_TABLES: dict[str, Any] = {ACCOUNTS: PlatformAccount.__table__, "creators": Creator.__table__}


def _apply_changes(w: _Writer) -> None:
    """Fills, and the conflicts the user chose to update; each recorded with its old value."""
    by_column: dict[tuple[str, str], list[Change]] = {}
    for account in w.plan.matched_accounts:
        chosen = [c.change for c in account.conflicts if c.update]
        for change in [*account.fills, *chosen]:
            by_column.setdefault((change.table, change.field), []).append(change)
    for (table, name), changes in by_column.items():
        target = _TABLES[table]
        statement = (update(target).where(target.c.id == bindparam("row_id"))
                     .values({name: bindparam("value"), "updated_at": w.now,
                              "version": target.c.version + 1}))
        values = [{"row_id": c.row_id, "value": c.new} for c in changes]
        if name == "profile_url":
            # the second identity key follows the URL (and is restored with it on undo)
            keys = [Change(table, c.row_id, "profile_url_key", url_key(c.old) if c.old else None,
                           url_key(str(c.new))) for c in changes]
            w.conn.execute(update(target).where(target.c.id == bindparam("row_id"))
                           .values(profile_url_key=bindparam("value")),
                           [{"row_id": k.row_id, "value": k.new} for k in keys])
            w.changes += keys
        w.conn.execute(statement, values)
        w.changes += changes
    if w.changes:
        w.insert_all(ImportChange, {
            "table_name": [c.table for c in w.changes], "row_id": [c.row_id for c in w.changes],
            "field": [c.field for c in w.changes],
            "old_value": [encode_value(c.old) for c in w.changes],
            "new_value": [encode_value(c.new) for c in w.changes]}, {"batch_id": w.batch_id})
    w.step()


def _quotes(w: _Writer, list_agency: int | None) -> int:
    planned = [(account.account_id, q) for account in w.plan.accounts for q in account.quotes]
    if not planned:
        return 0
    prices = [q.price for _, q in planned]
    w.insert_all(Quote, {
        "account_id": [account_id for account_id, _ in planned],
        "deliverable": [q.deliverable for _, q in planned],
        "video_length": [q.video_length for _, q in planned],
        "price_min": [p.min for p in prices], "price_max": [p.max for p in prices],
        "price_unknown": [p.unknown for p in prices], "currency": [p.currency[:3] for p in prices],
        "tax_included": [p.tax_included if p.tax_included is not None else q.tax_included
                         for p, (_, q) in zip(prices, planned, strict=True)],
        "rebate_pct": [q.rebate_pct for _, q in planned],
        "service_fee": [q.service_fee for _, q in planned],
        "discount_pct": [q.discount_pct for _, q in planned],
        "channel": [q.channel for _, q in planned],
        "notes": [q.notes for _, q in planned],
        "raw_text": [p.raw or None for p in prices],
    }, {"source_kind": "agency_list", "agency_id": list_agency, "import_batch_id": w.batch_id,
        "quoted_on": w.plan.quoted_on})
    return len(planned)


def _written(account: PlannedAccount) -> list[str]:
    """The ways the list wrote an account's handle other than its stored form, in order."""
    if account.key_kind != "handle":
        return []
    rows = account.rows
    if len(rows) == 1:  # almost every account: no dict to build (50k of them in a list)
        shown = rows[0].handle_display
        return [shown[:300]] if shown and shown != account.handle else []
    seen = dict.fromkeys(r.handle_display[:300] for r in account.rows if r.handle_display)
    return [text for text in seen if text != account.handle]


def _spellings(w: _Writer) -> None:
    """Each new way of writing a handle ('@Taozi_Jiang', 'ＴＡＯＺＩ') as one row of
    handle_spellings with this batch, in one executemany: the history the creator page
    shows, removed again when the batch is undone."""
    # two rows of the list may find one stored account (by handle and by link): once
    found = list(dict.fromkeys((a.account_id, text) for a in w.plan.accounts
                               if a.account_id is not None for text in _written(a)))
    if not found:
        return
    # only an account the workspace already had can know a spelling
    stored = {a.account_id for a in w.plan.matched_accounts}
    matched = sorted({account_id for account_id, _ in found if account_id in stored})
    known: set[tuple[int, str]] = set()
    query = select(HandleSpelling.account_id, HandleSpelling.spelling).where(
        HandleSpelling.account_id.in_(bindparam("ids", expanding=True)))
    for start in range(0, len(matched), 900):
        known.update((a, t) for a, t in w.conn.execute(query, {"ids": matched[start:start + 900]}))
    rows = [pair for pair in found if pair not in known]
    if rows:
        w.insert_all(HandleSpelling, {"account_id": [a for a, _ in rows],
                                      "spelling": [t for _, t in rows]},
                     {"import_batch_id": w.batch_id})
