"""Paints a board card: nickname, platform · tier, fee, next due date and warning badges.

Every card has the same height so the list views can use uniform item sizes, which keeps
a 500-card column smooth to scroll and to reset.
"""

from __future__ import annotations

from collections import OrderedDict
from decimal import Decimal

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from kol_desk.errors import N_
from kol_desk.i18n import tr
from kol_desk.labels import platform_label, tier_label
from kol_desk.services.board import BoardCard
from kol_desk.ui.campaigns.board_model import CARD_ROLE
from kol_desk.ui.money import money_short

CARD_HEIGHT = 76
# Drawn cards kept per column: a screenful several times over (~60 kB each).
PIXMAPS_KEPT = 48
MARGIN = 4
BADGES = (
    ("overdue", N_("Overdue"), "#c62828"),
    ("disclosure_missing", N_("Ad label"), "#ef6c00"),
    ("risk_flag", N_("Risk"), "#6a1b9a"),
    ("over_budget", N_("Over budget"), "#ad1457"),
)


def short_money(amount: Decimal, currency: str) -> str:
    """The card has little room: 万 / K from ten thousand up."""
    return money_short(amount, currency)


def badge_texts(card: BoardCard) -> list[tuple[str, str]]:
    shown = [(tr(text), colour) for attr, text, colour in BADGES if getattr(card, attr)]
    if card.boss_decision == "rejected":
        shown.append((tr("Rejected"), "#455a64"))
    return shown


class CardDelegate(QStyledItemDelegate):
    """Draws each card once into a pixmap and reuses it: after a move the cards of both
    columns shift and are all repainted, and text drawing is most of a card's cost."""

    def __init__(self, currency: str = "CNY", parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.currency = currency
        self._pixmaps: OrderedDict[tuple[object, ...], QPixmap] = OrderedDict()

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        return QSize(180, CARD_HEIGHT)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        card = index.data(CARD_ROLE)
        if not isinstance(card, BoardCard):
            super().paint(painter, option, index)
            return
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        size = option.rect.size()
        ratio = painter.device().devicePixelRatioF()
        # The card itself is the key: a card whose marks or fee changed is drawn afresh.
        key = (card, selected, size.width(), size.height(), ratio, self.currency,
               option.font.key())
        pixmap = self._pixmaps.get(key)
        if pixmap is None:
            pixmap = QPixmap(size * ratio)
            pixmap.setDevicePixelRatio(ratio)
            pixmap.fill(Qt.GlobalColor.transparent)
            canvas = QPainter(pixmap)
            self._draw(canvas, QRect(QPoint(0, 0), size), option.font, card, selected)
            canvas.end()
            self._pixmaps[key] = pixmap
            if len(self._pixmaps) > PIXMAPS_KEPT:
                self._pixmaps.popitem(last=False)
        else:
            self._pixmaps.move_to_end(key)
        painter.drawPixmap(option.rect.topLeft(), pixmap)

    def _draw(self, painter: QPainter, area: QRect, font: QFont, card: BoardCard,
              selected: bool) -> None:
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = area.adjusted(MARGIN, MARGIN // 2, -MARGIN, -MARGIN // 2)
        painter.setPen(QPen(QColor("#1976d2") if selected else QColor("#c8c8c8"), 1.5 if selected else 1))
        painter.setBrush(QColor("#e3f2fd") if selected else QColor("#ffffff"))
        painter.drawRoundedRect(rect, 6, 6)
        inner = rect.adjusted(8, 5, -8, -5)
        line = QFontMetrics(font).height()

        # The fee on the name's line: the platform and tier below get the whole width
        # ("WeChat Official Account · Mid-tier" is longer than most nicknames).
        plain = QFontMetrics(font)
        if card.fee is None:
            fee = tr("no fee yet")
        elif card.fee_is_agreed:
            fee = short_money(card.fee, self.currency)
        else:
            # A quote, not a deal yet: "≈" and grey, so agreed fees stand out.
            fee = "≈" + short_money(card.fee, self.currency)
        first = QRect(inner.left(), inner.top(), inner.width(), line)
        fee_width = plain.horizontalAdvance(fee)
        bold = QFont(font)
        bold.setBold(True)
        painter.setFont(bold)
        painter.setPen(QColor("#212121"))
        metrics = QFontMetrics(bold)
        painter.drawText(first.adjusted(0, 0, -fee_width - 6, 0),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         metrics.elidedText(card.nickname, Qt.TextElideMode.ElideRight,
                                            max(inner.width() - fee_width - 6, 10)))
        painter.setFont(font)
        painter.setPen(QColor("#1b5e20") if card.fee_is_agreed else QColor("#757575"))
        painter.drawText(first, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, fee)

        tier = tier_label(card.tier) if card.tier else ""
        where = " · ".join(t for t in (platform_label(card.platform), tier) if t)
        second = QRect(inner.left(), inner.top() + line + 2, inner.width(), line)
        painter.setPen(QColor("#616161"))
        painter.drawText(second, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         plain.elidedText(where, Qt.TextElideMode.ElideRight, inner.width()))

        third = QRect(inner.left(), inner.top() + 2 * (line + 2), inner.width(), line)
        x = third.left()
        if card.next_due is not None:
            due = tr("due {date}", date=card.next_due.strftime("%m-%d"))
            painter.setPen(QColor("#c62828") if card.overdue else QColor("#424242"))
            painter.drawText(third, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, due)
            x += plain.horizontalAdvance(due) + 6
        small = QFont(font)
        small.setPointSizeF(max(font.pointSizeF() - 1.5, 6.0))
        small_metrics = QFontMetrics(small)
        painter.setFont(small)
        for text, colour in badge_texts(card):
            width = small_metrics.horizontalAdvance(text) + 8
            if x + width > third.right():
                break
            pill = QRect(x, third.top() + 1, width, line - 2)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(colour))
            painter.drawRoundedRect(pill, 4, 4)
            painter.setPen(QColor("#ffffff"))
            painter.drawText(pill, Qt.AlignmentFlag.AlignCenter, text)
            x += width + 4
        painter.restore()
