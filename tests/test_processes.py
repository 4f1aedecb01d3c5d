"""Real processes on one workspace, as users have them: a KOL Desk window (its own
process, opened as ``kol-desk`` opens it) and ``kol-desk`` commands run beside it from a
terminal. Nothing the window saved may vanish, and the window never loses its
write-ahead log to another process."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import Workbook

REPO = Path(__file__).resolve().parents[1]
WINDOW = REPO / "tests" / "window_process.py"


class Window:
    """The window process and its one-line protocol (tests/window_process.py)."""

    def __init__(self, database: Path, env: dict[str, str]) -> None:
        self.process = subprocess.Popen(
            [sys.executable, str(WINDOW), str(database)], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=REPO)
        first = self._line()
        assert first.startswith("ready "), first
        self.pid = int(first.split()[1])

    def _line(self) -> str:
        assert self.process.stdout is not None
        line = self.process.stdout.readline().strip()
        if not line:
            self.process.kill()
            _, errors = self.process.communicate(timeout=10)
            pytest.fail(f"the window process ended: {errors[-2000:]}")
        return line

    def ask(self, command: str) -> str:
        assert self.process.stdin is not None
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()
        answer = self._line()
        assert answer.startswith("ok"), f"{command}: {answer}"
        return answer[3:]

    def creators_shown(self, expected: int) -> int:
        """Switch to the window (its refresh) until the Creators tab shows ``expected``."""
        shown = -1
        for _ in range(100):
            self.ask("activate")
            shown = int(self.ask("creators"))
            if shown == expected:
                break
        return shown

    def quit(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write("quit\n")
        self.process.stdin.close()
        assert self.process.wait(timeout=60) == 0


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    environment = dict(os.environ)
    environment.update(KOL_DESK_DATA_DIR=str(tmp_path / "data"),
                       KOL_DESK_CONFIG_DIR=str(tmp_path / "config"),
                       QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(REPO))
    return environment


def kol_desk(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kol_desk", *args], capture_output=True,
                          text=True, env=env, cwd=REPO, timeout=300, check=False)


@pytest.fixture
def database(tmp_path: Path, env: dict[str, str]) -> Path:
    path = tmp_path / "shared.sqlite"
    done = kol_desk(env, "demo", "--db", str(path), "--creators", "40")
    assert done.returncode == 0, done.stderr
    return path


@pytest.fixture
def window(database: Path, env: dict[str, str]) -> Iterator[Window]:
    opened = Window(database, env)
    yield opened
    if opened.process.poll() is None:
        opened.process.kill()
        opened.process.wait()


def campaigns_on_disk(database: Path) -> set[str]:
    """What a fresh reader in yet another process finds."""
    connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        return {name for (name,) in connection.execute("SELECT name FROM campaigns")}
    finally:
        connection.close()


def agency_list(path: Path) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["达人昵称", "平台", "账号ID", "粉丝数", "报价"])
    sheet.append(["进程测试甲", "小红书", "proc_a", "1.2w", "5000"])
    sheet.append(["进程测试乙", "抖音", "proc_b", "35万", "1.2万"])
    sheet.append(["进程测试丙", "B站", "proc_c", "8000", "面议"])
    book.save(path)
    return path


def test_reads_beside_the_window_lose_none_of_its_saves(
        window: Window, database: Path, env: dict[str, str], tmp_path: Path) -> None:
    wal = Path(f"{database}-wal")
    reads = [
        ("creators", "--json"),
        ("export", "report", "--out", str(tmp_path / "report.xlsx")),
        ("export", "creators", "--out", str(tmp_path / "creators.xlsx")),
        ("check",),
        ("backup", "--out", str(tmp_path / "copy.sqlite")),
    ]
    written: list[str] = []
    for step, command in enumerate(reads):
        name = f"campaign {step} before {command[0]}"
        window.ask(f"write {name}")
        written.append(name)
        log = wal.stat().st_ino
        done = kol_desk(env, *command, "--db", str(database))
        assert done.returncode == 0, f"{command}: {done.stderr}"
        # The window still holds its write-ahead log: nobody deleted it under it.
        assert wal.exists() and wal.stat().st_ino == log, f"{command} removed the window's WAL"
        # Each of the window's saves is visible to any other process at once.
        assert set(written) <= campaigns_on_disk(database), command
    window.ask("write after the last read")
    written.append("after the last read")
    assert set(written) <= campaigns_on_disk(database)
    window.quit()
    connection = sqlite3.connect(database)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        connection.close()
    assert set(written) <= campaigns_on_disk(database)


def test_an_import_beside_the_window_is_shown_and_undone_there(
        window: Window, database: Path, env: dict[str, str], tmp_path: Path) -> None:
    before = int(window.ask("creators"))
    done = kol_desk(env, "import", str(agency_list(tmp_path / "list.xlsx")), "--db",
                    str(database))
    assert done.returncode == 0, done.stderr
    assert window.creators_shown(before + 3) == before + 3
    # A read from the terminal, then the window undoes the import (its backup first).
    assert kol_desk(env, "creators", "--json", "--db", str(database)).returncode == 0
    window.ask("undo-import")
    assert int(window.ask("creators")) == before
    window.ask("write after the undo")
    assert "after the undo" in campaigns_on_disk(database)


@pytest.mark.parametrize("command", ["restore", "demo"])
def test_commands_that_replace_the_workspace_are_refused_beside_the_window(
        window: Window, database: Path, env: dict[str, str], command: str,
        tmp_path: Path) -> None:
    window.ask("write kept")
    args = {"restore": ("restore", str(tmp_path / "copy.sqlite"), "--db", str(database)),
            "demo": ("demo", "--db", str(database))}[command]
    if command == "restore":
        assert kol_desk(env, "backup", "--db", str(database), "--out",
                        str(tmp_path / "copy.sqlite")).returncode == 0
    done = kol_desk(env, *args)
    assert done.returncode == 3
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and str(database) in lines[0] and f"process {window.pid}" in lines[0]
    window.ask("write still working")
    assert {"kept", "still working"} <= campaigns_on_disk(database)
