"""Bulk inserts that skip SQLAlchemy's per-row work, for the demo generator and the
benchmark data: 100,000 creators in seconds of CPU instead of a minute (profile in
benchmarks/README.md)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Column, Connection, insert

_CHUNK = 5000


def _fast_uids(count: int) -> list[str]:
    """Random version-4 UUIDs in the form SQLAlchemy's Uuid type stores on SQLite (32 hex
    digits); uuid.uuid4() objects plus their bind processing cost ~4 s per 600k rows."""
    raw = os.urandom(16 * count)
    out = []
    for start in range(0, 16 * count, 16):
        value = int.from_bytes(raw[start : start + 16], "big")
        value = (value & ~(0xF000 << 64) | (0x4000 << 64)) & ~(0xC000 << 48) | (0x8000 << 48)
        out.append(f"{value:032x}")
    return out


def _processor(column: Column[Any], conn: Connection) -> Callable[[Any], Any] | None:
    dialect = conn.dialect
    bind: Callable[[Any], Any] | None = column.type.dialect_impl(dialect).bind_processor(dialect)
    if bind is None:
        return None
    memo: dict[tuple[type, Any], Any] = {}

    def process(value: Any) -> Any:
        # Keyed by type too, so True and 1 or Decimal(1) and 1 never share a result.
        key = (type(value), value)
        try:
            return memo[key]
        except KeyError:
            result = memo[key] = bind(value)
            return result

    return process


def bulk_insert(conn: Connection, model: type[Any], rows: Sequence[dict[str, Any]]) -> None:
    """Insert rows that all have the same keys, as Core would: scalar column defaults
    fill the columns a row leaves out, and every value goes through its column type."""
    if not rows:
        return
    table = model.__table__
    keys = list(rows[0])
    add_uid = "uid" not in keys and conn.dialect.name == "sqlite"
    defaults: dict[str, Any] = {}
    for column in table.columns:
        if column.key in keys or column.key == "uid" or column.default is None:
            continue
        if not column.default.is_scalar:
            # A computed default other than the uid: let Core handle these rows.
            for start in range(0, len(rows), _CHUNK):
                conn.execute(insert(model), list(rows[start : start + _CHUNK]))
            return
        defaults[column.key] = column.default.arg
    if "uid" not in keys and not add_uid:
        defaults["uid"] = None  # filled per row below, through the type, on other engines
    names = keys + list(defaults)
    processors = [_processor(table.columns[name], conn) for name in names]
    fixed = [defaults[name] for name in defaults]
    uids = _fast_uids(len(rows)) if add_uid else None
    values: list[tuple[Any, ...]] = []
    for index, row in enumerate(rows):
        raw = [row[key] for key in keys] + fixed
        if "uid" in defaults:
            raw[names.index("uid")] = uuid.uuid4()
        cells = [value if proc is None or value is None else proc(value)
                 for proc, value in zip(processors, raw, strict=True)]
        if uids is not None:
            cells.append(uids[index])
        values.append(tuple(cells))
    if uids is not None:
        names.append("uid")
    preparer = conn.dialect.identifier_preparer
    style = conn.dialect.paramstyle
    marks = ", ".join("?" if style == "qmark" else "%s" for _ in names)
    sql = (f"INSERT INTO {preparer.format_table(table)} "
           f"({', '.join(preparer.quote(name) for name in names)}) VALUES ({marks})")
    for start in range(0, len(values), _CHUNK):
        conn.exec_driver_sql(sql, values[start : start + _CHUNK])


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


def large_page_cache(conn: Connection) -> Callable[[], None]:
    """SQLite's default 2 MB page cache thrashes while a dozen indexes (uids, nicknames,
    handles) take rows in random order: pages are written to the WAL and read back again
    and again. 128 MB keeps them in memory; the pooled connection gets its size back."""
    if conn.dialect.name != "sqlite":
        return lambda: None
    previous = conn.exec_driver_sql("PRAGMA cache_size").scalar()
    conn.exec_driver_sql("PRAGMA cache_size = -131072")

    def restore() -> None:
        conn.exec_driver_sql(f"PRAGMA cache_size = {int(previous or -2000)}")

    return restore
