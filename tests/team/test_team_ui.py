"""The team dialogs as a user meets them: connect (against the real test server), the
conflict choice, the activity list, and a colleague's change showing up in a window."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.errors import KeyringLocked, PasswordDeleteError
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtTest import QAbstractItemModelTester
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select
from sqlalchemy.engine import URL, make_url

from kol_desk.models import Campaign, PlatformAccount
from kol_desk.preferences import Preferences
from kol_desk.services import activity
from kol_desk.services import campaigns as campaign_service
from kol_desk.services.campaigns import CampaignInput
from kol_desk.services.conflicts import Side, VersionConflict, resolve, save_fields
from kol_desk.store.database import Workspace
from kol_desk.store.migrate import open_workspace
from kol_desk.store.team import (
    TeamConnection,
    network_filesystem,
    recent_connections,
    remember_connection,
    store_password,
    stored_password,
)
from kol_desk.ui.context import AppContext, Change
from kol_desk.ui.dialogs.activity import ActivityDialog, TeamRefresher
from kol_desk.ui.dialogs.conflict import MINE, THEIRS, ConflictDialog
from kol_desk.ui.dialogs.connect import ConnectDialog, safe_location
from kol_desk.ui.main_window import MainWindow

FATAL = QAbstractItemModelTester.FailureReportingMode.Fatal
SECRET = "s3cret-Password!"  # QTest types ASCII only


@pytest.fixture
def lite(tmp_path: Path) -> Iterator[Workspace]:
    ws = open_workspace(tmp_path / "ui.sqlite")
    yield ws
    ws.dispose()


def test_connect_dialog_tests_the_connection_and_remembers_no_password(
        qtbot: QtBot, pg_server: URL, tmp_path: Path) -> None:
    prefs = Preferences(tmp_path / "prefs.json")
    dialog = ConnectDialog(prefs)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.host, pg_server.host or "127.0.0.1")
    dialog.port.setValue(pg_server.port or 5432)
    qtbot.keyClicks(dialog.database, "postgres")
    qtbot.keyClicks(dialog.user, pg_server.username or "kol")
    qtbot.keyClicks(dialog.password, SECRET)
    dialog.display_name.setText("王珊")  # an input method's result; QTest cannot type it
    qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.last_check is not None, timeout=15000)
    assert "Connected to PostgreSQL" in dialog.result_label.text()
    dialog.grab().save(str(tmp_path / "connect.png"))

    qtbot.mouseClick(dialog.connect_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == ConnectDialog.DialogCode.Accepted
    assert make_url(dialog.target()).password == SECRET  # in memory, to open the connection
    saved = (tmp_path / "prefs.json").read_text(encoding="utf-8")
    assert "s3cret" not in saved
    assert recent_connections(Preferences(tmp_path / "prefs.json")) == [TeamConnection(
        host=pg_server.host or "", database="postgres", user=pg_server.username or "",
        port=pg_server.port or 5432)]
    assert Preferences(tmp_path / "prefs.json").get("display_name") == "王珊"
    assert "s3cret" not in safe_location(dialog.target())


def test_connect_dialog_says_why_it_cannot_connect(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = ConnectDialog(Preferences(tmp_path / "prefs.json"))
    qtbot.addWidget(dialog)
    qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    assert dialog.result_label.text() == "Enter the server's name or address."
    qtbot.keyClicks(dialog.host, "127.0.0.1")
    dialog.port.setValue(1)  # nothing listens there
    qtbot.keyClicks(dialog.database, "kol")
    qtbot.keyClicks(dialog.user, "amy")
    qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.last_check is not None, timeout=15000)
    assert dialog.result_label.text().startswith("Cannot connect:")


class _MemoryKeyring(KeyringBackend):
    """A credential store in memory, standing in for the system's (none on the test
    machines): keyring's own backend interface, nothing of ours replaced."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.kept: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.kept.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.kept[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.kept.pop((service, username), None) is None:
            raise PasswordDeleteError("not kept")


@pytest.fixture
def credential_store() -> Iterator[_MemoryKeyring]:
    before = keyring.get_keyring()
    store = _MemoryKeyring()
    keyring.set_keyring(store)
    yield store
    keyring.set_keyring(before)


def test_the_connect_dialog_forgets_a_saved_password(
        qtbot: QtBot, tmp_path: Path, credential_store: _MemoryKeyring) -> None:
    prefs = Preferences(tmp_path / "prefs.json")
    office = TeamConnection(host="office-server", database="kol", user="amy")
    other = TeamConnection(host="db.example.com", database="kol", user="bo")
    for item in (other, office):
        remember_connection(prefs, item)
        store_password(item, SECRET)

    dialog = ConnectDialog(prefs)  # opens on the most recent: the office server
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.password.text() == SECRET and dialog.remember.isChecked()
    assert dialog.forget_button.isEnabled()
    qtbot.mouseClick(dialog.forget_button, Qt.MouseButton.LeftButton)
    assert stored_password(office) is None and stored_password(other) == SECRET
    assert dialog.password.text() == "" and not dialog.remember.isChecked()
    assert not dialog.forget_button.isEnabled()
    assert dialog.result_label.text() == (f"The saved password for {office.key} is forgotten; "
                                          "you will be asked for it next time.")
    dialog.reject()

    # Unticking "Remember" and connecting forgets it too.
    dialog = ConnectDialog(prefs, initial=other)
    qtbot.addWidget(dialog)
    assert dialog.remember.isChecked() and dialog.forget_button.isEnabled()
    dialog.remember.setChecked(False)
    dialog.display_name.setText("Bo")
    qtbot.mouseClick(dialog.connect_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == ConnectDialog.DialogCode.Accepted
    assert make_url(dialog.target()).password == SECRET  # this once, in memory
    assert stored_password(other) is None and credential_store.kept == {}


def test_a_store_that_keeps_the_password_is_said_so(
        qtbot: QtBot, tmp_path: Path, credential_store: _MemoryKeyring,
        monkeypatch: pytest.MonkeyPatch) -> None:
    prefs = Preferences(tmp_path / "prefs.json")
    office = TeamConnection(host="office-server", database="kol", user="amy")
    remember_connection(prefs, office)
    store_password(office, SECRET)

    def locked(_service: str, _username: str) -> None:
        raise KeyringLocked("the keychain is locked")

    monkeypatch.setattr(credential_store, "delete_password", locked)
    dialog = ConnectDialog(prefs)
    qtbot.addWidget(dialog)
    qtbot.mouseClick(dialog.forget_button, Qt.MouseButton.LeftButton)
    assert stored_password(office) == SECRET and dialog.forget_button.isEnabled()
    assert dialog.result_label.text() == (f"The system's credential store would not delete the "
                                          f"password for {office.key}; remove it there.")


def _conflict(ws: Workspace) -> VersionConflict:
    other = open_workspace(ws.url.render_as_string(hide_password=False))
    activity.set_user(other, "Bo")
    with ws.transaction() as s:
        row = Campaign(name="年货节", budget=Decimal("80000.00"), notes="A")
        s.add(row)
    base = {"name": "年货节", "budget": Decimal("80000.00"), "notes": "A"}
    save_fields(other, Campaign, row.id, 1, {**base, "budget": Decimal("90000.00"), "notes": "B"},
                base=base)
    other.dispose()
    try:
        save_fields(ws, Campaign, row.id, 1, {**base, "name": "年货节 2027", "notes": "C"},
                    base=base, title="年货节")
    except VersionConflict as exc:
        return exc
    raise AssertionError("the stale save went through")


def test_conflict_dialog_shows_both_versions_and_merges_as_ticked(
        qtbot: QtBot, lite: Workspace, tmp_path: Path) -> None:
    error = _conflict(lite)
    dialog = ConflictDialog(error.conflict, {"name": "Name", "budget": "Budget", "notes": "Notes"})
    qtbot.addWidget(dialog)
    QAbstractItemModelTester(dialog.model, FATAL)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert "changed by Bo" in dialog.message.text()
    model = dialog.model
    shown = [[model.index(r, c).data() for c in range(4)] for r in range(model.rowCount())]
    assert shown == [["Name", "年货节", "年货节 2027", "年货节"],
                     ["Budget", "80,000.00", "80,000.00", "90,000.00"],
                     ["Notes", "A", "C", "B"]]
    # Suggested: my name (only I changed it), their budget (only they did), mine on the clash.
    assert model.choices == {"name": Side.MINE, "budget": Side.THEIRS, "notes": Side.MINE}
    # The user ticks "Theirs" for the clashing notes, by clicking the check box.
    cell = dialog.table.visualRect(model.index(2, THEIRS))
    qtbot.mouseClick(dialog.table.viewport(), Qt.MouseButton.LeftButton,
                     pos=QPoint(cell.left() + 10, cell.center().y()))
    assert model.index(2, THEIRS).data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    assert model.index(2, MINE).data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Unchecked
    dialog.grab().save(str(tmp_path / "conflict.png"))
    qtbot.mouseClick(dialog.merge, Qt.MouseButton.LeftButton)
    assert dialog.resolution is not None
    resolve(error.conflict, dialog.resolution)
    with lite.session() as s:
        row = s.get(Campaign, error.conflict.record_id)
        assert row is not None
        assert (row.name, row.budget, row.notes) == ("年货节 2027", Decimal("90000.00"), "B")


def test_conflict_dialog_keep_theirs(qtbot: QtBot, lite: Workspace) -> None:
    error = _conflict(lite)
    dialog = ConflictDialog(error.conflict)
    qtbot.addWidget(dialog)
    qtbot.mouseClick(dialog.keep_theirs, Qt.MouseButton.LeftButton)
    assert dialog.resolution is not None and dialog.resolution.keep is Side.THEIRS


def test_activity_view_lists_the_teams_changes(qtbot: QtBot, lite: Workspace,
                                               tmp_path: Path) -> None:
    activity.set_user(lite, "Amy")
    with lite.transaction() as s:
        s.add(Campaign(name="618 新品"))
    _conflict(lite)  # Bo edits a campaign
    dialog = ActivityDialog(lite)
    qtbot.addWidget(dialog)
    QAbstractItemModelTester(dialog.model, FATAL)
    dialog.show()
    qtbot.waitUntil(lambda: not dialog.loading)
    texts = [(dialog.model.index(r, 1).data(), dialog.model.index(r, 2).data())
             for r in range(dialog.model.rowCount())]
    assert texts[0] == ("Bo", "Edited campaign 年货节: Planned budget, Notes")
    assert ("Amy", "Added campaign 618 新品") in texts
    dialog.grab().save(str(tmp_path / "activity.png"))
    dialog.who.setCurrentIndex(dialog.who.findData("Amy"))
    qtbot.waitUntil(lambda: not dialog.loading)
    assert {dialog.model.index(r, 1).data() for r in range(dialog.model.rowCount())} == {"Amy"}


def test_a_colleagues_change_refreshes_the_window(
        qtbot: QtBot, pg_database: Callable[[str], URL], tmp_path: Path) -> None:
    url = pg_database("empty").render_as_string(hide_password=False)
    mine, theirs = open_workspace(url), open_workspace(url)
    try:
        activity.set_user(theirs, "Bo")
        context = AppContext(mine, Preferences(tmp_path / "p.json"), QUndoStack())
        holder = QWidget()  # owns the refresher, so it (and its app event filter) goes away
        qtbot.addWidget(holder)
        refresher = TeamRefresher(context, interval=3600, parent=holder)
        qtbot.waitUntil(lambda: refresher.stamp is not None)
        with theirs.transaction() as s:
            s.add(Campaign(name="Bo 的项目"))
        with qtbot.waitSignal(context.events.changed) as blocker:
            refresher.check()
        assert blocker.args == [Change.ALL]
    finally:
        mine.dispose()
        theirs.dispose()


def test_a_colleagues_move_arrives_by_notification(
        qtbot: QtBot, pg_database: Callable[[str], URL], tmp_path: Path) -> None:
    """No poll and no focus change: the server's NOTIFY of Bo's commit wakes Amy's window.
    Amy's own writes do not make her window refresh itself."""
    from kol_desk.services import board
    from kol_desk.services.shortlist import add_to_campaign

    url = pg_database("demo").render_as_string(hide_password=False)
    mine, theirs = open_workspace(url), open_workspace(url)
    try:
        activity.set_user(mine, "Amy")
        activity.set_user(theirs, "Bo")
        context = AppContext(mine, Preferences(tmp_path / "p.json"), QUndoStack())
        holder = QWidget()
        qtbot.addWidget(holder)
        refresher = TeamRefresher(context, interval=3600, parent=holder)
        assert refresher.feed is not None
        qtbot.waitUntil(lambda: refresher.stamp is not None)
        refreshed: list[Change] = []
        context.events.changed.connect(refreshed.append)
        campaign_id = campaign_service.create_campaign(mine, CampaignInput("Amy 的项目"))
        with mine.session() as s:
            account = s.scalars(select(PlatformAccount.id).order_by(PlatformAccount.id)).first()
        assert account is not None
        (card,) = add_to_campaign(mine, campaign_id, [account]).added
        with qtbot.waitSignal(refresher.changed, timeout=5000):
            board.move(theirs, card, "contacted")
        assert refreshed == [Change.ALL]  # once, for Bo's move; not for Amy's own writes
    finally:
        mine.dispose()
        theirs.dispose()


def test_the_team_menu_entries(qtbot: QtBot, lite: Workspace, tmp_path: Path) -> None:
    window = MainWindow(AppContext(lite, Preferences(tmp_path / "p.json"), QUndoStack()))
    qtbot.addWidget(window)
    file_menu = window.menuBar().actions()[0].menu()
    assert file_menu is not None
    actions = {a.text() for a in file_menu.actions()}
    assert {"Connect to &team database…", "&Copy this workspace to a team database…",
            "Save a &local copy…"} <= actions
    assert window.copy_to_team_action.isEnabled()  # a SQLite workspace can be copied
    # A `kol-desk import` beside the window on a local file is noticed the same way.
    assert window.team_refresher.feed is None  # no server to listen to: the poll only


def test_a_network_drive_is_recognised(tmp_path: Path) -> None:
    mounts = tmp_path / "mounts"
    share = tmp_path / "share"
    (share / "team").mkdir(parents=True)
    mounts.write_text(
        "/dev/sda1 / ext4 rw 0 0\n"
        f"//nas/marketing {share} cifs rw,vers=3.0 0 0\n", encoding="utf-8")
    assert network_filesystem(share / "team" / "kol.sqlite", mounts) == "cifs"
    assert network_filesystem(tmp_path / "local.sqlite", mounts) is None
