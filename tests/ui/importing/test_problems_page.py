"""The problems page as a user sees it: no stray empty box beside the exclude check box
(the focus frame Qt draws round the empty text of the current check-box cell)."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook
from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QFileDialog, QStyle, QStyleOptionViewItem, QWizard
from pytestqt.qtbot import QtBot

from kol_desk.ui.context import AppContext
from kol_desk.ui.importing.wizard import ImportWizard


def test_the_exclude_cell_shows_its_check_box_and_nothing_else(
        qtbot: QtBot, context: AppContext, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["昵称", "平台", "账号", "粉丝数", "报价"])
    sheet.append(["小桃子", "小红书", "taozi01", "12万", 5000])
    sheet.append(["阿布丁", "抖音", "abuding", "-2+3", 8000])  # followers no one can read
    listed = tmp_path / "list.xlsx"
    book.save(listed)
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", staticmethod(lambda *a, **k: ([str(listed)], "")))
    wizard = ImportWizard(context)
    qtbot.addWidget(wizard)
    wizard.resize(1100, 700)
    wizard.show()
    qtbot.mouseClick(wizard.files_page.add_button, Qt.MouseButton.LeftButton)
    for page in (wizard.mapping_page, wizard.problems_page):
        wizard.button(QWizard.WizardButton.NextButton).click()
        qtbot.waitUntil(lambda page=page: wizard.currentPage() is page, timeout=30000)
    table = wizard.problems_page.table
    assert table.model().rowCount() >= 1
    table.setFocus()
    table.setCurrentIndex(table.model().index(0, 0))
    qtbot.waitUntil(table.hasFocus)
    cell = table.visualRect(table.model().index(0, 0))
    option = QStyleOptionViewItem()
    option.initFrom(table)
    option.rect = cell
    option.features |= QStyleOptionViewItem.ViewItemFeature.HasCheckIndicator
    check = table.style().subElementRect(QStyle.SubElement.SE_ItemViewItemCheckIndicator, option, table)
    # Right of the check box the cell is empty: one colour, no frame drawn in it.
    empty = QRect(check.right() + 3, cell.top() + 2, cell.right() - check.right() - 6, cell.height() - 4)
    image = table.viewport().grab(empty).toImage()
    colours = {image.pixel(x, y) for x in range(image.width()) for y in range(image.height())}
    assert len(colours) == 1, f"{len(colours)} colours in the empty part of the exclude cell"
