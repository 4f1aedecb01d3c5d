"""The board of one campaign: a column per stage, cards moved by drag and drop, by the
context menu or by Ctrl+Left / Ctrl+Right; filters; counts and fee totals per column."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListView,
    QMenu,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from kol_desk.domain import PIPELINE, PLATFORM_LABELS, TIER_LABELS, Stage, stage_rank
from kol_desk.errors import KnownError
from kol_desk.i18n import tr
from kol_desk.labels import stage_label
from kol_desk.services import board as board_service
from kol_desk.services.board import BoardCard, CardFilter, ColumnTotal, MoveRefused, MoveResult
from kol_desk.services.campaigns import campaign_choices
from kol_desk.ui.campaigns.board_model import CARD_ROLE, StageModel, board_order
from kol_desk.ui.campaigns.card_delegate import CARD_HEIGHT, CardDelegate
from kol_desk.ui.campaigns.dialogs import ask_reason
from kol_desk.ui.campaigns.undo import MoveCardCommand
from kol_desk.ui.common.icons import with_icons
from kol_desk.ui.context import AppContext, Change
from kol_desk.ui.money import money_exact, money_short

COLUMN_WIDTH = 210


def explain(refusal: MoveRefused) -> str:
    """The refusal in the user's language."""
    if refusal.rule == "agreed_fee":
        return tr("a card can only be contracted with an agreed fee. Enter the agreed fee "
                  "on the card first.")
    if refusal.rule == "publication":
        words = {"post_url": tr("the post URL"), "post_date": tr("the post date"),
                 "ad_disclosure": tr("the ad-disclosure check")}
        return tr("the card still needs {missing}. Fill them in on the card, or override "
                  "with a reason that is recorded.",
                  missing=tr(", ").join(words[m] for m in refusal.missing))
    return str(refusal)
ALL_STAGES: tuple[Stage, ...] = (*PIPELINE, Stage.DROPPED)


class BoardColumn(QFrame):
    def __init__(self, stage: Stage, on_drop: Callable[[list[int], str], bool],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.stage = stage
        self.setObjectName(f"column_{stage.value}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setFixedWidth(COLUMN_WIDTH)
        self.title = QLabel(f"<b>{stage_label(stage)}</b>")
        self.totals = QLabel()
        self.totals.setStyleSheet("color: #616161;")
        self.model = StageModel(stage.value, on_drop, self)
        self.view = QListView()
        self.view.setObjectName(f"cards_{stage.value}")
        self.view.setModel(self.model)
        self.delegate = CardDelegate(parent=self.view)
        self.view.setItemDelegate(self.delegate)
        # Same-height cards: Qt lays out 500 of them without measuring each one.
        self.view.setUniformItemSizes(True)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.view.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.view.setDragEnabled(True)
        self.view.setAcceptDrops(True)
        self.view.setDropIndicatorShown(True)
        self.view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.setMinimumHeight(CARD_HEIGHT * 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(2)
        layout.addWidget(self.title)
        layout.addWidget(self.totals)
        layout.addWidget(self.view, 1)

    def show_cards(self, campaign_id: int, currency: str, cards: list[BoardCard],
                   count: int, total: ColumnTotal) -> None:
        self.delegate.currency = currency
        self.model.set_cards(campaign_id, cards)
        self.show_totals(count, total)

    def show_totals(self, count: int, total: ColumnTotal) -> None:
        """The header: all cards of the stage, and how many the filters show with what they
        cost. Agreed deals count as the Campaigns list and the Budget tab count them (net
        cost with tax); a quote is no commitment yet, so a sum that holds quotes says so."""
        shown, currency = self.model.rowCount(), self.delegate.currency
        fee = money_short(total.total, currency)
        if total.quoted:
            text = (tr("{n} cards · {fee} incl. quoted", n=count, fee=fee) if shown == count
                    else tr("{shown} of {n} cards · {fee} incl. quoted", shown=shown, n=count, fee=fee))
        else:
            text = (tr("{n} cards · {fee}", n=count, fee=fee) if shown == count
                    else tr("{shown} of {n} cards · {fee}", shown=shown, n=count, fee=fee))
        self.totals.setText(text)
        tip = tr("Agreed fees at net cost with tax, quoted fees where none is agreed yet: {fee}",
                 fee=money_exact(total.total, currency))
        if total.quoted:
            tip += "\n" + tr("Agreed: {agreed} · quoted ({n} cards): {quoted}",
                             agreed=money_exact(total.agreed, currency), n=total.quoted,
                             quoted=money_exact(total.total - total.agreed, currency))
        self.totals.setToolTip(tip)

    def selected_cards(self) -> list[BoardCard]:
        rows = sorted({i.row() for i in self.view.selectionModel().selectedIndexes()})
        return [self.model.card(r) for r in rows]


class BoardView(QWidget):
    """Shows one campaign's cards; ``open_card`` asks the tab to open a card's details."""

    open_card = Signal(int)

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.campaign_id = 0
        self.currency = "CNY"
        self._cards: list[BoardCard] = []
        self._quiet = False  # announcing a move this board already shows
        self.campaign_box = QComboBox()
        self.campaign_box.setObjectName("board_campaign")
        self.campaign_box.setMinimumContentsLength(18)
        self.platform_box = self._filter_box(tr("All platforms"),
                                             [(k.value, tr(v)) for k, v in PLATFORM_LABELS.items()])
        self.tier_box = self._filter_box(tr("All tiers"), [(k.value, tr(v)) for k, v in TIER_LABELS.items()])
        self.owner_box = self._filter_box(tr("All owners"), [])
        self.overdue_check = QCheckBox(tr("Overdue only"))
        self.dropped_check = QCheckBox(tr("Show Dropped"))
        self.dropped_check.setChecked(True)
        self.add_button = QPushButton(tr("Add creators…"))
        self.export_button = QPushButton(tr("Export for approval…"))
        self.import_button = QPushButton(tr("Import approval…"))
        with_icons((self.add_button, "add"), (self.export_button, "export"), (self.import_button, "import"))
        bar = QHBoxLayout()
        bar.addWidget(QLabel(tr("Campaign")))
        bar.addWidget(self.campaign_box)
        for widget in (self.platform_box, self.tier_box, self.owner_box, self.overdue_check,
                       self.dropped_check):
            bar.addWidget(widget)
        bar.addStretch(1)
        for button in (self.add_button, self.export_button, self.import_button):
            bar.addWidget(button)

        self.notice = QLabel()
        self.notice.setObjectName("board_notice")
        self.notice.setWordWrap(True)
        self.notice.setStyleSheet("color: #b71c1c; padding: 4px;")
        self.override_button = QPushButton(tr("Override with a reason…"))
        self.override_button.clicked.connect(self._override_pending)
        notice_row = QHBoxLayout()
        notice_row.addWidget(self.notice, 1)
        notice_row.addWidget(self.override_button)
        self._pending: tuple[list[int], str] | None = None
        self._clear_notice()

        self.columns: dict[str, BoardColumn] = {}
        strip = QWidget()
        strip_layout = QHBoxLayout(strip)
        strip_layout.setContentsMargins(0, 0, 0, 0)
        strip_layout.setSpacing(6)
        for stage in ALL_STAGES:
            column = BoardColumn(stage, self.move_cards)
            column.view.doubleClicked.connect(
                lambda index: self.open_card.emit(index.data(CARD_ROLE).id))
            column.view.activated.connect(
                lambda index: self.open_card.emit(index.data(CARD_ROLE).id))
            column.view.customContextMenuRequested.connect(
                lambda point, c=column: self._context_menu(c, point))
            self.columns[stage.value] = column
            strip_layout.addWidget(column)
        strip_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(strip)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)

        # What the marks on a card mean, once, under the board.
        self.legend = QLabel(tr("Green fee: agreed, net cost with tax · grey “≈” fee: quoted only · "
                                "red date: overdue · Ad label: ad disclosure not confirmed · Risk: the "
                                "creator has a risk flag · Over budget: fees exceed the campaign's budget"))
        self.legend.setStyleSheet("color: #757575;")
        self.legend.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addLayout(notice_row)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.legend)

        self.next_action = self._shortcut(tr("Move to next stage"), "Ctrl+Right", 1)
        self.back_action = self._shortcut(tr("Move back a stage"), "Ctrl+Left", -1)
        self.campaign_box.currentIndexChanged.connect(self._campaign_chosen)
        for box in (self.platform_box, self.tier_box, self.owner_box):
            box.currentIndexChanged.connect(lambda _i: self._show())
        self.overdue_check.toggled.connect(lambda _on: self._show())
        self.dropped_check.toggled.connect(
            lambda on: self.columns[Stage.DROPPED.value].setVisible(on))
        context.events.changed.connect(self._data_changed)
        self.reload_campaigns()

    def _data_changed(self, _change: Change) -> None:
        if not self._quiet:  # every area shows on a card
            self.reload_campaigns()

    @contextmanager
    def own_change(self) -> Iterator[None]:
        """Other tabs hear of a move made here; the board, which already shows it, does
        not read the whole campaign again."""
        self._quiet = True
        try:
            yield
        finally:
            self._quiet = False

    # -- building --------------------------------------------------------------------
    def _filter_box(self, everything: str, items: list[tuple[str, str]]) -> QComboBox:
        box = QComboBox()
        box.addItem(everything, None)
        for key, label in items:
            box.addItem(label, key)
        return box

    def _shortcut(self, text: str, keys: str, step: int) -> QAction:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(keys))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(lambda _checked=False: self.step_selected(step))
        self.addAction(action)
        return action

    # -- data ------------------------------------------------------------------------
    def reload_campaigns(self) -> None:
        """Refill the campaign chooser, keeping the current campaign if it still exists."""
        keep = self.campaign_id
        choices = campaign_choices(self.context.workspace)
        self.campaign_box.blockSignals(True)
        self.campaign_box.clear()
        for campaign_id, name, currency in choices:
            self.campaign_box.addItem(name, (campaign_id, currency))
        ids = [campaign_id for campaign_id, _name, _currency in choices]
        self.campaign_box.setCurrentIndex(ids.index(keep) if keep in ids else (0 if ids else -1))
        self.campaign_box.blockSignals(False)
        self._campaign_chosen()

    def show_campaign(self, campaign_id: int) -> None:
        for i in range(self.campaign_box.count()):
            if self.campaign_box.itemData(i)[0] == campaign_id:
                self.campaign_box.setCurrentIndex(i)
                return

    def _campaign_chosen(self, _index: int = 0) -> None:
        data = self.campaign_box.currentData()
        self.campaign_id, self.currency = data if data else (0, "CNY")
        self._clear_notice()
        self.refresh()

    def refresh(self) -> None:
        self._cards = (board_service.board_cards(self.context.workspace, self.campaign_id)
                       if self.campaign_id else [])
        owners = sorted({c.owner for c in self._cards if c.owner})
        current = self.owner_box.currentData()
        self.owner_box.blockSignals(True)
        while self.owner_box.count() > 1:
            self.owner_box.removeItem(1)
        for owner in owners:
            self.owner_box.addItem(owner, owner)
        self.owner_box.setCurrentIndex(max(self.owner_box.findData(current), 0))
        self.owner_box.blockSignals(False)
        for button in (self.add_button, self.export_button, self.import_button):
            button.setEnabled(bool(self.campaign_id) and not self.context.read_only)
        self._show()

    def card_filter(self) -> CardFilter:
        return CardFilter(platform=self.platform_box.currentData(), tier=self.tier_box.currentData(),
                          owner=self.owner_box.currentData(), overdue_only=self.overdue_check.isChecked())

    def _show(self) -> None:
        wanted = self.card_filter()
        totals = board_service.column_totals(self._cards)
        shown = board_service.column_totals(c for c in self._cards if wanted.accepts(c))
        by_stage: dict[str, list[BoardCard]] = {s.value: [] for s in ALL_STAGES}
        for card in sorted(self._cards, key=board_order):
            if wanted.accepts(card) and card.stage in by_stage:
                by_stage[card.stage].append(card)
        for stage, column in self.columns.items():
            column.show_cards(self.campaign_id, self.currency, by_stage[stage], totals[stage].cards,
                              shown[stage])

    def show_move(self, result: MoveResult) -> bool:
        """Show a move in place: the card leaves one column model and enters the other,
        and only those two headers change. False when this board shows another campaign
        (then there is nothing here to update)."""
        moved = result.cards[0] if result.cards else None
        on_board = {card.id: card for card in self._cards}
        before = on_board.get(moved.id) if moved is not None else None
        if moved is None or before is None or moved.campaign_id != self.campaign_id:
            return False  # another campaign, or a card this board never showed: reload
        changed = {card.id: card for card in result.cards}
        self._cards = [changed.get(card.id, card) for card in self._cards]
        wanted = self.card_filter()
        # Taken from where this board showed it, which is not the move's origin when a
        # colleague moved the card meanwhile.
        self.columns[before.stage].model.take_card(moved.id)
        if wanted.accepts(moved):
            self.columns[moved.stage].model.put_card(moved)
        for card in result.cards[1:]:
            self.columns[card.stage].model.update_card(card)
        stages = (before.stage, moved.stage)
        both = [c for c in self._cards if c.stage in stages]
        totals = board_service.column_totals(both)
        shown = board_service.column_totals(c for c in both if wanted.accepts(c))
        for stage in stages:
            self.columns[stage].show_totals(totals[stage].cards, shown[stage])
        return True

    # -- moving ----------------------------------------------------------------------
    def move_cards(self, card_ids: list[int], to_stage: str, reason: str | None = None) -> bool:
        """Move cards one by one; stops at the first refusal and says why on the board."""
        wanted = set(card_ids)
        names = {c.id: c.nickname for c in self._cards if c.id in wanted}
        moved = False
        self._clear_notice()
        for index, card_id in enumerate(card_ids):
            try:
                result = board_service.move(self.context.workspace, card_id, to_stage,
                                            override_reason=reason)
            except MoveRefused as refusal:
                if refusal.rule == "same_stage":
                    continue
                self._refused(names.get(card_id, "?"), refusal, card_ids[index:], to_stage)
                break
            except KnownError as exc:
                self._say(str(exc))
                break
            shown = self.show_move(result)
            self.context.undo_stack.push(MoveCardCommand(
                self.context, names.get(card_id, "?"), result, reason, on_error=self._say,
                board_view=self, shown=shown))
            moved = True
        return moved

    def step_selected(self, step: int) -> None:
        """Ctrl+Right / Ctrl+Left: the selected cards to the next or previous stage."""
        cards = [c for column in self.columns.values() for c in column.selected_cards()]
        for card in cards:
            stage = Stage(card.stage)
            if stage == Stage.DROPPED:
                continue
            target = stage_rank(stage) + step
            if 0 <= target < len(PIPELINE):
                self.move_cards([card.id], PIPELINE[target].value)
        self._select_again([c.id for c in cards])

    def _select_again(self, card_ids: list[int]) -> None:
        for column in self.columns.values():
            for card_id in card_ids:
                row = column.model.row_of(card_id)
                if row >= 0:
                    column.view.setCurrentIndex(column.model.index(row))
                    column.view.setFocus()

    def _refused(self, name: str, refusal: MoveRefused, card_ids: list[int], to_stage: str) -> None:
        self._say(tr("{name} cannot move to {stage}: {reason}", name=name,
                     stage=stage_label(to_stage), reason=explain(refusal)))
        if refusal.can_override:
            self._pending = (card_ids, to_stage)
            self.override_button.show()

    def _override_pending(self) -> None:
        if self._pending is None:
            return
        card_ids, to_stage = self._pending
        reason = ask_reason(self, tr("Move anyway"),
                            tr("Why does this card move on without meeting the rule? "
                               "The reason is kept in the stage history."))
        if reason:
            self.move_cards(card_ids, to_stage, reason)

    def _say(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.show()

    def _clear_notice(self) -> None:
        self._pending = None
        self.notice.clear()
        self.notice.hide()
        self.override_button.hide()

    def _menu_move(self, card_ids: list[int], to_stage: str, _checked: bool = False) -> None:
        self.move_cards(card_ids, to_stage)

    def _context_menu(self, column: BoardColumn, point: QPoint) -> None:
        index = column.view.indexAt(point)
        if not index.isValid():
            return
        cards = column.selected_cards() or [column.model.card(index.row())]
        ids = [c.id for c in cards]
        menu = QMenu(self)
        menu.addAction(tr("Open card…"), lambda: self.open_card.emit(ids[0]))
        move_menu = menu.addMenu(tr("Move to"))
        for stage in ALL_STAGES:
            action = move_menu.addAction(stage_label(stage))
            action.triggered.connect(partial(self._menu_move, ids, stage.value))
            action.setEnabled(stage.value != column.stage.value)
        menu.addAction(self.next_action)
        menu.addAction(self.back_action)
        menu.exec(column.view.viewport().mapToGlobal(point))
