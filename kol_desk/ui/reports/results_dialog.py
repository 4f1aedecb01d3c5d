"""The results entry form: pick a published collaboration, type one snapshot of its
results (T+7, T+21...) and the three quality scores. Earlier snapshots are listed below;
they are history and never overwritten."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from kol_desk.errors import N_
from kol_desk.i18n import tr
from kol_desk.labels import platform_label
from kol_desk.metrics import format_count
from kol_desk.services.results import (
    SnapshotInput,
    add_snapshot,
    collaborations_for_results,
    snapshots,
)
from kol_desk.ui.common.fields import (
    ValidatedField,
    count_field,
    date_field,
    money_field,
    score_field,
)
from kol_desk.ui.common.row_model import Column, RowTableModel
from kol_desk.ui.common.workers import start_job
from kol_desk.ui.context import AppContext, Change
from kol_desk.ui.money import money_text
from kol_desk.validation import Invalid

# (field, label) in the order of the four layers.
COUNT_INPUTS = [
    ("impressions", N_("Impressions")), ("views", N_("Views")), ("likes", N_("Likes")), ("comments", N_("Comments")),
    ("shares", N_("Shares")), ("saves", N_("Saves")), ("danmaku", N_("Danmaku (Bilibili)")),
    ("coins", N_("Coins (Bilibili)")), ("new_followers", N_("New followers")),
    ("community_joins", N_("Community joins")), ("clicks", N_("Clicks")), ("promo_uses", N_("Promo-code uses")),
    ("orders", N_("Orders")), ("new_customers", N_("New customers")),
]
SCORE_INPUTS = [("score_brand_fit", N_("Brand fit (1–5)")), ("score_creative", N_("Creative quality (1–5)")),
                ("score_message", N_("Message accuracy (1–5)"))]

SNAPSHOT_COLUMNS = [
    Column("Date", lambda s: s.taken_on.isoformat(), sort_key=lambda s: s.taken_on),
    Column("Impressions", lambda s: format_count(s.values["impressions"]), numeric=True),
    Column("Views", lambda s: format_count(s.values["views"]), numeric=True),
    Column("Likes", lambda s: format_count(s.values["likes"]), numeric=True),
    Column("Comments", lambda s: format_count(s.values["comments"]), numeric=True),
    Column("Clicks", lambda s: format_count(s.values["clicks"]), numeric=True),
    Column("Orders", lambda s: format_count(s.values["orders"]), numeric=True),
    Column("Revenue", lambda s: money_text(s.values["revenue"]), numeric=True),
    Column("Source", lambda s: s.source or ""),
]


class ResultsDialog(QDialog):
    def __init__(self, context: AppContext, campaign_id: int | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setWindowTitle(tr("Enter results"))
        self.choices = collaborations_for_results(context.workspace, campaign_id)
        self.collab = QComboBox()
        for choice in self.choices:
            self.collab.addItem(f"{choice.campaign} · {choice.nickname} · {platform_label(choice.platform)} "
                                f"@{choice.handle}", choice.id)
        self.taken_on = date_field()
        self.taken_on.set_text(date.today().isoformat())
        self.counts: dict[str, ValidatedField] = {name: count_field() for name, _ in COUNT_INPUTS}
        self.revenue = money_field("¥")
        self.scores: dict[str, ValidatedField] = {name: score_field() for name, _ in SCORE_INPUTS}

        head = QFormLayout()
        head.addRow(tr("Collaboration"), self.collab)
        head.addRow(tr("Results as of"), self.taken_on)
        numbers = QGroupBox(tr("Results of this snapshot"))
        grid = QGridLayout(numbers)
        for index, (name, label) in enumerate(COUNT_INPUTS):
            row, col = divmod(index, 2)
            grid.addWidget(QLabel(tr(label)), row, col * 2)
            grid.addWidget(self.counts[name], row, col * 2 + 1)
        grid.addWidget(QLabel(tr("Revenue")), len(COUNT_INPUTS) // 2, 0)
        grid.addWidget(self.revenue, len(COUNT_INPUTS) // 2, 1)
        quality = QGroupBox(tr("Quality scores of the collaboration"))
        quality_form = QFormLayout(quality)
        for name, label in SCORE_INPUTS:
            quality_form.addRow(tr(label), self.scores[name])
        self.history_model = RowTableModel(SNAPSHOT_COLUMNS, self)
        self.history = QTableView()
        self.history.setModel(self.history_model)
        self.history.verticalHeader().setVisible(False)
        self.history.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.history.setMaximumHeight(140)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Close)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.empty = QLabel(tr("No published collaboration yet: results can be entered once a post is published."))
        self.empty.setWordWrap(True)
        self.empty.setVisible(not self.choices)

        layout = QVBoxLayout(self)
        layout.addWidget(self.empty)
        layout.addLayout(head)
        layout.addWidget(numbers)
        layout.addWidget(quality)
        layout.addWidget(QLabel(tr("Earlier snapshots")))
        layout.addWidget(self.history)
        layout.addWidget(self.buttons)
        self.collab.currentIndexChanged.connect(lambda _i: self._load())
        self._load()

    def select_collaboration(self, collaboration_id: int) -> None:
        index = self.collab.findData(collaboration_id)
        if index >= 0:
            self.collab.setCurrentIndex(index)

    def _load(self) -> None:
        collab_id = self.collab.currentData()
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(collab_id is not None)
        if collab_id is None:
            self.history_model.set_rows([])
            return
        self.history_model.set_rows(snapshots(self.context.workspace, collab_id))
        choice = next(c for c in self.choices if c.id == collab_id)
        for (name, _), score in zip(SCORE_INPUTS, choice.scores, strict=True):
            self.scores[name].set_text(str(score) if score is not None else "")

    def snapshot_input(self) -> SnapshotInput:
        """The typed values; raises ``Invalid`` naming the first field refused."""
        taken_on = self.taken_on.value()
        if taken_on is None:
            raise Invalid(tr("Enter the date these results were taken."))
        values: dict[str, Any] = {name: f.value() for name, f in self.counts.items()}
        values["revenue"] = self.revenue.value()
        if all(v is None for v in values.values()):
            raise Invalid(tr("Enter at least one result."))
        scores = {name: f.value() for name, f in self.scores.items()}
        return SnapshotInput(taken_on, {k: v for k, v in values.items() if v is not None}, scores,
                             source=tr("entered by hand"))

    def save(self) -> None:
        collab_id = self.collab.currentData()
        if collab_id is None:
            return
        try:
            data = self.snapshot_input()
        except Invalid as exc:
            QMessageBox.warning(self, tr("Enter results"), str(exc))
            return
        workspace = self.context.workspace
        self.buttons.setEnabled(False)

        def done(_snapshot_id: object) -> None:
            self.buttons.setEnabled(True)
            self.context.events.announce(Change.RESULTS)
            for field in [*self.counts.values(), self.revenue]:
                field.set_text("")
            self._load()
            self.saved_id = _snapshot_id

        def failed(error: BaseException) -> None:
            self.buttons.setEnabled(True)
            QMessageBox.critical(self, tr("Enter results"), str(error))

        start_job(lambda _control: add_snapshot(workspace, collab_id, data), done, failed,
                  parent=self, title=tr("Saving results…"))
