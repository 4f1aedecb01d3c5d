"""The creator list's table view: it repaints after every keystroke of a search, so the
cost of one repaint is most of what the user waits for at 100k creators.

Measured (py-spy, 2026-11-29): Qt's own item painting laid out each cell's text three
times (its size, its elision, its drawing) after asking ``data()`` for seven roles, and
a search that changed the row count or the need for a scroll bar painted the table a
second time. The delegate draws each cell's text from a cache of laid-out
``QStaticText`` (the same pixels; a text seen before costs no layout, which halves a
repeat repaint), and the view lays itself out before its first paint after a reset.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QPersistentModelIndex, QPointF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QFontMetricsF,
    QPainter,
    QPaintEvent,
    QPalette,
    QResizeEvent,
    QStaticText,
)
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QTableView

from kol_desk.ui.creators.table_model import COLUMNS, TONED, CreatorTableModel

# Style states as plain ints: Python's enum flag operators cost more than the drawing.
_SELECTED = QStyle.StateFlag.State_Selected.value
_FOCUS = QStyle.StateFlag.State_HasFocus.value
_ACTIVE = QStyle.StateFlag.State_Active.value
_ENABLED = QStyle.StateFlag.State_Enabled.value
_RIGHT = tuple(c.numeric for c in COLUMNS)
_RESTYLED = {QEvent.Type.FontChange, QEvent.Type.PaletteChange, QEvent.Type.StyleChange}
# Laid-out texts kept: a screenful is ~300 cells; scrolling far or resizing columns
# starts the cache afresh.
TEXTS_KEPT = 4096


class ListDelegate(QStyledItemDelegate):
    """Paints a cell as Qt's item style does for text without icon or check box (same
    margins, elision, alignment, colours and selection), from the model's ``ShownRow``."""

    def __init__(self, model: CreatorTableModel, view: QTableView) -> None:
        super().__init__(view)
        self._model, self._view = model, view
        self._texts: dict[tuple[str, int], tuple[QStaticText, float, int]] = {}
        self._colours: dict[object, QColor] = {}
        self.forget()

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        state = option.state.value
        shown = self._model.shown(index.row())
        if shown is None or state & _FOCUS:
            super().paint(painter, option, index)  # the focus frame: Qt's own path, one cell
            return
        column, rect = index.column(), option.rect
        if state & _SELECTED:
            view = self._view
            view.style().drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, option,
                                       painter, view)
            colour = self._colour(option, state, QPalette.ColorRole.HighlightedText)
        elif shown.tone and column in TONED:
            colour = self._tone(shown.tone)
        else:
            colour = self._colour(option, state, QPalette.ColorRole.Text)
        text = shown.texts[column]
        if not text:
            return
        width = rect.width() - 2 * self._margin
        static, text_width, height = self._laid_out(painter, text, width)
        x = rect.x() + self._margin + (width - text_width if _RIGHT[column] else 0)
        painter.setPen(colour)
        painter.drawStaticText(QPointF(x, rect.y() + (rect.height() - height) // 2), static)

    def _colour(self, option: QStyleOptionViewItem, state: int, role: QPalette.ColorRole) -> QColor:
        key = (state & (_ACTIVE | _ENABLED), role)
        colour = self._colours.get(key)
        if colour is None:
            group = (QPalette.ColorGroup.Disabled if not state & _ENABLED
                     else QPalette.ColorGroup.Normal if state & _ACTIVE else QPalette.ColorGroup.Inactive)
            colour = self._colours[key] = option.palette.color(group, role)
        return colour

    def _tone(self, tone: str) -> QColor:
        colour = self._colours.get(tone)
        if colour is None:
            colour = self._colours[tone] = QColor(tone)
        return colour

    def forget(self) -> None:
        """The view's font, palette or style changed: nothing kept applies any more."""
        self._texts.clear()
        self._colours.clear()
        # Qt's item style keeps this margin either side of the text.
        self._margin = self._view.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin,
                                                      None, self._view) + 1

    def _laid_out(self, painter: QPainter, text: str, width: int) -> tuple[QStaticText, float, int]:
        laid = self._texts.get((text, width))
        if laid is None:
            if len(self._texts) >= TEXTS_KEPT:
                self._texts.clear()
            font = painter.font()
            static = _static(text, painter, font)
            size = static.size()
            shown = text
            if size.width() > width:
                # Elided; Qt centres it by the height of the whole text (a fallback font
                # for Chinese makes a line taller).
                shown = QFontMetrics(font).elidedText(text, Qt.TextElideMode.ElideRight, width)
                static = _static(shown, painter, font)
            # Right-aligned as Qt's text line aligns it: by the text's shaped advance (the
            # static text's size is off by a fraction of a pixel for some glyphs, e.g. "K").
            advance = QFontMetricsF(font).horizontalAdvance(shown)
            laid = self._texts[(text, width)] = (static, advance, int(size.height()))
        return laid


def _static(text: str, painter: QPainter, font: QFont) -> QStaticText:
    static = QStaticText(text)
    static.setTextFormat(Qt.TextFormat.PlainText)
    static.prepare(painter.transform(), font)
    return static


class CreatorListView(QTableView):
    def __init__(self, model: CreatorTableModel) -> None:
        super().__init__()
        self._model = model
        self.setModel(model)
        self.delegate = ListDelegate(model, self)
        self.setItemDelegate(self.delegate)
        # Rows are one line high: wrapping would only be clipped (the delegate draws one
        # line, as Qt does without word wrap).
        self.setWordWrap(False)
        # A result that fits on one screen hid the scroll bar and the next one showed it
        # again: each time a relayout and a second paint of the whole table.
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        # A keystroke's first page: the rows on screen, the one cut off at the bottom and
        # one more (40 rows cost a 1280×800 window's search 13 it cannot show).
        row = max(self.verticalHeader().defaultSectionSize(), 1)
        self._model.first_rows = self.viewport().height() // row + 2

    def paintEvent(self, event: QPaintEvent) -> None:
        # The rows about to be painted: their pages are read here, before painting (as a
        # view's fetchMore would), so data() and the delegate never run SQL.
        rows = self._model.rowCount()
        if rows:
            first = max(self.rowAt(0), 0)
            last = self.rowAt(self.viewport().height() - 1)
            self._model.load_rows(first, rows - 1 if last < 0 else last)
        super().paintEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in _RESTYLED:
            self.delegate.forget()
        super().changeEvent(event)

    def reset(self) -> None:
        # Qt lays the view out on a timer after a reset, i.e. after the first paint: a
        # new row count (e.g. 40 rows after 130k) then painted the table twice.
        super().reset()
        self.doItemsLayout()
