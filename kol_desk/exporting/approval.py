"""The shortlist workbook the boss fills in: one row per Shortlisted card, with Decision
and Comment columns that ``services.approval`` reads back."""

from __future__ import annotations

import os
from collections.abc import Callable

from kol_desk.domain import PLATFORM_LABELS, TIER_LABELS, Platform, Tier
from kol_desk.errors import N_
from kol_desk.exporting.xlsx import ExportColumn, XlsxExport
from kol_desk.i18n import tr
from kol_desk.services.approval import (
    COMMENT_HEADER,
    DECISION_HEADER,
    ID_HEADER,
    SHEET,
    shortlist_rows,
)
from kol_desk.store.database import Workspace

# Agreed deals at the cost every money figure counts; quotes apart, named as quotes.
COST_HEADER = N_("Agreed cost (net, incl. tax)")
QUOTED_HEADER = N_("Quoted fee (not agreed yet)")
# A special invoice's VAT comes back in the VAT return: shown beside the cost, never in it.
DEDUCTED_HEADER = N_("After deductible VAT (专票)")


def _shown(text: str) -> str:
    """Headers through tr; stored platform and tier keys as their labels."""
    for table, enum in ((PLATFORM_LABELS, Platform), (TIER_LABELS, Tier)):
        try:
            return tr(table[enum(text)])  # type: ignore[index]
        except ValueError:
            continue
    return tr(text)


def export_for_approval(
    workspace: Workspace, campaign_id: int, path: str | os.PathLike[str],
    labels: Callable[[str], str] = _shown,
) -> int:
    """Write the shortlist workbook; returns how many cards it lists. ``labels``
    translates the headers and stored keys (by default into the current language, also
    when a script writes it)."""
    name, currency, rows = shortlist_rows(workspace, campaign_id)
    columns = [
        ExportColumn(ID_HEADER, width=38),
        ExportColumn(labels("Creator")), ExportColumn(labels("Platform")),
        ExportColumn(labels("Handle")), ExportColumn(labels("Followers"), "int"),
        ExportColumn(labels("Tier")), ExportColumn(labels(COST_HEADER), "money", currency=currency),
        ExportColumn(labels(DEDUCTED_HEADER), "money", currency=currency),
        ExportColumn(labels(QUOTED_HEADER), "money", currency=currency),
        ExportColumn(labels("Notes"), width=30),
        ExportColumn(DECISION_HEADER, width=14), ExportColumn(COMMENT_HEADER, width=40),
    ]
    with XlsxExport(path, constant_memory=False) as book:
        table = book.add_table(
            SHEET, columns,
            ([r.uid, r.nickname, labels(r.platform), r.handle, r.followers,
              labels(r.tier) if r.tier else None, r.cost, r.after_deduction, r.quoted_fee, r.notes, None, None]
             for r in rows),
            title=f"{labels('Shortlist for approval')}: {name}",
            subtitle=labels("Write approve or reject in the Decision column (同意 / 拒绝), "
                            "and a comment if you like. Keep the Card ID column."),
        )
        if rows:
            decision_col = len(columns) - 2
            table.sheet.data_validation(
                table.first_row, decision_col, table.last_row, decision_col,
                {"validate": "list", "source": ["approve", "reject", "同意", "拒绝"],
                 "error_type": "warning"})
    return len(rows)
