"""PostgreSQL itself: the trigram search index, moving a workspace both ways, and two
imports of overlapping lists at the same time."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.engine import URL

from kol_desk.models import Base, Creator, PlatformAccount, Quote, StageChange
from kol_desk.services.conflicts import retry_on_duplicate
from kol_desk.services.creators import count_accounts
from kol_desk.services.import_commit import commit_plan
from kol_desk.services.import_plan import build_plan
from kol_desk.services.import_reading import read_list
from kol_desk.services.transfer import TransferError, copy_to_team, save_local_copy
from kol_desk.store.database import Workspace
from kol_desk.store.migrate import open_workspace

MakeDb = Callable[[str], URL]


def url_text(url: URL) -> str:
    return url.render_as_string(hide_password=False)


@pytest.fixture
def pg_demo(pg_database: MakeDb) -> Workspace:
    ws = open_workspace(url_text(pg_database("demo")))
    yield ws
    ws.dispose()


def test_search_uses_pg_trgm_and_finds_what_sqlite_finds(pg_demo: Workspace,
                                                          demo_template: Path, tmp_path: Path) -> None:
    with pg_demo.engine.connect() as conn:
        index = conn.execute(text(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_creators_search_trgm'")).scalar()
        assert index is not None and "gin_trgm_ops" in index
        # With sequential scans priced out, the planner can answer a substring from the index.
        conn.execute(text("SET enable_seqscan = off"))
        plan = "\n".join(conn.execute(text(
            "EXPLAIN SELECT id FROM creators WHERE search_text ILIKE '%桃子%'")).scalars())
        assert "ix_creators_search_trgm" in plan
    lite = open_workspace(demo_template)
    try:
        # Chinese and Latin, one, two and three characters, upper case, a miss, LIKE's own
        # wildcards typed literally.
        for query in ("鱼", "桃子", "小鱼呀", "yu", "Luna", "LUNA", "a", "美食", "zzzz", "%", "_"):
            assert count_accounts(pg_demo, query) == count_accounts(lite, query), query
        assert count_accounts(pg_demo, "桃子") > 0 and count_accounts(pg_demo, "yu") > 0
    finally:
        lite.dispose()


def _table_rows(ws: Workspace) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, as comparable tuples (money, dates and uids included)."""
    result = {}
    with ws.engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            rows = conn.execute(select(table).order_by(table.c.id)).all()
            result[table.name] = [tuple(r) for r in rows]
    return result


def test_a_workspace_goes_to_the_team_database_and_back_unchanged(
        demo_template: Path, pg_database: MakeDb, tmp_path: Path) -> None:
    source = open_workspace(demo_template)
    target = url_text(pg_database("empty"))
    seen: list[tuple[int, int]] = []
    report = copy_to_team(source, target, lambda done, total, _t: seen.append((done, total)))
    assert report.ok and report.rows > 2000
    assert seen[-1][0] == seen[-1][1] == report.rows
    team = open_workspace(target)
    local = tmp_path / "offline.sqlite"
    back = save_local_copy(team, local)
    assert back.ok and back.rows == report.rows
    copy = open_workspace(local)
    try:
        original = _table_rows(source)
        assert _table_rows(team) == original
        assert _table_rows(copy) == original
        with copy.session() as s:
            # Quotes and stage history made the trip, and the copy's search index works.
            assert s.scalar(select(func.count()).select_from(Quote)) == len(original["quotes"])
            assert s.scalar(select(func.count()).select_from(StageChange)) == len(original["stage_changes"])
        assert count_accounts(copy, "桃子") == count_accounts(source, "桃子") > 0
        # New rows on the team database get fresh ids after the copied ones.
        with source.session() as s:
            last_id = s.scalar(select(func.max(Creator.id)))
        with team.transaction() as s:
            newcomer = Creator(nickname="新人", search_text="新人")
            s.add(newcomer)
        assert newcomer.id == last_id + 1
    finally:
        for ws in (source, team, copy):
            ws.dispose()


def test_copying_into_a_database_with_data_is_refused(demo_template: Path,
                                                      pg_database: MakeDb) -> None:
    source = open_workspace(demo_template)
    target = url_text(pg_database("demo"))
    try:
        with pytest.raises(TransferError, match="already holds data"):
            copy_to_team(source, target)
    finally:
        source.dispose()


SAMPLE = Path(__file__).resolve().parents[3] / "shared" / "samples" / "agency_lists"


def _sample(name: str) -> Path:
    path = SAMPLE / name
    if not path.exists():
        pytest.skip(f"the shared agency-list sample {path} is absent")
    return path


def _duplicates(ws: Workspace) -> int:
    with ws.session() as s:
        return len(s.execute(select(PlatformAccount.platform, PlatformAccount.handle)
                             .group_by(PlatformAccount.platform, PlatformAccount.handle)
                             .having(func.count() > 1)).all())


def test_two_imports_planned_at_once_create_no_twins(pg_database: MakeDb) -> None:
    """Both users read the workspace before either commits (the worst interleaving, made
    deterministic): the second commit meets the unique key, re-plans, and matches."""
    url = url_text(pg_database("empty"))
    amy, bo = open_workspace(url), open_workspace(url)
    listing = _sample("p01_xhs_double11_mcn.xlsx")
    try:
        stale = build_plan(bo, read_list(bo, listing, agency="青柚"), agency="青柚")
        commit_plan(amy, build_plan(amy, read_list(amy, listing, agency="星耀"), agency="星耀"))
        plans = iter([stale])

        def bo_import() -> object:
            plan = next(plans, None) or build_plan(bo, read_list(bo, listing, agency="青柚"),
                                                   agency="青柚")
            return commit_plan(bo, plan)

        retry_on_duplicate(bo_import)
        with amy.session() as s:
            accounts = s.scalar(select(func.count()).select_from(PlatformAccount))
            creators = s.scalar(select(func.count()).select_from(Creator))
            agencies = s.scalar(select(func.count(func.distinct(Quote.agency_id))))
        assert _duplicates(amy) == 0
        assert accounts == creators == 24
        assert agencies == 2  # both agencies' prices are kept as quotes on the same accounts
    finally:
        amy.dispose()
        bo.dispose()


def test_kol_desk_import_run_twice_at_once_creates_no_duplicates(
        pg_database: MakeDb, tmp_path: Path) -> None:
    """Two `kol-desk import` processes on overlapping lists against one server."""
    url = url_text(pg_database("empty"))
    listing = _sample("p01_xhs_double11_mcn.xlsx")
    env = {**os.environ, "KOL_DESK_DATA_DIR": str(tmp_path / "d"),
           "KOL_DESK_CONFIG_DIR": str(tmp_path / "c")}
    runs = [subprocess.Popen([sys.executable, "-m", "kol_desk", "import", str(listing), "--db", url,
                              "--agency", agency], env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
            for agency in ("星耀", "青柚")]
    outcomes = [run.communicate(timeout=120) for run in runs]
    ws = open_workspace(url)
    try:
        assert _duplicates(ws) == 0
        with ws.session() as s:
            assert s.scalar(select(func.count()).select_from(PlatformAccount)) == 24
        assert [run.returncode for run in runs] == [0, 0], outcomes
    finally:
        ws.dispose()


def test_two_imports_in_threads_commit_at_once_and_create_no_twins(pg_database: MakeDb) -> None:
    """Two users, two connections, really at the same time: both plan from the empty
    database, then both commit together. One transaction waits on the other's new
    accounts in the unique index, fails on them, re-plans and matches them."""
    url = url_text(pg_database("empty"))
    listing = _sample("p01_xhs_double11_mcn.xlsx")
    both_planned = threading.Barrier(2, timeout=60)
    attempts: dict[str, int] = {}
    errors: list[BaseException] = []

    def import_as(agency: str) -> None:
        ws = open_workspace(url)
        try:
            parsed = read_list(ws, listing, agency=agency)

            def attempt() -> object:
                attempts[agency] = attempts.get(agency, 0) + 1
                plan = build_plan(ws, parsed, agency=agency)
                if attempts[agency] == 1:
                    both_planned.wait()
                return commit_plan(ws, plan)

            retry_on_duplicate(attempt)
        except BaseException as exc:  # reported by the test thread below
            errors.append(exc)
            both_planned.abort()
        finally:
            ws.dispose()

    threads = [threading.Thread(target=import_as, args=(agency,)) for agency in ("星耀", "青柚")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert errors == []
    ws = open_workspace(url)
    try:
        assert _duplicates(ws) == 0
        with ws.session() as s:
            assert s.scalar(select(func.count()).select_from(PlatformAccount)) == 24
            assert s.scalar(select(func.count()).select_from(Creator)) == 24
            assert s.scalar(select(func.count(func.distinct(Quote.agency_id)))) == 2
    finally:
        ws.dispose()
    # Both planned 24 new creators; the one that committed second had to plan again.
    assert sorted(attempts.values()) == [1, 2]
