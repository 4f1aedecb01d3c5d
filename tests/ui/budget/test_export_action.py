"""File → Export → Budget… writes the selected period of the demo workspace."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from kol_desk.ui.main_window import MainWindow


def test_file_export_budget(qtbot: QtBot, main_window: MainWindow, tmp_path: Path,
                            monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "demo budget"  # the extension is added
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *_a, **_k: (str(target), "")))
    main_window.tabs.setCurrentWidget(main_window.budget_tab)
    main_window.export_budget_action.trigger()
    written = target.with_suffix(".xlsx")
    qtbot.waitUntil(written.exists, timeout=30_000)
    book = openpyxl.load_workbook(written)
    summary = {row[0]: row[1] for row in book["Budget summary"].iter_rows(values_only=True) if row and row[0]}
    tab = main_window.budget_tab
    period: Any = tab.period
    assert summary["Total budget"] == float(period.total)
    assert summary["Left in the period"] == pytest.approx(float(period.left), abs=0.001)
    assert book["Campaigns"].max_row == len(period.campaigns) + 4  # title, blank, header, total
