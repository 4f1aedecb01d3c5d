"""Import batches: list them, and undo one as a whole.

Undo deletes what the batch created (creators, accounts, quotes, agencies nobody else
uses) and puts back every value it changed (``import_changes``), in one transaction. It
refuses, with a reason, when later work depends on the batch: a campaign card on one of
its creators, a quote from elsewhere on one of its accounts, or a later import that
changed the same values (undo that one first).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, delete, func, or_, select, update

from kol_desk.errors import KnownError
from kol_desk.i18n import tr
from kol_desk.models import (
    Agency,
    Collaboration,
    Creator,
    HandleSpelling,
    ImportBatch,
    ImportChange,
    PlatformAccount,
    Quote,
)
from kol_desk.store.backup import backup_before
from kol_desk.store.database import Workspace
from kol_desk.store.team import text_order

__all__ = ["BatchRow", "UndoRefused", "agency_names", "list_batches", "undo_batch"]


class UndoRefused(KnownError):
    """The batch cannot be undone (already undone, or later work depends on it)."""


@dataclass(frozen=True)
class BatchRow:
    id: int
    file_name: str
    agency: str | None
    imported_at: datetime
    rows_read: int
    creators_new: int
    creators_matched: int
    quotes_added: int
    problems: int
    undone_at: datetime | None


def list_batches(workspace: Workspace) -> list[BatchRow]:
    """Every import, newest first."""
    query = (select(ImportBatch.id, ImportBatch.file_name, Agency.name, ImportBatch.imported_at,
                    ImportBatch.rows_read, ImportBatch.creators_new, ImportBatch.creators_matched,
                    ImportBatch.quotes_added, ImportBatch.problems, ImportBatch.undone_at)
             .outerjoin(Agency, Agency.id == ImportBatch.agency_id)
             .order_by(ImportBatch.imported_at.desc(), ImportBatch.id.desc()))
    with workspace.session() as session:
        rows = session.execute(query).all()
    return [BatchRow(*row) for row in rows]  # type: ignore[call-arg]


def agency_names(workspace: Workspace) -> list[str]:
    """The agencies the wizard offers as the sender of a list."""
    with workspace.session() as session:
        return list(session.scalars(select(Agency.name).order_by(text_order(Agency.name))))


_TABLES: dict[str, Any] = {
    "platform_accounts": PlatformAccount.__table__,
    "creators": Creator.__table__,
    "agencies": Agency.__table__,
}


def undo_batch(workspace: Workspace, batch_id: int) -> None:
    # Undo deletes creators and quotes in bulk: keep a copy first.
    backup_before(workspace, "before-bulk-delete")
    with workspace.engine.begin() as conn:
        batch = conn.execute(select(ImportBatch.file_name, ImportBatch.undone_at)
                             .where(ImportBatch.id == batch_id)).first()
        if batch is None:
            raise UndoRefused(tr("Import {batch} does not exist.", batch=batch_id))
        if batch.undone_at is not None:
            raise UndoRefused(tr("The import of {file} was already undone.", file=batch.file_name))
        _check(conn, batch_id, batch.file_name)
        changes = conn.execute(select(ImportChange.table_name, ImportChange.row_id,
                                      ImportChange.field, ImportChange.old_value)
                               .where(ImportChange.batch_id == batch_id)
                               .order_by(ImportChange.id.desc())).all()
        created_agencies = [c.row_id for c in changes if c.field == "__created__"]
        now = datetime.now(UTC)
        for change in changes:
            if change.field == "__created__":
                continue
            table = _TABLES[change.table_name]
            old = json.loads(change.old_value) if change.old_value is not None else None
            values: dict[str, Any] = {change.field: old, "updated_at": now,
                                      "version": table.c.version + 1}
            conn.execute(update(table).where(table.c.id == change.row_id).values(values))
        conn.execute(delete(Quote).where(Quote.import_batch_id == batch_id))
        # the batch row stays (marked undone), so its FK cascade does not fire: the
        # spellings it first saw go here, those on accounts it created with the accounts
        conn.execute(delete(HandleSpelling).where(HandleSpelling.import_batch_id == batch_id))
        conn.execute(delete(PlatformAccount).where(PlatformAccount.created_by_batch_id == batch_id))
        conn.execute(delete(Creator).where(Creator.created_by_batch_id == batch_id))
        for agency_id in created_agencies:
            if not _agency_used(conn, agency_id, batch_id):
                conn.execute(update(ImportBatch).where(ImportBatch.agency_id == agency_id)
                             .values(agency_id=None))
                conn.execute(delete(Agency).where(Agency.id == agency_id))
        conn.execute(update(ImportBatch).where(ImportBatch.id == batch_id)
                     .values(undone_at=now, version=ImportBatch.version + 1))


def _check(conn: Connection, batch_id: int, file_name: str) -> None:
    accounts = select(PlatformAccount.id).where(PlatformAccount.created_by_batch_id == batch_id)
    creators = select(Creator.id).where(Creator.created_by_batch_id == batch_id)
    cards = conn.scalar(select(func.count()).select_from(Collaboration).where(
        or_(Collaboration.account_id.in_(accounts), Collaboration.creator_id.in_(creators))))
    if cards:
        raise UndoRefused(tr("Cannot undo the import of {file}: {cards} campaign card(s) use "
                             "creators it added. Remove them from the campaigns first.",
                             file=file_name, cards=cards))
    foreign = conn.scalar(select(func.count()).select_from(Quote).where(
        Quote.account_id.in_(accounts),
        or_(Quote.import_batch_id.is_(None), Quote.import_batch_id != batch_id)))
    if foreign:
        raise UndoRefused(tr("Cannot undo the import of {file}: its creators have {quotes} "
                             "quote(s) from later imports or entered by hand. Undo those "
                             "imports first.", file=file_name, quotes=foreign))
    key = (ImportChange.table_name, ImportChange.row_id, ImportChange.field)
    mine = set(conn.execute(select(*key).where(ImportChange.batch_id == batch_id)).all())
    later = set(conn.execute(
        select(*key).join(ImportBatch, ImportBatch.id == ImportChange.batch_id)
        .where(ImportChange.batch_id > batch_id, ImportBatch.undone_at.is_(None))).all())
    if mine & later:
        raise UndoRefused(tr("Cannot undo the import of {file}: a later import changed the "
                             "same creators. Undo that import first.", file=file_name))


def _agency_used(conn: Connection, agency_id: int, batch_id: int) -> bool:
    creators = conn.scalar(select(func.count()).select_from(Creator).where(
        Creator.agency_id == agency_id))
    quotes = conn.scalar(select(func.count()).select_from(Quote).where(Quote.agency_id == agency_id))
    batches = conn.scalar(select(func.count()).select_from(ImportBatch).where(
        ImportBatch.agency_id == agency_id, ImportBatch.id != batch_id,
        ImportBatch.undone_at.is_(None)))
    return bool(creators or quotes or batches)
