from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from kol_desk import __version__
from kol_desk.cli import main


def test_version_prints_and_exits_zero() -> None:
    result = subprocess.run([sys.executable, "-m", "kol_desk", "--version"], capture_output=True, text=True, check=False)
    assert result.returncode == 0
    assert result.stdout.strip() == f"KOL Desk {__version__}"


def test_a_reader_that_goes_away_ends_the_output_quietly(tmp_path: Path) -> None:
    db = tmp_path / "demo.sqlite"
    assert main(["demo", "--db", str(db), "--creators", "40"]) == 0
    # `kol-desk creators | head -0`: the reader closes before the first line is written.
    process = subprocess.Popen([sys.executable, "-m", "kol_desk", "creators", "--db", str(db)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()
    errors = process.stderr.read().decode()
    assert process.wait(timeout=60) == 141
    assert errors == ""


def test_demo_then_check(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "demo.sqlite"
    assert main(["demo", "--db", str(db), "--creators", "40"]) == 0
    assert "40 creators" in capsys.readouterr().out
    assert main(["check", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert f"{db}: OK" in out and "40 creators" in out


def test_check_finds_a_damaged_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "demo.sqlite"
    assert main(["demo", "--db", str(db), "--creators", "20"]) == 0
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA foreign_keys = OFF")
        conn.execute("UPDATE platform_accounts SET creator_id = 999999 WHERE id = 1")
    capsys.readouterr()
    assert main(["check", "--db", str(db)]) == 1
    assert "foreign key: platform_accounts row 1" in capsys.readouterr().out


def test_check_on_a_file_that_is_not_a_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "notes.sqlite"
    db.write_text("just some notes", encoding="utf-8")
    assert main(["check", "--db", str(db)]) == 1
    assert "not an SQLite database" in capsys.readouterr().out


def test_bad_input_gives_exit_3_and_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nowhere.sqlite"
    assert main(["check", "--db", str(missing)]) == 3
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(missing) in err and "Traceback" not in err
    assert main(["demo"]) == 3
    assert "--db" in capsys.readouterr().err


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["no-such-command"])
    assert exit_info.value.code == 2
    with pytest.raises(SystemExit) as exit_info:
        main(["demo", "--creators", "many"])
    assert exit_info.value.code == 2
