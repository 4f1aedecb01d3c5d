"""Bulk inserts that skip SQLAlchemy's per-row work, for the demo generator, the
agency-list import and the benchmark data: 100,000 creators in seconds of CPU instead of
a minute (profiles in benchmarks/README.md)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from itertools import repeat
from typing import Any

from sqlalchemy import Column, Connection, insert

_CHUNK = 5000


def _fast_uids(count: int) -> list[str]:
    """Random version-4 UUIDs in the form SQLAlchemy's Uuid type stores on SQLite (32 hex
    digits); uuid.uuid4() objects plus their bind processing cost ~4 s per 600k rows.
    The version and variant bits are set on the random bytes as a whole, not per uid."""
    raw = bytearray(os.urandom(16 * count))
    raw[6::16] = bytes(b & 0x0F | 0x40 for b in raw[6::16])
    raw[8::16] = bytes(b & 0x3F | 0x80 for b in raw[8::16])
    text = raw.hex()
    return [text[start : start + 32] for start in range(0, 32 * count, 32)]


def _converted(column: Column[Any], conn: Connection, cells: Sequence[Any]) -> Sequence[Any]:
    """``cells`` through the column type's bind processor, each distinct value once (a
    column of 100k rows holds a few hundred dates, one timestamp...)."""
    dialect = conn.dialect
    bind: Callable[[Any], Any] | None = column.type.dialect_impl(dialect).bind_processor(dialect)
    if bind is None:
        return cells
    kinds = {type(v) for v in cells}
    kinds.discard(type(None))
    if len(kinds) == 1:  # mixed types could share a result: True and 1, Decimal(1) and 1
        try:
            done = {v: bind(v) for v in set(cells) if v is not None}
        except TypeError:  # unhashable (JSON)
            pass
        else:
            done[None] = None
            return [done[v] for v in cells]
    return [None if v is None else bind(v) for v in cells]


def bulk_insert(conn: Connection, model: type[Any], rows: Sequence[dict[str, Any]],
                after_chunk: Callable[[], None] | None = None) -> None:
    """Insert rows that all have the same keys, as Core would: scalar column defaults
    fill the columns a row leaves out, and every value goes through its column type.
    ``after_chunk`` is called after every few thousand rows (progress, cancel)."""
    if rows:
        insert_columns(conn, model, {key: [row[key] for row in rows] for key in rows[0]},
                       after_chunk=after_chunk)


def insert_columns(conn: Connection, model: type[Any], columns: Mapping[str, Sequence[Any]],
                   same: Mapping[str, Any] | None = None,
                   after_chunk: Callable[[], None] | None = None) -> None:
    """``bulk_insert`` with the values given column by column (key → one value per row)
    and ``same`` (key → the value of every row: timestamps, a batch id), so a caller
    with tens of thousands of rows builds no dict per row, and a shared value goes
    through its column type once."""
    count = len(next(iter(columns.values())))
    if not count:
        return
    table = model.__table__
    fixed = dict(same or {})
    for column in table.columns:
        if column.key in columns or column.key in fixed or column.key == "uid" or column.default is None:
            continue
        if not column.default.is_scalar:
            # A computed default other than the uid: let Core handle these rows.
            keys = [*columns, *fixed]
            rows = [dict(zip(keys, values, strict=True))
                    for values in zip(*columns.values(), *(repeat(v, count) for v in fixed.values()),
                                      strict=True)]
            for start in range(0, count, _CHUNK):
                conn.execute(insert(model), rows[start : start + _CHUNK])
                if after_chunk is not None:
                    after_chunk()
            return
        fixed[column.key] = column.default.arg
    # Column by column: one list comprehension per column instead of Python work per cell.
    names: list[str] = []
    values: list[Iterable[Any]] = []
    for name, cells in columns.items():
        column = table.columns[name]
        if (column.server_default is None and column.default is None
                and isinstance(cells, list) and cells.count(None) == count):
            continue  # left out of the statement, the column is NULL all the same
        names.append(name)
        values.append(_converted(column, conn, cells))
    for name, value in fixed.items():
        if value is None and table.columns[name].server_default is None:
            continue
        names.append(name)
        values.append(repeat(_converted(table.columns[name], conn, [value])[0], count))
    if "uid" not in columns and "uid" not in fixed:
        names.append("uid")
        if conn.dialect.name == "sqlite":
            values.append(_fast_uids(count))
        else:  # through the type, on other engines
            values.append(_converted(table.columns["uid"], conn, [uuid.uuid4() for _ in range(count)]))
    params = list(zip(*values, strict=True))
    preparer = conn.dialect.identifier_preparer
    style = conn.dialect.paramstyle
    marks = ", ".join("?" if style == "qmark" else "%s" for _ in names)
    sql = (f"INSERT INTO {preparer.format_table(table)} "
           f"({', '.join(preparer.quote(name) for name in names)}) VALUES ({marks})")
    for start in range(0, count, _CHUNK):
        conn.exec_driver_sql(sql, params[start : start + _CHUNK])
        if after_chunk is not None:
            after_chunk()


@contextmanager
def search_index_filled_after(conn: Connection, first_id: int) -> Iterator[None]:
    """Fill the creators' FTS5 index with one statement after the bulk insert instead of
    its per-row trigger (3-4x faster at 100k). The trigger is dropped and re-created
    from its own stored SQL inside the same transaction, so a failure rolls back both."""
    if conn.dialect.name != "sqlite":
        yield
        return
    trigger = conn.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'creators_fts_insert'"
    ).scalar()
    if trigger is None:
        yield
        return
    conn.exec_driver_sql("DROP TRIGGER creators_fts_insert")
    yield
    conn.exec_driver_sql(
        "INSERT INTO creators_fts(rowid, search_text) "
        "SELECT id, search_text FROM creators WHERE id >= ?", (first_id,))
    conn.exec_driver_sql(trigger)


@contextmanager
def plain_indexes_rebuilt(conn: Connection, adding: Mapping[type[Any], int]) -> Iterator[None]:
    """Build a table's plain (non-unique) indexes once after a bulk insert instead of
    updating them row by row, where the rows added are at least as many as the table
    holds: sorting every key once is then cheaper than as many random B-tree inserts
    (a quarter of the SQL time of a 50k-row import into an empty workspace). Unique
    constraints stay, so twins are refused as always. The indexes are re-created from
    their own stored SQL in the same transaction: a failure rolls back both."""
    if conn.dialect.name != "sqlite":
        yield
        return
    dropped: list[tuple[str, str]] = []
    for model, count in adding.items():
        table = model.__table__.name
        if not count or count < conn.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar_one():
            continue
        found = conn.exec_driver_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
            "AND sql IS NOT NULL", (table,)).all()
        dropped += [(name, sql) for name, sql in found
                    if not sql.lstrip().upper().startswith("CREATE UNIQUE")]
    for name, _ in dropped:
        conn.exec_driver_sql(f'DROP INDEX "{name}"')
    yield
    for _, sql in dropped:
        conn.exec_driver_sql(sql)


@contextmanager
def large_page_cache(conn: Connection) -> Iterator[None]:
    """SQLite's default 2 MB page cache thrashes while a dozen indexes (uids, nicknames,
    handles) take rows in random order: pages are written to the WAL and read back again
    and again. 128 MB keeps them in memory; the pooled connection gets its size back, also
    when the write fails or is cancelled."""
    if conn.dialect.name != "sqlite":
        yield
        return
    previous = conn.exec_driver_sql("PRAGMA cache_size").scalar()
    conn.exec_driver_sql("PRAGMA cache_size = -131072")
    try:
        yield
    finally:
        if not conn.invalidated:  # an invalidated connection leaves the pool anyway
            conn.exec_driver_sql(f"PRAGMA cache_size = {int(previous or -2000)}")
