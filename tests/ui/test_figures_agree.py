"""One number everywhere: on the demo workspace, every campaign's and every budget period's
money and counts read the same, to the cent, on each surface that shows them — the
Campaigns list, the Budget tab and its drill-down, the Reports tab, the boss workbook, the
budget workbook, the status bar and the command line."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtGui import QUndoStack
from pytestqt.qtbot import QtBot

from kol_desk.cli import main as cli_main
from kol_desk.exporting.budget import export_budget
from kol_desk.exporting.report import sheet_names, write_report
from kol_desk.metrics import format_money
from kol_desk.preferences import Preferences
from kol_desk.services.budget import COMMITTED, SPENT
from kol_desk.services.campaigns import campaign_overviews
from kol_desk.services.reports import ReportScope, build_report
from kol_desk.store.database import Workspace
from kol_desk.ui.budget.tab import BudgetTab
from kol_desk.ui.campaigns.campaign_list import CampaignListPage
from kol_desk.ui.context import AppContext
from kol_desk.ui.main_window import MainWindow
from kol_desk.ui.reports.tab import ReportsTab

DEMO_TODAY = date(2026, 11, 20)
CENT = Decimal("0.01")


def _column(model: object, title: str) -> int:
    titles = [column.title for column in model.columns]  # type: ignore[attr-defined]
    return titles.index(title)


def _cells(model: object, title: str) -> dict[str, str]:
    """Campaign name (column 0) → the text the table shows in the column ``title``."""
    col = _column(model, title)
    return {model.data(model.index(r, 0)): model.data(model.index(r, col))  # type: ignore[attr-defined]
            for r in range(model.rowCount())}  # type: ignore[attr-defined]


@pytest.fixture
def context(qtbot: QtBot, demo_workspace: Workspace) -> AppContext:
    return AppContext(demo_workspace, Preferences(), QUndoStack())


def _budget_json(workspace: Workspace, capsys: pytest.CaptureFixture[str]) -> dict:  # type: ignore[type-arg]
    capsys.readouterr()
    assert cli_main(["budget", "--db", str(workspace.path), "--today", DEMO_TODAY.isoformat(), "--json"]) == 0
    return json.loads(capsys.readouterr().out)  # type: ignore[no-any-return]


def test_every_campaign_and_period_reads_the_same_everywhere(
        qtbot: QtBot, context: AppContext, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    workspace = context.workspace
    overviews = {c.name: c for c in campaign_overviews(workspace, include_archived=True)}
    assert len(overviews) >= 4

    # The Campaigns list.
    page = CampaignListPage(context)
    qtbot.addWidget(page)
    page.show_archived.setChecked(True)
    listed_spent = _cells(page.model, "Spent")
    listed_committed = _cells(page.model, "Committed")
    for name, c in overviews.items():
        assert listed_spent[name] == format_money(c.spent, c.currency), name
        assert listed_committed[name] == format_money(c.committed, c.currency), name

    # The Budget tab, period by period, and the records behind each of its figures.
    tab = BudgetTab(context)
    qtbot.addWidget(tab)
    tab.today = lambda: DEMO_TODAY
    tab.refresh()
    per_campaign: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    by_period: dict[tuple[int, str], dict[str, Decimal]] = {}
    budget_workbooks = 0
    for index in range(tab.period_box.count()):
        tab.period_box.setCurrentIndex(index)
        period = tab.period
        assert period is not None
        shown = {title: _cells(tab.model, title) for title in ("Allocated", "Committed", "Spent", "Remaining")}
        book_path = export_budget(workspace, period.period_id, tmp_path / f"budget{index}.xlsx",
                                  today=DEMO_TODAY)
        book = openpyxl.load_workbook(book_path)
        sheet = book["Campaigns"]
        header_row = next(r for r in range(1, 10) if sheet.cell(r, 1).value == "Campaign")
        in_book = {sheet.cell(r, 1).value: [sheet.cell(r, c).value for c in range(2, 6)]
                   for r in range(header_row + 1, sheet.max_row + 1)
                   if sheet.cell(r, 1).value in {c.name for c in period.campaigns}}
        budget_workbooks += 1
        for c in period.campaigns:
            spent = sum((line.amount for line in tab.records_behind(SPENT, c.campaign_id)), Decimal(0))
            committed = sum((line.amount for line in tab.records_behind(COMMITTED, c.campaign_id)),
                            Decimal(0))
            assert shown["Spent"][c.name] == format_money(spent, period.currency), (period.name, c.name)
            assert shown["Committed"][c.name] == format_money(committed, period.currency), (period.name, c.name)
            assert shown["Allocated"][c.name] == format_money(c.allocated, period.currency)
            assert shown["Remaining"][c.name] == format_money(c.allocated - committed - spent, period.currency)
            assert [Decimal(str(v)).quantize(CENT) for v in in_book[c.name]] == [
                c.allocated, committed, spent, c.allocated - committed - spent], (period.name, c.name)
            per_campaign[c.name]["spent"] += spent
            per_campaign[c.name]["committed"] += committed
            by_period[(period.period_id, c.name)] = {"spent": spent, "committed": committed}
    assert budget_workbooks >= 1

    # Summed over the periods, each campaign's money is the Campaigns list's.
    for name, figures in per_campaign.items():
        assert figures["spent"] == overviews[name].spent, name
        assert figures["committed"] == overviews[name].committed, name
    for name, c in overviews.items():
        if c.spent or c.committed:
            assert name in per_campaign, f"{name} has money but no budget period shows it"

    # The command line's JSON (kol-desk budget --json), from the same database.
    printed = _budget_json(workspace, capsys)
    for c in printed["campaigns"]:
        overview = overviews[c["name"]]
        assert (Decimal(c["spent"]), Decimal(c["committed"])) == (overview.spent, overview.committed)
    for p in printed["periods"]:
        for c in p["campaigns"]:
            assert Decimal(c["spent"]) + Decimal(c["committed"]) == sum(
                (v for k, v in by_period[(p["id"], c["name"])].items()), Decimal(0)), (p["name"], c["name"])

    # The Reports tab and the boss workbook, one campaign at a time.
    reports = ReportsTab(context)
    qtbot.addWidget(reports)
    reports.show()
    qtbot.waitUntil(lambda: reports.report is not None, timeout=20_000)
    for name, c in overviews.items():
        with qtbot.waitSignal(reports.report_ready, timeout=20_000):
            reports.scope_bar.set_campaigns([c.id])
        report = reports.report
        assert report is not None and report.scope.campaign_ids == (c.id,)
        assert (report.money.spent, report.money.committed) == (c.spent, c.committed), name
        layers = reports.layer_model
        shown = {layers.data(layers.index(r, 1)): layers.data(layers.index(r, 2))
                 for r in range(layers.rowCount()) if layers.data(layers.index(r, 0)) == "Budget"}
        assert shown["Spent"] == format_money(c.spent, c.currency), name
        assert shown["Committed"] == format_money(c.committed, c.currency), name
        book_path = write_report(report, tmp_path / f"report{c.id}.xlsx")
        summary = openpyxl.load_workbook(book_path)[sheet_names()["summary"]]
        values = {summary.cell(r, col).value: summary.cell(r + 1, col).value
                  for r in range(1, summary.max_row) for col in range(1, 7)
                  if isinstance(summary.cell(r, col).value, str)}
        assert Decimal(str(values["Spent"])).quantize(CENT) == c.spent, name
        assert Decimal(str(values["Committed"])).quantize(CENT) == c.committed, name
        per_campaign_cost = build_report(workspace, ReportScope(campaign_ids=(c.id,))).totals.cost
        assert report.totals.cost == per_campaign_cost


def test_counts_agree_on_the_status_bar_the_campaigns_list_and_the_command_line(
        qtbot: QtBot, context: AppContext, capsys: pytest.CaptureFixture[str]) -> None:
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: "creators" in window.counts_label.text(), timeout=20_000)
    overviews = campaign_overviews(context.workspace)
    cards = sum(c.cards for c in overviews)
    status = window.counts_label.text()
    assert f"{len(overviews):,} campaigns" in status and f"{cards:,} collaborations" in status

    page = CampaignListPage(context)
    qtbot.addWidget(page)
    assert f"{len(overviews)} campaigns · {cards} collaborations" in page.summary.text()

    path = context.workspace.path
    assert cli_main(["creators", "--db", str(path), "--json"]) == 0
    accounts = json.loads(capsys.readouterr().out)
    assert f"{len(accounts):,} accounts" in status
