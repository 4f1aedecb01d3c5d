"""A command tells its errors and its result lines in the language asked for (``--lang``,
before or after the command), not only in English."""

from __future__ import annotations

from pathlib import Path

import pytest

from kol_desk.cli import main
from kol_desk.store.database import Workspace
from kol_desk.store.migrate import head_revision


def _file(workspace: Workspace) -> str:
    path = workspace.path
    assert path is not None
    workspace.dispose()
    return str(path)


def test_backup_over_an_existing_file_is_refused_in_chinese(
        workspace: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = _file(workspace)
    existing = tmp_path / "kept.sqlite"
    existing.write_bytes(b"someone's file")
    assert main(["backup", "--db", db, "--out", str(existing), "--lang", "zh_CN"]) == 3
    err = capsys.readouterr().err
    assert err == f"kol-desk: {existing} 已存在；请换一个新文件名（不会覆盖任何文件）。\n"
    assert existing.read_bytes() == b"someone's file"
    # the same refusal in English without --lang zh_CN (the test's preference is English)
    assert main(["--lang", "en", "backup", "--db", db, "--out", str(existing)]) == 3
    assert "already exists; choose a new file name" in capsys.readouterr().err


def test_backup_says_what_it_wrote_in_chinese(
        workspace: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = _file(workspace)
    out = tmp_path / "copy.sqlite"
    assert main(["--lang", "zh_CN", "backup", "--db", db, "--out", str(out)]) == 0
    line = capsys.readouterr().out
    assert line.startswith(f"{db} 已备份到 {out}（") and "字节；0 位达人、0 个账号、" in line
    assert out.is_file()


def test_a_missing_database_and_a_bad_period_in_chinese(
        tmp_path: Path, workspace: Workspace, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nowhere.sqlite"
    assert main(["check", "--db", str(missing), "--lang", "zh_CN"]) == 3
    assert capsys.readouterr().err == f"kol-desk: {missing}：那里没有数据库；请检查 --db 路径。\n"
    db = _file(workspace)
    assert main(["export", "report", "--db", db, "--period", "2026-13", "--lang", "zh_CN",
                 "--out", str(tmp_path / "r.xlsx")]) == 3
    assert "--period 2026-13：请写成 2026、2026-Q4" in capsys.readouterr().err
    assert not (tmp_path / "r.xlsx").exists()


def test_demo_and_check_report_in_chinese(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "demo.sqlite"
    assert main(["--lang", "zh_CN", "demo", "--db", str(db), "--creators", "12"]) == 0
    line = capsys.readouterr().out
    assert line.startswith(f"{db}: 12 位达人、") and "个项目、" in line and line.endswith("个合作\n")
    assert main(["check", "--db", str(db), "--lang", "zh_CN"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[:2] == [f"{db}: 正常", f"数据库结构版本：{head_revision()}"]
    assert "12 位达人" in lines  # a count in words, not the table's name


def test_an_unreadable_list_stops_the_import_in_chinese(
        workspace: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = _file(workspace)
    folder = tmp_path / "a folder.xlsx"
    folder.mkdir()
    assert main(["import", str(folder), "--db", db, "--lang", "zh_CN"]) == 3
    assert capsys.readouterr().err == "kol-desk: 无法导入“a folder.xlsx”：这是文件夹，不是文件\n"


def test_an_import_dry_run_reports_in_chinese(
        workspace: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = _file(workspace)
    listing = tmp_path / "list.csv"
    listing.write_text("达人昵称,平台,账号,粉丝数,报价\n小桃子,小红书,taozi01,12.3万,5000\n"
                       "大橙子,抖音,chengzi,很多,3000\n", encoding="utf-8")
    assert main(["import", str(listing), "--db", db, "--dry-run", "--lang", "zh_CN"]) == 0
    out = capsys.readouterr().out
    assert "list.csv：将导入 2 行；达人新增 2 位、匹配 0 位；" in out
    assert "  list 第 3 行 D 粉丝数：无法识别的粉丝数/播放量（'很多'）\n" in out


def test_check_names_the_problem_in_chinese(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    notes = tmp_path / "notes.sqlite"
    notes.write_text("just some notes", encoding="utf-8")
    assert main(["check", "--db", str(notes), "--lang", "zh_CN"]) == 1
    assert capsys.readouterr().out.splitlines() == [
        f"{notes}: 1 个问题", "数据库结构版本：无", "问题：不是 SQLite 数据库（文件头不对）"]
    assert main(["check", "--db", str(notes), "--json"]) == 1
    assert '"problems": ["not an SQLite database (wrong file header)"]' in capsys.readouterr().out
