"""No stored key reaches a user: every table the main window shows (each tab, a creator's
page, a card) and every exported workbook says "Agency list", "Douyin", "In review" —
never ``agency_list``, ``douyin``, ``in_review``."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import openpyxl
from PySide6.QtCore import QAbstractItemModel, QModelIndex, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from kol_desk import domain
from kol_desk.exporting.approval import export_for_approval
from kol_desk.exporting.budget import export_budget
from kol_desk.exporting.creators import write_creators
from kol_desk.exporting.report import write_report
from kol_desk.models import BudgetPeriod, Collaboration, PlatformAccount, Quote
from kol_desk.services.reports import ReportScope, build_report
from kol_desk.ui.main_window import MainWindow
from tests.raw_keys import ENUMS, raw_key, raw_keys_in_line


def model_texts(model: QAbstractItemModel, limit: int = 400) -> Iterator[tuple[int, int, object]]:
    try:
        columns = model.columnCount(QModelIndex())
    except TypeError:  # a list model keeps columnCount private: one column
        columns = 1
    for row in range(min(model.rowCount(QModelIndex()), limit)):
        for col in range(columns):
            yield row, col, model.data(model.index(row, col), Qt.ItemDataRole.DisplayRole)


def test_domain_has_the_enums_this_test_relies_on() -> None:
    assert {domain.Platform, domain.Stage, domain.QuoteSource, domain.PaymentKind} <= set(ENUMS)
    assert raw_key("agency_list") and raw_key("星耀 · agency_list") and raw_key("Agency list") is None
    assert raw_keys_in_line("xiaohongshu\tmilo\t2 quote(s)") == ["xiaohongshu"]
    assert raw_keys_in_line("是团子 (xiaohongshu:milo, video, CNY)") == ["video"]
    assert raw_keys_in_line("是团子（小红书 · milo · 视频 · CNY）") == []


def test_no_table_of_the_window_shows_a_stored_key(qtbot: QtBot, main_window: MainWindow) -> None:
    workspace = main_window.context.workspace
    with workspace.session() as session:
        creator_id = session.scalar(select(PlatformAccount.creator_id)
                                    .join(Quote, Quote.account_id == PlatformAccount.id)
                                    .where(Quote.agency_id.is_not(None))
                                    .group_by(PlatformAccount.creator_id).order_by(func.count().desc()).limit(1))
        card = session.execute(select(Collaboration.id, Collaboration.campaign_id)
                               .join(Quote, Quote.account_id == Collaboration.account_id)
                               .where(Quote.agency_id.is_(None)).limit(1)).first() or session.execute(
            select(Collaboration.id, Collaboration.campaign_id)
            .join(Quote, Quote.account_id == Collaboration.account_id).limit(1)).one()
    for index in range(4):
        main_window.tabs.setCurrentIndex(index)
        main_window.tab(index)
    creators = main_window.tab(0)
    creators.panel.show_creator(creator_id)  # type: ignore[attr-defined]
    campaigns = main_window.tab(1)
    campaigns.show_board(card.campaign_id)  # type: ignore[attr-defined]
    dialog = campaigns.open_card(card.id)  # type: ignore[attr-defined]
    assert dialog is not None
    reports = main_window.tab(3)
    qtbot.waitUntil(lambda: reports.report is not None, timeout=20_000)  # type: ignore[attr-defined]
    QApplication.processEvents()

    models = {*main_window.findChildren(QAbstractItemModel), *dialog.findChildren(QAbstractItemModel)}
    seen = 0
    for model in models:
        for row, col, text in model_texts(model):
            seen += 1
            assert raw_key(text) is None, (type(model).__name__, row, col, text)
    assert seen > 1000
    dialog.close()


def test_no_exported_workbook_holds_a_stored_key(main_window: MainWindow, tmp_path: Path) -> None:
    workspace = main_window.context.workspace
    with workspace.session() as session:
        period_id = session.scalar(select(BudgetPeriod.id).limit(1))
        campaign_ids = list(session.scalars(select(Collaboration.campaign_id).distinct()))
    books = [write_report(build_report(workspace, ReportScope()), tmp_path / "boss.xlsx"),
             export_budget(workspace, period_id, tmp_path / "budget.xlsx"),
             write_creators(workspace, tmp_path / "creators.xlsx") and tmp_path / "creators.xlsx"]
    for campaign_id in campaign_ids:
        if export_for_approval(workspace, campaign_id, tmp_path / "approval.xlsx"):
            books.append(tmp_path / "approval.xlsx")
            break
    assert len(books) == 4
    for path in books:
        for sheet in openpyxl.load_workbook(path).worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    assert raw_key(cell.value) is None, (Path(str(path)).name, sheet.title, cell.coordinate, cell.value)
