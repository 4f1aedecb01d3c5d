"""The wizard never looks complete when it is not: missing facts in red, unused columns
holding data with one click to use them, cells corrected in place, reasons translated."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from kol_desk.i18n import set_language
from kol_desk.services.account_listing import list_accounts
from kol_desk.ui.context import AppContext
from kol_desk.ui.importing.models import CORRECTION_COLUMN
from kol_desk.ui.importing.paste_dialog import PasteDialog
from kol_desk.ui.importing.wizard import ImportWizard
from tests.ui.creators.helpers_creators import answer_modal, click_ok
from tests.ui.importing.test_import_wizard import choose_files, import_button, next_page


def _list(tmp_path: Path, rows: list[list[object]]) -> Path:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    for row in rows:
        ws.append(row)
    path = tmp_path / "list.xlsx"
    wb.save(path)
    return path


def _open(qtbot: QtBot, context: AppContext, monkeypatch: pytest.MonkeyPatch,
          path: Path) -> ImportWizard:
    wizard = ImportWizard(context)
    qtbot.addWidget(wizard)
    wizard.show()
    choose_files(monkeypatch, path)
    qtbot.mouseClick(wizard.files_page.add_button, Qt.MouseButton.LeftButton)
    next_page(qtbot, wizard, wizard.mapping_page)
    return wizard


def test_missing_facts_are_red_and_an_unused_column_is_one_click_away(
        qtbot: QtBot, context: AppContext, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    path = _list(tmp_path, [
        ["Talent", "Platform", "Handle", "Quote", "Size"],
        ["Mia Bakes", "IG", "@mia.status", "$1,200", "12.5K"],
        ["Leo Travels", "TikTok", "leo.status", "TBD", "1.2M"],
    ])
    wizard = _open(qtbot, context, monkeypatch, path)
    status = wizard.mapping_page.status
    assert status.missing.isVisible()
    assert "Followers" in status.missing.text()
    assert "E “Size”" in status.unused_label.text()
    button = status.use_buttons[4]
    assert button.text() == "Use E “Size” as Followers"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    # the sheet is read again with the column as Followers
    qtbot.waitUntil(lambda: wizard.mapping_page.preview.model().index(0, 4).data() == "12,500",
                    timeout=30000)
    assert wizard.mapping_page.combos[4].currentData() == "followers"
    assert not status.missing.isVisible() and not status.unused_label.isVisible()


def test_a_cell_is_corrected_in_place_and_reasons_read_in_chinese(
        qtbot: QtBot, context: AppContext, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    path = _list(tmp_path, [
        ["达人昵称", "平台", "账号ID", "粉丝数", "报价"],
        ["小桃子", "小红书", "taozi_fix", "十二万", 5000],
        ["阿飞说车", "抖音", "afei_fix", "35万", "面议"],
    ])
    set_language("zh_CN")
    try:
        wizard = _open(qtbot, context, monkeypatch, path)
        next_page(qtbot, wizard, wizard.problems_page)
        page = wizard.problems_page
        model = page.model
        assert model.rowCount() == 1
        assert model.index(0, CORRECTION_COLUMN + 1).data() == "无法识别的粉丝数/播放量"
        cell = model.index(0, CORRECTION_COLUMN)
        assert model.flags(cell) & Qt.ItemFlag.ItemIsEditable
        assert model.setData(cell, "12万")
        assert page.apply_corrections.isEnabled()
        qtbot.mouseClick(page.apply_corrections, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: model.rowCount() == 0, timeout=30000)
        assert "没有问题" in page.summary.text() or "0" in page.summary.text()
        next_page(qtbot, wizard, wizard.merge_page)
        with qtbot.waitSignal(wizard.imported, timeout=60000):
            import_button(wizard, "导入").click()
    finally:
        set_language("en")
    followers = {a["handle"]: a["followers"] for a in list_accounts(context.workspace, "fix")}
    assert followers == {"taozi_fix": 120_000, "afei_fix": 350_000}


def test_rows_pasted_from_a_chat_go_through_the_same_steps(
        qtbot: QtBot, context: AppContext) -> None:
    wizard = ImportWizard(context)
    qtbot.addWidget(wizard)
    wizard.show()

    def paste(dialog: PasteDialog) -> None:
        dialog.text.setPlainText("[10:32] 小桃子，抖音，taozi_paste，12.3万粉，5000元/条\n"
                                 "[10:33] 阿柚，小红书，yuzi_paste，8w，面议\n")
        click_ok(qtbot, dialog)

    answer_modal(PasteDialog, paste)
    qtbot.mouseClick(wizard.files_page.paste_button, Qt.MouseButton.LeftButton)
    [pasted] = wizard.files_page.files()
    assert pasted.endswith(".txt") and Path(pasted).is_file()
    next_page(qtbot, wizard, wizard.mapping_page)
    assert "No header row" in wizard.mapping_page.sheet_info.text()
    assert not wizard.mapping_page.status.missing.isVisible()
    next_page(qtbot, wizard, wizard.problems_page)
    next_page(qtbot, wizard, wizard.merge_page)
    with qtbot.waitSignal(wizard.imported, timeout=60000):
        import_button(wizard).click()
    got = {(a["platform"], a["handle"], a["followers"])
           for a in list_accounts(context.workspace, "paste")}
    assert got == {("douyin", "taozi_paste", 123_000), ("xiaohongshu", "yuzi_paste", 80_000)}
