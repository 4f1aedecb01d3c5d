"""The Campaigns tab: the campaign list, the board of one campaign, and what is due
this week or overdue across all campaigns."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from kol_desk.errors import KnownError
from kol_desk.i18n import tr
from kol_desk.ui.campaigns.campaign_list import COLUMNS, CampaignListPage
from kol_desk.ui.common.lazy_tabs import install_page
from kol_desk.ui.common.row_model import RowTableModel
from kol_desk.ui.context import AppContext, Change

if TYPE_CHECKING:
    from kol_desk.ui.campaigns.board import BoardView
    from kol_desk.ui.campaigns.card_dialog import CardDialog
    from kol_desk.ui.campaigns.due_view import DueView

__all__ = ["COLUMNS", "CampaignsTab"]


BOARD_PAGE, DUE_PAGE = 1, 2


class CampaignsTab(QWidget):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.campaigns = CampaignListPage(context)
        # The board and the due view are built (and load their data) the first time they
        # are shown or used: opening the tab costs only the campaign list.
        self._board: BoardView | None = None
        self._due: DueView | None = None
        self.pages = QTabWidget()
        self.pages.setObjectName("campaign_pages")
        self.pages.addTab(self.campaigns, tr("Campaigns"))
        self.pages.addTab(QWidget(), tr("Board"))
        self.pages.addTab(QWidget(), tr("Due this week / overdue"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pages)
        self._card_dialogs: list[CardDialog] = []
        self.campaigns.open_board.connect(self.show_board)
        # Pages that missed a change while another page was in front: refreshed when
        # shown, so a move on the board does not also rebuild the list and the due view.
        self._stale: set[QWidget] = set()
        self.pages.currentChanged.connect(self._page_changed)
        context.events.changed.connect(self._data_changed)

    @property
    def model(self) -> RowTableModel:
        """The campaign list's model (what the main-window tests count)."""
        return self.campaigns.model

    @property
    def board(self) -> BoardView:
        return self._board if self._board is not None else self._build_board()

    @property
    def due(self) -> DueView:
        return self._due if self._due is not None else self._build_due()

    def _build_board(self) -> BoardView:
        # Imported here, like the pages themselves, so opening the tab does not load them.
        from kol_desk.ui.campaigns import approval_ui
        from kol_desk.ui.campaigns.board import BoardView

        board = self._board = BoardView(self.context)
        board.open_card.connect(self.open_card)
        board.add_button.clicked.connect(self._add_creators)
        board.export_button.clicked.connect(
            lambda: approval_ui.export_shortlist(self, self.context, board.campaign_id,
                                                 board.campaign_box.currentText()))
        board.import_button.clicked.connect(
            lambda: approval_ui.import_approval(self, self.context, board.campaign_id))
        install_page(self.pages, BOARD_PAGE, board)
        return board

    def _build_due(self) -> DueView:
        from kol_desk.ui.campaigns.due_view import DueView

        due = self._due = DueView(self.context)
        due.open_card.connect(self.open_card)
        install_page(self.pages, DUE_PAGE, due)
        return due

    def _page_changed(self, index: int) -> None:
        if index == BOARD_PAGE and self._board is None:
            self._build_board()
        elif index == DUE_PAGE and self._due is None:
            self._build_due()
        self._refresh_stale()

    def refresh(self) -> None:
        self._stale.clear()
        self.campaigns.refresh()
        if self._due is not None:
            self._due.refresh()

    def _data_changed(self, _change: Change) -> None:
        self._stale.add(self.campaigns)
        if self._due is not None:
            self._stale.add(self._due)
        self._refresh_stale()

    def _refresh_stale(self) -> None:
        page = self.pages.currentWidget()
        if page in self._stale:
            self._stale.discard(page)
            if page is self.campaigns:
                self.campaigns.refresh()
            elif page is self._due:
                self._due.refresh()

    def show_board(self, campaign_id: int) -> None:
        self.board.show_campaign(campaign_id)
        self.pages.setCurrentWidget(self.board)

    def open_card(self, card_id: int) -> CardDialog | None:
        from kol_desk.ui.campaigns.card_dialog import CardDialog

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
        from kol_desk.ui.campaigns.dialogs import AddCreatorsDialog

        if self.board.campaign_id:
            AddCreatorsDialog(self.context, self.board.campaign_id, self).exec()
