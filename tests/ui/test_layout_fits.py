"""At 1280×720, in English and in Chinese, every label, button, column title and table
cell on every tab, sub-page and main dialog of the demo shows its whole text (nothing cut
or elided; a cell may be elided only where its tooltip gives the whole text)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QFont, QFontMetrics, QUndoStack
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDialog,
    QLabel,
    QLineEdit,
    QStyle,
    QStyleOptionComboBox,
    QTableView,
    QTabWidget,
    QWidget,
)
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from kol_desk.i18n import set_language
from kol_desk.models import Quote
from kol_desk.preferences import Preferences
from kol_desk.services.budget import SPENT
from kol_desk.store.database import Workspace
from kol_desk.ui.context import AppContext
from kol_desk.ui.main_window import MainWindow


def _label_clipped(label: QLabel) -> str | None:
    if label.wordWrap() or not label.text() or label.textFormat() == Qt.TextFormat.RichText \
            or "<" in label.text():
        return None
    needed = max(label.fontMetrics().horizontalAdvance(line) for line in label.text().split("\n"))
    return f"label {label.text()!r}" if label.contentsRect().width() < needed else None


def _button_clipped(button: QAbstractButton) -> str | None:
    text = button.text().replace("&", "")
    if not text:
        return None
    icon = button.iconSize().width() + 4 if not button.icon().isNull() else 0
    needed = button.fontMetrics().horizontalAdvance(text) + icon + 8
    return f"button {text!r}" if button.width() < needed else None


def _field_clipped(widget: QComboBox | QAbstractSpinBox) -> str | None:
    """A date, number or choice box shows its whole value (a free-text field may scroll)."""
    if isinstance(widget, QComboBox):
        if widget.isEditable() or not widget.currentText():
            return None
        option = QStyleOptionComboBox()
        widget.initStyleOption(option)
        room = widget.style().subControlRect(QStyle.ComplexControl.CC_ComboBox, option,
                                             QStyle.SubControl.SC_ComboBoxEditField, widget).width()
        text = widget.currentText()
        icon = widget.iconSize().width() + 4 if not widget.itemIcon(widget.currentIndex()).isNull() else 0
        needed = widget.fontMetrics().horizontalAdvance(text) + icon
        return f"choice {text!r}" if room < needed else None
    text = widget.text()
    if not text:
        return None
    edit = widget.findChild(QLineEdit)
    room = edit.width() if edit is not None else widget.width()
    needed = widget.fontMetrics().horizontalAdvance(text) + 4
    return f"field {text!r}" if room < needed else None


def _edit_clipped(edit: QLineEdit) -> str | None:
    """A short value typed or filled in (a date, an amount, a name) shows whole; long free
    text (notes, links) may scroll as it does in any text field."""
    text = edit.text()
    if not text or len(text) > 40:
        return None
    margins = edit.textMargins()
    needed = edit.fontMetrics().horizontalAdvance(text) + margins.left() + margins.right() + 8
    return f"field {text!r}" if edit.width() < needed else None


def _headers_clipped(table: QTableView) -> list[str]:
    header, model = table.horizontalHeader(), table.model()
    found = []
    for column in range(model.columnCount()):
        title = str(model.headerData(column, Qt.Orientation.Horizontal) or "")
        if header.isSectionHidden(column) or not title:
            continue
        # Qt's own fit (ResizeToContents) leaves 2 px either side of a title
        if header.sectionSize(column) < header.fontMetrics().horizontalAdvance(title) + 4:
            found.append(f"column title {title!r}")
    return found


def _cell_needs(table: QTableView, index: QModelIndex, text: str) -> int:
    """The width a cell needs for its text as QStyledItemDelegate lays it out: the text, the
    item's margins either side, and a check box or icon before it."""
    font = index.data(Qt.ItemDataRole.FontRole)
    metrics = QFontMetrics(font) if isinstance(font, QFont) else table.fontMetrics()
    style = table.style()
    margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, table) + 1
    needed = max(metrics.horizontalAdvance(line) for line in text.split("\n")) + 2 * margin
    if index.data(Qt.ItemDataRole.CheckStateRole) is not None:
        needed += style.pixelMetric(QStyle.PixelMetric.PM_IndicatorWidth, None, table) + 2 * margin
    if index.data(Qt.ItemDataRole.DecorationRole) is not None:
        needed += table.iconSize().width() + 2 * margin
    return needed


def _cells_clipped(table: QTableView) -> list[str]:
    """The cells on screen (the rows the view shows) whose text is wider than their column."""
    header, model = table.horizontalHeader(), table.model()
    first = max(table.rowAt(0), 0)
    last = table.rowAt(table.viewport().height() - 1)
    last = model.rowCount() - 1 if last < 0 else last
    grid = 1 if table.showGrid() else 0
    found = []
    for column in range(model.columnCount()):
        if header.isSectionHidden(column):
            continue
        room = header.sectionSize(column) - grid
        title = str(model.headerData(column, Qt.Orientation.Horizontal) or column)
        for row in range(first, last + 1):
            if table.isRowHidden(row):
                continue
            index = model.index(row, column)
            text = index.data(Qt.ItemDataRole.DisplayRole)
            if not isinstance(text, str) or not text:
                continue
            if room >= _cell_needs(table, index, text):
                continue
            tip = index.data(Qt.ItemDataRole.ToolTipRole)
            if isinstance(tip, str) and text.replace("…", "") in tip:
                continue  # elided on purpose, the whole text on hover
            found.append(f"cell {text!r} (column {title!r})")
            break  # one cut cell names its column
    return found


def clipped(root: QWidget) -> list[str]:
    found: list[str] = []
    for widget in [root, *root.findChildren(QWidget)]:
        if not widget.isVisible():
            continue
        if isinstance(widget, QLabel):
            found += filter(None, [_label_clipped(widget)])
        elif isinstance(widget, QAbstractButton):
            found += filter(None, [_button_clipped(widget)])
        elif isinstance(widget, (QComboBox, QAbstractSpinBox)):
            found += filter(None, [_field_clipped(widget)])
        elif isinstance(widget, QLineEdit) and not isinstance(widget.parent(), (QComboBox, QAbstractSpinBox)):
            found += filter(None, [_edit_clipped(widget)])
        elif isinstance(widget, QTableView) and widget.model() is not None:
            found += _headers_clipped(widget)
            found += _cells_clipped(widget)
    return found


def _settle(qtbot: QtBot, ms: int = 300) -> None:
    qtbot.wait(ms)
    QApplication.processEvents()


@pytest.fixture(params=["en", "zh_CN"])
def window(request: pytest.FixtureRequest, qtbot: QtBot, demo_workspace: Workspace) -> Iterator[MainWindow]:
    set_language(request.param)
    shown = MainWindow(AppContext(demo_workspace, Preferences(), QUndoStack()))
    qtbot.addWidget(shown)
    shown.resize(1280, 720)
    shown.show()
    qtbot.waitExposed(shown)
    yield shown


def _pages(tab: QWidget) -> list[QTabWidget]:
    return [t for t in tab.findChildren(QTabWidget) if t.isVisible()]


def test_every_tab_and_sub_page_fits_at_1280_by_720(qtbot: QtBot, window: MainWindow) -> None:
    problems: list[str] = []
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        tab = window.tab(index)
        if index == 0:
            qtbot.waitUntil(lambda tab=tab: tab.model.rowCount() > 0)
            tab.table.selectRow(0)
        if index == 3:
            qtbot.waitUntil(lambda tab=tab: tab.report is not None, timeout=20_000)
        _settle(qtbot)
        for pages in _pages(tab):
            for page in range(pages.count()):
                pages.setCurrentIndex(page)
                _settle(qtbot)
                problems += [f"{window.tabs.tabText(index)} / {pages.tabText(page)}: {p}"
                             for p in clipped(tab)]
    assert not problems, "\n".join(sorted(set(problems)))


def test_the_main_dialogs_fit(qtbot: QtBot, window: MainWindow) -> None:
    from kol_desk.services.quote_edit import read_quote
    from kol_desk.ui.campaigns.card_dialog import CardDialog
    from kol_desk.ui.campaigns.dialogs import AddCreatorsDialog
    from kol_desk.ui.creators.dialogs import CreatorDialog, QuoteDialog
    from kol_desk.ui.dialogs.activity import ActivityDialog
    from kol_desk.ui.dialogs.settings import SettingsDialog
    from kol_desk.ui.importing.history import ImportHistoryDialog
    from kol_desk.ui.importing.wizard import ImportWizard
    from kol_desk.ui.negotiation.view import NegotiationView
    from kol_desk.ui.reports.results_dialog import ResultsDialog

    campaigns = window.campaigns_tab
    first = campaigns.model.row_object(0).id
    campaigns.show_board(first)
    card_id = next(c.id for column in campaigns.board.columns.values() for c in column.model.cards)
    dialogs: list[QDialog] = [
        CreatorDialog(None, [], window), CardDialog(window.context, card_id, window),
        AddCreatorsDialog(window.context, first, window), ImportWizard(window.context, window),
        SettingsDialog(window.context.preferences, window),
        ResultsDialog(window.context, first, window), ImportHistoryDialog(window.context, window),
        ActivityDialog(window.context.workspace, window)]
    with window.context.workspace.session() as session:
        quoted = session.scalar(select(Quote.account_id).order_by(Quote.account_id).limit(1))
    assert quoted is not None
    dialogs.append(NegotiationView(window.context, quoted, parent=window))
    with window.context.workspace.session() as session:  # a range: the widest price text
        quote_id = session.scalar(select(Quote.id).where(Quote.price_max > Quote.price_min).limit(1))
    assert quote_id is not None
    dialogs.append(QuoteDialog(read_quote(window.context.workspace, quote_id),
                               "Douyin taozi01 · Video · ¥5,000–8,000 · 2026-11-02", window))
    window.tabs.setCurrentWidget(window.budget_tab)
    dialogs.append(window.budget_tab.drill(SPENT))
    problems = []
    for dialog in dialogs:
        dialog.show()
        _settle(qtbot)
        problems += [f"{dialog.windowTitle()}: {p}" for p in clipped(dialog)]
        assert dialog.width() >= dialog.fontMetrics().horizontalAdvance(dialog.windowTitle()) + 60, \
            f"the title {dialog.windowTitle()!r} is cut"
        dialog.reject()
    assert not problems, "\n".join(problems)


def test_reports_and_budget_leave_their_tables_and_charts_room(qtbot: QtBot, window: MainWindow) -> None:
    """At 1280×720 the Reports tab shows several rows of each table and a chart of useful
    height, and the Budget tab its campaigns with both charts, without a click."""
    from kol_desk.ui.common.chart_view import MIN_SIZE

    reports = window.reports_tab
    window.tabs.setCurrentWidget(reports)
    qtbot.waitUntil(lambda: reports.report is not None, timeout=20_000)
    _settle(qtbot)
    creators = reports.group_views["creator"]
    rows = creators.viewport().height() // creators.verticalHeader().defaultSectionSize()
    assert rows >= 4, f"the per-creator table shows {rows} rows"
    layers = reports.layer_view
    assert layers.viewport().height() // layers.verticalHeader().defaultSectionSize() >= 8
    assert reports.chart.canvas.height() >= MIN_SIZE.height() and reports.chart.isVisible()
    assert reports.summary.isVisible() and len(reports.summary.texts()) >= 5

    budget = window.budget_tab
    window.tabs.setCurrentWidget(budget)
    _settle(qtbot)
    assert budget.table.isVisible() and budget.summary.isVisible()
    assert all(view.isVisible() and view.canvas.height() >= MIN_SIZE.height()
               for view in budget.overview_charts.views)
    table = budget.table
    assert table.viewport().height() >= table.model().rowCount() * table.verticalHeader().defaultSectionSize()
