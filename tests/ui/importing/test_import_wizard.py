"""The import wizard driven as a user drives it: choose files, check the columns and the
problems, see the merge preview, import; then undo it from Import history."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtTest import QAbstractItemModelTester
from PySide6.QtWidgets import (
    QAbstractButton,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QMessageBox,
    QWizard,
)
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from kol_desk.i18n import set_language, tr
from kol_desk.models import Collaboration
from kol_desk.services.account_listing import list_accounts
from kol_desk.services.board import board_cards
from kol_desk.services.campaigns import CampaignInput, create_campaign
from kol_desk.services.creator_edit import AccountFields, CreatorFields, add_account, create_creator
from kol_desk.services.import_batches import list_batches
from kol_desk.services.shortlist import accounts_of_import
from kol_desk.ui.campaigns.dialogs import ShortlistDialog
from kol_desk.ui.context import AppContext
from kol_desk.ui.importing.history import ImportHistoryDialog
from kol_desk.ui.importing.wizard import ImportWizard
from kol_desk.ui.main_window import MainWindow
from tests.conftest import AGENCY_LISTS as SAMPLES
from tests.ui.creators.helpers_creators import answer_modal, click_ok, type_text

FATAL = QAbstractItemModelTester.FailureReportingMode.Fatal


def sample(name: str) -> Path:
    path = SAMPLES / f"{name}.xlsx"
    if not path.exists():
        pytest.skip(f"the shared agency-list samples are not at {SAMPLES}")
    return path


def choose_files(monkeypatch: pytest.MonkeyPatch, *paths: Path) -> None:
    monkeypatch.setattr(QFileDialog, "getOpenFileNames",
                        staticmethod(lambda *a, **k: ([str(p) for p in paths], "")))


def next_page(qtbot: QtBot, wizard: QWizard, page: object) -> None:
    wizard.button(QWizard.WizardButton.NextButton).click()
    qtbot.waitUntil(lambda: wizard.currentPage() is page, timeout=30000)


def import_button(wizard: QWizard, text: str = "Import") -> QAbstractButton:
    button = wizard.button(QWizard.WizardButton.CommitButton)
    assert button.isVisible() and button.text() == (text if text != "Import" else tr(text))
    return button


def test_wizard_from_file_choice_to_commit_and_undo(
        qtbot: QtBot, context: AppContext, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    lists = [sample("p05_dirty_text_duplicates"), sample("p07_formula_injection_text")]
    before = len(list_accounts(context.workspace))
    wizard = ImportWizard(context)
    qtbot.addWidget(wizard)
    wizard.show()
    next_button = wizard.button(QWizard.WizardButton.NextButton)
    assert not next_button.isEnabled()  # nothing chosen yet

    choose_files(monkeypatch, *lists)
    qtbot.mouseClick(wizard.files_page.add_button, Qt.MouseButton.LeftButton)
    assert wizard.files_page.files() == [str(p) for p in lists]
    wizard.files_page.agency.setCurrentText("星耀互娱MCN")
    next_page(qtbot, wizard, wizard.mapping_page)

    mapping = wizard.mapping_page
    assert mapping.sheet_choice.count() == 2
    assert "Header on row" in mapping.sheet_info.text()
    preview = mapping.preview.model()
    QAbstractItemModelTester(preview, FATAL)
    assert preview.rowCount() == 34
    handles = {preview.index(r, 2).data() for r in range(preview.rowCount())}
    assert len(handles) >= 30
    wizard.grab().save(str(tmp_path / "mapping.png"))

    next_page(qtbot, wizard, wizard.problems_page)
    problems = wizard.problems_page
    QAbstractItemModelTester(problems.model, FATAL)
    reasons = [problems.model.index(r, 7).data() for r in range(problems.model.rowCount())]
    assert any("followers" in r for r in reasons)  # p07's '-2+3'
    # leave the row with the unreadable follower count out
    row = next(r for r in range(problems.model.rowCount())
               if problems.model.index(r, 5).data() == "-2+3")
    assert problems.model.setData(problems.model.index(row, 0), Qt.CheckState.Checked.value,
                                  Qt.ItemDataRole.CheckStateRole)
    assert problems.model.index(row, 0).data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked

    next_page(qtbot, wizard, wizard.merge_page)
    merge = wizard.merge_page
    summary = merge.summary.model()
    QAbstractItemModelTester(summary, FATAL)
    QAbstractItemModelTester(merge.conflicts_model, FATAL)
    assert [summary.index(r, 0).data() for r in range(2)] == [lists[0].name, lists[1].name]
    assert summary.index(0, 2).data() == "30" and summary.index(0, 4).data() == "4"
    assert summary.index(1, 1).data() == "7"  # 8 rows, one excluded
    wizard.grab().save(str(tmp_path / "merge.png"))

    with qtbot.waitSignal(wizard.imported, timeout=60000) as signal:
        import_button(wizard).click()
    assert "37 new creators" in signal.args[0]
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.done_page, timeout=10000)
    done = wizard.done_page.summary.model()
    QAbstractItemModelTester(done, FATAL)
    assert [[done.index(r, c).data() for c in range(5)] for r in range(2)] == [
        [lists[0].name, "30", "0", "30", "34"], [lists[1].name, "7", "0", "7", "7"]]
    assert not wizard.button(QWizard.WizardButton.BackButton).isVisible()
    wizard.button(QWizard.WizardButton.FinishButton).click()
    assert not wizard.isVisible()
    after = list_accounts(context.workspace)
    assert len(after) == before + 37
    assert "sum(1+1)" in {a["handle"] for a in after}
    assert "maisui_lizi28" not in {a["handle"] for a in after}  # the excluded row
    batches = list_batches(context.workspace)
    assert [b.file_name for b in batches[:2]] == [lists[1].name, lists[0].name]
    assert all(b.agency == "星耀互娱MCN" for b in batches[:2])

    # Import history: undo the newest list, then the one before
    dialog = ImportHistoryDialog(context)
    qtbot.addWidget(dialog)
    dialog.show()
    QAbstractItemModelTester(dialog.model, FATAL)
    assert dialog.model.rowCount() == 2 and not dialog.undo_button.isEnabled()
    monkeypatch.setattr(QMessageBox, "question",
                        staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes))
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning",
                        staticmethod(lambda _parent, _title, text, *a, **k: warnings.append(text)))
    for undone, expected in enumerate((before + 30, before), start=1):
        dialog.table.selectRow(next(r for r in range(2)
                                    if dialog.model.row_object(r).undone_at is None))
        assert dialog.undo_button.isEnabled()
        qtbot.mouseClick(dialog.undo_button, Qt.MouseButton.LeftButton)
        # Wait for the dialog itself to show the batch as undone, not only for the data:
        # the next selection must be made on the refreshed list.
        qtbot.waitUntil(lambda n=undone: warnings or sum(
            dialog.model.row_object(r).undone_at is not None for r in range(2)) == n,
            timeout=30000)
        assert not warnings
        assert len(list_accounts(context.workspace)) == expected
    qtbot.waitUntil(lambda: "Undone" in (dialog.model.index(1, 7).data() or ""), timeout=10000)
    assert dialog.model.index(0, 7).data().startswith("Undone")


def test_a_bad_file_is_named_and_nothing_changes(
        qtbot: QtBot, context: AppContext, monkeypatch: pytest.MonkeyPatch) -> None:
    bad = sample("p08_csv_renamed")
    wizard = ImportWizard(context)
    qtbot.addWidget(wizard)
    wizard.show()
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning",
                        staticmethod(lambda _parent, _title, text, *a: shown.append(text)))
    choose_files(monkeypatch, bad)
    qtbot.mouseClick(wizard.files_page.add_button, Qt.MouseButton.LeftButton)
    wizard.button(QWizard.WizardButton.NextButton).click()
    qtbot.waitUntil(lambda: bool(shown), timeout=30000)
    assert bad.name in shown[0]
    assert wizard.currentPage() is wizard.files_page
    assert list_batches(context.workspace) == []


def test_a_changed_column_is_applied_and_remembered(
        qtbot: QtBot, context: AppContext, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["达人昵称", "平台", "账号ID", "粉丝数", "备注"])
    ws.append(["小桃子", "小红书", "taozi_wizard", "1.2w", "杭州"])
    ws.append(["阿飞说车", "抖音", "afei_wizard", "35万", "上海"])
    path = tmp_path / "list.xlsx"
    wb.save(path)
    wizard = ImportWizard(context)
    qtbot.addWidget(wizard)
    wizard.show()
    choose_files(monkeypatch, path)
    qtbot.mouseClick(wizard.files_page.add_button, Qt.MouseButton.LeftButton)
    wizard.files_page.agency.setCurrentText("新机构")
    next_page(qtbot, wizard, wizard.mapping_page)
    page = wizard.mapping_page
    notes = page.combos[4]
    notes.setCurrentIndex(notes.findData("city"))
    assert page.apply_button.isEnabled()
    qtbot.mouseClick(page.apply_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.preview.model().index(0, 8).data() == "杭州", timeout=30000)
    next_page(qtbot, wizard, wizard.problems_page)
    assert "no problems" in wizard.problems_page.summary.text()
    next_page(qtbot, wizard, wizard.merge_page)
    with qtbot.waitSignal(wizard.imported, timeout=60000):
        import_button(wizard).click()
    cities = {a["handle"]: a["city"] for a in list_accounts(context.workspace, "wizard")}
    assert cities == {"taozi_wizard": "杭州", "afei_wizard": "上海"}

    # the next list from the same agency opens with the column already mapped
    again = ImportWizard(context)
    qtbot.addWidget(again)
    again.show()
    qtbot.mouseClick(again.files_page.add_button, Qt.MouseButton.LeftButton)
    again.files_page.agency.setCurrentText("新机构")
    next_page(qtbot, again, again.mapping_page)
    assert again.mapping_page.combos[4].currentData() == "city"


def test_file_menu_opens_the_wizard(qtbot: QtBot, main_window: MainWindow) -> None:
    main_window.import_action.trigger()
    wizard = main_window.import_wizard
    qtbot.waitUntil(wizard.isVisible)
    assert wizard.currentPage() is wizard.files_page
    assert wizard.files_page.history_button.isEnabled()
    assert QModelIndex().isValid() is False
    wizard.reject()


def run_import(qtbot: QtBot, wizard: ImportWizard, monkeypatch: pytest.MonkeyPatch,
               path: Path) -> None:
    choose_files(monkeypatch, path)
    qtbot.mouseClick(wizard.files_page.add_button, Qt.MouseButton.LeftButton)
    next_page(qtbot, wizard, wizard.mapping_page)
    next_page(qtbot, wizard, wizard.problems_page)
    next_page(qtbot, wizard, wizard.merge_page)
    import_button(wizard).click()
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.done_page, timeout=60000)


def test_the_imported_creators_go_on_a_campaign_from_the_last_page(
        qtbot: QtBot, context: AppContext, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    ws = context.workspace
    # A creator you blacklisted before is in the agency's list again: matched, not new.
    known = create_creator(ws, CreatorFields(nickname="豆豆", blacklisted=True,
                                             blacklist_reason="上次拖稿"))
    add_account(ws, known, AccountFields("xiaohongshu", "doudou.qinghe848"))
    create_campaign(ws, CampaignInput(name="春季上新"))
    campaign = create_campaign(ws, CampaignInput(name="双11种草"))
    wizard = ImportWizard(context)
    qtbot.addWidget(wizard)
    wizard.show()
    run_import(qtbot, wizard, monkeypatch, sample("p01_xhs_double11_mcn"))

    page = wizard.done_page
    result = wizard.state.results[0]
    assert result.summary["creators_matched"] == 1
    listed = accounts_of_import(ws, result.batch_id)
    assert len(listed) == result.summary["creators_new"] + 1
    assert f"{len(listed)} accounts" in page.accounts_info.text()
    assert "Import history undoes a whole list" in page.undo_hint.text()
    assert page.shortlist_button.isEnabled()
    wizard.grab().save(str(tmp_path / "done.png"))

    seen: list[ShortlistDialog] = []

    def choose(dialog: ShortlistDialog) -> None:
        assert any("豆豆: blacklisted — 上次拖稿" in label.text()
                   for label in dialog.findChildren(QLabel))
        ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
        assert not ok.isEnabled()  # a blacklisted creator needs a reason
        dialog.campaign.setCurrentIndex(dialog.campaign.findData(campaign))
        type_text(qtbot, dialog.reason, "MCN保证按时交稿")
        click_ok(qtbot, dialog)

    answer_modal(ShortlistDialog, choose, seen)
    qtbot.mouseClick(page.shortlist_button, Qt.MouseButton.LeftButton)
    assert seen and f"{len(listed)} added to 双11种草" in page.shortlisted.text()

    cards = board_cards(ws, campaign)
    assert sorted(c.account_id for c in cards) == sorted(listed)
    assert all(c.stage == "shortlisted" for c in cards)
    flagged = [c for c in cards if c.creator_id == known]
    assert len(flagged) == 1 and flagged[0].risk_flag
    with ws.session() as session:
        reason = session.scalar(select(Collaboration.risk_override_reason)
                                .where(Collaboration.id == flagged[0].id))
    assert reason == "MCN保证按时交稿"

    # Again from the same page: nothing doubles, and the page says so.
    def again(dialog: ShortlistDialog) -> None:
        dialog.campaign.setCurrentIndex(dialog.campaign.findData(campaign))
        type_text(qtbot, dialog.reason, "同上")
        click_ok(qtbot, dialog)

    answer_modal(ShortlistDialog, again)
    qtbot.mouseClick(page.shortlist_button, Qt.MouseButton.LeftButton)
    assert page.shortlisted.text() == f"0 added to 双11种草; {len(listed)} were already on it."
    assert len(board_cards(ws, campaign)) == len(listed)


def test_the_last_page_in_chinese(
        qtbot: QtBot, context: AppContext, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    set_language("zh_CN")
    try:
        wizard = ImportWizard(context)
        qtbot.addWidget(wizard)
        wizard.show()
        run_import(qtbot, wizard, monkeypatch, sample("p01_xhs_double11_mcn"))
        page = wizard.done_page
        assert page.shortlist_button.text() == "将这些达人加入项目…"
        assert wizard.button(QWizard.WizardButton.FinishButton).text() == "关闭"
        wizard.grab().save(str(tmp_path / "done_zh.png"))

        def look(dialog: ShortlistDialog) -> None:
            assert dialog.windowTitle() == "将 24 个账号加入项目"
            dialog.reject()

        seen: list[ShortlistDialog] = []
        answer_modal(ShortlistDialog, look, seen)
        qtbot.mouseClick(page.shortlist_button, Qt.MouseButton.LeftButton)
        assert seen and page.shortlisted.text() == ""
    finally:
        set_language("en")


def _terms_list(path: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["达人昵称", "平台", "小红书号", "粉丝数", "图文报价（报备）", "图文报价（非报备）", "折扣"])
    ws.append(["小桃子", "小红书", "@Taozi_Jiang", "1.2w", 8000, 6000, "九折"])
    ws.append(["阿飞", "抖音", "ＡＦＥＩ", "35万", "1.2万", "9000", None])
    wb.save(path)
    return path


def test_registered_and_direct_prices_and_a_discount_reach_the_creator_page(
        qtbot: QtBot, context: AppContext, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from kol_desk.ui.creators.creator_page import CreatorPanel

    path = _terms_list(tmp_path / "报备价.xlsx")
    wizard = ImportWizard(context)
    qtbot.addWidget(wizard)
    wizard.show()
    run_import(qtbot, wizard, monkeypatch, path)
    done = wizard.done_page.summary.model()
    headers = [done.headerData(c, Qt.Orientation.Horizontal) for c in range(done.columnCount())]
    assert headers == ["File", "New creators", "Matched", "Accounts", "Quotes"]
    assert [done.index(0, c).data() for c in range(5)] == [path.name, "2", "0", "2", "4"]
    assert "2 accounts" in wizard.done_page.accounts_info.text()

    taozi = next(a for a in list_accounts(context.workspace) if a["handle"] == "taozi_jiang")
    panel = CreatorPanel(context.workspace)
    qtbot.addWidget(panel)
    panel.show_creator(taozi["creator_id"])
    accounts = panel.accounts_model
    columns = [accounts.headerData(c, Qt.Orientation.Horizontal) for c in range(accounts.columnCount())]
    row = {name: accounts.index(0, c).data() for c, name in enumerate(columns)}
    assert (row["Handle"], row["Also written as"]) == ("taozi_jiang", "@Taozi_Jiang")
    quotes = panel.quotes_model
    columns = [quotes.headerData(c, Qt.Orientation.Horizontal) for c in range(quotes.columnCount())]
    shown = sorted(tuple(quotes.index(r, columns.index(name)).data()
                         for name in ("Price", "Discount", "Channel"))
                   for r in range(quotes.rowCount()))
    assert shown == [("¥6,000", "10% off", "Direct (no platform order)"),
                     ("¥8,000", "10% off", "Pugongying order (Xiaohongshu)")]
    # compared after the discount and per channel: ¥8,000 at 九折 is ¥7,200
    summary = panel.summary_model
    columns = [summary.headerData(c, Qt.Orientation.Horizontal) for c in range(summary.columnCount())]
    lowest = columns.index("Lowest (after discount, incl. tax)")
    assert sorted(summary.index(r, lowest).data() for r in range(summary.rowCount())) == [
        "¥5,400", "¥7,200"]
    assert "discount" in summary.headerData(lowest, Qt.Orientation.Horizontal,
                                            Qt.ItemDataRole.ToolTipRole)

    # the same list again the same day: both accounts matched, no quote twice, and the
    # last page counts the accounts the list named the same way in both places
    again = ImportWizard(context)
    qtbot.addWidget(again)
    again.show()
    run_import(qtbot, again, monkeypatch, path)
    done = again.done_page.summary.model()
    assert [done.index(0, c).data() for c in range(1, 5)] == ["0", "2", "2", "0"]
    assert "2 accounts" in again.done_page.accounts_info.text()
