"""Moving a whole workspace between engines: SQLite → PostgreSQL ("Copy this workspace
to a team database") and PostgreSQL → SQLite ("Save a local copy").

Every table is copied row for row with its ids and uids, in foreign-key order, inside
one transaction on the target, so a failure or a Cancel leaves nothing half-copied.
Afterwards the two sides are compared table by table — the same number of rows and the
same set of uids — and a difference is an error, never a silent loss. A local copy is
written to a temporary file beside the target and renamed into place only when checked.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, Table, func, insert, select

from kol_desk.errors import N_, BadInputError, StoreError
from kol_desk.i18n import tr
from kol_desk.models import Base
from kol_desk.store import files
from kol_desk.store.database import Workspace
from kol_desk.store.migrate import open_workspace
from kol_desk.store.team import reset_id_sequences

Progress = Callable[[int, int, str], None]
CHUNK = 2000


class TransferError(StoreError):
    """The copy could not be made or did not check out; the target was not changed."""


@dataclass(frozen=True)
class TableCount:
    table: str
    source: int
    target: int

    @property
    def ok(self) -> bool:
        return self.source == self.target


@dataclass(frozen=True)
class TransferReport:
    source: str
    target: str
    counts: tuple[TableCount, ...]

    @property
    def rows(self) -> int:
        return sum(c.target for c in self.counts)

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.counts)


def _tables() -> list[Table]:
    return list(Base.metadata.sorted_tables)


def _count(connection: Connection, table: Table) -> int:
    return int(connection.scalar(select(func.count()).select_from(table)) or 0)


def _uids(connection: Connection, table: Table) -> set[object]:
    return set(connection.scalars(select(table.c.uid)))


def _has_data(workspace: Workspace) -> bool:
    with workspace.engine.connect() as connection:
        return any(_count(connection, t) for t in _tables())


def copy_workspace(source: Workspace, target: Workspace,
                   progress: Progress | None = None) -> TransferReport:
    """Copy every row of ``source`` into the empty, migrated ``target``, then check it."""
    if _has_data(target):
        raise TransferError(
            N_("{location} already holds data; copy into an empty database so nothing there "
               "is mixed up or overwritten."), location=target.display_location)
    tables = _tables()
    with source.engine.connect() as reader:
        totals = {t.name: _count(reader, t) for t in tables}
        grand_total = sum(totals.values()) or 1
        done = 0
        if progress:
            progress(0, grand_total, "")
        with target.engine.begin() as writer:
            for table in tables:
                # Rows are read in id order in chunks, so memory stays flat at 100k creators.
                last_id = None
                while True:
                    query = select(table).order_by(table.c.id).limit(CHUNK)
                    if last_id is not None:
                        query = query.where(table.c.id > last_id)
                    rows = [dict(r._mapping) for r in reader.execute(query)]
                    if not rows:
                        break
                    writer.execute(insert(table), rows)
                    last_id = rows[-1]["id"]
                    done += len(rows)
                    if progress:
                        progress(done, grand_total, table.name)
            # Rows came with their ids; PostgreSQL's counters must continue after them.
            reset_id_sequences(writer)
        report = _compare(source, target, reader)
    if not report.ok:
        bad = ", ".join(f"{c.table} {c.source}→{c.target}" for c in report.counts if not c.ok)
        raise TransferError(N_("The copy in {location} does not match: {tables}. Nothing was "
                               "changed here; try the copy again."),
                            location=target.display_location, tables=bad)
    return report


def _compare(source: Workspace, target: Workspace, reader: Connection) -> TransferReport:
    counts = []
    with target.engine.connect() as other:
        for table in _tables():
            mine, theirs = _count(reader, table), _count(other, table)
            if mine == theirs and _uids(reader, table) != _uids(other, table):
                theirs = -1  # same number, different records: as wrong as a lost row
            counts.append(TableCount(table.name, mine, theirs))
    return TransferReport(source.display_location, target.display_location, tuple(counts))


def copy_to_team(source: Workspace, target_url: str, progress: Progress | None = None
                 ) -> TransferReport:
    """SQLite → PostgreSQL: migrate the (empty) team database, then copy into it."""
    target = open_workspace(target_url)
    try:
        return copy_workspace(source, target, progress)
    finally:
        target.dispose()


def save_local_copy(source: Workspace, path: Path, progress: Progress | None = None
                    ) -> TransferReport:
    """PostgreSQL (or any workspace) → a new SQLite file at ``path``, replaced atomically."""
    path = Path(path)
    if files.is_open(path):  # replacing it would leave the window saving into a lost file
        raise BadInputError(tr("{file} is a workspace KOL Desk has open; save the copy under "
                               "another name.", file=str(path)))
    # Its -wal or -shm too (an older copy of another workspace may be replaced).
    files.refuse_to_overwrite_database(path, any_database=False)
    partial = path.with_name(path.name + ".partial")
    for leftover in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
        leftover.unlink(missing_ok=True)
    target = open_workspace(partial)
    try:
        report = copy_workspace(source, target, progress)
        with target.engine.connect() as connection:
            # Fold the WAL into the file so the one renamed file is the whole copy.
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    except BaseException:
        target.dispose()
        partial.unlink(missing_ok=True)
        raise
    target.dispose()
    for side in (Path(f"{partial}-wal"), Path(f"{partial}-shm")):
        side.unlink(missing_ok=True)
    os.replace(partial, path)
    return TransferReport(report.source, str(path), report.counts)
