"""``kol-desk export report|creators`` from the command line, as a script would run it."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from kol_desk.cli import main
from kol_desk.commands.export import parse_period
from kol_desk.errors import BadInputError
from kol_desk.services.reports import ReportScope, build_report
from kol_desk.store.database import Workspace


def _db(demo_workspace: Workspace, tmp_path: Path) -> str:
    path = demo_workspace.path
    assert path is not None
    demo_workspace.dispose()
    target = tmp_path / "cli.sqlite"
    shutil.copyfile(path, target)
    return str(target)


def test_export_report_for_two_campaigns_and_a_period(demo_workspace: Workspace, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    db = _db(demo_workspace, tmp_path)
    out = tmp_path / "boss.xlsx"
    code = main(["export", "report", "--db", db, "--campaign", "1", "--campaign", "3",
                 "--period", "2026-Q4", "--out", str(out)])
    assert code == 0
    from kol_desk.store.migrate import open_workspace

    ws = open_workspace(db)
    expected = build_report(ws, ReportScope((1, 3), date(2026, 10, 1), date(2026, 12, 31)))
    ws.dispose()
    assert f"{expected.totals.posts} posts in 2 campaigns" in capsys.readouterr().out
    book = openpyxl.load_workbook(out)
    assert book.sheetnames[0] == "Summary"
    assert book["Post details"].max_row == 4 + expected.totals.posts
    scope = str(book["Summary"]["A2"].value)
    assert "Posted 2026-10-01 to 2026-12-31" in scope and expected.campaigns[1][1] in scope


def test_export_creators_with_search(demo_workspace: Workspace, tmp_path: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    db = _db(demo_workspace, tmp_path)
    out = tmp_path / "list.xlsx"
    assert main(["export", "--db", db, "creators", "--search", "小", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    rows = int(printed.split(": ")[1].split()[0])
    assert rows > 0 and openpyxl.load_workbook(out).active.max_row == 4 + rows  # type: ignore[union-attr]


def test_bad_input_exits_3_with_a_message(demo_workspace: Workspace, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    db = _db(demo_workspace, tmp_path)
    assert main(["export", "report", "--db", db, "--campaign", "99", "--out", str(tmp_path / "x.xlsx")]) == 3
    assert "no campaign with id 99" in capsys.readouterr().err
    assert main(["export", "report", "--db", db, "--out", str(tmp_path / "x.csv")]) == 3
    assert ".xlsx" in capsys.readouterr().err
    assert main(["export", "creators", "--db", db, "--out", str(tmp_path / "nowhere" / "x.xlsx")]) == 3
    assert not (tmp_path / "x.xlsx").exists()


def test_periods() -> None:
    assert parse_period("2026") == (date(2026, 1, 1), date(2026, 12, 31))
    assert parse_period("2026-Q4") == (date(2026, 10, 1), date(2026, 12, 31))
    assert parse_period("2026q1") == (date(2026, 1, 1), date(2026, 3, 31))
    assert parse_period("2026-02") == (date(2026, 2, 1), date(2026, 2, 28))
    assert parse_period("2026-10-05..") == (date(2026, 10, 5), None)
    assert parse_period("..2026-11-30") == (None, date(2026, 11, 30))
    for bad in ("2026-13", "last week", "2026-12-01..2026-11-01"):
        with pytest.raises(BadInputError):
            parse_period(bad)


def test_lang_applies_to_every_export_and_defaults_to_the_preferred_language(
        demo_workspace: Workspace, tmp_path: Path) -> None:
    from kol_desk.preferences import Preferences

    db = _db(demo_workspace, tmp_path)
    report, creators = tmp_path / "boss.xlsx", tmp_path / "list.xlsx"
    assert main(["export", "report", "--db", db, "--lang", "zh_CN", "--out", str(report)]) == 0
    assert main(["--lang", "zh_CN", "export", "creators", "--db", db, "--out", str(creators)]) == 0
    assert openpyxl.load_workbook(report).sheetnames[0] == "总览"
    assert "平台" in [c.value for row in openpyxl.load_workbook(creators).active.iter_rows(max_row=4)  # type: ignore[union-attr]
                    for c in row]
    # Without --lang: the language chosen in the window's preferences.
    Preferences().set("language", "zh_CN")
    assert main(["export", "report", "--db", db, "--out", str(report)]) == 0
    assert openpyxl.load_workbook(report).sheetnames[0] == "总览"
    assert main(["export", "report", "--db", db, "--lang", "en", "--out", str(report)]) == 0
    assert openpyxl.load_workbook(report).sheetnames[0] == "Summary"


def test_no_export_or_backup_is_written_over_the_workspace(demo_workspace: Workspace, tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    import sqlite3
    from contextlib import closing

    db = tmp_path / "workspace.xlsx"  # a workspace that happens to carry a workbook's name
    shutil.copyfile(_db(demo_workspace, tmp_path), db)

    def state() -> tuple[object, ...]:
        with closing(sqlite3.connect(db)) as conn:  # closed: no -wal left beside it
            return (conn.execute("PRAGMA quick_check").fetchone(),
                    conn.execute("SELECT count(*) FROM creators").fetchone(),
                    conn.execute("SELECT count(*) FROM collaborations").fetchone())

    before = state()
    assert before[0] == ("ok",) and before[1] != (0,)
    assert main(["export", "report", "--db", str(db), "--out", str(db)]) == 3
    err = capsys.readouterr().err
    assert f"{db} is a database" in err and "Choose another file name" in err
    assert main(["export", "creators", "--db", str(db), "--lang", "zh_CN", "--out", str(db)]) == 3
    assert f"{db} 是一个数据库" in capsys.readouterr().err
    for out in (f"{db}-wal", f"{db}-journal"):
        assert main(["backup", "--db", str(db), "--out", out]) == 3
        assert f"{out} is a database" in capsys.readouterr().err
        assert not Path(out).exists()
    assert state() == before
    assert not list(tmp_path.glob("*.partial"))
