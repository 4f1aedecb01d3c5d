"""The Campaigns tab: the campaign list, the board of one campaign, and what is due
this week or overdue across all campaigns."""

from __future__ import annotations

from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from kol_desk.errors import KnownError
from kol_desk.i18n import tr
from kol_desk.ui.campaigns import approval_ui
from kol_desk.ui.campaigns.board import BoardView
from kol_desk.ui.campaigns.campaign_list import COLUMNS, CampaignListPage
from kol_desk.ui.campaigns.card_dialog import CardDialog
from kol_desk.ui.campaigns.dialogs import AddCreatorsDialog
from kol_desk.ui.campaigns.due_view import DueView
from kol_desk.ui.common.row_model import RowTableModel
from kol_desk.ui.context import AppContext

__all__ = ["COLUMNS", "CampaignsTab"]


class CampaignsTab(QWidget):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.campaigns = CampaignListPage(context)
        self.board = BoardView(context)
        self.due = DueView(context)
        self.pages = QTabWidget()
        self.pages.setObjectName("campaign_pages")
        self.pages.addTab(self.campaigns, tr("Campaigns"))
        self.pages.addTab(self.board, tr("Board"))
        self.pages.addTab(self.due, tr("Due this week / overdue"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pages)
        self._card_dialogs: list[CardDialog] = []
        self.campaigns.open_board.connect(self.show_board)
        self.board.open_card.connect(self.open_card)
        self.due.open_card.connect(self.open_card)
        self.board.add_button.clicked.connect(self._add_creators)
        self.board.export_button.clicked.connect(
            lambda: approval_ui.export_shortlist(self, context, self.board.campaign_id,
                                                 self.board.campaign_box.currentText()))
        self.board.import_button.clicked.connect(
            lambda: approval_ui.import_approval(self, context, self.board.campaign_id))
        # Pages that missed a change while another page was in front: refreshed when
        # shown, so a move on the board does not also rebuild the list and the due view.
        self._stale: set[QWidget] = set()
        self.pages.currentChanged.connect(lambda _index: self._refresh_stale())
        context.events.changed.connect(self._data_changed)

    @property
    def model(self) -> RowTableModel:
        """The campaign list's model (what the main-window tests count)."""
        return self.campaigns.model

    def refresh(self) -> None:
        self._stale.clear()
        self.campaigns.refresh()
        self.due.refresh()

    def _data_changed(self, _area: str) -> None:
        self._stale.update((self.campaigns, self.due))
        self._refresh_stale()

    def _refresh_stale(self) -> None:
        page = self.pages.currentWidget()
        if page in self._stale:
            self._stale.discard(page)
            if page is self.campaigns:
                self.campaigns.refresh()
            elif page is self.due:
                self.due.refresh()

    def show_board(self, campaign_id: int) -> None:
        self.board.show_campaign(campaign_id)
        self.pages.setCurrentWidget(self.board)

    def open_card(self, card_id: int) -> CardDialog | None:
        try:
            dialog = CardDialog(self.context, card_id, self)
        except KnownError as exc:
            self.board.notice.setText(str(exc))
            self.board.notice.show()
            return None
        # Non-modal: the board stays in view while the card is open.
        self._card_dialogs = [d for d in self._card_dialogs if d.isVisible()]
        self._card_dialogs.append(dialog)
        dialog.show()
        return dialog

    def _add_creators(self) -> None:
        if self.board.campaign_id:
            AddCreatorsDialog(self.context, self.board.campaign_id, self).exec()
