"""A list the wizard cannot read is named and explained in the window's language."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWizard
from pytestqt.qtbot import QtBot

from kol_desk.i18n import set_language
from kol_desk.services.import_batches import list_batches
from kol_desk.ui.context import AppContext
from kol_desk.ui.importing.wizard import ImportWizard


def test_an_empty_file_is_explained_in_chinese(
        qtbot: QtBot, context: AppContext, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    empty = tmp_path / "达人名单.xlsx"
    empty.write_bytes(b"")
    set_language("zh_CN")
    try:
        wizard = ImportWizard(context)
        qtbot.addWidget(wizard)
        wizard.show()
        shown: list[str] = []
        monkeypatch.setattr(QMessageBox, "warning",
                            staticmethod(lambda _parent, _title, text, *a: shown.append(text)))
        monkeypatch.setattr(QFileDialog, "getOpenFileNames",
                            staticmethod(lambda *a, **k: ([str(empty)], "")))
        qtbot.mouseClick(wizard.files_page.add_button, Qt.MouseButton.LeftButton)
        wizard.button(QWizard.WizardButton.NextButton).click()
        qtbot.waitUntil(lambda: bool(shown), timeout=30000)
    finally:
        set_language("en")
    assert shown == ["无法导入“达人名单.xlsx”：文件是空的（0 字节）；下载或传输可能失败了，请让发送方重新发送"]
    assert wizard.currentPage() is wizard.files_page
    assert list_batches(context.workspace) == []
