"""The import wizard driven as a user drives it: choose files, check the columns and the
problems, see the merge preview, import; then undo it from Import history."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtTest import QAbstractItemModelTester
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWizard
from pytestqt.qtbot import QtBot

from kol_desk.services.account_listing import list_accounts
from kol_desk.services.import_batches import list_batches
from kol_desk.ui.context import AppContext
from kol_desk.ui.importing.history import ImportHistoryDialog
from kol_desk.ui.importing.wizard import ImportWizard
from kol_desk.ui.main_window import MainWindow

SAMPLES = Path(__file__).resolve().parents[3].parent / "shared" / "samples" / "agency_lists"
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
    reasons = [problems.model.index(r, 6).data() for r in range(problems.model.rowCount())]
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
        wizard.button(QWizard.WizardButton.FinishButton).click()
    assert "37 new creators" in signal.args[0]
    qtbot.waitUntil(lambda: not wizard.isVisible(), timeout=10000)
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
        wizard.button(QWizard.WizardButton.FinishButton).click()
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
