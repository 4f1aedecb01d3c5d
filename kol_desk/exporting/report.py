"""The boss workbook: one .xlsx a boss opens, reads and prints without explanation.

Sheets: Summary (scope, KPIs against targets, spend against budget, the four layers,
cost metrics, key findings, a KPI chart), Creators (one line per creator), Platforms &
tiers (and agencies and campaigns), Charts (native Excel charts over those tables, so the
boss can restyle them) and Posts (every collaboration with its latest snapshot).

Every number comes from ``services.reports.build_report``, the same object the Reports
tab shows, so the two always agree. Written through ``XlsxExport`` (constant memory,
formula-injection-safe text, atomic rename); rows are written strictly top to bottom,
which constant-memory mode requires.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kol_desk import metrics
from kol_desk.errors import N_
from kol_desk.exporting.stream import stream_table
from kol_desk.exporting.xlsx import (
    ExportColumn,
    XlsxExport,
    cell_writers,
    number_format,
    print_setup,
    write_line,
)
from kol_desk.i18n import tr
from kol_desk.labels import platform_label, tier_label
from kol_desk.services.report_findings import kpi_name
from kol_desk.services.reports import GroupRow, PostResult, Report, Totals

if TYPE_CHECKING:
    from xlsxwriter.worksheet import Worksheet

Progress = Callable[[int, int], None]
BEST_FILL = "#E8F5E9"
WORST_FILL = "#FDECEA"


def sheet_names() -> dict[str, str]:
    # Sheet names are at most 31 characters and may not contain []:*?/\ (Excel's rule).
    return {"summary": tr("Summary"), "creators": tr("Creators"),
            "groups": tr("Platforms & tiers"), "charts": tr("Charts"), "posts": tr("Post details")}


def scope_text(report: Report) -> str:
    scope = report.scope
    parts = [tr("Campaigns: {names}", names=", ".join(name for _, name in report.campaigns) or metrics.DASH)]
    if scope.start or scope.end:
        parts.append(tr("Posted {start} to {end}", start=scope.start or "…", end=scope.end or "…"))
    if scope.platform:
        parts.append(tr("Platform: {platform}", platform=platform_label(scope.platform)))
    if scope.tier:
        parts.append(tr("Tier: {tier}", tier=tier_label(scope.tier)))
    if scope.agency_id is not None:
        agencies = {p.agency for p in report.posts if p.agency}
        parts.append(tr("Agency: {agency}", agency=", ".join(sorted(agencies)) or metrics.DASH))
    return " · ".join(parts)


def basis_text(basis: str | None) -> str:
    if basis == "views":
        return tr("engagements ÷ views")
    if basis == "followers":
        return tr("engagements ÷ followers (no views reported)")
    return metrics.DASH


# ---------------------------------------------------------------------------- group tables

@dataclass(frozen=True)
class Metric:
    """A column of a group table: a header, a kind and how to read it from a GroupRow."""

    header: str
    kind: str
    value: Callable[[GroupRow], Any]
    mark: str | None = None  # "cpe" / "cpm" / "roi": highlight best and worst


def group_metrics(first_header: str) -> list[Metric]:
    return [
        Metric(first_header, "text", lambda r: r.label),
        Metric(tr("Posts"), "int", lambda r: r.totals.posts),
        Metric(tr("Cost"), "money", lambda r: r.totals.cost),
        Metric(tr("Impressions"), "int", lambda r: r.totals.count("impressions")),
        Metric(tr("Views"), "int", lambda r: r.totals.count("views")),
        Metric(tr("Engagements"), "int", lambda r: r.totals.engagements),
        Metric(tr("Engagement rate"), "percent", lambda r: r.totals.engagement_rate.value),
        Metric(tr("Clicks"), "int", lambda r: r.totals.count("clicks")),
        Metric(tr("Orders"), "int", lambda r: r.totals.count("orders")),
        Metric(tr("Revenue"), "money", lambda r: r.totals.revenue),
        Metric(tr("CPM"), "money", lambda r: r.totals.cpm, "cpm"),
        Metric(tr("CPV"), "money", lambda r: r.totals.cpv),
        Metric(tr("CPE"), "money", lambda r: r.totals.cpe, "cpe"),
        Metric(tr("CPC"), "money", lambda r: r.totals.cpc),
        Metric(tr("CPA"), "money", lambda r: r.totals.cpa),
        Metric(tr("ROI"), "percent", lambda r: r.totals.roi, "roi"),
        Metric(tr("ROAS"), "decimal", lambda r: r.totals.roas),
    ]


class _Writer:
    """Writes blocks of rows top to bottom on one sheet (constant-memory order)."""

    def __init__(self, export: XlsxExport, sheet: Worksheet, currency: str) -> None:
        self.export, self.sheet, self.currency = export, sheet, currency
        self.row = 0
        self._formats: dict[str, Any] = {}
        self._dash = export.format(align="center", valign="vcenter")
        self._quoted = export.format(quote_prefix=True, valign="vcenter")
        self._writers = cell_writers(sheet)

    def _format(self, kind: str) -> Any:
        # One format per kind, made once. Text gets none: its lines are one line high, so
        # vertical centring shows nothing, and a style on every text cell costs the
        # writer (as in stream.py).
        if kind not in self._formats:
            shown = number_format(kind, self.currency)
            self._formats[kind] = self.export.format(valign="vcenter", num_format=shown) if shown else None
        return self._formats[kind]

    def title(self, text: str, size: int = 14) -> None:
        self.export.write_text(self.sheet, self.row, 0, text, self.export.format(bold=True, font_size=size))
        self.row += 1

    def note(self, text: str) -> None:
        self.export.write_text(self.sheet, self.row, 0, text, self.export.format(font_color="#555555"))
        self.row += 1

    def header(self, titles: Sequence[str]) -> int:
        fmt = self.export.format(bold=True, bg_color="#F2F2F2", bottom=1, text_wrap=True, valign="vcenter")
        for col, text in enumerate(titles):
            self.export.write_text(self.sheet, self.row, col, text, fmt)
        self.row += 1
        return self.row - 1

    def values(self, values: Sequence[Any], kinds: Sequence[str]) -> None:
        self.cells(values, [self._format(kind) for kind in kinds])

    def cells(self, values: Sequence[Any], formats: Sequence[Any], fills: Sequence[str | None] = ()) -> None:
        """One line; ``formats`` from ``_format`` (None for text), ``fills`` (by column)
        marks the best and worst figures of a group table."""
        write_line(self._writers, self.row, values, formats, self._dash, self._quoted)
        # The few marked cells again, filled: the line is still the current one, so
        # constant-memory mode takes the second write of a cell.
        for col, fill in enumerate(fills):
            if fill is not None:
                self._filled(col, values[col], formats[col], fill)
        self.row += 1

    def _filled(self, col: int, value: Any, fmt: Any, fill: str) -> None:
        number_format = fmt.num_format if fmt is not None else "General"
        filled = self.export.format(bg_color=fill, num_format=number_format, valign="vcenter", bold=True)
        if value is None:
            self.export.write_text(self.sheet, self.row, col, metrics.DASH, filled)
        else:
            self.sheet.write_number(self.row, col, float(value), filled)

    def skip(self, rows: int = 1) -> None:
        self.row += rows

    def group_block(self, rows: list[GroupRow], columns: list[Metric], total: Totals | None,
                    total_label: str) -> tuple[int, int]:
        """A header, one line per group (best green, worst red) and a total line;
        returns the first and last data row (0-based) for charts."""
        self.header([c.header for c in columns])
        first = self.row
        formats = [self._format(c.kind) for c in columns]
        getters = [c.value for c in columns]
        for group in rows:
            fills = [None if c.mark is None or c.mark not in group.marks
                     else BEST_FILL if group.marks[c.mark] == "best" else WORST_FILL
                     for c in columns] if group.marks else ()
            self.cells([value(group) for value in getters], formats, fills)
        last = self.row - 1
        if total is not None:
            fake = GroupRow(None, total_label, total, self.currency)
            bold = self.export.format(bold=True, top=1, valign="vcenter")
            self.export.write_text(self.sheet, self.row, 0, total_label, bold)
            for col, c in enumerate(columns[1:], start=1):
                self._total(col, c.value(fake), c.kind)
            self.row += 1
        return first, last

    def _total(self, col: int, value: Any, kind: str) -> None:
        fmt = self.export.format(bold=True, top=1, num_format=number_format(kind, self.currency) or "General",
                                 valign="vcenter")
        if kind == "text":
            self.sheet.write_blank(self.row, col, None, fmt)
        elif value is None:
            self.export.write_text(self.sheet, self.row, col, metrics.DASH, fmt)
        else:
            self.sheet.write_number(self.row, col, float(value), fmt)


SUMMARY_WIDTHS = (30.0, 18.0, 18.0, 18.0, 18.0, 40.0)
KPI_CHART_W, KPI_CHART_H = 400, 260


# ---------------------------------------------------------------------------- sheets

def _summary(export: XlsxExport, report: Report) -> Worksheet:
    """Page 1 (one landscape page): findings, spend against budget, KPIs with their chart
    beside them; page 2: the four layers and cost per result."""
    sheet = export.workbook.add_worksheet(sheet_names()["summary"])
    w = _Writer(export, sheet, report.currency)
    for col, width in enumerate(SUMMARY_WIDTHS):
        sheet.set_column(col, col, width)
    w.title(tr("KOL results report"), 16)
    w.note(scope_text(report))
    w.note(tr("Generated {day}. Each post counts with its latest result snapshot; its cost is its agreed fee, tax included.",
              day=date.today().isoformat()))
    if report.mixed_currencies:
        w.note(tr("Warning: the campaigns use different currencies; amounts are added as they are."))
    w.skip()

    t = report.totals
    w.title(tr("Key findings"), 12)
    wrap = export.format(text_wrap=True, valign="top")
    for number, finding in enumerate(report.findings, start=1):
        sheet.merge_range(w.row, 0, w.row, 5, "", wrap)
        export.write_text(sheet, w.row, 0, f"{number}. {finding}", wrap)
        sheet.set_row(w.row, 32)
        w.row += 1
    w.skip()

    m = report.money
    w.title(tr("Spend against budget"), 12)
    w.header([tr("Planned budget"), tr("Allocated"), tr("Spent"), tr("Committed"), tr("Remaining"),
              tr("Left of planned budget")])
    w.values([m.budget, m.allocated, m.spent, m.committed, m.remaining, m.left_of_plan], ["money"] * 6)
    w.note(tr("Spent: payments made; committed: agreed fees not yet paid; remaining: allocated − "
              "committed − spent (all tax included, as on the Budget tab)."))
    if report.scope.start is not None or report.scope.end is not None:
        w.note(tr("Spent and committed are those of the posts published in the period."))
    w.skip()

    w.title(tr("KPIs against targets"), 12)
    kpi_header = w.header([tr("KPI"), tr("Actual"), tr("Target"), tr("Progress")])
    kpi_first = w.row
    for kpi in report.kpis:
        kind = "money" if kpi.name == "revenue" else "int"
        w.values([kpi_name(kpi.name), kpi.actual, kpi.target, kpi.progress], ["text", kind, kind, "percent"])
    kpi_last = w.row - 1
    # The KPI chart stands beside the KPI table (columns E–F, which the table leaves
    # empty) and the rows it covers stay empty below the table.
    w.row = max(w.row, kpi_header + KPI_CHART_H // 20 + 1)
    w.skip()
    sheet.set_h_pagebreaks([w.row])

    w.title(tr("The four layers"), 12)
    w.header([tr("Layer"), tr("Measure"), tr("Value"), tr("Note")])
    er = t.engagement_rate
    lines: list[tuple[str, str, Any, str, str]] = [
        (tr("Reach"), tr("Posts"), t.posts, "int", ""),
        (tr("Reach"), tr("Impressions"), t.count("impressions"), "int", ""),
        (tr("Reach"), tr("Views"), t.count("views"), "int", ""),
        (tr("Reach"), tr("Engagements"), t.engagements, "int", tr("likes + comments + shares + saves (+ danmaku, coins)")),
        (tr("Reach"), tr("Engagement rate"), er.value, "percent", basis_text(er.basis)),
        (tr("Content"), tr("Brand fit (1–5)"), t.score("score_brand_fit"), "decimal", ""),
        (tr("Content"), tr("Creative quality (1–5)"), t.score("score_creative"), "decimal", ""),
        (tr("Content"), tr("Message accuracy (1–5)"), t.score("score_message"), "decimal", ""),
        (tr("Audience"), tr("New followers"), t.count("new_followers"), "int", ""),
        (tr("Audience"), tr("Community joins"), t.count("community_joins"), "int", ""),
        (tr("Commercial"), tr("Clicks"), t.count("clicks"), "int", ""),
        (tr("Commercial"), tr("Click-through rate"), t.ctr, "percent", tr("clicks ÷ impressions")),
        (tr("Commercial"), tr("Promo-code uses"), t.count("promo_uses"), "int", ""),
        (tr("Commercial"), tr("Orders"), t.count("orders"), "int", ""),
        (tr("Commercial"), tr("Revenue"), t.revenue, "money", ""),
    ]
    for layer, measure, value, kind, note in lines:
        w.values([layer, measure, value, note], ["text", "text", kind, "text"])
    w.skip()

    w.title(tr("Cost per result"), 12)
    w.header([tr("Metric"), tr("Value"), tr("Formula")])
    costs: list[tuple[str, Any, str, str]] = [
        (tr("Cost of posts with results"), t.cost_or_none, "money", tr("agreed fees of the posts with results, tax included")),
        (tr("CPM"), t.cpm, "money", tr("cost ÷ impressions × 1000")),
        (tr("CPV"), t.cpv, "money", tr("cost ÷ views")),
        (tr("CPE"), t.cpe, "money", tr("cost ÷ engagements")),
        (tr("CPC"), t.cpc, "money", tr("cost ÷ clicks")),
        (tr("CPA"), t.cpa, "money", tr("cost ÷ orders")),
        (tr("CAC"), t.cac, "money", tr("cost ÷ new customers")),
        (tr("ROI"), t.roi, "percent", tr("(revenue − cost) ÷ cost")),
        (tr("ROAS"), t.roas, "decimal", tr("revenue ÷ cost")),
    ]
    for name, value, kind, formula in costs:
        w.values([name, value, formula], ["text", kind, "text"])
    w.note(tr("— means the denominator is zero or unknown."))

    chart = export.workbook.add_chart({"type": "bar"})
    name = sheet_names()["summary"]
    chart.add_series({
        "name": tr("Progress"),
        "categories": [name, kpi_first, 0, kpi_last, 0],
        "values": [name, kpi_first, 3, kpi_last, 3],
        "categories_data": [kpi_name(kpi.name) for kpi in report.kpis],
        "values_data": [None if kpi.progress is None else float(kpi.progress) for kpi in report.kpis],
        "fill": {"color": "#1E88E5"}, "data_labels": {"value": True, "num_format": "0%"},
    })
    chart.set_title({"name": tr("KPI progress")})
    chart.set_x_axis({"num_format": "0%", "min": 0, "major_gridlines": {"visible": True}})
    chart.set_y_axis({"reverse": True})
    chart.set_legend({"none": True})
    chart.set_size({"width": KPI_CHART_W, "height": KPI_CHART_H})
    sheet.insert_chart(kpi_header, 4, chart, {"x_offset": 10, "object_position": 2})
    print_setup(sheet, SUMMARY_WIDTHS, title=tr("KOL results report"))
    return sheet


def _creators_sheet(export: XlsxExport, report: Report) -> None:
    name = sheet_names()["creators"]
    sheet = export.workbook.add_worksheet(name)
    w = _Writer(export, sheet, report.currency)
    rows = report.group("creator")
    # Keyed like the creator groups (GroupRow.key is the creator id).
    platforms: dict[object, set[str]] = {}
    tiers: dict[object, str | None] = {}
    agencies: dict[object, str | None] = {}
    for post in report.posts:
        platforms.setdefault(post.creator_id, set()).add(platform_label(post.platform))
        tiers[post.creator_id] = post.tier
        agencies[post.creator_id] = post.agency
    base = group_metrics(tr("Creator"))
    columns = [base[0],
               Metric(tr("Platform"), "text", lambda r: ", ".join(sorted(platforms.get(r.key, ())))),
               Metric(tr("Tier"), "text", lambda r: tier_label(tiers.get(r.key))),
               Metric(tr("Agency"), "text", lambda r: agencies.get(r.key) or metrics.DASH),
               *base[1:],
               Metric(tr("Brand fit"), "decimal", lambda r: r.totals.score("score_brand_fit")),
               Metric(tr("Creative"), "decimal", lambda r: r.totals.score("score_creative")),
               Metric(tr("Message"), "decimal", lambda r: r.totals.score("score_message"))]
    widths = _widths(sheet, columns, [18, 14, 10, 16])
    first, last = w.group_block(rows, columns, report.totals, tr("Total"))
    sheet.freeze_panes(first, 1)
    sheet.autofilter(first - 1, 0, max(last, first - 1), len(columns) - 1)
    print_setup(sheet, widths, title=name, header_row=first - 1)


def _widths(sheet: Worksheet, columns: Sequence[Metric], text_widths: Sequence[int]) -> list[float]:
    widths: list[float] = []
    for col, column in enumerate(columns):
        width = text_widths[col] if col < len(text_widths) else 14 if column.kind == "money" else 12
        if column.kind == "text" and col >= len(text_widths):
            width = 16
        widths.append(max(width, len(column.header) + 2))
        sheet.set_column(col, col, widths[-1])
    return widths


def _groups_sheet(export: XlsxExport, report: Report) -> dict[str, tuple[int, int]]:
    name = sheet_names()["groups"]
    sheet = export.workbook.add_worksheet(name)
    w = _Writer(export, sheet, report.currency)
    ranges: dict[str, tuple[int, int]] = {}
    titles = {"platform": tr("Per platform"), "tier": tr("Per tier"), "agency": tr("Per agency"),
              "campaign": tr("Per campaign")}
    firsts = {"platform": tr("Platform"), "tier": tr("Tier"), "agency": tr("Agency"),
              "campaign": tr("Campaign")}
    widths = _widths(sheet, group_metrics(""), [22])
    header_row = None
    for key in ("platform", "tier", "agency", "campaign"):
        w.title(titles[key], 12)
        header_row = w.row if header_row is None else header_row
        ranges[key] = w.group_block(report.group(key), group_metrics(firsts[key]), report.totals, tr("Total"))
        w.skip()
    w.note(tr("Green: best CPM, CPE or ROI in the table; red: worst."))
    sheet.freeze_panes(1 + (header_row or 0), 1)
    print_setup(sheet, widths, title=name)
    return ranges


POST_COLUMNS: list[tuple[str, str]] = [
    (N_("Campaign"), "text"), (N_("Creator"), "text"), (N_("Platform"), "text"), (N_("Account"), "text"),
    (N_("Tier"), "text"), (N_("Agency"), "text"), (N_("Post date"), "date"), (N_("Results as of"), "date"),
    (N_("Cost"), "money"), (N_("Impressions"), "int"), (N_("Views"), "int"), (N_("Engagements"), "int"),
    (N_("Clicks"), "int"), (N_("Orders"), "int"), (N_("Revenue"), "money"), (N_("CPM"), "money"),
    (N_("CPE"), "money"), (N_("ROI"), "percent"),
]


def _post_line(p: PostResult, platform: str, tier: str) -> list[Any]:
    """The cells of one post, in POST_COLUMNS' order."""
    counts = p.counts
    return [p.campaign, p.nickname, platform, p.handle, tier, p.agency, p.post_date, p.taken_on, p.cost,
            counts["impressions"], counts["views"], p.engagements, counts["clicks"], counts["orders"],
            p.revenue, metrics.cpm(p.cost, counts["impressions"]), metrics.cpe(p.cost, p.engagements),
            metrics.roi(p.revenue, p.cost)]


def _posts_sheet(export: XlsxExport, report: Report, progress: Progress | None) -> None:
    columns = [ExportColumn(tr(title), kind, currency=report.currency)  # type: ignore[arg-type]
               for title, kind in POST_COLUMNS]
    total = len(report.posts)
    # A handful of platforms and tiers: each name is translated once, not once per post.
    platforms = {key: platform_label(key) for key in {p.platform for p in report.posts}}
    tiers = {key: tier_label(key) for key in {p.tier for p in report.posts}}

    def rows() -> Any:
        for index, post in enumerate(report.posts):
            if progress is not None and index % 1000 == 0:
                progress(index, total)
            yield _post_line(post, platforms[post.platform], tiers[post.tier])

    stream_table(export, sheet_names()["posts"], columns, rows(),
                 title=tr("Post details"), subtitle=tr("Every post with its latest result snapshot."))


def _charts_sheet(export: XlsxExport, report: Report, groups: dict[str, tuple[int, int]]) -> None:
    from kol_desk.exporting.report_charts import add_report_charts, sheet_widths

    sheet = export.workbook.add_worksheet(sheet_names()["charts"])
    _, data_top = add_report_charts(export.workbook, sheet, report, sheet_names()["groups"], groups)
    sheet.set_h_pagebreaks([data_top])
    print_setup(sheet, sheet_widths(), title=sheet_names()["charts"])


def write_report(report: Report, path: str | os.PathLike[str], progress: Progress | None = None) -> Path:
    """Write the boss workbook for ``report`` to ``path`` (atomically)."""
    with XlsxExport(path) as export:
        export.workbook.set_properties({"title": tr("KOL results report"), "comments": scope_text(report)})
        _summary(export, report)
        _creators_sheet(export, report)
        groups = _groups_sheet(export, report)
        _charts_sheet(export, report, groups)
        _posts_sheet(export, report, progress)
        export.workbook.worksheets()[0].activate()
    if progress is not None:
        progress(len(report.posts), len(report.posts))
    return Path(path)
