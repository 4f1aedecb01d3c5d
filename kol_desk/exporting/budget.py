"""The budget workbook for the boss: one period's summary, the campaigns against their
allocations, the allocation ledger, what is committed and every payment.

The summary figures are values computed by KOL Desk (the sheet says so); the campaign
and payment totals are SUBTOTAL formulas (with cached values) so they stay right when
someone filters a table. Headers follow the UI language.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from kol_desk.errors import N_, KnownError
from kol_desk.exporting.xlsx import ExportColumn, XlsxExport
from kol_desk.i18n import tr
from kol_desk.labels import payment_kind_label
from kol_desk.services.budget import ALLOCATED, COMMITTED, LEVEL_LABELS, RESERVE, one_period
from kol_desk.services.payments import payments_of
from kol_desk.store.database import Workspace

Progress = Callable[[int, int, str], None]






def export_budget(workspace: Workspace, period_id: int, path: Path, *,
                  today: date | None = None, progress: Progress | None = None) -> Path:
    today = today or date.today()
    period = one_period(workspace, period_id, today)
    if period is None:
        raise KnownError(N_("The budget period no longer exists; nothing was written to {path}."),
                         path=str(path))
    step = progress or (lambda _d, _t, _x: None)
    currency = period.currency

    def money(header: str) -> ExportColumn:
        return ExportColumn(tr(header), "money", currency=currency)

    step(0, 5, tr("Budget summary"))
    with XlsxExport(path) as book:
        title = tr("KOL budget {period} ({start} – {end})", period=period.name,
                   start=period.start_date.isoformat(), end=period.end_date.isoformat())
        values_note = tr("Exported {day}. Summary figures are values computed by KOL Desk "
                         "from its records; table totals are formulas.", day=today.isoformat())
        summary = [
            (tr("Total budget"), period.total, tr("Set for the period")),
            (tr("Flexible reserve"), period.reserve, tr("Part of the total, kept for trending opportunities")),
            (tr("Reserve used"), period.reserve_used, tr("Draws on the reserve (ledger)")),
            (tr("Reserve left"), period.reserve_left, tr("Reserve − reserve used")),
            (tr("Allocated to campaigns"), period.allocated, tr("Sum of the ledger, reserve draws included")),
            (tr("Not yet allocated"), period.unallocated, tr("Total − reserve − allocations outside the reserve")),
            (tr("Committed"), period.committed, tr("Agreed fees not yet paid, tax included")),
            (tr("Spent"), period.spent, tr("Payments made, tax included")),
            (tr("Remaining in allocations"), period.remaining, tr("Allocated − committed − spent")),
            (tr("Left in the period"), period.left, tr("Total − committed − spent")),
        ]
        book.add_table(tr("Budget summary"), [ExportColumn(tr("Figure"), width=24), money("Amount"),
                                       ExportColumn(tr("How it is computed"), width=48)],
                       summary, title=title, subtitle=values_note, landscape=False)

        step(1, 5, tr("Campaigns"))
        campaigns = [
            (c.name, c.allocated, c.committed, c.spent, c.remaining,
             (c.used / c.allocated) if c.allocated else None, tr(LEVEL_LABELS[c.level]))
            for c in period.campaigns
        ]
        book.add_table(tr("Campaigns"), [
            ExportColumn(tr("Campaign"), width=28), money("Allocated"), money("Committed"),
            money("Spent"), money("Remaining"), ExportColumn(tr("Used"), "percent"),
            ExportColumn(tr("Status"), width=16)],
            campaigns, title=title, totals_label=tr("Total (formula)"))

        step(2, 5, tr("Allocation ledger"))
        ledger = [
            (line.day, line.campaign or tr("(no campaign)"), line.amount,
             tr("Yes") if line.figure == RESERVE else tr("No"),
             tr("Transfer") if line.reference else "", line.what)
            for line in period.records(ALLOCATED)
        ]
        book.add_table(tr("Allocation ledger"), [
            ExportColumn(tr("Date"), "date", width=12), ExportColumn(tr("Campaign"), width=28),
            money("Amount"), ExportColumn(tr("From reserve"), width=12),
            ExportColumn(tr("Transfer"), width=10), ExportColumn(tr("Reason"), width=40)],
            ledger, title=title, totals_label=tr("Total (formula)"))

        step(3, 5, tr("Commitments"))
        commitments = [(line.campaign, line.what, line.day, line.amount)
                       for line in period.records(COMMITTED)]
        book.add_table(tr("Commitments"), [
            ExportColumn(tr("Campaign"), width=28), ExportColumn(tr("Creator · basis"), width=30),
            ExportColumn(tr("Expected"), "date", width=12), money("Committed")],
            commitments, title=title, totals_label=tr("Total (formula)"))

        step(4, 5, tr("Payments"))
        rows = []
        for campaign in period.campaigns:
            for p in payments_of(workspace, campaign_id=campaign.campaign_id):
                rows.append((p.campaign, p.creator, payment_kind_label(p.kind), p.due_date,
                             p.paid_on, p.amount, p.tax_amount, p.gross, p.method, p.invoice_no))
        book.add_table(tr("Payments"), [
            ExportColumn(tr("Campaign"), width=28), ExportColumn(tr("Creator"), width=20),
            ExportColumn(tr("Kind"), width=10), ExportColumn(tr("Due"), "date", width=12),
            ExportColumn(tr("Paid on"), "date", width=12), money("Amount"), money("Tax"),
            money("Total"), ExportColumn(tr("Method"), width=14),
            ExportColumn(tr("Invoice"), width=14)],
            rows, title=title, totals_label=tr("Total (formula)"))
    step(5, 5, "")
    return path


def default_file_name(period_name: str, today: date) -> str:
    safe = "".join(ch for ch in period_name if ch not in '\\/:*?"<>|').strip() or "budget"
    return f"{safe} {today.isoformat()}.xlsx"

