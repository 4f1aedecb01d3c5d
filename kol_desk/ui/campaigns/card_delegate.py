"""Paints a board card: nickname, platform · tier, fee, next due date and warning badges.

Every card has the same height so the list views can use uniform item sizes, which keeps
a 500-card column smooth to scroll and to reset.
"""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from kol_desk.i18n import tr
from kol_desk.metrics import format_money
from kol_desk.services.board import BoardCard
from kol_desk.ui.campaigns.board_model import CARD_ROLE
from kol_desk.ui.campaigns.card_form import N_
from kol_desk.ui.labels import platform_label, tier_label

CARD_HEIGHT = 76
MARGIN = 4
BADGES = (
    ("overdue", N_("Overdue"), "#c62828"),
    ("disclosure_missing", N_("Ad label"), "#ef6c00"),
    ("risk_flag", N_("Risk"), "#6a1b9a"),
    ("over_budget", N_("Over budget"), "#ad1457"),
)


def short_money(amount: Decimal, currency: str) -> str:
    """Whole amounts without ".00": the card has little room."""
    text = format_money(amount, currency)
    return text[:-3] if text.endswith(".00") else text


def badge_texts(card: BoardCard) -> list[tuple[str, str]]:
    shown = [(tr(text), colour) for attr, text, colour in BADGES if getattr(card, attr)]
    if card.boss_decision == "rejected":
        shown.append((tr("Rejected"), "#455a64"))
    return shown


class CardDelegate(QStyledItemDelegate):
    def __init__(self, currency: str = "CNY", parent: object = None) -> None:
        super().__init__(parent)  # type: ignore[arg-type]
        self.currency = currency

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        return QSize(180, CARD_HEIGHT)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        card = index.data(CARD_ROLE)
        if not isinstance(card, BoardCard):
            super().paint(painter, option, index)
            return
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = option.rect.adjusted(MARGIN, MARGIN // 2, -MARGIN, -MARGIN // 2)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        painter.setPen(QPen(QColor("#1976d2") if selected else QColor("#c8c8c8"), 1.5 if selected else 1))
        painter.setBrush(QColor("#e3f2fd") if selected else QColor("#ffffff"))
        painter.drawRoundedRect(rect, 6, 6)
        inner = rect.adjusted(8, 5, -8, -5)
        line = QFontMetrics(option.font).height()

        bold = QFont(option.font)
        bold.setBold(True)
        painter.setFont(bold)
        painter.setPen(QColor("#212121"))
        metrics = QFontMetrics(bold)
        painter.drawText(QRect(inner.left(), inner.top(), inner.width(), line),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         metrics.elidedText(card.nickname, Qt.TextElideMode.ElideRight, inner.width()))

        painter.setFont(option.font)
        plain = QFontMetrics(option.font)
        tier = tier_label(card.tier) if card.tier else ""
        where = " · ".join(t for t in (platform_label(card.platform), tier) if t)
        if card.fee is None:
            fee = tr("no fee yet")
        elif card.fee_is_agreed:
            fee = short_money(card.fee, self.currency)
        else:
            # A quote, not a deal yet: "≈" and grey, so agreed fees stand out.
            fee = "≈" + short_money(card.fee, self.currency)
        second = QRect(inner.left(), inner.top() + line + 2, inner.width(), line)
        painter.setPen(QColor("#616161"))
        fee_width = plain.horizontalAdvance(fee)
        painter.drawText(second.adjusted(0, 0, -fee_width - 6, 0),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         plain.elidedText(where, Qt.TextElideMode.ElideRight, max(inner.width() - fee_width - 6, 10)))
        painter.setPen(QColor("#1b5e20") if card.fee_is_agreed else QColor("#757575"))
        painter.drawText(second, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, fee)

        third = QRect(inner.left(), inner.top() + 2 * (line + 2), inner.width(), line)
        x = third.left()
        if card.next_due is not None:
            due = tr("due {date}", date=card.next_due.strftime("%m-%d"))
            painter.setPen(QColor("#c62828") if card.overdue else QColor("#424242"))
            painter.drawText(third, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, due)
            x += plain.horizontalAdvance(due) + 6
        small = QFont(option.font)
        small.setPointSizeF(max(option.font.pointSizeF() - 1.5, 6.0))
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
