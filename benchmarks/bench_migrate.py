"""Schema migrations at real size: ``python -m benchmarks --only migrate`` (the runner's
case) or ``python -m benchmarks.bench_migrate`` on its own.

The 100k-creator benchmark workspace is taken down to revision 0004 by the migrations'
own downgrades (as ``tests/store/schemas/make.py`` makes the old-schema fixtures), and its
search texts are cut back to what revision 0004 wrote: the written parts only, without
the pinyin lines 0005 adds (0005's downgrade leaves them, harmless to a search; left in,
the timed upgrade would append them a second time). Built once beside the other data.

A timed run copies that file and upgrades the copy one revision at a time in a fresh
process (``child``), as ``open_workspace`` does in one ``alembic upgrade head`` (the
backup it makes first is not part of a revision and is not timed here).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path

# The revisions after 0004, in order; each is timed apart.
REVISIONS = ("0005", "0006")


def prepare(source: Path, folder: Path, log: Callable[[str], None] = print) -> Path:
    """``source`` (a workspace at the head revision) taken down to 0004, built once."""
    target = folder / f"{source.stem}_at_0004.sqlite"
    marker = target.with_suffix(".ready")
    if marker.exists() and marker.stat().st_mtime >= source.stat().st_mtime:
        return target
    for stale in folder.glob(f"{target.name}*"):
        stale.unlink()
    log(f"building {target.name}: {source.name} taken down to revision 0004")
    shutil.copyfile(source, target)
    from alembic import command

    from kol_desk.services.search_text import pinyin_text
    from kol_desk.store.migrate import alembic_config, open_workspace

    workspace = open_workspace(target)
    with warnings.catch_warnings(), workspace.engine.begin() as connection:
        # 0006's batch downgrade reflects the creators table, whose two expression
        # indexes SQLAlchemy cannot reflect (and need not: that table is not rebuilt).
        warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression-based index")
        command.downgrade(alembic_config(connection), "0004")
    workspace.dispose()
    with sqlite3.connect(target) as db:
        names: dict[int, list[str]] = {}
        texts: dict[int, str] = {}
        for creator_id, nickname, text in db.execute("SELECT id, nickname, search_text FROM creators"):
            names[creator_id], texts[creator_id] = [nickname], text or ""
        for creator_id, name in db.execute(
                "SELECT a.creator_id, a.nickname FROM platform_accounts a JOIN creators c "
                "ON c.id = a.creator_id WHERE a.nickname IS NOT NULL AND a.nickname <> c.nickname "
                "ORDER BY a.id"):
            names[creator_id].append(name)
        for creator_id, tag in db.execute("SELECT creator_id, tag FROM creator_tags ORDER BY id"):
            names[creator_id].append(tag)
        written = []
        for creator_id, text in texts.items():
            pinyin = pinyin_text(names[creator_id])
            if pinyin and text.endswith("\n" + pinyin):
                written.append((text[: -len(pinyin) - 1], creator_id))
        db.executemany("UPDATE creators SET search_text = ? WHERE id = ?", written)
        left = sum(1 for cid, text in texts.items() if pinyin_text(names[cid]) and not
                   text.endswith("\n" + pinyin_text(names[cid])))
        log(f"  {len(written):,} search texts cut back to their written parts ({left:,} had no "
            "pinyin suffix to cut)")
    with sqlite3.connect(target) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    marker.write_text("ok\n")
    return target


def child(db: str) -> dict[str, float]:
    """Upgrade ``db`` one revision at a time; wall and CPU seconds of each."""
    from alembic import command

    import kol_desk.models  # noqa: F401  (what every open imports; not a revision's cost)
    from kol_desk.store.database import database_url, make_engine
    from kol_desk.store.migrate import alembic_config

    engine = make_engine(database_url(db))
    parts: dict[str, float] = {}
    for revision in REVISIONS:
        start, cpu = time.perf_counter(), time.process_time()
        with engine.begin() as connection:
            command.upgrade(alembic_config(connection), revision)
        parts[revision] = time.perf_counter() - start
        parts[f"{revision}_cpu"] = time.process_time() - cpu
    with engine.connect() as connection:
        parts["creators"] = connection.exec_driver_sql("SELECT count(*) FROM creators").scalar() or 0
    engine.dispose()
    from benchmarks.child import peak_mb

    parts["peak_mb"] = round(peak_mb(), 1)
    return parts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_migrate")
    parser.add_argument("--db", help="a workspace at revision 0004 (upgraded in place)")
    args = parser.parse_args(argv)
    if args.db:
        print(json.dumps({"seconds": 0.0, "parts": child(args.db)}), flush=True)
        return 0
    from benchmarks.dataset import FULL, build

    data = build(FULL, lambda text: print(text, file=sys.stderr))
    old = prepare(data.db, data.folder, lambda text: print(text, file=sys.stderr))
    copy = data.folder / "migrate_target.sqlite"
    shutil.copyfile(old, copy)
    print(json.dumps(child(str(copy)), indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
