"""A creator's past collaborations with their results, cost per result and scores, and the
internal rating they add up to: for the creator's record (Creators tab), so the next
shortlist is ranked on evidence, not follower counts.

Embed ``PastResultsView`` and call ``show_creator(creator_id)``.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from kol_desk.i18n import tr
from kol_desk.labels import platform_label
from kol_desk.metrics import DASH, format_count, format_rate
from kol_desk.services.rating import PastResult, past_results
from kol_desk.store.database import Workspace
from kol_desk.ui.common.row_model import Column, RowTableModel
from kol_desk.ui.common.tables import table_view
from kol_desk.ui.money import money_text


def _scores(r: PastResult) -> str:
    return " / ".join(DASH if s is None else str(s) for s in r.scores)


PAST_COLUMNS = [
    Column("Campaign", lambda r: r.campaign),
    Column("Platform", lambda r: platform_label(r.platform)),
    Column("Post date", lambda r: r.post_date.isoformat() if r.post_date else DASH,
           sort_key=lambda r: r.post_date),
    Column("Cost", lambda r: money_text(r.cost), sort_key=lambda r: r.cost, numeric=True),
    Column("Views", lambda r: format_count(r.views), sort_key=lambda r: r.views, numeric=True),
    Column("Engagements", lambda r: format_count(r.engagements), sort_key=lambda r: r.engagements, numeric=True),
    Column("Engagement rate", lambda r: format_rate(r.engagement_rate.value),
           sort_key=lambda r: r.engagement_rate.value, numeric=True,
           tooltip=lambda r: tr("engagements ÷ views") if r.engagement_rate.basis == "views"
           else tr("engagements ÷ followers (no views reported)")),
    Column("CPE", lambda r: money_text(r.cpe), sort_key=lambda r: r.cpe, numeric=True),
    Column("CPM", lambda r: money_text(r.cpm), sort_key=lambda r: r.cpm, numeric=True),
    Column("ROI", lambda r: format_rate(r.roi), sort_key=lambda r: r.roi, numeric=True),
    Column("Scores (fit / creative / message)", _scores),
    Column("Score", lambda r: DASH if r.score is None else f"{r.score:.1f}", sort_key=lambda r: r.score,
           numeric=True),
]


class PastResultsView(QWidget):
    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.model = RowTableModel(PAST_COLUMNS, self)
        self.table = table_view(self.model)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)

    def show_creator(self, creator_id: int) -> None:
        rows = past_results(self.workspace, creator_id)
        self.model.set_rows(rows)
        # no empty table under "No results …": an empty header reads as something missing
        self.table.setVisible(bool(rows))
        scores = [r.score for r in rows if r.score is not None]
        if not rows:
            self.summary.setText(tr("No results from past collaborations yet."))
        else:
            rating = f"{round(sum(scores) / len(scores), 1):.1f}" if scores else DASH
            self.summary.setText(tr("Internal rating {rating} from {n} collaborations with results.",
                                    rating=rating, n=len(rows)))
