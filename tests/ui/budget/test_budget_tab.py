"""The Budget tab as a marketer uses it, over the scripted quarter."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtTest import QAbstractItemModelTester
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from kol_desk.i18n import set_language
from kol_desk.preferences import Preferences
from kol_desk.services.budget import period_money
from kol_desk.services.payments import payments_of
from kol_desk.store.database import Workspace
from kol_desk.ui.budget.dialogs import DrillDownDialog
from kol_desk.ui.budget.payment_dialogs import MarkPaidDialog
from kol_desk.ui.budget.tab import BudgetTab
from kol_desk.ui.context import AppContext, Change
from kol_desk.ui.money import money_text
from tests.budget_scenario import Scenario, build

D = Decimal
FATAL = QAbstractItemModelTester.FailureReportingMode.Fatal
TODAY = date(2026, 11, 26)


@pytest.fixture
def scenario(workspace: Workspace) -> Scenario:
    return build(workspace)


@pytest.fixture
def tab(qtbot: QtBot, workspace: Workspace, scenario: Scenario) -> Iterator[BudgetTab]:
    context = AppContext(workspace, Preferences(), QUndoStack())
    widget = BudgetTab(context)
    widget.today = lambda: TODAY
    widget.refresh()
    qtbot.addWidget(widget)
    widget.resize(1100, 700)
    widget.show()
    yield widget


def _ok(dialog: object) -> None:
    buttons = dialog.buttons  # type: ignore[attr-defined]
    buttons.button(QDialogButtonBox.StandardButton.Ok).click()


def test_one_glance_headline_and_colours(tab: BudgetTab, tmp_path: Path) -> None:
    text = tab.headline.text()
    assert "¥50,869.43" in text and "promised ¥29,565.29" in text and "spent ¥19,565.28" in text
    assert "¥10,000 not yet allocated" in tab.details.text()
    assert "reserve ¥7,000 left" in tab.details.text()
    for model in (tab.model, tab.ledger_model, tab.payments_page.due_model, tab.payments_page.payment_model):
        QAbstractItemModelTester(model, FATAL)
    rows = {tab.model.data(tab.model.index(r, 0)): r for r in range(tab.model.rowCount())}
    colour = lambda name: tab.model.data(tab.model.index(rows[name], 4), Qt.ItemDataRole.ForegroundRole)  # noqa: E731
    assert colour("C 快闪").color().name() == "#c62828"
    assert colour("B 双十二").color().name() == "#e65100"
    assert colour("A 冬季新品") is None
    assert tab.model.data(tab.model.index(rows["B 双十二"], 6)) == "Near allocation"
    assert tab.model.data(tab.model.index(rows["A 冬季新品"], 4)) == "¥32,869.43"
    tab.grab().save(str(tmp_path / "budget_tab.png"))


def test_double_click_drills_down_to_the_records(qtbot: QtBot, tab: BudgetTab, scenario: Scenario) -> None:
    rows = {tab.model.data(tab.model.index(r, 0)): r for r in range(tab.model.rowCount())}
    index = tab.model.index(rows["A 冬季新品"], 3)  # Spent
    rect = tab.table.visualRect(index)
    # Qt's item views take a double-click only after a press on the same cell.
    qtbot.mouseClick(tab.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(tab.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    [shown] = [d for d in tab.findChildren(DrillDownDialog) if "A 冬季新品" in d.windowTitle()]
    assert shown.windowTitle() == "Spent · A 冬季新品"
    QAbstractItemModelTester(shown.model, FATAL)
    amounts = sorted(shown.model.data(shown.model.index(r, 3)) for r in range(shown.model.rowCount()))
    assert amounts == ["¥1,000", "¥3,000", "¥565.28"]
    assert shown.total_label.text() == "3 records, total ¥4,565.28"
    remaining = tab.drill("remaining", scenario.a, "A")
    assert remaining.total_label.text().endswith("¥32,869.43")
    tab.headline.linkActivated.emit("committed")
    assert any(d.windowTitle() == "Committed · 2026 Q4 KOL" for d in tab.findChildren(DrillDownDialog))


def test_draw_on_reserve_through_the_dialog(qtbot: QtBot, tab: BudgetTab, scenario: Scenario) -> None:
    dialog = tab.open_movement("reserve")
    assert dialog is not None
    dialog.target.setCurrentIndex(dialog.target.findData(scenario.c))
    qtbot.keyClicks(dialog.amount.edit, "8000")
    dialog.reason.edit.insert("爆款追投")  # QTest types ASCII only; an IME inserts text
    _ok(dialog)
    assert "only 7000.00 left" in dialog.error_label.text() and dialog.isVisible()
    dialog.amount.edit.clear()
    qtbot.keyClicks(dialog.amount.edit, "2000")
    _ok(dialog)
    assert not dialog.isVisible()
    assert "reserve ¥5,000 left" in tab.details.text()
    reasons = [tab.ledger_model.data(tab.ledger_model.index(r, 2)) for r in range(tab.ledger_model.rowCount())]
    assert "From the reserve: 爆款追投" in reasons
    [period] = period_money(tab.context.workspace, TODAY)
    # 2,000 promised of 2,000 allocated: no longer over, but at the edge.
    assert {c.name: c.level for c in period.campaigns}["C 快闪"] == "near"


def test_transfer_keeps_both_entries(qtbot: QtBot, tab: BudgetTab, scenario: Scenario) -> None:
    before = tab.ledger_model.rowCount()
    dialog = tab.open_movement("transfer")
    assert dialog is not None
    dialog.source.setCurrentIndex(dialog.source.findData(scenario.a))
    dialog.target.setCurrentIndex(dialog.target.findData(scenario.c))
    qtbot.keyClicks(dialog.amount.edit, "2500.50")
    qtbot.keyClicks(dialog.reason.edit, "C needs it")
    _ok(dialog)
    assert tab.ledger_model.rowCount() == before + 2
    assert len(dialog.entry_ids) == 2


def test_mark_a_due_payment_paid_and_undo(qtbot: QtBot, tab: BudgetTab, scenario: Scenario) -> None:
    page = tab.payments_page
    tab.pages.setCurrentWidget(page)
    assert page.due_model.rowCount() == 1
    assert page.due_title.text() == "Payments due: 1 overdue, 0 this week (all campaigns)"
    assert page.due_model.data(page.due_model.index(0, 0)) == "Overdue 1 d"
    page.due_table.selectRow(0)
    qtbot.mouseClick(page.mark_due_button, Qt.MouseButton.LeftButton)
    [dialog] = page.findChildren(MarkPaidDialog)
    dialog.method.setCurrentText("支付宝")
    qtbot.keyClicks(dialog.invoice.edit, "FP-2026-118")
    _ok(dialog)
    [row] = [r for r in payments_of(tab.context.workspace, collaboration_id=scenario.a1)
             if r.payment_id == scenario.a1_balance]
    assert (row.paid_on, row.method, row.invoice_no) == (TODAY, "支付宝", "FP-2026-118")
    assert page.due_model.rowCount() == 0
    assert "spent ¥26,565.28" in tab.headline.text()
    tab.context.undo_stack.undo()
    assert page.due_model.rowCount() == 1
    assert "spent ¥19,565.28" in tab.headline.text()


def test_plan_payments_with_tax_preview(qtbot: QtBot, tab: BudgetTab, scenario: Scenario) -> None:
    page = tab.payments_page
    tab.pages.setCurrentWidget(page)
    page.campaign_box.setCurrentIndex(page.campaign_box.findData(scenario.b))
    page.collab_box.setCurrentIndex(page.collab_box.findText("大橙子"))
    dialog = page.plan_selected()
    assert dialog is not None
    qtbot.keyClicks(dialog.deposit.edit, "30")
    qtbot.keyClicks(dialog.deposit_due.edit, "2026-12-01")
    qtbot.keyClicks(dialog.balance_due.edit, "2026-12-20")
    assert "Deposit: ¥6,000" in dialog.preview.text()
    assert "Balance: ¥14,000" in dialog.preview.text()
    _ok(dialog)
    kinds = [(r.kind, r.amount, r.due_date) for r in payments_of(tab.context.workspace, collaboration_id=scenario.b1)]
    assert kinds == [("deposit", D("6000.00"), date(2026, 12, 1)), ("balance", D("14000.00"), date(2026, 12, 20))]
    assert page.payment_model.rowCount() == 3  # B3's full payment and the two new ones


def test_charts_draw_in_chinese(qtbot: QtBot, workspace: Workspace, scenario: Scenario, tmp_path: Path) -> None:
    set_language("zh_CN")
    context = AppContext(workspace, Preferences(), QUndoStack())
    tab = BudgetTab(context)
    tab.today = lambda: TODAY
    qtbot.addWidget(tab)
    tab.resize(1200, 800)
    tab.show()
    tab.refresh()
    tab.pages.setCurrentWidget(tab.charts_page)
    views = tab.charts_page.views
    qtbot.waitUntil(lambda: all(v.state == "chart" for v in views), timeout=60_000)
    assert all(v.png and v.png.startswith(b"\x89PNG") for v in views)
    tab.grab().save(str(tmp_path / "budget_charts_zh.png"))


def test_export_from_the_tab(qtbot: QtBot, tab: BudgetTab, tmp_path: Path) -> None:
    target = tmp_path / "out" / "q4.xlsx"
    target.parent.mkdir()
    tab.export_to(target)
    qtbot.waitUntil(target.exists, timeout=30_000)
    book = openpyxl.load_workbook(target)
    assert book["Budget summary"]["A1"].value.startswith("KOL budget 2026 Q4 KOL")


def test_near_level_is_a_workspace_setting(tab: BudgetTab) -> None:
    assert tab.near_box.value() == 90
    tab.near_box.setValue(95)  # B uses 92 %: no longer near
    rows = {tab.model.data(tab.model.index(r, 0)): r for r in range(tab.model.rowCount())}
    assert tab.model.data(tab.model.index(rows["B 双十二"], 6)) == "OK"
    assert "near:" not in tab.details.text()
    reopened = BudgetTab(tab.context)
    assert reopened.near_box.value() == 95
    reopened.deleteLater()


def test_new_period_then_allocate(qtbot: QtBot, tab: BudgetTab, scenario: Scenario) -> None:
    dialog = tab.new_period()
    assert dialog.name.edit.text() == "2026 Q4"
    dialog.name.edit.setText("2027 Q1")
    dialog.start.edit.setText("2027-01-01")
    dialog.end.edit.setText("2027-03-31")
    qtbot.keyClicks(dialog.total.edit, "200000")
    qtbot.keyClicks(dialog.reserve.edit, "300000")
    _ok(dialog)
    assert "reserve must be between zero and the period total" in dialog.error_label.text()
    dialog.reserve.edit.setText("20000")
    _ok(dialog)
    assert not dialog.isVisible() and tab.period_box.count() == 2
    tab.period_box.setCurrentIndex(tab.period_box.findData(dialog.period_id))
    assert "¥200,000" in tab.headline.text() and tab.model.rowCount() == 0
    movement = tab.open_movement("allocate", scenario.a, D("60000"))
    assert movement is not None
    qtbot.keyClicks(movement.reason.edit, "Q1 plan")
    _ok(movement)
    assert tab.period is not None and tab.period.name == "2027 Q1"
    assert [c.allocated for c in tab.period.campaigns] == [D("60000.00")]
    assert "¥160,000 not yet allocated" not in tab.details.text()  # 200k - 20k - 60k
    assert "¥120,000 not yet allocated" in tab.details.text()


def test_the_summary_names_a_few_campaigns_and_counts_the_rest() -> None:
    from kol_desk.ui.budget.tab import name_some

    assert name_some(["A", "B"]) == "A、B"
    assert name_some(list("ABCDEFG")) == "A、B、C、D and 3 more"


def test_a_hidden_tab_reads_changes_when_shown_again(qtbot: QtBot, tab: BudgetTab, scenario: Scenario) -> None:
    from kol_desk.services import budget_ledger

    tab.hide()
    budget_ledger.allocate(tab.context.workspace, scenario.period_id, scenario.c, D("1000"), TODAY, "补充")
    tab.context.events.announce(Change.BUDGET)
    assert "¥10,000 not yet allocated" in tab.details.text()  # not read while hidden
    tab.show()
    assert "¥9,000 not yet allocated" in tab.details.text()


def test_the_summary_strip_shows_the_key_figures_with_exact_values_on_hover(tab: BudgetTab) -> None:
    shown = dict(tab.summary.texts())
    assert list(shown) == ["Left this period", "Budget", "Allocated", "Promised", "Spent", "Remaining",
                           "Reserve left"]
    assert shown["Left this period"] == "¥50,869.43"
    assert shown["Promised"] == "¥29,565.29" and shown["Spent"] == "¥19,565.28"
    assert shown["Reserve left"] == "¥7,000"
    assert shown["Remaining"] == money_text(tab.period.remaining)
    reserve = tab.summary.tiles[6]
    assert reserve.toolTip() == "¥7,000.00"
    # the allocation and spend charts are on the campaigns page, beside the table
    assert tab.overview_charts.isVisible() and tab.table.isVisible()
    assert [v.isVisible() for v in tab.overview_charts.views] == [True, True]


def test_a_click_on_a_figure_of_the_strip_lists_the_records_behind_it(qtbot: QtBot, tab: BudgetTab) -> None:
    tiles = {tile.caption.text(): tile for tile in tab.summary.tiles if not tile.isHidden()}
    qtbot.mouseClick(tiles["Spent"], Qt.MouseButton.LeftButton)
    [shown] = [d for d in tab.findChildren(DrillDownDialog) if d.windowTitle() == "Spent · 2026 Q4 KOL"]
    assert shown.total_label.text().endswith(tiles["Spent"].toolTip().removesuffix(".00"))
    qtbot.mouseClick(tiles["Budget"], Qt.MouseButton.LeftButton)  # the whole budget: no list
    assert len(tab.findChildren(DrillDownDialog)) == 1
