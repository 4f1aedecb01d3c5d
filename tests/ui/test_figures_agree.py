"""One number everywhere: on the demo workspace, every campaign's and every budget period's
money and counts read the same, to the cent, on each surface that shows them — the
Campaigns list, the Budget tab and its drill-down, the Reports tab, the boss workbook, the
budget workbook, the status bar and the command line."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtGui import QUndoStack
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from kol_desk.cli import main as cli_main
from kol_desk.domain import Stage
from kol_desk.exporting.approval import export_for_approval
from kol_desk.exporting.budget import export_budget
from kol_desk.exporting.report import sheet_names, write_report
from kol_desk.metrics import format_money
from kol_desk.models import Collaboration
from kol_desk.preferences import Preferences
from kol_desk.services.board import board_cards, column_totals
from kol_desk.services.budget import ALLOCATED, COMMITTED, RESERVE, SPENT
from kol_desk.services.budget_checks import paid_per_card
from kol_desk.services.campaigns import campaign_overviews
from kol_desk.services.collaboration import update_card
from kol_desk.services.deal_cost import cost_of
from kol_desk.services.money import collaboration_cost, still_owed
from kol_desk.services.reports import ReportScope, build_report
from kol_desk.store.database import Workspace
from kol_desk.ui.budget.tab import BudgetTab
from kol_desk.ui.campaigns.board import BoardView
from kol_desk.ui.campaigns.campaign_list import CampaignListPage
from kol_desk.ui.context import AppContext
from kol_desk.ui.main_window import MainWindow
from kol_desk.ui.money import money_text
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


def _amount(value: object) -> Decimal | None:
    """A workbook's money cell; an empty one reads as the dash the export writes."""
    return None if value in (None, "—") else Decimal(str(value)).quantize(CENT)


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
        assert listed_spent[name] == money_text(c.spent, c.currency), name
        assert listed_committed[name] == money_text(c.committed, c.currency), name

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
            assert shown["Spent"][c.name] == money_text(spent, period.currency), (period.name, c.name)
            assert shown["Committed"][c.name] == money_text(committed, period.currency), (period.name, c.name)
            assert shown["Allocated"][c.name] == money_text(c.allocated, period.currency)
            assert shown["Remaining"][c.name] == money_text(c.allocated - committed - spent, period.currency)
            assert [Decimal(str(v)).quantize(CENT) for v in in_book[c.name]] == [
                c.allocated, committed, spent, c.allocated - committed - spent], (period.name, c.name)
            per_campaign[c.name]["spent"] += spent
            per_campaign[c.name]["committed"] += committed
            by_period[(period.period_id, c.name)] = {"spent": spent, "committed": committed}
        # The key figures above the table: each the sum of the records behind it (the
        # exact amount is the tile's tooltip), and the period's money as the service has it.
        exact = {tile.caption.text(): tile.toolTip() for tile in tab.summary.tiles if not tile.isHidden()}
        behind = {figure: sum((line.amount for line in tab.records_behind(figure)), Decimal(0))
                  for figure in (ALLOCATED, COMMITTED, SPENT, "remaining", RESERVE)}
        assert exact["Allocated"] == format_money(behind[ALLOCATED], period.currency) == \
            format_money(period.allocated, period.currency)
        assert exact["Promised"] == format_money(behind[COMMITTED], period.currency)
        assert exact["Spent"] == format_money(behind[SPENT], period.currency)
        assert exact["Remaining"] == format_money(behind["remaining"], period.currency) == \
            format_money(period.remaining, period.currency)
        assert exact["Reserve left"] == format_money(period.reserve - behind[RESERVE], period.currency)
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
        assert shown["Spent"] == money_text(c.spent, c.currency), name
        assert shown["Committed"] == money_text(c.committed, c.currency), name
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


def test_board_column_totals_and_the_approval_sheet_cost_what_the_campaigns_list_counts(
        qtbot: QtBot, context: AppContext, tmp_path: Path) -> None:
    workspace = context.workspace
    # A shortlisted card with an agreed, tax-exclusive fee, so the approval sheet has an
    # agreed cost to show and the tax is part of what is compared.
    with workspace.session() as session:
        shortlisted = session.scalar(select(Collaboration.id).where(
            Collaboration.stage == Stage.SHORTLISTED.value).order_by(Collaboration.id).limit(1))
    assert shortlisted is not None
    update_card(workspace, shortlisted, {"agreed_fee": Decimal("12345.67"), "tax_included": False,
                                         "tax_rate": 0.06, "rebate_pct": 3.0, "invoice_type": "special"})
    # Tax-exclusive cards without an invoice (no VAT added) and with a special one (VAT
    # paid, then deducted): every figure still counts the money paid out.
    with workspace.session() as session:
        exclusive = list(session.scalars(select(Collaboration.id).where(
            Collaboration.agreed_fee.is_not(None), Collaboration.tax_included.is_(False),
            Collaboration.id != shortlisted)
            .order_by(Collaboration.id).limit(6)))
    for number, card_id in enumerate(exclusive):
        update_card(workspace, card_id, {"invoice_type": ("none", "special", "ordinary")[number % 3]})
    overviews = campaign_overviews(workspace, include_archived=True)
    board = BoardView(context)
    qtbot.addWidget(board)
    on_board = 0
    sheets_with_cost = 0
    for c in overviews:
        cards = board_cards(workspace, c.id, today=DEMO_TODAY)
        totals = column_totals(cards)
        with workspace.session() as session:
            collabs = {x.id: x for x in session.scalars(
                select(Collaboration).where(Collaboration.campaign_id == c.id))}
            paid = paid_per_card(session, c.id)
            uids = {str(x.uid): x.id for x in collabs.values()}
        # Each card's cost is the one rule's, and the columns not dropped add up to the
        # Campaigns list's agreed fees and, less what was paid, to the Budget's committed.
        for card in cards:
            x = collabs[card.id]
            assert card.cost == collaboration_cost(cost_of(x), x.tax_included, x.tax_rate, x.invoice_type), card.id
        live = [s for s in totals if s != Stage.DROPPED.value]
        assert sum((totals[s].agreed for s in live), Decimal(0)) == c.agreed_fees, c.name
        assert sum((still_owed(card.cost, paid.get(card.id, Decimal(0))) for card in cards
                    if card.stage != Stage.DROPPED.value), Decimal(0)) == c.committed, c.name
        quotes = {s: sum((x.quoted_fee or Decimal(0) for x in collabs.values()
                          if x.stage == s and x.agreed_fee is None), Decimal(0)) for s in totals}
        for stage, total in totals.items():
            assert total.total == total.agreed + quotes[stage], (c.name, stage)

        # The board shows those totals: exact in the tooltip, and says when quotes are in.
        board.show_campaign(c.id)
        if board.campaign_id == c.id:
            on_board += 1
            for stage, column in board.columns.items():
                tip = column.totals.toolTip().splitlines()
                assert tip[0].endswith(format_money(totals[stage].total, c.currency)), (c.name, stage)
                assert ("incl. quoted" in column.totals.text()) == bool(totals[stage].quoted)
                if totals[stage].quoted:
                    assert format_money(totals[stage].agreed, c.currency) in tip[1], (c.name, stage)

        # The approval sheet: agreed cards at that same cost, the others' quotes apart.
        if not export_for_approval(workspace, c.id, tmp_path / f"approval{c.id}.xlsx"):
            continue
        sheet = openpyxl.load_workbook(tmp_path / f"approval{c.id}.xlsx")["Approval"]
        header_row = next(r for r in range(1, 10) if sheet.cell(r, 1).value == "Card ID 卡片编号")
        header = [sheet.cell(header_row, col).value for col in range(1, sheet.max_column + 1)]
        cost_col = header.index("Agreed cost (net, incl. tax)") + 1
        quoted_col = header.index("Quoted fee (not agreed yet)") + 1
        deducted_col = header.index("After deductible VAT (专票)") + 1
        by_id = {card.id: card for card in cards}
        for r in range(header_row + 1, sheet.max_row + 1):
            card = by_id[uids[sheet.cell(r, 1).value]]
            cost, quoted = _amount(sheet.cell(r, cost_col).value), _amount(sheet.cell(r, quoted_col).value)
            deducted = _amount(sheet.cell(r, deducted_col).value)
            if card.id == shortlisted:  # special invoice, tax-exclusive: the VAT paid comes back
                net = collabs[card.id].net_fee
                assert net is not None and deducted == net, deducted
                assert card.cost == net + (net * Decimal("0.06")).quantize(Decimal("0.01"), ROUND_HALF_UP)
            else:
                assert deducted is None or collabs[card.id].invoice_type == "special", (c.name, r)
            if card.cost is not None:
                sheets_with_cost += 1
                assert (cost, quoted) == (card.cost, None), (c.name, r)
            else:
                assert (cost, quoted) == (None, card.quoted_fee), (c.name, r)
    assert on_board >= 1 and sheets_with_cost >= 1
