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

import gc
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, bindparam, func, insert, select, update

from kol_desk.importing.errors import ImportCancelled
from kol_desk.importing.merge import ACCOUNTS, Change, MergePlan, PlannedAccount, url_key
from kol_desk.models import Agency, Creator, ImportBatch, ImportChange, PlatformAccount, Quote
from kol_desk.services import activity
from kol_desk.services.bulk import (
    bulk_insert,
    large_page_cache,
    plain_indexes_rebuilt,
    search_index_filled_after,
)
from kol_desk.services.search_text import build_search_text
from kol_desk.store.backup import backup_before
from kol_desk.store.database import Workspace

__all__ = ["CommitResult", "commit_plan", "encode_value"]

_CHUNK = 5000
Progress = Callable[[int, int], None]
# Called between steps; returning True cancels (rolls back). Tests also use it to fail
# mid-commit by raising.
Cancelled = Callable[[], bool]


@dataclass(frozen=True)
class CommitResult:
    batch_id: int
    summary: dict[str, Any]


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
        self.changes: list[dict[str, Any]] = []

    def step(self) -> None:
        if self.cancelled is not None and self.cancelled():
            raise ImportCancelled()
        self.done += 1
        if self.progress is not None:
            self.progress(min(self.done, self.total), self.total)

    def stamp(self, row: dict[str, Any]) -> dict[str, Any]:
        # the uid comes from bulk_insert (SQLite) or the column default
        row["created_at"] = self.now
        row["updated_at"] = self.now
        row["version"] = 1
        return row

    def next_id(self, model: Any) -> int:
        return (self.conn.execute(select(func.max(model.id))).scalar() or 0) + 1

    def insert_ids(self, model: Any, rows: Sequence[dict[str, Any]]) -> list[int]:
        """Insert and return the new ids in the order of ``rows``.

        On SQLite the ids are given out here: this transaction already holds the write
        lock (the batch row went in first), so max(id) cannot move under us, and a plain
        executemany is ~50x faster than RETURNING, which SQLite runs row by row when the
        order must be kept. Other engines use RETURNING in parameter order."""
        if self.conn.dialect.name == "sqlite":
            first = self.next_id(model)
            ids = list(range(first, first + len(rows)))
            for row, new_id in zip(rows, ids, strict=True):
                row["id"] = new_id
            self.insert_all(model, rows)
            return ids
        ids = []
        for start in range(0, len(rows), _CHUNK):
            statement = insert(model).returning(model.id, sort_by_parameter_order=True)
            ids.extend(self.conn.execute(statement, list(rows[start:start + _CHUNK])).scalars())
            self.step()
        return ids

    def insert_all(self, model: Any, rows: Sequence[dict[str, Any]]) -> None:
        bulk_insert(self.conn, model, rows, after_chunk=self.step)


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
    was_enabled = gc.isenabled()
    gc.disable()  # see merge.build_plan
    try:
        return _commit(workspace, plan, mapping, progress, cancelled)
    finally:
        if was_enabled:
            gc.enable()


def _commit(workspace: Workspace, plan: MergePlan, mapping: dict[str, Any] | None,
            progress: Progress | None, cancelled: Cancelled | None) -> CommitResult:
    with workspace.engine.begin() as conn:
        restore_cache = large_page_cache(conn)
        w = _Writer(conn, plan, progress, cancelled)
        summary = plan.summary()
        w.batch_id = conn.execute(insert(ImportBatch).returning(ImportBatch.id), [w.stamp({
            "file_name": plan.file_name[:500], "kind": "agency_list", "imported_at": w.now,
            "rows_read": plan.rows_read, "problems": plan.problems,
        })]).scalar_one()
        agencies = _agencies(w, mapping)
        w.step()
        adding = {Creator: plan.new_creators, PlatformAccount: len(plan.new_accounts),
                  Quote: plan.quotes}
        with plain_indexes_rebuilt(conn, adding):
            _new_creators(w, agencies)
            _apply_changes(w)
            quotes = _quotes(w, agencies.get(plan.agency or ""))
        summary["quotes_added"] = quotes
        summary["changes"] = len(w.changes)
        conn.execute(update(ImportBatch).where(ImportBatch.id == w.batch_id).values(
            agency_id=agencies.get(plan.agency or ""), creators_new=plan.new_creators,
            creators_matched=plan.creators_matched, quotes_added=quotes, summary=summary,
            version=ImportBatch.version + 1))
        activity.record(conn, "import", "import_batches", w.batch_id,
                        summary=plan.file_name[:200], details=summary)
        restore_cache()
        w.step()
    return CommitResult(w.batch_id, summary)


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
        ids = w.insert_ids(Agency, [w.stamp({"name": n}) for n in missing])
        found.update(zip(missing, ids, strict=True))
        w.changes += [_change_row(w, Change("agencies", i, "__created__", None, None)) for i in ids]
    if w.plan.agency and mapping is not None:
        agency_id = found[w.plan.agency]
        old = w.conn.execute(select(Agency.column_mapping).where(Agency.id == agency_id)).scalar()
        # A preference, not data: undoing a batch leaves it (else undoing an agency's
        # first list would be refused once a later list of theirs saved a mapping).
        if old != mapping:
            w.conn.execute(update(Agency).where(Agency.id == agency_id).values(
                column_mapping=mapping, updated_at=w.now, version=Agency.version + 1))
    return found


def _contact_fields(text: str | None) -> dict[str, str | None]:
    # every row gets all three keys: an executemany needs the same columns in each row
    out: dict[str, str | None] = {"contact_email": None, "contact_phone": None,
                                  "contact_wechat": None}
    if not text:
        return out
    digits = text.replace(" ", "").replace("-", "").lstrip("+")
    if "@" in text and "." in text:
        out["contact_email"] = text[:200]
    elif digits.isdigit() and len(digits) >= 7:
        out["contact_phone"] = text[:100]
    else:
        out["contact_wechat"] = text[:100]
    return out


def _new_creators(w: _Writer, agencies: dict[str, int]) -> None:
    new = w.plan.new_accounts
    if not new:
        return
    members: dict[int, list[PlannedAccount]] = {}
    for account in new:
        members.setdefault(account.creator_group, []).append(account)
    groups = sorted(members)
    creator_rows: list[dict[str, Any]] = []
    list_agency = agencies.get(w.plan.agency or "")
    for group in groups:
        accounts = members[group]
        first = accounts[0].first
        nickname = (first.nickname or first.handle_display or accounts[0].handle)[:300]
        handles = [h for a in accounts for h in (a.handle, a.first.handle_display) if h]
        creator_rows.append(w.stamp({
            "nickname": nickname, "category": (first.category or None) and first.category[:100],
            "city": (first.city or None) and first.city[:100], "notes": first.notes,
            "agency_id": agencies.get((first.agency or "")[:200], list_agency),
            "risk_level": "none", "blacklisted": False, "is_virtual": False,
            "search_text": build_search_text(nickname, handles, first.notes),
            "created_by_batch_id": w.batch_id,
            **_contact_fields(first.contact),
        }))
    # the search index is filled in one statement after the rows, not row by row
    with search_index_filled_after(w.conn, w.next_id(Creator)):
        creator_ids = dict(zip(groups, w.insert_ids(Creator, creator_rows), strict=True))
    account_rows = []
    for account in new:
        first = account.first
        url = first.profile_url
        account_rows.append(w.stamp({
            "creator_id": creator_ids[account.creator_group], "platform": account.platform,
            "handle": account.handle,
            "handle_display": (first.handle_display or first.nickname or account.handle)[:200],
            "nickname": first.nickname and first.nickname[:300],
            "profile_url": url, "profile_url_key": url_key(url) if url else None,
            "followers": first.followers, "avg_views": first.avg_views,
            "avg_engagements": first.avg_interactions,
            "engagement_rate": float(first.engagement_rate)
            if first.engagement_rate is not None else None,
            "stats_updated_on": w.plan.quoted_on, "created_by_batch_id": w.batch_id,
        }))
    for account, account_id in zip(new, w.insert_ids(PlatformAccount, account_rows), strict=True):
        account.account_id = account_id
        account.creator_id = creator_ids[account.creator_group]


def _change_row(w: _Writer, change: Change) -> dict[str, Any]:
    return w.stamp({"batch_id": w.batch_id, "table_name": change.table, "row_id": change.row_id,
                    "field": change.field, "old_value": encode_value(change.old),
                    "new_value": encode_value(change.new)})


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
            w.changes += [_change_row(w, k) for k in keys]
        w.conn.execute(statement, values)
        w.changes += [_change_row(w, c) for c in changes]
    w.insert_all(ImportChange, w.changes)
    w.step()


def _quotes(w: _Writer, list_agency: int | None) -> int:
    rows: list[dict[str, Any]] = []
    for account in w.plan.accounts:
        for q in account.quotes:
            p = q.price
            rows.append(w.stamp({
                "account_id": account.account_id, "deliverable": q.deliverable,
                "video_length": q.video_length, "price_min": p.min, "price_max": p.max,
                "price_unknown": p.unknown, "currency": p.currency[:3],
                "tax_included": p.tax_included, "source_kind": "agency_list",
                "agency_id": list_agency, "import_batch_id": w.batch_id,
                "quoted_on": w.plan.quoted_on, "raw_text": p.raw or None,
            }))
    w.insert_all(Quote, rows)
    return len(rows)
