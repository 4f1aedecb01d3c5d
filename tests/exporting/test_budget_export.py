"""The budget workbook, read back with openpyxl as the boss's Excel would show it."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from kol_desk.exporting.budget import export_budget
from kol_desk.i18n import set_language
from kol_desk.store.database import Workspace
from tests.budget_scenario import build


@pytest.fixture
def workbook(workspace: Workspace, tmp_path: Path) -> openpyxl.Workbook:
    s = build(workspace)
    path = export_budget(workspace, s.period_id, tmp_path / "budget.xlsx", today=date(2026, 11, 28))
    return openpyxl.load_workbook(path)


def _table(sheet: object, header: str) -> tuple[int, list[list[object]]]:
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]  # type: ignore[attr-defined]
    start = next(i for i, r in enumerate(rows) if r and r[0] == header)
    return start + 1, rows[start:]


def test_sheets_summary_and_frozen_headers(workbook: openpyxl.Workbook) -> None:
    assert workbook.sheetnames == ["Budget summary", "Campaigns", "Allocation ledger", "Commitments", "Payments"]
    summary = workbook["Budget summary"]
    assert summary["A1"].value == "KOL budget 2026 Q4 KOL (2026-10-01 – 2026-12-31)"
    header_row, rows = _table(summary, "Figure")
    figures = {r[0]: r[1] for r in rows[1:]}
    assert figures["Total budget"] == 100000
    assert figures["Reserve left"] == 7000
    assert figures["Not yet allocated"] == 10000
    assert figures["Committed"] == pytest.approx(29565.29, abs=1e-9)
    assert figures["Spent"] == pytest.approx(19565.28, abs=1e-9)
    assert figures["Left in the period"] == pytest.approx(50869.43, abs=1e-9)
    assert "values computed" in summary["A2"].value
    for sheet in workbook.worksheets:
        assert sheet.freeze_panes is not None
    money_cell = summary.cell(row=header_row + 1, column=2)
    assert "¥" in money_cell.number_format and "0.00" in money_cell.number_format
    assert summary.column_dimensions["C"].width >= 40


def test_campaign_totals_are_labelled_formulas(workbook: openpyxl.Workbook) -> None:
    sheet = workbook["Campaigns"]
    header_row, rows = _table(sheet, "Campaign")
    assert rows[0] == ["Campaign", "Allocated", "Committed", "Spent", "Remaining", "Used", "Status"]
    body = {r[0]: r for r in rows[1:4]}
    assert body["B 双十二"][1:5] == [38000, 20000, 15000, 3000]
    assert body["B 双十二"][6] == "Near allocation" and body["C 快闪"][6] == "Over allocation"
    assert body["C 快闪"][5] == "—"  # no allocation: no percentage
    total = rows[4]
    assert total[0] == "Total (formula)"
    assert str(total[1]).startswith("=SUBTOTAL(9,B")
    used_cell = sheet.cell(row=header_row + 1, column=6)
    assert used_cell.number_format == "0.00%"


def test_ledger_commitments_and_payments(workbook: openpyxl.Workbook) -> None:
    _h, ledger = _table(workbook["Allocation ledger"], "Date")
    assert len(ledger) - 2 == 5  # two allocations, a transfer pair, a reserve draw
    draw = next(r for r in ledger[1:] if r[5] == "热点追投")
    assert draw[3] == "Yes" and draw[2] == 3000 and isinstance(draw[0], datetime)
    _h, commitments = _table(workbook["Commitments"], "Campaign")
    assert sorted(r[3] for r in commitments[1:-1]) == [565.29, 2000, 7000, 20000]
    _h, pays = _table(workbook["Payments"], "Campaign")
    momo = [r for r in pays[1:-1] if r[1] == "Momo"]
    assert [(r[5], r[6], r[7]) for r in momo] == [(500.25, 65.03, 565.28), (500.25, 65.04, 565.29)]
    paid = next(r for r in pays[1:-1] if r[1] == "小鹿" and r[4] is not None)
    assert (paid[8], paid[9]) == ("对公转账", "FP-001")


def test_workbook_follows_the_ui_language(workspace: Workspace, tmp_path: Path) -> None:
    s = build(workspace)
    set_language("zh_CN")
    path = export_budget(workspace, s.period_id, tmp_path / "预算.xlsx", today=date(2026, 11, 28))
    book = openpyxl.load_workbook(path)
    assert book.sheetnames[0] == "预算汇总"
