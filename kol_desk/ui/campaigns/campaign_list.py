"""The campaign list: status and progress of every campaign (cards per stage, spend
against budget, KPI progress), with New / Edit / Duplicate / Archive."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kol_desk.domain import PIPELINE, STAGE_LABELS, Stage
from kol_desk.errors import N_, KnownError
from kol_desk.i18n import tr
from kol_desk.labels import objective_label
from kol_desk.metrics import DASH
from kol_desk.services import campaigns as campaign_service
from kol_desk.services.campaigns import CampaignOverview
from kol_desk.ui.campaigns.campaign_dialog import CampaignDialog
from kol_desk.ui.common.empty_state import DEMO, IMPORT, EmptyStack, EmptyState
from kol_desk.ui.common.icons import with_icons
from kol_desk.ui.common.row_model import Column, RowTableModel
from kol_desk.ui.common.save_guard import save_guarded
from kol_desk.ui.common.tables import table_view
from kol_desk.ui.context import AppContext, Change
from kol_desk.ui.money import money_text

STATUS_LABELS = {"planned": N_("Planned"), "running": N_("Running"), "ended": N_("Ended"),
                 "done": N_("Done"), "archived": N_("Archived")}
KPI_LABELS = {"impressions": N_("impressions"), "engagements": N_("engagements"),
              "clicks": N_("clicks"), "orders": N_("orders"), "revenue": N_("revenue")}


def _dates(c: CampaignOverview) -> str:
    if c.start_date is None:
        return ""
    end = c.end_date.isoformat() if c.end_date else "…"
    return f"{c.start_date.isoformat()} – {end}"


def _stage(stage: Stage) -> Column:
    return Column(
        title=STAGE_LABELS[stage],
        text=lambda c: str(c.stage_counts.get(stage, 0)),
        sort_key=lambda c: c.stage_counts.get(stage, 0),
        numeric=True,
    )


def _pipeline(c: CampaignOverview) -> str:
    """Cards per stage in board order, e.g. 3 · 2 · 1 · 0 …"""
    return " · ".join(str(c.stage_counts.get(s, 0)) for s in PIPELINE)


def _agreed(c: CampaignOverview) -> str:
    """Agreed fees (tax included) with the share of the planned budget they take, e.g.
    ¥50,000 (25%)."""
    used = c.budget_used
    share = f" ({used:.0%})" if used is not None else ""
    return f"{money_text(c.agreed_fees, c.currency)}{share}"


def _kpi(c: CampaignOverview) -> str:
    share = c.kpi_share
    return DASH if share is None else f"{share:.0%}"


def _kpi_tooltip(c: CampaignOverview) -> str | None:
    if not c.kpi_progress:
        return None
    return "\n".join(f"{tr(KPI_LABELS[name])}: {done:,.0f} / {target:,.0f}"
                     for name, (done, target) in c.kpi_progress.items())


def _budget_colour(c: CampaignOverview) -> str | None:
    used = c.budget_used
    return "#c62828" if used is not None and used > 1 else None


COLUMNS = [
    Column("Campaign", lambda c: c.name),
    Column("Status", lambda c: tr(STATUS_LABELS[c.status]), sort_key=lambda c: c.status),
    Column("Brand", lambda c: c.brand or ""),
    Column("Objective", lambda c: objective_label(c.objective)),
    Column("Dates", _dates, sort_key=lambda c: c.start_date),
    Column("Owner", lambda c: c.owner or ""),
    Column("Cards", lambda c: str(c.active_cards), sort_key=lambda c: c.active_cards, numeric=True),
    Column("Cards per stage", _pipeline,
           tooltip=lambda c: "\n".join(f"{tr(STAGE_LABELS[s])}: {c.stage_counts.get(s, 0)}"
                                       for s in (*PIPELINE, Stage.DROPPED)),
           header_tip=lambda: tr("Cards in each stage, in board order: {stages}",
                                 stages=" · ".join(tr(STAGE_LABELS[s]) for s in PIPELINE))),
    Column("Agreed fees (incl. tax)", _agreed, sort_key=lambda c: c.agreed_fees, numeric=True,
           colour=_budget_colour),
    Column("Planned budget", lambda c: money_text(c.budget, c.currency), sort_key=lambda c: c.budget,
           numeric=True),
    Column("Committed", lambda c: money_text(c.committed, c.currency), sort_key=lambda c: c.committed,
           numeric=True),
    Column("Spent", lambda c: money_text(c.spent, c.currency), sort_key=lambda c: c.spent, numeric=True),
    Column("KPI progress", _kpi, sort_key=lambda c: c.kpi_share, numeric=True, tooltip=_kpi_tooltip),
]


class CampaignListPage(QWidget):
    """``open_board`` asks the tab to show a campaign's board."""

    open_board = Signal(int)

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.summary = QLabel()
        self.model = RowTableModel(COLUMNS, self)
        self.table = table_view(self.model)
        self.table.setObjectName("campaign_table")
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.doubleClicked.connect(lambda index: self.open_board.emit(
            self.model.row_object(index.row()).id))
        self.new_button = QPushButton(tr("New campaign…"))
        self.edit_button = QPushButton(tr("Edit…"))
        self.duplicate_button = QPushButton(tr("Duplicate…"))
        self.archive_button = QPushButton(tr("Archive"))
        self.board_button = QPushButton(tr("Open board"))
        with_icons((self.new_button, "add"), (self.edit_button, "edit"), (self.board_button, "board"))
        self.show_archived = QCheckBox(tr("Show archived"))
        bar = QHBoxLayout()
        for button in (self.new_button, self.edit_button, self.duplicate_button,
                       self.archive_button, self.board_button):
            bar.addWidget(button)
        bar.addWidget(self.show_archived)
        bar.addStretch(1)
        bar.addWidget(self.summary)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        self.empty = EmptyState(
            tr("No campaigns yet"),
            tr("A campaign holds the creators you work with for one launch or season, on a board "
               "from shortlist to payment. Create one, or fill your creator list first."),
            actions=(IMPORT, DEMO), extra=[("new", tr("New campaign…"))])
        self.empty.action_requested.connect(lambda key: self.new_campaign() if key == "new" else None)
        self.stack = EmptyStack(self.table, self.empty)
        layout.addWidget(self.stack)
        self.new_button.clicked.connect(self.new_campaign)
        self.edit_button.clicked.connect(self.edit_campaign)
        self.duplicate_button.clicked.connect(self.duplicate_campaign)
        self.archive_button.clicked.connect(self.toggle_archive)
        self.board_button.clicked.connect(self._open_selected)
        self.show_archived.toggled.connect(lambda _on: self.refresh())
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._enable())
        self.refresh()

    def refresh(self) -> None:
        keep = self.selected()
        overviews = campaign_service.campaign_overviews(
            self.context.workspace, include_archived=self.show_archived.isChecked())
        self.model.set_rows(overviews)
        self.stack.show_empty(not overviews and not self.show_archived.isChecked())
        # Every card counts, as on the status bar; the dropped ones are named so the
        # "Cards" column (cards still in play) adds up too.
        cards = sum(c.cards for c in overviews)
        dropped = cards - sum(c.active_cards for c in overviews)
        self.summary.setText(tr("{campaigns} campaigns · {cards} collaborations ({dropped} dropped)",
                                campaigns=len(overviews), cards=cards, dropped=dropped))
        if keep is not None:
            self.select(keep.id)
        self._enable()

    def select(self, campaign_id: int) -> None:
        for row, overview in enumerate(self.model.rows):
            if overview.id == campaign_id:
                self.table.selectRow(row)
                return

    def selected(self) -> CampaignOverview | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return self.model.row_object(rows[0].row()) if rows else None

    def _enable(self) -> None:
        chosen = self.selected()
        writable = not self.context.read_only
        self.new_button.setEnabled(writable)
        for button in (self.edit_button, self.duplicate_button, self.archive_button):
            button.setEnabled(writable and chosen is not None)
        self.board_button.setEnabled(chosen is not None)
        self.archive_button.setText(tr("Restore") if chosen and chosen.archived_at else tr("Archive"))

    def _open_selected(self) -> None:
        chosen = self.selected()
        if chosen is not None:
            self.open_board.emit(chosen.id)

    def _changed(self, campaign_id: int | None = None) -> None:
        self.context.events.announce(Change.CAMPAIGNS)
        if campaign_id is not None:
            self.select(campaign_id)

    def _fail(self, exc: KnownError) -> None:
        QMessageBox.warning(self, tr("Campaigns"), str(exc))

    def new_campaign(self) -> int | None:
        dialog = CampaignDialog(self)
        if not dialog.exec() or dialog.value() is None:
            return None
        data = dialog.value()
        assert data is not None
        try:
            campaign_id = campaign_service.create_campaign(self.context.workspace, data)
        except KnownError as exc:
            self._fail(exc)
            return None
        self._changed(campaign_id)
        return campaign_id

    def edit_campaign(self) -> None:
        chosen = self.selected()
        if chosen is None:
            return
        current, loaded = campaign_service.load_for_edit(self.context.workspace, chosen.id)
        dialog = CampaignDialog(self, current, tr("Edit campaign"))
        data = dialog.value() if dialog.exec() else None
        if data is None:
            return
        try:
            save_guarded(self, lambda: campaign_service.update_campaign(
                self.context.workspace, chosen.id, data, loaded=loaded))
        except KnownError as exc:
            self._fail(exc)
            return
        self._changed(chosen.id)

    def duplicate_campaign(self) -> None:
        chosen = self.selected()
        if chosen is None:
            return
        current = campaign_service.load_campaign(self.context.workspace, chosen.id)
        copy_name = tr("{name} (copy)", name=current.name)
        dialog = CampaignDialog(self, current, tr("Duplicate campaign"))
        dialog.name.set_text(copy_name)
        data = dialog.value() if dialog.exec() else None
        if data is None:
            return
        try:
            new_id = campaign_service.duplicate_campaign(self.context.workspace, chosen.id, data.name)
            campaign_service.update_campaign(self.context.workspace, new_id, data)
        except KnownError as exc:
            self._fail(exc)
            return
        self._changed(new_id)

    def toggle_archive(self) -> None:
        chosen = self.selected()
        if chosen is None:
            return
        try:
            campaign_service.set_archived(self.context.workspace, chosen.id, chosen.archived_at is None)
        except KnownError as exc:
            self._fail(exc)
            return
        self._changed()
