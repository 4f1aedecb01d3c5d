"""The scope picker of the Reports tab: one or several campaigns, a period (on post
date), a platform, a tier, an agency. Emits ``changed`` with a ``ReportScope``."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QWidget,
    QWidgetAction,
)

from kol_desk.domain import Platform, Tier
from kol_desk.i18n import tr
from kol_desk.labels import platform_label, tier_label
from kol_desk.services.reports import ReportScope, agency_choices, scope_campaigns
from kol_desk.store.database import Workspace

PERIODS = ("all", "month", "quarter", "year", "last30", "custom")


def period_range(kind: str, today: date) -> tuple[date | None, date | None]:
    if kind == "month":
        start = today.replace(day=1)
        return start, (start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    if kind == "quarter":
        first_month = (today.month - 1) // 3 * 3 + 1
        start = date(today.year, first_month, 1)
        end_month = first_month + 2
        end = (date(today.year + (end_month == 12), end_month % 12 + 1, 1)) - timedelta(days=1)
        return start, end
    if kind == "year":
        return date(today.year, 1, 1), date(today.year, 12, 31)
    if kind == "last30":
        return today - timedelta(days=29), today
    return None, None


class ScopeBar(QWidget):
    changed = Signal(object)

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        # The campaigns to tick open from one button in the filter row: a list always on
        # screen took the height the tables and the chart need at 1280×720.
        self.campaigns = QListWidget()
        self.campaigns.setToolTip(tr("Tick the campaigns to report on; none ticked means all."))
        self.campaign_button = QPushButton()
        self.campaign_button.setToolTip(self.campaigns.toolTip())
        menu = QMenu(self.campaign_button)
        holder = QWidgetAction(menu)
        holder.setDefaultWidget(self.campaigns)
        menu.addAction(holder)
        self.campaign_button.setMenu(menu)
        self.period = QComboBox()
        for key, text in zip(PERIODS, (tr("All time"), tr("This month"), tr("This quarter"),
                                       tr("This year"), tr("Last 30 days"), tr("Custom…")), strict=True):
            self.period.addItem(text, key)
        self.start = QDateEdit()
        self.end = QDateEdit()
        for edit in (self.start, self.end):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setEnabled(False)
        today = QDate.currentDate()
        self.start.setDate(today.addDays(-30))
        self.end.setDate(today)
        self.platform = QComboBox()
        self.platform.addItem(tr("All platforms"), None)
        for p in Platform:
            self.platform.addItem(platform_label(p.value), p.value)
        self.tier = QComboBox()
        self.tier.addItem(tr("All tiers"), None)
        for t in Tier:
            self.tier.addItem(tier_label(t.value), t.value)
        self.agency = QComboBox()

        filters = QHBoxLayout(self)
        filters.setContentsMargins(0, 0, 0, 0)
        for label, widget in ((tr("Campaigns"), self.campaign_button), (tr("Period"), self.period),
                              (tr("From"), self.start), (tr("To"), self.end),
                              (tr("Platform"), self.platform), (tr("Tier"), self.tier),
                              (tr("Agency"), self.agency)):
            filters.addWidget(QLabel(label))
            filters.addWidget(widget)
        filters.addStretch(1)

        self.reload_choices()
        self.campaigns.itemChanged.connect(lambda _item: self._campaigns_changed())
        self.period.currentIndexChanged.connect(self._period_changed)
        self.start.dateChanged.connect(lambda _d: self._emit())
        self.end.dateChanged.connect(lambda _d: self._emit())
        for combo in (self.platform, self.tier, self.agency):
            combo.currentIndexChanged.connect(lambda _i: self._emit())

    def reload_choices(self) -> None:
        """Refill campaigns and agencies, keeping what was ticked or chosen."""
        ticked = set(self.checked_campaigns())
        agency = self.agency.currentData()
        self.campaigns.blockSignals(True)
        self.agency.blockSignals(True)
        self.campaigns.clear()
        for campaign_id, name, _currency in scope_campaigns(self.workspace, ReportScope()):
            item = QListWidgetItem(name)
            item.setData(Qt.ItemDataRole.UserRole, campaign_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if campaign_id in ticked else Qt.CheckState.Unchecked)
            self.campaigns.addItem(item)
        self.agency.clear()
        self.agency.addItem(tr("All agencies"), None)
        for agency_id, name in agency_choices(self.workspace):
            self.agency.addItem(name, agency_id)
        index = self.agency.findData(agency)
        self.agency.setCurrentIndex(max(index, 0))
        self.campaigns.blockSignals(False)
        self.agency.blockSignals(False)
        self._name_campaigns()

    def checked_campaigns(self) -> list[int]:
        return [int(self.campaigns.item(i).data(Qt.ItemDataRole.UserRole))
                for i in range(self.campaigns.count())
                if self.campaigns.item(i).checkState() == Qt.CheckState.Checked]

    def set_campaigns(self, ids: list[int]) -> None:
        self.campaigns.blockSignals(True)
        for i in range(self.campaigns.count()):
            item = self.campaigns.item(i)
            checked = item.data(Qt.ItemDataRole.UserRole) in ids
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        self.campaigns.blockSignals(False)
        self._name_campaigns()
        self._emit()

    def _campaigns_changed(self) -> None:
        self._name_campaigns()
        self._emit()

    def _name_campaigns(self) -> None:
        """The button says what is ticked: all, the one campaign, or how many."""
        names = [self.campaigns.item(i).text() for i in range(self.campaigns.count())
                 if self.campaigns.item(i).checkState() == Qt.CheckState.Checked]
        text = (tr("All campaigns") if not names else names[0] if len(names) == 1
                else tr("{n} campaigns", n=len(names)))
        self.campaign_button.setText(text)
        # the list as tall as its campaigns (up to twelve), as wide as the longest name
        rows = min(max(self.campaigns.count(), 1), 12)
        self.campaigns.setFixedHeight(rows * max(self.campaigns.sizeHintForRow(0), 20) + 6)
        self.campaigns.setMinimumWidth(max(220, self.campaigns.sizeHintForColumn(0) + 30))

    def _period_changed(self, _index: int) -> None:
        custom = self.period.currentData() == "custom"
        self.start.setEnabled(custom)
        self.end.setEnabled(custom)
        self._emit()

    def scope(self) -> ReportScope:
        kind = self.period.currentData()
        if kind == "custom":
            first, last = self.start.date(), self.end.date()
            start: date | None = date(first.year(), first.month(), first.day())
            end: date | None = date(last.year(), last.month(), last.day())
        else:
            start, end = period_range(kind, date.today())
        return ReportScope(tuple(self.checked_campaigns()), start, end, self.platform.currentData(),
                           self.tier.currentData(), self.agency.currentData())

    def _emit(self) -> None:
        self.changed.emit(self.scope())
