"""Correcting and removing a quote where it is seen, the creator page's quote table: the
editor reads prices as a list writes them, the table and the list follow, Edit ▸ Undo
puts the old price (or the removed quote) back."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from kol_desk.models import PlatformAccount, Quote
from kol_desk.services import activity
from kol_desk.services.creators import fetch_accounts
from kol_desk.services.quote_edit import QuoteFields, read_quote, update_quote
from kol_desk.ui.context import AppContext
from kol_desk.ui.creators.creator_page import QUOTE_COLUMNS
from kol_desk.ui.creators.dialogs import QuoteDialog
from kol_desk.ui.creators.tab import CreatorsTab
from kol_desk.ui.dialogs.conflict import ConflictDialog
from tests.ui.creators.helpers_creators import answer_modal, click_ok, type_text

PRICE = next(i for i, c in enumerate(QUOTE_COLUMNS) if c.title == "Price")


def _latest_quote(context: AppContext) -> tuple[int, str, int]:
    """A demo account's newest quote, priced and the only one of its day: (quote id,
    handle, account id)."""
    with context.workspace.session() as session:
        rows = session.execute(
            select(Quote.id, Quote.account_id, PlatformAccount.handle_display, Quote.quoted_on,
                   Quote.price_unknown)
            .join(PlatformAccount, PlatformAccount.id == Quote.account_id)
            .order_by(Quote.account_id, Quote.quoted_on.desc(), Quote.id.desc())).all()
    newest: dict[int, list[tuple[int, str, date, bool]]] = {}
    for quote_id, account_id, handle, on, unknown in rows:
        newest.setdefault(account_id, []).append((quote_id, handle, on, unknown))
    for account_id, quotes in newest.items():
        first = quotes[0]
        if not first[3] and (len(quotes) == 1 or quotes[1][2] != first[2]):
            return first[0], first[1], account_id
    raise AssertionError("the demo has no priced quote")


def _open(qtbot: QtBot, context: AppContext, handle: str) -> CreatorsTab:
    tab = CreatorsTab(context)
    qtbot.addWidget(tab)
    tab.resize(1400, 800)
    tab.show()
    qtbot.waitExposed(tab)
    qtbot.waitUntil(lambda: tab.model.is_counted)
    tab.search.clear()
    type_text(qtbot, tab.search, handle)
    qtbot.waitUntil(lambda: tab.model.filter.search == handle and tab.model.is_counted)
    tab.table.selectRow(0)
    qtbot.waitUntil(lambda: tab.panel.page is not None)
    tab.panel.sections.setCurrentIndex(2)  # Quotes
    return tab


def _row_of(tab: CreatorsTab, quote_id: int) -> int | None:
    model = tab.panel.quotes_model
    return next((r for r in range(model.rowCount()) if model.row_object(r).id == quote_id), None)


def _price_shown(tab: CreatorsTab, quote_id: int) -> str:
    row = _row_of(tab, quote_id)
    assert row is not None
    return str(tab.panel.quotes_model.data(tab.panel.quotes_model.index(row, PRICE)))


def _select(tab: CreatorsTab, quote_id: int) -> None:
    row = _row_of(tab, quote_id)
    assert row is not None
    tab.panel.quotes_view.selectRow(row)


def _latest_in_list(tab: CreatorsTab, context: AppContext, account_id: int) -> object:
    shown = next(tab.model.row_at(r) for r in range(tab.model.rowCount())
                 if tab.model.row_at(r).account_id == account_id)
    truth = next(r for r in fetch_accounts(context.workspace, 0, 1000) if r.account_id == account_id)
    assert shown.latest_price == truth.latest_price  # the list was read again
    return shown.latest_price


def test_edit_a_quotes_price_and_undo(qtbot: QtBot, context: AppContext) -> None:
    quote_id, handle, account_id = _latest_quote(context)
    tab = _open(qtbot, context, handle)
    panel = tab.panel
    old_text = _price_shown(tab, quote_id)
    old_latest = _latest_in_list(tab, context, account_id)
    before = read_quote(context.workspace, quote_id)
    assert not panel.edit_quote_button.isEnabled() and not panel.remove_quote_button.isEnabled()
    _select(tab, quote_id)
    assert panel.edit_quote_button.isEnabled() and panel.remove_quote_button.isEnabled()
    assert panel.edit_quote_button.isVisible()

    def new_price(dialog: QuoteDialog) -> None:
        assert dialog.deliverable.currentText() != before.deliverable  # a label, not the key
        dialog.price.edit.clear()
        type_text(qtbot, dialog.price.edit, "1.2w")
        assert dialog.price_read.text() == "Read as: ¥12,000"
        click_ok(qtbot, dialog)

    answer_modal(QuoteDialog, new_price)
    qtbot.mouseClick(panel.edit_quote_button, Qt.MouseButton.LeftButton)
    assert read_quote(context.workspace, quote_id).price_min == Decimal(12_000)
    assert _price_shown(tab, quote_id) == "¥12,000"
    assert _latest_in_list(tab, context, account_id) != old_latest
    assert context.undo_stack.undoText() == f"Edit quote of {handle}"

    context.undo_stack.undo()
    assert read_quote(context.workspace, quote_id) == before
    assert _price_shown(tab, quote_id) == old_text
    assert _latest_in_list(tab, context, account_id) == old_latest
    context.undo_stack.redo()
    assert _price_shown(tab, quote_id) == "¥12,000"

    # a double-click on a quote opens the editor too; Cancel changes nothing
    seen: list[QuoteDialog] = []
    answer_modal(QuoteDialog, lambda d: d.reject(), seen)
    row = _row_of(tab, quote_id)
    assert row is not None
    view = panel.quotes_view
    rect = view.visualRect(panel.quotes_model.index(row, PRICE))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())  # a double
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())  # click's press
    assert len(seen) == 1 and context.undo_stack.count() == 1


def test_a_colleagues_change_meanwhile_meets_the_conflict_dialog(qtbot: QtBot, context: AppContext) -> None:
    quote_id, handle, _account = _latest_quote(context)
    tab = _open(qtbot, context, handle)
    _select(tab, quote_id)
    before = read_quote(context.workspace, quote_id)
    theirs = "pugongying" if before.channel != "pugongying" else "direct"
    seen: list[ConflictDialog] = []

    def conflict(dialog: ConflictDialog) -> None:
        model = dialog.model
        rows = {model.data(model.index(r, 0)): [model.data(model.index(r, c)) for c in (2, 3)]
                for r in range(model.rowCount())}
        # named and shown as the form names them: labels, not stored keys
        assert rows["Channel"][1] == ("Pugongying order (Xiaohongshu)" if theirs == "pugongying"
                                      else "Direct")
        assert rows["Price (low end)"][0] == "9,000.00"
        dialog.merge.click()

    def new_price(dialog: QuoteDialog) -> None:
        activity.set_user(context.workspace, "老李")  # a colleague saves the quote meanwhile
        try:
            update_quote(context.workspace, quote_id, replace(before, channel=theirs))
        finally:
            activity.set_user(context.workspace, None)
        dialog.price.edit.setText("9000")
        answer_modal(ConflictDialog, conflict, seen)
        click_ok(qtbot, dialog)

    answer_modal(QuoteDialog, new_price)
    tab.panel.edit_quote_button.click()
    assert len(seen) == 1 and "老李" in seen[0].message.text()
    merged = read_quote(context.workspace, quote_id)
    assert (merged.price_min, merged.channel) == (Decimal(9000), theirs)  # both changes kept
    assert _price_shown(tab, quote_id) == "¥9,000"
    context.undo_stack.undo()  # my price goes; the colleague's channel stays
    assert read_quote(context.workspace, quote_id) == replace(before, channel=theirs)


def test_remove_a_quote_and_undo(qtbot: QtBot, context: AppContext) -> None:
    quote_id, handle, _account = _latest_quote(context)
    tab = _open(qtbot, context, handle)
    panel = tab.panel
    count = panel.quotes_model.rowCount()
    _select(tab, quote_id)

    def yes(box: QMessageBox) -> None:
        assert handle in box.text()
        box.button(QMessageBox.StandardButton.Yes).click()

    answer_modal(QMessageBox, yes)
    qtbot.mouseClick(panel.remove_quote_button, Qt.MouseButton.LeftButton)
    assert panel.quotes_model.rowCount() == count - 1 and _row_of(tab, quote_id) is None
    assert panel.sections.tabText(2) == f"Quotes ({count - 1})"
    assert not panel.edit_quote_button.isEnabled()  # nothing selected any more

    context.undo_stack.undo()
    assert panel.quotes_model.rowCount() == count and _row_of(tab, quote_id) is not None
    assert panel.sections.tabText(2) == f"Quotes ({count})"


def test_the_editor_reads_prices_as_lists_write_them(qtbot: QtBot) -> None:
    fields = QuoteFields("video", date(2026, 11, 2), Decimal(5000), Decimal(8000), tax_included=True,
                         discount_pct=10.0, channel="xingtu", video_length="21-60s")
    dialog = QuoteDialog(fields)
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert dialog.price.edit.text() == "5000-8000" and dialog.discount.edit.text() == "10"
    assert dialog.fields() == fields  # shown as it is stored, read back the same

    def typed(text: str) -> None:
        dialog.price.edit.setText(text)

    typed("6000起")
    assert dialog.fields().price_min == Decimal(6000) and dialog.fields().price_max is None
    typed("面议")
    assert dialog.fields().price_unknown and dialog.price_read.text() == "Read as: Negotiable"
    typed("0")
    assert not ok.isEnabled() and dialog.price.message.text() == "A price must be above zero."
    typed("")
    assert not ok.isEnabled() and dialog.error.text() == "A quote needs a price, or 'negotiable'."
    typed("$800")  # the text names a currency the Currency field does not
    assert not ok.isEnabled() and "USD" in dialog.error.text()
    dialog.currency.setCurrentIndex(dialog.currency.findData("USD"))
    assert ok.isEnabled() and dialog.fields().currency == "USD"
    dialog.currency.setCurrentIndex(dialog.currency.findData("CNY"))
    typed("5000 8折")  # a discount in the price and another in its field: which one?
    assert not ok.isEnabled() and "Discount" in dialog.error.text()
    dialog.discount.edit.setText("")
    assert ok.isEnabled() and dialog.fields().discount_pct == 20.0
    dialog.discount.edit.setText("九折")
    dialog.price.edit.setText("5000")
    assert ok.isEnabled() and dialog.fields().discount_pct == 10.0
    dialog.discount.edit.setText("100")
    assert not ok.isEnabled()
    assert dialog.discount.message.text() == "A discount is between 0 and 100 percent."
