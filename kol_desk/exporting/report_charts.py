"""Native Excel charts of the boss workbook (Excel/WPS/LibreOffice draw them from cells,
so the boss can restyle them): cost per engagement by creator (sorted bars), reach and
engagement by platform, spend against results by tier, KPI progress and the funnel from
impressions to orders.

Charts over the Platforms & tiers sheet point at its tables; the two that need data in
another order (sorted creators, the funnel) get a small data table on the Charts sheet
itself, below the charts, written row by row as constant-memory mode requires.

The charts sit on a grid, two across, each in its own block of cells, and no chart covers
another or a cell with data (``chart_grid``; a test reads the drawing anchors back).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from kol_desk import metrics
from kol_desk.charts.style import platform_colour, tier_colour
from kol_desk.i18n import tr
from kol_desk.services.reports import GroupRow, Report, Totals

if TYPE_CHECKING:
    from xlsxwriter.workbook import Workbook
    from xlsxwriter.worksheet import Worksheet

MAX_CREATORS = 20
CHART_W, CHART_H = 620, 320
# A grid cell: 10 columns by 17 rows. The default column is 64 px and a row 20 px; the
# data table below widens the first two columns, which only moves the second chart right.
GRID_COLS, GRID_ROWS = 10, 17
DATA_COL = 0
# Column widths of the data table (characters), also what printing measures.
DATA_WIDTHS = (20.0, 12.0, 2.0, 16.0, 14.0)
DEFAULT_WIDTH = 8.43


def chart_grid(index: int) -> tuple[int, int]:
    """The top-left cell (row, column) of the ``index``-th chart, two charts a row."""
    row, col = divmod(index, 2)
    return 1 + row * GRID_ROWS, col * GRID_COLS


def sheet_widths() -> list[float]:
    """Every column the Charts sheet uses, in characters (for print scaling)."""
    return [*DATA_WIDTHS, *([DEFAULT_WIDTH] * (2 * GRID_COLS - len(DATA_WIDTHS)))]


def cached(rows: list[GroupRow], value: Callable[[Totals], Decimal | int | None]) -> dict[str, list[Any]]:
    """A series' cached points, the very values its cells hold (labels; numbers, None for
    a "—" cell). Constant-memory mode keeps no cells to cache from: without these a text
    category range is written as a number reference with an empty cache."""
    points = [value(r.totals) for r in rows]
    return {"categories_data": [r.label for r in rows],
            "values_data": [None if v is None else float(v) for v in points]}


def _funnel(report: Report) -> list[tuple[str, int | None]]:
    t = report.totals
    return [(tr("Impressions"), t.count("impressions")), (tr("Views"), t.count("views")),
            (tr("Engagements"), t.engagements), (tr("Clicks"), t.count("clicks")),
            (tr("Orders"), t.count("orders"))]


def _top_creators(report: Report) -> list[GroupRow]:
    return sorted((r for r in report.group("creator") if r.totals.cpe is not None),
                  key=lambda r: r.totals.cpe or 0)[:MAX_CREATORS]


def _data_block(workbook: Workbook, sheet: Worksheet, creators: list[GroupRow],
                funnel: list[tuple[str, int | None]], top: int) -> int:
    """Writes the sorted-creator and funnel tables from row ``top`` (a title, then a
    header); returns their first data row."""
    bold = workbook.add_format({"bold": True, "bg_color": "#F2F2F2", "bottom": 1})
    money = workbook.add_format({"num_format": "#,##0.00"})
    count = workbook.add_format({"num_format": "#,##0"})
    for col, width in enumerate(DATA_WIDTHS):
        sheet.set_column(DATA_COL + col, DATA_COL + col, width)
    sheet.write_string(top, DATA_COL, tr("The data of the charts above"), workbook.add_format({"bold": True}))
    top += 1
    rows = max(len(creators), len(funnel)) + 1
    for row in range(rows):
        if row == 0:
            sheet.write_string(top, DATA_COL, tr("Creator"), bold)
            sheet.write_string(top, DATA_COL + 1, tr("CPE"), bold)
            sheet.write_string(top, DATA_COL + 3, tr("Funnel step"), bold)
            sheet.write_string(top, DATA_COL + 4, tr("Count"), bold)
            continue
        if row <= len(creators):
            group = creators[row - 1]
            # Names are creator data: written as strings, with the injection-safe flag.
            fmt = workbook.add_format({"quote_prefix": True}) if _risky(group.label) else None
            sheet.write_string(top + row, DATA_COL, group.label, fmt)
            sheet.write_number(top + row, DATA_COL + 1, float(group.totals.cpe or 0), money)
        if row <= len(funnel):
            label, value = funnel[row - 1]
            sheet.write_string(top + row, DATA_COL + 3, label)
            if value is None:
                sheet.write_string(top + row, DATA_COL + 4, metrics.DASH)
            else:
                sheet.write_number(top + row, DATA_COL + 4, value, count)
    return top + 1


def _risky(text: str) -> bool:
    from kol_desk.exporting.xlsx import looks_like_formula

    return looks_like_formula(text)


def _chart(workbook: Workbook, kind: str, title: str, subtype: str | None = None) -> Any:
    options = {"type": kind}
    if subtype:
        options["subtype"] = subtype
    chart = workbook.add_chart(options)
    chart.set_title({"name": title, "name_font": {"size": 12}})
    chart.set_size({"width": CHART_W, "height": CHART_H})
    return chart


def _chart_count(report: Report, n_creators: int, n_funnel: int) -> int:
    return (bool(n_creators) + bool(report.group("platform")) + bool(report.group("tier"))
            + bool(n_funnel))


def add_report_charts(workbook: Workbook, sheet: Worksheet, report: Report,
                      groups_sheet: str, groups: dict[str, tuple[int, int]]) -> tuple[int, int]:
    """Adds the charts to ``sheet``; returns how many (tests count the drawings) and the
    row where their data table starts (printing breaks the page there)."""
    name = sheet.get_name()
    cheapest, funnel = _top_creators(report), _funnel(report)
    n_creators, n_funnel = len(cheapest), len(funnel)
    charts = _chart_count(report, n_creators, n_funnel)
    data_top = chart_grid(charts - 1)[0] + GRID_ROWS + 1 if charts else 1
    first = _data_block(workbook, sheet, cheapest, funnel, data_top)
    placed = 0

    def place(chart: Any) -> None:
        nonlocal placed
        row, col = chart_grid(placed)
        sheet.insert_chart(row, col, chart, {"x_offset": 10, "y_offset": 5, "object_position": 2})
        placed += 1

    if n_creators:
        chart = _chart(workbook, "bar", tr("Cost per engagement by creator (lowest first)"))
        chart.add_series({"name": tr("CPE"), "categories": [name, first, DATA_COL, first + n_creators - 1, DATA_COL],
                          "values": [name, first, DATA_COL + 1, first + n_creators - 1, DATA_COL + 1],
                          "categories_data": [r.label for r in cheapest],
                          "values_data": [float(r.totals.cpe or 0) for r in cheapest],
                          "fill": {"color": "#1E88E5"}})
        chart.set_y_axis({"reverse": True})
        chart.set_x_axis({"num_format": "#,##0.00", "major_gridlines": {"visible": True}})
        chart.set_legend({"none": True})
        place(chart)

    combos = (
        ("platform", tr("Reach and engagement by platform"), platform_colour,
         (tr("Impressions"), 3, lambda t: t.count("impressions"), "#,##0"),
         (tr("Engagements"), 5, lambda t: t.engagements, "#,##0"), ("circle", 7, "#F57C00")),
        ("tier", tr("Spend against results by tier"), tier_colour,
         (tr("Cost"), 2, lambda t: t.cost, "#,##0"),
         (tr("CPE"), 12, lambda t: t.cpe, "#,##0.00"), ("diamond", 8, "#C62828")),
    )
    for key, title, colour, bars, line_of, (marker, size, line_colour) in combos:
        rows = report.group(key)
        if not rows:
            continue
        top, bottom = groups[key]
        categories = [groups_sheet, top, 0, bottom, 0]
        chart = _chart(workbook, "column", title)
        chart.add_series({"name": bars[0], "categories": categories,
                          "values": [groups_sheet, top, bars[1], bottom, bars[1]],
                          "points": [{"fill": {"color": colour(str(r.key))}} for r in rows],
                          **cached(rows, bars[2])})
        line = workbook.add_chart({"type": "line"})
        line.add_series({"name": line_of[0], "categories": categories,
                         "values": [groups_sheet, top, line_of[1], bottom, line_of[1]], "y2_axis": True,
                         **cached(rows, line_of[2]),
                         "marker": {"type": marker, "size": size}, "line": {"color": line_colour}})
        chart.combine(line)
        chart.set_y_axis({"name": bars[0], "num_format": bars[3]})
        line.set_y2_axis({"name": line_of[0], "num_format": line_of[3]})
        chart.set_legend({"position": "bottom"})
        place(chart)

    if n_funnel:
        chart = _chart(workbook, "bar", tr("Funnel from impressions to orders"))
        chart.add_series({"name": tr("Count"), "categories": [name, first, DATA_COL + 3, first + n_funnel - 1, DATA_COL + 3],
                          "values": [name, first, DATA_COL + 4, first + n_funnel - 1, DATA_COL + 4],
                          "categories_data": [label for label, _ in funnel],
                          "values_data": [None if v is None else float(v) for _, v in funnel],
                          "fill": {"color": "#43A047"}, "data_labels": {"value": True, "num_format": "#,##0"}})
        chart.set_y_axis({"reverse": True})
        chart.set_x_axis({"num_format": "#,##0", "log_base": 10})
        chart.set_legend({"none": True})
        place(chart)
    return placed, data_top
