"""Every benchmark case once, at small size, so the suite cannot rot. Nothing here is
timed: the figures live in ``python -m benchmarks``; these tests check that each case
still drives the real widgets to the result a user would see.

The widget cases run in this process (the runner runs them in fresh ones); start-up and
its bare reference are real child processes, exactly as the runner starts them. The
CLI import and export cases run the owners' commands, which their own tests cover; here
their references (calamine reading, XlsxWriter writing, raw sqlite3 writing an import's
rows) run on a shared sample.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from benchmarks import child
from benchmarks.dataset import add_year
from benchmarks.run import CHILD, Row, measure, table


@pytest.fixture(scope="module")
def bench_db(tmp_path_factory: pytest.TempPathFactory, demo_template: Path) -> Path:
    """The 300-creator demo plus a small year of campaigns with a 20-card board."""
    path = tmp_path_factory.mktemp("bench") / "bench.sqlite"
    shutil.copyfile(demo_template, path)
    add_year(str(path), collaborations=60, board=20)
    return path


def _case(name: str, capsys: pytest.CaptureFixture[str], qtbot: QtBot, **args: Any) -> dict[str, Any]:
    capsys.readouterr()
    namespace = argparse.Namespace(**{"db": None, "file": None, "out": None, "lang": "en", **args})
    widget = child.CASES[name](namespace)
    if widget is not None:
        qtbot.addWidget(widget)
    printed = [line for line in capsys.readouterr().out.splitlines() if line.startswith("{")]
    assert len(printed) == 1, printed
    result: dict[str, Any] = json.loads(printed[0])
    if widget is not None:
        widget.close()
        widget.context.workspace.dispose()
    return result


@pytest.fixture
def bench_copy(bench_db: Path, tmp_path: Path) -> Iterator[str]:
    target = tmp_path / "bench.sqlite"
    shutil.copyfile(bench_db, target)
    yield str(target)


def test_search_case_types_each_query_and_sees_the_table_change(
        bench_copy: str, qtbot: QtBot, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    # One short and one long query of each script keep the smoke test short.
    queries = [q for q in child.QUERIES if q[0] in ("zh1", "zh3", "latin2", "latin6")]
    monkeypatch.setattr(child, "QUERIES", queries)
    parts = _case("search", capsys, qtbot, db=bench_copy)["parts"]
    for label, _query in queries:
        # the time and the CPU of typing that query (process_time counts nanoseconds)
        assert parts[label] > 0 and parts[f"{label}_cpu"] > 0
    # "鱼" and "yu" are in many demo nicknames and handles: the table shows them.
    assert parts["zh1_rows"] > 0 and parts["latin2_rows"] > 0
    assert parts["filter"] > 0 and parts["sort"] > 0


def test_scroll_case_reaches_the_last_row_and_sorts(
        bench_copy: str, qtbot: QtBot, capsys: pytest.CaptureFixture[str]) -> None:
    parts = _case("scroll", capsys, qtbot, db=bench_copy)["parts"]
    assert parts["rows"] > 300  # every account of the 300 creators, past the first page
    assert parts["sort_ascending"] > 0 and parts["sort_descending"] > 0


@pytest.mark.parametrize("case", ["reports", "reports_warm"])
def test_reports_case_waits_for_the_chart(
        case: str, bench_copy: str, qtbot: QtBot, capsys: pytest.CaptureFixture[str]) -> None:
    result = _case(case, capsys, qtbot, db=bench_copy)
    assert 0 < result["parts"]["report_ready"] <= result["seconds"]


def test_board_case_moves_cards_on_the_board_campaign(
        bench_copy: str, qtbot: QtBot, capsys: pytest.CaptureFixture[str]) -> None:
    parts = _case("board", capsys, qtbot, db=bench_copy)["parts"]
    assert parts["cards"] == 20 and parts["moves"] == 5


def test_negotiation_case_opens_the_view_for_each_account(
        capsys: pytest.CaptureFixture[str], qtbot: QtBot, bench_copy: str) -> None:
    result = _case("negotiation", capsys, qtbot, db=bench_copy)
    parts = result["parts"]
    # Six accounts with a deal and six at random, the first open apart; each chart waited for.
    assert parts["opens"] == 11 and parts["slowest"] >= result["seconds"] > 0
    assert parts["chart"] > result["seconds"]


def test_memory_case_reports_peak_after_scrolling(
        bench_copy: str, qtbot: QtBot, capsys: pytest.CaptureFixture[str]) -> None:
    parts = _case("memory", capsys, qtbot, db=bench_copy)["parts"]
    assert parts["peak_mb"] >= parts["rss_open_mb"] > 0 and parts["rows"] > 300


def test_file_references_read_and_write_the_same_cells(
        agency_lists: Path, tmp_path: Path, qtbot: QtBot, capsys: pytest.CaptureFixture[str]) -> None:
    sample = str(agency_lists / "p01_xhs_double11_mcn.xlsx")
    assert _case("calamine", capsys, qtbot, file=sample)["parts"]["cells"] > 100
    out = tmp_path / "bare.xlsx"
    _case("xlsxwriter", capsys, qtbot, file=sample, out=str(out))
    import python_calamine

    def cells(path: str) -> list[list[Any]]:
        book = python_calamine.CalamineWorkbook.from_path(path)
        return [book.get_sheet_by_name(name).to_python() for name in book.sheet_names]

    assert cells(str(out)) == cells(sample)


def test_import_floor_writes_exactly_the_rows_the_import_wrote(
        agency_lists: Path, tmp_path: Path, qtbot: QtBot, capsys: pytest.CaptureFixture[str]) -> None:
    import sqlite3

    from kol_desk.cli import main as kol_desk
    from kol_desk.store.migrate import open_workspace

    empty, ours, floor = tmp_path / "empty.sqlite", tmp_path / "ours.sqlite", tmp_path / "floor.sqlite"
    open_workspace(empty).dispose()
    shutil.copyfile(empty, ours)
    assert kol_desk(["import", str(agency_lists / "p01_xhs_double11_mcn.xlsx"), "--db", str(ours)]) == 0
    parts = _case("sqlite_floor", capsys, qtbot, db=str(ours), file=str(empty), out=str(floor))["parts"]

    def stored(path: Path) -> list[list[Any]]:
        with closing(sqlite3.connect(path)) as conn:
            return [conn.execute(f"SELECT * FROM {t} ORDER BY id").fetchall()
                    for t in ("creators", "platform_accounts", "quotes", "import_batches")]

    assert stored(floor) == stored(ours) and parts["rows"] > len(stored(ours)[0]) > 0
    with sqlite3.connect(floor) as conn:  # the search index was filled, its trigger is back
        assert conn.execute("SELECT count(*) FROM creators_fts").fetchone()[0] == len(stored(ours)[0])
        assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'creators_fts_insert'").fetchone() == (1,)


def test_start_up_and_its_bare_reference_in_fresh_processes(bench_db: Path) -> None:
    ours = measure([*CHILD, "startup", "--db", str(bench_db), "--t0", "{t0}"], timeout=300)
    bare = measure([*CHILD, "bare", "--t0", "{t0}"], timeout=300)
    assert not ours.error and not bare.error, (ours.error, bare.error)
    assert 0 < bare.seconds < bare.wall and 0 < ours.seconds < ours.wall
    assert ours.peak_mb > bare.peak_mb > 10
    row = Row("start-up", ours.seconds, ours.cpu, ours.peak_mb, "bare", bare.seconds,
              target="≤ 2.5×", limit=2.5)
    line = table([row])[2]
    assert line.startswith("| start-up |") and "×" in line and row.verdict in ("met", "MISSED")


def test_the_report_workspace_gets_exactly_the_posts_asked_for(bench_db: Path, tmp_path: Path) -> None:
    from benchmarks.dataset import REPORT_CAMPAIGN, add_report_posts, report_posts

    target = tmp_path / "report.sqlite"
    shutil.copyfile(bench_db, target)
    before = report_posts(str(target))
    add_report_posts(str(target), before + 40)
    assert report_posts(str(target)) == before + 40
    add_report_posts(str(target), before)  # already more: nothing is added
    assert report_posts(str(target)) == before + 40
    with closing(sqlite3.connect(target)) as conn:
        (campaigns,) = conn.execute("SELECT count(*) FROM campaigns WHERE name = ?",
                                    (REPORT_CAMPAIGN,)).fetchone()
    assert campaigns == 1


def test_the_migration_case_upgrades_an_0004_copy_back_to_the_same_search_texts(
        bench_db: Path, tmp_path: Path) -> None:
    from benchmarks.bench_migrate import REVISIONS, child, prepare

    source = tmp_path / "head.sqlite"
    shutil.copyfile(bench_db, source)
    old = prepare(source, tmp_path, lambda _text: None)

    def texts(path: Path) -> dict[int, str]:
        with closing(sqlite3.connect(path)) as conn:
            return dict(conn.execute("SELECT id, search_text FROM creators"))

    def revision(path: Path) -> str:
        with closing(sqlite3.connect(path)) as conn:
            return str(conn.execute("SELECT version_num FROM alembic_version").fetchone()[0])

    head, before = texts(source), texts(old)
    assert revision(old) == "0004" and before.keys() == head.keys()
    # Cut back to the written parts: shorter wherever a Chinese name or tag gave pinyin.
    assert sum(before[i] != head[i] for i in head) > len(head) // 2
    assert prepare(source, tmp_path) == old  # built once
    parts = child(str(old))
    assert revision(old) == REVISIONS[-1] and parts["creators"] == len(head)
    assert all(parts[r] > 0 and parts[f"{r}_cpu"] > 0 for r in REVISIONS)
    assert texts(old) == head  # 0005 wrote what the head's own search text holds
