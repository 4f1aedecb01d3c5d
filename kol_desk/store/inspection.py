"""Read-only health check of a workspace database (``kol-desk check``, start-up checks)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import SQLAlchemyError

from kol_desk.errors import N_, Text
from kol_desk.store import files
from kol_desk.store.migrate import SQLITE_MAGIC, head_revision

COUNTED_TABLES = ("creators", "platform_accounts", "quotes", "campaigns", "collaborations")


@dataclass
class HealthReport:
    location: str
    missing: bool = False
    problems: list[Text] = field(default_factory=list)  # translated where shown
    revision: str | None = None
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.missing and not self.problems

    def as_dict(self) -> dict[str, Any]:
        return {"location": self.location, "ok": self.ok,
                "problems": [str(problem) for problem in self.problems],
                "schema": self.revision, "counts": self.counts}


def inspect_workspace(url: URL) -> HealthReport:
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        return _inspect_sqlite(Path(str(url.database)))
    return _inspect_server(url)


def _inspect_sqlite(path: Path) -> HealthReport:
    report = HealthReport(str(path))
    if not path.exists():
        report.missing = True
        return report
    # A workspace this process has open is left to SQLite alone (``store.files``).
    if not files.is_open(path) and files.read_header(path, len(SQLITE_MAGIC)) != SQLITE_MAGIC:
        report.problems.append(Text(N_("not an SQLite database (wrong file header)")))
        return report
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        report.problems.append(Text(N_("cannot open: {reason}"), reason=exc))
        return report
    try:
        for (message,) in connection.execute("PRAGMA integrity_check"):
            if message != "ok":
                report.problems.append(Text(N_("integrity: {detail}"), detail=message))
        for table, rowid, parent, _ in connection.execute("PRAGMA foreign_key_check"):
            report.problems.append(Text(N_("foreign key: {table} row {row} points to a missing "
                                               "{parent}"), table=table, row=rowid, parent=parent))
        _check_schema(report, connection.execute)
    except sqlite3.Error as exc:
        report.problems.append(Text(N_("unreadable: {reason}"), reason=exc))
    finally:
        connection.close()
    return report


def _check_schema(report: HealthReport, execute: Any) -> None:
    try:
        row = execute("SELECT version_num FROM alembic_version").fetchone()
    except (sqlite3.Error, SQLAlchemyError):
        report.problems.append(Text(N_("not a KOL Desk database (no schema version)")))
        return
    report.revision = row[0] if row else None
    if report.revision != head_revision():
        report.problems.append(Text(N_("schema {found} differs from this version's {head}"),
                                    found=report.revision, head=head_revision()))
    for table in COUNTED_TABLES:
        report.counts[table] = int(execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def _inspect_server(url: URL) -> HealthReport:
    report = HealthReport(url.render_as_string(hide_password=True))
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            _check_schema(report, lambda sql: connection.execute(text(sql)))
    except SQLAlchemyError as exc:
        report.problems.append(Text(N_("cannot connect: {reason}"), reason=exc.__class__.__name__))
    finally:
        engine.dispose()
    return report
