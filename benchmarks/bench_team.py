"""Team mode under load: five simulated users on one PostgreSQL database.

Each user has their own connection (engine) and runs a fixed number of operations in a
realistic mix — searches, edits of a few shared campaigns (so edits collide), card
moves on one board, and one import of the same agency list by two users at once.
Reported: operations per second, p50/p99 latency per kind, conflicts detected. Then
verified: no lost update (every successful increment of a shared counter is in the
final value) and no duplicate account (platform, handle).

    .venv/bin/python benchmarks/bench_team.py [--url postgresql://...] [--users 5]
                                              [--ops 200] [--creators 5000] [--json]

Without --url (or KOL_DESK_BENCH_PG_URL / KOL_DESK_TEST_PG_URL) a throwaway server is
started with tools/postgres.sh. ``main(argv)`` returns 0 when the verification passed.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from sqlalchemy import create_engine, func, select, text  # noqa: E402
from sqlalchemy.engine import URL, make_url  # noqa: E402
from sqlalchemy.orm.exc import StaleDataError  # noqa: E402

from kol_desk.domain import PIPELINE  # noqa: E402
from kol_desk.models import Campaign, Collaboration, PlatformAccount  # noqa: E402
from kol_desk.services import activity, board  # noqa: E402
from kol_desk.services.conflicts import VersionConflict, retry_on_duplicate, save_fields  # noqa: E402
from kol_desk.services.creators import count_accounts, fetch_accounts  # noqa: E402
from kol_desk.services.demo import generate_demo  # noqa: E402
from kol_desk.store.database import Workspace  # noqa: E402
from kol_desk.store.migrate import open_workspace  # noqa: E402

QUERIES = ["鱼", "桃子", "小", "yu", "luna", "美妆", "酱", "vlog", "团子", "xx", "探店", "mi"]
SAMPLE = REPO.parent / "shared" / "samples" / "agency_lists" / "p01_xhs_double11_mcn.xlsx"
HOT_CAMPAIGNS = 3  # edits go to these few, so users really collide


def percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


class Shared:
    """What the users record while they work; checked at the end."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latency: dict[str, list[float]] = defaultdict(list)
        self.conflicts = 0
        self.refused_moves = 0
        self.increments: dict[int, int] = defaultdict(int)
        self.errors: list[str] = []

    def took(self, kind: str, seconds: float) -> None:
        with self.lock:
            self.latency[kind].append(seconds)


def _increment(ws: Workspace, campaign_id: int, shared: Shared) -> None:
    """Read the counter, add one, save against the version read; on a conflict read the
    colleague's value and try again — the way the conflict dialog's "merge" would."""
    while True:
        with ws.session() as s:
            row = s.get(Campaign, campaign_id)
            assert row is not None
            value, version = row.kpi_clicks or 0, row.version
        try:
            save_fields(ws, Campaign, campaign_id, version, {"kpi_clicks": value + 1},
                        base={"kpi_clicks": value})
        except VersionConflict:
            with shared.lock:
                shared.conflicts += 1
            continue
        with shared.lock:
            shared.increments[campaign_id] += 1
        return


def _move(ws: Workspace, card_ids: list[int], rng: random.Random, shared: Shared, user: str) -> None:
    card = rng.choice(card_ids)
    with ws.session() as s:
        stage = s.scalar(select(Collaboration.stage).where(Collaboration.id == card))
    order = [st.value for st in PIPELINE]
    if stage not in order:
        return
    target = order[(order.index(stage) + rng.choice([1, -1])) % len(order)]
    try:
        board.move(ws, card, target, override_reason="benchmark", user=user)
    except (StaleDataError, VersionConflict):
        with shared.lock:
            shared.conflicts += 1
    except board.MoveRefused:
        with shared.lock:
            shared.refused_moves += 1


def _import(ws: Workspace, agency: str) -> None:
    from kol_desk.services.import_commit import commit_plan
    from kol_desk.services.import_plan import build_plan
    from kol_desk.services.import_reading import read_list

    def once() -> object:
        parsed = read_list(ws, SAMPLE, agency=agency)
        return commit_plan(ws, build_plan(ws, parsed, agency=agency))

    retry_on_duplicate(once)


def user_run(url: str, index: int, ops: int, seed: int, hot: list[int], cards: list[int],
             shared: Shared, barrier: threading.Barrier) -> None:
    name = f"user{index + 1}"
    ws = open_workspace(url)
    activity.set_user(ws, name)
    rng = random.Random(seed * 100 + index)
    try:
        barrier.wait()
        for step in range(ops):
            roll = rng.random()
            kind = "search" if roll < 0.5 else "edit" if roll < 0.75 else "move"
            if step == ops // 2 and index < 2 and SAMPLE.exists():
                kind = "import"  # two users import the same list at about the same time
            started = time.perf_counter()
            if kind == "search":
                query = rng.choice(QUERIES)
                count_accounts(ws, query)
                fetch_accounts(ws, 0, 50, query)
            elif kind == "edit":
                _increment(ws, rng.choice(hot), shared)
            elif kind == "move":
                _move(ws, cards, rng, shared, name)
            else:
                _import(ws, f"agency {index + 1}")
            shared.took(kind, time.perf_counter() - started)
    except Exception as exc:  # reported, and fails the verification
        shared.errors.append(f"{name}: {type(exc).__name__}: {exc}")
    finally:
        ws.dispose()


def _server(url: str | None) -> tuple[URL, Path | None]:
    given = url or os.environ.get("KOL_DESK_BENCH_PG_URL") or os.environ.get("KOL_DESK_TEST_PG_URL")
    if given:
        return make_url(given), None
    state = Path(tempfile.mkdtemp(prefix="kol-bench-"))
    out = subprocess.run(["sh", str(REPO / "tools" / "postgres.sh"), "start", str(state)],
                         capture_output=True, text=True, check=True)
    return make_url(out.stdout.strip()), state


def run(url: str | None = None, users: int = 5, ops: int = 200, creators: int = 5000,
        seed: int = 7) -> dict[str, Any]:
    server, state = _server(url)
    admin = create_engine(server.set(drivername="postgresql+psycopg"), isolation_level="AUTOCOMMIT")
    name = f"kol_bench_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name}"))
    target = server.set(drivername="postgresql+psycopg", database=name).render_as_string(
        hide_password=False)
    try:
        ws = open_workspace(target)
        generate_demo(ws, creators=creators, seed=seed, today=date(2026, 11, 20))
        with ws.session() as s:
            hot = list(s.scalars(select(Campaign.id).order_by(Campaign.id).limit(HOT_CAMPAIGNS)))
            start = {cid: s.get(Campaign, cid).kpi_clicks or 0 for cid in hot}  # type: ignore[union-attr]
            busiest = s.scalar(select(Collaboration.campaign_id).group_by(Collaboration.campaign_id)
                               .order_by(func.count().desc()).limit(1))
            cards = list(s.scalars(select(Collaboration.id).where(Collaboration.campaign_id == busiest)))
        ws.dispose()

        shared = Shared()
        barrier = threading.Barrier(users)
        threads = [threading.Thread(target=user_run, args=(target, i, ops, seed, hot, cards,
                                                           shared, barrier)) for i in range(users)]
        began = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.perf_counter() - began

        ws = open_workspace(target)
        with ws.session() as s:
            final = {cid: s.get(Campaign, cid).kpi_clicks or 0 for cid in hot}  # type: ignore[union-attr]
            twins = s.execute(select(PlatformAccount.platform, PlatformAccount.handle)
                              .group_by(PlatformAccount.platform, PlatformAccount.handle)
                              .having(func.count() > 1)).all()
        ws.dispose()
        lost = {cid: start[cid] + shared.increments[cid] - final[cid] for cid in hot}
        all_latency = [v for values in shared.latency.values() for v in values]
        total = len(all_latency)
        return {
            "users": users, "operations": total, "seconds": round(wall, 2),
            "ops_per_second": round(total / wall, 1) if wall else 0.0,
            "p99_ms": round(percentile(all_latency, 0.99) * 1000, 1),
            "by_kind": {kind: {"count": len(v), "p50_ms": round(percentile(v, 0.5) * 1000, 1),
                               "p99_ms": round(percentile(v, 0.99) * 1000, 1)}
                        for kind, v in sorted(shared.latency.items())},
            "conflicts_detected": shared.conflicts, "moves_refused_by_rules": shared.refused_moves,
            "lost_updates": sum(lost.values()), "duplicate_accounts": len(twins),
            "errors": shared.errors,
            "verified": not shared.errors and not any(lost.values()) and not twins
                        and total == users * ops,
        }
    finally:
        with admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()
        if state is not None:
            subprocess.run(["sh", str(REPO / "tools" / "postgres.sh"), "stop", str(state)], check=False)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="a PostgreSQL server URL (a database is created on it)")
    parser.add_argument("--users", type=int, default=5)
    parser.add_argument("--ops", type=int, default=200, help="operations per user")
    parser.add_argument("--creators", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    result = run(args.url, args.users, args.ops, args.creators, args.seed)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=1))
    else:
        print(f"{result['users']} users, {result['operations']} operations in {result['seconds']} s: "
              f"{result['ops_per_second']} ops/s, p99 {result['p99_ms']} ms")
        for kind, figures in result["by_kind"].items():
            print(f"  {kind:7} {figures['count']:5}  p50 {figures['p50_ms']:7.1f} ms  "
                  f"p99 {figures['p99_ms']:7.1f} ms")
        print(f"conflicts detected {result['conflicts_detected']}, lost updates "
              f"{result['lost_updates']}, duplicate accounts {result['duplicate_accounts']}"
              + ("" if not result["errors"] else f", errors: {result['errors']}"))
        print("verified" if result["verified"] else "VERIFICATION FAILED")
    return 0 if result["verified"] else 1


if __name__ == "__main__":
    sys.exit(main())
