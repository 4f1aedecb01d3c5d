"""Privacy: files readable by the user only, no network anywhere in importing, exporting,
backing up and restoring, and no contact details in logs or error messages."""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

import pytest

from kol_desk.cli import main
from kol_desk.store.backup import backup_before
from kol_desk.store.lock import WorkspaceLock, lock_path
from kol_desk.store.migrate import open_workspace

REPO = Path(__file__).resolve().parents[1]
PHONE, WECHAT, EMAIL = "13912345678", "wx_secret_peach", "peach.private@example.com"

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX modes")


def _mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


def test_workspace_backups_and_lock_are_private(isolated_folders: Path) -> None:
    data = isolated_folders
    ws = open_workspace(data / "workspace.sqlite", data / "backups")
    try:
        backup = backup_before(ws, "manual")
        with WorkspaceLock.acquire(data / "workspace.sqlite"):
            assert _mode(lock_path(data / "workspace.sqlite")) == 0o600
    finally:
        ws.dispose()
    assert backup is not None
    assert _mode(data) == 0o700
    assert _mode(data / "workspace.sqlite") == 0o600
    assert _mode(data / "backups") == 0o700
    assert _mode(backup) == 0o600


def test_an_existing_open_backups_folder_is_made_private(isolated_folders: Path) -> None:
    (isolated_folders / "backups").mkdir(parents=True, mode=0o755)
    (isolated_folders / "backups").chmod(0o755)
    ws = open_workspace(isolated_folders / "w.sqlite")
    try:
        backup_before(ws, "manual", isolated_folders / "backups")
    finally:
        ws.dispose()
    assert _mode(isolated_folders / "backups") == 0o700


def _contact_list(path: Path) -> None:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("达人")
    sheet.write_row(0, 0, ["达人昵称", "平台", "账号ID", "粉丝数", "报价", "电话", "微信", "邮箱"])
    sheet.write_row(1, 0, ["小桃子", "小红书", "taozi", "12.3w", "5000", PHONE, WECHAT, EMAIL])
    sheet.write_row(2, 0, ["阿杰", "抖音", "ajie", "1.2万", "面议", "13800000000", "wx_ajie", "a@b.cn"])
    book.close()


NO_NETWORK = r"""
import sys
events = []
def hook(event, args):
    if event.startswith(("socket.", "urllib.", "http.", "ftplib.", "smtplib.", "webbrowser.")):
        events.append(event)
        raise RuntimeError(f"network access: {event} {args!r:.200}")
sys.addaudithook(hook)

from pathlib import Path
from kol_desk.cli import main
from kol_desk.importing import parse_file

listing, db, out, samples = sys.argv[1], sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4])
for sample in sorted(samples.glob("*.xlsx")):
    try:
        parse_file(sample)
    except Exception as exc:
        assert type(exc).__name__ == "BadFileError", exc
assert main(["import", listing, "--db", db]) == 0
assert main(["export", "creators", "--out", str(out / "creators.xlsx"), "--db", db]) == 0
assert main(["export", "report", "--out", str(out / "report.xlsx"), "--db", db]) == 0
assert main(["backup", "--db", db, "--out", str(out / "copy.sqlite")]) == 0
assert main(["restore", str(out / "copy.sqlite"), "--db", db]) == 0
print("events:", events)
"""


def test_importing_exporting_and_backups_open_no_sockets(tmp_path: Path) -> None:
    listing = tmp_path / "contacts.xlsx"
    _contact_list(listing)
    samples = REPO.parent / "shared" / "samples" / "agency_lists"
    result = subprocess.run(
        [sys.executable, "-c", NO_NETWORK, str(listing), str(tmp_path / "ws.sqlite"),
         str(tmp_path), str(samples)],
        cwd=REPO, capture_output=True, text=True,
        env={"PATH": "/usr/bin:/bin", "KOL_DESK_DATA_DIR": str(tmp_path / "data"),
             "KOL_DESK_CONFIG_DIR": str(tmp_path / "config"), "MPLBACKEND": "Agg",
             "PYTHONPATH": str(REPO)})
    assert result.returncode == 0, result.stderr[-3000:]
    assert "events: []" in result.stdout
    assert (tmp_path / "creators.xlsx").stat().st_size > 0
    assert (tmp_path / "report.xlsx").stat().st_size > 0


def test_logs_and_errors_never_carry_contact_details(tmp_path: Path, caplog: pytest.LogCaptureFixture,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    from sqlalchemy import text

    caplog.set_level(logging.DEBUG)
    # The worst case: someone turns SQL logging on.
    logging.getLogger("sqlalchemy.engine").setLevel(logging.INFO)
    try:
        listing = tmp_path / "contacts.xlsx"
        _contact_list(listing)
        db = tmp_path / "ws.sqlite"
        assert main(["import", str(listing), "--db", str(db)]) == 0
        ws = open_workspace(db)
        try:
            # A failing write with a contact in its parameters: the error text that
            # reaches a log or a dialog must not quote it.
            with pytest.raises(Exception) as info, ws.transaction() as session:
                session.execute(text("INSERT INTO agency_contacts (agency_id, name, phone, uid, "
                                     "version) VALUES (:a, :n, :p, :u, 1)"),
                                {"a": 999_999, "n": "x", "p": PHONE, "u": "0" * 32})
            logging.getLogger("kol_desk").exception("write failed: %s", info.value)
        finally:
            ws.dispose()
    finally:
        logging.getLogger("sqlalchemy.engine").setLevel(logging.WARNING)
    printed = capsys.readouterr()
    assert caplog.records, "nothing was logged: the test would prove nothing"
    for secret in (PHONE, WECHAT, EMAIL):
        assert secret not in caplog.text
        assert secret not in str(info.value)
        assert secret not in printed.err
