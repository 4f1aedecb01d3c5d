"""The Creators tab's "export selection": the selected rows with the columns of the
list (latest quote per deliverable, expected CPE, risk), as an .xlsx workbook."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

from kol_desk.domain import DELIVERABLE_LABELS, Deliverable
from kol_desk.exporting.xlsx import ExportColumn, XlsxExport
from kol_desk.i18n import tr
from kol_desk.labels import platform_label, risk_label, tier_label
from kol_desk.services.creator_filters import CreatorFilter
from kol_desk.services.creators import AccountRow, fetch_accounts
from kol_desk.services.quote_prices import Price, price_text
from kol_desk.store.database import Workspace

CHUNK = 500


def _blank_or(label: Callable[[str], str], key: str | None) -> str:
    """A missing value is an empty cell in this workbook (the labels' "—" is for screens)."""
    return label(key) if key else ""


def _columns() -> list[ExportColumn]:
    return [
        ExportColumn(tr("Nickname")), ExportColumn(tr("Platform")), ExportColumn(tr("Handle")),
        ExportColumn(tr("Followers"), "int"), ExportColumn(tr("Tier")),
        ExportColumn(tr("Engagement rate"), "percent"), ExportColumn(tr("Category")),
        ExportColumn(tr("City")), ExportColumn(tr("Agency")),
        # A range stays a range (text), tax included like every quote figure.
        *[ExportColumn(tr("Latest quote (after discount, incl. tax): {deliverable}", deliverable=tr(DELIVERABLE_LABELS[d])))
          for d in Deliverable],
        ExportColumn(tr("Expected CPE"), "money"), ExportColumn(tr("Rating"), "decimal"),
        ExportColumn(tr("Risk")), ExportColumn(tr("Blacklisted")),
        ExportColumn(tr("Last collaboration"), "date"),
    ]


def _values(row: AccountRow) -> list[Any]:
    quotes = [price_text(Price(*row.latest_quotes[d.value]), "") if d.value in row.latest_quotes else None
              for d in Deliverable]
    cpe = row.expected_cpe
    return [row.nickname, _blank_or(platform_label, row.platform), row.handle or "", row.followers,
            _blank_or(tier_label, row.tier), row.engagement_rate, row.category or "", row.city or "",
            row.agency or "", *quotes, cpe.quantize(cpe.__class__("0.01")) if cpe is not None else None,
            row.rating, _blank_or(risk_label, row.risk_level), tr("Yes") if row.blacklisted else "",
            row.last_collaboration]


def selection_rows(workspace: Workspace, flt: CreatorFilter, by_creator: bool,
                   progress: Callable[[int, int], None] | None = None, total: int = 0
                   ) -> Iterator[list[Any]]:
    offset = 0
    while True:
        page = fetch_accounts(workspace, offset, CHUNK, sort="nickname", descending=False,
                              filters=flt, by_creator=by_creator)
        yield from (_values(row) for row in page)
        offset += len(page)
        if progress is not None:
            progress(offset, total or offset)
        if len(page) < CHUNK:
            return


def write_selection(workspace: Workspace, path: str | os.PathLike[str], *,
                    account_ids: list[int] | None = None, creator_ids: list[int] | None = None,
                    by_creator: bool = False,
                    progress: Callable[[int, int], None] | None = None) -> int:
    """Writes the selected rows (accounts, or creators by their largest account); returns
    how many rows were written."""
    flt = CreatorFilter(account_ids=tuple(account_ids or ()), creator_ids=tuple(creator_ids or ()))
    total = len(account_ids or creator_ids or ())
    with XlsxExport(path) as export:
        info = export.add_table(tr("Creators"), _columns(),
                                selection_rows(workspace, flt, by_creator, progress, total),
                                title=tr("Selected creators"))
        return info.last_row - info.header_row
