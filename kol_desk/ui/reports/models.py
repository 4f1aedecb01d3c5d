"""Table models of the Reports tab: the four-layer summary and the per-creator /
platform / tier / agency tables, with the best and worst CPE, CPM and ROI highlighted."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor

from kol_desk.i18n import tr
from kol_desk.metrics import DASH, format_count, format_rate
from kol_desk.services.report_findings import kpi_name
from kol_desk.services.reports import GroupRow, Report
from kol_desk.ui.common.row_model import Column, Index, RowTableModel
from kol_desk.ui.money import money_text

BEST = "#E8F5E9"
WORST = "#FDECEA"


def _decimal(value: Decimal | None) -> str:
    return DASH if value is None else f"{value:.2f}"


def _count(title: str, get: Callable[[GroupRow], int | None]) -> Column:
    return Column(title, lambda r: format_count(get(r)), sort_key=get, numeric=True)


def _money(title: str, get: Callable[[GroupRow], Decimal | None], mark: str | None = None) -> Column:
    return Column(title, lambda r: money_text(get(r), r.currency), sort_key=get, numeric=True,
                  tooltip=(lambda r: _mark_tip(r, mark)) if mark else None)


def _mark_tip(row: GroupRow, mark: str | None) -> str | None:
    state = row.marks.get(mark or "")
    if state == "best":
        return tr("Best {metric} in this table", metric=(mark or "").upper())
    if state == "worst":
        return tr("Worst {metric} in this table", metric=(mark or "").upper())
    return None


def group_columns(first: str) -> list[Column]:
    def er_tip(r: GroupRow) -> str:
        basis = r.totals.engagement_rate.basis
        return tr("engagements ÷ views") if basis == "views" else (
            tr("engagements ÷ followers (no views reported)") if basis == "followers" else DASH)

    return [
        Column(first, lambda r: r.label, sort_key=lambda r: r.label),
        _count("Posts", lambda r: r.totals.posts),
        _money("Cost", lambda r: r.totals.cost),
        _count("Impressions", lambda r: r.totals.count("impressions")),
        _count("Views", lambda r: r.totals.count("views")),
        _count("Engagements", lambda r: r.totals.engagements),
        Column("Engagement rate", lambda r: format_rate(r.totals.engagement_rate.value),
               sort_key=lambda r: r.totals.engagement_rate.value, numeric=True, tooltip=er_tip),
        _count("Clicks", lambda r: r.totals.count("clicks")),
        _count("Orders", lambda r: r.totals.count("orders")),
        _money("Revenue", lambda r: r.totals.revenue),
        _money("CPM", lambda r: r.totals.cpm, "cpm"),
        _money("CPE", lambda r: r.totals.cpe, "cpe"),
        _money("CPC", lambda r: r.totals.cpc),
        _money("CPA", lambda r: r.totals.cpa),
        Column("ROI", lambda r: format_rate(r.totals.roi), sort_key=lambda r: r.totals.roi,
               numeric=True, tooltip=lambda r: _mark_tip(r, "roi")),
    ]


# Column index → the metric whose best/worst it shows.
MARKED = {10: "cpm", 11: "cpe", 14: "roi"}
GROUP_TITLES = {"creator": "Creator", "platform": "Platform", "tier": "Tier", "agency": "Agency",
                "campaign": "Campaign"}


class GroupTableModel(RowTableModel):
    """A RowTableModel that paints the best cell of CPM/CPE/ROI green, the worst red."""

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.BackgroundRole and index.isValid() and index.column() in MARKED:
            if not 0 <= index.row() < self.rowCount():
                return None
            state = self.row_object(index.row()).marks.get(MARKED[index.column()])
            if state:
                return QBrush(QColor(BEST if state == "best" else WORST))
            return None
        return super().data(index, role)


# -- the four layers ------------------------------------------------------------------

@dataclass(frozen=True)
class LayerLine:
    layer: str
    measure: str
    value: str
    target: str
    progress: Decimal | None
    note: str = ""


def _kpi(report: Report, name: str) -> tuple[str, Decimal | None]:
    for kpi in report.kpis:
        if kpi.name == name:
            if isinstance(kpi.target, Decimal):
                target = money_text(kpi.target, report.currency)
            else:
                target = format_count(kpi.target)
            return target, kpi.progress
    return DASH, None


def layer_lines(report: Report) -> list[LayerLine]:
    """The four layers and the cost metrics, as the summary table shows them."""
    t = report.totals
    cur = report.currency
    er = t.engagement_rate
    basis = (tr("engagements ÷ views") if er.basis == "views" else
             tr("engagements ÷ followers (no views reported)") if er.basis == "followers" else "")

    def score(name: str) -> str:
        return _decimal(t.score(name))

    reach, content, audience, commercial, cost = (tr("Reach"), tr("Content"), tr("Audience"),
                                                   tr("Commercial"), tr("Cost"))
    lines = [
        LayerLine(reach, tr("Posts"), format_count(t.posts), DASH, None),
        LayerLine(reach, kpi_name("impressions"), format_count(t.count("impressions")), *_kpi(report, "impressions")),
        LayerLine(reach, tr("Views"), format_count(t.count("views")), DASH, None),
        LayerLine(reach, kpi_name("engagements"), format_count(t.engagements), *_kpi(report, "engagements")),
        LayerLine(reach, tr("Engagement rate"), format_rate(er.value), DASH, None, basis),
        LayerLine(content, tr("Brand fit (1–5)"), score("score_brand_fit"), DASH, None),
        LayerLine(content, tr("Creative quality (1–5)"), score("score_creative"), DASH, None),
        LayerLine(content, tr("Message accuracy (1–5)"), score("score_message"), DASH, None),
        LayerLine(audience, tr("New followers"), format_count(t.count("new_followers")), DASH, None),
        LayerLine(audience, tr("Community joins"), format_count(t.count("community_joins")), DASH, None),
        LayerLine(commercial, kpi_name("clicks"), format_count(t.count("clicks")), *_kpi(report, "clicks")),
        LayerLine(commercial, tr("Click-through rate"), format_rate(t.ctr), DASH, None, tr("clicks ÷ impressions")),
        LayerLine(commercial, tr("Promo-code uses"), format_count(t.count("promo_uses")), DASH, None),
        LayerLine(commercial, kpi_name("orders"), format_count(t.count("orders")), *_kpi(report, "orders")),
        LayerLine(commercial, kpi_name("revenue"), money_text(t.revenue, cur), *_kpi(report, "revenue")),
        LayerLine(cost, tr("Cost of posts with results"), money_text(t.cost_or_none, cur), DASH, None,
                  tr("agreed fees of the posts with results, tax included")),
        LayerLine(cost, tr("CPM"), money_text(t.cpm, cur), DASH, None, tr("cost ÷ impressions × 1000")),
        LayerLine(cost, tr("CPV"), money_text(t.cpv, cur), DASH, None, tr("cost ÷ views")),
        LayerLine(cost, tr("CPE"), money_text(t.cpe, cur), DASH, None, tr("cost ÷ engagements")),
        LayerLine(cost, tr("CPC"), money_text(t.cpc, cur), DASH, None, tr("cost ÷ clicks")),
        LayerLine(cost, tr("CPA"), money_text(t.cpa, cur), DASH, None, tr("cost ÷ orders")),
        LayerLine(cost, tr("CAC"), money_text(t.cac, cur), DASH, None, tr("cost ÷ new customers")),
        LayerLine(cost, tr("ROI"), format_rate(t.roi), DASH, None, tr("(revenue − cost) ÷ cost")),
        LayerLine(cost, tr("ROAS"), _decimal(t.roas), DASH, None, tr("revenue ÷ cost")),
    ]
    return lines + money_lines(report)


def money_lines(report: Report) -> list[LayerLine]:
    """Spend against budget, named as on the Budget tab and the boss workbook."""
    m, cur, budget = report.money, report.currency, tr("Budget")
    # With a period, the money is that of the posts published in it (the Budget tab's
    # periods count payments by the day they were paid): the notes say so.
    dated = report.scope.start is not None or report.scope.end is not None
    return [
        LayerLine(budget, tr("Planned budget"), money_text(m.budget, cur), DASH, None,
                  tr("the campaigns' own budget field")),
        LayerLine(budget, tr("Allocated"), money_text(m.allocated, cur), DASH, None,
                  tr("the Budget tab's ledger")),
        LayerLine(budget, tr("Spent"), money_text(m.spent, cur), DASH, None,
                  tr("payments made for the posts published in the period, tax included") if dated
                  else tr("payments made, tax included")),
        LayerLine(budget, tr("Committed"), money_text(m.committed, cur), DASH, None,
                  tr("agreed fees not yet paid for the posts published in the period, tax included")
                  if dated else tr("agreed fees not yet paid, tax included")),
        LayerLine(budget, tr("Remaining"), money_text(m.remaining, cur), DASH, None,
                  tr("allocated − committed − spent")),
        LayerLine(budget, tr("Left of planned budget"), money_text(m.left_of_plan, cur), DASH, None,
                  tr("planned budget − committed − spent")),
    ]


LAYER_COLUMNS = [
    Column("Layer", lambda r: r.layer),
    Column("Measure", lambda r: r.measure),
    Column("Value", lambda r: r.value, numeric=True),
    Column("Target", lambda r: r.target, numeric=True),
    Column("Progress", lambda r: format_rate(r.progress), sort_key=lambda r: r.progress, numeric=True,
           colour=lambda r: None if r.progress is None else "#2e7d32" if r.progress >= 1 else "#c62828"),
    Column("How it is computed", lambda r: r.note),
]
