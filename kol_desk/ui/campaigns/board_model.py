"""One list model per board column, carrying cards between columns as mime data."""

from __future__ import annotations

import bisect
import json
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QByteArray,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

from kol_desk.i18n import tr
from kol_desk.services.board import BoardCard

CARD_MIME = "application/x-kol-desk-cards"
CARD_ROLE = Qt.ItemDataRole.UserRole + 10
Index = QModelIndex | QPersistentModelIndex
# Called with (card ids, target stage); returns whether the move happened.
DropHandler = Callable[[list[int], str], bool]


def board_order(card: BoardCard) -> tuple[int, int]:
    """Cards stand in a column by position, then by age (as services/board sorts them)."""
    return card.position, card.id


def card_mime(campaign_id: int, card_ids: Sequence[int], from_stage: str) -> QMimeData:
    data = QMimeData()
    payload = {"campaign": campaign_id, "cards": list(card_ids), "from": from_stage}
    data.setData(CARD_MIME, QByteArray(json.dumps(payload).encode()))
    return data


def read_card_mime(data: QMimeData) -> dict[str, Any] | None:
    if not data.hasFormat(CARD_MIME):
        return None
    try:
        payload = json.loads(bytes(data.data(CARD_MIME).data()).decode())
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(payload, dict) or not isinstance(payload.get("cards"), list):
        return None
    return payload


def warnings_of(card: BoardCard) -> list[str]:
    """The card's warning marks, in words, for the tooltip and the badges."""
    marks = []
    if card.overdue:
        marks.append(tr("Overdue"))
    if card.disclosure_missing:
        marks.append(tr("Ad disclosure missing"))
    if card.risk_flag:
        marks.append(tr("Risk flag"))
    if card.over_budget:
        marks.append(tr("Over budget"))
    if card.boss_decision == "rejected":
        marks.append(tr("Rejected by the boss"))
    return marks


class StageModel(QAbstractListModel):
    """The cards of one stage, in board order."""

    def __init__(self, stage: str, on_drop: DropHandler, parent: Any = None) -> None:
        super().__init__(parent)
        self.stage = stage
        self.campaign_id = 0
        self._on_drop = on_drop
        self._cards: list[BoardCard] = []

    def set_cards(self, campaign_id: int, cards: Sequence[BoardCard]) -> None:
        self.beginResetModel()
        self.campaign_id = campaign_id
        self._cards = list(cards)
        self.endResetModel()

    @property
    def cards(self) -> list[BoardCard]:
        return list(self._cards)

    def take_card(self, card_id: int) -> bool:
        """Remove one card in place (a move out of this column); False if not here."""
        row = self.row_of(card_id)
        if row < 0:
            return False
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._cards[row]
        self.endRemoveRows()
        return True

    def put_card(self, card: BoardCard) -> None:
        """Insert one card at its place in board order (a move into this column)."""
        row = bisect.bisect_left(self._cards, board_order(card), key=board_order)
        self.beginInsertRows(QModelIndex(), row, row)
        self._cards.insert(row, card)
        self.endInsertRows()

    def update_card(self, card: BoardCard) -> None:
        """Show a card's new marks where it stands (e.g. its over-budget mark flipped)."""
        row = self.row_of(card.id)
        if row >= 0:
            self._cards[row] = card
            index = self.index(row)
            self.dataChanged.emit(index, index)

    def card(self, row: int) -> BoardCard:
        return self._cards[row]

    def row_of(self, card_id: int) -> int:
        return next((i for i, c in enumerate(self._cards) if c.id == card_id), -1)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._cards)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._cards):
            return None
        card = self._cards[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return card.nickname
        if role == Qt.ItemDataRole.ToolTipRole:
            marks = warnings_of(card)
            return "\n".join([card.nickname, *marks]) if marks else card.nickname
        if role == CARD_ROLE:
            return card
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled
        return (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemIsDragEnabled)

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [CARD_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        rows = sorted({i.row() for i in indexes if i.isValid()})
        return card_mime(self.campaign_id, [self._cards[r].id for r in rows], self.stage)

    def canDropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int,
                        parent: Index) -> bool:
        payload = read_card_mime(data)
        return (payload is not None and payload.get("campaign") == self.campaign_id
                and payload.get("from") != self.stage)

    def dropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int,
                     parent: Index) -> bool:
        if action == Qt.DropAction.IgnoreAction:
            return True
        if not self.canDropMimeData(data, action, row, column, parent):
            return False
        payload = read_card_mime(data)
        assert payload is not None
        ids = [int(i) for i in payload["cards"]]
        # The board moves the card between the two column models itself (and only if the
        # move is allowed), so the source view must not remove rows: returning False
        # keeps Qt's hands off.
        self._on_drop(ids, self.stage)
        return False
