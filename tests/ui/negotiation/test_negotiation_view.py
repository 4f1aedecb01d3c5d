"""The negotiation desk as a user reaches it: search, pick the account, Ctrl+Shift+N (or
the creator page's Negotiate button); the fair price, routes and comparables shown;
recording an agreed price; the negotiation sheet in PDF and .xlsx."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtTest import QAbstractItemModelTester
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from kol_desk.exporting.negotiation_sheet import sheet_content, write_pdf, write_xlsx
from kol_desk.models import Collaboration, PlatformAccount, Quote
from kol_desk.ui.context import AppContext
from kol_desk.ui.creators.tab import CreatorsTab
from kol_desk.ui.main_window import MainWindow
from kol_desk.ui.negotiation.view import NegotiationView
from tests.ui.creators.helpers_creators import type_text

FATAL = QAbstractItemModelTester.FailureReportingMode.Fatal


def _negotiated_account(context: AppContext) -> tuple[int, str, int]:
    """An account with quotes and an open card: (account id, handle, card id)."""
    sibling = aliased(PlatformAccount)
    with context.workspace.session() as s:
        account_id, handle, card = s.execute(
            select(PlatformAccount.id, PlatformAccount.handle, Collaboration.id)
            .join(Collaboration, Collaboration.account_id == PlatformAccount.id)
            .where(Collaboration.stage == "negotiating",
                   select(Quote.id).where(Quote.account_id == PlatformAccount.id).exists(),
                   # The creator's only account: a search for the handle finds one row
                   # (the search text is the creator's, with all its handles).
                   select(func.count()).select_from(sibling)
                   .where(sibling.creator_id == PlatformAccount.creator_id)
                   .scalar_subquery() == 1)
            .order_by(PlatformAccount.id).limit(1)).one()
    return account_id, handle, card


def _open_view() -> NegotiationView:
    views = [w for w in QApplication.topLevelWidgets() if isinstance(w, NegotiationView) and w.isVisible()]
    assert views, "no negotiation view is open"
    return views[-1]


def test_search_pick_and_shortcut_open_the_desk(qtbot: QtBot, main_window: MainWindow) -> None:
    _account_id, handle, _card = _negotiated_account(main_window.context)
    tab = main_window.creators_tab
    qtbot.waitUntil(lambda: tab.model.is_counted)
    type_text(qtbot, tab.search, handle)
    qtbot.waitUntil(lambda: tab.model.filter.search == handle and tab.model.is_counted and tab.model.rowCount() == 1)
    # Two steps: the search typed, the shortcut pressed (the top match, nothing picked).
    qtbot.keyClick(main_window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: any(isinstance(w, NegotiationView) and w.isVisible()
                                for w in QApplication.topLevelWidgets()))
    view = _open_view()
    qtbot.addWidget(view)
    assert handle in view.title.text()
    assert view.fair.text().count("¥") == 3 and "Target" in view.fair.text()
    assert view.reason.text().startswith("Target") and "Comparables:" in view.evidence.text()
    assert view.routes.rowCount() >= 1 and view.history.rowCount() >= view.routes.rowCount()
    for model in (view.routes, view.history):
        QAbstractItemModelTester(model, FATAL)
    assert "accounts:" in view.peers_text.text()


def test_the_creator_page_button_opens_it_and_an_agreed_price_becomes_the_fee(
        qtbot: QtBot, context: AppContext) -> None:
    account_id, _handle, card = _negotiated_account(context)
    tab = CreatorsTab(context)
    qtbot.addWidget(tab)
    with context.workspace.session() as s:
        creator_id = s.scalar(select(PlatformAccount.creator_id).where(PlatformAccount.id == account_id))
    tab.panel.show_creator(creator_id)
    tab.show()
    qtbot.mouseClick(tab.panel.negotiate_button, Qt.MouseButton.LeftButton)
    view = _open_view()
    qtbot.addWidget(view)
    view.card.setCurrentIndex(view.card.findData(card))
    view.make_fee.setChecked(True)
    type_text(qtbot, view.amount.edit, "12345")
    before = view.history.rowCount()
    with qtbot.waitSignal(context.events.changed):
        qtbot.mouseClick(view.agreed_button, Qt.MouseButton.LeftButton)
    # The price is history twice over: a negotiation quote, and the card's agreed fee.
    assert view.history.rowCount() == before + 2
    new = {(h.source, h.kind) for h in view.history.rows if h.amount == Decimal("12345.00")}
    assert new == {("negotiation", "quote"), ("agreed fee", "agreed")}
    with context.workspace.session() as s:
        assert s.get(Collaboration, card).agreed_fee == Decimal("12345.00")  # type: ignore[union-attr]

    # Another price on the table moves the comparison and the expected CPE with it.
    view.price.edit.setText("1000000")
    view.price.edit.editingFinished.emit()
    assert view.facts is not None and view.facts.price == Decimal("1000000.00")
    assert "¥1,000,000," in view.peers_text.text()


def test_the_sheet_is_one_page_per_creator_in_either_language(
        qtbot: QtBot, context: AppContext, tmp_path: Path) -> None:
    account_id, handle, _card = _negotiated_account(context)
    view = NegotiationView(context, account_id)
    qtbot.addWidget(view)
    assert view.facts is not None
    chinese = sheet_content([view.facts], "zh_CN", date(2026, 11, 20))
    assert chinese.headers[0] == "达人" and chinese.title == "谈判单"
    write_xlsx(chinese, tmp_path / "sheet.xlsx")
    sheet = load_workbook(tmp_path / "sheet.xlsx").active
    assert sheet is not None
    values = [c.value for row in sheet.iter_rows() for c in row]
    assert view.facts.subject.nickname in values and "开价" in values
    english = sheet_content([view.facts], "en", date(2026, 11, 20))
    write_pdf(english, tmp_path / "sheet.pdf", [view.facts])
    assert (tmp_path / "sheet.pdf").read_bytes()[:5] == b"%PDF-"
    assert english.headers[7:10] == ["Ask", "Target", "Walk away"] and handle in english.pages[0][0]


def test_the_shortlist_sheet_prices_every_selected_account(
        qtbot: QtBot, main_window: MainWindow, monkeypatch: object) -> None:
    import kol_desk.ui.negotiation.sheet as sheet_ui

    priced: list[list[str]] = []
    # The format-and-file dialogs are the only thing replaced: the pricing runs for real.
    monkeypatch.setattr(sheet_ui, "save_sheet",  # type: ignore[attr-defined]
                        lambda _parent, shortlist: priced.append([f.subject.handle for f in shortlist]))
    tab = main_window.creators_tab
    qtbot.waitUntil(lambda: tab.model.is_counted)
    tab.table.selectRow(0)
    tab.table.selectionModel().select(tab.model.index(1, 0), tab.table.selectionModel().SelectionFlag.Select
                                      | tab.table.selectionModel().SelectionFlag.Rows)
    wanted = [r.handle for r in tab.selected_rows()]
    main_window.shortlist_sheet()
    qtbot.waitUntil(lambda: bool(priced))
    assert len(priced[0]) == 2 and {h.lstrip("@") for h in priced[0]} == {h.lstrip("@") for h in wanted if h}


def test_a_counter_offer_is_recorded_with_its_discount_and_channel(
        qtbot: QtBot, context: AppContext) -> None:
    account_id, _handle, _card = _negotiated_account(context)
    view = NegotiationView(context, account_id)
    qtbot.addWidget(view)
    view.show()
    view.card.setCurrentIndex(0)  # no card
    type_text(qtbot, view.amount.edit, "9000")
    view.discount.setValue(10)
    view.channel.setCurrentIndex(view.channel.findData("xingtu"))
    assert view.channel.currentText() == "Xingtu order (Douyin)"
    with qtbot.waitSignal(context.events.changed):
        qtbot.mouseClick(view.counter_button, Qt.MouseButton.LeftButton)
    with context.workspace.session() as s:
        newest = s.execute(select(Quote.price_min, Quote.discount_pct, Quote.channel)
                           .where(Quote.account_id == account_id)
                           .order_by(Quote.id.desc()).limit(1)).one()
    assert tuple(newest) == (Decimal("9000.00"), 10.0, "xingtu")
    assert view.discount.value() == 0  # ready for the next price; the channel stays
